"""Blind items (密封编号) on the main laptop: until the item is locked the entry grid shows the anonymous code only,
in code order — no draw number, name or unit, in no cell, header, tooltip or message — and the checks tab's
lists show the code too. Once the item is locked the names may appear."""

from __future__ import annotations

import pytest
from contest_window_support import open_item, shown_page, type_keys
from PySide6.QtCore import Qt

from trainer import contest_locks, contest_people, draw, scoring
from trainer.demo_contest import DEMO_PIN
from trainer.scoring import Slot
from ui.score_grid import CHECK_PASS

ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


@pytest.fixture
def page(qtbot, demo_db, tmp_path):
    return shown_page(qtbot, demo_db, tmp_path)


def grid_texts(model) -> str:
    cells = [str(model.index(r, c).data(role) or "") for r in range(model.rowCount())
             for c in range(model.columnCount()) for role in ROLES]
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(model.columnCount())]
    return "\n".join(cells + headers)


def names_in(text: str, db) -> list[str]:
    return [c.name for c in contest_people.competitors(db, 1) if c.name in text]


def test_an_open_blind_item_shows_codes_only(qtbot, page, demo_db):
    tab, item = open_item(page, "案卷评审")
    assert item.blind and not item.locked
    model = tab.model
    assert model.fixed_columns() == ["密封编号"]
    codes = draw.codes(demo_db, item.id)
    shown = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert shown == sorted(codes.values(), key=contest_people.code_key)  # code order, not draw order
    assert names_in(grid_texts(model), demo_db) == []
    units = {model.ctx.panel.unit_name(c.unit_id) for c in model.ctx.panel.competitors}
    assert not any(u and u in grid_texts(model) for u in units)
    assert "密封项目：锁定前只显示密封编号" in tab.rule_label.text()

    r, c = next((r, c) for c in model.value_columns() for r in range(model.rowCount())
                if model.blocked(model.index(r, c)) is None and model.value_at(model.index(r, c)) is None)
    tab.view.go_to(model.index(r, c))
    tab.view.setFocus()
    type_keys(tab.view, "150")  # a refusal names the cell by its code
    assert f"密封编号{shown[r]}" in tab.message_label.text() and names_in(tab.message_label.text(), demo_db) == []
    type_keys(tab.view, "\b\b\b88\r")
    assert f"密封编号{shown[r]}" in tab.message_label.text() and "已保存 88" in tab.message_label.text()
    assert names_in(tab.message_label.text(), demo_db) == []


def test_the_second_pass_and_the_checks_tab_keep_a_blind_item_anonymous(qtbot, page, demo_db):
    tab, _item = open_item(page, "案卷评审")
    tab.check_clerk_edit.setText("记分员王芳")
    tab.set_pass(CHECK_PASS)
    index = next(tab.model.index(r, c) for c in tab.model.value_columns() for r in range(tab.model.rowCount())
                 if tab.model.slot_at(tab.model.index(r, c)) in tab.values)
    slot: Slot = tab.model.slot_at(index)
    scoring.enter_check(demo_db, slot, "1", "记分员王芳")
    tab.compare()
    assert tab.mismatch_model.rowCount() == 1
    listed = "".join(tab.mismatch_model.row_texts(0))
    assert "密封编号" in listed and names_in(listed, demo_db) == []

    page.tabs.setCurrentWidget(page.checks_tab)
    row = page.checks_tab.mismatch_model.row_texts(0)
    assert row[1].startswith("密封编号") and row[2] == "（密封）"
    assert names_in("".join(row), demo_db) == []


def test_a_locked_blind_item_shows_names(qtbot, page, demo_db):
    tab, item = open_item(page, "执法文书制作")
    assert item.blind and item.locked
    assert tab.model.fixed_columns() == ["抽签号", "密封编号", "姓名", "单位"]
    first = tab.model.competitor_at(0)
    assert tab.model.index(0, 2).data() == first.name and first.draw_no == 1

    contest_locks.unlock_item(demo_db, item.id, DEMO_PIN, "裁判长周明", "发现录入错误")
    page.refresh()
    tab, item = open_item(page, "执法文书制作")
    assert not item.locked and tab.model.fixed_columns() == ["密封编号"]
    assert names_in(grid_texts(tab.model), demo_db) == []
