"""The `trainer` command. Exit codes: 0 success, 2 input rejected, 1 any other error (and 3 from
`cert verify` for a revoked, unknown or tampered certificate; 1 from `audit verify` for a broken chain).
`judge export` and `restore` open no database first: the first runs wherever a kit is, the second must
replace the file while nothing has it open.

Commands call the same services as the window; `exports` is imported lazily inside the commands
that write or read files, so `trainer --help` stays quick.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlite_utils import Database

from trainer import __version__, demo, people, roster
from trainer.db import DamagedDatabase, DatabaseError, close_db, open_db
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
    if s.contest is not None:
        from trainer.demo_contest import DEMO_PIN, NAME

        print(f"技能比武：{NAME}（比武编号 {s.contest}，选手 {s.contest_competitors} 人，裁判长PIN {DEMO_PIN}）")
    if s.finished is not None:
        f = s.finished
        print(f"已结束的比武：{f.name}（比武编号 {f.contest_id}，选手 {f.competitors} 人，全部项目已锁定，"
              f"排名已发布，获奖 {f.awards} 人，已颁发获奖证书 {f.certificates} 张）")
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

    plan = records.plan_records(db, _read(args.file), update=args.update)  # type: ignore[arg-type]
    if not plan.ok:
        raise Rejected([str(p) for p in plan.problems])  # the contract: exactly one line per problem
    if args.update:  # a re-import of a corrected file: says what it adds, updates and leaves
        if not args.dry_run:
            records.apply_records(db, plan, actor=_actor())
        print(("检查通过（未写入）：" if args.dry_run else "已导入：") + plan.summary())
        return EXIT_OK
    if args.dry_run:
        print(f"检查通过（未写入）：{len(plan.rows)} 条培训记录")
        return EXIT_OK
    print(f"已导入 {records.apply_records(db, plan)} 条培训记录")
    return EXIT_OK


def cmd_records_list(db: Database, args: argparse.Namespace) -> int:
    from trainer import records, rules

    if args.year is not None and not (args.year.isdigit() and len(args.year) == 4):
        raise Rejected([f"年度应为四位数字，如 2026（收到“{args.year}”）"])
    try:
        rows = records.listing(db, rules.active(db), id_number=args.person or "",
                               year=int(args.year) if args.year else None)
    except records.RecordError as exc:
        raise Rejected(exc.lines) from exc
    print_table(records.LIST_COLUMNS, rows, args.format)
    return EXIT_OK


RECORD_FLAGS = (("id-number", "身份证号"), ("name", "姓名"), ("title", "培训名称"), ("type", "培训类型"),
                ("start", "开始日期"), ("end", "结束日期"), ("days", "天数"), ("hours", "学时"),
                ("completed", "是否结业"), ("organiser", "主办单位"))  # records update: flag → import column


def cmd_records_update(db: Database, args: argparse.Namespace) -> int:
    from trainer import records

    changes = {column: value for flag, column in RECORD_FLAGS
               if (value := getattr(args, flag.replace("-", "_"))) is not None}
    if not changes:
        raise Rejected(["请指定要修改的内容，如 --hours 8（全部选项见 trainer records update --help）"])
    try:
        done = records.update_record(db, args.id, changes, reason=args.reason or "", actor=_actor())
    except records.RecordError as exc:
        raise Rejected(exc.lines) from exc
    if not done.changed:
        print(f"未修改：{done.before.label()}与原来相同")
        return EXIT_OK
    print(f"已修改{done.after.label()}：" + "；".join(f"{c} {old} → {new}" for c, (old, new) in done.changed.items()))
    return EXIT_OK


def cmd_records_delete(db: Database, args: argparse.Namespace) -> int:
    from trainer import records

    try:
        gone = records.delete_records(db, args.ids, args.reason or "", actor=_actor())
    except records.RecordError as exc:
        raise Rejected(exc.lines) from exc
    for r in gone:
        print(f"已删除{r.label()}")
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


# ---- certificates ----------------------------------------------------------------------------

EXIT_NOT_VALID = 3  # cert verify: revoked, unknown or tampered


def cmd_cert_issue(db: Database, args: argparse.Namespace) -> int:
    from trainer import cert_issue
    from trainer.cert_register import CertificateError

    try:
        issued = (cert_issue.issue_all_completed(db) if args.all_completed
                  else cert_issue.issue_for_class(db, args.class_id))
        skipped = cert_issue.revoked_skips(db, None if args.all_completed else args.class_id)
    except CertificateError as exc:
        raise Rejected([str(exc)]) from exc
    for cert in issued:
        print(cert.serial)
    for revoked in skipped:  # stdout stays one serial per line; a revocation is never undone by a batch
        print(f"未发证：{revoked.holder_name}（{revoked.serial} {cert_issue.skip_reason(revoked)}；"
              "重新发证须在“证书管理”中办理）", file=sys.stderr)
    return EXIT_OK


def cmd_cert_list(db: Database, args: argparse.Namespace) -> int:
    from trainer import cert_register

    print_table(cert_register.CSV_COLUMNS, [c.csv_row() for c in cert_register.search(db)], args.format)
    return EXIT_OK


def cmd_cert_print(db: Database, args: argparse.Namespace) -> int:
    from exports import font_settings
    from exports.certificate_batch import print_class, print_serials
    from exports.fonts import FontError
    from exports.glyphs import MissingGlyphsError
    from trainer.cert_register import CertificateError

    try:
        font_settings.apply_saved(db)  # the font chosen in the window's 证书设置 prints here too
        if args.class_id is not None:
            result = print_class(db, args.class_id, args.out, zip_files=args.zip)
        else:
            result = print_serials(db, [args.serial], args.out, zip_files=args.zip)
    except (CertificateError, MissingGlyphsError, FontError, ValueError) as exc:
        raise Rejected([str(exc)]) from exc
    except OSError as exc:  # the folder cannot be made or written: one Chinese line, exit 1 as before
        from trainer.oserrors import describe

        print(f"错误：无法写入“{args.out}”：{describe(exc)}", file=sys.stderr)
        return EXIT_ERROR
    where = result.archive or f"{len(result.personal)} 个个人文件"
    print(f"已生成 {result.count} 份证书：{result.merged}（合并打印），{where}")
    return EXIT_OK


def cmd_cert_payload(db: Database, args: argparse.Namespace) -> int:
    from trainer import cert_payload
    from trainer.cert_register import CertificateError

    try:
        print(cert_payload.payload(db, args.serial))
    except CertificateError as exc:
        raise Rejected([str(exc)]) from exc
    return EXIT_OK


def cmd_cert_verify(db: Database, args: argparse.Namespace) -> int:
    from trainer import cert_payload

    result = cert_payload.verify(db, args.text)
    print(f"{result.verdict}：{result.message}")
    c = result.record
    if c is not None:
        if result.certificate is None:  # a tampered text: the record of the serial it claims, labelled so
            print(f"{cert_payload.CLAIMED_TITLE}：")
        print(f"持证人：{c.holder_name}（{c.id_masked}）  证书编号：{c.serial}  发证日期：{c.issue_date.isoformat()}"
              f"  发证单位：{c.issuer}  登记状态：{c.status}")
    return EXIT_OK if result.ok else EXIT_NOT_VALID


def cmd_cert_revoke(db: Database, args: argparse.Namespace) -> int:
    from trainer import cert_register

    try:
        cert = cert_register.revoke(db, args.serial, args.reason, pin=args.pin or os.environ.get("TRAINER_CERT_PIN"),
                                    actor="命令行")
    except cert_register.CertificateError as exc:
        raise Rejected([str(exc)]) from exc
    print(f"已撤销：{cert.serial} {cert.holder_name}（{cert.revoke_reason}）")
    return EXIT_OK


def _add_cert_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cert = sub.add_parser("cert", help="结业证书与获奖证书").add_subparsers(dest="action", required=True,
                                                                   metavar="ACTION")
    iss = cert.add_parser("issue", help="为已结束培训班的结业学员发证（已持有效证书者不重复发，证书已撤销者不再发）")
    which = iss.add_mutually_exclusive_group(required=True)
    which.add_argument("--class", dest="class_id", type=int, metavar="CLASS_ID", help="培训班编号")
    which.add_argument("--all-completed", action="store_true", help="所有已结束的培训班")
    iss.set_defaults(func=cmd_cert_issue)
    lst = cert.add_parser("list", help="证书登记")
    lst.add_argument("--format", choices=("table", "csv", "json"), default="table")
    lst.set_defaults(func=cmd_cert_list)
    prt = cert.add_parser("print", help="打印证书：合并文件一份，另每人一份 {证书编号}_{姓名}.pdf")
    which = prt.add_mutually_exclusive_group(required=True)
    which.add_argument("--class", dest="class_id", type=int, metavar="CLASS_ID", help="培训班编号")
    which.add_argument("--serial", help="证书编号")
    prt.add_argument("--out", required=True, metavar="DIR", help="输出文件夹")
    prt.add_argument("--zip", action="store_true", help="个人证书打包为一个 .zip")
    prt.set_defaults(func=cmd_cert_print)
    pay = cert.add_parser("payload", help="证书二维码中的文字")
    pay.add_argument("serial", metavar="SERIAL")
    pay.set_defaults(func=cmd_cert_payload)
    ver = cert.add_parser("verify", help="核验二维码文字或证书编号（有效时退出码为0，否则为3）")
    ver.add_argument("text", metavar="TEXT")
    ver.set_defaults(func=cmd_cert_verify)
    rev = cert.add_parser("revoke", help="撤销证书")
    rev.add_argument("serial", metavar="SERIAL")
    rev.add_argument("--reason", required=True, help="撤销原因")
    rev.add_argument("--pin", help="证书管理口令（已设置时必填；也可用环境变量 TRAINER_CERT_PIN）")
    rev.set_defaults(func=cmd_cert_revoke)


# ---- contest ---------------------------------------------------------------------------------

def _actor() -> str:
    """Who the audit log names for a command-line change: the logged-in user."""
    import getpass

    try:
        return f"{getpass.getuser()}（命令行）"
    except Exception:  # no user name in a bare container or service account
        return "命令行"


def _contest_id(db: Database, contest_id: int) -> int:
    from trainer import contest

    if contest.get_contest(db, contest_id) is None:
        raise Rejected([f"--contest: 没有编号为{contest_id}的比武"])
    return contest_id


def cmd_contest_import(db: Database, args: argparse.Namespace) -> int:
    from exports.tables import TableReadError, read_sheets
    from trainer import contest_import

    path = Path(args.file)
    try:
        sheets = read_sheets(path)
    except TableReadError as exc:
        raise Rejected([f"{args.file}: {exc}"]) from exc
    plan = contest_import.plan_workbook(db, sheets, default_name=path.stem)
    if not plan.ok:
        raise Rejected([str(p) for p in plan.problems])  # the contract: exactly one line per problem
    result = contest_import.apply_workbook(db, plan, _actor(), origin=path.name)
    for warning in plan.warnings:
        print(f"提示：{warning}")
    print(result.summary())
    print(result.contest_id)  # the contract: the new contest's ID alone on the last line
    return EXIT_OK


def cmd_contest_list(db: Database, args: argparse.Namespace) -> int:
    from trainer import contest, contest_people, scoring

    rows = []
    for c in contest.all_contests(db):
        items = contest.items(db, c.id)
        prog = scoring.progress(db, c.id)
        rows.append([str(c.id), c.name, c.dates_text, c.venue, c.organiser, str(len(items)),
                     str(len(contest_people.competitors(db, c.id))), str(len(contest_people.judges(db, c.id))),
                     f"{prog.entered}/{prog.expected}", f"{sum(it.locked for it in items)}/{len(items)}"])
    print_table(["编号", "名称", "日期", "地点", "主办单位", "项目", "选手", "评委", "成绩录入", "已锁定"], rows,
                args.format)
    return EXIT_OK


def cmd_contest_scores_import(db: Database, args: argparse.Namespace) -> int:
    from exports.tables import TableReadError, read_score_file
    from trainer import contest_import

    contest_id = _contest_id(db, args.contest)
    try:
        table = read_score_file(args.file)
    except TableReadError as exc:
        raise Rejected([f"{args.file}: {exc}"]) from exc
    plan = contest_import.plan_scores(db, contest_id, table)
    if not plan.ok:
        raise Rejected([str(p) for p in plan.problems])
    print(contest_import.apply_scores(db, plan, _actor(), origin=Path(args.file).name).summary())
    return EXIT_OK


def cmd_contest_ranking(db: Database, args: argparse.Namespace) -> int:
    from trainer import contest_results, ranking

    contest_id = _contest_id(db, args.contest)
    try:
        r = ranking.compute(db, contest_id)
    except ranking.RankingError as exc:
        raise Rejected([str(exc)]) from exc
    if r.incomplete and not args.allow_incomplete:
        raise Rejected(contest_results.refusal_lines(db, r))
    everyone = bool(args.allow_incomplete)
    if args.format == "json":
        with open(args.out, "w", encoding="utf-8") as fh:
            json.dump(contest_results.records(r, everyone), fh, ensure_ascii=False, indent=1)
            fh.write("\n")
    else:
        from exports.contest_ranking import write_ranking

        write_ranking(r, args.out, args.format, everyone)
    shown = len(r.standings) if everyone else len(r.ranked)
    note = f"，成绩不完整 {len(r.incomplete)} 人列于表末" if everyone and r.incomplete else ""
    print(f"已写出成绩排名（{shown} 人{note}）：{args.out}")
    return EXIT_OK


def cmd_contest_print(db: Database, args: argparse.Namespace) -> int:
    from trainer import contest_report
    from trainer.contest import ContestError

    contest_id = _contest_id(db, args.contest)
    start = None
    if args.notice_from:
        try:
            start = dt.date.fromisoformat(args.notice_from)
        except ValueError as exc:
            raise Rejected([f"--notice-from: 日期应为 YYYY-MM-DD（{args.notice_from}）"]) from exc
    options = contest_report.NoticeOptions(args.notice_days, start, args.contact or "", args.phone or "")
    try:
        report = contest_report.build(db, contest_id, args.kind, judge=args.judge, item=args.item,
                                      filled=args.filled, notice_options=options)
    except ContestError as exc:
        raise Rejected([str(exc)]) from exc
    if args.format == "pdf":
        from exports.contest_sheets_pdf import report_pdf

        report_pdf(report, args.out)
    else:
        from exports.contest_sheets_xlsx import report_xlsx

        report_xlsx(report, args.out)
    print(f"已写出{report.label}（{len(report.sections)} 部分）：{args.out}")
    return EXIT_OK


# ---- judges' laptops, audit chain, backups (issue 7) ----------------------------------------------

def cmd_contest_kit(db: Database, args: argparse.Namespace) -> int:
    from trainer import contest, judge_kit
    from trainer.score_file import format_hash

    contest_id = _contest_id(db, args.contest)
    try:
        exported = judge_kit.export_kit(db, contest_id, args.judge, Path(args.out), _actor())
    except judge_kit.KitError as exc:
        raise Rejected([str(exc)]) from exc
    print(exported.summary())
    if not contest.require_contest(db, contest_id).has_pin:
        print("提示：本次比武尚未设置裁判长PIN；设置后裁判长才能查看评委重开码（评委提交后重新打开评分表须用重开码）")
    print(f"评分包校验码：{format_hash(exported.kit.sha256)}")
    return EXIT_OK


def cmd_contest_reopen_code(db: Database, args: argparse.Namespace) -> int:
    """The chief judge's reopen codes of a judge's kits: one line per kit, newest first, the code first."""
    from trainer import judge_kit
    from trainer.contest import ContestError

    contest_id = _contest_id(db, args.contest)
    pin = args.pin or os.environ.get("TRAINER_CHIEF_PIN")
    if not pin:
        raise Rejected(["请用 --pin 或环境变量 TRAINER_CHIEF_PIN 提供裁判长PIN"])
    try:
        revealed = judge_kit.reveal_reopen_code(db, contest_id, args.judge, pin, _actor())
    except ContestError as exc:  # unknown judge, no kit exported, wrong PIN, locked out
        raise Rejected([str(exc)]) from exc
    for shown in revealed.codes:
        print(f"{shown.code}  {shown.kit_label}")
    return EXIT_OK


def cmd_contest_merge(db: Database, args: argparse.Namespace) -> int:
    from trainer import merge

    contest_id = _contest_id(db, args.contest)
    try:
        report = merge.merge_files(db, contest_id, [Path(f) for f in args.files], _actor())
    except merge.MergeRefused as exc:
        raise Rejected(exc.lines) from exc  # one line per refused file: the file and why; nothing merged
    for outcome in report.outcomes:
        print(outcome.line())
        for conflict in outcome.conflicts:
            print(f"  {conflict.line()}")
    return EXIT_OK


def run_judge_export(args: argparse.Namespace) -> int:
    """No database: this runs wherever the kit is (a judge's laptop, or the clerk's with the paper sheets)."""
    from exports.tables import TableReadError, read_table
    from trainer import judge_kit, judge_session

    try:
        kit = judge_kit.read_kit(args.kit)
    except judge_kit.KitError as exc:
        raise Rejected([f"{args.kit}: {exc}"]) from exc
    try:
        table = read_table(args.scores, header_hint="抽签号")
    except TableReadError as exc:
        raise Rejected([f"{args.scores}: {exc}"]) from exc
    plan = judge_session.plan_paper_sheet(kit, table)
    if not plan.ok:
        raise Rejected([str(p) for p in plan.problems])  # the contract: exactly one line per problem
    sub = judge_session.export_paper_sheet(kit, plan, Path(args.out))
    print(f"已生成评委{kit.judge_code}（{kit.judge_name}）的评分文件：{sub.path}"
          f"（分数 {sub.values} 个，未评分 {sub.unscored} 格）")
    print(f"内容校验码（SHA-256）：{sub.hash_text}")
    return EXIT_OK


EXIT_AUDIT_BROKEN = 1


def cmd_audit_list(db: Database, args: argparse.Namespace) -> int:
    from trainer import audit_view

    if args.category != audit_view.ALL and args.category not in audit_view.CATEGORIES:
        raise Rejected([f"未知类别“{args.category}”（应为{'、'.join([audit_view.ALL, *audit_view.CATEGORIES])}之一）"])
    page = audit_view.browse(db, category=args.category, text=args.search or "", limit=args.limit)
    print_table(AUDIT_COLUMNS, [[r.at, r.actor, r.what, r.subject, r.old, r.new, r.reason, r.detail]
                                for r in page.rows], args.format)
    return EXIT_OK


AUDIT_COLUMNS = ("时间", "操作人", "操作", "对象", "原值", "新值", "原因", "说明")


def cmd_audit_verify(db: Database, args: argparse.Namespace) -> int:
    from trainer import audit

    verdict = audit.check(db)
    total, broken = verdict.total, verdict.broken
    if verdict.ok:
        print(f"审计日志完好：共 {total} 条记录，哈希链校验通过")
        return EXIT_OK
    if broken is None:  # the chain itself holds; its end does not match the recorded head
        if verdict.missing:
            print(f"审计日志末尾缺少{verdict.missing}条记录：现有 {total} 条，应有 {total + verdict.missing} 条"
                  "——最后的记录已被删除")
        else:
            print(f"审计日志的链头记录（设置项 {audit.HEAD_KEY}）缺失：无法确认末尾的记录未被删除")
        return EXIT_AUDIT_BROKEN
    row = db.execute("SELECT at, actor, action FROM audit_log WHERE id = ?", [broken]).fetchone()
    what = f"（{row[0]} {row[1]} {audit.LABELS.get(row[2], row[2])}）" if row else ""
    print(f"审计日志已被改动：哈希链在第 {broken} 条记录{what}处断开——这条记录被改动，或它之前的记录被删除、改动")
    return EXIT_AUDIT_BROKEN


def cmd_backup(db: Database, args: argparse.Namespace) -> int:
    from trainer import backup

    try:
        made = backup.manual_backup(db.conn, args.db_path, Path(args.out) if args.out else None)
    except backup.BackupError as exc:
        raise Rejected([str(exc)]) from exc
    print(f"已备份到：{made}")
    return EXIT_OK


def run_restore(args: argparse.Namespace) -> int:
    """No connection is open while the file is replaced (a damaged database can be restored too)."""
    from trainer import audit, backup

    source = Path(args.file)
    try:
        backup.validate(source)
    except backup.BackupError as exc:
        raise Rejected([str(exc)]) from exc
    result = backup.restore(args.db_path, source)  # BackupError here: the file is fine, the copy failed (exit 1)
    db = open_db(args.db_path)
    try:
        with db.atomic():
            audit.append(db, audit.Entry(audit.DATABASE_RESTORE, _actor(), new=str(source),
                                         detail=f"恢复前的数据库已备份到 {result.previous}" if result.previous else ""))
    finally:
        db.close()
    print(f"已从 {source} 恢复数据库 {args.db_path}")
    if result.previous is not None:
        print(f"恢复前的数据库已备份到：{result.previous}")
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
    rimp.add_argument("--update", action="store_true",
                      help="与已有记录相同（同一人、同一培训名称、同一开始日期）的行更正该记录，而不作为重复拒绝")
    rimp.set_defaults(func=cmd_records_import)
    rlist = rec.add_parser("list", help="列出培训记录及其编号（培训班的记录编号为“班N”，随培训班变化）")
    rlist.add_argument("--person", metavar="身份证号", help="只列此人")
    rlist.add_argument("--year", metavar="YYYY", help="只列结束于该年度的记录")
    rlist.add_argument("--format", choices=("table", "csv", "json"), default="table")
    rlist.set_defaults(func=cmd_records_list)
    rupd = rec.add_parser("update", aliases=["edit"], help="更正一条外部培训记录（按导入的规则检查，记入审计日志）")
    rupd.add_argument("id", metavar="ID", help="记录编号（见 records list）")
    for flag, column in RECORD_FLAGS:
        rupd.add_argument(f"--{flag}", metavar="值", help=column)
    rupd.add_argument("--reason", help="修改原因（记入审计日志）")
    rupd.set_defaults(func=cmd_records_update)
    rdel = rec.add_parser("delete", help="删除外部培训记录（全部删除或都不删除，记入审计日志）")
    rdel.add_argument("ids", nargs="+", metavar="ID", help="记录编号（见 records list）")
    rdel.add_argument("--reason", help="删除原因（必填）")
    rdel.set_defaults(func=cmd_records_delete)

    cls = sub.add_parser("class", help="培训班").add_subparsers(dest="action", required=True, metavar="ACTION")
    clist = cls.add_parser("list", help="列出培训班")
    clist.add_argument("--format", choices=("table", "csv", "json"), default="table")
    clist.set_defaults(func=cmd_class_list)

    con = sub.add_parser("contest", help="技能比武").add_subparsers(dest="action", required=True, metavar="ACTION")
    cimp = con.add_parser("import", help="导入比武工作簿（.xlsx），最后一行输出新比武的编号")
    cimp.add_argument("file")
    cimp.set_defaults(func=cmd_contest_import)
    clist = con.add_parser("list", help="列出比武")
    clist.add_argument("--format", choices=("table", "csv", "json"), default="table")
    clist.set_defaults(func=cmd_contest_list)
    cscores = con.add_parser("scores", help="成绩").add_subparsers(dest="scores_action", required=True,
                                                                  metavar="ACTION")
    csimp = cscores.add_parser("import", help="导入成绩（.xlsx/.csv，列同“评分”表）")
    csimp.add_argument("--contest", type=int, required=True, help="比武编号")
    csimp.add_argument("file")
    csimp.set_defaults(func=cmd_contest_scores_import)
    crank = con.add_parser("ranking", help="输出成绩排名")
    crank.add_argument("--contest", type=int, required=True, help="比武编号")
    crank.add_argument("--allow-incomplete", action="store_true", help="成绩不完整的选手不排名，列于表末")
    crank.add_argument("--format", choices=("csv", "json", "xlsx", "pdf"), required=True)
    crank.add_argument("--out", required=True, help="输出文件")
    crank.set_defaults(func=cmd_contest_ranking)

    cprint = con.add_parser("print", help="打印比武文档（PDF 或 Excel）：抽签结果表、密封编号对照表、评委评分表、"
                                           "单项成绩汇总表、团体排名表、获奖名单、公示、评委评分尺度表")
    cprint.add_argument("--contest", type=int, required=True, help="比武编号")
    cprint.add_argument("--kind", required=True,
                        choices=("draw", "codes", "sheets", "summary", "teams", "awards", "notice", "severity"),
                        help="draw 抽签结果表, codes 密封编号对照表, sheets 评委评分表, summary 单项成绩汇总表, "
                             "teams 团体排名表, awards 获奖名单, notice 获奖名单公示, severity 评委评分尺度表")
    cprint.add_argument("--format", choices=("pdf", "xlsx"), default="pdf")
    cprint.add_argument("--out", required=True, metavar="FILE")
    cprint.add_argument("--judge", metavar="CODE", help="只打印该评委的评分表（sheets）")
    cprint.add_argument("--item", metavar="NAME", help="只打印该项目（sheets、summary、codes）")
    cprint.add_argument("--filled", action="store_true", help="评分表中填入已录入的分数（核对稿）")
    cprint.add_argument("--notice-days", type=int, default=5, metavar="N", help="公示期（工作日，默认5）")
    cprint.add_argument("--notice-from", metavar="DATE", help="公示开始日期 YYYY-MM-DD（默认今天）")
    cprint.add_argument("--contact", help="公示联系人")
    cprint.add_argument("--phone", help="公示联系电话")
    cprint.set_defaults(func=cmd_contest_print)

    ckit = con.add_parser("kit", help="导出评委的评分包（在评委自己的电脑上评分）")
    ckit.add_argument("--contest", type=int, required=True, help="比武编号")
    ckit.add_argument("--judge", required=True, metavar="JUDGE_NO", help="评委编号")
    ckit.add_argument("--out", required=True, metavar="FILE", help="评分包文件")
    ckit.set_defaults(func=cmd_contest_kit)
    creopen = con.add_parser("reopen-code", help="裁判长查看评委的重开码（评委电脑上重新打开已提交的评分表时输入）")
    creopen.add_argument("--contest", type=int, required=True, help="比武编号")
    creopen.add_argument("--judge", required=True, metavar="JUDGE_NO", help="评委编号")
    creopen.add_argument("--pin", help="裁判长PIN（也可用环境变量 TRAINER_CHIEF_PIN）")
    creopen.set_defaults(func=cmd_contest_reopen_code)
    cmerge = con.add_parser("merge", help="合并评委的评分文件（有任何文件未通过校验则全部不写入）")
    cmerge.add_argument("--contest", type=int, required=True, help="比武编号")
    cmerge.add_argument("files", nargs="+", metavar="SCOREFILE")
    cmerge.set_defaults(func=cmd_contest_merge)

    judge = sub.add_parser("judge", help="评委评分包与评分文件").add_subparsers(dest="action", required=True,
                                                                        metavar="ACTION")
    jexp = judge.add_parser("export", help="把按纸质评分表录入的 CSV（项目名称, 抽签号, 分数）生成签名评分文件")
    jexp.add_argument("--kit", required=True, metavar="KIT", help="该评委的评分包")
    jexp.add_argument("--scores", required=True, metavar="FILE.csv", help="录入的评分表")
    jexp.add_argument("--out", required=True, metavar="SCOREFILE", help="生成的评分文件")
    jexp.set_defaults(run=run_judge_export)

    aud = sub.add_parser("audit", help="审计日志").add_subparsers(dest="action", required=True, metavar="ACTION")
    aver = aud.add_parser("verify", help="校验审计日志的哈希链（完好时退出码为0，断开时为1）")
    aver.set_defaults(func=cmd_audit_verify)
    alist = aud.add_parser("list", help="列出审计日志（最新的在前）")
    alist.add_argument("--category", default="全部",
                       help="类别：全部、成绩、锁定与发布、比武设置、评委评分包与文件、证书、培训记录、数据库")
    alist.add_argument("--search", metavar="TEXT", help="查找操作人、名称、原值、新值、原因或说明中的文字")
    alist.add_argument("--limit", type=int, default=-1, help="最多列出的条数（默认全部）")
    alist.add_argument("--format", choices=("table", "csv", "json"), default="table")
    alist.set_defaults(func=cmd_audit_list)
    bak = sub.add_parser("backup", help="备份数据库（默认存入数据库旁的 backups 文件夹）")
    bak.add_argument("--out", metavar="FILE", help="备份文件")
    bak.set_defaults(func=cmd_backup)
    res = sub.add_parser("restore", help="从备份文件恢复数据库（先自动备份当前数据库）")
    res.add_argument("file", metavar="FILE")
    res.set_defaults(run=run_restore)

    comp = sub.add_parser("compliance", help="培训合规检查")
    comp.add_argument("--as-of", help="检查日期 YYYY-MM-DD（默认今天）")
    comp.add_argument("--unit", help="只检查该单位及其下级单位")
    comp.add_argument("--format", choices=("table", "csv", "json"), default="table")
    comp.set_defaults(func=cmd_compliance)

    _add_cert_commands(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # Windows consoles default to a legacy code page
        reconfigure: Callable[..., None] | None = getattr(stream, "reconfigure", None)
        if reconfigure:
            reconfigure(encoding="utf-8")
    args = build_parser().parse_args(argv)
    args.db_path = resolve_db(args.db)
    run: Callable[[argparse.Namespace], int] | None = getattr(args, "run", None)
    if run is not None:  # commands that open no database first (judge export, restore)
        return _run(lambda: run(args))
    try:
        db = open_db(args.db_path)
    except DatabaseError as exc:
        hint = ""  # one line: the damage, then the backup to restore when there is one
        if isinstance(exc, DamagedDatabase) and exc.latest_backup is not None:
            hint = f"；可从最近的完好备份恢复：trainer --db \"{args.db_path}\" restore \"{exc.latest_backup}\""
        print(f"错误：{exc}{hint}", file=sys.stderr)
        return EXIT_ERROR
    try:
        return _run(lambda: args.func(db, args))
    finally:
        close_db(db, args.db_path)


def _run(command: Callable[[], int]) -> int:
    try:
        return command()
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


if __name__ == "__main__":
    sys.exit(main())
