"""添加尚需此培训的人员: the people the rule found (trainer.candidates), each with the reason, all chosen at
first; the officer leaves some out (a unit that cannot spare them, a capacity) and adds the rest."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QAbstractItemView, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from trainer.candidates import Candidates
from ui.class_tab import ERROR_STYLE, fit_columns, note_label, stretch_column, table_view
from ui.person_picker import PickedPeople
from ui.text_table import PERSON_ROLE, TextTableModel

HEADERS = ("姓名", "身份证号", "单位", "人员类别", "原因")
COL_NAME, COL_ID, COL_UNIT, COL_CATEGORY, COL_REASON = range(5)


class CandidatesDialog(PickedPeople, QDialog):
    """`picked` carries the chosen person ids; the receiver closes the dialog, or calls show_error."""

    picked = Signal(list)

    def __init__(self, found: Candidates, unit_names: Mapping[int, str], class_title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"添加尚需此培训的人员 — {class_title}")
        self.resize(1100, 640)
        self.model = TextTableModel(HEADERS, "LCLCL")
        rows = [(p.name, p.id_number, unit_names.get(p.unit_id, ""), p.category, found.reasons.get(int(p.id or 0), ""))
                for p in found.people]
        self.model.set_rows(rows, rows, [int(p.id or 0) for p in found.people])
        self.view = table_view(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setModel(self.model)
        fit_columns(self.view, {COL_NAME: "欧阳某某", COL_ID: "41040219900101123X",
                                COL_UNIT: max(unit_names.values(), key=len, default="城乡一体化示范区"),
                                COL_CATEGORY: "执法人员"})
        stretch_column(self.view, COL_REASON)

        elsewhere = (f"另有 {found.elsewhere} 人已报名其他未结束的同类培训班，未列入。" if found.elsewhere else "")
        self.rule_label = note_label(f"按规则（{found.rule}）找到 {len(found.people)} 人，已全部选中；"
                                     f"不需要的可按住 Ctrl 点击取消选择。{elsewhere}")
        self.count_label = QLabel()
        self.error_label = note_label(style=ERROR_STYLE)
        self.ok_button = QPushButton()
        self.ok_button.setDefault(True)
        cancel = QPushButton("取消")
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(cancel)
        box = QVBoxLayout(self)
        box.addWidget(self.rule_label)
        box.addWidget(self.view, 1)
        box.addWidget(self.error_label)
        box.addLayout(buttons)

        self.ok_button.clicked.connect(self.accept_selection)
        cancel.clicked.connect(self.reject)
        self.view.selectionModel().selectionChanged.connect(self._update_count)
        self.view.selectAll()
        self._update_count()

    def person_id_at(self, row: int) -> int:
        return int(self.model.index(row, 0).data(PERSON_ROLE))

    def shown_text(self) -> str:
        return f"共 {self.model.rowCount()} 人"
