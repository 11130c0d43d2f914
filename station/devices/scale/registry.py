"""The protocols by name, as the settings and the `station scale` commands name them."""

from __future__ import annotations

from station.devices.scale import ad, mt_sics, toledo_8217, toledo_continuous, xk3190
from station.devices.scale.protocol import Protocol
from station.devices.scale.regex import regex_protocol

FIXED: dict[str, Protocol] = {
    p.name: p
    for p in (
        mt_sics.PROTOCOL,
        toledo_8217.PROTOCOL,
        toledo_continuous.PROTOCOL,
        ad.PROTOCOL,
        xk3190.A9,
        xk3190.A12,
    )
}
NAMES: tuple[str, ...] = (*FIXED, "regex")


class UnknownProtocol(ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown scale protocol {name!r}; valid names: {', '.join(NAMES)}")


def get_protocol(name: str, pattern: str | None = None) -> Protocol:
    """The protocol called `name`; `pattern` is only for `regex` (its default otherwise).

    Raises UnknownProtocol (listing the valid names) or ValueError for a bad pattern.
    """
    if name == "regex":
        return regex_protocol(pattern)
    if name not in FIXED:
        raise UnknownProtocol(name)
    return FIXED[name]
