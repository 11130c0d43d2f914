"""Toledo 8217 (the request/response protocol of many retail scales).

Per the Mettler Toledo 8217 interface description: 9600 baud, 7 data bits, even
parity, 1 stop bit. The request is the single byte `W`. The scale answers STX,
the weight with a decimal point, an optional `N` for net, CR (`\\x0201.234\\r`),
and only while the weight is settled; otherwise it answers STX `?` status CR.
Status bits, least significant first: 0 motion, 1 over capacity, 2 under zero,
3 outside zero-capture range, 4 centre of zero, 5 net. Replies seen in practice
(`@` OK, `A`/`Q` motion, `B` over, `D` under) show bit 6 as the 0x40 that makes
the byte printable, so it is not read as "bad command". `Z` zeroes, `T` tares,
`C` clears the tare; none of them answers.
"""

from __future__ import annotations

import re
from decimal import Decimal

from station.core.reading import Reading, WeightState
from station.devices.scale.protocol import (
    Ack,
    DelimitedParser,
    Event,
    Protocol,
    Rejected,
    SerialSettings,
    fault_reading,
    weight_reading,
)
from station.devices.scale.units import from_grams

UNIT = "kg"
_WEIGHT = re.compile(rb"\x02(\d*\.\d+|\d+\.\d*)(N?)\r")
_STATUS = re.compile(rb"\x02\?([\x00-\x7f])\r")
MOTION, OVER, UNDER, NET = 0x01, 0x02, 0x04, 0x20


class Toledo8217Parser(DelimitedParser):
    max_frame = 12

    def parse_frame(self, frame: bytes, at: float) -> Event:
        match = _WEIGHT.fullmatch(frame)
        if match:
            value = Decimal(match[1].decode())
            net = match[2] == b"N"
            return weight_reading(value, UNIT, stable=True, net=net, raw=frame, at=at)
        match = _STATUS.fullmatch(frame)
        if not match:
            return Rejected(frame, "not an 8217 reply")
        status = match[1][0]
        net = bool(status & NET)
        if status & OVER:
            return fault_reading(WeightState.OVERLOAD, UNIT, net=net, raw=frame, at=at)
        if status & UNDER:
            return fault_reading(WeightState.UNDERLOAD, UNIT, net=net, raw=frame, at=at)
        if status & MOTION:
            return Reading(None, False, UNIT, net, WeightState.OK, frame, at)
        return Ack(frame, f"status {status:#04x}")


def encode(reading: Reading) -> bytes | None:
    """The reply to `W` for this reading; None for an error, which it has no bit for."""
    if reading.state is WeightState.ERROR:
        return None
    status = 0x40 | (NET if reading.net else 0)
    if reading.state is WeightState.OVERLOAD:
        status |= OVER
    elif reading.state is WeightState.UNDERLOAD or (reading.grams or 0) < 0:
        status |= UNDER
    elif not reading.stable or reading.grams is None:
        status |= MOTION
    else:
        value = from_grams(reading.grams, UNIT).quantize(Decimal("0.001"))
        return b"\x02" + f"{value:06}".encode() + (b"N" if reading.net else b"") + b"\r"
    return b"\x02?" + bytes([status]) + b"\r"


def reply(command: bytes, reading: Reading) -> bytes:
    return (encode(reading) or b"") if command == b"W" else b""


PROTOCOL = Protocol(
    name="toledo-8217",
    summary="Toledo 8217 retail scale, 7E1, 'W' request",
    serial=SerialSettings(9600, 7, "E", 1),
    parser=Toledo8217Parser,
    encode=encode,
    poll=b"W",
    zero_command=b"Z",
    tare_command=b"T",
    reply=reply,
)
