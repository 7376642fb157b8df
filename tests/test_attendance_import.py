"""A training officer fills in attendance in Excel from the template Trainer wrote, and imports it: a clean
file writes every mark at once; a file with any bad row writes nothing and says `第R行 列名: 原因`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from training_support import count_rows, person

from exports.excel import Sheet, write_xlsx
from exports.tables import read_table
from trainer import attendance_import, training
from trainer.attendance_import import apply_attendance, plan_attendance
from trainer.tabular import RawTable

DAY = dt.date(2026, 3, 2)


@pytest.fixture
def cls(db):
    """A two-day class with three sessions (two on the first day) and three members."""
    c = training.save_class(db, training.TrainingClass(None, "业务知识培训班", "业务知识培训", DAY,
                                                       DAY + dt.timedelta(days=1)))
    cid = int(c.id or 0)
    times = [(DAY, "08:30"), (DAY, "14:30"), (DAY + dt.timedelta(days=1), "08:30")]
    ss = [training.save_session(db, training.Session(None, cid, d, f"第{i}课", Decimal(3), start_time=t))
          for i, (d, t) in enumerate(times, start=1)]
    members = [person(db, name) for name in ("张三", "李四", "王五")]
    training.enrol(db, cid, [int(p.id or 0) for p in members])
    return cid, ss, members


def write_template(db, cid: int, path: Path, edit=None) -> Path:
    headers, rows = attendance_import.template(db, cid)
    if edit:
        edit(headers, rows)
    return write_xlsx(path, [Sheet("考勤", headers, rows)])


def marks(db, session) -> dict[int, str]:
    return training.attendance(db, int(session.id or 0))


def test_the_template_names_each_session_by_date_and_time_and_lists_every_member(db, cls, tmp_path):
    cid, ss, members = cls
    training.set_attendance(db, int(ss[0].id or 0), {int(members[0].id or 0): "迟到"})
    headers, rows = attendance_import.template(db, cid)
    assert headers == ["身份证号", "姓名", "单位", "2026-03-02 08:30", "2026-03-02 14:30", "2026-03-03 08:30"]
    assert [r[1] for r in rows] == ["张三", "李四", "王五"]
    assert rows[0][3:] == ["迟到", "", ""]  # marks already recorded are in the template


def test_a_filled_in_template_imports_back_in_one_go(db, cls, tmp_path):
    cid, ss, members = cls

    def fill(headers, rows):
        for r in rows:
            r[3:] = ["出勤", "请假" if r[1] == "李四" else "出勤", "缺勤" if r[1] == "王五" else "早退"]

    table = read_table(write_template(db, cid, tmp_path / "考勤.xlsx", fill))
    plan = plan_attendance(db, cid, table)
    assert plan.ok, [str(p) for p in plan.problems]
    assert plan.marks == 9 and plan.changes == 9
    assert apply_attendance(db, plan) == 9
    ids = [int(p.id or 0) for p in members]
    assert marks(db, ss[0]) == dict.fromkeys(ids, "出勤")
    assert marks(db, ss[1]) == {ids[0]: "出勤", ids[1]: "请假", ids[2]: "出勤"}
    assert marks(db, ss[2]) == {ids[0]: "早退", ids[1]: "早退", ids[2]: "缺勤"}

    # The template written now carries those marks: importing it again changes nothing.
    again = plan_attendance(db, cid, read_table(write_template(db, cid, tmp_path / "again.xlsx")))
    assert again.ok and again.marks == 9 and again.changes == 0


def test_empty_cells_leave_marks_alone_and_check_marks_are_understood(db, cls, tmp_path):
    cid, ss, members = cls
    first = int(members[0].id or 0)
    training.set_attendance(db, int(ss[2].id or 0), {first: "请假"})

    def fill(headers, rows):
        rows[0][3:] = ["√", "×", ""]

    plan = plan_attendance(db, cid, read_table(write_template(db, cid, tmp_path / "a.xlsx", fill)))
    assert plan.ok
    apply_attendance(db, plan)
    assert marks(db, ss[0])[first] == "出勤"
    assert marks(db, ss[1])[first] == "缺勤"
    assert marks(db, ss[2])[first] == "请假"  # the template carried it; an emptied cell would not clear it either


def test_headers_typed_by_hand_or_turned_into_dates_by_excel_still_match(db, cls):
    cid, ss, members = cls
    table = RawTable(["身份证号", "2026/3/2 8:30", "2026-03-02 14:30:00", "2026年3月3日 08:30"],
                     [(2, [members[1].id_number, "出勤", "迟到", "早退"])])
    plan = plan_attendance(db, cid, table)
    assert plan.ok, [str(p) for p in plan.problems]
    assert sorted(plan.columns.values()) == sorted(int(s.id or 0) for s in ss)


def test_bad_rows_are_all_reported_by_row_and_column_and_nothing_is_written(db, cls, tmp_path):
    cid, _ss, members = cls
    outsider = person(db, "赵六")  # on the register, not in the class

    def spoil(headers, rows):
        rows[0][3] = "到了"  # row 2: not a status
        rows[1][1] = "李斯"  # row 3: name differs from the register
        rows.append([outsider.id_number, "赵六", "", "出勤", "", ""])  # row 5
        rows.append(["410402199001011239", "无名", "", "出勤", "", ""])  # row 6: a valid number nobody has
        rows.append([members[2].id_number, "王五", "", "出勤", "", ""])  # row 7: 王五 again (row 4)
        for r in rows:
            if not r[3]:
                r[3] = "出勤"

    path = write_template(db, cid, tmp_path / "bad.xlsx", spoil)
    before = count_rows(tmp_path / "trainer.db", "attendance")
    plan = plan_attendance(db, cid, read_table(path))
    assert not plan.ok
    assert [str(p) for p in plan.problems] == [
        "第2行 2026-03-02 08:30: “到了”不是考勤状态，应为出勤、迟到、早退、请假、缺勤之一",
        "第3行 姓名: 与名册不符（名册中为“李四”）",
        "第5行 身份证号: 赵六不是本班学员",
        "第6行 身份证号: 人员名册中没有身份证号410402199001011239",
        "第7行 身份证号: 与第4行是同一人",
    ]
    with pytest.raises(ValueError):
        apply_attendance(db, plan)
    assert count_rows(tmp_path / "trainer.db", "attendance") == before == 0


def test_a_column_for_a_session_the_class_does_not_have_is_refused(db, cls):
    cid, _ss, members = cls
    table = RawTable(["身份证号", "姓名", "2026-03-02 08:30", "2026-03-05 08:30"],
                     [(2, [members[0].id_number, "张三", "出勤", "出勤"])])
    plan = plan_attendance(db, cid, table)
    assert [str(p) for p in plan.problems] == [
        "第1行 2026-03-05 08:30: 本班没有2026-03-05 08:30的课程（表头应与考勤模板一致）"]


def test_a_sheet_without_id_numbers_or_session_columns_says_what_is_missing(db, cls):
    cid, _ss, _members = cls
    plan = plan_attendance(db, cid, RawTable(["姓名", "备注"], [(2, ["张三", ""])]))
    assert [str(p) for p in plan.problems] == [
        "第1行 身份证号: 缺少必填列",
        "第1行 表头: 没有课程列：课程列的表头应为课程日期和开始时间，如 2026-03-02 08:30",
    ]


def test_two_sessions_at_the_same_time_get_numbered_headers(db, cls):
    cid, _ss, _members = cls
    extra = training.save_session(db, training.Session(None, cid, DAY, "加课", Decimal(1), start_time="08:30"))
    headers, _rows = attendance_import.template(db, cid)
    assert "2026-03-02 08:30（2）" in headers
    assert attendance_import.session_headers(training.sessions(db, cid))[int(extra.id or 0)] == "2026-03-02 08:30（2）"


def test_marks_for_a_session_that_has_not_taken_place_are_pointed_out_before_writing(db, cls, tmp_path):
    """On the evening of the first day the officer imports the sheet: the second day's 出勤 cannot be known yet."""
    cid, ss, _members = cls

    def fill(headers, rows):
        for r in rows:
            r[3:] = ["出勤", "出勤", "请假" if r[1] == "李四" else "出勤"]

    table = read_table(write_template(db, cid, tmp_path / "考勤.xlsx", fill))
    plan = plan_attendance(db, cid, table, today=DAY)
    assert plan.ok and plan.ahead == {int(ss[2].id or 0): 2}  # 请假 is asked for in advance: not counted
    assert plan.ahead_note().startswith("2026-03-03 08:30 1 节课程的日期还没有到，文件中已填了 2 条")
    assert plan_attendance(db, cid, table, today=DAY + dt.timedelta(days=1)).ahead_note() == ""
