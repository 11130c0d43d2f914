"""The WeChat Shop print component (微信小店打印组件) as a printer: `wxprint://127.0.0.1:12705`.

WeChat Shop e-waybills are printed by WeChat's own program on the packing PC,
from the `print_info` the platform returns (print/get or order/create); we never
draw those labels ourselves. The component listens on ws://127.0.0.1:12705 and
answers JSON commands one for one, matched by `requestID`:

- getPrinterList -> {"printerList": [{"name", "displayName", "status"}]}
- getAppInfo     -> {"appInfo": {"version"}}
- preview / print (version "2.0") with a taskList of {taskID, printInfo,
  printNum: {curNum, sumNum}} and the chosen `printer` (its `name`)
  -> {"taskList": [{"taskID", "success", "failureReason"}]}

Contract: https://developers.weixin.qq.com/doc/store/shop/guide/logistics/ewaybill
(通信机制), .../doc/store/API/ewaybill/get_printer_list.html,
.../doc/channels/API/ewaybill/get_printer_version.html,
.../doc/channels/API/ewaybill/preview_order.html and
.../doc/store/API/ewaybill/print_order.html ("若出现面单裁切或面单大小非130*76，则必须在
size中传入面单大小": other sizes go with `size` in mm, as template/config gives them).
The shape of the print answer's taskList is the one WeChat's print component
returns to the npm client wx-channel-shop-printer.

After a successful print the caller reports it to WeChat (order/print); that is
the waybill provider's job, not the printer's.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
from websockets.sync.client import ClientConnection, connect

from printers.errors import PrinterError
from printers.jobs import LabelJob, PrintResult

DEFAULT_PORT = 12705
STANDARD_SIZE_MM = (76, 130)
"""The size the component prints without being told (print_order.html)."""


@dataclass(frozen=True)
class ComponentPrinter:
    """A printer as the component lists it; `name` is what `print` takes."""

    name: str
    display_name: str
    status: int | None = None


class WxPrint:
    """A transport sending `print_info` to the print component, for one printer.

    `printer` is the printer's `name` or `displayName` in the component's list
    (empty: the component's default printer). `size_mm` is the label's size,
    sent when it is not the standard 76x130.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        printer: str = "",
        timeout_s: float = 15.0,
        size_mm: tuple[float, float] = STANDARD_SIZE_MM,
    ) -> None:
        self.host, self.port, self.printer = host, port, printer
        self.timeout_s = timeout_s
        self.size_mm = size_mm

    @property
    def where(self) -> str:
        return f"the WeChat Shop print component at {self.host}:{self.port}"

    def send(self, job: LabelJob) -> PrintResult:
        print_info = job.data.decode("utf-8")
        with self._session() as session:
            name = self._printer_name(session) if self.printer else ""
            command = self._tasks_command(print_info, name, job.parcel)
            results = session.request("print", command)
        self._check_tasks(results, "print")
        return PrintResult()

    def printers(self) -> list[ComponentPrinter]:
        """The printers the component can print to (getPrinterList)."""
        with self._session() as session:
            return _printer_list(session.request("getPrinterList", {}))

    def version(self) -> str:
        """The component's version (getAppInfo), e.g. '1.3.4'."""
        with self._session() as session:
            answer = session.request("getAppInfo", {})
        info = answer.get("appInfo")
        return str(info.get("version", "")) if isinstance(info, dict) else ""

    def check(self) -> str:
        """Whether the component answers and knows the printer, without printing: a
        sentence for the technician, or PrinterError."""
        with self._session() as session:
            info = session.request("getAppInfo", {}).get("appInfo")
            version = str(info.get("version", "")) if isinstance(info, dict) else ""
            printer = self._printer_name(session) if self.printer else ""
        where = f"on printer {printer}" if printer else "on its default printer"
        return f"The WeChat Shop print component {version} answers and will print {where}."

    def preview(self, print_info: str) -> None:
        """Ask the component to show the label on the PC's screen (preview)."""
        with self._session() as session:
            results = session.request("preview", self._tasks_command(print_info, ""))
        self._check_tasks(results, "preview")

    def _session(self) -> _Session:
        return _Session(self.host, self.port, self.timeout_s, self.where)

    def _printer_name(self, session: _Session) -> str:
        """The component's name of the configured printer; not_found when it lists none such."""
        listed = _printer_list(session.request("getPrinterList", {}))
        for printer in listed:
            if self.printer in (printer.name, printer.display_name):
                return printer.name
        known = ", ".join(p.display_name or p.name for p in listed) or "none"
        raise PrinterError(
            "not_found",
            f"The WeChat Shop print component has no printer called {self.printer!r} "
            f"(it has: {known}). Check that the printer is switched on and installed in "
            "Windows, or correct printer=NAME in the printer address.",
        )

    def _tasks_command(
        self, print_info: str, printer: str, parcel: tuple[int, int] = (1, 1)
    ) -> dict[str, Any]:
        body: dict[str, Any] = {
            "version": "2.0",
            "taskList": [
                {
                    "taskID": uuid.uuid4().hex,
                    "printInfo": print_info,
                    "printNum": {"curNum": parcel[0], "sumNum": parcel[1]},
                }
            ],
        }
        if printer:
            body["printer"] = printer
        if tuple(self.size_mm) != STANDARD_SIZE_MM:
            width, height = self.size_mm
            body["size"] = {"width": width, "height": height}
        return body

    def _check_tasks(self, answer: dict[str, Any], command: str) -> None:
        tasks = answer.get("taskList")
        if not isinstance(tasks, list) or not tasks:
            raise PrinterError(
                "io_error",
                f"{_cap(self.where)} answered the {command} without a task result; the "
                "label may not have printed. Check the printer, then print again.",
            )
        for task in tasks:
            if not isinstance(task, dict) or task.get("success") is not True:
                reason = task.get("failureReason") if isinstance(task, dict) else ""
                raise PrinterError(
                    "refused",
                    f"{_cap(self.where)} refused to {command} the label"
                    + (f": {reason}" if reason else "")
                    + ". Fix what it says (paper, printer, template), then print again.",
                )


class _Session:
    """One WebSocket connection to the component, closed on leaving the `with`."""

    def __init__(self, host: str, port: int, timeout_s: float, where: str) -> None:
        self.uri = f"ws://{host}:{port}"
        self.timeout_s = timeout_s
        self.where = where
        self._ws: ClientConnection | None = None

    def __enter__(self) -> _Session:
        try:
            # Entered as the context manager websockets asks its connections to be.
            self._ws = connect(
                self.uri,
                open_timeout=self.timeout_s,
                close_timeout=1.0,
                max_size=None,
                proxy=None,
            ).__enter__()
        except (ConnectionRefusedError, InvalidHandshake, EOFError) as exc:
            raise PrinterError(
                "offline",
                f"Nothing answers as {self.where}: start the WeChat Shop print component "
                "(微信小店打印组件) on this PC and keep it running, then print again.",
            ) from exc
        except TimeoutError as exc:
            raise self._timeout("connect") from exc
        except (OSError, InvalidURI) as exc:
            raise PrinterError(
                "offline",
                f"Could not reach {self.where} ({exc}). Start the WeChat Shop print "
                "component and check the printer address.",
            ) from exc
        return self

    def __exit__(self, *exc_info: Any) -> None:
        assert self._ws is not None
        self._ws.__exit__(*exc_info)

    def request(self, command: str, body: dict[str, Any]) -> dict[str, Any]:
        """Send one command and wait for the answer with its requestID (others are skipped)."""
        assert self._ws is not None
        request_id = uuid.uuid4().hex
        deadline = time.monotonic() + self.timeout_s
        try:
            self._ws.send(json.dumps({"command": command, "requestID": request_id, **body}))
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                answer = _decode(self._ws.recv(timeout=left))
                if answer is not None and answer.get("requestID") == request_id:
                    return answer
        except TimeoutError as exc:
            raise self._timeout(command) from exc
        except ConnectionClosed as exc:
            raise PrinterError(
                "offline",
                f"{_cap(self.where)} closed the connection before answering {command}"
                + (
                    "; the label may or may not have printed. Look at the printer before "
                    "printing again."
                    if command == "print"
                    else ". Restart the WeChat Shop print component, then try again."
                ),
            ) from exc

    def _timeout(self, command: str) -> PrinterError:
        printed = (
            " The label may still come out: look at the printer before printing again."
            if command == "print"
            else ""
        )
        return PrinterError(
            "timeout",
            f"{_cap(self.where)} did not answer {command} within {self.timeout_s:g} s. "
            f"Check that it is running and not showing a dialog.{printed}",
        )


def _decode(message: str | bytes) -> dict[str, Any] | None:
    """A JSON object from the component; anything else is not an answer and is skipped."""
    try:
        value = json.loads(message)
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def _printer_list(answer: dict[str, Any]) -> list[ComponentPrinter]:
    listed = answer.get("printerList")
    if not isinstance(listed, list):
        return []
    return [
        ComponentPrinter(
            str(p.get("name", "")),
            str(p.get("displayName", "") or p.get("name", "")),
            p.get("status") if isinstance(p.get("status"), int) else None,
        )
        for p in listed
        if isinstance(p, dict) and p.get("name")
    ]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
