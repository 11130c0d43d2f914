"""Finding which protocol and baud rate a scale on a port speaks."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from station.devices.scale.port import open_port
from station.devices.scale.protocol import Protocol, Rejected, SerialSettings
from station.devices.scale.registry import FIXED

COMMON_BAUDS = (9600, 4800, 2400, 1200, 19200)


@dataclass(frozen=True)
class Detection:
    protocol: Protocol
    settings: SerialSettings
    frames: int
    rejected: int


def detect(
    path: str, bauds: tuple[int, ...] = COMMON_BAUDS, listen: float = 0.6
) -> list[Detection]:
    """The protocols that answer on `path`, at the first baud rate where any does.

    Best match first. Raises PortError when the port will not open.
    """
    for baud in bauds:
        found = [d for settings, group in _tries(baud) for d in _try(path, settings, group, listen)]
        if found:
            return sorted(found, key=lambda d: (d.rejected, -d.frames))
    return []


def _tries(baud: int) -> list[tuple[SerialSettings, list[Protocol]]]:
    """Streaming protocols that share port settings share one listen; each
    request/response protocol gets a try of its own."""
    streaming: dict[SerialSettings, list[Protocol]] = {}
    tries: list[tuple[SerialSettings, list[Protocol]]] = []
    for protocol in FIXED.values():
        settings = replace(protocol.serial, baud=baud)
        if protocol.poll is None:
            streaming.setdefault(settings, []).append(protocol)
        else:
            tries.append((settings, [protocol]))
    return [*streaming.items(), *tries]


def _try(
    path: str, settings: SerialSettings, protocols: list[Protocol], listen: float
) -> list[Detection]:
    """Listen for `listen` seconds (after sending any request) and parse what came."""
    port = open_port(path, settings)
    try:
        port.reset_input_buffer()
        for protocol in protocols:
            if protocol.poll:
                port.write(protocol.poll)
        data = b""
        deadline = time.monotonic() + listen
        while time.monotonic() < deadline:
            data += port.read(max(1, port.in_waiting))
    finally:
        port.close()
    found = []
    for protocol in protocols:
        events = protocol.parser().feed(data)
        frames = sum(not isinstance(e, Rejected) for e in events)
        if frames:
            found.append(Detection(protocol, settings, frames, len(events) - frames))
    return found
