"""合并评委评分文件: the scorer picks many score files from the judges' sticks; all are verified, then merged in
one transaction (trainer.merge.merge_files, in the background). One refused file refuses the batch and the
dialog says that nothing was written; otherwise a line per file says what it did.

    open_merge(parent, db, contest_id, actor="记分员李静")    # the contest page's 合并评分文件… button
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer import contest, merge, score_file
from trainer.merge import FileOutcome, MergeRefused, MergeReport
from ui.class_tab import ERROR_STYLE, NOTE_STYLE, OK_STYLE, note_label, table_view
from ui.conflicts_dialog import ConflictsDialog
from ui.prompts import Prompts
from ui.row_model import RowModel
from ui.worker import run_task, show_task_error

DEFAULT_ACTOR = "记分员"
STATUS_TEXT = {merge.ACCEPTED: "已接收", merge.DUPLICATE: "相同文件（已合并过，未改动）",
               merge.SUPERSEDED: "取代旧提交", merge.CONFLICTS: "有冲突待裁定"}


def outcome_cells(o: FileOutcome) -> list[str]:
    if o.status == merge.DUPLICATE:
        what = STATUS_TEXT[o.status]
    elif o.status == merge.CONFLICTS:
        what = f"{STATUS_TEXT[o.status]} {len(o.conflicts)} 项（其余已合并）"
        if o.replaced:  # a newer file with conflicts still replaced the judge's older one: say so
            what = f"{STATUS_TEXT[merge.SUPERSEDED]}；{what}"
    elif o.status == merge.SUPERSEDED:
        what = f"{STATUS_TEXT[o.status]}，改动 {o.count} 项" if o.count else "比已合并的文件旧，未改动"
    else:
        what = f"{STATUS_TEXT[o.status]} {o.count} 项"
    return [o.path.name, o.judge_code, f"第{o.revision}次" if o.revision else "纸质录入", what,
            score_file.format_hash(o.content_hash[:16]), o.note]  # compared with the judge's signed paper sheet


class MergeDialog(QDialog):
    merged = Signal(object)  # MergeReport, after anything was written

    def __init__(self, db: Database, contest_id: int, actor: str = DEFAULT_ACTOR,
                 parent: QWidget | None = None, chief: str = "裁判长") -> None:
        super().__init__(parent)
        self.db, self.contest_id, self.actor = db, contest_id, actor
        self.chief = chief  # who decides conflicts (with the PIN); the clerk only merges
        self.prompts = Prompts(self)
        self.report: MergeReport | None = None
        self.refused: MergeRefused | None = None
        name = contest.require_contest(db, contest_id).name
        self.setWindowTitle(f"合并评委评分文件 — {name}")
        self.resize(1200, 620)
        self.files = QListWidget()
        self.add_button = QPushButton("选择评分文件…")
        self.remove_button = QPushButton("移除所选")
        self.merge_button = QPushButton("合并")
        self.merge_button.setDefault(True)
        self.conflicts_button = QPushButton("处理冲突…")
        close = QPushButton("关闭")
        self.result_label = note_label("可一次选择多个评分文件（.score）。先逐一校验签名、评委和比武，全部通过才写入；"
                                       "合并前自动备份数据库。", NOTE_STYLE)
        self.model = RowModel(["文件", "评委", "提交", "结果", "校验码（前16位）", "说明"], "LCCLLL")
        self.view = table_view()
        self.view.setModel(self.model)
        self.view.setColumnWidth(0, 360)
        self.view.setColumnWidth(3, 260)
        self.view.setColumnWidth(4, 170)
        self.problems = QListWidget()
        self.problems.setStyleSheet(ERROR_STYLE)
        self.problems.hide()

        self.add_button.clicked.connect(self.choose_files)
        self.remove_button.clicked.connect(lambda: [self.files.takeItem(self.files.row(i))
                                                    for i in self.files.selectedItems()])
        self.merge_button.clicked.connect(self.start_merge)
        self.conflicts_button.clicked.connect(self.show_conflicts)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        for b in (self.merge_button, self.conflicts_button, close):
            buttons.addWidget(b)
        box = QVBoxLayout(self)
        box.addWidget(QLabel("待合并的评分文件："))
        box.addWidget(self.files, 1)
        box.addLayout(buttons)
        box.addWidget(self.result_label)
        box.addWidget(self.problems, 1)
        box.addWidget(self.view, 2)
        self._update_conflicts()

    def paths(self) -> list[Path]:
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]

    def add_files(self, paths: list[Path]) -> None:
        have = set(self.paths())
        for p in paths:
            if p not in have:
                self.files.addItem(str(p))
                have.add(p)

    def choose_files(self) -> None:
        chosen = self.prompts.open_paths("选择评委评分文件", "评分文件 (*.score);;所有文件 (*)")
        self.add_files([Path(p) for p in chosen])

    def start_merge(self) -> None:
        paths = self.paths()
        if not paths:
            self.prompts.refuse("合并评分文件", "请先选择评分文件")
            return
        db, cid, actor = self.db, self.contest_id, self.actor
        run_task(self, "合并评分文件", lambda _ctx: merge.merge_files(db, cid, paths, actor),
                 self.show_report, self._failed, cancellable=False)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, MergeRefused):
            self.show_refusal(exc)
        else:
            show_task_error(self, "合并评分文件", exc)

    def show_refusal(self, exc: MergeRefused) -> None:
        self.refused, self.report = exc, None
        self.model.set_rows([], [])
        self.view.hide()
        self.result_label.setText(f"合并被拒绝：{len(exc.problems)} 个文件未通过校验，所有文件均未写入，"
                                  "数据库没有任何改动。请移除或更换下列文件后重试：")
        self.result_label.setStyleSheet(ERROR_STYLE)
        self.problems.clear()
        for p in exc.problems:
            self.problems.addItem(f"{p.path.name}：{p.reason}")
        self.problems.show()

    def show_report(self, report: MergeReport) -> None:
        self.report, self.refused = report, None
        self.problems.hide()
        self.view.show()
        self.model.set_rows(list(report.outcomes), [outcome_cells(o) for o in report.outcomes])
        self.view.resizeColumnsToContents()  # a line per file: what it did and why are read in full
        n = len(report.conflicts)
        text = f"已合并 {len(report.outcomes)} 个文件。"
        if n:
            text += f"有 {n} 项与手工录入的成绩不一致，须裁判长裁定（点“处理冲突”）。"
        if report.unchanged:
            text = (f"所选 {len(report.outcomes)} 个文件都已合并过（或比该评委已合并的文件旧），"
                    "数据库没有改动，无需备份。")
        elif report.backup is not None:
            text += f" 合并前的备份：{report.backup.name}"
        self.result_label.setText(text)
        self.result_label.setStyleSheet(ERROR_STYLE if n else OK_STYLE)
        self.files.clear()
        self._update_conflicts()
        self.merged.emit(report)

    def _update_conflicts(self) -> None:
        n = len(merge.conflicts(self.db, self.contest_id))
        self.conflicts_button.setText(f"处理冲突（{n}）…" if n else "处理冲突…")
        self.conflicts_button.setEnabled(n > 0)

    def show_conflicts(self) -> None:
        dialog = ConflictsDialog(self.db, self.contest_id, self.chief, self)
        dialog.finished.connect(lambda _r: self._update_conflicts())
        dialog.open()


def open_merge(parent: QWidget | None, db: Database, contest_id: int, actor: str = DEFAULT_ACTOR,
               chief: str = "裁判长") -> MergeDialog:
    """Open the merge dialog (non-blocking); connect `merged` to refresh the page."""
    dialog = MergeDialog(db, contest_id, actor, parent, chief)
    dialog.open()
    return dialog
