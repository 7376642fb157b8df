"""As HR I issue completion certificates after a class, and the register keeps every one: who holds it,
for what, issued when and by whom, whether it still stands, how often it was printed."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from cert_support import END, ISSUED, START, finished_class
from sqlite_utils import Database

from exports.certificate_excel import export_register
from trainer import audit, cert_issue, cert_payload, cert_register, people, training
from trainer.cert_register import CertFilter, CertificateError
from trainer.idnumber import mod11_2


def _issue(db: Database, class_id: int) -> list[cert_register.Certificate]:
    return cert_issue.issue_for_class(db, class_id, issue_date=ISSUED)


def test_only_the_members_who_completed_a_finished_class_get_a_certificate(db: Database) -> None:
    c, members = finished_class(db, ["张三", "李四", "王五"], failed=["李四"], title="2026年业务知识轮训第1期")
    issued = _issue(db, int(c.id or 0))
    assert [x.holder_name for x in issued] == ["张三", "王五"]
    first = issued[0]
    assert first.person_id == members["张三"].id and first.id_number == members["张三"].id_number
    assert first.kind == "JY" and first.class_id == c.id and first.status == "有效" and first.print_count == 0
    assert first.subject == "2026年业务知识轮训第1期"
    assert first.body == ("同志于二〇二六年三月二日至三月四日参加2026年业务知识轮训第1期培训班，"
                          "完成全部课程共24学时，准予结业。")
    assert (first.start_date, first.end_date, first.hours, first.issue_date) == (START, END, Decimal(24), ISSUED)
    assert first.issuer == "平顶山市城市管理局"


def test_an_assessed_class_says_the_holder_passed(db: Database) -> None:
    c, members = finished_class(db, ["张三", "李四"], title="执法技能提升培训班")
    cid = int(c.id or 0)
    training.save_class(db, replace(c, pass_mark=Decimal(60)))
    training.set_score(db, cid, int(members["张三"].id or 0), Decimal(88))
    training.set_score(db, cid, int(members["李四"].id or 0), Decimal(52))
    issued = _issue(db, cid)
    assert [x.holder_name for x in issued] == ["张三"]
    assert "参加执法技能提升培训班，完成全部课程共24学时，考核合格，准予结业。" in issued[0].body


def test_a_class_that_has_not_finished_gets_no_certificates(db: Database) -> None:
    c, _ = finished_class(db, ["张三"], status="进行中")
    with pytest.raises(CertificateError, match="尚未结束"):
        _issue(db, int(c.id or 0))
    with pytest.raises(CertificateError, match="不存在"):
        _issue(db, 999)
    assert cert_issue.issue_all_completed(db, issue_date=ISSUED) == []


def test_nobody_gets_a_second_valid_certificate_for_the_same_class(db: Database) -> None:
    c, _ = finished_class(db, ["张三", "王五"])
    cid = int(c.id or 0)
    assert len(_issue(db, cid)) == 2
    assert _issue(db, cid) == []
    assert cert_issue.issue_all_completed(db, issue_date=ISSUED) == []
    other, _ = finished_class(db, ["赵六"], start=dt.date(2026, 4, 6), end=dt.date(2026, 4, 8))
    assert [x.holder_name for x in cert_issue.issue_all_completed(db, issue_date=ISSUED)] == ["赵六"]
    with pytest.raises(Exception, match="UNIQUE"):  # the register itself refuses a second valid one
        db.execute("INSERT INTO certificates (serial, kind, year, sequence, person_id, holder_name, id_number,"
                   " class_id, subject, body, issue_date, issuer, created_at) SELECT 'X', kind, year, 999, person_id,"
                   " holder_name, id_number, class_id, subject, body, issue_date, issuer, created_at FROM certificates"
                   " WHERE class_id = ? LIMIT 1", [cid])
    assert other.id != cid


def test_revoking_needs_a_reason_and_keeps_it(db: Database) -> None:
    c, _ = finished_class(db, ["张三"])
    serial = _issue(db, int(c.id or 0))[0].serial
    with pytest.raises(CertificateError, match="原因"):
        cert_register.revoke(db, serial, "  ")
    revoked = cert_register.revoke(db, serial, "学员信息有误", now=dt.datetime(2026, 4, 1, 9, 30))
    assert (revoked.status, revoked.revoke_reason) == ("已撤销", "学员信息有误")
    assert revoked.revoked_at == "2026-04-01T09:30:00"
    with pytest.raises(CertificateError, match="只能撤销有效的证书"):
        cert_register.revoke(db, serial, "再撤一次")
    with pytest.raises(CertificateError, match="没有编号"):
        cert_register.revoke(db, "PDS2026JY999996", "不存在")
    # the register keeps the revoked row, and issuing for the class again does not undo the revocation
    assert [x.status for x in cert_register.search(db)] == ["已撤销"]
    assert _issue(db, int(c.id or 0)) == []


def test_a_revocation_sticks_when_the_class_is_issued_again(db: Database) -> None:
    """撤销 then 为培训班发证 (or --all-completed) silently gave the person a new valid certificate."""
    c, _ = finished_class(db, ["张三", "李四"])
    cid = int(c.id or 0)
    first, second = _issue(db, cid)
    cert_register.revoke(db, first.serial, "违纪")
    assert _issue(db, cid) == []
    assert cert_issue.issue_all_completed(db, issue_date=ISSUED) == []
    plan = cert_issue.class_plan(db, cid)
    assert plan.drafts == []
    assert [(x.serial, x.holder_name, cert_issue.skip_reason(x)) for x in plan.skipped] == [
        (first.serial, "张三", "已撤销：违纪")]
    assert cert_issue.revoked_skips(db) == cert_issue.revoked_skips(db, cid) == plan.skipped
    assert [x.status for x in cert_register.search(db)] == ["已撤销", "有效"]
    assert second.holder_name == "李四"


def test_issuing_again_after_a_revocation_is_an_explicit_act_with_a_reason(db: Database) -> None:
    c, _ = finished_class(db, ["张三"])
    cid = int(c.id or 0)
    [first] = _issue(db, cid)
    cert_register.revoke(db, first.serial, "违纪")
    with pytest.raises(CertificateError, match="重新发证须填写原因"):
        cert_register.reissue(db, first.serial, "  ")
    assert cert_register.reissue_plan(db, first.serial).action == "重新发证"
    again = cert_register.reissue(db, first.serial, "处分决定已撤销", issue_date=dt.date(2026, 9, 1))
    old = cert_register.require(db, first.serial)
    assert (old.status, old.revoke_reason, old.reissued_by) == ("已撤销", "违纪", again.serial)  # history kept
    assert (again.status, again.reissued_from, again.holder_name) == ("有效", first.serial, "张三")
    entry = audit.entries(db)[-1]
    assert (entry.action, entry.old, entry.new, entry.reason) == (audit.CERT_REISSUE, first.serial, again.serial,
                                                                  "处分决定已撤销")
    assert "重新发证" in entry.detail and "违纪" in entry.detail
    assert cert_issue.class_plan(db, cid).skipped == []  # holds a valid one again
    with pytest.raises(CertificateError, match=f"已重新发证为 {again.serial}"):
        cert_register.reissue(db, first.serial, "再发一次")
    verdict = cert_payload.verify(db, first.serial)
    assert verdict.verdict == "已撤销" and again.serial in verdict.message


def test_a_revoked_award_is_not_issued_again_either(db: Database) -> None:
    _, members = finished_class(db, ["张三"])
    grant = cert_issue.AwardGrant(int(members["张三"].id or 0), "首届执法技能比武", "个人一等奖")
    [award] = cert_issue.issue_awards(db, [grant], issue_date=ISSUED)
    cert_register.revoke(db, award.serial, "成绩作废")
    assert cert_issue.issue_awards(db, [grant], issue_date=ISSUED) == []
    assert cert_register.reissue(db, award.serial, "复核后恢复成绩").kind == "HJ"


def test_a_reissue_gets_a_new_serial_linked_to_the_old_one(db: Database) -> None:
    c, _ = finished_class(db, ["张三"])
    old = _issue(db, int(c.id or 0))[0]
    new = cert_register.reissue(db, old.serial, "原证遗失", issue_date=dt.date(2026, 9, 1))
    old = cert_register.require(db, old.serial)
    assert new.serial != old.serial and new.status == "有效" and old.status == "已补发"
    assert (new.reissued_from, old.reissued_by, old.revoke_reason) == (old.serial, new.serial, "原证遗失")
    assert (new.holder_name, new.body, new.class_id, new.issue_date) == (old.holder_name, old.body, old.class_id,
                                                                         dt.date(2026, 9, 1))
    assert cert_register.valid_holders(db, int(c.id or 0)) == {new.person_id}
    assert _issue(db, int(c.id or 0)) == []  # the reissued one counts as held
    with pytest.raises(CertificateError, match="只能为有效的证书补发"):
        cert_register.reissue(db, old.serial)
    cert_register.revoke(db, new.serial, "撤销")
    with pytest.raises(CertificateError):
        cert_register.reissue(db, new.serial)


def test_the_register_keeps_the_name_as_printed_when_the_roster_changes(db: Database) -> None:
    c, members = finished_class(db, ["张三"])
    serial = _issue(db, int(c.id or 0))[0].serial
    people.save(db, replace(members["张三"], name="张叁"))
    assert cert_register.require(db, serial).holder_name == "张三"


def test_a_reissue_prints_the_name_and_id_number_as_corrected_since(db: Database) -> None:
    """万婷 was corrected to 万婷婷 in the roster; the 补发 certificate still read 万婷."""
    c, members = finished_class(db, ["万婷"])
    old = _issue(db, int(c.id or 0))[0]
    person = members["万婷"]
    fixed_id = person.id_number[:14] + "123" + mod11_2(person.id_number[:14] + "123")  # 顺序码 corrected
    people.save(db, replace(person, name="万婷婷", id_number=fixed_id))
    plan = cert_register.reissue_plan(db, old.serial)
    masked = fixed_id[:6] + "********" + fixed_id[-4:]
    assert plan.action == "补发" and plan.changes == [("姓名", "万婷", "万婷婷"), ("身份证号", old.id_masked, masked)]
    new = cert_register.reissue(db, old.serial, "姓名更正")
    assert (new.holder_name, new.id_number, new.reissued_from) == ("万婷婷", fixed_id, old.serial)
    assert cert_register.require(db, old.serial).holder_name == "万婷"  # the old row stays as it was printed
    assert cert_payload.payload(db, new.serial).split("|")[3] == "万婷婷"
    entry = audit.entries(db)[-1]
    assert entry.action == audit.CERT_REISSUE and "姓名：万婷 → 万婷婷" in entry.detail
    assert fixed_id not in entry.detail  # the audit log names ID numbers masked
    assert cert_register.reissue_plan(db, new.serial).changes == []


def test_search_by_name_serial_id_status_and_class(db: Database) -> None:
    a, _ = finished_class(db, ["张三", "李四"], title="甲班")
    b, _ = finished_class(db, ["王五"], title="乙班", start=dt.date(2026, 4, 6), end=dt.date(2026, 4, 8))
    issued = cert_issue.issue_all_completed(db, issue_date=ISSUED)
    assert [x.holder_name for x in issued] == ["张三", "李四", "王五"]
    cert_register.revoke(db, issued[1].serial, "误发")
    assert [x.holder_name for x in cert_register.search(db, CertFilter(text="李"))] == ["李四"]
    assert [x.holder_name for x in cert_register.search(db, CertFilter(text=issued[2].serial.lower()))] == ["王五"]
    assert [x.holder_name for x in cert_register.search(db, CertFilter(text=issued[0].id_number[-6:]))] == ["张三"]
    assert [x.holder_name for x in cert_register.search(db, CertFilter(text="乙班"))] == ["王五"]
    assert [x.holder_name for x in cert_register.search(db, CertFilter(status="有效"))] == ["张三", "王五"]
    assert [x.holder_name for x in cert_register.search(db, CertFilter(class_id=a.id))] == ["张三", "李四"]
    assert [x.holder_name for x in cert_register.search(db, CertFilter(year=2025))] == []
    assert cert_register.search(db, CertFilter(text="%")) == []  # LIKE wildcards are literal
    assert b.id is not None


def test_the_register_exports_to_excel_with_ids_as_text_and_dates_as_dates(db: Database, tmp_path: Path) -> None:
    c, members = finished_class(db, ["张三", "李四"])
    issued = _issue(db, int(c.id or 0))
    cert_register.revoke(db, issued[1].serial, "误发")
    path = export_register(db, tmp_path / "证书登记.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert [cell.value for cell in ws[1]][:7] == ["证书编号", "姓名", "身份证号", "类型", "内容", "发证日期", "状态"]
    first = [cell.value for cell in ws[2]]
    assert first[:5] == [issued[0].serial, "张三", members["张三"].id_number, "结业证书", issued[0].subject]
    assert ws.cell(2, 3).data_type == "s"  # the ID number kept as text, all 18 characters
    assert ws.cell(2, 6).is_date and ws.cell(2, 6).value.date() == ISSUED
    second = [cell.value for cell in ws[3]]
    assert second[6] == "已撤销" and "误发" in second
    assert ws.freeze_panes == "A2" and ws.max_row == 3
    only_valid = openpyxl.load_workbook(export_register(db, tmp_path / "有效.xlsx", CertFilter(status="有效"))).active
    assert only_valid.max_row == 2 and only_valid.cell(2, 2).value == "张三"


def test_award_certificates_name_the_event_and_the_prize(db: Database) -> None:
    c, members = finished_class(db, ["张三", "李四"])
    pid = int(members["张三"].id or 0)
    grants = [cert_issue.AwardGrant(pid, "平顶山市城市管理局首届执法技能比武", "个人全能一等奖")]
    issued = cert_issue.issue_awards(db, grants, issue_date=dt.date(2026, 11, 20))
    assert issued[0].kind == "HJ" and issued[0].kind_label == "获奖证书" and issued[0].class_id is None
    assert issued[0].body == "同志在平顶山市城市管理局首届执法技能比武中荣获个人全能一等奖。"
    assert cert_issue.issue_awards(db, grants) == []  # already holds it
    with pytest.raises(CertificateError):
        cert_issue.issue_awards(db, [cert_issue.AwardGrant(pid, "比武", " ")])
    assert c.id is not None


def test_the_demo_bureau_has_certificates_to_issue(demo_db: Database) -> None:
    issued = cert_issue.issue_all_completed(demo_db, issue_date=dt.date(2026, 11, 25))
    assert len(issued) > 100
    assert len({(x.person_id, x.class_id) for x in issued}) == len(issued)
    finished = {c.id for c in training.list_classes(demo_db) if c.status == "已结束"}
    assert {x.class_id for x in issued} <= finished


def test_no_second_valid_certificate_comes_of_reissuing_one_revoked_before_the_fix(db: Database) -> None:
    """Registers already hold people a batch re-issued after a revocation; the revoked one is not issued again."""
    c, _ = finished_class(db, ["张三"])
    cid = int(c.id or 0)
    drafts = cert_issue.class_plan(db, cid).drafts
    [first] = _issue(db, cid)
    cert_register.revoke(db, first.serial, "违纪")
    [second] = cert_issue._issue(db, drafts, ISSUED)  # what the batch did before revocations stuck
    with pytest.raises(CertificateError, match=f"已持有该培训班的有效证书 {second.serial}"):
        cert_register.reissue(db, first.serial, "处分决定已撤销")
