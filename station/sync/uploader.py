"""The uploader: drains the upload queue to every target, on its own connection.

Each pass, per target: give it rows for new queue records, take a batch of due
records, durably mark them `sending`, send, and record every outcome in one
short transaction. Transient failures come back later with full-jitter backoff
(or after the Retry-After upstream asked for); a target that is offline or
refusing pauses as a whole. The bench keeps writing on its own connection
meanwhile: WAL lets it, and no transaction here spans a request.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

import sqlite_utils

from station.core.upload_states import DeliveryState
from station.store import deliveries, outbox
from station.store.db import iso
from station.sync import voids
from station.sync.backoff import full_jitter
from station.sync.outcome import TargetProblem, UploadResult, Verdict
from station.sync.target import Sending, Target

log = logging.getLogger("station.sync")

ONLINE = "online"
LAST_SUCCESS = "last_success_at"
LAST_ERROR = "last_error"
LAST_ERROR_AT = "last_error_at"


class Puller(Protocol):
    """Something run on a schedule beside uploading (the shop's order pull)."""

    name: str

    def due(self, now: float) -> bool: ...
    def pull(self, db: sqlite_utils.Database) -> str: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class Backoff:
    base: float = 2.0
    cap: float = 600.0


def stamp(moment: float) -> str:
    return iso(datetime.fromtimestamp(moment, UTC))


class Uploader:
    def __init__(
        self,
        db: sqlite_utils.Database,
        targets: Sequence[Target],
        pullers: Sequence[Puller] = (),
        sources: dict[str, tuple[str, ...]] | None = None,
        backoff: Backoff = Backoff(),
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ):
        self.db = db
        self.targets = list(targets)
        self.pullers = list(pullers)
        self.sources = sources or {}
        self.backoff = backoff
        self.clock = clock
        self.rng = rng or random.Random()
        self._paused_until: dict[str, float] = {}
        self._failures: dict[str, int] = {}

    def recover(self) -> int:
        """After a crash: attempts cut off mid-send go back to the queue, in doubt.
        Call once, holding the uploader lock, before the first pass."""
        return sum(deliveries.recover_in_flight(self.db, t.name) for t in self.targets)

    def pass_once(self) -> int:
        """One batch per target that has due records; returns records attempted."""
        handled = 0
        for target in self.targets:
            if self._paused_until.get(target.name, 0.0) > self.clock():
                continue
            deliveries.fan_out(self.db, target.name, self.sources.get(target.name, ()))
            due = deliveries.due(
                self.db, target.name, stamp(self.clock()), target.batch, target.settle_seconds
            )
            if due:
                self._send(target, due)
                handled += len(due)
        return handled

    def drain(self, stop: threading.Event | None = None) -> int:
        """Passes until nothing is due now (later retries stay queued)."""
        total = 0
        while not (stop and stop.is_set()):
            handled = self.pass_once()
            if handled == 0:
                return total
            total += handled
        return total

    def pull(self) -> None:
        for puller in self.pullers:
            if puller.due(self.clock()):
                try:
                    log.info("%s: %s", puller.name, puller.pull(self.db))
                except TargetProblem as problem:
                    self._note_problem(puller.name, problem.reason, problem.offline)
                except Exception:
                    log.exception("pulling orders for %s failed", puller.name)

    def run(self, stop: threading.Event, wake: threading.Event, idle: float = 5.0) -> None:
        """Until `stop`: pull when due, drain, then sleep until the next due record,
        a wake-up (a new shipment) or `idle` seconds, whichever is first."""
        self.recover()
        while not stop.is_set():
            self.pull()
            self.drain(stop)
            wake.wait(self._idle_seconds(idle))
            wake.clear()

    def close(self) -> None:
        parts: list[Target | Puller] = [*self.targets, *self.pullers]
        for part in parts:
            part.close()

    # -- one batch ----------------------------------------------------------------

    def _send(self, target: Target, due: list[deliveries.Due]) -> None:
        records = outbox.load(self.db, [d.outbox_id for d in due])
        ids = [r.id for r in records]
        loaded = set(ids)
        due = [d for d in due if d.outbox_id in loaded]
        in_doubt = {d.outbox_id: d.sent_mark for d in due if d.in_doubt}
        settled: dict[int, UploadResult] = {}
        if not target.takes_voids:
            settled = voids.settle(self.db, target.name, records, in_doubt)
        to_send = [r for r in records if r.id not in settled]
        deliveries.start(self.db, target.name, ids)
        try:
            sent = target.deliver(to_send, in_doubt, self._noter(target)) if to_send else []
            if len(sent) != len(to_send):
                raise RuntimeError(f"{len(sent)} outcomes for {len(to_send)} records")
        except TargetProblem as problem:
            self._pause(target, due, problem)
            return
        except Exception as exc:
            log.exception("target %s failed on a batch", target.name)
            internal = TargetProblem(f"internal error: {exc!r}", in_doubt=True, offline=False)
            self._pause(target, due, internal)
            return
        settled.update(zip((r.id for r in to_send), sent, strict=True))
        outcomes = [settled[r.id] for r in records]
        attempts = {d.outbox_id: d.attempts for d in due}
        now = self.clock()
        finished = [
            self._finished(r.id, o, attempts[r.id], now)
            for r, o in zip(records, outcomes, strict=True)
        ]
        values: dict[str, str] = {}
        if to_send:  # only an answer from upstream says it is online
            values = {ONLINE: "1", LAST_ERROR: "", **target.state()}
            if any(o.verdict is Verdict.DONE for o in sent):
                values[LAST_SUCCESS] = stamp(now)
        deliveries.finish(self.db, target.name, finished, values)
        if not target.takes_voids:
            voids.after_delivery(self.db, target.name, records, outcomes)
        self._failures[target.name] = 0

    def _noter(self, target: Target) -> Sending:
        def note(record_id: int, mark: str) -> None:
            deliveries.note_sent(self.db, target.name, record_id, mark)

        return note

    def _finished(
        self, outbox_id: int, outcome: UploadResult, attempts: int, now: float
    ) -> deliveries.Finished:
        if outcome.verdict is Verdict.DONE:
            return deliveries.Finished(outbox_id, DeliveryState.DONE, outcome.note)
        if outcome.verdict is Verdict.ATTENTION:
            return deliveries.Finished(
                outbox_id, DeliveryState.ATTENTION, outcome.note, in_doubt=True
            )
        wait = outcome.retry_after
        if wait is None:
            wait = full_jitter(attempts + 1, self.backoff.base, self.backoff.cap, self.rng)
        return deliveries.Finished(
            outbox_id, DeliveryState.QUEUED, outcome.note, stamp(now + wait), outcome.in_doubt
        )

    def _pause(self, target: Target, due: list[deliveries.Due], problem: TargetProblem) -> None:
        failures = self._failures.get(target.name, 0) + 1
        self._failures[target.name] = failures
        wait = problem.retry_after
        if wait is None:
            wait = full_jitter(failures, self.backoff.base, self.backoff.cap, self.rng)
        now = self.clock()
        self._paused_until[target.name] = now + wait
        log.warning("%s paused %.1f s: %s", target.name, wait, problem.reason)
        finished = [
            deliveries.Finished(
                d.outbox_id,
                DeliveryState.QUEUED,
                problem.reason,
                stamp(now + wait),
                problem.in_doubt,
            )
            for d in due
        ]
        deliveries.finish(self.db, target.name, finished, self._problem_values(problem, now))

    def _note_problem(self, name: str, reason: str, offline: bool) -> None:
        problem = TargetProblem(reason, in_doubt=False, offline=offline)
        deliveries.save_state(self.db, name, self._problem_values(problem, self.clock()))

    @staticmethod
    def _problem_values(problem: TargetProblem, now: float) -> dict[str, str]:
        return {
            ONLINE: "0" if problem.offline else "1",
            LAST_ERROR: problem.reason,
            LAST_ERROR_AT: stamp(now),
        }

    def _idle_seconds(self, idle: float) -> float:
        now = self.clock()
        soonest = now + idle
        for target in self.targets:
            paused = self._paused_until.get(target.name, 0.0)
            due_at = deliveries.next_due_at(self.db, target.name, target.settle_seconds)
            if due_at is not None:
                moment = datetime.fromisoformat(due_at.replace("Z", "+00:00")).timestamp()
                soonest = min(soonest, max(moment, paused))
        return max(0.05, soonest - now)
