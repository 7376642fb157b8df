"""As the chief judge I reopen a judge's submitted sheet with that judge's reopen code (重开码), which I read on the
main laptop only with the contest PIN: a wrong PIN counts toward the same five-tries lock-out as locking an item,
and every time a code is shown the audit chain says so. In the window: 查看评委重开码… on the 技能比武 page."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pytest
from contest_window_support import shown_page
from judge_support import CHIEF, PIN, export, judged_contest

from trainer import audit, contest_locks, judge_kit
from trainer.judge_kit import KitError
from trainer.judge_session import JudgeSession
from ui.reopen_code_dialog import ReopenCodeDialog


@pytest.fixture
def venue(db):
    return judged_contest(db)


def reveal(venue, judge: str, pin: str, now: dt.datetime | None = None) -> judge_kit.RevealedCodes:
    return judge_kit.reveal_reopen_code(venue.db, venue.contest_id, judge, pin, CHIEF, now=now)


def shown(venue) -> list[audit.Entry]:
    return audit.entries(venue.db, venue.contest_id, actions=[audit.REOPEN_CODE_SHOWN])


def test_the_code_is_eight_digits_of_an_hmac_with_the_kits_own_secret(venue, tmp_path: Path) -> None:
    kit = export(venue, "J1", tmp_path)
    mac = hmac.new(kit.secret, b"reopen:" + kit.uid.encode("ascii"), hashlib.sha256).digest()
    expected = f"{int.from_bytes(mac, 'big') % 10**8:08d}"
    assert judge_kit.reopen_code(kit.secret, kit.uid) == expected
    assert reveal(venue, "J1", PIN).code == expected  # the main laptop derives it from the secret it registered
    other = export(venue, "J2", tmp_path)
    assert judge_kit.reopen_code(other.secret, other.uid) != expected
    assert judge_kit.group_code(expected) == f"{expected[:4]} {expected[4:]}"
    assert judge_kit.typed_code(f"{expected[:4]}-{expected[4:]}") == expected
    assert judge_kit.typed_code("０４２６ 1739") == "04261739"  # full-width digits from a Chinese input method


def test_only_the_pin_shows_a_code_and_each_showing_is_audited(venue, tmp_path: Path) -> None:
    kit = export(venue, "J1", tmp_path)
    with pytest.raises(contest_locks.LockError, match=r"PIN不正确（再输错4次将锁定5分钟）"):
        reveal(venue, "J1", "0000")
    assert shown(venue) == []
    code = reveal(venue, "J1", PIN).code
    entries = shown(venue)
    assert [(e.actor, e.judge_id) for e in entries] == [(CHIEF, venue.judges["J1"])]
    assert kit.uid in entries[0].detail and code not in entries[0].detail  # the log names the kit, not the code
    assert audit.verify(venue.db) is None


def test_wrong_pins_count_toward_the_contests_one_lock_out(venue, tmp_path: Path) -> None:
    export(venue, "J1", tmp_path)
    t0 = dt.datetime(2026, 11, 18, 10, 0)
    for _ in range(contest_locks.MAX_WRONG_PINS - 1):
        with pytest.raises(contest_locks.LockError, match="PIN不正确"):
            reveal(venue, "J1", "0000", now=t0)
    with pytest.raises(contest_locks.PinLockedOut):  # the fifth wrong PIN, given to another PIN action
        contest_locks.check_pin(venue.db, venue.contest_id, "0000", now=t0)
    with pytest.raises(contest_locks.PinLockedOut, match="已锁定"):
        reveal(venue, "J1", PIN, now=t0 + dt.timedelta(minutes=4))  # even the right PIN waits
    assert shown(venue) == []
    assert reveal(venue, "J1", PIN, now=t0 + dt.timedelta(minutes=5, seconds=1)).code


def test_an_unknown_judge_or_a_judge_without_a_kit_costs_no_try(venue, tmp_path: Path) -> None:
    export(venue, "J1", tmp_path)
    t0 = dt.datetime(2026, 11, 18, 10, 0)
    for _ in range(3):
        with pytest.raises(KitError, match="本次比武没有评委编号“J9”"):
            reveal(venue, "J9", "0000", now=t0)
        with pytest.raises(KitError, match="尚未导出评委J3的评分包，没有重开码"):
            reveal(venue, "J3", "0000", now=t0)
    for _ in range(contest_locks.MAX_WRONG_PINS - 1):
        with pytest.raises(contest_locks.LockError, match="PIN不正确"):
            reveal(venue, "J1", "0000", now=t0)
    assert reveal(venue, "J1", PIN, now=t0).code  # four wrong PINs, not ten: no lock-out
    assert len(shown(venue)) == 1


def test_a_judge_with_several_kits_gets_each_kits_code_newest_first(venue, tmp_path: Path) -> None:
    first = export(venue, "J2", tmp_path / "a")
    second = export(venue, "J2", tmp_path / "b")
    revealed = reveal(venue, "J2", PIN)
    assert [c.kit_uid for c in revealed.codes] == [second.uid, first.uid]
    assert [c.code for c in revealed.codes] == [judge_kit.reopen_code(k.secret, k.uid) for k in (second, first)]
    assert revealed.codes[0].kit_label == second.label  # the judge's window names its kit the same way
    assert (revealed.judge_code, revealed.judge_name) == ("J2", "郑红")


def test_the_chief_judge_reads_a_code_on_the_contest_page(qtbot, venue, tmp_path: Path) -> None:
    page = shown_page(qtbot, venue.db, tmp_path)
    page.reopen_codes_button.click()  # no kit yet: said, no dialog
    assert page.prompts.told == ["本次比武还没有导出评委评分包，没有重开码。请先“导出评委评分包…”。"]
    assert page.active_dialog is None

    kits = page.export_kits(str(tmp_path / "stick"))
    page.reopen_codes_button.click()
    dialog = page.active_dialog
    assert isinstance(dialog, ReopenCodeDialog) and dialog.isVisible()
    combo = dialog.judge_combo
    assert [combo.itemData(i) for i in range(combo.count())] == ["J1", "J2", "J3", "J4"]
    combo.setCurrentIndex(combo.findData("J2"))
    dialog.pin_edit.setText("0000")
    dialog.submit()
    assert dialog.error_label.text().startswith("PIN不正确") and not dialog.code_label.isVisible()
    assert shown(venue) == []

    dialog.pin_edit.setText(PIN)
    dialog.submit()
    kit = judge_kit.read_kit(next(k for k in kits if "J2" in k.name))
    code = judge_kit.reopen_code(kit.secret, kit.uid)
    assert dialog.isVisible() and dialog.code_label.isVisible()  # stays open to read the code out
    assert judge_kit.group_code(code) in dialog.code_label.text()
    assert "评委J2（郑红）的重开码" in dialog.code_title.text() and kit.label in dialog.code_title.text()
    assert dialog.pin_edit.text() == "" and dialog.error_label.text() == ""
    assert "已向裁判长显示评委J2（郑红）的重开码" in page.message_label.text()
    assert [(e.actor, e.judge_id) for e in shown(venue)] == [(page.chief(), venue.judges["J2"])]
    combo.setCurrentIndex(combo.findData("J3"))
    assert not dialog.code_label.isVisible()  # another judge: the code shown goes away

    with JudgeSession.open_kit(kit, tmp_path / "laptop") as s:  # on J2's laptop, as read out
        s.submit(tmp_path / "usb")
        s.reopen(judge_kit.group_code(code))
        assert not s.read_only
