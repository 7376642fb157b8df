"""Judge mode's review screen before 提交, and printing the judge's own score sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from exports.judge_sheet_pdf import JudgeSheet, SheetNotSubmitted, judge_sheet_pdf
from trainer.contest_values import fmt_decimal
from trainer.judge_session import JudgeSession
from ui.class_tab import ERROR_STYLE, OK_STYLE, note_label, table_view
from ui.prompts import Prompts
from ui.row_model import RowModel
from ui.worker import run_task

MAX_LISTED = 12


class ReviewDialog(QDialog):
    """Everything about to be submitted: values per item, and who is still unscored (in red)."""

    def __init__(self, session: JudgeSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("核对后提交")
        self.resize(900, 700)
        entries = session.sheet()
        scored = [e for e in entries if e.value is not None]
        left = session.unscored()
        intro = QLabel(f"即将提交：已评 {len(scored)} 格，未评分 {len(entries) - len(scored)} 格。"
                       "提交后评分表变为只读，评分文件写入您选择的文件夹（如U盘）。")
        intro.setWordWrap(True)
        if left:
            names = "、".join(u.line() for u in left[:MAX_LISTED]) + ("……" if len(left) > MAX_LISTED else "")
            warning = note_label(f"注意：仍有 {len(left)} 人次未评分（{names}）。未评分不计为0分；"
                                 "可以先提交，裁判长重新打开后再补评。", ERROR_STYLE)
        else:
            warning = note_label("全部选手均已评分。", OK_STYLE)
        model = RowModel(["项目", "编号", "细则", "分数"], "LCLR")
        model.set_rows(entries, [[e.item.name, e.key, e.criterion.name if e.criterion else "",
                                  "未评分" if e.value is None else fmt_decimal(e.value)] for e in entries])
        view = table_view()
        view.setModel(model)
        view.verticalHeader().setDefaultSectionSize(32)
        view.setColumnWidth(0, 220)
        buttons = QDialogButtonBox()
        ok = buttons.addButton("选择文件夹并提交…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("返回修改", QDialogButtonBox.ButtonRole.RejectRole)
        ok.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(intro)
        box.addWidget(warning)
        box.addWidget(view, 1)
        box.addWidget(buttons)


def print_sheet(parent: QWidget, session: JudgeSession, prompts: Prompts) -> None:
    """Ask where, then write the sheet of the last submission (with its hash) in the background."""
    try:
        sheet = JudgeSheet.of(session)  # on the GUI thread: the session's connection stays on this thread
    except SheetNotSubmitted as exc:
        prompts.refuse("打印评分表", str(exc))
        return
    kit = session.kit
    name = f"评分表_{kit.judge_code}_{kit.judge_name}_第{sheet.submission.revision}次.pdf"
    path = prompts.save_path("打印评分表", name, "PDF 文件 (*.pdf)", ".pdf")
    if not path:
        return
    run_task(parent, "生成评分表", lambda _ctx: judge_sheet_pdf(sheet, Path(path)),
             lambda made: prompts.saved("打印评分表", made), cancellable=False)
