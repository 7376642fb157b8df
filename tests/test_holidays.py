"""As the chief judge I post the award notice for 5 working days: the days off the State Council announces each
year (法定节假日) do not count, the Saturdays and Sundays worked in their place (调休上班) do, and a year the shipped
file does not know yet still skips the holidays whose dates never change (元旦, 劳动节, 国庆节) besides weekends."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from trainer import holidays
from trainer.holidays import HolidayFileError

D = dt.date


def test_the_shipped_file_holds_every_notice_from_2021_to_2026() -> None:
    cal = holidays.calendar()
    assert sorted(cal.years) == [2021, 2022, 2023, 2024, 2025, 2026] and cal.years_text == "2021年至2026年"
    assert cal.version == "2026.1"
    assert holidays.notice_title(2026) == "国务院办公厅关于2026年部分节假日安排的通知"
    # the days off each notice announces (“共N天”), weekends within the periods included
    off = Counter(d.year for d in cal.off)
    assert off[2021] == 3 + 7 + 3 + 5 + 3 + 3 + 7
    assert off[2025] == 1 + 8 + 3 + 5 + 3 + 8
    assert off[2026] == 3 + 9 + 3 + 5 + 3 + 3 + 7
    assert all(d.weekday() >= 5 for d in cal.worked)


@pytest.mark.parametrize(("day", "working"), [
    (D(2026, 1, 1), False), (D(2026, 1, 4), True),        # 元旦; 1月4日（周日）上班
    (D(2026, 2, 14), True), (D(2026, 2, 23), False), (D(2026, 2, 28), True),   # 春节
    (D(2026, 5, 5), False), (D(2026, 5, 9), True),        # 劳动节
    (D(2026, 6, 19), False), (D(2026, 9, 25), False),     # 端午节, 中秋节
    (D(2026, 9, 20), True), (D(2026, 10, 7), False), (D(2026, 10, 10), True),  # 国庆节
    (D(2025, 1, 26), True), (D(2025, 10, 8), False), (D(2025, 10, 11), True),
    (D(2024, 2, 9), True),                                # 除夕 2024 is not a public holiday
    (D(2024, 2, 18), True), (D(2024, 6, 10), False),
    (D(2023, 1, 2), False), (D(2023, 6, 25), True), (D(2023, 9, 29), False),
    (D(2022, 1, 29), True), (D(2022, 4, 2), True), (D(2022, 10, 8), True),
    (D(2021, 2, 7), True), (D(2021, 9, 18), True), (D(2021, 10, 9), True),
    (D(2026, 11, 27), True), (D(2026, 11, 28), False),    # an ordinary Friday and Saturday
])
def test_a_day_is_a_working_day_as_the_notices_say(day: dt.date, working: bool) -> None:
    assert holidays.calendar().is_working_day(day) is working


def test_a_year_the_file_does_not_know_skips_weekends_and_the_fixed_date_holidays() -> None:
    cal = holidays.calendar()
    # 2027: no notice in the file yet, but 元旦, 劳动节 (two days since 2025) and 国庆节 are on fixed dates every year
    assert [d.isoformat() for d in sorted(holidays.fixed_holidays(2027))] == [
        "2027-01-01", "2027-05-01", "2027-05-02", "2027-10-01", "2027-10-02", "2027-10-03"]
    assert not cal.is_working_day(D(2027, 1, 1)) and not cal.is_working_day(D(2027, 10, 1))   # a Friday each
    assert cal.is_working_day(D(2027, 10, 4)) and cal.is_working_day(D(2027, 5, 3))   # the rest needs the notice
    assert cal.is_working_day(D(2027, 2, 8))      # 春节 (lunar) is unknown without the notice
    assert not cal.is_working_day(D(2027, 10, 9))  # a Saturday: no 调休 known either
    assert cal.missing_years(D(2026, 12, 28), D(2027, 1, 5)) == [2027]
    assert cal.missing_years(D(2021, 1, 1), D(2026, 12, 31)) == []
    assert cal.missing_years(D(2020, 12, 30), D(2021, 1, 4)) == [2020]


def test_labour_day_follows_the_rules_of_its_year() -> None:
    # 《全国年节及纪念日放假办法》: 5月1日至3日 until 2007, 5月1日 from 2008, 5月1日、2日 from 2025
    may = {y: sorted(d.day for d in holidays.fixed_holidays(y) if d.month == 5) for y in (2007, 2008, 2024, 2025)}
    assert may == {2007: [1, 2, 3], 2008: [1], 2024: [1], 2025: [1, 2]}
    cal = holidays.calendar()
    assert not cal.is_working_day(D(2020, 5, 1)) and cal.is_working_day(D(2020, 10, 9))   # 2020: not in the file


def test_a_year_in_the_file_follows_its_notice_not_the_fixed_dates() -> None:
    # the notice is the authority where the file has it: 2026-01-04 (a Sunday after 元旦) was worked
    cal = holidays.calendar()
    assert cal.is_working_day(D(2026, 1, 4)) and not cal.is_working_day(D(2026, 1, 2))
    none = holidays.NO_NOTICES   # with no notice at all the fixed dates are still skipped
    assert not none.is_working_day(D(2026, 10, 2)) and none.is_working_day(D(2026, 10, 8))


def write(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "holidays.csv"
    path.write_text("# version: 测试\ndate,kind,holiday,notice_year\n" + "".join(r + "\n" for r in rows),
                    encoding="utf-8")
    return path


def test_a_new_years_notice_is_a_few_rows_in_the_file(tmp_path: Path) -> None:
    cal = holidays.load(write(tmp_path, "2027-10-01,放假,国庆节,2027", "2027-10-09,上班,国庆节,2027"))
    assert (cal.version, sorted(cal.years), cal.years_text) == ("测试", [2027], "2027年")
    assert not cal.is_working_day(D(2027, 10, 1)) and cal.is_working_day(D(2027, 10, 9))
    assert cal.is_working_day(D(2027, 10, 8)) and not cal.is_working_day(D(2027, 10, 10))


@pytest.mark.parametrize(("row", "message"), [
    ("2027-13-01,放假,国庆节,2027", "第3行：日期或通知年份无效"),
    ("2027-10-01,休息,国庆节,2027", "第3行：类别应为“放假”或“上班”（“休息”）"),
    ("2027-10-08,上班,国庆节,2027", "第3行：调休上班日2027-10-08不是周六或周日"),
    ("2027-10-01,放假,国庆节,", "第3行：日期或通知年份无效"),
])
def test_a_damaged_holiday_file_is_refused_with_the_line(tmp_path: Path, row: str, message: str) -> None:
    with pytest.raises(HolidayFileError, match=message):
        holidays.load(write(tmp_path, row))


def test_a_date_twice_is_refused(tmp_path: Path) -> None:
    with pytest.raises(HolidayFileError, match="第4行：日期2027-10-01与第3行重复"):
        holidays.load(write(tmp_path, "2027-10-01,放假,国庆节,2027", "2027-10-01,放假,国庆节,2027"))
