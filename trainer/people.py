"""The personnel register: people, their saved changes, and the history of unit, post and leader role."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace

from sqlite_utils import Database

from trainer.dates import from_iso, iso

CARD_WARNING_DAYS = 90


@dataclass(frozen=True)
class Person:
    id: int | None
    name: str
    gender: str
    id_number: str
    unit_id: int
    category: str
    position: str
    is_leader: bool
    leader_since: dt.date | None
    hire_date: dt.date
    card_number: str
    card_expiry: dt.date | None
    post_status: str
    phone: str

    def same_record(self, other: Person) -> bool:
        """Equal in every stored field (the id aside): a re-import of this row changes nothing."""
        return replace(self, id=None) == replace(other, id=None)

    def card_state(self, today: dt.date, warn_days: int = CARD_WARNING_DAYS) -> str:
        """'' for auxiliaries, else 无证 / 已过期 / 即将到期 / 有效."""
        if self.category != "执法人员":
            return ""
        if not self.card_number or self.card_expiry is None:
            return "无证"
        if self.card_expiry < today:
            return "已过期"
        if self.card_expiry <= today + dt.timedelta(days=warn_days):
            return "即将到期"
        return "有效"


@dataclass(frozen=True)
class HistoryEntry:
    field: str  # 单位 / 岗位状态 / 队伍负责人
    old_value: str
    new_value: str
    effective_date: dt.date
    recorded_at: str
    source: str


_COLUMNS = [f.name for f in fields(Person)]
_SELECT = "SELECT " + ", ".join(_COLUMNS) + " FROM people"


def _row_to_person(row: tuple[object, ...]) -> Person:
    (pid, name, gender, id_number, unit_id, category, position, is_leader, leader_since, hire_date,
     card_number, card_expiry, post_status, phone) = row
    return Person(
        id=int(pid),  # type: ignore[call-overload]
        name=str(name), gender=str(gender), id_number=str(id_number),
        unit_id=int(unit_id),  # type: ignore[call-overload]
        category=str(category), position=str(position), is_leader=bool(is_leader),
        leader_since=from_iso(leader_since),  # type: ignore[arg-type]
        hire_date=from_iso(hire_date) or dt.date.min,  # type: ignore[arg-type]
        card_number=str(card_number),
        card_expiry=from_iso(card_expiry),  # type: ignore[arg-type]
        post_status=str(post_status), phone=str(phone),
    )


def _values(p: Person) -> list[object]:
    return [p.name, p.gender, p.id_number, p.unit_id, p.category, p.position, int(p.is_leader),
            iso(p.leader_since) or None, iso(p.hire_date), p.card_number, iso(p.card_expiry) or None,
            p.post_status, p.phone]


def all_people(db: Database) -> list[Person]:
    return [_row_to_person(r) for r in db.execute(_SELECT + " ORDER BY id")]


def iter_people(db: Database, ids: Iterable[int] | None = None) -> Iterator[Person]:
    if ids is None:
        yield from all_people(db)
        return
    for pid in ids:
        row = db.execute(_SELECT + " WHERE id = ?", [pid]).fetchone()
        if row:
            yield _row_to_person(row)


def get(db: Database, person_id: int) -> Person | None:
    row = db.execute(_SELECT + " WHERE id = ?", [person_id]).fetchone()
    return _row_to_person(row) if row else None


def by_id_numbers(db: Database) -> dict[str, Person]:
    return {p.id_number: p for p in all_people(db)}


def count(db: Database) -> int:
    return int(db.execute("SELECT COUNT(*) FROM people").fetchone()[0])


class DuplicateIdNumber(ValueError):
    pass


def _history_changes(old: Person, new: Person, units: dict[int, str]) -> list[tuple[str, str, str]]:
    changes = []
    if old.unit_id != new.unit_id:
        changes.append(("单位", units.get(old.unit_id, ""), units.get(new.unit_id, "")))
    if old.post_status != new.post_status:
        changes.append(("岗位状态", old.post_status, new.post_status))
    if (old.is_leader, old.leader_since) != (new.is_leader, new.leader_since):
        def role(p: Person) -> str:
            return f"是（任职日期{iso(p.leader_since)}）" if p.is_leader else "否"
        changes.append(("队伍负责人", role(old), role(new)))
    return changes


def save(db: Database, person: Person, *, effective: dt.date | None = None, source: str = "录入",
         now: str | None = None) -> Person:
    """Insert (id None) or update one person; changes of unit, post and leader role go to history.

    Runs inside the caller's transaction when there is one (imports), else in its own.
    """
    now = now or dt.datetime.now().isoformat(timespec="seconds")
    with db.atomic():
        clash = db.execute("SELECT id FROM people WHERE id_number = ?", [person.id_number]).fetchone()
        if clash and clash[0] != person.id:
            raise DuplicateIdNumber(f"身份证号{person.id_number}已登记给另一人")
        if person.id is None:
            cur = db.execute(
                "INSERT INTO people (" + ", ".join(_COLUMNS[1:]) + ", created_at, updated_at) VALUES ("
                + ", ".join("?" * (len(_COLUMNS) + 1)) + ")",
                [*_values(person), now, now],
            )
            return replace(person, id=int(cur.lastrowid or 0))
        old = get(db, person.id)
        if old is None:
            raise KeyError(person.id)
        if old.same_record(person):
            return old
        units = _unit_names(db, {old.unit_id, person.unit_id})
        db.execute(
            "UPDATE people SET " + ", ".join(f"{c} = ?" for c in _COLUMNS[1:]) + ", updated_at = ? WHERE id = ?",
            [*_values(person), now, person.id],
        )
        day = effective or dt.date.today()
        for field, before, after in _history_changes(old, person, units):
            db.execute(
                "INSERT INTO person_history (person_id, field, old_value, new_value, effective_date,"
                " recorded_at, source) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [person.id, field, before, after, iso(day), now, source],
            )
        return person


def _unit_names(db: Database, ids: set[int]) -> dict[int, str]:
    marks = ", ".join("?" * len(ids))
    return {r[0]: r[1] for r in db.execute(f"SELECT id, name FROM units WHERE id IN ({marks})", list(ids))}


def history(db: Database, person_id: int) -> list[HistoryEntry]:
    rows = db.execute(
        "SELECT field, old_value, new_value, effective_date, recorded_at, source FROM person_history"
        " WHERE person_id = ? ORDER BY effective_date, id",
        [person_id],
    )
    return [HistoryEntry(r[0], r[1], r[2], dt.date.fromisoformat(r[3]), r[4], r[5]) for r in rows]


def insert_many(db: Database, persons: Iterable[Person], now: str | None = None) -> int:
    """Bulk insert of new people in one statement (demo data); the caller owns the transaction."""
    now = now or dt.datetime.now().isoformat(timespec="seconds")
    rows = [[*_values(p), now, now] for p in persons]
    db.conn.executemany(
        "INSERT INTO people (" + ", ".join(_COLUMNS[1:]) + ", created_at, updated_at) VALUES ("
        + ", ".join("?" * (len(_COLUMNS) + 1)) + ")",
        rows,
    )
    return len(rows)
