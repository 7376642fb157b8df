"""A training officer keeps the unit tree current: adds, renames, moves and removes street/town squadrons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from trainer import units
from ui.units_page import ALIAS_COLUMN, LEVEL_COLUMN, OWN_COLUMN, TOTAL_COLUMN, UNIT_ID_ROLE, UnitsPage


class Answers:
    """Stands in for the input dialogs and message boxes, recording what the user was told."""

    def __init__(self, page: UnitsPage):
        self.texts: list[str | None] = []
        self.choices: list[str | None] = []
        self.confirmations: list[bool] = []
        self.errors: list[str] = []
        self.offered: list[list[str]] = []
        page.ask_text = lambda title, label, text: self.texts.pop(0)  # type: ignore[method-assign]
        page.confirm = lambda title, text: self.confirmations.pop(0)  # type: ignore[method-assign]
        page.show_error = self.errors.append  # type: ignore[method-assign]

        def choose(title: str, label: str, items: list[str]) -> str | None:
            self.offered.append(items)
            return self.choices.pop(0)

        page.ask_choice = choose  # type: ignore[method-assign]


@pytest.fixture
def page(qtbot, db):
    p = UnitsPage(db)
    qtbot.addWidget(p)
    p.resize(900, 700)
    p.show()
    return p


def unit_named(db, name: str) -> units.Unit | None:
    return next((u for u in units.all_units(db) if u.name == name), None)


def row_of(page: UnitsPage, name: str) -> list[str]:
    index = page._items[unit_named(page.db, name).id].index()
    return [index.siblingAtColumn(c).data() for c in range(page.model.columnCount())]


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_add_rename_move_and_delete_a_street(qtbot, page, db):
    answers = Answers(page)
    changes: list[None] = []
    page.units_changed.connect(lambda: changes.append(None))

    # Only a county (or a street in it) can take a new street; built-in units cannot be renamed.
    page.select_unit(unit_named(db, "新华区").id)
    assert page.add_button.isEnabled()
    assert not page.rename_button.isEnabled() and not page.move_button.isEnabled()
    assert not page.delete_button.isEnabled() and page.aliases_button.isEnabled()

    answers.texts.append("曙光街街道")
    click(qtbot, page.add_button)
    street = unit_named(db, "曙光街街道")
    assert street is not None and street.parent_id == unit_named(db, "新华区").id
    assert page.selected_unit() == street  # the new unit is selected, ready for the next action
    assert row_of(page, "曙光街街道")[LEVEL_COLUMN] == "街道（乡镇）"
    assert page._items[street.id].parent() is page._items[street.parent_id]
    assert page.rename_button.isEnabled() and page.move_button.isEnabled() and page.delete_button.isEnabled()

    answers.texts.append("曙光街道")
    click(qtbot, page.rename_button)
    assert unit_named(db, "曙光街街道") is None and unit_named(db, "曙光街道") is not None

    answers.choices.append("卫东区")
    click(qtbot, page.move_button)
    assert "新华区" not in answers.offered[0] and "卫东区" in answers.offered[0]  # only other counties
    moved = unit_named(db, "曙光街道")
    assert moved.parent_id == unit_named(db, "卫东区").id
    assert page._items[moved.id].parent() is page._items[moved.parent_id]

    answers.texts.append("曙光，曙光办事处")
    click(qtbot, page.aliases_button)
    assert unit_named(db, "曙光街道").aliases == ("曙光", "曙光办事处")
    assert row_of(page, "曙光街道")[ALIAS_COLUMN] == "曙光，曙光办事处"

    answers.confirmations.append(True)
    click(qtbot, page.delete_button)
    assert unit_named(db, "曙光街道") is None
    assert answers.errors == [] and len(changes) == 5


def test_a_street_with_people_cannot_be_deleted_and_the_reason_is_shown(qtbot, demo_db):
    page = UnitsPage(demo_db)
    qtbot.addWidget(page)
    page.show()
    answers = Answers(page)
    busy = next(u for u in units.all_units(demo_db) if u.editable and units.people_count(demo_db, u.id))
    staff = units.people_count(demo_db, busy.id)
    assert row_of(page, busy.name)[OWN_COLUMN] == str(staff)
    county = row_of(page, units.UnitIndex.load(demo_db).name(busy.parent_id))
    assert int(county[TOTAL_COLUMN]) >= int(county[OWN_COLUMN]) + staff

    page.select_unit(busy.id)
    answers.confirmations.append(True)
    click(qtbot, page.delete_button)
    assert answers.errors == [f"“{busy.name}”下还有{staff}名人员，不能删除；请先将人员调整到其他单位"]
    assert unit_named(demo_db, busy.name) is not None
    assert page.selected_unit() == busy  # nothing moved under the user's feet


def test_refused_changes_show_the_reason_and_change_nothing(qtbot, page, db):
    answers = Answers(page)
    page.select_unit(unit_named(db, "新华区").id)
    answers.texts.append("卫东区")  # already a county's name
    click(qtbot, page.add_button)
    answers.texts.append("示范区")  # already an alias of 城乡一体化示范区
    click(qtbot, page.add_button)
    assert answers.errors == ["已有名为“卫东区”的单位或别名", "已有名为“示范区”的单位或别名"]
    assert [u for u in units.all_units(db) if u.level == "街道"] == []

    answers.texts.append(None)  # the user pressed 取消 in the name box
    click(qtbot, page.add_button)
    assert len(answers.errors) == 2


def test_the_tree_shows_levels_and_people_of_the_demo_bureau(qtbot, demo_db):
    page = UnitsPage(demo_db)
    qtbot.addWidget(page)
    page.show()
    top = page.model.index(0, 0)
    assert top.data() == "平顶山市城市管理局" and page.model.rowCount() == 1
    assert top.siblingAtColumn(TOTAL_COLUMN).data() == "300"
    names = [page.model.index(r, 0, top).data() for r in range(page.model.rowCount(top))]
    assert {"新华区", "卫东区", "郏县", "政治处"} <= set(names)
    assert row_of(page, "新华区")[LEVEL_COLUMN] == "县（市、区）"
    assert "示范区" in row_of(page, "城乡一体化示范区")[ALIAS_COLUMN].split("，")
    assert top.data(UNIT_ID_ROLE) == unit_named(demo_db, "平顶山市城市管理局").id
    assert "共" in page.status.text() and "人员 300 人" in page.status.text()
