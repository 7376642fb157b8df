"""分配评分项目: a judges × items matrix of check boxes. Beside it, as boxes are ticked, what the assignment
means (trainer.contest_people.AssignmentReport): whom each judge is recused from and which competitors are left
with fewer judges than the item's method needs. Locked items and 单一成绩 items (no judges) are not offered;
a judge who already scored an item cannot be taken off it (refused on save with the reason)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import contest, contest_people, contest_setup
from trainer.contest import ContestError, Item
from trainer.contest_people import Judge, Panel
from ui.class_tab import ERROR_STYLE, fit_columns, note_label, table_view
from ui.table_model import CENTER, Index, ObjectTableModel


class MatrixModel(ObjectTableModel):
    """Rows: judges; column 0 the judge, then one check box column per judged item."""

    _rows: list[Judge]

    def __init__(self, judges: list[Judge], items: list[Item], wanted: dict[int, set[int]], panel: Panel,
                 parent: Any = None) -> None:
        headers = ["评委", *(f"{it.name}{'（已锁定）' if it.locked else ''}" for it in items)]
        super().__init__(headers, parent)
        self._rows = list(judges)
        self.items = items
        self.wanted = wanted
        self.panel = panel

    def item_at(self, column: int) -> Item:
        return self.items[column - 1]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        judge, col = self._rows[index.row()], index.column()
        if col == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{judge.code} {judge.name}（{self.panel.judge_unit_text(judge)}）"
            return None
        on = judge.id in self.wanted.get(self.item_at(col).id, set())
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return CENTER
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.column() == 0:
            return base
        if self.item_at(index.column()).locked:
            return base & ~Qt.ItemFlag.ItemIsEnabled
        return base | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() == 0:
            return False
        self.set_checked(index.row(), index.column(), value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value))
        return True

    def set_checked(self, row: int, column: int, on: bool) -> None:
        item, judge = self.item_at(column), self._rows[row]
        if item.locked:
            return
        ids = self.wanted.setdefault(item.id, set())
        if on:
            ids.add(judge.id)
        else:
            ids.discard(judge.id)
        index = self.index(row, column)
        self.dataChanged.emit(index, index)


class AssignDialog(QDialog):
    """`saved` carries the AssignmentChange after the matrix was stored."""

    saved = Signal(object)

    def __init__(self, db: Database, contest_id: int, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.contest_id, self.actor = db, contest_id, actor
        self.change: contest_setup.AssignmentChange | None = None
        self.setWindowTitle("分配评分项目")
        self.resize(1100, 620)
        panel = Panel.load(db, contest_id)
        self.items = [it for it in contest.items(db, contest_id) if it.judged]
        self.judges = contest_people.judges(db, contest_id)
        have = contest_setup.current_assignments(db, contest_id)
        self.wanted = {it.id: set(have.get(it.id, set())) for it in self.items}
        self.model = MatrixModel(self.judges, self.items, self.wanted, panel, self)
        self.view = table_view()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(False)
        fit_columns(self.view, {0: "J10 欧阳某某（城乡一体化示范区）",
                                **{c: max(self.model.headers[c], "执法文书", key=len)
                                   for c in range(1, len(self.model.headers))}})
        self.report_text = QPlainTextEdit()
        self.report_text.setReadOnly(True)
        self.all_button = QPushButton("全部评委评全部项目")
        self.none_button = QPushButton("全部清除")
        self.error_label = note_label(style=ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("保存分配")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(note_label("勾选每位评委评分的项目。单一成绩项目不设评委；已锁定的项目不能调整。"))
        left_box.addWidget(self.view, 1)
        quick = QHBoxLayout()
        quick.addWidget(self.all_button)
        quick.addWidget(self.none_button)
        quick.addStretch(1)
        left_box.addLayout(quick)
        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(note_label("回避与评委人数（按当前勾选）：", style="font-weight: bold;"))
        right_box.addWidget(self.report_text, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([620, 460])
        splitter.setChildrenCollapsible(False)
        box = QVBoxLayout(self)
        box.addWidget(splitter, 1)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)

        self.model.dataChanged.connect(self.update_report)
        self.all_button.clicked.connect(lambda: self._set_all(True))
        self.none_button.clicked.connect(lambda: self._set_all(False))
        self.update_report()

    def _set_all(self, on: bool) -> None:
        for r in range(self.model.rowCount()):
            for c in range(1, self.model.columnCount()):
                self.model.set_checked(r, c, on)

    def toggle(self, judge_code: str, item_name: str) -> None:
        """Tick or untick one box (as a click does)."""
        row = next(r for r, j in enumerate(self.judges) if j.code == judge_code)
        column = 1 + next(c for c, it in enumerate(self.items) if it.name == item_name)
        on = self.model.index(row, column).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
        self.model.set_checked(row, column, not on)

    def update_report(self, *_: object) -> None:
        reports = contest_setup.preview_assignments(self.db, self.contest_id, self.wanted)
        lines = []
        for it in self.items:
            codes = [r.judge.code for r in reports if r.item.id == it.id]
            lines.append(f"“{it.name}”：{'、'.join(codes) if codes else '未分配评委'}")
        detail = contest_setup.report_text(reports)
        self.report_text.setPlainText("\n".join(lines) + ("\n\n" + detail if detail else "\n\n无回避。"))

    def save(self) -> None:
        try:
            change = contest_setup.set_assignments(self.db, self.contest_id, self.wanted, self.actor)
        except ContestError as exc:
            self.error_label.setText(str(exc))
            return
        self.change = change
        self.saved.emit(change)
        self.accept()
