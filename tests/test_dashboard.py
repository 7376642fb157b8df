"""As a training officer I open 首页 and see, unit by unit, how many people pass or are behind on each
check, 学时 month by month and coverage per county; every number opens the list of exactly the people
behind it. The figures are counted from compliance.evaluate, the one place each rule lives."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from conftest import DEMO_DAY
from PySide6.QtCore import QPoint, Qt
from sqlite_utils import Database
from training_support import D, add_record, make_class, person

from trainer import compliance, dashboard, people, records, rules, training, units
from trainer.compliance import ANNUAL, CARD, CHECKS, COVERAGE, INITIAL
from trainer.record_cache import RecordCache
from ui.dashboard_matrix import FIRST_CHECK_COL, PEOPLE_COL, UNIT_COL
from ui.dashboard_page import DashboardPage
from ui.people_list_dialog import PeopleList, PeopleListDialog
from ui.person_detail import PersonDetailDialog

AS_OF = DEMO_DAY


def load(db: Database, as_of: dt.date = AS_OF, **kw: object) -> dashboard.Dashboard:
    return dashboard.load(db, rules.active(db), as_of.year, as_of, **kw)  # type: ignore[arg-type]


# ---- the figures (no Qt) ---------------------------------------------------------------------------------

def test_every_matrix_cell_counts_exactly_the_check_rows_of_its_units(demo_db: Database) -> None:
    d = load(demo_db)
    results = compliance.evaluate(demo_db, rules.active(demo_db), AS_OF)
    assert d.results == results
    for row in d.rows:
        for check in CHECKS:
            expected = Counter(r.status for r in results if r.unit_id in row.unit_ids and r.check == check)
            assert dict(row.cells[check].counts) == dict(expected), (row.label, check)
            assert d.row_people(row, check) == [r for r in results if r.unit_id in row.unit_ids and r.check == check]
    total = d.rows[0]
    assert total.label == dashboard.TOTAL_LABEL and total.people == sum(r.check == COVERAGE for r in results)


def test_a_county_rolls_up_its_own_people_and_its_streets(demo_db: Database) -> None:
    d = load(demo_db)
    tree = units.all_units(demo_db)
    county = next(r for r in d.rows if r.label == "新华区")
    assert county.unit_ids == units.descendants(tree, county_id := next(u.id for u in tree if u.name == "新华区"))
    children = [d.rows[i] for i in county.children]
    assert children[0].label == "新华区本级" and children[0].unit_ids == {county_id}
    assert {r.kind for r in children[1:]} == {"街道"} and len(children) > 2
    for check in CHECKS:
        summed = Counter[str]()
        for child in children:
            summed.update(dict(child.cells[check].counts))
        assert dict(county.cells[check].counts) == dict(summed)
    assert county.people == sum(c.people for c in children)
    assert all(d.rows[i].parent == d.rows.index(county) for i in county.children)


def test_cells_are_coloured_by_their_worst_status() -> None:
    assert dashboard.Cell((("合格", 120), ("逾期", 3))).colour == dashboard.RED
    assert dashboard.Cell((("合格", 5), ("即将到期", 1))).colour == dashboard.AMBER
    assert dashboard.Cell((("合格", 5), ("未完成", 1), ("不合格", 1))).colour == dashboard.RED
    assert dashboard.Cell((("合格", 5),)).colour == dashboard.GREEN
    assert dashboard.Cell(()).colour == ""
    assert dashboard.Cell((("合格", 120), ("逾期", 3))).text == "合格 120 / 逾期 3"


def test_hours_by_month_add_the_completed_records_by_the_month_they_ended(db: Database) -> None:
    a, b = person(db, "甲"), person(db, "乙")
    add_record(db, a, "业务知识培训", D(2026, 2, 27), D(2026, 3, 2), hours="24")  # ends in March
    add_record(db, b, "业务知识培训", D(2026, 3, 9), D(2026, 3, 10), hours="16.5")
    add_record(db, b, "专题培训", D(2026, 5, 6), D(2026, 5, 6), hours="8", completed=False)  # not completed
    add_record(db, a, "专题培训", D(2026, 7, 1), D(2026, 7, 3), hours="24")  # after the as-of date
    add_record(db, a, "专题培训", D(2025, 12, 1), D(2025, 12, 3), hours="24")  # last year
    d = load(db, D(2026, 6, 30))
    assert d.hours_by_month == [Decimal(0), Decimal(0), Decimal("40.5"), *[Decimal(0)] * 9]
    assert d.total_hours == Decimal("40.5")
    assert [(r.person_id, r.hours) for r in d.month_records[2]] == [(a.id, Decimal(24)), (b.id, Decimal("16.5"))]
    later = load(db, D(2026, 12, 31))
    assert later.hours_by_month[6] == Decimal(24) and later.total_hours == Decimal("64.5")


def test_hours_by_month_sum_every_completed_hour_of_the_people_in_post(demo_db: Database) -> None:
    d = load(demo_db)
    active = rules.active(demo_db)
    in_post = {r.person_id for r in d.results}
    expected = sum((r.hours for pid, recs in records.by_person(demo_db, active).items() if pid in in_post
                    for r in recs if r.completed and D(2026, 1, 1) <= r.end_date <= AS_OF), Decimal(0))
    assert d.total_hours == expected > 0
    assert sum(len(m) for m in d.month_records) == sum(1 for m in d.month_records for _ in m)


def test_coverage_by_county_level_unit_and_the_lists_of_who_is_behind(demo_db: Database) -> None:
    d = load(demo_db)
    assert d.coverage[0].label == "市直单位" and [g.label for g in d.coverage[1:4]] == ["新华区", "卫东区", "湛河区"]
    for g in d.coverage:
        rows = d.people_behind(g.unit_ids, COVERAGE)
        assert (g.people, g.covered) == (len(rows), sum(r.status == "合格" for r in rows))
    assert sum(g.people for g in d.coverage) == d.rows[0].people
    assert d.overdue == [r for r in d.results if r.status == "逾期"] and d.overdue
    assert {r.check for r in d.expiring} == {CARD} and all(r.status == "即将到期" for r in d.expiring)
    assert [r.due for r in d.expiring] == sorted(r.due for r in d.expiring if r.due)
    assert d.cards == sorted((r for r in d.results if r.check == CARD and r.status != "合格"), key=dashboard.card_order)


def test_missing_and_expired_cards_head_the_card_list(db: Database) -> None:
    """持证上岗 不合格 is the most urgent card problem: an officer without a valid card may not enforce."""
    person(db, "有效", card_expiry=D(2030, 1, 1))
    person(db, "将到期", card_expiry=AS_OF + dt.timedelta(days=30))
    person(db, "早过期", card_expiry=D(2025, 6, 30))
    person(db, "刚过期", card_expiry=AS_OF - dt.timedelta(days=1))
    person(db, "无证", card_expiry=None)
    person(db, "协管", category="协管人员")  # no card needed
    d = load(db)
    assert [(r.name, dashboard.card_state(r)) for r in d.cards] == [
        ("无证", "无执法证"), ("早过期", "已过期"), ("刚过期", "已过期"), ("将到期", "即将到期")]
    assert [r.name for r in d.expiring] == ["将到期"]


def test_percentages_round_half_up() -> None:
    assert dashboard.GroupCoverage("x", frozenset(), 8, 7).percent == Decimal("87.5")
    assert dashboard.GroupCoverage("x", frozenset(), 200, 1).percent == Decimal("0.5")  # 0.5, not 0.0 or 1
    assert dashboard.GroupCoverage("x", frozenset(), 0, 0).percent == Decimal(0)


def test_the_as_of_date_defaults_to_today_within_the_chosen_year() -> None:
    assert dashboard.default_as_of(2026, D(2026, 11, 25)) == D(2026, 11, 25)
    assert dashboard.default_as_of(2025, D(2026, 11, 25)) == D(2025, 12, 31)
    assert dashboard.default_as_of(2027, D(2026, 11, 25)) == D(2027, 1, 1)


def test_the_record_cache_notices_a_change_made_after_it_was_filled(db: Database) -> None:
    officer = person(db)
    cache = RecordCache()
    assert load(db, cache=cache).rows[0].cells[COVERAGE].counts == (("未完成", 1),)
    add_record(db, officer, "专题培训", D(2026, 3, 2), D(2026, 3, 2), hours="8")
    assert load(db, cache=cache).rows[0].cells[COVERAGE].counts == (("合格", 1),)
    c, sessions = make_class(db, "专题培训", D(2026, 4, 1), session_hours=("8",))
    training.enrol(db, int(c.id or 0), [int(officer.id or 0)])
    training.set_attendance(db, int(sessions[0].id or 0), {int(officer.id or 0): "出勤"})
    assert load(db, cache=cache).hours_by_month[3] == Decimal(8)


def test_the_annual_check_goes_late_on_31_december_in_the_matrix_too(db: Database) -> None:
    person(db)
    assert dict(load(db, D(2026, 12, 30)).rows[0].cells[ANNUAL].counts) == {"未完成": 1}
    assert dict(load(db, D(2026, 12, 31)).rows[0].cells[ANNUAL].counts) == {"逾期": 1}


# ---- the page (pytest-qt) --------------------------------------------------------------------------------

@pytest.fixture
def page(qtbot, demo_db):
    p = DashboardPage(demo_db, today=DEMO_DAY)
    qtbot.addWidget(p)
    p.resize(1500, 900)
    with qtbot.waitSignal(p.loaded, timeout=20_000):
        p.show()
    return p


def cell_index(page: DashboardPage, label: str, check: str):
    row = page.matrix_model.view_row_of(label)
    assert row is not None, label
    return page.matrix_model.index(row, FIRST_CHECK_COL + CHECKS.index(check))


def test_the_page_shows_the_matrix_with_the_rule_set_applied(page, demo_db) -> None:
    model = page.matrix_model
    assert model.headerData(0, Qt.Orientation.Horizontal) == "单位"
    first = [model.index(0, c).data() for c in range(model.columnCount())]
    d = load(demo_db)
    assert [first[0].strip(), first[1]] == ["全市合计", str(d.rows[0].people)]
    assert first[2 + CHECKS.index(COVERAGE)] == d.rows[0].cells[COVERAGE].text
    assert "合格" in first[2 + CHECKS.index(COVERAGE)] and " / " in first[2 + CHECKS.index(COVERAGE)]
    assert rules.active(demo_db).label() in page.rules_label.text()
    assert "在岗" in page.status_label.text()
    assert page.lists.tabText(0) == f"逾期人员（{len(d.overdue)}）"
    assert page.overdue_model.rowCount() == len(d.overdue)


def test_the_card_list_shows_expired_and_missing_cards_first_and_opens_the_persons_file(qtbot, page) -> None:
    d = page.dashboard
    failed = [r for r in d.cards if r.status == "不合格"]
    assert failed and d.expiring, "the demo has expired and expiring cards"
    assert page.lists.tabText(1) == f"执法证已过期/缺失/即将到期（{len(d.cards)}）"
    model = page.cards_model
    assert model.rowCount() == len(d.cards)
    assert [model.row_texts(r)[2] for r in range(model.rowCount())] == [dashboard.card_state(r) for r in d.cards]
    assert model.row_texts(0)[2] in ("无执法证", "已过期") and model.row_texts(model.rowCount() - 1)[2] == "即将到期"
    red = model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole).color().name()
    amber = model.index(model.rowCount() - 1, 2).data(Qt.ItemDataRole.ForegroundRole).color().name()
    assert (red, amber) == ("#b03a2e", "#9a6700")
    page.lists.setCurrentIndex(1)
    view = page.cards_view
    view.doubleClicked.emit(view.model().index(0, 0))
    assert isinstance(page.dialog, PersonDetailDialog) and page.dialog.person.id == d.cards[0].person_id


def test_clicking_a_number_lists_exactly_the_people_behind_it(qtbot, page) -> None:
    index = cell_index(page, "全市合计", INITIAL)
    cell = index.data(Qt.ItemDataRole.UserRole + 21)
    status = next(s for s, _n in cell.counts if s != "合格")  # the number an officer cares about
    rect = page.matrix.number_rect(index, status)
    qtbot.mouseClick(page.matrix.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    dialog = page.dialog
    assert isinstance(dialog, PeopleListDialog)
    expected = page.behind("全市合计", INITIAL, status)
    assert len(expected) == cell.count(status) > 0
    assert dialog.shown_people() == [r.person_id for r in expected]
    assert [row[4] for row in dialog.shown_rows()] == [status] * len(expected)
    assert dialog.shown_rows()[0][:4] == (expected[0].name, expected[0].id_number, expected[0].unit, INITIAL)
    dialog.status_combo.setCurrentIndex(0)  # 全部状态: the whole cell
    assert len(dialog.shown_rows()) == cell.total


def test_clicking_beside_the_numbers_lists_the_whole_cell_and_the_people_count_everyone(qtbot, page) -> None:
    index = cell_index(page, "卫东区", CARD)
    rect = page.matrix.visualRect(index)
    qtbot.mouseClick(page.matrix.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 3, rect.center().y()))
    assert isinstance(page.dialog, PeopleListDialog)
    assert page.dialog.shown_people() == [r.person_id for r in page.behind("卫东区", CARD)]
    row = page.matrix_model.view_row_of("卫东区")
    people = page.matrix.visualRect(page.matrix_model.index(row, PEOPLE_COL))
    qtbot.mouseClick(page.matrix.viewport(), Qt.MouseButton.LeftButton, pos=people.center())
    everyone = page.behind("卫东区", COVERAGE)
    assert page.dialog.shown_people() == [r.person_id for r in everyone]
    assert str(len(everyone)) == page.matrix_model.index(row, PEOPLE_COL).data()


def test_a_county_opens_into_its_own_people_and_its_streets(qtbot, page) -> None:
    model = page.matrix_model
    before = model.rowCount()
    row = model.view_row_of("新华区")
    assert model.index(row, UNIT_COL).data().startswith("▸")
    assert model.view_row_of("新华区本级") is None
    qtbot.mouseClick(page.matrix.viewport(), Qt.MouseButton.LeftButton,
                     pos=page.matrix.visualRect(model.index(row, UNIT_COL)).center())
    assert model.index(row, UNIT_COL).data().startswith("▾")
    assert model.view_row_of("新华区本级") == row + 1 and model.rowCount() > before + 2
    page.reload()  # the figures reload (a data change elsewhere): the county stays open
    qtbot.waitUntil(lambda: page.task is not None and page.task.done, timeout=20_000)
    assert model.view_row_of("新华区本级") == row + 1


def test_a_double_click_in_a_list_opens_the_persons_file(qtbot, page) -> None:
    dialog = page.show_people("逾期人员", PeopleList.of_checks(page.dashboard.overdue))
    dialog.open_person(page.dashboard.overdue[0].person_id)
    assert isinstance(dialog.detail, PersonDetailDialog)
    assert dialog.detail.person.id == page.dashboard.overdue[0].person_id


def test_a_month_and_a_county_bar_list_their_people(page) -> None:
    d = page.dashboard
    march = d.month_records[2]
    page.open_month(3)
    assert page.dialog.shown_people() == [r.person_id for r in march] and march
    assert f"{len(march)} 人次" in page.dialog.windowTitle()
    page.open_group(1)
    assert page.dialog.shown_people() == [r.person_id for r in d.people_behind(d.coverage[1].unit_ids, COVERAGE)]


def test_another_year_and_date_reload_the_figures(qtbot, page, demo_db) -> None:
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.set_period(2026, D(2026, 6, 30))
    assert page.dashboard.as_of == D(2026, 6, 30)
    assert page.dashboard.rows[0].cells[COVERAGE].counts == load(demo_db, D(2026, 6, 30)).rows[0].cells[COVERAGE].counts
    assert page.year_combo.findData(2025) >= 0  # the demo has last year's classes
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.set_period(2025)
    assert page.dashboard.as_of == D(2025, 12, 31)
    assert page.hours_chart.chart().title().startswith("2025年")


def test_a_change_made_elsewhere_shows_when_the_page_is_shown_again(qtbot, page, demo_db) -> None:
    behind = page.behind("全市合计", COVERAGE, "未完成")
    page.hide()
    someone = behind[0]
    officer = people.get(demo_db, someone.person_id)
    assert officer is not None
    add_record(demo_db, officer, "专题培训", D(2026, 11, 2), D(2026, 11, 2), hours="8")
    with qtbot.waitSignal(page.loaded, timeout=20_000):
        page.show()
    assert len(page.behind("全市合计", COVERAGE, "未完成")) == len(behind) - 1
    with qtbot.assertNotEmitted(page.loaded, wait=200):
        page.hide()
        page.show()  # nothing changed: no reload


def test_the_collector_paused_for_a_load_runs_again_once_the_figures_are_shown(qtbot, demo_db) -> None:
    from ui import gui_gc

    def collecting() -> bool:
        return not gui_gc.held()

    p = DashboardPage(demo_db, today=DEMO_DAY)
    qtbot.addWidget(p)
    assert p._chart_slots[0].text() == "正在统计…"  # the charts are built with the figures
    with qtbot.waitSignal(p.loaded, timeout=20_000):
        p.show()
    assert p.hours_chart.chart().title().startswith("2026年")
    qtbot.waitUntil(collecting, timeout=5_000)
    p.reload()
    assert not collecting()  # paused from the start of a load …
    p._failed(RuntimeError("读不到"))  # … and never left paused when a load fails
    assert collecting() and p.status_label.text() == "统计失败：读不到"
    qtbot.waitUntil(lambda: p.task is not None and p.task.done, timeout=20_000)
    qtbot.waitUntil(collecting, timeout=5_000)
