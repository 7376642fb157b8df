"""Importing training done elsewhere (provincial courses, party school, earlier years) from Excel: the
house preview — every row checked by trainer.records.plan_records, bad cells red, then all rows or none.

With 更新已有记录 ticked, a corrected file is imported again: a row matching a stored record (same person,
培训名称, 开始日期) updates it (更新, each in the audit chain) or leaves it (未变) instead of being refused."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QBoxLayout, QCheckBox, QWidget
from sqlite_utils import Database

from trainer import records
from trainer.records import RecordPlan
from trainer.tabular import NEW, UNCHANGED, UPDATED, RawTable, RowProblem
from ui.import_preview import PreviewRow
from ui.preview_import_dialog import CheckFile, PreviewImportDialog, Progress
from ui.worker import TaskContext

UPDATE_HINT = "要用文件中的内容更正已导入的记录，请勾选上方“更新已有记录”。"


@dataclass(frozen=True)
class RecordRow:
    """One data row of the file as the preview shows it."""

    row: int
    cells: dict[str, object]
    action: str  # 新增 / 更新 / 未变, or '' when the row has problems
    problems: tuple[RowProblem, ...]


class RecordsImportDialog(PreviewImportDialog):
    """Emits `imported(count)` after the records are written (count: added plus updated)."""

    TITLE = "导入培训记录"
    FILE_FILTER = "培训记录 (*.xlsx *.xls *.csv);;所有文件 (*)"
    WHAT = "培训记录"
    UNIT = "条"
    REQUIRED = records.REQUIRED
    HINT = ("表头须包含必填列：" + "、".join(records.REQUIRED) + "；天数、主办单位可选（天数不填按起止日期计算）。"
            "身份证号和姓名须与人员名册一致；同一人、同一培训名称、同一开始日期的记录只能有一条。"
            "导入的记录与培训班记录一样计入各项合规检查。")

    plan: RecordPlan | None

    def __init__(self, db: Database, parent: QWidget | None = None, path: str | None = None) -> None:
        super().__init__(db, parent, path)
        self.update_check = QCheckBox("更新已有记录：与已导入的记录相同（同一人、同一培训名称、同一开始日期）的行"
                                      "用文件中的内容更正该记录，而不作为重复拒绝")
        self.update_check.setToolTip("重新导入改正后的文件时勾选；每条更正记入审计日志")
        self.update_check.toggled.connect(self._update_toggled)
        layout = self.layout()
        assert isinstance(layout, QBoxLayout)
        layout.insertWidget(2, self.update_check)  # under the file row and the hint

    def _update_toggled(self, _checked: bool) -> None:
        if self.path and not self.busy:
            self.reload()  # the same file, checked the other way

    def _refresh_buttons(self) -> None:
        super()._refresh_buttons()
        if hasattr(self, "update_check"):  # the base class refreshes once before the box exists
            self.update_check.setEnabled(not self.busy)

    def checker(self) -> CheckFile:
        update = self.update_check.isChecked()

        def check(db: Database, table: RawTable, progress: Progress) -> RecordPlan:
            return records.plan_records(db, table, update=update)

        return check

    def preview(self, plan: RecordPlan, table: RawTable) -> tuple[list[PreviewRow], list[str]]:
        if any(p.message == "缺少必填列" for p in plan.problems):
            return [], [c for c in records.COLUMNS if c in table.headers]
        by_row: dict[int, list[RowProblem]] = {}
        for p in plan.problems:
            by_row.setdefault(p.row, []).append(p)
        actions = {r.row: r.action for r in plan.rows}
        rows: list[PreviewRow] = []
        for number, cells in table.records():
            problems = tuple(by_row.get(number, ()))
            rows.append(RecordRow(number, cells, "" if problems else actions.get(number, NEW), problems))
        named = set(table.headers) | {p.column for p in plan.problems}
        return rows, [c for c in records.COLUMNS if c in named]

    def to_write(self, plan: RecordPlan) -> int:
        return plan.to_write()

    def nothing_to_write(self, plan: RecordPlan) -> str:
        return f"检查通过：文件中的 {plan.counts()[UNCHANGED]} 条记录与已有记录完全相同，无需导入。"

    def checked_banner(self, table: RawTable, plan: RecordPlan) -> tuple[str, str]:
        kind, message = super().checked_banner(table, plan)
        if not plan.update and any(p.message == records.DUPLICATE for p in plan.problems):
            message += UPDATE_HINT
        return kind, message

    def counts_html(self, plan: RecordPlan, rows: list[PreviewRow]) -> str:
        bad_rows = sum(1 for r in rows if r.problems)
        colour = "#b00020" if plan.problems else "#14532d"
        c = plan.counts()
        changes = (f"<b style='color:#1f5fa8'>更新 {c[UPDATED]}</b>　<b style='color:#555'>未变 {c[UNCHANGED]}</b>　"
                   if plan.update else "")
        return (f"共 {len(rows)} 行：<b style='color:#1b7f3b'>新增 {c[NEW]}</b>　{changes}"
                f"<b style='color:{colour}'>问题 {len(plan.problems)} 处（{bad_rows} 行）</b>")

    @staticmethod
    def write_plan(db: Database, plan: RecordPlan, ctx: TaskContext) -> int:
        return records.apply_records(db, plan, cancelled=ctx.cancelled)

    def written(self, result: int) -> str:
        if self.plan is not None and self.plan.update:
            return f"导入完成：{self.plan.summary()}。"
        return f"导入完成：新增 {result} 条培训记录。"
