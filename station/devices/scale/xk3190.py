"""Yaohua (耀华) XK3190 indicators: the A9 continuous frame and the A12 lines.

Per the XK3190-A9 user manual, "tf=0" continuous output: 12 bytes of STX, sign
(`+`/`-`), six digits, one digit giving the number of decimals, two hex characters
holding the XOR of the bytes from sign through the decimals digit (high nibble
first), ETX. At 0 kg: `02 2B 30 30 30 30 30 30 30 31 42 03`. The trailing hex pair
is a checksum, not a stability flag, and there is no stability flag at all: the
driver infers stability. The weight is in the indicator's unit, kg on bench scales.

Per the XK3190-A12(E) manual: lines `ww000.000kg` (gross), `wn-0000.1kg` (net),
`wt000.500kg` (tare), no stability flag; single-byte commands `R` read, `T` tare,
`Z` zero. Neither format has a way to say overload: the indicator only shows it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from station.core.reading import Reading, WeightState
from station.devices.scale.protocol import (
    Ack,
    Event,
    FixedFrameParser,
    LineParser,
    Protocol,
    Rejected,
    SerialSettings,
    weight_reading,
)
from station.devices.scale.units import from_grams

UNIT = "kg"
_A9 = re.compile(rb"\x02([+-])(\d{6})([0-6])([0-9A-Fa-f]{2})\x03")
_A12 = re.compile(rb"w([wnt])([+-]?\d+(?:\.\d+)?)([A-Za-z]{1,3})")


def xor(data: bytes) -> int:
    result = 0
    for byte in data:
        result ^= byte
    return result


class A9Parser(FixedFrameParser):
    length = 12

    def parse_frame(self, frame: bytes, at: float) -> Event:
        match = _A9.fullmatch(frame)
        if not match or int(match[4], 16) != xor(frame[1:9]):
            return Rejected(frame, "not an A9 frame or bad checksum")
        value = Decimal(int(match[2])).scaleb(-int(match[3]))
        if match[1] == b"-":
            value = -value
        return weight_reading(value, UNIT, stable=False, net=False, raw=frame, at=at)


def encode_a9(reading: Reading) -> bytes | None:
    """A frame with three decimals; None when the reading is not a weight."""
    if reading.state is not WeightState.OK or reading.grams is None:
        return None
    value = from_grams(reading.grams, UNIT).quantize(Decimal("0.001"))
    digits = int(abs(value).scaleb(3))
    if digits > 999_999:
        return None
    body = (b"-" if value < 0 else b"+") + f"{digits:06}3".encode()
    return b"\x02" + body + f"{xor(body):02X}".encode() + b"\x03"


class A12Parser(LineParser):
    def parse_line(self, line: bytes, at: float) -> Event:
        match = _A12.fullmatch(line)
        if not match:
            return Rejected(line, "not an A12 line")
        kind, number, unit = match.groups()
        if kind == b"t":
            return Ack(line, "tare")
        value = Decimal(number.decode())
        net = kind == b"n"
        return weight_reading(value, unit.decode(), stable=False, net=net, raw=line, at=at)


def encode_a12(reading: Reading) -> bytes | None:
    if reading.state is not WeightState.OK or reading.grams is None:
        return None
    value = from_grams(reading.grams, UNIT).quantize(Decimal("0.001"))
    kind = b"wn" if reading.net else b"ww"
    return kind + f"{value:07}{UNIT}\r\n".encode()


def reply_a12(command: bytes, reading: Reading) -> bytes:
    return (encode_a12(reading) or b"") if command == b"R" else b""


A9 = Protocol(
    name="xk3190-a9",
    summary="Yaohua XK3190-A9 continuous 12-byte frames (stability inferred)",
    serial=SerialSettings(9600, 8, "N", 1),
    parser=A9Parser,
    encode=encode_a9,
    reports_stability=False,
)

A12 = Protocol(
    name="xk3190-a12",
    summary="Yaohua XK3190-A12 'ww000.000kg' lines (stability inferred)",
    serial=SerialSettings(9600, 8, "N", 1),
    parser=A12Parser,
    encode=encode_a12,
    zero_command=b"Z",
    tare_command=b"T",
    reply=reply_a12,
    reports_stability=False,
)
