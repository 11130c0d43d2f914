"""Who runs a protected command: the roles the window asks for, and the same audit.

A command that changes users, carriers, rates or waybill pools, or prints a
recorded label, names who does it, one of two ways:

- `--as NAME`: a user whose role allows the action (as the window's PIN prompt
  would). The PIN is read from $STATION_PIN when set (scripts), else asked on the
  terminal without echo, else read from the first line of stdin. Wrong PINs count
  against that account and lock it, as at the bench. The audit names the user.
- `--technician`: the operating-system account that owns the data folder, for
  setting a station up (the first admin) and for repairs. That account can read
  and write the database files anyway, so this only makes its use explicit and
  audited: actor `technician:OSUSER`, role `technician`. Refused (POSIX) when the
  data folder or its database belongs to another account, root included.

Without either, the command is refused with exit code 2 and nothing changes.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import sqlite_utils

from station.commands.common import EXIT_BAD_INPUT
from station.core.permissions import NEEDED, Action, PermissionDenied, with_article
from station.hub.kinds import Kind, applied_revision, local_refusal
from station.settings import Settings, SettingsError
from station.store.db import DB_FILE
from station.store.users import PinLocked, sign_in

PIN_ENV = "STATION_PIN"
TECHNICIAN_ROLE = "technician"


@dataclass(frozen=True)
class Actor:
    """Who did it, as the audit log names them."""

    name: str
    role: str


def add_actor_options(parser: argparse.ArgumentParser, action: Action) -> None:
    """`--as NAME` / `--technician` on a subcommand that needs `action`'s role."""
    needed = with_article(NEEDED[action])
    who = parser.add_mutually_exclusive_group()
    who.add_argument(
        "--as",
        dest="as_user",
        metavar="NAME",
        help=f"done by this user ({needed} or above); PIN from ${PIN_ENV}, "
        "else asked unseen, else stdin's first line",
    )
    who.add_argument(
        "--technician",
        action="store_true",
        help="done by the OS account that owns the data folder (set-up, repairs); audited",
    )


def actor_for(
    args: argparse.Namespace, db: sqlite_utils.Database, folder: Path, action: Action
) -> Actor:
    """Who runs this command, allowed to do `action`; else the command ends with its
    message and exit code 2 (the caller's `finally` closes the database)."""
    if getattr(args, "technician", False):
        return _technician(folder)
    name = getattr(args, "as_user", None)
    if not name:
        _deny(
            f"this needs {with_article(NEEDED[action])}: add --as NAME (the PIN is asked, or read "
            f"from ${PIN_ENV}), or --technician as the owner of the data folder."
        )
    try:
        user = sign_in(db, name, _read_pin(name))
    except PinLocked as exc:
        _deny(str(exc))
    if user is None:
        _deny(f"wrong PIN for {name.strip()}, or no active user of that name.")
    if not user.may(action):
        _deny(str(PermissionDenied(user, action)))
    return Actor(user.name, user.role.value)


def refuse_if_hub_owns(db: sqlite_utils.Database, folder: Path, kind: Kind) -> None:
    """End the command (exit 2, nothing changed) when this bench takes `kind` from
    the warehouse hub: the change belongs at the hub (station.hub.kinds). The
    settings are read only for a kind taken from a hub once, and a settings file
    that cannot be read refuses nothing: a repair beside a broken file still runs."""
    if applied_revision(db, kind) == 0:
        return
    try:
        settings = Settings.load(folder)
    except SettingsError:
        return
    refusal = local_refusal(db, settings, kind)
    if refusal is not None:
        _deny(refusal)


def _read_pin(name: str) -> str:
    pin = os.environ.get(PIN_ENV)
    if pin is not None:
        return pin
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(f"PIN of {name.strip()}: ")
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def _technician(folder: Path) -> Actor:
    account = _os_user()
    if os.name == "posix":
        euid = os.geteuid()
        for path in (folder, folder / DB_FILE):
            if path.exists() and path.stat().st_uid != euid:
                _deny(
                    f"--technician: {path} belongs to another account; run the command as "
                    "the account that owns the data folder."
                )
    return Actor(technician_name(account), TECHNICIAN_ROLE)


def technician_name(account: str | None = None) -> str:
    """How the audit log names the OS account running a technician's command."""
    return f"{TECHNICIAN_ROLE}:{account or _os_user()}"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "unknown"


def _deny(message: str) -> NoReturn:
    print(f"Refused: {message} Nothing was changed.", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)
