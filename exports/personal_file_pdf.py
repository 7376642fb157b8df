"""The printed 一人一档 (personal training file): A4 portrait — the person's fields, every training record,
days and 学时 per year, the compliance checks as of a date, and a signature line."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import KeepTogether

from exports.pdf import DEFAULT_BUREAU, build_pdf, data_table, kv_table, para, signature_line, title_block
from trainer.amounts import fmt
from trainer.dates import chinese_date, iso
from trainer.personal_file import PersonalFile

HISTORY_HEADERS = ("序号", "培训名称", "类型", "开始日期", "结束日期", "天数", "学时", "结业", "来源")
YEAR_HEADERS = ("年度", "培训次数", "其中结业", "结业天数", "结业学时")
CERT_HEADERS = ("证书编号", "类型", "内容", "发证日期", "状态")
CHECK_HEADERS = ("检查项", "状态", "应完成日期", "说明")


def title(f: PersonalFile) -> str:
    return f"{f.person.name} 教育培训档案"


def build(path: str | Path, f: PersonalFile, *, bureau: str | None = None, font: str | Path | None = None) -> Path:
    p = f.person
    fields = [
        ("姓名", p.name), ("性别", p.gender), ("身份证号", p.id_number), ("出生日期", iso(f.birth_date)),
        ("人员类别", p.category), ("职务", p.position or "—"), ("入职日期", iso(p.hire_date)),
        ("岗位状态", p.post_status),
        ("队伍负责人", f"是（任职日期 {iso(p.leader_since)}）" if p.is_leader else "否"),
        ("执法证号", p.card_number or "—"), ("执法证有效期至", iso(p.card_expiry) or "—"),
        ("联系电话", p.phone or "—"), ("单位", f.unit_path),
    ]
    history = [(n, r.title, r.type, r.start_date, r.end_date, fmt(r.days), fmt(r.hours), r.completed, r.source)
               for n, r in enumerate(f.records, start=1)]
    years = [(f"{y.year}年", y.records, y.completed, fmt(y.days), fmt(y.hours)) for y in f.years]
    certificates = [(c.serial, c.kind_label, c.subject, c.issue_date, c.status) for c in f.certificates]
    checks = [(c.check, c.status, iso(c.due), c.note) for c in f.checks]
    closing = [para(f"适用规则：{f.rules_label}", "small"), signature_line(("本人签字", "经办人", "审核人"))]
    story = [
        *title_block(f"{title(f)}（一人一档）",
                     meta=[f"单位：{f.unit_path.split(' / ')[-1]}", f"打印日期：{chinese_date(f.as_of)}"]),
        para("一、基本信息", "h2"),
        kv_table(fields, columns=2, wide={"单位"}),
        para("二、培训记录", "h2"),
        data_table(HISTORY_HEADERS, history, widths=[0.75, 3.9, 1.75, 1.45, 1.45, 0.7, 0.8, 0.7, 1.1],
                   align="CLLCCRRCC", font_size=8.5)
        if history else para("暂无培训记录。", "text"),
        para("三、年度培训统计（天数、学时只计已结业的培训）", "h2"),
        data_table(YEAR_HEADERS, years, widths=[1, 1, 1, 1, 1], align="CRRRR") if years else para("暂无。", "text"),
        para("四、证书", "h2"),
        data_table(CERT_HEADERS, certificates, widths=[2, 1.2, 4.6, 1.5, 1], align="CCLCC", font_size=8.5)
        if certificates else para("尚未颁发证书。", "text"),
        para(f"五、合规情况（截至{iso(f.as_of)}）", "h2"),
        # The rule set and the signatures ride under the last table, so they never start a page alone.
        data_table(CHECK_HEADERS, checks, widths=[1.2, 1, 1.4, 6], font_size=8.5, tail=closing) if checks
        else KeepTogether([para(f"岗位状态为“{p.post_status}”，不参加培训合规检查。", "text"), *closing]),
    ]
    return build_pdf(path, title(f), story, bureau=bureau or DEFAULT_BUREAU, font=font, subject="一人一档",
                     people=[(f"{p.name} {p.id_number}", [p.name])])
