"""Citizen ID numbers (GB 11643-1999): 18 characters, the last an ISO 7064 MOD 11-2 check."""

from __future__ import annotations

import datetime as dt
import operator
import re
import unicodedata
from dataclasses import dataclass

_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2
_CHECK = "10X98765432"
# "4.10402E+17": how Excel writes a number-formatted ID into a CSV file
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")
_LOST_DIGITS = "以数字形式保存，末位已丢失，请将该列设为文本后重新录入"
_WELL_FORMED = re.compile(r"^[0-9]{17}[0-9X]$")


def mod11_2(digits: str) -> str:
    """ISO 7064 MOD 11-2 check character for a string of digits (any length)."""
    n = len(digits)
    weights = _WEIGHTS if n == 17 else [pow(2, n - i, 11) for i in range(n)]  # ID numbers: precomputed
    total = sum(map(operator.mul, map(int, digits), weights))
    return _CHECK[total % 11]


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    gender: str  # 男 / 女
    area_code: str


class IdNumberError(ValueError):
    """The message is the Chinese reason shown to the user."""


def normalize(raw: object) -> str:
    """Cell value → 18-character text; accepts numbers (from Excel), a lower-case x and full-width
    characters as a Chinese input method types them (４１０４…Ｘ)."""
    if raw is None:
        return ""
    if isinstance(raw, float):
        if raw != raw:  # NaN: an empty cell
            return ""
        if raw.is_integer():
            raw = int(raw)
    text = str(raw)
    if text.isascii():  # the usual case; NFKC is only needed for full-width input
        return "".join(text.split()).upper()
    return "".join(unicodedata.normalize("NFKC", text).split()).upper()


def parse(raw: object, today: dt.date | None = None) -> IdInfo:
    number = normalize(raw)
    if (isinstance(raw, float) and raw >= 1e15) or _SCIENTIFIC.match(number):
        # Excel keeps only 15 significant digits: the last ones are already gone.
        raise IdNumberError(_LOST_DIGITS)
    if len(number) != 18:
        raise IdNumberError(f"应为18位，实际为{len(number)}位")
    if not _WELL_FORMED.match(number):  # ASCII only: str.isdigit() also takes ² and other digits
        raise IdNumberError("含有非法字符（前17位应为数字，末位为数字或X）")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(f"出生日期{number[6:14]}不存在") from None
    if birth.year < 1900 or birth > (today or dt.date.today()):
        raise IdNumberError(f"出生日期{number[6:14]}不合理")
    if mod11_2(number[:17]) != number[17]:
        raise IdNumberError("校验位错误")
    gender = "男" if int(number[16]) % 2 == 1 else "女"
    return IdInfo(number=number, birth_date=birth, gender=gender, area_code=number[:6])


def make(area_code: str, birth: dt.date, sequence: int, gender: str) -> str:
    """Build a valid number (demo data, tests). `sequence` 0-99, the gender digit is derived."""
    gender_digit = (sequence % 5) * 2 + (1 if gender == "男" else 0)
    body = f"{area_code}{birth:%Y%m%d}{sequence // 5 % 100:02d}{gender_digit}"
    return body + mod11_2(body)


def mask(number: str) -> str:
    """First 6 and last 4 shown, as on certificates."""
    return number[:6] + "*" * 8 + number[-4:] if len(number) == 18 else number
