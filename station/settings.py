"""Settings: declared once here with type, default and description.

They live in `settings.toml` in the data folder. A missing file is written with
every default and its description as comments, so the file documents itself;
unknown keys are kept but warned about, and a wrong type is a clear error.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.core.bad_input import BadInput

SETTINGS_FILE = "settings.toml"


@dataclass(frozen=True)
class Option:
    key: str
    default: Any
    description: str


OPTIONS: tuple[Option, ...] = (
    Option("station.name", "bench-1", "Name of this bench, recorded on every shipment."),
    Option("station.language", "", "Interface language: zh_CN, en, or empty for the system's."),
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
    ),
    Option("scale.baud", 0, "Baud rate; 0 uses the protocol's default."),
    Option("scale.parity", "", "Parity: N, E or O; empty uses the protocol's default."),
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
    Option("weight.min_grams", 20, "Readings below this are 'nothing on the scale'."),
    Option("weight.tolerance_grams", 50, "Allowed difference from the expected weight, in grams."),
    Option(
        "weight.tolerance_percent",
        5.0,
        "Allowed difference in percent of the expected weight (the larger of the two wins).",
    ),
    Option("weight.packaging_grams", 60, "Weight of the carton and filling added to the items."),
    Option("weight.max_age_seconds", 3.0, "A reading older than this is stale and never used."),
    Option("carrier.default", "ZTO", "Carrier used when the order names none (WeChat code)."),
    Option(
        "printer.url",
        "pdf:labels",
        "Printer URL: pdf:DIR (relative to the data folder), "
        "escpos+tcp://HOST:9100, escpos+serial:///dev/ttyUSB0?baud=19200, tspl+..., "
        "system:NAME.",
    ),
    Option("printer.layout", "76x130", "Label layout: 76x130, 100x150 or 100x180."),
    Option("scanner.max_key_gap_ms", 30, "Keys closer than this are a scan; slower is typing."),
    Option("scanner.min_length", 3, "Shortest burst of keys taken as a scan."),
    Option("scanner.serial_port", "", "Serial port of a COM-mode scanner. Empty: none."),
    Option("scanner.serial_baud", 9600, "Baud rate of a COM-mode scanner."),
    Option("sound.enabled", True, "Play a sound for every result."),
    Option(
        "address.check_words",
        ["部队", "军区", "营区", "酒店", "宾馆"],
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
    ),
    Option(
        "pool.low_warning", 20, "Warn when fewer waybill numbers than this are left for a carrier."
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
    Option("sync.idle_seconds", 5.0, "How often an idle uploader looks for new shipments."),
    Option("sync.backoff_base_seconds", 2.0, "First retry waits up to this long (doubling)."),
    Option("sync.backoff_cap_seconds", 600.0, "Retries never wait longer than this."),
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
    ),
    Option("dashboard.refresh_seconds", 10, "How often the dashboard refreshes while open."),
    Option(
        "handover.days",
        3,
        "A courier handover expects the carrier's parcels of this many days that have "
        "not been handed over yet.",
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
    Option("backup.keep", 14, "How many automatic backups to keep; older ones are deleted."),
    Option(
        "import.max_file_mb",
        512,
        "Largest order, product, carrier or pool file imported, in MB (a bigger one is "
        "refused before it is read).",
    ),
    Option(
        "import.max_rows",
        2_000_000,
        "Most rows read from an import file (600,000 orders of up to three lines fit).",
    ),
    Option(
        "import.max_unzipped_mb",
        2048,
        "Largest size an XLSX may unpack to, in MB (refuses zip bombs).",
    ),
    Option(
        "privacy.retention_days",
        1095,
        "Erase recipients' names, phones, addresses and notes this many days after shipping "
        "(1095 = 3 years). 0 keeps them forever.",
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
        path = folder / SETTINGS_FILE
        if not path.exists():
            path.write_text(default_file_text(), encoding="utf-8")
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
            raise SettingsError(f"{path} is not valid TOML ({exc}). Fix or delete it.") from exc
        except OSError as exc:
            raise SettingsError(f"cannot read {path}: {exc.strerror or exc}") from exc
        values = _flatten(data)
        for key, value in values.items():
            option = _BY_KEY.get(key)
            if option is not None and not _same_type(option.default, value):
                raise SettingsError(
                    f"{path}: {key} must be {type(option.default).__name__}, got {value!r}. "
                    f"Default: {option.default!r}."
                )
        return cls(values, path)

    def save(self, **changes: Any) -> Settings:
        """Write changed values to the file, keeping its other content."""
        import tomli_w

        assert self.path is not None
        data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        for key, value in changes.items():
            section, _, name = key.replace("__", ".").partition(".")
            data.setdefault(section, {})[name] = value
        self.path.write_text(tomli_w.dumps(data), encoding="utf-8")
        return Settings.load(self.path.parent)


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
        "| setting | default | meaning |",
        "| --- | --- | --- |",
    ]
    for option in OPTIONS:
        default = _toml_value(option.default).replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{option.key}` | `{default}` | {option.description} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(settings_reference(), end="")
