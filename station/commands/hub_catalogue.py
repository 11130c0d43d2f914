"""`station hub products|carriers|rates|routing|users|publish`: what a supervisor sets
once at the hub for every bench.

    station hub products import FILE [--mapping M] [--dry-run] --as NAME
    station hub carriers import FILE --as NAME
    station hub rates import FILE --as NAME
    station hub routing import FILE --as NAME          (a routing.toml)
    station hub users add NAME --role R [--pin PIN] --as NAME
    station hub users set-pin NAME [--pin PIN] --as NAME
    station hub users remove NAME --as NAME
    station hub users list
    station hub publish [--only KIND]... --as NAME     (this bench's own, to the hub)

Files are read as the bench's own commands read them (`station products import`,
`station carriers import`, `station carriers rates import`, routing.toml). Every
bench pulls the changes every `hub.pull_seconds` and keeps a copy for offline
work; a user removed here can no longer sign in at a bench after its next pull.
PINs are kept at the hub only as the benches hash them (salted scrypt).

Changing users (and publishing them) needs an admin, the rest a supervisor:
`--as NAME` (the PIN from $STATION_PIN, the terminal or stdin) or `--technician`
(the owner of the data folder). Each change is in the hub's audit table, naming
them. The new user's PIN is --pin, else asked twice, unseen.
Exit codes: 0 done, 1 partly done or refused (rejected rows; the user exists or
does not; PIN rules), 2 bad input, unreadable file, not allowed, or the hub
unreachable (nothing changed).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from station.commands.access import add_actor_options
from station.commands.common import CommandContext
from station.commands.hub import EXIT_PARTLY, _fail, _hub, _url_option
from station.commands.users import _ask_pin
from station.core.permissions import (
    ADMIN_SECRET_MIN,
    Action,
    BadUserName,
    Role,
    check_user_name,
    pin_problem,
)
from station.core.rates import RateFileError, parse_rates_csv
from station.core.routing import RulesError, parse_rules
from station.hub import catalogue as hub_catalogue
from station.hub.kinds import Kind
from station.importers.carriers import parse_carriers
from station.importers.mapping import PRODUCTS, MappingError, choose_mapping, load_mapping
from station.importers.products import parse_products
from station.importers.table import Limits, UnreadableFile, decode, read_file, read_table
from station.store import catalogue, products, users

EXIT_REFUSED = 1

if TYPE_CHECKING:
    Subcommands = argparse._SubParsersAction[argparse.ArgumentParser]


def register(commands: Subcommands) -> None:
    """The subcommands under `station hub`."""
    prod = _group(commands, "products", "the product catalogue every bench uses")
    imp = _command(prod, "import", "add or change products from CSV or XLSX", Action.CARRIERS)
    imp.add_argument("file", type=Path, help="CSV (UTF-8 or GBK) or XLSX, as `products import`")
    imp.add_argument("--mapping", type=Path, help="column mapping (JSON or TOML)")
    imp.add_argument("--dry-run", action="store_true", help="read and check only")
    imp.set_defaults(func=products_command)

    car = _group(commands, "carriers", "the carriers every bench uses")
    imp = _command(car, "import", "add or change carriers from CSV or XLSX", Action.CARRIERS)
    imp.add_argument("file", type=Path, help="as `station carriers import` reads it")
    imp.set_defaults(func=carriers_command)

    rates = _group(commands, "rates", "the rate tables every bench prices with")
    imp = _command(rates, "import", "replace rate tables from a rates CSV", Action.CARRIERS)
    imp.add_argument("file", type=Path, help="as `station carriers rates import` reads it")
    imp.set_defaults(func=rates_command)

    rules = _group(commands, "routing", "the routing rules every bench uses")
    imp = _command(rules, "import", "set the routing rules (a routing.toml)", Action.CARRIERS)
    imp.add_argument("file", type=Path, help="a routing.toml, as the data folder holds it")
    imp.set_defaults(func=routing_command)

    people = _group(commands, "users", "the people who sign in at every bench")
    add = _command(people, "add", "add a packer, supervisor or admin", Action.USERS)
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument(
        "--pin",
        help=f"the new user's PIN: 4-12 digits, an admin's {ADMIN_SECRET_MIN}+ characters; "
        "without it the PIN is asked for, unseen",
    )
    add.set_defaults(func=add_user_command)
    change = _command(people, "set-pin", "give a user a new PIN at every bench", Action.USERS)
    change.add_argument("name")
    change.add_argument("--pin", help="the new PIN; without it the PIN is asked for, unseen")
    change.set_defaults(func=set_pin_command)
    remove = _command(people, "remove", "stop a user signing in at every bench", Action.USERS)
    remove.add_argument("name")
    remove.set_defaults(func=remove_user_command)
    listing = people.add_parser("list", help="every user at the hub with role and state")
    _url_option(listing)
    listing.set_defaults(func=list_users_command)

    publish = commands.add_parser(
        "publish",
        help="send this bench's products, carriers, rates, routing rules and users to the hub",
    )
    publish.add_argument(
        "--only",
        action="append",
        choices=[k.value for k in Kind],
        help="only this kind (repeat for several); users need an admin",
    )
    _url_option(publish)
    add_actor_options(publish, Action.USERS)
    publish.set_defaults(func=publish_command)


def _group(commands: Subcommands, name: str, text: str) -> Subcommands:
    parser = commands.add_parser(
        name, help=text, epilog=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    group: Subcommands = parser.add_subparsers(
        dest=f"hub_{name}_command", metavar="SUBCOMMAND", required=True
    )
    return group


def _command(group: Subcommands, name: str, text: str, action: Action) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = group.add_parser(name, help=text)
    _url_option(parser)
    add_actor_options(parser, action)
    return parser


def _who(ctx: CommandContext, action: Action) -> str:
    """Who runs the command (--as NAME, checked at this data folder, or --technician);
    else the command ends with exit 2."""
    with ctx.database() as db:
        return ctx.actor(db, action).name


def products_command(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        table = read_table(args.file, Limits.of(ctx.settings))
        given = load_mapping(args.mapping) if args.mapping else None
        mapping = choose_mapping(table.headers, PRODUCTS, "generic", given)
    except (UnreadableFile, MappingError) as exc:
        return _fail(f"{args.file}: {exc}")
    preview = parse_products(table, mapping)
    changed = 0
    if not args.dry_run:
        who = _who(ctx, Action.CARRIERS)
        with _hub(ctx) as conn:
            changed = hub_catalogue.put_products(
                conn, preview.products, who, ctx.settings["station.name"], f"file:{args.file.name}"
            )
    print(f"{args.file}: {preview.total_rows} rows, {table.encoding}")
    print(f"products read: {len(preview.products)}")
    print(f"new or changed at the hub: {changed}")
    _problems(preview.rejected_rows, preview.problems)
    if args.dry_run:
        print("dry run: nothing was changed")
    return EXIT_PARTLY if preview.rejected_rows else 0


def _problems(rejected: int, problems: Sequence[object]) -> None:
    print(f"rejected rows: {rejected}")
    for problem in problems[:200]:
        print(f"  {problem}")


def carriers_command(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        table = read_table(args.file, Limits.of(ctx.settings))
    except UnreadableFile as exc:
        return _fail(f"{args.file}: {exc}")
    who = _who(ctx, Action.CARRIERS)
    with _hub(ctx) as conn:
        try:
            preview = parse_carriers(table, hub_catalogue.known_carriers(conn))
        except UnreadableFile as exc:
            return _fail(f"{args.file}: {exc}")
        changed = hub_catalogue.put_carriers(
            conn, preview.entries, who, ctx.settings["station.name"], f"file:{args.file.name}"
        )
    print(f"{args.file}: {preview.total_rows} rows, {table.encoding}")
    print(f"changed at the hub: {len(changed)}" + (f" ({', '.join(changed)})" if changed else ""))
    _problems(preview.rejected_rows, preview.problems)
    return EXIT_PARTLY if preview.rejected_rows else 0


def rates_command(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        text, _ = decode(read_file(args.file))
        rates, problems = parse_rates_csv(text)
    except (OSError, UnreadableFile, RateFileError) as exc:
        return _fail(f"{args.file}: {exc}")
    if problems:
        # All or nothing, as at a bench: a table without its bad rows would price
        # the provinces of those rows by another zone, or not at all.
        lines = "\n".join(f"  {problem}" for problem in problems[:200])
        return _fail(
            f"{args.file}: {len(problems)} rows rejected, nothing loaded (the hub's rates are "
            f"as before)\n{lines}\nFix these rows and import the whole file again."
        )
    who = _who(ctx, Action.CARRIERS)
    with _hub(ctx) as conn:
        changed = hub_catalogue.put_rates(
            conn, rates, who, ctx.settings["station.name"], f"file:{args.file.name}"
        )
    print(f"{args.file}: {len(rates)} rates read, 0 rows rejected")
    print(
        f"tables changed at the hub: {len(changed)}"
        + (f" ({', '.join(changed)})" if changed else "")
    )
    return 0


def routing_command(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        text, _ = decode(read_file(args.file))
        parse_rules(text)
    except (OSError, UnreadableFile, RulesError) as exc:
        return _fail(f"{args.file}: {exc}\nNothing was changed at the hub.")
    who = _who(ctx, Action.CARRIERS)
    with _hub(ctx) as conn:
        changed = hub_catalogue.put_routing(
            conn, text, who, ctx.settings["station.name"], f"file:{args.file.name}"
        )
    print(f"{args.file}: routing rules {'set at the hub' if changed else 'unchanged'}")
    return 0


def add_user_command(ctx: CommandContext) -> int:
    args = ctx.args
    try:
        name = check_user_name(args.name)
    except BadUserName as exc:
        return _fail(str(exc))
    role = Role(args.role)
    who = _who(ctx, Action.USERS)
    pin = args.pin if args.pin is not None else _ask_pin()
    if pin is None:
        return EXIT_REFUSED
    problem = pin_problem(role, pin)
    if problem:
        return _fail(f"{problem} Nothing was changed.", EXIT_REFUSED)
    account = users.HashedAccount(name, role, users.hash_pin(pin))
    with _hub(ctx) as conn:
        try:
            hub_catalogue.add_user(conn, account, who, ctx.settings["station.name"])
        except hub_catalogue.UserExists as exc:
            return _fail(f"{exc}. Nothing was changed.", EXIT_REFUSED)
    print(f"Added {role.value} {name} at the hub; every bench has them after its next pull.")
    return 0


def set_pin_command(ctx: CommandContext) -> int:
    args = ctx.args
    who = _who(ctx, Action.USERS)
    with _hub(ctx) as conn:
        role = hub_catalogue.role_of(conn, args.name)
        if role is None:
            return _fail(f"No active user named {args.name.strip()} at the hub.", EXIT_REFUSED)
        pin = args.pin if args.pin is not None else _ask_pin()
        if pin is None:
            return EXIT_REFUSED
        problem = pin_problem(role, pin)
        if problem:
            return _fail(f"{problem} Nothing was changed.", EXIT_REFUSED)
        name = hub_catalogue.set_pin(
            conn, args.name, users.hash_pin(pin), who, ctx.settings["station.name"]
        )
    if name is None:
        return _fail(f"No active user named {args.name.strip()} at the hub.", EXIT_REFUSED)
    print(f"New PIN for {name}: every bench has it after its next pull.")
    return 0


def remove_user_command(ctx: CommandContext) -> int:
    args = ctx.args
    who = _who(ctx, Action.USERS)
    with _hub(ctx) as conn:
        if not hub_catalogue.remove_user(conn, args.name, who, ctx.settings["station.name"]):
            return _fail(f"No active user named {args.name.strip()} at the hub.", EXIT_REFUSED)
    print(f"Removed {args.name.strip()}: they cannot sign in at a bench after its next pull.")
    return 0


def list_users_command(ctx: CommandContext) -> int:
    with _hub(ctx) as conn:
        listed = hub_catalogue.accounts(conn)
    print("name\trole\tactive")
    for account in listed:
        print(f"{account.name}\t{account.role.value}\t{'yes' if account.active else 'no'}")
    return 0


def publish_command(ctx: CommandContext) -> int:
    """This data folder's own catalogue, carriers, rates, rules and users to the hub:
    how a warehouse whose first bench is set up gives it to every other."""
    args = ctx.args
    kinds = [Kind(k) for k in args.only] if args.only else list(Kind)
    bench = ctx.settings["station.name"]
    with ctx.database() as db:
        who = ctx.actor(db, Action.USERS if Kind.USERS in kinds else Action.CARRIERS).name
        local_products = products.all_products(db) if Kind.PRODUCTS in kinds else []
        local_carriers = list(catalogue.entries(db).values()) if Kind.CARRIERS in kinds else []
        local_rates = catalogue.rates(db) if Kind.RATES in kinds else []
        local_users = users.hashed_accounts(db) if Kind.USERS in kinds else []
    rules = ""
    if Kind.ROUTING in kinds:
        path = catalogue.rules_path(ctx.folder)
        rules = path.read_text(encoding="utf-8")
        try:
            parse_rules(rules)
        except RulesError as exc:
            return _fail(f"{path}: {exc}\nFix it, or publish with --only other kinds.")
    source = f"publish from {bench}"
    with _hub(ctx) as conn:
        for kind in kinds:
            if kind is Kind.PRODUCTS:
                count = hub_catalogue.put_products(conn, local_products, who, bench, source)
            elif kind is Kind.CARRIERS:
                count = len(hub_catalogue.put_carriers(conn, local_carriers, who, bench, source))
            elif kind is Kind.RATES:
                count = len(hub_catalogue.put_rates(conn, local_rates, who, bench, source))
            elif kind is Kind.ROUTING:
                count = int(hub_catalogue.put_routing(conn, rules, who, bench, source))
            else:
                count = len(hub_catalogue.put_accounts(conn, local_users, who, bench, source))
            print(f"{kind.value}: {count} new or changed at the hub")
    return 0
