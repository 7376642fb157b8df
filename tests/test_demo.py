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
