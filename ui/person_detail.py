"""One person at a glance (一人一档): every field, the 执法证 state and the history of unit, post and leader
role; the training records with days and 学时 per year; the certificates issued; the compliance checks for
today; and the printed file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import idnumber, people, personal_file
from trainer.dates import iso
from trainer.people import Person
from trainer.units import all_units
from ui.people_model import CARD_COLOURS
from ui.person_training import CertificatesTab, ComplianceTab, TrainingTab
from ui.prompts import ask_save_path

HISTORY_HEADERS = ("生效日期", "变动项目", "原值", "新值", "来源", "记录时间")


class PersonDetailDialog(QDialog):
    """Read-only view with an 编辑… button; `person_saved` carries the person after an edit."""

    person_saved = Signal(object)

    def __init__(self, db: Database, person_id: int, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.person_id = person_id
        self._today = today or dt.date.today()
        self.resize(980, 680)
        self.fields = QGridLayout()
        self._values: dict[str, QLabel] = {}
        self.fields.setHorizontalSpacing(18)
        self.history_model = QStandardItemModel(0, len(HISTORY_HEADERS), self)
        self.history_model.setHorizontalHeaderLabels(list(HISTORY_HEADERS))
        self.history_view = QTableView()
        self.history_view.setModel(self.history_model)
        self.history_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_view.verticalHeader().hide()
        header = self.history_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for column in (2, 3):  # old and new values can be long (leader role with its date)
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.no_history = QLabel("暂无单位、岗位状态或队伍负责人的变动记录。")
        self.no_history.setStyleSheet("color: #666;")

        info = QGroupBox("基本信息")
        info.setLayout(self.fields)
        hist = QGroupBox("变动历史（单位、岗位状态、队伍负责人）")
        hist_box = QVBoxLayout(hist)
        hist_box.addWidget(self.no_history)
        hist_box.addWidget(self.history_view)
        first = QWidget()
        first_box = QVBoxLayout(first)
        first_box.addWidget(info)
        first_box.addWidget(hist, 1)
        self.training_tab = TrainingTab()
        self.compliance_tab = ComplianceTab()
        self.certificates_tab = CertificatesTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(first, "基本信息")
        self.tabs.addTab(self.training_tab, "培训记录")
        self.tabs.addTab(self.compliance_tab, "合规情况")
        self.tabs.addTab(self.certificates_tab, "证书")
        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("打印一人一档…", QDialogButtonBox.ButtonRole.ActionRole)
        self.edit_button = buttons.addButton("编辑…", QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        self.edit_button.clicked.connect(self.edit)
        self.print_button.clicked.connect(lambda: self.print_file())
        box = QVBoxLayout(self)
        box.addWidget(self.tabs, 1)
        box.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        person = people.get(self.db, self.person_id)
        if person is None:
            raise KeyError(self.person_id)
        self.person = person
        self.setWindowTitle(f"人员详情 — {person.name}")
        self._fill_fields(person)
        self._fill_history()
        self.file = personal_file.load(self.db, self.person_id, self._today)
        self.training_tab.show_file(self.file)
        self.compliance_tab.show_file(self.file)
        self.certificates_tab.show_file(self.file)
        valid = sum(1 for c in self.file.certificates if c.valid)
        self.tabs.setTabText(3, f"证书（{valid}）" if valid else "证书")
        done = sum(1 for r in self.file.records if r.completed)
        self.tabs.setTabText(1, f"培训记录（{len(self.file.records)}）" if self.file.records else "培训记录")
        behind = sum(1 for c in self.file.checks if c.behind)
        self.tabs.setTabText(2, f"合规情况（{behind}项未合格）" if behind else "合规情况")
        self.tabs.setTabToolTip(1, f"共 {len(self.file.records)} 条培训记录，其中已结业 {done} 条")

    def _fill_fields(self, p: Person) -> None:
        units = {u.id: u for u in all_units(self.db)}
        unit = units.get(p.unit_id)
        path = []
        while unit is not None:
            path.append(unit.name)
            unit = units.get(unit.parent_id) if unit.parent_id is not None else None
        try:
            birth = iso(idnumber.parse(p.id_number).birth_date)
        except idnumber.IdNumberError:
            birth = ""
        state = p.card_state(self._today)
        pairs = [
            ("姓名", p.name), ("性别", p.gender), ("身份证号", p.id_number), ("出生日期", birth),
            ("单位", " / ".join(reversed(path))), ("人员类别", p.category), ("职务", p.position or "—"),
            ("队伍负责人", f"是（任职日期 {iso(p.leader_since)}）" if p.is_leader else "否"),
            ("入职日期", iso(p.hire_date)), ("岗位状态", p.post_status),
            ("执法证号", p.card_number or "—"), ("执法证有效期至", iso(p.card_expiry) or "—"),
            ("证件状态", state or "—（协管人员不持执法证）"), ("联系电话", p.phone or "—"),
        ]
        if not self._values:  # first fill: two columns of label / value
            half = (len(pairs) + 1) // 2
            for n, (label, _) in enumerate(pairs):
                row, col = n % half, (n // half) * 2
                name = QLabel(label + "：")
                name.setStyleSheet("color: #555;")
                shown = QLabel()
                shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.fields.addWidget(name, row, col, Qt.AlignmentFlag.AlignRight)
                self.fields.addWidget(shown, row, col + 1)
                self._values[label] = shown
        for label, value in pairs:
            self._values[label].setText(value)
        card = self._values["证件状态"]
        colours = CARD_COLOURS.get(state)
        card.setStyleSheet(
            f"color: {colours[0]}; font-weight: bold;" + (f" background: {colours[1]};" if colours[1] else "")
            if colours else "")

    def _fill_history(self) -> None:
        entries = people.history(self.db, self.person_id)
        self.history_model.removeRows(0, self.history_model.rowCount())
        for e in reversed(entries):  # newest first
            when = e.recorded_at.replace("T", " ")
            cells = [iso(e.effective_date), e.field, e.old_value, e.new_value, e.source, when]
            self.history_model.appendRow([QStandardItem(c) for c in cells])
        self.no_history.setVisible(not entries)
        self.history_view.setVisible(bool(entries))

    def value(self, label: str) -> str:
        """The text shown for one field."""
        return self._values[label].text()

    def history_rows(self) -> list[list[str]]:
        m = self.history_model
        return [[m.item(r, c).text() for c in range(m.columnCount())] for r in range(m.rowCount())]

    # ---- 一人一档 PDF -------------------------------------------------------------------------------------

    def ask_save_path(self, name: str) -> str:
        """The save dialog (tests replace this)."""
        return ask_save_path(self, "打印一人一档", Path.home() / name, "PDF 文件 (*.pdf)", ".pdf")

    def tell(self, title: str, text: str, error: bool = False) -> None:
        """A message box (tests replace this)."""
        (QMessageBox.warning if error else QMessageBox.information)(self, title, text)

    def print_file(self, path: str | None = None) -> Path | None:
        """Write the personal file as a PDF (one page or two: quick enough for the GUI thread)."""
        from exports import personal_file_pdf
        from exports.glyphs import MissingGlyphsError

        p = self.file.person
        path = path or self.ask_save_path(f"一人一档_{p.name}_{p.id_number}.pdf")
        if not path:
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            written = personal_file_pdf.build(path, self.file)
        except (MissingGlyphsError, OSError, ValueError) as exc:
            QApplication.restoreOverrideCursor()
            self.tell("打印一人一档", f"无法生成 PDF：{exc}", error=True)
            return None
        QApplication.restoreOverrideCursor()
        self.tell("打印一人一档", f"已保存到：\n{written}")
        return written

    def edit(self) -> None:
        from ui.person_dialog import PersonDialog

        dialog = PersonDialog(self.db, self.person, self, today=self._today)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.saved is not None:
            self.reload()
            self.person_saved.emit(dialog.saved)

