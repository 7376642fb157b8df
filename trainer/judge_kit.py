"""Judge kits (评分包): one file per judge, exported on the main laptop and carried to the judge's own laptop,
holding everything judge mode needs and nothing a judge may not see.

    exported = judge_kit.export_kit(db, contest_id, "J3", Path("评分包_J3.kit"), actor="记分员李静")
    exported.kit.items[0].keys          # ('1', '2', …) draw numbers, or ('A152', 'A407', …) codes of a blind item
    kit = judge_kit.read_kit(path)      # on the judge's laptop: KitError (Chinese) for a damaged or changed file
    judge_kit.registered(db, kit.uid)   # on the main laptop: the kit's judge, contest and secret
    judge_kit.reveal_reopen_code(db, contest_id, "J3", pin, "裁判长周明").code   # '40261739', with the PIN, audited

What a kit holds: the contest's identity (its uid, and the uid of the database that exported it, so a file of
another contest or another bureau's database is recognised), the judge (code, name, unit), the judged items
assigned to that judge that are not locked (method, 满分, decimals, criteria with their maxima), and for each
item the competitors on the judge's sheet: by draw number, or by the item's anonymous code when the item is
blind. No names, units or ID numbers of competitors, no competitor of the judge's own unit (回避: they are
simply not on the sheet), no scores. Plus a fresh random 32-byte secret that signs this judge's score files
(HMAC-SHA256), kept in `contest_judge_kits` on the main database with the kit's content hash.

Reopening a submitted sheet on the judge's laptop takes the kit's 8-digit reopen code (重开码, `reopen_code`,
derived from that secret): the chief judge reads it on the main laptop with the contest PIN
(`reveal_reopen_code`, counted toward the PIN lock-out and written to the audit chain). A kit holds nothing
derived from the PIN, so a kit cannot be used to guess it. Kits of the previous version carry the PIN's scrypt
hash (`chief_pin_hash`, Kit.pin_hash): they still open unchanged, and still reopen with the PIN.
单一成绩 items are not in kits: they are entered on the main laptop or imported with `contest scores import`.
A 团体 item's sheet lists the teams by their numbers (队号; `"team": true` in the file, KitItem.team), without
the judge's own unit's team: judges score a team once, as they score a competitor.

The file is sealed text (trainer.sealed): a magic line, the canonical JSON content, its SHA-256. Every export
makes a new kit with its own uid and secret; earlier kits of the same judge stay valid.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from trainer import audit, contest, contest_people, draw, sealed, settings
from trainer.contest import ContestError, Criterion, Item
from trainer.contest_people import Judge, Panel, code_key
from trainer.contest_values import fmt_decimal
from trainer.oserrors import describe
from trainer.pins import verify_pin

KIT_MAGIC = "TRAINER JUDGE KIT 1"
SCORE_MAGIC = "TRAINER SCORE FILE 1"  # here so both kinds can name each other in messages
KINDS = {KIT_MAGIC: "评分包", SCORE_MAGIC: "评分文件"}
DB_UID_KEY = "db.uid"
DRAW_LABEL, CODE_LABEL, TEAM_LABEL = "抽签号", "密封编号", "队号"
REOPEN_DIGITS = 8


class KitError(ContestError):
    """A kit that cannot be exported or read; the message is for the user."""


@dataclass(frozen=True)
class KitCriterion:
    id: int
    name: str
    max_points: Decimal


@dataclass(frozen=True)
class KitItem:
    id: int
    name: str
    method: str
    rubric_method: str
    full_marks: Decimal
    decimals: int
    blind: bool
    criteria: tuple[KitCriterion, ...]
    keys: tuple[str, ...]  # the judge's sheet: draw numbers (as text) or, for a blind item, anonymous codes
    team: bool = False     # a 团体 item: the keys are team numbers (队号)

    @property
    def key_label(self) -> str:
        return CODE_LABEL if self.blind else TEAM_LABEL if self.team else DRAW_LABEL

    def criterion(self, criterion_id: int | None) -> KitCriterion | None:
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def criterion_named(self, name: str) -> KitCriterion | None:
        return next((c for c in self.criteria if c.name == name), None)

    def as_item(self, sort_order: int) -> Item:
        """The item as trainer.contest describes it, so entry is checked by the one set of score rules."""
        return Item(self.id, 0, self.name, self.method, self.full_marks, Decimal(0), self.decimals, None, None,
                    self.rubric_method, "个人", self.blind, "", 2, True, sort_order, None, "",
                    criteria=tuple(Criterion(c.id, c.name, c.max_points) for c in self.criteria))


@dataclass(frozen=True)
class Kit:
    uid: str
    database_uid: str
    contest_uid: str
    contest_name: str
    contest_dates: str
    venue: str
    judge_code: str
    judge_name: str
    judge_unit: str
    secret: bytes
    # Only in kits of the previous version: the chief judge's PIN (scrypt; '' when none was set at export).
    # None for a kit of this version, whose body has no such field; kept as read so the kit renders unchanged.
    pin_hash: str | None
    exported_at: str
    items: tuple[KitItem, ...]
    sha256: str  # of the kit's content: score files name it

    def item(self, item_id: int) -> KitItem | None:
        return next((it for it in self.items if it.id == item_id), None)

    def item_named(self, name: str) -> KitItem | None:
        return next((it for it in self.items if it.name == name), None)

    @property
    def slots(self) -> int:
        """Values the judge is to enter: per competitor, one, or one per criterion."""
        return sum(len(it.keys) * max(1, len(it.criteria)) for it in self.items)

    @property
    def title(self) -> str:
        return f"{self.contest_name} 评委{self.judge_code}（{self.judge_name}）"

    @property
    def reopens_with_pin(self) -> bool:
        """A previous version's kit with the PIN hash in it: reopened with the chief judge's PIN, not a code."""
        return bool(self.pin_hash)

    @property
    def reopen_secret_name(self) -> str:
        """What the chief judge types to reopen this kit's sheet, as the judge's window and messages say it."""
        return "PIN" if self.reopens_with_pin else "重开码"

    @property
    def label(self) -> str:
        """How both laptops name this kit, so the chief judge picks the right code when a judge has several."""
        return kit_label(self.uid, self.exported_at)


@dataclass(frozen=True)
class ExportedKit:
    kit: Kit
    path: Path
    recused: int                    # competitors left off the sheet for recusal (counted once per item)
    skipped_locked: tuple[str, ...]  # items of this judge not in the kit because they are locked

    def summary(self) -> str:
        text = (f"已导出评委{self.kit.judge_code}（{self.kit.judge_name}）的评分包：{self.path}"
                f"（项目 {len(self.kit.items)} 个，待评 {self.kit.slots} 格")
        if self.recused:
            text += f"，回避 {self.recused} 人次"
        text += "）"
        if self.skipped_locked:
            text += f"；已锁定未列入：{'、'.join(self.skipped_locked)}"
        return text


@dataclass(frozen=True)
class KitRecord:
    """A kit as the main database registered it."""
    id: int
    uid: str
    contest_id: int
    judge_id: int
    secret: bytes
    sha256: str
    exported_by: str
    exported_at: str


def database_uid(db: Database) -> str:
    """This database's random identity (made by the migration; made here for a file that predates it)."""
    found = settings.get(db, DB_UID_KEY)
    return found or settings.put_once(db, DB_UID_KEY, secrets.token_hex(16))


def _now() -> str:
    return dt.datetime.now().isoformat(timespec="seconds")


# ---- export (main laptop) -----------------------------------------------------------------------

def _judge(panel: Panel, judge_code: str) -> Judge:
    judge = panel.judge_by_code.get(judge_code.strip())
    if judge is None:
        raise KitError(f"本次比武没有评委编号“{judge_code}”")
    return judge


@dataclass(frozen=True)
class _Built:
    kit: Kit
    judge_id: int
    recused: int
    locked: tuple[str, ...]


def build_kit(db: Database, contest_id: int, judge_code: str) -> _Built:
    """The kit's content for a judge, not yet registered (its sha256 is '' until rendered)."""
    c = contest.require_contest(db, contest_id)
    panel = Panel.load(db, contest_id)
    judge = _judge(panel, judge_code)
    mine = [it for it in contest.items(db, contest_id) if it.judged and judge.id in panel.assigned.get(it.id, [])]
    if not mine:
        raise KitError(f"评委{judge.code}没有分配评分项目（单一成绩项目不需要评分包）")
    locked = tuple(it.name for it in mine if it.locked)
    items, recused = [], 0
    for it in mine:
        if it.locked:
            continue
        sheet = panel.sheet(judge, it)
        recused += len(panel.entrants(it)) - len(sheet)
        who = "队伍" if it.team else "选手"
        if it.blind:
            codes = draw.codes(db, it.id)
            missing = [c for c in sheet if c.id not in codes]
            if missing:
                raise KitError(f"“{it.name}”是密封评分项目，但有{len(missing)}个{who}还没有密封编号，"
                               "请先在“设置”页用“抽签…”抽取密封编号")
            keys = [codes[c.id] for c in sheet]
        else:
            if any(c.number is None for c in sheet):
                raise KitError(f"还有队伍没有队号（“{it.name}”是团体项目），请先抽签" if it.team
                               else "还有选手没有抽签号，请先抽签")
            keys = [str(c.number) for c in sheet]
        if not keys:
            raise KitError(f"评委{judge.code}在“{it.name}”的评分表上没有{who}（全部回避）")
        items.append(KitItem(it.id, it.name, it.method, it.rubric_method, it.full_marks, it.decimals, it.blind,
                             tuple(KitCriterion(cr.id, cr.name, cr.max_points) for cr in it.criteria),
                             tuple(sorted(keys, key=code_key)), it.team))
    if not items:
        raise KitError(f"评委{judge.code}的评分项目都已锁定：{'、'.join(locked)}")
    kit = Kit(uid=secrets.token_hex(16), database_uid=database_uid(db), contest_uid=c.uid, contest_name=c.name,
              contest_dates=c.dates_text, venue=c.venue, judge_code=judge.code, judge_name=judge.name,
              judge_unit=panel.judge_unit_text(judge), secret=secrets.token_bytes(32),
              pin_hash=None, exported_at=_now(), items=tuple(items), sha256="")
    return _Built(kit, judge.id, recused, locked)


def export_kit(db: Database, contest_id: int, judge_code: str, out: Path, actor: str) -> ExportedKit:
    """Write a judge's kit to `out` and register it (its secret and content hash) on this database."""
    built = build_kit(db, contest_id, judge_code)
    data = render(built.kit)
    kit = parse(data)  # what the judge's laptop will read: the sha256 is the one in the file
    with db.atomic():
        db.execute("INSERT INTO contest_judge_kits (uid, contest_id, judge_id, secret, sha256, exported_by,"
                   " exported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                   [kit.uid, contest_id, built.judge_id, kit.secret.hex(), kit.sha256, actor, kit.exported_at])
        audit.append(db, audit.Entry(audit.JUDGE_KIT, actor, contest_id, judge_id=built.judge_id, new=kit.sha256,
                                     detail=f"评分包 {kit.uid}：项目 {len(kit.items)} 个，待评 {kit.slots} 格"))
        # written inside the transaction: a kit that could not be written is not registered either
        try:
            write_atomic(out, data)
        except OSError as exc:
            raise KitError(f"无法写入评分包 {out}：{describe(exc)}") from None
    return ExportedKit(kit, out, built.recused, built.locked)


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, flush to disk, then rename over it: a pulled stick leaves the old file or none."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def registered(db: Database, kit_uid: str) -> KitRecord | None:
    row = db.execute("SELECT id, uid, contest_id, judge_id, secret, sha256, exported_by, exported_at"
                     " FROM contest_judge_kits WHERE uid = ?", [kit_uid]).fetchone()
    if row is None:
        return None
    return KitRecord(row[0], row[1], row[2], row[3], bytes.fromhex(row[4]), row[5], row[6], row[7])


def kits(db: Database, contest_id: int) -> list[KitRecord]:
    rows = db.execute("SELECT id, uid, contest_id, judge_id, secret, sha256, exported_by, exported_at"
                      " FROM contest_judge_kits WHERE contest_id = ? ORDER BY id", [contest_id]).fetchall()
    return [KitRecord(r[0], r[1], r[2], r[3], bytes.fromhex(r[4]), r[5], r[6], r[7]) for r in rows]


# ---- the reopen code (重开码) ----------------------------------------------------------------------

def reopen_code(secret: bytes, kit_uid: str) -> str:
    """A kit's reopen code: HMAC-SHA256 keyed with the kit's per-judge secret over "reopen:" + the kit's uid,
    read as a big-endian integer, modulo 10^8, as 8 decimal digits with leading zeros ("04261739").

    The main laptop derives it from the secret it registered; the judge's laptop derives it from the kit. The
    judge holds that secret anyway, so the code is no secret from them: it only keeps a sheet from being reopened
    by accident or in passing, and knowing it lets a judge do nothing they could not do to their own local store.
    What protects the scores is the HMAC-signed score file and the audited merge on the main laptop. The code is
    derived from no PIN, so the PIN cannot be worked back from a kit."""
    digest = hmac.new(secret, f"reopen:{kit_uid}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest, 'big') % 10**REOPEN_DIGITS:0{REOPEN_DIGITS}d}"


def group_code(code: str) -> str:
    """'04261739' → '0426 1739', as the code is shown and read out."""
    return f"{code[:4]} {code[4:]}"


def typed_code(text: str) -> str:
    """A code as typed: full-width digits folded, spaces and dashes dropped ('０４２６ 1739' → '04261739')."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace() and ch != "-")


def kit_label(kit_uid: str, exported_at: str) -> str:
    return f"评分包{kit_uid[:8]}（导出于{exported_at.replace('T', ' ')}）"


@dataclass(frozen=True)
class ReopenCode:
    kit_uid: str
    exported_at: str
    code: str

    @property
    def kit_label(self) -> str:
        return kit_label(self.kit_uid, self.exported_at)


@dataclass(frozen=True)
class RevealedCodes:
    """A judge's reopen codes, one per kit exported for them, the newest (the one the judge most likely holds)
    first; the judge's window names its kit the same way (Kit.label)."""
    judge_code: str
    judge_name: str
    codes: tuple[ReopenCode, ...]

    @property
    def code(self) -> str:
        return self.codes[0].code


def reveal_reopen_code(db: Database, contest_id: int, judge_code: str, pin: str, actor: str, *,
                       now: dt.datetime | None = None) -> RevealedCodes:
    """The reopen codes of a judge's kits, for the chief judge with the contest PIN. KitError for an unknown
    judge or a judge without a kit (no PIN try is spent on a typo); a wrong PIN is refused by the contest's PIN
    check and counts toward its lock-out like any other (LockError, PinLockedOut). Each reveal is audited."""
    from trainer import contest_locks  # the main laptop's PIN check: judge mode never imports it (nor the ranking)

    contest.require_contest(db, contest_id)
    judge = next((j for j in contest_people.judges(db, contest_id) if j.code == judge_code.strip()), None)
    if judge is None:
        raise KitError(f"本次比武没有评委编号“{judge_code.strip()}”")
    mine = [k for k in kits(db, contest_id) if k.judge_id == judge.id]
    if not mine:
        raise KitError(f"尚未导出评委{judge.code}的评分包，没有重开码")
    contest_locks.check_pin(db, contest_id, pin, now=now)
    with db.atomic():
        audit.append(db, audit.Entry(audit.REOPEN_CODE_SHOWN, actor, contest_id, judge_id=judge.id,
                                     detail=f"查看评委{judge.code}的重开码（{'、'.join(k.uid for k in mine)}）"))
    codes = tuple(ReopenCode(k.uid, k.exported_at, reopen_code(k.secret, k.uid)) for k in reversed(mine))
    return RevealedCodes(judge.code, judge.name, codes)


def reopen_accepts(kit: Kit, typed: str) -> bool:
    """Whether `typed` reopens this kit's sheet: its reopen code, or the chief judge's PIN for a kit of the
    previous version that carries the PIN's hash."""
    if kit.reopens_with_pin:
        assert kit.pin_hash is not None
        return verify_pin(kit.pin_hash, typed)
    return hmac.compare_digest(reopen_code(kit.secret, kit.uid).encode(), typed_code(typed).encode())


def code_shape_problem(kit: Kit, typed: str) -> str | None:
    """Why `typed` cannot be this kit's code at all (empty, not 8 digits): a slip of the finger, refused without
    counting as a wrong try. None for a kit reopened with the PIN, which is checked as typed."""
    if kit.reopens_with_pin:
        return None
    code = typed_code(typed)
    if not code:
        return "请输入重开码"
    if not (code.isascii() and code.isdigit() and len(code) == REOPEN_DIGITS):
        return f"重开码应为{REOPEN_DIGITS}位数字（请裁判长在主机“查看评委重开码”中取得）"
    return None


# ---- the file -----------------------------------------------------------------------------------

def _body(kit: Kit) -> dict[str, Any]:
    body = {
        "format": KIT_MAGIC,
        "kit_uid": kit.uid,
        "database_uid": kit.database_uid,
        "contest": {"uid": kit.contest_uid, "name": kit.contest_name, "dates": kit.contest_dates,
                    "venue": kit.venue},
        "judge": {"code": kit.judge_code, "name": kit.judge_name, "unit": kit.judge_unit},
        "secret": kit.secret.hex(),
        "exported_at": kit.exported_at,
        "items": [_item_body(it) for it in kit.items],
    }
    if kit.pin_hash is not None:  # a previous version's kit (kept in the judge's store) renders as it was read
        body["chief_pin_hash"] = kit.pin_hash
    return body


def _item_body(it: KitItem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": it.id, "name": it.name, "method": it.method, "rubric_method": it.rubric_method,
        "full_marks": fmt_decimal(it.full_marks), "decimals": it.decimals, "blind": it.blind,
        "criteria": [{"id": c.id, "name": c.name, "max": fmt_decimal(c.max_points)} for c in it.criteria],
        "keys": list(it.keys)}
    if it.team:  # only then: a kit without 团体 items is as before
        body["team"] = True
    return body


def render(kit: Kit) -> bytes:
    return sealed.seal(KIT_MAGIC, _body(kit))


def _decimal(raw: object) -> Decimal:
    if not isinstance(raw, str):
        raise sealed.SealError("评分包中的分值无法识别（版本不符或已被改动）")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise sealed.SealError("评分包中的分值无法识别（版本不符或已被改动）") from None
    if not value.is_finite() or value <= 0:
        raise sealed.SealError("评分包中的分值无法识别（版本不符或已被改动）")
    return value


def parse(data: bytes) -> Kit:
    """The kit in a file's bytes; KitError for anything but an intact kit."""
    what = "评分包"
    try:
        opened = sealed.unseal(data, KIT_MAGIC, what, signed=False, others=KINDS)
        b = opened.body
        f = sealed.field
        contest_part = f(b, "contest", dict, what)
        judge_part = f(b, "judge", dict, what)
        secret = bytes.fromhex(f(b, "secret", str, what))
        if len(secret) != 32:
            raise sealed.SealError("评分包中的密钥无法识别（已被改动）")
        items = []
        for raw in f(b, "items", list, what):
            if not isinstance(raw, dict):
                raise sealed.SealError("评分包中的项目无法识别（已被改动）")
            criteria = tuple(KitCriterion(f(c, "id", int, what), f(c, "name", str, what), _decimal(c.get("max")))
                             for c in f(raw, "criteria", list, what))
            keys = tuple(f(raw, "keys", list, what))
            if not all(isinstance(k, str) and k for k in keys) or len(set(keys)) != len(keys):
                raise sealed.SealError("评分包中的选手编号无法识别（已被改动）")
            team = raw.get("team", False)
            if not isinstance(team, bool):
                raise sealed.SealError("评分包中的项目无法识别（已被改动）")
            items.append(KitItem(f(raw, "id", int, what), f(raw, "name", str, what), f(raw, "method", str, what),
                                 f(raw, "rubric_method", str, what), _decimal(raw.get("full_marks")),
                                 f(raw, "decimals", int, what), f(raw, "blind", bool, what), criteria, keys, team))
        if not items:
            raise sealed.SealError("评分包中没有评分项目")
        # absent in this version's kits; a previous version's kit has it, '' when no PIN was set
        pin_hash = f(b, "chief_pin_hash", str, what) if "chief_pin_hash" in b else None
        return Kit(uid=f(b, "kit_uid", str, what), database_uid=f(b, "database_uid", str, what),
                   contest_uid=f(contest_part, "uid", str, what), contest_name=f(contest_part, "name", str, what),
                   contest_dates=f(contest_part, "dates", str, what), venue=f(contest_part, "venue", str, what),
                   judge_code=f(judge_part, "code", str, what), judge_name=f(judge_part, "name", str, what),
                   judge_unit=f(judge_part, "unit", str, what), secret=secret,
                   pin_hash=pin_hash, exported_at=f(b, "exported_at", str, what),
                   items=tuple(items), sha256=opened.sha256)
    except sealed.SealError as exc:
        raise KitError(str(exc)) from None
    except (ValueError, TypeError):  # e.g. a secret that is not hex: the content is not a kit's
        raise KitError("评分包的内容无法识别（版本不符或已被改动）") from None


def read_kit(path: Path | str) -> Kit:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise KitError(f"无法读取评分包 {path}：{describe(exc)}") from None
    return parse(data)
