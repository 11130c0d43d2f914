"""What every scale protocol is made of: port settings, requests and a parser.

A protocol is data (`Protocol`) plus an incremental `Parser`. Parsers take bytes
as they arrive, in chunks of any size, and return events: a `Reading` for each
well-formed weight frame, an `Ack` for a well-formed frame that carries no weight,
and a `Rejected` for every run of bytes that was not a frame (noise, a partial
frame, a bad checksum). They never raise on input and always resynchronise.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from station.core.reading import Reading, WeightState
from station.devices.scale.units import to_grams

STX = b"\x02"
ETX = b"\x03"
CR = b"\r"


@dataclass(frozen=True, slots=True)
class Rejected:
    """Bytes that were not a well-formed frame, and why."""

    raw: bytes
    reason: str


@dataclass(frozen=True, slots=True)
class Ack:
    """A well-formed frame with no weight in it: a command's answer, a tare or count line."""

    raw: bytes
    text: str


Event = Reading | Ack | Rejected


class Parser(ABC):
    """Turns a byte stream into events; keeps whatever partial frame is pending."""

    @abstractmethod
    def feed(self, data: bytes, at: float = 0.0) -> list[Event]:
        """Consume `data`; `at` is when its last byte arrived, stamped on readings."""


class LineParser(Parser):
    """Frames are lines ended by CR, LF or CR LF, in any mix; empty lines are skipped."""

    max_line = 80
    _line_end = re.compile(rb"[\r\n]")

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, data: bytes, at: float = 0.0) -> list[Event]:
        lines = self._line_end.split(self._pending + data)
        self._pending = lines.pop()
        events = [self.parse_line(line, at) for line in lines if line]
        if len(self._pending) > self.max_line:
            events.append(Rejected(self._pending, "line too long"))
            self._pending = b""
        return events

    @abstractmethod
    def parse_line(self, line: bytes, at: float) -> Event:
        """One complete line, without its line end."""


class DelimitedParser(Parser):
    """Frames run from a start byte to an end byte, at most `max_frame` bytes long.

    Bytes before a start byte are noise; a frame cut short by a new start byte
    is dropped and parsing resumes at the new start.
    """

    start = STX
    end = CR
    max_frame = 32

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, data: bytes, at: float = 0.0) -> list[Event]:
        buf = self._pending + data
        events: list[Event] = []
        i = 0
        while i < len(buf):
            begin = buf.find(self.start, i)
            if begin < 0:
                events.append(Rejected(buf[i:], "no frame start"))
                i = len(buf)
                break
            if begin > i:
                events.append(Rejected(buf[i:begin], "no frame start"))
            close = buf.find(self.end, begin + 1, begin + self.max_frame)
            restart = buf.find(self.start, begin + 1, close if close >= 0 else len(buf))
            if restart >= 0:
                events.append(Rejected(buf[begin:restart], "frame cut short"))
                i = restart
            elif close >= 0:
                events.append(self.parse_frame(buf[begin : close + 1], at))
                i = close + 1
            elif len(buf) - begin >= self.max_frame:
                events.append(Rejected(buf[begin : begin + self.max_frame], "frame too long"))
                i = begin + self.max_frame
            else:
                i = begin
                break
        self._pending = buf[i:]
        return events

    @abstractmethod
    def parse_frame(self, frame: bytes, at: float) -> Event:
        """One frame including its start and end bytes."""


class FixedFrameParser(Parser):
    """Frames are `length` bytes starting with STX, validated by `parse_frame`.

    A candidate that fails validation costs only its start byte, so a real frame
    starting inside it is still found.
    """

    start = STX
    length = 18

    def __init__(self) -> None:
        self._pending = b""

    def feed(self, data: bytes, at: float = 0.0) -> list[Event]:
        buf = self._pending + data
        events: list[Event] = []
        i = 0
        noise_from = 0
        while True:
            begin = buf.find(self.start, i)
            if begin < 0 or len(buf) - begin < self.length:
                break
            event = self.parse_frame(buf[begin : begin + self.length], at)
            if isinstance(event, Rejected):
                i = begin + 1
                continue
            if begin > noise_from:
                events.append(Rejected(buf[noise_from:begin], "not a frame"))
            events.append(event)
            i = noise_from = begin + self.length
        keep = begin if begin >= 0 else len(buf)
        if keep > noise_from:
            events.append(Rejected(buf[noise_from:keep], "not a frame"))
        self._pending = buf[keep:]
        return events

    @abstractmethod
    def parse_frame(self, frame: bytes, at: float) -> Event:
        """One candidate frame of exactly `length` bytes; Rejected if it is not valid."""


def weight_reading(
    value: Decimal, unit: str, *, stable: bool, net: bool, raw: bytes, at: float
) -> Reading:
    """A reading of `value` `unit`; a unit that is not a weight gives an ERROR reading."""
    grams = to_grams(value, unit)
    if grams is None:
        return fault_reading(WeightState.ERROR, unit, net=net, raw=raw, at=at)
    return Reading(grams, stable, unit, net, WeightState.OK, raw, at)


def fault_reading(state: WeightState, unit: str, *, net: bool, raw: bytes, at: float) -> Reading:
    """A well-formed frame that says overload, underload or error instead of a weight."""
    return Reading(None, False, unit, net, state, raw, at)


@dataclass(frozen=True, slots=True)
class SerialSettings:
    """Port settings as pyserial names them."""

    baud: int = 9600
    bytesize: int = 8
    parity: str = "N"
    stopbits: float = 1

    def describe(self) -> str:
        return f"{self.baud} {self.bytesize}{self.parity}{self.stopbits:g}"


Encoder = Callable[[Reading], bytes | None]
Replier = Callable[[bytes, Reading], bytes]


@dataclass(frozen=True)
class Protocol:
    """One scale protocol as data.

    `poll` is the request sent for each reading (None: the scale streams).
    `encode` renders a reading as the device would send it, or None when the
    protocol cannot say it (the simulator then stays quiet); `reply` answers one
    command the way the device does (the simulator's side of a request). Commands
    are lines ending in `command_end`, or single bytes when it is empty.
    `unit` is what the simulator displays in.
    """

    name: str
    summary: str
    serial: SerialSettings
    parser: Callable[[], Parser]
    encode: Encoder
    poll: bytes | None = None
    zero_command: bytes | None = None
    tare_command: bytes | None = None
    reply: Replier | None = None
    command_end: bytes = b""
    reports_stability: bool = True
    unit: str = "kg"

    @property
    def supports_zero(self) -> bool:
        return self.zero_command is not None

    @property
    def supports_tare(self) -> bool:
        return self.tare_command is not None
