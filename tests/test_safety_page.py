"""As the training officer I keep the bureau's file safe from the 数据安全 page: a manual backup appears in the list,
the audit chain check says OK or names the first broken entry, and restoring a backup brings its data back
after first backing up the current file (the program then reopens the database)."""

from __future__ import annotations

from pathlib import Path

import pytest
from judge_support import judged_contest

from trainer import audit, backup, settings
from trainer.db import open_db
from ui.main_window import SECTIONS
from ui.safety_page import SafetyPage


@pytest.fixture
def page(qtbot, db):
    judged_contest(db)  # a PIN and a draw: entries in the audit log
    page = SafetyPage(db)
    qtbot.addWidget(page)
    page.restarted = []  # type: ignore[attr-defined]
    page.restart = lambda: page.restarted.append(True)  # type: ignore[method-assign, attr-defined]
    page.told = []  # type: ignore[attr-defined]
    page.prompts.inform = lambda t, text: page.told.append(text)  # type: ignore[method-assign, attr-defined]
    page.prompts.refuse = lambda t, text: page.told.append(text)  # type: ignore[method-assign, attr-defined]
    return page


def test_the_section_sits_before_the_rules() -> None:
    titles = [t for t, _m, _c in SECTIONS]
    assert titles.index("数据安全") == titles.index("规则设置") - 1


def test_a_manual_backup_appears_in_the_list(qtbot, page: SafetyPage) -> None:
    before = page.model.rowCount()
    page.backup_now()
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=20_000)
    row = page.model.row_texts(0)
    assert row[1] == "手动备份" and row[3].endswith(".db") and "已备份" in page.status_label.text()
    backup.validate(page.model.object_at(0).path)


def test_audit_verify_ok_then_a_tampered_row_is_named(page: SafetyPage, db) -> None:
    assert page.verify_audit() is None
    assert "审计日志完整" in page.audit_label.text()
    ids = [r[0] for r in db.execute("SELECT id FROM audit_log ORDER BY id")]
    assert len(ids) >= 2
    victim = ids[1]
    db.conn.execute("DROP TRIGGER audit_log_no_update")
    db.conn.execute("UPDATE audit_log SET actor = '别人' WHERE id = ?", [victim])
    db.conn.commit()
    assert page.verify_audit() == victim
    text = page.audit_label.text()
    assert f"第 {victim} 条" in text and "别人" in text and "c0392b" in page.audit_label.styleSheet()


def test_restore_brings_the_backup_back_after_backing_up_the_current_file(page: SafetyPage, db,
                                                                          db_path: Path) -> None:
    settings.put(db, "test.marker", "备份时")
    made = backup.manual_backup(db.conn, db_path)
    settings.put(db, "test.marker", "恢复前")
    result = page.restore_from(made)
    assert result is not None and page.restarted == [True]  # type: ignore[attr-defined]
    assert result.previous is not None and "pre-restore" in result.previous.name
    again = open_db(db_path)
    try:
        assert settings.get(again, "test.marker") == "备份时"
        assert audit.entries(again, actions=[audit.DATABASE_RESTORE])[-1].new == str(made)
        assert audit.verify(again) is None
    finally:
        again.close()
    kept = open_db(result.previous)  # the file as it was just before the restore
    try:
        assert settings.get(kept, "test.marker") == "恢复前"
    finally:
        kept.close()


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(page: SafetyPage, db, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    assert page.restore_from(junk) is None
    assert page.restarted == []  # type: ignore[attr-defined]
    assert "不是 Trainer 数据库" in page.told[-1]  # type: ignore[attr-defined]
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] > 0  # still open and working


def test_rotation_settings_are_saved(page: SafetyPage, db) -> None:
    page.keep_last.setValue(3)
    page.keep_days.setValue(7)
    page.save_policy()
    assert backup.Policy.load(db.conn) == backup.Policy(3, 7)


def test_after_a_restore_the_program_really_starts_again_on_the_restored_file(qtbot, monkeypatch, db,
                                                                               db_path: Path) -> None:
    """Not a stand-in: the command the page launches is run (as a self-test) and must open the restored data."""
    import os
    import subprocess
    import sys

    from training_support import person

    import ui.safety_page as safety_page

    for _ in range(3):
        person(db)
    made = backup.manual_backup(db.conn, db_path)
    for _ in range(4):
        person(db)  # after the backup: the restore takes these away again
    page = SafetyPage(db)
    qtbot.addWidget(page)
    page.prompts.inform = lambda t, text: None  # type: ignore[method-assign]
    launched: list[tuple[str, list[str]]] = []
    quits: list[bool] = []
    monkeypatch.setattr(safety_page.QProcess, "startDetached", lambda exe, args: launched.append((exe, list(args))))
    monkeypatch.setattr(safety_page.QApplication, "quit", lambda: quits.append(True))
    monkeypatch.setattr(sys, "argv", ["trainer-gui"])  # started with no arguments: the restart must name the file

    assert page.restore_from(made) is not None
    assert quits == [True] and len(launched) == 1
    exe, args = launched[0]
    assert exe == sys.executable and args[-2:] == ["--db", str(db_path)]
    done = subprocess.run([exe, *args, "--selftest"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.returncode == 0, done.stderr
    assert "selftest ok: 3 人" in done.stdout


def test_restore_works_in_the_real_window_whose_pages_keep_readers_of_their_own(qtbot, demo_db, db_path: Path) -> None:
    """The 首页 page reads its figures on a connection of its own: the restore must close that one too."""
    from ui.main_window import MainWindow

    settings.put(demo_db, "test.marker", "备份时")
    made = backup.manual_backup(demo_db.conn, db_path)
    settings.put(demo_db, "test.marker", "恢复前")
    window = MainWindow(demo_db, db_path, is_demo=True)
    qtbot.addWidget(window)
    window.show()
    home = window.sections["首页"]
    qtbot.waitUntil(lambda: home.task is not None and not home.task.running, timeout=20_000)
    assert home._reader is not None and home._reader is not demo_db  # a reader of its own is open
    window.sidebar.setCurrentRow(list(window.sections).index("数据安全"))
    page = window.sections["数据安全"]
    restarted: list[bool] = []
    page.restart = lambda: restarted.append(True)  # type: ignore[method-assign]
    told: list[str] = []
    page.prompts.inform = lambda t, text: told.append(text)  # type: ignore[method-assign]
    page.prompts.refuse = lambda t, text: told.append(text)  # type: ignore[method-assign]
    assert page.restore_from(made) is not None, told
    assert restarted == [True] and told and told[-1].startswith("已从")
    again = open_db(db_path)
    try:
        assert settings.get(again, "test.marker") == "备份时"
    finally:
        again.close()
