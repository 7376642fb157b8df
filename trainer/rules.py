"""The rule set: every threshold the compliance checks use, with its source text, versioned in the database.

The shipped default lives in data/rules_default.json. A bureau changes a threshold in settings; that saves
a new version and makes it active, so every report can name the rule set it applied.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from sqlite_utils import Database

from trainer.amounts import half_up
from trainer.resources import data_file

ATTENDANCE_STATUSES = ("出勤", "迟到", "早退", "请假", "缺勤")


class RuleError(ValueError):
    pass


@dataclass(frozen=True)
class Threshold:
    key: str
    label: str
    value: str
    source: str


@dataclass(frozen=True)
class RuleSet:
    version: str
    name: str
    thresholds: tuple[Threshold, ...]

    def raw(self, key: str) -> str:
        for t in self.thresholds:
            if t.key == key:
                return t.value
        raise KeyError(key)

    @property
    def start_date(self) -> dt.date:
        return dt.date.fromisoformat(self.raw("start_date"))

    def decimal(self, key: str) -> Decimal:
        return Decimal(self.raw(key))

    @property
    def card_warning_days(self) -> int:
        return int(self.raw("card_warning_days"))

    @property
    def leave_max_fraction(self) -> Fraction:
        return Fraction(self.raw("leave_max_fraction"))

    @property
    def leave_statuses(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.raw("leave_statuses").split(",") if s.strip())

    def credit(self, status: str) -> Decimal:
        """Share of a session's 学时 credited for this attendance status."""
        return Decimal(self.raw(f"credit_{status}"))

    def label(self) -> str:
        return f"{self.name}（版本 {self.version}）"


def _from_body(body: Mapping[str, object]) -> RuleSet:
    thresholds = body["thresholds"]
    assert isinstance(thresholds, dict)
    return RuleSet(
        version=str(body["version"]),
        name=str(body["name"]),
        thresholds=tuple(
            Threshold(k, str(v["label"]), str(v["value"]), str(v["source"])) for k, v in thresholds.items()
        ),
    )


def _to_body(rules: RuleSet) -> str:
    return json.dumps(
        {
            "version": rules.version,
            "name": rules.name,
            "thresholds": {t.key: {"label": t.label, "value": t.value, "source": t.source} for t in rules.thresholds},
        },
        ensure_ascii=False,
        indent=1,
    )


def shipped_default() -> RuleSet:
    with open(data_file("rules_default.json"), encoding="utf-8") as fh:
        return _from_body(json.load(fh))


def validate(key: str, value: str) -> str:
    """The value normalised, or RuleError with a Chinese reason."""
    value = value.strip()
    try:
        if key == "start_date":
            if dt.date.fromisoformat(value).isoformat() != value:  # 3.11 also reads 20210606 and 2021-W22-7
                raise ValueError(value)
        elif key == "leave_max_fraction":
            f = Fraction(value)
            if not 0 <= f < 1:
                raise RuleError("比例应在0与1之间，如 1/7")
        elif key == "leave_statuses":
            bad = [s for s in value.split(",") if s.strip() and s.strip() not in ATTENDANCE_STATUSES]
            if bad:
                raise RuleError(f"未知的考勤状态：{'、'.join(bad)}")
        elif key == "card_warning_days":
            if int(value) < 0:
                raise RuleError("天数不能为负")
        else:
            d = Decimal(value)
            if not d.is_finite():
                raise ValueError(value)
            if d < 0 or (key.startswith("credit_") and d > 1):
                raise RuleError("应为非负数" + ("，且不超过1" if key.startswith("credit_") else ""))
            if d != half_up(d):  # hours and credits are kept in hundredths: 0.333 would silently become 0.33
                raise RuleError("最多保留两位小数")
    except (ValueError, InvalidOperation, ZeroDivisionError) as exc:
        if isinstance(exc, RuleError):
            raise
        raise RuleError(f"“{value}”不是有效的取值") from None
    return value


def active(db: Database) -> RuleSet:
    """The active rule set; the shipped default is installed on first use."""
    row = db.execute("SELECT body FROM rule_sets WHERE active = 1 ORDER BY id DESC LIMIT 1").fetchone()
    if row:
        return _from_body(json.loads(row[0]))
    rules = shipped_default()
    with db.atomic():
        db.execute(
            "INSERT OR IGNORE INTO rule_sets (version, name, body, created_at, active) VALUES (?, ?, ?, ?, 1)",
            [rules.version, rules.name, _to_body(rules), dt.datetime.now().isoformat(timespec="seconds")],
        )
    return rules


def history(db: Database) -> list[tuple[str, str, bool]]:
    """(version, created_at, active) of every saved rule set, newest first."""
    return [(r[0], r[1], bool(r[2])) for r in
            db.execute("SELECT version, created_at, active FROM rule_sets ORDER BY id DESC")]


def save_changes(db: Database, changes: Mapping[str, str], name: str | None = None) -> RuleSet:
    """Store a new version with the changed values and make it active. Unchanged input stores nothing."""
    current = active(db)
    values = {t.key: t.value for t in current.thresholds}
    for key, value in changes.items():
        if key not in values:
            raise RuleError(f"未知的规则项：{key}")
        values[key] = validate(key, value)
    if all(values[t.key] == t.value for t in current.thresholds) and name in (None, current.name):
        return current
    count = db.execute("SELECT COUNT(*) FROM rule_sets").fetchone()[0]
    base = current.version.split(".")[0]
    new = RuleSet(
        version=f"{base}.{count + 1}",
        name=name or current.name,
        thresholds=tuple(Threshold(t.key, t.label, values[t.key], t.source) for t in current.thresholds),
    )
    with db.atomic():
        db.execute("UPDATE rule_sets SET active = 0")
        db.execute(
            "INSERT INTO rule_sets (version, name, body, created_at, active) VALUES (?, ?, ?, ?, 1)",
            [new.version, new.name, _to_body(new), dt.datetime.now().isoformat(timespec="seconds")],
        )
    return new
