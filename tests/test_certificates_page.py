"""As HR I work the certificate register in the window: issue certificates for a finished class, print them
(merged file for the printer and one file per person), preview one, revoke with a reason, reissue under a new
serial, and am stopped with a list of names before a batch would print a blank for a rare character."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from cert_support import finished_class, pdf_pages, pdf_text
from conftest import DEMO_DAY
from font_support import rare_char
from prompt_support import ScriptedPrompts
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from exports import fonts
from exports.glyphs import MissingGlyphsError
from trainer import cert_issue, cert_register, training
from trainer.cert_register import CertFilter
from ui.cert_issue_dialog import CertIssueDialog
from ui.cert_print_dialog import CertPrintDialog
from ui.cert_reason_dialog import ReasonDialog
from ui.certificates_page import COL_PRINTS, COL_STATUS, CertificatesPage

RECRUITS = "2026年新招录执法人员初任培训班第1期"  # a finished demo class of 8 who completed


@pytest.fixture(autouse=True)
def _default_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAINER_FONT", raising=False)
    monkeypatch.delenv("TRAINER_RARE_FONT", raising=False)
    fonts.set_font_file(None)
    fonts.set_rare_font_file(None)


def make_page(qtbot, db, tmp_path: Path) -> CertificatesPage:
    page = CertificatesPage(db, today=DEMO_DAY)
    qtbot.addWidget(page)
    page.resize(1500, 900)
    page.show()
    page.prompts = ScriptedPrompts(page, tmp_path, False, pick_folder="证书")
    return page


@pytest.fixture
def page(qtbot, demo_db, tmp_path):
    return make_page(qtbot, demo_db, tmp_path)


def class_id(db, title: str = RECRUITS) -> int:
    return next(int(c.id or 0) for c in training.list_classes(db) if c.title == title)


def statuses(page: CertificatesPage) -> dict[str, str]:
    return {page.model.object_at(r).serial: page.model.row_texts(r)[COL_STATUS] for r in range(page.model.rowCount())}


def issue_in_window(qtbot, page: CertificatesPage, cid: int) -> CertIssueDialog:
    qtbot.mouseClick(page.issue_button, Qt.MouseButton.LeftButton)
    dialog = page.active_dialog
    assert isinstance(dialog, CertIssueDialog)
    assert dialog.select_class(cid)
    return dialog


def print_dialog(page: CertificatesPage) -> CertPrintDialog:
    dialog = page.active_dialog
    assert isinstance(dialog, CertPrintDialog), dialog
    return dialog


def wait_for_print(qtbot, page: CertificatesPage) -> None:
    assert page.task is not None
    qtbot.waitUntil(lambda: page.task is not None and page.task.done, timeout=60_000)


def test_issuing_for_a_finished_class_lists_the_new_certificates(qtbot, page, demo_db):
    # the demo already issued last year's completion certificates and the award certificates of this year's
    # finished 上半年岗位练兵比武, none of this year's completion certificates
    before = page.model.rowCount()
    serials = [page.model.row_texts(r)[0] for r in range(before)]
    assert any(s.startswith("PDS2025JY") for s in serials) and any(s.startswith("PDS2026HJ") for s in serials)
    assert all(s.startswith(("PDS2025JY", "PDS2026HJ")) for s in serials)
    cid = class_id(demo_db)
    dialog = issue_in_window(qtbot, page, cid)
    assert dialog.model.rowCount() == 8, dialog.summary_label.text()  # the completed recruits, nobody else
    assert "将为以下 8 名结业学员发放结业证书" in dialog.summary_label.text()
    assert all("********" in dialog.model.row_texts(r)[2] for r in range(8))  # masked ID numbers
    names = [dialog.model.row_texts(r)[1] for r in range(8)]

    dialog.issue_button.click()

    assert page.prompts.asked and "现在打印这些证书吗" in page.prompts.asked[-1]
    assert page.model.rowCount() == 8
    assert sorted(page.model.row_texts(r)[1] for r in range(8)) == sorted(names)
    assert set(statuses(page).values()) == {"有效"}
    assert page.class_combo.currentData() == cid  # the register shows the class just issued
    first = page.model.row_texts(0)
    assert first[0].startswith("PDS2026JY") and "********" in first[2] and first[3] == "结业证书"
    assert first[4] == RECRUITS and first[COL_PRINTS] == "0"
    assert [c.serial for c in page.selected_certificates()] == [first[0]]  # previewed

    again = issue_in_window(qtbot, page, cid)  # a second issue for the same class gives nobody a second one
    assert again.model.rowCount() == 0 and not again.issue_button.isEnabled()
    assert "已持有本班有效证书的 8 人不再重复发证" in again.summary_label.text()
    again.reject()


def test_issuing_offers_to_print_and_the_class_prints_merged_and_per_person(qtbot, page, demo_db, tmp_path):
    page.prompts.answer = True  # 现在打印这些证书吗？ → 打印…
    cid = class_id(demo_db)
    issue_in_window(qtbot, page, cid).issue_button.click()
    dialog = print_dialog(page)
    assert dialog.class_radio.isChecked() and dialog.class_combo.currentData()[0] == cid
    dialog.browse_button.click()  # the folder picker (scripted) fills the folder
    out = tmp_path / "证书"
    assert dialog.folder_edit.text() == str(out)
    page.prompts.answer = False  # 打开所在文件夹？ → 关闭
    dialog.print_button.click()
    wait_for_print(qtbot, page)

    assert page.task is not None and page.task.ok, page.prompts.told
    result = page.last_result
    assert result is not None and result.count == 8
    assert result.merged.parent == out and result.merged.name == f"合并打印_{RECRUITS}.pdf"
    assert pdf_pages(result.merged) == 8
    certs = cert_register.search(demo_db, CertFilter(class_id=cid))
    assert sorted(p.name for p in out.glob("PDS*.pdf")) == sorted(f"{c.serial}_{c.holder_name}.pdf" for c in certs)
    assert certs[0].holder_name in pdf_text(result.merged)
    assert "已打印 8 份证书" in page.prompts.asked[-1] and str(result.merged) in page.prompts.asked[-1]
    assert {page.model.row_texts(r)[COL_PRINTS] for r in range(page.model.rowCount())} == {"1"}


def test_selected_certificates_print_into_a_zip(qtbot, page, demo_db, tmp_path):
    certs = cert_issue.issue_for_class(demo_db, class_id(demo_db), issue_date=DEMO_DAY)
    page.refresh()
    chosen = [certs[1].serial, certs[3].serial]
    page.select_serials(chosen)
    page.print_button.click()
    dialog = print_dialog(page)
    assert dialog.selected_radio.isChecked() and dialog.selected_radio.text() == "所选证书：2 份"
    dialog.folder_edit.setText(str(tmp_path / "out"))
    dialog.zip_check.setChecked(True)
    dialog.print_button.click()
    wait_for_print(qtbot, page)

    result = page.last_result
    assert result is not None and result.count == 2 and result.archive is not None and result.archive.is_file()
    assert not list((tmp_path / "out").glob("PDS*.pdf"))  # the personal files are in the zip only
    assert pdf_pages(result.merged) == 2
    counts = {c.serial: c.print_count for c in cert_register.search(demo_db)}
    assert [s for s, n in counts.items() if n] == chosen


def test_preview_shows_the_selected_certificate(qtbot, page, demo_db):
    certs = cert_issue.issue_for_class(demo_db, class_id(demo_db), issue_date=DEMO_DAY)
    page.refresh()
    assert page.preview_button.isChecked()
    page.select_serials([certs[0].serial])
    qtbot.waitUntil(lambda: page.pdf_view.image is not None, timeout=10_000)
    image = page.pdf_view.image
    assert image is not None and not image.isNull()
    assert image.width() > image.height()  # A4 landscape, fitted to the panel
    pixels = _rgb(image)
    assert (pixels.min(axis=2) > 250).mean() > 0.6  # white paper, not a transparent (black) page
    assert (pixels.max(axis=2) < 128).mean() > 0.003  # the text is there, not a blank sheet
    red = (pixels[..., 0] > 150) & (pixels[..., 1] < 90) & (pixels[..., 2] < 90)
    assert red.mean() > 0.002  # the red title and border
    assert certs[0].serial in page.info_label.text() and certs[0].holder_name in page.info_label.text()

    page.pdf_view.set_zoom(2.0)
    assert page.pdf_view.image is not None and page.pdf_view.image.width() > image.width()
    assert cert_register.require(demo_db, certs[0].serial).print_count == 0  # a preview is not a print


def _rgb(image: QImage) -> np.ndarray:
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    data = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=rgb.sizeInBytes())
    rows = data.reshape(rgb.height(), rgb.bytesPerLine())[:, : rgb.width() * 3]
    return rows.reshape(rgb.height(), rgb.width(), 3).copy()  # a copy: the QImage's buffer goes with it


def test_revoking_requires_a_reason_and_changes_the_status(qtbot, page, demo_db):
    certs = cert_issue.issue_for_class(demo_db, class_id(demo_db), issue_date=DEMO_DAY)
    page.refresh()
    serial = certs[2].serial
    page.select_serials([serial])
    assert page.revoke_button.isEnabled()
    page.revoke_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ReasonDialog)
    dialog.reason_edit.setText("   ")
    dialog.ok_button.click()
    assert "请填写原因" in dialog.error_label.text() and dialog.isVisible()
    assert cert_register.require(demo_db, serial).status == "有效"

    dialog.reason_edit.setText("学员信息有误")
    dialog.ok_button.click()
    assert cert_register.require(demo_db, serial).status == "已撤销"
    assert statuses(page)[serial] == "已撤销"
    assert page.current is not None and page.current.serial == serial
    assert not page.revoke_button.isEnabled()
    assert page.reissue_button.text() == "重新发证…"  # the one way back, with a reason (and the PIN)
    assert "学员信息有误" in page.info_label.text()
    page.class_combo.setCurrentIndex(page.class_combo.findData(class_id(demo_db)))  # this class only
    page.status_combo.setCurrentIndex(page.status_combo.findData("有效"))
    assert serial not in statuses(page) and len(statuses(page)) == 7


def test_reissuing_creates_a_new_serial_linked_to_the_old(qtbot, page, demo_db):
    certs = cert_issue.issue_for_class(demo_db, class_id(demo_db), issue_date=DEMO_DAY)
    page.refresh()
    old = certs[0].serial
    page.select_serials([old])
    page.reissue_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ReasonDialog) and dialog.reason_edit.text() == "原证遗失"
    dialog.ok_button.click()

    new = cert_register.require(demo_db, old).reissued_by
    assert new is not None and new != old
    assert cert_register.require(demo_db, new).reissued_from == old
    assert f"新证书编号 {new}" in page.prompts.asked[-1]
    assert statuses(page)[old] == "已补发" and statuses(page)[new] == "有效"
    assert page.current is not None and page.current.serial == new
    assert f"补发自 <a href='{old}'>{old}</a>" in page.info_label.text()
    page.info_label.linkActivated.emit(old)  # the link leads back to the old certificate
    assert page.current is not None and page.current.serial == old



def test_a_rare_character_in_a_name_refuses_the_batch_and_lists_the_person(qtbot, db, tmp_path):
    rare = rare_char()
    c, _ = finished_class(db, ["张三", f"王{rare}", "李四"], title="2026年业务知识轮训第9期")
    cert_issue.issue_for_class(db, int(c.id or 0), issue_date=DEMO_DAY)
    page = make_page(qtbot, db, tmp_path)
    page.print_button.click()
    dialog = print_dialog(page)
    dialog.select_class(int(c.id or 0))
    dialog.folder_edit.setText(str(tmp_path / "out"))
    dialog.print_button.click()
    wait_for_print(qtbot, page)

    assert page.task is not None and isinstance(page.task.error, MissingGlyphsError)
    told = page.prompts.told[-1]
    assert f"王{rare}（PDS2026JY" in told and f"缺“{rare}”" in told and "证书设置" in told
    assert "张三" not in told and "李四" not in told
    assert not list((tmp_path / "out").glob("*.pdf")) and not list((tmp_path / "out").glob("*.zip"))
    assert all(x.print_count == 0 for x in cert_register.search(db))
    assert page.last_result is None


def test_the_register_and_the_public_key_are_exported(qtbot, page, demo_db, tmp_path):
    from openpyxl import load_workbook

    from trainer import cert_payload, cert_signing

    certs = cert_issue.issue_for_class(demo_db, class_id(demo_db), issue_date=DEMO_DAY)
    page.refresh()
    page.search_edit.setText(certs[0].holder_name)
    page.reload()  # what the pause after typing does
    shown = page.model.rowCount()
    assert 1 <= shown < 8
    page.export_button.click()
    [xlsx] = page.prompts.saved_files
    rows = list(load_workbook(xlsx).active.iter_rows(values_only=True))
    assert rows[0][:7] == ("证书编号", "姓名", "身份证号", "类型", "内容", "发证日期", "状态")
    assert len(rows) == 1 + shown and rows[1][1] == certs[0].holder_name  # the filtered register

    page.key_button.click()
    pem = Path(page.prompts.saved_files[-1])
    assert pem.suffix == ".pem"
    key = cert_signing.load_public_key_pem(pem.read_text(encoding="utf-8"))
    text = cert_payload.payload(demo_db, certs[0].serial)
    message, signature = text[: text.rindex("|") + 1], text[text.rindex("|") + 1:]
    assert cert_signing.verify(key, message, signature)  # anyone with the file can check a QR offline
    note = pem.read_text(encoding="utf-8")
    assert "到最后一个“|”为止（含这个“|”）" in note and "openssl pkeyutl -verify" in note  # what is signed, how


def test_issuing_again_after_a_revocation_names_the_revoked_and_issues_them_nothing(qtbot, page, demo_db):
    cid = class_id(demo_db)
    certs = cert_issue.issue_for_class(demo_db, cid, issue_date=DEMO_DAY)
    cert_register.revoke(demo_db, certs[0].serial, "违纪")
    page.refresh()
    dialog = issue_in_window(qtbot, page, cid)
    assert dialog.model.rowCount() == 0 and not dialog.issue_button.isEnabled()
    assert dialog.skipped_label.isVisible()
    note = dialog.skipped_label.text()
    assert f"{certs[0].holder_name}（{certs[0].serial}，已撤销：违纪）" in note and "重新发证" in note
    assert "已持有本班有效证书的 7 人不再重复发证" in dialog.summary_label.text()
    dialog.reject()
    valid = cert_register.search(demo_db, CertFilter(class_id=cid, status="有效"))
    assert len(valid) == 7 and certs[0].person_id not in {x.person_id for x in valid}


def test_a_revoked_certificate_is_issued_again_only_by_重新发证_with_a_reason_and_the_pin(qtbot, page, demo_db):
    from trainer import audit, cert_admin

    certs = cert_issue.issue_for_class(demo_db, class_id(demo_db), issue_date=DEMO_DAY)
    old = certs[1].serial
    cert_register.revoke(demo_db, old, "违纪")
    cert_admin.set_pin(demo_db, "8642", "人事科")
    page.refresh()
    page.select_serials([old])
    assert page.reissue_button.isEnabled() and page.reissue_button.text() == "重新发证…"
    page.reissue_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ReasonDialog) and dialog.windowTitle() == "重新发证"
    assert "违纪" in dialog.explanation_label.text() and "仍为“已撤销”" in dialog.explanation_label.text()
    dialog.ok_button.click()
    assert "请填写原因" in dialog.error_label.text()  # no reason, no new certificate
    dialog.reason_edit.setText("处分决定已撤销")
    dialog.ok_button.click()
    assert "请输入口令" in dialog.error_label.text()
    dialog.pin_edit.setText("8642")
    dialog.ok_button.click()

    revoked = cert_register.require(demo_db, old)
    new = revoked.reissued_by
    assert revoked.status == "已撤销" and new is not None and statuses(page)[new] == "有效"
    assert f"已重新发证：新证书编号 {new}" in page.prompts.asked[-1]
    assert audit.entries(demo_db)[-1].reason == "处分决定已撤销"
    page.select_serials([old])
    assert f"已重新发证为 <a href='{new}'>{new}</a>" in page.info_label.text()
    assert not page.reissue_button.isEnabled()  # once is enough


def test_the_reissue_dialog_shows_the_corrected_name_and_the_new_certificate_carries_it(qtbot, db, tmp_path):
    from dataclasses import replace

    from trainer import people

    c, members = finished_class(db, ["万婷", "李四"], title="2026年业务知识轮训第7期")
    [cert, _] = cert_issue.issue_for_class(db, int(c.id or 0), issue_date=DEMO_DAY)
    people.save(db, replace(members["万婷"], name="万婷婷"))
    page = make_page(qtbot, db, tmp_path)
    page.select_serials([cert.serial])
    page.reissue_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ReasonDialog)
    explanation = dialog.explanation_label.text()
    assert "姓名：万婷 → 万婷婷" in explanation and "内容不变" not in explanation
    assert dialog.reason_edit.text() == "姓名更正"
    dialog.ok_button.click()
    new = cert_register.require(db, cert_register.require(db, cert.serial).reissued_by or "")
    assert new.holder_name == "万婷婷" and new.reissued_from == cert.serial
    assert page.current is not None and page.current.holder_name == "万婷婷"


def test_the_serial_column_fits_a_longer_prefix(qtbot, db, tmp_path):
    from trainer import cert_settings

    cert_settings.save(db, cert_settings.CertSettings(prefix="PDSCG"))
    c, _ = finished_class(db, ["张三"], title="2026年业务知识轮训第8期")
    [cert] = cert_issue.issue_for_class(db, int(c.id or 0), issue_date=DEMO_DAY)
    assert cert.serial.startswith("PDSCG2026JY")
    page = make_page(qtbot, db, tmp_path)
    needed = page.table.fontMetrics().horizontalAdvance(cert.serial)
    assert page.table.columnWidth(0) >= needed + 10  # the whole serial, no “PDSCG2026JY00…”
    cert_settings.save(db, cert_settings.CertSettings(prefix="PDSCGZFJ"))  # a still longer prefix in settings
    page.refresh()
    assert page.table.columnWidth(0) >= page.table.fontMetrics().horizontalAdvance("PDSCGZFJ2026JY000122") + 10
