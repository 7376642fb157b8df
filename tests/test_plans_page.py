"""As a training officer I draw up a unit's annual plan in the window: create it, add items (a mistake is
explained and my input kept), start from last year's plan, see what each item has produced, and open a
class from an item; the bases the items use are kept from the same page."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from training_support import D, unit_id

from trainer import plans, training, units
from trainer.plan_fields import END, HOURS
from ui.plans_page import PlansPage

TODAY = D(2026, 11, 25)


class Answers:
    """Stands in for message boxes and file choosers, recording what the user was told."""

    def __init__(self, page: PlansPage) -> None:
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.questions: list[str] = []
        self.confirmations: list[bool] = []
        page.show_error = self.errors.append  # type: ignore[method-assign]
        page.show_info = lambda title, text: self.infos.append(text)  # type: ignore[method-assign]
        page.status = lambda text: self.infos.append(text)  # type: ignore[method-assign]

        def confirm(title: str, text: str) -> bool:
            self.questions.append(text)
            return self.confirmations.pop(0)

        page.confirm = confirm  # type: ignore[method-assign]


def make_page(qtbot, db) -> PlansPage:
    p = PlansPage(db, today=TODAY)
    qtbot.addWidget(p)
    p.resize(1500, 800)
    p.show()
    qtbot.waitExposed(p)
    return p


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def table(view) -> list[tuple[str, ...]]:
    model = view.model()
    return [tuple(model.index(r, c).data() for c in range(model.columnCount())) for r in range(model.rowCount())]


def city(db) -> int:
    return unit_id(db, "平顶山市城市管理局")


def test_create_a_plan_and_add_an_item_after_correcting_a_mistake(qtbot, db):
    page = make_page(qtbot, db)
    changes: list[None] = []
    page.data_changed.connect(lambda: changes.append(None))
    page.set_unit(unit_id(db, "新华区"))
    assert page.year == 2026 and "新华区2026年度尚无培训计划" in page.empty_label.text()
    assert not page.copy_button.isEnabled()  # no 2025 plan to copy

    click(qtbot, page.new_button)
    plan = plans.plans(db, 2026)[0]
    assert (plan.title, plan.status, plan.unit_id) == ("新华区2026年度教育培训计划", "草稿", unit_id(db, "新华区"))
    assert page.stack.currentIndex() == 1 and not page.new_button.isEnabled() and changes == [None]

    page.status_combo.setCurrentText("已发布")
    page.status_combo.activated.emit(page.status_combo.currentIndex())
    click(qtbot, page.save_plan_button)
    assert plans.get_plan(db, int(plan.id or 0)).status == "已发布"

    click(qtbot, page.add_item_button)
    dialog = page.item_dialog
    qtbot.waitExposed(dialog)
    dialog.title_edit.setText("新招录执法人员初任培训")
    dialog.type_combo.setCurrentText("初任培训")
    dialog.recruits_check.setChecked(True)
    dialog.start.edit.setText("2026-05-18")
    dialog.end.edit.setText("2026-05-01")
    dialog.hours_edit.setText("90.555")
    dialog.budget_edit.setText("30000")
    click(qtbot, dialog.ok_button)

    assert dialog.isVisible()
    assert dialog.error_text(END) == "结束日期早于开始日期"
    assert dialog.error_text(HOURS) == "最多保留两位小数（90.555）"
    assert "有2处需要更正" in dialog.footer.text()
    assert dialog.title_edit.text() == "新招录执法人员初任培训" and dialog.start.text() == "2026-05-18"
    assert plans.items(db, int(plan.id or 0)) == []

    dialog.end.edit.setText("2026-05-29")
    dialog.hours_edit.setText("90")
    click(qtbot, dialog.ok_button)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    [item] = plans.items(db, int(plan.id or 0))
    assert (item.days, item.hours, item.audience.recruits_only) == (12, 90, True)  # days from the dates
    assert table(page.items_view) == [("新招录执法人员初任培训", "初任培训", "执法人员，新招录人员", "5月18日—29日",
                                       "12", "90", "", "", "30,000.00", "", "计划")]
    assert "合计：12 天，90 学时，预算 30,000.00 元" in page.totals_label.text()

    # Editing keeps the item and its id (classes opened from it stay linked).
    page.select_item("新招录执法人员初任培训")
    click(qtbot, page.edit_item_button)
    edit = page.item_dialog
    edit.budget_edit.setText("32000.50")
    click(qtbot, edit.ok_button)
    qtbot.waitUntil(lambda: not edit.isVisible())
    assert [(i.id, str(i.budget)) for i in plans.items(db, int(plan.id or 0))] == [(item.id, "32000.50")]

    # 限定单位 is picked from the unit tree: a county brings its streets, which are then not named twice.
    county = unit_id(db, "卫东区")
    street = units.add_street(db, "东安路街道", county).id
    page.select_item("新招录执法人员初任培训")
    click(qtbot, page.edit_item_button)
    edit = page.item_dialog
    chooser = edit.unit_checklist()
    chooser.set_checked(county)
    assert chooser.items[street].checkState() == Qt.CheckState.Checked
    chooser.set_checked(unit_id(db, "湛河区"))
    chooser.set_checked(unit_id(db, "湛河区"), False)
    assert chooser.chosen_names() == ["卫东区"]
    edit.units_edit.setText("、".join(chooser.chosen_names()))
    click(qtbot, edit.ok_button)
    qtbot.waitUntil(lambda: not edit.isVisible())
    [item] = plans.items(db, int(plan.id or 0))
    assert item.audience.unit_ids == (county,)
    page.select_item("新招录执法人员初任培训")
    click(qtbot, page.edit_item_button)
    again = page.item_dialog.unit_checklist()  # the field's names come back checked
    assert again.chosen_ids() == [county]
    page.item_dialog.reject()

    answers = Answers(page)
    answers.confirmations += [False, True]
    page.select_item("新招录执法人员初任培训")
    click(qtbot, page.delete_item_button)
    assert len(plans.items(db, int(plan.id or 0))) == 1  # 否: kept
    click(qtbot, page.delete_item_button)
    assert plans.items(db, int(plan.id or 0)) == [] and table(page.items_view) == []


def test_copy_last_years_plan(qtbot, demo_db):
    page = make_page(qtbot, demo_db)
    answers = Answers(page)
    assert page.unit_id == city(demo_db) and page.stack.currentIndex() == 1  # the unit that has a plan
    page.year_spin.setValue(2027)
    assert page.stack.currentIndex() == 0 and "复制上年计划" in page.empty_label.text()

    click(qtbot, page.copy_button)
    new = next(p for p in plans.plans(demo_db, 2027) if p.unit_id == city(demo_db))
    assert (new.title, new.status) == ("平顶山市城市管理局2027年度教育培训计划", "草稿")
    last = next(p for p in plans.plans(demo_db, 2026) if p.unit_id == city(demo_db))
    assert [r[0] for r in table(page.items_view)] == [i.title for i in plans.items(demo_db, int(last.id or 0))]
    assert page.tabs.tabText(0) == "计划项目（7）" and not page.copy_button.isEnabled()

    # Deleting it again asks first and leaves 2027 empty.
    answers.confirmations.append(True)
    click(qtbot, page.delete_plan_button)
    assert "全部 7 个项目" in answers.questions[-1]
    assert [p for p in plans.plans(demo_db, 2027)] == [] and page.copy_button.isEnabled()


def test_plan_vs_actual_shows_the_demo_classes_and_an_item_opens_a_class(qtbot, demo_db):
    page = make_page(qtbot, demo_db)
    answers = Answers(page)
    page.show_actual()
    plan = page.plan
    expected = {a.item.title: a for a in plans.plan_vs_actual(demo_db, int(plan.id or 0))}
    rows = {r[0]: r for r in table(page.actual_view)}
    assert set(rows) == set(expected)
    held = [t for t, a in expected.items() if a.classes]
    assert held, "the demo links classes to this year's items"
    for title, a in expected.items():
        assert rows[title][5:8] == (str(a.classes), str(a.enrolled), str(a.completed))
    assert rows[held[0]][-1].startswith("已开班")

    idle = next(t for t, a in expected.items() if not a.classes and not a.preparing)
    assert rows[idle][-1] == "未开班"
    assert not page.open_class_button.isEnabled()
    page.select_item(idle)
    changes: list[None] = []
    page.data_changed.connect(lambda: changes.append(None))
    before = len(training.list_classes(demo_db))
    click(qtbot, page.open_class_button)

    classes = training.list_classes(demo_db)
    assert len(classes) == before + 1
    opened = next(c for c in classes if c.title == idle)
    source = expected[idle].item
    assert (opened.plan_item_id, opened.status, opened.type) == (source.id, "筹备", source.type)
    assert changes == [None]
    assert "已按计划项目" in answers.infos[-1] and "“培训班”页面" in answers.infos[-1]
    row = {r[0]: r for r in table(page.actual_view)}[idle]
    assert (row[5], row[-1]) == ("0", "未开班（筹备中1期）"), "a class being prepared has not been held yet"

    # A second class from the same item is numbered; in the main window the user may go straight to 培训班.
    shown: list[str] = []
    page.main_window = SimpleNamespace(sections={"培训班": None}, show_section=shown.append)
    answers.confirmations.append(True)
    page.select_item(idle)
    click(qtbot, page.open_class_button)
    assert any(c.title == f"{idle}（第2期）" for c in training.list_classes(demo_db))
    assert "现在前往“培训班”页面吗" in answers.questions[-1] and shown == ["培训班"]


def test_bases_are_kept_from_the_plans_page(qtbot, demo_db):
    page = make_page(qtbot, demo_db)
    click(qtbot, page.bases_button)
    dialog = page.bases_dialog
    qtbot.waitExposed(dialog)
    assert dialog.model.rowCount() == 4
    errors: list[str] = []
    dialog.show_error = errors.append  # type: ignore[method-assign]
    dialog.confirm = lambda title, text: True  # type: ignore[method-assign]

    click(qtbot, dialog.add_button)
    editor = dialog.editor
    editor.name_edit.setText("中共平顶山市委党校")  # taken
    editor.kind_combo.setCurrentText("高校")
    click(qtbot, editor.ok_button)
    assert editor.isVisible() and "已有名为" in editor.error.text()
    editor.name_edit.setText("河南城建学院")
    editor.address_edit.setText("平顶山市新华区龙翔大道")
    click(qtbot, editor.ok_button)
    qtbot.waitUntil(lambda: not editor.isVisible())
    assert dialog.model.rowCount() == 5 and dialog.selected().name == "河南城建学院"

    click(qtbot, dialog.delete_button)
    assert dialog.model.rowCount() == 4 and errors == []
    dialog.select_named("中共平顶山市委党校")
    click(qtbot, dialog.delete_button)
    assert len(errors) == 1 and "个培训班或计划项目使用，不能删除" in errors[0]
    assert dialog.model.rowCount() == 4


def test_export_import_and_print_from_the_page(qtbot, demo_db, tmp_path: Path):
    page = make_page(qtbot, demo_db)
    answers = Answers(page)
    xlsx = page.export_plan(str(tmp_path / "plan.xlsx"))
    assert xlsx is not None and xlsx.exists() and "已导出 7 个计划项目" in answers.infos[-1]

    page.set_unit(unit_id(demo_db, "卫东区"))
    dialog = page.open_import_dialog(str(xlsx))
    qtbot.waitUntil(lambda: dialog.plan is not None and not dialog.busy, timeout=10_000)
    assert dialog.banner_kind == "ok" and dialog.model.rowCount() == 7
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: dialog.result_plan is not None, timeout=10_000)
    assert page.plan is not None and page.plan.unit_id == unit_id(demo_db, "卫东区")
    assert len(table(page.items_view)) == 7

    answers.confirmations.append(False)  # don't open the PDF viewer
    pdf = page.print_plan(str(tmp_path / "plan.pdf"))
    assert pdf is not None and pdf.stat().st_size > 0 and "现在打开吗" in answers.questions[-1]


@pytest.mark.parametrize("budget", ["-1", "三万"])
def test_a_bad_budget_is_refused_in_the_dialog(qtbot, demo_db, budget):
    page = make_page(qtbot, demo_db)
    page.select_item("岗位练兵")
    click(qtbot, page.edit_item_button)
    dialog = page.item_dialog
    dialog.budget_edit.setText(budget)
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible() and dialog.errors["预算（元）"].text()
    assert next(i for i in page.items if i.title == "岗位练兵").budget == 4000
