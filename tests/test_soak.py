"""Issue 12: the short multi-process soak (bench/soak_multiprocess.py runs the long one).

A bench process packs parcels on the data folder while other processes run
`orders import`, `pool status`, `sync run --once`, `report ...`, `db backup` and
`db check` against it; afterwards nothing is lost, nothing is used twice, and the
file is whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.soak_multiprocess import COMMANDS, soak


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_bench_beside_every_command_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    result = soak(seconds=15, folder=tmp_path)
    assert result.bench_stopped == ""
    assert result.parcels > 0
    assert set(result.cli_runs) == set(COMMANDS)
    assert result.cli_failures == []
    assert (result.lost_shipments, result.lost_outbox_rows) == (0, 0)
    assert result.lost_imported_orders == 0
    assert (result.duplicate_waybills, result.orders_shipped_twice) == (0, 0)
    assert result.pool_numbers_not_used == 0
    assert result.integrity == "ok"
    assert result.clean
