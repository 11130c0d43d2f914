"""The scale, seen from the GUI thread.

The scale driver calls `on_reading` / `on_link` on its own thread; the bridge
re-emits them as signals of an object living on the GUI thread, so Qt queues
them there, and only then hands them to the (single-threaded) bench.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from station.bench import Bench
from station.core.reading import Reading, ScaleLink
from station.devices.scale.driver import ScaleDriver
from station.devices.scale.protocol import Protocol
from station.devices.scale.registry import get_protocol
from station.devices.scale.simulator import ScaleSimulator
from station.settings import Settings

log = logging.getLogger("station.ui.scale")


class ScaleBridge(QObject):
    """Driver callbacks in, bench calls out, on the thread that made the bridge."""

    reading_arrived = Signal(object)
    link_changed = Signal(object, str)

    def __init__(self, bench: Bench, parent: QObject | None = None):
        super().__init__(parent)
        self.bench = bench
        self.detail = ""
        self.reading_arrived.connect(self._deliver_reading)
        self.link_changed.connect(self._deliver_link)

    def on_reading(self, reading: Reading) -> None:
        """Driver-thread callback."""
        self.reading_arrived.emit(reading)

    def on_link(self, link: ScaleLink, detail: str) -> None:
        """Driver-thread callback."""
        self.link_changed.emit(link, detail)

    def _deliver_reading(self, reading: Reading) -> None:
        self.bench.reading(reading)

    def _deliver_link(self, link: ScaleLink, detail: str) -> None:
        self.detail = detail
        self.bench.scale_link(link, detail)


@dataclass
class ScaleSetup:
    """The running scale: its driver, and the simulator behind it in demo mode."""

    driver: ScaleDriver
    simulator: ScaleSimulator | None = None

    def stop(self) -> None:
        self.driver.stop()
        if self.simulator is not None:
            self.simulator.close()


def configured_protocol(settings: Settings) -> Protocol:
    """The protocol the settings name, with their regex pattern and parity.

    Raises ValueError (UnknownProtocol, or a regex pattern that will not do).
    """
    protocol = get_protocol(settings["scale.protocol"], settings["scale.pattern"] or None)
    if settings["scale.parity"]:
        protocol = replace(
            protocol, serial=replace(protocol.serial, parity=settings["scale.parity"])
        )
    return protocol


def make_driver(
    settings: Settings,
    port: str,
    on_reading: Callable[[Reading], None],
    on_link: Callable[[ScaleLink, str], None],
) -> ScaleDriver:
    """A driver (not started) for `port` with everything else from the settings."""
    return ScaleDriver(
        port,
        configured_protocol(settings),
        on_reading=on_reading,
        on_link=on_link,
        baud=settings["scale.baud"] or None,
        dtr_rts=settings["scale.dtr_rts"],
    )


def start_scale(settings: Settings, bridge: ScaleBridge, simulate: bool) -> ScaleSetup | None:
    """Start the scale the settings name (or a simulated one); None when there is none."""
    simulator = None
    if simulate:
        simulator = ScaleSimulator(configured_protocol(settings), 0)
        port = simulator.port_path
    else:
        port = settings["scale.port"]
        if not port:
            log.info("no scale configured (scale.port is empty)")
            return None
    driver = make_driver(settings, port, bridge.on_reading, bridge.on_link)
    driver.start()
    return ScaleSetup(driver, simulator)


class ScaleKeeper(QObject):
    """The app's running scale, which the scale settings dialog borrows and restarts.

    `changed(ScaleSetup | None)` follows every (re)start, for zero/tare and the demo panel.
    """

    changed = Signal(object)

    def __init__(self, bridge: ScaleBridge, simulate: bool):
        super().__init__()
        self.bridge = bridge
        self.simulate = simulate
        self.setup: ScaleSetup | None = None

    def start(self, settings: Settings) -> None:
        self.setup = start_scale(settings, self.bridge, self.simulate)
        if self.setup is None:
            self.bridge.on_link(ScaleLink.NOT_SET, "scale.port is empty")
        self.changed.emit(self.setup)

    def stop(self) -> None:
        if self.setup is not None:
            self.setup.stop()

    def held_port(self) -> str | None:
        return None if self.setup is None else self.setup.driver.port

    def release_scale(self) -> None:
        """Stop the driver so a settings dialog can open its port (a simulator stays up)."""
        if self.setup is not None:
            self.setup.driver.stop()

    def restart_scale(self, settings: Settings) -> None:
        """Start anew from `settings`; a simulated scale gets a new simulator."""
        self.stop()
        self.start(settings)
