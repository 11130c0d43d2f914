"""Showing core messages in the interface language, and the colour of each tone."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station.core.messages import TEXTS, Message, Tone
from station.store.users import PinLocked

MESSAGES_CONTEXT = "messages"

# Background and text colour per tone: green ok, blue info, amber warn, red error.
TONE_COLOURS: dict[Tone, tuple[str, str]] = {
    Tone.OK: ("#1b873f", "#ffffff"),
    Tone.DONE: ("#0b6b30", "#ffffff"),
    Tone.INFO: ("#1565c0", "#ffffff"),
    Tone.WARN: ("#f2a900", "#1a1a1a"),
    Tone.ERROR: ("#c62828", "#ffffff"),
}


def message_text(message: Message) -> str:
    """The message translated (context "messages"), with its parameters filled in."""
    source = TEXTS[message.key]
    translated = QCoreApplication.translate(MESSAGES_CONTEXT, source)
    try:
        return translated.format(**message.params)
    except (KeyError, IndexError, ValueError):
        return source.format(**message.params)


def pin_locked_text(locked: PinLocked) -> str:
    """The bench's message for a PIN prompt locked after too many wrong PINs."""
    return message_text(Message("pin_locked", {"until": f"{locked.until.astimezone():%H:%M}"}))
