"""Issue 17's hostile inputs, each run through the `station` command as a child
process: exit code 2, a message naming the problem, never a traceback.

Each case prepares what it needs in the data folder `d` and a scratch folder `t`
and returns the command's arguments and words its message must hold."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.hostile_corpus import (
    FIXTURES,
    SMALL_FILES,
    inflating_workbook,
    nested_mapping,
)

ROOT = Path(__file__).resolve().parent.parent
HEADER = "订单号,商品编码,商品数量,收货人,收货人手机号,详细地址\n"
ORDER = "WX{n},CUP,1,张三,13812345678,浙江省杭州市西湖区文三路1号\n"

Case = Callable[[Path, Path], tuple[list[str], str]]
CASES: dict[str, Case] = {}


def case(name: str) -> Callable[[Case], Case]:
    def register(func: Case) -> Case:
        CASES[name] = func
        return func

    return register


def station(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env |= {"PYTHONPATH": str(ROOT), "STATION_KEY_STORE": "file", "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "station.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
        check=False,
    )


def fixture(name: str) -> str:
    return str(FIXTURES / name)


def orders_file(folder: Path, count: int = 1) -> str:
    path = folder / "orders.csv"
    path.write_text(HEADER + "".join(ORDER.format(n=n) for n in range(count)), encoding="utf-8")
    return str(path)


def limit(data_dir: Path, key: str, value: int) -> None:
    (data_dir / "settings.toml").write_text(f"[import]\n{key} = {value}\n", encoding="utf-8")


for name, file in (
    ("xlsx with an external entity (XXE)", "xlsx_xxe.xlsx"),
    ("xlsx with a remote DTD", "xlsx_remote_dtd.xlsx"),
    ("xlsx with a billion laughs", "xlsx_billion_laughs.xlsx"),
    ("xlsx with a broken sharedStrings.xml", "xlsx_broken_shared_strings.xlsx"),
    ("xlsx whose members lie about their size", "xlsx_lying_sizes.xlsx"),
    ("xlsx that is no zip", "xlsx_not_a_zip.xlsx"),
    ("xlsx of zip version 13.2 (found by atheris)", "xlsx_zip_version_13.xlsx"),
):
    for command in (["orders", "import"], ["products", "import"], ["carriers", "import"]):
        CASES[f"{name}: {' '.join(command)}"] = lambda d, t, command=command, file=file: (
            [*command, fixture(file)],
            "XLSX",
        )
    CASES[f"{name}: pool import"] = lambda d, t, file=file: (
        ["pool", "import", "--technician", "--carrier", "ZTO", fixture(file)],
        "XLSX",
    )


@case("xlsx unpacking beyond import.max_unzipped_mb")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    limit(d, "max_unzipped_mb", 1)
    return ["orders", "import", str(inflating_workbook(t, 2))], "import.max_unzipped_mb"


@case("orders from /dev/zero")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return ["orders", "import", "/dev/zero"], "not a regular file"


@case("pool from /dev/zero")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return ["pool", "import", "--technician", "--carrier", "ZTO", "/dev/zero"], "not a regular file"


@case("orders from a FIFO")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    os.mkfifo(t / "fifo.csv")
    return ["orders", "import", str(t / "fifo.csv")], "not a regular file"


@case("orders from a folder")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return ["orders", "import", str(t)], "a folder, not a file"


@case("rates from a folder")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return ["carriers", "rates", "import", "--technician", str(t)], "a folder, not a file"


@case("orders file over import.max_file_mb")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    limit(d, "max_file_mb", 1)
    return ["orders", "import", orders_file(t, 20_000)], "import.max_file_mb"


@case("orders file over import.max_rows")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    limit(d, "max_rows", 10)
    return ["orders", "import", orders_file(t, 11)], "import.max_rows"


@case("orders with a 2,000,000-character line")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    (t / "long.csv").write_text(HEADER + "x" * 2_000_000 + "\n", encoding="utf-8")
    return ["orders", "import", str(t / "long.csv")], "longer than"


@case("orders with 5000 columns")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    (t / "wide.csv").write_text("," * 5000 + "\n", encoding="utf-8")
    return ["orders", "import", str(t / "wide.csv")], "columns"


@case("orders with a NUL byte")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return ["orders", "import", fixture("orders_nul.csv")], "NUL"


@case("orders with an open quote")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return ["orders", "import", fixture("orders_bad_quote.csv")], "no column for sku"


for name, file in (
    ("mapping holding [1,2,3]", "mapping_list.json"),
    ("mapping whose kind is a list", "mapping_kind_list.json"),
    ("mapping not in UTF-8", "mapping_bad_utf8.toml"),
):
    CASES[name] = lambda d, t, file=file: (
        ["orders", "import", orders_file(t), "--mapping", fixture(file)],
        "mapping",
    )


@case("mapping nested 100,000 deep")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return ["orders", "import", orders_file(t), "--mapping", str(nested_mapping(t))], "mapping"


@case("mapping that is a FIFO")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    os.mkfifo(t / "fifo.json")
    return ["orders", "import", orders_file(t), "--mapping", str(t / "fifo.json")], "mapping"


@case("settings file not in UTF-8")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    (d / "settings.toml").write_bytes(SMALL_FILES["settings_bad_utf8.toml"])
    return ["pool", "status"], "settings.toml"


@case("--data-dir naming a file")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    (t / "a-file").write_text("x")
    return ["--data-dir", str(t / "a-file"), "pool", "status"], "is a file"


@case("--out in a missing folder")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return (
        ["sync", "export-csv", "--since", "2026-01-01", "--out", str(t / "no" / "x.csv")],
        "No such file",
    )


@case("report --out naming a folder")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    (t / "t.csv").mkdir()
    return ["report", "throughput", "--out", str(t / "t.csv")], "t.csv"


@case("carriers export into a missing folder")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return ["carriers", "export", str(t / "no" / "c.csv")], "No such file"


@case("--out on a full disk")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return ["sync", "export-csv", "--since", "2026-01-01", "--out", "/dev/full"], "disk is full"


@case("rates without their columns")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return [
        "carriers",
        "rates",
        "import",
        "--technician",
        fixture("rates_missing_columns.csv"),
    ], "missing"


@case("a data folder whose key is missing")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    assert station("--data-dir", str(d), "orders", "import", orders_file(t)).returncode == 0
    (d / "station.key").unlink()
    return ["orders", "import", orders_file(t, 2)], "Restore the key"


@case("a database written by a newer version")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    assert station("--data-dir", str(d), "pool", "status").returncode == 0
    with sqlite3.connect(d / "station.db") as db:
        db.execute("PRAGMA user_version = 999")
    db.close()
    return ["pool", "status"], "999"


@case("carrier pattern with a back-reference")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return ["carriers", "set", "--technician", "ZTO", "--pattern", r"(\d)\1+"], "back-references"


@case("carrier pattern over 200 characters")
def _(d: Path, t: Path) -> tuple[list[str], str]:
    return [
        "carriers",
        "set",
        "--technician",
        "ZTO",
        "--pattern",
        "7" * 201,
    ], "more than the 200 allowed"


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_ends_with_a_message_and_exit_2(name: str, tmp_path: Path) -> None:
    data, scratch = tmp_path / "data", tmp_path / "scratch"
    data.mkdir()
    scratch.mkdir()
    args, words = CASES[name](data, scratch)
    if args[0] != "--data-dir":
        args = ["--data-dir", str(data), *args]
    done = station(*args)
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    assert done.returncode == 2, output
    assert words in output, output


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A data folder, set up, on a real 2 MiB filesystem (tmpfs) then filled to the
    last byte; skipped where this test may not mount one (needs root on Linux)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small filesystem here (needs root)")
    try:
        assert station("--data-dir", str(mount / "data"), "pool", "status").returncode == 0
        with contextlib.suppress(OSError), (mount / "filler").open("wb") as filler:
            while True:
                filler.write(b"\0" * 65536)
                filler.flush()
        yield mount / "data"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=True)


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--smoke"],
        ["orders", "import", "{orders}"],
        ["carriers", "set", "--technician", "ZTO", "--name-en", "Z"],
        ["users", "add", "--technician", "--name", "li", "--role", "packer", "--pin", "5555"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_full_disk_ends_commands_with_a_message(
    full_disk: Path, tmp_path: Path, args: list[str]
) -> None:
    orders = orders_file(tmp_path)
    done = station("--data-dir", str(full_disk), *(a.format(orders=orders) for a in args))
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    assert done.returncode == 2, output
    assert "nothing was saved" in output, output


@pytest.mark.parametrize(
    "args",
    [
        ["report", "throughput", "--out", "{out}.csv"],
        ["report", "manifest", "--carrier", "ZTO", "--out", "{out}.pdf"],
        ["sync", "export-csv", "--since", "2026-01-01", "--out", "{out}.csv"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_a_report_that_does_not_fit_the_disk_leaves_no_half_file(
    full_disk: Path, tmp_path: Path, args: list[str]
) -> None:
    """The data folder on a good disk, the report written to the full one."""
    folder = full_disk.parent
    data = tmp_path / "good"
    done = station("--data-dir", str(data), *(a.format(out=folder / "out") for a in args))
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    assert done.returncode == 2, output
    assert "Free some space" in output, output
    assert sorted(p.name for p in folder.iterdir()) == ["data", "filler"]
