"""As a training officer I import the roster the bureau keeps in Excel. A file with any bad row is
refused as a whole: every problem is listed as `第R行 列名: 原因` (R as Excel shows it, header = row 1)
and nothing is written. A clean file is written in one go and the counts 新增 / 更新 / 未变 are shown.

Each rejection rule of the roster contract (issue 3) is fed through the real path: a file on disk,
`trainer --db DB people import FILE`.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import xlwt
from roster_files import (
    id_for,
    people_count,
    person,
    problems,
    run,
    snapshot,
    write_csv,
    write_xlsx,
)

from exports.tables import read_table
from trainer import cli, idnumber, people, roster
from trainer.db import open_db
from trainer.person_fields import COLUMNS, REQUIRED
from trainer.tabular import RawTable

TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)
PHONE_REASON = "应为以1开头的11位手机号，或“区号-号码”形式的固定电话（如0375-2345678）"


def _impossible_birth_id() -> str:
    body = "410402" + "19990230" + "123"
    return body + idnumber.mod11_2(body)


def _wrong_check_id() -> str:
    good = id_for(3)
    return good[:17] + ("0" if good[17] != "0" else "1")


def _id_ending_in_x() -> str:
    return next(n for n in (id_for(seq) for seq in range(1000, 2000)) if n.endswith("X"))


@pytest.fixture(scope="module")
def registered_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    db_path = folder / "bureau.db"
    first = write_xlsx(folder / "first.xlsx", [person(0)])
    assert cli.main(["--db", str(db_path), "people", "import", str(first)]) == 0
    assert people_count(db_path) == 1
    return db_path


@pytest.fixture
def registered(tmp_path: Path, registered_template: Path, capsys: Any) -> Path:
    """A database already holding one person (person(0)), imported through the CLI (a copy per test)."""
    capsys.readouterr()
    db_path = tmp_path / "bureau.db"
    shutil.copyfile(registered_template, db_path)
    return db_path


def stored(db_path: Path) -> dict[str, people.Person]:
    db = open_db(db_path)
    try:
        return people.by_id_numbers(db)
    finally:
        db.close()


def unit_names(db_path: Path) -> dict[int, str]:
    db = open_db(db_path)
    try:
        return {r[0]: r[1] for r in db.execute("SELECT id, name FROM units")}
    finally:
        db.close()


# ---- every rejection rule: one bad row among good ones -----------------------------------------

REJECTIONS = [
    # a required cell is empty
    pytest.param({"姓名": None}, "姓名", "必填项为空", id="name-empty"),
    pytest.param({"姓名": "   "}, "姓名", "必填项为空", id="name-blank"),
    pytest.param({"身份证号": None}, "身份证号", "必填项为空", id="id-empty"),
    pytest.param({"单位": None}, "单位", "必填项为空", id="unit-empty"),
    pytest.param({"人员类别": None}, "人员类别", "必填项为空", id="category-empty"),
    pytest.param({"入职日期": None}, "入职日期", "必填项为空", id="hire-empty"),
    # the ID number
    pytest.param({"身份证号": id_for(3)[:17]}, "身份证号", "应为18位，实际为17位", id="id-17-chars"),
    pytest.param({"身份证号": id_for(3) + "1"}, "身份证号", "应为18位，实际为19位", id="id-19-chars"),
    pytest.param({"身份证号": "41040219800101A23X"}, "身份证号", "含有非法字符（前17位应为数字，末位为数字或X）",
                 id="id-letters"),
    pytest.param({"身份证号": _impossible_birth_id()}, "身份证号", "出生日期19990230不存在", id="id-birth-0230"),
    pytest.param({"身份证号": _wrong_check_id()}, "身份证号", "校验位错误", id="id-check-char"),
    pytest.param({"身份证号": 410402198001011234}, "身份证号", "以数字形式保存，末位已丢失，请将该列设为文本后重新录入",
                 id="id-as-excel-number"),
    # 性别
    pytest.param({"性别": "女", "身份证号": id_for(3, "男")}, "性别", "与身份证号不符（身份证号为男性）",
                 id="gender-contradicts-id"),
    pytest.param({"性别": "男", "身份证号": id_for(3, "女")}, "性别", "与身份证号不符（身份证号为女性）",
                 id="gender-contradicts-id-f"),
    pytest.param({"性别": "M"}, "性别", "应为“男”或“女”", id="gender-not-a-gender"),
    # 单位, 人员类别, 岗位状态, 队伍负责人
    pytest.param({"单位": "火星区"}, "单位", "未知单位“火星区”（请先在单位管理中添加，或使用已登记的别名）",
                 id="unit-unknown"),
    pytest.param({"人员类别": "临时工"}, "人员类别", "应为“执法人员”或“协管人员”", id="category-not-listed"),
    pytest.param({"岗位状态": "休假"}, "岗位状态", "应为在岗、离岗、借调、退休、调出之一", id="post-status-not-listed"),
    pytest.param({"队伍负责人": "Y"}, "队伍负责人", "应为“是”或“否”", id="leader-not-yes-no"),
    # dates
    pytest.param({"入职日期": "去年"}, "入职日期", "无法识别的日期“去年”", id="hire-unreadable"),
    pytest.param({"入职日期": "2021-02-30"}, "入职日期", "日期“2021-02-30”不存在", id="hire-impossible"),
    pytest.param({"入职日期": TOMORROW}, "入职日期", f"日期{TOMORROW.isoformat()}晚于今天", id="hire-future"),
    pytest.param({"入职日期": TOMORROW.strftime("%Y年%m月%d日")}, "入职日期", f"日期{TOMORROW.isoformat()}晚于今天",
                 id="hire-future-text"),
    pytest.param({"队伍负责人": "是", "任职日期": TOMORROW}, "任职日期", f"日期{TOMORROW.isoformat()}晚于今天",
                 id="leader-since-future"),
    pytest.param({"队伍负责人": "是", "任职日期": "上个月"}, "任职日期", "无法识别的日期“上个月”",
                 id="leader-since-unreadable"),
    pytest.param({"执法证有效期至": "长期"}, "执法证有效期至", "无法识别的日期“长期”", id="card-expiry-unreadable"),
    # leader without 任职日期
    pytest.param({"队伍负责人": "是", "任职日期": None}, "任职日期", "队伍负责人须填写任职日期",
                 id="leader-without-since"),
    # card number and expiry go together
    pytest.param({"执法证有效期至": None}, "执法证有效期至", "填写了执法证号，但缺少执法证有效期",
                 id="card-without-expiry"),
    pytest.param({"执法证号": None}, "执法证号", "填写了执法证有效期，但缺少执法证号", id="expiry-without-card"),
    # auxiliaries may not enforce
    pytest.param({"人员类别": "协管人员"}, "执法证号", "协管人员不得持有执法证（协管人员不得从事具体行政执法工作）",
                 id="auxiliary-with-card"),
    # 联系电话
    pytest.param({"联系电话": "1381234567"}, "联系电话", PHONE_REASON, id="phone-10-digits"),
    pytest.param({"联系电话": "138123456789"}, "联系电话", PHONE_REASON, id="phone-12-digits"),
    pytest.param({"联系电话": "23812345678"}, "联系电话", PHONE_REASON, id="phone-not-starting-1"),
    pytest.param({"联系电话": "0375 2345678"}, "联系电话", PHONE_REASON, id="landline-space"),
    pytest.param({"联系电话": "03752345678"}, "联系电话", PHONE_REASON, id="landline-no-dash"),
    pytest.param({"联系电话": "375-2345678"}, "联系电话", PHONE_REASON, id="landline-area-without-0"),
    pytest.param({"联系电话": "03-2345678"}, "联系电话", PHONE_REASON, id="landline-area-2-digits"),
    pytest.param({"联系电话": "03751-2345678"}, "联系电话", PHONE_REASON, id="landline-area-5-digits"),
    pytest.param({"联系电话": "0375-234567"}, "联系电话", PHONE_REASON, id="landline-6-digits"),
    pytest.param({"联系电话": "0375-234567890"}, "联系电话", PHONE_REASON, id="landline-9-digits"),
    pytest.param({"联系电话": "打办公室"}, "联系电话", PHONE_REASON, id="phone-text"),
]


# A CSV cell is always text: the Excel-number case has its own CSV test below.
CSV_REJECTIONS = [p for p in REJECTIONS if p.id != "id-as-excel-number"]


@pytest.mark.parametrize(("kind", "changes", "column", "reason"), [
    *(pytest.param("xlsx", *p.values, id=f"xlsx-{p.id}") for p in REJECTIONS),
    *(pytest.param("csv", *p.values, id=f"csv-{p.id}") for p in CSV_REJECTIONS),
])
def test_a_bad_row_is_refused_with_its_excel_row_and_column_and_nothing_is_written(
        tmp_path: Path, capsys: Any, registered: Path, kind: str,
        changes: dict[str, object], column: str, reason: str) -> None:
    rows = [
        person(1),
        person(2),
        person(3, **changes),  # Excel row 4
        person(0, 单位="卫东区", 岗位状态="借调"),  # a good update of the registered person
        person(4),
    ]
    write = write_xlsx if kind == "xlsx" else write_csv
    path = write(tmp_path / f"roster.{kind}", rows)
    before = snapshot(registered)

    code, out, err = run(capsys, registered, "people", "import", str(path))

    assert code == 2
    assert out == ""
    assert problems(err) == [(4, column, reason)]
    assert snapshot(registered) == before
    assert people_count(registered) == 1


def test_an_id_saved_as_a_number_in_a_csv_is_refused_with_the_clear_reason(
        tmp_path: Path, capsys: Any, registered: Path) -> None:
    # Excel writes a number-formatted ID into a CSV as 4.10402E+17.
    path = write_csv(tmp_path / "roster.csv", [person(1), person(2, 身份证号="4.10402E+17")])
    code, _, err = run(capsys, registered, "people", "import", str(path))
    assert code == 2
    assert problems(err) == [(3, "身份证号", "以数字形式保存，末位已丢失，请将该列设为文本后重新录入")]
    assert people_count(registered) == 1


def test_a_row_with_several_faults_lists_each_of_them(tmp_path: Path, capsys: Any, registered: Path) -> None:
    bad = person(2, 姓名=None, 单位="火星区", 岗位状态="休假", 联系电话="12345", 执法证有效期至=None)
    path = write_xlsx(tmp_path / "roster.xlsx", [person(1), bad])
    code, _, err = run(capsys, registered, "people", "import", str(path))
    assert code == 2
    assert {(r, c) for r, c, _ in problems(err)} == {
        (3, "姓名"), (3, "单位"), (3, "岗位状态"), (3, "联系电话"), (3, "执法证有效期至"),
    }


@pytest.mark.parametrize("card", [{"执法证有效期至": None}, {"执法证号": None}], ids=["number-only", "expiry-only"])
def test_an_auxiliary_with_any_part_of_a_card_is_refused(
        tmp_path: Path, capsys: Any, registered: Path, card: dict[str, object]) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person(1), person(2, 人员类别="协管人员", **card)])
    code, _, err = run(capsys, registered, "people", "import", str(path))
    assert code == 2
    assert (3, "执法证号", "协管人员不得持有执法证（协管人员不得从事具体行政执法工作）") in problems(err)
    assert people_count(registered) == 1


# ---- the same ID twice ----------------------------------------------------------------------

def test_the_same_id_twice_in_the_file_is_refused_naming_the_first_row(
        tmp_path: Path, capsys: Any, registered: Path) -> None:
    twin = person(9, 姓名="另一个人", 身份证号=id_for(2))
    path = write_xlsx(tmp_path / "roster.xlsx", [person(1), person(2), person(3), twin])
    code, _, err = run(capsys, registered, "people", "import", str(path))
    assert code == 2
    assert problems(err) == [(5, "身份证号", "与第3行身份证号重复")]
    assert people_count(registered) == 1


def test_every_repeat_of_an_id_is_listed(tmp_path: Path, capsys: Any, registered: Path) -> None:
    same = id_for(2)
    rows = [person(2), person(3), person(4, 身份证号=same), person(5, 身份证号=same)]
    code, _, err = run(capsys, registered, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert code == 2
    assert problems(err) == [(4, "身份证号", "与第2行身份证号重复"), (5, "身份证号", "与第2行身份证号重复")]


def test_a_lower_case_x_and_an_upper_case_x_are_the_same_id(tmp_path: Path, capsys: Any, registered: Path) -> None:
    x_id = _id_ending_in_x()
    rows = [person(1, 身份证号=x_id), person(2, 身份证号=x_id.lower())]
    code, _, err = run(capsys, registered, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert code == 2
    assert problems(err) == [(3, "身份证号", "与第2行身份证号重复")]


def test_a_duplicate_is_reported_even_when_a_copy_has_other_faults(
        tmp_path: Path, capsys: Any, registered: Path) -> None:
    rows = [person(2, 联系电话="12345"), person(3, 身份证号=id_for(2), 单位="火星区")]
    code, _, err = run(capsys, registered, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert code == 2
    found = problems(err)
    assert (2, "联系电话", PHONE_REASON) in found
    assert (3, "身份证号", "与第2行身份证号重复") in found
    assert (3, "单位", "未知单位“火星区”（请先在单位管理中添加，或使用已登记的别名）") in found


# ---- missing columns and row numbers ----------------------------------------------------------

@pytest.mark.parametrize("missing", REQUIRED)
def test_a_missing_required_column_is_refused_on_the_header_row(
        tmp_path: Path, capsys: Any, registered: Path, missing: str) -> None:
    headers = [c for c in COLUMNS if c != missing]
    path = write_xlsx(tmp_path / "roster.xlsx", [person(1), person(2)], headers=headers)
    code, _, err = run(capsys, registered, "people", "import", str(path))
    assert code == 2
    assert problems(err) == [(1, missing, "缺少必填列")]
    assert people_count(registered) == 1


def test_every_missing_column_is_listed_on_the_header_row_below_a_title(
        tmp_path: Path, capsys: Any, registered: Path) -> None:
    headers = ["姓名", "性别", "单位", "联系电话"]
    path = write_xlsx(tmp_path / "roster.xlsx", [person(1)], headers=headers, above=[["2021年人员花名册"]])
    code, _, err = run(capsys, registered, "people", "import", str(path))
    assert code == 2
    assert problems(err) == [
        (2, "身份证号", "缺少必填列"), (2, "人员类别", "缺少必填列"), (2, "入职日期", "缺少必填列"),
    ]


def test_row_numbers_count_title_rows_and_blank_rows_as_excel_shows_them(
        tmp_path: Path, capsys: Any, registered: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["平顶山市城市管理局人员花名册"])  # row 1
    ws.append(["填报日期：2021年6月6日"])  # row 2
    ws.append([])  # row 3
    ws.append(list(COLUMNS))  # row 4: header
    ws.append([person(1).get(c) for c in COLUMNS])  # row 5
    ws.append([])  # row 6
    ws.append([])  # row 7
    ws.append([person(2, 联系电话="12345").get(c) for c in COLUMNS])  # row 8
    ws.append([person(3).get(c) for c in COLUMNS])  # row 9
    ws.append([person(4, 岗位状态="请假").get(c) for c in COLUMNS])  # row 10
    wb.save(tmp_path / "roster.xlsx")
    code, _, err = run(capsys, registered, "people", "import", str(tmp_path / "roster.xlsx"))
    assert code == 2
    assert [(r, c) for r, c, _ in problems(err)] == [(8, "联系电话"), (10, "岗位状态")]


def test_one_bad_row_among_many_writes_nothing_and_every_bad_row_is_listed(
        tmp_path: Path, capsys: Any, registered: Path) -> None:
    rows = [person(i) for i in range(1, 201)]
    rows[9] = person(10, 身份证号=id_for(10)[:17] + ("0" if id_for(10)[17] != "0" else "1"))  # row 11
    rows[57] = person(58, 单位="不存在的街道")  # row 59
    rows[199] = person(200, 入职日期=TOMORROW)  # row 201
    before = snapshot(registered)
    code, out, err = run(capsys, registered, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert code == 2
    assert out == ""
    assert [(r, c) for r, c, _ in problems(err)] == [(11, "身份证号"), (59, "单位"), (201, "入职日期")]
    assert snapshot(registered) == before


def test_a_rejected_dry_run_is_refused_the_same_way(tmp_path: Path, capsys: Any, registered: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person(1), person(2, 人员类别="临时工")])
    code, _, err = run(capsys, registered, "people", "import", str(path), "--dry-run")
    assert code == 2
    assert problems(err) == [(3, "人员类别", "应为“执法人员”或“协管人员”")]


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("missing.xlsx", None, "文件不存在"),
    ("roster.txt", b"hello", "不支持的文件类型"),
    ("broken.xlsx", b"PK\x03\x04 this is not a workbook", "无法读取表格文件"),
    ("empty.csv", b"", "文件中没有数据"),
])
def test_a_file_that_cannot_be_read_is_refused_with_one_line(
        tmp_path: Path, capsys: Any, registered: Path, name: str, content: bytes | None, reason: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, registered, "people", "import", str(path))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"{path}: ") and reason in err
    assert people_count(registered) == 1


# ---- the accepting side ---------------------------------------------------------------------

def test_a_clean_file_is_written_and_the_counts_are_printed(tmp_path: Path, capsys: Any) -> None:
    db_path = tmp_path / "new.db"
    path = write_xlsx(tmp_path / "r.xlsx", [person(i) for i in range(1, 6)])
    code, out, err = run(capsys, db_path, "people", "import", str(path))
    assert (code, err) == (0, "")
    assert out.strip() == "新增 5 人，更新 0 人，未变 0 人"
    saved = stored(db_path)
    assert len(saved) == 5
    p = saved[id_for(3)]
    assert (p.name, p.gender, p.category, p.position, p.is_leader, p.leader_since) == \
        ("测试3号", "男", "执法人员", "科员", False, None)
    assert (p.hire_date, p.card_number, p.card_expiry, p.post_status, p.phone) == \
        (dt.date(2010, 7, 1), "豫41100003", dt.date(2029, 12, 31), "在岗", "13810000003")
    assert unit_names(db_path)[p.unit_id] == "新华区"


def test_dry_run_checks_and_counts_but_writes_nothing(tmp_path: Path, capsys: Any, registered: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person(0, 单位="卫东区"), person(1), person(2)])
    before = snapshot(registered)
    code, out, _ = run(capsys, registered, "people", "import", str(path), "--dry-run")
    assert code == 0
    assert out.strip() == "检查通过（未写入）：新增 2 人，更新 1 人，未变 0 人"
    assert snapshot(registered) == before


def test_headers_in_any_order_and_extra_columns_are_ignored(tmp_path: Path, capsys: Any) -> None:
    headers = ["序号", *reversed(COLUMNS), "备注", "", "政治面貌"]
    rows = [dict(person(i), 序号=i, 备注="借调至市局", 政治面貌="中共党员") for i in (1, 2)]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(headers)
    for r in rows:
        ws.append([r.get(h) if h else "没有列名的一格" for h in headers])
    wb.save(tmp_path / "r.xlsx")
    db_path = tmp_path / "t.db"
    code, out, err = run(capsys, db_path, "people", "import", str(tmp_path / "r.xlsx"))
    assert (code, err, out.strip()) == (0, "", "新增 2 人，更新 0 人，未变 0 人"), err
    saved = stored(db_path)
    assert saved[id_for(2)].name == "测试2号"
    assert saved[id_for(2)].phone == "13810000002"
    assert saved[id_for(2)].hire_date == dt.date(2010, 7, 1)


def test_a_file_with_only_the_required_columns_is_enough(tmp_path: Path, capsys: Any) -> None:
    rows = [person(1, 性别=None, 身份证号=id_for(1, "女")), person(2, 人员类别="协管人员")]
    db_path = tmp_path / "t.db"
    code, out, err = run(capsys, db_path, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", rows, REQUIRED)))
    assert (code, err, out.strip()) == (0, "", "新增 2 人，更新 0 人，未变 0 人")
    p = stored(db_path)[id_for(1, "女")]
    assert (p.gender, p.post_status, p.is_leader, p.card_number, p.card_expiry, p.phone, p.position) == \
        ("女", "在岗", False, "", None, "", "")


def test_header_cells_with_spaces_around_them_are_recognised(tmp_path: Path, capsys: Any) -> None:
    headers = [f" {c} " for c in COLUMNS]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(headers)
    ws.append([person(1).get(c) for c in COLUMNS])
    wb.save(tmp_path / "r.xlsx")
    code, _, err = run(capsys, tmp_path / "t.db", "people", "import", str(tmp_path / "r.xlsx"))
    assert (code, err) == (0, "")


def test_defaults_gender_from_id_post_status_and_leader(tmp_path: Path, capsys: Any) -> None:
    rows = [
        person(1, 性别=None, 身份证号=id_for(1, "女"), 岗位状态=None, 队伍负责人=None),
        person(2, 性别=None, 身份证号=id_for(2, "男"), 岗位状态="", 队伍负责人=""),
    ]
    db_path = tmp_path / "t.db"
    code, _, err = run(capsys, db_path, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert (code, err) == (0, "")
    saved = stored(db_path)
    assert saved[id_for(1, "女")].gender == "女"
    assert saved[id_for(2, "男")].gender == "男"
    for p in saved.values():
        assert p.post_status == "在岗"
        assert p.is_leader is False


def test_a_lower_case_x_is_stored_upper_case(tmp_path: Path, capsys: Any) -> None:
    x_id = _id_ending_in_x()
    db_path = tmp_path / "t.db"
    rows = [person(1, 身份证号=x_id.lower())]
    code, _, err = run(capsys, db_path, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert (code, err) == (0, "")
    assert list(stored(db_path)) == [x_id]


def test_a_unit_may_be_named_by_its_alias(tmp_path: Path, capsys: Any) -> None:
    rows = [person(1, 单位="示范区"), person(2, 单位="市城管局"), person(3, 单位="新华区城管局"),
            person(4, 单位=" 城乡一体化示范区 ")]
    db_path = tmp_path / "t.db"
    code, _, err = run(capsys, db_path, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert (code, err) == (0, "")
    names = unit_names(db_path)
    saved = stored(db_path)
    assert [names[saved[id_for(i)].unit_id] for i in (1, 2, 3, 4)] == \
        ["城乡一体化示范区", "平顶山市城市管理局", "新华区", "城乡一体化示范区"]


def test_leaders_and_auxiliaries(tmp_path: Path, capsys: Any) -> None:
    rows = [
        person(1, 队伍负责人="是", 任职日期=dt.date(2019, 3, 1), 职务="大队长"),
        person(2, 人员类别="协管人员", 执法证号=None, 执法证有效期至=None, 职务="协管员"),
        person(3, 执法证号=None, 执法证有效期至=None),  # an officer without a card yet is registered
        person(4, 队伍负责人="否", 任职日期=dt.date(2019, 3, 1)),  # a 任职日期 without the role is not kept
    ]
    db_path = tmp_path / "t.db"
    code, _, err = run(capsys, db_path, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", rows)))
    assert (code, err) == (0, "")
    saved = stored(db_path)
    assert (saved[id_for(1)].is_leader, saved[id_for(1)].leader_since) == (True, dt.date(2019, 3, 1))
    assert (saved[id_for(2)].category, saved[id_for(2)].card_number, saved[id_for(2)].card_expiry) == \
        ("协管人员", "", None)
    assert saved[id_for(3)].card_state(TODAY) == "无证"
    assert (saved[id_for(4)].is_leader, saved[id_for(4)].leader_since) == (False, None)


@pytest.mark.parametrize("phone", ["13812345678", "19912345678", "0375-2345678", "010-12345678", "0371-1234567",
                                   13812345678, None])
def test_good_phone_numbers_are_accepted(tmp_path: Path, capsys: Any, phone: object) -> None:
    db_path = tmp_path / "t.db"
    path = write_xlsx(tmp_path / "r.xlsx", [person(1, 联系电话=phone)])
    code, _, err = run(capsys, db_path, "people", "import", str(path))
    assert (code, err) == (0, "")
    assert stored(db_path)[id_for(1)].phone == ("" if phone is None else str(phone))


def test_a_card_number_typed_as_a_number_is_kept_as_text(tmp_path: Path, capsys: Any) -> None:
    db_path = tmp_path / "t.db"
    path = write_xlsx(tmp_path / "r.xlsx", [person(1, 执法证号=41020345)])
    code, _, err = run(capsys, db_path, "people", "import", str(path))
    assert (code, err) == (0, "")
    assert stored(db_path)[id_for(1)].card_number == "41020345"


JUNE_6 = dt.date(2021, 6, 6)
DATE_CELLS: list[tuple[object, str | None]] = [  # (value, Excel number format)
    (JUNE_6, "yyyy-mm-dd"),
    (JUNE_6, 'yyyy"年"m"月"d"日"'),
    (JUNE_6, "yyyy/m/d"),
    (dt.datetime(2021, 6, 6, 9, 30), "yyyy-mm-dd hh:mm"),
    ("2021-06-06", None),
    ("2021/6/6", None),
    ("2021.6.6", None),
    ("2021年6月6日", None),
    ("20210606", None),
    (20210606, None),
    (44353, "General"),  # a date cell whose format was cleared: Excel's serial number
]


def test_every_date_format_is_read_from_a_real_excel_file(tmp_path: Path, capsys: Any) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(list(COLUMNS))
    for seq, (value, fmt) in enumerate(DATE_CELLS, start=1):
        row = person(seq, 入职日期=value, 执法证有效期至=value, 队伍负责人="是", 任职日期=value)
        ws.append([row.get(c) for c in COLUMNS])
        for col in ("入职日期", "执法证有效期至", "任职日期"):
            cell = ws.cell(ws.max_row, COLUMNS.index(col) + 1)
            if fmt:
                cell.number_format = fmt
    wb.save(tmp_path / "dates.xlsx")
    db_path = tmp_path / "t.db"
    code, out, err = run(capsys, db_path, "people", "import", str(tmp_path / "dates.xlsx"))
    assert (code, err, out.strip()) == (0, "", f"新增 {len(DATE_CELLS)} 人，更新 0 人，未变 0 人"), err
    saved = stored(db_path)
    for seq in range(1, len(DATE_CELLS) + 1):
        p = saved[id_for(seq)]
        assert (p.hire_date, p.card_expiry, p.leader_since) == (JUNE_6, JUNE_6, JUNE_6), DATE_CELLS[seq - 1]


def test_an_id_number_that_arrives_as_an_exact_integer_is_accepted(db: Any) -> None:
    # A reader that keeps integers (e.g. pandas int64) hands over a number, not text.
    number = next(n for n in (id_for(s) for s in range(50)) if not n.endswith("X"))
    cells = [person(1, 身份证号=int(number)).get(c) for c in COLUMNS]
    plan = roster.plan_import(db, RawTable(list(COLUMNS), [(2, cells)]))
    assert plan.ok, plan.problems
    assert plan.rows[0].person is not None and plan.rows[0].person.id_number == number


def test_the_future_is_judged_against_the_day_given(db: Any) -> None:
    cells = [person(1, 入职日期=dt.date(2021, 6, 7)).get(c) for c in COLUMNS]
    table = RawTable(list(COLUMNS), [(2, cells)])
    early = roster.plan_import(db, table, today=JUNE_6)
    assert [str(p) for p in early.problems] == ["第2行 入职日期: 日期2021-06-07晚于今天"]
    assert roster.plan_import(db, table, today=dt.date(2021, 6, 7)).ok


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_with_or_without_bom_and_in_gbk(tmp_path: Path, capsys: Any, encoding: str) -> None:
    rows = [person(1, 姓名="欧阳淑珍", 单位="示范区"), person(2, 姓名="龚振鑫", 入职日期="2021年6月6日"),
            person(3, 姓名="萧一诺", 入职日期="2021.6.6", 性别=None)]
    path = write_csv(tmp_path / "r.csv", rows, encoding=encoding)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    if encoding == "gbk":
        assert "欧阳淑珍".encode("gbk") in raw
    db_path = tmp_path / "t.db"
    code, out, err = run(capsys, db_path, "people", "import", str(path))
    assert (code, err, out.strip()) == (0, "", "新增 3 人，更新 0 人，未变 0 人"), err
    saved = stored(db_path)
    assert [saved[id_for(i)].name for i in (1, 2, 3)] == ["欧阳淑珍", "龚振鑫", "萧一诺"]
    assert unit_names(db_path)[saved[id_for(1)].unit_id] == "城乡一体化示范区"
    assert saved[id_for(2)].hire_date == saved[id_for(3)].hire_date == JUNE_6
    assert saved[id_for(1)].hire_date == dt.date(2010, 7, 1)


def test_a_gbk_csv_with_a_bad_row_reports_it_in_chinese(tmp_path: Path, capsys: Any, registered: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [person(1), person(2, 单位="火星区")], encoding="gbk")
    code, _, err = run(capsys, registered, "people", "import", str(path))
    assert code == 2
    assert problems(err) == [(3, "单位", "未知单位“火星区”（请先在单位管理中添加，或使用已登记的别名）")]


def test_an_xls_file_from_old_excel(tmp_path: Path, capsys: Any) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("花名册")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    x_id = _id_ending_in_x()
    rows = [person(1, 身份证号=x_id.lower()), person(2, 入职日期="2021/6/6", 联系电话="0375-2345678"),
            person(3, 人员类别="协管人员", 执法证号=None, 执法证有效期至=None)]
    for c, h in enumerate(COLUMNS):
        ws.write(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, h in enumerate(COLUMNS):
            v = row.get(h)
            if isinstance(v, dt.date):
                ws.write(r, c, v, date_style)
            elif v is not None:
                ws.write(r, c, v)
    wb.save(str(tmp_path / "old.xls"))
    db_path = tmp_path / "t.db"
    code, out, err = run(capsys, db_path, "people", "import", str(tmp_path / "old.xls"))
    assert (code, err) == (0, ""), err
    assert out.strip() == "新增 3 人，更新 0 人，未变 0 人"
    saved = stored(db_path)
    assert saved[x_id].hire_date == dt.date(2010, 7, 1)
    assert saved[id_for(2)].hire_date == JUNE_6
    assert saved[id_for(2)].phone == "0375-2345678"
    assert saved[id_for(3)].category == "协管人员"


def test_a_bad_row_in_an_xls_file_is_refused(tmp_path: Path, capsys: Any, registered: Path) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("花名册")
    for c, h in enumerate(COLUMNS):
        ws.write(0, c, h)
    for c, h in enumerate(COLUMNS):
        v = person(1, 岗位状态="休假").get(h)
        ws.write(1, c, v.isoformat() if isinstance(v, dt.date) else v)
    wb.save(str(tmp_path / "old.xls"))
    code, _, err = run(capsys, registered, "people", "import", str(tmp_path / "old.xls"))
    assert code == 2
    assert problems(err) == [(2, "岗位状态", "应为在岗、离岗、借调、退休、调出之一")]


# ---- re-import: matched by 身份证号 -------------------------------------------------------------

def test_reimport_counts_new_updated_unchanged_and_records_history(tmp_path: Path, capsys: Any) -> None:
    db_path = tmp_path / "t.db"
    first = [person(1), person(2), person(3), person(4)]
    code, out, _ = run(capsys, db_path, "people", "import", str(write_xlsx(tmp_path / "a.xlsx", first)))
    assert (code, out.strip()) == (0, "新增 4 人，更新 0 人，未变 0 人")
    ids_before = {n: p.id for n, p in stored(db_path).items()}

    second = [
        person(1, 单位="卫东区"),  # moved
        person(2, 岗位状态="借调"),  # seconded
        person(3),  # unchanged
        person(4, 队伍负责人="是", 任职日期=dt.date(2024, 3, 1), 职务="中队长"),  # appointed
        person(5),  # new
    ]
    path = write_xlsx(tmp_path / "b.xlsx", second)
    code, out, _ = run(capsys, db_path, "people", "import", str(path))
    assert (code, out.strip()) == (0, "新增 1 人，更新 3 人，未变 1 人")

    saved = stored(db_path)
    assert {n: saved[n].id for n in ids_before} == ids_before  # matched by ID number: same records
    assert unit_names(db_path)[saved[id_for(1)].unit_id] == "卫东区"
    assert saved[id_for(2)].post_status == "借调"
    db = open_db(db_path)
    try:
        h1 = people.history(db, saved[id_for(1)].id or 0)
        h2 = people.history(db, saved[id_for(2)].id or 0)
        h3 = people.history(db, saved[id_for(3)].id or 0)
        h4 = people.history(db, saved[id_for(4)].id or 0)
    finally:
        db.close()
    assert [(h.field, h.old_value, h.new_value, h.effective_date, h.source) for h in h1] == \
        [("单位", "新华区", "卫东区", TODAY, "导入")]
    assert [(h.field, h.old_value, h.new_value) for h in h2] == [("岗位状态", "在岗", "借调")]
    assert h3 == []
    assert [(h.field, h.old_value, h.new_value) for h in h4] == [("队伍负责人", "否", "是（任职日期2024-03-01）")]

    code, out, _ = run(capsys, db_path, "people", "import", str(path))
    assert (code, out.strip()) == (0, "新增 0 人，更新 0 人，未变 5 人")


def test_a_change_of_phone_only_updates_without_history(tmp_path: Path, capsys: Any, registered: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person(0, 联系电话="0375-7654321")])
    code, out, _ = run(capsys, registered, "people", "import", str(path))
    assert (code, out.strip()) == (0, "新增 0 人，更新 1 人，未变 0 人")
    _, hist = snapshot(registered)
    assert hist == []
    assert stored(registered)[id_for(0)].phone == "0375-7654321"


def test_an_unchanged_row_written_differently_counts_as_unchanged(
        tmp_path: Path, capsys: Any, registered: Path) -> None:
    # The same person, spelled otherwise: text dates, an alias for the unit, empty cells for the defaults.
    same = person(0, 入职日期="2010年7月1日", 执法证有效期至="20291231", 单位="新华区城市管理局", 性别=None,
                  岗位状态=None, 队伍负责人=None)
    code, out, _ = run(capsys, registered, "people", "import", str(write_xlsx(tmp_path / "r.xlsx", [same])))
    assert (code, out.strip()) == (0, "新增 0 人，更新 0 人，未变 1 人")


def test_read_table_and_plan_import_report_the_same_problems_as_the_cli(tmp_path: Path, db: Any) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", [person(1), person(2, 联系电话="110"), person(3, 身份证号=id_for(1))])
    plan = roster.plan_import(db, read_table(path))
    assert not plan.ok
    assert [str(p) for p in plan.problems] == [f"第3行 联系电话: {PHONE_REASON}", "第4行 身份证号: 与第2行身份证号重复"]
    assert [r.action for r in plan.rows] == ["新增", "", ""]
    with pytest.raises(ValueError):
        roster.apply_import(db, plan)
    assert people.count(db) == 0


def test_a_cancelled_import_writes_nothing_and_progress_is_reported(tmp_path: Path, db: Any) -> None:
    from trainer.tabular import ImportCancelled

    path = write_xlsx(tmp_path / "r.xlsx", [person(i) for i in range(1, 451)])
    seen: list[tuple[int, int]] = []
    plan = roster.plan_import(db, read_table(path), progress=lambda done, total: seen.append((done, total)))
    assert plan.ok and plan.result().added == 450
    assert seen and all(total == 450 for _, total in seen)

    asked = []

    def cancel_on_third_ask() -> bool:
        asked.append(1)
        return len(asked) >= 3  # after 400 rows were already saved inside the transaction

    with pytest.raises(ImportCancelled):
        roster.apply_import(db, plan, cancelled=cancel_on_third_ask)
    assert people.count(db) == 0
    assert db.execute("SELECT COUNT(*) FROM person_history").fetchone()[0] == 0

    written: list[tuple[int, int]] = []
    result = roster.apply_import(db, plan, progress=lambda done, total: written.append((done, total)))
    assert (result.added, result.updated, result.unchanged) == (450, 0, 0)
    assert written[-1] == (450, 450)
    assert people.count(db) == 450
