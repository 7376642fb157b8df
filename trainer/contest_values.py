"""Contest numbers: scores, maxima and weights as exact integers (thousandths), read from cells and printed.

Scores are stored × 1000 (an item allows at most 3 decimals), weights and totals × 100. Rounding is half-up
(四舍五入) on integers; Python's round() is banker's rounding and is never used for scores.

    to_milli(Decimal("85.5")) == 85500
    places(85500, 2) == Decimal("85.50")
    round_div_half_up(256_000, 3 * 10) == 8533   # 85.333… in hundredths
    parse_number("85.55", decimals=2, maximum=Decimal(100))  → Decimal("85.55") or ValueProblem
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

MILLI = 1000


class ValueProblem(ValueError):
    """A cell or a typed value that cannot be a score; the message is the Chinese reason."""


def round_div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up (away from zero on .5) for a positive denominator."""
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


def to_milli(value: Decimal) -> int:
    """An exact Decimal with ≤ 3 decimals → thousandths; more decimals are a programming error."""
    scaled = value * MILLI
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} has more than 3 decimals")
    return int(scaled)


def places(milli: int, decimals: int) -> Decimal:
    """Thousandths → Decimal with exactly `decimals` places (the value must already be on that grid)."""
    return Decimal(milli).scaleb(-3).quantize(Decimal(1).scaleb(-decimals))


def show(milli: int | None, decimals: int) -> str:
    """Thousandths → text with exactly `decimals` places ('' for not scored); rounds half-up if finer."""
    if milli is None:
        return ""
    unit = 10 ** (3 - decimals)
    q = round_div_half_up(milli, unit)
    sign = "-" if q < 0 else ""
    q = abs(q)
    if decimals == 0:
        return f"{sign}{q}"
    return f"{sign}{q // 10 ** decimals}.{q % 10 ** decimals:0{decimals}d}"


def show_plain(milli: int) -> str:
    """Thousandths → shortest text: 85500 → '85.5', 90000 → '90'."""
    text = show(milli, 3).rstrip("0").rstrip(".")
    return text or "0"


def to_decimal(raw: object) -> Decimal | None:
    """A cell or typed text as an exact Decimal; None for an empty cell. Raises ValueProblem."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return None
    if isinstance(raw, bool | dt.date):
        raise ValueProblem(f"“{raw}”不是数字")
    if isinstance(raw, float):
        # Excel keeps 15 significant digits; anything beyond is binary noise from a formula.
        text = f"{raw:.15g}"
    else:
        text = str(raw).strip()
        if not text:
            return None
        text = text.replace("，", ".").replace("．", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueProblem(f"“{raw}”不是数字") from None
    if not value.is_finite():
        raise ValueProblem(f"“{raw}”不是数字")
    return value + 0  # normalises -0


def decimals_of(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def parse_number(raw: object, *, decimals: int, maximum: Decimal | None = None, what: str = "分数",
                 allow_zero: bool = True, maximum_label: str = "满分") -> Decimal:
    """A non-negative number with at most `decimals` decimals and at most `maximum`. Raises ValueProblem."""
    value = to_decimal(raw)
    if value is None:
        raise ValueProblem("必填项为空")
    if value < 0:
        raise ValueProblem(f"{what}不能为负数（{fmt_decimal(value)}）")
    if not allow_zero and value == 0:
        raise ValueProblem(f"{what}应大于0")
    if maximum is not None and value > maximum:
        raise ValueProblem(f"{what}{fmt_decimal(value)}高于{maximum_label}{fmt_decimal(maximum)}")
    if decimals_of(value) > decimals:
        allowed = f"最多保留{decimals}位小数" if decimals else "应为整数"
        raise ValueProblem(f"{what}{fmt_decimal(value)}{allowed}")
    return value.quantize(Decimal(1).scaleb(-decimals_of(value)))


def parse_int(raw: object, what: str, *, minimum: int = 1) -> int:
    """A whole number (Excel's 3.0 is 3) of at least `minimum`. Raises ValueProblem."""
    value = to_decimal(raw)
    if value is None:
        raise ValueProblem("必填项为空")
    if value != value.to_integral_value():
        raise ValueProblem(f"{what}应为整数（{raw}）")
    if value < minimum:
        raise ValueProblem(f"{what}应不小于{minimum}（{raw}）")
    return int(value)


def fmt_decimal(value: Decimal) -> str:
    """85.50 → '85.5', 90 → '90' (for messages)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
