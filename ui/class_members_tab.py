"""The 学员 tab: who is enrolled; add by picking, or in one click everyone who still needs this training."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget
from sqlite_utils import Database

from trainer import candidates, people, rules, training, units
from trainer.class_roster import Member, members
from trainer.training import TrainingError
from ui.class_tab import ClassTab, Host, fit_columns, longest_unit_name, table_view
from ui.table_model import CENTER, Index, ObjectTableModel

HEADERS = ("序号", "姓名", "性别", "身份证号", "单位", "人员类别", "职务", "联系电话")
(COL_NO, COL_NAME, COL_GENDER, COL_ID, COL_UNIT, COL_CATEGORY, COL_POSITION, COL_PHONE) = range(8)


class MemberModel(ObjectTableModel):
    _rows: list[Member]

    def __init__(self, parent: Any = None) -> None:
        super().__init__(HEADERS, parent, {COL_NO: CENTER, COL_GENDER: CENTER})

    def set_rows(self, rows: Sequence[Member]) -> None:
        self._replace_rows(rows)

    def member_at(self, row: int) -> Member:
        return self._rows[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        m, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            p = m.person
            return (str(index.row() + 1), p.name, p.gender, p.id_number, m.unit, p.category, p.position, p.phone)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(col)
        return None


class MembersTab(ClassTab):
    def __init__(self, db: Database, host: Host, parent: QWidget | None = None) -> None:
        super().__init__(db, host, parent)
        self.model = MemberModel(self)
        self.view = table_view(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setModel(self.model)
        fit_columns(self.view, {COL_NO: "999", COL_NAME: "欧阳某某", COL_GENDER: "男", COL_ID: "41040219900101123X",
                                COL_UNIT: longest_unit_name(db), COL_CATEGORY: "执法人员", COL_POSITION: "执法队员",
                                COL_PHONE: "0375-12345678"})
        self.count_label = QLabel()
        self.pick_button = QPushButton("添加学员…")
        self.candidates_button = QPushButton("添加尚需此培训的人员")
        self.remove_button = QPushButton("移除所选")
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        for b in (self.pick_button, self.candidates_button, self.remove_button):
            buttons.addWidget(b)
        box = QVBoxLayout(self)
        box.addWidget(self.view, 1)
        box.addLayout(buttons)
        self.pick_button.clicked.connect(self.pick)
        self.candidates_button.clicked.connect(self.add_candidates)
        self.remove_button.clicked.connect(self.remove_selected)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def reload(self) -> None:
        self.model.set_rows(members(self.db, self.class_id) if self.cls else [])
        self._update_count()

    def _update_count(self) -> None:
        if self.cls is None:
            self.count_label.setText("")
            return
        n = self.model.rowCount()
        limit = f"，上限 {self.cls.capacity} 人" if self.cls.capacity else ""
        self.count_label.setText(f"已报名 {n} 人{limit}")
        self.candidates_button.setToolTip("按规则找出：" + candidates.describe(self.db, self.cls))

    def _update_buttons(self, *_: object) -> None:
        has_class = self.cls is not None
        self.pick_button.setEnabled(has_class)
        self.candidates_button.setEnabled(has_class)
        self.remove_button.setEnabled(bool(self.view.selectionModel().selectedRows()))

    def selected_members(self) -> list[Member]:
        return [self.model.member_at(i.row()) for i in sorted(self.view.selectionModel().selectedRows())]

    # ---- adding ----------------------------------------------------------------------------------

    def pick(self) -> None:
        if self.cls is None:
            return
        from ui.person_picker import PersonPickerDialog

        enrolled = set(training.enrolled_ids(self.db, self.class_id))
        pool = [p for p in people.all_people(self.db) if p.id not in enrolled]
        dialog = PersonPickerDialog(pool, units.all_units(self.db), self.cls.title, self, today=self.host.today)

        def picked(ids: list[int]) -> None:
            try:
                added = self._enrol(ids)
            except TrainingError as exc:
                dialog.show_error(str(exc))
                return
            dialog.accept()
            self.host.prompts.inform("添加学员", f"已添加 {added} 名学员。")

        dialog.picked.connect(picked)
        self.host.open_dialog(dialog)

    def add_candidates(self) -> None:
        if self.cls is None:
            return
        found = candidates.find(self.db, self.cls, rules.active(self.db), self.host.today)
        if not found.people:
            elsewhere = f"\n另有 {found.elsewhere} 人已报名其他未结束的{self.cls.type}班，未列入。" \
                if found.elsewhere else ""
            self.host.prompts.inform("添加尚需此培训的人员", f"没有需要添加的人员（{found.rule}）。{elsewhere}")
            return
        from ui.candidates_dialog import CandidatesDialog

        names = {u.id: u.name for u in units.all_units(self.db)}
        dialog = CandidatesDialog(found, names, self.cls.title, self)

        def picked(ids: list[int]) -> None:
            try:
                added = self._enrol(ids)
            except TrainingError as exc:
                dialog.show_error(f"{exc}。可少选几人，或先在“编辑”中调整人数上限。")
                return
            dialog.accept()
            self.host.prompts.inform("添加尚需此培训的人员", f"已添加 {added} 名学员。")

        dialog.picked.connect(picked)
        self.host.open_dialog(dialog)

    def _enrol(self, ids: list[int]) -> int:
        added = training.enrol(self.db, self.class_id, ids)
        self.reload()
        self.changed.emit()
        return added

    # ---- removing --------------------------------------------------------------------------------

    def remove_selected(self) -> None:
        chosen = self.selected_members()
        if not chosen or self.cls is None:
            return
        ids = [m.person_id for m in chosen]
        marks = self.db.execute(
            f"SELECT COUNT(*) FROM attendance a JOIN class_sessions s ON s.id = a.session_id WHERE s.class_id = ?"
            f" AND a.person_id IN ({', '.join('?' * len(ids))})", [self.class_id, *ids]).fetchone()[0]
        who = "、".join(m.person.name for m in chosen[:8]) + (f"等 {len(chosen)} 人" if len(chosen) > 8 else "")
        text = f"将 {who} 移出本班？"
        if marks:
            text += f"\n\n他们已登记的 {marks} 条考勤和成绩将一并删除。"
        if not self.host.prompts.confirm("移除学员", text, yes="移除"):
            return
        training.unenrol(self.db, self.class_id, ids)
        self.reload()
        self.changed.emit()
