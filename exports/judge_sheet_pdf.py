"""A judge's own score sheet (评委评分表) as a PDF, printed on the judge's laptop after submitting, so the
paper the judge signs and the score file carried to the main laptop can be compared by the content hash.

    sheet = JudgeSheet.of(session)                  # a submitted (read-only) judge-mode session
    judge_sheet_pdf(sheet, Path("评分表_J1.pdf"))

Every slot of the sheet is printed, scored or not: "未评分" is written out, so a blank on paper can never be
mistaken for a value lost on the way. The hash is printed in groups of eight to be read aloud and compared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from exports.pdf import Story, build_pdf, data_table, para, signature_line, title_block
from trainer import contest
from trainer.contest_values import fmt_decimal
from trainer.dates import chinese_date
from trainer.judge_kit import Kit
from trainer.judge_session import JudgeSession, SheetEntry, Submission

NOT_SCORED = "未评分"
SIGNERS = ("评委签名", "日期")


class SheetNotSubmitted(ValueError):
    """The sheet has no submission to carry the hash of; the message is for the user."""


@dataclass(frozen=True)
class JudgeSheet:
    kit: Kit
    entries: tuple[SheetEntry, ...]
    submission: Submission

    @classmethod
    def of(cls, session: JudgeSession) -> JudgeSheet:
        """The sheet as last submitted: only a read-only session's values are exactly the submitted ones."""
        done = session.submissions()
        if not session.read_only or not done:
            raise SheetNotSubmitted("请先提交评分表：打印的评分表须带提交时生成的内容校验码")
        return cls(session.kit, tuple(session.sheet()), done[-1])


def _show(value: Decimal | None) -> str:
    return NOT_SCORED if value is None else fmt_decimal(value)


def item_table(sheet: JudgeSheet, item_id: int) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of one item: a row per competitor, a column per criterion for 评分细则."""
    item = next(it for it in sheet.kit.items if it.id == item_id)
    entries = [e for e in sheet.entries if e.item.id == item_id]
    if item.method == contest.RUBRIC:
        headers = ["序号", item.key_label, *(f"{c.name}（{fmt_decimal(c.max_points)}）" for c in item.criteria)]
        by_key: dict[str, dict[int, str]] = {}
        for e in entries:
            by_key.setdefault(e.key, {})[e.criterion.id if e.criterion else 0] = _show(e.value)
        rows = [[str(i), key, *(values.get(c.id, NOT_SCORED) for c in item.criteria)]
                for i, (key, values) in enumerate(by_key.items(), start=1)]
    else:
        headers = ["序号", item.key_label, f"分数（满分{fmt_decimal(item.full_marks)}）"]
        rows = [[str(i), e.key, _show(e.value)] for i, e in enumerate(entries, start=1)]
    return headers, rows


def story(sheet: JudgeSheet, today: dt.date | None = None) -> Story:
    kit, sub = sheet.kit, sheet.submission
    parts: list[Any] = [*title_block(f"{kit.contest_name} 评委评分表",
                                        meta=[f"评委：{kit.judge_code} {kit.judge_name}",
                                              f"第{sub.revision}次提交：{sub.submitted_at[:19].replace('T', ' ')}",
                                              f"打印日期：{chinese_date(today or dt.date.today())}"])]
    for item in kit.items:
        headers, rows = item_table(sheet, item.id)
        parts.append(para(f"{item.name}（{item.method}，按{item.key_label}）", "h2"))
        parts.append(data_table(headers, rows, align="CC" + "R" * (len(headers) - 2), font_size=10))
    parts.append(para(f"已评 {sub.values} 格，未评分 {sub.unscored} 格。", "text"))
    parts.append(para("评分文件内容校验码（SHA-256，与主机合并时显示的校验码逐组核对）：", "h2"))
    groups = sub.hash_text.split()
    for half in (groups[:4], groups[4:]):  # two lines of four groups: one line would wrap at a random place
        parts.append(para(" ".join(half), "h1"))
    parts.append(signature_line(SIGNERS))
    return parts


def judge_sheet_pdf(sheet: JudgeSheet, path: str | Path, *, font: str | Path | None = None,
                    today: dt.date | None = None) -> Path:
    kit = sheet.kit
    title = f"评委{kit.judge_code}评分表"
    return build_pdf(path, title, story(sheet, today), font=font,
                     people=[(f"评委{kit.judge_code}", [kit.judge_name])], subject=kit.title)


def sheet_rows(sheet: JudgeSheet) -> Sequence[tuple[str, list[str], list[list[str]]]]:
    """(item name, headers, rows) for every item: the same table the PDF prints (tests, a preview)."""
    return [(it.name, *item_table(sheet, it.id)) for it in sheet.kit.items]
