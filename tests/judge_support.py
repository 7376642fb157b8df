"""Helpers for the judges' laptop tests: a small judged contest with a blind item, a rubric item, a recused
judge and a chief judge's PIN, kits exported from it (and one as the previous version wrote it), and the reopen
code the chief judge reads for a kit."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from contest_support import Built, build, item
from sqlite_utils import Database

from trainer import contest, contest_locks, draw, judge_kit, sealed
from trainer.contest import NewItem

PIN = "2468"
CHIEF = "裁判长周明"
CLERK = "记分员李静"
NAMES = ("张三", "李四", "王五", "赵六")


def judged_contest(db: Database, name: str = "测试比武") -> Built:
    """文书 (去掉最高最低取平均, blind: judged on codes) by J1–J4; 情景 (评分细则 仪容仪表 40 + 程序规范 60,
    averaged) by J1, J2, J4; 笔试 (单一成绩). J2 is of 新华区, so 1号 张三 and 4号 赵六 are not on J2's sheets."""
    b = build(db, [item("文书", weight=50), NewItem("情景", contest.RUBRIC, Decimal(100), Decimal(30), 1,
                                                     rubric_method=contest.AVERAGE),
                   item("笔试", contest.SINGLE, 20, decimals=1)],
              [(1, NAMES[0], "新华区"), (2, NAMES[1], "卫东区"), (3, NAMES[2], "湛河区"), (4, NAMES[3], "新华区")],
              [("J1", "周明", None, ["文书", "情景"]), ("J2", "郑红", "新华区", ["文书", "情景"]),
               ("J3", "孙立", "法规科", ["文书"]), ("J4", "冯静", None, ["文书", "情景"])], name=name)
    contest.set_criteria(db, b.items["情景"], [("仪容仪表", Decimal(40)), ("程序规范", Decimal(60))])
    draw.draw_codes(db, b.items["文书"], CHIEF, seed="文书 密封")
    contest_locks.set_pin(db, b.contest_id, PIN, CHIEF, n=2**10)  # a cheap hash keeps the tests quick
    return b


def code(b: Built, draw_no: int, item_name: str = "文书") -> str:
    return draw.codes(b.db, b.items[item_name])[b.competitors[draw_no]]


def export(b: Built, judge: str, folder: Path) -> judge_kit.Kit:
    return judge_kit.export_kit(b.db, b.contest_id, judge, folder / f"评分包_{judge}.kit", CLERK).kit


def criterion_id(b: Built, name: str) -> int:
    it = contest.require_item(b.db, b.items["情景"])
    return next(c.id for c in it.criteria if c.name == name)


def reopen_code(b: Built, kit: judge_kit.Kit) -> str:
    """The kit's reopen code as the chief judge reads it on the main laptop, with the PIN."""
    revealed = judge_kit.reveal_reopen_code(b.db, b.contest_id, kit.judge_code, PIN, CHIEF)
    return next(c.code for c in revealed.codes if c.kit_uid == kit.uid)


def wrong_code(right: str) -> str:
    """Eight digits that are surely not `right`."""
    return f"{(int(right) + 1) % 10**8:08d}"


def old_format_kit(b: Built, judge: str, folder: Path) -> Path:
    """A kit as the previous version wrote it: the contest's PIN hash in its body as `chief_pin_hash`, and the
    main database registering that file's content hash."""
    kit = export(b, judge, folder)
    path = folder / f"评分包_{judge}.kit"
    body = json.loads(path.read_bytes().decode("utf-8").splitlines()[1])
    assert "chief_pin_hash" not in body
    body["chief_pin_hash"] = b.db.execute("SELECT pin_hash FROM contests WHERE id = ?", [b.contest_id]).fetchone()[0]
    path.write_bytes(sealed.seal(judge_kit.KIT_MAGIC, body))
    with b.db.atomic():
        b.db.execute("UPDATE contest_judge_kits SET sha256 = ? WHERE uid = ?",
                     [sealed.digest(sealed.canonical(body)), kit.uid])
    return path
