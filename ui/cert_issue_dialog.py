"""为培训班发证: choose a finished class, see who would get a completion certificate, issue them.

Only members who completed and hold no valid certificate for the class are listed (trainer.cert_issue
decides); issuing writes them all in one transaction and hands the new certificates to the page. Members
whose certificate for the class was revoked are named below the list with the reason, not issued: issuing
again for them is 重新发证 on the revoked certificate in the register (reason and PIN).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import cert_issue, cert_register, training, units
from trainer.amounts import fmt
from trainer.cert_issue import Draft
from trainer.cert_register import VALID, CertFilter, Certificate, CertificateError
from trainer.cert_serials import SerialError
from trainer.idnumber import mask
from ui.class_tab import ERROR_STYLE, fit_columns, note_label, stretch_column, table_view
from ui.row_model import RowModel

HEADERS = ("序号", "姓名", "身份证号", "单位", "学时")


class CertIssueDialog(QDialog):
    """`issued(list[Certificate])` after a successful issue; `certificates` keeps them for the caller."""

    issued = Signal(list)

    def __init__(self, db: Database, parent: QWidget | None = None, class_id: int | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today or dt.date.today()
        self.drafts: list[Draft] = []
        self.skipped: list[Certificate] = []  # completed members whose certificate for the class was revoked
        self.certificates: list[Certificate] = []
        self.setWindowTitle("为培训班发证")
        self.resize(760, 560)
        self._unit_names = {u.id: u.name for u in units.all_units(db)}

        self.class_combo = QComboBox()
        finished = sorted((c for c in training.list_classes(db) if c.status == "已结束"),
                          key=lambda c: (c.end_date, c.id or 0), reverse=True)
        for c in finished:
            self.class_combo.addItem(f"{c.title}（{c.start_date.isoformat()} 至 {c.end_date.isoformat()}）", c.id)
        self.date_edit = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.model = RowModel(HEADERS, "CLLLR")
        self.table = table_view()
        self.table.setModel(self.model)
        fit_columns(self.table, {0: "100", 1: "欧阳淑珍", 2: "410402********1234", 3: "城乡一体化示范区", 4: "120"})
        stretch_column(self.table, 3)
        self.summary_label = note_label()
        self.skipped_label = note_label()
        self.error_label = note_label(style=ERROR_STYLE)
        self.buttons = QDialogButtonBox()
        self.issue_button = self.buttons.addButton("发证", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.issue)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("培训班：", self.class_combo)
        form.addRow("发证日期：", self.date_edit)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.summary_label)
        box.addWidget(self.table, 1)
        box.addWidget(self.skipped_label)
        box.addWidget(self.error_label)
        box.addWidget(self.buttons)

        self.class_combo.currentIndexChanged.connect(lambda *_: self.load())
        if class_id is not None:
            self.select_class(class_id)
        self.load()

    @property
    def class_id(self) -> int | None:
        value = self.class_combo.currentData()
        return int(value) if value is not None else None

    def select_class(self, class_id: int) -> bool:
        index = self.class_combo.findData(class_id)
        if index >= 0:
            self.class_combo.setCurrentIndex(index)
        return index >= 0

    def load(self) -> None:
        """Who would get a certificate for the chosen class."""
        self.error_label.clear()
        cid = self.class_id
        self.drafts, self.skipped = [], []
        if cid is None:
            self.summary_label.setText("还没有已结束（结班）的培训班。培训班结班后，结业学员才能发证。")
        else:
            try:
                plan = cert_issue.class_plan(self.db, cid)
            except CertificateError as exc:
                self.summary_label.setText(str(exc))
            else:
                self.drafts, self.skipped = plan.drafts, plan.skipped
                held = len(cert_register.search(self.db, CertFilter(class_id=cid, status=VALID)))
                already = f"已持有本班有效证书的 {held} 人不再重复发证。" if held else ""
                if self.drafts:
                    self.summary_label.setText(f"将为以下 {len(self.drafts)} 名结业学员发放结业证书。{already}")
                else:
                    why = already or ("" if self.skipped else "没有学员结业（可在“培训班 → 考核与结业”查看原因）。")
                    self.summary_label.setText(f"本班没有需要发证的学员：{why}" if why else "本班没有需要发证的学员。")
        self._show_skipped()
        self.model.set_rows(self.drafts, [
            (str(i), d.person.name, mask(d.person.id_number), self._unit_names.get(d.person.unit_id, ""),
             fmt(d.hours) if d.hours is not None else "")
            for i, d in enumerate(self.drafts, start=1)],
            keys=[(i, d.person.name, d.person.id_number, d.person.unit_id, d.hours or 0)
                  for i, d in enumerate(self.drafts, start=1)])
        self.issue_button.setEnabled(bool(self.drafts))

    def _show_skipped(self) -> None:
        """A revocation is not undone by issuing for the class again: say who is left out and why."""
        self.skipped_label.setVisible(bool(self.skipped))
        if not self.skipped:
            self.skipped_label.clear()
            return
        names = "；".join(f"{c.holder_name}（{c.serial}，{cert_issue.skip_reason(c)}）" for c in self.skipped)
        self.skipped_label.setText(f"以下 {len(self.skipped)} 人本班的证书已被撤销，不再发证：{names}。"
                                   "如撤销有误或已撤回，请在证书登记中选中该证书，点“重新发证…”（须填写原因）。")

    @property
    def issue_date(self) -> dt.date:
        d = self.date_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def issue(self) -> None:
        cid = self.class_id
        if cid is None or not self.drafts:
            return
        c = training.get_class(self.db, cid)
        if c is not None and self.issue_date < c.end_date:
            self.error_label.setText(f"发证日期不能早于培训结束日期（{c.end_date.isoformat()}）。")
            return
        try:
            self.certificates = cert_issue.issue_for_class(self.db, cid, issue_date=self.issue_date)
        except (CertificateError, SerialError) as exc:
            self.error_label.setText(str(exc))
            return
        self.accept()
        self.issued.emit(self.certificates)  # after closing: the page may open the print dialog next
