"""As a newcomer I explore a demo bureau that looks real: valid Pingdingshan ID numbers, streets under
every county, leaders, auxiliaries, expired and expiring cards; the same seed gives the same bureau."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from trainer import contest, contest_people, demo, draw, idnumber, people, units
from trainer.db import open_db
from trainer.person_fields import parse_person, person_cells
from trainer.units import UnitIndex

DAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def bureau(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """One demo bureau of 300 people made on DAY, shared by the tests that only read it."""
    db = open_db(tmp_path_factory.mktemp("demo") / "demo.db")
    demo.generate(db, 300, seed=7, today=DAY)
    yield db
    db.close()


def test_every_id_number_is_valid_from_pingdingshan_and_matches_the_gender(bureau: Database) -> None:
    everyone = people.all_people(bureau)
    assert len(everyone) == 300
    assert len({p.id_number for p in everyone}) == 300
    for p in everyone:
        info = idnumber.parse(p.id_number)
        assert info.area_code.startswith("4104") and info.area_code in demo.AREA_CODES
        assert info.gender == p.gender
        assert 18 <= (p.hire_date - info.birth_date).days / 365.25 <= 40


def test_streets_are_under_every_county(bureau: Database) -> None:
    tree = units.all_units(bureau)
    counties = [u for u in tree if u.level == "县级"]
    assert len(counties) == 12
    for county in counties:
        streets = [u for u in tree if u.parent_id == county.id]
        assert streets and all(s.level == "街道" for s in streets), county.name


def test_people_are_spread_over_departments_counties_and_streets(bureau: Database) -> None:
    by_id = {u.id: u for u in units.all_units(bureau)}
    levels = Counter(by_id[p.unit_id].level for p in people.all_people(bureau))
    assert levels["街道"] > levels["县级"] > 0
    assert levels["科室"] + levels["市局"] > 0


def test_leaders_have_an_appointment_date_and_every_team_has_one(bureau: Database) -> None:
    everyone = people.all_people(bureau)
    leaders = [p for p in everyone if p.is_leader]
    assert leaders
    for p in leaders:
        assert p.leader_since is not None and p.hire_date <= p.leader_since <= DAY
        assert p.category == "执法人员" and p.post_status == "在岗"
    teams = [u.id for u in units.all_units(bureau) if u.level in ("县级", "街道")]
    assert {p.unit_id for p in leaders} == set(teams)
    assert all(p.leader_since is None for p in everyone if not p.is_leader)


def test_auxiliaries_hold_no_card(bureau: Database) -> None:
    aux = [p for p in people.all_people(bureau) if p.category == "协管人员"]
    assert len(aux) > 30
    assert all(p.card_number == "" and p.card_expiry is None for p in aux)


def test_cards_expired_expiring_valid_and_missing_relative_to_the_given_day(bureau: Database) -> None:
    states = Counter(p.card_state(DAY) for p in people.all_people(bureau) if p.category == "执法人员")
    assert states["已过期"] > 0
    assert states["即将到期"] > 0
    assert states["有效"] > states["已过期"]
    assert states["无证"] > 0


def test_some_recent_recruits_and_post_statuses_other_than_on_duty(bureau: Database) -> None:
    everyone = people.all_people(bureau)
    assert all(p.hire_date <= DAY for p in everyone)
    assert any((DAY - p.hire_date).days < 365 for p in everyone)
    assert {p.post_status for p in everyone} - {"在岗"}


def test_every_demo_person_passes_the_roster_rules(bureau: Database) -> None:
    index = UnitIndex.load(bureau)
    for p in people.all_people(bureau):
        parsed, errors = parse_person(person_cells(p, index), index, today=DAY, person_id=p.id)
        assert errors == [], (p, errors)
        assert parsed == p


def _bureau(path: Path, seed: int, day: dt.date = DAY) -> list[people.Person]:
    db = open_db(path)
    try:
        demo.generate(db, 150, seed=seed, today=day)
        return people.all_people(db)
    finally:
        db.close()


def test_the_same_seed_and_day_give_the_same_bureau(tmp_path: Path) -> None:
    a = _bureau(tmp_path / "a.db", 42)
    b = _bureau(tmp_path / "b.db", 42)
    c = _bureau(tmp_path / "c.db", 43)
    assert a == b
    assert a != c


def test_the_summary_counts_what_was_written(db: Database) -> None:
    s = demo.generate(db, 120, seed=9, today=DAY)
    everyone = people.all_people(db)
    assert (s.people, s.officers, s.auxiliaries, s.leaders) == (
        120, sum(p.category == "执法人员" for p in everyone), sum(p.category == "协管人员" for p in everyone),
        sum(p.is_leader for p in everyone))
    assert s.units == len(units.all_units(db))


def test_a_small_demo_has_no_leaders_it_cannot_staff(db: Database) -> None:
    s = demo.generate(db, 10, seed=1, today=DAY)
    assert s.people == 10
    assert people.count(db) == 10


@pytest.mark.parametrize("count", [0, -1, demo.MAX_PEOPLE + 1])
def test_the_number_of_people_is_bounded(db: Database, count: int) -> None:
    with pytest.raises(ValueError, match="人数应在1到50000之间"):
        demo.generate(db, count, today=DAY)
    assert people.count(db) == 0


def test_the_demo_refuses_a_register_that_has_people(demo_db: Database) -> None:
    n = len(units.all_units(demo_db))
    with pytest.raises(ValueError, match="数据库中已有人员"):
        demo.generate(demo_db, 5, today=DAY)
    assert people.count(demo_db) == 300
    assert len(units.all_units(demo_db)) == n


def test_ensure_streets_adds_each_street_once(db: Database) -> None:
    added = demo.ensure_streets(db)
    assert added > 12
    assert demo.ensure_streets(db) == 0


def test_the_demo_contests_draw_gives_the_numbers_it_always_gave(demo_db: Database) -> None:
    # The demo's draw seed was recorded with these numbers before the draw became one step (numbers, 队号 and
    # sealed codes together): the same seed must keep giving them.
    c = contest.all_contests(demo_db)[0]
    panel = contest_people.Panel.load(demo_db, c.id)
    by_id_number = {p.id_number: p.draw_no for p in panel.competitors}
    assert len(by_id_number) == 60
    assert [by_id_number[n] for n in ("410403197502036038", "410421199703153275", "410403196904032713",
                                      "410423199201243230", "410422197812244894")] == [7, 38, 35, 26, 19]
    assert {t.name: t.team_no for t in panel.team_entries} == {
        "叶县": 1, "高新区": 2, "宝丰县": 3, "汝州市": 4, "石龙区": 5, "卫东区": 6, "郏县": 7, "鲁山县": 8,
        "城乡一体化示范区": 9, "新华区": 10, "湛河区": 11, "舞钢市": 12}
    records = draw.draws(demo_db, c.id)
    assert records[0].seed == "首届执法技能比武 2026-11-18 监督员现场抽签"
    assert all(draw.reproduce(demo_db, r.id) for r in records)


# ---- the finished contest: a newcomer can see the end of a contest ---------------------------------------------

def test_a_finished_contest_was_run_to_its_end_months_before(bureau: Database) -> None:
    from trainer import audit, contest_awards, contest_release, scoring

    first, past = contest.all_contests(bureau)
    assert first.name == "首届执法技能比武"
    assert (past.name, past.start_date, past.end_date) == ("2026年上半年岗位练兵比武", dt.date(2026, 6, 16),
                                                           dt.date(2026, 6, 16))
    panel = contest_people.Panel.load(bureau, past.id)
    items = contest.items(bureau, past.id)
    assert [(it.name, it.kind, it.blind) for it in items] == [
        ("法律法规知识测试", "个人", False), ("执法文书制作", "个人", True), ("现场执法演练", "个人", False),
        ("队列训练", "团体", False)]
    assert len(panel.competitors) == 24 and len(panel.judges) == 5 and len(panel.team_entries) == 12
    hired = {p.id: p.hire_date for p in people.all_people(bureau)}
    assert all(hired[c.person_id] <= past.start_date for c in panel.competitors)  # nobody hired after it
    # every score in, every item locked, the ranking released
    assert scoring.missing_scores(bureau, past.id) == []
    assert all(it.locked for it in items)
    assert contest_release.state(bureau, past.id).released
    # the award list the chief judge confirmed: 10 % / 20 % / 30 % of 24, rounded half up
    awards = contest_awards.awards(bureau, past.id)
    assert Counter(a.prize for a in awards) == {"一等奖": 2, "二等奖": 5, "三等奖": 7}
    assert [a.place for a in awards] == list(range(1, 15))
    # one award certificate for each winner, through the register, issued after the five working days of 公示
    # (17–24 June: 端午节 on the 19th does not count)
    certs = bureau.execute("SELECT holder_name, award, issue_date, serial FROM certificates WHERE kind = 'HJ'"
                           " ORDER BY serial").fetchall()
    assert [(c[0], c[1]) for c in certs] == [(a.name, f"平顶山市城市管理局2026年上半年岗位练兵比武 {a.prize}")
                                             for a in awards]
    assert {c[2] for c in certs} == {"2026-06-25"} and certs[0][3].startswith("PDS2026HJ00001")
    # audited like a real run, and the chain holds
    ctx = scoring.ScoringContext.load(bureau, past.id)
    slots = sum(len(scoring.expected_slots(ctx, it, c)) for it in items for c in panel.entrants(it))
    actions = Counter(r[0] for r in bureau.execute("SELECT action FROM audit_log WHERE contest_id = ?", [past.id]))
    assert actions.pop(audit.SPREAD_OVERRIDE) >= 1  # the chief judge confirmed a spread over the limit
    assert actions == {audit.CONTEST_CREATE: 1, audit.PIN_SET: 1, audit.ITEM_ADD: 4, audit.COMPETITOR_ADD: 24,
                       audit.JUDGE_ADD: 5, audit.ASSIGN: 15, audit.DRAW: 3, audit.SCORE_ENTER: slots,
                       audit.SCORE_CHANGE: 1, audit.ITEM_LOCK: 4, audit.RANKING_RELEASE: 1, audit.AWARDS_CONFIRM: 1}
    issued = {r[0] for r in bureau.execute("SELECT new_value FROM audit_log WHERE action = ?", [audit.CERT_ISSUE])}
    assert {c[3] for c in certs} <= issued
    assert audit.verify(bureau) is None


def test_the_finished_contest_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    from trainer import contest_awards

    def winners(path: Path) -> list[tuple[str, str, int]]:
        db = open_db(path)
        try:
            s = demo.generate(db, 150, seed=5, today=DAY)
            assert s.finished is not None
            return [(a.name, a.prize, a.place) for a in contest_awards.awards(db, s.finished.contest_id)]
        finally:
            db.close()

    a, b = winners(tmp_path / "a.db"), winners(tmp_path / "b.db")
    assert a and a == b


@pytest.mark.parametrize(("today", "held"), [
    (DAY, dt.date(2026, 6, 16)),
    (dt.date(2026, 8, 20), dt.date(2026, 6, 16)),    # 65 days after
    (dt.date(2026, 8, 10), dt.date(2025, 6, 16)),    # too recent this year: last year's
    (dt.date(2027, 3, 1), dt.date(2026, 6, 16)),
    (dt.date(2025, 1, 10), dt.date(2024, 6, 17)),    # 16 June 2024 was a Sunday
])
def test_the_finished_contest_is_held_on_a_working_day_months_before(today: dt.date, held: dt.date) -> None:
    from trainer import demo_contest

    assert demo_contest.finished_day(today) == held
    assert demo_contest.finished_name(held.year) == f"{held.year}年上半年岗位练兵比武"


def test_the_printed_summary_names_both_contests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from trainer import cli, demo_contest

    assert cli.main(["--db", str(tmp_path / "demo.db"), "demo", "--seed", "7"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1].startswith("技能比武：首届执法技能比武（比武编号 1，选手 60 人，裁判长PIN 2021）")
    name = demo_contest.finished_name(demo_contest.finished_day(dt.date.today()).year)  # the CLI's demo is of today
    assert out[2].startswith(f"已结束的比武：{name}（比武编号 2，选手 24 人，全部项目已锁定，排名已发布，获奖")
    assert out[2].endswith("张）")


def test_a_small_demo_holds_no_finished_contest_it_cannot_staff(db: Database) -> None:
    s = demo.generate(db, 12, seed=1, today=DAY)
    assert s.finished is None and len(contest.all_contests(db)) == (0 if s.contest is None else 1)
