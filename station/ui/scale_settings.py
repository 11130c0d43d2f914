"""Scale settings: port, protocol, baud, parity (and pattern), confirmed by a live reading.

While the dialog is up it reads the chosen port with a driver of its own, so the
technician sees grams, stability and the link state before saving. The app's own
driver cannot share the port (ports open exclusively), so when the dialog tests
the port the app holds, the app releases it, and takes the scale up again when
the dialog closes: with the saved settings, or the old ones after Cancel.

Saving needs an administrator: the signed-in one, else an admin's PIN typed here.
Saving goes through the settings change (station.app.settings_change): every
changed key is audited with its old and new value, and the running bench gets the
new settings at once.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Protocol

from PySide6.QtCore import QObject, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from serial.tools.list_ports import comports

from station.app.permissions import PermissionDenied, PinLocked
from station.app.settings_change import SettingsChange, SettingsError
from station.core.permissions import Action, User
from station.core.reading import Reading, ScaleLink, WeightState
from station.devices.scale import NAMES, ScaleDriver, get_protocol
from station.devices.scale.regex import DEFAULT_PATTERN
from station.settings import Settings
from station.ui.scale_bridge import make_driver
from station.ui.texts import pin_locked_text

log = logging.getLogger("station.ui.scale_settings")

BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
PARITIES = ("N", "E", "O")
TEST_DELAY_MS = 300
"""Wait this long after the last change before reopening the port: typing a path
letter by letter must not open and close a port per key."""
AUDIT_REASON = "scale settings dialog"


class ScaleOwner(Protocol):
    """What the dialog needs from whoever runs the app's scale."""

    def held_port(self) -> str | None:
        """The port the app's driver has open, or None."""

    def release_scale(self) -> None:
        """Stop the app's driver so its port is free."""

    def restart_scale(self, settings: Settings) -> None:
        """Start the app's scale from `settings`."""


class _LiveBridge(QObject):
    """Driver-thread callbacks re-emitted on the GUI thread, tagged with their driver
    so that readings still queued from a driver already replaced are ignored."""

    reading = Signal(object, object)
    link = Signal(object, object, str)


class ScaleSettingsDialog(QDialog):
    """Choose and try the scale's port settings; `saved` holds the new settings once saved."""

    def __init__(
        self,
        change: SettingsChange,
        user: User | None,
        owner: ScaleOwner,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("scaleSettings")
        self.setWindowTitle(self.tr("Scale settings"))
        self.setMinimumWidth(640)
        self.change = change
        self.settings = settings = change.settings
        self.user = user
        self.owner = owner
        self.saved: Settings | None = None
        self.driver: ScaleDriver | None = None
        self.last_reading: Reading | None = None
        self.link: ScaleLink | None = None
        self._released = False
        self._descriptions: dict[str, str] = {}
        self._bridge = _LiveBridge(self)
        self._bridge.reading.connect(self._show_reading)
        self._bridge.link.connect(self._show_link)
        self._timer = QTimer(self, singleShot=True, interval=TEST_DELAY_MS)
        self._timer.timeout.connect(self.test)
        self._build()
        self._load(settings)
        self._connect_changes()
        self.test()

    # -- the live test ------------------------------------------------------------

    def candidate(self) -> Settings | None:
        """The settings as chosen in the dialog; None (and the reason shown) if unusable."""
        name = self.protocol_box.currentData()
        pattern = self.pattern_edit.text().strip() if name == "regex" else ""
        try:
            default = get_protocol(name, pattern or None).serial
        except ValueError as exc:
            self.error.setText(str(exc))
            return None
        baud = self.baud_box.currentData()
        parity = self.parity_box.currentData()
        return self.settings.with_values(
            scale__port=self.port_box.currentText().strip(),
            scale__protocol=name,
            scale__baud=0 if baud == default.baud else baud,
            scale__parity="" if parity == default.parity else parity,
            scale__pattern=pattern,
            scale__dtr_rts=self.dtr_box.isChecked(),
        )

    def test(self) -> None:
        """Read the chosen port with the chosen settings, replacing any earlier test."""
        self._timer.stop()
        self._stop_test()
        self.error.clear()
        self._show_link(None, None, "")
        chosen = self.candidate()
        if chosen is None:
            return
        port = chosen["scale.port"]
        if not port:
            self.link_label.setText(self.tr("Choose or type the scale's port."))
            return
        if not self._released and _same_port(port, self.owner.held_port()):
            self.owner.release_scale()
            self._released = True
        bridge = self._bridge
        self.driver = driver = make_driver(
            chosen,
            port,
            lambda reading: bridge.reading.emit(driver, reading),
            lambda link, detail: bridge.link.emit(driver, link, detail),
        )
        driver.start()

    def _stop_test(self) -> None:
        if self.driver is not None:
            self.driver.stop()
            self.driver = None
        self.last_reading = None

    def _show_reading(self, driver: ScaleDriver, reading: Reading) -> None:
        if driver is not self.driver:
            return
        self.last_reading = reading
        states = {
            WeightState.OVERLOAD: self.tr("overload"),
            WeightState.UNDERLOAD: self.tr("underload"),
            WeightState.ERROR: self.tr("error"),
        }
        if reading.grams is None:
            self.grams_label.setText(states.get(reading.state, "—"))
        else:
            self.grams_label.setText(self.tr("{grams} g").format(grams=reading.whole_grams))
        flags = [self.tr("stable") if reading.stable else self.tr("in motion")]
        if reading.net:
            flags.append(self.tr("net"))
        self.stable_label.setText(", ".join(flags))
        self.stable_label.setStyleSheet("" if reading.stable else "color: #c62828;")

    def _show_link(self, driver: ScaleDriver | None, link: ScaleLink | None, detail: str) -> None:
        if driver is not self.driver:
            return
        self.link = link
        if link is None:
            self.link_label.clear()
            self.grams_label.setText("—")
            self.stable_label.clear()
            return
        names = {
            ScaleLink.CONNECTING: self.tr("connecting"),
            ScaleLink.CONNECTED: self.tr("connected"),
            ScaleLink.SILENT: self.tr("silent"),
            ScaleLink.BAD_DATA: self.tr("bad data"),
            ScaleLink.DISCONNECTED: self.tr("disconnected"),
            ScaleLink.NOT_SET: self.tr("not set"),
        }
        self.link_label.setText(
            self.tr("Link: {state} — {detail}").format(state=names[link], detail=detail)
        )
        self.link_label.setStyleSheet(
            "" if link is ScaleLink.CONNECTED else "color: #c62828; font-weight: bold;"
        )
        if link is not ScaleLink.CONNECTED:
            self.grams_label.setText("—")
            self.stable_label.clear()

    # -- saving -------------------------------------------------------------------

    def save(self) -> None:
        """Save what changed (as an administrator) and close; the app then restarts its scale."""
        chosen = self.candidate()
        if chosen is None:
            return
        changes = self.change.changed(chosen, _SCALE_KEYS)
        if not changes:
            self.saved = self.settings
            self.accept()
            return
        admin = self._admin()
        if admin is None:
            return
        try:
            self.saved = self.change.save(admin, AUDIT_REASON, changes)
        except SettingsError as exc:
            self.error.setText(
                self.tr("The settings could not be written: {error}").format(error=exc)
            )
            return
        log.info("scale settings saved by %s: %s", admin.name, sorted(changes))
        self.accept()

    def _admin(self) -> User | None:
        if self.user is not None and self.user.may(Action.SETTINGS):
            return self.user
        pin = self.pin_edit.text()
        self.pin_edit.clear()
        admin: User | None = None
        try:
            admin = self.change.admin(pin) if pin else None
        except PinLocked as locked:
            self.error.setText(pin_locked_text(locked))
            self.pin_edit.setFocus()
            return None
        except PermissionDenied:
            pass
        if admin is None:
            self.error.setText(
                self.tr("Saving needs an administrator: type an administrator's PIN.")
                if not pin
                else self.tr("That PIN is not an administrator's.")
            )
            self.pin_edit.setFocus()
        return admin

    def done(self, result: int) -> None:
        """However the dialog ends, free the port and give the app its scale back."""
        self._timer.stop()
        self._stop_test()
        if self.saved is not None or self._released:
            self.owner.restart_scale(self.saved or self.settings)
            self._released = False
        self._descriptions = {}
        super().done(result)

    # -- building -----------------------------------------------------------------

    def _build(self) -> None:
        self.port_box = QComboBox(objectName="scalePort")
        self.port_box.setEditable(True)
        self.port_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        port_line = self.port_box.lineEdit()
        assert port_line is not None, "an editable combo box has a line edit"
        port_line.setPlaceholderText(self.tr("/dev/ttyUSB0, COM3 or a path"))
        self.port_hint = QLabel(objectName="dialogHint", wordWrap=True)
        self.protocol_box = QComboBox(objectName="scaleProtocol")
        for name in NAMES:
            self.protocol_box.addItem(name, name)
        self.summary = QLabel(objectName="dialogHint", wordWrap=True)
        self.baud_box = QComboBox(objectName="scaleBaud")
        self.parity_box = QComboBox(objectName="scaleParity")
        for code, text in zip(
            PARITIES, (self.tr("none (N)"), self.tr("even (E)"), self.tr("odd (O)")), strict=True
        ):
            self.parity_box.addItem(text, code)
        self.pattern_edit = QLineEdit(objectName="scalePattern")
        self.pattern_edit.setPlaceholderText(DEFAULT_PATTERN)
        self.dtr_box = QCheckBox(self.tr("Raise &DTR and RTS (some USB adapters need it)"))
        self.pin_edit = QLineEdit(objectName="pin")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setValidator(QRegularExpressionValidator(QRegularExpression(r".{0,128}")))

        form = QFormLayout()
        form.addRow(self.tr("&Port"), self.port_box)
        form.addRow("", self.port_hint)
        form.addRow(self.tr("P&rotocol"), self.protocol_box)
        form.addRow("", self.summary)
        form.addRow(self.tr("&Baud rate"), self.baud_box)
        form.addRow(self.tr("Par&ity"), self.parity_box)
        form.addRow(self.tr("Pa&ttern (regex)"), self.pattern_edit)
        form.addRow("", self.dtr_box)
        needs_pin = self.user is None or not self.user.may(Action.SETTINGS)
        if needs_pin:
            form.addRow(self.tr("Administrator PI&N"), self.pin_edit)
        self.pin_edit.setVisible(needs_pin)

        self.grams_label = QLabel("—", objectName="liveGrams")
        self.grams_label.setStyleSheet("font-size: 32pt; font-weight: bold;")
        self.stable_label = QLabel(objectName="liveStable")
        self.link_label = QLabel(objectName="liveLink", wordWrap=True)
        live = QGroupBox(self.tr("Live reading: put something on the scale"))
        live_layout = QVBoxLayout(live)
        live_layout.addWidget(self.grams_label)
        live_layout.addWidget(self.stable_label)
        live_layout.addWidget(self.link_label)

        self.error = QLabel(objectName="settingsError", wordWrap=True)
        self.error.setStyleSheet("color: #c62828")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        hint = QLabel(
            self.tr("F5 lists the ports again. Enter saves, Esc cancels."),
            objectName="dialogHint",
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(live)
        layout.addWidget(self.error)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, activated=self.list_ports)

    def list_ports(self) -> None:
        """Fill the port list from the system, keeping what is typed."""
        typed = self.port_box.currentText()
        self.port_box.blockSignals(True)
        self.port_box.clear()
        self._descriptions.clear()
        for port in sorted(comports(), key=lambda p: p.device):
            self.port_box.addItem(port.device)
            self._descriptions[port.device] = port.description
        configured = self.settings["scale.port"]
        if configured and self.port_box.findText(configured) < 0:
            self.port_box.addItem(configured)
        self.port_box.setEditText(typed)
        self.port_box.blockSignals(False)
        self._describe_port()

    def _load(self, settings: Settings) -> None:
        self.list_ports()
        self.port_box.setEditText(settings["scale.port"])
        self._describe_port()
        self.protocol_box.setCurrentIndex(
            max(0, self.protocol_box.findData(settings["scale.protocol"]))
        )
        self.pattern_edit.setText(settings["scale.pattern"])
        self._protocol_chosen()
        if settings["scale.baud"]:
            _select(self.baud_box, settings["scale.baud"])
        if settings["scale.parity"]:
            _select(self.parity_box, settings["scale.parity"])
        self.dtr_box.setChecked(settings["scale.dtr_rts"])

    def _connect_changes(self) -> None:
        self.port_box.currentTextChanged.connect(self._describe_port)
        self.protocol_box.currentIndexChanged.connect(self._protocol_chosen)
        for signal in (
            self.port_box.currentTextChanged,
            self.protocol_box.currentIndexChanged,
            self.baud_box.currentIndexChanged,
            self.parity_box.currentIndexChanged,
            self.pattern_edit.textChanged,
            self.dtr_box.toggled,
        ):
            signal.connect(self._timer.start)

    def _protocol_chosen(self) -> None:
        """Show the protocol's summary and preselect its own baud rate and parity."""
        name = self.protocol_box.currentData()
        is_regex = name == "regex"
        self.pattern_edit.setEnabled(is_regex)
        protocol = get_protocol(name)
        serial = protocol.serial
        actions = [
            text
            for supported, text in (
                (protocol.supports_zero, self.tr("zero")),
                (protocol.supports_tare, self.tr("tare")),
            )
            if supported
        ]
        self.summary.setText(
            self.tr("{summary}. Default {serial}; from the bench: {commands}.").format(
                summary=protocol.summary,
                serial=serial.describe(),
                commands=", ".join(actions) or self.tr("no zero or tare"),
            )
        )
        self.baud_box.blockSignals(True)
        self.baud_box.clear()
        for rate in sorted({*BAUD_RATES, serial.baud, self.settings["scale.baud"]} - {0}):
            label = self.tr("{baud} (protocol default)") if rate == serial.baud else "{baud}"
            self.baud_box.addItem(label.format(baud=rate), rate)
        _select(self.baud_box, serial.baud)
        self.baud_box.blockSignals(False)
        _select(self.parity_box, serial.parity)

    def _describe_port(self) -> None:
        port = self.port_box.currentText().strip()
        description = self._descriptions.get(port)
        if description and description != "n/a":
            self.port_hint.setText(description)
        elif port and not os.path.exists(port):
            self.port_hint.setText(self.tr("No such port on this computer (yet)."))
        else:
            self.port_hint.clear()
        self.port_hint.setVisible(bool(self.port_hint.text()))


_SCALE_KEYS = (
    "scale.port",
    "scale.protocol",
    "scale.baud",
    "scale.parity",
    "scale.pattern",
    "scale.dtr_rts",
)


def _select(box: QComboBox, value: Any) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)


def _same_port(a: str, b: str | None) -> bool:
    """Whether two paths name one device (a symlink such as /dev/serial/by-id/... counts)."""
    if b is None:
        return False
    return os.path.normcase(os.path.realpath(a)) == os.path.normcase(os.path.realpath(b))
