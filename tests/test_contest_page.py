"""A chief judge runs the contest in the window: the demo contest shows with its rules and people; scores are
typed by keyboard (Enter saves and moves on; bad values and recused cells are refused with the reason); a
change needs a reason and lands in the change log; items lock with the PIN and become read-only; the ranking
lists by 名次 and explains itself; a bad workbook writes nothing; exports and the draw work from the page."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import DEMO_DAY
from contest_support import build, good_sheets, item, write_workbook
from contest_window_support import open_item, shown_page, type_keys
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QDialog

from trainer import contest, draw, ranking, scoring
from trainer.demo_contest import DEMO_PIN
from ui.contest_import_dialog import ContestImportDialog
from ui.contest_ranking_tab import table_rows
from ui.draw_dialog import DrawDialog
from ui.pin_dialog import LockDialog


@pytest.fixture
def page(qtbot, demo_db, tmp_path):
    return shown_page(qtbot, demo_db, tmp_path, today=DEMO_DAY)


def first_missing(tab) -> tuple[int, int]:
    """(row, column) of the first cell that may be scored and is still empty."""
    model = tab.model
    for c in model.value_columns():
        for r in range(model.rowCount()):
            index = model.index(r, c)
            if model.blocked(index) is None and model.value_at(index) is None:
                return r, c
    raise AssertionError("no empty cell")


# ---- stories -------------------------------------------------------------------------------------------


def test_the_demo_contest_shows_with_its_items_people_and_recusals(page, demo_db):
    # the demo's finished 上半年岗位练兵比武 is listed too (newer id, held in June): the page opens on the one being run
    assert page.contest_list.count() == 2 and page.current is not None and page.current.id == 1
    assert "首届执法技能比武" in page.header_label.text()
    setup = page.setup_tab
    assert page.tabs.currentWidget() is setup
    names = [setup.item_model.row_texts(r)[1] for r in range(setup.item_model.rowCount())]
    assert names == ["法律知识笔试", "执法文书制作", "案卷评审", "情景模拟执法", "队列与体能", "队列会操"]
    exam = setup.item_model.row_texts(0)
    assert exam[3:8] == ("单一成绩", "100", "30%", "1", "3") and exam[-1].startswith("已锁定")
    assert setup.competitor_model.rowCount() == 60
    assert [setup.competitor_model.row_texts(r)[0] for r in range(3)] == ["1", "2", "3"]
    judges = {setup.judge_model.row_texts(r)[0]: setup.judge_model.row_texts(r) for r in range(7)}
    assert judges["J1（裁判长）"][1] == "周明"
    assert judges["J3"][4].startswith("回避新华区选手") and judges["J6"][4] == "外聘，不回避"
    assert not setup.draw_button.isEnabled() and setup.draw_note.text() == "已有成绩，不能重新抽签"
    assert setup.draw_model.row_texts(0)[-1] == "可复现"


def test_a_score_typed_and_entered_is_saved_and_the_cursor_moves_on(qtbot, page, demo_db):
    tab, _ = open_item(page, "案卷评审")
    view = tab.view
    r, c = first_missing(tab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (r, c)  # the grid starts where typing starts
    slot = tab.model.slot_at(view.currentIndex())
    before = tab.item_bar.value()
    view.setFocus()
    type_keys(view, "88.5\r")
    assert scoring.get_score(demo_db, slot) == Decimal("88.5")
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    below = next(x for x in range(r + 1, tab.model.rowCount()) if tab.model.blocked(tab.model.index(x, c)) is None)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (below, c)  # down to the next scored cell
    assert tab.model.index(r, c).data() == "88.5"
    assert tab.item_bar.value() == before + 1
    assert "已保存 88.5" in tab.message_label.text()


def test_out_of_range_too_precise_and_recused_values_are_refused_as_typed(qtbot, page, demo_db):
    tab, _ = open_item(page, "案卷评审")
    view = tab.view
    view.setFocus()
    index = view.currentIndex()
    slot = tab.model.slot_at(index)
    type_keys(view, "150")
    assert "分数150高于满分100" in tab.message_label.text()
    type_keys(view, "\r")
    assert "未保存" in tab.message_label.text()
    assert view.currentIndex() == index and view.state() == QAbstractItemView.State.EditingState  # still here
    QTest.keyClick(tab.view.active_editor, Qt.Key.Key_Escape)
    type_keys(view, "88.555\r")
    assert "最多保留2位小数" in tab.message_label.text()
    assert scoring.get_score(demo_db, slot) is None
    QTest.keyClick(tab.view.active_editor, Qt.Key.Key_Escape)

    recused = next(tab.model.index(r, c) for c in tab.model.value_columns() for r in range(tab.model.rowCount())
                   if tab.model.index(r, c).data() == "回避")
    view.go_to(recused)
    type_keys(view, "9")
    assert "回避：评委" in tab.message_label.text() and "不能为其评分" in tab.message_label.text()
    assert view.state() != QAbstractItemView.State.EditingState
    assert scoring.get_score(demo_db, tab.model.slot_at(recused)) is None


def test_changing_a_score_needs_a_reason_and_is_logged(qtbot, page, demo_db):
    tab, _ = open_item(page, "情景模拟执法")
    view = tab.view
    index = tab.model.index(0, tab.model.first_value_column)
    view.go_to(index)
    view.setFocus()
    slot = tab.model.slot_at(index)
    old = scoring.get_score(demo_db, slot)
    new = old - 1
    page.prompts.answers = [None]  # the clerk cancels the question
    type_keys(view, f"{new}\r")
    assert "须说明原因" in tab.message_label.text()
    assert scoring.get_score(demo_db, slot) == old
    assert "请填写修改原因" in page.prompts.asked[-1]

    page.prompts.answers = ["评委复核评分表，更正笔误"]
    type_keys(view, f"{new}\r")
    assert scoring.get_score(demo_db, slot) == new
    change = scoring.score_changes(demo_db, 1)[-1]
    assert (change.item, change.old, change.new, change.reason, change.actor) == (
        "情景模拟执法", str(old), str(new), "评委复核评分表，更正笔误", "记分员")
    page.tabs.setCurrentWidget(page.checks_tab)
    newest = page.checks_tab.change_model.row_texts(0)
    assert newest[2:4] == ("修改成绩", "情景模拟执法") and newest[-1] == "评委复核评分表，更正笔误"


def test_locking_needs_the_right_pin_and_makes_the_grid_read_only(qtbot, page, demo_db):
    page.tabs.setCurrentWidget(page.checks_tab)
    checks = page.checks_tab
    drill = next(it for it in checks.items if it.name == "队列与体能")
    checks.select_item(drill.id)
    checks.lock_selected()
    dialog = page.active_dialog
    assert isinstance(dialog, LockDialog)
    dialog.pin_edit.setText("1234")
    dialog.submit()
    assert dialog.error_label.text().startswith("PIN不正确") and dialog.isVisible()
    assert not contest.require_item(demo_db, drill.id).locked
    dialog.pin_edit.setText(DEMO_PIN)
    dialog.submit()
    assert contest.require_item(demo_db, drill.id).locked
    assert "已锁定" in checks.message_label.text()

    tab, _ = open_item(page, "队列与体能")
    assert tab.lock_label.isVisible() and "【已锁定】" in tab.lock_label.text()
    index = tab.model.index(1, tab.model.first_value_column)
    assert not tab.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    tab.view.go_to(index)
    tab.view.setFocus()
    before = scoring.get_score(demo_db, tab.model.slot_at(index))
    type_keys(tab.view, "5")
    assert "已锁定，成绩不能再修改" in tab.message_label.text()
    assert scoring.get_score(demo_db, tab.model.slot_at(index)) == before


def test_open_spread_flags_refuse_a_lock_until_the_chief_judge_gives_a_reason(qtbot, page, demo_db):
    page.tabs.setCurrentWidget(page.checks_tab)
    checks = page.checks_tab
    assert "待处理 3" in checks.lists.tabText(0)
    scene = next(it for it in checks.items if it.name == "情景模拟执法")
    checks.select_item(scene.id)
    checks.lock_selected()
    dialog = page.active_dialog
    dialog.pin_edit.setText(DEMO_PIN)
    dialog.submit()
    assert not contest.require_item(demo_db, scene.id).locked
    assert dialog.reason_edit.isVisible() and dialog.details.toPlainText().count("超过分差上限") == 3
    dialog.reason_edit.setText("经评委合议，分差属评分尺度差异，维持原评分")
    dialog.submit()
    assert contest.require_item(demo_db, scene.id).locked
    assert "确认分差 3 人" in checks.message_label.text()
    assert "待处理 0" in checks.lists.tabText(0)


def test_the_ranking_lists_by_place_and_explains_the_dropped_scores(qtbot, page, demo_db):
    page.tabs.setCurrentWidget(page.ranking_tab)
    tab = page.ranking_tab
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    rows = table_rows(tab.view)
    expected = ranking.compute(demo_db, 1)
    assert len(rows) == len(expected.standings) == 60
    places = [int(r[0]) for r in rows if r[0]]
    assert places == sorted(places) and places[0] == 1 and len(places) == len(expected.ranked)
    assert [r[1] for r in rows] == [str(s.competitor.draw_no) for s in expected.standings]
    assert rows[0][4:6] == [expected.ranked[0].item_text(0), expected.ranked[0].item_text(1)]
    assert rows[-1][0] == "" and rows[-1][-1].startswith("成绩不完整")
    assert "计算用时" in tab.status_label.text() and "初稿" in tab.status_label.text()
    assert tab.team_model.rowCount() > 0 and tab.team_model.row_texts(0)[0] == "1"

    tab.view.selectRow(0)
    text = tab.explain_text.toPlainText()
    assert text.startswith(f"{rows[0][1]}号 {rows[0][2]}") and "第1名" in text
    assert "（去掉最高分）" in text and "（去掉最低分）" in text and "总分：" in text


def test_a_bad_workbook_is_previewed_with_its_problems_and_writes_nothing(qtbot, page, demo_db, tmp_path):
    sheets = good_sheets()
    sheets["比武项目"][1][3] = 30  # weights now add up to 90
    sheets["选手"][2][3] = "火星区"
    path = write_workbook(tmp_path / "坏工作簿.xlsx", sheets)
    before = demo_db.execute("SELECT COUNT(*) FROM contest_items").fetchone()[0]
    page.import_workbook(str(path))
    dialog = page.active_dialog
    assert isinstance(dialog, ContestImportDialog)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    problems = dialog.problems_model.stringList()
    assert "第1行 权重: 比武项目表：各项目权重合计为90，应为100" in problems
    assert any(p.startswith("第3行 单位: 选手表：未知单位“火星区”") for p in problems)
    assert dialog.banner_kind == "error" and not dialog.confirm_button.isEnabled()
    dialog.confirm()
    assert [c.id for c in contest.all_contests(demo_db)] == [1, 2]  # the demo's two contests
    assert demo_db.execute("SELECT COUNT(*) FROM contest_items").fetchone()[0] == before


def test_a_good_workbook_is_imported_drawn_and_shown(qtbot, page, demo_db, tmp_path):
    path = write_workbook(tmp_path / "比武.xlsx", good_sheets())
    page.import_workbook(str(path))
    dialog = page.active_dialog
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=10_000)
    assert dialog.banner_kind == "ok" and dialog.item_model.rowCount() == 3
    assert [dialog.item_model.row_texts(r)[1] for r in range(3)] == ["个人"] * 3  # no 类型 column: 个人
    dialog.confirm()
    qtbot.waitUntil(lambda: dialog.result is not None, timeout=10_000)
    new_id = dialog.result.contest_id
    assert page.current is not None and page.current.id == new_id and page.contest_list.count() == 3

    setup = page.setup_tab
    assert setup.draw_button.isEnabled()
    setup.start_draw()
    drawer = page.active_dialog
    assert isinstance(drawer, DrawDialog)
    drawer.seed_edit.setText("2026-11-18 监督员王芳 37")
    drawer.run_draw()
    record = draw.draws(demo_db, new_id)[-1]
    assert record.seed == "2026-11-18 监督员王芳 37" and draw.reproduce(demo_db, record.id)
    assert setup.draw_model.row_texts(setup.draw_model.rowCount() - 1)[2:] == (record.seed, "裁判长", "可复现")
    assert "已抽签：4 名选手" in setup.message_label.text()


def test_the_ranking_is_exported_to_csv_with_the_contract_columns(qtbot, page, demo_db, tmp_path):
    page.tabs.setCurrentWidget(page.ranking_tab)
    tab = page.ranking_tab
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    tab.export("csv")
    assert tab.export_task is not None and tab.export_task.wait()
    saved = Path(page.prompts.saved_files[-1])
    with open(saved, encoding="utf-8-sig") as fh:  # the window's CSV is for Excel: UTF-8 with a BOM
        rows = list(csv.reader(fh))
    assert rows[0] == ["名次", "抽签号", "姓名", "单位", "法律知识笔试", "执法文书制作", "案卷评审", "情景模拟执法",
                       "队列与体能", "总分"]
    assert len(rows) == 1 + len(ranking.compute(demo_db, 1).ranked) and rows[1][0] == "1"


def test_awards_show_the_counts_and_refuse_to_confirm_while_items_are_unlocked(qtbot, page, demo_db):
    page.tabs.setCurrentWidget(page.ranking_tab)
    tab = page.ranking_tab
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    tab.plan_awards()
    dialog = page.active_dialog
    assert not dialog.confirm_button.isEnabled()  # nothing to confirm before the plan is shown
    dialog.make_plan()
    assert "一等奖：57人 × 10% = 5.7，四舍五入为6人" in dialog.basis_text.toPlainText()
    assert dialog.winner_model.rowCount() >= 34
    dialog.pin_edit.setText(DEMO_PIN)
    dialog.confirm()
    assert "以下项目尚未锁定" in dialog.message_label.text()
    assert demo_db.execute("SELECT COUNT(*) FROM contest_awards WHERE contest_id = 1").fetchone()[0] == 0


def test_the_ranking_is_computed_off_the_gui_thread(qtbot, page):
    page.tabs.setCurrentWidget(page.ranking_tab)
    tab = page.ranking_tab
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    tab.reload()
    assert not tab.ready and tab.task is not None and tab.task.running  # the window went on meanwhile
    assert tab.status_label.text() == "正在计算排名…"
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)


def test_the_scorer_exports_one_kit_per_judge_and_merges_a_judges_score_file(qtbot, page, demo_db, tmp_path):
    from trainer import judge_session, merge

    kits = page.export_kits(str(tmp_path))
    assert kits and all(k.exists() for k in kits)  # judges of judged items get a kit; the message names the rest
    assert f"已导出 {len(kits)} 个评分包" in page.message_label.text()

    session = judge_session.JudgeSession.open(kits[0], store_dir=tmp_path / "laptop")
    try:
        slot = next(u for u in session.unscored() if not u.item.criteria)  # a plain judged item
        session.enter(slot.item.id, slot.key, "88")
        submitted = session.submit(tmp_path / "usb")
    finally:
        session.close()
    page.merge_score_files()  # the scorer's dialog opens on this contest
    assert page.findChild(QDialog) is not None
    report = merge.merge_files(demo_db, page.current.id, [submitted.path], "记分员")
    # the demo's main laptop already holds hand-typed scores, so the file's 88 is taken or held as a conflict
    assert len(report.outcomes) == 1 and report.outcomes[0].status in ("accepted", "conflicts")
    assert report.outcomes[0].judge_code in kits[0].name


def test_the_draw_records_show_who_drew_in_full(qtbot, db, tmp_path):
    """设置 › 抽签记录: the 抽签人 column is as wide as the longest name in it, not a typical one."""
    b = build(db, [item("文书")], [(1, "张三", "新华区"), (2, "李四", "卫东区")], [])
    draw.draw_codes(db, b.items["文书"], "裁判长欧阳建国", seed="文书")
    p = shown_page(qtbot, db, tmp_path)
    view = p.setup_tab.draw_view
    assert p.setup_tab.draw_model.row_texts(0)[3] == "裁判长欧阳建国"
    assert view.horizontalHeader().sectionSize(3) >= view.fontMetrics().horizontalAdvance("裁判长欧阳建国") + 8
