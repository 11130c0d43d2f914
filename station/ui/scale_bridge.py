"""The scale, seen from the GUI thread.

The scale driver calls `on_reading` / `on_link` on its own thread; the bridge
re-emits them as signals of an object living on the GUI thread, so Qt queues
them there, and only then hands them to the (single-threaded) bench.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from station.bench import Bench
from station.core.reading import Reading, ScaleLink
from station.devices.scale.driver import ScaleDriver
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


def start_scale(settings: Settings, bridge: ScaleBridge, simulate: bool) -> ScaleSetup | None:
    """Start the scale the settings name (or a simulated one); None when there is none."""
    protocol = get_protocol(settings["scale.protocol"])
    simulator = None
    if simulate:
        simulator = ScaleSimulator(protocol, 0)
        port = simulator.port_path
    else:
        port = settings["scale.port"]
        if not port:
            log.info("no scale configured (scale.port is empty)")
            return None
    driver = ScaleDriver(
        port,
        protocol,
        on_reading=bridge.on_reading,
        on_link=bridge.on_link,
        baud=settings["scale.baud"] or None,
    )
    driver.start()
    return ScaleSetup(driver, simulator)
