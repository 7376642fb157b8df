"""Roster import: choose a file, preview every row with its problems, and only then write, all or nothing."""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from trainer import roster
from trainer.person_fields import REQUIRED
from trainer.roster import ImportPlan, ImportResult
from trainer.tabular import NEW, UNCHANGED, UPDATED, RawTable
from ui.import_preview import PreviewRow, preview_columns
from ui.preview_import_dialog import BANNER_STYLES, PreviewImportDialog, Progress
from ui.worker import TaskContext

__all__ = ["BANNER_STYLES", "FILE_FILTER", "RosterImportDialog"]

FILE_FILTER = "花名册 (*.xlsx *.xls *.csv);;所有文件 (*)"


class RosterImportDialog(PreviewImportDialog):
    """Emits `imported(ImportResult)` after a successful write."""

    TITLE = "导入花名册"
    FILE_FILTER = FILE_FILTER
    WHAT = "花名册"
    UNIT = "人"
    REQUIRED = REQUIRED
    HINT = ("表头须包含必填列：" + "、".join(REQUIRED) + "；其他列可选，列的顺序不限，多余的列不导入。"
            "按身份证号匹配：已有的人员更新，没有的新增。")

    plan: ImportPlan | None
    import_result: ImportResult | None

    def __init__(self, db: Database, parent: Any = None, path: str | None = None):
        super().__init__(db, parent, path)

    @staticmethod
    def check_file(db: Database, table: RawTable, progress: Progress) -> ImportPlan:
        return roster.plan_import(db, table, progress=progress)

    def preview(self, plan: ImportPlan, table: RawTable) -> tuple[list[PreviewRow], list[str]]:
        return list(plan.rows), preview_columns(table.headers, plan)

    def to_write(self, plan: ImportPlan) -> int:
        c = plan.counts()
        return c[NEW] + c[UPDATED]

    def nothing_to_write(self, plan: ImportPlan) -> str:
        return f"检查通过：全部 {plan.counts()[UNCHANGED]} 人与数据库中的记录相同，无需导入。"

    def counts_html(self, plan: ImportPlan, rows: list[PreviewRow]) -> str:
        c = plan.counts()
        bad_rows = sum(1 for r in rows if r.problems)
        problems = len(plan.problems)
        colour = "#b00020" if problems else "#14532d"
        return (f"共 {len(plan.rows)} 行：<b style='color:#1b7f3b'>新增 {c[NEW]}</b>　"
                f"<b style='color:#1f5fa8'>更新 {c[UPDATED]}</b>　<b style='color:#555'>未变 {c[UNCHANGED]}</b>　"
                f"<b style='color:{colour}'>问题 {problems} 处（{bad_rows} 行）</b>")

    @staticmethod
    def write_plan(db: Database, plan: ImportPlan, ctx: TaskContext) -> ImportResult:
        return roster.apply_import(db, plan, progress=ctx.progress, cancelled=ctx.cancelled)

    def written(self, result: ImportResult) -> str:
        return f"导入完成：{result.summary()}。"
