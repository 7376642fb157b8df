"""The schema, as an ordered list of sqlite-utils migrations.

Never edit a migration that has shipped: add a new one. `tests/test_storage.py` opens a database
made by the first version and checks it is carried forward.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("trainer")


@migrations(name="m001_register")
def m001_register(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            parent_id INTEGER REFERENCES units(id),
            level TEXT NOT NULL CHECK (level IN ('市局', '科室', '县级', '街道')),
            sort_order INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE unit_aliases (
            alias TEXT PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE
        );
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            gender TEXT NOT NULL CHECK (gender IN ('男', '女')),
            id_number TEXT NOT NULL UNIQUE,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            category TEXT NOT NULL CHECK (category IN ('执法人员', '协管人员')),
            position TEXT NOT NULL DEFAULT '',
            is_leader INTEGER NOT NULL DEFAULT 0,
            leader_since TEXT,
            hire_date TEXT NOT NULL,
            card_number TEXT NOT NULL DEFAULT '',
            card_expiry TEXT,
            post_status TEXT NOT NULL DEFAULT '在岗',
            phone TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX people_unit ON people(unit_id);
        CREATE TABLE person_history (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            old_value TEXT NOT NULL DEFAULT '',
            new_value TEXT NOT NULL DEFAULT '',
            effective_date TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX person_history_person ON person_history(person_id);
        """
    )


@migrations(name="m002_settings_and_timestamps")
def m002_settings_and_timestamps(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        ALTER TABLE people ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
        ALTER TABLE people ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
        CREATE INDEX people_name ON people(name);
        """
    )
