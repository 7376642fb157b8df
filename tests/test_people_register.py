"""As HR I keep one record per person; every change of unit, post status and leader role is kept as
history with the date it took effect, and the register tells whose enforcement card needs attention."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from sqlite_utils import Database

from trainer import people
from trainer.people import DuplicateIdNumber, Person
from trainer.units import UnitIndex

TODAY = dt.date(2026, 11, 25)


def unit_id(db: Database, name: str) -> int:
    found = UnitIndex.load(db).resolve(name)
    assert found is not None
    return found.id


def officer(db: Database, **changes: object) -> Person:
    base = Person(
        id=None, name="李建国", gender="女", id_number="11010519491231002X", unit_id=unit_id(db, "新华区"),
        category="执法人员", position="科员", is_leader=False, leader_since=None, hire_date=dt.date(2010, 7, 1),
        card_number="豫41000001", card_expiry=dt.date(2028, 1, 31), post_status="在岗", phone="13800000000",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def history_rows(db: Database) -> list[tuple[object, ...]]:
    return db.execute("SELECT person_id, field, old_value, new_value, effective_date FROM person_history").fetchall()


def test_save_inserts_a_new_person(db: Database) -> None:
    saved = people.save(db, officer(db))
    assert saved.id is not None
    assert people.get(db, saved.id) == saved
    assert people.count(db) == 1
    assert people.by_id_numbers(db) == {"11010519491231002X": saved}
    assert people.history(db, saved.id) == []
    created, updated = db.execute("SELECT created_at, updated_at FROM people").fetchone()
    assert created and created == updated


def test_every_field_survives_the_round_trip(db: Database) -> None:
    leader = officer(db, is_leader=True, leader_since=dt.date(2020, 2, 29), position="中队长",
                     post_status="借调", phone="0375-2345678")
    saved = people.save(db, leader)
    assert saved.id is not None
    assert people.get(db, saved.id) == saved
    assert list(people.iter_people(db, [saved.id, 12345])) == [saved]
    assert list(people.iter_people(db)) == [saved]


@pytest.mark.parametrize(("changes", "field", "old", "new"), [
    ({"unit_id": "卫东区"}, "单位", "新华区", "卫东区"),
    ({"post_status": "借调"}, "岗位状态", "在岗", "借调"),
    ({"is_leader": True, "leader_since": dt.date(2024, 3, 1)}, "队伍负责人", "否", "是（任职日期2024-03-01）"),
])
def test_a_change_of_unit_post_or_leader_role_is_kept_with_its_effective_date(
        db: Database, changes: dict[str, object], field: str, old: str, new: str) -> None:
    saved = people.save(db, officer(db))
    assert saved.id is not None
    if "unit_id" in changes:
        changes = {**changes, "unit_id": unit_id(db, str(changes["unit_id"]))}
    effective = dt.date(2024, 3, 1)
    changed = dataclasses.replace(saved, **changes)  # type: ignore[arg-type]
    people.save(db, changed, effective=effective, source="录入", now="2024-03-05T10:00:00")
    assert [(h.field, h.old_value, h.new_value, h.effective_date, h.recorded_at, h.source)
            for h in people.history(db, saved.id)] == [(field, old, new, effective, "2024-03-05T10:00:00", "录入")]
    assert people.get(db, saved.id) == changed


def test_leaving_the_leader_role_and_a_new_appointment_date_are_history_too(db: Database) -> None:
    saved = people.save(db, officer(db, is_leader=True, leader_since=dt.date(2019, 1, 1)))
    assert saved.id is not None
    moved = people.save(db, dataclasses.replace(saved, leader_since=dt.date(2021, 6, 6)), effective=dt.date(2021, 6, 6))
    people.save(db, dataclasses.replace(moved, is_leader=False, leader_since=None), effective=dt.date(2023, 1, 1))
    assert [(h.old_value, h.new_value, h.effective_date) for h in people.history(db, saved.id)] == [
        ("是（任职日期2019-01-01）", "是（任职日期2021-06-06）", dt.date(2021, 6, 6)),
        ("是（任职日期2021-06-06）", "否", dt.date(2023, 1, 1)),
    ]


def test_history_defaults_to_today_and_lists_in_date_order(db: Database) -> None:
    saved = people.save(db, officer(db))
    assert saved.id is not None
    one = people.save(db, dataclasses.replace(saved, post_status="借调"))
    people.save(db, dataclasses.replace(one, unit_id=unit_id(db, "卫东区")), effective=dt.date(2001, 1, 1))
    entries = people.history(db, saved.id)
    assert [(h.field, h.effective_date) for h in entries] == [("单位", dt.date(2001, 1, 1)),
                                                              ("岗位状态", dt.date.today())]


def test_several_changes_at_once_give_one_row_each(db: Database) -> None:
    saved = people.save(db, officer(db))
    assert saved.id is not None
    people.save(db, dataclasses.replace(saved, unit_id=unit_id(db, "卫东区"), post_status="借调", is_leader=True,
                                        leader_since=dt.date(2024, 1, 1), phone="13900000000"), effective=TODAY)
    assert [(h.field, h.effective_date) for h in people.history(db, saved.id)] == \
        [("单位", TODAY), ("岗位状态", TODAY), ("队伍负责人", TODAY)]


def test_other_changes_are_saved_without_history(db: Database) -> None:
    saved = people.save(db, officer(db))
    assert saved.id is not None
    people.save(db, dataclasses.replace(saved, phone="0375-2345678", position="副中队长",
                                        card_expiry=dt.date(2031, 1, 1)))
    assert history_rows(db) == []
    got = people.get(db, saved.id)
    assert got is not None and (got.phone, got.position, got.card_expiry) == \
        ("0375-2345678", "副中队长", dt.date(2031, 1, 1))


def test_an_unchanged_save_writes_nothing(db: Database) -> None:
    saved = people.save(db, officer(db), now="2020-01-01T00:00:00")
    assert saved.id is not None
    again = people.save(db, dataclasses.replace(saved), now="2026-01-01T00:00:00")
    assert again == saved
    assert history_rows(db) == []
    assert db.execute("SELECT updated_at FROM people").fetchone()[0] == "2020-01-01T00:00:00"


def test_a_second_person_with_the_same_id_number_is_refused(db: Database) -> None:
    people.save(db, officer(db))
    with pytest.raises(DuplicateIdNumber, match="11010519491231002X"):
        people.save(db, officer(db, name="另一个人"))
    assert people.count(db) == 1


def test_changing_an_id_number_to_someone_elses_is_refused(db: Database) -> None:
    first = people.save(db, officer(db))
    second = people.save(db, officer(db, name="王芳", id_number="410402199001011234"[:17] + "0"))
    with pytest.raises(DuplicateIdNumber):
        people.save(db, dataclasses.replace(second, id_number=first.id_number))
    assert people.get(db, second.id or 0) == second


def test_saving_a_person_that_was_deleted_fails(db: Database) -> None:
    with pytest.raises(KeyError):
        people.save(db, officer(db, id=4242))


def test_a_failed_save_inside_a_transaction_leaves_nothing(db: Database) -> None:
    with pytest.raises(DuplicateIdNumber), db.atomic():
        people.save(db, officer(db, id_number="410402199001011230"))
        people.save(db, officer(db, name="重复"))
        people.save(db, officer(db, name="重复2"))
    assert people.count(db) == 0


@pytest.mark.parametrize(("expiry", "state"), [
    (None, "无证"),
    (TODAY - dt.timedelta(days=1), "已过期"),
    (TODAY, "即将到期"),
    (TODAY + dt.timedelta(days=1), "即将到期"),
    (TODAY + dt.timedelta(days=90), "即将到期"),
    (TODAY + dt.timedelta(days=91), "有效"),
    (TODAY + dt.timedelta(days=3650), "有效"),
])
def test_card_state_around_the_90_day_warning(db: Database, expiry: dt.date | None, state: str) -> None:
    p = officer(db, card_expiry=expiry, card_number="豫41000001" if expiry else "")
    assert p.card_state(TODAY) == state


def test_card_state_needs_both_number_and_expiry_and_knows_other_windows(db: Database) -> None:
    assert officer(db, card_number="").card_state(TODAY) == "无证"
    assert officer(db, card_expiry=None).card_state(TODAY) == "无证"
    soon = officer(db, card_expiry=TODAY + dt.timedelta(days=20))
    assert soon.card_state(TODAY, warn_days=30) == "即将到期"
    assert soon.card_state(TODAY, warn_days=10) == "有效"


def test_auxiliaries_have_no_card_state(db: Database) -> None:
    aux = officer(db, category="协管人员", card_number="", card_expiry=None)
    assert aux.card_state(TODAY) == ""


def test_same_record_ignores_only_the_database_id(db: Database) -> None:
    p = officer(db)
    assert p.same_record(dataclasses.replace(p, id=99))
    assert not p.same_record(dataclasses.replace(p, phone="13900000000"))
