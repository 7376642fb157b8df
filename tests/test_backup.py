"""As a training officer I never lose years of records: the program backs the database up when it starts (once a
day) and before every import, merge and migration, keeps a sensible number of those copies, lets me back up and
restore by hand (restoring keeps the current file first and refuses anything that is not a sound Trainer
database), and when the file is damaged it tells me which backup to restore."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from roster_files import person, run, write_csv

from trainer import backup, people, settings
from trainer.backup import BackupError
from trainer.db import DamagedDatabase, open_db

DAY = dt.datetime(2026, 11, 18, 8, 30)


def make_db(path: Path, names: tuple[str, ...] = ("甲",)) -> None:
    db = open_db(path)
    try:
        for i, name in enumerate(names):
            db.execute("INSERT INTO people (name, gender, id_number, unit_id, category, hire_date)"
                       " VALUES (?, '男', ?, 1, '执法人员', '2020-01-01')", [name, f"ID{i}{name}"])
        db.conn.commit()
    finally:
        db.close()


def names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM people ORDER BY id")]
    finally:
        conn.close()


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for i in range(1024, len(data), 97):  # every page but the header's, scribbled over
        data[i] = 0xA5
    path.write_bytes(bytes(data))


def test_the_start_backup_is_taken_at_most_once_a_day(tmp_path: Path) -> None:
    path = tmp_path / "trainer.db"
    assert backup.on_start(path, now=DAY) is None  # nothing to back up yet
    make_db(path)
    first = backup.on_start(path, now=DAY)
    assert first is not None and first.parent == tmp_path / "backups" and "-start-20261118-" in first.name
    assert names(first) == ["甲"]
    assert backup.on_start(path, now=DAY.replace(hour=17)) is None
    second = backup.on_start(path, now=DAY + dt.timedelta(days=1))
    assert second is not None and second != first
    assert [b.reason for b in backup.backups(path)] == ["start", "start"]


def test_automatic_backups_are_rotated_and_manual_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "trainer.db"
    make_db(path)
    db = open_db(path)
    try:
        manual = backup.manual_backup(db.conn, path)
        midnight = DAY.replace(hour=0, minute=0)
        folder = backup.backup_dir(path)
        for day in range(40):  # forty days, three automatic backups each (empty stand-ins: only names count)
            for hour in (8, 12, 16):
                stamp = (midnight + dt.timedelta(days=day, hours=hour)).strftime("%Y%m%d-%H%M%S-%f")
                (folder / f"trainer-pre-import-{stamp}.db").touch()
        (folder / "trainer-notes.txt").touch()  # not a backup: never touched
        taken = backup.backup_now(db.conn, path, backup.PRE_MERGE, now=midnight + dt.timedelta(days=39, hours=17))
        kept = backup.backups(path)
        auto = [b for b in kept if b.automatic]
        by_day: dict[int, list[int]] = {}
        for b in auto:
            by_day.setdefault((b.taken_at - midnight).days, []).append(b.taken_at.hour)
        # the newest ten (days 37–39 and the new one), plus the newest of each of the last 30 days
        assert auto[0].path == taken and len(auto) == 10 + 30 - 3
        assert sorted(by_day) == list(range(10, 40))
        assert sorted(by_day[39]) == [8, 12, 16, 17] and sorted(by_day[37]) == [8, 12, 16]
        assert by_day[36] == by_day[10] == [16]
        assert (folder / "trainer-notes.txt").exists()
        assert manual in [b.path for b in kept]
        settings.put(db, "backup.keep_last", "2")
        settings.put(db, "backup.keep_days", "0")
        backup.backup_now(db.conn, path, backup.PRE_MERGE, now=midnight + dt.timedelta(days=39, hours=18))
        assert [b.reason for b in backup.backups(path)] == ["pre-merge", "pre-merge", "manual"]
    finally:
        db.close()


def test_imports_and_merges_back_up_first(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "trainer.db"
    open_db(path).close()
    roster = write_csv(tmp_path / "roster.csv", [person(1)])
    code, _out, err = run(capsys, path, "people", "import", str(roster))
    assert code == 0, err
    [taken] = backup.backups(path)
    assert taken.reason == "pre-import" and names(taken.path) == []  # the state before the import


def test_before_change_skips_memory_and_open_transactions(tmp_path: Path) -> None:
    memory = open_db(":memory:")
    assert backup.before_change(memory.conn, backup.PRE_IMPORT) is None
    memory.close()
    db = open_db(tmp_path / "trainer.db")
    try:
        with db.atomic():  # inside a transaction the copy would hold uncommitted changes
            db.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
            assert backup.before_change(db.conn, backup.PRE_IMPORT) is None
        assert backup.before_change(db.conn, backup.PRE_IMPORT) is not None
    finally:
        db.close()


def test_restoring_backs_up_the_current_file_first(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "trainer.db"
    make_db(path, ("甲",))
    code, out, err = run(capsys, path, "backup", "--out", str(tmp_path / "copy.db"))
    assert code == 0, err
    assert out.strip() == f"已备份到：{tmp_path / 'copy.db'}"
    db = open_db(path)
    people.count(db)
    db.execute("INSERT INTO people (name, gender, id_number, unit_id, category, hire_date)"
               " VALUES ('乙', '女', 'ID-2', 1, '执法人员', '2021-01-01')")
    db.conn.commit()
    db.close()
    code, out, err = run(capsys, path, "restore", str(tmp_path / "copy.db"))
    assert code == 0, err
    assert names(path) == ["甲"]
    [previous] = [b for b in backup.backups(path) if b.reason == "pre-restore"]
    assert names(previous.path) == ["甲", "乙"]
    assert f"恢复前的数据库已备份到：{previous.path}" in out
    db = open_db(path)  # the restore is itself in the audit log of the restored file
    try:
        assert db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0] == "database.restore"
    finally:
        db.close()


def test_restore_waits_until_nobody_has_the_database_open(tmp_path: Path) -> None:
    path = tmp_path / "trainer.db"
    make_db(path, ("甲",))
    copy = tmp_path / "copy.db"
    db = open_db(path)
    try:
        backup.manual_backup(db.conn, path, copy)
        people.count(db)  # an idle connection, as the window holds one
        with pytest.raises(BackupError, match="数据库正被 Trainer 窗口或其他程序打开"):
            backup.restore(path, copy)
        assert backup.backups(path) == []
    finally:
        db.close()
    assert backup.restore(path, copy).previous is not None


def test_restore_refuses_anything_but_a_sound_trainer_database(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    path = tmp_path / "trainer.db"
    make_db(path, ("甲",))
    text = tmp_path / "notes.db"
    text.write_text("这不是数据库", "utf-8")
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    broken = tmp_path / "broken.db"
    make_db(broken, ("丙",) * 1)
    corrupt(broken)
    for candidate, reason in ((text, "不是 SQLite 数据库文件"), (other, "不是 Trainer 数据库"), (broken, "损坏"),
                              (tmp_path / "nope.db", "文件不存在")):
        with pytest.raises(BackupError, match=reason):
            backup.restore(path, candidate)
        code, _out, err = run(capsys, path, "restore", str(candidate))
        assert code == 2 and reason in err and len(err.strip().splitlines()) == 1
    assert names(path) == ["甲"] and backup.backups(path) == []


def test_a_damaged_database_offers_the_latest_good_backup(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "trainer.db"
    make_db(path, ("甲", "乙"))
    older = backup.on_start(path, now=DAY)
    good = backup.on_start(path, now=DAY + dt.timedelta(days=1))
    bad = backup.on_start(path, now=DAY + dt.timedelta(days=2))
    assert older and good and bad
    corrupt(bad)  # the newest backup went bad too
    corrupt(path)
    with pytest.raises(DamagedDatabase) as exc:
        open_db(path)
    assert exc.value.latest_backup == good
    assert backup.on_start(path, now=DAY + dt.timedelta(days=3)) is None  # no copy of a damaged file
    code, _out, err = run(capsys, path, "people", "list")
    assert code == 1
    assert "已损坏" in err and len(err.strip().splitlines()) == 1
    assert err.strip().endswith(f'；可从最近的完好备份恢复：trainer --db "{path}" restore "{good}"')
    code, _out, err = run(capsys, path, "restore", str(good))  # the damaged file itself is kept, byte for byte
    assert code == 0, err
    assert names(path) == ["甲", "乙"]
    assert next(b.reason for b in backup.backups(path)) == "damaged"


def test_a_backup_cannot_overwrite_the_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "trainer.db"
    make_db(path)
    code, _out, err = run(capsys, path, "backup", "--out", str(path))
    assert code == 2 and "不能把数据库备份到它自己" in err
    code, out, err = run(capsys, path, "backup")
    assert code == 0 and "-manual-" in out
