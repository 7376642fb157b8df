"""Compliance for 50,000 people with ~1,000,000 attendance rows vs. the same rules in plain pandas.

Both sides start from the same SQLite file and produce, per person and check, the status and due date; the
bench asserts they agree before it times anything. It also times the dashboard's data load (the figures the
首页 shows), which must stay under a second at this size.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sqlite_utils import Database

from bench.core import Result, benchmark, best_of, compare
from trainer import compliance, dashboard, demo, rules, units
from trainer.db import open_db
from trainer.record_cache import RecordCache

PEOPLE = 50_000
ATTENDANCE = 1_000_000
AS_OF = dt.date(2026, 11, 25)  # the demo's reference day: a year of classes behind it


def top_up_attendance(db: Database, target: int = ATTENDANCE, seed: int = 11) -> int:
    """Add finished 轮训 classes (5 days, 10 sessions, everyone marked) until `target` attendance rows exist.

    The demo gives ~490,000 rows for 50,000 people; the issue asks for a million."""
    rng = random.Random(seed)
    have = int(db.execute("SELECT COUNT(*) FROM attendance").fetchone()[0])
    staff = [r[0] for r in db.execute("SELECT id FROM people WHERE post_status = '在岗' ORDER BY id")]
    rng.shuffle(staff)
    year, n = AS_OF.year, 0
    with db.atomic():
        while have < target:
            n += 1
            start = dt.date(year, 7, 6) + dt.timedelta(days=7 * (n % 8))
            end = start + dt.timedelta(days=4)
            title = f"{year}年全员集中轮训第{n}期"
            cur = db.execute("INSERT INTO classes (title, type, start_date, end_date, status)"
                             " VALUES (?, ?, ?, ?, '已结束')",
                             [title, "业务知识培训", start.isoformat(), end.isoformat()])
            cid = int(cur.lastrowid or 0)
            sessions = []
            for d in range(5):
                day = (start + dt.timedelta(days=d)).isoformat()
                for t0, t1 in (("08:30", "11:30"), ("14:30", "17:30")):
                    sessions.append((cid, day, t0, t1, "依法行政专题", "周明", 400))
            db.conn.executemany("INSERT INTO class_sessions (class_id, date, start_time, end_time, topic, teacher,"
                                " hours_x100) VALUES (?, ?, ?, ?, ?, ?, ?)", sessions)
            sids = [r[0] for r in db.execute("SELECT id FROM class_sessions WHERE class_id = ?", [cid])]
            size = min(2_000, (target - have + len(sids) - 1) // len(sids))
            members = staff[(n - 1) * 2_000 % len(staff):][:size] or staff[:size]
            db.conn.executemany("INSERT INTO enrolments (class_id, person_id) VALUES (?, ?)",
                                [(cid, p) for p in members])
            marks = [(sid, p, "出勤" if (roll := rng.random()) < 0.93 else "请假" if roll < 0.98 else "缺勤")
                     for p in members for sid in sids]
            db.conn.executemany("INSERT INTO attendance (session_id, person_id, status) VALUES (?, ?, ?)", marks)
            have += len(marks)
    return have


def make_db(path: Path, people: int = PEOPLE, seed: int = 3) -> Database:
    db = open_db(path)
    demo.generate(db, people, seed=seed, today=AS_OF)
    top_up_attendance(db)
    return db


# ---- the same rules in plain pandas ----------------------------------------------------------------------

def _year_shift(dates: pd.Series, years: int) -> pd.Series:
    """Same month and day `years` later; 29 February becomes 28 February (pandas clips to the month end)."""
    return dates + pd.DateOffset(years=years)


def pandas_compliance(path: Path, ruleset: rules.RuleSet, as_of: dt.date) -> pd.DataFrame:
    """Person id, check, status and due date for every applicable check, ordered like compliance.evaluate.

    The tables are read with pandas.read_sql; outcomes per enrolment and the five checks are pandas
    operations. Notes (说明) are left out: they are text for people, not figures."""
    con = sqlite3.connect(path)
    try:
        ppl = pd.read_sql("SELECT id, id_number, name, unit_id, category, is_leader, leader_since, hire_date,"
                          " card_number, card_expiry, post_status FROM people", con)
        classes = pd.read_sql("SELECT id, type, start_date, end_date, pass_mark_x100, status FROM classes", con)
        sessions = pd.read_sql("SELECT id, class_id, hours_x100 FROM class_sessions", con)
        enrol = pd.read_sql("SELECT class_id, person_id, score_x100, override_completed FROM enrolments", con)
        att = pd.read_sql("SELECT session_id, person_id, status FROM attendance", con)
        ext = pd.read_sql("SELECT person_id, type, start_date, end_date, days_x100, hours_x100, completed"
                          " FROM external_records", con)
        order = {u.id: i for i, u in enumerate(units_tree(con))}
    finally:
        con.close()

    # Outcomes per enrolment in finished classes (unrecorded sessions count as 缺勤).
    credit_pct = {s: int(ruleset.credit(s) * 100) for s in rules.ATTENDANCE_STATUSES}
    leave = set(ruleset.leave_statuses)
    finished = classes[classes["status"] == "已结束"]
    total = sessions.groupby("class_id")["hours_x100"].sum()
    marks = att.merge(sessions, left_on="session_id", right_on="id")
    marks["credit"] = marks["hours_x100"] * marks["status"].map(credit_pct)
    marks["leave"] = marks["hours_x100"] * marks["status"].isin(leave)
    sums = marks.groupby(["class_id", "person_id"], as_index=False)[["hours_x100", "credit", "leave"]].sum()
    e = enrol[enrol["class_id"].isin(finished["id"])].merge(sums, on=["class_id", "person_id"], how="left")
    e = e.merge(finished.rename(columns={"id": "class_id"}), on="class_id")
    e[["hours_x100", "credit", "leave"]] = e[["hours_x100", "credit", "leave"]].fillna(0).astype("int64")
    e["total"] = e["class_id"].map(total).fillna(0).astype("int64")
    unrecorded = e["total"] - e["hours_x100"]
    credited = e["credit"] + unrecorded * credit_pct["缺勤"]
    missed = e["leave"] + unrecorded * int("缺勤" in leave)
    frac = ruleset.leave_max_fraction
    passed = e["pass_mark_x100"].isna() | (e["score_x100"] >= e["pass_mark_x100"])
    computed = passed & (missed * frac.denominator <= e["total"] * frac.numerator)
    completed = computed.where(e["override_completed"].isna(), e["override_completed"] == 1)
    start, end = pd.to_datetime(e["start_date"]), pd.to_datetime(e["end_date"])
    recs = pd.DataFrame({"person_id": e["person_id"], "type": e["type"], "end": end,
                         "days_x100": ((end - start).dt.days + 1) * 100,
                         "hours_x100": (credited + 50) // 100,  # half-up to hundredths of an hour
                         "completed": completed.astype(bool)})
    ext_recs = pd.DataFrame({"person_id": ext["person_id"], "type": ext["type"],
                             "end": pd.to_datetime(ext["end_date"]), "days_x100": ext["days_x100"],
                             "hours_x100": ext["hours_x100"], "completed": ext["completed"] == 1})
    recs = pd.concat([recs, ext_recs], ignore_index=True)
    stamp = pd.Timestamp(as_of)
    done = recs[recs["completed"] & (recs["end"] <= stamp)]

    # The five checks.
    staff = ppl[ppl["post_status"] == "在岗"].copy()
    staff["hire"] = pd.to_datetime(staff["hire_date"])
    staff["since"] = pd.to_datetime(staff["leader_since"])
    staff["expiry"] = pd.to_datetime(staff["card_expiry"])
    officer = staff["category"] == "执法人员"
    rule_start = pd.Timestamp(ruleset.start_date)
    year_start, year_end = pd.Timestamp(as_of.year, 1, 1), pd.Timestamp(as_of.year, 12, 31)
    parts = []

    def overdue_or_pending(due: pd.Series, late: pd.Series) -> pd.Series:
        return pd.Series(np.where(late, "逾期", "未完成"), index=due.index)

    recruits = staff[officer & (staff["hire"] >= rule_start)]
    initial = done[(done["type"] == "初任培训") & (done["days_x100"] >= int(ruleset.decimal("initial_min_days") * 100))]
    due = _year_shift(recruits["hire"], 1)
    ok = recruits["id"].isin(initial["person_id"])
    parts.append(pd.DataFrame({"person_id": recruits["id"], "check": "初任培训", "due": due,
                               "status": overdue_or_pending(due, stamp > due).where(~ok, "合格")}))

    leaders = staff[(staff["is_leader"] == 1) & staff["since"].notna() & (staff["since"] >= rule_start)]
    appointed = done[(done["type"] == "任职培训")
                     & (done["days_x100"] >= int(ruleset.decimal("appointment_min_days") * 100))]
    pairs = appointed.merge(leaders[["id", "since"]], left_on="person_id", right_on="id")
    hit = pairs.loc[pairs["end"] >= _year_shift(pairs["since"], -1), "person_id"]
    due = _year_shift(leaders["since"], 1)
    ok = leaders["id"].isin(hit)
    parts.append(pd.DataFrame({"person_id": leaders["id"], "check": "任职培训", "due": due,
                               "status": overdue_or_pending(due, stamp > due).where(~ok, "合格")}))

    this_year = done[done["end"] >= year_start]
    totals = this_year.groupby("person_id")[["hours_x100", "days_x100"]].sum()
    veterans = staff[officer & (staff["hire"] < year_start)]
    hours = veterans["id"].map(totals["hours_x100"]).fillna(0)
    days = veterans["id"].map(totals["days_x100"]).fillna(0)
    ok = (hours >= int(ruleset.decimal("annual_min_hours") * 100)) | (days >= int(ruleset.decimal("annual_min_days")
                                                                                    * 100))
    late = "逾期" if stamp >= year_end else "未完成"
    parts.append(pd.DataFrame({"person_id": veterans["id"], "check": "年度学时", "due": year_end,
                               "status": np.where(ok, "合格", late)}))

    covered = staff["id"].isin(this_year["person_id"])
    parts.append(pd.DataFrame({"person_id": staff["id"], "check": "培训覆盖", "due": year_end,
                               "status": np.where(covered, "合格", late)}))

    cards = staff[officer]
    no_card = (cards["card_number"] == "") | cards["expiry"].isna()
    expired = cards["expiry"] < stamp
    soon = cards["expiry"] <= stamp + pd.Timedelta(days=ruleset.card_warning_days)
    parts.append(pd.DataFrame({"person_id": cards["id"], "check": "持证上岗",
                               "due": cards["expiry"].where(~no_card),
                               "status": np.select([no_card, expired, soon], ["不合格", "不合格", "即将到期"],
                                                   "合格")}))

    out = pd.concat(parts, ignore_index=True).merge(
        staff[["id", "id_number", "name", "unit_id"]], left_on="person_id", right_on="id")
    out["unit_rank"] = out["unit_id"].map(order)
    out["check_rank"] = out["check"].map({c: i for i, c in enumerate(compliance.CHECKS)})
    return out.sort_values(["unit_rank", "id_number", "check_rank"], ignore_index=True)[
        ["person_id", "id_number", "name", "unit_id", "check", "status", "due"]]


def units_tree(con: sqlite3.Connection) -> list[units.Unit]:
    return units.all_units(Database(con))


def _ours(db: Database, ruleset: rules.RuleSet) -> list[tuple[int, str, str, dt.date | None]]:
    return [(r.person_id, r.check, r.status, r.due) for r in compliance.evaluate(db, ruleset, AS_OF)]


def _theirs(path: Path, ruleset: rules.RuleSet) -> list[tuple[int, str, str, dt.date | None]]:
    frame = pandas_compliance(path, ruleset, AS_OF)
    return [(int(p), c, s, None if pd.isna(d) else d.date())
            for p, c, s, d in zip(frame["person_id"], frame["check"], frame["status"], frame["due"], strict=True)]


@benchmark("compliance")
def run() -> Result:
    """Both sides read the same file (warm in the OS cache) and produce the same rows, checked first."""
    path = Path(tempfile.mkdtemp(prefix="bench-compliance-")) / "big.db"
    db = make_db(path)
    marks = int(db.execute("SELECT COUNT(*) FROM attendance").fetchone()[0])
    active = rules.active(db)
    assert _ours(db, active) == _theirs(path, active), "pandas and compliance.evaluate disagree"

    ours = best_of(3, lambda: compliance.evaluate(db, active, AS_OF))
    baseline = best_of(3, lambda: pandas_compliance(path, active, AS_OF))
    # The dashboard's data load: cold (every record read) and after a change of the as-of date (records cached).
    cold = best_of(3, lambda: dashboard.load(db, active, AS_OF.year, AS_OF))
    cache = RecordCache()
    dashboard.load(db, active, AS_OF.year, AS_OF, cache=cache)
    started = time.perf_counter()
    dashboard.load(db, active, AS_OF.year, dt.date(AS_OF.year, 6, 30), cache=cache)
    warm = time.perf_counter() - started
    db.close()
    return compare("compliance", ours, baseline, 1.5,
                   f"{PEOPLE} 人、{marks} 条考勤；首页数据加载 {cold:.2f} 秒（换截至日期、记录已缓存 {warm:.2f} 秒）")
