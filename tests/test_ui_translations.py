"""The zh_CN translation covers every core message and UI string, with the same placeholders."""

from __future__ import annotations

import re
import string
import subprocess
import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QCoreApplication

from station.core.messages import TEXTS, Message
from station.ui.texts import message_text
from station.ui.translations import QM_FILE, TS_FILE, install_translators, qt_tool


def ts_messages() -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS_FILE).getroot()
    return [
        (context.findtext("name"), message.findtext("source"), message.find("translation"))
        for context in root.iter("context")
        for message in context.iter("message")
    ]


def fields(text: str) -> set[str]:
    return {name for _, name, spec, _ in string.Formatter().parse(text) if name is not None}


def test_every_core_message_is_in_the_ts_file():
    sources = {source for context, source, _ in ts_messages() if context == "messages"}
    assert set(TEXTS.values()) <= sources


def test_every_string_is_translated_with_the_same_placeholders():
    for context, source, translation in ts_messages():
        assert translation.get("type") not in ("unfinished", "vanished", "obsolete"), source
        forms = [f.text for f in translation.iter("numerusform")] or [translation.text]
        for text in forms:
            assert text, (context, source)
            assert fields(text) == fields(source), (context, source)
            assert re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", text), (
                context,
                source,
            )


def test_the_shipped_qm_is_the_compiled_ts(tmp_path):
    """Compared by content: checkout times say nothing about which file is newer."""
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [str(qt_tool("lrelease")), str(TS_FILE), "-qm", str(fresh)],
        check=True,
        capture_output=True,
    )
    assert QM_FILE.read_bytes() == fresh.read_bytes(), "run: make translations"
    assert qt_tool("lupdate").exists()


@pytest.fixture
def chinese(qapp):
    assert install_translators(qapp, "zh_CN")
    yield
    install_translators(qapp, "en")


def test_messages_show_in_chinese_with_their_parameters(chinese):
    text = message_text(Message("order_on_hold", {"order_no": "WX1", "reason": "改地址"}))
    assert text == "订单 WX1 已暂扣：改地址。请勿打包。"
    assert QCoreApplication.translate("PhaseStrip", "3 Weigh") == "3 称重"


def test_english_is_the_source_text(qapp):
    install_translators(qapp, "en")
    assert message_text(Message("ready")) == TEXTS["ready"]


def test_categories_and_import_formats_show_in_chinese(qtbot, chinese, db, data_dir):
    from station.ui.categories import category_text, format_text
    from station.ui.import_dialog import ImportDialog

    assert (category_text("fragile"), category_text(" Food ")) == ("易碎品", "食品")
    assert category_text("手工皂") == "手工皂"
    dialog = ImportDialog(db, data_dir)
    qtbot.addWidget(dialog)
    assert dialog.format.itemData(0) == "auto"
    assert dialog.format.itemText(0) == format_text("auto") != "auto"
    assert re.search(r"[\u4e00-\u9fff]", dialog.format.itemText(0))
