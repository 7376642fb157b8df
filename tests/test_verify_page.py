"""As anyone checking a certificate I scan its QR code (the scanner types the text and Enter) or type its
serial, and see at once whether it is 有效, 已撤销, 未知 or 被篡改, with the register's record."""

from __future__ import annotations

import pytest
from cert_support import ISSUED, finished_class
from PySide6.QtCore import Qt

from trainer import cert_issue, cert_payload, cert_register, cert_serials
from ui.verify_page import BANNER_COLOURS, VerifyPage


@pytest.fixture
def issued(db):
    c, _ = finished_class(db, ["张三", "李四"], title="2026年业务知识轮训第1期")
    return cert_issue.issue_for_class(db, int(c.id or 0), issue_date=ISSUED)


@pytest.fixture
def page(qtbot, db):
    p = VerifyPage(db)
    qtbot.addWidget(p)
    p.resize(1200, 800)
    p.show()
    return p


def scan(qtbot, page: VerifyPage, text: str) -> None:
    """What a USB scanner does: the text arrives in the focused box, then Enter."""
    page.input.setFocus()
    page.input.setText(text)  # keyClicks with Chinese text aborts Qt (DESIGN.md)
    qtbot.keyClick(page.input, Qt.Key.Key_Return)


def banner_colour(page: VerifyPage) -> str:
    return page.banner.styleSheet().split("background:")[1].split(";")[0].strip()


def test_a_valid_certificate_shows_a_green_banner_and_the_record(qtbot, page, db, issued):
    cert = issued[0]
    scan(qtbot, page, cert_payload.payload(db, cert.serial))
    assert page.verdict == "有效" and page.banner.text() == "有效"
    assert banner_colour(page) == BANNER_COLOURS["有效"][0] == "#1e8449"
    assert page.record.isVisible()
    assert page.fields["持证人"].text() == "张三"
    assert page.fields["身份证号"].text() == cert.id_masked and "********" in cert.id_masked
    assert page.fields["内容"].text() == "2026年业务知识轮训第1期"
    assert page.fields["发证"].text().startswith("2026-03-06")
    assert page.fields["状态"].text() == "有效"
    assert page.input.selectedText() == page.input.text()  # the next scan replaces this one


def test_one_changed_character_is_tampered(qtbot, page, db, issued):
    text = cert_payload.payload(db, issued[0].serial)
    forged = text.replace("|张三|", "|章三|")
    assert len(forged) == len(text) and sum(a != b for a, b in zip(forged, text, strict=True)) == 1
    scan(qtbot, page, forged)
    assert page.verdict == "被篡改" and page.banner.text() == "被篡改"
    assert banner_colour(page) == "#c0392b"
    assert "签名无效" in page.message_label.text()


def test_an_unknown_serial_is_grey(qtbot, page, db, issued):
    scan(qtbot, page, cert_serials.format_serial("PDS", 2026, "JY", 99_999))
    assert page.verdict == "未知" and banner_colour(page) == "#7f8c8d"
    assert not page.record.isVisible()
    scan(qtbot, page, "PDS2026JY000015")  # a mistyped check character
    assert page.verdict == "未知" and "校验位不符" in page.message_label.text()


def test_a_typed_serial_is_forgiven_case_and_spaces(qtbot, page, issued):
    scan(qtbot, page, " " + issued[1].serial.lower()[:6] + " " + issued[1].serial.lower()[6:])
    assert page.verdict == "有效" and page.fields["持证人"].text() == "李四"


def test_a_revoked_certificate_is_orange_with_the_reason(qtbot, page, db, issued):
    text = cert_payload.payload(db, issued[0].serial)
    cert_register.revoke(db, issued[0].serial, "学员信息有误")
    scan(qtbot, page, text)
    assert page.verdict == "已撤销" and page.banner.text() == "已撤销"
    assert banner_colour(page) == "#e67e22"
    assert "学员信息有误" in page.fields["撤销或补发"].text()


def test_a_superseded_certificate_links_to_its_reissue(qtbot, page, db, issued):
    old = issued[1].serial
    scan(qtbot, page, cert_payload.payload(db, old))
    assert page.verdict == "有效"
    new = cert_register.reissue(db, old, "原证遗失").serial
    page.refresh()  # the register changed on another page: the verdict on screen follows
    assert page.verdict == "已撤销" and new in page.message_label.text()
    assert f"<a href='{new}'>{new}</a>" in page.fields["撤销或补发"].text()
    page.fields["撤销或补发"].linkActivated.emit(new)
    assert page.verdict == "有效" and page.input.text() == new
    assert old in page.fields["撤销或补发"].text()  # 补发自 the old one


def test_an_empty_scan_clears_the_verdict(qtbot, page, db, issued):
    scan(qtbot, page, issued[0].serial)
    assert page.verdict == "有效"
    page.clear_button.click()
    assert page.verdict == "" and page.banner.text() == "等待扫码" and not page.record.isVisible()


def test_a_tampered_text_shows_the_record_its_serial_points_to_under_a_warning(qtbot, page, db, issued):
    """被篡改 alone, with the serial readable in the text: the register's record is what the checker compares."""
    cert = issued[0]
    forged = cert_payload.payload(db, cert.serial).replace("|张三|", "|章三|")
    scan(qtbot, page, forged)
    assert page.verdict == "被篡改" and banner_colour(page) == "#c0392b"
    assert page.record.isVisible() and page.record_title.isVisible()
    assert "二维码已被篡改" in page.record_title.text() and "记录" in page.record_title.text()
    assert page.fields["证书编号"].text() == cert.serial and page.fields["持证人"].text() == "张三"  # not 章三
    scan(qtbot, page, cert.serial)  # a genuine check afterwards: the record without the warning
    assert page.verdict == "有效" and page.record.isVisible() and not page.record_title.isVisible()
    scan(qtbot, page, forged.replace(cert.serial, "PDS2026JY999996"))  # a serial the register lacks
    assert page.verdict == "被篡改" and not page.record.isVisible() and not page.record_title.isVisible()


def test_a_valid_verdict_does_not_repeat_itself(qtbot, page, db, issued):
    scan(qtbot, page, issued[0].serial)
    assert page.banner.text() == "有效"
    assert page.message_label.text() == "结业证书（2026年业务知识轮训第1期）"
