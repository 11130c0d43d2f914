"""Getting a rendered job to a printer: a folder, a socket, a serial port, USB, a device file.

Every transport turns what the operating system says (refused, timed out, no
such device, disk full) into a PrinterError with a code and plain words.
Nothing is sent when a status check reports a problem, so the job can be sent
again unchanged once the packer has fixed it.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from printers import status
from printers.errors import PrinterError
from printers.files import remove_stale_parts, write_whole
from printers.jobs import LabelJob, PrintResult
from printers.system import system_printing

if TYPE_CHECKING:
    import serial

STATUS_TIMEOUT_S = 0.5
"""How long to wait for a status reply before assuming the printer does not answer them."""


class Transport(Protocol):
    def send(self, job: LabelJob) -> PrintResult: ...


class PdfFolder:
    """`pdf:DIR`: each print becomes a new file; reprints never overwrite. The
    folder is made when missing, not its parents (a mistyped path is refused). A
    file is there whole or not at all (`printers.files`): a full disk leaves no
    empty or cut-short PDF behind."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, job: LabelJob) -> PrintResult:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        stem = f"{job.suggested_name}-{stamp}"
        try:
            self.folder.mkdir(exist_ok=True)
            remove_stale_parts(self.folder)
            for n in range(1, 10_000):
                path = self.folder / (f"{stem}.pdf" if n == 1 else f"{stem}-{n}.pdf")
                if not path.exists():
                    write_whole(path, job.data)
                    return PrintResult(path)
        except OSError as exc:
            raise _os_error(exc, f"the folder {self.folder}") from exc
        raise PrinterError("io_error", f"Could not find a free file name in {self.folder}.")


class DeviceFile:
    """`...+file:///dev/usb/lp0`: write the job to a device (or ordinary) file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, job: LabelJob) -> PrintResult:
        try:
            with open(self.path, "wb") as out:
                out.write(job.data)
        except OSError as exc:
            raise _os_error(exc, f"the printer {self.path}") from exc
        return PrintResult()


class Tcp:
    """`...+tcp://HOST:9100`: raw socket printing, with a status check first."""

    def __init__(self, host: str, port: int, language: str, timeout_s: float = 5.0) -> None:
        self.host, self.port, self.language, self.timeout_s = host, port, language, timeout_s
        self.answers_status = True

    @property
    def where(self) -> str:
        return f"The printer at {self.host}:{self.port}"

    def send(self, job: LabelJob) -> PrintResult:
        try:
            with socket.create_connection((self.host, self.port), self.timeout_s) as sock:
                if self.answers_status:
                    problem = status.check(self.language, lambda q: self._exchange(sock, q))
                    if problem:
                        raise problem.error(self.where)
                sock.settimeout(self.timeout_s)
                sock.sendall(job.data)
                sock.shutdown(socket.SHUT_WR)
        except PrinterError:
            raise
        except ConnectionRefusedError as exc:
            raise PrinterError(
                "refused",
                f"{self.where} refused the connection. Check that the printer is switched on "
                "and that the address and port are right, then print again.",
            ) from exc
        except TimeoutError as exc:
            raise PrinterError(
                "timeout",
                f"{self.where} did not answer within {self.timeout_s:g} s. Check its power and "
                "network cable, then print again.",
            ) from exc
        except socket.gaierror as exc:
            raise PrinterError(
                "not_found",
                f"No printer called {self.host!r} was found on the network. Check the printer "
                "address in the settings.",
            ) from exc
        except OSError as exc:
            raise PrinterError(
                "offline",
                f"{self.where} cannot be reached ({exc.strerror or exc}). Check its power and "
                "network cable, then print again.",
            ) from exc
        return PrintResult()

    def _exchange(self, sock: socket.socket, query: bytes) -> int | None:
        """One status byte; a printer that stays silent is not asked again."""
        sock.settimeout(STATUS_TIMEOUT_S)
        sock.sendall(query)
        try:
            reply = sock.recv(1)
        except TimeoutError:
            reply = b""
        if not reply:
            self.answers_status = False
            return None
        return reply[0]


class Serial:
    """`...+serial:///dev/ttyUSB0?baud=19200`, with a status check first."""

    def __init__(self, port: str, baud: int, language: str, timeout_s: float = 30.0) -> None:
        self.port, self.baud, self.language, self.timeout_s = port, baud, language, timeout_s

    def send(self, job: LabelJob) -> PrintResult:
        import serial

        where = f"The printer on {self.port}"
        try:
            link = serial.Serial(
                self.port, self.baud, timeout=STATUS_TIMEOUT_S, write_timeout=self.timeout_s
            )
        except serial.SerialException as exc:
            raise PrinterError(
                "not_found",
                f"{where} cannot be opened ({exc}). Check that it is plugged in and that no "
                "other program is using the port.",
            ) from exc
        try:
            problem = status.check(self.language, lambda q: _serial_exchange(link, q))
            if problem:
                raise problem.error(where)
            link.write(job.data)
            link.flush()
        except serial.SerialTimeoutException as exc:
            raise PrinterError(
                "timeout",
                f"{where} stopped accepting data. Check that it is on and has paper, then "
                "print again.",
            ) from exc
        except serial.SerialException as exc:
            raise PrinterError("offline", f"{where} went away while printing ({exc}).") from exc
        finally:
            link.close()
        return PrintResult()


def _serial_exchange(link: serial.Serial, query: bytes) -> int | None:
    link.reset_input_buffer()
    link.write(query)
    reply = link.read(1)
    return reply[0] if reply else None


class Usb:
    """`...+usb://VID:PID`: through python-escpos's USB driver (needs pyusb)."""

    def __init__(self, vendor: int, product: int, backend: object | None = None) -> None:
        """`backend`: a pyusb backend; None lets pyusb find libusb (tests pass a fake)."""
        self.vendor, self.product = vendor, product
        self.backend = backend

    def send(self, job: LabelJob) -> PrintResult:
        where = f"The USB printer {self.vendor:04x}:{self.product:04x}"
        try:
            from escpos.printer import Usb as EscposUsb

            if not EscposUsb.is_usable():
                raise ImportError("pyusb")
        except ImportError as exc:
            raise PrinterError(
                "unsupported",
                "USB printing needs the pyusb package, which is not installed. On Linux, "
                "use escpos+file:///dev/usb/lp0 instead.",
            ) from exc
        from usb.core import NoBackendError

        try:
            usb_args = {} if self.backend is None else {"backend": self.backend}
            printer = EscposUsb(self.vendor, self.product, usb_args=usb_args)
            printer.open(raise_not_found=True)
            try:
                printer._raw(job.data)
            finally:
                printer.close()
        except NoBackendError as exc:
            raise PrinterError(
                "unsupported",
                "USB printing needs the libusb library: install libusb-1.0-0 (Linux) or the "
                "libusb DLL (Windows), or use escpos+file:///dev/usb/lp0 on Linux.",
            ) from exc
        except Exception as exc:  # pyusb raises its own USBError and escpos DeviceNotFoundError
            raise PrinterError(
                "offline",
                f"{where} cannot be used ({exc}). Check that it is plugged in and switched "
                "on, then print again.",
            ) from exc
        return PrintResult()


class System:
    """`system:NAME`: an installed OS printer, through the desktop app's print service."""

    def __init__(self, name: str) -> None:
        self.name = name

    def send(self, job: LabelJob) -> PrintResult:
        system_printing().print_pdf(self.name, job.data, job.suggested_name)
        return PrintResult()


def _os_error(exc: OSError, what: str) -> PrinterError:
    if exc.errno == errno.ENOSPC:
        return PrinterError(
            "disk_full",
            f"The disk holding {what} is full: no label file was written. Free some space.",
        )
    if isinstance(exc, PermissionError):
        return PrinterError(
            "permission", f"This program may not write to {what}. Check its permissions."
        )
    if isinstance(exc, FileNotFoundError):
        return PrinterError(
            "not_found", f"{what[0].upper()}{what[1:]} does not exist. Check the printer setting."
        )
    if exc.errno in (errno.EIO, errno.ENODEV, errno.ENXIO, errno.EBUSY):
        return PrinterError(
            "offline",
            f"{what[0].upper()}{what[1:]} is not ready ({os.strerror(exc.errno)}). "
            "Check that the printer is plugged in and switched on.",
        )
    return PrinterError("io_error", f"Could not write to {what}: {exc}.")


def safe_name(text: str) -> str:
    """A string made safe for a file name (tracking numbers are, this is belt and braces)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text)[:80] or "label"
