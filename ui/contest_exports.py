"""Writing the ranking to a file the way the command line does: exports.contest_ranking.write_ranking (CSV
with the contract's exact columns, Excel with the team sheet, the PDF ranking sheet), with the ranking tab's
buttons and file names. Runs on the worker thread: no Qt here."""

from __future__ import annotations

from exports.contest_ranking import write_ranking

__all__ = ["KINDS", "file_name", "write_ranking"]

KINDS = {  # kind → (button text, file filter, suffix)
    "csv": ("导出CSV…", "CSV 文件 (*.csv)", ".csv"),
    "xlsx": ("导出Excel…", "Excel 工作簿 (*.xlsx)", ".xlsx"),
    "pdf": ("导出PDF…", "PDF 文件 (*.pdf)", ".pdf"),
}


def file_name(contest_name: str, kind: str) -> str:
    safe = "".join(ch for ch in contest_name if ch not in '\\/:*?"<>|').strip() or "比武"
    return f"{safe}成绩排名{KINDS[kind][2]}"
