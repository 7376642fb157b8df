"""A training officer runs a class in the window: creates it, plans its sessions, enrols the recruits who
still need initial training, types attendance from the signed sheet, scores, closes the class and sees who
completed; overrides need a reason; papers print; attendance comes in from Excel."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DEMO_DAY
from prompt_support import ScriptedPrompts
from PySide6.QtCore import QDate, QItemSelectionModel, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QLineEdit
from training_support import person

from exports import class_pdfs
from exports.excel import Sheet, write_xlsx
from trainer import attendance_import, candidates, class_summary, rules, training
from trainer.class_roster import members
from ui.attendance_import_dialog import AttendanceImportDialog
from ui.candidates_dialog import CandidatesDialog
from ui.class_dialog import ClassDialog
from ui.classes_page import ClassesPage
from ui.override_dialog import OverrideDialog
from ui.person_picker import PersonPickerDialog
from ui.results_tab import COL_COMPLETED, COL_SCORE
from ui.session_dialog import SessionDialog

START = dt.date(2026, 12, 1)


def scripted(page: ClassesPage, folder: Path, answer: bool = True) -> ScriptedPrompts:
    page.prompts = ScriptedPrompts(page, folder, answer, open_name="考勤.xlsx")
    return page.prompts


@pytest.fixture
def page(qtbot, demo_db, tmp_path):
    p = ClassesPage(demo_db, today=DEMO_DAY)
    qtbot.addWidget(p)
    p.resize(1500, 900)
    p.show()
    scripted(p, tmp_path)
    return p


def qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def create_class(qtbot, page: ClassesPage, title: str, kind: str = "初任培训", days: int = 3,
                 capacity: int = 0) -> training.TrainingClass:
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.active_dialog
    assert isinstance(dialog, ClassDialog)
    dialog.title_edit.setText(title)
    dialog.type_combo.setCurrentText(kind)
    dialog.start_edit.setDate(qdate(START))
    dialog.end_edit.setDate(qdate(START + dt.timedelta(days=days - 1)))
    dialog.capacity_spin.setValue(capacity)
    dialog.pass_edit.setText("60")
    dialog.save()
    assert dialog.result_class is not None, dialog.error_label.text()
    return dialog.result_class


def add_session(page: ClassesPage, day: dt.date, start: str, hours: str, topic: str = "行政处罚法精讲") -> None:
    page.tabs.setCurrentWidget(page.sessions_tab)
    page.sessions_tab.add_session()
    dialog = page.active_dialog
    assert isinstance(dialog, SessionDialog)
    dialog.date_edit.setDate(qdate(day))
    dialog.start_edit.setText(start)
    dialog.end_edit.setText("")
    dialog.topic_edit.setText(topic)
    dialog.teacher_edit.setText("孙立")
    dialog.hours_edit.setText(hours)
    dialog.save()
    assert not dialog.error_label.text(), dialog.error_label.text()


def enrol_candidates(page: ClassesPage) -> CandidatesDialog:
    """添加尚需此培训的人员, keeping everyone the rule found (they are all chosen when the list opens)."""
    page.tabs.setCurrentWidget(page.members_tab)
    page.members_tab.candidates_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, CandidatesDialog)
    dialog.ok_button.click()
    return dialog


def type_keys(view: QAbstractItemView, text: str) -> None:
    """Keys as a user types them into a table: to the open cell editor if any, else to the view (a digit
    there opens the current cell's editor)."""
    for ch in text:
        editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]  # closed ones linger
        target = editors[0] if view.state() == QAbstractItemView.State.EditingState and editors else view
        if ch == "\r":
            QTest.keyClick(target, Qt.Key.Key_Return)
        else:
            QTest.keyClick(target, ch)


def stored_marks(db, session_id: int) -> dict[int, str]:
    return training.attendance(db, session_id)


def first_finished_class(db) -> training.TrainingClass:
    return next(c for c in training.list_classes(db, 2026) if c.status == "已结束")


# ---- stories -------------------------------------------------------------------------------------------


def test_the_page_lists_the_years_classes_with_their_totals(page, demo_db):
    expected = class_summary.summaries(demo_db, 2026)
    assert page.year == 2026
    assert page.proxy.rowCount() == len(expected) > 0
    page.search_edit.setText("初任")
    assert page.proxy.rowCount() == sum(1 for s in expected if "初任" in s.cls.title)
    page.search_edit.clear()
    page.status_combo.setCurrentIndex(page.status_combo.findData("已结束"))
    assert page.proxy.rowCount() == sum(1 for s in expected if s.cls.status == "已结束")


def test_a_class_is_created_planned_filled_and_typed_in_by_keyboard(qtbot, page, demo_db):
    c = create_class(qtbot, page, "2026年新招录执法人员初任培训班第2期", days=3)
    assert page.current is not None and page.current.id == c.id
    assert page.model.summary_at(page.model.row_of(int(c.id or 0))).cls.title == c.title

    add_session(page, START, "08:30", "4")
    add_session(page, START, "14:30", "3.5", topic="执法文书制作")
    add_session(page, START + dt.timedelta(days=1), "08:30", "4")
    assert [s.hours for s in training.sessions(demo_db, int(c.id or 0))] == [Decimal(4), Decimal("3.5"), Decimal(4)]
    assert "合计 <b>11.5</b> 学时" in page.sessions_tab.totals_label.text()

    expected = candidates.find(demo_db, page.current, rules.active(demo_db), DEMO_DAY).people
    assert expected, "the demo has recruits without 初任培训"
    enrol_candidates(page)
    enrolled = training.enrolled_ids(demo_db, int(c.id or 0))
    assert sorted(enrolled) == sorted(int(p.id or 0) for p in expected)
    assert page.members_tab.model.rowCount() == len(expected)
    assert page.members_tab.count_label.text() == f"已报名 {len(expected)} 人"

    # Attendance for the first session, from the keyboard: 1 = 出勤, 4 = 请假, Delete clears, Enter moves on.
    page.tabs.setCurrentWidget(page.attendance_tab)
    tab = page.attendance_tab
    sid = int(tab.session_id or 0)
    order = [m.person_id for m in members(demo_db, int(c.id or 0))]
    view = tab.view
    view.setFocus()
    assert view.currentIndex().row() == 0
    QTest.keyClick(view, Qt.Key.Key_1)
    assert stored_marks(demo_db, sid) == {order[0]: "出勤"}  # written at once, nothing to save
    assert view.currentIndex().row() == 1
    QTest.keyClick(view, Qt.Key.Key_4)
    QTest.keyClick(view, Qt.Key.Key_Q)
    assert stored_marks(demo_db, sid) == {order[0]: "出勤", order[1]: "请假", order[2]: "缺勤"}
    QTest.keyClick(view, Qt.Key.Key_Up)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert order[2] not in stored_marks(demo_db, sid)
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert view.currentIndex().row() == 4
    QTest.keyClick(view, Qt.Key.Key_2)
    assert stored_marks(demo_db, sid)[order[4]] == "迟到"
    assert "未登记 <b>" in tab.counts_label.text()

    # 全部出勤 marks the rest and leaves typed marks alone.
    tab.all_present_button.click()
    marks = stored_marks(demo_db, sid)
    assert len(marks) == len(order)
    assert (marks[order[1]], marks[order[4]], marks[order[3]]) == ("请假", "迟到", "出勤")
    assert not tab.all_present_button.isEnabled()

    # The change reaches the other pages once the burst of keys is over.
    with qtbot.waitSignal(page.data_changed, timeout=3000):
        pass


def test_keyboard_marks_apply_to_several_selected_rows(qtbot, page, demo_db):
    c = first_finished_class(demo_db)
    page.select_class(int(c.id or 0))
    page.tabs.setCurrentWidget(page.attendance_tab)
    tab = page.attendance_tab
    tab.step_session(1)  # the second session
    sid = int(tab.session_id or 0)
    assert sid == training.sessions(demo_db, int(c.id or 0))[1].id
    view = tab.view
    view.setFocus()
    view.selectRow(0)
    QTest.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view, Qt.Key.Key_5)
    order = [m.person_id for m in members(demo_db, int(c.id or 0))]
    marks = stored_marks(demo_db, sid)
    assert [marks[p] for p in order[:3]] == ["缺勤"] * 3
    assert view.currentIndex().row() == 3
    with qtbot.waitSignal(page.data_changed, timeout=3000):
        pass
    assert (tab.session_id, view.currentIndex().row()) == (sid, 3)  # the refresh after the burst keeps the place


def test_closing_a_class_computes_and_shows_completion(qtbot, page, demo_db):
    c = create_class(qtbot, page, "2026年执法技能专题班", kind="专题培训", days=1)
    add_session(page, START, "08:30", "4")
    add_session(page, START, "14:30", "3")
    people = [person(demo_db, name, unit="新华区") for name in ("结业甲", "请假乙", "低分丙")]
    training.enrol(demo_db, int(c.id or 0), [int(p.id or 0) for p in people])
    page.refresh()
    sessions = training.sessions(demo_db, int(c.id or 0))
    training.set_attendance(demo_db, int(sessions[0].id or 0), {int(p.id or 0): "出勤" for p in people})
    training.set_attendance(demo_db, int(sessions[1].id or 0), {int(people[0].id or 0): "出勤",
                                                               int(people[2].id or 0): "出勤"})
    page.tabs.setCurrentWidget(page.results_tab)
    results = page.results_tab
    results.model.setData(results.model.index(0, COL_SCORE), "88")
    results.model.setData(results.model.index(1, COL_SCORE), "90")
    results.model.setData(results.model.index(2, COL_SCORE), "59.5")
    assert results.model.setData(results.model.index(2, COL_SCORE), "abc") is False  # refused, message shown
    assert "低分丙的成绩未保存" in results.message_label.text()
    assert "尚未结班" in results.status_label.text()

    prompts = page.prompts
    qtbot.mouseClick(page.close_class_button, Qt.MouseButton.LeftButton)
    assert training.get_class(demo_db, int(c.id or 0)).status == "已结束"
    assert page.tabs.currentWidget() is results
    assert prompts.told[-1].startswith("已结班：共 3 人，结业 1 人，未结业 2 人。")
    assert "结业 <b>1</b> 人" in results.status_label.text()
    shown = {results.model.member_at(r).person.name: results.model.index(r, COL_COMPLETED).data()
             for r in range(3)}
    assert shown == {"结业甲": "结业", "请假乙": "未结业", "低分丙": "未结业"}
    why = results.model.outcome_at(1).explanation
    assert "请假超过规定比例" in why
    row = page.model.row_of(int(c.id or 0))
    assert page.model.summary_at(row).completed == 1  # the list's 结业人数
    assert not page.close_class_button.isEnabled()


def test_an_override_needs_a_reason_and_keeps_it(qtbot, page, demo_db):
    c = first_finished_class(demo_db)
    page.select_class(int(c.id or 0))
    page.tabs.setCurrentWidget(page.results_tab)
    results = page.results_tab
    row = next(r for r in range(results.model.rowCount()) if not results.model.outcome_at(r).completed)
    target = results.model.outcome_at(row)
    results.override_row(row)
    dialog = page.active_dialog
    assert isinstance(dialog, OverrideDialog)
    assert dialog.completed_radio.isChecked()  # the useful choice is the opposite of the computed one
    dialog.reason_edit.setText("   ")
    dialog.save()
    assert dialog.error_label.text() == "人工认定结业情况须填写理由"
    assert dialog.isVisible()
    assert training.outcomes(demo_db, rules.active(demo_db), class_id=c.id, person_ids=[target.person_id])[0] \
        .completed is False
    dialog.reason_edit.setText("因执行防汛任务缺课，已补学")
    dialog.save()
    after = training.outcomes(demo_db, rules.active(demo_db), class_id=c.id, person_ids=[target.person_id])[0]
    assert after.completed and not after.computed and after.override_reason == "因执行防汛任务缺课，已补学"
    assert results.model.index(row, COL_COMPLETED).data() == "结业（人工认定）"
    assert "人工认定为结业：因执行防汛任务缺课，已补学" in results.model.outcome_at(row).explanation


def test_scores_are_typed_down_the_column_and_the_pass_mark_is_editable(qtbot, page, demo_db):
    c = first_finished_class(demo_db)
    page.select_class(int(c.id or 0))
    page.tabs.setCurrentWidget(page.results_tab)
    results = page.results_tab
    view = results.view
    view.setFocus()
    view.setCurrentIndex(results.model.index(0, COL_SCORE))
    type_keys(view, "95\r")
    qtbot.waitUntil(lambda: view.currentIndex().row() == 1)  # Qt closes the editor on Return a moment later
    assert view.state() == QAbstractItemView.State.EditingState  # and opens the next member's score
    type_keys(view, "61.5\r")
    qtbot.waitUntil(lambda: view.currentIndex().row() == 2)
    ids = [m.person_id for m in members(demo_db, int(c.id or 0))]
    scores = {o.person_id: o.score for o in training.outcomes(demo_db, rules.active(demo_db), class_id=c.id)}
    assert (scores[ids[0]], scores[ids[1]]) == (Decimal(95), Decimal("61.5"))

    results.pass_edit.setText("62")
    results.pass_button.click()
    assert training.get_class(demo_db, int(c.id or 0)).pass_mark == Decimal(62)
    assert results.model.outcome_at(1).passed is False
    assert "及格分 62" in page.header_label.text()


def test_the_candidates_button_respects_the_capacity(qtbot, page, demo_db):
    create_class(qtbot, page, "2026年初任培训小班", capacity=3)
    dialog = enrol_candidates(page)
    assert training.enrolled_ids(demo_db, int(page.current.id or 0)) == []
    assert dialog.error_label.text().startswith("超出人数上限：已报名0人") and dialog.isVisible()
    dialog.view.clearSelection()
    for row in range(3):
        dialog.view.selectionModel().select(dialog.model.index(row, 0), QItemSelectionModel.SelectionFlag.Select
                                            | QItemSelectionModel.SelectionFlag.Rows)
    assert dialog.ok_button.text() == "添加所选（3人）"
    dialog.ok_button.click()  # three of them fit
    assert len(training.enrolled_ids(demo_db, int(page.current.id or 0))) == 3 and not dialog.isVisible()


def test_the_candidates_list_says_why_each_person_is_offered(qtbot, page, demo_db):
    c = create_class(qtbot, page, "2026年年末业务知识补训班", kind="业务知识培训")
    found = candidates.find(demo_db, c, rules.active(demo_db), DEMO_DAY)
    on_duty = [p for p in training_people(demo_db) if p.category == "执法人员"]
    assert 0 < len(found.people) < len(on_duty)  # those through their year are not offered
    page.tabs.setCurrentWidget(page.members_tab)
    page.members_tab.candidates_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, CandidatesDialog)
    shown = [dialog.model.row_texts(r) for r in range(dialog.model.rowCount())]
    assert [row[0] for row in shown] == [p.name for p in found.people]
    assert [row[4] for row in shown] == [found.reasons[int(p.id or 0)] for p in found.people]
    assert all(row[4] for row in shown) and dialog.chosen_ids() == [int(p.id or 0) for p in found.people]


def test_people_are_picked_from_the_register_with_the_people_pages_filters(qtbot, page, demo_db):
    c = create_class(qtbot, page, "2026年专题培训班", kind="专题培训")
    page.tabs.setCurrentWidget(page.members_tab)
    page.members_tab.pick_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, PersonPickerDialog)
    target = next(p for p in training_people(demo_db) if len(p.name) == 3)
    dialog.search_edit.setText(target.name)
    assert dialog.model.visible_count() >= 1
    dialog.view.selectAll()
    chosen = dialog.chosen_ids()
    assert target.id in chosen
    dialog.accept_selection()
    assert sorted(training.enrolled_ids(demo_db, int(c.id or 0))) == sorted(chosen)
    assert page.members_tab.model.rowCount() == len(chosen)

    page.members_tab.view.selectRow(0)
    page.members_tab.remove_selected()
    assert len(training.enrolled_ids(demo_db, int(c.id or 0))) == len(chosen) - 1


def training_people(db):
    from trainer import people

    return [p for p in people.all_people(db) if p.post_status == "在岗"]


def test_a_session_with_bad_hours_is_refused_and_the_typing_kept(qtbot, page, demo_db):
    create_class(qtbot, page, "2026年业务培训班", kind="业务知识培训")
    page.sessions_tab.add_session()
    dialog = page.active_dialog
    assert isinstance(dialog, SessionDialog)
    dialog.topic_edit.setText("执法礼仪")
    dialog.hours_edit.setText("2.345")
    dialog.save()
    assert dialog.error_label.text() == "学时：最多保留两位小数（2.345）"
    assert dialog.topic_edit.text() == "执法礼仪" and dialog.isVisible()
    dialog.hours_edit.setText("2")
    dialog.end_edit.setText("07:00")
    dialog.save()
    assert dialog.error_label.text() == "结束时间应晚于开始时间"


def test_the_class_dialog_explains_what_is_wrong_in_chinese(qtbot, page):
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.active_dialog
    assert isinstance(dialog, ClassDialog)
    dialog.save()
    assert dialog.error_label.text() == "培训班名称不能为空"
    dialog.title_edit.setText("某班")
    dialog.pass_edit.setText("六十")
    dialog.save()
    assert dialog.error_label.text() == "考核及格分：“六十”不是数字"
    assert dialog.title_edit.text() == "某班" and dialog.result_class is None


def test_a_class_with_attendance_is_not_deleted_but_an_empty_one_is(qtbot, page, demo_db):
    finished = first_finished_class(demo_db)
    page.select_class(int(finished.id or 0))
    page.delete_class()
    assert training.get_class(demo_db, int(finished.id or 0)) is not None
    assert "不能直接删除" in page.prompts.told[-1]

    c = create_class(qtbot, page, "误建的班")
    add_session(page, START, "08:30", "4")
    page.delete_class()
    assert "1 节课程" in page.prompts.asked[-1]
    assert training.get_class(demo_db, int(c.id or 0)) is None
    assert page.model.row_of(int(c.id or 0)) == -1


def test_the_roster_and_sign_in_sheet_are_printed_to_the_chosen_files(qtbot, page, demo_db, tmp_path):
    c = first_finished_class(demo_db)
    page.select_class(int(c.id or 0))
    page.print_roster()
    assert page.task is not None and page.task.wait()
    page.tabs.setCurrentWidget(page.attendance_tab)
    page.attendance_tab.step_session(1)
    page.print_sign_in()
    assert page.task.wait() and page.task.ok, page.task.error
    second = training.sessions(demo_db, int(c.id or 0))[1]
    at = second.start_time.replace(":", "")
    assert [Path(p).name for p in page.prompts.saved_files] == [
        f"学员名册_{c.title}.pdf", f"签到表_{c.title}_{second.date.isoformat()}_{at}.pdf"]
    assert all(Path(p).stat().st_size > 1000 for p in page.prompts.saved_files)


def test_attendance_comes_in_from_the_exported_template(qtbot, page, demo_db, tmp_path):
    c = create_class(qtbot, page, "2026年导入考勤班", kind="业务知识培训")
    add_session(page, START, "08:30", "4")
    training.enrol(demo_db, int(c.id or 0), [int(p.id or 0) for p in training_people(demo_db)[:4]])
    page.refresh()
    page.tabs.setCurrentWidget(page.attendance_tab)
    page.attendance_tab.export_template()
    template = Path(page.prompts.saved_files[-1])
    assert template.name == "考勤_2026年导入考勤班.xlsx"

    headers, rows = attendance_import.template(demo_db, int(c.id or 0))
    for r, status in zip(rows, ("出勤", "迟到", "请假", "出勤"), strict=True):
        r[3] = status
    write_xlsx(tmp_path / "考勤.xlsx", [Sheet("考勤", headers, rows)])
    page.attendance_tab.import_attendance()
    dialog = page.active_dialog
    assert isinstance(dialog, AttendanceImportDialog)
    dialog.choose_file()
    # the session is on 12-01, the page's today 11-25: 出勤 and 迟到 cannot be known yet — said, not refused
    assert dialog.banner_kind == "warn" and "1 节课程的日期还没有到，文件中已填了 3 条" in dialog.banner.text()
    assert dialog.confirm_button.isEnabled()
    dialog.confirm_button.click()
    sid = int(training.sessions(demo_db, int(c.id or 0))[0].id or 0)
    assert sorted(stored_marks(demo_db, sid).values()) == sorted(["出勤", "迟到", "请假", "出勤"])
    assert page.attendance_tab.model.counts()["迟到"] == 1  # the grid shows the imported marks


def test_a_bad_attendance_sheet_is_refused_with_row_and_column(qtbot, page, demo_db, tmp_path):
    c = first_finished_class(demo_db)
    page.select_class(int(c.id or 0))
    headers, rows = attendance_import.template(demo_db, int(c.id or 0))
    rows[1][3] = "到"
    write_xlsx(tmp_path / "考勤.xlsx", [Sheet("考勤", headers, rows)])
    before = demo_db.execute("SELECT COUNT(*), GROUP_CONCAT(status) FROM attendance").fetchone()
    page.tabs.setCurrentWidget(page.attendance_tab)
    page.attendance_tab.import_attendance(str(tmp_path / "考勤.xlsx"))
    dialog = page.active_dialog
    assert isinstance(dialog, AttendanceImportDialog)
    assert dialog.banner_kind == "error"
    assert dialog.problems_model.stringList() == [
        f"第3行 {headers[3]}: “到”不是考勤状态，应为出勤、迟到、早退、请假、缺勤之一"]
    assert not dialog.confirm_button.isEnabled()
    assert demo_db.execute("SELECT COUNT(*), GROUP_CONCAT(status) FROM attendance").fetchone() == before


def test_leaving_the_page_right_after_typing_tells_the_other_pages_at_once(qtbot, demo_db, db_path, tmp_path):
    from ui.main_window import MainWindow

    window = MainWindow(demo_db, db_path, today=DEMO_DAY)
    qtbot.addWidget(window)
    window.show()
    window.show_section("培训班")
    page = window.sections["培训班"]
    assert isinstance(page, ClassesPage)
    c = first_finished_class(demo_db)
    page.select_class(int(c.id or 0))
    page.tabs.setCurrentWidget(page.attendance_tab)
    QTest.keyClick(page.attendance_tab.view, Qt.Key.Key_3)
    told: list[bool] = []
    page.data_changed.connect(lambda: told.append(True))
    window.show_section("人员名册")
    assert told == [True]  # no waiting for the end of the burst


def classes_with_sessions(db, n: int = 2) -> list[training.TrainingClass]:
    found = [c for c in training.list_classes(db, 2026) if training.sessions(db, int(c.id or 0))]
    assert len(found) >= n
    return found[:n]


def test_a_hidden_tab_never_holds_another_classes_data(qtbot, page, demo_db):
    """The reviewer's path: 考勤 of class 1, then 课程, then class 2, then 打印签到表 — it printed nothing
    ("本班还没有课程") because the 考勤 tab still listed class 1's sessions under class 2's name."""
    first, second = classes_with_sessions(demo_db)
    page.select_class(int(first.id or 0))
    page.tabs.setCurrentWidget(page.attendance_tab)
    page.tabs.setCurrentWidget(page.sessions_tab)
    page.select_class(int(second.id or 0))
    for tab in page._tabs():
        assert tab.cls is None or tab.cls.id == second.id  # nothing of the first class under the second's name
    assert page.attendance_tab.session_id not in {s.id for s in training.sessions(demo_db, int(first.id or 0))}
    page.print_sign_in()
    assert page.task is not None and page.task.wait() and page.task.ok, page.prompts.told
    first_session = training.sessions(demo_db, int(second.id or 0))[0]
    assert Path(page.prompts.saved_files[-1]).name.startswith(f"签到表_{second.title}_{first_session.date}")
    page.tabs.setCurrentWidget(page.attendance_tab)  # shown: now it reads the second class
    assert page.attendance_tab.cls.id == second.id
    assert page.attendance_tab.session_id == first_session.id


def test_the_sign_in_sheet_follows_the_session_chosen_on_the_attendance_tab_after_typing(qtbot, page, demo_db):
    c = first_finished_class(demo_db)
    page.select_class(int(c.id or 0))
    page.tabs.setCurrentWidget(page.attendance_tab)
    page.attendance_tab.step_session(2)
    QTest.keyClick(page.attendance_tab.view, Qt.Key.Key_1)  # a mark re-reads the class (its pass mark may change)
    page.print_sign_in()
    assert page.task is not None and page.task.wait()
    third = training.sessions(demo_db, int(c.id or 0))[2]
    assert Path(page.prompts.saved_files[-1]).name == class_pdfs.sign_in_file_name(c, third)


def test_a_session_deleted_while_the_attendance_tab_was_hidden_is_not_printed(qtbot, page, demo_db):
    c = create_class(qtbot, page, "2026年签到表测试班", kind="业务知识培训")
    add_session(page, START, "08:30", "4")
    add_session(page, START, "14:30", "3")
    page.tabs.setCurrentWidget(page.attendance_tab)
    page.attendance_tab.step_session(1)
    page.tabs.setCurrentWidget(page.sessions_tab)
    page.sessions_tab.view.selectRow(1)
    page.sessions_tab.delete_selected()
    page.print_sign_in()
    assert page.task is not None and page.task.wait()
    only = training.sessions(demo_db, int(c.id or 0))[0]
    assert Path(page.prompts.saved_files[-1]).name == class_pdfs.sign_in_file_name(c, only)


def test_the_closing_note_follows_an_override_and_goes_with_another_class(qtbot, page, demo_db):
    c, other = classes_with_sessions(demo_db)
    training.save_class(demo_db, replace(c, status="进行中"))  # reopened, to be closed again
    page.refresh()
    page.select_class(int(c.id or 0))
    page.close_class()
    results = page.results_tab
    n, done = results.model.rowCount(), results.model.completed_count()
    assert page.message_label.text().startswith(f"已结班：共 {n} 人，结业 {done} 人，未结业 {n - done} 人。")

    row = next(r for r in range(n) if not results.model.outcome_at(r).completed)
    results.override_row(row)
    dialog = page.active_dialog
    assert isinstance(dialog, OverrideDialog)
    dialog.reason_edit.setText("补考合格")
    dialog.save()
    assert f"结业 <b>{done + 1}</b> 人" in results.status_label.text()
    assert page.message_label.text().startswith(f"已结班：共 {n} 人，结业 {done + 1} 人，未结业 {n - done - 1} 人。")

    page.select_class(int(other.id or 0))
    assert page.message_label.text() == ""  # the note was about the class closed, not this one


def test_closing_before_the_end_date_asks_first_and_says_the_end_date(qtbot, page, demo_db):
    c = create_class(qtbot, page, "2026年提前结班测试班", kind="专题培训", days=3)
    add_session(page, START, "08:30", "4")
    training.enrol(demo_db, int(c.id or 0), [int(p.id or 0) for p in training_people(demo_db)[:2]])
    page.prompts.answer = False
    page.close_class()
    question = page.prompts.asked[-1]
    assert f"结束日期是 {START + dt.timedelta(days=2)}" in question and "还没有结束" in question
    assert "请先点“编辑”把结束日期改为实际的结束日期" in question
    assert training.get_class(demo_db, int(c.id or 0)).status == "筹备"  # 取消: nothing closed
    page.prompts.answer = True
    page.close_class()
    assert training.get_class(demo_db, int(c.id or 0)).status == "已结束"  # the officer may close early


def test_a_session_ahead_of_its_day_is_flagged_and_marking_it_asks_once(qtbot, page, demo_db):
    c = create_class(qtbot, page, "2026年未到日期考勤班", kind="业务知识培训")
    add_session(page, START, "08:30", "4")
    training.enrol(demo_db, int(c.id or 0), [int(p.id or 0) for p in training_people(demo_db)[:4]])
    page.refresh()
    page.tabs.setCurrentWidget(page.attendance_tab)
    tab = page.attendance_tab
    sid = int(tab.session_id or 0)
    assert tab.session_combo.currentText().endswith("（未到日期）")
    assert "这节课还未到日期" in tab.hint_label.text()
    order = [m.person_id for m in members(demo_db, int(c.id or 0))]
    view = tab.view
    asked = len(page.prompts.asked)
    QTest.keyClick(view, Qt.Key.Key_4)  # 请假 is known in advance: no question
    assert len(page.prompts.asked) == asked and stored_marks(demo_db, sid) == {order[0]: "请假"}
    page.prompts.answer = False
    QTest.keyClick(view, Qt.Key.Key_1)
    assert "还没有到" in page.prompts.asked[-1]
    assert stored_marks(demo_db, sid) == {order[0]: "请假"} and view.currentIndex().row() == 1  # not written
    page.prompts.answer = True
    QTest.keyClick(view, Qt.Key.Key_1)
    QTest.keyClick(view, Qt.Key.Key_1)
    assert len(page.prompts.asked) == asked + 2  # asked once more, then no more for this session
    assert stored_marks(demo_db, sid) == {order[0]: "请假", order[1]: "出勤", order[2]: "出勤"}


def test_a_class_titled_like_another_of_the_year_is_saved_only_when_asked_twice(qtbot, page, demo_db):
    existing = first_finished_class(demo_db)
    before = len(training.list_classes(demo_db))
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    dialog = page.active_dialog
    assert isinstance(dialog, ClassDialog)
    dialog.title_edit.setText(existing.title)
    dialog.start_edit.setDate(qdate(existing.start_date))
    dialog.end_edit.setDate(qdate(existing.end_date))
    dialog.save()
    assert dialog.error_label.text().startswith(f"已有同名培训班“{existing.title}”")
    assert dialog.result_class is None and dialog.isVisible()
    dialog.save()  # the officer insists, but it is the same class on the same dates: refused
    assert "不能重复新建" in dialog.error_label.text() and dialog.result_class is None
    dialog.start_edit.setDate(qdate(START))
    dialog.end_edit.setDate(qdate(START))
    dialog.save()  # another run under the same name, asked about and confirmed
    assert dialog.result_class is not None and len(training.list_classes(demo_db)) == before + 1


def test_every_sessions_sign_in_sheet_prints_into_one_file_from_the_menu(qtbot, page, demo_db):
    c = first_finished_class(demo_db)
    page.select_class(int(c.id or 0))
    page._fill_sign_in_menu()
    every = page.sign_in_menu.actions()[-1]
    n = len(training.sessions(demo_db, int(c.id or 0)))
    assert every.text() == f"全部 {n} 节课程（合并为一个文件，每节单独编页）…"
    every.trigger()
    assert page.task is not None and page.task.wait() and page.task.ok, page.task.error
    assert Path(page.prompts.saved_files[-1]).name == f"签到表_{c.title}_全部课程.pdf"
