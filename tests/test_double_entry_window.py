"""Paper sheets typed twice in the window: a second clerk switches the 评分录入 tab to 第二遍核对录入, types the same
sheets blind (the first entry's values never show), then compares; mismatches turn red and are listed; the
chief judge decides each one (first, second or a new value, with a reason and the PIN) and until then the
item cannot be locked: the first entry never wins silently. The checks tab jumps to a mismatch's cell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from contest_window_support import open_item, shown_page, type_keys
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from trainer import contest, contest_locks, scoring
from trainer.contest_locks import LockRefused
from trainer.demo_contest import CLERK, DEMO_PIN
from ui.contest_page import ContestPage
from ui.mismatch_dialog import FIRST, SECOND, TYPED, MismatchDialog
from ui.pin_dialog import LockDialog
from ui.score_grid import CHECK_PASS, MATCHED_BG, MISMATCH_BG

SECOND_CLERK = "记分员王芳"


@pytest.fixture
def page(qtbot, demo_db, tmp_path):
    return shown_page(qtbot, demo_db, tmp_path)


def second_pass(page: ContestPage, item_name: str, clerk: str = SECOND_CLERK):
    """The second clerk opens the item in 第二遍核对录入 and types their name."""
    tab, item = open_item(page, item_name)
    tab.check_clerk_edit.setText(clerk)
    tab.set_pass(CHECK_PASS)
    return tab, item


def scored_cells(tab, n: int):
    """The first n cells (down the first value column) that hold a first entry."""
    model = tab.model
    c = model.first_value_column
    out = []
    for r in range(model.rowCount()):
        index = model.index(r, c)
        slot = model.slot_at(index)
        if model.blocked(index) is None and slot in tab.values:
            out.append(index)
        if len(out) == n:
            return out
    raise AssertionError("not enough scored cells")


def type_at(tab, index, text: str) -> None:
    tab.view.go_to(index)
    tab.view.setFocus()
    type_keys(tab.view, text + "\r")


def test_the_second_pass_is_blind_and_compares_only_when_asked(qtbot, page, demo_db):
    tab, item = second_pass(page, "情景模拟执法")
    model = tab.model
    assert tab.check_clerk_edit.isVisible() and tab.compare_button.isVisible() and not tab.deduct_button.isEnabled()
    assert "第二遍核对录入" in tab.check_label.text()
    shown = [model.index(r, c).data() for r in range(model.rowCount()) for c in model.value_columns()]
    assert set(shown) <= {"", "回避"}  # every first entry is there, none of them shows
    assert model.index(0, model.first_value_column).data(Qt.ItemDataRole.ToolTipRole) == "未评分（与0分不同）"

    same, differs = scored_cells(tab, 2)
    first_same, first_differs = tab.values[model.slot_at(same)], tab.values[model.slot_at(differs)]
    type_at(tab, same, str(Decimal(first_same) / 1000))
    other = Decimal(first_differs) / 1000 - 1
    type_at(tab, differs, str(other))
    assert scoring.get_score(demo_db, model.slot_at(differs)) == Decimal(first_differs) / 1000  # first untouched
    assert model.index(differs.row(), differs.column()).data() == str(other)  # the second pass's own value
    assert f"第二遍已保存 {other}" in tab.message_label.text() and "不一致" not in tab.message_label.text()
    for index in (same, differs):  # nothing coloured yet: the clerk must not be steered by the first entry
        assert model.data(index, Qt.ItemDataRole.BackgroundRole) is None
    assert not tab.mismatch_box.isVisible()

    tab.compare()
    assert model.data(differs, Qt.ItemDataRole.BackgroundRole) == MISMATCH_BG
    assert model.data(same, Qt.ItemDataRole.BackgroundRole) == MATCHED_BG
    assert "两遍录入不一致：第一遍" in model.data(differs, Qt.ItemDataRole.ToolTipRole)
    assert tab.mismatch_box.isVisible() and tab.mismatch_model.rowCount() == 1
    row = tab.mismatch_model.row_texts(0)
    assert row[3].startswith(str(Decimal(first_differs) / 1000)) and row[4] == f"{other}（{SECOND_CLERK}）"
    assert "两遍录入不一致 1 处" in tab.message_label.text()
    status = scoring.double_entry_status(demo_db, item.id)
    assert (status.checked, status.matched, len(status.mismatches)) == (2, 1, 1)


def test_the_first_clerk_cannot_check_their_own_sheets_and_checks_are_not_deleted(qtbot, page, demo_db):
    tab, item = second_pass(page, "情景模拟执法", clerk=CLERK)  # the demo's first entries are CLERK's
    [cell] = scored_cells(tab, 1)
    type_at(tab, cell, "3")
    assert "复核录入须由另一名录入员完成" in tab.message_label.text()
    assert scoring.check_values(demo_db, item.id) == {}

    tab.check_clerk_edit.setText(SECOND_CLERK)
    type_keys(tab.view, "3\r")
    assert scoring.check_values(demo_db, item.id) == {tab.model.slot_at(cell): 3000}
    tab.view.go_to(cell)
    QTest.keyClick(tab.view, Qt.Key.Key_Delete)
    assert "不能撤销" in tab.message_label.text()
    assert scoring.check_values(demo_db, item.id) == {tab.model.slot_at(cell): 3000}


def make_mismatches(tab, n: int) -> list:
    cells = scored_cells(tab, n)
    for index in cells:
        first = Decimal(tab.values[tab.model.slot_at(index)]) / 1000
        type_at(tab, index, str(first - 1))
    tab.compare()
    return cells


def test_the_chief_judge_decides_with_a_choice_a_reason_and_the_pin(qtbot, page, demo_db):
    tab, item = second_pass(page, "情景模拟执法")
    keep_first, take_second, typed_new = make_mismatches(tab, 3)
    slots = [tab.model.slot_at(i) for i in (keep_first, take_second, typed_new)]
    firsts = [scoring.get_score(demo_db, s) for s in slots]
    assert tab.mismatch_model.rowCount() == 3

    tab.mismatch_view.selectRow(0)
    tab.resolve_selected()
    dialog = page.active_dialog
    assert isinstance(dialog, MismatchDialog) and dialog.group.checkedId() == -1  # nothing preselected
    dialog.pin_edit.setText(DEMO_PIN)
    dialog.reason_edit.setText("核对原始评分表")
    dialog.submit()
    assert "请选择应记录的分数" in dialog.error_label.text() and dialog.isVisible()
    dialog.choose(FIRST)
    dialog.reason_edit.setText("")
    dialog.submit()
    assert "裁定须说明原因" in dialog.error_label.text()
    dialog.reason_edit.setText("核对原始评分表，第二遍录错")
    dialog.pin_edit.setText("1111")
    dialog.submit()
    assert dialog.error_label.text() == "PIN不正确（再输错4次将锁定5分钟）"  # the PIN is asked once, counted once
    assert len(scoring.double_entry_status(demo_db, item.id).mismatches) == 3
    dialog.pin_edit.setText(DEMO_PIN)
    dialog.submit()
    assert not dialog.isVisible()
    assert scoring.get_score(demo_db, slots[0]) == firsts[0]
    assert tab.mismatch_model.rowCount() == 2 and "已裁定" in tab.message_label.text()

    for which, value in ((SECOND, ""), (TYPED, "6")):
        tab.mismatch_view.selectRow(0)
        tab.resolve_selected()
        dialog = page.active_dialog
        dialog.choose(which, value)
        dialog.pin_edit.setText(DEMO_PIN)
        dialog.reason_edit.setText("核对原始评分表")
        dialog.submit()
        assert not dialog.isVisible(), dialog.error_label.text()
    assert scoring.get_score(demo_db, slots[1]) == firsts[1] - 1
    assert scoring.get_score(demo_db, slots[2]) == Decimal(6)
    assert scoring.double_entry_status(demo_db, item.id).mismatches == ()
    assert not tab.mismatch_box.isVisible()
    decided = [c for c in scoring.score_changes(demo_db, 1) if c.action == "裁定不一致"]
    assert len(decided) == 3 and {c.actor for c in decided} == {"裁判长周明"}


def test_an_undecided_mismatch_keeps_the_item_unlocked(qtbot, page, demo_db):
    tab, item = second_pass(page, "情景模拟执法")
    make_mismatches(tab, 1)
    page.tabs.setCurrentWidget(page.checks_tab)
    checks = page.checks_tab
    checks.select_item(item.id)
    checks.lock_selected()
    dialog = page.active_dialog
    assert isinstance(dialog, LockDialog)
    dialog.pin_edit.setText(DEMO_PIN)
    dialog.reason_edit.setText("经评委合议，维持原评分")
    dialog.submit()
    assert "复核录入不一致" in dialog.error_label.text()
    assert not contest.require_item(demo_db, item.id).locked
    with pytest.raises(LockRefused):
        contest_locks.lock_item(demo_db, item.id, DEMO_PIN, "裁判长周明", override_reason="x")


def test_the_checks_tab_lists_the_mismatch_and_jumps_to_its_cell(qtbot, page, demo_db):
    tab, _item = second_pass(page, "情景模拟执法")
    [cell] = make_mismatches(tab, 1)
    slot = tab.model.slot_at(cell)
    tab.set_pass("first")
    page.tabs.setCurrentWidget(page.checks_tab)
    checks = page.checks_tab
    assert checks.lists.tabText(1) == "复核录入不一致（1）"
    assert checks.mismatch_model.row_texts(0)[0] == "情景模拟执法"
    checks.goto_button.click()
    assert page.tabs.currentWidget() is page.entry_tab
    current = tab.view.currentIndex()
    assert tab.model.slot_at(current) == slot
    assert tab.model.data(current, Qt.ItemDataRole.BackgroundRole) == MISMATCH_BG  # the first pass sees it red
    assert tab.mismatch_box.isVisible()

    page.tabs.setCurrentWidget(page.checks_tab)
    checks.resolve_selected()
    dialog = page.active_dialog
    assert isinstance(dialog, MismatchDialog)
    dialog.choose(SECOND)
    dialog.pin_edit.setText(DEMO_PIN)
    dialog.reason_edit.setText("核对原始评分表")
    dialog.submit()
    assert checks.lists.tabText(1) == "复核录入不一致（0）"
    assert "已裁定" in checks.message_label.text()
