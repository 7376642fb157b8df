"""China's public holidays (法定节假日) and the Saturdays and Sundays worked in their place (调休上班), so a period of
working days (the 公示期 of a contest's award notice) skips the holidays and counts the 调休 weekend days.

    cal = holidays.calendar()                    # data/holidays_cn.csv, read once
    cal.is_working_day(dt.date(2026, 10, 8))     # False: 国庆节
    cal.is_working_day(dt.date(2026, 10, 10))    # True: a Saturday worked in lieu
    cal.missing_years(start, end)                # [2027]: years the file has no notice for (weekends only)

The dates come from the State Council's yearly notices (国务院办公厅关于20XX年部分节假日安排的通知), one block of
rows per notice in data/holidays_cn.csv: `date,kind,holiday,notice_year`, kind 放假 (every day of the holiday
period, its weekend days included) or 上班 (a Saturday or Sunday worked). Lines starting with # are comments; the
`# version:` line names the file's version. A year with no notice in the file counts Monday to Friday only, and
callers say so (missing_years). A new year's notice is added as rows, no new release needed.
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
        return day not in self.off and day.weekday() < 5

    def covers(self, year: int) -> bool:
        return year in self.years

    def missing_years(self, start: dt.date, end: dt.date) -> list[int]:
        """Years from start to end whose holidays the file does not know (there only weekends are skipped)."""
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


WEEKENDS_ONLY = Calendar(frozenset(), frozenset(), frozenset())


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
