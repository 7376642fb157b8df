"""Training bases (定点培训基地): the partner institutions plan items and classes name, kept in one list."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import plans
from trainer.plans import BASE_KINDS, Base, PlanError
from ui.form_draft import FormDraft
from ui.person_dialog import ERROR_STYLE
from ui.plain_table import plain_table
from ui.row_model import RowModel

HEADERS = ("名称", "类别", "地址", "联系人", "联系电话", "备注")
WIDTHS = (220, 80, 260, 90, 130)


class BaseEditDialog(QDialog):
    """Add (`base=None`) or edit one base; a refused save keeps the form and says why."""

    base_saved = Signal(object)

    def __init__(self, db: Database, base: Base | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.original = base
        self.saved: Base | None = None
        self.setWindowTitle(f"编辑培训基地 — {base.name}" if base else "添加培训基地")
        self.setMinimumWidth(480)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("如：中共平顶山市委党校")
        self.kind_combo = QComboBox()
        self.kind_combo.addItems(BASE_KINDS)
        self.address_edit = QLineEdit()
        self.contact_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("手机号或 0375-2345678")
        self.note_edit = QLineEdit()
        form = QFormLayout()
        for label, widget in (("名称", self.name_edit), ("类别", self.kind_combo), ("地址", self.address_edit),
                              ("联系人", self.contact_edit), ("联系电话", self.phone_edit), ("备注", self.note_edit)):
            form.addRow(label + "：", widget)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addWidget(buttons)
        if base:
            self.name_edit.setText(base.name)
            self.kind_combo.setCurrentText(base.kind)
            self.address_edit.setText(base.address)
            self.contact_edit.setText(base.contact)
            self.phone_edit.setText(base.phone)
            self.note_edit.setText(base.note)
        self.draft = FormDraft(self, db, f"base:{base.id if base else 'new'}", self.windowTitle())

    def value(self) -> Base:
        fields = Base(None, self.name_edit.text().strip(), self.kind_combo.currentText(),
                      self.address_edit.text().strip(), self.contact_edit.text().strip(),
                      self.phone_edit.text().strip(), self.note_edit.text().strip())
        return replace(fields, id=self.original.id) if self.original else fields

    def accept(self) -> None:
        try:
            self.saved = plans.save_base(self.db, self.value())
        except PlanError as exc:
            self.error.setText(f"未保存：{exc}")
            return
        self.base_saved.emit(self.saved)
        super().accept()


class BasesDialog(QDialog):
    """The list of bases with 添加 / 编辑 / 删除; emits `changed` after every successful change."""

    changed = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.editor: BaseEditDialog | None = None
        self.setWindowTitle("培训基地")
        self.resize(1000, 460)
        hint = QLabel("定点培训基地供计划项目和培训班选用。已被计划项目或培训班使用的基地不能删除。")
        hint.setStyleSheet("color:#555;")
        hint.setWordWrap(True)
        self.model = RowModel(HEADERS, "LCLLLL")
        self.view = plain_table(self.model, WIDTHS, selection=QAbstractItemView.SelectionMode.SingleSelection)
        self.view.doubleClicked.connect(lambda *_: self.edit_selected())

        self.add_button = QPushButton("添加…")
        self.edit_button = QPushButton("编辑…")
        self.delete_button = QPushButton("删除")
        close = QPushButton("关闭")
        for b in (self.add_button, self.edit_button, self.delete_button, close):
            b.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        self.status = QLabel()
        self.status.setStyleSheet("color:#555;")

        box = QVBoxLayout(self)
        box.addWidget(hint)
        box.addWidget(self.view, 1)
        box.addWidget(self.status)
        box.addLayout(buttons)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else (b.id if (b := self.selected()) else None)
        found = plans.bases(self.db)
        self.model.set_rows(found, [(b.name, b.kind, b.address, b.contact, b.phone, b.note) for b in found])
        self.status.setText(f"共 {len(found)} 个培训基地")
        for row, b in enumerate(found):
            if b.id == keep:
                self.view.selectRow(row)
        self._update_buttons()

    def selected(self) -> Base | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.object_at(rows[0].row()) if rows else None

    def select_named(self, name: str) -> None:
        for row, b in enumerate(self.model.objects()):
            if b.name == name:
                self.view.selectRow(row)

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # ---- actions (the dialogs are separate methods so tests can answer them) --------------------------

    def open_editor(self, base: Base | None) -> BaseEditDialog:
        self.editor = BaseEditDialog(self.db, base, self)
        self.editor.base_saved.connect(self._saved)
        self.editor.open()
        return self.editor

    def _saved(self, base: Base) -> None:
        self.reload(base.id)
        self.changed.emit()

    def add(self) -> None:
        self.open_editor(None)

    def edit_selected(self) -> None:
        base = self.selected()
        if base is not None:
            self.open_editor(base)

    def delete_selected(self) -> None:
        base = self.selected()
        if base is None or not self.confirm("删除培训基地", f"确定删除培训基地“{base.name}”吗？"):
            return
        try:
            plans.delete_base(self.db, int(base.id or 0))
        except PlanError as exc:
            self.show_error(str(exc))
            return
        self.reload()
        self.changed.emit()

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, text: str) -> None:
        QMessageBox.warning(self, "培训基地", text)

