"""As the scorer I export one kit per judge for their own laptop: it holds that judge's items and sheet only,
competitors by draw number or (for a blind item) by anonymous code, never a name, never a competitor of the
judge's own unit, never anyone's score, and a secret that the main database keeps to verify the judge's files.
Nothing in a kit comes from the chief judge's PIN, so a kit gives nobody a way to guess it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from judge_support import CLERK, NAMES, PIN, code, export, judged_contest, old_format_kit

from trainer import audit, contest_locks, contest_people, judge_kit, scoring
from trainer.judge_kit import KitError


@pytest.fixture
def venue(db):
    return judged_contest(db)


def test_a_kit_holds_the_judges_own_items_and_sheet_only(venue, tmp_path: Path) -> None:
    j2 = export(venue, "J2", tmp_path)  # J2 is of 新华区: 1号 and 4号 are recused
    assert [it.name for it in j2.items] == ["文书", "情景"]  # 笔试 is 单一成绩: entered on the main laptop
    writing, scene = j2.items
    assert writing.blind and writing.key_label == "密封编号"
    assert set(writing.keys) == {code(venue, 2), code(venue, 3)}
    assert scene.keys == ("2", "3") and not scene.blind
    assert [(c.name, c.max_points) for c in scene.criteria] == [("仪容仪表", 40), ("程序规范", 60)]
    assert (j2.judge_code, j2.judge_name, j2.judge_unit) == ("J2", "郑红", "新华区")
    j3 = export(venue, "J3", tmp_path)
    assert [it.name for it in j3.items] == ["文书"] and len(j3.items[0].keys) == 4


def test_no_name_no_other_judge_and_no_score_is_in_the_file(venue, tmp_path: Path) -> None:
    scoring.enter_score(venue.db, venue.slot("文书", 2, "J1"), "87.5", CLERK)   # someone else's score
    scoring.enter_score(venue.db, venue.slot("文书", 2, "J2"), "66.25", CLERK)  # and even the judge's own
    export(venue, "J2", tmp_path)
    text = (tmp_path / "评分包_J2.kit").read_text("utf-8")
    for name in (*NAMES, "周明", "孙立", "冯静", "J1", "J3", "J4", "87.5", "66.25", "卫东区", "湛河区"):
        assert name not in text, name
    body = json.loads(text.splitlines()[1])
    assert set(body) == {"format", "kit_uid", "database_uid", "contest", "judge", "secret", "exported_at", "items"}
    for it in body["items"]:
        assert set(it) == {"id", "name", "method", "rubric_method", "full_marks", "decimals", "blind", "criteria",
                           "keys"}
    writing = next(it for it in body["items"] if it["name"] == "文书")
    assert not any(k.isdigit() for k in writing["keys"])  # a blind item shows codes, never draw numbers


def test_the_demo_contests_kits_name_no_competitor(demo_db, tmp_path: Path) -> None:
    names = {r[0] for r in demo_db.execute("SELECT name FROM contest_competitors WHERE contest_id = 1")}
    for judge in contest_people.judges(demo_db, 1):
        exported = judge_kit.export_kit(demo_db, 1, judge.code, tmp_path / f"{judge.code}.kit", CLERK)
        kit = exported.kit
        allowed = " ".join([kit.contest_name, kit.venue, kit.judge_name, kit.judge_unit,
                            *(it.name for it in kit.items), *(c.name for it in kit.items for c in it.criteria)])
        text = exported.path.read_text("utf-8")
        assert not [n for n in names if n in text and n not in allowed], judge.code


def test_the_kit_is_registered_with_its_secret_and_hash(venue, tmp_path: Path) -> None:
    kit = export(venue, "J1", tmp_path)
    again = judge_kit.read_kit(tmp_path / "评分包_J1.kit")
    assert again == kit and len(kit.secret) == 32
    record = judge_kit.registered(venue.db, kit.uid)
    assert record is not None
    assert (record.secret, record.sha256, record.judge_id) == (kit.secret, kit.sha256, venue.judges["J1"])
    assert kit.database_uid == judge_kit.database_uid(venue.db)
    assert kit.pin_hash is None and not kit.reopens_with_pin
    second = export(venue, "J1", tmp_path)  # a fresh kit: its own uid and secret
    assert second.uid != kit.uid and second.secret != kit.secret
    logged = audit.entries(venue.db, venue.contest_id, actions=[audit.JUDGE_KIT])
    assert [e.new for e in logged] == [kit.sha256, second.sha256]


def test_exports_that_cannot_be_made_are_refused(venue, tmp_path: Path) -> None:
    db = venue.db
    with pytest.raises(KitError, match="没有评委编号“J9”"):
        export(venue, "J9", tmp_path)
    contest_people.add_judge(db, venue.contest_id, "J5", "钱七", None)
    with pytest.raises(KitError, match="没有分配评分项目"):
        export(venue, "J5", tmp_path)
    contest_people.add_competitor(db, venue.contest_id, "孙八", 1, draw_no=5)  # after the codes were drawn
    with pytest.raises(KitError, match="还没有密封编号"):
        export(venue, "J1", tmp_path)
    assert not list(tmp_path.glob("*.kit"))  # nothing written, nothing registered
    assert not judge_kit.kits(db, venue.contest_id)


def test_a_locked_item_is_left_out(venue, tmp_path: Path) -> None:
    db = venue.db
    for draw in (2, 3):
        for judge in ("J1", "J2", "J4"):
            for crit, value in (("仪容仪表", "30"), ("程序规范", "50")):
                scoring.enter_score(db, venue.slot("情景", draw, judge, crit), value, CLERK)
    for draw in (1, 4):
        for judge in ("J1", "J4"):
            for crit, value in (("仪容仪表", "30"), ("程序规范", "50")):
                scoring.enter_score(db, venue.slot("情景", draw, judge, crit), value, CLERK)
    contest_locks.lock_item(db, venue.items["情景"], PIN, "裁判长")
    exported = judge_kit.export_kit(db, venue.contest_id, "J1", tmp_path / "j1.kit", CLERK)
    assert [it.name for it in exported.kit.items] == ["文书"]
    assert exported.skipped_locked == ("情景",) and "已锁定未列入：情景" in exported.summary()


def test_a_changed_kit_is_refused(venue, tmp_path: Path) -> None:
    export(venue, "J3", tmp_path)
    data = (tmp_path / "评分包_J3.kit").read_bytes()
    for i in range(len(data)):  # every position
        changed = bytearray(data)
        changed[i] ^= 0x01
        with pytest.raises(KitError):
            judge_kit.parse(bytes(changed))
    for cut in (0, 10, len(data) // 2, len(data) - 1):
        with pytest.raises(KitError, match=r"空文件|不完整"):
            judge_kit.parse(data[:cut])
    with pytest.raises(KitError, match="多余"):
        judge_kit.parse(data + b"\n")
    with pytest.raises(KitError, match="无法读取评分包"):
        judge_kit.read_kit(tmp_path / "missing.kit")


def test_nothing_in_a_kit_comes_from_the_chief_judges_pin(venue, tmp_path: Path, monkeypatch) -> None:
    db = venue.db
    stored = db.execute("SELECT pin_hash FROM contests WHERE id = ?", [venue.contest_id]).fetchone()[0]
    _scheme, _n, _r, _p, salt, digest = stored.split("$")
    first = export(venue, "J2", tmp_path / "a")
    text = (tmp_path / "a" / "评分包_J2.kit").read_text("utf-8")
    for part in ("chief_pin_hash", "scrypt", salt, digest, PIN):
        assert part not in text, part
    # the same kit made again under another PIN is the same but for its uid: no byte depends on the PIN
    uids = iter(range(1, 100))
    monkeypatch.setattr(judge_kit.secrets, "token_hex", lambda n=16: f"{next(uids):0{2 * n}x}")
    monkeypatch.setattr(judge_kit.secrets, "token_bytes", lambda n=32: b"\x5a" * n)
    monkeypatch.setattr(judge_kit, "_now", lambda: "2026-11-18T09:30:00")
    export(venue, "J2", tmp_path / "b")
    contest_locks.set_pin(db, venue.contest_id, "97531", "裁判长", old_pin=PIN, n=2**10)
    assert db.execute("SELECT pin_hash FROM contests WHERE id = ?", [venue.contest_id]).fetchone()[0] != stored
    export(venue, "J2", tmp_path / "c")
    bodies = [json.loads((tmp_path / f / "评分包_J2.kit").read_text("utf-8").splitlines()[1]) for f in "bc"]
    assert bodies[0].pop("kit_uid") != bodies[1].pop("kit_uid")
    assert bodies[0] == bodies[1]
    assert first.pin_hash is None


def test_a_kit_of_the_previous_version_still_opens_as_it_was(venue, tmp_path: Path) -> None:
    path = old_format_kit(venue, "J1", tmp_path)
    data = path.read_bytes()
    old = judge_kit.parse(data)  # its content hash is the one the main database registered
    assert old.reopens_with_pin and contest_locks.verify_pin(old.pin_hash or "", PIN)
    assert judge_kit.render(old) == data  # written back (into the judge's store) byte for byte
    assert judge_kit.registered(venue.db, old.uid).sha256 == old.sha256
    without_pin = judge_kit.parse(judge_kit.render(dataclasses.replace(old, pin_hash="")))  # set no PIN at export
    assert without_pin.pin_hash == "" and not without_pin.reopens_with_pin
    assert judge_kit.render(without_pin).count(b'"chief_pin_hash":""') == 1
