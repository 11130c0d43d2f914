"""Every input surface of the station as a function of bytes, for the property
tests (tests/test_fuzz_inputs.py) and the atheris harness (tests/fuzz_atheris.py).

Each target feeds the bytes to one reader the way the station does and lets only
that reader's documented refusal escape: anything else (a KeyError, a
RecursionError, a ParseError) is a crash the fuzzer reports. `COUNT` counts the
inputs run, for the report."""

from __future__ import annotations

import collections
import contextlib
import tempfile
from collections.abc import Callable
from pathlib import Path

from printers import urls
from printers.errors import PrinterError
from station.core.carriers import CARRIERS, Carrier
from station.core.rates import RateFileError, parse_rates_csv
from station.core.routing import RulesError, parse_rules
from station.devices.scale import NAMES, get_protocol
from station.importers.carriers import parse_carriers
from station.importers.mapping import ORDERS, PRODUCTS, MappingError, choose_mapping, load_mapping
from station.importers.numbers import read_numbers
from station.importers.orders import parse_orders
from station.importers.products import parse_products
from station.importers.table import Limits, UnreadableFile, decode, table_from_bytes
from station.settings import Settings, SettingsError
from station.store.catalogue import CarrierEntry
from station.sync.config import SyncConfigError, load_targets

COUNT: collections.Counter[str] = collections.Counter()
LIMITS = Limits(max_bytes=1 << 20, max_rows=10_000, max_unzipped_bytes=8 << 20)
KNOWN = {code: CarrierEntry(c) for code, c in CARRIERS.items()}
_SCRATCH = Path(tempfile.mkdtemp(prefix="station-fuzz-"))


def orders(data: bytes) -> None:
    try:
        table = table_from_bytes(data, LIMITS)
        parse_orders(table, choose_mapping(table.headers, ORDERS))
    except (UnreadableFile, MappingError):
        pass


def products(data: bytes) -> None:
    try:
        table = table_from_bytes(data, LIMITS)
        parse_products(table, choose_mapping(table.headers, PRODUCTS, "generic"))
    except (UnreadableFile, MappingError):
        pass


def carriers(data: bytes) -> None:
    try:
        preview = parse_carriers(table_from_bytes(data, LIMITS), KNOWN)
    except UnreadableFile:
        return
    for entry in preview.entries:
        entry.carrier.accepts("SF1234567890123")


def pool(data: bytes) -> None:
    with contextlib.suppress(UnreadableFile):
        read_numbers(data, CARRIERS["ZTO"])


def rates(data: bytes) -> None:
    with contextlib.suppress(UnreadableFile, RateFileError):
        parse_rates_csv(decode(data)[0])


def _file(name: str, data: bytes) -> Path:
    path = _SCRATCH / name
    path.write_bytes(data)
    return path


def mapping_json(data: bytes) -> None:
    with contextlib.suppress(MappingError):
        load_mapping(_file("mapping.json", data))


def mapping_toml(data: bytes) -> None:
    with contextlib.suppress(MappingError):
        load_mapping(_file("mapping.toml", data))


def settings(data: bytes) -> None:
    folder = _SCRATCH / "settings"
    folder.mkdir(exist_ok=True)
    (folder / "settings.toml").write_bytes(data)
    try:
        loaded = Settings.load(folder)
    except SettingsError:
        return
    Limits.of(loaded)


def sync_config(data: bytes) -> None:
    folder = _SCRATCH / "sync"
    folder.mkdir(exist_ok=True)
    (folder / "sync.toml").write_bytes(data)
    with contextlib.suppress(SyncConfigError):
        load_targets(folder)


def routing_rules(data: bytes) -> None:
    with contextlib.suppress(RulesError):
        parse_rules(data.decode("utf-8", "replace"))


def printer_url(data: bytes) -> None:
    try:
        urls.parse(data.decode("utf-8", "replace"))
    except PrinterError as exc:
        assert exc.code == "bad_url", exc


def carrier_pattern(data: bytes) -> None:
    text = data.decode("utf-8", "replace")
    pattern, _, code = text.partition("\n")
    Carrier("X", "x", "x", pattern).accepts(code)


def scale(data: bytes) -> None:
    name = NAMES[data[0] % len(NAMES)] if data else NAMES[0]
    parser = get_protocol(name).parser()
    for start in range(1, len(data), 7):
        parser.feed(data[start : start + 7])


TARGETS: dict[str, Callable[[bytes], None]] = {
    "orders": orders,
    "products": products,
    "carriers": carriers,
    "pool": pool,
    "rates": rates,
    "mapping_json": mapping_json,
    "mapping_toml": mapping_toml,
    "settings": settings,
    "sync_config": sync_config,
    "routing_rules": routing_rules,
    "printer_url": printer_url,
    "carrier_pattern": carrier_pattern,
    "scale": scale,
}


def run(name: str, data: bytes) -> None:
    COUNT[name] += 1
    TARGETS[name](data)
