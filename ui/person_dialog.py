"""Add / edit one person. Every keystroke re-runs trainer.person_fields.parse_person, the same
validator the roster import uses, so the dialog and the import refuse the same things in the same words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)
from sqlite_utils import Database

from trainer import idnumber, people
from trainer.dates import DateError, iso, parse_date
from trainer.people import Person
from trainer.person_fields import (
    CARD_EXPIRY,
    CARD_NUMBER,
    CATEGORIES,
    CATEGORY,
    COLUMNS,
    GENDER,
    HIRE_DATE,
    ID_NUMBER,
    LEADER,
    LEADER_SINCE,
    NAME,
    PHONE,
    POSITION,
    POST_STATUS,
    POST_STATUSES,
    REQUIRED,
    UNIT,
    FieldError,
    parse_person,
)
from trainer.units import Unit, UnitIndex, all_units
from ui.form_draft import FormDraft

EFFECTIVE = "变动生效日期"
ERROR_STYLE = "color: #c0392b;"
_DEPTH_ROLE = Qt.ItemDataRole.UserRole + 2
# Editing one field can make another one wrong; its message should show at once, not only in the footer.
_RELATED = {
    LEADER: (LEADER_SINCE,), CATEGORY: (CARD_NUMBER,), CARD_NUMBER: (CARD_EXPIRY,),
    CARD_EXPIRY: (CARD_NUMBER,), ID_NUMBER: (GENDER,),
}


class DateField(QWidget):
    """A date that may be empty: free text in the formats rosters use, plus a calendar button.

    QDateEdit cannot be empty, and the dialog must show parse_person's own message for bad text.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("年-月-日，如 2021-06-06")
        self.edit.setClearButtonEnabled(True)
        self.button = QToolButton(self)
        self.button.setText("日历")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(self._pick)
        self.calendar.clicked.connect(menu.close)
        self.button.setMenu(menu)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.button)
        self.edit.textChanged.connect(self.changed)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_date(self, value: dt.date | None) -> None:
        self.edit.setText(iso(value))

    def _pick(self, d: QDate) -> None:
        self.edit.setText(d.toString("yyyy-MM-dd"))

    def _sync_calendar(self) -> None:
        try:
            current = parse_date(self.text())
        except DateError:
            current = None
        if current:
            self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))


class _IndentDelegate(QStyledItemDelegate):
    """Indents units in the drop-down by their depth in the tree (leading spaces get trimmed when drawn)."""

    STEP = 18

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        shifted = QStyleOptionViewItem(option)
        rect = shifted.rect
        rect.adjust(self.STEP * int(index.data(_DEPTH_ROLE) or 0), 0, 0, 0)
        shifted.rect = rect
        super().paint(painter, shifted, index)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        size.setWidth(size.width() + self.STEP * int(index.data(_DEPTH_ROLE) or 0))
        return size


class UnitCombo(QComboBox):
    """Units in tree order; typing filters by any part of the name, and aliases are accepted too."""

    def __init__(self, units: list[Unit], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        model = QStandardItemModel(self)
        depth: dict[int, int] = {}
        for u in units:
            depth[u.id] = depth.get(u.parent_id, -1) + 1 if u.parent_id is not None else 0
            item = QStandardItem(u.name)
            item.setData(u.id, Qt.ItemDataRole.UserRole)
            item.setData(depth[u.id], _DEPTH_ROLE)
            model.appendRow(item)
        self.setModel(model)
        self.view().setItemDelegate(_IndentDelegate(self))
        completer = QCompleter(model, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompleter(completer)
        self.setCurrentIndex(-1)
        line = self.lineEdit()
        if line is not None:
            line.setPlaceholderText("选择或输入单位名称")

    def set_unit(self, unit_id: int | None) -> None:
        self.setCurrentIndex(self.findData(unit_id) if unit_id is not None else -1)
        if unit_id is None:
            self.setEditText("")


class PersonDialog(QDialog):
    """`person=None` adds a new person; after accept(), `saved` is the person as stored."""

    person_saved = Signal(object)

    def __init__(self, db: Database, person: Person | None = None, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.original = person
        self.saved: Person | None = None
        self._today = today or dt.date.today()
        self._units = all_units(db)
        self._index = UnitIndex(self._units)
        # An empty new form should not greet the user with a wall of red: a field shows its
        # problem once touched; OK stays disabled regardless, and the footer says what is missing.
        self._touched: set[str] = set(COLUMNS) | {EFFECTIVE} if person else set()
        self._duplicate: str | None = None
        self.setWindowTitle(f"编辑人员 — {person.name}" if person else "新增人员")
        self._build()
        if person:
            self._fill(person)
        self._connect()
        self.validate()
        self.draft = FormDraft(self, db, f"person:{person.id if person else 'new'}", self.windowTitle())

    # ---- widgets ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.name_edit = QLineEdit()
        self.gender_combo = QComboBox()
        for text, value in (("（按身份证号）", ""), ("男", "男"), ("女", "女")):
            self.gender_combo.addItem(text, value)
        self.id_edit = QLineEdit()
        self.id_edit.setMaxLength(20)
        self.id_edit.setPlaceholderText("18位公民身份号码")
        self.unit_combo = UnitCombo(self._units)
        self.category_combo = QComboBox()
        self.category_combo.addItems(CATEGORIES)
        self.position_edit = QLineEdit()
        self.leader_check = QCheckBox("是（队伍负责人须参加任职培训）")
        self.leader_since = DateField()
        self.hire_date = DateField()
        self.card_edit = QLineEdit()
        self.card_expiry = DateField()
        self.status_combo = QComboBox()
        self.status_combo.addItems(POST_STATUSES)
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("手机号或 0375-2345678")
        self.effective = DateField()
        self.effective.set_date(self._today)

        self.inputs: dict[str, QWidget] = {
            NAME: self.name_edit, GENDER: self.gender_combo, ID_NUMBER: self.id_edit, UNIT: self.unit_combo,
            CATEGORY: self.category_combo, POSITION: self.position_edit, LEADER: self.leader_check,
            LEADER_SINCE: self.leader_since, HIRE_DATE: self.hire_date, CARD_NUMBER: self.card_edit,
            CARD_EXPIRY: self.card_expiry, POST_STATUS: self.status_combo, PHONE: self.phone_edit,
            EFFECTIVE: self.effective,
        }
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(1, 260)
        grid.setColumnMinimumWidth(2, 280)
        self.labels: dict[str, QLabel] = {}
        self.errors: dict[str, QLabel] = {}
        for row, column in enumerate(self.inputs):
            label = QLabel(column + ("<span style='color:#c0392b'>*</span>" if column in REQUIRED else "") + "：")
            label.setBuddy(self.inputs[column])
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.setObjectName(f"error_{column}")
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(self.inputs[column], row, 1)
            grid.addWidget(error, row, 2)
            self.labels[column], self.errors[column] = label, error
        self.effective_hint = QLabel("单位、岗位状态或队伍负责人有变动时，记入变动历史。")
        self.effective_hint.setStyleSheet("color: #666;")
        grid.addWidget(self.effective_hint, len(self.inputs), 1, 1, 2)

        self.footer = QLabel()
        self.footer.setWordWrap(True)
        self.footer.setStyleSheet("color: #666;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        box = QVBoxLayout(self)
        box.addLayout(grid)
        box.addWidget(self.footer)
        box.addWidget(self.buttons)
        self._show_effective(False)

    def _fill(self, p: Person) -> None:
        self.name_edit.setText(p.name)
        self.gender_combo.setCurrentIndex(max(0, self.gender_combo.findData(p.gender)))
        self.id_edit.setText(p.id_number)
        self.unit_combo.set_unit(p.unit_id)
        self.category_combo.setCurrentText(p.category)
        self.position_edit.setText(p.position)
        self.leader_check.setChecked(p.is_leader)
        self.leader_since.set_date(p.leader_since)
        self.hire_date.set_date(p.hire_date)
        self.card_edit.setText(p.card_number)
        self.card_expiry.set_date(p.card_expiry)
        self.status_combo.setCurrentText(p.post_status)
        self.phone_edit.setText(p.phone)

    def _connect(self) -> None:
        def touch(column: str) -> Any:
            def slot(*_: object) -> None:
                self._touched.add(column)
                self._touched.update(_RELATED.get(column, ()))
                if column == ID_NUMBER:
                    self._duplicate = None
                self.validate()
            return slot

        self.name_edit.textChanged.connect(touch(NAME))
        self.gender_combo.currentIndexChanged.connect(touch(GENDER))
        self.id_edit.textChanged.connect(touch(ID_NUMBER))
        self.unit_combo.currentTextChanged.connect(touch(UNIT))
        self.category_combo.currentIndexChanged.connect(touch(CATEGORY))
        self.position_edit.textChanged.connect(touch(POSITION))
        self.leader_check.toggled.connect(touch(LEADER))
        self.leader_since.changed.connect(touch(LEADER_SINCE))
        self.hire_date.changed.connect(touch(HIRE_DATE))
        self.card_edit.textChanged.connect(touch(CARD_NUMBER))
        self.card_expiry.changed.connect(touch(CARD_EXPIRY))
        self.status_combo.currentIndexChanged.connect(touch(POST_STATUS))
        self.phone_edit.textChanged.connect(touch(PHONE))
        self.effective.changed.connect(touch(EFFECTIVE))

    # ---- validation ------------------------------------------------------------------------------

    def values(self) -> dict[str, object]:
        """The form as roster cells, ready for parse_person."""
        leader = self.leader_check.isChecked()
        return {
            NAME: self.name_edit.text(), GENDER: self.gender_combo.currentData() or "",
            ID_NUMBER: self.id_edit.text(), UNIT: self.unit_combo.currentText(),
            CATEGORY: self.category_combo.currentText(), POSITION: self.position_edit.text(),
            LEADER: "是" if leader else "否", LEADER_SINCE: self.leader_since.text() if leader else "",
            HIRE_DATE: self.hire_date.text(), CARD_NUMBER: self.card_edit.text(),
            CARD_EXPIRY: self.card_expiry.text(), POST_STATUS: self.status_combo.currentText(),
            PHONE: self.phone_edit.text(),
        }

    def _prefill_gender(self) -> None:
        # Until the user picks a gender, it follows the ID number (17th digit).
        if GENDER in self._touched and self.gender_combo.currentData():
            return
        try:
            info = idnumber.parse(self.id_edit.text())
        except idnumber.IdNumberError:
            return
        self.gender_combo.blockSignals(True)
        self.gender_combo.setCurrentIndex(self.gender_combo.findData(info.gender))
        self.gender_combo.blockSignals(False)

    def history_changes(self) -> bool:
        """Whether saving would record history (unit, post status or leader role changed)."""
        p = self.original
        if p is None:
            return False
        unit = self._index.resolve(self.unit_combo.currentText())
        try:
            since = parse_date(self.leader_since.text()) if self.leader_check.isChecked() else None
        except DateError:
            since = p.leader_since
        return ((unit is not None and unit.id != p.unit_id)
                or self.status_combo.currentText() != p.post_status
                or (self.leader_check.isChecked(), since) != (p.is_leader, p.leader_since))

    def _effective_date(self, errors: list[FieldError]) -> dt.date | None:
        try:
            day = parse_date(self.effective.text())
        except DateError as exc:
            errors.append(FieldError(EFFECTIVE, str(exc)))
            return None
        if day is None:
            errors.append(FieldError(EFFECTIVE, "有变动时须填写生效日期"))
        return day

    def validate(self) -> tuple[Person | None, list[FieldError]]:
        """Check the form, show each field's problem next to it, enable OK only when clean."""
        self._prefill_gender()
        self.leader_since.setEnabled(self.leader_check.isChecked())
        person, errors = parse_person(self.values(), self._index, self._today,
                                      self.original.id if self.original else None)
        changes = self.history_changes()
        self._show_effective(changes)
        if changes:
            self._effective_date(errors)
        if self._duplicate:
            errors.append(FieldError(ID_NUMBER, self._duplicate))
        shown: dict[str, list[str]] = {}
        hidden: list[str] = []
        for e in errors:
            if e.column in self._touched:
                shown.setdefault(e.column, []).append(e.message)
            elif e.column not in hidden:
                hidden.append(e.column)
        for column, label in self.errors.items():
            label.setText("；".join(shown.get(column, [])))
        self.ok_button.setEnabled(not errors)
        if hidden:
            self.footer.setText("尚需填写或更正：" + "、".join(hidden))
        elif errors:
            self.footer.setText(f"有{len(errors)}处需要更正（见红字）")
        else:
            self.footer.setText("")
        return (person if not errors else None), errors

    def _show_effective(self, visible: bool) -> None:
        for w in (self.labels[EFFECTIVE], self.effective, self.errors[EFFECTIVE], self.effective_hint):
            w.setVisible(visible)

    def error_text(self, column: str) -> str:
        return self.errors[column].text()

    # ---- saving ----------------------------------------------------------------------------------

    def accept(self) -> None:
        person, errors = self.validate()
        if person is None:
            return
        effective = None
        if self.history_changes():
            effective = self._effective_date(errors)
        try:
            self.saved = people.save(self.db, person, effective=effective)
        except people.DuplicateIdNumber as exc:
            # Keep everything the user typed; point at the field.
            self._duplicate = str(exc)
            self._touched.add(ID_NUMBER)
            self.validate()
            self.id_edit.setFocus()
            return
        except Exception as exc:  # a database error must not lose the form
            QMessageBox.critical(self, "保存失败", f"保存失败，未写入任何数据：{exc}")
            return
        self.person_saved.emit(self.saved)
        super().accept()
