"""Taking e-waybills ahead in the background while the bench runs: every few minutes
(and when woken after orders arrive) a pass takes numbers for open orders, carries
out the queued cancels and checks the balances. Qt-free; the window starts it next
to the uploader. It opens its own database connection, like the uploader."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from station.settings import Settings
from station.store.db import DB_FILE, connect
from station.waybills.config import WaybillConfigError, load_providers
from station.waybills.providers import build
from station.waybills.service import Prefetcher, Summary, low_balances

log = logging.getLogger("station.waybills")
INTERVAL_SECONDS = 300.0


def run_once(folder: Path, settings: Settings) -> Summary | None:
    """One pass; None when no provider is configured (or the file is broken: logged)."""
    try:
        configs = load_providers(folder)
    except WaybillConfigError as exc:
        log.error("e-waybills not taken ahead: %s", exc)
        return None
    if not configs:
        return None
    built = build(configs)
    for name, why in built.problems.items():
        log.warning("e-waybill provider %s not used: %s", name, why)
    from station.hub.ewaybill_link import (
        coordinator_for,
    )  # the hub's modules load only with waybills

    db = connect(folder / DB_FILE)
    prefetcher = Prefetcher(db, settings, built.providers, folder, coordinator_for(settings))
    try:
        summary = prefetcher.prefetch()
        prefetcher.run_cancels()
        prefetcher.run_print_notices()
        found, problems = prefetcher.balances()
    finally:
        prefetcher.close()
        db.close()
    for name, why in problems.items():
        log.warning("e-waybill balances of %s unknown: %s", name, why)
    for b in low_balances(found, settings["ewaybill.low_balance"]):
        log.warning(
            "e-waybill account %s %s %s low: %s left", b.provider, b.carrier, b.account, b.available
        )
    for order_no, why in summary.refused.items():
        log.warning("order %s held: e-waybill refused: %s", order_no, why)
    return summary


class EwaybillThread:
    def __init__(self, folder: Path, settings: Settings, interval: float = INTERVAL_SECONDS):
        self.folder = folder
        self.settings = settings
        self.interval = interval
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ewaybills", daemon=True)
        self.passes = 0

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                run_once(self.folder, self.settings)
            except Exception:
                log.exception("taking e-waybills ahead failed")
            self.passes += 1
            self._wake.wait(self.interval)
            self._wake.clear()
