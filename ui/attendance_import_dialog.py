"""Attendance import for one class: choose the sheet, see every row with its bad cells marked and the
problems listed as `第R行 列名: 原因`, then write all marks in one go or none (trainer.attendance_import).

An attendance sheet holds one row per member of one class (a few hundred at most), so it is read and
checked on the GUI thread under a wait cursor rather than through the background worker.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from exports.tables import TableReadError, read_table
from trainer.attendance_import import ID_NUMBER, NAME, AttendancePlan, PlannedMarks, apply_attendance, plan_attendance
from trainer.person_fields import text
from trainer.training import TrainingClass
from ui.class_tab import table_view
from ui.import_preview import BAD_CELL, BAD_ROW, BAD_TEXT, bad_reasons
from ui.preview_import_dialog import banner_style
from ui.prompts import Prompts

Index = QModelIndex | QPersistentModelIndex
FILE_FILTER = "考勤表 (*.xlsx *.xls *.csv);;所有文件 (*)"


class AttendancePreviewModel(QAbstractTableModel):
    """The file's rows (problem rows first): 行号, 身份证号, 姓名 and each session column, bad cells red."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[PlannedMarks] = []
        self._columns: list[str] = []
        self._bad: list[dict[str, str]] = []

    def set_plan(self, plan: AttendancePlan | None) -> None:
        self.beginResetModel()
        self._rows = sorted(plan.rows, key=lambda r: (not r.problems, r.row)) if plan else []
        self._columns = [ID_NUMBER, NAME, *plan.columns] if plan else []
        self._bad = bad_reasons(self._rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return "行号" if section == 0 else self._columns[section - 1]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, bad = self._rows[index.row()], self._bad[index.row()]
        column = self._columns[index.column() - 1] if index.column() else ""
        if role == Qt.ItemDataRole.DisplayRole:
            if not column:
                return str(r.row)
            value = text(r.cells.get(column))
            return value or ("（空）" if column in bad else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{column}：{bad[column]}" if column in bad else None
        if role == Qt.ItemDataRole.BackgroundRole:
            return BAD_CELL if column in bad else (BAD_ROW if r.problems else None)
        if role == Qt.ItemDataRole.ForegroundRole and column in bad:
            return BAD_TEXT
        return None


class AttendanceImportDialog(QDialog):
    """Emits `imported(number of marks written)` after a successful write."""

    imported = Signal(int)

    def __init__(self, db: Database, cls: TrainingClass, prompts: Prompts, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.cls = cls
        self.today = today or dt.date.today()
        self.prompts = prompts
        self.path: str | None = None
        self.plan: AttendancePlan | None = None
        self.written: int | None = None
        self.setWindowTitle(f"导入考勤 — {cls.title}")
        self.resize(1100, 700)

        self.file_label = QLabel("未选择文件")
        self.choose_button = QPushButton("选择文件…")
        self.reload_button = QPushButton("重新读取")
        self.reload_button.setToolTip("在 Excel 中改正并保存文件后，重新读取同一文件")
        top = QHBoxLayout()
        top.addWidget(QLabel("文件："))
        top.addWidget(self.file_label, 1)
        top.addWidget(self.choose_button)
        top.addWidget(self.reload_button)
        hint = QLabel("格式同“导出考勤模板”：每行一名学员（身份证号必填，姓名用于核对），每节课一列，"
                      "表头为课程日期和开始时间（如 2026-03-02 08:30）；单元格填写出勤、迟到、早退、请假或缺勤"
                      "（√ 表示出勤，× 表示缺勤），空白单元格不改变已有考勤。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")
        self.banner = QLabel()
        self.banner.setWordWrap(True)

        self.model = AttendancePreviewModel(self)
        self.view = table_view()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(False)  # the red marks must be the only colouring
        self.problems_model = QStringListModel(self)
        self.problems_view = QListView()
        self.problems_view.setModel(self.problems_model)
        self.problems_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems_title = QLabel("问题清单")
        problems_box = QWidget()
        problems_layout = QVBoxLayout(problems_box)
        problems_layout.setContentsMargins(0, 0, 0, 0)
        problems_layout.addWidget(self.problems_title)
        problems_layout.addWidget(self.problems_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(problems_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        self.confirm_button = QPushButton("确认导入")
        self.close_button = QPushButton("关闭")
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.confirm_button)
        bottom.addWidget(self.close_button)
        for b in (self.choose_button, self.reload_button, self.confirm_button, self.close_button):
            b.setAutoDefault(False)

        box = QVBoxLayout(self)
        box.addLayout(top)
        box.addWidget(hint)
        box.addWidget(self.banner)
        box.addWidget(splitter, 1)
        box.addLayout(bottom)

        self.choose_button.clicked.connect(self.choose_file)
        self.reload_button.clicked.connect(lambda: self.load(self.path) if self.path else None)
        self.confirm_button.clicked.connect(self.confirm)
        self.close_button.clicked.connect(self.reject)
        self._set_banner("info", "请选择考勤表文件（.xlsx、.xls 或 .csv）。")
        self._refresh_buttons()

    def choose_file(self) -> None:
        path = self.prompts.open_path("选择考勤表", FILE_FILTER)
        if path:
            self.load(path)

    def load(self, path: str) -> None:
        self.path, self.written = path, None
        self.file_label.setText(path)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            plan = plan_attendance(self.db, int(self.cls.id or 0), read_table(path), self.today)
        except TableReadError as exc:
            self._show(None)
            self._set_banner("error", f"{exc}。请检查文件后点击“重新读取”，或选择其他文件。")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._show(plan)
        if not plan.ok:
            bad_rows = sum(1 for r in plan.rows if r.problems)
            self._set_banner("error", f"发现 {len(plan.problems)} 处问题（涉及 {bad_rows} 行），已在表中标红。"
                             "请在 Excel 中改正并保存，然后点击“重新读取”；有问题时不能导入，未写入任何数据。")
        elif plan.marks == 0:
            self._set_banner("warn", "文件中没有填写任何考勤。")
        elif plan.ahead:
            self._set_banner("warn", f"检查通过：{plan.summary()}。注意：{plan.ahead_note()}；"
                             "核对无误后点击“确认导入”全部写入。")
        else:
            self._set_banner("ok", f"检查通过：{plan.summary()}。点击“确认导入”全部写入。")

    def _show(self, plan: AttendancePlan | None) -> None:
        self.plan = plan
        self.model.set_plan(plan)
        problems = [str(p) for p in plan.problems] if plan else []
        self.problems_model.setStringList(problems)
        self.problems_title.setText(f"问题清单（{len(problems)} 处）")
        self.view.resizeColumnsToContents()
        self._refresh_buttons()

    @property
    def can_confirm(self) -> bool:
        return self.plan is not None and self.plan.ok and self.plan.marks > 0 and self.written is None

    def confirm(self) -> None:
        if not self.can_confirm or self.plan is None:
            return
        try:
            self.written = apply_attendance(self.db, self.plan)
        except Exception as exc:  # the transaction rolled back: say so, keep the preview
            self._set_banner("error", f"导入失败，未写入任何数据：{exc}")
            return
        self._set_banner("ok", f"导入完成：写入 {self.written} 条考勤。")
        self.close_button.setText("完成")
        self._refresh_buttons()
        self.imported.emit(self.written)

    def _set_banner(self, kind: str, message: str) -> None:
        self.banner_kind = kind
        self.banner.setText(message)
        self.banner.setStyleSheet(banner_style(kind))

    def _refresh_buttons(self) -> None:
        self.confirm_button.setEnabled(self.can_confirm)
        self.reload_button.setEnabled(bool(self.path))
