"""As a training officer I bring in training done elsewhere — provincial courses, the party school,
earlier years — from an Excel sheet with `trainer records import FILE`. A file with any bad row is
refused as a whole (exit 2, exactly one `第R行 列名: 原因` line per problem on stderr, nothing written); a clean file is
written in one go and its records count toward every compliance rule.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlite_utils import Database
from training_support import RECORD_HEADERS, D, count_rows, id_number, person, record_row, status

from trainer import cli, records, training
from trainer.compliance import ANNUAL, INITIAL
from trainer.people import Person

TYPES = "、".join(training.TRAINING_TYPES)
PROBLEM_LINE = re.compile(r"第\d+行 \S+: .+")


def write_csv(path: Path, rows: Sequence[Sequence[object]], headers: Sequence[str] = RECORD_HEADERS) -> Path:
    def cell(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, dt.date):
            return f"{v.year}/{v.month}/{v.day}"  # as Chinese Excel saves dates in a CSV
        return str(v)

    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(headers)
        for r in rows:
            w.writerow([cell(v) for v in r])
    return path


def run(capsys: Any, db_path: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def officer(db: Database) -> Person:
    return person(db, "张三", hire=D(2025, 3, 10))


def good(p: Person, **changes: object) -> list[object]:
    """A valid row: 12 days of 初任培训 at the party school, 96 学时, completed."""
    row = dict(zip(RECORD_HEADERS, record_row(p, "初任培训", D(2025, 6, 2), D(2025, 6, 13), hours="96",
                                               title="2025年新招录执法人员初任培训班", organiser="中共平顶山市委党校"),
                   strict=True))
    row.update(changes)
    return [row[h] for h in RECORD_HEADERS]


# ---- a clean file ----------------------------------------------------------------------------------

def test_a_clean_file_is_written_and_counts_toward_compliance(
        tmp_path: Path, capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    other = person(db, "李四")
    file = write_csv(tmp_path / "records.csv", [
        good(officer),
        record_row(other, "业务知识培训", D(2026, 3, 2), D(2026, 3, 13), hours="90", title="全省城管执法业务培训班"),
    ])
    assert status(db, officer, INITIAL, D(2026, 3, 11)) == "逾期"
    code, out, err = run(capsys, db_path, "records", "import", str(file))
    assert (code, out, err) == (0, "已导入 2 条培训记录\n", "")
    assert count_rows(db_path, "external_records") == 2
    assert status(db, officer, INITIAL, D(2026, 3, 11)) == "合格"
    assert status(db, other, ANNUAL, D(2026, 6, 30)) == "合格"
    stored = records.external_records(db, [int(officer.id or 0)])
    assert [(r.title, r.type, r.start_date, r.end_date, r.days, r.hours, r.completed, r.organiser, r.source)
            for r in stored] == [("2025年新招录执法人员初任培训班", "初任培训", D(2025, 6, 2), D(2025, 6, 13),
                                  Decimal(12), Decimal(96), True, "中共平顶山市委党校", "外部记录")]


def test_an_excel_file_with_real_date_cells_is_read(
        tmp_path: Path, capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["2025年外部培训记录"])  # a title above the table, as offices make them
    ws.append(RECORD_HEADERS)
    ws.append(good(officer, 学时=96, 天数=None))
    wb.save(tmp_path / "records.xlsx")
    assert run(capsys, db_path, "records", "import", str(tmp_path / "records.xlsx"))[:2] == (
        0, "已导入 1 条培训记录\n")
    assert status(db, officer, INITIAL, D(2026, 3, 11)) == "合格"


@pytest.mark.parametrize(("stated", "expected"), [(None, Decimal(12)), ("10", Decimal(10)), ("2.5", Decimal("2.5"))])
def test_empty_days_are_end_minus_start_plus_one(
        tmp_path: Path, capsys: Any, db: Database, db_path: Path, officer: Person,
        stated: str | None, expected: Decimal) -> None:
    file = write_csv(tmp_path / "r.csv", [good(officer, 天数=stated)])
    assert run(capsys, db_path, "records", "import", str(file))[0] == 0
    assert [r.days for r in records.external_records(db)] == [expected]


def test_the_optional_columns_may_be_left_out(
        tmp_path: Path, capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    headers = [h for h in RECORD_HEADERS if h not in ("天数", "主办单位")]
    row = dict(zip(RECORD_HEADERS, good(officer), strict=True))
    file = write_csv(tmp_path / "r.csv", [[row[h] for h in headers]], headers)
    assert run(capsys, db_path, "records", "import", str(file))[0] == 0
    assert [(r.days, r.organiser) for r in records.external_records(db)] == [(Decimal(12), "")]


def test_an_id_number_is_read_as_the_roster_reads_it(
        tmp_path: Path, capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    """Full-width digits from a Chinese input method and spaces typed into the cell, as on the roster."""
    full_width = officer.id_number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    spaced = f" {officer.id_number[:6]} {officer.id_number[6:14]} {officer.id_number[14:].lower()} "
    file = write_csv(tmp_path / "r.csv", [good(officer, 身份证号=full_width),
                                          good(officer, 身份证号=spaced, 开始日期=D(2025, 9, 1),
                                               结束日期=D(2025, 9, 12))])
    assert run(capsys, db_path, "records", "import", str(file))[:2] == (0, "已导入 2 条培训记录\n")
    assert {r.person_id for r in records.external_records(db)} == {officer.id}


def test_an_unfinished_record_is_stored_but_does_not_count(
        tmp_path: Path, capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    file = write_csv(tmp_path / "r.csv", [good(officer, 是否结业="否")])
    assert run(capsys, db_path, "records", "import", str(file))[0] == 0
    assert count_rows(db_path, "external_records") == 1
    assert status(db, officer, INITIAL, D(2026, 3, 11)) == "逾期"


def test_dry_run_checks_and_counts_but_writes_nothing(
        tmp_path: Path, capsys: Any, db_path: Path, officer: Person) -> None:
    file = write_csv(tmp_path / "r.csv", [good(officer)])
    code, out, err = run(capsys, db_path, "records", "import", str(file), "--dry-run")
    assert (code, out, err) == (0, "检查通过（未写入）：1 条培训记录\n", "")
    assert count_rows(db_path, "external_records") == 0


# ---- rejections ------------------------------------------------------------------------------------

def rejected(capsys: Any, db_path: Path, file: Path, *extra: str) -> list[str]:
    """Runs the import, asserts it was refused with nothing written, returns the problem lines."""
    before = count_rows(db_path, "external_records")
    code, out, err = run(capsys, db_path, "records", "import", str(file), *extra)
    assert code == 2
    assert out == ""
    assert count_rows(db_path, "external_records") == before
    lines = err.splitlines()
    assert lines and all(PROBLEM_LINE.fullmatch(line) for line in lines), lines  # one line per problem, no more
    return lines


@pytest.mark.parametrize(("changes", "line"), [
    ({"身份证号": id_number(4242)}, f"第2行 身份证号: 人员名册中没有身份证号{id_number(4242)}"),
    ({"姓名": "张叁"}, "第2行 姓名: 与名册不符（名册中为“张三”）"),
    ({"培训类型": "观摩学习"}, f"第2行 培训类型: 应为{TYPES}之一"),
    ({"结束日期": D(2025, 6, 1)}, "第2行 结束日期: 结束日期早于开始日期"),
    ({"学时": "-8"}, "第2行 学时: 不能为负数（-8）"),
    ({"学时": "八"}, "第2行 学时: “八”不是数字"),
    ({"天数": "-1"}, "第2行 天数: 不能为负数（-1）"),
    ({"天数": "十二"}, "第2行 天数: “十二”不是数字"),
    ({"开始日期": "2025-02-30"}, "第2行 开始日期: 日期“2025-02-30”不存在"),
    ({"是否结业": "结业"}, "第2行 是否结业: 应为“是”或“否”"),
    ({"学时": None}, "第2行 学时: 必填项为空"),
])
def test_each_bad_value_is_refused_with_its_row_and_column(
        tmp_path: Path, capsys: Any, db: Database, db_path: Path, officer: Person,
        changes: dict[str, object], line: str) -> None:
    file = write_csv(tmp_path / "r.csv", [good(officer, 培训名称="另一期", 开始日期=D(2025, 9, 1),
                                                结束日期=D(2025, 9, 12)), good(officer, **changes)])
    assert rejected(capsys, db_path, file) == [line.replace("第2行", "第3行")]


def test_a_duplicate_within_the_file_is_refused_naming_the_first_row(
        tmp_path: Path, capsys: Any, db_path: Path, officer: Person) -> None:
    file = write_csv(tmp_path / "r.csv", [good(officer), good(officer, 结束日期=D(2025, 6, 20), 学时="120")])
    assert rejected(capsys, db_path, file) == [
        "第3行 培训名称: 与第2行重复（同一人、同一培训名称、同一开始日期）"]


def test_the_same_title_on_another_start_date_or_for_another_person_is_no_duplicate(
        tmp_path: Path, capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    other = person(db, "王五")
    file = write_csv(tmp_path / "r.csv", [
        good(officer), good(officer, 开始日期=D(2025, 6, 3)),
        good(other, 身份证号=other.id_number, 姓名="王五")])
    assert run(capsys, db_path, "records", "import", str(file))[0] == 0
    assert count_rows(db_path, "external_records") == 3


def test_a_record_already_stored_is_refused(tmp_path: Path, capsys: Any, db_path: Path, officer: Person) -> None:
    file = write_csv(tmp_path / "r.csv", [good(officer)])
    assert run(capsys, db_path, "records", "import", str(file))[0] == 0
    again = write_csv(tmp_path / "again.csv", [good(officer, 学时="100")])
    assert rejected(capsys, db_path, again) == [
        "第2行 培训名称: 该记录已存在（同一人、同一培训名称、同一开始日期）"]
    assert rejected(capsys, db_path, again, "--dry-run")  # a dry run is refused the same way
    assert count_rows(db_path, "external_records") == 1


def test_one_bad_row_among_good_ones_writes_nothing_and_every_problem_is_listed(
        tmp_path: Path, capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    others = [person(db, f"学员{i}") for i in range(5)]
    rows = [good(p, 身份证号=p.id_number, 姓名=p.name) for p in others]
    rows.insert(2, good(officer, 姓名="张叁", 学时="-1", 培训类型="培训"))
    file = write_csv(tmp_path / "r.csv", rows)
    assert rejected(capsys, db_path, file) == [
        "第4行 姓名: 与名册不符（名册中为“张三”）",
        f"第4行 培训类型: 应为{TYPES}之一",
        "第4行 学时: 不能为负数（-1）",
    ]


def test_a_missing_required_column_is_reported_on_the_header_row(
        tmp_path: Path, capsys: Any, db_path: Path, officer: Person) -> None:
    headers = [h for h in RECORD_HEADERS if h not in ("学时", "是否结业")]
    row = dict(zip(RECORD_HEADERS, good(officer), strict=True))
    file = write_csv(tmp_path / "r.csv", [[row[h] for h in headers]], headers)
    assert rejected(capsys, db_path, file) == ["第1行 学时: 缺少必填列", "第1行 是否结业: 缺少必填列"]


def test_a_file_that_does_not_exist_is_refused(tmp_path: Path, capsys: Any, db_path: Path) -> None:
    code, out, err = run(capsys, db_path, "records", "import", str(tmp_path / "nope.xlsx"))
    assert code == 2 and out == "" and "文件不存在" in err
