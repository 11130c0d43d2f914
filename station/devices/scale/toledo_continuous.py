"""Mettler Toledo "standard continuous" output (IND245, IND560 and kin).

Per the IND245 technical manual, appendix "Continuous output": 18-byte frames of
STX, status words SWA SWB SWC, 6 weight digits and 6 tare digits (no sign, no
point, right-aligned, space padded), CR, and a checksum byte equal to the two's
complement of the 7-bit sum of the 17 bytes before it. Streamed at 10-20 frames/s;
the indicator's default port is 9600 7E1. SWA: 0x20 + decimal position in bits
0-2 (010 = XXXXXX, 011 = XXXXX.X, ... 111 = X.XXXXX; 000/001 = two/one dummy
zeros) + increment size in bits 3-4. SWB: 0x20 + bit0 net, bit1 negative, bit2
over/under range, bit3 motion, bit4 kg (else lb), bit6 power-up zero not captured.
SWC: 0x20 + display unit in bits 0-2 (0 = lb/kg per SWB, 1 g, 2 t, 3 oz, 4 ozt,
5 dwt, 6 long ton, 7 custom), bit3 print request, bit4 x10 display. The indicator takes the
CTPZ single-byte commands on its input: `Z` zero, `T` tare, `C` clear.
"""

from __future__ import annotations

import re
from decimal import Decimal

from station.core.reading import Reading, WeightState
from station.devices.scale.protocol import (
    Event,
    FixedFrameParser,
    Protocol,
    Rejected,
    SerialSettings,
    fault_reading,
    weight_reading,
)
from station.devices.scale.units import from_grams

NET, NEGATIVE, RANGE, MOTION, KG, NOT_ZEROED = 0x01, 0x02, 0x04, 0x08, 0x10, 0x40
_UNITS = ("", "g", "t", "oz", "ozt", "dwt", "ton", "custom")
_DIGITS = re.compile(rb" *\d{1,6}")


def checksum(body: bytes) -> int:
    """The checksum byte for the 17 bytes before it."""
    return -sum(body) & 0x7F


def _status_ok(byte: int) -> bool:
    return byte & 0xE0 == 0x20


def _scale(digits: bytes, position: int) -> Decimal:
    """The 6-digit field as a number, given SWA's decimal position code."""
    value = Decimal(int(digits))
    return value.scaleb(2 - position) if position >= 2 else value * (10 ** (2 - position))


class ToledoContinuousParser(FixedFrameParser):
    length = 18

    def parse_frame(self, frame: bytes, at: float) -> Event:
        swa, swb, swc = frame[1], frame[2], frame[3]
        valid = (
            frame[16] == 0x0D
            and frame[17] == checksum(frame[:17])
            and _status_ok(swa)
            and _status_ok(swb & ~NOT_ZEROED)
            and _status_ok(swc)
            and _DIGITS.fullmatch(frame[4:10])
            and _DIGITS.fullmatch(frame[10:16])
        )
        if not valid:
            return Rejected(frame, "not a continuous frame or bad checksum")
        code = swc & 0x07
        unit = _UNITS[code] or ("kg" if swb & KG else "lb")
        net = bool(swb & NET)
        if swb & NOT_ZEROED:
            return fault_reading(WeightState.ERROR, unit, net=net, raw=frame, at=at)
        if swb & RANGE:
            state = WeightState.UNDERLOAD if swb & NEGATIVE else WeightState.OVERLOAD
            return fault_reading(state, unit, net=net, raw=frame, at=at)
        value = _scale(frame[4:10], swa & 0x07)
        if swb & NEGATIVE:
            value = -value
        return weight_reading(value, unit, stable=not swb & MOTION, net=net, raw=frame, at=at)


def encode(reading: Reading) -> bytes | None:
    """A frame in kg with three decimals (SWA position code 101)."""
    swb = 0x20 | KG | (NET if reading.net else 0) | (0 if reading.stable else MOTION)
    value = Decimal(0)
    if reading.state in (WeightState.OVERLOAD, WeightState.UNDERLOAD):
        swb |= RANGE | (NEGATIVE if reading.state is WeightState.UNDERLOAD else 0)
    elif reading.state is WeightState.ERROR or reading.grams is None:
        swb |= NOT_ZEROED
    else:
        value = from_grams(reading.grams, "kg")
        swb |= NEGATIVE if value < 0 else 0
    digits = int(abs(value).scaleb(3).to_integral_value())
    if digits > 999_999:
        swb, digits = swb | RANGE, 0
    body = bytes([0x02, 0x20 | 0b101, swb, 0x20]) + f"{digits:>6}{0:>6}\r".encode()
    return body + bytes([checksum(body)])


PROTOCOL = Protocol(
    name="toledo-continuous",
    summary="Mettler Toledo standard continuous output, 18-byte frames",
    serial=SerialSettings(9600, 7, "E", 1),
    parser=ToledoContinuousParser,
    encode=encode,
    zero_command=b"Z",
    tare_command=b"T",
)
