"""Daily chores while the station runs: the online backup and the retention purge,
and the checks of the database file and of the audit log's hash chain.

They run on their own thread with their own database connection, so a backup of
a large database never freezes the bench; WAL lets the bench keep writing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from station.settings import Settings
from station.store.audit_chain import check_database as check_audit_chain
from station.store.backup import backup_if_due
from station.store.db import DB_FILE, connect
from station.store.integrity import Verdict, check_file, forget_clean_shutdown
from station.store.retention import purge_expired

log = logging.getLogger("station.housekeeping")

CHECK_EVERY_S = 3600.0


class Housekeeping:
    def __init__(
        self,
        data_dir: Path,
        settings: Settings,
        every_s: float = CHECK_EVERY_S,
        on_damage: Callable[[Verdict], None] | None = None,
    ):
        """`on_damage` hears of a damaged database, on the housekeeping thread: the
        window stops taking parcels, as nothing more must be written to the file."""
        self.data_dir = data_dir
        self.settings = settings
        self.every_s = every_s
        self.on_damage = on_damage
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="housekeeping", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def run_once(self) -> None:
        """Check the file and the audit log's chain, back up if none was made today,
        erase expired personal data."""
        path = self.data_dir / DB_FILE
        verdict = check_file(path, full=False)
        if verdict.damaged:
            forget_clean_shutdown(path)
            log.critical("%s; the next start refuses it and offers a backup", verdict.summary())
            if self.on_damage is not None:
                self.on_damage(verdict)
            return
        altered = check_audit_chain(path)
        if altered:
            log.critical("%s: %s (run `station db check`)", path, altered)
        db = connect(path)
        try:
            made = backup_if_due(db, self.data_dir, self.settings)
            if made is not None:
                log.info("daily backup written to %s", made)
            purge_expired(db, self.settings)
        finally:
            db.close()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("housekeeping failed; trying again in an hour")
            self._stop.wait(self.every_s)
