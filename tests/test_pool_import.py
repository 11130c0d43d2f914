"""Waybill-number files into the pool: pattern checks, each number once, concurrency."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import openpyxl

from station.core.carriers import carrier
from station.importers.numbers import read_numbers
from station.store import pool
from station.store.db import connect, transaction


def test_numbers_are_checked_against_the_carrier_pattern() -> None:
    data = "运单号\nSF1023574470215\nsf1023574470216\n73567696585919\n\nSF1023574470215\n".encode()
    numbers, problems = read_numbers(data, carrier("SF"))
    assert numbers == ["SF1023574470215", "SF1023574470216"]
    assert [(p.line, "73567696585919" in p.problem) for p in problems] == [(4, True)]


def test_numbers_from_the_first_column_of_csv_gbk_or_xlsx() -> None:
    csv_bytes = "单号,备注\n73567696585919,第一批\n73567696585920,第一批\n".encode("gbk")
    assert read_numbers(csv_bytes, carrier("ZTO"))[0] == ["73567696585919", "73567696585920"]
    book = openpyxl.Workbook()
    book.active.append(["单号"])
    book.active.append([73567696585921])
    out = io.BytesIO()
    book.save(out)
    assert read_numbers(out.getvalue(), carrier("ZTO"))[0] == ["73567696585921"]


def test_each_imported_number_is_handed_out_once_across_connections(data_dir: Path) -> None:
    path = data_dir / "pool.db"
    with connect(path) as setup:
        data = "\n".join(f"SF{1023574470000 + n}" for n in range(120)).encode()
        numbers, _ = read_numbers(data, carrier("SF"))
        assert pool.add_numbers(setup, "SF", numbers) == 120
        assert pool.add_numbers(setup, "SF", numbers) == 0
        claimed: list[str] = []
        lock = threading.Lock()

        def worker() -> None:
            db = connect(path)
            while True:
                with transaction(db):
                    number = pool.claim_number(db, "SF")
                if number is None:
                    break
                with lock:
                    claimed.append(number)
            db.close()

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(claimed) == sorted(numbers)
        assert pool.free_counts(setup) == {"SF": 0}
