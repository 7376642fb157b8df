"""Roster import (preview, then all rows in one transaction or none) and the rows of a roster export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from trainer import backup, idnumber, people
from trainer.people import Person
from trainer.person_fields import COLUMNS, ID_NUMBER, REQUIRED, parse_person, person_cells
from trainer.tabular import NEW, UNCHANGED, UPDATED, CheckedFile, ImportCancelled, RawTable, RowProblem, action_counts
from trainer.units import UnitIndex

Progress = Callable[[int, int], None]
CHUNK = 200  # rows written between progress reports and cancel checks


@dataclass(frozen=True)
class PlannedRow:
    row: int
    cells: dict[str, object]
    person: Person | None  # None when the row has problems
    action: str  # 新增 / 更新 / 未变 / '' for a bad row
    problems: tuple[RowProblem, ...] = ()


@dataclass
class ImportPlan(CheckedFile):
    rows: list[PlannedRow] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return action_counts(self.rows)

    def result(self) -> ImportResult:
        c = self.counts()
        return ImportResult(c[NEW], c[UPDATED], c[UNCHANGED])


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    unchanged: int

    def summary(self) -> str:
        return f"新增 {self.added} 人，更新 {self.updated} 人，未变 {self.unchanged} 人"


def plan_import(db: Database, table: RawTable, today: dt.date | None = None,
                progress: Progress | None = None) -> ImportPlan:
    """Check every row against the register without writing anything."""
    plan = ImportPlan()
    missing = [c for c in REQUIRED if c not in table.headers]
    if missing:
        plan.problems = [RowProblem(table.header_row, c, "缺少必填列") for c in missing]
        return plan
    if not table.rows:  # a sheet with only the header would "import" nobody and say so as if it had worked
        plan.problems = [RowProblem(table.header_row, "表头", "只有表头，没有数据行")]
        return plan
    today = today or dt.date.today()
    units = UnitIndex.load(db)
    existing = people.by_id_numbers(db)
    first_seen: dict[str, int] = {}
    records = table.records()
    for i, (number, cells) in enumerate(records):
        found, errors = parse_person(cells, units, today)
        problems = [RowProblem(number, e.column, e.message) for e in errors]
        if not any(e.column == ID_NUMBER for e in errors):  # a valid number, even if the row has other faults
            id_number = found.id_number if found else idnumber.normalize(cells.get(ID_NUMBER))
            earlier = first_seen.setdefault(id_number, number)
            if earlier != number:
                problems.append(RowProblem(number, ID_NUMBER, f"与第{earlier}行身份证号重复"))
        action = ""
        if found is not None and not problems:
            old = existing.get(found.id_number)
            if old is None:
                action = NEW
            else:
                found = replace(found, id=old.id)
                action = UNCHANGED if old.same_record(found) else UPDATED
        plan.rows.append(PlannedRow(number, cells, found if not problems else None, action, tuple(problems)))
        plan.problems.extend(problems)
        if progress and i % 500 == 0:
            progress(i, len(records))
    return plan


def apply_import(db: Database, plan: ImportPlan, *, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ImportResult:
    """Write a clean plan in one transaction. Cancelling or any error rolls everything back."""
    if not plan.ok:
        raise ValueError("plan has problems; nothing written")
    backup.before_change(db.conn, backup.PRE_IMPORT)
    new = [r.person for r in plan.rows if r.action == NEW and r.person is not None]
    changed = [r.person for r in plan.rows if r.action == UPDATED and r.person is not None]
    total, done = len(new) + len(changed), 0
    now = dt.datetime.now().isoformat(timespec="seconds")

    def step(n: int) -> None:
        nonlocal done
        done += n
        if cancelled and cancelled():
            raise ImportCancelled()
        if progress:
            progress(done, total)

    with db.atomic():
        # New people go in by the chunk (the UNIQUE 身份证号 still refuses anyone added since the preview);
        # changed people go one by one through save(), which records the history of unit, post and role.
        for start in range(0, len(new), CHUNK):
            people.insert_many(db, new[start:start + CHUNK], now)
            step(len(new[start:start + CHUNK]))
        for i, person in enumerate(changed, start=1):
            people.save(db, person, source="导入", now=now)
            if i % CHUNK == 0 or i == len(changed):
                step(CHUNK if i % CHUNK == 0 else i % CHUNK)
    return plan.result()


def export_rows(db: Database, selected: Iterable[Person] | None = None) -> tuple[list[str], list[list[object]]]:
    """Header and rows of a roster file that imports back unchanged."""
    units = UnitIndex.load(db)
    chosen = people.all_people(db) if selected is None else list(selected)
    rows = []
    for p in chosen:
        cells = person_cells(p, units)
        rows.append([cells[c] for c in COLUMNS])
    return list(COLUMNS), rows
