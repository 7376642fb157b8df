"""As HR I protect what makes a certificate official: once I set a 证书管理口令, nobody changes the certificate
settings, revokes or reissues a certificate without it (five wrong tries lock it for a while), the PIN is
kept only as an scrypt hash, and every issue, print, revoke, reissue and settings change is in the audit
chain."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from cert_support import ISSUED, finished_class
from PySide6.QtCore import Qt
from roster_files import run

from trainer import audit, cert_admin, cert_issue, cert_register, cert_settings, settings
from trainer.cert_register import CertificateError
from trainer.cert_settings import CertSettings, CertSettingsError
from trainer.db import open_db
from trainer.pins import LOCKOUT, MAX_WRONG_PINS
from ui.cert_reason_dialog import ReasonDialog
from ui.cert_settings_dialog import CertSettingsDialog

PIN = "8642"


@pytest.fixture
def issued(db):
    c, _ = finished_class(db, ["张三", "李四"], title="2026年业务知识轮训第1期")
    return cert_issue.issue_for_class(db, int(c.id or 0), issue_date=ISSUED)


def actions(db) -> list[str]:
    return [e.action for e in audit.entries(db)]


def test_without_a_pin_nothing_is_asked_and_every_change_is_still_audited(db, issued) -> None:
    first, second = issued
    assert not cert_admin.pin_is_set(db)
    cert_register.record_prints(db, [first.serial, second.serial])
    cert_register.revoke(db, first.serial, "学员信息有误")
    new = cert_register.reissue(db, second.serial, "原证遗失", issue_date=ISSUED)
    cert_settings.save(db, CertSettings(issuer="平顶山市城市管理局政治处"))
    assert actions(db) == [audit.CERT_ISSUE, audit.CERT_ISSUE, audit.CERT_PRINT, audit.CERT_REVOKE,
                           audit.CERT_REISSUE, audit.CERT_SETTINGS]
    entries = audit.entries(db)
    assert {e.new for e in entries[:2]} == {first.serial, second.serial}
    assert entries[2].detail == f"打印2张：{first.serial} 至 {second.serial}"
    assert (entries[3].old, entries[3].new, entries[3].reason) == ("有效", "已撤销", "学员信息有误")
    assert (entries[4].old, entries[4].new) == (second.serial, new.serial)
    assert entries[5].detail == "issuer:  → 平顶山市城市管理局政治处"
    cert_settings.save(db, CertSettings(issuer="平顶山市城市管理局政治处"))  # nothing changed: no entry
    assert len(audit.entries(db)) == 6
    assert audit.verify(db) is None


def test_the_pin_is_kept_as_a_hash_and_guards_settings_revoke_and_reissue(db, issued) -> None:
    first, second = issued
    cert_admin.set_pin(db, PIN, "人事科")
    stored = settings.get(db, cert_admin.PIN_KEY)
    assert stored.startswith("scrypt$") and PIN not in stored
    assert audit.entries(db)[-1].action == audit.CERT_PIN_SET

    with pytest.raises(CertSettingsError, match="请输入口令"):
        cert_settings.save(db, CertSettings(prefix="PDSX"))
    with pytest.raises(CertificateError, match="PIN不正确"):
        cert_register.revoke(db, first.serial, "学员信息有误", pin="0000")
    with pytest.raises(CertificateError, match="请输入口令"):
        cert_register.reissue(db, second.serial, "原证遗失")
    assert cert_settings.load(db).prefix == "PDS"
    assert cert_register.require(db, first.serial).status == "有效"
    assert cert_register.require(db, second.serial).status == "有效"

    cert_settings.save(db, CertSettings(prefix="PDSX"), pin=PIN)
    cert_register.revoke(db, first.serial, "学员信息有误", pin=PIN)
    cert_register.reissue(db, second.serial, "原证遗失", pin=PIN, issue_date=ISSUED)
    assert cert_settings.load(db).prefix == "PDSX"
    assert cert_register.require(db, first.serial).status == "已撤销"

    with pytest.raises(cert_admin.CertPinError, match="PIN不正确"):
        cert_admin.set_pin(db, "13579", "某人", old_pin="1111")  # changing it needs the old one
    cert_admin.set_pin(db, "13579", "人事科", old_pin=PIN)
    with pytest.raises(cert_admin.CertPinError, match="至少4位"):
        cert_admin.set_pin(db, "123", "人事科", old_pin="13579")


def test_five_wrong_pins_lock_the_certificate_actions_even_for_the_right_pin(db, issued) -> None:
    first, _ = issued
    cert_admin.set_pin(db, PIN, "人事科")
    t0 = dt.datetime.now()
    for left in range(MAX_WRONG_PINS - 1, 0, -1):
        with pytest.raises(cert_admin.CertPinError, match=f"再输错{left}次"):
            cert_admin.require(db, "0000", now=t0)
    with pytest.raises(cert_admin.CertPinLockedOut):
        cert_admin.require(db, "0000", now=t0)
    with pytest.raises(CertificateError, match="已锁定"):
        cert_register.revoke(db, first.serial, "学员信息有误", pin=PIN)  # the right PIN, during the lock-out
    assert cert_register.require(db, first.serial).status == "有效"
    cert_admin.require(db, PIN, now=t0 + LOCKOUT + dt.timedelta(seconds=1))  # afterwards it works again
    assert settings.get(db, cert_admin.ATTEMPTS_KEY) == ""


def test_the_command_line_revoke_takes_the_pin(tmp_path: Path, capsys: Any, monkeypatch) -> None:
    path = tmp_path / "t.db"
    db = open_db(path)
    try:
        c, _ = finished_class(db, ["张三"], title="2026年业务知识轮训第1期")
        [cert] = cert_issue.issue_for_class(db, int(c.id or 0), issue_date=ISSUED)
        cert_admin.set_pin(db, PIN, "人事科")
    finally:
        db.close()
    code, _out, err = run(capsys, path, "cert", "revoke", cert.serial, "--reason", "学员信息有误")
    assert (code, err.strip()) == (2, "已设置证书管理口令：请输入口令")
    monkeypatch.setenv("TRAINER_CERT_PIN", PIN)
    code, out, err = run(capsys, path, "cert", "revoke", cert.serial, "--reason", "学员信息有误")
    assert code == 0, err
    assert out.startswith(f"已撤销：{cert.serial} 张三")


def test_hr_sets_the_pin_in_the_settings_dialog_and_needs_it_to_save(qtbot, db) -> None:
    dialog = CertSettingsDialog(db)
    qtbot.addWidget(dialog)
    assert dialog.pin_button.text() == "设置口令…" and not dialog.pin_edit.isEnabled()
    dialog.change_pin()
    setter = dialog.pin_dialog
    assert setter is not None
    setter.new_edit.setText(PIN)
    setter.again_edit.setText("8643")
    setter.save()
    assert "不一致" in setter.error_label.text() and not cert_admin.pin_is_set(db)
    setter.again_edit.setText(PIN)
    qtbot.mouseClick(setter.ok_button, Qt.MouseButton.LeftButton)
    assert cert_admin.pin_is_set(db)
    assert dialog.pin_button.text() == "修改口令…" and dialog.pin_edit.isEnabled()

    dialog.issuer_edit.setText("平顶山市城市管理局政治处")
    dialog.save()
    assert "请输入口令" in dialog.error_label.text() and cert_settings.load(db).issuer == ""
    dialog.pin_edit.setText("0000")
    dialog.save()
    assert "PIN不正确" in dialog.error_label.text() and cert_settings.load(db).issuer == ""
    assert settings.get(db, cert_admin.ATTEMPTS_KEY)  # the wrong try was counted, not rolled back
    dialog.pin_edit.setText(PIN)
    dialog.save()
    assert cert_settings.load(db).issuer == "平顶山市城市管理局政治处"


def test_the_revoke_dialog_asks_for_the_pin_only_when_one_is_set(qtbot) -> None:
    plain = ReasonDialog("撤销证书", "…", required=True, ok_text="撤销证书")
    guarded = ReasonDialog("撤销证书", "…", required=True, ok_text="撤销证书", ask_pin=True)
    for d in (plain, guarded):
        qtbot.addWidget(d)
        d.reason_edit.setText("学员信息有误")
    got: list[str] = []
    guarded.submitted.connect(got.append)
    guarded.submit()
    assert got == [] and "请输入口令" in guarded.error_label.text()
    guarded.pin_edit.setText(PIN)
    guarded.submit()
    assert got == ["学员信息有误"] and guarded.pin() == PIN
    assert plain.pin() is None


def test_issuing_again_after_a_revocation_needs_the_pin_and_is_audited(db, issued) -> None:
    first, _ = issued
    cert_admin.set_pin(db, PIN, "人事科")
    cert_register.revoke(db, first.serial, "违纪", pin=PIN)
    assert cert_issue.issue_for_class(db, int(first.class_id or 0), issue_date=ISSUED) == []  # no PIN, no way back
    with pytest.raises(CertificateError, match="请输入口令"):
        cert_register.reissue(db, first.serial, "处分决定已撤销")
    with pytest.raises(CertificateError, match="PIN不正确"):
        cert_register.reissue(db, first.serial, "处分决定已撤销", pin="0000")
    assert cert_register.require(db, first.serial).reissued_by is None
    again = cert_register.reissue(db, first.serial, "处分决定已撤销", pin=PIN, issue_date=ISSUED)
    entry = audit.entries(db)[-1]
    assert (entry.action, entry.old, entry.new, entry.reason) == (audit.CERT_REISSUE, first.serial, again.serial,
                                                                  "处分决定已撤销")
    assert audit.verify(db) is None
