"""Tables for printed documents: data tables that split across pages, and key-value forms.

    data_table(["序号", "姓名", "单位", "学时"], rows, widths=[1, 2, 5, 1.2], total=["合计", "", "", 96])
    kv_table([("姓名", "张三"), ("性别", "男"), ("备注", "……")], columns=2, wide={"备注"})

Every cell is a Paragraph, so long Chinese text wraps inside its cell instead of being clipped; the
header row repeats on every page. Numbers align right, dates centre, text left, unless `align` says.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Collection, Sequence
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from exports.fonts import BODY, HEADING
from exports.pdf_style import HEADER_FILL, INK, LABEL_FILL, RULE, ZEBRA_FILL, cell_style, markup, para, styles


class FitTable(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """A table whose column widths depend on the width it is given (fixed label columns, the rest
    shared), built when the frame or cell says how wide it is; splits like the table it builds."""

    def __init__(self, build: Callable[[float], Table], h_align: str = "CENTER") -> None:
        super().__init__()
        self._build = build
        self._built: tuple[float, Table] | None = None
        self.hAlign = h_align

    def table(self, width: float = 450.0) -> Table:
        if self._built is None or self._built[0] != width:
            self._built = (width, self._build(width))
        return self._built[1]

    def inner_flowables(self) -> list[Flowable]:
        return [self.table(self._built[0] if self._built else 450.0)]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self.table(availWidth).wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = self.table(availWidth).split(availWidth, availHeight)
        return parts

    def draw(self) -> None:
        assert self._built is not None
        self._built[1].drawOn(self.canv, 0, 0)


def cell_text(value: object) -> str:
    """How a value prints in a cell: dates ISO, numbers without float noise, booleans 是/否."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value == value else ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return str(value)


CENTRED_HEADERS = frozenset({"序号", "编号", "抽签号", "名次", "性别", "结业", "状态"})


def _default_align(header: str, values: Sequence[object]) -> str:
    if header in CENTRED_HEADERS:  # short codes read best centred, as in hand-made bureau tables
        return "C"
    present = [v for v in values if v is not None and v != ""]
    if present and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in present):
        return "R"
    if present and all(isinstance(v, dt.date) for v in present):
        return "C"
    return "L"


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _auto_widths(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> list[float]:
    """Relative widths from the content: short columns stay narrow, long text gets room to wrap."""
    sample = rows[:300]
    weights: list[float] = []
    for c, header in enumerate(headers):
        cells = sorted(_display_width(cell_text(r[c])) for r in sample if c < len(r))
        typical = cells[int(len(cells) * 0.9)] if cells else 0  # the 90th percentile ignores one essay
        weights.append(max(min(_display_width(header), 8), min(typical, 40), 3) + 2)
    return weights


def _percent(widths: Sequence[float]) -> list[str]:
    total = float(sum(widths))
    if total <= 0 or any(w <= 0 for w in widths):
        raise ValueError("列宽必须为正数")
    return [f"{100 * w / total:.4f}%" for w in widths]


def data_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    widths: Sequence[float] | None = None,
    align: str | Sequence[str] | None = None,
    total: Sequence[object] | None = None,
    zebra: bool = True,
    font_size: float = 9,
    tail: Flowable | Sequence[Flowable] | None = None,
    min_row_height: float | None = None,
) -> Table:
    """A full-width table with a repeated header row.

    widths: relative column widths (fractions or any proportions), default from the content.
    align: one letter per column (L, C, R) or a string like "CLLRR"; default: 序号-like headers centred,
        numbers right, dates centred, text left.
    total: a last row (合计) printed in 黑体 on a tinted background.
    tail: flowables (signature lines, notes) printed under the table and kept on the same page as its
        last rows, so a signature line is never alone on a page.
    min_row_height: points (e.g. 10 * mm) for rows people sign by hand (签到表); wrapped text still grows.
    """
    n = len(headers)
    if align is None:
        aligns = [_default_align(headers[c], [r[c] if c < len(r) else None for r in rows[:300]]) for c in range(n)]
    else:
        aligns = list(align)
        if len(aligns) != n:
            raise ValueError(f"align 应有 {n} 个字母，实际 {len(aligns)} 个")
    col_widths = _percent(widths if widths is not None else _auto_widths(headers, rows))
    if len(col_widths) != n:
        raise ValueError(f"widths 应有 {n} 个，实际 {len(col_widths)} 个")

    head_style = cell_style(font_size, "C", heading=True)
    body_styles = [cell_style(font_size, a) for a in aligns]
    data: list[list[object]] = [[Paragraph(markup(h, HEADING), head_style) for h in headers]]
    for row in rows:
        if len(row) != n:
            raise ValueError(f"第 {len(data)} 行有 {len(row)} 列，表头有 {n} 列")
        data.append([Paragraph(markup(cell_text(v)), body_styles[c]) for c, v in enumerate(row)])
    if total is not None:
        data.append(
            [
                Paragraph(markup(cell_text(v), HEADING), cell_style(font_size, aligns[c], heading=True))
                for c, v in enumerate(total)
            ]
        )

    pad = max(2.0, font_size * 0.3)
    last = len(data) - 1  # the grid's last row; a tail row below it has no grid
    # A minimum height is padding around one line, so a cell whose text wraps still grows instead of
    # spilling over its neighbours as a fixed rowHeight would let it.
    body_pad = max(pad, (min_row_height - font_size * 1.3) / 2) if min_row_height else pad
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), BODY),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("BOX", (0, 0), (-1, last), 0.8, INK),
        ("INNERGRID", (0, 0), (-1, last), 0.35, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK),
        ("TOPPADDING", (0, 0), (-1, 0), pad),
        ("BOTTOMPADDING", (0, 0), (-1, 0), pad + 0.5),
        ("TOPPADDING", (0, 1), (-1, last), body_pad),
        ("BOTTOMPADDING", (0, 1), (-1, last), body_pad + 0.5),
        ("LEFTPADDING", (0, 0), (-1, last), 3),
        ("RIGHTPADDING", (0, 0), (-1, last), 3),
    ]
    if zebra and last > 1:
        zebra_end = last - 1 if total is not None else last
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, zebra_end), [colors.white, ZEBRA_FILL]))
    if total is not None:
        commands += [("BACKGROUND", (0, last), (-1, last), LABEL_FILL), ("LINEABOVE", (0, last), (-1, last), 0.8, INK)]
    if tail is not None:
        data.append([list(tail) if isinstance(tail, Sequence) else tail] + [""] * (n - 1))
        commands += [
            ("SPAN", (0, last + 1), (-1, last + 1)),
            ("NOSPLIT", (0, max(1, last - 1)), (-1, last + 1)),
            ("LEFTPADDING", (0, last + 1), (-1, last + 1), 0),
            ("RIGHTPADDING", (0, last + 1), (-1, last + 1), 0),
            ("TOPPADDING", (0, last + 1), (-1, last + 1), 6 * mm),
            ("BOTTOMPADDING", (0, last + 1), (-1, last + 1), 0),
        ]
    return Table(data, colWidths=col_widths, repeatRows=1, style=TableStyle(commands), hAlign="CENTER")


def kv_table(
    pairs: Sequence[tuple[str, object]],
    *,
    columns: int = 2,
    wide: Collection[str] = (),
    label_chars: int | None = None,
) -> FitTable:
    """A form-style grid (个人基本信息): `columns` label/value pairs per row; labels in `wide` take a
    whole row (addresses, remarks). Label cells are sized to the longest label."""
    value_style = styles()["value"]
    label_style = styles()["label"]
    longest = max(((_display_width(label) + 1) // 2 for label, _v in pairs), default=4)
    chars = label_chars or longest
    label_w = chars * label_style.fontSize + 14  # 6 pt padding each side, and a little air

    data: list[list[object]] = []
    wide_rows: list[int] = []
    row: list[object] = []

    def flush() -> None:
        if row:
            row.extend([""] * (2 * columns - len(row)))
            data.append(list(row))
            row.clear()

    for label, value in pairs:
        cells = [para(label, label_style), para(cell_text(value), value_style)]
        if label in wide:
            flush()
            data.append(cells + [""] * (2 * columns - 2))
            wide_rows.append(len(data) - 1)
        else:
            row.extend(cells)
            if len(row) == 2 * columns:
                flush()
    flush()

    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), BODY),
        ("BOX", (0, 0), (-1, -1), 0.8, INK),
        ("INNERGRID", (0, 0), (-1, -1), 0.35, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]
    for c in range(0, 2 * columns, 2):
        commands.append(("BACKGROUND", (c, 0), (c, -1), LABEL_FILL))
    for r in wide_rows:  # painted after the label columns so their fill does not leak into the value
        commands += [("SPAN", (1, r), (-1, r)), ("BACKGROUND", (1, r), (-1, r), colors.white)]

    def build(width: float) -> Table:
        value_w = max(width - columns * label_w, columns * 40) / columns
        return Table(data, colWidths=[label_w, value_w] * columns, style=TableStyle(commands), hAlign="CENTER")

    return FitTable(build)
