"""`station hub uploads`: the hub uploader's records that need a person.

    station hub uploads [--json]                          list them (id, target, order...)
    station hub uploads retry ID... --as NAME             send them again
    station hub uploads dismiss ID... --reason TEXT --as NAME   give up on them, saying why

As `station sync retry|dismiss` at a bench: a supervisor (`--as NAME`, the PIN read
from $STATION_PIN, the terminal or stdin) or `--technician` (the owner of the data
folder). A retried record is looked up in WeChat before anything is sent again, so
WeChat's single re-ship per order is never spent on a record that had reached it.
Both are audited at the hub. Exit codes: 0 done, 2 bad input, an id that does not
need attention (the others are done), or the hub unreachable.
"""

from __future__ import annotations

import argparse
import json
import sys

from station.commands.access import actor_for, add_actor_options
from station.commands.common import CommandContext
from station.commands.hub import _hub, _url_option
from station.core.permissions import Action
from station.hub import upload_review
from station.store.db import DB_FILE
from station.store.db import connect as connect_sqlite

EXIT_BAD = 2


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    uploads = commands.add_parser(
        "uploads",
        help="the hub uploader's records that need a person: list, retry, dismiss",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    uploads.add_argument("--json", action="store_true", help="one JSON object per line")
    _url_option(uploads)
    uploads.set_defaults(func=list_uploads)
    actions = uploads.add_subparsers(dest="uploads_command", metavar="ACTION")

    retry = actions.add_parser("retry", help="send records again (WeChat is asked first)")
    retry.add_argument("ids", nargs="+", type=int, metavar="ID", help="id from the list")
    _sub_url_option(retry)
    add_actor_options(retry, Action.UPLOADS)
    retry.set_defaults(func=retry_uploads)

    dismiss = actions.add_parser("dismiss", help="give up on records, saying why")
    dismiss.add_argument("ids", nargs="+", type=int, metavar="ID", help="id from the list")
    dismiss.add_argument("--reason", required=True, help="why (audited)")
    _sub_url_option(dismiss)
    add_actor_options(dismiss, Action.UPLOADS)
    dismiss.set_defaults(func=dismiss_uploads)


def _sub_url_option(parser: argparse.ArgumentParser) -> None:
    """--url after the action too, not overriding one given before it."""
    parser.add_argument(
        "--url", default=argparse.SUPPRESS, help="the hub (default: hub.url in settings)"
    )


def list_uploads(ctx: CommandContext) -> int:
    with _hub(ctx) as conn:
        rows = upload_review.waiting(conn)
    for row in rows:
        if ctx.args.json:
            print(json.dumps(row.as_json(), ensure_ascii=False))
        else:
            print(
                f"{row.id}  {row.target}  {row.event}  {row.order_no}  {row.tracking_no}  "
                f"{row.bench}  attempts {row.attempts}  {row.updated_at:%Y-%m-%d %H:%M}  "
                f"{row.note}"
            )
    return 0


def _supervisor(ctx: CommandContext) -> str:
    """The supervisor's name (the command ends, exit 2, if not allowed)."""
    db = connect_sqlite(ctx.folder / DB_FILE)
    try:
        return actor_for(ctx.args, db, ctx.folder, Action.UPLOADS).name
    finally:
        db.close()


def _report(done: list[int], asked: list[int], verb: str) -> int:
    for upload_id in done:
        print(f"{upload_id}: {verb}")
    missing = sorted(set(asked) - set(done))
    if missing:
        names = ", ".join(str(n) for n in missing)
        print(
            f"station hub uploads: {names}: no such record needing attention "
            "(see `station hub uploads`)",
            file=sys.stderr,
        )
        return EXIT_BAD
    return 0


def retry_uploads(ctx: CommandContext) -> int:
    who = _supervisor(ctx)
    with _hub(ctx) as conn:
        done = upload_review.retry(conn, ctx.args.ids, who)
    return _report(done, ctx.args.ids, "queued again; WeChat is asked before it is sent")


def dismiss_uploads(ctx: CommandContext) -> int:
    if not ctx.args.reason.strip():
        print(
            "station hub uploads: a dismissal needs a reason: give --reason TEXT", file=sys.stderr
        )
        return EXIT_BAD
    who = _supervisor(ctx)
    with _hub(ctx) as conn:
        done = upload_review.dismiss(conn, ctx.args.ids, who, ctx.args.reason)
    return _report(done, ctx.args.ids, "dismissed")
