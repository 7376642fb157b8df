"""The unit tree: 市局 → 科室 / 县级 → 街道（乡镇）. Shipped units come from data/units.csv."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from trainer.resources import data_file

LEVELS = ("市局", "科室", "县级", "街道")


class UnitError(ValueError):
    """A refused change to the tree; the message is for the user."""


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    parent_id: int | None
    level: str
    sort_order: int
    aliases: tuple[str, ...] = ()

    @property
    def editable(self) -> bool:
        """Users manage street/town units; the shipped levels above them stay as the bureau set them."""
        return self.level == "街道"


def seed_builtin(db: Database) -> None:
    """Insert the shipped units that are missing (by name); never touches units users changed."""
    with open(data_file("units.csv"), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with db.atomic():
        for order, row in enumerate(rows):
            existing = db.execute("SELECT id FROM units WHERE name = ?", [row["name"]]).fetchone()
            if existing:
                continue
            parent = None
            if row["parent"]:
                parent = db.execute("SELECT id FROM units WHERE name = ?", [row["parent"]]).fetchone()[0]
            cur = db.execute(
                "INSERT INTO units (name, parent_id, level, sort_order) VALUES (?, ?, ?, ?)",
                [row["name"], parent, row["level"], order],
            )
            for alias in filter(None, row["aliases"].split("|")):
                db.execute(
                    "INSERT OR IGNORE INTO unit_aliases (alias, unit_id) VALUES (?, ?)", [alias, cur.lastrowid]
                )


def all_units(db: Database) -> list[Unit]:
    """Every unit in display order: parents before children, siblings by sort order then name."""
    aliases: dict[int, list[str]] = {}
    for alias, unit_id in db.execute("SELECT alias, unit_id FROM unit_aliases ORDER BY alias"):
        aliases.setdefault(unit_id, []).append(alias)
    rows = db.execute("SELECT id, name, parent_id, level, sort_order FROM units").fetchall()
    units = [Unit(r[0], r[1], r[2], r[3], r[4], tuple(aliases.get(r[0], ()))) for r in rows]
    children: dict[int | None, list[Unit]] = {}
    for u in units:
        children.setdefault(u.parent_id, []).append(u)
    ordered: list[Unit] = []

    def walk(parent: int | None) -> None:
        for u in sorted(children.get(parent, []), key=lambda u: (u.sort_order, u.name)):
            ordered.append(u)
            walk(u.id)

    walk(None)
    return ordered


def descendants(units: Iterable[Unit], root_id: int) -> set[int]:
    """`root_id` and every unit below it."""
    by_parent: dict[int | None, list[int]] = {}
    for u in units:
        by_parent.setdefault(u.parent_id, []).append(u.id)
    found, stack = {root_id}, [root_id]
    while stack:
        for child in by_parent.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


class UnitIndex:
    """Resolves the 单位 text of a roster cell: a unit name or a registered alias."""

    def __init__(self, units: Iterable[Unit]):
        self.by_id = {u.id: u for u in units}
        self._names: dict[str, int] = {}
        for u in self.by_id.values():
            for alias in u.aliases:
                self._names[_key(alias)] = u.id
        for u in self.by_id.values():  # a real name wins over an alias
            self._names[_key(u.name)] = u.id

    @classmethod
    def load(cls, db: Database) -> UnitIndex:
        return cls(all_units(db))

    def resolve(self, text: str) -> Unit | None:
        unit_id = self._names.get(_key(text))
        return self.by_id[unit_id] if unit_id is not None else None

    def name(self, unit_id: int) -> str:
        return self.by_id[unit_id].name


def _key(text: str) -> str:
    return "".join(text.split())


def _require_street(db: Database, unit_id: int) -> Unit:
    unit = next((u for u in all_units(db) if u.id == unit_id), None)
    if unit is None:
        raise UnitError("单位不存在")
    if not unit.editable:
        raise UnitError(f"“{unit.name}”是系统内置单位，只能修改街道（乡镇）单位")
    return unit


def _check_parent(db: Database, parent_id: int) -> None:
    row = db.execute("SELECT level FROM units WHERE id = ?", [parent_id]).fetchone()
    if row is None or row[0] != "县级":
        raise UnitError("街道（乡镇）单位只能设在县（市、区）之下")


def _check_name(db: Database, name: str, own_id: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise UnitError("单位名称不能为空")
    clash = db.execute("SELECT id FROM units WHERE name = ?", [name]).fetchone()
    alias = db.execute("SELECT unit_id FROM unit_aliases WHERE alias = ?", [name]).fetchone()
    if (clash and clash[0] != own_id) or (alias and alias[0] != own_id):
        raise UnitError(f"已有名为“{name}”的单位或别名")
    return name


def add_street(db: Database, name: str, parent_id: int) -> Unit:
    with db.atomic():
        name = _check_name(db, name)
        _check_parent(db, parent_id)
        order = db.execute("SELECT COALESCE(MAX(sort_order), 0) + 1 FROM units").fetchone()[0]
        cur = db.execute(
            "INSERT INTO units (name, parent_id, level, sort_order) VALUES (?, ?, '街道', ?)",
            [name, parent_id, order],
        )
    return Unit(int(cur.lastrowid or 0), name, parent_id, "街道", order)


def rename(db: Database, unit_id: int, name: str) -> None:
    with db.atomic():
        _require_street(db, unit_id)
        name = _check_name(db, name, unit_id)
        db.execute("UPDATE units SET name = ? WHERE id = ?", [name, unit_id])


def move(db: Database, unit_id: int, parent_id: int) -> None:
    with db.atomic():
        _require_street(db, unit_id)
        _check_parent(db, parent_id)
        db.execute("UPDATE units SET parent_id = ? WHERE id = ?", [parent_id, unit_id])


def people_count(db: Database, unit_id: int) -> int:
    return int(db.execute("SELECT COUNT(*) FROM people WHERE unit_id = ?", [unit_id]).fetchone()[0])


def delete(db: Database, unit_id: int) -> None:
    with db.atomic():
        unit = _require_street(db, unit_id)
        used = people_count(db, unit_id)
        if used:
            raise UnitError(f"“{unit.name}”下还有{used}名人员，不能删除；请先将人员调整到其他单位")
        plans, classes = db.execute(
            "SELECT (SELECT COUNT(*) FROM annual_plans WHERE unit_id = :u)"
            " + (SELECT COUNT(*) FROM plan_items WHERE organiser_unit_id = :u),"
            " (SELECT COUNT(*) FROM classes WHERE organiser_unit_id = :u)", {"u": unit_id}).fetchone()
        if plans or classes:
            raise UnitError(f"“{unit.name}”已用于{plans}项培训计划、{classes}个培训班，不能删除")
        db.execute("DELETE FROM units WHERE id = ?", [unit_id])


def set_aliases(db: Database, unit_id: int, aliases: Iterable[str]) -> None:
    """Replace a unit's aliases (names a roster may use for it)."""
    with db.atomic():
        db.execute("DELETE FROM unit_aliases WHERE unit_id = ?", [unit_id])
        for alias in dict.fromkeys(a.strip() for a in aliases if a.strip()):
            _check_name(db, alias, unit_id)
            db.execute("INSERT INTO unit_aliases (alias, unit_id) VALUES (?, ?)", [alias, unit_id])
