"""The draw (抽签): the seed is typed or read out in front of the supervisor, shown and recorded with the
method, so anyone can repeat the draw later and get the same numbers (trainer.draw). One draw gives the
competitors' 抽签号, the teams' 队号 (团体 items) and the blind items' 密封编号 together (draw.draw_contest).
With `teams` it draws the teams' 队号 alone (团体 items; the competitors' 抽签号 stay as they are)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QVBoxLayout, QWidget
from sqlite_utils import Database

from trainer import contest as contests
from trainer import draw
from trainer.contest import Contest, ContestError
from ui.class_tab import ERROR_STYLE, note_label


class DrawDialog(QDialog):
    """Emits `drawn(ContestDraw)` after the whole draw, `drawn(DrawRecord)` after 队号 alone."""

    drawn = Signal(object)

    def __init__(self, db: Database, contest: Contest, actor: str, competitors: int, today: dt.date | None = None,
                 parent: QWidget | None = None, *, teams: int | None = None) -> None:
        super().__init__(parent)
        self.db, self.contest, self.actor, self.teams = db, contest, actor, teams
        self.setWindowTitle(f"{'抽取队号' if teams is not None else '抽签'} — {contest.name}")
        self.setMinimumWidth(620)
        day = (today or dt.date.today()).isoformat()
        self.seed_edit = QLineEdit(f"{contest.name} {day} 监督员现场抽签")
        self.seed_edit.setToolTip("种子可由监督员现场报出或掷骰得到；相同的种子和选手得到相同的抽签号")
        self.error_label = note_label(style=ERROR_STYLE)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("抽取队号" if teams is not None else "抽签")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.run_draw)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("种子：", self.seed_edit)
        box = QVBoxLayout(self)
        if teams is not None:
            self.seed_edit.setText(f"{contest.name} {day} 监督员现场抽取队号")
            box.addWidget(note_label(f"为团体项目的全部 {teams} 支参赛队伍随机分配队号 1–{teams}，原有队号作废；"
                                     "选手的抽签号不变。团体项目已有成绩后不能重新抽取队号。"))
        else:
            box.addWidget(note_label(self._whole_draw_text(competitors)))
        box.addLayout(form)
        method = draw.TEAM_NUMBERS_METHOD if teams is not None else draw.NUMBERS_METHOD
        if teams is None and any(it.team or it.blind for it in contests.items(db, contest.id)):
            method += "；队号、密封编号的种子为本种子后加“ 队号”或“ 项目名称”"
        box.addWidget(note_label(f"方法（记入抽签记录）：{method}。种子、方法、结果、抽签人和时间一并保存，"
                                 "可随时复核。"))
        box.addWidget(self.error_label)
        box.addWidget(buttons)

    def _whole_draw_text(self, competitors: int) -> str:
        """What the whole draw gives: 抽签号, and 队号 and 密封编号 when the contest has 团体 or blind items."""
        items = contests.items(self.db, self.contest.id)
        parts = [f"为全部 {competitors} 名选手随机分配抽签号 1–{competitors}"]
        if any(it.team for it in items):
            parts.append("为团体项目的参赛队伍分配队号")
        blind = [it.name for it in items if it.blind]
        if blind:
            parts.append(f"为密封项目“{'、'.join(blind)}”抽取密封编号")
        together = "（同一种子，一次完成）" if len(parts) > 1 else ""
        return "，".join(parts) + f"{together}，原有的作废。已有成绩后不能重新抽签。"

    def run_draw(self) -> None:
        seed = self.seed_edit.text().strip()
        if not seed:
            self.error_label.setText("请填写种子")
            return
        outcome: draw.ContestDraw | draw.DrawRecord
        try:
            if self.teams is not None:
                outcome = draw.draw_team_numbers(self.db, self.contest.id, self.actor, seed=seed)
            else:
                outcome = draw.draw_contest(self.db, self.contest.id, self.actor, seed=seed)
        except ContestError as exc:
            self.error_label.setText(f"未抽签：{exc}")
            return
        self.drawn.emit(outcome)
        self.accept()
