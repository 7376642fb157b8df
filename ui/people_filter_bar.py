"""The row of people filters the people page and the person picker share: a name-or-ID search box, then
captioned choice combos (人员类别, 岗位状态, and the unit or card filter a caller adds), read into one
PeopleFilter so both screens filter the register the same way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit

from trainer.person_fields import CATEGORIES, POST_STATUSES
from trainer.units import Unit, descendants
from ui.people_model import PeopleFilter

ALL = "全部"


def name_or_id_search(min_width: int = 0) -> QLineEdit:
    """The search box of every list of people (and of their records): name or 身份证号, with a clear button."""
    edit = QLineEdit()
    edit.setPlaceholderText("搜索姓名或身份证号")
    edit.setClearButtonEnabled(True)
    if min_width:
        edit.setMinimumWidth(min_width)
    return edit


def choice_combo(values: Iterable[str]) -> QComboBox:
    """全部 (data "") and then each value with itself as data, so `currentData() or ""` is the filter value."""
    combo = QComboBox()
    combo.addItem(ALL, "")
    for value in values:
        combo.addItem(value, value)
    return combo


class PeopleFilterBar(QHBoxLayout):
    """The search box and captioned combos in one row; `changed` on every keystroke or choice.

    `first` is a captioned combo placed before 人员类别 (the picker's 单位), `last` one placed after
    岗位状态 (the page's 证件); `gap` is the space before each caption (the page spaces them, the picker
    packs them). The layout itself is what the caller adds, so nothing changes in how the row looks."""

    changed = Signal()

    def __init__(self, *, first: tuple[str, QComboBox] | None = None, last: tuple[str, QComboBox] | None = None,
                 gap: int = 0, search_min_width: int = 0) -> None:
        super().__init__()
        self.search_edit = name_or_id_search(search_min_width)
        self.category_combo = choice_combo(CATEGORIES)
        self.status_combo = choice_combo(POST_STATUSES)
        captioned = [first] if first else []
        captioned += [("人员类别", self.category_combo), ("岗位状态", self.status_combo)]
        captioned += [last] if last else []
        self.combos: tuple[QComboBox, ...] = tuple(combo for _, combo in captioned)
        self.addWidget(self.search_edit, 2)
        for label, combo in captioned:
            caption = QLabel(label + "：")
            caption.setBuddy(combo)
            if gap:  # a zero-width spacer would still add the layout's spacing
                self.addSpacing(gap)
            self.addWidget(caption)
            self.addWidget(combo)
        self.search_edit.textChanged.connect(self.changed)
        for combo in self.combos:
            combo.currentIndexChanged.connect(self.changed)

    def people_filter(self, units: Sequence[Unit], unit_id: int | None, card_state: str = "") -> PeopleFilter:
        """What the row asks for, within `unit_id` and the units below it (None: every unit)."""
        return PeopleFilter(
            text=self.search_edit.text(),
            unit_ids=frozenset(descendants(units, unit_id)) if unit_id is not None else None,
            category=self.category_combo.currentData() or "",
            post_status=self.status_combo.currentData() or "",
            card_state=card_state,
        )

    def reset(self) -> None:
        """Empty search, first choice everywhere, without a `changed` per widget (the caller filters once)."""
        for combo in self.combos:
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
