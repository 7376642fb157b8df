"""Writing the ranking to a file the way the command line does: exports.contest_ranking.write_ranking (CSV
with the contract's exact columns, Excel with the team sheet, the PDF ranking sheet), with the ranking tab's
buttons and file names — except that a CSV the window saves is for people: it starts with a BOM (UTF-8 with BOM),
or Excel on Windows reads it in the local code page and shows the Chinese garbled. And the contest's other
documents (打印与导出: 抽签结果表 … 评委评分尺度表, as PDF or Excel, the same as `trainer contest print`).
Runs on the worker thread: no Qt here."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from sqlite_utils import Database

from exports import contest_ranking
from trainer import contest_report, contest_results
from trainer.contest_report import NoticeOptions
from trainer.ranking import Ranking

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


CSV_ENCODING = "utf-8-sig"  # a BOM first: Excel then reads the file as UTF-8


def write_ranking(r: Ranking, path: str | Path, kind: str, include_incomplete: bool) -> Path:
    """The ranking file of `kind`; a CSV has the command line's columns and rows (`trainer contest ranking
    --format csv`, a scripted contract without a BOM, stays as it is) behind a BOM."""
    if kind != "csv":
        return contest_ranking.write_ranking(r, path, kind, include_incomplete)
    path = Path(path)
    with open(path, "w", encoding=CSV_ENCODING, newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(contest_results.headers(r))
        writer.writerows(contest_results.text_rows(r, include_incomplete))
    return path


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
