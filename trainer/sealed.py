"""Sealed text files: the envelope of judge kits and score files, so that any changed, dropped or added byte
is caught before anything in the file is used.

    data = sealed.seal(KIT_MAGIC, body)                           # kit: content + its SHA-256
    data = sealed.seal(SCORE_MAGIC, body, key=secret)             # score file: + HMAC-SHA256 with the judge's key
    opened = sealed.unseal(data, SCORE_MAGIC, "评分文件", signed=True)   # SealError (Chinese) or Opened
    sealed.mac_ok(opened, secret)

A sealed file is UTF-8 text of exactly these lines, each ending in "\\n":

    TRAINER SCORE FILE 1                      the magic line: what the file is and its format version
    {"contest_uid":"…",…}                     the body: canonical JSON (sorted keys, no spaces, not ASCII-escaped)
    sha256 <64 lowercase hex>                 SHA-256 of the body line's bytes: the content hash
    hmac-sha256 <64 lowercase hex>            score files only: HMAC-SHA256 of the body line's bytes

Reading is strict: the file must be byte for byte what `seal` would write for the body it carries, so a file
changed anywhere (the magic, the JSON, a hash, a line end, a byte appended or cut off) is refused. The body
holds only strings, integers, booleans, null, lists and objects: scores travel as decimal strings.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any

_HEX64 = re.compile(r"[0-9a-f]{64}")
SHA_PREFIX, MAC_PREFIX = "sha256 ", "hmac-sha256 "


class SealError(ValueError):
    """A sealed file that cannot be trusted; the message is for the user."""


@dataclass(frozen=True)
class Opened:
    magic: str
    body: dict[str, Any]
    body_text: str
    sha256: str
    mac: str  # '' for an unsigned file


def canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(body_text: str) -> str:
    return hashlib.sha256(body_text.encode("utf-8")).hexdigest()


def mac_of(body_text: str, key: bytes) -> str:
    return hmac.new(key, body_text.encode("utf-8"), hashlib.sha256).hexdigest()


def seal(magic: str, body: dict[str, Any], key: bytes | None = None) -> bytes:
    text = canonical(body)
    lines = [magic, text, SHA_PREFIX + digest(text)]
    if key is not None:
        lines.append(MAC_PREFIX + mac_of(text, key))
    return ("\n".join(lines) + "\n").encode("utf-8")


def unseal(data: bytes, magic: str, what: str, *, signed: bool, others: dict[str, str] | None = None) -> Opened:
    """The verified content of a sealed file, or SealError saying why it is refused. `others` maps the magic
    lines of other sealed kinds to their names, for a clearer message when the wrong kind of file is given."""
    if not data:
        raise SealError(f"{what}是空文件")
    head = (magic + "\n").encode("utf-8")
    if not data.startswith(head):
        if head.startswith(data):
            raise SealError(f"{what}不完整（可能在拷贝时被截断）")
        for other, name in (others or {}).items():
            if data.startswith((other + "\n").encode("utf-8")):
                raise SealError(f"这是{name}，不是{what}")
        raise SealError(f"不是 Trainer {what}（文件开头不符，可能已损坏或被改动）")
    lines = data.count(b"\n")
    expected = 4 + int(signed)  # magic, body, sha[, mac], and '' after the last line end
    if lines < expected - 1:
        raise SealError(f"{what}不完整（可能在拷贝时被截断）或已被改动")
    if lines > expected - 1 or not data.endswith(b"\n"):
        raise SealError(f"{what}末尾有多余的内容（文件已被改动）")
    try:
        parts = data.decode("utf-8").split("\n")
    except UnicodeDecodeError:
        raise SealError(f"{what}已损坏或被改动（含无法识别的字节）") from None
    body_text, sha_line = parts[1], parts[2]
    if not sha_line.startswith(SHA_PREFIX) or not _HEX64.fullmatch(sha_line[len(SHA_PREFIX):]):
        raise SealError(f"{what}已损坏或被改动（内容校验码一行不完整）")
    sha = sha_line[len(SHA_PREFIX):]
    if not hmac.compare_digest(digest(body_text), sha):
        raise SealError(f"{what}的内容已被改动或损坏（内容校验码不符）")
    mac = ""
    if signed:
        mac_line = parts[3]
        if not mac_line.startswith(MAC_PREFIX) or not _HEX64.fullmatch(mac_line[len(MAC_PREFIX):]):
            raise SealError(f"{what}已损坏或被改动（签名一行不完整）")
        mac = mac_line[len(MAC_PREFIX):]
    try:
        body = json.loads(body_text)
    except ValueError:
        raise SealError(f"{what}的内容无法识别（已损坏）") from None
    if not isinstance(body, dict) or canonical(body) != body_text:
        raise SealError(f"{what}的内容格式不规范（已被改动）")
    return Opened(magic, body, body_text, sha, mac)


def mac_ok(opened: Opened, key: bytes) -> bool:
    return bool(opened.mac) and hmac.compare_digest(mac_of(opened.body_text, key), opened.mac)


def field(body: dict[str, Any], key: str, kind: type, what: str) -> Any:
    """body[key] of the given type, else SealError (a file made by another version, or tampered with)."""
    value = body.get(key)
    if kind is int and isinstance(value, bool):
        value = None
    if not isinstance(value, kind):
        raise SealError(f"{what}缺少或无法识别“{key}”（版本不符或已被改动）")
    return value
