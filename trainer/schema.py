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


@migrations(name="m003_training")
def m003_training(db: Database) -> None:
    # Hours and days are stored as integers in hundredths (学时 × 100, 天 × 100) and money in fen, so SQL
    # sums stay exact; services turn them into Decimal. Dates are ISO text.
    db.executescript(
        """
        CREATE TABLE rule_sets (
            id INTEGER PRIMARY KEY,
            version TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            body TEXT NOT NULL,              -- JSON: thresholds, each with its source text
            created_at TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE training_bases (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('党校', '行政学院', '高校', '自办', '其他')),
            address TEXT NOT NULL DEFAULT '',
            contact TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE annual_plans (
            id INTEGER PRIMARY KEY,
            unit_id INTEGER NOT NULL REFERENCES units(id),
            year INTEGER NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT '草稿' CHECK (status IN ('草稿', '已发布')),
            note TEXT NOT NULL DEFAULT '',
            UNIQUE (unit_id, year)
        );
        CREATE TABLE plan_items (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES annual_plans(id) ON DELETE CASCADE,
            title TEXT NOT NULL,
            type TEXT NOT NULL,
            audience TEXT NOT NULL DEFAULT '{}',  -- JSON: categories, leaders, recruits, unit ids
            planned_month INTEGER,
            start_date TEXT,
            end_date TEXT,
            days_x100 INTEGER NOT NULL DEFAULT 0,
            hours_x100 INTEGER NOT NULL DEFAULT 0,
            base_id INTEGER REFERENCES training_bases(id),
            organiser_unit_id INTEGER REFERENCES units(id),
            budget_fen INTEGER NOT NULL DEFAULT 0,
            planned_people INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT '计划' CHECK (status IN ('计划', '进行中', '已完成', '已取消')),
            sort_order INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE classes (
            id INTEGER PRIMARY KEY,
            plan_item_id INTEGER REFERENCES plan_items(id) ON DELETE SET NULL,
            title TEXT NOT NULL,
            type TEXT NOT NULL,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            base_id INTEGER REFERENCES training_bases(id),
            organiser_unit_id INTEGER REFERENCES units(id),
            capacity INTEGER NOT NULL DEFAULT 0,
            pass_mark_x100 INTEGER,          -- NULL: no assessment, everyone passes
            status TEXT NOT NULL DEFAULT '筹备' CHECK (status IN ('筹备', '进行中', '已结束')),
            note TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE class_sessions (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            date TEXT NOT NULL,
            start_time TEXT NOT NULL DEFAULT '',
            end_time TEXT NOT NULL DEFAULT '',
            topic TEXT NOT NULL,
            teacher TEXT NOT NULL DEFAULT '',
            hours_x100 INTEGER NOT NULL,
            mode TEXT NOT NULL DEFAULT '理论' CHECK (mode IN ('理论', '实操', '线上'))
        );
        CREATE INDEX class_sessions_class ON class_sessions(class_id);
        CREATE TABLE enrolments (
            id INTEGER PRIMARY KEY,
            class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES people(id),
            score_x100 INTEGER,
            override_completed INTEGER,      -- NULL: computed; 0/1: the officer decided
            override_reason TEXT NOT NULL DEFAULT '',
            UNIQUE (class_id, person_id)
        );
        CREATE INDEX enrolments_person ON enrolments(person_id);
        CREATE TABLE attendance (
            session_id INTEGER NOT NULL REFERENCES class_sessions(id) ON DELETE CASCADE,
            person_id INTEGER NOT NULL REFERENCES people(id),
            status TEXT NOT NULL CHECK (status IN ('出勤', '迟到', '早退', '请假', '缺勤')),
            PRIMARY KEY (session_id, person_id)
        ) WITHOUT ROWID;
        CREATE INDEX attendance_person ON attendance(person_id);
        CREATE TABLE external_records (
            id INTEGER PRIMARY KEY,
            person_id INTEGER NOT NULL REFERENCES people(id),
            title TEXT NOT NULL,
            type TEXT NOT NULL,
            start_date TEXT NOT NULL,
            end_date TEXT NOT NULL,
            days_x100 INTEGER NOT NULL,
            hours_x100 INTEGER NOT NULL,
            completed INTEGER NOT NULL,
            organiser TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL,
            UNIQUE (person_id, title, start_date)
        );
        CREATE INDEX external_records_person ON external_records(person_id);
        """
    )
