"""Writing a contest ranking to a file, for the command line (`contest ranking --format csv|xlsx|pdf`) and
the ranking tab alike: the CSV with the contract's exact columns, Excel with the team sheet, the PDF sheet."""

from __future__ import annotations

from pathlib import Path

from trainer import contest_results, ranking
from trainer.ranking import Ranking


def write_ranking(r: Ranking, path: str | Path, kind: str, include_incomplete: bool) -> Path:
    path = Path(path)
    if kind == "csv":
        contest_results.write_csv(r, path, include_incomplete)
    elif kind == "xlsx":
        from exports.excel import Sheet, write_xlsx

        teams = ranking.team_ranking(r)
        write_xlsx(path, [
            Sheet("成绩排名", contest_results.headers(r), contest_results.typed_rows(r, include_incomplete),
                  title=f"{r.contest.name}成绩排名表"),
            Sheet("团体排名", list(contest_results.TEAM_HEADERS), contest_results.team_rows(teams),
                  title=f"{r.contest.name}团体排名表")])
    elif kind == "pdf":
        from exports.contest_pdf import ranking_pdf

        ranking_pdf(r, path, include_incomplete=include_incomplete)
    else:
        raise ValueError(f"unknown export kind {kind!r}")
    return path
