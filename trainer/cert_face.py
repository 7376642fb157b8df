"""Everything a certificate template prints, as plain strings: the boundary between the register and
the PDF templates in exports/ (and the window's preview).

    faces = certificate_faces(db, ["PDS2021JY000122"])
    faces[0].title, faces[0].holder_name, faces[0].body, faces[0].issue_date_text, faces[0].payload
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlite_utils import Database

from trainer import cert_payload, cert_register, cert_text
from trainer.amounts import fmt
from trainer.cert_register import Certificate
from trainer.dates import chinese_date


@dataclass(frozen=True)
class CertificateFace:
    serial: str
    kind: str  # JY / HJ
    title: str  # 结业证书 / 荣誉证书
    holder_name: str
    id_masked: str  # 410402********1234
    body: str  # the sentence after the name: 同志于…准予结业。
    closing: str  # 特发此证。
    subject: str  # the class title or the award
    period: str  # 二〇二六年三月二日至三月四日 ('' for awards)
    hours: str  # "24" ('' for awards)
    issuer: str
    issue_date_text: str  # 二〇二六年三月六日
    payload: str  # the signed QR text

    @property
    def file_stem(self) -> str:
        """`{serial}_{姓名}`, the per-person file name without .pdf."""
        return f"{self.serial}_{self.holder_name}"

    @property
    def person_label(self) -> str:
        """How a glyph problem names the holder: name and serial."""
        return f"{self.holder_name}（{self.serial}）"

    def texts(self) -> list[str]:
        """The holder's own texts, for the glyph check."""
        return [self.holder_name, self.body, self.subject]


def face(db: Database, cert: Certificate) -> CertificateFace:
    award = cert.kind == "HJ"
    period = ""
    if cert.start_date and cert.end_date:
        period = cert_text.chinese_date_range(cert.start_date, cert.end_date)
    return CertificateFace(
        serial=cert.serial, kind=cert.kind,
        title=cert_text.AWARD_TITLE if award else cert_text.COMPLETION_TITLE,
        holder_name=cert.holder_name, id_masked=cert.id_masked, body=cert.body,
        closing=cert_text.AWARD_CLOSING if award else cert_text.COMPLETION_CLOSING,
        subject=cert.subject, period=period, hours=fmt(cert.hours) if cert.hours is not None else "",
        issuer=cert.issuer, issue_date_text=chinese_date(cert.issue_date),
        payload=cert_payload.build(db, cert),
    )


def certificate_faces(db: Database, serials: Iterable[str]) -> list[CertificateFace]:
    """Faces in the order given; an unknown serial raises CertificateError. Revoked and superseded
    certificates are refused: a reprint must not put a void certificate back into circulation."""
    out = []
    for serial in serials:
        cert = cert_register.require(db, serial)
        if not cert.valid:
            raise cert_register.CertificateError(f"证书{cert.serial}状态为“{cert.status}”，不能打印")
        out.append(face(db, cert))
    return out
