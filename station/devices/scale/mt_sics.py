"""Mettler Toledo MT-SICS, level 0/1 (request/response).

Per the MT-SICS Reference Manual (Mettler Toledo, "Standard Interface Command
Set"): 9600 8N1, every command and reply ends in CR LF. `SI` answers at once with
`S S <weight> <unit>` (stable) or `S D ...` (dynamic); `S` answers only with a
stable weight. The weight is right-aligned in a 10-character field with its sign
inside it. `S I` = busy / no stable value in time, `S +` overload, `S -`
underload; `ES`/`ET`/`EL` are syntax, transmission and logical errors. Zero `Z`
answers `Z A`, tare `T` answers `T S <tare> <unit>`, `TAC` (clear tare) `TAC A`.
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

_WEIGHT = re.compile(rb"S ([SD]) +(-? *\d+(?:\.\d+)?) ([A-Za-z]{1,4})")
_FAULTS = {
    b"S +": WeightState.OVERLOAD,
    b"S -": WeightState.UNDERLOAD,
    b"ES": WeightState.ERROR,
    b"ET": WeightState.ERROR,
    b"EL": WeightState.ERROR,
}
_ACKS = re.compile(
    rb"Z [AIS+-]|ZI [SDI+-]|TAC [AIL]|T [SIL+-](?: +-? *\d+(?:\.\d+)? [A-Za-z]{1,4})?"
)


class MtSicsParser(LineParser):
    def parse_line(self, line: bytes, at: float) -> Event:
        match = _WEIGHT.fullmatch(line)
        if match:
            value = Decimal(match[2].replace(b" ", b"").decode())
            stable = match[1] == b"S"
            return weight_reading(
                value, match[3].decode(), stable=stable, net=False, raw=line, at=at
            )
        if line in _FAULTS:
            return fault_reading(_FAULTS[line], "", net=False, raw=line, at=at)
        if line == b"S I":
            return Reading(None, False, "", False, WeightState.OK, line, at)
        if _ACKS.fullmatch(line):
            return Ack(line, line.decode())
        return Rejected(line, "not an MT-SICS reply")


def _weight_field(reading: Reading, unit: str) -> bytes:
    value = from_grams(reading.grams or Decimal(0), unit).quantize(Decimal("0.001"))
    return f"{value:>10} {unit}".encode()


def encode(reading: Reading) -> bytes | None:
    """The reply to `SI` for this reading."""
    if reading.state is WeightState.OVERLOAD:
        return b"S +\r\n"
    if reading.state is WeightState.UNDERLOAD:
        return b"S -\r\n"
    if reading.state is WeightState.ERROR or reading.grams is None:
        return b"S I\r\n"
    flag = b"S" if reading.stable else b"D"
    return b"S " + flag + b" " + _weight_field(reading, reading.unit) + b"\r\n"


def reply(command: bytes, reading: Reading) -> bytes:
    """How a balance answers `command` while showing `reading`."""
    if command == b"SI":
        return encode(reading) or b""
    if command == b"S":
        return (encode(reading) or b"") if reading.stable else b"S I\r\n"
    if command == b"Z":
        return b"Z A\r\n"
    if command == b"T":
        return b"T S " + _weight_field(reading, reading.unit) + b"\r\n"
    if command == b"TAC":
        return b"TAC A\r\n"
    return b"ES\r\n"


PROTOCOL = Protocol(
    name="mt-sics",
    summary="Mettler Toledo MT-SICS request/response (SI, Z, T)",
    serial=SerialSettings(9600, 8, "N", 1),
    parser=MtSicsParser,
    encode=encode,
    poll=b"SI\r\n",
    zero_command=b"Z\r\n",
    tare_command=b"T\r\n",
    reply=reply,
    command_end=b"\r\n",
)
