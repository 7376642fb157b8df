"""The chief judge releases the ranking to the results board: only with the PIN and once every item is locked;
the release and its withdrawal (PIN and reason) are in the audit log; unlocking an item lapses the release;
before the release the board's snapshot names nobody, after it the ranking and the teams are there."""

from __future__ import annotations

import pytest
from release_support import CHIEF, finish_scoring, lock_everything

from trainer import audit, contest, contest_locks, contest_people, contest_release, ranking
from trainer.contest_locks import LockError
from trainer.contest_release import ReleaseError
from trainer.demo_contest import DEMO_PIN


def release_entries(db) -> list[audit.Entry]:
    return audit.entries(db, 1, actions=(audit.RANKING_RELEASE, audit.RANKING_WITHDRAW))


def test_the_ranking_cannot_be_released_while_items_are_open(demo_db):
    with pytest.raises(ReleaseError) as refused:
        contest_release.release(demo_db, 1, DEMO_PIN, CHIEF)
    assert "尚未锁定" in str(refused.value)
    for name in ("案卷评审", "情景模拟执法", "队列与体能"):
        assert name in str(refused.value)
    assert "法律知识笔试" not in str(refused.value)  # locked already
    assert not contest_release.state(demo_db, 1).released
    assert release_entries(demo_db) == []


def test_a_wrong_pin_releases_nothing(demo_db):
    lock_everything(demo_db)
    with pytest.raises(LockError, match="PIN不正确"):
        contest_release.release(demo_db, 1, "0000", CHIEF)
    assert contest_release.state(demo_db, 1).release is None
    assert release_entries(demo_db) == []


def test_release_with_every_item_locked_is_logged_and_shows_on_the_board(demo_db):
    lock_everything(demo_db)
    before = contest_release.board(demo_db, 1)
    assert not before.released and before.rows == () and before.teams == ()
    assert before.complete == before.competitors == 60

    done = contest_release.release(demo_db, 1, DEMO_PIN, CHIEF)
    now = contest_release.state(demo_db, 1)
    assert now.released and now.release == done and now.text().startswith("排名已发布")
    [entry] = release_entries(demo_db)
    assert (entry.action, entry.actor, entry.label) == (audit.RANKING_RELEASE, CHIEF, "发布排名")
    assert audit.verify(demo_db) is None

    board = contest_release.board(demo_db, 1)
    expected = ranking.compute(demo_db, 1)
    assert board.released and len(board.rows) == len(expected.ranked) == 60
    first = expected.ranked[0]
    assert board.rows[0] == contest_release.BoardRow(first.place or 0, str(first.competitor.draw_no),
                                                     first.competitor.name, first.unit, first.total_text)
    assert [t.name for t in board.teams] == [t.name for t in ranking.team_ranking(expected)]
    with pytest.raises(ReleaseError, match="排名已发布"):
        contest_release.release(demo_db, 1, DEMO_PIN, CHIEF)


def test_before_the_release_the_board_snapshot_names_nobody(demo_db):
    finish_scoring(demo_db)
    snapshot = repr(contest_release.board(demo_db, 1))
    names = [c.name for c in contest_people.competitors(demo_db, 1)]
    assert [n for n in names if n in snapshot] == []


def test_unlocking_an_item_lapses_the_release_until_it_is_released_again(demo_db):
    lock_everything(demo_db)
    contest_release.release(demo_db, 1, DEMO_PIN, CHIEF)
    drill = next(it for it in contest.items(demo_db, 1) if it.name == "队列与体能")
    contest_locks.unlock_item(demo_db, drill.id, DEMO_PIN, CHIEF, "发现录入错误")
    lapsed = contest_release.state(demo_db, 1)
    assert not lapsed.released and "队列与体能" in lapsed.lapsed and "失效" in lapsed.text()
    assert not contest_release.board(demo_db, 1).released and contest_release.board(demo_db, 1).rows == ()

    contest_locks.lock_item(demo_db, drill.id, DEMO_PIN, CHIEF)
    assert not contest_release.state(demo_db, 1).released  # re-locked scores may differ: release again
    contest_release.release(demo_db, 1, DEMO_PIN, CHIEF)
    assert contest_release.state(demo_db, 1).released


def test_withdrawing_needs_the_pin_and_a_reason_and_is_logged(demo_db):
    lock_everything(demo_db)
    with pytest.raises(ReleaseError, match="尚未发布"):
        contest_release.withdraw(demo_db, 1, DEMO_PIN, CHIEF, "误点")
    contest_release.release(demo_db, 1, DEMO_PIN, CHIEF)
    with pytest.raises(ReleaseError, match="须说明原因"):
        contest_release.withdraw(demo_db, 1, DEMO_PIN, CHIEF, "  ")
    with pytest.raises(LockError, match="PIN不正确"):
        contest_release.withdraw(demo_db, 1, "9999", CHIEF, "发现录入错误")
    assert contest_release.state(demo_db, 1).released

    contest_release.withdraw(demo_db, 1, DEMO_PIN, CHIEF, "发现录入错误，须复核")
    assert contest_release.state(demo_db, 1).release is None
    assert not contest_release.board(demo_db, 1).released
    withdrawn = release_entries(demo_db)[-1]
    assert (withdrawn.action, withdrawn.reason, withdrawn.label) == (audit.RANKING_WITHDRAW, "发现录入错误，须复核",
                                                                     "撤回发布")
