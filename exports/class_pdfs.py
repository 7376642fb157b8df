"""A class's printed papers: the roster of its members (学员名册) and a session's sign-in sheet (签到表).

Both list members in trainer.class_roster order, the order of the attendance grid, so marks are typed in
from the signed sheet line by line.
"""

from __future__ import annotations

import re
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable
from sqlite_utils import Database

from exports.pdf import Spacer, build_pdf, data_table, signature_line, spread, title_block
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


def sign_in_sheet(db: Database, session_id: int, path: str | Path, *, font: str | Path | None = None) -> Path:
    """One session's sign-in sheet: date, time, topic and teacher above 序号/姓名/单位/签到/签退 in tall rows."""
    row = db.execute("SELECT class_id FROM class_sessions WHERE id = ?", [session_id]).fetchone()
    if row is None:
        raise training.TrainingError("课程不存在")
    c = _class(db, row[0])
    s = next(x for x in training.sessions(db, c.id or 0) if x.id == session_id)
    ms = members(db, int(c.id or 0))
    when = s.start_time + (f"—{s.end_time}" if s.end_time else "") if s.start_time else ""
    meta = [f"日期：{s.date.isoformat()}", *([f"时间：{when}"] if when else []), f"学时：{fmt(s.hours)}（{s.mode}）"]
    second = [f"课程：{s.topic}", f"授课教师：{s.teacher or '　　　　'}"]
    base = _base_name(db, c)
    if base:
        second.append(f"地点：{base}")
    rows = [[i, m.person.name, m.unit, "", ""] for i, m in enumerate(ms, start=1)]
    story = [
        *_heading(c.title, "签到表", meta, second),
        data_table(["序号", "姓名", "单位", "签到", "签退"], rows, widths=[0.7, 1.5, 3.2, 1.8, 1.8],
                   zebra=False, font_size=10.5, min_row_height=SIGN_IN_ROW_HEIGHT,
                   tail=signature_line(("应到人数", "实到人数", "考勤员"), [f"{len(ms)}人", "", ""])),
    ]
    return build_pdf(path, f"{c.title} 签到表", story, font=font, people=_people(ms))
