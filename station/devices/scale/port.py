"""Opening a serial port, and saying in plain words why it would not open."""

from __future__ import annotations

import errno
import os
from dataclasses import replace

import serial

from station.devices.scale.protocol import SerialSettings

READ_TICK = 0.05
"""Longest a read blocks, so the owning thread notices commands and stop requests."""


class PortError(Exception):
    """The port could not be opened; the message says what to check."""


def open_port(path: str, settings: SerialSettings, *, dtr_rts: bool = True) -> serial.Serial:
    """Open `path` exclusively with `settings`, DTR and RTS raised when `dtr_rts`.

    Some USB-serial adapters (FTDI, CH340) keep the scale silent until DTR/RTS
    are set. Raises PortError.
    """
    if is_pseudo_terminal(path):
        settings = replace(settings, bytesize=8, parity="N")
    port = serial.Serial()
    port.port = path
    port.baudrate = settings.baud
    port.bytesize = settings.bytesize
    port.parity = settings.parity
    port.stopbits = settings.stopbits
    port.timeout = READ_TICK
    port.write_timeout = 1.0
    port.exclusive = True
    port.dtr = dtr_rts
    port.rts = dtr_rts
    try:
        port.open()
    except (serial.SerialException, OSError, ValueError) as exc:
        raise PortError(explain_open_error(path, exc)) from exc
    return port


def is_pseudo_terminal(path: str) -> bool:
    """Whether `path` leads to a Linux pseudo-terminal, such as the simulator's.

    A pty has no line settings to match and Linux refuses 7 data bits or parity
    on one (EINVAL), so such a port is opened 8N1: it carries the same bytes.
    """
    return os.path.realpath(path).startswith("/dev/pts/")


def explain_open_error(path: str, exc: BaseException) -> str:
    """What went wrong opening `path`, and what the technician can do about it."""
    code = getattr(exc, "errno", None)
    text = str(exc)
    if code == errno.ENOENT or "FileNotFoundError" in text or "cannot find" in text:
        return (
            f"{path} does not exist: is the scale's cable plugged in? "
            "List the ports with: python -m serial.tools.list_ports"
        )
    if code in (errno.EBUSY, errno.EAGAIN) or "lock" in text or "Access is denied" in text:
        return (
            f"{path} is busy: another program has it open "
            "(on Windows a COM port can be open in only one program at a time)"
        )
    if code in (errno.EACCES, errno.EPERM) or "ermission" in text:
        hint = (
            "add your user to the dialout group (sudo usermod -aG dialout $USER) and log in again"
            if os.name == "posix"
            else "check that the COM port is not in use"
        )
        return f"no permission to open {path}: {hint}"
    return f"cannot open {path}: {text}"
