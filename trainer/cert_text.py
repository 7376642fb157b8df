"""The wording printed on certificates, in the style of 机关 certificates:

    张三 同志于二〇二六年三月二日至三月四日参加2026年业务知识轮训第1期培训班，完成全部课程共24学时，
    考核合格，准予结业。
    特发此证。

The register freezes this text when the certificate is issued (so a reprint years later says the same);
the name is kept apart because the templates set it larger.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from trainer.amounts import fmt
from trainer.dates import chinese_date, chinese_month_day

COMPLETION_TITLE = "结业证书"
AWARD_TITLE = "荣誉证书"
COMPLETION_CLOSING = "特发此证。"
AWARD_CLOSING = "特发此证，以资鼓励。"


def chinese_date_range(start: dt.date, end: dt.date) -> str:
    """二〇二六年三月二日至三月四日; the year is said once when both ends share it, and one day is one date."""
    if start == end:
        return chinese_date(start)
    if start.year == end.year:
        return f"{chinese_date(start)}至{chinese_month_day(end)}"
    return f"{chinese_date(start)}至{chinese_date(end)}"


def class_phrase(title: str) -> str:
    """A class title as said after 参加: "…第1期" becomes "…第1期培训班"; a title naming its 班 stays."""
    return title if "班" in title else f"{title}培训班"


def completion_body(start: dt.date, end: dt.date, title: str, hours: Decimal, assessed: bool) -> str:
    """The sentence after the holder's name on a completion certificate."""
    passed = "考核合格，" if assessed else ""
    return (f"同志于{chinese_date_range(start, end)}参加{class_phrase(title)}，"
            f"完成全部课程共{fmt(hours)}学时，{passed}准予结业。")


def award_text(event: str, prize: str) -> str:
    """What an award certificate is for, as the register lists it: "首届执法技能比武 个人全能一等奖"."""
    return f"{event.strip()} {prize.strip()}"


def award_body(event: str, prize: str) -> str:
    """The sentence after the holder's name on an award certificate."""
    return f"同志在{event.strip()}中荣获{prize.strip()}。"
