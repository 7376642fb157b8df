"""The quarterly report (季度通报) as an A4 landscape PDF: title, the period and the rule set, the per-unit
table with a 合计 row, notes on how the figures are counted, and a signature line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from exports.pdf import DEFAULT_BUREAU, Spacer, build_pdf, data_table, para, signature_line, title_block
from trainer.amounts import fmt, half_up
from trainer.dates import chinese_date, iso
from trainer.quarterly import OVERDUE_CHECKS, QuarterlyReport, UnitFigures

# Explicit line breaks: a header wraps where it reads well, not where the column happens to end.
HEADERS = ("序号", "单位", "在岗\n人数", "本季度\n参训人数", "累计\n覆盖人数", "累计\n覆盖率", "本季度\n学时",
           "人均\n学时", *(f"{c}\n逾期" for c in OVERDUE_CHECKS), "执法证\n不合格", "执法证\n即将到期")
WIDTHS = (0.8, 3.2, 1.1, 1.4, 1.4, 1.2, 1.3, 1.1, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3)

NOTES = (
    "统计对象为岗位状态“在岗”的人员。",
    "参训人数、学时只计已结业、且结束日期在本季度内的培训（含外部培训记录）；累计覆盖指本年度截至统计日已有结业培训的人员。",
    "人均学时＝本季度学时÷在岗人数，覆盖率＝累计覆盖人数÷在岗人数，均四舍五入。",
    "年度学时、培训覆盖自12月31日起计逾期；执法证不合格含无证与已过期。",
)


def fixed(value: Decimal, places: int) -> str:
    """Always `places` decimals, half-up: 20.4 prints 20.40 so the column lines up."""
    return format(half_up(value, places), "f")


def cells(f: UnitFigures) -> list[object]:
    return [f.label, f.on_register, f.trained, f.covered, f"{fixed(f.coverage_percent, 1)}%", fmt(f.hours),
            fixed(f.hours_per_capita, 2), *f.overdue, f.cards_failed, f.cards_expiring]


def build(path: str | Path, report: QuarterlyReport, *, bureau: str | None = None,
          font: str | Path | None = None) -> Path:
    rows = [[n, *cells(f)] for n, f in enumerate(report.units, start=1)]
    period = f"统计期间：{iso(report.first)} 至 {iso(report.last)}"
    if report.as_of < report.last:
        period += f"（本季度未结束，数据截至{iso(report.as_of)}）"
    story = [
        *title_block(report.title, meta=[period, f"通报日期：{chinese_date(report.as_of)}"]),
        data_table(HEADERS, rows, widths=WIDTHS, align="CL" + "R" * (len(HEADERS) - 2), font_size=8.5,
                   total=["", *cells(report.total)]),
        Spacer(1, 4),
        para("说明：" + "".join(f"{n}. {text}" for n, text in enumerate(NOTES, start=1)), "small"),
        para(f"适用规则：{report.rules_label}", "small"),
        signature_line(),
    ]
    return build_pdf(path, report.title, story, landscape=True, bureau=bureau or DEFAULT_BUREAU, font=font,
                     subject="季度通报")


def default_name(report: QuarterlyReport) -> str:
    return f"{report.title}.pdf"
