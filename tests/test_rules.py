"""As the bureau I can change a threshold of the rule set without a new release: every threshold carries
its source text, a change is saved as a new active version and the old one stays in the history, and
compliance follows the active version. Bad values are refused with a Chinese reason.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from sqlite_utils import Database
from training_support import D, add_record, checks, make_class, person, status

from trainer import compliance, rules, training
from trainer.compliance import ANNUAL, APPOINTMENT, CARD, INITIAL
from trainer.rules import RuleError

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_threshold_of_the_shipped_rule_set_has_a_label_and_a_source() -> None:
    shipped = rules.shipped_default()
    keys = {t.key for t in shipped.thresholds}
    assert {"start_date", "initial_min_days", "appointment_min_days", "annual_min_hours", "annual_min_days",
            "card_warning_days", "leave_max_fraction", "leave_statuses"} <= keys
    assert {f"credit_{s}" for s in rules.ATTENDANCE_STATUSES} <= keys
    for t in shipped.thresholds:
        assert t.label.strip() and CJK.search(t.label), t.key
        assert t.source.strip() and CJK.search(t.source), t.key
        assert rules.validate(t.key, t.value) == t.value, t.key
    assert shipped.version and shipped.version in shipped.label()


def test_the_shipped_defaults_are_those_of_the_design() -> None:
    r = rules.shipped_default()
    assert r.start_date == D(2021, 6, 6)
    assert (r.decimal("initial_min_days"), r.decimal("appointment_min_days")) == (12, 15)
    assert (r.decimal("annual_min_hours"), r.decimal("annual_min_days")) == (90, 12)
    assert r.card_warning_days == 90
    assert r.leave_max_fraction == Fraction(1, 7)
    assert r.leave_statuses == ("请假", "缺勤")
    assert [r.credit(s) for s in rules.ATTENDANCE_STATUSES] == [1, 1, 1, 0, 0]
    assert "《公务员培训规定》" in next(t.source for t in r.thresholds if t.key == "initial_min_days")


def test_the_default_is_installed_on_first_use(db: Database) -> None:
    assert rules.history(db) == []
    assert rules.active(db) == rules.shipped_default()
    assert [(v, a) for v, _, a in rules.history(db)] == [(rules.shipped_default().version, True)]


def test_a_change_is_a_new_active_version_and_the_old_one_stays_in_history(db: Database) -> None:
    old = rules.active(db)
    new = rules.save_changes(db, {"annual_min_hours": " 60 "})
    assert new.version != old.version
    assert rules.active(db) == new
    assert new.decimal("annual_min_hours") == 60
    assert [(v, a) for v, _, a in rules.history(db)] == [(new.version, True), (old.version, False)]
    unchanged = [t for t in new.thresholds if t.key != "annual_min_hours"]
    assert unchanged == [t for t in old.thresholds if t.key != "annual_min_hours"]
    changed = next(t for t in new.thresholds if t.key == "annual_min_hours")
    assert changed.source == next(t.source for t in old.thresholds if t.key == "annual_min_hours")
    again = rules.save_changes(db, {"annual_min_hours": "90"}, name="本局2027年规则")
    assert (again.name, len(rules.history(db))) == ("本局2027年规则", 3)
    assert len({v for v, _, _ in rules.history(db)}) == 3


def test_saving_unchanged_values_stores_nothing(db: Database) -> None:
    current = rules.active(db)
    assert rules.save_changes(db, {"annual_min_hours": "90", "leave_max_fraction": "1/7"}) == current
    assert len(rules.history(db)) == 1


@pytest.mark.parametrize(("key", "value", "message"), [
    ("annual_min_hours", "-1", "非负"),
    ("annual_min_hours", "九十", "不是有效的取值"),
    ("annual_min_hours", "Infinity", "不是有效的取值"),
    ("annual_min_hours", "NaN", "不是有效的取值"),
    ("annual_min_hours", "90.125", "两位小数"),
    ("initial_min_days", "", "不是有效的取值"),
    ("credit_迟到", "1.5", "不超过1"),
    ("credit_迟到", "-0.5", "非负"),
    ("credit_迟到", "0.333", "两位小数"),
    ("leave_max_fraction", "1", "0与1之间"),
    ("leave_max_fraction", "1/0", "不是有效的取值"),
    ("leave_max_fraction", "七分之一", "不是有效的取值"),
    ("leave_statuses", "请假,旷课", "未知的考勤状态：旷课"),
    ("card_warning_days", "-1", "不能为负"),
    ("card_warning_days", "90.5", "不是有效的取值"),
    ("start_date", "2021-02-30", "不是有效的取值"),
    ("start_date", "2021/06/06", "不是有效的取值"),
    ("start_date", "20210606", "不是有效的取值"),
    ("annual_min_days", "1e400", "不是有效的取值"),
    ("no_such_rule", "1", "未知的规则项"),
])
def test_invalid_values_are_refused_with_a_chinese_reason_and_nothing_is_saved(
        db: Database, key: str, value: str, message: str) -> None:
    before = rules.active(db)
    with pytest.raises(RuleError, match=message) as caught:
        rules.save_changes(db, {key: value})
    assert CJK.search(str(caught.value))
    assert rules.active(db) == before and len(rules.history(db)) == 1


def test_a_refused_value_among_good_ones_saves_none_of_them(db: Database) -> None:
    with pytest.raises(RuleError):
        rules.save_changes(db, {"annual_min_hours": "60", "card_warning_days": "很多"})
    assert rules.active(db).decimal("annual_min_hours") == 90


# ---- compliance follows the active rule set ----------------------------------------------------------

def test_annual_hours_follow_a_lowered_threshold(db: Database) -> None:
    officer = person(db)
    add_record(db, officer, "业务知识培训", D(2026, 3, 2), D(2026, 3, 4), hours="60")
    assert status(db, officer, ANNUAL, D(2026, 6, 30)) == "未完成"
    rules.save_changes(db, {"annual_min_hours": "60"})
    row = checks(db, officer, D(2026, 6, 30))[ANNUAL]
    assert row.status == "合格" and "要求60学时" in row.note


def test_annual_days_initial_and_appointment_days_follow_the_rule_set(db: Database) -> None:
    recruit = person(db, hire=D(2025, 3, 10), leader_since=D(2025, 9, 1))
    add_record(db, recruit, "初任培训", D(2025, 6, 2), D(2025, 6, 11), hours="10")  # 10 days
    add_record(db, recruit, "任职培训", D(2025, 9, 1), D(2025, 9, 10), hours="10")  # 10 days
    add_record(db, recruit, "专题培训", D(2026, 3, 2), D(2026, 3, 11), hours="10")  # 10 days this year
    as_of = D(2026, 6, 30)
    before = checks(db, recruit, as_of)
    assert [before[c].status for c in (INITIAL, APPOINTMENT)] == ["逾期", "未完成"]
    assert before[ANNUAL].status == "未完成"
    rules.save_changes(db, {"initial_min_days": "10", "appointment_min_days": "10", "annual_min_days": "10"})
    after = checks(db, recruit, as_of)
    assert [after[c].status for c in (INITIAL, APPOINTMENT, ANNUAL)] == ["合格", "合格", "合格"]


def test_card_warning_window_follows_the_rule_set(db: Database) -> None:
    officer = person(db, card_expiry=D(2026, 8, 1))
    assert status(db, officer, CARD, D(2026, 6, 30)) == "即将到期"
    rules.save_changes(db, {"card_warning_days": "30"})
    assert status(db, officer, CARD, D(2026, 6, 30)) == "合格"
    assert status(db, officer, CARD, D(2026, 7, 2)) == "即将到期"


def test_a_later_start_date_takes_earlier_recruits_out_of_initial_training(db: Database) -> None:
    recruit = person(db, hire=D(2023, 3, 1))
    assert INITIAL in checks(db, recruit, D(2026, 6, 30))
    rules.save_changes(db, {"start_date": "2023-03-02"})
    assert INITIAL not in checks(db, recruit, D(2026, 6, 30))


def test_a_changed_threshold_is_judged_on_the_exact_boundary(db: Database) -> None:
    """The changed value is a Decimal threshold, not a float: 60.5 学时 passes 60.5 and 60.49 does not."""
    rules.save_changes(db, {"annual_min_hours": "60.5"})
    exact, under = person(db), person(db)
    add_record(db, exact, "业务知识培训", D(2026, 3, 2), D(2026, 3, 4), hours="60.5")
    add_record(db, under, "业务知识培训", D(2026, 3, 2), D(2026, 3, 4), hours="60.49")
    assert status(db, exact, ANNUAL, D(2026, 6, 30)) == "合格"
    assert status(db, under, ANNUAL, D(2026, 6, 30)) == "未完成"


def test_a_credit_change_reaches_compliance_through_the_class_hours(db: Database) -> None:
    officer = person(db)
    c, ss = make_class(db, start=D(2026, 3, 2), end=D(2026, 3, 4), session_hours=("30", "30", "30"))
    training.enrol(db, int(c.id or 0), [int(officer.id or 0)])
    for s, mark in zip(ss, ("出勤", "迟到", "迟到"), strict=True):
        training.set_attendance(db, int(s.id or 0), {int(officer.id or 0): mark})
    assert status(db, officer, ANNUAL, D(2026, 6, 30)) == "合格"  # 90 学时
    rules.save_changes(db, {"credit_迟到": "0.99"})
    row = checks(db, officer, D(2026, 6, 30))[ANNUAL]
    assert row.status == "未完成" and "89.4学时" in row.note


def test_evaluate_uses_the_rule_set_it_is_given(db: Database) -> None:
    officer = person(db)
    add_record(db, officer, "业务知识培训", D(2026, 3, 2), D(2026, 3, 4), hours="60")
    shipped = rules.shipped_default()
    lowered = rules.save_changes(db, {"annual_min_hours": "60"})
    as_of = dt.date(2026, 6, 30)
    assert [r.status for r in compliance.evaluate(db, shipped, as_of) if r.check == ANNUAL] == ["未完成"]
    assert [r.status for r in compliance.evaluate(db, lowered, as_of) if r.check == ANNUAL] == ["合格"]
    assert Decimal(lowered.raw("annual_min_hours")) == 60
