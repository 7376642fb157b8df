"""Reading the audit log as a person does: newest first, by kind of change, with what each entry is about.

    page = audit_view.browse(db, category="成绩", text="张三", limit=2000)
    page.rows            # AuditRow(at, actor, what, subject, old, new, reason, detail), newest first
    page.total           # how many entries match (the rows may be fewer: `limit`)

Every action the log knows (audit.LABELS) belongs to exactly one category, so a new kind of change cannot
be left out of the filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from trainer import audit as a
from trainer import blind

ALL = "全部"
CATEGORIES: dict[str, tuple[str, ...]] = {
    "成绩": (a.SCORE_ENTER, a.SCORE_CHANGE, a.SCORE_CLEAR, a.SCORE_CHECK, a.SCORE_RESOLVE, a.DEDUCTION_ADD,
             a.DEDUCTION_REMOVE, a.SPREAD_OVERRIDE, a.SCORE_CONFLICT),
    "锁定与发布": (a.ITEM_LOCK, a.ITEM_UNLOCK, a.PIN_SET, a.AWARDS_CONFIRM, a.RANKING_RELEASE, a.RANKING_WITHDRAW),
    "比武设置": (a.CONTEST_CREATE, a.CONTEST_EDIT, a.CONTEST_IMPORT, a.ITEM_ADD, a.ITEM_EDIT, a.ITEM_DELETE,
                 a.JUDGE_ADD, a.JUDGE_EDIT, a.JUDGE_REMOVE, a.ASSIGN, a.UNASSIGN, a.COMPETITOR_ADD,
                 a.COMPETITOR_REMOVE, a.COMPETITOR_EDIT, a.DRAW),
    "评委评分包与文件": (a.JUDGE_KIT, a.REOPEN_CODE_SHOWN, a.JUDGE_FILE_MERGE, a.JUDGE_FILE_SUPERSEDE),
    "证书": (a.CERT_ISSUE, a.CERT_REVOKE, a.CERT_REISSUE, a.CERT_PRINT, a.CERT_SETTINGS, a.CERT_PIN_SET),
    "培训记录": (a.RECORD_EDIT, a.RECORD_DELETE),
    "数据库": (a.DATABASE_RESTORE,),
}


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: str
    actor: str
    what: str      # the action's Chinese label
    subject: str   # 比武 · 项目 · 抽签号/队号 (a blind item's 密封编号 before its lock) · 评委, as far as named
    old: str
    new: str
    reason: str
    detail: str


@dataclass(frozen=True)
class AuditPage:
    rows: list[AuditRow]
    total: int


_FROM = (" FROM audit_log l LEFT JOIN contests c ON c.id = l.contest_id"
         " LEFT JOIN contest_items i ON i.id = l.item_id"
         " LEFT JOIN contest_competitors p ON p.id = l.competitor_id"
         " LEFT JOIN contest_judges j ON j.id = l.judge_id")


# The code of an entry's competitor on its item while the item is sealed (trainer.blind), else NULL.
_SEALED_CODE = (f"(SELECT k.code FROM contest_codes k WHERE k.item_id = l.item_id AND k.competitor_id = l.competitor_id"
                f" AND {blind.SEALED_SQL})")


def _subject(contest: str | None, item: str | None, draw_no: int | None, team_no: int | None, is_team: int | None,
             judge_code: str | None, judge_name: str | None, sealed_code: str | None = None) -> str:
    parts = [p for p in (contest, item) if p]
    if sealed_code is not None:  # a blind item before its lock: the number would tie the code to a person
        parts.append(blind.code_text(sealed_code))
    elif team_no is not None or is_team:
        parts.append(f"{team_no}号队" if team_no is not None else "代表队")
    elif draw_no is not None:
        parts.append(f"{draw_no}号选手")  # the number, never the name: blind items stay blind here too
    if judge_code:
        parts.append(f"评委{judge_code}（{judge_name}）" if judge_name else f"评委{judge_code}")
    return " · ".join(parts)


def browse(db: Database, *, category: str = ALL, text: str = "", limit: int = 2000) -> AuditPage:
    """The entries of `category` (ALL: every one) whose actor, names, values, reason or detail contain `text`,
    newest first, at most `limit` of them, and how many match in all."""
    where: list[str] = []
    args: list[object] = []
    if category != ALL:
        actions = CATEGORIES[category]
        where.append(f"l.action IN ({', '.join('?' * len(actions))})")
        args.extend(actions)
    needle = text.strip()
    if needle:
        like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        fields = ("l.actor", "l.old_value", "l.new_value", "l.reason", "l.detail", "c.name", "i.name", "j.name")
        where.append("(" + " OR ".join(f"{f} LIKE ? ESCAPE '\\'" for f in fields) + ")")
        args.extend([like] * len(fields))
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    total = int(db.execute("SELECT COUNT(*)" + _FROM + clause, args).fetchone()[0])
    sql = ("SELECT l.id, l.at, l.actor, l.action, c.name, i.name, p.draw_no, p.team_no, p.is_team, j.code, j.name,"
           f" l.old_value, l.new_value, l.reason, l.detail, {_SEALED_CODE}" + _FROM + clause +
           " ORDER BY l.id DESC LIMIT ?")
    rows = [AuditRow(r[0], str(r[1]).replace("T", " "), r[2], a.LABELS.get(r[3], r[3]),
                     _subject(r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[15]), r[11], r[12], r[13], r[14])
            for r in db.execute(sql, [*args, limit])]
    return AuditPage(rows, total)
