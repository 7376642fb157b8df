"""One line per class with its totals: the class list of the CLI and the classes page."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlite_utils import Database

from trainer import rules, training
from trainer.amounts import fmt, from_x100
from trainer.training import TrainingClass

HEADERS = ("编号", "培训班名称", "培训类型", "开始日期", "结束日期", "天数", "学时", "报名人数", "结业人数", "状态",
           "培训基地", "主办单位")


@dataclass(frozen=True)
class ClassSummary:
    cls: TrainingClass
    hours: Decimal
    enrolled: int
    completed: int | None  # None until the class is 已结束
    base: str
    organiser: str


def summaries(db: Database, year: int | None = None) -> list[ClassSummary]:
    classes = training.list_classes(db, year)
    hours = dict(db.execute("SELECT class_id, SUM(hours_x100) FROM class_sessions GROUP BY class_id").fetchall())
    enrolled = dict(db.execute("SELECT class_id, COUNT(*) FROM enrolments GROUP BY class_id").fetchall())
    bases = dict(db.execute("SELECT id, name FROM training_bases").fetchall())
    units = dict(db.execute("SELECT id, name FROM units").fetchall())
    completed: dict[int, int] = {}
    for o in training.outcomes(db, rules.active(db), finished_only=True):
        completed[o.class_id] = completed.get(o.class_id, 0) + int(o.completed)
    return [ClassSummary(c, from_x100(hours.get(c.id)), enrolled.get(c.id, 0),
                         completed.get(int(c.id or 0), 0) if c.status == "已结束" else None,
                         bases.get(c.base_id, ""), units.get(c.organiser_unit_id, "")) for c in classes]


def table(db: Database, year: int | None = None) -> tuple[tuple[str, ...], list[list[str]]]:
    rows = [[str(s.cls.id), s.cls.title, s.cls.type, s.cls.start_date.isoformat(), s.cls.end_date.isoformat(),
             str(s.cls.days), fmt(s.hours), str(s.enrolled), "" if s.completed is None else str(s.completed),
             s.cls.status, s.base, s.organiser] for s in summaries(db, year)]
    return HEADERS, rows
