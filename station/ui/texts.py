"""Showing core messages, import problems, flags and alerts in the interface language,
and the colour of each tone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication

from station.core import problem_texts
from station.core.messages import REFUSED_KEYS, TEXTS, Message, Tone
from station.core.model import Order
from station.core.problem_texts import LIST_SEPARATOR, Text
from station.importers.mapping import FIELDS
from station.store import flags as flag_store
from station.store import orders as order_store
from station.store.users import PinLocked

if TYPE_CHECKING:
    from station.bench import Bench

MESSAGES_CONTEXT = "messages"
PROBLEMS_CONTEXT = "problems"
FIELDS_CONTEXT = "fields"

# Every import field's English label by field name (orders and products share some).
_FIELD_LABELS = {f.name: f.label for fields in FIELDS.values() for f in fields}

# Background and text colour per tone: green ok, blue info, amber warn, red error.
TONE_COLOURS: dict[Tone, tuple[str, str]] = {
    Tone.OK: ("#1b873f", "#ffffff"),
    Tone.DONE: ("#0b6b30", "#ffffff"),
    Tone.INFO: ("#1565c0", "#ffffff"),
    Tone.WARN: ("#f2a900", "#1a1a1a"),
    Tone.ERROR: ("#c62828", "#ffffff"),
}


def message_text(message: Message, shown: Mapping[str, Any] | None = None) -> str:
    """The message translated (context "messages"), with its parameters filled in;
    `shown` replaces parameters with texts already in the interface language."""
    source = TEXTS[message.key]
    translated = QCoreApplication.translate(MESSAGES_CONTEXT, source)
    try:
        return translated.format(**{**message.params, **(shown or {})})
    except (KeyError, IndexError, ValueError):
        return source.format(**message.params)


def bench_message_text(message: Message, bench: Bench) -> str:
    """A bench result as the banner shows it: the flags of the order just scanned, the
    detail of an alert and the hold reason of a refused order come from their keyed
    texts, in the interface language (the bench itself puts their English into the
    message)."""
    return message_text(message, _bench_params(message, bench))


def _bench_params(message: Message, bench: Bench) -> dict[str, str]:
    params = message.params
    if message.key == "order_flagged":
        session = bench.session
        if (
            session is not None
            and session.order.order_no == params.get("order_no")
            and LIST_SEPARATOR.join(session.order.flags) == params.get("flags")
        ):
            return {"flags": flags_text(session.order)}
    elif message.key == "alert_intercept":
        for alert in flag_store.open_alerts(bench.db):
            if alert.order_no == params.get("order_no") and alert.detail == params.get("detail"):
                return {"detail": detail_text(alert.detail, alert.text)}
    elif message.key in REFUSED_KEYS:
        held = order_store.hold_reason_of(bench.db, str(params.get("order_no", "")))
        if held is not None and held[1] is not None and held[0] == params.get("reason"):
            return {"reason": problem_text(held[1])}
    return {}


def problem_text(text: Text) -> str:
    """An import problem, flag or alert translated (context "problems"), with its
    parameters filled in: texts among them translated in turn, a `field` by its label."""
    params = {name: _shown(name, value) for name, value in text.params.items()}
    translated = QCoreApplication.translate(PROBLEMS_CONTEXT, problem_texts.TEXTS[text.key])
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        return str(text)


def _shown(name: str, value: Any) -> Any:
    if isinstance(value, Text):
        return problem_text(value)
    if name == "field":
        return field_label(str(value))
    return value


def detail_text(detail: str, text: Text | None) -> str:
    """A stored flag's or alert's text; its English detail when it has no key (older rows)."""
    return detail if text is None else problem_text(text)


def list_text(texts: Iterable[str]) -> str:
    """Texts one after the other, separated as the interface language does ("; ", "；")."""
    return QCoreApplication.translate(PROBLEMS_CONTEXT, LIST_SEPARATOR).join(texts)


def flags_text(order: Order) -> str:
    """The order's flags in the interface language."""
    texts = order.flag_texts + (None,) * (len(order.flags) - len(order.flag_texts))
    return list_text(detail_text(d, t) for d, t in zip(order.flags, texts, strict=False))


def field_label(name: str) -> str:
    """An import field's label (context "fields"); the name itself for an unknown one."""
    label = _FIELD_LABELS.get(name)
    return QCoreApplication.translate(FIELDS_CONTEXT, label) if label else name


def pin_locked_text(locked: PinLocked) -> str:
    """The bench's message for a PIN prompt locked after too many wrong PINs."""
    return message_text(Message("pin_locked", {"until": f"{locked.until.astimezone():%H:%M}"}))
