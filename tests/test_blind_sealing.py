"""A blind (密封) item keeps its secret everywhere on the main laptop until the chief judge locks it: the spread
flag, the override dialog and its message, the lock refusal, a merge's conflict lines and the conflicts dialog,
the change log and the audit browser all name a competitor of 文书 by the sealed code alone — never a draw
number or a name. After the lock the number and name stand beside the code again, as the grid shows them."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from contest_support import Built, build, item
from contest_window_support import open_item, shown_page
from judge_support import CHIEF, CLERK, PIN, code, export
from PySide6.QtCore import Qt

from trainer import audit_view, blind, contest, contest_locks, draw, merge, ranking, scoring
from trainer.contest_people import Panel
from trainer.score_file import ScoreValue, write
from ui.conflicts_dialog import ConflictsDialog, conflict_cells
from ui.pin_dialog import LockDialog, PinDialog

PEOPLE = ((1, "张三", "新华区"), (2, "李四", "卫东区"), (3, "王五", "湛河区"), (4, "赵六", "叶县"))
NAMES = tuple(name for _n, name, _u in PEOPLE)
UNITS = tuple(unit for _n, _name, unit in PEOPLE)
FLAGGED, CONFLICTED = 2, 3  # 李四's judges differ by 20 (limit 10); J3's file disagrees with 王五's typed score


@pytest.fixture
def venue(db, tmp_path: Path) -> Built:
    """文书 (blind, spread limit 10) by J1–J4 (J2 of 新华区 recused from 张三): 李四 flagged, a conflict on 王五."""
    b = build(db, [item("文书", weight=100, spread="10")], PEOPLE,
              [("J1", "周明", None, ["文书"]), ("J2", "郑红", "新华区", ["文书"]), ("J3", "孙立", "法规科", ["文书"]),
               ("J4", "冯静", None, ["文书"])])
    draw.draw_codes(db, b.items["文书"], CHIEF, seed="文书 密封")
    contest_locks.set_pin(db, b.contest_id, PIN, CHIEF, n=2**10)
    b.scores("文书", FLAGGED, {"J1": "70", "J2": "90", "J3": "80", "J4": "85"})
    scoring.enter_score(db, b.slot("文书", FLAGGED, "J1"), "71", CHIEF, reason="评委更正笔误")  # in the change log
    b.score("文书", CONFLICTED, "J3", "80")
    return b


def merge_j3(venue: Built, folder: Path) -> merge.MergeReport:
    """J3's score file, disagreeing with the value typed for 王五."""
    kit = export(venue, "J3", folder)
    writing = kit.item_named("文书")
    assert writing is not None
    path = folder / "J3.score"
    write(path, kit, [ScoreValue(writing.id, code(venue, CONFLICTED), None, Decimal(85), "文书")], revision=1)
    return merge.merge_files(venue.db, venue.contest_id, [path], CLERK)


def leaks(text: str) -> list[str]:
    """What would tie a sealed code to a person: a draw number ('2号', '抽签号3'), a name or a unit."""
    return re.findall(r"\d+号|抽签号\s*\d+", text) + [w for w in (*NAMES, *UNITS) if w in text]


def flags(venue: Built) -> list[ranking.SpreadFlag]:
    it = contest.require_item(venue.db, venue.items["文书"])
    return ranking.spread_flags(venue.db, [it], Panel.load(venue.db, venue.contest_id))


def score_audit(venue: Built) -> list[audit_view.AuditRow]:
    return audit_view.browse(venue.db, category="成绩").rows


def test_every_service_names_a_blind_items_competitor_by_code_until_the_lock(venue: Built, tmp_path: Path) -> None:
    db, writing = venue.db, venue.items["文书"]
    flagged, conflicted = code(venue, FLAGGED), code(venue, CONFLICTED)
    said: list[str] = []

    [flag] = flags(venue)
    assert flag.text().startswith(f"文书 密封编号{flagged}：评委分差19") and flag.subject == f"文书 密封编号{flagged}"
    said += [flag.text(), flag.subject]

    report = merge_j3(venue, tmp_path)
    [conflict] = report.conflicts
    assert conflict.who == f"密封编号{conflicted}" and conflict.draw_no is None
    said += [o.line() for o in report.outcomes] + [c.line() for c in merge.conflicts(db, venue.contest_id)]
    decided = merge.resolve_conflict(db, conflict.id, "85", PIN, CHIEF, "核对评委签字的纸质评分表")
    said.append(decided.line())

    with pytest.raises(contest_locks.LockRefused) as refused:
        contest_locks.lock_item(db, writing, PIN, CHIEF)
    assert f"密封编号{flagged}" in str(refused.value)
    said += [str(refused.value), *(f.text() for f in refused.value.flags)]
    contest_locks.override_spread(db, writing, venue.competitors[FLAGGED], PIN, CHIEF, "复核录像，维持原评分")

    changes = scoring.score_changes(db, venue.contest_id)
    assert {c.number for c in changes} == {f"密封编号{flagged}", f"密封编号{conflicted}"}
    assert all(c.draw_no is None for c in changes)
    rows = score_audit(venue)
    assert any(r.subject.endswith(f"文书 · 密封编号{flagged} · 评委J1（周明）") for r in rows)
    said += [" ".join((c.number, c.reason)) for c in changes]
    said += [" ".join((r.subject, r.detail, r.reason)) for r in rows]  # the override's detail is its flag text

    assert [leak for text in said for leak in leaks(text)] == []

    contest_locks.lock_item(db, writing, PIN, CHIEF)  # the sealed mapping is opened: numbers and names may show
    [flag] = flags(venue)
    assert flag.text().startswith(f"文书 {FLAGGED}号：") and flag.subject == f"文书 {FLAGGED}号 李四"
    [settled] = merge.conflicts(db, venue.contest_id, status=None)
    assert settled.line().startswith(f"冲突 #{settled.id}：文书 抽签号{CONFLICTED}（密封编号{conflicted}） 评委J3")
    assert {c.number for c in scoring.score_changes(db, venue.contest_id)} == {str(FLAGGED), str(CONFLICTED)}
    assert any(r.subject.endswith(f"文书 · {FLAGGED}号选手 · 评委J1（周明）") for r in score_audit(venue))


def test_the_sealing_rule_is_the_items_blind_flag_and_lock(venue: Built) -> None:
    db = venue.db
    writing = contest.require_item(db, venue.items["文书"])
    seal = blind.Sealing.load(db, [writing])
    comp = Panel.load(db, venue.contest_id).by_draw[FLAGGED]
    sealed = f"密封编号{code(venue, FLAGGED)}"
    assert (seal.label(writing, comp), seal.number(writing, comp), seal.name(writing, comp),
            seal.who(writing, comp)) == (sealed, sealed, "（密封）", sealed)
    contest_locks.override_spread(db, writing.id, comp.id, PIN, CHIEF, "复核录像，维持原评分")
    locked = contest_locks.lock_item(db, writing.id, PIN, CHIEF).item
    opened = blind.Sealing.load(db, [locked])
    assert (opened.label(locked, comp), opened.number(locked, comp), opened.name(locked, comp),
            opened.who(locked, comp)) == ("2号", "2", "李四", "2号 李四")


def window_texts(model) -> str:
    return "\n".join(str(model.index(r, c).data(role) or "") for r in range(model.rowCount())
                     for c in range(model.columnCount())
                     for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole))


def test_the_window_says_the_code_alone_in_tooltips_dialogs_and_messages(qtbot, venue: Built, tmp_path: Path) -> None:
    db = venue.db
    flagged, conflicted = code(venue, FLAGGED), code(venue, CONFLICTED)
    merge_j3(venue, tmp_path)
    page = shown_page(qtbot, db, tmp_path)
    said: list[str] = []

    tab, writing = open_item(page, "文书")
    row = tab.model.row_of(venue.competitors[FLAGGED])
    tip = str(tab.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole))
    assert tip.startswith(f"文书 密封编号{flagged}：评委分差19")
    said.append(window_texts(tab.model))

    conflicts = ConflictsDialog(db, venue.contest_id, CHIEF)
    qtbot.addWidget(conflicts)
    assert conflict_cells(conflicts.model.object_at(0))[1] == f"密封编号{conflicted}"
    said.append(window_texts(conflicts.model))
    conflicts.pin_edit.setText(PIN)
    conflicts.resolve(conflicts.model.object_at(0), "85", "核对评委签字的纸质评分表")
    assert conflicts.message.text().startswith(f"已裁定：文书 密封编号{conflicted} 评委J3")
    said.append(conflicts.message.text())

    page.refresh()
    page.tabs.setCurrentWidget(page.checks_tab)
    checks = page.checks_tab
    checks.select_item(writing.id)
    checks.lock_selected()
    lock = page.active_dialog
    assert isinstance(lock, LockDialog)
    lock.pin_edit.setText(PIN)
    lock.submit()
    assert lock.details.isVisible() and f"密封编号{flagged}" in lock.details.toPlainText()
    said += [lock.details.toPlainText(), lock.error_label.text()]
    lock.reject()

    checks.lists.setCurrentIndex(0)
    checks.flag_view.selectRow(0)
    checks.override_selected()
    override = page.active_dialog
    assert isinstance(override, PinDialog) and override.windowTitle() == f"确认分差 — 文书 密封编号{flagged}"
    said += [override.windowTitle(), override.intro_label.text()]
    override.pin_edit.setText(PIN)
    override.reason_edit.setText("复核录像，维持原评分")
    override.submit()
    assert checks.message_label.text() == f"已确认分差：文书 密封编号{flagged}"
    said.append(checks.message_label.text())
    said += [window_texts(m) for m in (checks.flag_model, checks.change_model)]
    assert f"密封编号{flagged}" in window_texts(checks.change_model)

    assert [leak for text in said for leak in leaks(text)] == []

    checks.lock_selected()  # every flag is settled: the lock goes through and the names come back
    lock = page.active_dialog
    lock.pin_edit.setText(PIN)
    lock.submit()
    assert contest.require_item(db, writing.id).locked
    changes = window_texts(checks.change_model)
    assert f"密封编号{flagged}" not in changes and "\n2\n" in f"\n{changes}\n"


def test_the_sealed_code_columns_are_wide_enough_to_read(qtbot, venue: Built, tmp_path: Path) -> None:
    page = shown_page(qtbot, venue.db, tmp_path)
    page.tabs.setCurrentWidget(page.checks_tab)
    checks = page.checks_tab
    for view, column in ((checks.flag_view, 1), (checks.change_view, 4)):
        model = view.model()
        texts = [str(model.index(r, column).data() or "") for r in range(model.rowCount())]
        assert any(t.startswith("密封编号") for t in texts)
        needed = max(view.fontMetrics().horizontalAdvance(t) for t in texts)
        assert view.horizontalHeader().sectionSize(column) > needed  # no '密封编…'


def test_a_recusal_refusal_on_a_sealed_item_names_no_draw_number(venue: Built) -> None:
    """J2 of 新华区 may not score 张三 (新华区): said without tying the sealed row to 张三's draw number."""
    ctx = scoring.ScoringContext.load(venue.db, venue.contest_id)
    problem = ctx.slot_problem(venue.slot("文书", 1, "J2"))
    assert problem is not None and "回避" in problem[1] and "该选手" in problem[1]
    assert not re.findall(r"\d+号", problem[1]), problem
