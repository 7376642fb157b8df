"""As a bureau I keep years of records in one SQLite file: it is opened safely (WAL, foreign keys),
carried forward by each new release with a backup taken first, and starts with the bureau's units."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from trainer import backup, people, schema, units
from trainer import db as storage
from trainer.db import DatabaseError, open_db

FIRST_VERSION = "m001_register"
COUNTIES = ["新华区", "卫东区", "湛河区", "石龙区", "城乡一体化示范区", "高新区", "舞钢市", "汝州市", "宝丰县", "叶县",
            "鲁山县", "郏县"]


def make_first_version_db(path: Path) -> None:
    """A database as the first release left it: schema m001 only, one unit, one person, one history row."""
    db = storage.connect(path)
    schema.migrations.apply(db, stop_before="m002_settings_and_timestamps")
    assert [m.name for m in schema.migrations.applied(db)] == [FIRST_VERSION]
    db.execute("INSERT INTO units (id, name, parent_id, level, sort_order)"
               " VALUES (1, '平顶山市城市管理局', NULL, '市局', 0)")
    db.execute("INSERT INTO units (id, name, parent_id, level, sort_order) VALUES (2, '新华区', 1, '县级', 8)")
    db.execute("INSERT INTO units (id, name, parent_id, level, sort_order) VALUES (3, '老街道', 2, '街道', 99)")
    db.execute(
        "INSERT INTO people (id, name, gender, id_number, unit_id, category, position, is_leader, leader_since,"
        " hire_date, card_number, card_expiry, post_status, phone) VALUES"
        " (7, '李建国', '男', '11010519491231002X', 3, '执法人员', '中队长', 1, '2018-05-01', '1990-07-01',"
        " '豫41000001', '2027-01-31', '在岗', '13800000000')"
    )
    db.execute(
        "INSERT INTO person_history (person_id, field, old_value, new_value, effective_date, recorded_at, source)"
        " VALUES (7, '单位', '新华区', '老街道', '2019-01-01', '2019-01-01T09:00:00', '录入')"
    )
    db.close()


def test_wal_and_foreign_keys_are_on(db: Database) -> None:
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO people (name, gender, id_number, unit_id, category, hire_date)"
            " VALUES ('无单位', '男', '11010519491231002X', 99999, '执法人员', '2020-01-01')"
        )


def test_a_new_database_has_every_migration_and_no_backup(db_path: Path) -> None:
    db = open_db(db_path)
    try:
        assert schema.migrations.pending(db) == []
        assert schema.migrations.applied(db)[0].name == FIRST_VERSION
    finally:
        db.close()
    assert not backup.backup_dir(db_path).exists()


def test_a_first_version_database_is_migrated_keeps_its_data_and_is_backed_up_first(tmp_path: Path) -> None:
    path = tmp_path / "bureau" / "trainer.db"
    path.parent.mkdir()
    make_first_version_db(path)

    db = open_db(path)
    try:
        assert schema.migrations.pending(db) == []
        person = people.get(db, 7)
        assert person is not None
        assert (person.name, person.id_number, person.is_leader, str(person.leader_since), str(person.card_expiry)) == \
            ("李建国", "11010519491231002X", True, "2018-05-01", "2027-01-31")
        assert units.UnitIndex.load(db).name(person.unit_id) == "老街道"
        assert [(h.field, h.new_value) for h in people.history(db, 7)] == [("单位", "老街道")]
        columns = {r[1] for r in db.execute("PRAGMA table_info(people)")}
        assert {"created_at", "updated_at"} <= columns
        assert "settings" in db.table_names()
        # the shipped units that were missing are added; the user's own unit stays
        names = [u.name for u in units.all_units(db)]
        assert names.count("新华区") == 1
        assert set(COUNTIES) <= set(names)
        # and the register works on the migrated file
        people.save(db, dataclasses.replace(person, phone="0375-2345678"))
        assert people.count(db) == 1
    finally:
        db.close()

    backups = list(backup.backup_dir(path).glob("*.db"))
    assert len(backups) == 1
    assert "pre-migrate" in backups[0].name
    old = sqlite3.connect(backups[0])
    try:  # the backup is the database as it was before migrating
        assert old.execute("SELECT name FROM _sqlite_migrations").fetchall() == [(FIRST_VERSION,)]
        assert old.execute("SELECT name, id_number FROM people").fetchall() == [("李建国", "11010519491231002X")]
        assert "created_at" not in {r[1] for r in old.execute("PRAGMA table_info(people)")}
    finally:
        old.close()


def test_opening_an_up_to_date_database_takes_no_backup(db_path: Path) -> None:
    open_db(db_path).close()
    open_db(db_path).close()
    assert not backup.backup_dir(db_path).exists()


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "trainer.db"
    make_first_version_db(path)

    def broken(db: object) -> None:
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    second = next(m for m in schema.migrations._migrations if m.name == "m002_settings_and_timestamps")
    monkeypatch.setattr(second, "fn", broken)
    with pytest.raises(DatabaseError):
        open_db(path)
    monkeypatch.undo()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT name FROM _sqlite_migrations").fetchall() == [(FIRST_VERSION,)]
        assert conn.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 1
    finally:
        conn.close()
    assert len(list(backup.backup_dir(path).glob("*.db"))) == 1  # taken before the attempt


def test_open_without_create_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="数据库文件不存在"):
        open_db(tmp_path / "nope.db", create=False)
    assert not (tmp_path / "nope.db").exists()


def test_a_damaged_file_is_refused_with_a_chinese_message(tmp_path: Path) -> None:
    path = tmp_path / "damaged.db"
    path.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(DatabaseError, match="无法打开数据库"):
        open_db(path)


def test_the_shipped_units_are_seeded_in_order(db: Database) -> None:
    tree = units.all_units(db)
    root = tree[0]
    assert (root.name, root.level, root.parent_id) == ("平顶山市城市管理局", "市局", None)
    assert [u.name for u in tree if u.level == "县级"] == COUNTIES
    assert all(u.parent_id == root.id for u in tree if u.level in ("县级", "科室"))
    departments = [u.name for u in tree if u.level == "科室"]
    assert "政治处" in departments and "办公室" in departments
    assert not [u for u in tree if u.level == "街道"]  # streets are the bureau's to add
    index = units.UnitIndex.load(db)
    alias = index.resolve("示范区")
    assert alias is not None and alias.name == "城乡一体化示范区"


def test_reopening_does_not_duplicate_the_shipped_units(db_path: Path) -> None:
    first = open_db(db_path)
    n = len(units.all_units(first))
    first.close()
    again = open_db(db_path)
    try:
        assert len(units.all_units(again)) == n
    finally:
        again.close()


def test_a_backup_is_a_complete_copy_even_while_the_database_is_open(db: Database, db_path: Path) -> None:
    from trainer import demo

    demo.generate(db, 20, seed=1, today=dt.date(2026, 11, 25))
    copy = backup.backup_now(db.conn, db_path, "manual")
    assert copy.parent == db_path.parent / "backups"
    other = sqlite3.connect(copy)
    try:
        assert other.execute("SELECT COUNT(*) FROM people").fetchone()[0] == 20
    finally:
        other.close()


def _checks_on_open(path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """How many times opening `path` ran `PRAGMA quick_check` (the whole file is read by it)."""
    seen: list[str] = []
    real = storage.connect

    def traced(p: Path | str) -> Database:
        db = real(p)
        db.conn.set_trace_callback(seen.append)
        return db

    monkeypatch.setattr(storage, "connect", traced)
    db = open_db(path)
    db.conn.set_trace_callback(None)
    storage.close_db(db, path)
    monkeypatch.setattr(storage, "connect", real)
    return sum("quick_check" in s for s in seen)


def test_the_whole_file_check_is_skipped_only_when_the_file_is_as_a_clean_close_left_it(
        db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = open_db(db_path)
    db.close()                                   # not through close_db: as after a crash
    assert not storage.closed_cleanly(db_path)
    assert _checks_on_open(db_path, monkeypatch) == 1
    assert storage.closed_cleanly(db_path)       # close_db recorded the clean close
    assert _checks_on_open(db_path, monkeypatch) == 0

    reader = open_db(db_path)
    assert not storage.closed_cleanly(db_path)   # the record goes as soon as the file is opened
    storage.close_db(reader, db_path)
    assert storage.closed_cleanly(db_path)

    other = sqlite3.connect(db_path)             # another program writes after the clean close: full check
    other.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
    other.commit()
    other.close()
    assert not storage.closed_cleanly(db_path)
    assert _checks_on_open(db_path, monkeypatch) == 1


def test_a_file_damaged_after_a_clean_close_is_still_caught(db_path: Path) -> None:
    db = open_db(db_path)
    people_rows = [(f"人员{i}", "x" * 200) for i in range(3000)]
    db.execute("CREATE TABLE padding (a TEXT, b TEXT)")
    db.conn.executemany("INSERT INTO padding VALUES (?, ?)", people_rows)
    db.conn.commit()
    storage.close_db(db, db_path)
    assert storage.closed_cleanly(db_path)
    data = bytearray(db_path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = b"\xff" * 4096   # a damaged page in the middle
    db_path.write_bytes(bytes(data))
    with pytest.raises(storage.DamagedDatabase):
        open_db(db_path)
