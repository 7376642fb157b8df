"""Plan items from and to Excel: the export's rows, and an import that is checked first (every problem as
`第R行 列名: 原因`) and then writes all items in one transaction, or none.

Items are matched by 项目名称 within the target plan: a known title updates that item (its classes stay
linked), a new one is added after the existing items. Items the file does not name are left alone. A
unit and year without a plan get one, created in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlite_utils import Database

from trainer import backup, plans
from trainer.plan_fields import COLUMNS, REQUIRED, TITLE, Lookups, item_cells, parse_item, same_item
from trainer.plans import Plan, PlanItem
from trainer.tabular import NEW, UNCHANGED, UPDATED, CheckedFile, ImportCancelled, RawTable, RowProblem, action_counts

SHEET_NAME = "年度培训计划"


def default_title(unit_name: str, year: int) -> str:
    return f"{unit_name}{year}年度教育培训计划"


def export_rows(db: Database, plan_id: int) -> tuple[list[str], list[list[object]]]:
    """Header and rows of a plan file that imports back unchanged."""
    lookups = Lookups.load(db)
    rows = []
    for it in plans.items(db, plan_id):
        cells = item_cells(it, lookups)
        rows.append([cells[c] for c in COLUMNS])
    return list(COLUMNS), rows


@dataclass(frozen=True)
class PlannedItem:
    row: int
    cells: dict[str, object]
    item: PlanItem | None  # None when the row has problems
    action: str  # 新增 / 更新 / 未变 / '' for a bad row
    problems: tuple[RowProblem, ...] = ()


@dataclass
class ItemImport(CheckedFile):
    unit_id: int
    year: int
    plan: Plan | None  # the existing plan, if the unit has one for the year
    rows: list[PlannedItem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return action_counts(self.rows)

    def summary(self) -> str:
        c = self.counts()
        return f"新增 {c[NEW]} 项，更新 {c[UPDATED]} 项，未变 {c[UNCHANGED]} 项"


def plan_items_import(db: Database, table: RawTable, unit_id: int, year: int) -> ItemImport:
    """Check every row for the plan of `unit_id` and `year` without writing anything."""
    found = next((p for p in plans.plans(db, year) if p.unit_id == unit_id), None)
    result = ItemImport(unit_id, year, found)
    missing = [c for c in REQUIRED if c not in table.headers]
    if missing:
        result.problems = [RowProblem(table.header_row, c, "缺少必填列") for c in missing]
        return result
    if not table.rows:
        result.problems = [RowProblem(table.header_row, "表头", "只有表头，没有数据行")]
        return result
    lookups = Lookups.load(db)
    existing = {i.title: i for i in plans.items(db, int(found.id or 0))} if found else {}
    first_seen: dict[str, int] = {}
    for number, cells in table.records():
        item, errors = parse_item(cells, lookups)
        problems = [RowProblem(number, e.column, e.message) for e in errors]
        if item is not None:
            problems += [RowProblem(number, column, why) for column, why in plans.dates_outside_year(item, year)]
        title = str(cells.get(TITLE) or "").strip()
        if title:
            earlier = first_seen.setdefault(title, number)
            if earlier != number:
                problems.append(RowProblem(number, TITLE, f"与第{earlier}行项目名称重复"))
        action = ""
        if item is not None and not problems:
            old = existing.get(item.title)
            if old is None:
                action = NEW
            else:
                item = replace(item, id=old.id, plan_id=old.plan_id, sort_order=old.sort_order)
                action = UNCHANGED if same_item(old, item) else UPDATED
        result.rows.append(PlannedItem(number, dict(cells), item if not problems else None, action,
                                       tuple(problems)))
        result.problems.extend(problems)
    return result


def apply_items_import(db: Database, imp: ItemImport, unit_name: str,
                       cancelled: Callable[[], bool] | None = None) -> Plan:
    """Write a clean import in one transaction (creating the plan if needed) and return the plan."""
    if not imp.ok:
        raise ValueError("import has problems; nothing written")
    backup.before_change(db.conn, backup.PRE_IMPORT)
    with db.atomic():
        plan = imp.plan or plans.save_plan(db, Plan(None, imp.unit_id, imp.year,
                                                    default_title(unit_name, imp.year)))
        plan_id = int(plan.id or 0)
        order = max((i.sort_order for i in plans.items(db, plan_id)), default=-1) + 1
        for r in imp.rows:
            if cancelled and cancelled():
                raise ImportCancelled()
            assert r.item is not None
            if r.action == NEW:
                plans.save_item(db, replace(r.item, plan_id=plan_id, sort_order=order))
                order += 1
            elif r.action == UPDATED:
                plans.save_item(db, r.item)
    return plan
