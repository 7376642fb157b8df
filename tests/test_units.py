"""As a training officer I keep the street/town (街道/乡镇) units of each county up to date; the units
the bureau ships stay as they are, and a unit that still has people cannot be deleted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import pytest
from sqlite_utils import Database

from trainer import people, units
from trainer.people import Person
from trainer.units import UnitError, UnitIndex


def unit(db: Database, name: str) -> units.Unit:
    found = UnitIndex.load(db).resolve(name)
    assert found is not None, name
    return found


def someone(unit_id: int) -> Person:
    return Person(None, "张伟", "女", "11010519491231002X", unit_id, "执法人员", "", False, None, dt.date(2010, 1, 1),
                  "", None, "在岗", "")


def test_add_a_street_under_a_county(db: Database) -> None:
    xinhua = unit(db, "新华区")
    street = units.add_street(db, "  西市场街道 ", xinhua.id)
    assert (street.name, street.parent_id, street.level) == ("西市场街道", xinhua.id, "街道")
    tree = units.all_units(db)
    names = [u.name for u in tree]
    # shown right below its county, before the next county
    assert names.index("新华区") < names.index("西市场街道") < names.index("卫东区")
    assert unit(db, "西市场街道").id == street.id
    assert street.editable and not xinhua.editable


def test_rename_a_street(db: Database) -> None:
    street = units.add_street(db, "西市场街道", unit(db, "新华区").id)
    units.rename(db, street.id, "西市场街道办事处")
    index = UnitIndex.load(db)
    assert index.resolve("西市场街道") is None
    assert index.name(street.id) == "西市场街道办事处"


def test_move_a_street_to_another_county(db: Database) -> None:
    street = units.add_street(db, "焦店镇", unit(db, "新华区").id)
    units.move(db, street.id, unit(db, "湛河区").id)
    assert unit(db, "焦店镇").parent_id == unit(db, "湛河区").id


def test_delete_an_unused_street(db: Database) -> None:
    street = units.add_street(db, "焦店镇", unit(db, "新华区").id)
    units.set_aliases(db, street.id, ["焦店"])
    units.delete(db, street.id)
    assert UnitIndex.load(db).resolve("焦店镇") is None
    assert UnitIndex.load(db).resolve("焦店") is None  # its aliases went with it
    assert db.execute("SELECT COUNT(*) FROM unit_aliases WHERE alias = '焦店'").fetchone()[0] == 0


def test_a_unit_with_people_cannot_be_deleted(db: Database) -> None:
    street = units.add_street(db, "焦店镇", unit(db, "新华区").id)
    people.save(db, someone(street.id))
    with pytest.raises(UnitError) as exc:
        units.delete(db, street.id)
    assert str(exc.value) == "“焦店镇”下还有1名人员，不能删除；请先将人员调整到其他单位"
    assert UnitIndex.load(db).resolve("焦店镇") is not None
    assert units.people_count(db, street.id) == 1


@pytest.mark.parametrize("name", ["新华区", "平顶山市城市管理局", "政治处"])
def test_shipped_units_cannot_be_renamed_moved_or_deleted(db: Database, name: str) -> None:
    shipped = unit(db, name)
    message = f"“{name}”是系统内置单位，只能修改街道（乡镇）单位"
    weidong = unit(db, "卫东区").id
    changes: list[Callable[[], None]] = [
        partial(units.rename, db, shipped.id, "新名字"),
        partial(units.move, db, shipped.id, weidong),
        partial(units.delete, db, shipped.id),
    ]
    for change in changes:
        with pytest.raises(UnitError) as exc:
            change()
        assert str(exc.value) == message
    assert unit(db, name) == shipped


def test_changing_a_unit_that_does_not_exist_is_refused(db: Database) -> None:
    with pytest.raises(UnitError, match="单位不存在"):
        units.rename(db, 99999, "x")


@pytest.mark.parametrize("name", ["新华区", "示范区", "市城管局", "西市场街道", " 西市场街道 "])
def test_a_name_already_used_by_a_unit_or_an_alias_is_refused(db: Database, name: str) -> None:
    units.add_street(db, "西市场街道", unit(db, "新华区").id)
    before = units.all_units(db)
    with pytest.raises(UnitError) as exc:
        units.add_street(db, name, unit(db, "卫东区").id)
    assert str(exc.value) == f"已有名为“{name.strip()}”的单位或别名"
    assert units.all_units(db) == before


def test_renaming_onto_another_name_or_alias_is_refused_but_keeping_its_own_is_fine(db: Database) -> None:
    a = units.add_street(db, "西市场街道", unit(db, "新华区").id)
    units.add_street(db, "中兴路街道", unit(db, "新华区").id)
    for taken in ("中兴路街道", "卫东区", "示范区"):
        with pytest.raises(UnitError, match="已有名为"):
            units.rename(db, a.id, taken)
    units.rename(db, a.id, "西市场街道")  # unchanged: not a clash with itself
    assert unit(db, "西市场街道").id == a.id


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_is_refused(db: Database, name: str) -> None:
    with pytest.raises(UnitError, match="单位名称不能为空"):
        units.add_street(db, name, unit(db, "新华区").id)


@pytest.mark.parametrize("parent", ["平顶山市城市管理局", "政治处", "中兴路街道"])
def test_streets_sit_only_under_county_level_units(db: Database, parent: str) -> None:
    units.add_street(db, "中兴路街道", unit(db, "新华区").id)
    message = "街道（乡镇）单位只能设在县（市、区）之下"
    with pytest.raises(UnitError) as exc:
        units.add_street(db, "新街道", unit(db, parent).id)
    assert str(exc.value) == message
    street = units.add_street(db, "西市场街道", unit(db, "新华区").id)
    with pytest.raises(UnitError) as exc:
        units.move(db, street.id, unit(db, parent).id)
    assert str(exc.value) == message
    assert unit(db, "西市场街道").parent_id == unit(db, "新华区").id


def test_a_street_under_a_missing_parent_is_refused(db: Database) -> None:
    with pytest.raises(UnitError):
        units.add_street(db, "新街道", 99999)


def test_aliases_resolve_and_must_not_clash(db: Database) -> None:
    street = units.add_street(db, "湛河北路街道", unit(db, "新华区").id)
    units.set_aliases(db, street.id, ["湛北街道", " 湛河北路办事处 ", "湛北街道", ""])
    assert street.id == unit(db, "湛北街道").id == unit(db, "湛河北路办事处").id
    assert unit(db, "湛河北路街道").aliases == ("湛北街道", "湛河北路办事处")
    for taken in ("新华区", "示范区"):
        with pytest.raises(UnitError, match="已有名为"):
            units.set_aliases(db, street.id, [taken])
        assert unit(db, "湛河北路街道").aliases == ("湛北街道", "湛河北路办事处")  # unchanged on refusal


def test_a_roster_cell_resolves_by_name_or_alias_ignoring_spaces(db: Database) -> None:
    index = UnitIndex.load(db)
    demo_zone = index.resolve("城乡一体化示范区")
    assert demo_zone is not None
    assert index.resolve("示范区") == demo_zone
    assert index.resolve(" 示 范 区 ") == demo_zone
    assert index.resolve("不存在") is None


def test_descendants(db: Database) -> None:
    xinhua, weidong = unit(db, "新华区"), unit(db, "卫东区")
    a = units.add_street(db, "西市场街道", xinhua.id)
    b = units.add_street(db, "中兴路街道", xinhua.id)
    c = units.add_street(db, "东安路街道", weidong.id)
    tree = units.all_units(db)
    assert units.descendants(tree, xinhua.id) == {xinhua.id, a.id, b.id}
    assert units.descendants(tree, a.id) == {a.id}
    assert c.id not in units.descendants(tree, xinhua.id)
    root = tree[0]
    assert units.descendants(tree, root.id) == {u.id for u in tree}
