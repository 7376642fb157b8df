"""As a training officer I find that an imported record is wrong — 9 学时 typed for 90, the wrong dates, a row
imported twice — and it is in everyone's compliance. I correct it (by the import's own rules), delete it with a
reason, or import the corrected file again with 更新已有记录; every change is in the audit chain with who, when,
what it was, what it became and why. A class's record is not mine to change here: it follows the class.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from training_support import RECORD_HEADERS, D, add_record, make_class, person, record_row, status

from trainer import audit, cli, records, rules, training
from trainer.compliance import ANNUAL, COVERAGE
from trainer.people import Person
from trainer.records import RecordError
from trainer.tabular import NEW, UNCHANGED, UPDATED, RawTable

TYPES = "、".join(training.TRAINING_TYPES)
MID_YEAR = D(2026, 6, 30)


@pytest.fixture
def officer(db: Database) -> Person:
    return person(db, "张三")


def only_record(db: Database) -> records.ExternalRecord:
    (found,) = records.list_records(db)
    return found


def typo_record(db: Database, p: Person) -> records.ExternalRecord:
    """5 days of 业务知识培训 in March with 9 学时 where the certificate says 90."""
    add_record(db, p, "业务知识培训", D(2026, 3, 2), D(2026, 3, 6), hours="9", title="全省执法业务培训班")
    return only_record(db)


def audit_entries(db: Database, action: str) -> list[audit.Entry]:
    return audit.entries(db, actions=[action])


# ---- correcting one record -----------------------------------------------------------------------------

def test_correcting_the_hours_makes_the_officer_compliant_and_is_audited(db: Database, officer: Person) -> None:
    record = typo_record(db, officer)
    assert status(db, officer, ANNUAL, MID_YEAR) == "未完成"  # 9 学时 and 5 days: short of 90 学时 or 12 days

    done = records.update_record(db, record.id, {"学时": "90"}, reason="按结业证书更正", actor="培训科王敏")

    assert done.changed == {"学时": ("9", "90")}
    assert only_record(db).fields.hours == Decimal(90)
    assert status(db, officer, ANNUAL, MID_YEAR) == "合格"
    (entry,) = audit_entries(db, audit.RECORD_EDIT)
    assert (entry.actor, entry.old, entry.new, entry.reason) == ("培训科王敏", "学时：9", "学时：90", "按结业证书更正")
    assert entry.detail == f"外部培训记录{record.id}：张三 全省执法业务培训班（2026-03-02）" and entry.at
    assert audit.verify(db) is None


@pytest.mark.parametrize(("changes", "lines"), [
    ({"学时": "-8"}, ["学时: 不能为负数（-8）"]),
    ({"学时": ""}, ["学时: 必填项为空"]),
    ({"天数": "十二"}, ["天数: “十二”不是数字"]),
    ({"培训类型": "观摩学习", "是否结业": "结业"}, [f"培训类型: 应为{TYPES}之一", "是否结业: 应为“是”或“否”"]),
    ({"结束日期": "2026-03-01"}, ["结束日期: 结束日期早于开始日期"]),
    ({"开始日期": "2026-02-30"}, ["开始日期: 日期“2026-02-30”不存在"]),
    ({"姓名": "张叁"}, ["姓名: 与名册不符（名册中为“张三”）"]),
])
def test_a_bad_edit_is_refused_in_the_imports_words_and_nothing_changes(
        db: Database, officer: Person, changes: dict[str, object], lines: list[str]) -> None:
    record = typo_record(db, officer)
    with pytest.raises(RecordError) as refused:
        records.update_record(db, record.id, changes, reason="试一试")
    assert refused.value.lines == lines
    assert only_record(db) == record
    assert audit_entries(db, audit.RECORD_EDIT) == []


def test_an_edit_that_would_duplicate_another_record_is_refused(db: Database, officer: Person) -> None:
    record = typo_record(db, officer)
    add_record(db, officer, "专题培训", D(2026, 4, 1), D(2026, 4, 2), hours="16", title="党校专题班")
    with pytest.raises(RecordError) as refused:
        records.update_record(db, record.id, {"培训名称": "党校专题班", "开始日期": "2026/4/1",
                                              "结束日期": "2026/4/2"})
    assert refused.value.lines == ["培训名称: 该记录已存在（同一人、同一培训名称、同一开始日期）"]
    assert records.get_record(db, record.id) == record


def test_new_dates_bring_new_days_unless_a_number_of_days_was_given(db: Database, officer: Person) -> None:
    record = typo_record(db, officer)  # 天数 left empty at import: 5, from the dates
    records.update_record(db, record.id, {"结束日期": "2026-03-13"})
    assert only_record(db).fields.days == Decimal(12)
    records.update_record(db, record.id, {"天数": "2.5"})
    records.update_record(db, record.id, {"结束日期": "2026-03-20"})
    assert only_record(db).fields.days == Decimal("2.5")  # a stated number stays


def test_a_record_moves_to_the_person_it_belongs_to(db: Database, officer: Person) -> None:
    other = person(db, "李四")
    record = typo_record(db, officer)
    assert status(db, other, COVERAGE, MID_YEAR) == "未完成"
    done = records.update_record(db, record.id, {"身份证号": other.id_number, "姓名": "李四"},
                                 reason="导入时错记到张三")
    assert done.changed == {"人员": (f"张三（{officer.id_number}）", f"李四（{other.id_number}）")}
    assert status(db, other, COVERAGE, MID_YEAR) == "合格"
    assert status(db, officer, COVERAGE, MID_YEAR) == "未完成"


def test_saving_the_same_values_writes_no_audit_entry(db: Database, officer: Person) -> None:
    record = typo_record(db, officer)
    done = records.update_record(db, record.id, {"学时": "9.00", "培训类型": "业务知识培训"})
    assert done.changed == {} and done.after == record
    assert audit_entries(db, audit.RECORD_EDIT) == []


def test_an_unknown_record_number_is_refused(db: Database, officer: Person) -> None:
    typo_record(db, officer)
    with pytest.raises(RecordError, match="没有编号为999的外部培训记录"):
        records.update_record(db, 999, {"学时": "90"})
    with pytest.raises(RecordError, match="“十二”不是培训记录编号"):
        records.update_record(db, "十二", {"学时": "90"})


# ---- a class's record ----------------------------------------------------------------------------------

def test_a_class_record_is_refused_saying_to_change_the_class(db: Database, officer: Person) -> None:
    cls, _sessions = make_class(db, title="2026年业务知识轮训第1期")
    training.enrol(db, int(cls.id or 0), [int(officer.id or 0)])
    listed = records.listing(db, rules.active(db), id_number=officer.id_number)
    assert [r[:2] for r in listed] == [[f"班{cls.id}", "培训班"]]
    for attempt in (lambda: records.update_record(db, f"班{cls.id}", {"学时": "90"}),
                    lambda: records.delete_records(db, [f"C{cls.id}"], "重复")):
        with pytest.raises(RecordError) as refused:
            attempt()
        assert "2026年业务知识轮训第1期" in str(refused.value) and "请在“培训班”中修改该班" in str(refused.value)
    assert training.get_class(db, int(cls.id or 0)) == cls


# ---- deleting ------------------------------------------------------------------------------------------

def test_deleting_needs_a_reason_and_every_deleted_record_is_audited(db: Database, officer: Person) -> None:
    record = typo_record(db, officer)
    add_record(db, officer, "专题培训", D(2026, 4, 1), D(2026, 4, 2), hours="16", title="党校专题班")
    ids = [r.id for r in records.list_records(db)]
    assert status(db, officer, COVERAGE, MID_YEAR) == "合格"
    for reason in ("", "   "):
        with pytest.raises(RecordError, match="删除培训记录须填写原因"):
            records.delete_records(db, ids, reason)
    assert len(records.list_records(db)) == 2

    gone = records.delete_records(db, ids, "同一培训重复导入", actor="培训科王敏")

    assert [r.id for r in gone] == ids and records.list_records(db) == []
    assert status(db, officer, COVERAGE, MID_YEAR) == "未完成"  # no longer counted
    entries = audit_entries(db, audit.RECORD_DELETE)
    assert [(e.actor, e.reason, e.new) for e in entries] == [("培训科王敏", "同一培训重复导入", "")] * 2
    assert entries[0].old == (f"人员：张三（{officer.id_number}）；培训名称：全省执法业务培训班；"
                              "培训类型：业务知识培训；开始日期：2026-03-02；结束日期：2026-03-06；天数：5；学时：9；"
                              "是否结业：是；主办单位：")
    assert entries[0].detail == record.label()
    assert audit.verify(db) is None


def test_a_delete_naming_one_unknown_record_deletes_none(db: Database, officer: Person) -> None:
    record = typo_record(db, officer)
    with pytest.raises(RecordError) as refused:
        records.delete_records(db, [record.id, 404], "重复")
    assert refused.value.lines == ["没有编号为404的外部培训记录"]
    assert records.list_records(db) == [record] and audit_entries(db, audit.RECORD_DELETE) == []


# ---- importing a corrected file again ------------------------------------------------------------------

def table(rows: Sequence[Sequence[object]]) -> RawTable:
    return RawTable(list(RECORD_HEADERS), [(i + 2, list(r)) for i, r in enumerate(rows)])


def test_a_corrected_file_updates_the_matching_records_with_update(db: Database, officer: Person) -> None:
    other = person(db, "李四")
    first = [record_row(officer, "业务知识培训", D(2026, 3, 2), D(2026, 3, 6), hours="9", title="全省执法业务培训班"),
             record_row(other, "专题培训", D(2026, 4, 1), D(2026, 4, 2), hours="16", title="党校专题班")]
    assert records.apply_records(db, records.plan_records(db, table(first))) == 2
    corrected = [record_row(officer, "业务知识培训", D(2026, 3, 2), D(2026, 3, 6), hours="90",
                            title="全省执法业务培训班"), first[1],
                 record_row(officer, "专题培训", D(2026, 5, 6), D(2026, 5, 6), hours="8", title="新增的一期")]

    refused = records.plan_records(db, table(corrected))  # the default is unchanged: a stored record is refused
    assert [str(p) for p in refused.problems] == [
        "第2行 培训名称: 该记录已存在（同一人、同一培训名称、同一开始日期）",
        "第3行 培训名称: 该记录已存在（同一人、同一培训名称、同一开始日期）"]

    plan = records.plan_records(db, table(corrected), update=True)
    assert plan.ok and [(r.row, r.action) for r in plan.rows] == [(2, UPDATED), (3, UNCHANGED), (4, NEW)]
    assert plan.summary() == "新增 1 条，更新 1 条，未变 1 条"
    assert records.apply_records(db, plan, actor="培训科王敏") == 2
    assert status(db, officer, ANNUAL, MID_YEAR) == "合格"
    assert sorted((r.fields.title, r.fields.hours) for r in records.list_records(db)) == [
        ("党校专题班", Decimal(16)), ("全省执法业务培训班", Decimal(90)), ("新增的一期", Decimal(8))]
    (entry,) = audit_entries(db, audit.RECORD_EDIT)
    assert (entry.actor, entry.old, entry.new, entry.reason) == ("培训科王敏", "学时：9", "学时：90", "重新导入更正")
    assert entry.detail.endswith("（第2行）")


def test_a_re_import_is_one_transaction(db: Database, officer: Person, monkeypatch: pytest.MonkeyPatch) -> None:
    record = typo_record(db, officer)
    plan = records.plan_records(db, table([
        record_row(officer, "业务知识培训", D(2026, 3, 2), D(2026, 3, 6), hours="90", title="全省执法业务培训班"),
        record_row(officer, "专题培训", D(2026, 5, 6), D(2026, 5, 6), hours="8", title="新增的一期")]), update=True)

    def broken(*_: Any, **__: Any) -> int:
        raise OSError("磁盘已满")

    monkeypatch.setattr(audit, "append_many", broken)  # the last step of the write fails
    with pytest.raises(OSError):
        records.apply_records(db, plan)
    assert records.list_records(db) == [record]  # neither the update nor the new record was kept


def test_two_rows_for_the_same_record_are_still_refused_with_update(db: Database, officer: Person) -> None:
    typo_record(db, officer)
    row = record_row(officer, "业务知识培训", D(2026, 3, 2), D(2026, 3, 6), hours="90", title="全省执法业务培训班")
    plan = records.plan_records(db, table([row, row]), update=True)
    assert [str(p) for p in plan.problems] == ["第3行 培训名称: 与第2行重复（同一人、同一培训名称、同一开始日期）"]


@pytest.mark.parametrize(("cell", "shown"), [(-8.0, "-8"), (-2.5, "-2.5"), (-8, "-8")])
def test_a_negative_number_cell_is_quoted_as_typed(db: Database, officer: Person, cell: object, shown: str) -> None:
    """Excel hands a whole number over as -8.0; the officer typed -8."""
    row = record_row(officer, "专题培训", D(2026, 5, 6), D(2026, 5, 6), hours=cell, days=cell)
    assert [str(p) for p in records.plan_records(db, table([row])).problems] == [
        f"第2行 天数: 不能为负数（{shown}）", f"第2行 学时: 不能为负数（{shown}）"]


# ---- the command line ----------------------------------------------------------------------------------

def run(capsys: Any, db_path: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def write_csv(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(RECORD_HEADERS)
        w.writerows([["" if v is None else v.isoformat() if isinstance(v, dt.date) else v for v in r] for r in rows])
    return path


def test_cli_update_corrects_a_record_and_says_what_changed(
        capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    record = typo_record(db, officer)
    code, out, err = run(capsys, db_path, "records", "update", str(record.id), "--hours", "90", "--reason", "笔误")
    assert (code, err) == (0, "")
    assert out == f"已修改外部培训记录{record.id}：张三 全省执法业务培训班（2026-03-02）：学时 9 → 90\n"
    assert status(db, officer, ANNUAL, MID_YEAR) == "合格"
    (entry,) = audit_entries(db, audit.RECORD_EDIT)
    assert entry.actor.endswith("（命令行）") and entry.reason == "笔误"
    code, out, _err = run(capsys, db_path, "records", "edit", str(record.id), "--hours", "90")
    assert (code, out) == (0, f"未修改：{record.label()}与原来相同\n")


@pytest.mark.parametrize(("args", "lines"), [
    (["--hours", "-8", "--type", "观摩"], [f"培训类型: 应为{TYPES}之一", "学时: 不能为负数（-8）"]),
    (["--completed", "结业"], ["是否结业: 应为“是”或“否”"]),
    ([], ["请指定要修改的内容，如 --hours 8（全部选项见 trainer records update --help）"]),
])
def test_cli_update_refuses_bad_input_with_exit_2_and_changes_nothing(
        capsys: Any, db: Database, db_path: Path, officer: Person, args: list[str], lines: list[str]) -> None:
    record = typo_record(db, officer)
    code, out, err = run(capsys, db_path, "records", "update", str(record.id), *args)
    assert (code, out, err.splitlines()) == (2, "", lines)
    assert only_record(db) == record


def test_cli_refuses_a_class_record_and_an_unknown_number(
        capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    cls, _ = make_class(db, title="轮训第1期")
    code, out, err = run(capsys, db_path, "records", "update", f"班{cls.id}", "--hours", "8")
    assert (code, out) == (2, "") and "培训班“轮训第1期”的记录" in err and "请在“培训班”中修改该班" in err
    assert run(capsys, db_path, "records", "delete", "7", "--reason", "x")[::2] == (2, "没有编号为7的外部培训记录\n")


def test_cli_delete_needs_a_reason_and_deletes_all_or_none(
        capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    record = typo_record(db, officer)
    assert run(capsys, db_path, "records", "delete", str(record.id)) == (
        2, "", "删除培训记录须填写原因（记入审计日志）\n")
    assert run(capsys, db_path, "records", "delete", str(record.id), "99", "--reason", "重复")[0] == 2
    assert records.list_records(db) == [record]
    code, out, err = run(capsys, db_path, "records", "delete", str(record.id), "--reason", "重复导入")
    assert (code, out, err) == (0, f"已删除{record.label()}\n", "")
    assert records.list_records(db) == []
    assert [e.reason for e in audit_entries(db, audit.RECORD_DELETE)] == ["重复导入"]


def test_cli_list_shows_the_numbers_to_edit(capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    record = typo_record(db, officer)
    person(db, "李四")
    code, out, _err = run(capsys, db_path, "records", "list", "--person", officer.id_number.lower(), "--format", "csv")
    assert code == 0 and out.splitlines() == [
        ",".join(records.LIST_COLUMNS),
        f"{record.id},外部记录,{officer.id_number},张三,全省执法业务培训班,业务知识培训,2026-03-02,2026-03-06,5,9,是,"]
    assert run(capsys, db_path, "records", "list", "--year", "2025")[1].splitlines()[1:] == []
    assert run(capsys, db_path, "records", "list", "--year", "二〇二六")[0] == 2
    assert run(capsys, db_path, "records", "list", "--person", "410402199001011234")[0] == 2


def test_cli_import_with_update_reports_new_updated_and_unchanged(
        tmp_path: Path, capsys: Any, db: Database, db_path: Path, officer: Person) -> None:
    typo_record(db, officer)
    file = write_csv(tmp_path / "更正.csv", [
        record_row(officer, "业务知识培训", D(2026, 3, 2), D(2026, 3, 6), hours="90", title="全省执法业务培训班"),
        record_row(officer, "专题培训", D(2026, 5, 6), D(2026, 5, 6), hours="8", title="新增的一期")])
    code, out, err = run(capsys, db_path, "records", "import", str(file))  # default: refused as before
    assert (code, out, err) == (2, "", "第2行 培训名称: 该记录已存在（同一人、同一培训名称、同一开始日期）\n")
    assert run(capsys, db_path, "records", "import", str(file), "--update", "--dry-run") == (
        0, "检查通过（未写入）：新增 1 条，更新 1 条，未变 0 条\n", "")
    assert len(records.list_records(db)) == 1
    assert run(capsys, db_path, "records", "import", str(file), "--update") == (
        0, "已导入：新增 1 条，更新 1 条，未变 0 条\n", "")
    assert status(db, officer, ANNUAL, MID_YEAR) == "合格"
    again = run(capsys, db_path, "records", "import", str(file), "--update")
    assert again[1] == "已导入：新增 0 条，更新 0 条，未变 2 条\n"
