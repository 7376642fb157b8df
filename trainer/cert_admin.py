"""The certificate administrator's PIN (证书管理口令): once set, it guards what decides how a certificate is
signed and whether it stays valid — saving the certificate settings (serial prefix, issuing unit, seal,
layout, font), revoking and reissuing. Kept as an scrypt hash in the settings row `cert.admin_pin`; five
wrong PINs lock these actions for five minutes (trainer.pins), counted in `pin.attempts.cert`.

    cert_admin.set_pin(db, "8642", "人事科")                    # first time; later old_pin= too
    cert_admin.require(db, pin)                                 # before a guarded change; no-op while unset

Without a PIN (a fresh install, the demo) nothing is asked: a bureau turns the guard on when HR wants it.
Setting or changing the PIN is written to the audit log.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from trainer import audit, pins, settings

PIN_KEY = "cert.admin_pin"
ATTEMPTS_KEY = "pin.attempts.cert"


class CertPinError(ValueError):
    """A wrong, missing or too short PIN; the message is for the user."""


class CertPinLockedOut(CertPinError):
    """Five wrong PINs: refused until the lock-out ends."""


def pin_is_set(db: Database) -> bool:
    return bool(settings.get(db, PIN_KEY))


def set_pin(db: Database, pin: str, actor: str, *, old_pin: str | None = None) -> None:
    """Set the PIN; changing it needs the old one (a wrong old PIN counts toward the lock-out)."""
    if len(pin) < pins.MIN_PIN:
        raise CertPinError(f"证书管理口令至少{pins.MIN_PIN}位")
    stored = settings.get(db, PIN_KEY)
    if stored:
        require(db, old_pin or "")
    with db.atomic():
        settings.put(db, PIN_KEY, pins.hash_pin(pin))
        audit.append(db, audit.Entry(audit.CERT_PIN_SET, actor, detail="修改" if stored else "设置"))


def require(db: Database, pin: str | None, *, now: dt.datetime | None = None) -> None:
    """CertPinError unless no PIN is set or `pin` is right; call before, not inside, the guarded change."""
    stored = settings.get(db, PIN_KEY)
    if not stored:
        return
    if not pin:
        raise CertPinError("已设置证书管理口令：请输入口令")
    pins.check(db, stored, ATTEMPTS_KEY, pin, now=now, wrong=CertPinError, locked_out=CertPinLockedOut)
