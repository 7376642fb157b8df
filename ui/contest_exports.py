"""Writing the ranking to a file the way the command line does: exports.contest_ranking.write_ranking (CSV
with the contract's exact columns, Excel with the team sheet, the PDF ranking sheet), with the ranking tab's
buttons and file names; and the contest's other documents (打印与导出: 抽签结果表 … 评委评分尺度表, as PDF or
Excel, the same as `trainer contest print`). Runs on the worker thread: no Qt here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from exports.contest_ranking import write_ranking
from trainer import contest_report
from trainer.contest_report import NoticeOptions

__all__ = ["DOCUMENTS", "FORMATS", "KINDS", "document_name", "file_name", "write_document", "write_ranking"]

KINDS = {  # kind → (button text, file filter, suffix)
    "csv": ("CSV…", "CSV 文件 (*.csv)", ".csv"),
    "xlsx": ("Excel…", "Excel 工作簿 (*.xlsx)", ".xlsx"),
    "pdf": ("PDF…", "PDF 文件 (*.pdf)", ".pdf"),
}
DOCUMENTS = contest_report.KINDS  # kind → document name, in menu order
FORMATS = {  # format → (menu text, file filter, suffix)
    "pdf": ("PDF…", "PDF 文件 (*.pdf)", ".pdf"),
    "xlsx": ("Excel…", "Excel 工作簿 (*.xlsx)", ".xlsx"),
}


def _safe(text: str) -> str:
    return "".join(ch for ch in text if ch not in '\\/:*?"<>|').strip()


def file_name(contest_name: str, kind: str) -> str:
    return f"{_safe(contest_name) or '比武'}成绩排名{KINDS[kind][2]}"


def document_name(contest_name: str, kind: str, fmt: str, *, judge: str | None = None,
                  item: str | None = None) -> str:
    """首届执法技能比武评委评分表_J1_案卷评审.pdf"""
    parts = [f"{_safe(contest_name) or '比武'}{DOCUMENTS[kind]}", *(_safe(p) for p in (judge, item) if p)]
    return "_".join(parts) + FORMATS[fmt][2]


def write_document(db: Database, contest_id: int, kind: str, fmt: str, path: str | Path, *,
                   judge: str | None = None, item: str | None = None, filled: bool = False,
                   notice: NoticeOptions | None = None, today: dt.date | None = None) -> str:
    """Build the document from the stored data of this moment and write it; ContestError when it cannot be
    made yet (the message says why)."""
    report = contest_report.build(db, contest_id, kind, judge=judge, item=item, filled=filled,
                                  notice_options=notice, today=today)
    if fmt == "pdf":
        from exports.contest_sheets_pdf import report_pdf

        report_pdf(report, path)
    else:
        from exports.contest_sheets_xlsx import report_xlsx

        report_xlsx(report, path)
    return str(path)
