"""评分冲突裁定: a judge's file that disagrees with a hand-entered score is never written over it. The chief judge
sees both values, keeps one or types another, and must give a reason (it goes into the audit log) and the PIN,
which trainer.merge checks once per decision."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import merge
from trainer.contest import ContestError
from trainer.contest_values import fmt_decimal
from trainer.merge import Conflict, MergeError
from ui.class_tab import ERROR_STYLE, NOTE_STYLE, OK_STYLE, note_label, table_view
from ui.row_model import RowModel

REASON_HINT = "如：核对评委签字的纸质评分表"


def conflict_cells(c: Conflict) -> list[str]:
    stored = f"{fmt_decimal(c.stored)}（{c.stored_source}，{c.stored_by}）"
    # c.who: the sealed code alone on a blind item before its lock (trainer.blind)
    return [c.item_name, c.who, c.judge_code, c.criterion_name, stored, fmt_decimal(c.file_value), c.file_name]


class ConflictsDialog(QDialog):
    def __init__(self, db: Database, contest_id: int, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.contest_id, self.actor = db, contest_id, actor
        self.setWindowTitle("评分冲突裁定")
        self.resize(1100, 560)
        self.model = RowModel(["项目", "编号", "评委", "细则", "已录入的值", "评委文件的值", "评分文件"], "LCCLRRL")
        self.view = table_view()
        self.view.setModel(self.model)
        self.view.setColumnWidth(4, 240)
        self.keep_stored = QPushButton("采用已录入的值")
        self.take_file = QPushButton("采用评委文件的值")
        self.value_edit = QLineEdit()
        self.value_edit.setPlaceholderText("或输入裁定的分数")
        self.take_typed = QPushButton("采用输入的值")
        # after paper sheets were typed AND the judges' files came in, hundreds of conflicts can stand open
        self.keep_all = QPushButton("全部采用已录入的值")
        self.take_all = QPushButton("全部采用评委文件的值")
        for b in (self.keep_all, self.take_all):
            b.setToolTip("以同一原因裁定列表中的全部冲突（每条各记入修改记录）；须裁判长PIN")
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText(REASON_HINT)
        # deciding between a judge's file and a typed value is the chief judge's call, as a lock is
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setPlaceholderText("裁判长PIN")
        self.pin_edit.setMaximumWidth(160)
        self.message = note_label("选择一条冲突，填写裁定原因，再选择采用哪个值。", NOTE_STYLE)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        self.keep_stored.clicked.connect(lambda: self._decide(lambda c: c.stored))
        self.take_file.clicked.connect(lambda: self._decide(lambda c: c.file_value))
        self.take_typed.clicked.connect(lambda: self._decide(lambda _c: self.value_edit.text().strip()))
        self.value_edit.returnPressed.connect(self.take_typed.click)
        self.keep_all.clicked.connect(lambda: self.resolve_all("stored"))
        self.take_all.clicked.connect(lambda: self.resolve_all("file"))
        form = QFormLayout()
        form.addRow("裁定原因（必填）：", self.reason_edit)
        form.addRow("裁判长PIN：", self.pin_edit)
        typed = QHBoxLayout()
        typed.addWidget(self.value_edit)
        typed.addWidget(self.take_typed)
        form.addRow("裁定分数：", typed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_stored)
        buttons.addWidget(self.take_file)
        buttons.addStretch(1)
        buttons.addWidget(self.keep_all)
        buttons.addWidget(self.take_all)
        buttons.addWidget(close)
        box = QVBoxLayout(self)
        box.addWidget(self.view, 1)
        box.addLayout(form)
        box.addLayout(buttons)
        box.addWidget(self.message)
        self.reload()

    def reload(self) -> None:
        found = merge.conflicts(self.db, self.contest_id)
        self.model.set_rows(found, [conflict_cells(c) for c in found])
        self.view.resizeColumnToContents(1)  # '抽签号12（密封编号B267）' is wider than a typical cell
        if found:
            self.view.selectRow(0)
        for b in (self.keep_stored, self.take_file, self.take_typed, self.keep_all, self.take_all):
            b.setEnabled(bool(found))

    def selected(self) -> Conflict | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.object_at(rows[0].row()) if rows else None

    def resolve(self, conflict: Conflict, value: object, reason: str) -> Conflict | None:
        """Decide one conflict; None (and the reason shown) when refused: no reason, a wrong PIN (the service
        checks it, once), a value out of range."""
        try:
            done = merge.resolve_conflict(self.db, conflict.id, value, self.pin_edit.text(), self.actor, reason)
        except (MergeError, ContestError) as exc:
            self._refused(exc)
            return None
        decided = fmt_decimal(done.resolved) if done.resolved is not None else ""
        self.message.setText(f"已裁定：{done.item_name} {done.who} 评委{done.judge_code} → "
                             f"{decided}（{done.resolve_reason}）")
        self.message.setStyleSheet(OK_STYLE)
        self.value_edit.clear()
        self.reload()
        return done

    def resolve_all(self, take: str) -> int:
        """Decide every listed conflict the same way; 0 (and the reason shown) when refused."""
        reason = self.reason_edit.text()
        try:
            n = merge.resolve_all(self.db, self.contest_id, take, self.pin_edit.text(), self.actor, reason)
        except (MergeError, ContestError) as exc:
            self._refused(exc)
            return 0
        which = "已录入的值" if take == "stored" else "评委文件的值"
        self.message.setText(f"已裁定 {n} 条冲突，全部采用{which}（{reason.strip()}）")
        self.message.setStyleSheet(OK_STYLE)
        self.reload()
        return n

    def _refused(self, exc: Exception) -> None:
        self.message.setText(f"未裁定：{exc}")
        self.message.setStyleSheet(ERROR_STYLE)

    def _decide(self, pick: Callable[[Conflict], object]) -> None:
        conflict = self.selected()
        if conflict is None:
            self.message.setText("请先选择一条冲突。")
            self.message.setStyleSheet(ERROR_STYLE)
            return
        value = pick(conflict)
        if value == "":
            self.message.setText("请输入裁定的分数。")
            self.message.setStyleSheet(ERROR_STYLE)
            return
        self.resolve(conflict, value, self.reason_edit.text())
