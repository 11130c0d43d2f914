"""`station hub uploader`: the one process of a warehouse that talks to WeChat.

It holds the AppSecret (from its own data folder, as `station sync` keeps it) and
uploads every bench's shipments from the hub with the bench uploader's own WeChat
targets (station.sync.miniprogram, station.sync.shop), so the guarantees are the
same: `sending` and the upload_time it carries are committed (at the hub) before a
request leaves, and a record whose answer was lost is looked up in WeChat before
anything is sent again, so the order's single re-ship is never spent by us.

Several uploaders may run at once (a standby): each row is claimed by one of them
(station.hub.wechat_queue). WeChat's IP whitelist (61004) wants one fixed public
address, so run one where you can.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import psycopg

from station.hub import wechat_queue as queue
from station.hub.db import HubUnreachable, connect
from station.hub.migrations import check
from station.hub.wechat_orders import HubShopPuller
from station.sync import voids
from station.sync.backoff import full_jitter
from station.sync.config import SHOP, WECHAT_KINDS, TargetConfig
from station.sync.http import HttpClient
from station.sync.outcome import TargetProblem, UploadResult, Verdict
from station.sync.secrets import SecretMissing
from station.sync.shop_orders import ShopOrderPuller
from station.sync.target import Target
from station.sync.targets import wechat_target
from station.sync.uploader import LAST_ERROR, LAST_ERROR_AT, LAST_SUCCESS, ONLINE, Backoff
from station.sync.wechat_api import WeChatApi
from station.sync.wechat_errors import WHITELIST

log = logging.getLogger("station.hub.uploader")

LOST = (HubUnreachable, psycopg.OperationalError, psycopg.InterfaceError)
FIXED_ADDRESS = (
    "WeChat takes API calls only from the public IP addresses on the AppID's whitelist: "
    "run `station hub uploader` on one computer whose internet connection has a fixed "
    "public IP address, and add that address to the whitelist (WeChat back office: "
    "Development > Basic configuration > IP whitelist)"
)


class NoWeChatTarget(ValueError):
    """The uploader's sync.toml names no enabled WeChat target, or none can start."""


@dataclass
class Parts:
    targets: list[Target] = field(default_factory=list)
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    pullers: list[HubShopPuller] = field(default_factory=list)
    problems: dict[str, str] = field(default_factory=dict)


def build_targets(
    configs: Sequence[TargetConfig],
    secret: Callable[[str], str],
    last_upload_time: Callable[[str], str],
) -> Parts:
    """The enabled WeChat targets of the uploader's sync.toml, with their secrets,
    and the order pulls of the shop targets that pull orders (into the hub)."""
    parts = Parts()
    for config in configs:
        if not config.enabled or config.kind not in WECHAT_KINDS:
            continue
        try:
            key = secret(config.name)
        except SecretMissing as exc:
            parts.problems[config.name] = str(exc)
            continue
        target, api = wechat_target(config, key, last_upload_time(config.name))
        parts.targets.append(target)
        parts.sources[config.name] = config.sources
        if config.kind == SHOP and config.pull_orders:
            own = WeChatApi(HttpClient(config.base_url, config.timeout_seconds), api.tokens)
            shop = ShopOrderPuller(config.name, own, config.pull_interval_minutes, config.pull_days)
            parts.pullers.append(HubShopPuller(shop))
    return parts


def stamp(moment: float) -> str:
    return datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds")


def problem_words(problem: TargetProblem) -> str:
    """The problem, with what to do about an address WeChat does not take."""
    if any(f"WeChat {code}:" in problem.reason for code in WHITELIST):
        return f"{problem.reason}. {FIXED_ADDRESS}."
    return problem.reason


class HubUploader:
    """Uploads the hub's shipments to WeChat. `connect()` first; `pass_once()` or
    `drain()` or `run()`; `close()`."""

    def __init__(
        self,
        url: str,
        targets: Sequence[Target],
        sources: Mapping[str, tuple[str, ...]],
        backoff: Backoff | None = None,
        pullers: Sequence[HubShopPuller] = (),
        timeout_s: float = 10.0,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ):
        self.url = url
        self.targets = list(targets)
        self.sources = {t.name: tuple(sources.get(t.name, ())) for t in self.targets}
        self.backoff = backoff or Backoff()
        self.pullers = list(pullers)
        self.timeout_s = timeout_s
        self.clock = clock
        self.rng = rng or random.Random()
        self.conn: psycopg.Connection | None = None
        self.owner = 0
        self._paused_until: dict[str, float] = {}
        self._failures: dict[str, int] = {}
        self.problems: dict[str, str] = {}  # target -> the last problem that paused it

    # -- the connection -----------------------------------------------------------

    def connect(self) -> psycopg.Connection:
        """The hub connection, opened (and checked) when there is none; each one gets
        a new owner number, so rows claimed on a lost one are recovered in doubt."""
        if self.conn is None or self.conn.closed:
            conn = connect(self.url, self.timeout_s)
            try:
                check(conn)
                self.owner = queue.take_owner(conn, self.rng)
            except BaseException:
                conn.close()
                raise
            self.conn = conn
        return self.conn

    def disconnect(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            conn.close()

    def close(self) -> None:
        self.disconnect()
        for target in self.targets:
            target.close()
        for puller in self.pullers:
            puller.close()

    # -- passes -------------------------------------------------------------------

    def pass_once(self) -> int:
        """Recover rows of gone uploaders, take new shipments in, and send one batch
        per target that has due rows; returns rows attempted. Raises LOST errors."""
        conn = self.connect()
        self._pull(conn)
        queue.recover(conn)
        while queue.fan_out(conn, self.sources):
            pass
        handled = 0
        for target in self.targets:
            if self._paused_until.get(target.name, 0.0) > self.clock():
                continue
            claimed = queue.claim(
                conn, target.name, self.owner, target.batch, target.settle_seconds
            )
            if claimed:
                self._send(conn, target, claimed)
                handled += len(claimed)
        return handled

    def drain(self, stop: threading.Event | None = None) -> int:
        """Passes until nothing is due now (retries and in-doubt rows waiting for
        their settle window stay queued)."""
        total = 0
        while not (stop and stop.is_set()):
            handled = self.pass_once()
            if handled == 0:
                return total
            total += handled
        return total

    def run(self, stop: threading.Event, idle: float = 5.0) -> None:
        """Until `stop`: drain, then wait `idle` seconds; a lost hub is retried with
        backoff (the rows this uploader held are then recovered in doubt)."""
        failures = 0
        while not stop.is_set():
            try:
                self.drain(stop)
                failures = 0
            except (*LOST, queue.ClaimLost) as exc:
                failures += 1
                self.disconnect()
                wait = full_jitter(failures, self.backoff.base, self.backoff.cap, self.rng)
                log.warning("hub unreachable (%s); trying again in %.1f s", exc, wait)
                stop.wait(wait)
                continue
            stop.wait(idle)

    def _pull(self, conn: psycopg.Connection) -> None:
        """The shop's new and changed orders into the hub, when due."""
        for puller in self.pullers:
            if not puller.due(self.clock()):
                continue
            try:
                log.info("%s orders: %s", puller.name, puller.pull(conn))
            except TargetProblem as problem:
                words = problem_words(problem)
                log.warning("pulling %s orders failed: %s", puller.name, words)
                values = {LAST_ERROR: words, LAST_ERROR_AT: stamp(self.clock())}
                queue.save_state(conn, puller.name, values)
            except LOST:
                raise
            except Exception:  # a bug in reading one order must not stop the uploads
                log.exception("pulling %s orders failed", puller.name)

    # -- one batch ----------------------------------------------------------------

    def _send(self, conn: psycopg.Connection, target: Target, claimed: list[queue.Claimed]) -> None:
        records = [c.record for c in claimed]
        shipment_of = {c.record.id: c.shipment_id for c in claimed}
        in_doubt = {c.record.id: c.sent_mark for c in claimed if c.in_doubt}
        settled = voids.settle_with(
            records, in_doubt, lambda r: queue.reached(conn, target.name, shipment_of[r.id])
        )
        to_send = [r for r in records if r.id not in settled]

        def sending(record_id: int, mark: str) -> None:
            queue.note_sent(conn, record_id, self.owner, mark)

        try:
            sent = target.deliver(to_send, in_doubt, sending) if to_send else []
            if len(sent) != len(to_send):
                raise RuntimeError(f"{len(sent)} outcomes for {len(to_send)} records")
        except TargetProblem as problem:
            self._pause(conn, target, claimed, problem)
            return
        except (*LOST, queue.ClaimLost):
            raise
        except Exception as exc:
            log.exception("target %s failed on a batch", target.name)
            internal = TargetProblem(f"internal error: {exc!r}", in_doubt=True, offline=False)
            self._pause(conn, target, claimed, internal)
            return
        settled.update(zip((r.id for r in to_send), sent, strict=True))
        now = self.clock()
        sent_ids = {r.id for r in to_send}
        finished = [
            self._finished(c, settled[c.record.id], c.record.id in sent_ids, now) for c in claimed
        ]
        values: dict[str, str] = {}
        if to_send:
            values = {ONLINE: "1", LAST_ERROR: "", **target.state()}
            if any(o.verdict is Verdict.DONE for o in sent):
                values[LAST_SUCCESS] = stamp(now)
        queue.finish(conn, target.name, self.owner, finished, values)

        def close_voids(order_no: str, note: str) -> None:
            queue.close_voids(conn, target.name, order_no, note)

        voids.after_delivery_with(records, [settled[r.id] for r in records], close_voids)
        self._failures[target.name] = 0
        self.problems.pop(target.name, None)

    def _finished(
        self, claimed: queue.Claimed, outcome: UploadResult, sent: bool, now: float
    ) -> queue.Finished:
        upload_id = claimed.record.id
        if outcome.verdict is Verdict.DONE:
            return queue.Finished(upload_id, queue.UploadState.DONE, outcome.note, reached=sent)
        if outcome.verdict is Verdict.ATTENTION:
            return queue.Finished(
                upload_id, queue.UploadState.ATTENTION, outcome.note, in_doubt=True
            )
        wait = outcome.retry_after
        if wait is None:
            wait = full_jitter(claimed.attempts + 1, self.backoff.base, self.backoff.cap, self.rng)
        return queue.Finished(
            upload_id,
            queue.UploadState.QUEUED,
            outcome.note,
            _moment(now + wait),
            outcome.in_doubt,
        )

    def _pause(
        self,
        conn: psycopg.Connection,
        target: Target,
        claimed: list[queue.Claimed],
        problem: TargetProblem,
    ) -> None:
        failures = self._failures.get(target.name, 0) + 1
        self._failures[target.name] = failures
        wait = problem.retry_after
        if wait is None:
            wait = full_jitter(failures, self.backoff.base, self.backoff.cap, self.rng)
        now = self.clock()
        self._paused_until[target.name] = now + wait
        words = problem_words(problem)
        self.problems[target.name] = words
        log.warning("%s paused %.1f s: %s", target.name, wait, words)
        finished = [
            queue.Finished(
                c.record.id,
                queue.UploadState.QUEUED,
                problem.reason,
                _moment(now + wait),
                problem.in_doubt,
            )
            for c in claimed
        ]
        values = {
            ONLINE: "0" if problem.offline else "1",
            LAST_ERROR: words,
            LAST_ERROR_AT: stamp(now),
        }
        queue.finish(conn, target.name, self.owner, finished, values)


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
