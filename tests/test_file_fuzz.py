"""As the chief judge I can hand the main laptop any file from any stick: a score file or a judge kit with bytes
flipped, dropped, inserted or appended anywhere is refused with a clear Chinese message, nothing else goes
wrong, and the main database does not change (scores, submissions, conflicts, kits, audit log all as before).

tests/test_score_file.py already tries every single flipped byte and 600 random edits against the envelope
check; here hypothesis drives a few thousand edits through the whole merge (`merge.merge_files`, what
`trainer contest merge` calls) and through judge mode opening a kit (`JudgeSession.open`), which must then
leave no store behind on the laptop."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from judge_support import CLERK, code, criterion_id, export, judged_contest

from trainer import judge_kit, merge, score_file
from trainer.judge_session import JudgeSession, JudgeSessionError
from trainer.merge import MergeRefused
from trainer.score_file import ScoreValue

CJK = re.compile(r"[\u4e00-\u9fff]")
TABLES = ("contests", "contest_items", "contest_criteria", "contest_competitors", "contest_judges",
          "contest_assignments", "contest_codes", "contest_scores", "contest_submissions", "contest_conflicts",
          "contest_judge_kits", "audit_log", "settings")
FUZZ = settings(max_examples=2000, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def digest(db) -> str:
    h = hashlib.sha256()
    for table in TABLES:
        for row in sorted(map(repr, db.execute(f"SELECT * FROM {table}"))):
            h.update(repr((table, row)).encode())
    return h.hexdigest()


# One edit: (kind, position as a fraction of the length, payload). Several edits make one variant.
EDIT = st.tuples(st.sampled_from(("flip", "drop", "insert", "overwrite", "append", "truncate")),
                 st.floats(min_value=0, max_value=1, allow_nan=False),
                 st.integers(min_value=0, max_value=7), st.binary(min_size=1, max_size=6))


def mutate(data: bytes, edits: list[tuple[str, float, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, where, n, payload in edits:
        i = min(int(where * len(out)), max(len(out) - 1, 0))
        if kind == "flip" and out:
            out[i] ^= 1 << n
        elif kind == "drop" and out:
            del out[i:i + n + 1]
        elif kind == "insert":
            out[i:i] = payload
        elif kind == "overwrite" and out:
            out[i:i + len(payload)] = payload
        elif kind == "append":
            out += payload
        elif kind == "truncate":
            del out[i:]
    return bytes(out)


def each_changed_copy(data: bytes, check: Callable[[bytes, list[tuple[str, float, int, bytes]]], None]) -> int:
    """`check(changed, edits)` on every copy of `data` that hypothesis changes by one to four edits (a copy the
    edits leave as it was is skipped); returns how many changed copies were checked."""
    seen = {"variants": 0}

    @FUZZ
    @given(st.lists(EDIT, min_size=1, max_size=4))
    def refused(edits: list[tuple[str, float, int, bytes]]) -> None:
        changed = mutate(data, edits)
        if changed == data:
            return
        seen["variants"] += 1
        check(changed, edits)

    refused()
    return seen["variants"]


def test_a_changed_score_file_is_refused_and_the_database_is_untouched(db, tmp_path: Path) -> None:
    venue = judged_contest(db)
    venue.score("文书", 3, "J1", "70")  # something typed by hand, which a merge would turn into a conflict
    kit = export(venue, "J1", tmp_path)
    writing, scene = kit.items
    values = [ScoreValue(writing.id, code(venue, d), None, Decimal(f"8{d}.25"), "文书") for d in (1, 2, 3, 4)]
    values += [ScoreValue(scene.id, str(d), criterion_id(venue, name), Decimal(f"3{d}.5"), "情景", name)
               for d in (1, 2, 3, 4) for name in ("仪容仪表", "程序规范")]
    good = tmp_path / "good.score"
    score_file.write(good, kit, values, revision=1)
    data = good.read_bytes()
    probe = tmp_path / "stick" / "评分文件_J1.score"
    probe.parent.mkdir()
    before = digest(db)

    def refused(changed: bytes, edits: list[tuple[str, float, int, bytes]]) -> None:
        probe.write_bytes(changed)
        try:
            merge.merge_files(db, venue.contest_id, [probe], CLERK)
        except MergeRefused as exc:
            [line] = exc.lines
            assert line.startswith(f"{probe}: ") and CJK.search(line[len(str(probe)):]), line
        else:
            raise AssertionError(f"accepted a changed file: {edits}")
        assert digest(db) == before

    assert each_changed_copy(data, refused) > 1800
    assert not (tmp_path / "backups").exists()  # refused before the pre-merge backup: nothing happened at all
    # and the file itself is still good (the fuzz tested the edits, not a broken original)
    assert [o.status for o in merge.merge_files(db, venue.contest_id, [good], CLERK).outcomes] == ["conflicts"]


def test_a_changed_kit_is_refused_and_judge_mode_keeps_no_store(db, tmp_path: Path) -> None:
    venue = judged_contest(db)
    kit_path = tmp_path / "评分包_J1.kit"
    export(venue, "J1", tmp_path)
    data = kit_path.read_bytes()
    probe = tmp_path / "stick" / "评分包.kit"
    probe.parent.mkdir()
    laptop = tmp_path / "laptop"
    before = digest(db)

    def refused(changed: bytes, edits: list[tuple[str, float, int, bytes]]) -> None:
        try:
            judge_kit.parse(changed)
        except judge_kit.KitError as exc:
            assert CJK.search(str(exc)), str(exc)
        else:
            raise AssertionError(f"a changed kit was read: {edits}")
        probe.write_bytes(changed)
        try:
            JudgeSession.open(probe, store_dir=laptop)
        except JudgeSessionError as exc:
            assert CJK.search(str(exc)), str(exc)
        else:
            raise AssertionError(f"judge mode opened a changed kit: {edits}")
        assert not laptop.exists() or not any(laptop.iterdir())

    assert each_changed_copy(data, refused) > 1800
    assert digest(db) == before
    with JudgeSession.open(kit_path, store_dir=laptop) as s:  # the kit itself opens
        assert s.kit.judge_code == "J1"
