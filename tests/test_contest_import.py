"""As the scorer I set the contest up from one workbook (比武信息, 比武项目, 选手, 评委, 评分): a good workbook
becomes a contest whose ID `contest import` prints on its last line; a bad one is refused whole, one
`第R行 列名: 原因` line per problem, and nothing is written."""

from __future__ import annotations

import copy
import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from contest_support import build, full_scores, good_sheets, write_workbook
from roster_files import problems, run

from trainer import contest, contest_people, draw, ranking, scoring
from trainer.db import open_db

METHODS = "（应为去掉最高最低取平均、平均分、单一成绩之一）"
UNKNOWN_REVIEW = "评委表：未知项目“案卷评审”（应为比武项目表中的项目名称）"
TABLES = ("contests", "contest_items", "contest_competitors", "contest_judges", "contest_assignments",
          "contest_scores", "audit_log")


def counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def import_book(capsys: Any, tmp_path: Path, sheets: dict[str, list[list[object]]]) -> tuple[int, str, str]:
    path = write_workbook(tmp_path / "比武.xlsx", sheets)
    return run(capsys, tmp_path / "t.db", "contest", "import", str(path))


def test_a_good_workbook_imports_and_prints_the_new_id_last(tmp_path: Path, capsys: Any) -> None:
    sheets = good_sheets()
    sheets["评分"] = full_scores()
    code, out, err = import_book(capsys, tmp_path, sheets)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[-1] == "1"
    assert "已导入比武：项目 3 个，选手 4 人，评委 4 人，成绩 34 条" in lines
    code, out, _ = import_book(capsys, tmp_path, good_sheets())
    assert code == 0 and out.splitlines()[-1] == "2"

    db = open_db(tmp_path / "t.db")
    try:
        c = contest.require_contest(db, 1)
        assert (c.name, c.dates_text, c.venue, c.organiser) == (
            "首届执法技能比武", "2026-11-18至2026-11-19", "市城管局教育培训中心", "平顶山市城市管理局")
        items = contest.items(db, 1)
        assert [(it.name, it.method, str(it.full_marks), str(it.weight), it.decimals, it.tiebreak,
                 str(it.max_spread) if it.max_spread is not None else None) for it in items] == [
            ("法律知识笔试", "单一成绩", "100", "40", 1, 2, None),
            ("执法文书制作", "去掉最高最低取平均", "100", "30", 2, 1, "10"),
            ("案卷评审", "平均分", "50", "30", 2, None, None)]
        panel = contest_people.Panel.load(db, 1)
        assert [(j.code, j.unit_id is None) for j in panel.judges] == [("J1", False), ("J2", False), ("J3", False),
                                                                     ("J4", True)]
        assert scoring.missing_scores(db, 1) == []
        r = ranking.compute(db, 1)
        assert [s.competitor.draw_no for s in r.ranked] == [2, 1, 3, 4]
        assert contest.items(db, 2) and scoring.progress(db, 2).entered == 0
    finally:
        db.close()
    code, out, _ = run(capsys, tmp_path / "t.db", "contest", "list", "--format", "csv")
    assert code == 0 and out.splitlines()[1].startswith("1,首届执法技能比武,2026-11-18至2026-11-19,")


def test_without_the_info_sheet_the_file_name_names_the_contest(tmp_path: Path, capsys: Any) -> None:
    sheets = good_sheets()
    del sheets["比武信息"]
    code, out, _ = import_book(capsys, tmp_path, sheets)
    assert code == 0
    db = open_db(tmp_path / "t.db")
    assert contest.require_contest(db, int(out.splitlines()[-1])).name == "比武"
    db.close()


def mutate(path: tuple[str, int, int], value: object) -> dict[str, list[list[object]]]:
    sheets = copy.deepcopy(good_sheets())
    sheet, row, col = path
    sheets[sheet][row - 1][col] = value
    return sheets


def with_scores(*rows: list[object]) -> dict[str, list[list[object]]]:
    sheets = copy.deepcopy(good_sheets())
    sheets["评委"].append(["J5", "陈晓", "法规科", "案卷评审"])      # J5 judges 案卷评审 only
    sheets["评分"] = [["项目名称", "抽签号", "评委编号", "分数"], *rows]
    return sheets


def with_team(*info: list[object], kind: object = "团体", weight: object = 20, solo_weights: tuple[int, ...] = (),
              scores: list[list[object]] | None = None) -> dict[str, list[list[object]]]:
    """good_sheets() with the optional 类型 column (row 5: the 团体 item 队列会操, judged by J1–J4) and extra 比武信息
    rows (from row 7)."""
    sheets = copy.deepcopy(good_sheets())
    items = sheets["比武项目"]
    items[0].append("类型")
    for row, value in zip(items[1:], ("个人", None, None), strict=True):   # empty: 个人
        row.append(value)
    for row, solo in zip(items[1:], solo_weights, strict=False):
        row[3] = solo
    items.append(["队列会操", "去掉最高最低取平均", 100, weight, 2, None, None, kind])
    sheets["评委"].extend([[code, name, unit, "队列会操"] for code, name, unit, _item in sheets["评委"][1::2]])
    sheets["比武信息"].extend(list(row) for row in info)
    if scores is not None:
        sheets["评分"] = [["项目名称", "抽签号", "评委编号", "分数"], *scores]
    return sheets


TEAM_FIRST = "第7行 内容: 比武信息表："
CASES = {
    "weights not 100": (mutate(("比武项目", 4, 3), 20), ["第1行 权重: 比武项目表：各项目权重合计为90，应为100"]),
    "unknown method": (mutate(("比武项目", 3, 1), "加权平均"),
                       ["第3行 计分方式: 比武项目表：未知计分方式“加权平均”" + METHODS]),
    "rubric needs the window": (mutate(("比武项目", 3, 1), "评分细则"),
                                ["第3行 计分方式: 比武项目表：未知计分方式“评分细则”" + METHODS]),
    "full marks not a number": (mutate(("比武项目", 2, 2), "一百"), ["第2行 满分: 比武项目表：“一百”不是数字"]),
    "decimals out of range": (mutate(("比武项目", 2, 4), 4), ["第2行 小数位: 比武项目表：小数位应为0到3的整数（4）"]),
    "tie-break twice": (mutate(("比武项目", 4, 5), 1), ["第4行 决胜顺序: 比武项目表：与第3行决胜顺序1重复"]),
    "item twice": (mutate(("比武项目", 4, 0), "执法文书制作"),   # and so the judges' 案卷评审 is gone
                   ["第4行 项目名称: 比武项目表：与第3行项目名称重复",
                    *[f"第{r}行 评分项目: {UNKNOWN_REVIEW}" for r in (3, 5, 7, 9)]]),
    "draw number twice": (mutate(("选手", 3, 0), 1), ["第3行 抽签号: 选手表：与第2行抽签号1重复"]),
    "unknown competitor unit": (mutate(("选手", 2, 3), "火星区"),
                                ["第2行 单位: 选手表：未知单位“火星区”（请使用单位管理中的名称或别名）"]),
    "bad id number": (mutate(("选手", 2, 2), "410402198001010000"), ["第2行 身份证号: 选手表：校验位错误"]),
    "unknown judge unit": (mutate(("评委", 2, 2), "火星区"),
                           ["第2行 单位: 评委表：未知单位“火星区”（外聘评委请填写“外聘：单位名称”）",
                            "第3行 单位: 评委表：评委编号J1在第2行的单位是“火星区”"]),
    "judge of an unknown item": (mutate(("评委", 2, 3), "射击"),
                                 ["第2行 评分项目: 评委表：未知项目“射击”（应为比武项目表中的项目名称）"]),
    "score below 0": (with_scores(["执法文书制作", 2, "J1", -1]), ["第2行 分数: 评分表：分数不能为负数（-1）"]),
    "score above 满分": (with_scores(["案卷评审", 2, "J1", 50.5]), ["第2行 分数: 评分表：分数50.5高于满分50"]),
    "too many decimals": (with_scores(["执法文书制作", 2, "J1", 85.555], ["法律知识笔试", 2, None, 88.25]),
                          ["第2行 分数: 评分表：分数85.555最多保留2位小数",
                           "第3行 分数: 评分表：分数88.25最多保留1位小数"]),
    "not a number": (with_scores(["执法文书制作", 2, "J1", "八十"]), ["第2行 分数: 评分表：“八十”不是数字"]),
    "unknown draw number": (with_scores(["执法文书制作", 9, "J1", 80]), ["第2行 抽签号: 评分表：未知抽签号9"]),
    "unknown judge": (with_scores(["执法文书制作", 2, "J9", 80]), ["第2行 评委编号: 评分表：未知评委编号“J9”"]),
    "unknown item": (with_scores(["射击", 2, "J1", 80]), ["第2行 项目名称: 评分表：未知项目“射击”"]),
    "judge not assigned": (with_scores(["执法文书制作", 2, "J5", 80]),
                           ["第2行 评委编号: 评分表：评委J5未分配评“执法文书制作”"]),
    "own unit": (with_scores(["执法文书制作", 1, "J2", 80]),
                 ["第2行 评委编号: 评分表：回避：评委J2（新华区）与1号选手同属新华区，不能为其评分"]),
    "单一成绩 with a judge": (with_scores(["法律知识笔试", 2, "J1", 80]),
                           ["第2行 评委编号: 评分表：“法律知识笔试”是单一成绩项目，不填评委编号"]),
    "judged without a judge": (with_scores(["执法文书制作", 2, None, 80]),
                               ["第2行 评委编号: 评分表：“执法文书制作”由评委评分，须填写评委编号"]),
    "same slot twice": (with_scores(["执法文书制作", 2, "J1", 80], ["执法文书制作", 2, "J1", 80],
                                    ["法律知识笔试", 3, None, 70], ["法律知识笔试", 3, None, 71]),
                        ["第3行 评委编号: 评分表：与第2行重复（同一项目、选手和评委）",
                         "第5行 抽签号: 评分表：与第4行重复（同一项目、选手和评委）"]),
    "unknown item kind": (with_team(kind="集体"), ["第5行 类型: 比武项目表：未知类型“集体”（应为个人、团体之一）"]),
    "individual weights not 100 beside a team item": (    # 30 + 30 + 30; the 团体 item's 10 is not in the 100
        with_team(weight=10, solo_weights=(30, 30, 30)), ["第1行 权重: 比武项目表：个人项目权重合计为90，应为100"]),
    "team weight above 100": (with_team(weight=120), ["第5行 权重: 比武项目表：权重120高于上限100"]),
    "unknown team mode": (with_team(["团体成绩", "平均"]),
                          [TEAM_FIRST + "团体成绩应为“合计”或“前N名”（“平均”；前N名的N另填在字段“N”中）"]),
    "best N without N": (with_team(["团体成绩", "前N名"]),
                         [TEAM_FIRST + "团体成绩为“前N名”时须填写字段“N”（每个单位计入团体成绩的人数）"]),
    "N not whole": (with_team(["团体成绩", "前N名"], ["N", 2.5]), ["第8行 内容: 比武信息表：N：N应为整数（2.5）"]),
    "N with 合计": (with_team(["N", 3]),
                   [TEAM_FIRST + "N：团体成绩为“合计”时不填N（按前N名计请把团体成绩填为“前N名”）"]),
    "team scores before the teams are numbered": (
        with_team(scores=[["队列会操", 1, "J1", 80]]),
        ["第2行 抽签号: 评分表：“队列会操”是团体项目，还没有抽取队号：请先在“设置”中抽取队号，再导入它的成绩"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_every_rejection_is_one_line_and_nothing_is_written(tmp_path: Path, capsys: Any, case: str) -> None:
    sheets, expected = CASES[case]
    before = counts(tmp_path / "t.db") if (tmp_path / "t.db").exists() else None
    code, out, err = import_book(capsys, tmp_path, sheets)
    assert code == 2, out
    assert err.splitlines() == expected
    problems(err)  # every line is `第R行 列名: 原因`
    assert out == ""
    assert counts(tmp_path / "t.db") == (before or dict.fromkeys(TABLES, 0))


def test_all_problems_of_the_setup_sheets_are_listed_together(tmp_path: Path, capsys: Any) -> None:
    sheets = mutate(("比武项目", 2, 1), "积分制")
    sheets["选手"][3][3] = "火星区"
    sheets["评委"][1][0] = None
    code, _, err = import_book(capsys, tmp_path, sheets)
    assert code == 2
    assert [(r, c) for r, c, _ in problems(err)] == [(2, "计分方式"), (4, "单位"), (2, "评委编号")]


def test_missing_sheets_and_columns_are_named(tmp_path: Path, capsys: Any) -> None:
    sheets = good_sheets()
    del sheets["评委"]
    sheets["选手"] = [[c for c in row if c != "单位"][:3] for row in sheets["选手"]]
    code, _, err = import_book(capsys, tmp_path, sheets)
    assert code == 2
    assert err.splitlines() == ["第1行 工作表: 缺少“评委”工作表", "第1行 单位: 选手表：缺少必填列"]


def test_an_unreadable_file_is_refused(tmp_path: Path, capsys: Any) -> None:
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a workbook")
    code, out, err = run(capsys, tmp_path / "t.db", "contest", "import", str(bad))
    assert code == 2 and out == "" and "无法读取表格文件" in err


def test_team_items_and_the_team_rule_come_in_with_the_workbook(tmp_path: Path, capsys: Any) -> None:
    sheets = with_team(["团体成绩", "前N名"], ["N", 2], weight=0)  # a 团体 item may weigh 0; the 个人 ones make 100
    code, out, err = import_book(capsys, tmp_path, sheets)
    assert (code, err) == (0, "")
    assert ("提示：团体项目“队列会操”按队评分：导入后请在“设置”中点“抽签…”为4支参赛队伍抽取队号，"
            "团体项目的成绩在抽取队号后导入") in out.splitlines()
    assert out.splitlines()[-1] == "1"

    db = open_db(tmp_path / "t.db")
    try:
        c = contest.require_contest(db, 1)
        assert (c.team_mode, c.team_best_n) == ("前N名", 2)
        items = contest.items(db, 1)
        assert [(it.name, it.kind, str(it.weight)) for it in items] == [
            ("法律知识笔试", "个人", "40"), ("执法文书制作", "个人", "30"), ("案卷评审", "个人", "30"),
            ("队列会操", "团体", "0")]
        assert contest.weights_problem(items) is None
        panel = contest_people.Panel.load(db, 1)
        assert sorted(t.name for t in panel.team_entries) == ["卫东区", "叶县", "新华区", "湛河区"]
        assert all(t.team_no is None for t in panel.team_entries)  # numbered by the window's draw
        assert len(panel.assigned[items[3].id]) == 4
        draw.draw_team_numbers(db, 1, "裁判长", seed="队号")
        teams = {t.name: t.team_no for t in contest_people.team_entries(db, 1)}
    finally:
        db.close()

    # once numbered, the teams' scores come in by 队号 like any score file
    rows = [["项目名称", "抽签号", "评委编号", "分数"],
            *[["队列会操", teams["卫东区"], code, value] for code, value in (("J1", 88), ("J2", 90), ("J3", 86))]]
    path = write_workbook(tmp_path / "会操.xlsx", {"评分": rows})
    code, out, err = run(capsys, tmp_path / "t.db", "contest", "scores", "import", "--contest", "1", str(path))
    assert (code, err) == (0, "") and "已导入成绩 3 条" in out


def test_a_workbook_without_the_kind_column_is_all_individual_and_the_team_rule_is_the_sum(
        tmp_path: Path, capsys: Any) -> None:
    code, _out, _err = import_book(capsys, tmp_path, good_sheets())
    assert code == 0
    db = open_db(tmp_path / "t.db")
    try:
        assert {it.kind for it in contest.items(db, 1)} == {"个人"}
        assert contest_people.team_entries(db, 1) == []
        c = contest.require_contest(db, 1)
        assert (c.team_mode, c.team_best_n) == ("合计", None)
    finally:
        db.close()


def test_a_team_left_with_too_few_judges_after_recusal_is_named(tmp_path: Path, capsys: Any) -> None:
    sheets = with_team()
    sheets["评委"] = [row for row in sheets["评委"] if row[0] != "J4" or row[3] != "队列会操"]  # J1–J3 only
    code, out, _err = import_book(capsys, tmp_path, sheets)
    assert code == 0
    # J2 is of 新华区: the 新华区 team keeps J1 and J3, and 去掉最高最低取平均 needs 3
    assert "提示：“队列会操”（去掉最高最低取平均）有1支队伍回避后评委不足3名：新华区" in out.splitlines()


def test_a_workbook_wrong_in_every_sheet_lists_every_problem_in_one_run(tmp_path: Path, capsys: Any) -> None:
    """The setup sheets' faults no longer hide the 评分 sheet's: each score row is checked against what the setup
    sheets got right, and a row that refers to a broken item or competitor says so (its 分数 still checked)."""
    sheets = mutate(("比武项目", 4, 1), "加权平均")          # 案卷评审: a method nobody knows
    sheets["比武项目"][1][3] = 30                            # 法律知识笔试 30: the weights add up to 90
    sheets["选手"][4][0] = 3                                 # 赵六 takes 王五's draw number 3
    sheets["评委"][8][3] = "射击"                             # J4's second row: an item that does not exist
    sheets["评分"] = [["项目名称", "抽签号", "评委编号", "分数"],
                    ["执法文书制作", 2, "J1", -1], ["执法文书制作", 2, "J3", 100.5], ["法律知识笔试", 2, None, 88.25],
                    ["执法文书制作", 9, "J1", 80], ["执法文书制作", 2, "J9", 80], ["执法文书制作", 1, "J2", 80],
                    ["法律知识笔试", 1, "J1", 80], ["案卷评审", 2, "J1", 45], ["执法文书制作", 3, "J1", 120],
                    ["执法文书制作", 2, "J4", 80]]                # the one good row
    code, out, err = import_book(capsys, tmp_path, sheets)
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "第4行 计分方式: 比武项目表：未知计分方式“加权平均”" + METHODS,
        "第1行 权重: 比武项目表：各项目权重合计为90，应为100",
        "第5行 抽签号: 选手表：与第4行抽签号3重复",
        "第9行 评分项目: 评委表：未知项目“射击”（应为比武项目表中的项目名称）",
        "第2行 分数: 评分表：分数不能为负数（-1）",
        "第3行 分数: 评分表：分数100.5高于满分100",
        "第4行 分数: 评分表：分数88.25最多保留1位小数",
        "第5行 抽签号: 评分表：未知抽签号9",
        "第6行 评委编号: 评分表：未知评委编号“J9”",
        "第7行 评委编号: 评分表：回避：评委J2（新华区）与1号选手同属新华区，不能为其评分",
        "第8行 评委编号: 评分表：“法律知识笔试”是单一成绩项目，不填评委编号",
        "第9行 项目名称: 评分表：项目“案卷评审”在比武项目表中有误，更正后才能核对本行",
        "第10行 抽签号: 评分表：抽签号3在选手表中有误，更正后才能核对本行",
        "第10行 分数: 评分表：分数120高于满分100"]
    problems(err)
    assert counts(tmp_path / "t.db") == dict.fromkeys(TABLES, 0)


def test_an_item_whose_rules_are_known_still_checks_its_scores_beside_another_fault(tmp_path: Path,
                                                                                   capsys: Any) -> None:
    sheets = mutate(("比武项目", 4, 5), 1)   # 案卷评审 takes 执法文书制作's tie-break place: its 满分 50 still stands
    sheets["评分"] = [["项目名称", "抽签号", "评委编号", "分数"], ["案卷评审", 2, "J1", 60]]
    code, _out, err = import_book(capsys, tmp_path, sheets)
    assert code == 2
    assert err.splitlines() == ["第4行 决胜顺序: 比武项目表：与第3行决胜顺序1重复",
                                "第2行 分数: 评分表：分数60高于满分50"]


def test_a_judge_whose_unit_is_wrong_is_named_in_the_score_rows_and_a_missing_sheet_stays_quiet(
        tmp_path: Path, capsys: Any) -> None:
    sheets = mutate(("评委", 6, 2), "火星区")    # J3's unit: whom J3 may score is unknown
    sheets["评分"] = [["项目名称", "抽签号", "评委编号", "分数"], ["执法文书制作", 2, "J3", 80]]
    code, _out, err = import_book(capsys, tmp_path, sheets)
    assert code == 2
    assert err.splitlines()[-1] == "第2行 评委编号: 评分表：评委编号“J3”在评委表中有误，更正后才能核对本行"
    del sheets["选手"]                          # no competitors sheet: the draw numbers cannot be checked at all
    sheets["评分"].append(["执法文书制作", 2, "J1", 101])
    code, _out, err = import_book(capsys, tmp_path, sheets)
    assert code == 2
    assert err.splitlines() == ["第1行 工作表: 缺少“选手”工作表",
                                "第6行 单位: 评委表：未知单位“火星区”（外聘评委请填写“外聘：单位名称”）",
                                "第7行 单位: 评委表：评委编号J3在第6行的单位是“火星区”",
                                "第2行 评委编号: 评分表：评委编号“J3”在评委表中有误，更正后才能核对本行",
                                "第3行 分数: 评分表：分数101高于满分100"]


def test_a_rubric_score_file_without_the_criterion_column_names_that_column(db, db_path: Path, tmp_path: Path,
                                                                           capsys: Any) -> None:
    spec = contest.NewItem("情景模拟", contest.RUBRIC, Decimal(100), Decimal(100), 2)
    b = build(db, [spec], [(1, "甲", "卫东区")], [(c, c, None, ["情景模拟"]) for c in ("J1", "J2", "J3")])
    contest.set_criteria(db, b.items["情景模拟"], [("仪容仪表", Decimal(40)), ("程序规范", Decimal(60))])
    path = tmp_path / "scores.csv"
    path.write_text("项目名称,抽签号,评委编号,分数\n情景模拟,1,J1,36\n", encoding="utf-8")
    code, out, err = run(capsys, db_path, "contest", "scores", "import", "--contest", str(b.contest_id), str(path))
    assert (code, out) == (2, "")
    # as `judge export` says it: the 评分细则 column, not 项目名称
    assert err.splitlines() == ["第2行 评分细则: “情景模拟”按评分细则计分，须填写细则名称（文件缺少“评分细则”列）"]
