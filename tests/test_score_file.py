"""As the chief judge I can trust a judge's score file: it is signed with that judge's kit secret and carries a
content hash printed on the judge's paper sheet; a file with any byte changed, cut short or added to, a file of
another contest or of another bureau's database, is refused with a clear message."""

from __future__ import annotations

import dataclasses
import random
import secrets
from decimal import Decimal
from pathlib import Path

import pytest
from judge_support import code, export, judged_contest

from trainer import contest, judge_kit, merge, score_file
from trainer.db import open_db
from trainer.score_file import ScoreFileError, ScoreValue


@pytest.fixture
def venue(db):
    return judged_contest(db)


def small_file(venue, tmp_path: Path, judge: str = "J3", value: str = "85.5") -> Path:
    kit = export(venue, judge, tmp_path)
    writing = kit.item_named("文书")
    assert writing is not None
    out = tmp_path / f"{judge}.score"
    score_file.write(out, kit, [ScoreValue(writing.id, code(venue, 2), None, Decimal(value), "文书")], revision=1)
    return out


def refusal(db, contest_id: int, data: bytes, tmp_path: Path) -> str:
    """The merge's verdict on these bytes (the reason it refuses them), or '' when it would accept them."""
    path = tmp_path / "probe.score"
    path.write_bytes(data)
    try:
        merge.check_file(db, contest.require_contest(db, contest_id), path)
    except ScoreFileError as exc:
        return str(exc)
    return ""


def test_an_intact_file_verifies_and_its_hash_is_printable(venue, tmp_path: Path) -> None:
    path = small_file(venue, tmp_path)
    sf = score_file.read(path)
    kit = judge_kit.read_kit(tmp_path / "评分包_J3.kit")
    assert sf.signed_by(kit.secret) and not sf.signed_by(secrets.token_bytes(32))
    assert refusal(venue.db, venue.contest_id, path.read_bytes(), tmp_path) == ""
    assert len(sf.content_hash) == 64 and sf.hash_text.replace(" ", "") == sf.content_hash
    assert len(sf.hash_text.split()) == 8
    lines = score_file.sheet_lines(sf, kit)
    assert f"  {code(venue, 2)}：85.5" in lines and f"  {sf.hash_text}" in lines
    assert "评委：J3 孙立" in lines


def test_every_single_changed_byte_is_refused(venue, tmp_path: Path) -> None:
    data = small_file(venue, tmp_path).read_bytes()
    assert len(data) < 1200  # small enough to try every position
    for mask in (0x01, 0x80):
        for i in range(len(data)):
            changed = bytearray(data)
            changed[i] ^= mask
            reason = refusal(venue.db, venue.contest_id, bytes(changed), tmp_path)
            assert reason, f"byte {i} ^ {mask:#x} was accepted"


def test_random_drops_insertions_and_overwrites_are_refused(venue, tmp_path: Path) -> None:
    data = small_file(venue, tmp_path).read_bytes()
    rng = random.Random(7)
    tried = 0
    for _ in range(600):
        changed = bytearray(data)
        for _edit in range(rng.randint(1, 3)):
            i = rng.randrange(len(changed))
            kind = rng.choice(("drop", "insert", "overwrite"))
            if kind == "drop":
                del changed[i:i + rng.randint(1, 40)]
            elif kind == "insert":
                changed[i:i] = rng.randbytes(rng.randint(1, 4))
            else:
                changed[i] = rng.randrange(256)
        if bytes(changed) != data:
            tried += 1
            assert refusal(venue.db, venue.contest_id, bytes(changed), tmp_path)
    assert tried > 550


def test_a_truncated_or_extended_file_is_refused(venue, tmp_path: Path) -> None:
    data = small_file(venue, tmp_path).read_bytes()
    for cut in range(len(data)):
        with pytest.raises(ScoreFileError, match=r"空文件|不完整"):
            score_file.parse(data[:cut])
    for extra in (b"\n", b" ", b"x", data):
        with pytest.raises(ScoreFileError, match="多余"):
            score_file.parse(data + extra)
    assert "不完整" in refusal(venue.db, venue.contest_id, data[:-100], tmp_path)


def test_a_file_of_another_contest_is_refused(venue, db, tmp_path: Path) -> None:
    other = judged_contest(db, name="第二届执法技能比武")
    path = small_file(other, tmp_path)
    assert "属于另一场比武“第二届执法技能比武”" in refusal(db, venue.contest_id, path.read_bytes(), tmp_path)
    assert refusal(db, other.contest_id, path.read_bytes(), tmp_path) == ""


def test_a_file_of_another_database_is_refused(venue, tmp_path: Path) -> None:
    elsewhere = open_db(tmp_path / "county.db")
    try:
        foreign = judged_contest(elsewhere)
        (tmp_path / "county").mkdir()
        path = small_file(foreign, tmp_path / "county")
    finally:
        elsewhere.close()
    assert "来自另一个数据库" in refusal(venue.db, venue.contest_id, path.read_bytes(), tmp_path)


def test_a_file_signed_with_another_key_or_from_a_changed_kit_is_refused(venue, tmp_path: Path) -> None:
    small_file(venue, tmp_path)
    kit = judge_kit.read_kit(tmp_path / "评分包_J3.kit")
    writing = kit.items[0]
    values = [ScoreValue(writing.id, code(venue, 2), None, Decimal(99), "文书")]
    forged = dataclasses.replace(kit, secret=secrets.token_bytes(32))  # same kit uid and hash, wrong key
    data = score_file.build(forged, values, revision=2)
    assert "签名不符" in refusal(venue.db, venue.contest_id, data, tmp_path)
    changed_kit = judge_kit.parse(judge_kit.render(dataclasses.replace(kit, judge_name=kit.judge_name + "甲")))
    data = score_file.build(changed_kit, values, revision=2)
    assert "评分包已被改动" in refusal(venue.db, venue.contest_id, data, tmp_path)
    unknown = dataclasses.replace(kit, uid="0" * 32)
    assert "未在本数据库登记" in refusal(venue.db, venue.contest_id, score_file.build(unknown, values, revision=2),
                                       tmp_path)


def test_other_files_are_named_for_what_they_are(venue, tmp_path: Path) -> None:
    small_file(venue, tmp_path)
    kit_bytes = (tmp_path / "评分包_J3.kit").read_bytes()
    assert refusal(venue.db, venue.contest_id, kit_bytes, tmp_path) == "这是评分包，不是评分文件"
    assert "不是 Trainer 评分文件" in refusal(venue.db, venue.contest_id, b"PK\x03\x04 an xlsx", tmp_path)
    assert refusal(venue.db, venue.contest_id, b"", tmp_path) == "评分文件是空文件"
    with pytest.raises(ScoreFileError, match="无法读取评分文件"):
        score_file.read(tmp_path / "missing.score")
