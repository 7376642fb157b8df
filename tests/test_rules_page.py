"""As a training officer I change a threshold in 规则设置: it is saved as a new version, compliance follows
at once, a wrong value is explained and saves nothing, and the shipped defaults can be restored."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from training_support import D, add_record, person, status

from trainer import compliance, rules
from ui.rules_page import LABEL_COLUMN, SOURCE_COLUMN, VALUE_COLUMN, RulesPage

AS_OF = D(2026, 6, 30)


class Answers:
    def __init__(self, page: RulesPage) -> None:
        self.errors: list[str] = []
        self.infos: list[str] = []
        self.confirmations: list[bool] = []
        page.show_error = self.errors.append  # type: ignore[method-assign]
        page.show_info = lambda title, text: self.infos.append(text)  # type: ignore[method-assign]
        page.confirm = lambda title, text: self.confirmations.pop(0)  # type: ignore[method-assign]


@pytest.fixture
def page(qtbot, db):
    p = RulesPage(db)
    qtbot.addWidget(p)
    p.resize(1400, 800)
    p.show()
    qtbot.waitExposed(p)
    return p


def type_value(qtbot, page: RulesPage, key: str, text: str) -> None:
    """Double-click the value cell, replace the text in its editor, press Enter."""
    index = page.model.index(page.model.row_of(key), VALUE_COLUMN)
    page.view.setCurrentIndex(index)
    page.view.edit(index)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QLineEdit))
    editor = QApplication.focusWidget()
    editor.setText(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.model.value(key) == text)


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_every_threshold_is_shown_with_its_source(page):
    active = rules.active(page.db)
    assert page.model.rowCount() == len(active.thresholds)
    row = page.model.row_of("annual_min_hours")
    cells = [page.model.index(row, c).data() for c in (LABEL_COLUMN, VALUE_COLUMN, SOURCE_COLUMN)]
    assert cells == ["年度培训最少学时", "90",
                     "《干部教育培训工作条例》（2023）：每年参加集中培训累计不少于12天或者90学时"]
    assert active.version in page.name_label.text() and "当前生效" in page.history_model.row_texts(0)
    long_row = page.model.row_of("start_date")  # the longest source wraps onto more lines, not cut off
    assert page.view.rowHeight(long_row) > page.view.rowHeight(row)


def test_lowering_annual_hours_saves_a_new_version_that_compliance_uses(qtbot, page, db):
    answers = Answers(page)
    officer = person(db)
    add_record(db, officer, "业务知识培训", D(2026, 3, 2), D(2026, 3, 6), hours="70", days=5)
    assert status(db, officer, compliance.ANNUAL, AS_OF) == compliance.PENDING  # 70 < 90 学时, 5 < 12 days
    old = rules.active(db).version
    changed: list[None] = []
    page.data_changed.connect(lambda: changed.append(None))

    type_value(qtbot, page, "annual_min_hours", "60")
    assert page.save_button.isEnabled() and "已修改 1 项" in page.error_label.text()
    click(qtbot, page.save_button)

    active = rules.active(db)
    assert active.version != old and active.raw("annual_min_hours") == "60"
    assert [v for v, _, _ in rules.history(db)] == [active.version, old]
    assert answers.infos == [f"已保存为新版本 {active.version}，并已生效。"]
    assert active.version in page.name_label.text() and changed == [None]
    assert page.history_model.rowCount() == 2 and not page.save_button.isEnabled()
    assert status(db, officer, compliance.ANNUAL, AS_OF) == compliance.OK


def test_an_invalid_value_is_explained_and_nothing_is_saved(qtbot, page, db):
    answers = Answers(page)
    before = rules.history(db)
    type_value(qtbot, page, "annual_min_hours", "60")
    type_value(qtbot, page, "leave_max_fraction", "七分之一")
    problem = "请假（含缺勤）超过班次学时的比例即不予结业：“七分之一”不是有效的取值"
    assert problem in page.error_label.text()
    click(qtbot, page.save_button)
    assert answers.errors == [f"以下取值无效，未保存任何修改：\n{problem}"]
    assert rules.history(db) == before and rules.active(db).raw("annual_min_hours") == "90"
    assert page.model.value("annual_min_hours") == "60"  # the user's input stays for correcting

    type_value(qtbot, page, "leave_max_fraction", "1/5")
    click(qtbot, page.save_button)
    assert (rules.active(db).raw("leave_max_fraction"), rules.active(db).raw("annual_min_hours")) == ("1/5", "60")


def test_restoring_the_defaults_saves_them_as_a_new_version(qtbot, page, db):
    answers = Answers(page)
    type_value(qtbot, page, "card_warning_days", "30")
    click(qtbot, page.save_button)
    changed = rules.active(db)
    assert changed.card_warning_days == 30

    answers.confirmations.append(True)
    click(qtbot, page.defaults_button)
    restored = rules.active(db)
    default = rules.shipped_default()
    assert restored.version not in (changed.version, default.version)
    assert [(t.key, t.value) for t in restored.thresholds] == [(t.key, t.value) for t in default.thresholds]
    assert len(rules.history(db)) == 3 and restored.version in page.name_label.text()

    click(qtbot, page.defaults_button)  # already the defaults: nothing to save
    assert len(rules.history(db)) == 3 and "无需另存" in answers.infos[-1]


def test_unsaved_edits_survive_the_window_closing_and_revert_throws_them_away(qtbot, page, db):
    """I change two thresholds and the PC goes down before 保存: the next start shows both edits, unsaved."""
    type_value(qtbot, page, "annual_min_hours", "60")
    type_value(qtbot, page, "annual_min_days", "10")
    page.close()

    after_restart = RulesPage(db)
    qtbot.addWidget(after_restart)
    after_restart.show()
    assert after_restart.model.changes() == {"annual_min_hours": "60", "annual_min_days": "10"}
    assert "已修改 2 项" in after_restart.error_label.text() and "已恢复" in after_restart.error_label.text()
    assert after_restart.save_button.isEnabled()
    assert rules.active(db).raw("annual_min_hours") != "60"  # nothing saved behind the officer's back

    after_restart.revert()
    again = RulesPage(db)
    qtbot.addWidget(again)
    assert again.model.changes() == {} and "已恢复" not in again.error_label.text()


def test_kept_edits_are_not_applied_to_a_newer_rule_version(qtbot, page, db):
    type_value(qtbot, page, "annual_min_hours", "60")
    rules.save_changes(db, {"annual_min_days": "10"})  # another version became active meanwhile
    fresh = RulesPage(db)
    qtbot.addWidget(fresh)
    assert fresh.model.changes() == {}
