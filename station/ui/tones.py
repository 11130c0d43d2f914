"""Writes the bench's result sounds into resources/sounds/ (stdlib only).

    python -m station.ui.tones

Each tone is told apart by ear without looking: ok is one short high beep,
done a rising three-note chime, info a soft low blip, warn two mid beeps,
error a harsh low triple buzz.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

from station.core.messages import Tone
from station.paths import resource

RATE = 22050

# Each note: (frequency in Hz, milliseconds, square wave?); a frequency of 0 is a pause.
Note = tuple[float, int, bool]

PATTERNS: dict[Tone, tuple[Note, ...]] = {
    Tone.OK: ((1568, 110, False),),
    Tone.DONE: ((1047, 90, False), (1319, 90, False), (1568, 180, False)),
    Tone.INFO: ((784, 70, False),),
    Tone.WARN: ((880, 140, False), (0, 70, False), (880, 140, False)),
    Tone.ERROR: (
        (220, 160, True),
        (0, 60, False),
        (220, 160, True),
        (0, 60, False),
        (220, 260, True),
    ),
}


def samples(notes: tuple[Note, ...], volume: float = 0.5) -> bytes:
    """16-bit mono PCM of the notes, each faded in and out to avoid clicks."""
    out = bytearray()
    for frequency, millis, square in notes:
        count = RATE * millis // 1000
        fade = min(count // 4, RATE // 200)
        for i in range(count):
            if frequency == 0:
                value = 0.0
            else:
                wave_value = math.sin(2 * math.pi * frequency * i / RATE)
                value = (1.0 if wave_value >= 0 else -1.0) * 0.6 if square else wave_value
            envelope = min(1.0, i / fade if fade else 1.0, (count - i) / fade if fade else 1.0)
            out += struct.pack("<h", round(value * envelope * volume * 32767))
    return bytes(out)


def write_tone(path: Path, notes: tuple[Note, ...]) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples(notes))


def write_all(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for tone, notes in PATTERNS.items():
        path = folder / f"{tone.value}.wav"
        write_tone(path, notes)
        written.append(path)
    return written


def main() -> int:
    for path in write_all(resource("sounds")):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
