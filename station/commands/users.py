"""`station users`: the people who sign in at the bench, and their roles.

    station users add --name 李四 --role packer --as 老板     (PINs asked, not shown)
    STATION_PIN=... station users add --name 王五 --role supervisor --pin 2580 --as 老板
    station users add --name 老板 --role admin --technician    (the first admin)
    station users set-pin --name 老板 --as 老板
    station users list
    station users disable --name 李四 --as 老板

Adding, disabling and changing a PIN need an admin (`--as NAME`, whose PIN is
read from $STATION_PIN, the terminal or stdin) or the owner of the data folder
(`--technician`), and are audited as done by them (action `users`), as in the
window. A packer's or supervisor's PIN is 4-12 digits; an admin's is a
passphrase or PIN of at least 8 characters. `list` warns about admins whose PIN
is shorter (set before the rule) or not yet checked against it.

Users are never deleted (the audit log names them); a disabled user cannot sign
in or authorise anything. Exit codes: 0 done, 1 refused (the name exists, no
such user, PIN rules), 2 bad input or not allowed.
"""

from __future__ import annotations

import argparse
import getpass
import sqlite3
import sys
from typing import Any

import sqlite_utils

from station.commands.access import Actor, add_actor_options, refuse_if_hub_owns
from station.commands.common import CommandContext
from station.core.permissions import ADMIN_SECRET_MIN, Action, Role, check_user_name
from station.hub.kinds import Kind
from station.store import audit
from station.store.db import transaction
from station.store.users import accounts, add_user, set_active, set_pin, weak_admins

EXIT_REFUSED = 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    users = sub.add_parser("users", help="add, list and disable the people at the bench")
    commands = users.add_subparsers(dest="users_command", metavar="SUBCOMMAND", required=True)
    add = commands.add_parser(
        "add",
        help="add a packer, supervisor or admin",
        epilog=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument(
        "--pin",
        help=f"the new user's PIN: 4-12 digits, an admin's {ADMIN_SECRET_MIN}+ characters; "
        "without it the PIN is asked for, unseen",
    )
    add_actor_options(add, Action.USERS)
    add.set_defaults(func=add_command)
    change = commands.add_parser("set-pin", help="give a user a new PIN (asked twice, unseen)")
    change.add_argument("--name", required=True)
    add_actor_options(change, Action.USERS)
    change.set_defaults(func=set_pin_command)
    listing = commands.add_parser("list", help="every user with role and state")
    listing.set_defaults(func=list_command)
    disable = commands.add_parser("disable", help="stop a user signing in")
    disable.add_argument("--name", required=True)
    add_actor_options(disable, Action.USERS)
    disable.set_defaults(func=disable_command)


def _ask_pin() -> str | None:
    pin = getpass.getpass("New PIN: ")
    if getpass.getpass("New PIN again: ") != pin:
        print("The two PINs differ. Nothing was changed.", file=sys.stderr)
        return None
    return pin


def add_command(ctx: CommandContext) -> int:
    args = ctx.args
    check_user_name(args.name)  # a bad name ends the command (exit 2) before any PIN
    with ctx.database() as db:
        refuse_if_hub_owns(db, ctx.folder, Kind.USERS)
        actor = ctx.actor(db, Action.USERS)
        try:
            pin = args.pin if args.pin is not None else _ask_pin()
            if pin is None:
                return EXIT_REFUSED
            user = add_user(db, args.name.strip(), Role(args.role), pin)
            _audit(db, actor, f"add {user.name}", {"role": user.role.value})
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return EXIT_REFUSED
        except sqlite3.IntegrityError:
            print(f"A user named {args.name} already exists.", file=sys.stderr)
            return EXIT_REFUSED
    print(f"Added {user.role.value} {user.name}.")
    return 0


def set_pin_command(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.database() as db:
        refuse_if_hub_owns(db, ctx.folder, Kind.USERS)
        actor = ctx.actor(db, Action.USERS)
        try:
            pin = _ask_pin()
            if pin is None:
                return EXIT_REFUSED
            user = set_pin(db, args.name, pin)
            if user is None:
                print(f"No user named {args.name}.", file=sys.stderr)
                return EXIT_REFUSED
            _audit(db, actor, f"set-pin {user.name}", {})
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return EXIT_REFUSED
    print(f"New PIN for {user.name}.")
    return 0


def list_command(ctx: CommandContext) -> int:
    with ctx.database(writes=False) as db:
        rows = accounts(db)
        weak = weak_admins(db)
    print("name\trole\tactive\tcreated_at")
    for account in rows:
        state = "yes" if account.active else "no"
        print(f"{account.name}\t{account.role.value}\t{state}\t{account.created_at}")
    for name in weak:
        print(
            f"WARNING: admin {name}'s PIN is shorter than {ADMIN_SECRET_MIN} characters or "
            "dates from before that rule: set a passphrase with "
            f"`station users set-pin --name {name} --as {name}`.",
            file=sys.stderr,
        )
    return 0


def disable_command(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.database() as db:
        refuse_if_hub_owns(db, ctx.folder, Kind.USERS)
        actor = ctx.actor(db, Action.USERS)
        if not set_active(db, args.name, False):
            print(f"No user named {args.name}.", file=sys.stderr)
            return EXIT_REFUSED
        _audit(db, actor, f"disable {args.name.strip()}", {})
    print(f"Disabled {args.name.strip()}.")
    return 0


def _audit(db: sqlite_utils.Database, actor: Actor, subject: str, detail: dict[str, Any]) -> None:
    with transaction(db):
        audit.append(db, Action.USERS, subject, actor=actor.name, role=actor.role, detail=detail)
