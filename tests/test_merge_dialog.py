"""As the scorer on the main laptop I pick the judges' score files from their sticks and merge them at once: good
files are reported per file (a newer file with conflicts says it replaced the judge's older one); one tampered
file among them means nothing is written, and the dialog says why (the console gets one line, no traceback);
a file value that differs from a hand-typed one waits for the chief judge, who decides it with a reason and
the PIN, checked once per decision."""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from pathlib import Path

import pytest
from judge_support import CHIEF, CLERK, PIN, code, export, judged_contest

from trainer import audit, merge, scoring, settings
from trainer.contest_locks import PinAttempts
from trainer.judge_session import JudgeSession
from trainer.score_file import ScoreValue, write
from ui.conflicts_dialog import ConflictsDialog
from ui.merge_dialog import MergeDialog, open_merge


@pytest.fixture
def venue(db):
    return judged_contest(db)


def judge_file(venue, judge: str, values: dict[int, str], tmp_path: Path) -> Path:
    """A judge's laptop: kit, scores on 文书 by draw number (typed as codes), submitted to the stick."""
    stick = tmp_path / f"stick_{judge}"
    stick.mkdir()
    kit = export(venue, judge, stick)
    with JudgeSession.open_kit(kit, store_dir=tmp_path / f"laptop_{judge}") as s:
        writing = s.kit.item_named("文书")
        assert writing is not None
        for draw, value in values.items():
            s.enter(writing.id, code(venue, draw), value)
        return s.submit(stick).path


def state(db) -> tuple[object, ...]:
    return tuple(db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                 for t in ("contest_scores", "contest_submissions", "contest_conflicts", "audit_log"))


def wrong_pins(venue) -> int:
    return PinAttempts.parse(settings.get(venue.db, f"pin.attempts.contest.{venue.contest_id}")).failures


def run_merge(qtbot, dialog: MergeDialog, paths: list[Path]) -> None:
    dialog.report = dialog.refused = None
    dialog.add_files(paths)
    dialog.start_merge()
    qtbot.waitUntil(lambda: dialog.report is not None or dialog.refused is not None, timeout=20_000)


def test_two_good_files_merge_with_a_line_each(qtbot, venue, tmp_path: Path) -> None:
    files = [judge_file(venue, "J1", {1: "81", 2: "82"}, tmp_path), judge_file(venue, "J3", {1: "83"}, tmp_path)]
    dialog = open_merge(None, venue.db, venue.contest_id, actor=CLERK)
    qtbot.addWidget(dialog)
    run_merge(qtbot, dialog, files)
    assert dialog.report is not None
    rows = [dialog.model.row_texts(r) for r in range(dialog.model.rowCount())]
    assert [(r[0], r[1], r[3]) for r in rows] == [(files[0].name, "J1", "已接收 2 项"),
                                                  (files[1].name, "J3", "已接收 1 项")]
    assert "已合并 2 个文件" in dialog.result_label.text() and dialog.problems.isHidden()
    assert len(merge.submissions(venue.db, venue.contest_id)) == 2

    run_merge(qtbot, dialog, [files[0]])  # the same file again changes nothing
    assert dialog.model.row_texts(0)[3] == "相同文件（已合并过，未改动）"


def test_a_newer_file_with_conflicts_says_in_the_report_that_it_replaced_the_older(qtbot, venue, tmp_path) -> None:
    kit = export(venue, "J3", tmp_path)
    writing = kit.item_named("文书")
    assert writing is not None

    def stick_file(name: str, values: dict[int, str], revision: int, minute: int) -> Path:
        path = tmp_path / name
        write(path, kit, [ScoreValue(writing.id, code(venue, d), None, Decimal(v), "文书") for d, v in values.items()],
              revision=revision, now=dt.datetime(2026, 11, 18, 10, minute))
        return path

    dialog = MergeDialog(venue.db, venue.contest_id, CLERK)
    qtbot.addWidget(dialog)
    run_merge(qtbot, dialog, [stick_file("评分文件_J3_第1次.score", {1: "80", 2: "70"}, 1, 0)])
    scoring.enter_score(venue.db, venue.slot("文书", 3, "J3"), "60", CLERK)  # typed from the paper sheet meanwhile
    run_merge(qtbot, dialog, [stick_file("评分文件_J3_第2次.score", {1: "82", 3: "65"}, 2, 30)])
    row = dialog.model.row_texts(0)
    assert (row[0], row[1], row[2]) == ("评分文件_J3_第2次.score", "J3", "第2次")
    assert row[3] == "取代旧提交；有冲突待裁定 1 项（其余已合并）"
    assert row[5] == "取代2026-11-18 10:00提交的文件，改动 2 个分数；其余 1 个分数已合并"
    assert "有 1 项与手工录入的成绩不一致" in dialog.result_label.text()


def test_merging_only_files_merged_before_writes_nothing_and_takes_no_backup(qtbot, venue, tmp_path: Path) -> None:
    path = judge_file(venue, "J1", {1: "81"}, tmp_path)
    dialog = MergeDialog(venue.db, venue.contest_id, CLERK)
    qtbot.addWidget(dialog)
    run_merge(qtbot, dialog, [path])
    assert dialog.report is not None and dialog.report.backup is not None
    assert "合并前的备份" in dialog.result_label.text()
    run_merge(qtbot, dialog, [path])
    assert dialog.report is not None and dialog.report.backup is None
    assert "数据库没有改动，无需备份" in dialog.result_label.text()


def test_a_tampered_file_among_good_ones_writes_nothing_and_says_why(qtbot, venue, tmp_path: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    good = judge_file(venue, "J1", {1: "81"}, tmp_path)
    bad = judge_file(venue, "J3", {1: "83"}, tmp_path)
    data = bad.read_bytes().replace(b'"value":"83"', b'"value":"93"')
    assert data != bad.read_bytes()
    bad.write_bytes(data)
    before = state(venue.db)
    dialog = MergeDialog(venue.db, venue.contest_id, CLERK)
    qtbot.addWidget(dialog)
    with caplog.at_level(logging.WARNING, logger="ui.worker"):
        run_merge(qtbot, dialog, [good, bad])
    [logged] = caplog.records  # an expected refusal: one line on the console, no traceback
    assert logged.levelno == logging.WARNING and logged.exc_info is None
    assert bad.name in logged.getMessage() and "\n" not in logged.getMessage()
    assert dialog.refused is not None and dialog.report is None
    assert "均未写入" in dialog.result_label.text()
    assert not dialog.problems.isHidden()
    lines = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert len(lines) == 1 and lines[0].startswith(bad.name) and "改动" in lines[0]
    assert dialog.model.rowCount() == 0
    assert state(venue.db) == before


def test_a_conflict_with_a_hand_entered_score_is_resolved_with_a_reason(qtbot, venue, tmp_path: Path) -> None:
    scoring.enter_score(venue.db, venue.slot("文书", 1, "J3"), "80", CLERK)
    path = judge_file(venue, "J3", {1: "85", 2: "90"}, tmp_path)
    dialog = MergeDialog(venue.db, venue.contest_id, CLERK)
    qtbot.addWidget(dialog)
    run_merge(qtbot, dialog, [path])
    assert dialog.model.row_texts(0)[3] == "有冲突待裁定 1 项（其余已合并）"
    assert dialog.conflicts_button.isEnabled() and "1" in dialog.conflicts_button.text()

    conflicts = ConflictsDialog(venue.db, venue.contest_id, CHIEF)
    qtbot.addWidget(conflicts)
    assert conflicts.model.rowCount() == 1
    row = conflicts.model.row_texts(0)
    assert row[4].startswith("80") and row[5] == "85"
    conflicts.take_file.click()  # no reason yet
    assert "原因" in conflicts.message.text()
    assert len(merge.conflicts(venue.db, venue.contest_id)) == 1
    conflicts.reason_edit.setText("核对评委签字的纸质评分表")
    conflicts.value_edit.setText("84")
    conflicts.take_typed.click()  # the chief judge's decision: no PIN, no decision
    assert "PIN" in conflicts.message.text() and len(merge.conflicts(venue.db, venue.contest_id)) == 1
    assert "再输错4次" in conflicts.message.text() and wrong_pins(venue) == 1  # asked once, counted once
    conflicts.pin_edit.setText(PIN)
    conflicts.take_typed.click()
    assert "已裁定" in conflicts.message.text()
    assert merge.conflicts(venue.db, venue.contest_id) == []
    slot = venue.slot("文书", 1, "J3")
    value = venue.db.execute("SELECT value_x1000 FROM contest_scores WHERE item_id = ? AND competitor_id = ?"
                             " AND judge_id = ?", [slot.item_id, slot.competitor_id, slot.judge_id]).fetchone()[0]
    assert value == 84000
    conflicts.done(0)  # closing the conflicts dialog updates the merge dialog's button
    dialog._update_conflicts()
    assert not dialog.conflicts_button.isEnabled()


def test_many_conflicts_are_decided_at_once_with_one_reason_each_in_the_log(qtbot, venue, tmp_path: Path) -> None:
    for draw, value in ((1, "80"), (2, "88")):   # both typed from the paper sheet before the file came
        scoring.enter_score(venue.db, venue.slot("文书", draw, "J3"), value, CLERK)
    path = judge_file(venue, "J3", {1: "85", 2: "90"}, tmp_path)
    dialog = MergeDialog(venue.db, venue.contest_id, CLERK)
    qtbot.addWidget(dialog)
    run_merge(qtbot, dialog, [path])
    conflicts = ConflictsDialog(venue.db, venue.contest_id, CHIEF)
    qtbot.addWidget(conflicts)
    assert conflicts.model.rowCount() == 2
    conflicts.reason_edit.setText("以评委签字的评分文件为准")
    conflicts.take_all.click()                   # no PIN: nothing decided
    assert "PIN" in conflicts.message.text() and len(merge.conflicts(venue.db, venue.contest_id)) == 2
    assert "再输错4次" in conflicts.message.text() and wrong_pins(venue) == 1  # asked once, counted once
    conflicts.pin_edit.setText(PIN)
    conflicts.take_all.click()
    assert conflicts.message.text().startswith("已裁定 2 条冲突，全部采用评委文件的值")
    assert merge.conflicts(venue.db, venue.contest_id) == [] and conflicts.model.rowCount() == 0
    got = [scoring.get_score(venue.db, venue.slot("文书", d, "J3")) for d in (1, 2)]
    assert [str(v) for v in got] == ["85", "90"]
    resolved = audit.entries(venue.db, venue.contest_id, actions=[audit.SCORE_RESOLVE])
    assert [(e.actor, e.old, e.new, e.reason) for e in resolved] == [
        (CHIEF, "80", "85", "以评委签字的评分文件为准"), (CHIEF, "88", "90", "以评委签字的评分文件为准")]
    assert audit.verify(venue.db) is None
