"""Certificate settings, stored in the `settings` table under `cert.*`.

    cert.prefix        serial prefix (default PDS)
    cert.issuer        issuing unit printed on certificates ('' → the 市局 unit's name)
    cert.seal          path of the seal PNG ('' → no seal printed)
    cert.layout        classic / modern / preprinted
    cert.offset_x_mm   preprinted paper: shift right (mm, may be negative)
    cert.offset_y_mm   preprinted paper: shift up (mm, may be negative)
    cert.signing_key   the Ed25519 private key (see trainer.cert_signing), never shown in settings
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlite_utils import Database

from trainer import audit, cert_admin, settings
from trainer.cert_serials import DEFAULT_PREFIX, SerialError, check_prefix

# name → label; the templates themselves live in exports.certificate_layouts
LAYOUTS = {"classic": "经典（双线边框）", "modern": "简约（红色边栏）", "preprinted": "套打（仅打印可变内容）"}
MAX_OFFSET_MM = 50.0
DEFAULT_ISSUER = "平顶山市城市管理局"


class CertSettingsError(ValueError):
    """The message is for the user."""


@dataclass(frozen=True)
class CertSettings:
    prefix: str = DEFAULT_PREFIX
    issuer: str = ""
    seal_path: str = ""
    layout: str = "classic"
    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0

    def check(self) -> None:
        try:
            check_prefix(self.prefix)
        except SerialError as exc:
            raise CertSettingsError(str(exc)) from None
        if self.layout not in LAYOUTS:
            raise CertSettingsError(f"未知的证书版式“{self.layout}”")
        for label, v in (("左右", self.offset_x_mm), ("上下", self.offset_y_mm)):
            if not math.isfinite(v) or abs(v) > MAX_OFFSET_MM:
                raise CertSettingsError(f"套打{label}偏移应在 ±{MAX_OFFSET_MM:g} 毫米以内")


def _float(text: str) -> float:
    try:
        return float(text) if text else 0.0
    except ValueError:
        return 0.0


def load(db: Database) -> CertSettings:
    values = settings.get_many(db, "cert.")
    layout = values.get("cert.layout", "classic")
    return CertSettings(
        prefix=values.get("cert.prefix") or DEFAULT_PREFIX,
        issuer=values.get("cert.issuer", ""),
        seal_path=values.get("cert.seal", ""),
        layout=layout if layout in LAYOUTS else "classic",
        offset_x_mm=_float(values.get("cert.offset_x_mm", "")),
        offset_y_mm=_float(values.get("cert.offset_y_mm", "")),
    )


def save(db: Database, s: CertSettings, *, pin: str | None = None, actor: str = "证书管理") -> None:
    """Store the settings; needs the certificate administrator's PIN once one is set (trainer.cert_admin).
    What changed goes into the audit log, since these settings decide what every certificate says."""
    s.check()
    try:
        cert_admin.require(db, pin)
    except cert_admin.CertPinError as exc:
        raise CertSettingsError(str(exc)) from None
    values = _stored(s)
    with db.atomic():
        before = _stored(load(db))
        changed = [f"{k[5:]}: {before[k]} → {v}" for k, v in values.items() if before[k] != v]
        settings.put_many(db, values)
        if changed:
            audit.append(db, audit.Entry(audit.CERT_SETTINGS, actor, detail="；".join(changed)))


def _stored(s: CertSettings) -> dict[str, str]:
    return {
        "cert.prefix": s.prefix, "cert.issuer": s.issuer.strip(), "cert.seal": s.seal_path, "cert.layout": s.layout,
        "cert.offset_x_mm": f"{s.offset_x_mm:g}", "cert.offset_y_mm": f"{s.offset_y_mm:g}",
    }


def issuer(db: Database, s: CertSettings | None = None) -> str:
    """The issuing unit: the setting, else the 市局 unit of the tree."""
    s = s or load(db)
    if s.issuer:
        return s.issuer
    row = db.execute("SELECT name FROM units WHERE level = '市局' ORDER BY sort_order, id LIMIT 1").fetchone()
    return str(row[0]) if row else DEFAULT_ISSUER
