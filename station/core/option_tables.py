"""Named tables of options as a TOML file lists them (`[[targets]]` in sync.toml,
`[[providers]]` in waybills.toml), checked against the dataclass that holds one:
no unknown option, each value of its default's type, a name and a known kind,
names that differ. Each check raises the caller's error class with a message
naming where the problem is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from _typeshed import DataclassInstance


def check_known(
    entry: dict[str, Any], defaults: DataclassInstance, where: str, error: type[Exception]
) -> None:
    """Refuse an option the dataclass does not have."""
    unknown = sorted(set(entry) - {f.name for f in fields(defaults)})
    if unknown:
        raise error(f"{where}: unknown option(s) {', '.join(unknown)}.")


def check_types(
    values: dict[str, Any], defaults: DataclassInstance, where: str, error: type[Exception]
) -> None:
    """Each value of its default's type, in place: a whole number given for a float
    option becomes a float; true or false is no number."""
    for key, value in values.items():
        expected = type(getattr(defaults, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            values[key] = float(value)
        elif not isinstance(value, expected) or (isinstance(value, bool) and expected is int):
            raise error(f"{where}: {key} must be {expected.__name__}, got {value!r}.")


def check_name_and_kind(
    name: str, kind: str, kinds: Sequence[str], where: str, error: type[Exception]
) -> None:
    """A name that can stand in a keyring entry and a command line, and a known kind."""
    if not name.strip() or "/" in name:
        raise error(f"{where}: needs a name (no '/').")
    if kind not in kinds:
        raise error(f"{where}: kind must be one of {', '.join(kinds)}.")


def check_names_differ(names: Sequence[str], where: str, what: str, error: type[Exception]) -> None:
    """Refuse two tables of one name (`what` names a table: target, provider)."""
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise error(f"{where}: {what} names must differ: {', '.join(twice)}.")
