"""The parser parts that recur across `station GROUP SUBCOMMAND` groups: the group
itself, a read-only listing with `--json`, and `secret set`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TypeAlias

from station.commands.common import CommandContext

# A string: argparse's class takes no subscript at run time, only in the stubs.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Command = Callable[[CommandContext], int]


def command_group(sub: Subcommands, name: str, text: str, doc: str | None) -> Subcommands:
    """`station NAME` with its help and the module's doc, whose subcommand is required."""
    parser = sub.add_parser(
        name,
        help=text,
        description=doc,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands: Subcommands = parser.add_subparsers(
        dest=f"{name}_command", metavar="SUBCOMMAND", required=True
    )
    return commands


def json_command(commands: Subcommands, name: str, text: str, func: Command) -> None:
    """A subcommand that lists, as text or with `--json` as one JSON object."""
    parser = commands.add_parser(name, help=text)
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.set_defaults(func=func)


def secret_set_parser(commands: Subcommands, text: str) -> argparse.ArgumentParser:
    """`secret set`, whose parser the caller gives its name argument and command."""
    secret = commands.add_parser("secret", help=text)
    actions = secret.add_subparsers(dest="secret_command", metavar="ACTION", required=True)
    parser: argparse.ArgumentParser = actions.add_parser(
        "set", help="prompt for the secret (not echoed)"
    )
    return parser
