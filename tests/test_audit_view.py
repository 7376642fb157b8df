"""As an inspector I read the audit log in the window and on the command line: newest first, by kind of change,
searchable, exportable, naming what each entry is about — never a blind item's competitor by name."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
from prompt_support import ScriptedPrompts

from trainer import audit, audit_view, cli, contest, contest_locks, draw
from trainer.demo_contest import DEMO_PIN
from ui.audit_log_dialog import AuditLogDialog
from ui.safety_page import SafetyPage


def test_every_kind_of_change_belongs_to_exactly_one_category():
    placed = [action for actions in audit_view.CATEGORIES.values() for action in actions]
    assert sorted(placed) == sorted(audit.LABELS)


def test_newest_first_by_category_and_text(demo_db):
    everything = audit_view.browse(demo_db)
    assert everything.total == demo_db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    ids = [r.id for r in everything.rows]
    assert ids == sorted(ids, reverse=True)
    certs = audit_view.browse(demo_db, category="证书")
    assert certs.total > 0 and {r.what for r in certs.rows} == {"发放证书"}
    one = certs.rows[-1]
    name = one.detail.split()[0]
    found = audit_view.browse(demo_db, category="证书", text=name)
    assert one.id in {r.id for r in found.rows} and all(name in r.detail for r in found.rows)
    assert audit_view.browse(demo_db, text="没有这样的文字%_").total == 0  # LIKE wildcards are plain text
    few = audit_view.browse(demo_db, limit=5)
    assert len(few.rows) == 5 and few.total == everything.total


def test_a_score_entry_names_contest_item_draw_number_and_judge_but_no_competitor_name(demo_db):
    change = audit_view.browse(demo_db, category="成绩", text="更正笔误").rows[0]
    assert change.what == "修改成绩" and change.reason == "评委复核评分表，更正笔误"
    contest, item, competitor, judge = change.subject.split(" · ")
    assert item in {r[0] for r in demo_db.execute("SELECT name FROM contest_items")}
    assert contest == "首届执法技能比武" and competitor.endswith("号选手") and judge.startswith("评委J")
    names = {r[0] for r in demo_db.execute("SELECT name FROM contest_competitors")}
    assert not any(n in change.subject for n in names)


def test_the_command_line_lists_and_refuses_an_unknown_category(demo_db, db_path, capsys):
    assert cli.main(["--db", str(db_path), "audit", "list", "--category", "锁定与发布", "--format", "csv"]) == 0
    header, *rows = csv.reader(io.StringIO(capsys.readouterr().out))
    assert header == ["时间", "操作人", "操作", "对象", "原值", "新值", "原因", "说明"]
    # the demo's finished contest adds its 发布排名 and 确认获奖名单 to the locks and PINs of both contests
    assert {r[2] for r in rows} == {"锁定项目", "设置PIN", "发布排名", "确认获奖名单"}
    assert cli.main(["--db", str(db_path), "audit", "list", "--category", "随便"]) == 2
    assert "未知类别“随便”" in capsys.readouterr().err


def test_the_window_filters_searches_and_exports(qtbot, demo_db, tmp_path: Path):
    page = SafetyPage(demo_db)
    qtbot.addWidget(page)
    page.audit_log_button.click()
    dialog = page.audit_log
    assert isinstance(dialog, AuditLogDialog) and dialog.isVisible()
    total = demo_db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
    assert dialog.count_label.text() == f"共 {total} 条，列出最新的 2000 条（导出Excel包含全部）"
    dialog.category_combo.setCurrentText("证书")
    certs = dialog.model.rowCount()
    assert 0 < certs < 2000 and dialog.count_label.text() == f"共 {certs} 条"
    dialog.search_edit.setText(dialog.model.row_texts(0)[7].split()[0])  # a name from the 说明 column
    qtbot.waitUntil(lambda: dialog.model.rowCount() < certs, timeout=3000)
    dialog.category_combo.setCurrentText("全部")
    dialog.search_edit.clear()
    dialog.refresh()
    dialog.prompts = ScriptedPrompts(dialog, tmp_path)
    dialog.export()
    rows = [list(r) for r in openpyxl.load_workbook(tmp_path / "审计日志.xlsx").active.iter_rows(values_only=True)]
    assert rows[0] == ["时间", "操作人", "操作", "对象", "原值", "新值", "原因", "说明"] and len(rows) == total + 1


def test_a_blind_items_entries_name_the_sealed_code_until_the_item_is_locked(demo_db):
    review = next(it for it in contest.items(demo_db, 1) if it.name == "案卷评审")
    assert review.blind and not review.locked
    codes = draw.codes(demo_db, review.id)

    def whom() -> list[str]:
        """The competitor part of the subject of every score entry of 案卷评审."""
        return [r.subject.split(" · ")[2] for r in audit_view.browse(demo_db, category="成绩", limit=100_000).rows
                if r.subject.split(" · ")[1:2] == ["案卷评审"]]

    sealed = whom()
    assert sealed and {w.removeprefix("密封编号") for w in sealed} <= set(codes.values())
    assert not any(w.endswith("号选手") for w in sealed)  # the number would tie the code to a person
    contest_locks.lock_item(demo_db, review.id, DEMO_PIN, "裁判长周明")
    opened = whom()
    assert len(opened) == len(sealed) and all(w.endswith("号选手") for w in opened)
