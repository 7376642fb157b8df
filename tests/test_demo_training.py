"""As someone trying Trainer for the first time I run `trainer demo` and find a year of training to look
at: plans, finished classes with sessions, attendance and results, external records — and a compliance
picture with every kind of status, so the dashboard, personal files and certificates have something to
show. The demo is fixed to 2026-11-25 here (conftest's DEMO_DAY).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from conftest import DEMO_DAY
from sqlite_utils import Database

from trainer import class_summary, compliance, demo, plans, records, rules, training
from trainer.compliance import CHECKS
from trainer.db import open_db


def test_finished_classes_have_sessions_attendance_and_results(demo_db: Database) -> None:
    classes = training.list_classes(demo_db)
    finished = [c for c in classes if c.status == "已结束"]
    assert len(finished) >= 5
    assert {c.type for c in finished} >= {"初任培训", "任职培训", "业务知识培训", "协管人员培训"}
    for c in finished:
        assert c.end_date < DEMO_DAY
        ss = training.sessions(demo_db, int(c.id or 0))
        assert ss and all(c.start_date <= s.date <= c.end_date for s in ss)
        assert training.enrolled_ids(demo_db, int(c.id or 0))
        assert any(training.attendance(demo_db, int(s.id or 0)) for s in ss)
    outcomes = training.outcomes(demo_db, rules.active(demo_db), finished_only=True)
    completed = Counter(o.completed for o in outcomes)
    assert completed[True] > completed[False] > 0, completed
    assert any(not o.leave_ok for o in outcomes), "some miss more than 1/7"
    assert any(not o.passed for o in outcomes), "some fail the assessment"


def test_class_statuses_follow_the_demo_day_and_no_attendance_is_in_the_future(demo_db: Database) -> None:
    for c in training.list_classes(demo_db):
        assert c.status == training.class_status_for(DEMO_DAY, c), c.title
    future = demo_db.execute(
        "SELECT COUNT(*) FROM attendance a JOIN class_sessions s ON s.id = a.session_id WHERE s.date >= ?",
        [DEMO_DAY.isoformat()]).fetchone()[0]
    assert future == 0
    summary = {s.cls.id: s for s in class_summary.summaries(demo_db)}
    assert all((s.completed is None) == (s.cls.status != "已结束") for s in summary.values())


def test_external_records_exist_for_this_and_earlier_years(demo_db: Database) -> None:
    external = records.external_records(demo_db)
    assert external
    years = {r.end_date.year for r in external}
    assert DEMO_DAY.year in years and any(y < DEMO_DAY.year for y in years)
    assert {r.type for r in external} >= {"初任培训", "任职培训"}
    assert all(r.end_date <= DEMO_DAY and r.completed for r in external)
    by_person = records.by_person(demo_db, rules.active(demo_db))
    sources = Counter(r.source for recs in by_person.values() for r in recs)
    assert sources["培训班"] > 0 and sources["外部记录"] == len(external)


def test_compliance_shows_a_mix_of_statuses(demo_db: Database) -> None:
    results = compliance.evaluate(demo_db, rules.active(demo_db), DEMO_DAY)
    assert {r.check for r in results} == set(CHECKS)
    per_check = {check: Counter(r.status for r in results if r.check == check) for check in CHECKS}
    for check, statuses in per_check.items():
        assert len(statuses) >= 2, (check, statuses)
        assert statuses["合格"] > 0, (check, statuses)
    assert per_check["初任培训"]["逾期"] > 0 and per_check["任职培训"]["逾期"] > 0
    assert per_check["持证上岗"]["不合格"] > 0 and per_check["持证上岗"]["即将到期"] > 0
    assert per_check["年度学时"]["未完成"] > 0 and per_check["培训覆盖"]["未完成"] > 0


def test_plans_for_this_year_and_last_with_classes_against_them(demo_db: Database) -> None:
    by_year = {p.year: p for p in plans.plans(demo_db)}
    assert set(by_year) >= {DEMO_DAY.year, DEMO_DAY.year - 1}
    this_year = plans.plan_vs_actual(demo_db, int(by_year[DEMO_DAY.year].id or 0))
    assert len(this_year) == 7
    assert sum(x.classes for x in this_year) > 0
    assert sum(x.completed for x in this_year) > 0
    assert all(x.completed <= x.enrolled for x in this_year)
    assert len(plans.bases(demo_db)) == 4


def test_the_demo_is_the_same_for_the_same_seed_and_day(demo_db: Database, tmp_path: Path) -> None:
    other = open_db(tmp_path / "again.db")
    try:
        demo.generate(other, 300, seed=7, today=DEMO_DAY)

        def picture(db: Database) -> list[tuple[str, str, str, dt.date | None]]:
            return [(r.id_number, r.check, r.status, r.due)
                    for r in compliance.evaluate(db, rules.active(db), DEMO_DAY)]

        assert picture(other) == picture(demo_db)
    finally:
        other.close()
