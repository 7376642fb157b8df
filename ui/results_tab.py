"""The 考核与结业 tab: per member the score, credited / missed 学时 and the computed completion with its
reason (training.outcomes), the officer's override with a reason, and the class's pass mark."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import rules, training
from trainer.amounts import AmountError, fmt, parse_amount
from trainer.class_roster import Member, members
from trainer.training import Outcome, TrainingError
from ui.class_tab import (
    ERROR_STYLE,
    OK_STYLE,
    ClassTab,
    Host,
    fit_columns,
    longest_unit_name,
    note_label,
    table_view,
)
from ui.table_model import ObjectTableModel

Index = QModelIndex | QPersistentModelIndex
HEADERS = ("序号", "姓名", "单位", "成绩", "应到学时", "计入学时", "请假/缺勤学时", "结业", "说明")
(COL_NO, COL_NAME, COL_UNIT, COL_SCORE, COL_CLASS_HOURS, COL_CREDITED, COL_MISSED, COL_COMPLETED,
 COL_EXPLANATION) = range(9)
NUMERIC = frozenset({COL_SCORE, COL_CLASS_HOURS, COL_CREDITED, COL_MISSED})
DONE, NOT_DONE = ("#1b7f3b", "#e8f5ec"), ("#b03a2e", "#fdecea")


def completion_text(o: Outcome) -> str:
    text = "结业" if o.completed else "未结业"
    return text + ("（人工认定）" if o.completed != o.computed else "")


class ResultsModel(ObjectTableModel):
    """One row per member; the 成绩 column is edited in place and saved at once."""

    _rows: list[Member]

    failed = Signal(str)
    scored = Signal()

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(HEADERS, parent)
        self.db = db
        self.class_id: int | None = None
        self._outcomes: dict[int, Outcome] = {}
        self._bold = QFont()
        self._bold.setBold(True)

    def load(self, class_id: int | None, rows: Sequence[Member]) -> None:
        self.beginResetModel()
        self.class_id, self._rows = class_id, list(rows)
        self._outcomes = self._read()
        self.endResetModel()

    def _read(self) -> dict[int, Outcome]:
        if self.class_id is None:
            return {}
        return {o.person_id: o for o in training.outcomes(self.db, rules.active(self.db), class_id=self.class_id)}

    def outcome_at(self, row: int) -> Outcome:
        return self._outcomes[self._rows[row].person_id]

    def member_at(self, row: int) -> Member:
        return self._rows[row]

    def completed_count(self) -> int:
        return sum(1 for o in self._outcomes.values() if o.completed)

    def refresh_outcomes(self) -> None:
        """Re-read every outcome (a score or the pass mark changes them) without resetting the view."""
        self._outcomes = self._read()
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(HEADERS) - 1))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_SCORE:
            return "直接输入成绩，回车保存并转到下一人；删除内容表示无成绩"
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == COL_SCORE else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m, col = self._rows[index.row()], index.column()
        o = self._outcomes.get(m.person_id)
        if o is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            score = fmt(o.score) if o.score is not None else ""
            if role == Qt.ItemDataRole.EditRole:
                return score
            return (str(index.row() + 1), m.person.name, m.unit, score, fmt(o.class_hours), fmt(o.credited_hours),
                    fmt(o.missed_hours), completion_text(o), o.explanation)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if col in (COL_NO, COL_COMPLETED):
                return int(Qt.AlignmentFlag.AlignCenter)
        if col == COL_COMPLETED:
            fg, bg = DONE if o.completed else NOT_DONE
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(fg))
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(bg))
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
        if role == Qt.ItemDataRole.ToolTipRole and col in (COL_COMPLETED, COL_EXPLANATION):
            return o.explanation
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_SCORE and not o.passed and o.score is not None:
            return QBrush(QColor(NOT_DONE[0]))
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != COL_SCORE or self.class_id is None:
            return False
        m = self._rows[index.row()]
        try:
            score = parse_amount(value, allow_empty=True)
            training.set_score(self.db, self.class_id, m.person_id, Decimal(score) if score is not None else None)
        except (AmountError, TrainingError) as exc:
            self.failed.emit(f"{m.person.name}的成绩未保存：{exc}")
            return False
        self.refresh_outcomes()
        self.scored.emit()
        return True


class ScoreView(QTableView):
    """After a score is entered with Enter, edit the next member's score: a whole class by keyboard."""

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            below = self.model().index(self.currentIndex().row() + 1, COL_SCORE)
            if below.isValid():
                self.setCurrentIndex(below)
                self.edit(below)
            return
        super().closeEditor(editor, hint)


class ResultsTab(ClassTab):
    bursts = True

    def __init__(self, db: Database, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(db, host, parent)
        self.status_label = note_label()
        self.pass_edit = QLineEdit()
        self.pass_edit.setPlaceholderText("不设考核")
        self.pass_edit.setMaximumWidth(100)
        self.pass_button = QPushButton("保存及格分")
        pass_row = QHBoxLayout()
        pass_row.addWidget(QLabel("考核及格分："))
        pass_row.addWidget(self.pass_edit)
        pass_row.addWidget(self.pass_button)
        rule = "留空表示本班不设考核（不看成绩）。结业条件：考核通过，且请假/缺勤学时不超过规定比例。"
        pass_row.addWidget(note_label(rule), 1)

        self.model = ResultsModel(db, self)
        self.view = ScoreView()
        table_view(QAbstractItemView.SelectionMode.SingleSelection, self.view)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setModel(self.model)
        fit_columns(self.view, {COL_NO: "999", COL_NAME: "欧阳某某", COL_UNIT: longest_unit_name(db),
                                COL_SCORE: "100.5", COL_CLASS_HOURS: "120", COL_CREDITED: "120", COL_MISSED: "16",
                                COL_COMPLETED: "未结业（人工认定）"})
        self.message_label = note_label(style=ERROR_STYLE)
        self.override_button = QPushButton("人工认定…")
        self.override_button.setToolTip("对所选学员按规则计算的结业结果作出人工认定（须填写理由）")
        bottom = QHBoxLayout()
        bottom.addWidget(self.message_label, 1)
        bottom.addWidget(self.override_button)
        box = QVBoxLayout(self)
        box.addWidget(self.status_label)
        box.addLayout(pass_row)
        box.addWidget(self.view, 1)
        box.addLayout(bottom)

        self.pass_button.clicked.connect(self.save_pass_mark)
        self.pass_edit.returnPressed.connect(self.save_pass_mark)
        self.override_button.clicked.connect(self.override_selected)
        self.view.doubleClicked.connect(self._double_clicked)
        self.model.failed.connect(self._failed)
        self.model.scored.connect(self._scored)

    def reload(self) -> None:
        self.model.load(self.cls.id if self.cls else None, members(self.db, self.class_id) if self.cls else [])
        self.pass_edit.setText(fmt(self.cls.pass_mark) if self.cls and self.cls.pass_mark is not None else "")
        self.message_label.clear()
        self._update_status()
        for w in (self.pass_edit, self.pass_button, self.override_button):
            w.setEnabled(self.cls is not None)

    def _update_status(self) -> None:
        if self.cls is None:
            self.status_label.setText("")
            return
        n, done = self.model.rowCount(), self.model.completed_count()
        if self.cls.status == "已结束":
            self.status_label.setText(f"已结班：共 {n} 人，结业 <b>{done}</b> 人，未结业 {n - done} 人。"
                                      "结业学员的天数和学时已计入其培训记录。")
            self.status_label.setStyleSheet(OK_STYLE)
        else:
            self.status_label.setText(f"尚未结班：以下为按目前考勤和成绩的预计结果（预计结业 {done} / {n} 人）；"
                                      "未登记的考勤按缺勤计算。结班后计入学员的培训记录。")
            self.status_label.setStyleSheet("color: #555;")

    def _failed(self, text: str) -> None:
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.setText(text)

    def _scored(self) -> None:
        self.message_label.clear()
        self._update_status()
        self.changed.emit()

    def save_pass_mark(self) -> None:
        if self.cls is None:
            return
        try:
            value = parse_amount(self.pass_edit.text(), allow_empty=True)
            self.cls = training.save_class(self.db, replace(self.cls, pass_mark=Decimal(value) if value is not None
                                                            else None))
        except (AmountError, TrainingError) as exc:
            self._failed(f"及格分未保存：{exc}")
            return
        self.message_label.setStyleSheet(OK_STYLE)
        self.message_label.setText("及格分已保存，结业结果已重新计算。")
        self.model.refresh_outcomes()
        self._update_status()
        self.changed.emit()

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() == COL_COMPLETED:
            self.override_row(index.row())

    def override_selected(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.override_row(index.row())
        else:
            self._failed("请先选择一名学员")

    def override_row(self, row: int) -> None:
        from ui.override_dialog import OverrideDialog

        dialog = OverrideDialog(self.db, self.model.outcome_at(row), self.model.member_at(row).person.name, self)
        dialog.saved.connect(self._overridden)
        self.host.open_dialog(dialog)

    def _overridden(self) -> None:
        self.model.refresh_outcomes()
        self._update_status()
        self.changed.emit()
