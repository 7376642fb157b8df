"""As a scorer I script the results: `trainer contest ranking` writes CSV with exactly the contract's columns
and formats, JSON, Excel and a landscape PDF with embedded fonts; it refuses while scores are missing, listing
every one, unless --allow-incomplete ranks the complete competitors and lists the rest after them. My merge
script reads the first two words of each `contest merge` line; the rest of the line says what else happened."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from contest_support import full_scores, good_sheets, write_workbook
from judge_support import CLERK, code, export, judged_contest
from roster_files import run

from exports import fonts
from exports.tables import read_sheets
from trainer import scoring
from trainer.db import open_db
from trainer.score_file import ScoreValue, write

HEADER = "名次,抽签号,姓名,单位,法律知识笔试,执法文书制作,案卷评审,总分"
FULL = [HEADER,
        "1,2,李四,卫东区,92.0,90.50,45.00,90.95",
        "2,1,张三,新华区,88.5,85.00,42.33,86.30",
        "3,3,王五,湛河区,75.0,71.50,35.75,72.90",
        "4,4,赵六,叶县,81.0,62.50,31.50,70.05"]


@pytest.fixture(autouse=True)
def _default_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAINER_FONT", raising=False)
    fonts.set_font_file(None)


def imported(tmp_path: Path, capsys: Any, scores: list[list[object]]) -> Path:
    sheets = good_sheets()
    sheets["评分"] = scores
    db_path = tmp_path / "t.db"
    code, out, err = run(capsys, db_path, "contest", "import", str(write_workbook(tmp_path / "c.xlsx", sheets)))
    assert (code, out.splitlines()[-1]) == (0, "1"), err
    return db_path


def ranking(capsys: Any, db_path: Path, fmt: str, out: Path, *extra: str) -> tuple[int, str, str]:
    return run(capsys, db_path, "contest", "ranking", "--contest", "1", *extra, "--format", fmt, "--out", str(out))


def without(rows: list[list[object]], *drop: tuple[str, int, str | None]) -> list[list[object]]:
    return [r for r in rows if (r[0], r[1], r[2]) not in drop]


def test_csv_has_exactly_the_contract_columns_formats_and_order(tmp_path: Path, capsys: Any) -> None:
    db_path = imported(tmp_path, capsys, full_scores())
    code, out, err = ranking(capsys, db_path, "csv", tmp_path / "r.csv")
    assert (code, err) == (0, "")
    assert "已写出成绩排名" in out
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines() == FULL


def test_shared_places_are_ordered_by_draw_number(tmp_path: Path, capsys: Any) -> None:
    rows = full_scores()
    same = {r[2]: r[3] for r in rows[1:] if r[0] == "执法文书制作" and r[1] == 3}
    rows = [r for r in rows if r[1] != 4 or r[0] == "法律知识笔试"]
    rows = [[r[0], r[1], r[2], 75 if r[0] == "法律知识笔试" and r[1] == 4 else r[3]] for r in rows]
    rows += [["执法文书制作", 4, j, v] for j, v in same.items()]
    rows += [[r[0], 4, r[2], r[3]] for r in full_scores()[1:] if r[0] == "案卷评审" and r[1] == 3]
    db_path = imported(tmp_path, capsys, rows)
    assert ranking(capsys, db_path, "csv", tmp_path / "r.csv")[0] == 0
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[:2] for line in lines[1:]] == [["1", "2"], ["2", "1"], ["3", "3"], ["3", "4"]]


def test_missing_scores_refuse_the_ranking_listing_every_one(tmp_path: Path, capsys: Any) -> None:
    rows = without(full_scores(), ("法律知识笔试", 4, None), ("执法文书制作", 2, "J3"), ("案卷评审", 1, "J1"),
                   ("案卷评审", 1, "J4"))
    db_path = imported(tmp_path, capsys, rows)
    out_file = tmp_path / "r.csv"
    code, out, err = ranking(capsys, db_path, "csv", out_file)
    assert (code, out) == (2, "")
    assert err.splitlines() == ["缺少成绩: 项目 法律知识笔试, 抽签号 4",
                                "缺少成绩: 项目 执法文书制作, 抽签号 2, 评委 J3",
                                "缺少成绩: 项目 案卷评审, 抽签号 1, 评委 J1",
                                "缺少成绩: 项目 案卷评审, 抽签号 1, 评委 J4"]
    assert not out_file.exists()
    for fmt in ("json", "xlsx", "pdf"):
        assert ranking(capsys, db_path, fmt, tmp_path / f"r.{fmt}")[0] == 2
        assert not (tmp_path / f"r.{fmt}").exists()


def test_allow_incomplete_ranks_the_complete_and_lists_the_rest_after_them(tmp_path: Path, capsys: Any) -> None:
    rows = without(full_scores(), ("法律知识笔试", 4, None), ("执法文书制作", 2, "J3"))
    db_path = imported(tmp_path, capsys, rows)
    code, out, err = ranking(capsys, db_path, "csv", tmp_path / "r.csv", "--allow-incomplete")
    assert (code, err) == (0, "")
    assert "成绩不完整 2 人列于表末" in out
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines() == [
        HEADER,
        "1,1,张三,新华区,88.5,85.00,42.33,86.30",
        "2,3,王五,湛河区,75.0,71.50,35.75,72.90",
        ",2,李四,卫东区,92.0,,45.00,",
        ",4,赵六,叶县,,62.50,31.50,"]


def test_json_holds_the_csv_rows_as_objects(tmp_path: Path, capsys: Any) -> None:
    db_path = imported(tmp_path, capsys, without(full_scores(), ("法律知识笔试", 4, None)))
    assert ranking(capsys, db_path, "json", tmp_path / "r.json", "--allow-incomplete")[0] == 0
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [list(d) for d in data] == [HEADER.split(",")] * 4
    assert data[0] == {"名次": 1, "抽签号": 2, "姓名": "李四", "单位": "卫东区", "法律知识笔试": 92.0,
                       "执法文书制作": 90.5, "案卷评审": 45.0, "总分": 90.95}
    assert data[3]["名次"] is None and data[3]["总分"] is None and data[3]["执法文书制作"] == 62.5


def test_xlsx_has_the_ranking_as_numbers_with_each_items_decimals(tmp_path: Path, capsys: Any) -> None:
    db_path = imported(tmp_path, capsys, full_scores())
    assert ranking(capsys, db_path, "xlsx", tmp_path / "r.xlsx")[0] == 0
    sheets = read_sheets(tmp_path / "r.xlsx")
    assert list(sheets) == ["成绩排名", "团体排名"]
    table = sheets["成绩排名"]
    assert table is not None and table.headers == HEADER.split(",")
    assert table.rows[1][1] == [2, 1, "张三", "新华区", 88.5, 85.0, 42.33, 86.3]
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")["成绩排名"]
    assert [ws.cell(2, c).number_format for c in (5, 6, 7, 8)] == ["0.0", "0.00", "0.00", "0.00"]
    teams = sheets["团体排名"]
    assert teams is not None and teams.headers == ["名次", "单位", "团体成绩", "计入人数", "参赛人数", "说明"]


def test_pdf_is_a_landscape_ranking_table_with_embedded_fonts_and_signatures(tmp_path: Path, capsys: Any) -> None:
    db_path = imported(tmp_path, capsys, without(full_scores(), ("法律知识笔试", 4, None)))
    pdf = tmp_path / "r.pdf"
    assert ranking(capsys, db_path, "pdf", pdf, "--allow-incomplete")[0] == 0
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276 pts (A4)" in info                         # A4 landscape
    font_rows = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in font_rows.splitlines()[2:]]
    assert rows and all(r[-5] == "yes" for r in rows)                  # the emb column
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    for expected in ("首届执法技能比武成绩排名表", "李四", "90.95", "记分员", "裁判长", "监督员", "成绩不完整，未排名",
                     "团体成绩排名表"):
        assert expected in text

    # the running header names who holds the contest, as every other contest document does
    db = open_db(db_path)
    db.execute("UPDATE contests SET organiser = '平顶山市城市管理局政治处'")
    db.conn.commit()
    db.close()
    assert ranking(capsys, db_path, "pdf", pdf, "--allow-incomplete")[0] == 0
    first = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert first.split("\n\n")[:2] == ["首届执法技能比武成绩排名表", "平顶山市城市管理局政治处"]


def test_an_unknown_contest_is_refused(tmp_path: Path, capsys: Any) -> None:
    code, _, err = run(capsys, tmp_path / "t.db", "contest", "ranking", "--contest", "7", "--format", "csv", "--out",
                       str(tmp_path / "r.csv"))
    assert code == 2 and err.strip() == "--contest: 没有编号为7的比武"


def test_the_demo_holds_a_contest_that_ranks(tmp_path: Path, capsys: Any) -> None:
    db_path = tmp_path / "demo.db"
    code, out, _ = run(capsys, db_path, "demo", "--people", "200", "--seed", "3")
    assert code == 0 and "技能比武：首届执法技能比武（比武编号 1，" in out
    code, _, err = ranking(capsys, db_path, "csv", tmp_path / "d.csv")
    assert code == 2 and all(line.startswith("缺少成绩: 项目 ") for line in err.splitlines())
    code, _, _ = ranking(capsys, db_path, "csv", tmp_path / "d.csv", "--allow-incomplete")
    assert code == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "d.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["名次", "抽签号", "姓名", "单位", "法律知识笔试", "执法文书制作", "案卷评审", "情景模拟执法",
                       "队列与体能", "总分"]
    assert rows[1][0] == "1" and len(rows) > 20
    code, out, _ = run(capsys, db_path, "contest", "list", "--format", "json")
    assert json.loads(out)[0]["名称"] == "首届执法技能比武"


def test_a_newer_judge_file_with_conflicts_says_on_its_line_that_it_replaced_the_older(
        db, db_path: Path, tmp_path: Path, capsys: Any) -> None:
    venue = judged_contest(db)
    kit = export(venue, "J3", tmp_path)
    writing = kit.item_named("文书")
    assert writing is not None

    def judge_file(name: str, values: dict[int, str], revision: int, at: dt.datetime) -> Path:
        path = tmp_path / name
        write(path, kit, [ScoreValue(writing.id, code(venue, d), None, Decimal(v), "文书") for d, v in values.items()],
              revision=revision, now=at)
        return path

    first = judge_file("J3_1.score", {1: "80", 2: "70"}, 1, dt.datetime(2026, 11, 18, 10, 0))
    assert run(capsys, db_path, "contest", "merge", "--contest", "1", str(first))[0] == 0
    scoring.enter_score(db, venue.slot("文书", 3, "J3"), "60", CLERK)  # typed from the paper sheet meanwhile
    second = judge_file("J3_2.score", {1: "82", 3: "65"}, 2, dt.datetime(2026, 11, 18, 10, 30))
    status, out, err = run(capsys, db_path, "contest", "merge", "--contest", "1", str(second))
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == ("conflicts 1  J3_2.score  评委J3"
                        "（取代2026-11-18 10:00提交的文件，改动 2 个分数；其余 1 个分数已合并）")
    assert lines[0].split()[:2] == ["conflicts", "1"]
    # 文书 is blind and not locked yet: the conflict names the code alone, not the draw number behind it
    assert lines[1].startswith(f"  冲突 #1：文书 密封编号{code(venue, 3)} 评委J3") and "抽签号" not in lines[1]
    assert lines[1].endswith(f"已录入60（{CLERK}），评委文件65")
    assert len(lines) == 2
