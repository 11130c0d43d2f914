"""What a scale says, in the program's own terms.

Weights travel as exact `Decimal` grams, never floats: `12.345 kg` is
`Decimal("12345")` g and `125.40 g` is `Decimal("125.40")` g. A `Reading` only
ever comes from a well-formed frame; everything else (bad checksum, noise, a
silent or vanished port) is a `ScaleLink` status instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


class WeightState(StrEnum):
    """What a well-formed frame says about the weight it carries."""

    OK = "ok"
    OVERLOAD = "overload"
    UNDERLOAD = "underload"
    ERROR = "error"


class ScaleLink(StrEnum):
    """The state of the connection to the scale, as the bench shows it."""

    CONNECTING = "connecting"
    CONNECTED = "connected"
    SILENT = "silent"
    BAD_DATA = "bad_data"
    DISCONNECTED = "disconnected"
    NOT_SET = "not_set"
    """No scale is configured (scale.port is empty): nothing is being connected to."""


@dataclass(frozen=True, slots=True)
class Reading:
    """One weight as a scale reported it.

    `grams` is None when `state` is not OK (an overload frame carries no weight).
    `at` is a `time.monotonic()` timestamp taken when the frame's last byte arrived.
    """

    grams: Decimal | None
    stable: bool
    unit: str = "g"
    net: bool = False
    state: WeightState = WeightState.OK
    raw: bytes = b""
    at: float = field(default=0.0, compare=False)

    @property
    def whole_grams(self) -> int | None:
        """The weight rounded half-up to whole grams, as shipments record it."""
        if self.grams is None:
            return None
        return int(self.grams.quantize(Decimal(1), rounding="ROUND_HALF_UP"))
