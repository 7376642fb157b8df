"""成绩大屏 for the venue's projector: while scoring it shows the contest, a progress bar per item, the competitors
complete and a clock, and names nobody; it follows scores typed meanwhile, reading on its own query-only
connection; once the chief judge releases the ranking (PIN, every item locked) it pages through the ranking with
the top three highlighted, then the teams; a withdrawal brings the progress back. F11 / Esc switch full screen;
with a second screen it opens there."""

from __future__ import annotations

import sqlite3

import pytest
from contest_window_support import shown_page
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel
from release_support import CHIEF, finish_scoring, lock_everything

from trainer import contest_people, contest_release, ranking, scoring
from trainer.demo_contest import DEMO_PIN
from ui.pin_dialog import PinDialog
from ui.results_board import PERSON_HEADERS, TEAM_HEADERS, ResultsBoard, projector_screen


@pytest.fixture
def board(qtbot, demo_db):
    b = ResultsBoard(demo_db, 1, refresh_ms=150, page_seconds=600)
    qtbot.addWidget(b)
    b.resize(1600, 1000)
    b.show()
    qtbot.waitUntil(lambda: b.board is not None, timeout=10_000)
    yield b
    b.close()
    if b.task is not None:
        b.task.wait()


def all_text(board: ResultsBoard) -> str:
    labels = [w.text() for w in board.findChildren(QLabel)]
    cells = ["".join(row) for row in board.model.texts()]
    return "\n".join(labels + cells)


def test_while_scoring_the_board_shows_progress_and_names_nobody(board, demo_db):
    assert board.stack.currentIndex() == 0 and not board.released
    assert board.title.text() == "首届执法技能比武" and "市城管局教育培训中心" in board.subtitle.text()
    prog = scoring.progress(demo_db, 1)
    assert [r.name.text() for r in board._rows] == [p.item.name for p in prog.items]
    exam, _, review = board._rows[0], board._rows[1], board._rows[2]
    assert (review.bar.value(), review.bar.maximum()) == (402, 404) and review.state.text() == "录入中"
    assert exam.state.text() == "已锁定" and exam.count.text() == "60 / 60（100%）"
    assert board.summary.text() == "全部项目成绩录入完毕的选手：57 / 60 人"
    assert len(board.clock_label.text()) == 8 and board.clock_label.text()[2] == ":"
    names = [c.name for c in contest_people.competitors(demo_db, 1)]
    assert [n for n in names if n in all_text(board)] == []


def test_the_board_follows_scores_typed_meanwhile_without_writing(qtbot, board, demo_db):
    finish_scoring(demo_db)
    qtbot.waitUntil(lambda: board.summary.text() == "全部项目成绩录入完毕的选手：60 / 60 人", timeout=10_000)
    assert board._rows[2].bar.value() == 404 and board._rows[2].state.text() == "录入完毕"
    assert board._reader_db() is not demo_db
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        board._reader_db().execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")


def test_a_released_ranking_pages_with_the_top_three_highlighted(qtbot, board, demo_db):
    lock_everything(demo_db)
    contest_release.release(demo_db, 1, DEMO_PIN, CHIEF)
    qtbot.waitUntil(lambda: board.released, timeout=10_000)
    assert board.stack.currentIndex() == 1
    expected = ranking.compute(demo_db, 1)
    per_page = board.rows_per_page()
    assert 8 <= per_page < 60  # a 1000-pixel screen cannot hold 60 rows: the list pages
    people_pages = [p for p in board.pages if not p.team]
    assert len(people_pages) == -(-60 // per_page) and board.pages[-1].team
    assert board.model.headers == PERSON_HEADERS and board.ranking_title.text().startswith("个人排名（第1/")
    first = board.model.texts()[0]
    top = expected.ranked[0]
    assert first == (str(top.place), str(top.competitor.draw_no), top.competitor.name, top.unit, top.total_text)
    places = [int(row[0]) for row in board.model.texts()]
    for r, place in enumerate(places):
        highlighted = board.model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
        assert highlighted == (place <= 3)

    seen = [board.ranking_title.text()]
    for _ in range(len(board.pages) - 1):
        board.next_page()
        seen.append(board.ranking_title.text())
    assert seen[-1].startswith("团体排名") and board.model.headers == TEAM_HEADERS
    assert board.model.texts()[0][1] == ranking.team_ranking(expected)[0].name
    board.next_page()
    assert board.page_index == 0  # round again
    assert "排名已由裁判长发布" in board.footer.text()


def test_pages_turn_by_themselves(qtbot, demo_db):
    lock_everything(demo_db)
    contest_release.release(demo_db, 1, DEMO_PIN, CHIEF)
    b = ResultsBoard(demo_db, 1, refresh_ms=300, page_seconds=1)
    qtbot.addWidget(b)
    b.resize(1600, 1000)
    b.show()
    qtbot.waitUntil(lambda: b.released, timeout=10_000)
    qtbot.waitUntil(lambda: b.page_index == 1, timeout=5_000)
    b.close()
    if b.task is not None:
        b.task.wait()


def test_a_withdrawal_brings_the_progress_back(qtbot, board, demo_db):
    lock_everything(demo_db)
    contest_release.release(demo_db, 1, DEMO_PIN, CHIEF)
    qtbot.waitUntil(lambda: board.released, timeout=10_000)
    contest_release.withdraw(demo_db, 1, DEMO_PIN, CHIEF, "发现录入错误，须复核")
    qtbot.waitUntil(lambda: not board.released, timeout=10_000)
    assert board.stack.currentIndex() == 0 and board.model.rowCount() == 0


def test_f11_toggles_full_screen_and_esc_leaves_it(qtbot, board):
    assert not board.isFullScreen()
    QTest.keyClick(board, Qt.Key.Key_F11)
    qtbot.waitUntil(board.isFullScreen)
    QTest.keyClick(board, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not board.isFullScreen())
    QTest.keyClick(board, Qt.Key.Key_F11)
    qtbot.waitUntil(board.isFullScreen)
    QTest.keyClick(board, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not board.isFullScreen())


def test_with_a_second_screen_the_board_goes_to_the_last_one():
    assert projector_screen(["笔记本屏幕"]) is None
    assert projector_screen(["笔记本屏幕", "投影仪"]) == "投影仪"
    assert projector_screen(["笔记本屏幕", "副屏", "投影仪"]) == "投影仪"


@pytest.fixture
def page(qtbot, demo_db, tmp_path):
    p = shown_page(qtbot, demo_db, tmp_path)
    p.tabs.setCurrentWidget(p.checks_tab)
    yield p
    if p.checks_tab.board is not None:
        board = p.checks_tab.board
        board.close()
        if board.task is not None:
            board.task.wait()


def test_the_chief_judge_releases_and_withdraws_from_the_checks_tab(qtbot, page, demo_db):
    checks = page.checks_tab
    assert not checks.release_button.isEnabled() and checks.release_label.text() == "排名未发布"
    assert not checks.withdraw_button.isEnabled()
    lock_everything(demo_db)
    page.refresh()
    page.tabs.setCurrentWidget(page.checks_tab)
    assert checks.release_button.isEnabled()

    checks.release_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, PinDialog)
    dialog.pin_edit.setText("0000")
    dialog.submit()
    assert dialog.error_label.text().startswith("PIN不正确") and not contest_release.state(demo_db, 1).released
    dialog.pin_edit.setText(DEMO_PIN)
    dialog.submit()
    assert contest_release.state(demo_db, 1).released
    assert checks.release_label.text().startswith("排名已发布") and not checks.release_button.isEnabled()

    checks.board_button.click()
    board = checks.board
    assert isinstance(board, ResultsBoard) and board.isVisible()
    qtbot.waitUntil(lambda: board.released, timeout=10_000)

    checks.withdraw_button.click()
    dialog = page.active_dialog
    dialog.pin_edit.setText(DEMO_PIN)
    dialog.submit()
    assert "撤回发布须说明原因" in dialog.error_label.text() and contest_release.state(demo_db, 1).released
    dialog.reason_edit.setText("发现录入错误，须复核")
    dialog.submit()
    assert checks.release_label.text() == "排名未发布" and checks.release_button.isEnabled()
    qtbot.waitUntil(lambda: not board.released, timeout=10_000)
