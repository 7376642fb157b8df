"""Helpers for the training tests: people on the register, training records and classes, and each
person's compliance rows, built through the same services the window and the CLI use."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from sqlite_utils import Database

from trainer import compliance, idnumber, people, records, rules, training, units
from trainer.compliance import CheckResult
from trainer.people import Person
from trainer.tabular import RawTable

D = dt.date
HIRED = D(2015, 7, 1)
CARD_VALID_UNTIL = D(2030, 12, 31)
CLASS_DAY = D(2026, 3, 2)


def unit_id(db: Database, name: str) -> int:
    unit = units.UnitIndex.load(db).resolve(name)
    assert unit is not None, name
    return unit.id


def id_number(seq: int) -> str:
    """A valid ID number, different for each seq ≥ 0 and increasing with it."""
    return idnumber.make("410402", D(1985, 1, 1) + dt.timedelta(days=seq // 500), seq % 500, "男")


_next_seq = [1000]


def person(db: Database, name: str = "", *, unit: str = "新华区", category: str = "执法人员",
           hire: dt.date = HIRED, leader_since: dt.date | None = None, card: str | None = None,
           card_expiry: dt.date | None = CARD_VALID_UNTIL, post_status: str = "在岗", seq: int | None = None) -> Person:
    """A person saved on the register: by default an officer of 新华区, hired 2015, with a valid card."""
    if seq is None:
        _next_seq[0] += 1
        seq = _next_seq[0]
    officer = category == "执法人员"
    if card is None:
        card = f"豫41{100000 + seq}" if officer and card_expiry is not None else ""
    return people.save(db, Person(
        id=None, name=name or f"学员{seq}", gender="男", id_number=id_number(seq), unit_id=unit_id(db, unit),
        category=category, position="中队长" if leader_since else "科员", is_leader=leader_since is not None,
        leader_since=leader_since, hire_date=hire, card_number=card if officer else "",
        card_expiry=card_expiry if officer else None, post_status=post_status, phone=""))


RECORD_HEADERS = ["身份证号", "姓名", "培训名称", "培训类型", "开始日期", "结束日期", "天数", "学时", "是否结业",
                  "主办单位"]


def record_row(p: Person, kind: str, start: dt.date, end: dt.date, *, hours: object = "0", days: object = None,
               completed: bool = True, title: str | None = None, organiser: str = "") -> list[object]:
    return [p.id_number, p.name, title or f"{kind}{start.isoformat()}", kind, start, end, days, hours,
            "是" if completed else "否", organiser]


def add_record(db: Database, p: Person, kind: str, start: dt.date, end: dt.date, *, hours: object = "0",
               days: object = None, completed: bool = True, title: str | None = None) -> None:
    """One external training record, through the records import (plan, then apply)."""
    table = RawTable(RECORD_HEADERS, [(2, record_row(p, kind, start, end, hours=hours, days=days,
                                                     completed=completed, title=title))])
    plan = records.plan_records(db, table)
    assert plan.ok, [str(x) for x in plan.problems]
    assert records.apply_records(db, plan) == 1


def checks(db: Database, p: Person, as_of: dt.date) -> dict[str, CheckResult]:
    """This person's compliance rows on `as_of`, by check."""
    rows = compliance.evaluate(db, rules.active(db), as_of, person_ids=[int(p.id or 0)])
    by_check = {r.check: r for r in rows}
    assert len(by_check) == len(rows), "one row per check"
    return by_check


def status(db: Database, p: Person, check: str, as_of: dt.date) -> str | None:
    """The status of one check, or None when the check does not apply to this person."""
    row = checks(db, p, as_of).get(check)
    return row.status if row else None


def make_class(db: Database, kind: str = "业务知识培训", start: dt.date = CLASS_DAY, end: dt.date | None = None,
               *, session_hours: Sequence[str] = ("4",), status: str = "已结束", pass_mark: str | None = None,
               capacity: int = 0, title: str = "") -> tuple[training.TrainingClass, list[training.Session]]:
    """A class with one session per entry of `session_hours`, on consecutive days from `start`, wrapping
    round to `start` when the class is shorter than the list."""
    end = end or start
    c = training.save_class(db, training.TrainingClass(
        None, title or f"{kind}班{start.isoformat()}", kind, start, end, capacity=capacity,
        pass_mark=Decimal(pass_mark) if pass_mark is not None else None, status=status))
    span = (end - start).days + 1
    saved = [training.save_session(db, training.Session(None, int(c.id or 0), start + dt.timedelta(days=i % span),
                                                       f"第{i + 1}课", Decimal(h)))
             for i, h in enumerate(session_hours)]
    return c, saved


def count_rows(db_path: Path, table: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()
