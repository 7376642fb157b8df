"""Issuing certificates: completion (结业) for the completed members of a finished class, and awards (获奖).

    new = issue_for_class(db, class_id)          # only completed members; holders of a valid one skipped
    new = issue_all_completed(db)                # every finished class, in date order
    new = issue_awards(db, [AwardGrant(pid, "首届执法技能比武", "个人全能一等奖")])

Each call is one transaction: serials are allocated, and the holder's name, ID number and the wording are
frozen into the register. A person who already holds a valid certificate for the same class (or award)
is not issued a second; a revoked or superseded one does not count as held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import audit, cert_serials, cert_settings, cert_text, people, rules, training
from trainer.amounts import to_x100
from trainer.cert_register import ACTOR, VALID, Certificate, CertificateError, require, valid_holders
from trainer.class_roster import members


@dataclass(frozen=True)
class AwardGrant:
    """One award to certify: who, at which event, which prize."""

    person_id: int
    event: str  # e.g. 平顶山市城市管理局首届执法技能比武
    prize: str  # e.g. 个人全能一等奖


@dataclass(frozen=True)
class Draft:
    kind: str
    person: people.Person
    class_id: int | None
    award: str
    subject: str
    body: str
    start: dt.date | None = None
    end: dt.date | None = None
    hours: Decimal | None = None


def _insert(db: Database, d: Draft, day: dt.date, issuer: str, prefix: str) -> str:
    sequence = cert_serials.allocate(db, day.year, d.kind)
    serial = cert_serials.format_serial(prefix, day.year, d.kind, sequence)
    db.execute(
        "INSERT INTO certificates (serial, kind, year, sequence, person_id, holder_name, id_number, class_id, award,"
        " subject, body, start_date, end_date, hours_x100, issue_date, issuer, status, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [serial, d.kind, day.year, sequence, d.person.id, d.person.name, d.person.id_number, d.class_id, d.award,
         d.subject, d.body, d.start.isoformat() if d.start else None, d.end.isoformat() if d.end else None,
         to_x100(d.hours) if d.hours is not None else None, day.isoformat(), issuer, VALID,
         dt.datetime.now().isoformat(timespec="seconds")])
    return serial


def _issue(db: Database, drafts: Iterable[Draft], issue_date: dt.date | None) -> list[Certificate]:
    day = issue_date or dt.date.today()
    s = cert_settings.load(db)
    issuer = cert_settings.issuer(db, s)
    with db.atomic():
        issued = [(_insert(db, d, day, issuer, s.prefix), d) for d in drafts]
        audit.append_many(db, [audit.Entry(audit.CERT_ISSUE, ACTOR, new=serial, detail=f"{d.person.name} {d.subject}")
                               for serial, d in issued])
    return [require(db, serial) for serial, _d in issued]


def class_drafts(db: Database, class_id: int, rule_set: rules.RuleSet | None = None) -> list[Draft]:
    """What issuing for the class would create: completed members without a valid certificate, roster order."""
    c = training.get_class(db, class_id)
    if c is None:
        raise CertificateError(f"培训班 {class_id} 不存在")
    if c.status != "已结束":
        raise CertificateError(f"培训班“{c.title}”尚未结束（{c.status}），结业后才能发证")
    results = {o.person_id: o for o in training.outcomes(db, rule_set or rules.active(db), class_id=class_id)}
    held = valid_holders(db, class_id)
    drafts = []
    for m in members(db, class_id):
        o = results.get(m.person_id)
        if o is None or not o.completed or m.person_id in held:
            continue
        body = cert_text.completion_body(c.start_date, c.end_date, c.title, o.class_hours, c.pass_mark is not None)
        drafts.append(Draft("JY", m.person, class_id, "", c.title, body, c.start_date, c.end_date, o.class_hours))
    return drafts


def issue_for_class(db: Database, class_id: int, *, issue_date: dt.date | None = None,
                    rule_set: rules.RuleSet | None = None) -> list[Certificate]:
    """Completion certificates for the class's completed members who hold no valid one yet."""
    with db.atomic():
        return _issue(db, class_drafts(db, class_id, rule_set), issue_date)


def issue_all_completed(db: Database, *, issue_date: dt.date | None = None,
                        rule_set: rules.RuleSet | None = None) -> list[Certificate]:
    """issue_for_class for every finished class, oldest first, in one transaction."""
    rule_set = rule_set or rules.active(db)
    finished = [int(c.id or 0) for c in training.list_classes(db) if c.status == "已结束"]
    with db.atomic():
        drafts = [d for cid in finished for d in class_drafts(db, cid, rule_set)]
        return _issue(db, drafts, issue_date)


def issue_awards(db: Database, grants: Sequence[AwardGrant], *, issue_date: dt.date | None = None
                 ) -> list[Certificate]:
    """Award certificates; a grant whose holder already has a valid certificate for the same award is skipped."""
    drafts = []
    seen: set[tuple[int, str]] = set()
    for g in grants:
        if not g.event.strip() or not g.prize.strip():
            raise CertificateError("获奖证书须写明比赛（活动）名称和奖项")
        person = people.get(db, g.person_id)
        if person is None:
            raise CertificateError(f"人员 {g.person_id} 不存在")
        award = cert_text.award_text(g.event, g.prize)
        held = db.execute("SELECT 1 FROM certificates WHERE person_id = ? AND award = ? AND kind = 'HJ' AND status = ?",
                          [g.person_id, award, VALID]).fetchone()
        if held or (g.person_id, award) in seen:
            continue
        seen.add((g.person_id, award))
        drafts.append(Draft("HJ", person, None, award, award, cert_text.award_body(g.event, g.prize)))
    return _issue(db, drafts, issue_date)
