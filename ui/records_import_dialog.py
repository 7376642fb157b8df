"""Importing training done elsewhere (provincial courses, party school, earlier years) from Excel: the
house preview — every row checked by trainer.records.plan_records, bad cells red, then all rows or none."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from trainer import records
from trainer.records import RecordPlan
from trainer.tabular import RawTable, RowProblem
from ui.import_preview import PreviewRow
from ui.preview_import_dialog import PreviewImportDialog, Progress
from ui.worker import TaskContext

NEW = "新增"


@dataclass(frozen=True)
class RecordRow:
    """One data row of the file as the preview shows it."""

    row: int
    cells: dict[str, object]
    action: str  # 新增, or '' when the row has problems
    problems: tuple[RowProblem, ...]


class RecordsImportDialog(PreviewImportDialog):
    """Emits `imported(count)` after the records are written."""

    TITLE = "导入培训记录"
    FILE_FILTER = "培训记录 (*.xlsx *.xls *.csv);;所有文件 (*)"
    WHAT = "培训记录"
    UNIT = "条"
    REQUIRED = records.REQUIRED
    HINT = ("表头须包含必填列：" + "、".join(records.REQUIRED) + "；天数、主办单位可选（天数不填按起止日期计算）。"
            "身份证号和姓名须与人员名册一致；同一人、同一培训名称、同一开始日期的记录只能有一条。"
            "导入的记录与培训班记录一样计入各项合规检查。")

    plan: RecordPlan | None

    @staticmethod
    def check_file(db: Database, table: RawTable, progress: Progress) -> RecordPlan:
        return records.plan_records(db, table)

    def preview(self, plan: RecordPlan, table: RawTable) -> tuple[list[PreviewRow], list[str]]:
        if any(p.message == "缺少必填列" for p in plan.problems):
            return [], [c for c in records.COLUMNS if c in table.headers]
        by_row: dict[int, list[RowProblem]] = {}
        for p in plan.problems:
            by_row.setdefault(p.row, []).append(p)
        rows: list[PreviewRow] = []
        for number, cells in table.records():
            problems = tuple(by_row.get(number, ()))
            rows.append(RecordRow(number, cells, "" if problems else NEW, problems))
        named = set(table.headers) | {p.column for p in plan.problems}
        return rows, [c for c in records.COLUMNS if c in named]

    def to_write(self, plan: RecordPlan) -> int:
        return len(plan.rows)

    def counts_html(self, plan: RecordPlan, rows: list[PreviewRow]) -> str:
        bad_rows = sum(1 for r in rows if r.problems)
        colour = "#b00020" if plan.problems else "#14532d"
        return (f"共 {len(rows)} 行：<b style='color:#1b7f3b'>新增 {len(plan.rows)}</b>　"
                f"<b style='color:{colour}'>问题 {len(plan.problems)} 处（{bad_rows} 行）</b>")

    @staticmethod
    def write_plan(db: Database, plan: RecordPlan, ctx: TaskContext) -> int:
        return records.apply_records(db, plan, cancelled=ctx.cancelled)

    def written(self, result: int) -> str:
        return f"导入完成：新增 {result} 条培训记录。"
