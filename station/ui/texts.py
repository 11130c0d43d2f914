"""Showing core messages, import problems, flags and alerts in the interface language,
and the colour of each tone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QCoreApplication

from station.app.permissions import PinLocked
from station.core import problem_texts
from station.core.messages import TEXTS, Message, Tone
from station.core.model import Order
from station.core.problem_texts import LIST_SEPARATOR, Shown, Text
from station.importers.mapping import FIELDS

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


def message_text(message: Message) -> str:
    """The message translated (context "messages"), with its parameters filled in;
    parameters made of stored texts (flags, an alert, a hold reason) in the interface
    language too."""
    source = TEXTS[message.key]
    translated = QCoreApplication.translate(MESSAGES_CONTEXT, source)
    params = {
        name: parts_text(value.parts) if isinstance(value, Shown) else value
        for name, value in message.params.items()
    }
    try:
        return translated.format(**params)
    except (KeyError, IndexError, ValueError):
        return source.format(**message.params)


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


def parts_text(parts: Iterable[tuple[str, Text | None]]) -> str:
    """Stored texts (English detail, text by key) one after the other, each in the
    interface language where it has a key."""
    return list_text(detail_text(detail, text) for detail, text in parts)


def flags_text(order: Order) -> str:
    """The order's flags in the interface language."""
    return parts_text(order.flag_parts)


def field_label(name: str) -> str:
    """An import field's label (context "fields"); the name itself for an unknown one."""
    label = _FIELD_LABELS.get(name)
    return QCoreApplication.translate(FIELDS_CONTEXT, label) if label else name


def pin_locked_text(locked: PinLocked) -> str:
    """The bench's message for a PIN prompt locked after too many wrong PINs."""
    return message_text(Message("pin_locked", {"until": f"{locked.until.astimezone():%H:%M}"}))
