"""Everyone's training records and the register, kept while the database is unchanged.

Reading the records of 50,000 people (a million attendance marks) and the people themselves is most of
the dashboard's work, and changing the year or the as-of date changes neither. The key notices any change:
SQLite's `data_version` moves when another connection commits, `total_changes` when this one writes, and
the rule set decides credited hours and completion.
"""

from __future__ import annotations

import threading

from sqlite_utils import Database

from trainer import people, records
from trainer.people import Person
from trainer.records import TrainingRecord
from trainer.rules import RuleSet

Records = dict[int, list[TrainingRecord]]


def data_stamp(db: Database) -> tuple[int, int]:
    return int(db.execute("PRAGMA data_version").fetchone()[0]), int(db.conn.total_changes)


class RecordCache:
    """`get` returns `records.by_person(db, rules)` for the whole register and `register` returns
    `people.all_people(db)`, each read again only after a change.

    The lists are shared between callers: treat them as read-only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[int, tuple[int, int], RuleSet] | None = None
        self._records: Records = {}
        self._people_key: tuple[int, tuple[int, int]] | None = None
        self._people: list[Person] = []

    def get(self, db: Database, rules: RuleSet) -> Records:
        with self._lock:
            key = (id(db.conn), data_stamp(db), rules)
            if key != self._key:
                self._records = records.by_person(db, rules)
                self._key = key
            return self._records

    def register(self, db: Database) -> list[Person]:
        with self._lock:
            key = (id(db.conn), data_stamp(db))
            if key != self._people_key:
                self._people = people.all_people(db)
                self._people_key = key
            return self._people

    def clear(self) -> None:
        with self._lock:
            self._key, self._records = None, {}
            self._people_key, self._people = None, []
