"""Attendance from an Excel sheet: one row per member, one column per session; checked, then all or nothing.

The format (what 导出考勤模板 writes):

    身份证号            | 姓名 | 单位   | 2026-03-02 08:30 | 2026-03-02 14:30 | 2026-03-03 08:30
    410402198501011234 | 张三 | 新华区 | 出勤             | 迟到             |

- a session column is headed by the session's date and start time (`YYYY-MM-DD HH:MM`; just the date for a
  session without a time; two sessions at the same date and time are told apart by `（2）`, `（3）`…);
  2026/3/2 8:30 and a header Excel turned into a date-time are read too;
- a cell holds 出勤, 迟到, 早退, 请假 or 缺勤 (√ for 出勤, × for 缺勤); an empty cell leaves that mark as it is;
- 姓名 is checked against the register when present; 单位 and any other column are ignored.

A problem is reported as `第R行 列名: 原因`; a file with any problem writes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlite_utils import Database

from trainer import backup, idnumber, people, training
from trainer.class_roster import members
from trainer.dates import DateError, parse_date
from trainer.person_fields import text
from trainer.rules import ATTENDANCE_STATUSES
from trainer.tabular import CheckedFile, RawTable, RowProblem
from trainer.training import Session

ID_NUMBER, NAME, UNIT = "身份证号", "姓名", "单位"
ALIASES = {"√": "出勤", "✓": "出勤", "✔": "出勤", "×": "缺勤", "✗": "缺勤", "X": "缺勤"}
_HEADER = re.compile(r"^(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)"
                     r"(?:\s*(?P<h>\d{1,2})\s*[:：]\s*(?P<m>\d{2})(?:\s*[:：]\s*\d{2})?)?"
                     r"\s*(?:[（(]\s*(?P<n>\d+)\s*[）)])?$")


def session_headers(sessions: Sequence[Session]) -> dict[int, str]:
    """Session id → its column header, unique within the class."""
    out: dict[int, str] = {}
    seen: dict[str, int] = {}
    for s in sessions:
        base = f"{s.date.isoformat()} {_time(s.start_time)}".strip()
        seen[base] = seen.get(base, 0) + 1
        out[int(s.id or 0)] = base if seen[base] == 1 else f"{base}（{seen[base]}）"
    return out


def _time(raw: str) -> str:
    m = re.match(r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})", raw or "")
    return f"{int(m.group(1)):02d}:{m.group(2)}" if m else ""


def canonical_header(header: str) -> str | None:
    """A header as session_headers writes it, or None when it names no date (not a session column)."""
    m = _HEADER.match(header.strip())
    if not m:
        return None
    try:
        day = parse_date(m.group("date"))
    except DateError:
        return None
    if day is None:
        return None
    label = day.isoformat()
    if m.group("h") is not None:
        label += f" {int(m.group('h')):02d}:{m.group('m')}"
    if m.group("n") and int(m.group("n")) > 1:
        label += f"（{int(m.group('n'))}）"
    return label


def template(db: Database, class_id: int) -> tuple[list[str], list[list[object]]]:
    """Headers and rows of the attendance sheet for a class, with the marks already recorded."""
    sessions = training.sessions(db, class_id)
    headers = session_headers(sessions)
    marks = {int(s.id or 0): training.attendance(db, int(s.id or 0)) for s in sessions}
    rows: list[list[object]] = []
    for m in members(db, class_id):
        rows.append([m.person.id_number, m.person.name, m.unit,
                     *(marks[sid].get(m.person_id, "") for sid in headers)])
    return [ID_NUMBER, NAME, UNIT, *headers.values()], rows


@dataclass(frozen=True)
class PlannedMarks:
    row: int
    person_id: int
    marks: dict[int, str]  # session id → status
    cells: dict[str, object]
    problems: tuple[RowProblem, ...] = ()


@dataclass
class AttendancePlan(CheckedFile):
    class_id: int
    columns: dict[str, int] = field(default_factory=dict)  # file header → session id
    rows: list[PlannedMarks] = field(default_factory=list)
    changes: int = 0  # marks that differ from what is stored
    ahead: dict[int, int] = field(default_factory=dict)  # session id → 出勤/迟到/早退/缺勤 marks before its day
    ahead_labels: list[str] = field(default_factory=list)  # those sessions' column headers, in file order

    @property
    def marks(self) -> int:
        return sum(len(r.marks) for r in self.rows)

    def summary(self) -> str:
        return (f"{len(self.rows)}名学员，{len(self.columns)}节课程，共{self.marks}条考勤"
                f"（其中{self.changes}条与现有记录不同）")

    def ahead_note(self) -> str:
        """Why the file needs a second look before it is written ('' when it does not): marks that cannot be
        known before a session's day (training.early_mark_warning) — most likely a wrong column header."""
        if not self.ahead:
            return ""
        first = "、".join(self.ahead_labels[:3]) + ("等" if len(self.ahead_labels) > 3 else "")
        return (f"{first} {len(self.ahead)} 节课程的日期还没有到，文件中已填了 {sum(self.ahead.values())} 条"
                "出勤、迟到、早退或缺勤（这些要到上课当天才能确定），请确认表头没有写错课程")


def _status(raw: object) -> str | None:
    value = text(raw)
    if not value:
        return None
    value = ALIASES.get(value.upper() if value.isascii() else value, value)
    return value if value in ATTENDANCE_STATUSES else ""


def plan_attendance(db: Database, class_id: int, table: RawTable, today: dt.date | None = None) -> AttendancePlan:
    """Check every row against the register and the class without writing anything; marks before a
    session's day (as of `today`) are counted in `ahead` for the officer to confirm."""
    plan = AttendancePlan(class_id)
    today = today or dt.date.today()
    head = table.header_row
    if ID_NUMBER not in table.headers:
        plan.problems.append(RowProblem(head, ID_NUMBER, "缺少必填列"))
    sessions = training.sessions(db, class_id)
    by_label = {label: sid for sid, label in session_headers(sessions).items()}
    for header in table.headers:
        label = canonical_header(header) if header else None
        if label is None:
            continue
        sid = by_label.get(label)
        if sid is None:
            plan.problems.append(RowProblem(head, header, f"本班没有{label}的课程（表头应与考勤模板一致）"))
        elif sid in plan.columns.values():
            plan.problems.append(RowProblem(head, header, "与前面的列是同一节课程"))
        else:
            plan.columns[header] = sid
    if not plan.columns and all(p.column == ID_NUMBER for p in plan.problems):
        plan.problems.append(RowProblem(head, "表头", "没有课程列：课程列的表头应为课程日期和开始时间，"
                                                    "如 2026-03-02 08:30"))
    if plan.problems:
        return plan

    register = people.by_id_numbers(db)
    enrolled = set(training.enrolled_ids(db, class_id))
    stored = {sid: training.attendance(db, sid) for sid in plan.columns.values()}
    first_seen: dict[int, int] = {}
    wanted = "、".join(ATTENDANCE_STATUSES)
    for number, cells in table.records():
        problems: list[RowProblem] = []
        raw_id = cells.get(ID_NUMBER)
        id_number = idnumber.normalize(raw_id)
        person = register.get(id_number) if id_number else None
        if not id_number:
            problems.append(RowProblem(number, ID_NUMBER, "必填项为空"))
        elif person is None:
            problems.append(RowProblem(number, ID_NUMBER, f"人员名册中没有身份证号{id_number}"))
        elif person.id not in enrolled:
            problems.append(RowProblem(number, ID_NUMBER, f"{person.name}不是本班学员"))
        name = text(cells.get(NAME))
        if person is not None and name and name != person.name:
            problems.append(RowProblem(number, NAME, f"与名册不符（名册中为“{person.name}”）"))
        if person is not None and person.id is not None:
            earlier = first_seen.setdefault(person.id, number)
            if earlier != number:
                problems.append(RowProblem(number, ID_NUMBER, f"与第{earlier}行是同一人"))
        marks: dict[int, str] = {}
        for header, sid in plan.columns.items():
            status = _status(cells.get(header))
            if status == "":
                value = text(cells.get(header))
                problems.append(RowProblem(number, header, f"“{value}”不是考勤状态，应为{wanted}之一"))
            elif status is not None:
                marks[sid] = status
        pid = int(person.id or 0) if person is not None else 0
        plan.rows.append(PlannedMarks(number, pid, marks, cells, tuple(problems)))
        plan.problems.extend(problems)
        if not problems:
            plan.changes += sum(1 for sid, status in marks.items() if stored[sid].get(pid) != status)
    if not plan.rows:
        plan.problems.append(RowProblem(head, ID_NUMBER, "文件中没有学员数据行"))
    by_id = {s.id: s for s in sessions}
    for header, sid in plan.columns.items():
        early = sum(1 for r in plan.rows if training.early_mark_warning(by_id[sid], r.marks.get(sid), today))
        if early:
            plan.ahead[sid] = early
            plan.ahead_labels.append(str(header))
    return plan


def apply_attendance(db: Database, plan: AttendancePlan) -> int:
    """Write a clean plan in one transaction and return the number of marks written."""
    if not plan.ok:
        raise ValueError("plan has problems; nothing written")
    backup.before_change(db.conn, backup.PRE_IMPORT)
    by_session: dict[int, dict[int, str | None]] = {}
    for r in plan.rows:
        for sid, status in r.marks.items():
            by_session.setdefault(sid, {})[r.person_id] = status
    with db.atomic():
        for sid, marks in by_session.items():
            training.set_attendance(db, sid, marks)
    return plan.marks
