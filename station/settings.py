"""Settings: declared once here with type, default, allowed values and description.

They live in `settings.toml` in the data folder. A missing file is written with
every default and its description as comments, so the file documents itself;
unknown keys are kept but warned about, and a wrong type, a value outside its
choices or its range is a clear error naming the key, the value and what is
allowed. The file carries a `version`: a file written by an older station is
upgraded step by step when it is loaded, and saved back. Every save is atomic
(a temporary file beside it, flushed to disk, renamed over it), so a crash or a
full disk never leaves half a settings file.

Defaults that code outside the settings also needs (the weight rule, the address
check words) are taken from where that code defines them, so they exist once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.core.address import DEFAULT_CHECK_WORDS
from station.core.bad_input import BadInput
from station.core.weighing import WeightGate, WeightRule

log = logging.getLogger(__name__)

SETTINGS_FILE = "settings.toml"
VERSION_KEY = "version"

_RULE = WeightRule()
_GATE = WeightGate()

SCALE_PROTOCOLS = (
    "mt-sics",
    "toledo-8217",
    "toledo-continuous",
    "ad",
    "xk3190-a9",
    "xk3190-a12",
    "regex",
)
"""The names of `station.devices.scale.registry` (a test keeps them equal); spelled
here so that reading the settings does not import the serial port library."""
LABEL_LAYOUTS = ("76x130", "100x150", "100x180")


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    description: str
    choices: tuple[Any, ...] = ()
    """The only values allowed; empty: any value of the default's type."""
    minimum: float | None = None
    maximum: float | None = None

    def problem(self, value: Any) -> str | None:
        """Why `value` is not allowed for this option, or None when it is."""
        if not _same_type(self.default, value):
            return f"must be {type(self.default).__name__}"
        if self.choices and value not in self.choices:
            return "must be one of " + ", ".join(_toml_value(c) for c in self.choices)
        if self.minimum is not None and value < self.minimum:
            return f"must be at least {self.minimum:g}"
        if self.maximum is not None and value > self.maximum:
            return f"must be at most {self.maximum:g}"
        return None

    def allowed(self) -> str:
        """What the option accepts, in words, for the reference."""
        if self.choices:
            return ", ".join(f"`{_toml_value(c)}`" for c in self.choices)
        if self.minimum is not None and self.maximum is not None:
            return f"{self.minimum:g} to {self.maximum:g}"
        if self.minimum is not None:
            return f"at least {self.minimum:g}"
        return type(self.default).__name__


OPTIONS: tuple[Option, ...] = (
    Option("station.name", "bench-1", "Name of this bench, recorded on every shipment."),
    Option(
        "station.language",
        "",
        "Interface language: zh_CN, en, or empty for the system's.",
        choices=("", "zh_CN", "en"),
    ),
    Option("station.packer", "packer", "Packer recorded on shipments until someone signs in."),
    Option(
        "station.require_sign_in",
        True,
        "Ask the packer to sign in (name and PIN) when the station opens.",
    ),
    Option("sender.name", "", "Sender name printed when the order names no sender."),
    Option("sender.phone", "", "Sender phone printed when the order names no sender."),
    Option("sender.address", "", "Sender address printed when the order names no sender."),
    Option("scale.port", "", "Serial port of the scale, e.g. /dev/ttyUSB0 or COM3. Empty: none."),
    Option(
        "scale.protocol",
        "ad",
        "Scale protocol: mt-sics, toledo-8217, toledo-continuous, "
        "ad, xk3190-a9, xk3190-a12 or regex.",
        choices=SCALE_PROTOCOLS,
    ),
    Option("scale.baud", 0, "Baud rate; 0 uses the protocol's default.", minimum=0),
    Option(
        "scale.parity",
        "",
        "Parity: N, E or O; empty uses the protocol's default.",
        choices=("", "N", "E", "O"),
    ),
    Option(
        "scale.pattern",
        "",
        "For the regex protocol: a pattern with a (?P<weight>...) group; empty: 'ST,+1.234 kg'.",
    ),
    Option(
        "scale.dtr_rts",
        True,
        "Raise DTR and RTS on the port (some USB-serial adapters keep the scale silent without).",
    ),
    Option("scale.simulate", False, "Use the built-in simulated scale (demo and training)."),
    Option(
        "weight.min_grams",
        _RULE.min_grams,
        "Readings below this are 'nothing on the scale'.",
        minimum=0,
    ),
    Option(
        "weight.tolerance_grams",
        _RULE.tolerance_grams,
        "Allowed difference from the expected weight, in grams.",
        minimum=0,
    ),
    Option(
        "weight.tolerance_percent",
        _RULE.tolerance_percent,
        "Allowed difference in percent of the expected weight (the larger of the two wins).",
        minimum=0,
        maximum=100,
    ),
    Option(
        "weight.packaging_grams",
        _RULE.packaging_grams,
        "Weight of the carton and filling added to the items.",
        minimum=0,
    ),
    Option(
        "weight.max_age_seconds",
        _GATE.max_age_s,
        "A reading older than this is stale and never used.",
        minimum=0,
    ),
    Option("carrier.default", "ZTO", "Carrier used when the order names none (WeChat code)."),
    Option(
        "printer.url",
        "pdf:labels",
        "Printer URL: pdf:DIR (relative to the data folder), "
        "escpos+tcp://HOST:9100, escpos+serial:///dev/ttyUSB0?baud=19200, tspl+..., "
        "system:NAME.",
    ),
    Option(
        "printer.layout",
        "76x130",
        "Label layout: 76x130, 100x150 or 100x180.",
        choices=LABEL_LAYOUTS,
    ),
    Option(
        "scanner.max_key_gap_ms",
        30,
        "Keys closer than this are a scan; slower is typing.",
        minimum=1,
    ),
    Option("scanner.min_length", 3, "Shortest burst of keys taken as a scan.", minimum=1),
    Option("scanner.serial_port", "", "Serial port of a COM-mode scanner. Empty: none."),
    Option("scanner.serial_baud", 9600, "Baud rate of a COM-mode scanner.", minimum=1),
    Option("sound.enabled", True, "Play a sound for every result."),
    Option(
        "address.check_words",
        list(DEFAULT_CHECK_WORDS),
        "Words in an address that call for a second check before shipping (flagged at import).",
    ),
    Option(
        "address.check_words_need_supervisor",
        True,
        "An order flagged for one of address.check_words is confirmed with a supervisor's "
        "PIN, not by the packer's CONFIRM scan.",
    ),
    Option(
        "routing.cost_alert_percent",
        12.0,
        "Alert when the shipping cost exceeds this share of the order value, in percent.",
        minimum=0,
    ),
    Option(
        "pool.low_warning",
        20,
        "Warn when fewer waybill numbers than this are left for a carrier.",
        minimum=0,
    ),
    Option(
        "ewaybill.prefetch_limit",
        0,
        "E-waybills taken ahead per run (station waybill prefetch): the next N open orders; "
        "0: every open order.",
    ),
    Option(
        "ewaybill.low_balance",
        200,
        "Warn the supervisor when an e-waybill account has fewer numbers than this left.",
    ),
    Option(
        "sync.enabled",
        True,
        "Upload shipments to the targets in sync.toml in the background while the bench runs.",
    ),
    Option(
        "sync.idle_seconds",
        5.0,
        "How often an idle uploader looks for new shipments.",
        minimum=0,
    ),
    Option(
        "sync.backoff_base_seconds",
        2.0,
        "First retry waits up to this long (doubling).",
        minimum=0,
    ),
    Option("sync.backoff_cap_seconds", 600.0, "Retries never wait longer than this.", minimum=0),
    Option(
        "sync.csv_columns",
        "订单号=order_no,快递公司=carrier_name,快递单号=tracking_no",
        "Columns of `station sync export-csv`: HEADER=FIELD, comma separated. Fields: "
        "order_no, carrier, carrier_name, tracking_no, weight_g, shipped_at, packer, station.",
    ),
    Option(
        "notice.template",
        "您的包裹已发出：{carrier_name} {tracking_no}\n查询物流：{link}",
        "Buyer notice put on the clipboard after a shipment. Placeholders: {order_no}, "
        "{carrier}, {carrier_name}, {tracking_no}, {link}. Lines left empty are dropped.",
    ),
    Option(
        "notice.copy_after_shipment",
        True,
        "Put the buyer notice on the clipboard after every shipment.",
    ),
    Option(
        "notice.link",
        "https://www.kuaidi100.com/chaxun?nu={tracking_no}",
        "Tracking link in the buyer notice when the carrier has none of its own "
        "(station carriers set CODE --tracking-url); {carrier} and {tracking_no} are "
        "filled in. Empty: no link.",
    ),
    Option(
        "lock.idle_minutes",
        5,
        "Lock the screen after this many minutes without keyboard, scanner or mouse; "
        "0 never locks.",
        minimum=0,
    ),
    Option(
        "dashboard.refresh_seconds",
        10,
        "How often the dashboard refreshes while open.",
        minimum=1,
    ),
    Option(
        "handover.days",
        3,
        "A courier handover expects the carrier's parcels of this many days that have "
        "not been handed over yet.",
        minimum=1,
    ),
    Option(
        "hub.url",
        "",
        "The warehouse hub shared by every bench: postgresql://USER:PASSWORD@HOST:5432/station "
        "(add ?sslmode=require for TLS). Empty: this bench works alone.",
    ),
    Option(
        "hub.timeout_seconds",
        3.0,
        "Longest wait for the hub when an order is scanned; past it the bench works offline.",
    ),
    Option(
        "hub.numbers_ahead",
        50,
        "Waybill numbers per carrier this bench keeps leased from the hub for offline work.",
    ),
    Option(
        "hub.pull_seconds", 10.0, "How often the bench fetches orders and numbers from the hub."
    ),
    Option("backup.daily", True, "Back up the database once a day while the station runs."),
    Option(
        "backup.folder",
        "backups",
        "Folder for backups, relative to the data folder (or absolute, e.g. a USB drive).",
    ),
    Option(
        "backup.keep",
        14,
        "How many automatic backups to keep; older ones are deleted.",
        minimum=1,
    ),
    Option(
        "import.max_file_mb",
        512,
        "Largest order, product, carrier or pool file imported, in MB (a bigger one is "
        "refused before it is read).",
        minimum=1,
    ),
    Option(
        "import.max_rows",
        2_000_000,
        "Most rows read from an import file (600,000 orders of up to three lines fit).",
        minimum=1,
    ),
    Option(
        "import.max_unzipped_mb",
        2048,
        "Largest size an XLSX may unpack to, in MB (refuses zip bombs).",
        minimum=1,
    ),
    Option(
        "privacy.retention_days",
        1095,
        "Erase recipients' names, phones, addresses and notes this many days after shipping "
        "(1095 = 3 years). 0 keeps them forever.",
        minimum=0,
    ),
)

_BY_KEY = {o.key: o for o in OPTIONS}


class SettingsError(BadInput):
    pass


class Settings:
    """Typed access to the settings file, with every default filled in."""

    def __init__(self, values: dict[str, Any], path: Path | None = None):
        self.path = path
        self._values = {o.key: o.default for o in OPTIONS} | values
        self.unknown = sorted(set(values) - set(_BY_KEY))

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def with_values(self, **changes: Any) -> Settings:
        """A copy with some values changed; keys use '__' for '.', e.g. scale__simulate."""
        changed = {k.replace("__", "."): v for k, v in changes.items()}
        return Settings(self._values | changed, self.path)

    @classmethod
    def load(cls, folder: Path) -> Settings:
        """The folder's settings: written with every default when missing, upgraded
        (and saved) when an older station wrote them, refused when a value is wrong."""
        path = folder / SETTINGS_FILE
        if not path.exists():
            write_atomically(path, default_file_text())
        text, data = _read(path)
        version = data.pop(VERSION_KEY, 1)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise SettingsError(
                f"{path}: {VERSION_KEY} must be a whole number from 1 to {SETTINGS_VERSION}, "
                f"got {version!r}. Fix or delete it."
            )
        if version > SETTINGS_VERSION:
            raise SettingsError(
                f"{path} was written by a newer Packing Station (settings version {version}, "
                f"this one reads up to {SETTINGS_VERSION}). Update the station."
            )
        upgraded = data
        for step in UPGRADES[version - 1 :]:
            upgraded = step(upgraded)
        values = _flatten(upgraded)
        for key, value in values.items():
            option = _BY_KEY.get(key)
            problem = option.problem(value) if option is not None else None
            if option is not None and problem is not None:
                raise SettingsError(
                    f"{path}: {key} {problem}, got {_toml_value(value)}. "
                    f"Default: {option.default!r}."
                )
        if version < SETTINGS_VERSION:
            # Comments survive an upgrade that changes no value.
            new_text = _version_line() + text if upgraded == data else _dumps(upgraded)
            try:
                write_atomically(path, new_text)
            except SettingsError as exc:
                log.warning("settings upgraded for this run only: %s", exc)
        return cls(values, path)

    def save(self, **changes: Any) -> Settings:
        """Write changed values to the file, keeping its other content; a value that
        is not allowed is refused before anything is written."""
        assert self.path is not None
        dotted = {key.replace("__", "."): value for key, value in changes.items()}
        check_values(dotted)
        _, data = _read(self.path)
        for key, value in dotted.items():
            section, _, name = key.partition(".")
            data.setdefault(section, {})[name] = value
        write_atomically(self.path, _dumps(data))
        return Settings.load(self.path.parent)


def check_values(changes: Mapping[str, Any]) -> None:
    """SettingsError naming the first value (keys with '.') that is not allowed:
    an unknown key, a value of the wrong type, out of range or not one of the choices."""
    for key, value in changes.items():
        option = _BY_KEY.get(key)
        problem = option.problem(value) if option is not None else "is not a setting"
        if problem is not None:
            raise SettingsError(f"{key} {problem}, got {value!r}.")


def _from_unversioned(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 (files without a version key) holds the same options as version 2:
    only the version is added."""
    return data


UPGRADES: tuple[Callable[[dict[str, Any]], dict[str, Any]], ...] = (_from_unversioned,)
"""UPGRADES[n - 1] turns a version-n file's table (without its version key) into
version n + 1's. Append a step when an option is renamed, moved or changes unit."""
SETTINGS_VERSION = len(UPGRADES) + 1


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
        return text, tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise SettingsError(f"{path} is not valid TOML ({exc}). Fix or delete it.") from exc
    except OSError as exc:
        raise SettingsError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _dumps(data: dict[str, Any]) -> str:
    import tomli_w

    return tomli_w.dumps({VERSION_KEY: SETTINGS_VERSION, **data})


def _version_line() -> str:
    return f"# Format of this file; upgraded by the station.\n{VERSION_KEY} = {SETTINGS_VERSION}\n"


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` by `text` whole or not at all: written to a temporary file in
    the same folder, flushed to disk, then renamed over it (and the folder flushed,
    so the rename survives a power cut)."""
    temporary = path.with_name(f".{path.name}.partial")
    try:
        with open(temporary, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise SettingsError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if hasattr(os, "O_DIRECTORY"):
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, type(default)) and not (
        isinstance(value, bool) and not isinstance(default, bool)
    )


def _toml_value(value: Any) -> str:
    import tomli_w

    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def _sections() -> dict[str, list[Option]]:
    """Options grouped by section, sections in order of first appearance."""
    sections: dict[str, list[Option]] = {}
    for option in OPTIONS:
        sections.setdefault(option.key.partition(".")[0], []).append(option)
    return sections


def default_file_text() -> str:
    """The settings file with every option at its default, described in comments."""
    lines = ["# Packing Station settings. Every option is shown with its default."]
    lines.append(_version_line().rstrip("\n"))
    for head, options in _sections().items():
        lines += ["", f"[{head}]"]
        for option in options:
            lines.append(f"# {option.description}")
            lines.append(f"{option.key.partition('.')[2]} = {_toml_value(option.default)}")
    return "\n".join(lines) + "\n"


def settings_reference() -> str:
    """docs/settings.md: every option, its default and meaning, as a Markdown table."""
    lines = [
        "# Settings",
        "",
        "`settings.toml` in the data folder; written with every default on first start.",
        "Generated from `station/settings.py` by `python -m station.settings > docs/settings.md`.",
        "",
        "The file's `version` key says which format it has; a file from an older station",
        "is upgraded when it is loaded. A value of the wrong type, outside its choices or",
        "its range stops the station with a message naming the key and what is allowed.",
        "",
    ]
    for head, options in _sections().items():
        lines += [
            f"## [{head}]",
            "",
            "| setting | default | allowed | meaning |",
            "| --- | --- | --- | --- |",
        ]
        for option in options:
            default = _cell(_toml_value(option.default))
            allowed = _cell(option.allowed())
            lines.append(f"| `{option.key}` | `{default}` | {allowed} | {option.description} |")
        lines.append("")
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


if __name__ == "__main__":
    print(settings_reference(), end="")
