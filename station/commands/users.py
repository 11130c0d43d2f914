"""`station users`: the people who sign in at the bench, and their roles.

    station users add --name 李四 --role packer        (PIN asked twice, not shown)
    station users add --name 王五 --role supervisor --pin 2580   (for scripts)
    station users list
    station users disable --name 李四

Users are never deleted (the audit log names them); a disabled user cannot sign
in or authorise anything. Changes are written to the audit log as done by the
operating-system user running the command. Exit codes: 0 done, 1 refused (the
name exists, no such user, PIN rules), 2 bad input.
"""

from __future__ import annotations

import argparse
import getpass
import sqlite3
import sys

import sqlite_utils

from station.commands.common import cli_actor, open_database
from station.store import audit
from station.store.db import transaction
from station.store.users import Action, Role, accounts, add_user, check_user_name, set_active

EXIT_REFUSED = 1


def register(sub: argparse._SubParsersAction) -> None:
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
    add.add_argument("--pin", help="4-12 digits; without it the PIN is asked for, unseen")
    add.set_defaults(func=add_command)
    listing = commands.add_parser("list", help="every user with role and state")
    listing.set_defaults(func=list_command)
    disable = commands.add_parser("disable", help="stop a user signing in")
    disable.add_argument("--name", required=True)
    disable.set_defaults(func=disable_command)


def _ask_pin() -> str | None:
    pin = getpass.getpass("PIN (4-12 digits): ")
    if getpass.getpass("PIN again: ") != pin:
        print("The two PINs differ. Nothing was changed.", file=sys.stderr)
        return None
    return pin


def add_command(args: argparse.Namespace) -> int:
    check_user_name(args.name)  # a bad name ends the command (exit 2) before the PIN
    pin = args.pin if args.pin is not None else _ask_pin()
    if pin is None:
        return EXIT_REFUSED
    db = open_database(args)
    try:
        user = add_user(db, args.name.strip(), Role(args.role), pin)
        _audit(db, f"add {user.name}", {"role": user.role.value})
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return EXIT_REFUSED
    except sqlite3.IntegrityError:
        print(f"A user named {args.name} already exists.", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        db.close()
    print(f"Added {user.role.value} {user.name}.")
    return 0


def list_command(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        rows = accounts(db)
    finally:
        db.close()
    print("name\trole\tactive\tcreated_at")
    for account in rows:
        state = "yes" if account.active else "no"
        print(f"{account.name}\t{account.role.value}\t{state}\t{account.created_at}")
    return 0


def disable_command(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        if not set_active(db, args.name, False):
            print(f"No user named {args.name}.", file=sys.stderr)
            return EXIT_REFUSED
        _audit(db, f"disable {args.name.strip()}", {})
    finally:
        db.close()
    print(f"Disabled {args.name.strip()}.")
    return 0


def _audit(db: sqlite_utils.Database, subject: str, detail: dict) -> None:
    with transaction(db):
        audit.append(db, Action.USERS, subject, actor=cli_actor(), detail=detail)
