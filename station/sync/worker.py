"""Running the uploader: in a background thread for the app, or in the foreground
for `station sync run`. Qt-free; station/ui/sync_status.py wraps the thread.

The thread opens its own SQLite connection (the bench writes on another) and
holds the data folder's uploader lock, so only one uploader ever drains a queue.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from station.hub.wiring import uploader_parts
from station.settings import Settings
from station.store import deliveries
from station.store.db import DB_FILE, connect
from station.sync.config import bench_targets, load_targets
from station.sync.lock import UploaderLock
from station.sync.targets import build
from station.sync.uploader import LAST_ERROR, ONLINE, Backoff, Uploader

log = logging.getLogger("station.sync")


class AnotherUploader(RuntimeError):
    pass


def open_uploader(folder: Path, settings: Settings, db_path: Path | None = None) -> Uploader:
    """An uploader for the data folder's configured targets, on its own connection.

    Targets that cannot start (no secret) get their reason in the sync state, so
    `station sync status` and the status light show it. With a hub (hub.url) the
    queue goes to the hub, and the WeChat targets are the hub uploader's.
    """
    db = connect(db_path or folder / DB_FILE)
    try:
        configs = bench_targets(load_targets(folder), hub=bool(settings["hub.url"]))
        built = build(db, configs, check_words=settings["address.check_words"])
        hub_targets, hub_pullers = uploader_parts(settings)
        built.targets += hub_targets
        built.pullers += hub_pullers
        for name, reason in built.problems.items():
            deliveries.save_state(db, name, {LAST_ERROR: reason, ONLINE: "0"})
    except BaseException:
        db.close()  # a broken sync.toml: nothing left open
        raise
    backoff = Backoff(settings["sync.backoff_base_seconds"], settings["sync.backoff_cap_seconds"])
    return Uploader(db, built.targets, built.pullers, built.sources, backoff)


def run_foreground(
    folder: Path,
    settings: Settings,
    stop: threading.Event,
    once: bool = False,
    wake: threading.Event | None = None,
) -> int:
    """Run until `stop` (or, with `once`, until nothing is due). Returns records attempted."""
    lock = UploaderLock(folder)
    if not lock.acquire():
        if lock.held_by_restore():
            raise AnotherUploader(
                f"a database restore (pid {lock.holder()}) is running here; "
                "start the uploader again when it has finished"
            )
        raise AnotherUploader(f"another uploader (pid {lock.holder()}) is running here")
    try:
        uploader = open_uploader(folder, settings)
    except BaseException:
        lock.release()  # else the folder's uploads and restores stay refused until exit
        raise
    try:
        if once:
            uploader.recover()
            uploader.pull()
            return uploader.drain(stop)
        uploader.run(stop, wake or threading.Event(), settings["sync.idle_seconds"])
        return 0
    finally:
        uploader.close()
        uploader.db.close()
        lock.release()


class UploaderThread:
    """The uploader on a daemon thread. `start()`, `wake()` after a shipment is
    recorded, `stop()` when the app closes. If another uploader already runs for
    this folder (e.g. `station sync run`), the thread ends at once and says so."""

    def __init__(
        self,
        folder: Path,
        settings: Settings,
        on_stopped: Callable[[str], None] | None = None,
    ):
        self.folder = folder
        self.settings = settings
        self.on_stopped = on_stopped
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="uploader", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def is_alive(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        reason = "stopped"
        try:
            run_foreground(self.folder, self.settings, self._stop, wake=self._wake)
        except AnotherUploader as exc:
            reason = str(exc)
        except Exception as exc:
            log.exception("the uploader stopped")
            reason = f"the uploader stopped: {exc!r}"
        if self.on_stopped is not None:
            self.on_stopped(reason)
