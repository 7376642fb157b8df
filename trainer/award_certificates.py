"""获奖证书 for a contest's confirmed awards, through the certificate register (trainer.cert_issue).

    result = award_certificates.issue(db, contest_id)
    result.summary()   # "已颁发获奖证书 6 张；12 人此前已颁发，未重复颁发。请到“证书管理”打印获奖证书。"

Each award becomes an AwardGrant (the competitor's register entry, the event, the prize). The register never
issues a second valid certificate for the same award: those are counted as already issued. A competitor
who is not in the personnel register (entered from a workbook without a matching ID number) cannot hold a
certificate and is listed by name. Issuing is one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlite_utils import Database

from trainer import cert_issue, cert_register, cert_text, contest, contest_awards
from trainer.cert_issue import AwardGrant
from trainer.cert_register import Certificate
from trainer.contest import ContestError
from trainer.contest_awards import Award

PRINT_HINT = "请到“证书管理”中打印获奖证书。"


@dataclass(frozen=True)
class AwardIssue:
    issued: tuple[Certificate, ...]
    already: int                      # awards whose holder already had a valid certificate for them
    unregistered: tuple[Award, ...]   # winners not in the personnel register: no certificate possible
    revoked: tuple[Certificate, ...] = ()  # awards whose certificate was revoked: never issued again by a batch

    def summary(self) -> str:
        parts = [f"已颁发获奖证书 {len(self.issued)} 张"]
        if self.already:
            parts.append(f"{self.already} 人此前已颁发，未重复颁发")
        if self.revoked:
            names = "、".join(f"{c.holder_name}（{c.serial}，已撤销：{c.revoke_reason}）" for c in self.revoked)
            parts.append(f"{len(self.revoked)} 人的获奖证书已被撤销，未重新颁发（{names}；"
                         "重新发证须在“证书管理”中办理）")
        if self.unregistered:
            names = "、".join(f"{a.draw_no}号{a.name}" for a in self.unregistered)
            parts.append(f"{len(self.unregistered)} 人不在人员名册中，无法发证（{names}）")
        return "；".join(parts) + "。" + (PRINT_HINT if self.issued or self.already else "")


def event_name(c: contest.Contest) -> str:
    """平顶山市城市管理局首届执法技能比武: the organiser first, unless the name already carries it."""
    organiser = c.organiser.strip()
    return c.name if not organiser or c.name.startswith(organiser) else f"{organiser}{c.name}"


def grants(db: Database, contest_id: int) -> tuple[list[AwardGrant], list[Award]]:
    """The grants for the confirmed awards, and the winners that cannot be granted (not in the register)."""
    c = contest.require_contest(db, contest_id)
    awards = contest_awards.awards(db, contest_id)
    if not awards:
        raise ContestError("尚未确认获奖名单，不能颁发获奖证书")
    rows = {int(r[0]): (r[1], str(r[2] or "")) for r in db.execute(
        "SELECT id, person_id, id_number FROM contest_competitors WHERE contest_id = ?", [contest_id])}
    out, missing = [], []
    event = event_name(c)
    for a in awards:
        person_id, id_number = rows.get(a.competitor_id, (None, ""))
        if person_id is None and id_number:
            found = db.execute("SELECT id FROM people WHERE id_number = ?", [id_number]).fetchone()
            person_id = found[0] if found else None
        if person_id is None:
            missing.append(a)
            continue
        out.append(AwardGrant(int(person_id), event, a.prize))
    return out, missing


def issue(db: Database, contest_id: int, *, issue_date: dt.date | None = None) -> AwardIssue:
    wanted, missing = grants(db, contest_id)
    revoked = [c for g in wanted
               if (c := cert_register.revoked_award(db, g.person_id, cert_text.award_text(g.event, g.prize)))]
    issued = cert_issue.issue_awards(db, wanted, issue_date=issue_date) if wanted else []
    return AwardIssue(tuple(issued), len(wanted) - len(issued) - len(revoked), tuple(missing), tuple(revoked))
