"""The `trainer` command. Exit codes: 0 success, 2 input rejected, 1 any other error.

Commands call the same services as the window; `exports` is imported lazily inside the commands
that write or read files, so `trainer --help` stays quick.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import unicodedata
from collections.abc import Callable, Sequence

from sqlite_utils import Database

from trainer import __version__, demo, people, roster
from trainer.db import DatabaseError, open_db
from trainer.paths import resolve_db

EXIT_OK, EXIT_ERROR, EXIT_REJECTED = 0, 1, 2


class Rejected(Exception):
    """Input refused: each line goes to stderr, exit code 2."""

    def __init__(self, lines: Sequence[str]):
        super().__init__("\n".join(lines))
        self.lines = list(lines)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], fmt: str) -> None:
    """table (aligned for CJK), csv (header row first) or json (a list of objects)."""
    out = sys.stdout
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(rows)
    elif fmt == "json":
        json.dump([dict(zip(headers, r, strict=True)) for r in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths, strict=True)).rstrip()

        out.write(line(headers) + "\n")
        for r in rows:
            out.write(line(r) + "\n")


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


# ---- commands -------------------------------------------------------------------------------

def cmd_init(db: Database, args: argparse.Namespace) -> int:
    print(f"数据库已就绪：{args.db_path}（{people.count(db)} 人）")
    return EXIT_OK


def cmd_demo(db: Database, args: argparse.Namespace) -> int:
    try:
        s = demo.generate(db, args.people, args.seed)
    except ValueError as exc:
        raise Rejected([str(exc)]) from exc
    print(f"演示数据已生成：{s.people} 人（执法人员 {s.officers}，协管人员 {s.auxiliaries}，"
          f"队伍负责人 {s.leaders}），单位 {s.units} 个，培训班 {s.classes} 个，考勤记录 {s.attendance} 条")
    return EXIT_OK


def _read(path: str) -> object:
    from exports.tables import TableReadError, read_table

    try:
        return read_table(path)
    except TableReadError as exc:
        raise Rejected([f"{path}: {exc}"]) from exc


def cmd_people_import(db: Database, args: argparse.Namespace) -> int:
    table = _read(args.file)
    plan = roster.plan_import(db, table)  # type: ignore[arg-type]
    if not plan.ok:
        raise Rejected([str(p) for p in plan.problems])  # the contract: exactly one line per problem
    if args.dry_run:
        print("检查通过（未写入）：" + plan.result().summary())
        return EXIT_OK
    result = roster.apply_import(db, plan)
    print(result.summary())
    return EXIT_OK


def cmd_people_export(db: Database, args: argparse.Namespace) -> int:
    from exports.excel import Sheet, write_xlsx

    if not args.file.lower().endswith(".xlsx"):  # an .xlsx named .csv or .xls would not import back
        raise Rejected([f"{args.file}: 导出文件应以 .xlsx 结尾"])
    headers, rows = roster.export_rows(db)
    path = write_xlsx(args.file, [Sheet("人员名册", headers, rows)])
    print(f"已导出 {len(rows)} 人到 {path}")
    return EXIT_OK


def cmd_people_list(db: Database, args: argparse.Namespace) -> int:
    headers, rows = roster.export_rows(db)
    print_table(headers, [[_cell(v) for v in r] for r in rows], args.format)
    return EXIT_OK


def cmd_records_import(db: Database, args: argparse.Namespace) -> int:
    from trainer import records

    plan = records.plan_records(db, _read(args.file))  # type: ignore[arg-type]
    if not plan.ok:
        raise Rejected([str(p) for p in plan.problems])  # the contract: exactly one line per problem
    if args.dry_run:
        print(f"检查通过（未写入）：{len(plan.rows)} 条培训记录")
        return EXIT_OK
    print(f"已导入 {records.apply_records(db, plan)} 条培训记录")
    return EXIT_OK


def cmd_class_list(db: Database, args: argparse.Namespace) -> int:
    from trainer import class_summary

    headers, rows = class_summary.table(db)
    print_table(headers, rows, args.format)
    return EXIT_OK


def cmd_compliance(db: Database, args: argparse.Namespace) -> int:
    from trainer import compliance, rules, units

    try:
        # strptime, not fromisoformat: Python 3.11 also reads 20260630 and 2026-W26-2 as ISO dates
        as_of = dt.datetime.strptime(args.as_of, "%Y-%m-%d").date() if args.as_of else dt.date.today()
        if args.as_of and as_of.isoformat() != args.as_of:  # strptime takes 2026-6-30 too
            raise ValueError(args.as_of)
    except ValueError:
        raise Rejected([f"--as-of: 日期“{args.as_of}”应为 YYYY-MM-DD"]) from None
    unit_id = None
    if args.unit:
        unit = units.UnitIndex.load(db).resolve(args.unit)
        if unit is None:
            raise Rejected([f"--unit: 未知单位“{args.unit}”"])
        unit_id = unit.id
    results = compliance.evaluate(db, rules.active(db), as_of, unit_id)
    print_table(compliance.CSV_COLUMNS, [r.csv_row() for r in results], args.format)
    return EXIT_OK


# ---- wiring ---------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="trainer", description="城管执法队伍教育培训管理（命令行）")
    p.add_argument("--db", help="数据库文件（默认：用户数据目录，或环境变量 TRAINER_DB）")
    p.add_argument("--version", action="version", version=f"trainer {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", help="创建或升级数据库").set_defaults(func=cmd_init)
    d = sub.add_parser("demo", help="生成演示数据（仅限空数据库）")
    d.add_argument("--people", type=int, default=300, help=f"人数（1–{demo.MAX_PEOPLE}，默认300）")
    d.add_argument("--seed", type=int, default=2021, help="随机种子（相同种子、同一天生成相同数据）")
    d.set_defaults(func=cmd_demo)

    ppl = sub.add_parser("people", help="人员名册").add_subparsers(dest="action", required=True, metavar="ACTION")
    imp = ppl.add_parser("import", help="导入花名册（.xlsx/.xls/.csv）")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    imp.set_defaults(func=cmd_people_import)
    exp = ppl.add_parser("export", help="导出花名册为 .xlsx")
    exp.add_argument("file")
    exp.set_defaults(func=cmd_people_export)
    lst = ppl.add_parser("list", help="列出人员")
    lst.add_argument("--format", choices=("table", "csv", "json"), default="table")
    lst.set_defaults(func=cmd_people_list)

    rec = sub.add_parser("records", help="外部及历史培训记录").add_subparsers(dest="action", required=True,
                                                                          metavar="ACTION")
    rimp = rec.add_parser("import", help="导入培训记录（.xlsx/.xls/.csv）")
    rimp.add_argument("file")
    rimp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    rimp.set_defaults(func=cmd_records_import)

    cls = sub.add_parser("class", help="培训班").add_subparsers(dest="action", required=True, metavar="ACTION")
    clist = cls.add_parser("list", help="列出培训班")
    clist.add_argument("--format", choices=("table", "csv", "json"), default="table")
    clist.set_defaults(func=cmd_class_list)

    comp = sub.add_parser("compliance", help="培训合规检查")
    comp.add_argument("--as-of", help="检查日期 YYYY-MM-DD（默认今天）")
    comp.add_argument("--unit", help="只检查该单位及其下级单位")
    comp.add_argument("--format", choices=("table", "csv", "json"), default="table")
    comp.set_defaults(func=cmd_compliance)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Windows consoles default to a legacy code page
        reconfigure: Callable[..., None] | None = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    args.db_path = resolve_db(args.db)
    try:
        db = open_db(args.db_path)
    except DatabaseError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    try:
        code: int = args.func(db, args)
        return code
    except BrokenPipeError:  # `trainer people list | head` closed the pipe: not an error
        sys.stderr.close()
        return EXIT_OK
    except Rejected as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return EXIT_REJECTED
    except Exception as exc:  # the user gets one clear line, never a traceback
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        db.close()


if __name__ == "__main__":
    sys.exit(main())
