"""The A&D / CAS / generic indicator "ST,GS,+0001.234kg" line family.

Per the A&D GF/GX and FG instruction manuals ("A&D standard format") and CAS
indicator manuals: a header `ST` stable, `US` unstable, `OL` out of range (sign
`-` = under), `QT` count; optionally `GS` gross, `NT` net or `TR` tare; CAS 22-byte
frames add a device-id and lamp byte pair; then a data field with sign and point
and a unit of up to three characters (`  g` on A&D balances), e.g.
`ST,GS,+0001.234kg\\r\\n`, `ST,+00123.45  g\\r\\n`, `ST,GS,\\x01\\x40,000013.5 kg\\r\\n`.
Continuous output is the usual default; `Z` and `T` lines zero and tare.
"""

from __future__ import annotations

import re
from decimal import Decimal

from station.core.reading import Reading, WeightState
from station.devices.scale.protocol import (
    Ack,
    Event,
    LineParser,
    Protocol,
    Rejected,
    SerialSettings,
    fault_reading,
    weight_reading,
)
from station.devices.scale.units import from_grams

_KIND = rb"(?:(GS|NT|TR),)?(?:[\x00-\xff]{2},)?"
_WEIGHT = re.compile(rb"(ST|US)," + _KIND + rb"([+-]?) *(\d+(?:\.\d+)?) *([A-Za-z]{1,3}) *")
_OUT_OF_RANGE = re.compile(rb"OL," + _KIND + rb"([+-]?)[ \d.]*([A-Za-z]{1,3})? *")
_COUNT = re.compile(rb"QT," + _KIND + rb"[+-]? *\d+(?:\.\d+)? *[A-Za-z]{0,3} *")


class AdParser(LineParser):
    def parse_line(self, line: bytes, at: float) -> Event:
        match = _WEIGHT.fullmatch(line)
        if match:
            header, kind, sign, digits, unit = match.groups()
            if kind == b"TR":
                return Ack(line, "tare")
            value = Decimal(digits.decode())
            return weight_reading(
                -value if sign == b"-" else value,
                unit.decode(),
                stable=header == b"ST",
                net=kind == b"NT",
                raw=line,
                at=at,
            )
        match = _OUT_OF_RANGE.fullmatch(line)
        if match:
            kind, sign, unit = match.groups()
            state = WeightState.UNDERLOAD if sign == b"-" else WeightState.OVERLOAD
            unit_text = unit.decode() if unit else ""
            return fault_reading(state, unit_text, net=kind == b"NT", raw=line, at=at)
        if _COUNT.fullmatch(line):
            return Ack(line, "count")
        return Rejected(line, "not an ST,GS line")


def encode(reading: Reading) -> bytes | None:
    kind = b"NT" if reading.net else b"GS"
    if reading.state is WeightState.OVERLOAD:
        return b"OL," + kind + b",+9999999kg\r\n"
    if reading.state is WeightState.UNDERLOAD:
        return b"OL," + kind + b",-9999999kg\r\n"
    if reading.state is WeightState.ERROR or reading.grams is None:
        return None
    value = from_grams(reading.grams, "kg").quantize(Decimal("0.001"))
    header = b"ST" if reading.stable else b"US"
    sign = "-" if value < 0 else "+"
    return header + b"," + kind + f",{sign}{abs(value):08}kg\r\n".encode()


PROTOCOL = Protocol(
    name="ad",
    summary="A&D / CAS / generic 'ST,GS,+0001.234kg' lines",
    serial=SerialSettings(9600, 8, "N", 1),
    parser=AdParser,
    encode=encode,
    zero_command=b"Z\r\n",
    tare_command=b"T\r\n",
    command_end=b"\r\n",
)
