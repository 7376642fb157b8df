"""Everyone's training records and the register, kept while the database is unchanged — and the last
dashboard figures, so opening 首页 again costs nothing.

Reading the records of 50,000 people (a million attendance marks) and the people themselves is most of
the dashboard's work, and changing the year or the as-of date changes neither. The key notices any change:
SQLite's `data_version` moves when another connection commits, `total_changes` when this one writes, and
the rule set decides credited hours and completion.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from sqlite_utils import Database

from trainer import people, records
from trainer.compliance import Staff
from trainer.enrolment_hours import Marks
from trainer.people import Person
from trainer.records import RecordColumns, TrainingRecord
from trainer.rules import RuleSet

Records = dict[int, list[TrainingRecord]]


def data_stamp(db: Database) -> tuple[int, int]:
    return int(db.execute("PRAGMA data_version").fetchone()[0]), int(db.conn.total_changes)


class RecordCache:
    """`columns` returns `records.columns(db, rules)` and `staff` everyone 在岗 (`compliance.Staff`), each read
    again only after a change; `get` and `register` do the same for `records.by_person` and
    `people.all_people`. `figures` gives back what `keep_figures` kept for the same rules and as-of date, while
    the database is unchanged.

    What it returns is shared between callers: treat it as read-only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: dict[str, tuple[object, object]] = {}  # what → (key, value)

    def _read(self, what: str, key: object, read: object) -> object:
        with self._lock:
            found = self._kept.get(what)
            if found is not None and found[0] == key:
                return found[1]
        value = read() if callable(read) else read  # outside the lock: the page's reader is the only caller
        with self._lock:
            self._kept[what] = (key, value)
        return value

    def has_columns(self, db: Database, rules: RuleSet) -> bool:
        with self._lock:
            found = self._kept.get("columns")
        return found is not None and found[0] == (id(db.conn), data_stamp(db), rules)

    def columns(self, db: Database, rules: RuleSet, marks: Callable[[], Marks] | None = None) -> RecordColumns:
        """marks: `enrolment_hours.prefetch(db, Scope(finished_only=True))`, started by a caller who expects
        to need them (see has_columns)."""
        key = (id(db.conn), data_stamp(db), rules)
        value = self._read("columns", key, lambda: records.columns(db, rules) if marks is None
                           else records.columns_with(db, rules, marks))
        assert isinstance(value, RecordColumns)
        return value

    def staff(self, db: Database) -> Staff:
        value = self._read("staff", (id(db.conn), data_stamp(db)), lambda: Staff.everyone(db))
        assert isinstance(value, Staff)
        return value

    def get(self, db: Database, rules: RuleSet) -> Records:
        value = self._read("records", (id(db.conn), data_stamp(db), rules), lambda: records.by_person(db, rules))
        return value  # type: ignore[return-value]

    def register(self, db: Database) -> list[Person]:
        value = self._read("register", (id(db.conn), data_stamp(db)), lambda: people.all_people(db))
        return value  # type: ignore[return-value]

    @staticmethod
    def figures_key(db: Database, rules: RuleSet, as_of: dt.date) -> object:
        """Taken before the figures are read: a change made meanwhile shows up at the next load."""
        return id(db.conn), data_stamp(db), rules, as_of

    def figures(self, key: object) -> object | None:
        """The figures kept under this key (`figures_key`), if any."""
        with self._lock:
            found = self._kept.get("figures")
        return found[1] if found is not None and found[0] == key else None

    def keep_figures(self, key: object, figures: object) -> None:
        with self._lock:
            self._kept["figures"] = (key, figures)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
