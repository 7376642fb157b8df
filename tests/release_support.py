"""Helpers for the release and results-board tests: finish the demo contest's scoring and lock every item."""

from __future__ import annotations

from sqlite_utils import Database

from trainer import contest, contest_locks, scoring
from trainer.demo_contest import DEMO_PIN
from trainer.scoring import ScoringContext

CHIEF = "裁判长周明"


def finish_scoring(db: Database, contest_id: int = 1) -> int:
    """Type every missing score (a plain 80, or 240 seconds for a conversion table); returns how many."""
    ctx = ScoringContext.load(db, contest_id)
    have = scoring.stored_values(db, contest_id)
    typed = 0
    for item in ctx.items.values():
        if item.locked:
            continue
        for comp in ctx.panel.entrants(item):
            for slot in scoring.expected_slots(ctx, item, comp):
                if slot not in have:
                    crit = ctx.criterion(item, slot.criterion_id)
                    value = "240" if item.converted else ("5" if crit is not None else "80")
                    scoring.enter_score(db, slot, value, "记分员李静", ctx=ctx)
                    typed += 1
    return typed


def lock_everything(db: Database, contest_id: int = 1) -> None:
    """Scores complete, spreads accepted with a reason, every item locked by the chief judge."""
    finish_scoring(db, contest_id)
    for item in contest.items(db, contest_id):
        if not item.locked:
            contest_locks.lock_item(db, item.id, DEMO_PIN, CHIEF, override_reason="经评委合议，维持原评分")
