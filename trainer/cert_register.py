"""The certificate register (证书登记): every certificate issued, its status and print count.

    certs = search(db, CertFilter(text="张三", status="有效"))
    revoke(db, "PDS2021JY000122", "学员信息有误")         # 有效 → 已撤销
    new = reissue(db, "PDS2021JY000131", "原证遗失")       # old → 已补发, new serial linked to it
    plan = reissue_plan(db, "PDS2021JY000122")             # what a reissue would change (name corrected since)
    new = reissue(db, "PDS2021JY000122", "撤销决定已撤回")  # 重新发证 for a revoked one: reason required
    headers, rows = register_rows(search(db))               # for the CSV list and the Excel export

Issuing lives in trainer.cert_issue; serials in trainer.cert_serials. Rows are never deleted.

A revocation sticks: batch issuing skips whoever holds a revoked certificate for the same class or award
(trainer.cert_issue lists them), so only `reissue` of the revoked certificate — a reason, the PIN, an
audit entry — gives that person a valid one again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import audit, cert_admin, cert_serials, cert_settings, people
from trainer.amounts import from_x100
from trainer.cert_serials import KINDS
from trainer.dates import from_iso
from trainer.idnumber import mask

STATUSES = ("有效", "已撤销", "已补发")
VALID, REVOKED, REISSUED = STATUSES
ACTOR = "证书管理"  # who the audit log names: the window has no log-in, HR works at one desk
CSV_COLUMNS = ("证书编号", "姓名", "身份证号", "类型", "内容", "发证日期", "状态")
EXPORT_COLUMNS = (*CSV_COLUMNS, "发证单位", "培训班编号", "培训起止", "学时", "打印次数", "撤销时间", "撤销或补发原因",
                  "补发自", "补发为")


class CertificateError(ValueError):
    """A refused change to the register; the message is for the user."""


@dataclass(frozen=True)
class Certificate:
    id: int
    serial: str
    kind: str  # JY / HJ
    person_id: int
    holder_name: str  # as on the day of issue
    id_number: str
    class_id: int | None
    award: str
    subject: str  # 内容: the class title or the award
    body: str  # the sentence after the name
    start_date: dt.date | None
    end_date: dt.date | None
    hours: Decimal | None
    issue_date: dt.date
    issuer: str
    status: str
    print_count: int
    last_printed_at: str | None
    revoked_at: str | None
    revoke_reason: str
    reissued_from: str | None  # the serial this one replaces
    reissued_by: str | None  # the serial that replaced this one

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def id_masked(self) -> str:
        return mask(self.id_number)

    @property
    def valid(self) -> bool:
        return self.status == VALID

    def csv_row(self) -> list[str]:
        return [self.serial, self.holder_name, self.id_number, self.kind_label, self.subject,
                self.issue_date.isoformat(), self.status]


@dataclass(frozen=True)
class CertFilter:
    """Search terms; empty ones match everything. `text` finds a serial, name, ID number or 内容 fragment."""

    text: str = ""
    kind: str | None = None
    status: str | None = None
    class_id: int | None = None
    person_id: int | None = None
    year: int | None = None  # the issue year


_COLS = ("c.id, c.serial, c.kind, c.person_id, c.holder_name, c.id_number, c.class_id, c.award, c.subject, c.body,"
         " c.start_date, c.end_date, c.hours_x100, c.issue_date, c.issuer, c.status, c.print_count,"
         " c.last_printed_at, c.revoked_at, c.revoke_reason, c.reissued_from,"
         " (SELECT n.serial FROM certificates n WHERE n.reissued_from = c.serial)")


def _row(r: Sequence[object]) -> Certificate:
    return Certificate(
        id=int(r[0]), serial=str(r[1]), kind=str(r[2]), person_id=int(r[3]),  # type: ignore[call-overload]
        holder_name=str(r[4]), id_number=str(r[5]), class_id=r[6],  # type: ignore[arg-type]
        award=str(r[7]), subject=str(r[8]), body=str(r[9]),
        start_date=from_iso(r[10]), end_date=from_iso(r[11]),  # type: ignore[arg-type]
        hours=from_x100(r[12]) if r[12] is not None else None,  # type: ignore[arg-type]
        issue_date=dt.date.fromisoformat(str(r[13])), issuer=str(r[14]), status=str(r[15]),
        print_count=int(r[16]), last_printed_at=r[17], revoked_at=r[18],  # type: ignore[call-overload, arg-type]
        revoke_reason=str(r[19]), reissued_from=r[20], reissued_by=r[21],  # type: ignore[arg-type]
    )


def get(db: Database, serial: str) -> Certificate | None:
    row = db.execute(f"SELECT {_COLS} FROM certificates c WHERE c.serial = ?", [_clean(serial)]).fetchone()
    return _row(row) if row else None


def require(db: Database, serial: str) -> Certificate:
    cert = get(db, serial)
    if cert is None:
        raise CertificateError(f"证书登记中没有编号为“{_clean(serial)}”的证书")
    return cert


def _clean(serial: str) -> str:
    return "".join(serial.split()).upper()


def search(db: Database, f: CertFilter | None = None) -> list[Certificate]:
    """Certificates matching `f`, newest serial number last within each year (register order)."""
    f = f or CertFilter()
    where: list[str] = []
    args: list[object] = []
    if f.text.strip():
        like = "%" + f.text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(c.serial LIKE ? ESCAPE '\\' OR c.holder_name LIKE ? ESCAPE '\\'"
                     " OR c.id_number LIKE ? ESCAPE '\\' OR c.subject LIKE ? ESCAPE '\\')")
        args += [like] * 4  # LIKE ignores ASCII case: pds2021… and x finds …X
    for column, value in (("c.kind", f.kind), ("c.status", f.status), ("c.class_id", f.class_id),
                          ("c.person_id", f.person_id), ("c.year", f.year)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    sql = f"SELECT {_COLS} FROM certificates c"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_row(r) for r in db.execute(sql + " ORDER BY c.year, c.kind DESC, c.sequence", args)]


def valid_holders(db: Database, class_id: int) -> set[int]:
    """People who hold a valid certificate for the class."""
    return {int(r[0]) for r in db.execute(
        "SELECT person_id FROM certificates WHERE class_id = ? AND status = ?", [class_id, VALID])}


def revoked_holders(db: Database, class_id: int) -> dict[int, Certificate]:
    """Person → their revoked certificate for the class, for people who hold no valid one for it (the
    latest revoked one when there are several): a batch must not undo the revocation."""
    return _revoked(db, "c.class_id = ?", [class_id])


def revoked_award(db: Database, person_id: int, award: str) -> Certificate | None:
    """The person's revoked certificate for the award, unless they hold a valid one for it."""
    return _revoked(db, "c.person_id = ? AND c.award = ? AND c.kind = 'HJ'", [person_id, award]).get(person_id)


def _revoked(db: Database, where: str, args: list[object]) -> dict[int, Certificate]:
    rows = db.execute(
        f"SELECT {_COLS} FROM certificates c WHERE {where} AND c.status = ? AND NOT EXISTS ("
        " SELECT 1 FROM certificates v WHERE v.person_id = c.person_id AND v.status = ?"
        " AND v.class_id IS c.class_id AND v.award = c.award AND v.kind = c.kind)"
        " ORDER BY c.year, c.sequence", [*args, REVOKED, VALID])
    return {cert.person_id: cert for cert in map(_row, rows)}  # the latest revoked wins


def revoke(db: Database, serial: str, reason: str, *, now: dt.datetime | None = None, pin: str | None = None,
           actor: str = ACTOR) -> Certificate:
    """有效 → 已撤销, with the reason and time; a revoked certificate verifies as 已撤销 from then on.
    Needs the certificate administrator's PIN once one is set (trainer.cert_admin)."""
    if not reason.strip():
        raise CertificateError("撤销证书须填写原因")
    _require_pin(db, pin)
    with db.atomic():
        cert = require(db, serial)
        if cert.status != VALID:
            raise CertificateError(f"证书{cert.serial}状态为“{cert.status}”，只能撤销有效的证书")
        stamp = (now or dt.datetime.now()).isoformat(timespec="seconds")
        db.execute("UPDATE certificates SET status = ?, revoked_at = ?, revoke_reason = ? WHERE id = ?",
                   [REVOKED, stamp, reason.strip(), cert.id])
        audit.append(db, audit.Entry(audit.CERT_REVOKE, actor, old=VALID, new=REVOKED, reason=reason.strip(),
                                     detail=f"{cert.serial} {cert.holder_name}"))
    return require(db, cert.serial)


@dataclass(frozen=True)
class ReissuePlan:
    """What a reissue would write, for the window to show before the user confirms."""

    old: Certificate
    holder_name: str  # the person's name now (the register's people table), else as on the old certificate
    id_number: str

    @property
    def after_revocation(self) -> bool:
        """重新发证 for a revoked certificate (old stays 已撤销) rather than 补发 of a valid one."""
        return self.old.status == REVOKED

    @property
    def action(self) -> str:
        return "重新发证" if self.after_revocation else "补发"

    @property
    def changes(self) -> list[tuple[str, str, str]]:
        """(field, on the old certificate, on the new one) for what changed in the personnel register since;
        ID numbers masked, as the certificate prints them."""
        out: list[tuple[str, str, str]] = []
        if self.holder_name != self.old.holder_name:
            out.append(("姓名", self.old.holder_name, self.holder_name))
        if self.id_number != self.old.id_number:
            out.append(("身份证号", self.old.id_masked, mask(self.id_number)))
        return out

    def change_text(self) -> str:
        return "；".join(f"{label}：{a} → {b}" for label, a, b in self.changes)


def reissue_plan(db: Database, serial: str) -> ReissuePlan:
    """What reissuing `serial` would do; CertificateError when it cannot be reissued.

    A valid certificate can be reissued (补发, e.g. lost); a revoked one can be issued again (重新发证, e.g. the
    revocation was withdrawn) unless it was already, or the holder has a valid one again. The new one carries
    the holder's current name and ID number from the personnel register (a corrected name prints corrected).
    """
    old = require(db, serial)
    if old.status == REISSUED:
        raise CertificateError(f"证书{old.serial}状态为“{old.status}”，只能为有效的证书补发"
                               f"（它已补发为 {old.reissued_by or '新证书'}）")
    if old.status == REVOKED:
        if old.reissued_by:
            raise CertificateError(f"证书{old.serial}已撤销，且已重新发证为 {old.reissued_by}")
        held = _valid_for_same(db, old)
        if held:
            what = "该培训班" if old.kind == "JY" else "该奖项"
            raise CertificateError(f"{old.holder_name}已持有{what}的有效证书 {held}，无需重新发证")
    person = people.get(db, old.person_id)
    if person is None:
        return ReissuePlan(old, old.holder_name, old.id_number)
    return ReissuePlan(old, person.name, person.id_number)


def _valid_for_same(db: Database, cert: Certificate) -> str | None:
    row = db.execute("SELECT serial FROM certificates WHERE person_id = ? AND status = ? AND class_id IS ?"
                     " AND award = ? AND kind = ?",
                     [cert.person_id, VALID, cert.class_id, cert.award, cert.kind]).fetchone()
    return str(row[0]) if row else None


def reissue(db: Database, serial: str, reason: str = "", *, issue_date: dt.date | None = None,
            prefix: str | None = None, pin: str | None = None, actor: str = ACTOR) -> Certificate:
    """A new serial for the same holder and wording, linked to the old certificate (see reissue_plan).

    补发 (the old one valid): the old one becomes 已补发; `reason` (default 补发) is kept on its row.
    重新发证 (the old one revoked): needs a reason; the old one stays 已撤销 with its own reason.
    The new certificate carries today's issue date, a serial of this year and the holder's name and ID
    number as the personnel register has them now; the audit entry says what changed. Needs the
    certificate administrator's PIN once one is set.
    """
    day = issue_date or dt.date.today()
    plan = reissue_plan(db, serial)
    reason = reason.strip()
    if plan.after_revocation and not reason:
        raise CertificateError("为已撤销的证书重新发证须填写原因（如：撤销决定已撤回）")
    _require_pin(db, pin)
    with db.atomic():
        plan = reissue_plan(db, serial)  # the register as it is inside the transaction
        old = plan.old
        if not plan.after_revocation:
            db.execute("UPDATE certificates SET status = ?, revoke_reason = ? WHERE id = ?",
                       [REISSUED, reason or "补发", old.id])
        sequence = cert_serials.allocate(db, day.year, old.kind)
        new_serial = cert_serials.format_serial(prefix or cert_settings.load(db).prefix, day.year, old.kind,
                                                sequence)
        db.execute(
            "INSERT INTO certificates (serial, kind, year, sequence, person_id, holder_name, id_number, class_id,"
            " award, subject, body, start_date, end_date, hours_x100, issue_date, issuer, status, reissued_from,"
            " created_at) SELECT ?, kind, ?, ?, person_id, ?, ?, class_id, award, subject, body,"
            " start_date, end_date, hours_x100, ?, issuer, ?, serial, ? FROM certificates WHERE id = ?",
            [new_serial, day.year, sequence, plan.holder_name, plan.id_number, day.isoformat(), VALID,
             dt.datetime.now().isoformat(timespec="seconds"), old.id])
        detail = plan.holder_name if not plan.changes else f"{plan.holder_name}（{plan.change_text()}）"
        if plan.after_revocation:
            detail = f"重新发证（原证书已撤销：{old.revoke_reason}） {detail}"
        audit.append(db, audit.Entry(audit.CERT_REISSUE, actor, old=old.serial, new=new_serial,
                                     reason=reason or "补发", detail=detail))
    return require(db, new_serial)


def record_prints(db: Database, serials: Iterable[str], *, now: dt.datetime | None = None,
                  actor: str = ACTOR) -> None:
    """Count one more print of each certificate (called after its PDF was written); one audit entry a batch."""
    stamp = (now or dt.datetime.now()).isoformat(timespec="seconds")
    printed = list(serials)
    if not printed:
        return
    with db.atomic():
        db.conn.executemany(
            "UPDATE certificates SET print_count = print_count + 1, last_printed_at = ? WHERE serial = ?",
            [(stamp, s) for s in printed])
        span = printed[0] if len(printed) == 1 else f"{printed[0]} 至 {printed[-1]}"
        audit.append(db, audit.Entry(audit.CERT_PRINT, actor, new=str(len(printed)),
                                     detail=f"打印{len(printed)}张：{span}", at=stamp))


def _require_pin(db: Database, pin: str | None) -> None:
    try:
        cert_admin.require(db, pin)
    except cert_admin.CertPinError as exc:
        raise CertificateError(str(exc)) from None


def register_rows(certs: Iterable[Certificate]) -> tuple[tuple[str, ...], list[list[object]]]:
    """The full register for Excel: the CSV columns first, then the rest (dates as dates)."""
    rows: list[list[object]] = []
    for c in certs:
        period = ""
        if c.start_date and c.end_date:
            period = f"{c.start_date.isoformat()}至{c.end_date.isoformat()}"
        rows.append([c.serial, c.holder_name, c.id_number, c.kind_label, c.subject, c.issue_date, c.status,
                     c.issuer, c.class_id, period, float(c.hours) if c.hours is not None else None, c.print_count,
                     c.revoked_at or "", c.revoke_reason, c.reissued_from or "",
                     c.reissued_by or ""])
    return EXPORT_COLUMNS, rows
