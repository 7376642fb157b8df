"""A spreadsheet as read from disk: the boundary between file readers (exports/) and importers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

NEW, UPDATED, UNCHANGED = "新增", "更新", "未变"  # what an import does with a row ('' for a bad row)


@dataclass
class RawTable:
    headers: list[str]
    # (row number as Excel shows it, cells in header order); blank rows are already dropped
    rows: list[tuple[int, list[object]]] = field(default_factory=list)
    header_row: int = 1

    def records(self) -> list[tuple[int, dict[str, object]]]:
        """Rows as column → value; the first of two same-named columns wins."""
        out = []
        for number, cells in self.rows:
            rec: dict[str, object] = {}
            for name, value in zip(self.headers, cells, strict=False):
                if name and name not in rec:
                    rec[name] = value
            out.append((number, rec))
        return out


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行 {self.column}: {self.message}"


@dataclass(kw_only=True)
class CheckedFile:
    """What an import found in a file before writing anything: every problem, each `第R行 列名: 原因`.
    The import writes only a file with none."""

    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class PlannedAction(Protocol):
    @property
    def action(self) -> str: ...


def action_counts(rows: Iterable[PlannedAction]) -> dict[str, int]:
    """How many rows an import adds, updates and leaves unchanged (bad rows count nowhere)."""
    out = {NEW: 0, UPDATED: 0, UNCHANGED: 0}
    for r in rows:
        if r.action:
            out[r.action] += 1
    return out


class ImportCancelled(Exception):
    """The user cancelled; the transaction was rolled back and nothing was written."""
