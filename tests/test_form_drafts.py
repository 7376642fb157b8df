"""Nothing typed into a form is lost: a training officer half-way through a new person is interrupted — 取消,
a crash, a power cut — and finds the typing back when the same form opens again, under a banner that says so
and can throw it away. Saving drops the draft; a PIN is never written down."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import DEMO_DAY
from PySide6.QtWidgets import QLineEdit

from trainer import drafts, idnumber, people
from trainer.db import open_db
from ui.form_draft import SAVE_DELAY_MS, draft_buttons, form_inputs
from ui.person_dialog import PersonDialog

VALID_ID = idnumber.make("410402", dt.date(1990, 5, 17), 3, "女")


def new_person_form(qtbot, db) -> PersonDialog:
    d = PersonDialog(db, None, today=DEMO_DAY)
    qtbot.addWidget(d)
    d.show()
    return d


def type_some(d: PersonDialog) -> None:
    d.name_edit.setText("王秀兰")
    d.id_edit.setText(VALID_ID)
    d.unit_combo.setEditText("新华区")
    d.position_edit.setText("执法队员")
    d.phone_edit.setText("13912345678")


def test_cancelled_typing_comes_back_when_the_form_opens_again(qtbot, db):
    d = new_person_form(qtbot, db)
    type_some(d)
    d.reject()  # 取消
    assert drafts.find(db, "person:new") is not None

    again = new_person_form(qtbot, db)
    assert (again.name_edit.text(), again.id_edit.text(), again.position_edit.text()) == (
        "王秀兰", VALID_ID, "执法队员")
    assert again.draft.restored and again.draft.banner is not None and again.draft.banner.isVisible()
    # the officer completes the form and saves
    again.hire_date.edit.setText("2015-07-01")
    again.ok_button.click()
    assert again.saved is not None and again.saved.name == "王秀兰"
    assert drafts.find(db, "person:new") is None  # saved for real: no draft left
    third = new_person_form(qtbot, db)
    assert third.name_edit.text() == "" and not third.draft.restored


def test_the_banner_throws_the_draft_away_and_shows_the_form_as_it_was(qtbot, db):
    d = new_person_form(qtbot, db)
    type_some(d)
    d.reject()
    again = new_person_form(qtbot, db)
    (throw,) = draft_buttons(again)
    assert throw.text() == "放弃草稿"
    throw.click()
    assert again.name_edit.text() == "" and again.position_edit.text() == ""
    assert not again.draft.banner.isVisible()
    assert drafts.find(db, "person:new") is None


def test_a_draft_is_kept_while_typing_not_only_on_cancel(qtbot, db):
    d = new_person_form(qtbot, db)
    d.name_edit.setText("李")
    qtbot.waitUntil(lambda: drafts.find(db, "person:new") is not None, timeout=SAVE_DELAY_MS * 10)
    d.name_edit.setText("李建国")
    qtbot.waitUntil(lambda: (found := drafts.find(db, "person:new")) is not None
                    and "李建国" in found.fields.values(), timeout=SAVE_DELAY_MS * 10)
    d.name_edit.setText("")  # back to the empty form: nothing worth keeping
    qtbot.waitUntil(lambda: drafts.find(db, "person:new") is None, timeout=SAVE_DELAY_MS * 10)


def test_an_edit_has_its_own_draft_and_leaves_the_stored_person_alone(qtbot, db):
    d = new_person_form(qtbot, db)
    type_some(d)
    d.hire_date.edit.setText("2015-07-01")
    d.ok_button.click()
    person = d.saved
    assert person is not None
    edit = PersonDialog(db, person, today=DEMO_DAY)
    qtbot.addWidget(edit)
    edit.phone_edit.setText("13700000000")
    edit.reject()
    assert people.get(db, person.id).phone == "13912345678"  # 取消 changed nothing stored
    assert drafts.find(db, f"person:{person.id}") is not None and drafts.find(db, "person:new") is None
    back = PersonDialog(db, person, today=DEMO_DAY)
    qtbot.addWidget(back)
    assert back.phone_edit.text() == "13700000000" and back.draft.restored


def test_a_password_field_is_never_part_of_a_draft(qtbot, db):
    d = new_person_form(qtbot, db)
    secret = QLineEdit(d)
    secret.setEchoMode(QLineEdit.EchoMode.Password)
    assert secret not in form_inputs(d).values()
    assert d.name_edit in form_inputs(d).values()


@pytest.mark.skipif(sys.platform == "win32", reason="kills a child with SIGKILL")
def test_typing_survives_the_process_being_killed(tmp_path: Path):
    """The app dies (kill -9) while the form is open: the next start offers the typing back."""
    path = tmp_path / "trainer.db"
    open_db(path).close()
    child = textwrap.dedent(f"""
        import os, sys
        from pathlib import Path
        from PySide6.QtWidgets import QApplication
        from trainer.db import open_db
        from ui.person_dialog import PersonDialog
        app = QApplication([])
        d = PersonDialog(open_db(Path(sys.argv[1])), None)
        d.show()
        d.name_edit.setText("张卫东")
        d.position_edit.setText("中队长")
        def die():
            print("typed", flush=True)
            os.kill(os.getpid(), 9)
        from PySide6.QtCore import QTimer
        QTimer.singleShot({SAVE_DELAY_MS * 3}, die)
        app.exec()
    """)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", child, str(path)], capture_output=True, text=True, timeout=120,
                          env=env, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == -9 and done.stdout.strip() == "typed", done.stderr
    db = open_db(path)
    try:
        found = drafts.find(db, "person:new")
        assert found is not None and {"张卫东", "中队长"} <= set(found.fields.values())
    finally:
        db.close()


def test_the_class_and_contest_forms_keep_their_drafts_too(qtbot, db):
    from ui.class_dialog import ClassDialog
    from ui.contest_dialog import ContestDialog

    first = ClassDialog(db, None, today=DEMO_DAY)
    qtbot.addWidget(first)
    first.title_edit.setText("2027年街道中队长任职培训班")
    first.reject()
    again = ClassDialog(db, None, today=DEMO_DAY)
    qtbot.addWidget(again)
    assert again.title_edit.text() == "2027年街道中队长任职培训班" and again.draft.restored

    contest = ContestDialog(db, "裁判长", None, today=DEMO_DAY)
    qtbot.addWidget(contest)
    contest.venue_edit.setText("市城管局训练基地")
    contest.reject()
    back = ContestDialog(db, "裁判长", None, today=DEMO_DAY)
    qtbot.addWidget(back)
    assert back.venue_edit.text() == "市城管局训练基地"
    assert {d.key for d in drafts.all_drafts(db)} == {"class:new", "contest:new"}
