"""Add / edit a contest item (比武项目): its rules, for 评分细则 the criteria with their maxima, for 单一成绩 an
optional conversion table (measured value → points). trainer.contest_setup decides what is valid; its Chinese
message shows under the form and everything typed stays in place. The weights of all items are summed as
the chief judge types, with a warning while they do not make 100."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import contest, contest_setup
from trainer.contest import (
    AVERAGE,
    DROP_HIGH_LOW,
    MAX_DECIMALS,
    METHODS,
    RUBRIC,
    SINGLE,
    ContestError,
    Item,
    NewItem,
)
from trainer.contest_setup import ItemSetup
from trainer.contest_values import ValueProblem, fmt_decimal, to_decimal
from ui.class_tab import NOTE_STYLE, note_label, table_view
from ui.form_dialog import error_line, form_column, save_cancel_buttons, save_form
from ui.table_model import RIGHT, Index, ObjectTableModel

KINDS = ("个人", "团体")
LOWER, HIGHER = "成绩越小越好（如用时）", "成绩越大越好（如距离、个数）"
WARN_STYLE = "color: #c0392b; font-weight: bold;"
METHOD_TIPS = {
    DROP_HIGH_LOW: "各评委打分，去掉一个最高分和一个最低分后取平均（至少3名评委）",
    AVERAGE: "各评委打分取平均",
    SINGLE: "一个实测成绩，不设评委（笔试分数、用时等）；可用换算表把实测值换算为得分",
    RUBRIC: "每位评委按各条细则打分，细则分之和为该评委的分数；再按汇总方式合成",
}


class PairModel(ObjectTableModel):
    """Two editable text columns (a criterion and its 满分; a limit and its points), checked on save."""

    _rows: list[list[str]]

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(headers, parent, {1: RIGHT})

    def set_pairs(self, pairs: Sequence[tuple[object, object]]) -> None:
        self._replace_rows([[_text(a), _text(b)] for a, b in pairs])

    def pairs(self) -> list[tuple[str, str]]:
        return [(a.strip(), b.strip()) for a, b in self._rows if a.strip() or b.strip()]

    def add_row(self) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(["", ""])
        self.endInsertRows()
        return row

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(index.column())
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        self._rows[index.row()][index.column()] = str(value)
        self.dataChanged.emit(index, index)
        return True

    def flags(self, index: Index) -> Qt.ItemFlag:
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable


def _text(value: object) -> str:
    return fmt_decimal(value) if isinstance(value, Decimal) else str(value)


def _number(text: str, what: str, *, required: bool = True) -> Decimal | None:
    try:
        value = to_decimal(text)
    except ValueProblem as exc:
        raise ContestError(f"{what}：{exc}") from None
    if value is None and required:
        raise ContestError(f"请填写{what}")
    return value


class PairEditor(QGroupBox):
    """A titled editable two-column table with 添加 / 删除 buttons."""

    def __init__(self, title: str, headers: Sequence[str], add_text: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.model = PairModel(headers, self)
        self.view: QTableView = table_view()
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.horizontalHeader().resizeSection(0, 200)
        self.view.setMinimumHeight(150)
        self.add_button = QPushButton(add_text)
        self.remove_button = QPushButton("删除所选行")
        self.note = note_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.note, 1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        self.box = QVBoxLayout(self)
        self.box.addWidget(self.view, 1)
        self.box.addLayout(buttons)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_row)

    def add_row(self) -> None:
        row = self.model.add_row()
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def remove_row(self) -> None:
        self.model.remove_row(self.view.currentIndex().row())


class ItemDialog(QDialog):
    """`item=None` adds an item to the contest; `saved` carries the item as stored."""

    saved = Signal(object)

    def __init__(self, db: Database, contest_id: int, actor: str, item: Item | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.contest_id, self.actor, self.original = db, contest_id, actor, item
        self.result_item: Item | None = None
        self._others = [it for it in contest.items(db, contest_id) if item is None or it.id != item.id]
        self.setWindowTitle(f"编辑比武项目 — {item.name}" if item else "添加比武项目")
        self.setMinimumWidth(760)
        self._build()
        self._fill(contest_setup.item_setup(item) if item else None)
        self.fixed = contest_setup.fixed_reason(db, item) if item else None
        if self.fixed:  # shown for reference; saving would be refused anyway
            self.error_label.setText(f"{self.fixed}（此处仅供查看）")
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    # ---- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如 执法文书制作")
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(KINDS)
        self.method_combo = QComboBox()
        for m in METHODS:
            self.method_combo.addItem(m)
            self.method_combo.setItemData(self.method_combo.count() - 1, METHOD_TIPS[m], Qt.ItemDataRole.ToolTipRole)
        self.method_note = note_label()
        self.rubric_combo = QComboBox()
        self.rubric_combo.addItems((DROP_HIGH_LOW, AVERAGE))
        self.rubric_label = QLabel("细则汇总方式：")
        self.full_edit = QLineEdit("100")
        self.weight_edit = QLineEdit()
        self.weight_edit.setPlaceholderText("如 30（各项目合计100）")
        self.weights_label = QLabel()
        self.decimals_spin = QSpinBox()
        self.decimals_spin.setRange(0, MAX_DECIMALS)
        self.decimals_spin.setValue(2)
        self.decimals_spin.setToolTip("成绩和项目得分保留的小数位数（四舍五入）")
        self.tiebreak_spin = QSpinBox()
        self.tiebreak_spin.setRange(0, 99)
        self.tiebreak_spin.setSpecialValueText("不参与决胜")
        self.tiebreak_spin.setToolTip("总分相同时依次比较的项目：1 最先比较")
        self.spread_edit = QLineEdit()
        self.spread_edit.setPlaceholderText("不设则留空，如 10")
        self.spread_edit.setToolTip("同一选手各评委分数的最高与最低之差超过此值时提示核查")
        self.blind_check = QCheckBox("密封评审（评委只见密封编号，不见姓名，如文书、案卷）")

        form = QFormLayout()
        form.addRow("项目名称：", self.name_edit)
        form.addRow("项目类型：", self.kind_combo)
        form.addRow("计分方式：", self.method_combo)
        form.addRow("", self.method_note)
        form.addRow(self.rubric_label, self.rubric_combo)
        form.addRow("满分：", self.full_edit)
        weight_row = QHBoxLayout()
        weight_row.addWidget(self.weight_edit)
        weight_row.addWidget(QLabel("%"))
        weight_row.addWidget(self.weights_label, 1)
        form.addRow("权重：", weight_row)
        form.addRow("小数位：", self.decimals_spin)
        form.addRow("决胜顺序：", self.tiebreak_spin)
        form.addRow("分差上限：", self.spread_edit)
        form.addRow("", self.blind_check)

        self.criteria = PairEditor("评分细则（各细则满分之和应等于项目满分）", ("细则名称", "满分"), "添加细则")
        self.conversion = PairEditor("换算表（可选：把实测成绩换算为得分）", ("成绩界限", "得分"), "添加一档")
        self.conversion.setCheckable(True)
        self.conversion.setChecked(False)
        self.unit_edit = QLineEdit()
        self.unit_edit.setPlaceholderText("如 秒、米、个")
        self.unit_edit.setMaximumWidth(100)
        self.raw_decimals_spin = QSpinBox()
        self.raw_decimals_spin.setRange(0, MAX_DECIMALS)
        self.raw_decimals_spin.setValue(2)
        self.direction_combo = QComboBox()
        self.direction_combo.addItems((LOWER, HIGHER))
        conv_head = QHBoxLayout()
        for label, widget in (("单位：", self.unit_edit), ("成绩小数位：", self.raw_decimals_spin),
                              ("", self.direction_combo)):
            if label:
                conv_head.addWidget(QLabel(label))
            conv_head.addWidget(widget)
        conv_head.addStretch(1)
        self.conversion.box.insertLayout(0, conv_head)
        self.conversion_hint = note_label()
        self.conversion.box.insertWidget(1, self.conversion_hint)

        self.error_label = error_line()
        self.buttons = save_cancel_buttons(self, self.save)
        form_column(self, form, self.error_label, self.buttons, below=[self.criteria, self.conversion], below_stretch=1)

        self.method_combo.currentIndexChanged.connect(self._method_changed)
        self.weight_edit.textChanged.connect(self._update_weights)
        self.full_edit.textChanged.connect(self._update_criteria_sum)
        self.criteria.model.dataChanged.connect(self._update_criteria_sum)
        self.criteria.model.rowsRemoved.connect(self._update_criteria_sum)
        self.direction_combo.currentIndexChanged.connect(self._update_conversion_hint)
        self.unit_edit.textChanged.connect(self._update_conversion_hint)

    def _fill(self, setup: ItemSetup | None) -> None:
        if setup is not None:
            s = setup.spec
            self.name_edit.setText(s.name)
            self.kind_combo.setCurrentText(s.kind)
            self.method_combo.setCurrentText(s.method)
            self.rubric_combo.setCurrentText(s.rubric_method)
            self.full_edit.setText(fmt_decimal(s.full_marks))
            self.weight_edit.setText(fmt_decimal(s.weight))
            self.decimals_spin.setValue(s.decimals)
            self.tiebreak_spin.setValue(s.tiebreak or 0)
            self.spread_edit.setText(fmt_decimal(s.max_spread) if s.max_spread is not None else "")
            self.blind_check.setChecked(s.blind)
            self.criteria.model.set_pairs(setup.criteria)
            self.conversion.model.set_pairs(setup.conversions)
            self.conversion.setChecked(bool(setup.conversions))
            self.unit_edit.setText(setup.raw_unit)
            self.raw_decimals_spin.setValue(setup.raw_decimals)
            self.direction_combo.setCurrentText(LOWER if setup.lower_is_better else HIGHER)
        else:
            left = 100 - sum((it.weight for it in self._others), Decimal(0))
            if left > 0:
                self.weight_edit.setText(fmt_decimal(left))  # what is still missing from 100
        self._method_changed()
        self._update_weights()
        self._update_conversion_hint()

    def _method_changed(self, *_: object) -> None:
        method = self.method_combo.currentText()
        self.method_note.setText(METHOD_TIPS.get(method, ""))
        rubric = method == RUBRIC
        self.rubric_label.setVisible(rubric)
        self.rubric_combo.setVisible(rubric)
        self.criteria.setVisible(rubric)
        self.conversion.setVisible(method == SINGLE)
        self.spread_edit.setEnabled(method != SINGLE)
        self._update_criteria_sum()
        self.adjustSize()

    def _update_weights(self, *_: object) -> None:
        others = sum((it.weight for it in self._others), Decimal(0))
        try:
            mine = _number(self.weight_edit.text(), "权重", required=False) or Decimal(0)
        except ContestError:
            self.weights_label.setText("")
            return
        total = others + mine
        text = f"其他项目合计 {fmt_decimal(others)}%，全部合计 {fmt_decimal(total)}%"
        if total != 100:
            text += "（应为100）"
        self.weights_label.setText(text)
        self.weights_label.setStyleSheet(NOTE_STYLE if total == 100 else WARN_STYLE)

    def _update_criteria_sum(self, *_: object) -> None:
        total = Decimal(0)
        for _name, most in self.criteria.model.pairs():
            with contextlib.suppress(ValueProblem):
                total += to_decimal(most) or 0
        try:
            full = to_decimal(self.full_edit.text())
        except ValueProblem:
            full = None
        self.criteria.note.setText(f"细则满分合计 {fmt_decimal(total)}，项目满分 {fmt_decimal(full) if full else '—'}")
        self.criteria.note.setStyleSheet(NOTE_STYLE if full == total else WARN_STYLE)

    def _update_conversion_hint(self, *_: object) -> None:
        unit = self.unit_edit.text().strip()
        if self.direction_combo.currentText() == LOWER:
            text = f"每档：成绩不超过界限（如 210{unit or '秒'}）即得该档分数；超出最后一档得0分。"
        else:
            text = f"每档：成绩达到界限（如 8{unit or '米'}）即得该档分数；不到第一档得0分。"
        self.conversion_hint.setText(text)

    # ---- saving ----------------------------------------------------------------------------------

    def current_setup(self) -> ItemSetup:
        """The item as typed; raises ContestError with a message for the form."""
        method = self.method_combo.currentText()
        full = _number(self.full_edit.text(), "满分")
        weight = _number(self.weight_edit.text(), "权重")
        spread = _number(self.spread_edit.text(), "分差上限", required=False) if method != SINGLE else None
        assert full is not None and weight is not None
        spec = NewItem(self.name_edit.text().strip(), method, full, weight, self.decimals_spin.value(),
                       self.tiebreak_spin.value() or None, spread, self.rubric_combo.currentText(),
                       self.kind_combo.currentText(), self.blind_check.isChecked())
        criteria: list[tuple[str, Decimal]] = []
        if method == RUBRIC:
            for n, (name, most) in enumerate(self.criteria.model.pairs(), start=1):
                value = _number(most, f"第{n}条细则“{name}”的满分")
                assert value is not None
                criteria.append((name, value))
        table: list[tuple[Decimal, Decimal]] = []
        if method == SINGLE and self.conversion.isChecked():
            for n, (limit, points) in enumerate(self.conversion.model.pairs(), start=1):
                lim, pts = _number(limit, f"换算表第{n}档的成绩界限"), _number(points, f"换算表第{n}档的得分")
                assert lim is not None and pts is not None
                table.append((lim, pts))
            if not table:
                raise ContestError("换算表不能为空（不用换算表请取消勾选）")
        return ItemSetup(spec, tuple(criteria), tuple(table), self.direction_combo.currentText() == LOWER,
                         self.unit_edit.text().strip(), self.raw_decimals_spin.value())

    def save(self) -> None:
        save_form(self, self.error_label, self.saved, self._store, ContestError)

    def _store(self) -> Item:
        setup = self.current_setup()
        if self.original is None:
            self.result_item = contest_setup.add_item(self.db, self.contest_id, setup, self.actor)
        else:
            self.result_item = contest_setup.update_item(self.db, self.original.id, setup, self.actor)
        return self.result_item
