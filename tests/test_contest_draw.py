"""As the chief judge I hold the draw in front of the supervisor: the seed and the method are recorded, the
same seed gives the same numbers on any machine, written items get anonymous codes, and once scoring has
started nobody can draw again."""

from __future__ import annotations

import pytest
from contest_support import build, item

from trainer import audit, contest, contest_people, draw
from trainer.contest import SINGLE


@pytest.fixture
def field(db):
    return build(db, [item("文书", weight=60), item("笔试", SINGLE, 40)],
                 [(None, f"选手{i}", "卫东区") for i in range(1, 9)], [])


def numbers(db, contest_id: int) -> dict[int, int | None]:
    return {c.id: c.draw_no for c in contest_people.competitors(db, contest_id)}


def test_a_seeded_draw_is_recorded_and_reproducible(field) -> None:
    db = field.db
    rec = draw.draw_numbers(db, field.contest_id, "裁判长", seed="2026-11-18 监督员王芳")
    got = numbers(db, field.contest_id)
    assert sorted(got.values()) == list(range(1, 9))
    assert {cid: str(n) for cid, n in got.items()} == rec.result
    assert draw.reproduce(db, rec.id)
    again = draw.draw_numbers(db, field.contest_id, "裁判长", seed="2026-11-18 监督员王芳")
    assert again.result == rec.result and numbers(db, field.contest_id) == got
    other = draw.draw_numbers(db, field.contest_id, "裁判长", seed="另一个种子")
    assert other.result != rec.result
    first = draw.draws(db, field.contest_id)[0]
    assert (first.seed, first.method) == ("2026-11-18 监督员王芳", draw.NUMBERS_METHOD)
    assert len(audit.entries(db, field.contest_id, actions=[audit.DRAW])) == 3


def test_anonymous_codes_per_item_are_distinct_and_reproducible(field) -> None:
    db = field.db
    draw.draw_numbers(db, field.contest_id, "裁判长", seed="甲")
    rec = draw.draw_codes(db, field.items["文书"], "裁判长", seed="文书密封")
    codes = draw.codes(db, field.items["文书"])
    assert len(set(codes.values())) == 8 and all(c[0] == "A" and len(c) == 4 for c in codes.values())
    assert draw.reproduce(db, rec.id)
    assert contest.require_item(db, field.items["文书"]).blind


def test_no_new_draw_once_scores_exist(field) -> None:
    db = field.db
    draw.draw_numbers(db, field.contest_id, "裁判长", seed="甲")
    first = next(iter(numbers(db, field.contest_id).values()))
    assert first is not None
    field.competitors = {n: cid for cid, n in numbers(db, field.contest_id).items() if n is not None}
    field.score("笔试", 1, None, "80")
    with pytest.raises(contest.ContestError, match="已有成绩，不能重新抽签"):
        draw.draw_numbers(db, field.contest_id, "裁判长", seed="乙")
