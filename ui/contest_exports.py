"""Writing the ranking to a file the way the command line does (CSV with the contract's exact columns, Excel
with the team sheet, the PDF ranking sheet). Runs on the worker thread: no Qt here."""

from __future__ import annotations

import csv
from pathlib import Path

from trainer import contest_results, ranking
from trainer.ranking import Ranking

KINDS = {  # kind → (button text, file filter, suffix)
    "csv": ("导出CSV…", "CSV 文件 (*.csv)", ".csv"),
    "xlsx": ("导出Excel…", "Excel 工作簿 (*.xlsx)", ".xlsx"),
    "pdf": ("导出PDF…", "PDF 文件 (*.pdf)", ".pdf"),
}


def write_ranking(r: Ranking, path: str | Path, kind: str, include_incomplete: bool) -> Path:
    path = Path(path)
    if kind == "csv":
        with open(path, "w", encoding="utf-8", newline="") as fh:  # as `contest ranking --format csv`: no BOM
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(contest_results.headers(r))
            writer.writerows(contest_results.text_rows(r, include_incomplete))
    elif kind == "xlsx":
        from exports.excel import Sheet, write_xlsx

        teams = ranking.team_ranking(r)
        write_xlsx(path, [
            Sheet("成绩排名", contest_results.headers(r), contest_results.typed_rows(r, include_incomplete)),
            Sheet("团体排名", list(contest_results.TEAM_HEADERS), contest_results.team_rows(teams))])
    elif kind == "pdf":
        from exports.contest_pdf import ranking_pdf

        ranking_pdf(r, path, include_incomplete=include_incomplete)
    else:
        raise ValueError(f"unknown export kind {kind!r}")
    return path


def file_name(contest_name: str, kind: str) -> str:
    safe = "".join(ch for ch in contest_name if ch not in '\\/:*?"<>|').strip() or "比武"
    return f"{safe}成绩排名{KINDS[kind][2]}"
