"""The register's fields and the rules for reading them from text (roster cells, dialog inputs).

One parser serves the roster import and the add/edit dialog, so both refuse the same things with
the same words.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass

from trainer import idnumber
from trainer.dates import DateError, parse_date
from trainer.people import Person
from trainer.units import UnitIndex

NAME, GENDER, ID_NUMBER, UNIT, CATEGORY, POSITION, LEADER, LEADER_SINCE, HIRE_DATE, CARD_NUMBER, \
    CARD_EXPIRY, POST_STATUS, PHONE = (
        "姓名", "性别", "身份证号", "单位", "人员类别", "职务", "队伍负责人", "任职日期", "入职日期", "执法证号",
        "执法证有效期至", "岗位状态", "联系电话",
    )
COLUMNS = (NAME, GENDER, ID_NUMBER, UNIT, CATEGORY, POSITION, LEADER, LEADER_SINCE, HIRE_DATE,
           CARD_NUMBER, CARD_EXPIRY, POST_STATUS, PHONE)
REQUIRED = (NAME, ID_NUMBER, UNIT, CATEGORY, HIRE_DATE)
CATEGORIES = ("执法人员", "协管人员")
POST_STATUSES = ("在岗", "离岗", "借调", "退休", "调出")
GENDERS = ("男", "女")

_MOBILE = re.compile(r"^1\d{10}$")
_LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}$")


@dataclass(frozen=True)
class FieldError:
    column: str
    message: str


def text(raw: object) -> str:
    """A cell as trimmed text; Excel's whole-number floats lose their `.0`."""
    if raw.__class__ is str:  # most cells: skip the isinstance ladder (an import calls this 13 times a row)
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, float):
        if raw != raw:
            return ""
        if raw.is_integer():
            return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    return str(raw).strip()


def phone_problem(value: str) -> str | None:
    if not value or _MOBILE.match(value) or _LANDLINE.match(value):
        return None
    return "应为以1开头的11位手机号，或“区号-号码”形式的固定电话（如0375-2345678）"


def parse_person(cells: Mapping[str, object], units: UnitIndex, today: dt.date | None = None,
                 person_id: int | None = None) -> tuple[Person | None, list[FieldError]]:
    """Read one person from column → raw value; return the person or every problem found."""
    today = today or dt.date.today()
    errors: list[FieldError] = []

    def err(column: str, message: str) -> None:
        errors.append(FieldError(column, message))

    values = {c: text(cells.get(c)) for c in COLUMNS}
    for column in REQUIRED:
        if not values[column] and column != ID_NUMBER:
            err(column, "必填项为空")

    info = None
    id_raw = cells.get(ID_NUMBER)
    if not idnumber.normalize(id_raw):
        err(ID_NUMBER, "必填项为空")
    else:
        try:
            info = idnumber.parse(id_raw, today)
        except idnumber.IdNumberError as exc:
            err(ID_NUMBER, str(exc))

    gender = values[GENDER]
    if gender and gender not in GENDERS:
        err(GENDER, "应为“男”或“女”")
    elif info and gender and gender != info.gender:
        err(GENDER, f"与身份证号不符（身份证号为{info.gender}性）")
    if not gender and info:
        gender = info.gender

    unit = units.resolve(values[UNIT]) if values[UNIT] else None
    if values[UNIT] and unit is None:
        err(UNIT, f"未知单位“{values[UNIT]}”（请先在单位管理中添加，或使用已登记的别名）")

    category = values[CATEGORY]
    if category and category not in CATEGORIES:
        err(CATEGORY, "应为“执法人员”或“协管人员”")
    status = values[POST_STATUS] or "在岗"
    if status not in POST_STATUSES:
        err(POST_STATUS, "应为" + "、".join(POST_STATUSES) + "之一")

    leader_text = values[LEADER] or "否"
    if leader_text not in ("是", "否"):
        err(LEADER, "应为“是”或“否”")
    is_leader = leader_text == "是"

    def date_of(column: str, not_future: bool) -> dt.date | None:
        try:
            d = parse_date(cells.get(column))
        except DateError as exc:
            err(column, str(exc))
            return None
        if d and not_future and d > today:
            err(column, f"日期{d.isoformat()}晚于今天")
            return None
        return d

    hire = date_of(HIRE_DATE, True)
    leader_since = date_of(LEADER_SINCE, True)
    expiry = date_of(CARD_EXPIRY, False)
    if is_leader and leader_since is None and not any(e.column == LEADER_SINCE for e in errors):
        err(LEADER_SINCE, "队伍负责人须填写任职日期")

    card = values[CARD_NUMBER]
    if card and expiry is None and not any(e.column == CARD_EXPIRY for e in errors):
        err(CARD_EXPIRY, "填写了执法证号，但缺少执法证有效期")
    if expiry and not card:
        err(CARD_NUMBER, "填写了执法证有效期，但缺少执法证号")
    if category == "协管人员" and (card or expiry):
        err(CARD_NUMBER, "协管人员不得持有执法证（协管人员不得从事具体行政执法工作）")

    problem = phone_problem(values[PHONE])
    if problem:
        err(PHONE, problem)

    if errors or info is None or unit is None or hire is None:
        return None, errors
    return Person(
        id=person_id, name=values[NAME], gender=gender, id_number=info.number, unit_id=unit.id,
        category=category, position=values[POSITION], is_leader=is_leader,
        leader_since=leader_since if is_leader else None, hire_date=hire, card_number=card,
        card_expiry=expiry, post_status=status, phone=values[PHONE],
    ), []


def person_cells(person: Person, units: UnitIndex) -> dict[str, object]:
    """The inverse of parse_person: one person as roster cells (dates stay dates)."""
    return {
        NAME: person.name, GENDER: person.gender, ID_NUMBER: person.id_number,
        UNIT: units.name(person.unit_id), CATEGORY: person.category, POSITION: person.position,
        LEADER: "是" if person.is_leader else "否", LEADER_SINCE: person.leader_since,
        HIRE_DATE: person.hire_date, CARD_NUMBER: person.card_number, CARD_EXPIRY: person.card_expiry,
        POST_STATUS: person.post_status, PHONE: person.phone,
    }
