"""A row-level problem in an import file: where it is and what is wrong."""

from __future__ import annotations

from dataclasses import dataclass

from station.core.problem_texts import Text


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
