"""Certificate serial numbers: `{prefix}{year}{type}{sequence}{check}`, e.g. PDS2021JY000122.

    prefix    letters, configurable (default PDS, setting `cert.prefix`)
    year      the issue year, 4 digits
    type      JY 结业 (completion) or HJ 获奖 (award)
    sequence  5 digits, per year and type, never given twice (revoked and superseded numbers stay taken)
    check     ISO 7064 MOD 11-2 over the nine digits of year and sequence, as in the ID number (0-9 or X)

The check character catches a mistyped serial before the register is searched; the number itself is
allocated from `certificate_counters` inside the caller's transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlite_utils import Database

from trainer.idnumber import mod11_2

KINDS = {"JY": "结业证书", "HJ": "获奖证书"}
DEFAULT_PREFIX = "PDS"
MAX_SEQUENCE = 99_999
PREFIX_RE = re.compile(r"^[A-Z]{1,8}$")
_SERIAL_RE = re.compile(r"^([A-Z]{1,8})(\d{4})(JY|HJ)(\d{5})([0-9X])$")


class SerialError(ValueError):
    """The message is for the user."""


@dataclass(frozen=True)
class Serial:
    prefix: str
    year: int
    kind: str
    sequence: int

    @property
    def check(self) -> str:
        return check_char(self.year, self.sequence)

    def __str__(self) -> str:
        return f"{self.prefix}{self.year:04d}{self.kind}{self.sequence:05d}{self.check}"


def check_char(year: int, sequence: int) -> str:
    return mod11_2(f"{year:04d}{sequence:05d}")


def format_serial(prefix: str, year: int, kind: str, sequence: int) -> str:
    check_prefix(prefix)
    if kind not in KINDS:
        raise SerialError(f"未知的证书类型“{kind}”（应为 JY 或 HJ）")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise SerialError(f"{year}年{KINDS[kind]}编号已用完（最多{MAX_SEQUENCE}个）")
    if not 1000 <= year <= 9999:
        raise SerialError(f"年份{year}不是四位数")
    return str(Serial(prefix, year, kind, sequence))


def check_prefix(prefix: str) -> str:
    if not PREFIX_RE.match(prefix):
        raise SerialError(f"证书编号前缀“{prefix}”应为1到8个大写英文字母")
    return prefix


def parse(text: str) -> Serial:
    """A typed or scanned serial (spaces and case forgiven); raises SerialError saying what is wrong."""
    s = "".join(text.split()).upper()
    m = _SERIAL_RE.match(s)
    if not m:
        raise SerialError(f"“{text.strip()}”不是证书编号（格式如 PDS2021JY000122）")
    serial = Serial(m.group(1), int(m.group(2)), m.group(3), int(m.group(4)))
    if serial.check != m.group(5):
        raise SerialError(f"证书编号“{s}”校验位不符，可能有输错的字符")
    return serial


def looks_like_serial(text: str) -> bool:
    return bool(_SERIAL_RE.match("".join(text.split()).upper()))


def peek(db: Database, year: int, kind: str) -> int:
    """The sequence `allocate` would hand out next, without taking it (settings show the next serial)."""
    row = db.execute("SELECT last FROM certificate_counters WHERE year = ? AND kind = ?", [year, kind]).fetchone()
    used = db.execute("SELECT COALESCE(MAX(sequence), 0) FROM certificates WHERE year = ? AND kind = ?",
                      [year, kind]).fetchone()[0]
    return max(int(row[0]) if row else 0, int(used)) + 1


def allocate(db: Database, year: int, kind: str) -> int:
    """The next free sequence for (year, kind); call inside the transaction that inserts the certificate.

    The counter is the authority; MAX over the register is a second guard should the counter ever be lost
    (e.g. rows copied in from another file), so a number in use is never handed out again.
    """
    with db.atomic():
        nxt = peek(db, year, kind)
        if nxt > MAX_SEQUENCE:
            raise SerialError(f"{year}年{KINDS[kind]}编号已用完（最多{MAX_SEQUENCE}个）")
        db.execute("INSERT INTO certificate_counters (year, kind, last) VALUES (?, ?, ?)"
                   " ON CONFLICT(year, kind) DO UPDATE SET last = excluded.last", [year, kind, nxt])
    return nxt
