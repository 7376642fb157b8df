"""Plan import: read an Excel file of plan items, preview every row with its problems, then write all
items or none (the house import pattern, ui.preview_import_dialog, on trainer.plan_import)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget
from sqlite_utils import Database

from trainer import plan_import
from trainer.plan_fields import COLUMNS, REQUIRED, TITLE, cell_text
from trainer.plan_import import ItemImport
from trainer.plans import Plan
from trainer.tabular import NEW, UPDATED, RawTable
from ui.import_preview import ImportPreviewModel, PreviewRow
from ui.preview_import_dialog import CheckFile, PreviewImportDialog, Progress, WritePlan
from ui.worker import TaskContext

FILE_FILTER = "培训计划 (*.xlsx *.xls *.csv);;所有文件 (*)"


class PlanImportDialog(PreviewImportDialog):
    """Imports into the plan of `unit_id` and `year`; emits `imported(Plan)` after a successful write."""

    FILE_FILTER = FILE_FILTER
    WHAT = "培训计划"
    UNIT = "项"
    REQUIRED = REQUIRED
    HEADER_HINT = TITLE
    CANCELLED_WRITE = "已取消导入，未写入任何数据。"

    def __init__(self, db: Database, unit_id: int, unit_name: str, year: int, parent: QWidget | None = None,
                 path: str | None = None) -> None:
        self.unit_id, self.unit_name, self.year = unit_id, unit_name, year  # the hint needs them
        super().__init__(db, parent, path)
        self.setWindowTitle(f"导入培训计划 — {unit_name}{year}年度")
        self.resize(1280, 680)

    @property
    def result_plan(self) -> Plan | None:
        """The plan as written (None until the import is done)."""
        return self.import_result  # type: ignore[no-any-return]

    def hint(self) -> str:
        return (f"导入到：{self.unit_name}{self.year}年度培训计划（没有时自动新建）。表头须包含"
                f"{'、'.join(REQUIRED)}，可选列：{'、'.join(c for c in COLUMNS if c not in REQUIRED)}。"
                f"按{TITLE}匹配：计划中已有的项目更新，没有的新增；文件中未列出的项目保持不变。")

    def make_model(self) -> ImportPreviewModel:
        return ImportPreviewModel(cell_text)

    def checker(self) -> CheckFile:
        unit_id, year = self.unit_id, self.year

        def check(db: Database, table: RawTable, progress: Progress) -> ItemImport:
            return plan_import.plan_items_import(db, table, unit_id, year)

        return check

    def writer(self) -> WritePlan:
        unit_name = self.unit_name

        def write(db: Database, imp: ItemImport, ctx: TaskContext) -> Plan:
            return plan_import.apply_items_import(db, imp, unit_name, cancelled=ctx.cancelled)

        return write

    def preview(self, plan: ItemImport, table: RawTable) -> tuple[list[PreviewRow], list[str]]:
        return list(plan.rows), list(COLUMNS)

    def to_write(self, plan: ItemImport) -> int:
        return plan.counts()[NEW] + plan.counts()[UPDATED]

    def counts_html(self, plan: ItemImport, rows: list[PreviewRow]) -> str:
        return f"共 {len(plan.rows)} 行：{plan.summary()}，问题 {len(plan.problems)} 处"

    def checked_banner(self, table: RawTable, plan: ItemImport) -> tuple[str, str]:
        bad_rows = sum(1 for r in plan.rows if r.problems)
        if not plan.rows and plan.problems:
            missing = "、".join(p.column for p in plan.problems)
            return "error", (f"文件缺少必填列：{missing}。第{table.header_row}行被当作表头，"
                             "改好后点击“重新读取”。未写入任何数据。")
        if plan.problems:
            return "error", (f"发现 {len(plan.problems)} 处问题（涉及 {bad_rows} 行），已在表中标红。"
                             "请在 Excel 中改正并保存，然后点击“重新读取”；有问题时不能导入，未写入任何数据。")
        if not plan.rows:
            return "warn", "文件中没有计划项目。"
        if self.to_write(plan) == 0:
            return "ok", "检查通过：文件中的项目与计划完全相同，无需导入。"
        return "ok", (f"检查通过，共 {len(plan.rows)} 项：{plan.summary()}。点击“确认导入”写入"
                      "（全部写入，或出错时全部不写入）。")

    def written(self, result: Any) -> str:
        assert self.plan is not None
        return f"导入完成：{self.plan.summary()}。"
