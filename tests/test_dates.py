"""As a training officer I want every date my colleagues type in Excel read correctly, and certificates
to carry the date in Chinese numerals."""

from __future__ import annotations

import datetime as dt

import pytest

from trainer.dates import DateError, chinese_date, from_iso, iso, one_year_after, parse_date

JUNE_6 = dt.date(2021, 6, 6)


@pytest.mark.parametrize("raw", [
    dt.date(2021, 6, 6),
    dt.datetime(2021, 6, 6, 0, 0),
    dt.datetime(2021, 6, 6, 17, 45, 12),
    "2021-06-06",
    "2021-6-6",
    "2021/6/6",
    "2021/06/06",
    "2021.6.6",
    "2021.06.06",
    "2021年6月6日",
    "2021年06月06日",
    "2021 年 6 月 6 日",
    "20210606",
    20210606,
    20210606.0,
    "2021-06-06 00:00:00",  # a datetime as pandas writes it
    "2021/6/6 0:00",  # a datetime as Excel saves it in a CSV
    " 2021-06-06 ",
    44353,  # Excel's serial day number for 2021-06-06, when the cell lost its date format
    44353.0,
    44353.75,  # serial with a time of day
])
def test_every_accepted_format_reads_as_the_same_day(raw: object) -> None:
    assert parse_date(raw) == JUNE_6


@pytest.mark.parametrize("raw", [None, "", "   ", float("nan")])
def test_empty_cells_are_no_date(raw: object) -> None:
    assert parse_date(raw) is None


@pytest.mark.parametrize("raw", [
    "去年", "6/6/2021", "2021-06", "21-6-6", "2021-06-06T08:00", "明天", "2021606", True, -5,
])
def test_text_that_is_not_a_date_is_refused(raw: object) -> None:
    with pytest.raises(DateError, match="无法识别的日期"):
        parse_date(raw)


@pytest.mark.parametrize("raw", ["2021-02-29", "2021/2/30", "2021年13月1日", "20210631", "2021.4.31", 20210230])
def test_a_day_that_does_not_exist_is_refused(raw: object) -> None:
    with pytest.raises(DateError, match="不存在"):
        parse_date(raw)


def test_date_error_is_a_value_error_with_a_chinese_message() -> None:
    with pytest.raises(ValueError) as exc:
        parse_date("2021-02-30")
    assert str(exc.value) == "日期“2021-02-30”不存在"


def test_one_year_after() -> None:
    assert one_year_after(JUNE_6) == dt.date(2022, 6, 6)
    assert one_year_after(dt.date(2020, 2, 29)) == dt.date(2021, 2, 28)
    assert one_year_after(dt.date(2023, 2, 28)) == dt.date(2024, 2, 28)
    assert one_year_after(dt.date(2021, 12, 31)) == dt.date(2022, 12, 31)


def test_iso_round_trip() -> None:
    assert iso(JUNE_6) == "2021-06-06"
    assert iso(None) == ""
    assert from_iso("2021-06-06") == JUNE_6
    assert from_iso("") is None
    assert from_iso(None) is None


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2021, 6, 6), "二〇二一年六月六日"),
    (dt.date(2021, 6, 10), "二〇二一年六月十日"),
    (dt.date(2021, 6, 11), "二〇二一年六月十一日"),
    (dt.date(2021, 6, 20), "二〇二一年六月二十日"),
    (dt.date(2021, 6, 25), "二〇二一年六月二十五日"),
    (dt.date(2021, 5, 31), "二〇二一年五月三十一日"),
    (dt.date(2021, 10, 1), "二〇二一年十月一日"),
    (dt.date(2021, 11, 30), "二〇二一年十一月三十日"),
    (dt.date(2021, 12, 31), "二〇二一年十二月三十一日"),
    (dt.date(2000, 1, 1), "二〇〇〇年一月一日"),
    (dt.date(2019, 1, 9), "二〇一九年一月九日"),
])
def test_chinese_date_as_printed_on_certificates(day: dt.date, text: str) -> None:
    assert chinese_date(day) == text
