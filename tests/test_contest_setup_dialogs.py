"""As the chief judge I set a contest up in the window: 新建比武 with its PIN, items with criteria and a conversion
table (the weights' sum warned until it makes 100), judges from the unit tree or 外聘, competitors from the
register and by hand, the judges × items matrix with its recusal report, then the draw — and scores go in.
On the demo contest, where scores exist, the tab refuses what would change them and says why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import DEMO_DAY
from contest_window_support import shown_page
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QTableView

from trainer import audit, contest, contest_locks, contest_people, scoring
from trainer.contest import RUBRIC, SINGLE, TEAM_BEST
from trainer.demo_contest import DEMO_PIN
from trainer.scoring import Slot
from trainer.units import UnitIndex
from ui.contest_assign_dialog import AssignDialog
from ui.contest_competitor_dialog import CompetitorDialog
from ui.contest_dialog import ContestDialog
from ui.contest_item_dialog import ItemDialog
from ui.contest_judge_dialog import JudgeDialog
from ui.contest_page import ContestPage
from ui.draw_dialog import DrawDialog
from ui.person_picker import PersonPickerDialog


@pytest.fixture
def page(qtbot, demo_db, tmp_path):
    return shown_page(qtbot, demo_db, tmp_path, today=DEMO_DAY)


def double_click(view: QTableView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 1))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def fill_pairs(editor, pairs: list[tuple[str, str]]) -> None:
    for a, b in pairs:
        row = editor.model.add_row()
        editor.model.setData(editor.model.index(row, 0), a)
        editor.model.setData(editor.model.index(row, 1), b)


def new_contest(page: ContestPage) -> contest.Contest:
    page.new_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ContestDialog) and dialog.windowTitle() == "新建比武"
    dialog.name_edit.setText("第二届执法技能比武")
    dialog.venue_edit.setText("市城管局教育培训中心")
    dialog.organiser_edit.setText("平顶山市城市管理局")
    dialog.team_combo.setCurrentIndex(dialog.team_combo.findData(TEAM_BEST))
    dialog.best_spin.setValue(3)
    dialog.pin_edit.setText("8642")
    dialog.pin_again_edit.setText("8643")
    dialog.save()
    assert dialog.error_label.text() == "两次输入的PIN不一致"
    assert len(contest.all_contests(page.db)) == 2  # the demo's two: nothing was created
    dialog.pin_again_edit.setText("8642")
    dialog.save()
    assert dialog.result_contest is not None
    return dialog.result_contest


def test_a_chief_judge_sets_up_a_contest_in_the_window_draws_and_scores_go_in(qtbot, page, demo_db) -> None:
    c = new_contest(page)
    assert (c.name, c.team_mode, c.team_best_n, c.has_pin) == ("第二届执法技能比武", TEAM_BEST, 3, True)
    contest_locks.check_pin(demo_db, c.id, "8642")
    assert page.current.id == c.id and page.contest_list.count() == 3
    tab = page.setup_tab
    assert page.tabs.currentWidget() is tab and "还没有比武项目" in tab.weights_label.text()

    # an item with criteria: refused while the maxima do not make 满分, saved once they do
    tab.add_item_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ItemDialog) and dialog.weight_edit.text() == "100"  # what is missing from 100
    dialog.name_edit.setText("情景模拟执法")
    dialog.method_combo.setCurrentText(RUBRIC)
    assert dialog.criteria.isVisibleTo(dialog) and not dialog.conversion.isVisibleTo(dialog)
    dialog.weight_edit.setText("60")
    assert "全部合计 60%（应为100）" in dialog.weights_label.text()
    fill_pairs(dialog.criteria, [("仪容仪表", "20"), ("程序规范", "70")])
    assert dialog.criteria.note.text() == "细则满分合计 90，项目满分 100"
    dialog.save()
    assert dialog.error_label.text() == "各细则满分合计为90，应等于项目满分100" and dialog.isVisible()
    assert contest.items(demo_db, c.id) == []
    dialog.criteria.model.setData(dialog.criteria.model.index(1, 1), "80")
    dialog.save()
    scene = contest.items(demo_db, c.id)[0]
    assert [(x.name, x.max_points) for x in scene.criteria] == [("仪容仪表", 20), ("程序规范", 80)]
    assert tab.weights_label.text() == "⚠ 权重合计为60，应为100"
    assert "已添加项目“情景模拟执法”" in tab.message_label.text()

    # a measured item with a conversion table
    tab.add_item_button.click()
    dialog = page.active_dialog
    assert dialog.weight_edit.text() == "40"
    dialog.name_edit.setText("1000米跑")
    dialog.method_combo.setCurrentText(SINGLE)
    assert dialog.conversion.isVisibleTo(dialog) and not dialog.spread_edit.isEnabled()
    dialog.conversion.setChecked(True)
    dialog.unit_edit.setText("秒")
    dialog.raw_decimals_spin.setValue(1)
    fill_pairs(dialog.conversion, [("210", "100"), ("240", "80"), ("300", "60")])
    dialog.save()
    run = contest.items(demo_db, c.id)[1]
    assert run.converted and run.raw_unit == "秒" and run.lower_is_better
    assert tab.weights_label.text() == "权重合计 100"

    # competitors from the register, and one by hand
    tab.pick_button.click()
    picker = page.active_dialog
    assert isinstance(picker, PersonPickerDialog) and picker.windowTitle().startswith("添加选手")
    picker.view.selectionModel().clearSelection()
    for row in range(4):
        picker.view.selectionModel().select(
            picker.model.index(row, 0), picker.view.selectionModel().SelectionFlag.Select
            | picker.view.selectionModel().SelectionFlag.Rows)
    picker.accept_selection()
    assert tab.competitor_model.rowCount() == 4
    tab.add_competitor_button.click()
    hand = page.active_dialog
    assert isinstance(hand, CompetitorDialog)
    hand.name_edit.setText("外援甲")
    hand.save()
    assert hand.error_label.text() == "请选择选手所在单位"
    hand.unit_combo.set_unit(UnitIndex.load(demo_db).resolve("新华区").id)
    hand.save()
    assert tab.competitor_model.rowCount() == 5
    assert {tab.competitor_model.row_texts(r)[0] for r in range(5)} == {"未抽签"}  # no number before the draw

    # judges: one of 新华区 (recused from its own), one external
    tab.add_judge_button.click()
    judge = page.active_dialog
    assert isinstance(judge, JudgeDialog) and judge.code_edit.text() == "J1"
    judge.name_edit.setText("周明")
    judge.unit_combo.set_unit(UnitIndex.load(demo_db).resolve("新华区").id)
    judge.chief_check.setChecked(True)
    judge.save()
    tab.add_judge_button.click()
    judge = page.active_dialog
    assert judge.code_edit.text() == "J2"
    judge.name_edit.setText("冯静")
    judge.external_check.setChecked(True)
    judge.external_edit.setText("平顶山学院")
    judge.save()
    assert [tab.judge_model.row_texts(r)[2] for r in range(2)] == ["新华区", "外聘：平顶山学院"]

    # the matrix: the recusal report follows the ticks, and is shown again once saved
    tab.assign_button.click()
    matrix = page.active_dialog
    assert isinstance(matrix, AssignDialog) and matrix.model.headers == ("评委", "情景模拟执法")  # no judges: 单一成绩
    assert "“情景模拟执法”：未分配评委" in matrix.report_text.toPlainText()
    matrix.toggle("J1", "情景模拟执法")
    matrix.toggle("J2", "情景模拟执法")
    report = matrix.report_text.toPlainText()
    assert "“情景模拟执法”：J1、J2" in report and "J1 周明在“情景模拟执法”回避本单位选手 1 人：外援甲" in report
    matrix.save()
    assert contest_people.Panel.load(demo_db, c.id).assigned[scene.id] and not matrix.isVisible()
    assert "新分配 2 项，取消 0 项" in page.prompts.told[-1] and "回避本单位选手 1 人" in page.prompts.told[-1]
    assert tab.item_model.row_texts(0)[10] == "全部2名"

    # the draw, then a score is typed by draw number
    tab.start_draw()
    drawer = page.active_dialog
    assert isinstance(drawer, DrawDialog)
    drawer.run_draw()
    assert sorted(int(tab.competitor_model.row_texts(r)[0]) for r in range(5)) == [1, 2, 3, 4, 5]
    panel = contest_people.Panel.load(demo_db, c.id)
    scoring.enter_score(demo_db, Slot(run.id, panel.by_draw[1].id), "238.5", "记分员")
    assert scoring.get_score(demo_db, Slot(run.id, panel.by_draw[1].id)) == Decimal("238.5")
    tab.reload()
    assert not tab.pick_button.isEnabled() and "不能再添加选手" in tab.pick_button.toolTip()
    assert audit.verify(demo_db) is None


def test_items_are_edited_moved_and_deleted_from_the_tab(qtbot, page, demo_db) -> None:
    c = new_contest(page)
    tab = page.setup_tab
    for name, weight in (("甲", "50"), ("乙", "30"), ("丙", "20")):
        tab.add_item_button.click()
        dialog = page.active_dialog
        dialog.name_edit.setText(name)
        dialog.weight_edit.setText(weight)
        dialog.save()
    names = lambda: [tab.item_model.row_texts(r)[1] for r in range(tab.item_model.rowCount())]  # noqa: E731
    assert names() == ["甲", "乙", "丙"]

    double_click(tab.item_view, 2)
    dialog = page.active_dialog
    assert isinstance(dialog, ItemDialog) and dialog.windowTitle() == "编辑比武项目 — 丙"
    dialog.name_edit.setText("丙（复赛）")
    dialog.tiebreak_spin.setValue(1)
    dialog.save()
    assert names() == ["甲", "乙", "丙（复赛）"] and tab.item_model.row_texts(2)[7] == "1"
    assert tab.selected_item().name == "丙（复赛）"
    tab.up_button.click()
    tab.up_button.click()
    assert names() == ["丙（复赛）", "甲", "乙"] and not tab.up_button.isEnabled()

    tab.item_view.selectRow(2)
    tab.delete_item_button.click()
    assert "删除项目“乙”" in page.prompts.asked[-1]
    assert names() == ["丙（复赛）", "甲"] and tab.weights_label.text() == "⚠ 权重合计为70，应为100"
    assert [e.action for e in audit.entries(demo_db, c.id)][-1] == audit.ITEM_DELETE


def test_on_the_demo_contest_what_scores_rest_on_is_refused_with_the_reason(qtbot, page, demo_db) -> None:
    tab = page.setup_tab
    before = demo_db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    review = next(r for r in range(tab.item_model.rowCount()) if tab.item_model.row_texts(r)[1] == "案卷评审")
    double_click(tab.item_view, review)
    dialog = page.active_dialog
    assert isinstance(dialog, ItemDialog)
    assert dialog.error_label.text() == "“案卷评审”已有成绩，不能再修改评分规则（此处仅供查看）"
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.reject()

    tab.item_view.selectRow(0)
    tab.delete_item_button.click()
    assert page.prompts.told[-1] == "“法律知识笔试”已锁定，不能删除"
    tab.judge_view.selectRow(1)
    tab.remove_judge_button.click()
    assert page.prompts.told[-1].endswith("已有评分，不能删除")
    tab.competitor_view.selectRow(0)
    tab.remove_competitors()
    assert page.prompts.told[-1].endswith("已有成绩，不能移除")
    assert not tab.pick_button.isEnabled() and not tab.add_competitor_button.isEnabled()
    assert len(contest.items(demo_db, 1)) == 6 and len(contest_people.judges(demo_db, 1)) == 7
    assert demo_db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == before

    # a judge's name may still be put right; their unit may not change
    double_click(tab.judge_view, 1)
    judge = page.active_dialog
    assert isinstance(judge, JudgeDialog) and judge.code_edit.text() == "J2"
    judge.unit_combo.set_unit(UnitIndex.load(demo_db).resolve("叶县").id)
    judge.save()
    assert "不能再修改评委编号或单位" in judge.error_label.text()
    judge.unit_combo.set_unit(contest_people.judges(demo_db, 1)[1].unit_id)
    judge.name_edit.setText("郑红梅")
    judge.save()
    assert tab.judge_model.row_texts(1)[1] == "郑红梅"


def test_the_contest_details_and_pin_are_edited_and_the_list_follows(qtbot, page, demo_db) -> None:
    tab = page.setup_tab
    tab.edit_contest_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ContestDialog) and dialog.name_edit.text() == "首届执法技能比武"
    assert dialog.old_pin_edit.isVisibleTo(dialog) and dialog.best_spin.value() == 4
    dialog.name_edit.setText("首届城管执法技能比武")
    dialog.pin_edit.setText("13579")
    dialog.pin_again_edit.setText("13579")
    dialog.old_pin_edit.setText("0000")
    dialog.save()
    assert dialog.error_label.text().startswith("PIN不正确")
    assert contest.require_contest(demo_db, 1).name == "首届执法技能比武"  # nothing written
    dialog.old_pin_edit.setText(DEMO_PIN)
    dialog.save()
    assert not dialog.isVisible()
    contest_locks.check_pin(demo_db, 1, "13579")
    assert page.contest_list.item(0).text().startswith("首届城管执法技能比武")
    assert "首届城管执法技能比武" in page.header_label.text() and "首届城管执法技能比武" in tab.info_label.text()
    edit = audit.entries(demo_db, 1, actions=[audit.CONTEST_EDIT])
    assert len(edit) == 1 and edit[0].new.startswith("首届城管执法技能比武")


def test_the_matrix_refuses_to_take_a_judge_off_an_item_they_scored(qtbot, page, demo_db) -> None:
    page.setup_tab.assign_button.click()
    matrix = page.active_dialog
    assert isinstance(matrix, AssignDialog)
    locked = matrix.model.index(0, 1)
    assert matrix.model.headers[1] == "执法文书制作（已锁定）"
    assert not matrix.model.flags(locked) & Qt.ItemFlag.ItemIsEnabled
    matrix.toggle("J2", "案卷评审")
    assert "“案卷评审”：J1、J3、J4、J5、J6、J7" in matrix.report_text.toPlainText()
    matrix.save()
    assert matrix.error_label.text() == "评委J2在“案卷评审”已有评分，不能取消分配" and matrix.isVisible()
    review = next(it for it in contest.items(demo_db, 1) if it.name == "案卷评审")
    assert len(contest_people.Panel.load(demo_db, 1).assigned[review.id]) == 7


def test_a_team_item_shows_its_teams_and_the_draw_offers_their_numbers_then_records_them(qtbot, page,
                                                                                         demo_db) -> None:
    from trainer import contest_setup, draw
    from trainer.contest import DROP_HIGH_LOW, NewContest, NewItem
    from trainer.contest_setup import ItemSetup, JudgeSpec

    index = UnitIndex.load(demo_db)
    xinhua, weidong = index.resolve("新华区").id, index.resolve("卫东区").id
    c = contest_setup.create_contest(demo_db, NewContest("岗位练兵"), "裁判长")
    exam = contest_setup.add_item(demo_db, c.id, ItemSetup(NewItem("笔试", SINGLE, Decimal(100), Decimal(100))),
                                  "裁判长")
    for name, where in (("张三", xinhua), ("李四", xinhua), ("王五", weidong)):
        contest_setup.add_competitor(demo_db, c.id, name, where, "裁判长")
    judge = contest_setup.add_judge(demo_db, c.id, JudgeSpec("J1", "周明", xinhua), "裁判长")
    draw.draw_contest(demo_db, c.id, "裁判长", seed="初赛")
    page.reload_list()
    assert page.select_contest(c.id)
    tab = page.setup_tab
    page.tabs.setCurrentWidget(tab)
    assert not tab.team_box.isVisibleTo(tab)  # no 团体 item: no teams section
    numbers = {tab.competitor_model.row_texts(r)[1]: tab.competitor_model.row_texts(r)[0] for r in range(3)}

    # the chief judge adds 队列会操 as a 团体 item: the teams are there at once, still without 队号
    tab.add_item_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ItemDialog)
    dialog.name_edit.setText("队列会操")
    dialog.kind_combo.setCurrentText("团体")
    dialog.method_combo.setCurrentText(DROP_HIGH_LOW)
    dialog.weight_edit.setText("20")
    dialog.save()
    drill = next(it for it in contest.items(demo_db, c.id) if it.name == "队列会操")
    assert drill.team and tab.team_box.isVisibleTo(tab)
    contest_setup.set_assignments(demo_db, c.id, {drill.id: {judge.id}}, "裁判长")
    tab.reload()
    rows = [tab.team_model.row_texts(r) for r in range(2)]
    assert [(r[0], r[1], r[3]) for r in rows] == [("未抽签", "新华区", "J1"), ("未抽签", "卫东区", "")]
    assert rows[1][2] == "1 人：王五" and sorted(rows[0][2].removeprefix("2 人：").split("、")) == ["张三", "李四"]
    assert tab.team_model.headers == ("队号", "参赛队伍（单位）", "队员", "回避评委")
    assert tab.draw_note.text() == "2 支队伍未抽取队号" and tab.draw_button.isEnabled()
    assert "个人项目 100" in tab.info_label.text() and "团体项目（队列会操 权重20）" in tab.info_label.text()

    # 抽签…: both draws are possible, so the button asks; 为团体项目抽取队号 leaves the 抽签号 as they are
    tab.draw_button.click()
    assert tab.draw_menu.isVisible()
    assert [a.text() for a in tab.draw_menu.actions()] == ["为团体项目抽取队号…",
                                                           "全部重新抽签（抽签号、队号和密封编号）…"]
    tab.draw_menu.hide()
    tab.draw_teams_action.trigger()
    drawer = page.active_dialog
    assert isinstance(drawer, DrawDialog) and drawer.windowTitle() == "抽取队号 — 岗位练兵"
    drawer.run_draw()
    assert sorted(tab.team_model.row_texts(r)[0] for r in range(2)) == ["1", "2"]
    assert {tab.competitor_model.row_texts(r)[1]: tab.competitor_model.row_texts(r)[0] for r in range(3)} == numbers
    assert tab.message_label.text().startswith("已抽取队号：2 支队伍")
    assert [tab.draw_model.row_texts(r)[1] for r in range(tab.draw_model.rowCount())] == ["抽签号", "队号"]
    assert tab.draw_note.text() == ""

    # once the competitors are scored only a team without 队号 could still be drawn: nothing to draw here
    scoring.enter_score(demo_db, Slot(exam.id, contest_people.competitors(demo_db, c.id)[0].id), "90", "记分员")
    tab.reload()
    assert not tab.draw_button.isEnabled() and tab.draw_note.text() == "已有成绩，不能重新抽签"


def test_a_competitor_is_corrected_from_the_tab_and_a_refusal_keeps_the_dialog_open(qtbot, page, demo_db) -> None:
    c = contest.require_contest(demo_db, 1)
    page.select_contest(c.id)
    tab = page.setup_tab
    page.tabs.setCurrentWidget(tab)
    first = tab.competitor_model.object_at(0)
    tab.competitor_view.selectRow(0)
    assert tab.edit_competitor_button.isEnabled()
    tab.edit_competitor_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, CompetitorDialog) and dialog.windowTitle() == "修改选手"
    assert dialog.name_edit.text() == first.name and dialog.name_edit.isReadOnly() == (first.person_id is not None)
    dialog.unit_combo.set_unit(next(u.id for u in UnitIndex.load(demo_db).by_id.values() if u.name == "郏县"))
    dialog.save()  # the demo competitor has scores: the unit is fixed
    assert "已有成绩" in dialog.error_label.text() and dialog.isVisible()
    assert contest_people.competitors(demo_db, c.id)[0].unit_id == first.unit_id


def test_the_draw_also_seals_the_blind_items_and_a_later_blind_item_is_sealed_from_the_draw_button(
        qtbot, page, demo_db) -> None:
    from trainer import contest_setup, draw, people
    from trainer.contest import NewItem
    from trainer.contest_setup import ItemSetup

    c = new_contest(page)
    tab = page.setup_tab
    item = lambda name, blind: ItemSetup(NewItem(name, "去掉最高最低取平均", Decimal(100), Decimal(50),  # noqa: E731
                                                 blind=blind))
    writing = contest_setup.add_item(demo_db, c.id, item("执法文书制作", True), "裁判长")
    review = contest_setup.add_item(demo_db, c.id, item("案卷评审", False), "裁判长")
    on_duty = [p for p in people.all_people(demo_db) if p.post_status == "在岗"][:6]
    contest_setup.add_from_register(demo_db, c.id, [int(p.id or 0) for p in on_duty], "裁判长")
    tab.reload()
    assert "“执法文书制作”未抽取密封编号" in tab.draw_note.text()

    tab.start_draw()
    drawer = page.active_dialog
    assert isinstance(drawer, DrawDialog)
    said = " ".join(w.text() for w in drawer.findChildren(QLabel))
    assert "为全部 6 名选手随机分配抽签号 1–6，为密封项目“执法文书制作”抽取密封编号（同一种子，一次完成）" in said
    drawer.run_draw()
    [numbers, codes] = draw.draws(demo_db, c.id)       # one draw: the codes' seed follows from the numbers'
    assert (numbers.what, codes.what, codes.seed) == ("抽签号", "密封编号", f"{numbers.seed} 执法文书制作")
    assert len(draw.codes(demo_db, writing.id)) == 6
    assert "已为密封项目“执法文书制作”抽取密封编号" in tab.message_label.text() and "密封" not in tab.draw_note.text()

    contest_setup.update_item(demo_db, review.id, item("案卷评审", True), "裁判长")
    tab.reload()
    tab.start_draw()
    assert [a.text() for a in tab.draw_menu.actions()] == ["为密封项目抽取密封编号…",
                                                           "全部重新抽签（抽签号、队号和密封编号）…"]
    tab.draw_menu.hide()
    tab.draw_codes_action.trigger()
    assert len(draw.codes(demo_db, review.id)) == 6 and "“案卷评审”" in tab.message_label.text()


def test_a_new_chief_judge_is_named_in_the_log_at_once(qtbot, page, demo_db) -> None:
    from trainer import contest_setup
    from trainer.contest_setup import JudgeSpec

    page.select_contest(1)
    assert page.chief() == "裁判长周明"
    j2 = next(j for j in contest_people.judges(demo_db, 1) if j.code == "J2")
    contest_setup.update_judge(demo_db, j2.id, JudgeSpec("J2", j2.name, j2.unit_id, is_chief=True), "裁判长周明")
    assert page.chief() == f"裁判长{j2.name}"   # no need to pick the contest again


def test_a_long_team_note_is_elided_with_a_tooltip_and_never_widens_its_pane(qtbot, page, demo_db) -> None:
    from trainer import contest_setup
    from trainer.contest import DROP_HIGH_LOW, TEAM, NewItem
    from trainer.contest_setup import ItemSetup

    page.resize(1600, 1000)
    page.select_contest(1)
    tab = page.setup_tab
    page.tabs.setCurrentWidget(tab)
    qtbot.waitUntil(lambda: tab.team_note.width() > 0)
    note = tab.team_note
    assert note.text() == "12 支队伍 · 团体项目：队列会操"
    assert note.shown_text() == note.text() and note.toolTip() == ""   # it fits: shown whole, no tooltip
    pane = tab.team_box.width()

    for name in ("城市管理综合执法应急处置联合演练", "执法记录仪规范使用团体展示"):
        contest_setup.add_item(demo_db, 1, ItemSetup(NewItem(name, DROP_HIGH_LOW, Decimal(100), Decimal(10),
                                                             kind=TEAM)), "裁判长")
    tab.reload()
    qtbot.wait(50)
    whole = "12 支队伍 · 团体项目：队列会操、城市管理综合执法应急处置联合演练、执法记录仪规范使用团体展示"
    assert note.text() == whole and note.toolTip() == whole
    assert note.shown_text().endswith("…") and whole.startswith(note.shown_text()[:-1])
    assert tab.team_box.width() == pane                                  # the pane keeps its width
    assert note.geometry().right() < note.parentWidget().width()          # inside the pane, not cut by its edge
    assert note.fontMetrics().horizontalAdvance(note.shown_text()) <= note.contentsRect().width()
