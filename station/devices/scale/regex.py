"""A protocol built from a user-supplied regular expression, for anything else.

Each line (ended by CR, LF or both) must match the pattern in full. Named groups:
`weight` (required for a weight: digits with optional sign, spaces and point),
`unit` (else `unit`, default g), `stable` (present in the pattern: stable only
when it matched; absent: stability is inferred), `net` (net when it matched),
`overload` / `underload` (that state when they matched). A line that matches
with neither a weight nor an overload/underload group is rejected.

The simulator speaks the default pattern's format: `ST,+12.345 kg`, `US,...`,
`OL,`.

The pattern runs with RE2 (linear time, like the carriers' waybill patterns): a
technician's pattern such as `(\\d+)+X` cannot stall the scale's thread on an
80-byte line. Back-references and look-arounds are refused.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import re2

from station.core.reading import Reading, WeightState
from station.devices.scale.protocol import (
    Event,
    LineParser,
    Protocol,
    Rejected,
    SerialSettings,
    fault_reading,
    weight_reading,
)
from station.devices.scale.units import from_grams

DEFAULT_PATTERN = (
    r"(?:(?P<stable>ST)|US|(?P<overload>OL)),"
    r"(?:(?P<weight>[+-]?\d+(?:\.\d+)?) ?(?P<unit>kg|g|lb|oz))?"
)


class RegexParser(LineParser):
    def __init__(self, pattern: re2._Regexp, unit: str) -> None:
        super().__init__()
        self._pattern = pattern
        self._unit = unit
        self._has_stable = "stable" in pattern.groupindex

    def parse_line(self, line: bytes, at: float) -> Event:
        match = self._pattern.fullmatch(line.decode("latin-1"))
        if not match:
            return Rejected(line, "does not match the pattern")
        found = {k: v for k, v in match.groupdict().items() if v is not None}
        unit = found.get("unit", self._unit).strip()
        net = "net" in found
        for state in (WeightState.OVERLOAD, WeightState.UNDERLOAD):
            if state.value in found:
                return fault_reading(state, unit, net=net, raw=line, at=at)
        try:
            value = Decimal(found.get("weight", "").replace(" ", ""))
        except InvalidOperation:
            return Rejected(line, "no number in the weight group")
        if not value.is_finite():
            return Rejected(line, "no number in the weight group")
        stable = self._has_stable and "stable" in found
        return weight_reading(value, unit, stable=stable, net=net, raw=line, at=at)


def encode(reading: Reading) -> bytes | None:
    """A line in the default pattern's format."""
    if reading.state is WeightState.OVERLOAD:
        return b"OL,\r\n"
    if reading.state is not WeightState.OK or reading.grams is None:
        return None
    value = from_grams(reading.grams, "kg").quantize(Decimal("0.001"))
    header = "ST" if reading.stable else "US"
    return f"{header},{value:+} kg\r\n".encode()


def regex_protocol(pattern: str | None = None, unit: str = "g") -> Protocol:
    """A protocol for lines matching `pattern` (see the module docstring).

    Raises ValueError when the pattern does not compile or lacks a `weight` group.
    """
    options = re2.Options()
    options.log_errors = False
    try:
        compiled = re2.compile(pattern or DEFAULT_PATTERN, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise ValueError(
            f"the pattern does not compile: {reason} "
            "(back-references and look-arounds are not supported)"
        ) from None
    if "weight" not in compiled.groupindex:
        raise ValueError("the pattern needs a named group (?P<weight>...)")
    return Protocol(
        name="regex",
        summary="any line format, from a pattern with named groups",
        serial=SerialSettings(9600, 8, "N", 1),
        parser=lambda: RegexParser(compiled, unit),
        encode=encode,
        reports_stability="stable" in compiled.groupindex,
    )
