"""The draw (抽签): the seed is typed or read out in front of the supervisor, shown and recorded with the
method, so anyone can repeat the draw later and get the same numbers (trainer.draw)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget
from sqlite_utils import Database

from trainer import draw
from trainer.contest import Contest, ContestError
from ui.class_tab import ERROR_STYLE, note_label


class DrawDialog(QDialog):
    """Emits `drawn(DrawRecord)` after the numbers were given."""

    drawn = Signal(object)

    def __init__(self, db: Database, contest: Contest, actor: str, competitors: int, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db, self.contest, self.actor = db, contest, actor
        self.setWindowTitle(f"抽签 — {contest.name}")
        self.setMinimumWidth(620)
        day = (today or dt.date.today()).isoformat()
        self.seed_edit = QLineEdit(f"{contest.name} {day} 监督员现场抽签")
        self.seed_edit.setToolTip("种子可由监督员现场报出或掷骰得到；相同的种子和选手得到相同的抽签号")
        self.error_label = note_label(style=ERROR_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("抽签")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.run_draw)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("种子：", self.seed_edit)
        box = QVBoxLayout(self)
        box.addWidget(note_label(f"为全部 {competitors} 名选手随机分配抽签号 1–{competitors}，原有抽签号作废。"
                                 "已有成绩后不能重新抽签。"))
        box.addLayout(form)
        box.addWidget(note_label(f"方法（记入抽签记录）：{draw.NUMBERS_METHOD}。种子、方法、结果、抽签人和时间一并保存，"
                                 "可随时复核。"))
        box.addWidget(self.error_label)
        box.addWidget(buttons)

    def run_draw(self) -> None:
        seed = self.seed_edit.text().strip()
        if not seed:
            self.error_label.setText("请填写种子")
            return
        try:
            record = draw.draw_numbers(self.db, self.contest.id, self.actor, seed=seed)
        except ContestError as exc:
            self.error_label.setText(f"未抽签：{exc}")
            return
        self.drawn.emit(record)
        self.accept()
