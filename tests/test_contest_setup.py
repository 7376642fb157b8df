"""As the chief judge I set a contest up by hand, without a workbook: its details, the items with their rules
(criteria, a conversion table), judges and who scores what (with the recusals spelled out), competitors from
the register or typed in. Then the draw, and scores go in. Once scores exist, what they rest on is fixed:
editing or deleting a scored or locked item, removing a judge or competitor with scores is refused, and
nothing changes. Every change that bears on results is in the audit chain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from trainer import audit, contest, contest_people, contest_setup, draw, people, ranking, scoring
from trainer.contest import AVERAGE, DROP_HIGH_LOW, RUBRIC, SINGLE, TEAM_BEST, ContestError, NewContest, NewItem
from trainer.contest_setup import ItemSetup, JudgeSpec
from trainer.scoring import Slot
from trainer.units import UnitIndex

CHIEF = "裁判长周明"


def unit(db, name: str) -> int:
    found = UnitIndex.load(db).resolve(name)
    assert found is not None, name
    return found.id


def new_item(name: str, method: str = DROP_HIGH_LOW, weight: str = "50", **kw: object) -> NewItem:
    return NewItem(name, method, Decimal(kw.pop("full", "100")), Decimal(weight), **kw)  # type: ignore[arg-type]


def rows(db, table: str) -> int:
    return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_a_chief_judge_sets_up_a_contest_from_nothing_draws_and_enters_scores(db) -> None:
    c = contest_setup.create_contest(db, NewContest("第二届执法技能比武", dt.date(2027, 5, 10), dt.date(2027, 5, 11),
                                                    "市城管局教育培训中心", "平顶山市城市管理局"), CHIEF)
    assert contest_setup.weights_note(db, c.id) == "还没有比武项目"

    writing = contest_setup.add_item(db, c.id, ItemSetup(new_item("执法文书制作", weight="50", tiebreak=1,
                                                                  max_spread=Decimal(10), blind=True)), CHIEF)
    assert contest_setup.weights_note(db, c.id) == "权重合计为50，应为100"
    scene = contest_setup.add_item(db, c.id, ItemSetup(
        new_item("情景模拟执法", RUBRIC, "30", rubric_method=AVERAGE),
        criteria=(("仪容仪表", Decimal(20)), ("语言规范", Decimal(30)), ("程序规范", Decimal(50)))), CHIEF)
    run = contest_setup.add_item(db, c.id, ItemSetup(
        new_item("体能（1000米）", SINGLE, "20", decimals=0),
        conversions=((Decimal(210), Decimal(100)), (Decimal(240), Decimal(80)), (Decimal(300), Decimal(60))),
        lower_is_better=True, raw_unit="秒", raw_decimals=1), CHIEF)
    assert contest_setup.weights_note(db, c.id) is None
    assert [it.name for it in contest.items(db, c.id)] == ["执法文书制作", "情景模拟执法", "体能（1000米）"]
    assert [cr.name for cr in contest.require_item(db, scene.id).criteria] == ["仪容仪表", "语言规范", "程序规范"]
    assert run.converted and run.raw_unit == "秒" and run.convert_milli(235_000) == 80_000

    j1 = contest_setup.add_judge(db, c.id, JudgeSpec("J1", "周明", unit(db, "法规科"), is_chief=True), CHIEF)
    j2 = contest_setup.add_judge(db, c.id, JudgeSpec("J2", "郑红", unit(db, "新华区")), CHIEF)
    j3 = contest_setup.add_judge(db, c.id, JudgeSpec("J3", "冯静", None, "平顶山学院"), CHIEF)
    assert j3.unit_text == "外聘：平顶山学院"
    contest_setup.add_competitor(db, c.id, "张三", unit(db, "新华区"), CHIEF)
    contest_setup.add_competitor(db, c.id, "李四", unit(db, "卫东区"), CHIEF)
    contest_setup.add_competitor(db, c.id, "王五", unit(db, "新华区"), CHIEF)
    assert [x.draw_no for x in contest_people.competitors(db, c.id)] == [None, None, None]  # before the draw

    wanted = {writing.id: {j1.id, j2.id, j3.id}, scene.id: {j1.id, j2.id, j3.id}}
    preview = contest_setup.preview_assignments(db, c.id, wanted)
    assert rows(db, "contest_assignments") == 0  # a preview writes nothing
    change = contest_setup.set_assignments(db, c.id, wanted, CHIEF)
    assert [(r.item.name, r.judge.code) for r in change.added] == [(r.item.name, r.judge.code) for r in preview]
    j2_report = next(r for r in change.added if r.judge.code == "J2" and r.item.id == writing.id)
    assert sorted(x.name for x in j2_report.recused) == ["张三", "王五"]  # J2 is of 新华区 too
    # 去掉最高最低 needs 3 judges: 张三 and 王五 keep only J1 and J3
    assert sorted((x.name, n, need) for x, n, need in j2_report.short) == [("张三", 2, 3), ("王五", 2, 3)]
    text = contest_setup.report_text(change.added)
    assert "J2 郑红在“执法文书制作”回避本单位选手 2 人" in text
    assert "“执法文书制作”按“去掉最高最低取平均”需3名评委，2 名选手可评分的评委不足" in text
    assert "情景模拟执法”按" not in text  # 平均分 needs one judge

    record = draw.draw_contest(db, c.id, CHIEF, seed="2027-05-10 监督员").numbers
    by_draw = {x.draw_no: x for x in contest_people.competitors(db, c.id)}
    assert sorted(by_draw) == [1, 2, 3] and draw.reproduce(db, record.id)

    lisi = next(x for x in by_draw.values() if x.name == "李四")
    for judge, value in ((j1, "88"), (j2, "90"), (j3, "86")):
        scoring.enter_score(db, Slot(writing.id, lisi.id, judge.id), value, "记分员")
    for judge in (j1, j2, j3):
        for crit, value in zip(contest.require_item(db, scene.id).criteria, ("18", "27", "45"), strict=True):
            scoring.enter_score(db, Slot(scene.id, lisi.id, judge.id, crit.id), value, "记分员")
    scoring.enter_score(db, Slot(run.id, lisi.id), "238.5", "记分员")
    standing = ranking.compute(db, c.id).standing(lisi.id)
    assert standing.item_scores == (Decimal(88), Decimal(90), Decimal(80))

    actions = [e.action for e in audit.entries(db, c.id)]
    assert actions[:4] == [audit.CONTEST_CREATE, audit.ITEM_ADD, audit.ITEM_ADD, audit.ITEM_ADD]
    assert actions.count(audit.JUDGE_ADD) == 3 and actions.count(audit.ASSIGN) == 6
    assert actions.count(audit.COMPETITOR_ADD) == 3
    assert audit.verify(db) is None


def test_bad_rules_are_refused_with_the_reason_and_nothing_is_written(db) -> None:
    c = contest_setup.create_contest(db, NewContest("测试比武"), CHIEF)
    contest_setup.add_item(db, c.id, ItemSetup(new_item("笔试", SINGLE, "40", tiebreak=1)), CHIEF)
    before = (rows(db, "contest_items"), rows(db, "contest_criteria"), rows(db, "audit_log"))
    cases = [
        (ItemSetup(new_item("情景", RUBRIC)), "评分细则应有名称各不相同的细则"),
        (ItemSetup(new_item("情景", RUBRIC), criteria=(("仪容", Decimal(20)), ("程序", Decimal(70)))),
         "各细则满分合计为90，应等于项目满分100"),
        (ItemSetup(new_item("笔试")), "已有名为“笔试”的项目"),
        (ItemSetup(new_item("文书", tiebreak=1)), "决胜顺序1已给了另一个项目"),
        (ItemSetup(new_item("文书", weight="0")), "权重应大于0且不超过100"),
        (ItemSetup(new_item("文书", full="100.5", decimals=0)), "满分最多保留0位小数"),
        (ItemSetup(new_item("体能", SINGLE), conversions=((Decimal(200), Decimal(60)), (Decimal(240), Decimal(80)))),
         "换算表的分数应随成绩变好而不降低"),
    ]
    for setup, message in cases:
        with pytest.raises(ContestError, match=message):
            contest_setup.add_item(db, c.id, setup, CHIEF)
    assert (rows(db, "contest_items"), rows(db, "contest_criteria"), rows(db, "audit_log")) == before

    with pytest.raises(ContestError, match="按前N名计团体成绩时须给出N"):
        contest_setup.update_contest(db, c.id, NewContest("测试比武", team_mode=TEAM_BEST, team_best_n=None), CHIEF)
    with pytest.raises(ContestError, match="结束日期早于开始日期"):
        contest_setup.update_contest(db, c.id, NewContest("测试比武", dt.date(2027, 5, 2), dt.date(2027, 5, 1)), CHIEF)
    changed = contest_setup.update_contest(db, c.id, NewContest("测试比武（复赛）", venue="党校", team_mode=TEAM_BEST,
                                                                team_best_n=3), CHIEF)
    assert (changed.name, changed.venue, changed.team_mode, changed.team_best_n) == (
        "测试比武（复赛）", "党校", TEAM_BEST, 3)
    edit = audit.entries(db, c.id, actions=[audit.CONTEST_EDIT])
    assert len(edit) == 1 and "团体成绩合计" in edit[0].old and "团体成绩前3名" in edit[0].new


def test_an_item_changes_method_without_leaving_stale_rules_and_moves_in_the_sheet(db) -> None:
    c = contest_setup.create_contest(db, NewContest("测试比武"), CHIEF)
    a = contest_setup.add_item(db, c.id, ItemSetup(new_item("甲", weight="40")), CHIEF)
    b = contest_setup.add_item(db, c.id, ItemSetup(new_item("乙", RUBRIC, "30"),
                                                   criteria=(("一", Decimal(40)), ("二", Decimal(60)))), CHIEF)
    d = contest_setup.add_item(db, c.id, ItemSetup(new_item("丙", weight="30")), CHIEF)
    judge = contest_setup.add_judge(db, c.id, JudgeSpec("J1", "周明", None), CHIEF)
    contest_setup.set_assignments(db, c.id, {a.id: {judge.id}}, CHIEF)

    plain = contest_setup.update_item(db, b.id, ItemSetup(new_item("乙", AVERAGE, "30")), CHIEF)
    assert plain.criteria == () and rows(db, "contest_criteria") == 0
    single = contest_setup.update_item(db, a.id, ItemSetup(new_item("甲（笔试）", SINGLE, "40")), CHIEF)
    assert single.name == "甲（笔试）" and contest_setup.current_assignments(db, c.id) == {}  # no judges now
    edit = audit.entries(db, c.id, actions=[audit.ITEM_EDIT])[-1]
    assert "去掉最高最低取平均" in edit.old and "单一成绩" in edit.new

    assert [it.name for it in contest_setup.move_item(db, d.id, -1)] == ["甲（笔试）", "丙", "乙"]
    assert [it.name for it in contest_setup.move_item(db, d.id, -5)] == ["丙", "甲（笔试）", "乙"]
    assert [it.name for it in contest_setup.move_item(db, d.id, 1)] == ["甲（笔试）", "丙", "乙"]

    contest_setup.delete_item(db, b.id, CHIEF)
    assert [it.name for it in contest.items(db, c.id)] == ["甲（笔试）", "丙"]
    assert audit.entries(db, c.id, actions=[audit.ITEM_DELETE])[0].old.startswith("乙")


def test_once_scores_exist_their_rules_judges_and_competitors_are_fixed(demo_db) -> None:
    db = demo_db
    items = {it.name: it for it in contest.items(db, 1)}
    panel = contest_people.Panel.load(db, 1)
    before = (rows(db, "contest_items"), rows(db, "contest_judges"), rows(db, "contest_assignments"),
              rows(db, "contest_competitors"), rows(db, "audit_log"))

    review = items["案卷评审"]
    with pytest.raises(ContestError, match="“案卷评审”已有成绩，不能再修改评分规则"):
        contest_setup.update_item(db, review.id, contest_setup.item_setup(review), CHIEF)
    with pytest.raises(ContestError, match="“案卷评审”已有成绩，不能删除"):
        contest_setup.delete_item(db, review.id, CHIEF)
    with pytest.raises(ContestError, match="“法律知识笔试”已锁定，不能删除"):
        contest_setup.delete_item(db, items["法律知识笔试"].id, CHIEF)

    scorer = panel.judge_by_code["J2"]
    with pytest.raises(ContestError, match=r"评委J2 .*已有评分，不能删除"):
        contest_setup.remove_judge(db, scorer.id, CHIEF)
    spec = contest_setup.judge_spec(scorer)
    with pytest.raises(ContestError, match="已有评分，不能再修改评委编号或单位"):
        contest_setup.update_judge(db, scorer.id, JudgeSpec("J20", spec.name, spec.unit_id), CHIEF)
    wanted = contest_setup.current_assignments(db, 1)
    wanted[review.id] = wanted[review.id] - {scorer.id}
    with pytest.raises(ContestError, match="评委J2在“案卷评审”已有评分，不能取消分配"):
        contest_setup.set_assignments(db, 1, wanted, CHIEF)

    first = panel.by_draw[1]
    with pytest.raises(ContestError, match=f"{first.name}已有成绩，不能移除"):
        contest_setup.remove_competitors(db, 1, [first.id], CHIEF)
    with pytest.raises(ContestError, match="比武已有成绩，不能再添加选手"):
        contest_setup.add_competitor(db, 1, "迟到者", first.unit_id, CHIEF)
    after = (rows(db, "contest_items"), rows(db, "contest_judges"), rows(db, "contest_assignments"),
             rows(db, "contest_competitors"), rows(db, "audit_log"))
    assert after == before

    renamed = contest_setup.update_judge(db, scorer.id, JudgeSpec("J2", "郑红梅", spec.unit_id), CHIEF)
    assert renamed.name == "郑红梅"  # a typo in a name may still be put right
    assert audit.entries(db, 1, actions=[audit.JUDGE_EDIT])[-1].new.startswith("J2 郑红梅")


def test_judges_competitors_and_assignments_before_scoring(demo_db) -> None:
    db = demo_db
    c = contest_setup.create_contest(db, NewContest("岗位练兵"), CHIEF)
    item = contest_setup.add_item(db, c.id, ItemSetup(new_item("案卷评审", AVERAGE, "100")), CHIEF)
    chief = contest_setup.add_judge(db, c.id, JudgeSpec("J1", "周明", None, is_chief=True), CHIEF)
    other = contest_setup.add_judge(db, c.id, JudgeSpec("J2", "郑红", unit(db, "卫东区")), CHIEF)
    with pytest.raises(ContestError, match="评委编号J1已被占用"):
        contest_setup.update_judge(db, other.id, JudgeSpec("J1", "郑红", unit(db, "卫东区")), CHIEF)
    moved = contest_setup.update_judge(db, other.id, JudgeSpec("J2", "郑红", unit(db, "湛河区"), is_chief=True), CHIEF)
    assert moved.is_chief and not next(j for j in contest_people.judges(db, c.id) if j.id == chief.id).is_chief

    on_duty = [p for p in people.all_people(db) if p.post_status == "在岗"][:5]
    added = contest_setup.add_from_register(db, c.id, [int(p.id or 0) for p in on_duty], CHIEF)
    assert [a.name for a in added] == [p.name for p in on_duty] and all(a.draw_no is None for a in added)
    with pytest.raises(ContestError, match="已在本次比武中"):
        contest_setup.add_from_register(db, c.id, [int(on_duty[-1].id or 0), int(on_duty[0].id or 0)], CHIEF)
    assert len(contest_people.competitors(db, c.id)) == 5

    change = contest_setup.set_assignments(db, c.id, {item.id: {chief.id, other.id}}, CHIEF)
    assert change.summary() == "新分配 2 项，取消 0 项"
    change = contest_setup.set_assignments(db, c.id, {item.id: {chief.id}}, CHIEF)
    assert [(i.name, j.code) for i, j in change.removed] == [("案卷评审", "J2")]
    contest_setup.remove_judge(db, other.id, CHIEF)
    assert [j.code for j in contest_people.judges(db, c.id)] == ["J1"]

    assert contest_setup.remove_competitors(db, c.id, [added[0].id, added[1].id], CHIEF) == 2
    assert len(contest_people.competitors(db, c.id)) == 3
    removed = audit.entries(db, c.id, actions=[audit.COMPETITOR_REMOVE])
    assert [e.old for e in removed] == [added[0].name, added[1].name]
    assert audit.verify(db) is None


# ---- 团体 items: teams at once, 队号 at the draw --------------------------------------------------------------

def team_item(name: str = "队列会操", weight: str = "20", **kw: object) -> NewItem:
    return new_item(name, DROP_HIGH_LOW, weight, kind=contest.TEAM, **kw)


def team_names(db, contest_id: int) -> list[str]:
    return sorted(t.name for t in contest_people.team_entries(db, contest_id))


def test_a_team_item_added_after_the_draw_brings_its_teams_and_the_draw_offers_their_numbers(db) -> None:
    c = contest_setup.create_contest(db, NewContest("岗位练兵"), CHIEF)
    exam = contest_setup.add_item(db, c.id, ItemSetup(new_item("笔试", SINGLE, "100")), CHIEF)
    for name, where in (("张三", "新华区"), ("李四", "新华区"), ("王五", "卫东区")):
        contest_setup.add_competitor(db, c.id, name, unit(db, where), CHIEF)
    state = contest_setup.draw_state(db, c.id)
    assert (state.can_draw, state.can_number_teams, state.note) == (True, False, "3 名选手未抽签")
    draw.draw_contest(db, c.id, CHIEF, seed="初赛")
    assert contest_people.team_entries(db, c.id) == []  # no 团体 item, no teams

    contest_setup.add_item(db, c.id, ItemSetup(team_item()), CHIEF)
    assert team_names(db, c.id) == ["卫东区", "新华区"]  # at once, not at the next draw
    assert all(t.team_no is None for t in contest_people.team_entries(db, c.id))
    state = contest_setup.draw_state(db, c.id)
    assert (state.can_draw, state.can_number_teams, state.unnumbered) == (True, True, 2)
    assert state.note == "2 支队伍未抽取队号"

    # once the competitors have scores their numbers are fixed, and the teams can still get theirs
    scoring.enter_score(db, Slot(exam.id, contest_people.competitors(db, c.id)[0].id), "90", "记分员")
    state = contest_setup.draw_state(db, c.id)
    assert (state.can_draw, state.can_number_teams) == (False, True)
    before = {x.name: x.draw_no for x in contest_people.competitors(db, c.id)}
    draw.draw_team_numbers(db, c.id, CHIEF, seed="队号")
    assert sorted(t.team_no or 0 for t in contest_people.team_entries(db, c.id)) == [1, 2]
    assert {x.name: x.draw_no for x in contest_people.competitors(db, c.id)} == before  # 抽签号 unchanged
    state = contest_setup.draw_state(db, c.id)
    assert (state.can_draw, state.can_number_teams, state.note) == (False, False, "已有成绩，不能重新抽签")


def test_making_an_item_team_or_individual_or_deleting_it_keeps_the_teams_in_step(db) -> None:
    c = contest_setup.create_contest(db, NewContest("岗位练兵"), CHIEF)
    contest_setup.add_item(db, c.id, ItemSetup(new_item("笔试", SINGLE, "100")), CHIEF)
    drill = contest_setup.add_item(db, c.id, ItemSetup(new_item("队列会操", DROP_HIGH_LOW, "20")), CHIEF)
    for name, where in (("张三", "新华区"), ("王五", "卫东区")):
        contest_setup.add_competitor(db, c.id, name, unit(db, where), CHIEF)
    draw.draw_contest(db, c.id, CHIEF, seed="初赛")
    draw.draw_codes(db, drill.id, CHIEF, seed="密封")  # codes for the competitors, while it is 个人
    assert contest_setup.weights_note(db, c.id) == "权重合计为120，应为100"

    drill = contest_setup.update_item(db, drill.id, ItemSetup(team_item(blind=True)), CHIEF)
    assert drill.team and team_names(db, c.id) == ["卫东区", "新华区"]
    assert draw.codes(db, drill.id) == {}  # the competitors' codes are void for a team item: drawn again
    assert contest_setup.weights_note(db, c.id) is None  # a team item's weight adds to the team score only
    assert "团体" in audit.entries(db, c.id, actions=[audit.ITEM_EDIT])[-1].new

    contest_setup.update_item(db, drill.id, ItemSetup(new_item("队列会操", DROP_HIGH_LOW, "20")), CHIEF)
    assert team_names(db, c.id) == []  # back to 个人: no team item, no teams
    contest_setup.update_item(db, drill.id, ItemSetup(team_item()), CHIEF)
    assert team_names(db, c.id) == ["卫东区", "新华区"]
    contest_setup.delete_item(db, drill.id, CHIEF)
    assert team_names(db, c.id) == [] and audit.verify(db) is None


def test_a_competitor_typed_by_hand_is_corrected_and_one_from_the_register_keeps_its_name(demo_db) -> None:
    db = demo_db
    c = contest_setup.create_contest(db, NewContest("岗位练兵"), CHIEF)
    contest_setup.add_item(db, c.id, ItemSetup(new_item("法律知识笔试", SINGLE, "100")), CHIEF)
    typed = contest_setup.add_competitor(db, c.id, "王晓明", unit(db, "新华区"), CHIEF)
    person = next(p for p in people.all_people(db) if p.post_status == "在岗")
    [listed] = contest_setup.add_from_register(db, c.id, [int(person.id or 0)], CHIEF)

    fixed = contest_setup.update_competitor(db, typed.id, "王小明", unit(db, "卫东区"), CHIEF)
    assert (fixed.name, fixed.unit_id) == ("王小明", unit(db, "卫东区"))
    [entry] = audit.entries(db, c.id, actions=[audit.COMPETITOR_EDIT])
    assert (entry.old, entry.new) == ("王晓明（新华区）", "王小明（卫东区）")
    with pytest.raises(ContestError, match="来自人员名册"):
        contest_setup.update_competitor(db, listed.id, "别的名字", listed.unit_id, CHIEF)
    contest_setup.update_competitor(db, listed.id, listed.name, unit(db, "湛河区"), CHIEF)  # its unit may move

    draw.draw_contest(db, c.id, CHIEF, seed="固定种子")
    it = contest.items(db, c.id)[0]
    scoring.enter_score(db, Slot(it.id, typed.id, None, None), "88", CHIEF)
    with pytest.raises(ContestError, match="已有成绩，单位决定评委回避和代表队"):
        contest_setup.update_competitor(db, typed.id, "王小明", unit(db, "新华区"), CHIEF)
    assert contest_setup.update_competitor(db, typed.id, "王筱明", unit(db, "卫东区"), CHIEF).name == "王筱明"
    assert audit.verify(db) is None


def test_sealed_codes_come_with_the_draw_in_one_step_and_alone_for_an_item_made_blind_later(demo_db) -> None:
    db = demo_db
    c = contest_setup.create_contest(db, NewContest("岗位练兵"), CHIEF)
    writing = contest_setup.add_item(db, c.id, ItemSetup(new_item("执法文书制作", weight="50", blind=True)), CHIEF)
    review = contest_setup.add_item(db, c.id, ItemSetup(new_item("案卷评审", weight="50")), CHIEF)
    on_duty = [p for p in people.all_people(db) if p.post_status == "在岗"][:6]
    contest_setup.add_from_register(db, c.id, [int(p.id or 0) for p in on_duty], CHIEF)
    assert contest_setup.draw_state(db, c.id).codes_missing == ("执法文书制作",)

    drawn = draw.draw_contest(db, c.id, CHIEF, seed="现场抽签")        # one step: the numbers and the codes
    [record] = drawn.codes
    assert record.item_id == writing.id and record.seed == "现场抽签 执法文书制作" and draw.reproduce(db, record.id)
    codes = draw.codes(db, writing.id)
    assert codes == record.result
    assert len(codes) == 6 and len(set(codes.values())) == 6
    state = contest_setup.draw_state(db, c.id)
    assert state.codes_missing == () and not state.can_code and "密封" not in state.note

    # made blind after the draw: its codes are missing until drawn alone; the other item's stay as they were
    contest_setup.update_item(db, review.id, ItemSetup(new_item("案卷评审", weight="50", blind=True)), CHIEF)
    state = contest_setup.draw_state(db, c.id)
    assert state.codes_missing == ("案卷评审",) and state.can_code and "“案卷评审”未抽取密封编号" in state.note
    [again] = contest_setup.draw_sealed_codes(db, c.id, CHIEF, seed="补抽")
    assert again.item_id == review.id and again.seed == "补抽 案卷评审" and draw.codes(db, writing.id) == codes
    assert contest_setup.draw_sealed_codes(db, c.id, CHIEF) == []                 # nothing left to draw
    assert audit.verify(db) is None
