"""Dates as bureau spreadsheets write them, and the calendar arithmetic the rules use."""

from __future__ import annotations

import datetime as dt
import re

_SEPARATED = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


class DateError(ValueError):
    pass


def parse_date(raw: object) -> dt.date | None:
    """Excel dates, 2021-06-06, 2021/6/6, 2021.6.6, 2021年6月6日, 20210606; None for empty.

    Raises DateError with a Chinese message when the text cannot be a date.
    """
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, float) and raw != raw:  # NaN
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw == int(raw) and 19000101 <= raw <= 29991231:
            raw = str(int(raw))
        elif 1 <= raw < 2958466:  # an Excel serial day number that lost its date format
            return _EXCEL_EPOCH + dt.timedelta(days=int(raw))
        else:
            raise DateError(f"无法识别的日期“{raw}”")
    text = str(raw).strip()
    if not text:
        return None
    if " " in text and ":" in text:  # "2021-06-06 00:00:00" as pandas writes datetimes
        text = text.split(" ", 1)[0]
    m = _SEPARATED.match(text) or _COMPACT.match(text)
    if not m:
        raise DateError(f"无法识别的日期“{text}”")
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise DateError(f"日期“{text}”不存在") from None


def default_as_of(year: int, today: dt.date) -> dt.date:
    """The as-of date a year's figures default to: today within the current year; the last day of a past year;
    the first day of a future one."""
    return min(max(today, dt.date(year, 1, 1)), dt.date(year, 12, 31))


def iso(d: dt.date | None) -> str:
    return d.isoformat() if d else ""


def from_iso(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def one_year_after(d: dt.date) -> dt.date:
    """Same month and day a year later; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year + 1)
    except ValueError:
        return d.replace(year=d.year + 1, day=28)


_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")


def chinese_date(d: dt.date) -> str:
    """二〇二一年六月六日, as printed on certificates."""
    year = "".join(_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_cn_number(d.month)}月{_cn_number(d.day)}日"


def chinese_month_day(d: dt.date) -> str:
    """三月四日: the end of a date range whose year was already said."""
    return f"{_cn_number(d.month)}月{_cn_number(d.day)}日"


def one_year_before(d: dt.date) -> dt.date:
    """Same month and day a year earlier; 29 February becomes 28 February."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)
