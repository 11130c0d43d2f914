"""The scale driver: one thread owns the port, reads frames and reports them.

Callbacks run on the driver's thread; the UI layer marshals them to its own
thread. The link state goes CONNECTING -> CONNECTED on the first well-formed
frame; SILENT when nothing at all came for `silence_timeout`, BAD_DATA when only
unreadable bytes did; DISCONNECTED when the port
will not open or vanishes, after which the driver retries by itself with
exponential backoff and stays DISCONNECTED until a frame arrives again.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import serial

from station.core.reading import Reading, ScaleLink
from station.devices.scale.port import PortError, open_port
from station.devices.scale.protocol import Event, Parser, Protocol, Rejected
from station.devices.scale.stability import StabilityFilter, StabilityRule

log = logging.getLogger("station.scale")

Clock = Callable[[], float]


class UnsupportedCommand(Exception):
    """The protocol has no such command (see `supports_zero` / `supports_tare`)."""


class ScaleDriver:
    """Reads a scale on `port` with `protocol`, in a thread of its own."""

    def __init__(
        self,
        port: str,
        protocol: Protocol,
        *,
        on_reading: Callable[[Reading], None],
        on_link: Callable[[ScaleLink, str], None],
        baud: int | None = None,
        dtr_rts: bool = True,
        stability: StabilityRule | None = None,
        silence_timeout: float = 2.0,
        poll_interval: float = 0.1,
        reply_timeout: float = 0.5,
        backoff: tuple[float, float] = (0.1, 3.0),
        clock: Clock = time.monotonic,
    ) -> None:
        self.port = port
        self.protocol = protocol
        self.settings = replace(protocol.serial, baud=baud or protocol.serial.baud)
        self._on_reading = on_reading
        self._on_link = on_link
        self._dtr_rts = dtr_rts
        self._stability = None if protocol.reports_stability else StabilityFilter(stability)
        self._silence_timeout = silence_timeout
        self._poll_interval = poll_interval
        self._reply_timeout = reply_timeout
        self._backoff = backoff
        self._clock = clock
        self._commands: queue.SimpleQueue[bytes] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.link: ScaleLink | None = None

    @property
    def supports_zero(self) -> bool:
        return self.protocol.supports_zero

    @property
    def supports_tare(self) -> bool:
        return self.protocol.supports_tare

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"scale {self.port}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Ask the thread to close the port and end; wait up to `timeout` seconds."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def zero(self) -> None:
        """Queue the zero command for the port's thread. Raises UnsupportedCommand."""
        self._queue(self.protocol.zero_command, "zero")

    def tare(self) -> None:
        """Queue the tare command for the port's thread. Raises UnsupportedCommand."""
        self._queue(self.protocol.tare_command, "tare")

    def _queue(self, command: bytes | None, what: str) -> None:
        if command is None:
            raise UnsupportedCommand(f"the {self.protocol.name} protocol cannot {what}")
        self._commands.put(command)

    def _run(self) -> None:
        delay = self._backoff[0]
        self._report(ScaleLink.CONNECTING, f"opening {self.port} at {self.settings.describe()}")
        while not self._stop.is_set():
            try:
                port = open_port(self.port, self.settings, dtr_rts=self._dtr_rts)
            except PortError as exc:
                self._report(ScaleLink.DISCONNECTED, str(exc))
            else:
                try:
                    if self._serve(port):
                        delay = self._backoff[0]
                except (serial.SerialException, OSError) as exc:
                    self._report(ScaleLink.DISCONNECTED, f"lost {self.port}: {exc}")
                finally:
                    port.close()
            self._stop.wait(delay)
            delay = min(delay * 2, self._backoff[1])

    def _serve(self, port: serial.Serial) -> bool:
        """Read until stopped or the port fails; True if a well-formed frame came."""
        port.reset_input_buffer()
        self._discard_commands()
        if self._stability is not None:
            self._stability.reset()
        session = _Session(self.protocol.parser(), self._clock())
        while not self._stop.is_set():
            self._send_commands(port)
            self._poll(port, session)
            data = port.read(1)
            if data and port.in_waiting:
                data += port.read(port.in_waiting)
            now = self._clock()
            if data:
                self._handle(session.parser.feed(data, now), session, now)
            self._check_silence(session, now)
        return session.had_frames

    def _poll(self, port: serial.Serial, session: _Session) -> None:
        if self.protocol.poll is None:
            return
        now = self._clock()
        waited = now - session.polled_at
        if waited >= self._reply_timeout or (
            not session.awaiting and waited >= self._poll_interval
        ):
            port.write(self.protocol.poll)
            session.polled_at = now
            session.awaiting = True

    def _handle(self, events: list[Event], session: _Session, now: float) -> None:
        if events:
            session.awaiting = False
        frames = [e for e in events if not isinstance(e, Rejected)]
        if not frames:
            session.last_garbage = now
            return
        session.last_frame = now
        session.had_frames = True
        self._report(ScaleLink.CONNECTED, f"{self.protocol.name} on {self.port}")
        for frame in frames:
            if isinstance(frame, Reading):
                self._deliver(frame)

    def _check_silence(self, session: _Session, now: float) -> None:
        if now - session.last_frame < self._silence_timeout:
            return
        seconds = f"{self._silence_timeout:g} s"
        if now - session.last_garbage < self._silence_timeout:
            self._report(
                ScaleLink.BAD_DATA,
                f"only unreadable data for {seconds}: check the protocol and baud rate "
                f"({self.protocol.name}, {self.settings.describe()})",
            )
        else:
            self._report(ScaleLink.SILENT, f"no data for {seconds}: is the scale on?")

    def _deliver(self, reading: Reading) -> None:
        if self._stability is not None:
            reading = self._stability.apply(reading)
        try:
            self._on_reading(reading)
        except Exception:
            log.exception("scale reading callback failed")

    def _report(self, link: ScaleLink, message: str) -> None:
        if link is self.link:
            return
        self.link = link
        log.info("scale %s: %s", link.value, message)
        try:
            self._on_link(link, message)
        except Exception:
            log.exception("scale link callback failed")

    def _send_commands(self, port: serial.Serial) -> None:
        while not self._commands.empty():
            port.write(self._commands.get_nowait())

    def _discard_commands(self) -> None:
        """Drop commands queued while the port was down: a late zero would surprise."""
        while not self._commands.empty():
            self._commands.get_nowait()


@dataclass
class _Session:
    """What the driver tracks while one opened port lasts."""

    parser: Parser
    last_frame: float
    polled_at: float = float("-inf")
    awaiting: bool = False
    last_garbage: float = float("-inf")
    had_frames: bool = False
