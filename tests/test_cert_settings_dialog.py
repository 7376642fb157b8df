"""As HR I set up certificates: the serial prefix, the seal, the layout with a live sample, offsets for
pre-printed paper and the font file — a font that cannot be embedded is refused in Chinese and nothing is
saved; the chosen font is used for every PDF and again after the app restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from cert_support import ISSUED, finished_class
from PySide6.QtWidgets import QApplication, QWidget

from exports import font_settings, fonts
from trainer import cert_issue, cert_settings
from ui import app
from ui.cert_settings_dialog import CertSettingsDialog
from ui.prompts import Prompts


class ScriptedPrompts(Prompts):
    """The file dialogs answer with the paths a test puts in `open_answer` / `save_answer`."""

    def __init__(self, parent) -> None:
        super().__init__(parent)
        self.open_answer = ""
        self.save_answer = ""

    def open_path(self, title: str, file_filter: str) -> str:
        return self.open_answer

    def save_path(self, title: str, file_name: str, file_filter: str, suffix: str) -> str:
        return self.save_answer


@pytest.fixture(autouse=True)
def _default_fonts(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("TRAINER_FONT", raising=False)
    monkeypatch.delenv("TRAINER_RARE_FONT", raising=False)
    fonts.set_font_file(None)
    fonts.set_rare_font_file(None)
    yield
    fonts.set_font_file(None)  # a choice applied by a test must not follow later tests in this process
    fonts.set_rare_font_file(None)


@pytest.fixture
def dialog(qtbot, db):
    d = CertSettingsDialog(db, prompts=None)
    d.prompts = ScriptedPrompts(d)
    qtbot.addWidget(d)
    d.show()
    return d


def cff_font(tmp_path: Path) -> Path:
    """What a Noto CJK / 思源 .otf looks like to reportlab: an OpenType file with PostScript (CFF) outlines."""
    path = tmp_path / "思源宋体.otf"
    path.write_bytes(b"OTTO" + bytes(252))
    return path


def other_cjk_font() -> Path:
    """An embeddable Chinese TrueType file that is not the automatic body font here."""
    default = fonts.register_fonts().body.path
    for role in (fonts.HEADING, fonts.KAI, fonts.BODY):
        for path, _index in fonts.candidates(role):
            if path != default:
                try:
                    fonts.load_user_font(path)
                except fonts.FontError:
                    continue
                return path
    raise AssertionError("only one Chinese TrueType font here: scripts/setup.sh installs three")


def test_a_non_truetype_font_file_is_refused_with_the_message(qtbot, dialog, db, tmp_path):
    dialog.prompts.open_answer = str(cff_font(tmp_path))
    dialog.font_button.click()
    assert "OpenType/CFF" in dialog.error_label.text() and "TrueType" in dialog.error_label.text()
    assert dialog.font_edit.text() == ""  # not taken

    junk = tmp_path / "字体.ttf"
    junk.write_bytes(b"not a font at all" * 10)
    dialog.prompts.open_answer = str(junk)
    dialog.rare_button.click()
    assert "不是可用的 TrueType 字体文件" in dialog.error_label.text()
    assert dialog.rare_edit.text() == ""


def test_nothing_is_saved_when_the_font_is_refused(qtbot, dialog, db, tmp_path):
    dialog.prefix_edit.setText("PX")
    dialog.font_edit.setText(str(cff_font(tmp_path)))  # e.g. a setting from another PC
    dialog.save_button.click()
    assert "OpenType/CFF" in dialog.error_label.text()
    assert dialog.isVisible()
    assert cert_settings.load(db).prefix == "PDS" and font_settings.load(db).font == ""


def test_a_prefix_change_applies_to_the_next_serial(qtbot, dialog, db):
    c, _ = finished_class(db, ["张三"], title="2026年业务知识轮训第1期")
    dialog.prefix_edit.selectAll()
    qtbot.keyClicks(dialog.prefix_edit, "px")  # ASCII only: typed in lower case, kept in capitals
    assert dialog.prefix_edit.text() == "PX"
    assert "PX" in dialog.next_label.text() and "JY00001" in dialog.next_label.text()
    dialog.save_button.click()
    assert not dialog.isVisible(), dialog.error_label.text()
    assert cert_settings.load(db).prefix == "PX"
    [cert] = cert_issue.issue_for_class(db, int(c.id or 0), issue_date=ISSUED)
    assert cert.serial.startswith("PX2026JY00001")


def test_an_invalid_prefix_is_explained(qtbot, dialog, db):
    dialog.prefix_edit.clear()
    dialog.save_button.click()
    assert "前缀" in dialog.error_label.text() and dialog.isVisible()
    assert cert_settings.load(db).prefix == "PDS"


def test_the_sample_follows_layout_seal_and_offsets(qtbot, dialog, db, tmp_path):
    assert dialog.preview.image is not None and not dialog.preview.image.isNull()
    assert not dialog.offset_x_spin.isEnabled()
    classic = dialog.preview.image

    dialog.prompts.save_answer = str(tmp_path / "示例印章.png")
    dialog.sample_seal_button.click()
    assert (tmp_path / "示例印章.png").is_file() and dialog.seal_edit.text() == str(tmp_path / "示例印章.png")
    assert dialog.seal_image.pixmap() is not None and not dialog.seal_image.pixmap().isNull()

    dialog.layout_combo.setCurrentIndex(dialog.layout_combo.findData("preprinted"))
    assert dialog.offset_x_spin.isEnabled() and dialog.offset_y_spin.isEnabled()
    dialog.offset_x_spin.setValue(5.0)
    dialog.offset_y_spin.setValue(-2.5)
    dialog.render_preview()  # what the timer does after a pause
    assert dialog.preview.image is not None and dialog.preview.image != classic

    dialog.save_button.click()
    s = cert_settings.load(db)
    assert (s.layout, s.offset_x_mm, s.offset_y_mm) == ("preprinted", 5.0, -2.5)
    assert s.seal_path == str(tmp_path / "示例印章.png")


def test_a_chosen_font_is_used_and_applied_again_at_startup(qtbot, dialog, db, db_path, monkeypatch):
    chosen = other_cjk_font()
    dialog.prompts.open_answer = str(chosen)
    dialog.font_button.click()
    assert dialog.font_edit.text() == str(chosen) and not dialog.error_label.text()
    dialog.save_button.click()
    assert font_settings.load(db).font == str(chosen)
    assert fonts.register_fonts().body.path == chosen

    fonts.set_font_file(None)  # a new process starts with nothing chosen …
    assert fonts.register_fonts().body.path != chosen
    opened: list[object] = []

    class FakeWindow(QWidget):
        def __init__(self, database, path, is_demo=False) -> None:
            super().__init__()
            opened.append(fonts.register_fonts().body.path)  # what the window would print with

    monkeypatch.setattr(app, "choose_database", lambda args: app.Opening(db, db_path))
    monkeypatch.setattr("ui.main_window.MainWindow", FakeWindow)
    monkeypatch.setattr(QApplication, "exec", staticmethod(lambda: 0))
    assert app.main(["--db", str(db_path)]) == 0
    assert opened == [chosen]  # … and main() applies the stored choice before the window opens


def test_automatic_clears_the_choice(qtbot, db):
    chosen = other_cjk_font()
    font_settings.save(db, font_settings.FontChoice(font=str(chosen)))
    d = CertSettingsDialog(db)
    qtbot.addWidget(d)
    assert d.font_edit.text() == str(chosen)
    d.font_auto_button.click()
    assert d.font_edit.text() == ""
    d.save_button.click()
    assert font_settings.load(db).font == ""
    assert fonts.register_fonts().body.path != chosen


def test_choosing_a_seal_that_is_not_an_image_is_refused(qtbot, dialog, tmp_path):
    bogus = tmp_path / "seal.png"
    bogus.write_text("no image")
    dialog.prompts.open_answer = str(bogus)
    dialog.seal_button.click()
    assert "无法读取图片" in dialog.error_label.text() and dialog.seal_edit.text() == ""
    assert dialog.seal_image.text() == "无印章"
