"""Hours, days, scores and money as Decimal, stored as integers in hundredths; half-up rounding.

Python's round() rounds half to even (banker's rounding); a 学时 total of 2.345 must print 2.35.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HUNDRED = Decimal(100)


class AmountError(ValueError):
    pass


def half_up(value: Decimal, places: int = 2) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def to_x100(value: Decimal) -> int:
    return int(half_up(value * HUNDRED, 0))


def from_x100(value: int | None) -> Decimal:
    return (Decimal(value) / HUNDRED).quantize(Decimal("0.01")) if value is not None else Decimal(0)


def parse_amount(raw: object, *, allow_empty: bool = False) -> Decimal | None:
    """A non-negative number with at most two decimals, from a cell or a text field."""
    if raw is None or (isinstance(raw, str) and not raw.strip()) or (isinstance(raw, float) and raw != raw):
        if allow_empty:
            return None
        raise AmountError("必填项为空")
    if isinstance(raw, bool):
        raise AmountError(f"“{raw}”不是数字")
    try:
        value = Decimal(str(raw).strip()) if not isinstance(raw, float) else Decimal(repr(raw))
    except InvalidOperation:
        raise AmountError(f"“{raw}”不是数字") from None
    if not value.is_finite():
        raise AmountError(f"“{raw}”不是数字")
    shown = fmt_typed(value) if isinstance(raw, float) else str(raw).strip()  # Excel's -8.0 was typed as -8
    if value < 0:
        raise AmountError(f"不能为负数（{shown}）")
    if value != half_up(value):
        raise AmountError(f"最多保留两位小数（{shown}）")
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def fmt_typed(value: Decimal) -> str:
    """A number as a user typed it into a cell: -8.0 → '-8', 2.50 → '2.5', 2.345 → '2.345' (never rounded)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def fmt(value: Decimal) -> str:
    """2 → '2', 2.50 → '2.5', 2.35 → '2.35' (for tables and reports)."""
    text = format(half_up(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
