"""A row-level problem in an import file: where it is and what is wrong."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from station.core.problem_texts import Text
from station.importers.cells import BadCell

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """`problem` is the English (CLI, logs); `text` the same by key and parameters,
    for the interface to show in its language (None: only the English exists)."""

    line: int
    column: str
    problem: str
    text: Text | None = None

    @classmethod
    def of(cls, line: int, column: str, text: Text) -> RowProblem:
        return cls(line, column, str(text), text)

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.problem}"


def parsed_cell(
    values: Mapping[str, str],
    name: str,
    parse: Callable[[str], T],
    line: int,
    columns: Mapping[str, str],
    problems: list[RowProblem],
) -> T | None:
    """`parse` of the value of field `name`; None when blank or bad (a bad one is
    added to `problems`, at its line and the file's column for the field)."""
    text = values.get(name)
    if not text:
        return None
    try:
        return parse(text)
    except BadCell as exc:
        problems.append(RowProblem.of(line, columns[name], exc.text))
        return None
