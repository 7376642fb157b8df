"""Training records: what counts toward the rules. Finished classes and imported external records, as one list.

External records (provincial courses, party school, earlier years) are imported like a roster: every row is
checked first and all are written in one transaction, or none.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

from sqlite_utils import Database

from trainer import backup, enrolment_hours, idnumber, people, training
from trainer.amounts import AmountError, from_x100, parse_amount, to_x100
from trainer.dates import DateError, parse_date
from trainer.gc_pause import gc_paused
from trainer.person_fields import text
from trainer.rules import RuleSet
from trainer.tabular import CheckedFile, ImportCancelled, RawTable, RowProblem

COLUMNS = ("身份证号", "姓名", "培训名称", "培训类型", "开始日期", "结束日期", "天数", "学时", "是否结业", "主办单位")
if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Ints = npt.NDArray[np.int64]
    Bools = npt.NDArray[np.bool_]

REQUIRED = ("身份证号", "姓名", "培训名称", "培训类型", "开始日期", "结束日期", "学时", "是否结业")


@dataclass(frozen=True)
class TrainingRecord:
    person_id: int
    title: str
    type: str
    start_date: dt.date
    end_date: dt.date
    days: Decimal
    hours: Decimal
    completed: bool
    organiser: str
    source: str  # 培训班 / 外部记录
    class_id: int | None = None


def class_records(db: Database, rules: RuleSet, person_ids: Iterable[int] | None = None) -> list[TrainingRecord]:
    """One record per enrolment in a finished (已结束) class: its days, the credited 学时, and completion."""
    classes = {c.id: c for c in training.list_classes(db) if c.status == "已结束"}
    units = dict(db.execute("SELECT id, name FROM units").fetchall())
    # What a record takes from its class, worked out once per class rather than once per enrolment.
    shared = {cid: (c.title, c.type, c.start_date, c.end_date, Decimal(c.days)) for cid, c in classes.items()}
    organisers = {cid: units.get(c.organiser_unit_id, "") for cid, c in classes.items()}
    out = []
    for cid, pid, _total, credited, _missed, _score, _passed, _ok, _computed, completed, _reason in \
            training.outcome_rows(db, rules, finished_only=True, person_ids=person_ids):
        title, kind, start, end, days = shared[cid]
        out.append(TrainingRecord(pid, title, kind, start, end, days, credited, completed, organisers[cid], "培训班",
                                  cid))
    return out


def external_records(db: Database, person_ids: Iterable[int] | None = None) -> list[TrainingRecord]:
    sql = ("SELECT person_id, title, type, start_date, end_date, days_x100, hours_x100, completed, organiser"
           " FROM external_records")
    args: list[object] = []
    if person_ids is not None:
        ids = list(person_ids)
        sql += f" WHERE person_id IN ({', '.join('?' * len(ids))})"
        args = list(ids)
    return [TrainingRecord(r[0], r[1], r[2], dt.date.fromisoformat(r[3]), dt.date.fromisoformat(r[4]),
                           from_x100(r[5]), from_x100(r[6]), bool(r[7]), r[8], "外部记录")
            for r in db.execute(sql + " ORDER BY start_date, id", args)]


def by_person(db: Database, rules: RuleSet, person_ids: Iterable[int] | None = None
              ) -> dict[int, list[TrainingRecord]]:
    """Each person's records by start date and title (class records before external ones on a tie)."""
    ids = list(person_ids) if person_ids is not None else None
    with gc_paused():
        everything = [*class_records(db, rules, ids), *external_records(db, ids)]
        # One stable sort of everything gives each person's list the order a per-person stable sort would.
        everything.sort(key=attrgetter("start_date", "title"))
        grouped: dict[int, list[TrainingRecord]] = defaultdict(list)
        for r in everything:
            grouped[r.person_id].append(r)
    return grouped


class RecordColumns:
    """Everyone's training records (as `by_person` gives them) as numpy columns, for counting 50,000 people at
    once: days and hours ×100, dates as day numbers (`date.toordinal`), the type as its index in
    `training.TRAINING_TYPES` (-1 for any other). `order` ranks the records as `by_person` lists them
    (start date, title, class records before external ones); `record(i)` builds record i."""

    def __init__(self, person: Ints, kind: Ints, end: Ints, days_x100: Ints, hours_x100: Ints, completed: Bools,
                 order: Ints, titles: Sequence[str], build: Callable[[int], TrainingRecord]) -> None:
        self.person, self.kind, self.end = person, kind, end
        self.days_x100, self.hours_x100, self.completed, self.order = days_x100, hours_x100, completed, order
        self.titles, self._build = titles, build

    def __len__(self) -> int:
        return len(self.person)

    def record(self, i: int) -> TrainingRecord:
        return self._build(i)

    @classmethod
    def of(cls, recs: Mapping[int, Sequence[TrainingRecord]]) -> RecordColumns:
        """The columns of records already read (each person's list in its order)."""
        import numpy as np

        flat = [r for rs in recs.values() for r in rs]
        kinds = {t: i for i, t in enumerate(training.TRAINING_TYPES)}
        order = [i for rs in recs.values() for i in range(len(rs))]

        def ints(values: Iterable[int]) -> Ints:
            return np.fromiter(values, dtype=np.int64, count=len(flat))

        return cls(ints(r.person_id for r in flat), ints(kinds.get(r.type, -1) for r in flat),
                   ints(r.end_date.toordinal() for r in flat), ints(to_x100(r.days) for r in flat),
                   ints(to_x100(r.hours) for r in flat), np.array([r.completed for r in flat], dtype=bool),
                   np.array(order, dtype=np.int64), [r.title for r in flat], flat.__getitem__)


def columns(db: Database, rules: RuleSet) -> RecordColumns:
    """`by_person(db, rules)` for the whole register as columns, without an object per record."""
    return columns_with(db, rules, enrolment_hours.prefetch(db, enrolment_hours.Scope(finished_only=True)))


def columns_with(db: Database, rules: RuleSet, marks: Callable[[], enrolment_hours.Marks]) -> RecordColumns:
    """`columns`, with the attendance marks of finished classes already being read
    (`enrolment_hours.prefetch(db, Scope(finished_only=True))`)."""
    import numpy as np

    classes = {int(c.id or 0): c for c in training.list_classes(db) if c.status == "已结束"}
    unit_names = dict(db.execute("SELECT id, name FROM units").fetchall())
    kinds = {t: i for i, t in enumerate(training.TRAINING_TYPES)}
    o = training.outcome_arrays(db, rules, finished_only=True, marks=marks)
    ext = db.execute("SELECT person_id, title, type, start_date, end_date, days_x100, hours_x100, completed,"
                     " organiser FROM external_records ORDER BY start_date, id").fetchall()
    ext_start = [dt.date.fromisoformat(r[3]) for r in ext]
    ext_end = [dt.date.fromisoformat(r[4]) for r in ext]
    ids = sorted(classes)
    at = np.searchsorted(np.array(ids, dtype=np.int64), o.class_id)  # every enrolment's class is finished
    per_class = [classes[i] for i in ids]

    def of_class(values: Iterable[int]) -> Ints:
        return np.fromiter(values, dtype=np.int64, count=len(ids))[at] if ids else np.zeros(0, dtype=np.int64)

    n_class, n_ext = len(o.class_id), len(ext)
    person = np.concatenate([o.person_id, np.array([r[0] for r in ext], dtype=np.int64)])
    kind = np.concatenate([of_class(kinds.get(c.type, -1) for c in per_class),
                           np.array([kinds.get(r[2], -1) for r in ext], dtype=np.int64)])
    start = np.concatenate([of_class(c.start_date.toordinal() for c in per_class),
                            np.array([d.toordinal() for d in ext_start], dtype=np.int64)])
    end = np.concatenate([of_class(c.end_date.toordinal() for c in per_class),
                          np.array([d.toordinal() for d in ext_end], dtype=np.int64)])
    days = np.concatenate([of_class(c.days * 100 for c in per_class), np.array([r[5] for r in ext], dtype=np.int64)])
    hours = np.concatenate([o.credited_x100, np.array([r[6] for r in ext], dtype=np.int64)])
    completed = np.concatenate([o.completed, np.array([bool(r[7]) for r in ext], dtype=bool)])
    class_titles = [c.title for c in per_class]
    title_list = sorted({*class_titles, *(r[1] for r in ext)})
    rank = {t: i for i, t in enumerate(title_list)}
    title_rank = np.concatenate([of_class(rank[t] for t in class_titles),
                                 np.array([rank[r[1]] for r in ext], dtype=np.int64)])
    # by_person's order: one stable sort by (start date, title) of class records (by class, enrolment) then
    # external ones (by start date, id).
    order = np.empty(n_class + n_ext, dtype=np.int64)
    order[np.lexsort((np.arange(n_class + n_ext), title_rank, start))] = np.arange(n_class + n_ext)
    class_index = at.tolist()
    class_ids = o.class_id.tolist()

    def build(i: int) -> TrainingRecord:
        if i < n_class:
            c = per_class[class_index[i]]
            return TrainingRecord(int(person[i]), c.title, c.type, c.start_date, c.end_date, Decimal(c.days),
                                  from_x100(int(hours[i])), bool(completed[i]),
                                  unit_names.get(c.organiser_unit_id, ""), "培训班", class_ids[i])
        r = ext[i - n_class]
        return TrainingRecord(r[0], r[1], r[2], ext_start[i - n_class], ext_end[i - n_class], from_x100(r[5]),
                              from_x100(r[6]), bool(r[7]), r[8], "外部记录")

    titles = [*(per_class[k].title for k in class_index), *(r[1] for r in ext)]
    return RecordColumns(person, kind, end, days, hours, completed, order, titles, build)


# ---- external record import ------------------------------------------------------------------------

@dataclass(frozen=True)
class PlannedRecord:
    row: int
    person_id: int
    title: str
    type: str
    start_date: dt.date
    end_date: dt.date
    days: Decimal
    hours: Decimal
    completed: bool
    organiser: str


@dataclass
class RecordPlan(CheckedFile):
    rows: list[PlannedRecord] = field(default_factory=list)


def plan_records(db: Database, table: RawTable) -> RecordPlan:
    plan = RecordPlan()
    missing = [c for c in REQUIRED if c not in table.headers]
    if missing:
        plan.problems = [RowProblem(table.header_row, c, "缺少必填列") for c in missing]
        return plan
    if not table.rows:
        plan.problems = [RowProblem(table.header_row, "表头", "只有表头，没有数据行")]
        return plan
    register = people.by_id_numbers(db)
    stored = {(r[0], r[1], r[2]) for r in db.execute("SELECT person_id, title, start_date FROM external_records")}
    seen: dict[tuple[int, str, str], int] = {}
    for number, cells in table.records():
        problems: list[RowProblem] = []

        def bad(column: str, message: str, number: int = number, problems: list[RowProblem] = problems) -> None:
            problems.append(RowProblem(number, column, message))

        values = {c: text(cells.get(c)) for c in COLUMNS}
        for column in REQUIRED:
            if not values[column]:
                bad(column, "必填项为空")
        id_number = idnumber.normalize(cells.get("身份证号"))  # as the roster reads it: full-width, spaces, x
        person = register.get(id_number) if id_number else None
        if id_number and person is None:
            bad("身份证号", f"人员名册中没有身份证号{id_number}")
        if person and values["姓名"] and values["姓名"] != person.name:
            bad("姓名", f"与名册不符（名册中为“{person.name}”）")
        if values["培训类型"] and values["培训类型"] not in training.TRAINING_TYPES:
            bad("培训类型", "应为" + "、".join(training.TRAINING_TYPES) + "之一")
        dates: dict[str, dt.date | None] = {}
        for column in ("开始日期", "结束日期"):
            try:
                dates[column] = parse_date(cells.get(column))
            except DateError as exc:
                bad(column, str(exc))
                dates[column] = None
        start, end = dates["开始日期"], dates["结束日期"]
        if start and end and end < start:
            bad("结束日期", "结束日期早于开始日期")
        amounts: dict[str, Decimal | None] = {}
        for column in ("天数", "学时"):
            try:
                amounts[column] = parse_amount(cells.get(column), allow_empty=True)
            except AmountError as exc:
                bad(column, str(exc))
                amounts[column] = None
        completed = values["是否结业"]
        if completed and completed not in ("是", "否"):
            bad("是否结业", "应为“是”或“否”")
        if person and start and values["培训名称"]:
            key = (int(person.id or 0), values["培训名称"], start.isoformat())
            if key in stored:
                bad("培训名称", "该记录已存在（同一人、同一培训名称、同一开始日期）")
            elif key in seen:
                bad("培训名称", f"与第{seen[key]}行重复（同一人、同一培训名称、同一开始日期）")
            else:
                seen[key] = number
        plan.problems.extend(problems)
        if not problems and person and start and end and amounts["学时"] is not None:
            days = amounts["天数"] if amounts["天数"] is not None else Decimal((end - start).days + 1)
            plan.rows.append(PlannedRecord(
                number, int(person.id or 0), values["培训名称"], values["培训类型"], start, end, days,
                amounts["学时"], completed == "是", values["主办单位"]))
    return plan


def apply_records(db: Database, plan: RecordPlan, *, cancelled: Callable[[], bool] | None = None) -> int:
    if not plan.ok:
        raise ValueError("plan has problems; nothing written")
    backup.before_change(db.conn, backup.PRE_IMPORT)
    now = dt.datetime.now().isoformat(timespec="seconds")
    with db.atomic():
        for i, r in enumerate(plan.rows):
            if cancelled and i % 200 == 0 and cancelled():
                raise ImportCancelled()
            db.execute(
                "INSERT INTO external_records (person_id, title, type, start_date, end_date, days_x100, hours_x100,"
                " completed, organiser, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [r.person_id, r.title, r.type, r.start_date.isoformat(), r.end_date.isoformat(), to_x100(r.days),
                 to_x100(r.hours), int(r.completed), r.organiser, now])
    return len(plan.rows)
