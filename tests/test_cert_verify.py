"""As anyone handed a certificate I scan its QR code (or type its serial) and see at a glance whether it
is valid, revoked, unknown or tampered with; changing any character of the scanned text must fail."""

from __future__ import annotations

import base64
import datetime as dt
import string
import subprocess
from pathlib import Path

import pytest
from cert_support import ISSUED, finished_class
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlite_utils import Database

from trainer import cert_issue, cert_payload, cert_register, cert_serials, cert_signing
from trainer.db import open_db

REPLACEMENTS = string.ascii_letters + string.digits + "-_|*：结张" + "\u3000"


@pytest.fixture
def issued(db: Database) -> list[cert_register.Certificate]:
    c, _ = finished_class(db, ["张三", "李四"], title="2026年业务知识轮训第1期")
    return cert_issue.issue_for_class(db, int(c.id or 0), issue_date=ISSUED)


def test_the_payload_says_who_what_and_when_and_is_signed(db: Database, issued: list[cert_register.Certificate]
                                                          ) -> None:
    cert = issued[0]
    text = cert_payload.payload(db, cert.serial)
    fields = text.split("|")
    assert fields[:7] == ["TRAINER-CERT", "1", cert.serial, "张三", cert.id_number[:6] + "********" +
                          cert.id_number[-4:], "结业：2026年业务知识轮训第1期", "2026-03-06"]
    assert len(fields[7]) == 86 and set(fields[7]) <= set(string.ascii_letters + string.digits + "-_")
    assert len(text.encode("utf-8")) < 260  # a QR of version 12 or less: easy to scan at 26 mm
    assert cert_payload.payload(db, cert.serial) == text  # Ed25519 is deterministic: reprints are identical


def test_a_valid_certificate_verifies_by_payload_and_by_serial(db: Database, issued: list[cert_register.Certificate]
                                                               ) -> None:
    cert = issued[0]
    for text in (cert_payload.payload(db, cert.serial), cert.serial, f" {cert.serial.lower()}\n",
                 cert_payload.payload(db, cert.serial) + "\r\n"):
        result = cert_payload.verify(db, text)
        assert (result.verdict, result.ok) == ("有效", True), text
        assert result.certificate is not None and result.certificate.serial == cert.serial
        assert result.holder == f"张三（{cert.id_masked}）"


def test_a_revoked_or_superseded_certificate_says_so(db: Database, issued: list[cert_register.Certificate]) -> None:
    a, b = issued
    payload_a = cert_payload.payload(db, a.serial)
    cert_register.revoke(db, a.serial, "培训记录有误", now=dt.datetime(2026, 4, 1, 10, 0))
    result = cert_payload.verify(db, payload_a)
    assert result.verdict == "已撤销" and not result.ok
    assert "2026-04-01" in result.message and "培训记录有误" in result.message
    assert cert_payload.verify(db, a.serial).verdict == "已撤销"
    payload_b = cert_payload.payload(db, b.serial)
    new = cert_register.reissue(db, b.serial, "原证遗失")
    old_result = cert_payload.verify(db, payload_b)
    assert old_result.verdict == "已撤销" and new.serial in old_result.message
    assert cert_payload.verify(db, cert_payload.payload(db, new.serial)).verdict == "有效"


def test_unknown_serials_and_stray_text_are_unknown(db: Database, issued: list[cert_register.Certificate]) -> None:
    never = cert_serials.format_serial("PDS", 2026, "JY", 777)
    assert cert_payload.verify(db, never).verdict == "未知"
    assert cert_payload.verify(db, "PDS2026JY000779").verdict in ("未知",)  # wrong check character
    assert cert_payload.verify(db, "https://example.com/cert").verdict == "未知"
    assert cert_payload.verify(db, "").verdict == "未知"


def _flips(text: str) -> list[str]:
    """`text` with each position replaced, one at a time, by several other characters."""
    out = []
    for i, ch in enumerate(text):
        others = [r for r in REPLACEMENTS if r != ch]
        # a neighbour code point (the subtlest change) and a spread of others, so every position gets 4
        picks = {chr(ord(ch) + 1), chr(ord(ch) - 1) if ord(ch) > 32 else "!", others[i % len(others)],
                 others[(i * 7 + 3) % len(others)]}
        out += [text[:i] + r + text[i + 1:] for r in picks if r != ch]
    return out


def test_changing_any_character_of_a_payload_never_verifies(db: Database, issued: list[cert_register.Certificate]
                                                            ) -> None:
    text = cert_payload.payload(db, issued[0].serial)
    seen: dict[str, int] = {}
    for changed in _flips(text):
        verdict = cert_payload.verify(db, changed).verdict
        assert verdict != "有效", changed
        seen[verdict] = seen.get(verdict, 0) + 1
    assert seen.get("被篡改", 0) > 0.9 * sum(seen.values())
    for n in range(len(text)):  # every truncation
        assert cert_payload.verify(db, text[:n]).verdict != "有效", n
    for extra in ("x", "|x", "=", "=="):  # and trailing junk
        assert cert_payload.verify(db, text + extra).verdict != "有效", extra


def test_the_last_signature_character_has_no_spare_spellings(db: Database, issued: list[cert_register.Certificate]
                                                             ) -> None:
    """86 base64 characters carry 516 bits for 512: a lenient decoder reads several last characters as the
    same signature, so the text could change while the signature still checked."""
    text = cert_payload.payload(db, issued[0].serial)
    for ch in string.ascii_letters + string.digits + "-_":
        if ch != text[-1]:
            assert cert_payload.verify(db, text[:-1] + ch).verdict == "被篡改"


def test_a_payload_that_disagrees_with_the_register_is_tampered(db: Database,
                                                                issued: list[cert_register.Certificate]) -> None:
    cert = issued[0]
    text = cert_payload.payload(db, cert.serial)
    db.execute("UPDATE certificates SET holder_name = '张叁' WHERE serial = ?", [cert.serial])
    result = cert_payload.verify(db, text)
    assert result.verdict == "被篡改" and "姓名" in result.message


def test_another_bureaus_payload_does_not_verify_here(db: Database, issued: list[cert_register.Certificate],
                                                      tmp_path: Path) -> None:
    other = open_db(tmp_path / "other.db")
    try:
        c, _ = finished_class(other, ["张三", "李四"], title="2026年业务知识轮训第1期")
        foreign = cert_issue.issue_for_class(other, int(c.id or 0), issue_date=ISSUED)[0]
        text = cert_payload.payload(other, foreign.serial)
    finally:
        other.close()
    assert cert_payload.verify(db, text).verdict == "被篡改"


def test_the_public_key_verifies_a_payload_offline(db: Database, issued: list[cert_register.Certificate],
                                                   tmp_path: Path) -> None:
    text = cert_payload.payload(db, issued[0].serial)
    pem = cert_signing.public_key_pem(db)
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    key = cert_signing.load_public_key_pem(pem)
    assert isinstance(key, Ed25519PublicKey)
    message, signature = text[: text.rindex("|") + 1], text.rsplit("|", 1)[1]
    key.verify(base64.urlsafe_b64decode(signature + "=="), message.encode("utf-8"))  # raises if wrong
    assert cert_signing.verify(key, message, signature)
    assert not cert_signing.verify(key, message.replace("张三", "张四"), signature)


def test_the_key_is_made_once_and_kept_with_the_database(db_path: Path) -> None:
    first = open_db(db_path)
    try:
        c, _ = finished_class(first, ["张三"])
        serial = cert_issue.issue_for_class(first, int(c.id or 0), issue_date=ISSUED)[0].serial
        text = cert_payload.payload(first, serial)
        pem = cert_signing.public_key_pem(first)
    finally:
        first.close()
    again = open_db(db_path)
    try:
        assert cert_signing.public_key_pem(again) == pem
        assert cert_payload.payload(again, serial) == text
        assert cert_payload.verify(again, text).ok
    finally:
        again.close()


def test_a_tampered_payload_still_names_the_record_of_the_serial_it_claims(db: Database,
                                                                           issued: list[cert_register.Certificate]
                                                                           ) -> None:
    text = cert_payload.payload(db, issued[0].serial)
    result = cert_payload.verify(db, text.replace("|张三|", "|张四|"))
    assert result.verdict == "被篡改" and result.certificate is None  # a forgery has no holder
    assert result.claimed is not None and result.claimed.serial == issued[0].serial
    assert result.record == result.claimed and result.holder == ""
    pointed = cert_payload.verify(db, text.replace(issued[0].serial, issued[1].serial))  # another real serial
    assert pointed.verdict == "被篡改" and pointed.claimed is not None and pointed.claimed.holder_name == "李四"
    assert cert_payload.verify(db, text[:60]).claimed is not None  # cut short, the serial still readable
    valid = cert_payload.verify(db, text)
    assert valid.claimed is None and valid.record == valid.certificate
    assert valid.message == "结业证书（2026年业务知识轮训第1期）"


def test_the_exported_key_file_says_what_is_signed_and_openssl_checks_a_payload_with_it(
        db: Database, issued: list[cert_register.Certificate], tmp_path: Path) -> None:
    """The .pem came without a word on what is signed; now its note's own commands verify a real payload."""
    name = "证书验签公钥.pem"
    content = cert_signing.public_key_file(db, name, "平顶山市城市管理局", dt.date(2026, 11, 25))
    (tmp_path / name).write_text(content, encoding="utf-8")
    assert "到最后一个“|”为止（含这个“|”）" in content and "UTF-8" in content and "base64url" in content
    assert cert_signing.load_public_key_pem(content).public_bytes_raw() == \
        cert_signing.public_key(db).public_bytes_raw()  # the note does not disturb PEM readers
    commands = [line.strip() for line in content.split("用 OpenSSL")[1].splitlines() if line.startswith("  ")]
    assert commands[0].startswith("QR=") and commands[-1].startswith("openssl pkeyutl -verify")

    def openssl_says(payload: str) -> subprocess.CompletedProcess[str]:
        script = "\n".join([f"QR='{payload}'", *commands[1:]])
        return subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True)

    good = openssl_says(cert_payload.payload(db, issued[0].serial))
    assert good.returncode == 0 and "Signature Verified Successfully" in good.stdout, good.stderr
    forged = openssl_says(cert_payload.payload(db, issued[0].serial).replace("|张三|", "|张四|"))
    assert forged.returncode != 0
