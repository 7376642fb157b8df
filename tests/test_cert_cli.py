"""As an administrator I script certificates from a terminal, exactly as the contract says:

    trainer [--db PATH] cert issue (--class CLASS_ID | --all-completed)
    trainer [--db PATH] cert list [--format table|csv|json]
    trainer [--db PATH] cert print (--class CLASS_ID | --serial SERIAL) --out DIR
    trainer [--db PATH] cert payload SERIAL
    trainer [--db PATH] cert verify TEXT
    trainer [--db PATH] cert revoke SERIAL --reason TEXT

Exit codes: 0 ok, 2 input rejected, 1 other error; `cert verify` 0 only for a valid certificate, 3 for
revoked, unknown or tampered.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cert_support import finished_class, pdf_pages, pdf_text
from font_support import debian_font
from roster_files import run

from trainer import cli
from trainer.db import open_db

SERIAL = re.compile(r"^PDS\d{4}JY\d{5}[0-9X]$")


@pytest.fixture
def db_file(tmp_path: Path) -> tuple[Path, int, int]:
    """A database with a finished class (张三, 李四 completed; 王五 absent) and one still running."""
    path = tmp_path / "t.db"
    db = open_db(path)
    try:
        done, _ = finished_class(db, ["张三", "李四", "王五"], failed=["王五"], title="2026年业务知识轮训第1期")
        running, _ = finished_class(db, ["赵六"], status="进行中", title="2026年执法技能提升培训第1期")
    finally:
        db.close()
    return path, int(done.id or 0), int(running.id or 0)


def _issue(capsys: Any, path: Path, class_id: int) -> list[str]:
    code, out, err = run(capsys, path, "cert", "issue", "--class", str(class_id))
    assert code == 0, err
    return out.splitlines()


def test_issue_prints_one_serial_per_line_and_never_twice(db_file: tuple[Path, int, int], capsys: Any) -> None:
    path, done, _ = db_file
    serials = _issue(capsys, path, done)
    assert len(serials) == 2 and all(SERIAL.match(s) for s in serials)
    assert _issue(capsys, path, done) == []
    code, out, _ = run(capsys, path, "cert", "issue", "--all-completed")
    assert (code, out) == (0, "")


def test_issue_for_all_completed_classes(db_file: tuple[Path, int, int], capsys: Any) -> None:
    path, _, _ = db_file
    code, out, err = run(capsys, path, "cert", "issue", "--all-completed")
    assert (code, err) == (0, "") and len(out.splitlines()) == 2


def test_issue_is_rejected_for_a_running_or_missing_class(db_file: tuple[Path, int, int], capsys: Any) -> None:
    path, _, running = db_file
    code, out, err = run(capsys, path, "cert", "issue", "--class", str(running))
    assert (code, out) == (2, "") and "尚未结束" in err
    code, _, err = run(capsys, path, "cert", "issue", "--class", "999")
    assert code == 2 and "不存在" in err
    with pytest.raises(SystemExit) as exited:  # both selectors, or neither: argparse says how to call it
        cli.main(["--db", str(path), "cert", "issue", "--class", "1", "--all-completed"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit):
        cli.main(["--db", str(path), "cert", "issue"])


def test_list_as_csv_has_exactly_the_contract_columns(db_file: tuple[Path, int, int], capsys: Any) -> None:
    path, done, _ = db_file
    serials = _issue(capsys, path, done)
    code, out, err = run(capsys, path, "cert", "list", "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["证书编号", "姓名", "身份证号", "类型", "内容", "发证日期", "状态"]
    assert [r[0] for r in rows[1:]] == serials
    assert rows[1][1] == "张三" and len(rows[1][2]) == 18 and rows[1][3] == "结业证书"
    assert rows[1][4] == "2026年业务知识轮训第1期" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", rows[1][5])
    assert rows[1][6] == "有效"
    code, out, _ = run(capsys, path, "cert", "list", "--format", "json")
    assert code == 0 and [r["证书编号"] for r in json.loads(out)] == serials
    code, out, _ = run(capsys, path, "cert", "list")
    assert code == 0 and out.splitlines()[0].split()[:3] == ["证书编号", "姓名", "身份证号"]


def test_print_a_class_and_a_single_serial(db_file: tuple[Path, int, int], capsys: Any, tmp_path: Path) -> None:
    path, done, _ = db_file
    serials = _issue(capsys, path, done)
    out_dir = tmp_path / "pdf"
    code, _, err = run(capsys, path, "cert", "print", "--class", str(done), "--out", str(out_dir))
    assert code == 0, err
    files = sorted(p.name for p in out_dir.iterdir())
    assert files == sorted(["合并打印_2026年业务知识轮训第1期.pdf", f"{serials[0]}_张三.pdf", f"{serials[1]}_李四.pdf"])
    assert pdf_pages(out_dir / "合并打印_2026年业务知识轮训第1期.pdf") == 2
    assert "李四" in pdf_text(out_dir / f"{serials[1]}_李四.pdf")
    single = tmp_path / "one"
    code, _, err = run(capsys, path, "cert", "print", "--serial", serials[1], "--out", str(single))
    assert code == 0, err
    assert f"{serials[1]}_李四.pdf" in [p.name for p in single.iterdir()]
    db = open_db(path)
    try:
        counts = [r[0] for r in db.execute("SELECT print_count FROM certificates ORDER BY serial")]
    finally:
        db.close()
    assert counts == [1, 2]
    code, _, err = run(capsys, path, "cert", "print", "--serial", "PDS2026JY999996", "--out", str(single))
    assert code == 2 and "没有编号" in err


def test_payload_prints_the_exact_qr_text_and_verify_reads_it(db_file: tuple[Path, int, int], capsys: Any) -> None:
    path, done, _ = db_file
    serial = _issue(capsys, path, done)[0]
    code, out, _ = run(capsys, path, "cert", "payload", serial)
    assert code == 0 and out.endswith("\n") and out.count("\n") == 1
    payload = out.rstrip("\n")
    assert payload.startswith(f"TRAINER-CERT|1|{serial}|张三|")
    code, out, _ = run(capsys, path, "cert", "verify", payload)
    assert code == 0 and out.startswith("有效") and "张三" in out and serial in out
    code, out, _ = run(capsys, path, "cert", "verify", serial)
    assert code == 0 and out.startswith("有效")
    code, out, _ = run(capsys, path, "cert", "verify", payload.replace("张三", "张四"))
    assert code == 3 and out.startswith("被篡改")
    code, out, _ = run(capsys, path, "cert", "verify", "PDS2026JY999996")
    assert code == 3 and out.startswith("未知")
    code, _, err = run(capsys, path, "cert", "payload", "PDS2026JY999996")
    assert code == 2 and err


def test_revoke_then_verify_says_revoked(db_file: tuple[Path, int, int], capsys: Any) -> None:
    path, done, _ = db_file
    serial = _issue(capsys, path, done)[0]
    payload = run(capsys, path, "cert", "payload", serial)[1].strip()
    code, out, err = run(capsys, path, "cert", "revoke", serial, "--reason", "学员信息有误")
    assert code == 0 and serial in out, err
    for text in (payload, serial):
        code, out, _ = run(capsys, path, "cert", "verify", text)
        assert code == 3 and out.startswith("已撤销") and "学员信息有误" in out and "张三" in out
    code, _, err = run(capsys, path, "cert", "revoke", serial, "--reason", "再次")
    assert code == 2 and "只能撤销有效的证书" in err
    with pytest.raises(SystemExit) as exited:
        cli.main(["--db", str(path), "cert", "revoke", serial])  # --reason is required
    assert exited.value.code == 2
    code, out, _ = run(capsys, path, "cert", "list", "--format", "csv")
    assert "已撤销" in out


def test_the_exit_codes_reach_the_shell(db_file: tuple[Path, int, int]) -> None:
    """`python -m trainer`, as a script would call it: serials on stdout only, 3 for a certificate not valid."""
    path, done, _ = db_file
    exe = [sys.executable, "-m", "trainer", "--db", str(path)]
    issued = subprocess.run([*exe, "cert", "issue", "--class", str(done)], capture_output=True, text=True,
                            encoding="utf-8", check=True).stdout.split()
    assert len(issued) == 2 and all(SERIAL.match(s) for s in issued)
    verify = subprocess.run([*exe, "cert", "verify", issued[0]], capture_output=True, text=True, encoding="utf-8")
    assert verify.returncode == 0
    unknown = subprocess.run([*exe, "cert", "verify", "XX"], capture_output=True, text=True, encoding="utf-8")
    assert unknown.returncode == 3 and unknown.stdout.startswith("未知")


def test_print_uses_the_font_chosen_in_the_windows_settings(db_file: tuple[Path, int, int], capsys: Any,
                                                            tmp_path: Path) -> None:
    from exports import font_settings, fonts

    kai = debian_font("fonts-arphic-ukai")
    path, done, _ = db_file
    serials = _issue(capsys, path, done)
    db = open_db(path)
    try:
        font_settings.save(db, font_settings.FontChoice(str(kai)))
    finally:
        db.close()
    font_settings.apply(font_settings.FontChoice())  # forget it here: the command must read the setting itself
    try:
        code, _, err = run(capsys, path, "cert", "print", "--serial", serials[0], "--out", str(tmp_path / "kai"))
        assert code == 0, err
        assert fonts.register_fonts().body.path == kai  # the body text was set in the chosen file
        embedded = subprocess.run(["pdffonts", str(tmp_path / "kai" / f"{serials[0]}_张三.pdf")],
                                  capture_output=True, text=True, check=True).stdout
        assert "UKai" in embedded
    finally:
        font_settings.apply(font_settings.FontChoice())  # the font choice is process-wide


def test_a_batch_issue_never_undoes_a_revocation_and_says_whom_it_left_out(db_file: tuple[Path, int, int],
                                                                        capsys: Any) -> None:
    """cert revoke S --reason 违纪, then cert issue --class (or --all-completed) gave 张三 a new valid certificate."""
    path, done, _ = db_file
    serial = _issue(capsys, path, done)[0]
    code, _, err = run(capsys, path, "cert", "revoke", serial, "--reason", "违纪")
    assert code == 0, err
    for selector in (["--class", str(done)], ["--all-completed"]):
        code, out, err = run(capsys, path, "cert", "issue", *selector)
        assert (code, out) == (0, "")  # stdout: still only the serials created, and there are none
        assert err.splitlines() == [f"未发证：张三（{serial} 已撤销：违纪；重新发证须在“证书管理”中办理）"]
    code, out, _ = run(capsys, path, "cert", "verify", serial)
    assert code == 3 and out.startswith("已撤销")


def test_a_valid_certificate_verifies_in_one_plain_line(db_file: tuple[Path, int, int], capsys: Any) -> None:
    path, done, _ = db_file
    serial = _issue(capsys, path, done)[0]
    code, out, _ = run(capsys, path, "cert", "verify", serial)
    assert code == 0
    assert out.splitlines()[0] == "有效：结业证书（2026年业务知识轮训第1期）"  # not 有效：结业证书有效：…


def test_a_tampered_text_shows_the_record_of_the_serial_it_claims(db_file: tuple[Path, int, int],
                                                                  capsys: Any) -> None:
    path, done, _ = db_file
    serial = _issue(capsys, path, done)[0]
    payload = run(capsys, path, "cert", "payload", serial)[1].strip()
    code, out, _ = run(capsys, path, "cert", "verify", payload.replace("|张三|", "|张四|"))
    lines = out.splitlines()
    assert code == 3 and lines[0].startswith("被篡改：签名无效")
    assert lines[1] == "二维码所称编号在证书登记中的记录（二维码已被篡改，仅供与证书原件比对）："
    assert lines[2].startswith("持证人：张三（") and f"证书编号：{serial}" in lines[2] and "登记状态：有效" in lines[2]
    code, out, _ = run(capsys, path, "cert", "verify", payload[:-1] + ("A" if payload[-1] != "A" else "B"))
    assert code == 3 and f"证书编号：{serial}" in out
    code, out, _ = run(capsys, path, "cert", "verify", "TRAINER-CERT|1|PDS2026JY999996|张三|x|y|2026-03-06|sig")
    assert code == 3 and out.splitlines() == ["被篡改：签名无效：内容被改动，或不是本局签发的证书"]  # no such record


def test_print_to_a_folder_that_cannot_be_made_says_why_in_chinese(db_file: tuple[Path, int, int], capsys: Any,
                                                                    tmp_path: Path) -> None:
    path, done, _ = db_file
    serial = _issue(capsys, path, done)[0]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out_dir in ("/proc/nope", str(blocker / "sub")):
        code, out, err = run(capsys, path, "cert", "print", "--serial", serial, "--out", out_dir)
        assert (code, out) == (1, "")
        why = "文件或文件夹不存在" if out_dir.startswith("/proc") else "路径中有一段不是文件夹"
        assert err.splitlines() == [f"错误：无法写入“{out_dir}”：{why}"], err
