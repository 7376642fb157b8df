"""As the chief judge I hold the draw in front of the supervisor: the seed and the method are recorded, the
same seed gives the same numbers on any machine, written items get anonymous codes in the same draw (one step,
all or nothing), and once scoring has started nobody can draw again."""

from __future__ import annotations

import dataclasses

import pytest
from contest_support import build, item

from trainer import audit, contest, contest_people, contest_setup, draw
from trainer.contest import SINGLE, TEAM


@pytest.fixture
def field(db):
    return build(db, [item("文书", weight=60), item("笔试", SINGLE, 40)],
                 [(None, f"选手{i}", "卫东区") for i in range(1, 9)], [])


def numbers(db, contest_id: int) -> dict[int, int | None]:
    return {c.id: c.draw_no for c in contest_people.competitors(db, contest_id)}


def test_a_seeded_draw_is_recorded_and_reproducible(field) -> None:
    db = field.db
    rec = draw.draw_contest(db, field.contest_id, "裁判长", seed="2026-11-18 监督员王芳").numbers
    got = numbers(db, field.contest_id)
    assert sorted(got.values()) == list(range(1, 9))
    assert {cid: str(n) for cid, n in got.items()} == rec.result
    assert draw.reproduce(db, rec.id)
    again = draw.draw_contest(db, field.contest_id, "裁判长", seed="2026-11-18 监督员王芳").numbers
    assert again.result == rec.result and numbers(db, field.contest_id) == got
    other = draw.draw_contest(db, field.contest_id, "裁判长", seed="另一个种子").numbers
    assert other.result != rec.result
    first = draw.draws(db, field.contest_id)[0]
    assert (first.seed, first.method) == ("2026-11-18 监督员王芳", draw.NUMBERS_METHOD)
    assert len(audit.entries(db, field.contest_id, actions=[audit.DRAW])) == 3


def test_an_item_made_blind_after_the_draw_gets_distinct_reproducible_codes(field) -> None:
    db = field.db
    assert draw.draw_contest(db, field.contest_id, "裁判长", seed="甲").codes == ()  # no blind item yet
    rec = draw.draw_codes(db, field.items["文书"], "裁判长", seed="文书密封")
    codes = draw.codes(db, field.items["文书"])
    assert len(set(codes.values())) == 8 and all(c[0] == "A" and len(c) == 4 for c in codes.values())
    assert draw.reproduce(db, rec.id)
    assert contest.require_item(db, field.items["文书"]).blind


def test_no_new_draw_once_scores_exist(field) -> None:
    db = field.db
    draw.draw_contest(db, field.contest_id, "裁判长", seed="甲")
    first = next(iter(numbers(db, field.contest_id).values()))
    assert first is not None
    field.competitors = {n: cid for cid, n in numbers(db, field.contest_id).items() if n is not None}
    field.score("笔试", 1, None, "80")
    with pytest.raises(contest.ContestError, match="已有成绩，不能重新抽签"):
        draw.draw_contest(db, field.contest_id, "裁判长", seed="乙")


# ---- one step: numbers, 队号 and sealed codes together -----------------------------------------------------

@pytest.fixture
def sealed(db):
    """Two blind written items, one open exam and a 团体 drill, eight competitors from three counties."""
    blind = [dataclasses.replace(item("文书", weight=30), blind=True), dataclasses.replace(item("案卷", weight=30),
                                                                                          blind=True)]
    drill = dataclasses.replace(item("会操", weight=10), kind=TEAM)
    return build(db, [*blind, item("笔试", SINGLE, 40), drill],
                 [(None, f"选手{i}", ("卫东区", "新华区", "湛河区")[i % 3]) for i in range(1, 9)], [])


def power_cut(*_: object) -> dict[int, str]:
    raise RuntimeError("断电")


def whole_state(db, contest_id: int) -> tuple[object, ...]:
    panel = contest_people.Panel.load(db, contest_id)
    items = contest.items(db, contest_id)
    return ({c.id: c.draw_no for c in panel.competitors}, {t.id: t.team_no for t in panel.team_entries},
            {it.name: draw.codes(db, it.id) for it in items})


def test_one_draw_gives_numbers_team_numbers_and_every_blind_items_codes_from_one_seed(sealed) -> None:
    db = sealed.db
    d = draw.draw_contest(db, sealed.contest_id, "裁判长", seed="2027-05-10 监督员李明")
    assert d.seed == "2027-05-10 监督员李明"
    assert [r.what for r in d.records] == ["抽签号", "队号", "密封编号", "密封编号"]
    assert d.teams is not None and d.teams.seed == "2027-05-10 监督员李明 队号"
    assert [(r.item_id, r.seed) for r in d.codes] == [(sealed.items["文书"], "2027-05-10 监督员李明 文书"),
                                                     (sealed.items["案卷"], "2027-05-10 监督员李明 案卷")]
    numbers, teams, codes = whole_state(db, sealed.contest_id)
    assert sorted(numbers.values()) == list(range(1, 9)) and sorted(teams.values()) == [1, 2, 3]
    assert set(codes["文书"]) == set(numbers) and set(codes["案卷"]) == set(numbers)
    assert codes["笔试"] == {} and codes["会操"] == {}          # not blind: no codes
    assert codes["文书"] != codes["案卷"]                        # each item its own codes
    assert all(draw.reproduce(db, r.id) for r in draw.draws(db, sealed.contest_id))
    assert not contest_setup.draw_state(db, sealed.contest_id).can_code    # nothing left for a second step

    # the same seed gives the same numbers and codes again; another seed gives others
    draw.draw_contest(db, sealed.contest_id, "裁判长", seed="2027-05-10 监督员李明")
    assert whole_state(db, sealed.contest_id) == (numbers, teams, codes)
    draw.draw_contest(db, sealed.contest_id, "裁判长", seed="另一个种子")
    assert whole_state(db, sealed.contest_id) != (numbers, teams, codes)


def test_a_blind_team_items_codes_go_to_the_teams_in_the_same_draw(sealed) -> None:
    db = sealed.db
    drill = contest.require_item(db, sealed.items["会操"])
    contest_setup.update_item(db, drill.id, dataclasses.replace(
        contest_setup.item_setup(drill), spec=dataclasses.replace(contest_setup.item_setup(drill).spec, blind=True)),
        "裁判长")
    d = draw.draw_contest(db, sealed.contest_id, "裁判长", seed="甲")
    [team_codes] = [r for r in d.codes if r.item_id == drill.id]
    assert set(team_codes.result) == {t.id for t in contest_people.team_entries(db, sealed.contest_id)}


def test_a_failure_in_the_codes_part_rolls_the_numbers_back(sealed, monkeypatch) -> None:
    # as if the program crashed between the numbers and the codes: nothing of the draw is kept
    db = sealed.db
    draw.draw_contest(db, sealed.contest_id, "裁判长", seed="第一次")
    before = whole_state(db, sealed.contest_id)
    records, logged = len(draw.draws(db, sealed.contest_id)), len(audit.entries(db, sealed.contest_id))
    monkeypatch.setattr(draw, "_codes", power_cut)
    with pytest.raises(RuntimeError, match="断电"):
        draw.draw_contest(db, sealed.contest_id, "裁判长", seed="第二次")
    assert whole_state(db, sealed.contest_id) == before               # the first draw's numbers and codes stand
    assert len(draw.draws(db, sealed.contest_id)) == records and len(audit.entries(db, sealed.contest_id)) == logged
    assert not db.conn.in_transaction


def test_a_failed_first_draw_leaves_no_numbers_at_all(sealed, monkeypatch) -> None:
    db = sealed.db
    monkeypatch.setattr(draw, "_codes", power_cut)
    with pytest.raises(RuntimeError):
        draw.draw_contest(db, sealed.contest_id, "裁判长", seed="甲")
    numbers, teams, codes = whole_state(db, sealed.contest_id)
    assert set(numbers.values()) == {None} and set(teams.values()) == {None} and not any(codes.values())
    assert draw.draws(db, sealed.contest_id) == []
    assert contest_setup.draw_state(db, sealed.contest_id).undrawn == 8
