"""As a training officer (or a script on the office PC) I ask `trainer compliance` who is behind on a
given day and get the exact CSV the contract names: `身份证号,姓名,单位,检查项,状态,应完成日期,说明`, one
row per person and applicable check, ordered by unit — 市局 and its departments, then the county-level
units in the bureau's order, each followed by its own streets — then 身份证号, then check order.
`trainer class list` lists the classes with their totals.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from training_support import D, add_record, make_class, person

from trainer import class_summary, cli, compliance, people, rules, training, units
from trainer.compliance import CHECKS

HEADER = "身份证号,姓名,单位,检查项,状态,应完成日期,说明"
COUNTIES = ("新华区", "卫东区", "湛河区", "石龙区", "城乡一体化示范区", "高新区", "舞钢市", "汝州市", "宝丰县", "叶县",
            "鲁山县", "郏县")
AS_OF = "2026-06-30"


def run(capsys: Any, db_path: Path, *args: str) -> tuple[int, str, str]:
    code = cli.main(["--db", str(db_path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def bureau(db: Database) -> Database:
    """A few people spread over the tree; a 郏县 street is created before a 新华区 one, and ID numbers
    do not follow the order people were saved in."""
    units.add_street(db, "城关镇", units.UnitIndex.load(db).resolve("郏县").id)  # type: ignore[union-attr]
    units.add_street(db, "西市场街道", units.UnitIndex.load(db).resolve("新华区").id)  # type: ignore[union-attr]
    person(db, "郏县街道甲", unit="城关镇", seq=10)
    person(db, "郏县乙", unit="郏县", seq=12)
    person(db, "郏县甲", unit="郏县", seq=11, card_expiry=None)
    person(db, "新华街道甲", unit="西市场街道", seq=20, category="协管人员")
    person(db, "卫东甲", unit="卫东区", seq=30)
    person(db, "新华乙", unit="新华区", seq=41, hire=D(2025, 3, 10))
    person(db, "新华甲", unit="新华区", seq=40, leader_since=D(2025, 9, 1))
    person(db, "法规甲", unit="法规科", seq=50)
    person(db, "市局甲", unit="平顶山市城市管理局", seq=60)
    person(db, "离岗者", unit="新华区", seq=1, post_status="离岗")
    return db


def test_csv_has_the_exact_header_and_the_contract_order(capsys: Any, bureau: Database, db_path: Path) -> None:
    code, out, err = run(capsys, db_path, "compliance", "--as-of", AS_OF, "--format", "csv")
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == HEADER
    rows = csv_rows(out)[1:]
    assert all(len(r) == 7 for r in rows)
    people_in_order = list(dict.fromkeys((r[2], r[1]) for r in rows))
    assert people_in_order == [
        ("平顶山市城市管理局", "市局甲"), ("法规科", "法规甲"),
        ("新华区", "新华甲"), ("新华区", "新华乙"), ("西市场街道", "新华街道甲"),
        ("卫东区", "卫东甲"),
        ("郏县", "郏县甲"), ("郏县", "郏县乙"), ("城关镇", "郏县街道甲"),
    ]
    by_person: dict[str, list[str]] = {}
    for r in rows:
        by_person.setdefault(r[1], []).append(r[3])
    assert by_person["新华甲"] == ["任职培训", "年度学时", "培训覆盖", "持证上岗"]
    assert by_person["新华乙"] == ["初任培训", "年度学时", "培训覆盖", "持证上岗"]
    assert by_person["新华街道甲"] == ["培训覆盖"]
    assert "离岗者" not in by_person


def test_csv_cells_dates_and_empty_due_dates(capsys: Any, bureau: Database, db_path: Path) -> None:
    out = run(capsys, db_path, "compliance", "--as-of", AS_OF, "--format", "csv")[1]
    rows = {(r[1], r[3]): r for r in csv_rows(out)[1:]}
    no_card = rows[("郏县甲", "持证上岗")]
    assert no_card[4:6] == ["不合格", ""]
    recruit = rows[("新华乙", "初任培训")]
    assert recruit[0] == bureau.execute("SELECT id_number FROM people WHERE name = '新华乙'").fetchone()[0]
    assert recruit[4:6] == ["逾期", "2026-03-10"]
    assert rows[("卫东甲", "年度学时")][4:6] == ["未完成", "2026-12-31"]
    assert rows[("卫东甲", "持证上岗")][4:6] == ["合格", "2030-12-31"]
    assert all(r[5] == "" or dt.date.fromisoformat(r[5]) for r in rows.values())


def test_the_csv_is_what_the_service_computes(capsys: Any, bureau: Database, db_path: Path) -> None:
    out = run(capsys, db_path, "compliance", "--as-of", AS_OF, "--format", "csv")[1]
    expected = compliance.evaluate(bureau, rules.active(bureau), D(2026, 6, 30))
    assert csv_rows(out)[1:] == [r.csv_row() for r in expected]


def test_records_change_the_report(capsys: Any, bureau: Database, db_path: Path) -> None:
    recruit = next(p for p in people.all_people(bureau) if p.name == "新华乙")
    add_record(bureau, recruit, "初任培训", D(2025, 6, 2), D(2025, 6, 13), hours="96")
    out = run(capsys, db_path, "compliance", "--as-of", AS_OF, "--format", "csv")[1]
    rows = {(r[1], r[3]): r for r in csv_rows(out)[1:]}
    assert rows[("新华乙", "初任培训")][4] == "合格"
    assert rows[("新华乙", "培训覆盖")][4] == "未完成"  # that was last year


def test_unit_filter_takes_the_unit_and_its_streets_only(capsys: Any, bureau: Database, db_path: Path) -> None:
    code, out, _ = run(capsys, db_path, "compliance", "--as-of", AS_OF, "--unit", "新华区", "--format", "csv")
    assert code == 0
    assert {r[2] for r in csv_rows(out)[1:]} == {"新华区", "西市场街道"}
    street = run(capsys, db_path, "compliance", "--as-of", AS_OF, "--unit", "西市场街道", "--format", "csv")[1]
    assert {r[1] for r in csv_rows(street)[1:]} == {"新华街道甲"}
    alias = run(capsys, db_path, "compliance", "--as-of", AS_OF, "--unit", "新华区城管局", "--format", "csv")[1]
    assert alias == out


def test_a_unit_without_people_gives_just_the_header(capsys: Any, bureau: Database, db_path: Path) -> None:
    out = run(capsys, db_path, "compliance", "--as-of", AS_OF, "--unit", "湛河区", "--format", "csv")[1]
    assert out == HEADER + "\n"


def test_an_unknown_unit_is_refused(capsys: Any, bureau: Database, db_path: Path) -> None:
    code, out, err = run(capsys, db_path, "compliance", "--unit", "火星区")
    assert (code, out) == (2, "")
    assert "火星区" in err and "未知单位" in err


@pytest.mark.parametrize("bad", ["2026-13-01", "2026-02-30", "2026/06/30", "明天", "20260630", "2026-W26-2",
                                 "2026-6-30"])
def test_an_as_of_date_not_written_yyyy_mm_dd_is_refused(
        capsys: Any, bureau: Database, db_path: Path, bad: str) -> None:
    code, out, err = run(capsys, db_path, "compliance", "--as-of", bad)
    assert (code, out) == (2, "")
    assert err.startswith("--as-of:") and "YYYY-MM-DD" in err


def test_as_of_defaults_to_today(capsys: Any, bureau: Database, db_path: Path) -> None:
    today = dt.date.today().isoformat()
    implicit = run(capsys, db_path, "compliance", "--format", "csv")
    explicit = run(capsys, db_path, "compliance", "--as-of", today, "--format", "csv")
    assert implicit == explicit
    assert implicit[0] == 0 and len(csv_rows(implicit[1])) > 1


def test_json_is_a_list_of_objects_with_the_csv_columns(capsys: Any, bureau: Database, db_path: Path) -> None:
    as_csv = csv_rows(run(capsys, db_path, "compliance", "--as-of", AS_OF, "--format", "csv")[1])
    code, out, _ = run(capsys, db_path, "compliance", "--as-of", AS_OF, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [list(d) for d in data] == [HEADER.split(",")] * len(data)
    assert [list(d.values()) for d in data] == as_csv[1:]


def test_table_is_aligned_text_with_one_line_per_row(capsys: Any, bureau: Database, db_path: Path) -> None:
    n = len(csv_rows(run(capsys, db_path, "compliance", "--as-of", AS_OF, "--format", "csv")[1])) - 1
    code, out, _ = run(capsys, db_path, "compliance", "--as-of", AS_OF)
    lines = out.splitlines()
    assert code == 0 and len(lines) == n + 1
    assert lines[0].split() == HEADER.split(",")
    assert "市局甲" in lines[1]


def test_the_demo_bureau_is_ordered_by_county_then_street_then_id(
        capsys: Any, demo_db: Database, db_path: Path) -> None:
    out = run(capsys, db_path, "compliance", "--as-of", "2026-11-25", "--format", "csv")[1]
    rows = csv_rows(out)[1:]
    tree = {u.name: u for u in units.all_units(demo_db)}
    by_id = {u.id: u for u in tree.values()}

    def block(name: str) -> tuple[int, int]:
        """(0 = 市局 and departments, 1.. = county in the bureau's order; 0 = the unit itself, 1 = a street)."""
        u = tree[name]
        if u.level in ("市局", "科室"):
            return (0, 0 if u.level == "市局" else 1)
        county = u if u.level == "县级" else by_id[u.parent_id]  # type: ignore[index]
        return (COUNTIES.index(county.name) + 1, 0 if u.level == "县级" else 1)

    keys = [block(r[2]) for r in rows]
    assert keys == sorted(keys)
    assert {k[0] for k in keys} >= {0, *range(1, 13)}, "the demo has people in every county"
    runs = [name for i, name in enumerate(r[2] for r in rows) if i == 0 or rows[i - 1][2] != name]
    assert len(runs) == len(set(runs)), "each unit is one contiguous block"
    for unit in runs:
        ids = [r[0] for r in rows if r[2] == unit]
        assert ids == sorted(ids)
    for number in {r[0] for r in rows}:
        done = [r[3] for r in rows if r[0] == number]
        assert done == sorted(done, key=CHECKS.index) and len(done) == len(set(done))


# ---- class list ------------------------------------------------------------------------------------

@pytest.fixture
def with_classes(db: Database) -> Database:
    c, ss = make_class(db, "初任培训", D(2026, 4, 7), D(2026, 4, 18), session_hours=("8",) * 12, title="初任培训班")
    a, b = person(db), person(db)
    training.enrol(db, int(c.id or 0), [int(a.id or 0), int(b.id or 0)])
    for s in ss:
        training.set_attendance(db, int(s.id or 0), {int(a.id or 0): "出勤"})
    make_class(db, "专题培训", D(2026, 12, 1), D(2026, 12, 2), session_hours=("3.5", "4"), status="筹备",
               title="垃圾分类专题")
    return db


def test_class_list_csv(capsys: Any, with_classes: Database, db_path: Path) -> None:
    code, out, err = run(capsys, db_path, "class", "list", "--format", "csv")
    assert (code, err) == (0, "")
    rows = csv_rows(out)
    assert rows[0] == list(class_summary.HEADERS)
    assert [r[1:10] for r in rows[1:]] == [
        ["初任培训班", "初任培训", "2026-04-07", "2026-04-18", "12", "96", "2", "1", "已结束"],
        ["垃圾分类专题", "专题培训", "2026-12-01", "2026-12-02", "2", "7.5", "0", "", "筹备"],
    ]


def test_class_list_json_and_table(capsys: Any, with_classes: Database, db_path: Path) -> None:
    data = json.loads(run(capsys, db_path, "class", "list", "--format", "json")[1])
    assert [(d["培训班名称"], d["结业人数"]) for d in data] == [("初任培训班", "1"), ("垃圾分类专题", "")]
    assert list(data[0]) == list(class_summary.HEADERS)
    table = run(capsys, db_path, "class", "list")[1].splitlines()
    assert len(table) == 3 and table[0].split()[:3] == ["编号", "培训班名称", "培训类型"]


def test_class_list_of_an_empty_database(capsys: Any, db: Database, db_path: Path) -> None:
    assert run(capsys, db_path, "class", "list", "--format", "json")[1] == "[]\n"
