"""HR adds and edits people in a dialog that checks as they type, with the roster import's own rules
and words, never loses what was typed, and records changes of unit, post and leader role with a date."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import DEMO_DAY
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest

from trainer import idnumber, people, units
from trainer.people import Person
from ui.person_detail import PersonDetailDialog
from ui.person_dialog import EFFECTIVE, PersonDialog

VALID_ID = idnumber.make("410402", dt.date(1990, 5, 17), 3, "女")


def unit_id(db, name: str) -> int:
    found = units.UnitIndex.load(db).resolve(name)
    assert found is not None
    return found.id


@pytest.fixture
def dialog(qtbot, db):
    d = PersonDialog(db, None, today=DEMO_DAY)
    qtbot.addWidget(d)
    d.show()
    return d


def fill_valid(d: PersonDialog, **override: str) -> None:
    values = {"name": "王秀兰", "id": VALID_ID, "unit": "新华区", "hire": "2015-07-01",
              "card": "豫41123456", "expiry": "2028-12-31", "phone": "13912345678"}
    values.update(override)
    d.name_edit.setText(values["name"])
    d.id_edit.setText(values["id"])
    d.unit_combo.setEditText(values["unit"])
    d.hire_date.edit.setText(values["hire"])
    d.card_edit.setText(values["card"])
    d.card_expiry.edit.setText(values["expiry"])
    d.phone_edit.setText(values["phone"])


def saved_officer(db, **changes: object) -> Person:
    base = dict(id=None, name="赵志强", gender="男", id_number=idnumber.make("410403", dt.date(1985, 3, 2), 7, "男"),
                unit_id=unit_id(db, "新华区"), category="执法人员", position="科员", is_leader=False,
                leader_since=None, hire_date=dt.date(2010, 7, 1), card_number="豫41000001",
                card_expiry=dt.date(2028, 1, 31), post_status="在岗", phone="13800000000")
    base.update(changes)
    return people.save(db, Person(**base))  # type: ignore[arg-type]


def test_a_new_form_shows_no_red_but_says_what_is_missing_and_ok_is_disabled(dialog):
    assert not dialog.ok_button.isEnabled()
    assert all(label.text() == "" for label in dialog.errors.values())
    assert dialog.footer.text().startswith("尚需填写或更正：")
    assert "姓名" in dialog.footer.text() and "身份证号" in dialog.footer.text()


def test_an_invalid_id_number_shows_check_digit_error_and_ok_stays_disabled(dialog):
    fill_valid(dialog)
    assert dialog.ok_button.isEnabled()
    wrong = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
    dialog.id_edit.setText(wrong)
    assert dialog.error_text("身份证号") == "校验位错误"
    assert not dialog.ok_button.isEnabled()
    dialog.id_edit.setText(VALID_ID)
    assert dialog.error_text("身份证号") == ""
    assert dialog.ok_button.isEnabled()


def test_typing_a_short_id_number_says_how_long_it_is(dialog):
    dialog.id_edit.setFocus()
    for ch in "41040219":
        QTest.keyClick(dialog.id_edit, ch)
    assert dialog.error_text("身份证号") == "应为18位，实际为8位"


def test_gender_is_taken_from_a_valid_id_number(dialog):
    assert dialog.gender_combo.currentData() == ""
    dialog.id_edit.setText(VALID_ID)
    assert dialog.gender_combo.currentText() == "女"


def test_a_chosen_gender_that_contradicts_the_id_is_refused(dialog):
    fill_valid(dialog)
    dialog.gender_combo.setCurrentIndex(dialog.gender_combo.findData("男"))
    assert dialog.error_text("性别") == "与身份证号不符（身份证号为女性）"
    assert not dialog.ok_button.isEnabled()


def test_an_auxiliary_may_not_hold_an_enforcement_card(dialog):
    fill_valid(dialog)
    dialog.category_combo.setCurrentText("协管人员")
    assert "协管人员不得持有执法证" in dialog.error_text("执法证号")
    assert not dialog.ok_button.isEnabled()
    dialog.card_edit.setText("")
    dialog.card_expiry.edit.setText("")
    assert dialog.ok_button.isEnabled()


def test_a_leader_needs_an_appointment_date(dialog):
    fill_valid(dialog)
    assert not dialog.leader_since.isEnabled()
    dialog.leader_check.setChecked(True)
    assert dialog.leader_since.isEnabled()
    assert dialog.error_text("任职日期") == "队伍负责人须填写任职日期"
    dialog.leader_since.edit.setText("2023年3月1日")  # the way people write dates
    assert dialog.error_text("任职日期") == ""
    assert dialog.ok_button.isEnabled()


def test_dates_in_the_future_and_unreadable_dates_are_explained(dialog):
    fill_valid(dialog, hire="2099-01-01")
    assert dialog.error_text("入职日期") == "日期2099-01-01晚于今天"
    dialog.hire_date.edit.setText("去年")
    assert dialog.error_text("入职日期") == "无法识别的日期“去年”"
    assert not dialog.ok_button.isEnabled()


def test_a_card_number_without_expiry_and_a_bad_phone_are_refused(dialog):
    fill_valid(dialog, expiry="", phone="12345")
    assert dialog.error_text("执法证有效期至") == "填写了执法证号，但缺少执法证有效期"
    assert dialog.error_text("联系电话").startswith("应为以1开头的11位手机号")
    assert not dialog.ok_button.isEnabled()


def test_an_unknown_unit_is_refused_and_an_alias_is_accepted(dialog):
    fill_valid(dialog, unit="火星区")
    assert dialog.error_text("单位").startswith("未知单位“火星区”")
    dialog.unit_combo.setEditText("示范区")  # registered alias of 城乡一体化示范区
    assert dialog.error_text("单位") == ""
    assert dialog.ok_button.isEnabled()


def test_saving_a_new_person_stores_exactly_what_was_entered(dialog, db):
    fill_valid(dialog)
    dialog.position_edit.setText("执法队员")
    dialog.ok_button.click()
    saved = dialog.saved
    assert saved is not None and saved.id is not None
    assert people.get(db, saved.id) == saved
    assert (saved.name, saved.gender, saved.unit_id, saved.card_expiry, saved.post_status) == (
        "王秀兰", "女", unit_id(db, "新华区"), dt.date(2028, 12, 31), "在岗")
    assert dialog.result() == PersonDialog.DialogCode.Accepted


def test_a_duplicate_id_number_is_shown_and_nothing_typed_is_lost(dialog, db):
    saved_officer(db, id_number=VALID_ID, gender="女", name="先登记者")
    fill_valid(dialog)
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert "已登记给另一人" in dialog.error_text("身份证号")
    assert not dialog.ok_button.isEnabled()
    assert (dialog.name_edit.text(), dialog.phone_edit.text()) == ("王秀兰", "13912345678")
    assert people.count(db) == 1
    # correcting the number clears the message and saving works
    dialog.id_edit.setText(idnumber.make("410402", dt.date(1990, 5, 17), 4, "女"))
    assert dialog.error_text("身份证号") == ""
    dialog.ok_button.click()
    assert people.count(db) == 2


def test_editing_a_unit_asks_for_the_effective_date_and_records_history(qtbot, db):
    person = saved_officer(db)
    d = PersonDialog(db, person, today=DEMO_DAY)
    qtbot.addWidget(d)
    d.show()
    assert not d.effective.isVisible()
    d.unit_combo.setEditText("卫东区")
    assert d.effective.isVisible()
    assert d.effective.text() == DEMO_DAY.isoformat()
    d.effective.edit.setText("")
    assert d.error_text(EFFECTIVE) == "有变动时须填写生效日期"
    assert not d.ok_button.isEnabled()
    d.effective.edit.setText("2026-09-01")
    d.ok_button.click()

    assert people.get(db, person.id).unit_id == unit_id(db, "卫东区")
    [entry] = people.history(db, person.id)
    assert (entry.field, entry.old_value, entry.new_value, entry.effective_date) == (
        "单位", "新华区", "卫东区", dt.date(2026, 9, 1))


def test_changing_only_the_phone_records_no_history(qtbot, db):
    person = saved_officer(db)
    d = PersonDialog(db, person, today=DEMO_DAY)
    qtbot.addWidget(d)
    d.show()
    assert d.ok_button.isEnabled()
    d.phone_edit.setText("0375-2345678")
    assert not d.effective.isVisible()
    d.ok_button.click()
    assert people.get(db, person.id).phone == "0375-2345678"
    assert people.history(db, person.id) == []


def test_making_someone_a_leader_and_retiring_them_are_both_in_the_detail_history(qtbot, db):
    person = saved_officer(db)
    d = PersonDialog(db, person, today=DEMO_DAY)
    qtbot.addWidget(d)
    d.leader_check.setChecked(True)
    d.leader_since.edit.setText("2026-06-06")
    d.effective.edit.setText("2026-06-06")
    d.ok_button.click()
    d2 = PersonDialog(db, people.get(db, person.id), today=DEMO_DAY)
    qtbot.addWidget(d2)
    d2.status_combo.setCurrentText("退休")
    d2.effective.edit.setText("2026-11-01")
    d2.ok_button.click()

    detail = PersonDetailDialog(db, person.id, today=DEMO_DAY)
    qtbot.addWidget(detail)
    assert detail.value("队伍负责人") == "是（任职日期 2026-06-06）"
    assert detail.value("岗位状态") == "退休"
    rows = detail.history_rows()
    assert [(r[0], r[1], r[3]) for r in rows] == [
        ("2026-11-01", "岗位状态", "退休"),
        ("2026-06-06", "队伍负责人", "是（任职日期2026-06-06）"),
    ]


def test_the_detail_shows_card_state_and_says_when_there_is_no_history(qtbot, db):
    person = saved_officer(db, card_expiry=DEMO_DAY - dt.timedelta(days=1))
    detail = PersonDetailDialog(db, person.id, today=DEMO_DAY)
    qtbot.addWidget(detail)
    detail.show()
    assert detail.value("证件状态") == "已过期"
    assert detail.value("单位") == "平顶山市城市管理局 / 新华区"
    assert detail.value("出生日期") == "1985-03-02"
    assert detail.no_history.isVisible() and not detail.history_view.isVisible()


def test_editing_from_the_detail_refreshes_it(qtbot, db):
    person = saved_officer(db)
    detail = PersonDetailDialog(db, person.id, today=DEMO_DAY)
    qtbot.addWidget(detail)
    detail.show()
    seen: list[Person] = []
    detail.person_saved.connect(seen.append)

    def edit_and_save() -> None:
        dialog = detail.findChild(PersonDialog)
        assert dialog is not None
        dialog.position_edit.setText("副中队长")
        dialog.ok_button.click()

    QTimer.singleShot(0, edit_and_save)
    detail.edit_button.click()  # modal: returns after edit_and_save accepted the dialog
    assert detail.value("职务") == "副中队长"
    assert [p.position for p in seen] == ["副中队长"]


def test_the_unit_list_is_indented_like_the_tree(qtbot, db):
    units.add_street(db, "中兴路街道", unit_id(db, "新华区"))
    dialog = PersonDialog(db, None, today=DEMO_DAY)
    qtbot.addWidget(dialog)
    combo = dialog.unit_combo
    street = combo.findText("中兴路街道")
    county = combo.findText("新华区")
    bureau = combo.findText("平顶山市城市管理局")
    depth = Qt.ItemDataRole.UserRole + 2
    assert [combo.itemData(i, depth) for i in (bureau, county, street)] == [0, 1, 2]
