"""The WeChat Shop print component as a printer (issue 14): `wxprint://`.

A real WebSocket server on loopback (random port) plays the component from its
documented contract: the docs' own example messages are the fixtures it answers
with and the shape every request is checked against.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.server import ServerConnection, serve

from printers import PrinterError, open_printer
from printers.sample import sample_waybill
from printers.urls import parse
from printers.wxprint import ComponentPrinter, WxPrint
from station.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "wxprint"
PRINT_INFO = '{"waybill_id":"73567696585919","delivery_id":"ZTO","content":"eyJhIjoxfQ=="}'


def fixture(name: str) -> dict[str, Any]:
    data = json.loads((FIXTURES / name).read_text("utf-8"))
    data.pop("_source")
    return data


@dataclass
class FakeComponent:
    """The print component: answers each command with the docs' example answer,
    under the request's own requestID. `on_print` may change the print answer, or
    return None after doing something else (dropping the line, stalling)."""

    port: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    on_print: Callable[[ServerConnection, dict[str, Any]], dict[str, Any] | None] | None = None
    noise_first: bool = False
    release: threading.Event = field(default_factory=threading.Event)

    def handle(self, ws: ServerConnection) -> None:
        for message in ws:
            request = json.loads(message)
            self.received.append(request)
            answer = self.answer(ws, request)
            if answer is None:
                return
            if self.noise_first:
                ws.send("not json")
                ws.send(json.dumps({**answer, "requestID": "someone-else"}))
            ws.send(json.dumps(answer))

    def answer(self, ws: ServerConnection, request: dict[str, Any]) -> dict[str, Any] | None:
        command = request["command"]
        if command == "getPrinterList":
            answer = fixture("get_printer_list_answer.json")
        elif command == "getAppInfo":
            answer = fixture("get_app_info_answer.json")
        else:
            answer = fixture("print_answer.json")
            answer["command"] = command
            answer["taskList"] = [
                {"taskID": task["taskID"], "success": True, "failureReason": ""}
                for task in request["taskList"]
            ]
            if command == "print" and self.on_print is not None:
                changed = self.on_print(ws, answer)
                if changed is None:
                    return None
                answer = changed
        return {**answer, "requestID": request["requestID"]}

    @property
    def commands(self) -> list[str]:
        return [r["command"] for r in self.received]


@pytest.fixture
def component() -> Iterator[FakeComponent]:
    fake = FakeComponent()
    with serve(fake.handle, "127.0.0.1", 0) as server:
        fake.port = server.socket.getsockname()[1]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield fake
        fake.release.set()
        server.shutdown()
    thread.join(5)


def _printer(port: int, query: str = "printer=KM-202(NEW)&timeout=2", layout: str = "76x130"):
    return open_printer(f"wxprint://127.0.0.1:{port}?{query}", layout=layout)


def _wechat_waybill():
    return replace(sample_waybill("73567696585919"), print_info=PRINT_INFO)


def test_prints_the_print_info_on_the_named_printer_as_the_docs_ask(component):
    _printer(component.port).print(_wechat_waybill())
    assert component.commands == ["getPrinterList", "print"]
    sent = component.received[-1]
    documented = fixture("print_request.json")
    assert set(sent) == set(documented), "exactly the documented fields, no size at 76x130"
    assert sent["version"] == "2.0"
    assert sent["printer"] == "_KM_202_NEW_", "the display name is mapped to the name"
    (task,) = sent["taskList"]
    assert set(task) == set(documented["taskList"][0])
    assert task["printInfo"] == PRINT_INFO
    assert task["printNum"] == {"curNum": 1, "sumNum": 1}
    ids = [r["requestID"] for r in component.received]
    assert len(set(ids)) == len(ids), "every request has its own requestID"


def test_a_label_other_than_76x130_is_sent_with_its_size(component):
    _printer(component.port, "printer=_KM_202_NEW_&timeout=2", "100x150").print(_wechat_waybill())
    assert component.received[-1]["size"] == {"width": 100, "height": 150}
    assert component.received[-1]["printer"] == "_KM_202_NEW_"


def test_a_parcel_of_a_multi_parcel_shipment_is_counted(component):
    wb = replace(_wechat_waybill(), parcel_number=2, parcel_count=3)
    _printer(component.port).print(wb)
    assert component.received[-1]["taskList"][0]["printNum"] == {"curNum": 2, "sumNum": 3}


def test_without_a_printer_name_the_component_chooses(component):
    _printer(component.port, "timeout=2").print(_wechat_waybill())
    assert component.commands == ["print"]
    assert "printer" not in component.received[-1]


def test_unknown_printer_is_refused_before_printing(component):
    with pytest.raises(PrinterError) as err:
        _printer(component.port, "printer=Deli-DL888&timeout=2").print(_wechat_waybill())
    assert err.value.code == "not_found"
    assert "Deli-DL888" in str(err.value) and "KM-202(NEW)" in str(err.value)
    assert "print" not in component.commands


def test_print_refused_by_the_component_names_its_reason(component):
    component.on_print = lambda ws, answer: {
        **answer,
        "taskList": [{**answer["taskList"][0], "success": False, "failureReason": "打印机缺纸"}],
    }
    with pytest.raises(PrinterError) as err:
        _printer(component.port).print(_wechat_waybill())
    assert err.value.code == "refused"
    assert "打印机缺纸" in str(err.value)


def test_component_not_running_says_to_start_it():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(PrinterError) as err:
        _printer(port).print(_wechat_waybill())
    assert err.value.code == "offline"
    assert "start the WeChat Shop print component" in str(err.value)


def test_something_else_on_the_port_is_not_taken_for_the_component():
    """A program that accepts the connection but speaks no WebSocket."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def answer_http() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

        thread = threading.Thread(target=answer_http, daemon=True)
        thread.start()
        with pytest.raises(PrinterError) as err:
            _printer(listener.getsockname()[1]).print(_wechat_waybill())
        thread.join(5)
    assert err.value.code == "offline"
    assert "start the WeChat Shop print component" in str(err.value)


def test_slow_answer_times_out_and_warns_the_label_may_still_come(component):
    def stall(ws, answer):
        component.release.wait(10)
        return None

    component.on_print = stall
    with pytest.raises(PrinterError) as err:
        _printer(component.port, "printer=_KM_202_NEW_&timeout=0.5").print(_wechat_waybill())
    assert err.value.code == "timeout"
    assert "0.5 s" in str(err.value) and "may still come out" in str(err.value)


def test_dropped_connection_mid_print_is_reported(component):
    def drop(ws, answer):
        ws.close()
        return None

    component.on_print = drop
    with pytest.raises(PrinterError) as err:
        _printer(component.port).print(_wechat_waybill())
    assert err.value.code == "offline"
    assert "may or may not have printed" in str(err.value)


def test_answers_to_other_requests_and_stray_messages_are_skipped(component):
    component.noise_first = True
    _printer(component.port).print(_wechat_waybill())
    assert component.commands == ["getPrinterList", "print"]


def test_waybill_without_wechat_print_data_is_refused_without_calling(component):
    with pytest.raises(PrinterError) as err:
        _printer(component.port).print(sample_waybill())
    assert err.value.code == "bad_data"
    assert "no WeChat Shop print data" in str(err.value)
    assert component.received == []


def test_printer_list_version_and_preview(component):
    transport = WxPrint("127.0.0.1", component.port, timeout_s=2)
    assert transport.printers() == [ComponentPrinter("_KM_202_NEW_", "KM-202(NEW)", 3)]
    assert transport.version() == "1.3.4"
    transport.preview(PRINT_INFO)
    assert component.commands == ["getPrinterList", "getAppInfo", "preview"]
    assert component.received[-1]["taskList"][0]["printInfo"] == PRINT_INFO


def test_wxprint_urls():
    address = parse("wxprint://127.0.0.1:12705?printer=KM-202(NEW)")
    assert (address.language, address.target) == ("wxprint", "127.0.0.1:12705")
    assert address.option("printer", "") == "KM-202(NEW)"
    assert parse("wxprint://").target == "127.0.0.1:12705"
    with pytest.raises(PrinterError) as err:
        parse("wxprint://127.0.0.1:port")
    assert err.value.code == "bad_url"


def test_print_test_checks_the_component_without_printing(component, capsys):
    url = f"wxprint://127.0.0.1:{component.port}?printer=KM-202(NEW)&timeout=2"
    assert main(["print", "test", "--printer", url]) == 0
    out = capsys.readouterr().out
    assert "1.3.4" in out and "_KM_202_NEW_" in out
    assert "print" not in component.commands


def test_print_test_tells_to_start_the_component(capsys):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert main(["print", "test", "--printer", f"wxprint://127.0.0.1:{port}"]) == 1
    assert "start the WeChat Shop print component" in capsys.readouterr().err
