"""The database's Ed25519 key pair that signs certificate QR payloads.

Created once, on first use, and kept in the settings table (`cert.signing_key`, the 32-byte private key in
base64), so the key travels with the bureau's database and its backups; whoever holds the file can sign,
as whoever holds it can already edit the register. The public key can be exported as PEM for anyone who
wants to check a certificate without the database (`public_key_file`: the PEM block after a note saying
which bytes are signed and how to verify them with OpenSSL).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlite_utils import Database

from trainer import settings

KEY_SETTING = "cert.signing_key"
SIGNATURE_CHARS = 86  # 64 bytes in unpadded base64url


def _private_key(db: Database) -> Ed25519PrivateKey:
    stored = settings.get(db, KEY_SETTING)
    if not stored:
        fresh = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
        stored = settings.put_once(db, KEY_SETTING, base64.b64encode(fresh).decode("ascii"))
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(stored))


def sign(db: Database, message: str) -> str:
    """The signature of the UTF-8 bytes of `message`, as unpadded base64url (86 characters)."""
    signature = _private_key(db).sign(message.encode("utf-8"))
    return base64.urlsafe_b64encode(signature).rstrip(b"=").decode("ascii")


def public_key(db: Database) -> Ed25519PublicKey:
    return _private_key(db).public_key()


def public_key_pem(db: Database) -> str:
    """The public key as a PEM block (SubjectPublicKeyInfo), to hand to whoever verifies offline."""
    return public_key(db).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


# Written above the PEM block in the exported file: PEM readers (OpenSSL, `cryptography`) skip text before
# "-----BEGIN", so the explanation cannot be separated from the key it explains.
_KEY_NOTE = """证书验签公钥（Ed25519）——{issuer}
导出日期：{day}

用途：核验本单位所发结业证书、获奖证书上的二维码，无需本软件和数据库。
二维码中的文字为：
  TRAINER-CERT|1|证书编号|姓名|身份证号（隐去中间8位）|内容|发证日期|签名
被签名的是：从第一个字符起，到最后一个“|”为止（含这个“|”）的全部文字，按 UTF-8 编码的字节。
签名写在最后一个“|”之后：64 字节的 Ed25519 签名，base64url 编码，不带“=”，共 86 个字符。
签名正确只说明文字未被改动、确为本单位签发；证书是否仍有效（未撤销、未补发），以本单位证书登记为准。

用 OpenSSL 3 核验（Linux、macOS，或 Windows 的 Git Bash；QR 为扫码得到的完整文字）：
  QR='TRAINER-CERT|1|…'
  printf '%s' "${{QR%|*}}|" > message.bin
  printf '%s==' "${{QR##*|}}" | tr '_-' '/+' | base64 -d > signature.bin
  openssl pkeyutl -verify -pubin -inkey "{file}" -rawin -in message.bin -sigfile signature.bin
显示 Signature Verified Successfully 即签名正确。

"""


def public_key_file(db: Database, file_name: str, issuer: str, day: dt.date | None = None) -> str:
    """The exported key file: what is signed and how to check it with OpenSSL, then the PEM block."""
    note = _KEY_NOTE.format(issuer=issuer, day=(day or dt.date.today()).isoformat(), file=file_name)
    return note + public_key_pem(db)


def load_public_key_pem(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode("utf-8"))  # the exported file has Chinese notes first
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("不是 Ed25519 公钥")
    return key


def decode_signature(text: str) -> bytes | None:
    """The 64 signature bytes, or None unless `text` is exactly their canonical base64url form.

    Decoders ignore the low bits of the last character, so two spellings give the same bytes; accepting
    only the canonical one makes a change to any character of the payload fail.
    """
    if len(text) != SIGNATURE_CHARS or not text.isascii():
        return None
    try:
        raw = base64.urlsafe_b64decode(text + "==")
    except (binascii.Error, ValueError):
        return None
    if len(raw) != 64 or base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != text:
        return None
    return raw


def verify(key: Ed25519PublicKey, message: str, signature: str) -> bool:
    raw = decode_signature(signature)
    if raw is None:
        return False
    try:
        key.verify(raw, message.encode("utf-8"))
    except InvalidSignature:
        return False
    return True
