"""Training records: what counts toward the rules. Finished classes and imported external records, as one list.

External records (provincial courses, party school, earlier years) are imported like a roster: every row is
checked first and all are written in one transaction, or none. A re-import with `update` corrects the stored
records its rows match (same person, 培训名称, 开始日期) instead of refusing them as duplicates.

One record is corrected (`update_record`, by the import's own field rules) or deleted (`delete_records`, with a
reason) in one transaction, recorded in the audit chain: a change here changes everyone's compliance. A class's
record follows the class and is refused here; certificates come only from classes and awards, never from an
external record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

from sqlite_utils import Database

from trainer import audit, backup, enrolment_hours, idnumber, people, training
from trainer.amounts import AmountError, fmt, from_x100, parse_amount, to_x100
from trainer.dates import DateError, parse_date
from trainer.gc_pause import gc_paused
from trainer.people import Person
from trainer.person_fields import FieldError, text
from trainer.rules import RuleSet
from trainer.tabular import NEW, UNCHANGED, UPDATED, CheckedFile, ImportCancelled, RawTable, RowProblem, action_counts

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


# ---- one external record's fields: the import's rules, for a file's row and for an edit ----------------

ACTOR = "培训管理"  # who the audit log names for a change made in the window: the window has no log-in
REIMPORT_REASON = "重新导入更正"
DUPLICATE = "该记录已存在（同一人、同一培训名称、同一开始日期）"
_CLASS_REF = re.compile(r"^(?:班|[Cc])(\d+)$")
PersonLookup = Callable[[str], Person | None]


class RecordError(ValueError):
    """A refused edit or deletion; `lines` are for the user (`列名: 原因` for a bad field)."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = list(lines)


@dataclass(frozen=True)
class RecordFields:
    """What one external record says, as `read_fields` found it."""

    person_id: int
    title: str
    type: str
    start_date: dt.date
    end_date: dt.date
    days: Decimal
    hours: Decimal
    completed: bool
    organiser: str

    @property
    def key(self) -> tuple[int, str, str]:
        """A person has one record per 培训名称 and 开始日期."""
        return self.person_id, self.title, self.start_date.isoformat()

    def shown(self) -> dict[str, str]:
        """The fields as the audit log writes them (the person apart)."""
        return {"培训名称": self.title, "培训类型": self.type, "开始日期": self.start_date.isoformat(),
                "结束日期": self.end_date.isoformat(), "天数": fmt(self.days), "学时": fmt(self.hours),
                "是否结业": "是" if self.completed else "否", "主办单位": self.organiser}


@dataclass(frozen=True)
class ReadRecord:
    fields: RecordFields | None  # None when there are problems
    problems: list[FieldError]
    key: tuple[int, str, str] | None  # the duplicate key, whenever the person, 培训名称 and 开始日期 are readable


def read_fields(cells: Mapping[str, object], lookup: PersonLookup) -> ReadRecord:
    """One record from column → raw value (a file's row or a form's texts), by the import's rules; `lookup`
    finds a person by normalised ID number. The duplicate rule needs the stored records: callers apply it."""
    problems: list[FieldError] = []

    def bad(column: str, message: str) -> None:
        problems.append(FieldError(column, message))

    values = {c: text(cells.get(c)) for c in COLUMNS}
    for column in REQUIRED:
        if not values[column]:
            bad(column, "必填项为空")
    id_number = idnumber.normalize(cells.get("身份证号"))  # as the roster reads it: full-width, spaces, x
    person = lookup(id_number) if id_number else None
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
    key = (int(person.id or 0), values["培训名称"], start.isoformat()) if person and start and values["培训名称"] \
        else None
    hours = amounts["学时"]
    if problems or person is None or start is None or end is None or hours is None:
        return ReadRecord(None, problems, key)
    days = amounts["天数"] if amounts["天数"] is not None else Decimal((end - start).days + 1)
    return ReadRecord(RecordFields(int(person.id or 0), values["培训名称"], values["培训类型"], start, end, days,
                                   hours, completed == "是", values["主办单位"]), problems, key)


# ---- stored external records -------------------------------------------------------------------------

@dataclass(frozen=True)
class ExternalRecord:
    """An external record as stored, with its person as the register names them now."""

    id: int
    id_number: str
    name: str
    fields: RecordFields
    imported_at: str

    def cells(self) -> dict[str, str]:
        """The record as an import row would give it; 天数 is empty when it is the date span, so that new
        dates bring new days (as in the import) unless a number of days was given."""
        f = self.fields
        span = Decimal((f.end_date - f.start_date).days + 1)
        return {"身份证号": self.id_number, "姓名": self.name, "培训名称": f.title, "培训类型": f.type,
                "开始日期": f.start_date.isoformat(), "结束日期": f.end_date.isoformat(),
                "天数": "" if f.days == span else fmt(f.days), "学时": fmt(f.hours),
                "是否结业": "是" if f.completed else "否", "主办单位": f.organiser}

    def shown(self) -> dict[str, str]:
        return {"人员": f"{self.name}（{self.id_number}）", **self.fields.shown()}

    def label(self) -> str:
        return f"外部培训记录{self.id}：{self.name} {self.fields.title}（{self.fields.start_date.isoformat()}）"


_SELECT = ("SELECT r.id, p.id_number, p.name, r.person_id, r.title, r.type, r.start_date, r.end_date, r.days_x100,"
           " r.hours_x100, r.completed, r.organiser, r.imported_at FROM external_records r"
           " JOIN people p ON p.id = r.person_id")


def _stored(r: Sequence[object]) -> ExternalRecord:
    fields = RecordFields(int(r[3]), str(r[4]), str(r[5]), dt.date.fromisoformat(str(r[6])),  # type: ignore[call-overload]
                          dt.date.fromisoformat(str(r[7])), from_x100(r[8]), from_x100(r[9]),  # type: ignore[arg-type]
                          bool(r[10]), str(r[11]))
    return ExternalRecord(int(r[0]), str(r[1]), str(r[2]), fields, str(r[12]))  # type: ignore[call-overload]


def get_record(db: Database, record_id: int) -> ExternalRecord | None:
    row = db.execute(_SELECT + " WHERE r.id = ?", [record_id]).fetchone()
    return _stored(row) if row else None


def list_records(db: Database, person_ids: Iterable[int] | None = None) -> list[ExternalRecord]:
    """Stored external records by person and start date."""
    sql, args = _SELECT, []
    if person_ids is not None:
        ids = list(person_ids)
        sql += f" WHERE r.person_id IN ({', '.join('?' * len(ids))})"
        args = list(ids)
    return [_stored(r) for r in db.execute(sql + " ORDER BY p.id_number, r.start_date, r.title", args)]


def _write(db: Database, record_id: int, f: RecordFields) -> None:
    db.execute("UPDATE external_records SET person_id = ?, title = ?, type = ?, start_date = ?, end_date = ?,"
               " days_x100 = ?, hours_x100 = ?, completed = ?, organiser = ? WHERE id = ?",
               [f.person_id, f.title, f.type, f.start_date.isoformat(), f.end_date.isoformat(), to_x100(f.days),
                to_x100(f.hours), int(f.completed), f.organiser, record_id])


def _edit_entry(before: ExternalRecord, after: ExternalRecord, reason: str, actor: str, where: str = ""
                ) -> audit.Entry:
    """Who changed which fields from what to what, and why."""
    old, new = before.shown(), after.shown()
    changed = [c for c in old if old[c] != new[c]]
    return audit.Entry(audit.RECORD_EDIT, actor, old="；".join(f"{c}：{old[c]}" for c in changed),
                       new="；".join(f"{c}：{new[c]}" for c in changed), reason=reason,
                       detail=before.label() + where)


def record_id(db: Database, ref: int | str) -> int:
    """The external record `ref` names (its number, as `trainer records list` shows it). A class's record
    (班N) is refused: it follows the class's attendance, scores and completion."""
    ref_text = str(ref).strip()
    m = _CLASS_REF.match(ref_text)
    if m:
        class_id = int(m.group(1))
        c = training.get_class(db, class_id)
        if c is None:
            raise RecordError([f"没有编号为{class_id}的培训班"])
        raise RecordError([f"{ref_text}是培训班“{c.title}”的记录，随该班的考勤、成绩和结业而定，"
                           "不能在培训记录中修改或删除；请在“培训班”中修改该班"])
    if not ref_text.isdigit():
        raise RecordError([f"“{ref_text}”不是培训记录编号（外部培训记录的编号是数字，见 trainer records list）"])
    if db.execute("SELECT 1 FROM external_records WHERE id = ?", [int(ref_text)]).fetchone() is None:
        raise RecordError([f"没有编号为{int(ref_text)}的外部培训记录"])
    return int(ref_text)


def _require(db: Database, rid: int) -> ExternalRecord:
    found = get_record(db, rid)
    if found is None:
        raise RecordError([f"没有编号为{rid}的外部培训记录"])
    return found


def _person_lookup(db: Database) -> PersonLookup:
    def find(number: str) -> Person | None:
        row = db.execute("SELECT id FROM people WHERE id_number = ?", [number]).fetchone()
        return people.get(db, int(row[0])) if row else None

    return find


@dataclass(frozen=True)
class RecordUpdate:
    before: ExternalRecord
    after: ExternalRecord

    @property
    def changed(self) -> dict[str, tuple[str, str]]:
        """Column → (old, new) for what the edit changed."""
        old, new = self.before.shown(), self.after.shown()
        return {c: (old[c], new[c]) for c in old if old[c] != new[c]}


def update_record(db: Database, ref: int | str, changes: Mapping[str, object], *, reason: str = "",
                  actor: str = ACTOR) -> RecordUpdate:
    """Change an external record: `changes` maps import columns (学时, 开始日期 …) to new values, the others
    keep theirs. Checked by the import's rules, duplicates included; refused with every problem and nothing
    changed, else written and recorded in the audit chain in one transaction (nothing when nothing changed)."""
    unknown = set(changes) - set(COLUMNS)
    if unknown:
        raise ValueError(f"not a records column: {sorted(unknown)}")
    with db.atomic():
        before = _require(db, record_id(db, ref))
        read = read_fields({**before.cells(), **changes}, _person_lookup(db))
        problems = [f"{p.column}: {p.message}" for p in read.problems]
        if read.key is not None and read.key != before.fields.key and db.execute(
                "SELECT 1 FROM external_records WHERE person_id = ? AND title = ? AND start_date = ?",
                list(read.key)).fetchone():
            problems.append(f"培训名称: {DUPLICATE}")
        if problems or read.fields is None:
            raise RecordError(problems)
        if read.fields == before.fields:
            return RecordUpdate(before, before)
        _write(db, before.id, read.fields)
        after = _require(db, before.id)
        audit.append(db, _edit_entry(before, after, reason.strip(), actor))
    return RecordUpdate(before, after)


def delete_records(db: Database, refs: Sequence[int | str], reason: str, *, actor: str = ACTOR
                   ) -> list[ExternalRecord]:
    """Delete external records, all or none, each recorded with the reason in the audit chain. External
    records never produce certificates (those come from classes and awards), so none is left without one."""
    if not refs:
        raise RecordError(["请指定要删除的培训记录编号"])
    if not reason.strip():
        raise RecordError(["删除培训记录须填写原因（记入审计日志）"])
    with db.atomic():
        ids: list[int] = []
        problems: list[str] = []
        for ref in refs:
            try:
                rid = record_id(db, ref)
            except RecordError as exc:
                problems.extend(exc.lines)
                continue
            if rid not in ids:
                ids.append(rid)
        if problems:
            raise RecordError(problems)
        gone = [_require(db, rid) for rid in ids]
        db.conn.executemany("DELETE FROM external_records WHERE id = ?", [(rid,) for rid in ids])
        audit.append_many(db, [audit.Entry(audit.RECORD_DELETE, actor,
                                           old="；".join(f"{c}：{v}" for c, v in r.shown().items()),
                                           reason=reason.strip(), detail=r.label()) for r in gone])
    return gone


LIST_COLUMNS = ("编号", "来源", "身份证号", "姓名", "培训名称", "培训类型", "开始日期", "结束日期", "天数", "学时",
                "是否结业", "主办单位")


def listing(db: Database, rules: RuleSet, *, id_number: str = "", year: int | None = None) -> list[list[str]]:
    """Every training record (of one person, ending in one year), with the number an edit names: N for an
    external record, 班N for a class's record (changed only through the class)."""
    ids: list[int] | None = None
    if id_number:
        found = _person_lookup(db)(idnumber.normalize(id_number))
        if found is None:
            raise RecordError([f"人员名册中没有身份证号{idnumber.normalize(id_number)}"])
        ids = [int(found.id or 0)]
    who = {int(r[0]): (str(r[1]), str(r[2])) for r in db.execute("SELECT id, id_number, name FROM people")}
    rows: list[tuple[tuple[str, dt.date, str, int], list[str]]] = []
    for c in class_records(db, rules, ids):
        number, name = who[c.person_id]
        rows.append(((number, c.start_date, c.title, 0), [
            f"班{c.class_id}", c.source, number, name, c.title, c.type, c.start_date.isoformat(),
            c.end_date.isoformat(), fmt(c.days), fmt(c.hours), "是" if c.completed else "否", c.organiser]))
    for e in list_records(db, ids):
        f = e.fields
        rows.append(((e.id_number, f.start_date, f.title, 1), [
            str(e.id), "外部记录", e.id_number, e.name, f.title, f.type, f.start_date.isoformat(),
            f.end_date.isoformat(), fmt(f.days), fmt(f.hours), "是" if f.completed else "否", f.organiser]))
    rows.sort(key=lambda kr: kr[0])
    return [r for _key, r in rows if year is None or r[7].startswith(f"{year:04d}-")]


# ---- external record import ------------------------------------------------------------------------

@dataclass(frozen=True)
class PlannedRecord(RecordFields):
    row: int = 0
    action: str = NEW  # 新增, or with `update` 更新 / 未变
    record_id: int | None = None  # the stored record an 更新 or 未变 row matches


@dataclass
class RecordPlan(CheckedFile):
    rows: list[PlannedRecord] = field(default_factory=list)
    update: bool = False  # a row matching a stored record updates it instead of being refused

    def counts(self) -> dict[str, int]:
        return action_counts(self.rows)

    def to_write(self) -> int:
        c = self.counts()
        return c[NEW] + c[UPDATED]

    def summary(self) -> str:
        c = self.counts()
        return f"新增 {c[NEW]} 条，更新 {c[UPDATED]} 条，未变 {c[UNCHANGED]} 条"


def plan_records(db: Database, table: RawTable, *, update: bool = False) -> RecordPlan:
    """Check every row without writing. A row matching a stored record (same person, 培训名称 and 开始日期) is
    refused as a duplicate, or with `update` becomes an 更新 (or 未变) of that record."""
    plan = RecordPlan(update=update)
    missing = [c for c in REQUIRED if c not in table.headers]
    if missing:
        plan.problems = [RowProblem(table.header_row, c, "缺少必填列") for c in missing]
        return plan
    if not table.rows:
        plan.problems = [RowProblem(table.header_row, "表头", "只有表头，没有数据行")]
        return plan
    register = people.by_id_numbers(db)
    stored = {r.fields.key: r for r in list_records(db)}
    seen: dict[tuple[int, str, str], int] = {}
    for number, cells in table.records():
        read = read_fields(cells, register.get)
        problems = [RowProblem(number, p.column, p.message) for p in read.problems]
        match = stored.get(read.key) if read.key is not None else None
        if read.key is not None:
            if match is not None and not update:
                problems.append(RowProblem(number, "培训名称", DUPLICATE))
            elif read.key in seen:
                problems.append(RowProblem(number, "培训名称",
                                           f"与第{seen[read.key]}行重复（同一人、同一培训名称、同一开始日期）"))
            else:
                seen[read.key] = number
        plan.problems.extend(problems)
        if not problems and read.fields is not None:
            action = NEW if match is None else UNCHANGED if match.fields == read.fields else UPDATED
            plan.rows.append(PlannedRecord(**vars(read.fields), row=number, action=action,
                                           record_id=match.id if match else None))
    return plan


def apply_records(db: Database, plan: RecordPlan, *, cancelled: Callable[[], bool] | None = None,
                  actor: str = ACTOR) -> int:
    """Write a clean plan in one transaction: new records added, matched ones updated (each update in the
    audit chain, reason 重新导入更正); returns how many were written. Cancelling or any error rolls it all back."""
    if not plan.ok:
        raise ValueError("plan has problems; nothing written")
    backup.before_change(db.conn, backup.PRE_IMPORT)
    now = dt.datetime.now().isoformat(timespec="seconds")
    writes = [r for r in plan.rows if r.action in (NEW, UPDATED)]
    entries: list[audit.Entry] = []
    with db.atomic():
        for i, r in enumerate(writes):
            if cancelled and i % 200 == 0 and cancelled():
                raise ImportCancelled()
            if r.action == UPDATED and r.record_id is not None:
                before = _require(db, r.record_id)
                fields = RecordFields(**{k: getattr(r, k) for k in RecordFields.__dataclass_fields__})
                _write(db, r.record_id, fields)
                entries.append(_edit_entry(before, replace(before, fields=fields), REIMPORT_REASON, actor,
                                           f"（第{r.row}行）"))
                continue
            db.execute(
                "INSERT INTO external_records (person_id, title, type, start_date, end_date, days_x100, hours_x100,"
                " completed, organiser, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [r.person_id, r.title, r.type, r.start_date.isoformat(), r.end_date.isoformat(), to_x100(r.days),
                 to_x100(r.hours), int(r.completed), r.organiser, now])
        audit.append_many(db, entries, at=now)
    return len(writes)
