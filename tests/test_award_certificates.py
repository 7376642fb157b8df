"""As the chief judge, once the award list is confirmed I issue the 获奖证书 in one go: each winner from the
personnel register gets one certificate in the register (printed later in 证书管理); issuing again never
makes a second one, and I am told how many were issued, how many existed already and who cannot have one."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import DEMO_DAY

from trainer import (
    award_certificates,
    cert_register,
    contest,
    contest_awards,
    contest_locks,
    contest_people,
    draw,
    people,
    ranking,
    scoring,
)
from trainer.cert_register import CertFilter
from trainer.contest import SINGLE, ContestError, NewContest, NewItem
from trainer.contest_awards import PrizeTier

PIN = "2468"
EVENT = "平顶山市城市管理局第二届执法技能比武"


def winners(db, *, confirm: bool = True):
    """Four winners: two from the register, one matched by ID number only, one not in the register at all."""
    persons = people.all_people(db)[:3]
    c = contest.create_contest(db, NewContest("第二届执法技能比武", organiser="平顶山市城市管理局"))
    it = contest.add_item(db, c.id, NewItem("笔试", SINGLE, Decimal(100), Decimal(100)))
    comps = contest_people.add_from_register(db, c.id, [int(p.id or 0) for p in persons[:2]])
    comps.append(contest_people.add_competitor(db, c.id, persons[2].name, persons[2].unit_id,
                                               id_number=persons[2].id_number))
    comps.append(contest_people.add_competitor(db, c.id, "外单位选手", persons[0].unit_id))
    draw.draw_contest(db, c.id, "裁判长", seed="第二届")
    for comp, value in zip(comps, ("95", "90", "85", "99"), strict=True):
        scoring.enter_score(db, scoring.Slot(it.id, comp.id), value, "记分员")
    contest_locks.set_pin(db, c.id, PIN, "裁判长")
    contest_locks.lock_item(db, it.id, PIN, "裁判长")
    if confirm:
        plan = contest_awards.plan_awards(ranking.compute(db, c.id),
                                          [PrizeTier("一等奖", count=2), PrizeTier("二等奖", count=2)])
        contest_awards.confirm_awards(db, c.id, plan, PIN, "裁判长")
    return c, persons


def award_certs(db) -> list[cert_register.Certificate]:
    return [x for x in cert_register.search(db, CertFilter(kind="HJ")) if x.subject.startswith(EVENT)]


def test_each_registered_winner_gets_one_award_certificate(demo_db) -> None:
    c, persons = winners(demo_db)
    result = award_certificates.issue(demo_db, c.id, issue_date=DEMO_DAY)
    certs = award_certs(demo_db)
    assert len(result.issued) == 3 and result.already == 0
    assert [a.name for a in result.unregistered] == ["外单位选手"]
    assert sorted((x.holder_name, x.subject) for x in certs) == sorted([
        (persons[0].name, f"{EVENT} 一等奖"), (persons[1].name, f"{EVENT} 二等奖"),
        (persons[2].name, f"{EVENT} 二等奖")])
    assert all(x.valid and x.issue_date == DEMO_DAY and x.body.endswith("奖。") for x in certs)
    assert result.summary() == ("已颁发获奖证书 3 张；1 人不在人员名册中，无法发证（"
                                f"{result.unregistered[0].draw_no}号外单位选手）。请到“证书管理”中打印获奖证书。")


def test_issuing_again_makes_no_second_certificate_and_says_so(demo_db) -> None:
    c, _persons = winners(demo_db)
    award_certificates.issue(demo_db, c.id)
    again = award_certificates.issue(demo_db, c.id)
    assert again.issued == () and again.already == 3
    assert len(award_certs(demo_db)) == 3
    assert again.summary().startswith("已颁发获奖证书 0 张；3 人此前已颁发，未重复颁发")


def test_a_revoked_award_certificate_is_not_issued_again_and_the_summary_says_why(demo_db) -> None:
    c, _persons = winners(demo_db)
    first = award_certificates.issue(demo_db, c.id).issued[0]
    cert_register.revoke(demo_db, first.serial, "违纪取消获奖资格")
    again = award_certificates.issue(demo_db, c.id)
    assert again.issued == () and again.already == 2 and [r.serial for r in again.revoked] == [first.serial]
    assert (f"1 人的获奖证书已被撤销，未重新颁发（{first.holder_name}（{first.serial}，已撤销：违纪取消获奖资格）"
            in again.summary())


def test_no_certificates_before_the_award_list_is_confirmed(demo_db) -> None:
    c, _persons = winners(demo_db, confirm=False)
    with pytest.raises(ContestError, match="尚未确认获奖名单"):
        award_certificates.issue(demo_db, c.id)
    assert award_certs(demo_db) == []


def test_the_awards_dialog_issues_the_certificates_after_confirming(qtbot, demo_db) -> None:
    from ui.awards_dialog import AwardsDialog

    c, _persons = winners(demo_db, confirm=False)
    dialog = AwardsDialog(demo_db, ranking.compute(demo_db, c.id), "裁判长")
    qtbot.addWidget(dialog)
    assert not dialog.cert_button.isEnabled()           # nothing confirmed yet
    dialog.rows[0].value.setText("50")
    dialog.make_plan()
    dialog.pin_edit.setText(PIN)
    dialog.confirm()
    assert dialog.cert_button.isEnabled() and "颁发获奖证书" in dialog.message_label.text()
    dialog.cert_button.click()
    assert dialog.cert_task is not None and dialog.cert_task.wait()
    qtbot.waitUntil(lambda: "已颁发获奖证书" in dialog.message_label.text(), timeout=5_000)
    issued = len(award_certs(demo_db))
    assert issued == 3 and "证书管理" in dialog.message_label.text()
    dialog.cert_button.click()
    assert dialog.cert_task.wait()
    qtbot.waitUntil(lambda: "此前已颁发" in dialog.message_label.text(), timeout=5_000)
    assert "已颁发获奖证书 0 张；3 人此前已颁发" in dialog.message_label.text()
    assert len(award_certs(demo_db)) == issued


def test_the_ranking_tab_issues_certificates_when_awards_exist(qtbot, demo_db, tmp_path) -> None:
    from contest_window_support import ScriptedPrompts

    from ui.contest_page import ContestPage

    c, _persons = winners(demo_db)
    page = ContestPage(demo_db, today=DEMO_DAY)
    qtbot.addWidget(page)
    page.show()
    page.prompts = ScriptedPrompts(page, tmp_path)
    assert page.select_contest(c.id)
    page.tabs.setCurrentWidget(page.ranking_tab)
    tab = page.ranking_tab
    qtbot.waitUntil(lambda: tab.ready and tab.computed is not None, timeout=10_000)
    assert tab.cert_button.isEnabled()
    tab.issue_certificates()
    assert tab.cert_task is not None and tab.cert_task.wait()
    qtbot.waitUntil(lambda: bool(page.prompts.told), timeout=5_000)
    assert page.prompts.told[-1].startswith("已颁发获奖证书 3 张") and "证书管理" in page.prompts.told[-1]
    assert len(award_certs(demo_db)) == 3
