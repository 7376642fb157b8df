"""As a judge on my own laptop (`trainer-gui --judge KIT`) I type a draw number (or code), Enter, a score, Enter:
it is on disk at once; a value out of range is refused as I type it; the unscored list shrinks; 提交 writes a
score file the main laptop accepts, after which my sheet is read-only until the chief judge types my kit's reopen
code (重开码, read on the main laptop) — or, for a kit of the previous version, the chief judge's PIN."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest
from judge_support import CLERK, PIN, code, export, judged_contest, old_format_kit, reopen_code, wrong_code
from PySide6.QtCore import Qt

from trainer import merge
from trainer.judge_session import JudgeSession
from ui import app
from ui.judge_window import BAD_FIELD, JudgeWindow


@pytest.fixture
def venue(db):
    return judged_contest(db)


@pytest.fixture
def kit_path(venue, tmp_path: Path) -> Path:
    folder = tmp_path / "stick"
    folder.mkdir()
    export(venue, "J1", folder)
    return folder / "评分包_J1.kit"


def open_window(qtbot, kit_path: Path, tmp_path: Path) -> JudgeWindow:
    session = JudgeSession.open(kit_path, store_dir=tmp_path / "laptop")
    window = JudgeWindow(session)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # focus moves only in the active window
    return window


def choose_item(window: JudgeWindow, name: str) -> None:
    window.item_combo.setCurrentIndex(next(i for i, it in enumerate(window.kit.items) if it.name == name))


def type_enter(qtbot, widget, text: str) -> None:
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def stored_on_disk(window: JudgeWindow) -> list[tuple[object, ...]]:
    """Read by a separate connection while the window (and its session) stays open."""
    other = sqlite3.connect(window.session.path)
    try:
        return other.execute("SELECT key, criterion_id, value_x1000 FROM scores ORDER BY key, criterion_id").fetchall()
    finally:
        other.close()


def test_a_draw_code_and_score_with_enter_is_saved_at_once(qtbot, venue, kit_path: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, kit_path, tmp_path)
    choose_item(window, "文书")
    before = len(window.session.unscored())
    type_enter(qtbot, window.key_edit, code(venue, 2).lower())
    assert window.current_key == code(venue, 2)
    type_enter(qtbot, window.score_edits[0], "85.5")
    assert stored_on_disk(window) == [(code(venue, 2), 0, 85500)]
    assert len(window.session.unscored()) == before - 1
    assert window.unscored_list.count() == before - 1
    assert f"{code(venue, 2)}" not in [window.unscored_list.item(i).text().split("密封编号")[-1]
                                       for i in range(window.unscored_list.count())]
    assert window.key_edit.text() == "" and window.current_key is None  # ready for the next competitor
    assert window.key_edit.hasFocus()
    assert "已保存" in window.message_label.text()


def test_out_of_range_is_refused_as_typed_and_nothing_saved(qtbot, venue, kit_path: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, kit_path, tmp_path)
    choose_item(window, "文书")
    type_enter(qtbot, window.key_edit, code(venue, 3))
    qtbot.keyClicks(window.score_edits[0], "120")
    assert "高于满分" in window.message_label.text()
    assert window.score_edits[0].styleSheet() == BAD_FIELD
    qtbot.keyClick(window.score_edits[0], Qt.Key.Key_Return)
    assert stored_on_disk(window) == []
    assert "未保存" in window.message_label.text()
    window.score_edits[0].clear()
    qtbot.keyClicks(window.score_edits[0], "88.123")  # the item allows two decimals
    assert window.score_edits[0].styleSheet() == BAD_FIELD
    qtbot.keyClick(window.score_edits[0], Qt.Key.Key_Return)
    assert stored_on_disk(window) == []


def test_a_competitor_not_on_my_sheet_is_refused(qtbot, venue, kit_path: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, kit_path, tmp_path)
    choose_item(window, "情景")
    type_enter(qtbot, window.key_edit, "99")
    assert window.current_key is None and "不在评委J1" in window.message_label.text()


def test_rubric_criteria_each_saved_and_unscored_list_names_the_missing(qtbot, venue, kit_path: Path,
                                                                        tmp_path: Path) -> None:
    window = open_window(qtbot, kit_path, tmp_path)
    choose_item(window, "情景")
    assert len(window.score_edits) == 2  # 仪容仪表, 程序规范
    type_enter(qtbot, window.key_edit, "2")
    type_enter(qtbot, window.score_edits[0], "30")
    assert window.score_edits[1].hasFocus()  # Enter moves on to the next criterion
    lines = [window.unscored_list.item(i).text() for i in range(window.unscored_list.count())]
    assert "情景 抽签号2（细则：程序规范）" in lines
    type_enter(qtbot, window.score_edits[1], "0")  # 0 is a score, not "not scored"
    lines = [window.unscored_list.item(i).text() for i in range(window.unscored_list.count())]
    assert not any(line.startswith("情景 抽签号2") for line in lines)
    assert [r for r in stored_on_disk(window) if r[0] == "2"] == [("2", window.kit.item_named("情景").criteria[0].id,
                                                                  30000),
                                                                 ("2", window.kit.item_named("情景").criteria[1].id, 0)]


def test_submit_writes_a_file_the_main_laptop_accepts_then_read_only_until_the_reopen_code(
        qtbot, venue, kit_path: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, kit_path, tmp_path)
    choose_item(window, "文书")
    for draw, value in ((1, "81"), (2, "82.5")):
        type_enter(qtbot, window.key_edit, code(venue, draw))
        type_enter(qtbot, window.score_edits[0], value)
    usb = tmp_path / "usb"
    usb.mkdir()
    done = window.submit_to(usb)
    assert done is not None and done.path.parent == usb
    assert done.hash_text in window.hash_label.text() and window.hash_label.isVisible()

    report = merge.merge_files(venue.db, venue.contest_id, [done.path], CLERK)
    assert [(o.status, o.count) for o in report.outcomes] == [(merge.ACCEPTED, 2)]

    assert window.key_edit.isReadOnly() and all(e.isReadOnly() for e in window.score_edits)
    assert not window.submit_button.isEnabled() and window.reopen_button.isVisible()
    assert window.reopen_button.text() == "重新打开（裁判长重开码）…"
    assert window.choose_key() is False and "请裁判长输入重开码重新打开" in window.message_label.text()
    assert "请裁判长输入重开码重新打开" in window.state_label.text()

    window.reopen_button.click()
    dialog = window.reopen_dialog
    assert dialog is not None and dialog.isVisible()
    assert "请裁判长在主机“查看评委重开码”中取得本评委的8位重开码" in dialog.intro_label.text()
    assert window.kit.label in dialog.intro_label.text()  # the kit named as the main laptop names it
    right = reopen_code(venue, window.kit)
    dialog.pin_edit.setText(wrong_code(right))
    dialog.submit()
    assert "重开码不正确" in dialog.error_label.text() and dialog.isVisible()
    assert window.session.read_only and window.key_edit.isReadOnly()
    dialog.pin_edit.setText(right)
    dialog.submit()
    assert not dialog.isVisible()
    assert not window.session.read_only and not window.key_edit.isReadOnly()
    type_enter(qtbot, window.key_edit, code(venue, 3))
    type_enter(qtbot, window.score_edits[0], "70")
    assert (code(venue, 3), 0, 70000) in stored_on_disk(window)


def test_five_wrong_codes_lock_reopening_with_a_chinese_message(qtbot, venue, kit_path: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, kit_path, tmp_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    window.submit_to(usb)
    right = reopen_code(venue, window.kit)
    assert window.reopen_with("0000") == "重开码应为8位数字（请裁判长在主机“查看评委重开码”中取得）"  # not a try
    messages = [window.reopen_with(wrong_code(right)) for _ in range(5)]
    assert messages[0] == "重开码不正确（再输错4次将锁定5分钟）"
    assert "重开码连续输错5次，此操作已锁定" in str(messages[-1])
    assert "锁定" in str(window.reopen_with(right))  # even the right code, during the lock-out
    assert window.session.read_only


def test_a_kit_of_the_previous_version_asks_for_the_pin(qtbot, venue, tmp_path: Path) -> None:
    window = open_window(qtbot, old_format_kit(venue, "J1", tmp_path), tmp_path)
    usb = tmp_path / "usb"
    usb.mkdir()
    window.submit_to(usb)
    assert window.reopen_button.text() == "重新打开（裁判长PIN）…"
    assert "请裁判长输入PIN重新打开" in window.state_label.text()
    window.reopen_button.click()
    dialog = window.reopen_dialog
    assert dialog is not None and "重开码" not in dialog.intro_label.text()
    assert dialog.pin_edit.placeholderText() == "裁判长PIN"
    dialog.pin_edit.setText(reopen_code(venue, window.kit))  # the new code does not open an old kit
    dialog.submit()
    assert "PIN不正确" in dialog.error_label.text() and window.session.read_only
    dialog.pin_edit.setText(PIN)
    dialog.submit()
    assert not window.session.read_only


def test_printed_sheet_carries_the_hash(qtbot, venue, kit_path: Path, tmp_path: Path) -> None:
    window = open_window(qtbot, kit_path, tmp_path)
    choose_item(window, "文书")
    type_enter(qtbot, window.key_edit, code(venue, 1))
    type_enter(qtbot, window.score_edits[0], "77")
    usb = tmp_path / "usb"
    usb.mkdir()
    done = window.submit_to(usb)
    assert done is not None
    pdf = tmp_path / "sheet.pdf"
    window.prompts.save_path = lambda *_a: str(pdf)  # type: ignore[method-assign]
    saved: list[object] = []
    window.prompts.saved = lambda _t, path: saved.append(path)  # type: ignore[method-assign]
    window.print_sheet()
    qtbot.waitUntil(lambda: bool(saved), timeout=20_000)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert done.hash_text.split()[0] in text and "未评分" in text and "评委签名" in text


def test_opening_the_kit_again_continues_where_the_judge_left_off(qtbot, venue, kit_path: Path,
                                                                  tmp_path: Path) -> None:
    window = open_window(qtbot, kit_path, tmp_path)
    choose_item(window, "文书")
    type_enter(qtbot, window.key_edit, code(venue, 4))
    type_enter(qtbot, window.score_edits[0], "66")
    left = window.unscored_list.count()
    window.session.close()
    window.close()
    again = open_window(qtbot, kit_path, tmp_path)
    assert again.unscored_list.count() == left
    assert "接续" in again.message_label.text()
    choose_item(again, "文书")
    type_enter(qtbot, again.key_edit, code(venue, 4))
    assert again.score_edits[0].text() == "66"  # the stored value comes back for correction


def test_judge_argument_is_parsed() -> None:
    args, rest = app.parse_args(["--judge", "E:/评分包_J1.kit"])
    assert args.judge == "E:/评分包_J1.kit" and rest == []
    args, rest = app.parse_args(["E:/评分包_J1.kit"])  # opening the kit file from the desktop
    assert args.judge == "E:/评分包_J1.kit"
