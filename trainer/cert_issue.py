"""Issuing certificates: completion (结业) for the completed members of a finished class, and awards (获奖).

    new = issue_for_class(db, class_id)          # only completed members; holders of a valid one skipped
    new = issue_all_completed(db)                # every finished class, in date order
    new = issue_awards(db, [AwardGrant(pid, "首届执法技能比武", "个人全能一等奖")])
    plan = class_plan(db, class_id)              # plan.drafts to issue, plan.skipped: revoked holders
    skipped = revoked_skips(db)                  # what --all-completed leaves out, with the reasons

Each call is one transaction: serials are allocated, and the holder's name, ID number and the wording are
frozen into the register. A person who already holds a valid certificate for the same class (or award)
is not issued a second. Nor is one whose certificate for it was revoked: a batch must not undo a
PIN-protected revocation. They are listed as skipped (已撤销：原因); issuing for them again is
trainer.cert_register.reissue of the revoked certificate, with a reason and the PIN.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import audit, cert_serials, cert_settings, cert_text, people, rules, training
from trainer.amounts import to_x100
from trainer.cert_register import (
    ACTOR,
    VALID,
    Certificate,
    CertificateError,
    require,
    revoked_award,
    revoked_holders,
    valid_holders,
)
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


@dataclass(frozen=True)
class ClassPlan:
    """What issuing for a class would do: the certificates to create, and the completed members left out
    because their certificate for the class was revoked (each with that revoked certificate)."""

    drafts: list[Draft]
    skipped: list[Certificate]


def skip_reason(revoked: Certificate) -> str:
    """How a skipped holder is listed: 已撤销：违纪."""
    return f"已撤销：{revoked.revoke_reason}"


def class_plan(db: Database, class_id: int, rule_set: rules.RuleSet | None = None) -> ClassPlan:
    """Completed members without a valid certificate, roster order; those whose certificate for the class
    was revoked are skipped, not issued anew."""
    c = training.get_class(db, class_id)
    if c is None:
        raise CertificateError(f"培训班 {class_id} 不存在")
    if c.status != "已结束":
        raise CertificateError(f"培训班“{c.title}”尚未结束（{c.status}），结业后才能发证")
    results = {o.person_id: o for o in training.outcomes(db, rule_set or rules.active(db), class_id=class_id)}
    held = valid_holders(db, class_id)
    revoked = revoked_holders(db, class_id)
    drafts, skipped = [], []
    for m in members(db, class_id):
        o = results.get(m.person_id)
        if o is None or not o.completed or m.person_id in held:
            continue
        if m.person_id in revoked:
            skipped.append(revoked[m.person_id])
            continue
        body = cert_text.completion_body(c.start_date, c.end_date, c.title, o.class_hours, c.pass_mark is not None)
        drafts.append(Draft("JY", m.person, class_id, "", c.title, body, c.start_date, c.end_date, o.class_hours))
    return ClassPlan(drafts, skipped)


def class_drafts(db: Database, class_id: int, rule_set: rules.RuleSet | None = None) -> list[Draft]:
    """What issuing for the class would create (class_plan without the skipped)."""
    return class_plan(db, class_id, rule_set).drafts


def revoked_skips(db: Database, class_id: int | None = None, rule_set: rules.RuleSet | None = None
                  ) -> list[Certificate]:
    """The revoked certificates whose holders issuing for the class (None: every finished class) leaves out."""
    rule_set = rule_set or rules.active(db)
    ids = [class_id] if class_id is not None else _finished(db)
    return [cert for cid in ids for cert in class_plan(db, cid, rule_set).skipped]


def _finished(db: Database) -> list[int]:
    return [int(c.id or 0) for c in training.list_classes(db) if c.status == "已结束"]


def issue_for_class(db: Database, class_id: int, *, issue_date: dt.date | None = None,
                    rule_set: rules.RuleSet | None = None) -> list[Certificate]:
    """Completion certificates for the class's completed members who hold no valid one yet."""
    with db.atomic():
        return _issue(db, class_drafts(db, class_id, rule_set), issue_date)


def issue_all_completed(db: Database, *, issue_date: dt.date | None = None,
                        rule_set: rules.RuleSet | None = None) -> list[Certificate]:
    """issue_for_class for every finished class, oldest first, in one transaction."""
    rule_set = rule_set or rules.active(db)
    finished = _finished(db)
    with db.atomic():
        drafts = [d for cid in finished for d in class_drafts(db, cid, rule_set)]
        return _issue(db, drafts, issue_date)


def issue_awards(db: Database, grants: Sequence[AwardGrant], *, issue_date: dt.date | None = None
                 ) -> list[Certificate]:
    """Award certificates; a grant whose holder already has a valid certificate for the same award, or had
    one revoked, is skipped."""
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
        if held or (g.person_id, award) in seen or revoked_award(db, g.person_id, award) is not None:
            continue
        seen.add((g.person_id, award))
        drafts.append(Draft("HJ", person, None, award, award, cert_text.award_body(g.event, g.prize)))
    return _issue(db, drafts, issue_date)
