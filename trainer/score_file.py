"""Score files (评分文件): what a judge's laptop writes on submitting, carried by USB stick to the main laptop.

    data = score_file.build(kit, values, revision=2, via=score_file.VIA_JUDGE, unscored=0)
    sf = score_file.write(Path("E:/评分文件_J3_第2次.score"), kit, values, revision=2, via=VIA_JUDGE)
    sf = score_file.read(path)           # ScoreFileError (Chinese) for a damaged, truncated or changed file
    sf.signed_by(secret)                 # the HMAC with the kit's secret (the main laptop has it)
    score_file.format_hash(sf.content_hash)   # '3f2a9c1b 0d4e…' for the judge's paper sheet

The file is sealed text (trainer.sealed) signed with the kit's secret: a magic line, the canonical JSON
content, its SHA-256 (the content hash, printed on the judge's paper sheet so paper and data can be
compared) and its HMAC-SHA256. The content names the database, the contest and the kit (uid and content hash)
it was made for, the judge, a revision (the judge's n-th submission; 0 for a paper sheet typed in with
`trainer judge export`), the time of submission on the judge's clock, and every value entered: item id,
draw number or code, criterion id, value as decimal text. Slots without a value are "not scored" and
absent. Names of items and criteria ride along for people reading the file; the ids are what counts.

Reading checks the envelope only (any byte changed, dropped or added is refused); whether the file belongs
to this database and contest, and whether its signature is the kit's, is the merge's business
(trainer.merge), which holds the secrets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from trainer import sealed
from trainer.contest_people import code_key
from trainer.contest_values import fmt_decimal
from trainer.judge_kit import KINDS, SCORE_MAGIC, Kit, write_atomic
from trainer.oserrors import describe

VIA_JUDGE, VIA_PAPER = "评委电脑", "纸质评分表录入"
SUFFIX = ".score"
WHAT = "评分文件"


class ScoreFileError(ValueError):
    """A score file that cannot be trusted or used; the message is for the user."""


@dataclass(frozen=True)
class ScoreValue:
    item_id: int
    key: str                  # draw number, or the item's anonymous code
    criterion_id: int | None  # 评分细则 only
    value: Decimal
    item_name: str = ""
    criterion_name: str = ""

    @property
    def slot_key(self) -> tuple[int, str, int]:
        return self.item_id, self.key, self.criterion_id or 0


@dataclass(frozen=True)
class ScoreFile:
    database_uid: str
    contest_uid: str
    contest_name: str
    kit_uid: str
    kit_sha256: str
    judge_code: str
    judge_name: str
    revision: int
    submitted_at: str
    via: str
    unscored: int
    values: tuple[ScoreValue, ...]
    content_hash: str  # SHA-256 of the signed content
    opened: sealed.Opened

    def signed_by(self, secret: bytes) -> bool:
        return sealed.mac_ok(self.opened, secret)

    @property
    def body_text(self) -> str:
        return self.opened.body_text

    @property
    def hash_text(self) -> str:
        return format_hash(self.content_hash)

    def order_key(self) -> tuple[str, int]:
        """Which of two files from the same judge is newer: later submission time, then higher revision."""
        return self.submitted_at, self.revision


def format_hash(digest: str) -> str:
    """A hash in groups of eight, as printed on paper: easy to read aloud and compare."""
    return " ".join(digest[i:i + 8] for i in range(0, len(digest), 8))


def _sorted(kit: Kit, values: Sequence[ScoreValue]) -> list[ScoreValue]:
    order = {it.id: i for i, it in enumerate(kit.items)}
    crit_order = {c.id: i for it in kit.items for i, c in enumerate(it.criteria)}
    return sorted(values, key=lambda v: (order.get(v.item_id, len(order)), code_key(v.key),
                                         crit_order.get(v.criterion_id or 0, -1)))


def _body(kit: Kit, values: Sequence[ScoreValue], revision: int, via: str, unscored: int,
          submitted_at: str) -> dict[str, Any]:
    return {
        "format": SCORE_MAGIC,
        "database_uid": kit.database_uid,
        "contest": {"uid": kit.contest_uid, "name": kit.contest_name},
        "kit": {"uid": kit.uid, "sha256": kit.sha256},
        "judge": {"code": kit.judge_code, "name": kit.judge_name},
        "revision": revision,
        "submitted_at": submitted_at,
        "via": via,
        "unscored": unscored,
        "values": [{"item": v.item_id, "item_name": v.item_name, "key": v.key, "criterion": v.criterion_id,
                    "criterion_name": v.criterion_name, "value": fmt_decimal(v.value)}
                   for v in _sorted(kit, values)],
    }


def build(kit: Kit, values: Sequence[ScoreValue], *, revision: int, via: str = VIA_JUDGE, unscored: int = 0,
          now: dt.datetime | None = None) -> bytes:
    """The signed file's bytes for these values (the judge's whole sheet as it stands)."""
    keys = [v.slot_key for v in values]
    if len(set(keys)) != len(keys):
        raise ScoreFileError("同一选手、同一项目（细则）有两个分数")
    stamp = (now or dt.datetime.now()).isoformat(timespec="microseconds")
    return sealed.seal(SCORE_MAGIC, _body(kit, values, revision, via, unscored, stamp), key=kit.secret)


def write(path: Path, kit: Kit, values: Sequence[ScoreValue], *, revision: int, via: str = VIA_JUDGE,
          unscored: int = 0, now: dt.datetime | None = None) -> ScoreFile:
    """Write the file (beside the target, flushed, then renamed) and read it back: a flaky stick is caught
    here, while the judge is still at the laptop, not at the main laptop."""
    return write_bytes(path, build(kit, values, revision=revision, via=via, unscored=unscored, now=now))


def write_bytes(path: Path, data: bytes) -> ScoreFile:
    try:
        write_atomic(path, data)
        back = path.read_bytes()
    except OSError as exc:
        raise ScoreFileError(f"无法写入评分文件 {path}：{describe(exc)}") from None
    if back != data:
        raise ScoreFileError(f"评分文件 {path} 写入后读回不一致，请换一个U盘或文件夹重试")
    return parse(back)


def default_name(kit: Kit, revision: int, content_hash: str) -> str:
    which = f"第{revision}次" if revision else "纸质录入"
    return f"评分文件_{kit.judge_code}_{kit.judge_name}_{which}_{content_hash[:8]}{SUFFIX}"


def _value(raw: object) -> Decimal:
    if isinstance(raw, str):
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if value.is_finite() and value >= 0 and fmt_decimal(value) == raw:
            return value
    raise sealed.SealError(f"{WHAT}中的分数无法识别（已被改动）")


def parse(data: bytes) -> ScoreFile:
    try:
        opened = sealed.unseal(data, SCORE_MAGIC, WHAT, signed=True, others=KINDS)
        b, f = opened.body, sealed.field
        contest_part, kit_part, judge_part = (f(b, k, dict, WHAT) for k in ("contest", "kit", "judge"))
        values = []
        for raw in f(b, "values", list, WHAT):
            if not isinstance(raw, dict):
                raise sealed.SealError(f"{WHAT}中的分数无法识别（已被改动）")
            crit = raw.get("criterion")
            if crit is not None and (not isinstance(crit, int) or isinstance(crit, bool)):
                raise sealed.SealError(f"{WHAT}中的细则无法识别（已被改动）")
            values.append(ScoreValue(f(raw, "item", int, WHAT), f(raw, "key", str, WHAT), crit,
                                     _value(raw.get("value")), f(raw, "item_name", str, WHAT),
                                     f(raw, "criterion_name", str, WHAT)))
        keys = [v.slot_key for v in values]
        if len(set(keys)) != len(keys):
            raise sealed.SealError(f"{WHAT}中同一格有两个分数（已被改动）")
        revision = f(b, "revision", int, WHAT)
        unscored = f(b, "unscored", int, WHAT)
        if revision < 0 or unscored < 0:
            raise sealed.SealError(f"{WHAT}的内容无法识别（已被改动）")
        return ScoreFile(
            database_uid=f(b, "database_uid", str, WHAT), contest_uid=f(contest_part, "uid", str, WHAT),
            contest_name=f(contest_part, "name", str, WHAT), kit_uid=f(kit_part, "uid", str, WHAT),
            kit_sha256=f(kit_part, "sha256", str, WHAT), judge_code=f(judge_part, "code", str, WHAT),
            judge_name=f(judge_part, "name", str, WHAT), revision=revision,
            submitted_at=f(b, "submitted_at", str, WHAT), via=f(b, "via", str, WHAT), unscored=unscored,
            values=tuple(values), content_hash=opened.sha256, opened=opened)
    except sealed.SealError as exc:
        raise ScoreFileError(str(exc)) from None


def read(path: Path | str) -> ScoreFile:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ScoreFileError(f"无法读取{WHAT}：{describe(exc)}") from None
    return parse(data)


def check_for_kit(sf: ScoreFile, kit: Kit) -> None:
    """On the judge's side: the file is this kit's, signed with its secret (ScoreFileError otherwise)."""
    if sf.kit_uid != kit.uid or sf.kit_sha256 != kit.sha256 or sf.contest_uid != kit.contest_uid:
        raise ScoreFileError("该评分文件不是用这个评分包生成的")
    if not sf.signed_by(kit.secret):
        raise ScoreFileError("评分文件的签名不符（内容被改动，或不是用这个评分包生成的）")


def sheet_lines(sf: ScoreFile, kit: Kit | None = None) -> list[str]:
    """The judge's own score sheet as text lines, with the content hash to sign under (for printing)."""
    lines = [f"{sf.contest_name} 评分表", f"评委：{sf.judge_code} {sf.judge_name}",
             f"提交：{'第' + str(sf.revision) + '次' if sf.revision else sf.via}  {sf.submitted_at[:19]}"]
    current = None
    for v in sf.values:
        if v.item_id != current:
            current = v.item_id
            item = kit.item(v.item_id) if kit is not None else None
            label = item.key_label if item is not None else "编号"
            lines.append(f"【{v.item_name}】（{label}）")
        crit = f" {v.criterion_name}" if v.criterion_name else ""
        lines.append(f"  {v.key}{crit}：{fmt_decimal(v.value)}")
    if sf.unscored:
        lines.append(f"未评分：{sf.unscored} 格")
    lines += ["内容校验码（SHA-256）：", f"  {sf.hash_text}", "评委签名：________________"]
    return lines
