"""The text in a certificate's QR code, and verifying a scanned text or a typed serial.

    TRAINER-CERT|1|PDS2021JY000122|张三|410402********1234|结业：2021年业务知识轮训第1期|2021-06-06|<sig>

Fields: magic, format version, serial, holder, masked ID (first 6 and last 4), what for (结业：class title or
获奖：award), issue date, and the Ed25519 signature (unpadded base64url, 86 characters) of the UTF-8 text
up to and including the `|` before it. Any changed character breaks the signature; the signed fields
must also match the register, and the register says whether the certificate still stands.

A scanner shows the text as it is, so someone without the app can still read whose certificate it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from trainer import cert_register, cert_serials, cert_signing
from trainer.cert_register import REISSUED, REVOKED, VALID, Certificate

MAGIC = "TRAINER-CERT"
VERSION = "1"
FIELDS = 8
WHAT = {"JY": "结业", "HJ": "获奖"}

# verdicts, as the verify page shows them
OK, REVOKED_VERDICT, UNKNOWN, TAMPERED = "有效", "已撤销", "未知", "被篡改"
VERDICTS = (OK, REVOKED_VERDICT, UNKNOWN, TAMPERED)


def field(text: str) -> str:
    """A value as it goes into the payload: no separator, no line break."""
    return " ".join(text.replace("|", "｜").split())


def signed_fields(cert: Certificate) -> list[str]:
    """The payload fields before the signature, from the register's record."""
    return [MAGIC, VERSION, cert.serial, field(cert.holder_name), cert.id_masked,
            field(f"{WHAT[cert.kind]}：{cert.subject}"), cert.issue_date.isoformat()]


def build(db: Database, cert: Certificate) -> str:
    """The exact QR text for a certificate (deterministic: Ed25519 signatures are)."""
    message = "|".join(signed_fields(cert)) + "|"
    return message + cert_signing.sign(db, message)


def payload(db: Database, serial: str) -> str:
    return build(db, cert_register.require(db, serial))


@dataclass(frozen=True)
class Verification:
    """One glance: the verdict, the register's record when there is one, and a line saying why.

    `claimed` is for a tampered text whose serial is still readable: the register's record of the serial the
    text claims, to compare with the certificate in hand. It is not the holder of this text (nothing about a
    forged text is), so it is kept apart from `certificate` and shown labelled as such.
    """

    verdict: str  # 有效 / 已撤销 / 未知 / 被篡改
    message: str
    certificate: Certificate | None = None
    claimed: Certificate | None = None

    @property
    def ok(self) -> bool:
        return self.verdict == OK

    @property
    def holder(self) -> str:
        c = self.certificate
        return f"{c.holder_name}（{c.id_masked}）" if c else ""

    @property
    def record(self) -> Certificate | None:
        """The register's record to show: the verified one, else the one a tampered text claims."""
        return self.certificate or self.claimed


CLAIMED_TITLE = "二维码所称编号在证书登记中的记录（二维码已被篡改，仅供与证书原件比对）"


def _by_status(cert: Certificate) -> Verification:
    if cert.status == VALID:
        return Verification(OK, f"{cert.kind_label}（{cert.subject}）", cert)
    if cert.status == REVOKED:
        when = (cert.revoked_at or "")[:10]
        again = f"；已重新发证，新证书编号 {cert.reissued_by}" if cert.reissued_by else ""
        return Verification(REVOKED_VERDICT, f"证书已于{when}撤销：{cert.revoke_reason}{again}", cert)
    assert cert.status == REISSUED
    return Verification(REVOKED_VERDICT, f"证书已补发，原证书作废；新证书编号 {cert.reissued_by or '（未知）'}", cert)


def verify_serial(db: Database, text: str) -> Verification:
    try:
        serial = str(cert_serials.parse(text))
    except cert_serials.SerialError as exc:
        return Verification(UNKNOWN, str(exc))
    cert = cert_register.get(db, serial)
    if cert is None:
        return Verification(UNKNOWN, f"证书登记中没有编号为“{serial}”的证书")
    return _by_status(cert)


def verify(db: Database, text: str) -> Verification:
    """A scanned QR text or a typed serial → 有效 / 已撤销 / 未知 / 被篡改."""
    text = text.strip()  # scanners add a line break; a changed character inside still fails below
    if not text.startswith(MAGIC + "|"):
        if "|" not in text:
            return verify_serial(db, text[:40])
        return Verification(TAMPERED, "二维码内容格式不正确")
    parts = text.split("|")
    claimed = cert_register.get(db, parts[2][:40]) if len(parts) > 2 else None
    if len(parts) != FIELDS:
        return Verification(TAMPERED, "二维码内容不完整或格式不正确", claimed=claimed)
    if parts[1] != VERSION:
        return Verification(TAMPERED, f"无法识别的二维码版本“{parts[1]}”", claimed=claimed)
    message, signature = text[: text.rindex("|") + 1], parts[-1]
    if not cert_signing.verify(cert_signing.public_key(db), message, signature):
        return Verification(TAMPERED, "签名无效：内容被改动，或不是本局签发的证书", claimed=claimed)
    cert = cert_register.get(db, parts[2])
    if cert is None:
        return Verification(UNKNOWN, f"签名有效，但证书登记中没有编号为“{parts[2]}”的证书")
    expected = signed_fields(cert)
    labels = ("", "", "证书编号", "姓名", "身份证号", "内容", "发证日期")
    differ = [labels[i] for i in range(2, FIELDS - 1) if parts[i] != expected[i]]
    if differ:
        return Verification(TAMPERED, f"二维码内容与证书登记不符（{'、'.join(differ)}）", cert)
    return _by_status(cert)
