"""A simulated scale on a pseudo-terminal, so a bench can be tried with no scale.

`ScaleSimulator` opens a pty, puts a symlink to its device at `port_path` (a
stable path in a temporary folder) and speaks a protocol on it from a thread of
its own: streaming protocols send 15 frames/s, request/response ones answer
requests. `unplug()` closes the pty, so a driver sees its port vanish;
`replug()` makes a new pty and points the same symlink at it.
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import select
import shutil
import tempfile
import threading
import time
import tty
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from itertools import cycle

from station.core.reading import Reading, WeightState
from station.devices.scale.protocol import Protocol
from station.devices.scale.registry import get_protocol
from station.devices.scale.units import to_grams

WOBBLE_GRAMS = (37, -23, 11, -41, 29, -7)
"""Offsets a wobbling load swings through: wider than any sensible stability band."""


class ScaleSimulator:
    """Speaks `protocol` on a pty at `port_path`, showing `grams` on the pan."""

    def __init__(
        self, protocol: Protocol | str, grams: Decimal | int | str = 0, *, rate: float = 15.0
    ) -> None:
        self.protocol = get_protocol(protocol) if isinstance(protocol, str) else protocol
        self._interval = 1 / rate
        self._lock = threading.Lock()
        self._load = Decimal(grams)
        self._zero = Decimal(0)
        self._tare: Decimal | None = None
        self._unstable = False
        self._state = WeightState.OK
        self._silent = False
        self._garbage = False
        self._wobble = cycle(WOBBLE_GRAMS)
        self._folder = tempfile.mkdtemp(prefix="station-scale-")
        self.port_path = os.path.join(self._folder, "scale")
        self._master: int | None = None
        self._slave: int | None = None
        self._pending = b""
        self._calls: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._wake_r, self._wake_w = os.pipe()
        self._closing = False
        self._plug()
        self._thread = threading.Thread(target=self._run, name="scale simulator", daemon=True)
        self._thread.start()

    def __enter__(self) -> ScaleSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # What the technician changes.

    def set_grams(self, grams: Decimal | int | str) -> None:
        """Put a load of `grams` on the pan (negative: less than when zeroed)."""
        with self._lock:
            self._load = Decimal(grams)
            self._state = WeightState.OK

    def set_unstable(self, unstable: bool = True) -> None:
        """Make the load wobble (in motion) or settle."""
        with self._lock:
            self._unstable = unstable

    def set_state(self, state: WeightState) -> None:
        """Show overload, underload or error instead of a weight; OK to go back."""
        with self._lock:
            self._state = state

    def set_overload(self) -> None:
        self.set_state(WeightState.OVERLOAD)

    def set_silent(self, silent: bool = True) -> None:
        """Stop (or resume) sending anything, as a scale switched off at the mains."""
        with self._lock:
            self._silent = silent

    def set_garbage(self, garbage: bool = True) -> None:
        """Send noise instead of frames, as a scale at the wrong baud rate would."""
        with self._lock:
            self._garbage = garbage

    def press_zero(self) -> None:
        """The indicator's zero key: the load now reads 0."""
        with self._lock:
            self._zero, self._tare = self._load, None

    def press_tare(self) -> None:
        """The indicator's tare key: the load becomes the tare, readings go net."""
        with self._lock:
            self._tare = self._load - self._zero

    def clear_tare(self) -> None:
        with self._lock:
            self._tare = None

    def unplug(self) -> None:
        """Close the pty and remove the port path, as pulling the USB cable does."""
        self._call(self._unplug)

    def replug(self) -> None:
        """A new pty behind the same `port_path`."""
        self._call(self._plug)

    def close(self) -> None:
        if self._closing:
            return
        self._call(self._unplug)
        self._closing = True
        os.write(self._wake_w, b"x")
        self._thread.join(2)
        os.close(self._wake_r)
        os.close(self._wake_w)
        shutil.rmtree(self._folder, ignore_errors=True)

    def reading(self) -> Reading:
        """What the indicator shows right now, in the protocol's unit."""
        with self._lock:
            shown = self._load - self._zero
            if self._unstable:
                shown += next(self._wobble)
            if self._tare is not None:
                shown -= self._tare
            return Reading(
                shown, not self._unstable, self.protocol.unit, self._tare is not None, self._state
            )

    # The thread that owns the pty.

    def _call(self, fn: Callable[[], None]) -> None:
        """Run `fn` on the simulator's thread and wait for it."""
        done = threading.Event()

        def run() -> None:
            try:
                fn()
            finally:
                done.set()

        self._calls.put(run)
        os.write(self._wake_w, b"x")
        done.wait(2)

    def _run(self) -> None:
        next_frame = time.monotonic()
        streams = self.protocol.poll is None
        while not self._closing:
            while not self._calls.empty():
                self._calls.get_nowait()()
            watch = [self._wake_r] if self._master is None else [self._wake_r, self._master]
            wait = max(0.0, next_frame - time.monotonic()) if streams else None
            ready, _, _ = select.select(watch, [], [], wait)
            if self._wake_r in ready:
                os.read(self._wake_r, 512)
            if self._master is not None and self._master in ready:
                self._receive()
            now = time.monotonic()
            if streams and now >= next_frame:
                self._send(self.protocol.encode(self.reading()))
                next_frame = max(next_frame + self._interval, now)

    def _receive(self) -> None:
        master = self._master
        if master is None:
            return
        try:
            data = os.read(master, 1024)
        except OSError:
            return
        for command in self._commands(data):
            self._answer(command)

    def _commands(self, data: bytes) -> list[bytes]:
        end = self.protocol.command_end
        if not end:
            return [bytes([b]) for b in data]
        parts = re.split(rb"[\r\n]+", self._pending + data)
        self._pending = parts.pop()
        return [p for p in parts if p]

    def _answer(self, command: bytes) -> None:
        reading = self.reading()
        if self.protocol.reply is not None:
            self._send(self.protocol.reply(command, reading))
        if command == _strip(self.protocol.zero_command):
            self.press_zero()
        elif command == _strip(self.protocol.tare_command):
            self.press_tare()

    def _send(self, frame: bytes | None) -> None:
        with self._lock:
            silent, garbage = self._silent, self._garbage
        if not frame or silent or self._master is None:
            return
        if garbage:
            frame = bytes(b ^ 0x55 for b in frame)
        with contextlib.suppress(BlockingIOError, OSError):
            os.write(self._master, frame)

    def _plug(self) -> None:
        self._unplug()
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        link = self.port_path + ".new"
        os.symlink(os.ttyname(self._slave), link)
        os.replace(link, self.port_path)

    def _unplug(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.port_path)
        for fd in (self._master, self._slave):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None
        self._pending = b""


def _strip(command: bytes | None) -> bytes | None:
    return None if command is None else command.rstrip(b"\r\n")


COMMANDS_HELP = """\
commands on stdin, one per line:
  <number>[unit]  put that weight on the pan (grams unless a unit: 1.25kg, 3lb)
  wobble | steady the load moves / settles
  over | under    the indicator shows overload / underload
  ok              back to showing the weight
  zero | tare     press the indicator's zero / tare key; clear: clear the tare
  silent | talk   stop / resume sending anything
  noise | clean   send noise instead of frames / send frames again
  off | on        unplug / replug the cable (same port path)
  quit            stop the simulator"""

_WEIGHT = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*([a-z]*)")


def run_command(sim: ScaleSimulator, line: str) -> str:
    """Apply one line typed at the simulator; returns what to tell the technician."""
    word = line.strip().lower()
    actions: dict[str, Callable[[], None]] = {
        "wobble": lambda: sim.set_unstable(True),
        "steady": lambda: sim.set_unstable(False),
        "over": sim.set_overload,
        "under": lambda: sim.set_state(WeightState.UNDERLOAD),
        "ok": lambda: sim.set_state(WeightState.OK),
        "zero": sim.press_zero,
        "tare": sim.press_tare,
        "clear": sim.clear_tare,
        "silent": lambda: sim.set_silent(True),
        "talk": lambda: sim.set_silent(False),
        "noise": lambda: sim.set_garbage(True),
        "clean": lambda: sim.set_garbage(False),
        "off": sim.unplug,
        "on": sim.replug,
    }
    if word in actions:
        actions[word]()
        return word
    match = _WEIGHT.fullmatch(word)
    grams = None
    if match:
        with contextlib.suppress(InvalidOperation):
            grams = to_grams(Decimal(match[1]), match[2] or "g")
    if grams is None:
        return f"not understood: {line.strip()!r}\n{COMMANDS_HELP}"
    sim.set_grams(grams)
    return f"{grams} g on the pan"
