"""Keeps a form dialog's typing as a draft (trainer.drafts) so nothing typed is lost: on every change the
fields go to the database; 保存 drops the draft; 取消, a crash or a power cut keep it, and the same form opened
again puts it back under a banner that says so and offers to throw it away.

    FormDraft(dialog, db, f"person:{person_id or 'new'}", "编辑人员 张三")   # at the end of the dialog's __init__

Every input of the dialog takes part, found in creation order: line edits (never a password field), combo
boxes, date and number spin boxes, check boxes, radio buttons and text boxes. A draft made by a differently
built form (other fields) is not applied. Tables (a contest item's criteria) are not kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QDate, QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTextEdit,
    QWidget,
)
from sqlite_utils import Database

from trainer import drafts

SAVE_DELAY_MS = 150  # a burst of keystrokes is one write; a crash loses at most this much typing
BANNER_STYLE = "QFrame#draftBanner { background: #fff4d6; border: 1px solid #e0b84c; border-radius: 3px; }"

Input = QLineEdit | QComboBox | QAbstractSpinBox | QCheckBox | QRadioButton | QPlainTextEdit | QTextEdit


def _inside_another_input(widget: QWidget, root: QWidget) -> bool:
    """The line edit inside a combo box or a spin box belongs to that input, not to the form."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return True
        parent = parent.parentWidget()
    return False


def form_inputs(root: QWidget, skip: Sequence[QWidget] = ()) -> dict[str, Input]:
    """The inputs under `root` by a name stable from one opening to the next: the object name when set, else
    the kind and its place among its kind."""
    found: dict[str, Input] = {}
    counts: dict[str, int] = {}
    for w in root.findChildren(QWidget):
        if not isinstance(w, Input) or w in skip or _inside_another_input(w, root):
            continue
        if isinstance(w, QLineEdit) and w.echoMode() != QLineEdit.EchoMode.Normal:
            continue  # a PIN or 口令 is never written down
        kind = type(w).__name__
        counts[kind] = counts.get(kind, 0) + 1
        found[w.objectName() or f"{kind}#{counts[kind]}"] = w
    return found


def read(w: Input) -> str:
    if isinstance(w, QLineEdit):
        return w.text()
    if isinstance(w, QComboBox):  # the place too: two units may share a name under different counties
        return f"{w.currentIndex()}\t{w.currentText()}"
    if isinstance(w, QDateEdit):
        return w.date().toString("yyyy-MM-dd")
    if isinstance(w, QSpinBox | QDoubleSpinBox):
        return str(w.value())
    if isinstance(w, QAbstractSpinBox):
        return w.text()
    if isinstance(w, QCheckBox | QRadioButton):
        return "1" if w.isChecked() else "0"
    return w.toPlainText()


def write(w: Input, value: str) -> None:
    if isinstance(w, QLineEdit):
        w.setText(value)
    elif isinstance(w, QComboBox):
        place, _, text = value.partition("\t")
        i = int(place) if place.lstrip("-").isdigit() and w.itemText(int(place)) == text else w.findText(text)
        if i >= 0:
            w.setCurrentIndex(i)
        elif w.isEditable():
            w.setEditText(text)
    elif isinstance(w, QDateEdit):
        day = QDate.fromString(value, "yyyy-MM-dd")
        if day.isValid():
            w.setDate(day)
    elif isinstance(w, QSpinBox):
        w.setValue(int(value))
    elif isinstance(w, QDoubleSpinBox):
        w.setValue(float(value))
    elif isinstance(w, QCheckBox | QRadioButton):
        w.setChecked(value == "1")
    elif isinstance(w, QPlainTextEdit | QTextEdit):
        w.setPlainText(value)


def _on_change(w: Input, slot: Callable[..., None]) -> None:
    if isinstance(w, QLineEdit):
        w.textChanged.connect(slot)
    elif isinstance(w, QComboBox):
        w.currentTextChanged.connect(slot)
    elif isinstance(w, QDateEdit):
        w.dateChanged.connect(slot)
    elif isinstance(w, QSpinBox | QDoubleSpinBox):
        w.valueChanged.connect(slot)
    elif isinstance(w, QAbstractSpinBox):
        w.editingFinished.connect(slot)
    elif isinstance(w, QCheckBox | QRadioButton):
        w.toggled.connect(slot)
    else:
        w.textChanged.connect(slot)


class FormDraft(QObject):
    """The draft of one form dialog; see the module doc."""

    def __init__(self, dialog: QDialog, db: Database, key: str, title: str, *,
                 skip: Sequence[QWidget] = ()) -> None:
        super().__init__(dialog)
        self.dialog, self.db, self.key, self.title = dialog, db, key, title
        self.inputs = form_inputs(dialog, skip)
        self.original = self.values()
        self.banner: QFrame | None = None
        self.restored = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.keep)
        self._offer(drafts.find(db, key))
        for w in self.inputs.values():
            _on_change(w, self._changed)
        dialog.accepted.connect(self._saved)
        dialog.finished.connect(self._closing)

    def _changed(self, *_: object) -> None:
        self._timer.start()  # (re)starts the delay: the signal's own argument must not become the interval

    def values(self) -> dict[str, str]:
        return {name: read(w) for name, w in self.inputs.items()}

    def changed(self) -> bool:
        return self.values() != self.original

    def keep(self) -> None:
        """Write the draft now (or drop it when the form is back to what it was opened with)."""
        self._timer.stop()
        if self.dialog.result() == QDialog.DialogCode.Accepted:
            return
        if self.changed():
            drafts.keep(self.db, self.key, self.title, self.values())
        else:
            drafts.drop(self.db, self.key)

    def discard(self) -> None:
        """The banner's 放弃草稿: the form shows what it was opened with again, and the draft is gone."""
        for name, value in self.original.items():
            write(self.inputs[name], value)
        self._timer.stop()
        drafts.drop(self.db, self.key)
        if self.banner is not None:
            self.banner.hide()

    def _offer(self, draft: drafts.Draft | None) -> None:
        if draft is None or set(draft.fields) != set(self.inputs) or draft.fields == self.original:
            return
        for name, w in self.inputs.items():  # in creation order: a unit before the fields that depend on it
            try:
                write(w, draft.fields[name])
            except ValueError:
                continue
        self.restored = True
        self._show_banner(draft)

    def _show_banner(self, draft: drafts.Draft) -> None:
        layout = self.dialog.layout()
        if not isinstance(layout, QBoxLayout):
            return
        banner = QFrame(self.dialog)
        banner.setObjectName("draftBanner")
        banner.setStyleSheet(BANNER_STYLE)
        row = QHBoxLayout(banner)
        row.setContentsMargins(8, 4, 8, 4)
        note = QLabel(f"已恢复 {draft.when()} 未保存的内容。核对后点“保存”；不需要时可放弃。")
        note.setWordWrap(True)
        throw = QPushButton("放弃草稿")
        throw.setAutoDefault(False)
        throw.clicked.connect(self.discard)
        row.addWidget(note, 1)
        row.addWidget(throw)
        layout.insertWidget(0, banner)
        self.banner = banner

    def _saved(self) -> None:
        self._timer.stop()
        drafts.drop(self.db, self.key)

    def _closing(self, result: int) -> None:
        if result != QDialog.DialogCode.Accepted:
            self.keep()  # 取消 or Esc: what was typed stays for the next time this form opens


def draft_buttons(dialog: QDialog) -> list[QAbstractButton]:
    """The banner's buttons (for tests)."""
    banner = dialog.findChild(QFrame, "draftBanner")
    return [] if banner is None else list(banner.findChildren(QPushButton))
