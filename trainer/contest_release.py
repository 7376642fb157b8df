"""Releasing the ranking (发布排名) for the venue's results board, and what the board may show.

    contest_release.release(db, contest_id, "2021", "裁判长周明")            # every item locked, PIN
    contest_release.state(db, contest_id).released                           # True while the release holds
    contest_release.withdraw(db, contest_id, "2021", "裁判长周明", "发现录入错误，须复核")
    contest_release.board(db, contest_id)                                    # the board's snapshot

The release is one settings row (`contest.release.<id>`: who, when, each item's lock time then and the audit
log's last id); release and withdrawal go into the audit log in the same transaction. A release holds only
while every item is still locked as it was: an unlock logged after it (even one locked again at once) or an
item added lapses it, and the board falls back to the progress view until the chief judge releases again.
Before a release the board's snapshot carries no competitor at all, so no name of a blind (密封) item can reach
the projector early.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlite_utils import Database

from trainer import audit, contest, contest_locks, ranking, scoring
from trainer.contest import ContestError

KEY_PREFIX = "contest.release."


class ReleaseError(ContestError):
    """A refused release or withdrawal; the message is for the user."""


@dataclass(frozen=True)
class Release:
    contest_id: int
    released_at: str
    released_by: str
    locks: tuple[tuple[int, str], ...]  # (item id, locked_at) of every item when released
    audit_id: int = 0                   # the audit log's last entry before the release


@dataclass(frozen=True)
class ReleaseState:
    release: Release | None   # the stored release, if any
    lapsed: str = ""          # why a stored release no longer holds ('' when it holds or there is none)

    @property
    def released(self) -> bool:
        return self.release is not None and not self.lapsed

    def text(self) -> str:
        """One line for the checks tab."""
        if self.release is None:
            return "排名未发布"
        at = self.release.released_at.replace("T", " ")
        if self.lapsed:
            return f"排名发布已失效（{self.lapsed}），须重新发布"
        return f"排名已发布（{at} {self.release.released_by}）"


def _key(contest_id: int) -> str:
    return f"{KEY_PREFIX}{contest_id}"


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


def _locks(db: Database, contest_id: int) -> tuple[tuple[int, str], ...]:
    return tuple((int(r[0]), str(r[1] or "")) for r in db.execute(
        "SELECT id, locked_at FROM contest_items WHERE contest_id = ? ORDER BY id", [contest_id]))


def _stored(db: Database, contest_id: int) -> Release | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [_key(contest_id)]).fetchone()
    if row is None:
        return None
    try:
        raw = json.loads(str(row[0]))
        locks = tuple((int(i), str(at)) for i, at in raw["locks"])
        return Release(contest_id, str(raw["released_at"]), str(raw["released_by"]), locks, int(raw["audit_id"]))
    except (ValueError, KeyError, TypeError):
        return Release(contest_id, "", "", (), -1)  # a mangled row never counts as a release (it lapses below)


def unlocked_items(db: Database, contest_id: int) -> list[str]:
    return [str(r[0]) for r in db.execute("SELECT name FROM contest_items WHERE contest_id = ? AND locked_at IS NULL"
                                          " ORDER BY sort_order, id", [contest_id])]


def state(db: Database, contest_id: int) -> ReleaseState:
    stored = _stored(db, contest_id)
    if stored is None:
        return ReleaseState(None)
    open_items = unlocked_items(db, contest_id)
    if open_items:
        return ReleaseState(stored, f"项目“{'、'.join(open_items)}”已解锁")
    unlocked_since = db.execute("SELECT 1 FROM audit_log WHERE id > ? AND contest_id = ? AND action = ? LIMIT 1",
                                [stored.audit_id, contest_id, audit.ITEM_UNLOCK]).fetchone()
    if stored.audit_id < 0 or unlocked_since or _locks(db, contest_id) != stored.locks:
        return ReleaseState(stored, "发布后有项目解锁或变动过")
    return ReleaseState(stored)


def release(db: Database, contest_id: int, pin: str, actor: str) -> Release:
    """Release the ranking to the results board: the chief judge's PIN, and every item locked."""
    contest.require_contest(db, contest_id)
    contest_locks.check_pin(db, contest_id, pin)
    if state(db, contest_id).released:
        raise ReleaseError("排名已发布")
    if not contest.items(db, contest_id):
        raise ReleaseError("比武还没有项目，不能发布排名")
    open_items = unlocked_items(db, contest_id)
    if open_items:
        raise ReleaseError(f"以下项目尚未锁定，全部锁定后才能发布排名：{'、'.join(open_items)}")
    try:
        ranked = len(ranking.compute(db, contest_id).ranked)
    except ContestError as exc:
        raise ReleaseError(f"排名无法计算，不能发布：{exc}") from None
    with db.atomic():
        last = int(db.execute("SELECT IFNULL(MAX(id), 0) FROM audit_log").fetchone()[0])
        done = Release(contest_id, _now(), actor, _locks(db, contest_id), last)
        value = json.dumps({"released_at": done.released_at, "released_by": actor, "audit_id": last,
                            "locks": [list(x) for x in done.locks]}, ensure_ascii=False)
        db.execute("INSERT INTO settings (key, value) VALUES (?, ?)"
                   " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [_key(contest_id), value])
        audit.append(db, audit.Entry(audit.RANKING_RELEASE, actor, contest_id,
                                     detail=f"{len(done.locks)}个项目均已锁定，名次{ranked}人"))
    return done


def withdraw(db: Database, contest_id: int, pin: str, actor: str, reason: str) -> None:
    """Take the ranking off the board (PIN and a reason); the board shows the progress again."""
    contest.require_contest(db, contest_id)
    contest_locks.check_pin(db, contest_id, pin)
    if not reason.strip():
        raise ReleaseError("撤回发布须说明原因")
    stored = _stored(db, contest_id)
    if stored is None:
        raise ReleaseError("排名尚未发布")
    with db.atomic():
        db.execute("DELETE FROM settings WHERE key = ?", [_key(contest_id)])
        audit.append(db, audit.Entry(audit.RANKING_WITHDRAW, actor, contest_id, reason=reason.strip(),
                                     detail=f"发布于{stored.released_at.replace('T', ' ')}"))


# ---- the board's snapshot ---------------------------------------------------------------------

@dataclass(frozen=True)
class ItemBar:
    name: str
    entered: int
    expected: int
    locked: bool


@dataclass(frozen=True)
class BoardRow:
    place: int
    draw_no: str
    name: str
    unit: str
    total: str


@dataclass(frozen=True)
class TeamRow:
    place: int | None
    name: str
    total: str
    members: int
    note: str


@dataclass(frozen=True)
class Board:
    """What the projector shows. `rows` and `teams` are empty unless the ranking is released."""
    contest_name: str
    subtitle: str
    items: tuple[ItemBar, ...]
    competitors: int
    complete: int              # competitors with every expected score entered in every item
    released: bool
    released_at: str
    rows: tuple[BoardRow, ...] = ()
    teams: tuple[TeamRow, ...] = ()


def board(db: Database, contest_id: int) -> Board:
    """One consistent read for the results board (call it on a reader connection)."""
    with db.atomic():  # one read transaction: progress and ranking from the same moment
        c = contest.require_contest(db, contest_id)
        ctx = scoring.ScoringContext.load(db, contest_id)
        prog = scoring.progress(db, contest_id, ctx)
        missing = {m.competitor.id for m in scoring.missing_scores(db, contest_id, ctx)}
        total = len(ctx.panel.competitors)
        complete = sum(1 for comp in ctx.panel.competitors if comp.id not in missing)
        bars = tuple(ItemBar(p.item.name, p.entered, p.expected, p.item.locked) for p in prog.items)
        subtitle = "　".join(x for x in (c.dates_text, c.venue) if x)
        now = state(db, contest_id)
        if not now.released or now.release is None:
            return Board(c.name, subtitle, bars, total, complete, False, "")
        r = ranking.compute(db, contest_id)
        rows = tuple(BoardRow(s.place or 0, str(s.competitor.draw_no or ""), s.competitor.name, s.unit, s.total_text)
                     for s in r.ranked)
        teams = tuple(TeamRow(t.place, t.name, t.total_text, len(t.members), t.note) for t in ranking.team_ranking(r))
        return Board(c.name, subtitle, bars, total, complete, True,
                     now.release.released_at.replace("T", " "), rows, teams)
