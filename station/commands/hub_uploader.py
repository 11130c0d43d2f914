"""`station hub uploader [--url URL] [--once]`: the warehouse's one WeChat uploader.

Runs on one computer with a fixed public IP address (WeChat's IP whitelist), with
the WeChat targets in its data folder's sync.toml and their AppSecrets stored there
by `station sync secret set NAME`; benches with a hub need neither. Exit codes: 0
done, 1 a target paused on a problem (--once), 2 bad input or configuration, the
hub unreachable or its schema unusable.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

import psycopg

from station.commands.common import CommandContext
from station.hub import wechat_queue as queue
from station.hub.db import HubUnreachable, connect
from station.hub.migrations import HubNotInitialised, HubTooNew, check
from station.hub.wechat import HubUploader, build_targets
from station.sync.config import SYNC_FILE, SyncConfigError, load_targets
from station.sync.miniprogram import UPLOAD_TIME
from station.sync.secrets import get_secret
from station.sync.uploader import LAST_ERROR, Backoff

EXIT_PROBLEM, EXIT_BAD = 1, 2
HELP = __doc__


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "uploader",
        help="upload every bench's shipments from the hub to WeChat (holds the AppSecret)",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", help="the hub (default: hub.url in settings)")
    parser.add_argument("--once", action="store_true", help="stop when nothing is due")
    parser.set_defaults(func=run_uploader)


def _fail(message: str, code: int = EXIT_BAD) -> int:
    print(f"station hub uploader: {message}", file=sys.stderr)
    return code


def run_uploader(ctx: CommandContext) -> int:
    args = ctx.args
    settings = ctx.settings
    url = args.url or settings["hub.url"]
    if not url:
        return _fail("no hub: set hub.url in settings.toml, or give --url URL")
    try:
        configs = load_targets(ctx.folder)
    except SyncConfigError as exc:
        return _fail(str(exc))
    timeout = max(10.0, settings["hub.timeout_seconds"])
    try:
        with connect(url, timeout) as conn, ctx.database(writes=False) as db:
            check(conn)
            parts = build_targets(
                configs,
                lambda name: get_secret(name, db),
                lambda name: queue.get_state(conn, name, UPLOAD_TIME) or "",
            )
    except (HubUnreachable, psycopg.OperationalError) as exc:
        return _fail(f"the hub cannot be reached: {exc}")
    except (HubNotInitialised, HubTooNew) as exc:
        return _fail(str(exc))
    for name, reason in parts.problems.items():
        print(f"{name}: not started: {reason}", file=sys.stderr)
    if not parts.targets:
        return _fail(
            f"{ctx.folder / SYNC_FILE} names no WeChat target that can start: add the "
            'mini-program or shop target ([[targets]], see the README, "Orders, carriers '
            'and uploads") and store its AppSecret with `station sync secret set NAME`'
        )
    backoff = Backoff(settings["sync.backoff_base_seconds"], settings["sync.backoff_cap_seconds"])
    uploader = HubUploader(url, parts.targets, parts.sources, backoff, parts.pullers, timeout)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        uploader.connect()
        names = ", ".join(t.name for t in parts.targets)
        print(f"uploading the hub's shipments to WeChat ({names})", flush=True)
        if args.once:
            sent = uploader.drain(stop)
            print(f"{sent} record attempts")
            for name, words in uploader.problems.items():
                print(f"{name}: {words}", file=sys.stderr)
            return EXIT_PROBLEM if uploader.problems else 0
        uploader.run(stop, settings["sync.idle_seconds"])
        return 0
    except (HubUnreachable, psycopg.OperationalError) as exc:
        return _fail(f"the hub cannot be reached: {exc}")
    except (HubNotInitialised, HubTooNew) as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 0
    finally:
        uploader.close()


def upload_lines(conn: psycopg.Connection) -> tuple[list[str], int]:
    """The hub uploader's queue for `station hub status`: a line per target, then
    the records that need a person; and how many need one."""
    lines = []
    for name, count in queue.counts(conn).items():
        error = queue.get_state(conn, name, LAST_ERROR) if name else ""
        lines.append(
            f"WeChat uploads {name or '(not taken in yet)'}: {count.queued} queued, "
            f"{count.sending} sending, {count.attention} need attention, {count.done} done"
            + (f"; last error: {error}" if error else "")
        )
    rows = queue.attention(conn)
    lines += [f"  {target} {order} {tracking}: {note}" for target, order, tracking, note in rows]
    return lines, len(rows)
