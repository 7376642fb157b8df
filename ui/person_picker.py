"""Pick people from the register for a class: the people page's search and filters, many rows at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from trainer.people import Person
from trainer.units import Unit
from ui.class_tab import ERROR_STYLE, fit_columns, note_label, table_view
from ui.people_filter_bar import PeopleFilterBar
from ui.people_model import (
    COL_CARD_EXPIRY,
    COL_CARD_NUMBER,
    COL_CARD_STATE,
    COL_CATEGORY,
    COL_GENDER,
    COL_HIRE_DATE,
    COL_ID_NUMBER,
    COL_LEADER,
    COL_NAME,
    COL_PHONE,
    COL_POSITION,
    COL_UNIT,
    PeopleFilter,
    PeopleTableModel,
)

HIDDEN = (COL_CARD_NUMBER, COL_CARD_EXPIRY, COL_CARD_STATE, COL_HIRE_DATE, COL_PHONE)


class PickedPeople:
    """What a dialog that adds the selected people has in common: the count under the table, the 添加所选 button
    that says how many, and handing the ids over (the receiver closes the dialog or calls show_error)."""

    view: QAbstractItemView
    count_label: QLabel
    ok_button: QPushButton
    error_label: QLabel
    picked: Any  # the dialog's Signal(list)

    def person_id_at(self, row: int) -> int:
        raise NotImplementedError

    def shown_text(self) -> str:
        """The count of rows on offer, e.g. 显示 12 人."""
        raise NotImplementedError

    def chosen_ids(self) -> list[int]:
        return [self.person_id_at(r) for r in sorted(i.row() for i in self.view.selectionModel().selectedRows())]

    def _update_count(self, *_: object) -> None:
        chosen = len(self.view.selectionModel().selectedRows())
        self.count_label.setText(f"{self.shown_text()}，已选 {chosen} 人")
        self.ok_button.setText(f"添加所选（{chosen}人）" if chosen else "添加所选")
        self.ok_button.setEnabled(chosen > 0)

    def accept_selection(self) -> None:
        """Hand the choice over; the receiver closes the dialog, or calls show_error and it stays open."""
        ids = self.chosen_ids()
        if ids:
            self.error_label.clear()
            self.picked.emit(ids)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)


class PersonPickerDialog(PickedPeople, QDialog):
    """Shows `people` (those not yet in the class); `picked` carries the chosen person ids."""

    picked = Signal(list)

    def __init__(self, people: Sequence[Person], units: Sequence[Unit], title: str, parent: QWidget | None = None,
                 today: dt.date | None = None, *, heading: str = "添加学员",
                 note: str = "已在本班的人员不在此列出。") -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{heading} — {title}")
        self.resize(1100, 680)
        self._units = list(units)
        self.model = PeopleTableModel(people, units, today, self)

        self.unit_combo = QComboBox()
        self.unit_combo.addItem("全部单位", None)
        depth: dict[int, int] = {}
        for u in self._units:
            depth[u.id] = depth.get(u.parent_id, -1) + 1 if u.parent_id is not None else 0
            self.unit_combo.addItem("　" * depth[u.id] + u.name, u.id)  # full-width spaces survive the combo
        bar = self.filter_bar = PeopleFilterBar(first=("单位", self.unit_combo))
        self.search_edit, self.category_combo, self.status_combo = bar.search_edit, bar.category_combo, bar.status_combo
        self.status_combo.setCurrentText("在岗")  # classes are for people on duty

        self.view = table_view(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setModel(self.model)
        # The model starts in unit order; no arrow (and no re-sort by name) until the user clicks a column.
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)
        for column in HIDDEN:
            self.view.hideColumn(column)
        fit_columns(self.view, {COL_NAME: "欧阳某某", COL_GENDER: "男", COL_ID_NUMBER: "41040219900101123X",
                                COL_UNIT: max((u.name for u in self._units), key=len, default="城乡一体化示范区"),
                                COL_CATEGORY: "执法人员", COL_POSITION: "执法队员", COL_LEADER: "是"})

        self.count_label = QLabel()
        self.error_label = note_label(style=ERROR_STYLE)
        self.select_all_button = QPushButton("全选筛选结果")
        self.ok_button = QPushButton("添加所选")
        self.ok_button.setDefault(True)
        cancel = QPushButton("取消")
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.select_all_button)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        box = QVBoxLayout(self)
        box.addLayout(bar)
        box.addWidget(QLabel(f"按住 Ctrl 或 Shift 可选多人；{note}"))
        box.addWidget(self.view, 1)
        box.addWidget(self.error_label)
        box.addLayout(buttons)

        bar.changed.connect(self.apply_filter)
        self.select_all_button.clicked.connect(self.view.selectAll)
        self.ok_button.clicked.connect(self.accept_selection)
        cancel.clicked.connect(self.reject)
        self.view.selectionModel().selectionChanged.connect(self._update_count)
        self.model.modelReset.connect(self._update_count)
        self.apply_filter()

    def current_filter(self) -> PeopleFilter:
        return self.filter_bar.people_filter(self._units, self.unit_combo.currentData())

    def apply_filter(self, *_: object) -> None:
        self.model.set_filter(self.current_filter())
        self._update_count()

    def person_id_at(self, row: int) -> int:
        return int(self.model.person_at(row).id or 0)

    def shown_text(self) -> str:
        return f"显示 {self.model.visible_count()} 人"
