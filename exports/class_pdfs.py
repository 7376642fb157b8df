"""A class's printed papers: the roster of its members (学员名册) and a session's sign-in sheet (签到表).

Both list members in trainer.class_roster order, the order of the attendance grid, so marks are typed in
from the signed sheet line by line. A sign-in sheet's pages after the first start with its session's date,
time and topic, and its pages are counted per session (第 N 页 共 M 页), so a page that comes loose from the
pile still says which sheet it belongs to; several sessions' sheets print into one file that way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from sqlite_utils import Database

from exports.pdf import (
    NumberingRestart,
    PageBreak,
    Spacer,
    build_pdf,
    data_table,
    signature_line,
    spread,
    title_block,
)
from trainer import plans, training
from trainer.amounts import fmt
from trainer.class_roster import Member, members
from trainer.training import Session, TrainingClass

SIGN_IN_ROW_HEIGHT = 11 * mm  # room for a handwritten name and time


def safe_file_name(text: str) -> str:
    """A title usable in a file name on Windows (no \\ / : * ? " < > |)."""
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("_") or "培训班"


def roster_file_name(c: TrainingClass) -> str:
    return f"学员名册_{safe_file_name(c.title)}.pdf"


def sign_in_file_name(c: TrainingClass, s: Session) -> str:
    return f"签到表_{safe_file_name(c.title)}_{s.date.isoformat()}{_time_suffix(s)}.pdf"


def _time_suffix(s: Session) -> str:
    return "_" + s.start_time.replace(":", "") if s.start_time else ""


def _class(db: Database, class_id: int) -> TrainingClass:
    c = training.get_class(db, class_id)
    if c is None:
        raise training.TrainingError("培训班不存在")
    return c


def _base_name(db: Database, c: TrainingClass) -> str:
    return next((b.name for b in plans.bases(db) if b.id == c.base_id), "")


def _people(ms: list[Member]) -> list[tuple[str, list[str]]]:
    return [(f"{m.person.name} {m.person.id_number}", [m.person.name]) for m in ms]


def class_roster(db: Database, class_id: int, path: str | Path, *, font: str | Path | None = None) -> Path:
    """Portrait roster: class title block, 序号/姓名/性别/单位/职务/联系电话, signature line."""
    c = _class(db, class_id)
    ms = members(db, class_id)
    organiser = db.execute("SELECT name FROM units WHERE id = ?", [c.organiser_unit_id]).fetchone()
    meta = [f"培训类型：{c.type}", f"培训时间：{c.start_date.isoformat()}至{c.end_date.isoformat()}（{c.days}天）"]
    base = _base_name(db, c)
    where = [f"培训地点：{base}"] if base else []
    if organiser:
        where.append(f"主办单位：{organiser[0]}")
    rows = [[i, m.person.name, m.person.gender, m.unit, m.person.position, m.person.phone]
            for i, m in enumerate(ms, start=1)]
    story = [
        *_heading(c.title, f"学员名册（{len(ms)}人）", meta, where),
        data_table(["序号", "姓名", "性别", "单位", "职务", "联系电话"], rows, widths=[0.7, 1.3, 0.7, 3, 1.9, 2.1],
                   tail=signature_line()),
    ]
    return build_pdf(path, f"{c.title} 学员名册", story, font=font, people=_people(ms))


def _heading(title: str, subtitle: str, meta: list[str], more: list[str]) -> list[Flowable]:
    """The title block with a second meta line: place and organiser are too long to share one line."""
    parts = title_block(title, subtitle, meta)
    if more:
        parts[-1:-1] = [Spacer(1, 1 * mm), spread(more)]  # before the block's closing space
    return parts


class Continued(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """A table whose every page after the first starts with `caption` (what the page belongs to): the
    table's own header row repeats below it. Splits as the table does, one part per page."""

    def __init__(self, table: Flowable, caption: Flowable, captioned: bool = False) -> None:
        super().__init__()
        self.table, self.caption, self.captioned = table, caption, captioned
        self._caption_height = 0.0

    def inner_flowables(self) -> list[Flowable]:
        return [self.caption, self.table]  # every string drawn is checked against the font (exports.pdf)

    def _caption(self, width: float, height: float) -> float:
        self._caption_height = self.caption.wrap(width, height)[1] + 2 * mm if self.captioned else 0.0
        return self._caption_height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        above = self._caption(availWidth, availHeight)
        _w, h = self.table.wrap(availWidth, availHeight - above)
        self.width, self.height = availWidth, above + h
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.table.split(availWidth, availHeight - self._caption(availWidth, availHeight))
        return [Continued(part, self.caption, self.captioned or i > 0) for i, part in enumerate(parts)]

    def draw(self) -> None:
        if self.captioned:
            self.caption.drawOn(self.canv, 0, self.height - self._caption_height + 2 * mm)
        self.table.drawOn(self.canv, 0, 0)


def _session_story(db: Database, c: TrainingClass, s: Session, ms: list[Member]) -> list[Flowable]:
    when = s.start_time + (f"—{s.end_time}" if s.end_time else "") if s.start_time else ""
    meta = [f"日期：{s.date.isoformat()}", *([f"时间：{when}"] if when else []), f"学时：{fmt(s.hours)}（{s.mode}）"]
    second = [f"课程：{s.topic}", f"授课教师：{s.teacher or '　　　　'}"]
    base = _base_name(db, c)
    if base:
        second.append(f"地点：{base}")
    rows = [[i, m.person.name, m.unit, "", ""] for i, m in enumerate(ms, start=1)]
    table = data_table(["序号", "姓名", "单位", "签到", "签退"], rows, widths=[0.7, 1.5, 3.2, 1.8, 1.8],
                       zebra=False, font_size=10.5, min_row_height=SIGN_IN_ROW_HEIGHT,
                       tail=signature_line(("应到人数", "实到人数", "考勤员"), [f"{len(ms)}人", "", ""]))
    caption = spread([f"{c.title} 签到表（续）", f"日期：{s.date.isoformat()}" + (f"　时间：{when}" if when else ""),
                      f"课程：{s.topic}"])
    return [*_heading(c.title, "签到表", meta, second), Continued(table, caption)]


def sign_in_sheet(db: Database, session_id: int, path: str | Path, *, font: str | Path | None = None) -> Path:
    """One session's sign-in sheet: date, time, topic and teacher above 序号/姓名/单位/签到/签退 in tall rows."""
    return sign_in_sheets(db, [session_id], path, font=font)


def sign_in_sheets(db: Database, session_ids: Sequence[int], path: str | Path, *,
                   font: str | Path | None = None) -> Path:
    """The sign-in sheets of sessions of one class in one file, in the order given: each starts on a new
    page and counts its own pages."""
    if not session_ids:
        raise training.TrainingError("没有选择课程")
    placeholders = ", ".join("?" * len(session_ids))
    found = db.execute(f"SELECT DISTINCT class_id FROM class_sessions WHERE id IN ({placeholders})",
                       list(session_ids)).fetchall()
    if len(found) != 1:
        raise training.TrainingError("课程不存在" if not found else "只能合并打印同一培训班的课程")
    c = _class(db, found[0][0])
    by_id = {x.id: x for x in training.sessions(db, int(c.id or 0))}
    if any(sid not in by_id for sid in session_ids):
        raise training.TrainingError("课程不存在")
    ms = members(db, int(c.id or 0))
    story: list[Flowable] = []
    for n, sid in enumerate(session_ids):
        if n:
            story += [PageBreak(), NumberingRestart()]
        story += _session_story(db, c, by_id[sid], ms)
    return build_pdf(path, f"{c.title} 签到表", story, font=font, people=_people(ms))


def all_sign_in_file_name(c: TrainingClass) -> str:
    return f"签到表_{safe_file_name(c.title)}_全部课程.pdf"
