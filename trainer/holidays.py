"""China's public holidays (法定节假日) and the Saturdays and Sundays worked in their place (调休上班), so a period of
working days (the 公示期 of a contest's award notice) skips the holidays and counts the 调休 weekend days.

    cal = holidays.calendar()                    # data/holidays_cn.csv, read once
    cal.is_working_day(dt.date(2026, 10, 8))     # False: 国庆节
    cal.is_working_day(dt.date(2026, 10, 10))    # True: a Saturday worked in lieu
    cal.missing_years(start, end)                # [2027]: years the file has no notice for (see below)
    cal.is_working_day(dt.date(2027, 10, 1))     # False: 国庆节 falls on 1–3 October every year

The dates come from the State Council's yearly notices (国务院办公厅关于20XX年部分节假日安排的通知), one block of
rows per notice in data/holidays_cn.csv: `date,kind,holiday,notice_year`, kind 放假 (every day of the holiday
period, its weekend days included) or 上班 (a Saturday or Sunday worked). Lines starting with # are comments; the
`# version:` line names the file's version. A new year's notice is added as rows, no new release needed.

A year with no notice in the file counts Monday to Friday except the holidays whose dates are fixed by
《全国年节及纪念日放假办法》 every year (fixed_holidays: 元旦 1 January, 劳动节 1 May (and 2 May from 2025), 国庆节
1–3 October); the lunar festivals (春节, 清明节, 端午节, 中秋节) and the 调休 days need that year's notice, and
callers say so (missing_years, FALLBACK_TEXT).
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from trainer.resources import data_file

FILE_NAME = "holidays_cn.csv"
OFF, WORKED = "放假", "上班"


def notice_title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


# What the fallback for a year without its notice does and does not know, for a printed note.
FALLBACK_TEXT = ("只扣除了周六、周日和每年日期固定的法定节假日（元旦、劳动节、国庆节），未扣除春节、清明节、端午节、"
                 "中秋节，也未计调休上班日")


def fixed_holidays(year: int) -> frozenset[dt.date]:
    """The public holidays on the same dates every year (《全国年节及纪念日放假办法》): 元旦 1 January, 劳动节 1 May
    (1–2 May from 2025, after the 2024 revision; 1–3 May before 2008), 国庆节 1–3 October."""
    may = 3 if year < 2008 else 2 if year >= 2025 else 1
    return frozenset({dt.date(year, 1, 1), *(dt.date(year, 5, d) for d in range(1, may + 1)),
                      *(dt.date(year, 10, d) for d in (1, 2, 3))})


class HolidayFileError(ValueError):
    """The holiday file cannot be used as it is; the message is for the user."""


@dataclass(frozen=True)
class Calendar:
    off: frozenset[dt.date]       # public holidays (法定节假日 and the days joined to them)
    worked: frozenset[dt.date]    # Saturdays and Sundays worked in lieu (调休上班)
    years: frozenset[int]         # the years whose notice the file holds
    version: str = ""

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.worked:
            return True
        if day in self.off or (not self.covers(day.year) and day in fixed_holidays(day.year)):
            return False
        return day.weekday() < 5

    def covers(self, year: int) -> bool:
        return year in self.years

    def missing_years(self, start: dt.date, end: dt.date) -> list[int]:
        """Years from start to end whose notice the file does not hold (there only weekends and the fixed-date
        holidays are skipped)."""
        return [y for y in range(start.year, end.year + 1) if not self.covers(y)]

    @property
    def years_text(self) -> str:
        """'2021年至2026年' (or the years one by one when some are missing between)."""
        if not self.years:
            return "无"
        first, last = min(self.years), max(self.years)
        if len(self.years) == last - first + 1:
            return f"{first}年至{last}年" if first != last else f"{first}年"
        return "、".join(str(y) for y in sorted(self.years)) + "年"


NO_NOTICES = Calendar(frozenset(), frozenset(), frozenset())  # weekends and the fixed-date holidays only


def load(path: Path) -> Calendar:
    """Read and check a holiday file: every row a real date, 放假 or 上班, a 上班 day on a weekend, no date twice."""
    off: set[dt.date] = set()
    worked: set[dt.date] = set()
    years: set[int] = set()
    version = ""
    seen: dict[dt.date, int] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        lines = list(enumerate(fh, start=1))
    for _n, line in lines:
        if line.startswith("# version:"):
            version = line.removeprefix("# version:").strip()
    data = [(n, line) for n, line in lines if line.strip() and not line.startswith("#")]
    for (n, _line), row in zip(data[1:], csv.DictReader(line for _n, line in data), strict=True):
        where = f"{path.name} 第{n}行"
        try:
            day = dt.date.fromisoformat((row.get("date") or "").strip())
            year = int((row.get("notice_year") or "").strip())
        except ValueError as exc:
            raise HolidayFileError(f"{where}：日期或通知年份无效") from exc
        kind = (row.get("kind") or "").strip()
        if kind not in (OFF, WORKED):
            raise HolidayFileError(f"{where}：类别应为“{OFF}”或“{WORKED}”（“{kind}”）")
        if kind == WORKED and day.weekday() < 5:
            raise HolidayFileError(f"{where}：调休上班日{day.isoformat()}不是周六或周日")
        if day in seen:
            raise HolidayFileError(f"{where}：日期{day.isoformat()}与第{seen[day]}行重复")
        seen[day] = n
        (off if kind == OFF else worked).add(day)
        years.add(year)
    return Calendar(frozenset(off), frozenset(worked), frozenset(years), version)


@functools.cache
def calendar() -> Calendar:
    """The shipped holiday file (data/holidays_cn.csv), read once."""
    return load(data_file(FILE_NAME))
