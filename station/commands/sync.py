"""`station sync`: the upload queue from a terminal.

  status [--json]                    queued, in flight, needs attention, per target
  run [--once]                       run the uploader (--once: until nothing is due)
  export-csv --since DATE --out F    batch-shipping spreadsheet for hand upload
  secret set TARGET                  store a target's AppSecret / webhook key (keyring, else sealed)
  attention [--json]                 records that need a person
  retry ID --target T --as NAME      send a needs-attention record again
  dismiss ID --target T --reason R --as NAME   give up on it, saying why

retry and dismiss need a supervisor, as in the window (F12): `--as NAME` (the PIN
is read from $STATION_PIN, the terminal or stdin) or `--technician` (the owner of
the data folder); a dismissal records who dismissed it.

Targets are configured in sync.toml in the data folder; see station/sync/config.py.
Exit codes: 0 done, 2 bad input or configuration, 3 another uploader is running.
"""

from __future__ import annotations

import argparse
import getpass
import json
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from station.app.sync_status import SyncStatus
from station.commands.access import add_actor_options
from station.commands.common import (
    CommandContext,
    refuse_damaged,
)
from station.commands.subcommands import command_group, json_command, secret_set_parser
from station.core.permissions import Action
from station.hub.wiring import hub_targets
from station.settings import SettingsError
from station.store.db import iso
from station.sync import config as sync_config
from station.sync.csv_export import export_csv
from station.sync.secrets import set_secret
from station.sync.worker import AnotherUploader, run_foreground

if TYPE_CHECKING:
    import sqlite_utils

EXIT_BAD_INPUT, EXIT_BUSY = 2, 3


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands = command_group(
        sub, "sync", "the upload queue: status, run, CSV export, secrets", __doc__
    )
    json_command(
        commands, "status", "queued, in flight, needs attention, per target", status_command
    )

    run = commands.add_parser("run", help="run the uploader in the foreground")
    run.add_argument("--once", action="store_true", help="stop when nothing is due")
    run.set_defaults(func=run_command)

    export = commands.add_parser("export-csv", help="shipments as a batch-shipping CSV")
    export.add_argument("--since", required=True, help="date or time, e.g. 2026-11-21")
    export.add_argument("--out", required=True, type=Path, help="CSV file to write")
    export.set_defaults(func=export_command)

    secret_set = secret_set_parser(
        commands, "keep a target's secret in the OS keyring (else sealed in the data folder)"
    )
    secret_set.add_argument("target", help="target name from sync.toml")
    secret_set.set_defaults(func=secret_set_command)

    attention = commands.add_parser("attention", help="records that need a person")
    attention.add_argument("--json", action="store_true", help="one JSON object per line")
    attention.set_defaults(func=attention_command)

    retry = commands.add_parser("retry", help="send a needs-attention record again")
    retry.add_argument("id", type=int, help="record id (from `attention`)")
    retry.add_argument("--target", required=True)
    add_actor_options(retry, Action.UPLOADS)
    retry.set_defaults(func=retry_command)

    dismiss = commands.add_parser("dismiss", help="give up on a needs-attention record")
    dismiss.add_argument("id", type=int, help="record id (from `attention`)")
    dismiss.add_argument("--target", required=True)
    dismiss.add_argument("--reason", required=True)
    add_actor_options(dismiss, Action.UPLOADS)
    dismiss.set_defaults(func=dismiss_command)


def _fail(message: str, code: int = EXIT_BAD_INPUT) -> int:
    print(f"station sync: {message}", file=sys.stderr)
    return code


def _uploads(db: sqlite_utils.Database, ctx: CommandContext) -> SyncStatus:
    """The sync status use case, naming this station in the audit log."""
    try:
        station = ctx.settings["station.name"]
    except SettingsError:
        station = ""
    return SyncStatus(db, ctx.folder, station)


def _targets(folder: Path) -> list[sync_config.TargetConfig]:
    """The targets in sync.toml, and the hub's when `hub.url` is set."""
    return sync_config.load_targets(folder) + hub_targets(folder)


def status_command(ctx: CommandContext) -> int:
    args = ctx.args
    folder = ctx.folder
    with ctx.database(writes=False) as db:
        status = SyncStatus(db, folder).status()
    if status.config_error:
        return _fail(status.config_error)
    if args.json:
        print(json.dumps(status.as_json(), ensure_ascii=False))
        return 0
    if not status.set_up:
        waiting = status.waiting_locally
        print(sync_config.NOT_SET_UP.format(path=folder / sync_config.SYNC_FILE, waiting=waiting))
        return 0
    totals = status.totals
    print(
        f"{'online' if totals['online'] else 'OFFLINE'}: {totals['queued']} queued, "
        f"{totals['in_flight']} in flight, {totals['needs_attention']} need attention; "
        f"oldest queued {totals['oldest_queued_at'] or '-'}, "
        f"last success {totals['last_success_at'] or '-'}"
    )
    for s in status.targets:
        state = {True: "online", False: "offline", None: "not tried"}[s.online]
        print(
            f"  {s.name} ({s.kind}): {state}, {s.queued} queued, {s.in_flight} in flight, "
            f"{s.needs_attention} need attention, last success {s.last_success_at or '-'}"
        )
        if s.last_error:
            print(f"    last error {s.last_error_at or ''}: {s.last_error}")
    return 0


def run_command(ctx: CommandContext) -> int:
    args = ctx.args
    folder = ctx.folder
    try:
        settings = ctx.settings
        _targets(folder)
    except (SettingsError, sync_config.SyncConfigError) as exc:
        return _fail(str(exc))
    refuse_damaged(folder)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        sent = run_foreground(folder, settings, stop, once=args.once)
    except AnotherUploader as exc:
        return _fail(str(exc), EXIT_BUSY)
    except KeyboardInterrupt:
        return 0
    if args.once:
        print(f"{sent} record attempts")
    return 0


def export_command(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        since = datetime.fromisoformat(args.since)
    except ValueError:
        return _fail(f"--since {args.since!r} is not a date like 2026-11-21")
    settings = ctx.settings
    try:
        with ctx.database(writes=False) as db:
            rows = export_csv(db, iso(since.astimezone()), args.out, settings["sync.csv_columns"])
    except ValueError as exc:
        return _fail(str(exc))
    print(f"{rows} shipments written to {args.out}")
    return 0


def secret_set_command(ctx: CommandContext) -> int:
    args = ctx.args
    folder = ctx.folder
    try:
        names = [t.name for t in _targets(folder)]
    except sync_config.SyncConfigError as exc:
        return _fail(str(exc))
    if args.target not in names:
        return _fail(f"no target {args.target!r} in {folder / sync_config.SYNC_FILE}")
    value = getpass.getpass(f"secret for {args.target} (not shown): ").strip()
    if not value:
        return _fail("nothing entered; the secret is unchanged")
    with ctx.database() as db:
        where = set_secret(args.target, value, db)
    print(f"secret for {args.target} stored in {where}")
    return 0


def attention_command(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.database(writes=False) as db:
        rows = SyncStatus(db, ctx.folder).attention()
    for row in rows:
        if args.json:
            print(json.dumps(row.__dict__, ensure_ascii=False))
        else:
            print(f"{row.outbox_id}  {row.target}  {row.order_no}  {row.tracking_no}  {row.note}")
    return 0


def retry_command(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.database() as db:
        who = ctx.actor(db, Action.UPLOADS)
        changed = _uploads(db, ctx).retry(args.target, args.id, who)
    return 0 if changed else _fail(f"record {args.id} does not need attention at {args.target}")


def dismiss_command(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        with ctx.database() as db:
            who = ctx.actor(db, Action.UPLOADS)
            changed = _uploads(db, ctx).dismiss(args.target, args.id, who, args.reason)
    except ValueError as exc:
        return _fail(str(exc))
    return 0 if changed else _fail(f"record {args.id} does not need attention at {args.target}")
