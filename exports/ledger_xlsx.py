"""The 培训台账 workbook: a 汇总 sheet with one row per person, then one sheet per county-level unit with one
row per completed training.

On a unit's sheet every row repeats the person's unit, name and ID number, so filtering by a name shows
all of that person's trainings; the year's totals and the compliance statuses stand on the person's first
row only, so summing the 学时 column or the 合计学时 column both give the unit's true total. Someone without
a completed training still gets a row, with the training columns empty: the ledger shows who did nothing.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from exports.excel import Sheet, write_xlsx
from trainer.compliance import CHECKS
from trainer.gc_pause import gc_paused
from trainer.ledger import Ledger, LedgerPerson

SUMMARY_HEADERS = ["序号", "单位", "姓名", "身份证号", "人员类别", "岗位状态", "结业培训次数", "合计天数", "合计学时",
                   *CHECKS]
DETAIL_HEADERS = ["序号", "单位", "姓名", "身份证号", "人员类别", "培训名称", "培训类型", "开始日期", "结束日期",
                  "天数", "学时", "来源", "主办单位", "合计天数", "合计学时", *CHECKS]
NOT_APPLICABLE = "—"  # the check does not apply to this person (or the person is not in post)


def _number(value: Decimal) -> float:
    """Decimals as Excel numbers (exact to the hundredth that they carry)."""
    return float(value)


def _statuses(p: LedgerPerson) -> list[str]:
    return [p.status(c) or NOT_APPLICABLE for c in CHECKS]


def summary_rows(ledger: Ledger) -> list[list[object]]:
    return [[n, p.unit, p.person.name, p.person.id_number, p.person.category, p.person.post_status,
             len(p.trainings), _number(p.days), _number(p.hours), *_statuses(p)]
            for n, p in enumerate(ledger.people, start=1)]


def detail_rows(people: list[LedgerPerson]) -> list[list[object]]:
    rows: list[list[object]] = []
    for n, p in enumerate(people, start=1):
        who = [n, p.unit, p.person.name, p.person.id_number, p.person.category]
        totals = [_number(p.days), _number(p.hours), *_statuses(p)]
        if not p.trainings:
            rows.append([*who, "", "", None, None, None, None, "", "", *totals])
        for i, r in enumerate(p.trainings):
            rows.append([*who, r.title, r.type, r.start_date, r.end_date, _number(r.days), _number(r.hours),
                         r.source, r.organiser, *(totals if i == 0 else [None] * len(totals))])
    return rows


def sheet_name(label: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique regardless of case."""
    base = re.sub(r"[\[\]:*?/\\]", "_", label)[:31] or "单位"
    name, n = base, 2
    while name.lower() in taken:
        name = f"{base[:28]}({n})"
        n += 1
    taken.add(name.lower())
    return name


def write(path: str | Path, ledger: Ledger) -> Path:
    with gc_paused():  # a row list per person and training: see trainer.gc_pause
        taken = {"汇总"}
        sheets = [Sheet("汇总", SUMMARY_HEADERS, summary_rows(ledger))]
        for s in ledger.sheets:
            sheets.append(Sheet(sheet_name(s.label, taken), DETAIL_HEADERS, detail_rows(s.people)))
        return write_xlsx(path, sheets)


def default_name(ledger: Ledger) -> str:
    return f"{ledger.year}年度培训台账（截至{ledger.as_of.isoformat()}）.xlsx"
