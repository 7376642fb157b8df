"""The command-line contract of issue 7 for judges' laptops:

    trainer [--db PATH] contest kit --contest ID --judge JUDGE_NO --out FILE
    trainer [--db PATH] contest reopen-code --contest ID --judge JUDGE_NO [--pin PIN]
    trainer judge export --kit KIT --scores FILE.csv --out SCOREFILE
    trainer [--db PATH] contest merge --contest ID SCOREFILE...

`contest reopen-code` prints the judge's reopen codes (the PIN from --pin or TRAINER_CHIEF_PIN), one line per
kit, newest first, the code first; a wrong PIN, an unknown judge or no kit exported: exit 2 and one Chinese line.
`judge export` turns a clerk's CSV of a paper sheet (项目名称, 抽签号, 分数) into a signed score file with judge
mode's checks (bad rows: exit 2, one `第R行 列名: 原因` line each, nothing written). `contest merge` prints one
line per file (accepted N, duplicate, superseded N, conflicts N with the conflicts listed) and exits 2, changing
nothing, when any file is tampered, foreign or unreadable, naming the file and why."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from judge_support import CLERK, PIN, code, judged_contest
from roster_files import problems, run

from trainer import audit, cli, judge_kit, scoring

HEADER = ["项目名称", "抽签号", "分数", "评分细则"]


@pytest.fixture
def venue(db):
    return judged_contest(db)


def sheet(path: Path, rows: list[list[object]], encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def kit(capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, judge: str) -> Path:
    out = tmp_path / f"{judge}.kit"
    code_, _stdout, err = run(capsys, db_path, "contest", "kit", "--contest", "1", "--judge", judge, "--out", str(out))
    assert code_ == 0, err
    return out


def export(capsys: pytest.CaptureFixture[str], kit_path: Path, scores: Path, out: Path) -> tuple[int, str, str]:
    code_ = cli.main(["judge", "export", "--kit", str(kit_path), "--scores", str(scores), "--out", str(out)])
    stdout, err = capsys.readouterr()
    return code_, stdout, err


def test_contest_kit(capsys: pytest.CaptureFixture[str], venue, db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "评分包_J2.kit"
    code_, stdout, err = run(capsys, db_path, "contest", "kit", "--contest", "1", "--judge", "J2", "--out", str(out))
    assert (code_, err) == (0, "")
    lines = stdout.splitlines()
    assert lines[0] == f"已导出评委J2（郑红）的评分包：{out}（项目 2 个，待评 6 格，回避 4 人次）"
    assert lines[1].startswith("评分包校验码：") and out.read_bytes().startswith(b"TRAINER JUDGE KIT 1\n")
    code_, stdout, err = run(capsys, db_path, "contest", "kit", "--contest", "1", "--judge", "J9", "--out", str(out))
    assert (code_, stdout, err) == (2, "", "本次比武没有评委编号“J9”\n")
    code_, _o, err = run(capsys, db_path, "contest", "kit", "--contest", "7", "--judge", "J2", "--out", str(out))
    assert (code_, err) == (2, "--contest: 没有编号为7的比武\n")
    blocked = tmp_path / "plain-file"
    blocked.write_text("not a folder")
    bad = blocked / "评分包_J2.kit"   # a folder that is really a file: said in Chinese, exit 2, nothing registered
    kits = venue.db.execute("SELECT COUNT(*) FROM contest_judge_kits").fetchone()[0]
    code_, _o, err = run(capsys, db_path, "contest", "kit", "--contest", "1", "--judge", "J2", "--out", str(bad))
    assert code_ == 2 and err.startswith(f"无法写入评分包 {bad}：") and "Errno" not in err
    assert venue.db.execute("SELECT COUNT(*) FROM contest_judge_kits").fetchone()[0] == kits


def test_judge_export_needs_no_database(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, venue,
                                        db_path: Path, tmp_path: Path) -> None:
    kit_path = kit(capsys, db_path, tmp_path, "J2")
    nowhere = tmp_path / "never" / "trainer.db"
    monkeypatch.setenv("TRAINER_DB", str(nowhere))
    scores = sheet(tmp_path / "J2.csv", [
        ["文书", code(venue, 2), "85.5", ""], ["文书", code(venue, 3).lower(), "", ""],   # empty: not scored
        ["情景", "2", "35", "仪容仪表"], ["情景", "02", "51", "程序规范"], ["情景", 3, "30", "仪容仪表"],
    ], encoding="gb18030")  # as Chinese Excel saves a CSV
    out = tmp_path / "usb" / "J2.score"
    code_, stdout, err = export(capsys, kit_path, scores, out)
    assert (code_, err) == (0, "")
    assert stdout.splitlines()[0] == f"已生成评委J2（郑红）的评分文件：{out}（分数 4 个，未评分 2 格）"
    assert stdout.splitlines()[1].startswith("内容校验码（SHA-256）：")
    assert not nowhere.parent.exists()
    code_, stdout, err = run(capsys, db_path, "contest", "merge", "--contest", "1", str(out))
    assert (code_, err) == (0, "")
    assert stdout == "accepted 4  J2.score  评委J2\n"


def test_judge_export_rejects_bad_rows_like_the_roster_import(capsys: pytest.CaptureFixture[str], venue,
                                                               db_path: Path, tmp_path: Path) -> None:
    kit_path = kit(capsys, db_path, tmp_path, "J2")
    scores = sheet(tmp_path / "bad.csv", [
        ["文书", code(venue, 2), "85.5", ""],
        ["文书", code(venue, 1), "80", ""],            # 3: 1号 is of J2's own unit
        ["文书", code(venue, 3), "100.5", ""],         # 4
        ["情景", "2", "30", ""],                        # 5: no criterion
        ["情景", "3", "30", "着装"],                    # 6: unknown criterion
        ["笔试", "2", "90", ""],                        # 7: not in this judge's kit
        ["文书", code(venue, 2), "86", ""],            # 8: twice
        ["", "2", "86", ""],                            # 9
        ["情景", "3", "12.345", "仪容仪表"],            # 10
    ])
    out = tmp_path / "J2.score"
    code_, stdout, err = export(capsys, kit_path, scores, out)
    assert code_ == 2 and stdout == ""
    assert problems(err) == [
        (3, "抽签号", f"密封编号{code(venue, 1)}不在评委J2“文书”的评分表上（不在本项目，或须回避）"),
        (4, "分数", "分数100.5高于满分100"),
        (5, "评分细则", "“情景”按评分细则计分，须填写评分细则"),
        (6, "评分细则", "“情景”没有细则“着装”"),
        (7, "项目名称", "未知项目“笔试”（评委J2的评分包中没有此项目）"),
        (8, "抽签号", "与第2行重复（同一项目、选手）"),
        (9, "项目名称", "必填项为空"),
        (10, "分数", "分数12.345最多保留1位小数"),  # 情景 has one decimal
    ]
    assert not out.exists()
    sheet(tmp_path / "nocol.csv", [])
    (tmp_path / "nocol.csv").write_text("项目名称,分数\n文书,80\n", "utf-8")
    code_, _o, err = export(capsys, kit_path, tmp_path / "nocol.csv", out)
    assert code_ == 2 and problems(err) == [(1, "抽签号", "缺少必填列")]
    code_, _o, err = export(capsys, tmp_path / "nope.kit", scores, out)
    assert code_ == 2 and err.strip() == f"{tmp_path / 'nope.kit'}: 无法读取评分包 {tmp_path / 'nope.kit'}：" \
                                         "文件或文件夹不存在"


def test_contest_merge_prints_one_line_per_file(capsys: pytest.CaptureFixture[str], venue, db_path: Path,
                                                tmp_path: Path) -> None:
    j1, j3 = kit(capsys, db_path, tmp_path, "J1"), kit(capsys, db_path, tmp_path, "J3")
    scoring.enter_score(venue.db, venue.slot("文书", 3, "J1"), "70", CLERK)  # typed by hand on the main laptop
    f1 = tmp_path / "J1.score"
    assert export(capsys, j1, sheet(tmp_path / "j1.csv", [["文书", code(venue, 2), "80", ""],
                                                         ["文书", code(venue, 3), "72", ""]]), f1)[0] == 0
    f3 = tmp_path / "J3.score"
    assert export(capsys, j3, sheet(tmp_path / "j3.csv", [["文书", code(venue, 2), "81", ""]]), f3)[0] == 0
    code_, stdout, err = run(capsys, db_path, "contest", "merge", "--contest", "1", str(f1), str(f3))
    assert (code_, err) == (0, "")
    lines = stdout.splitlines()
    assert lines[0] == "conflicts 1  J1.score  评委J1（其余 1 个分数已合并）"
    # 文书 is blind and not yet locked: the conflict names its sealed code only
    assert lines[1].startswith("  冲突 #1：文书 密封编号") and lines[1].endswith(f"已录入70（{CLERK}），评委文件72")
    assert lines[2:] == ["accepted 1  J3.score  评委J3"]
    f3b = tmp_path / "J3b.score"
    assert export(capsys, j3, sheet(tmp_path / "j3b.csv", [["文书", code(venue, 2), "82", ""],
                                                          ["文书", code(venue, 4), "60", ""]]), f3b)[0] == 0
    code_, stdout, err = run(capsys, db_path, "contest", "merge", "--contest", "1", str(f3), str(f3b))
    assert (code_, err) == (0, "")
    lines = stdout.splitlines()
    assert lines[0] == "duplicate  J3.score  评委J3（已合并过，未改动）"
    assert lines[1].startswith("superseded 2  J3b.score  评委J3（取代") and lines[1].endswith("提交的文件）")
    assert len(lines) == 2


def test_contest_merge_refuses_everything_for_one_bad_file(capsys: pytest.CaptureFixture[str], venue, db_path: Path,
                                                           tmp_path: Path) -> None:
    j1 = kit(capsys, db_path, tmp_path, "J1")
    good = tmp_path / "good.score"
    assert export(capsys, j1, sheet(tmp_path / "a.csv", [["文书", code(venue, 2), "80", ""]]), good)[0] == 0
    cut = tmp_path / "cut.score"
    cut.write_bytes(good.read_bytes()[:-20])
    kit_as_file = tmp_path / "J1.kit"
    code_, stdout, err = run(capsys, db_path, "contest", "merge", "--contest", "1", str(good), str(cut),
                             str(kit_as_file), str(tmp_path / "gone.score"))
    assert code_ == 2 and stdout == ""
    assert err.splitlines() == [f"{cut}: 评分文件不完整（可能在拷贝时被截断）或已被改动",
                                f"{kit_as_file}: 这是评分包，不是评分文件",
                                f"{tmp_path / 'gone.score'}: 无法读取评分文件：文件或文件夹不存在"]
    assert venue.db.execute("SELECT COUNT(*) FROM contest_scores").fetchone()[0] == 0
    code_, stdout, _err = run(capsys, db_path, "contest", "merge", "--contest", "1", str(good))
    assert code_ == 0 and stdout.startswith("accepted 1  good.score")


def test_contest_reopen_code(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, venue, db_path: Path,
                             tmp_path: Path) -> None:
    monkeypatch.delenv("TRAINER_CHIEF_PIN", raising=False)
    ask = ["contest", "reopen-code", "--contest", "1", "--judge"]
    assert run(capsys, db_path, *ask, "J2", "--pin", PIN) == (2, "", "尚未导出评委J2的评分包，没有重开码\n")
    first = judge_kit.read_kit(kit(capsys, db_path, tmp_path, "J2"))
    assert run(capsys, db_path, *ask, "J2") == (2, "", "请用 --pin 或环境变量 TRAINER_CHIEF_PIN 提供裁判长PIN\n")
    assert run(capsys, db_path, *ask, "J2", "--pin", "0000") == (2, "", "PIN不正确（再输错4次将锁定5分钟）\n")
    assert run(capsys, db_path, *ask, "J9", "--pin", PIN) == (2, "", "本次比武没有评委编号“J9”\n")
    assert run(capsys, db_path, "contest", "reopen-code", "--contest", "7", "--judge", "J2", "--pin", PIN) == \
        (2, "", "--contest: 没有编号为7的比武\n")

    code_, stdout, err = run(capsys, db_path, *ask, "J2", "--pin", PIN)
    assert (code_, err) == (0, "")
    assert stdout == f"{judge_kit.reopen_code(first.secret, first.uid)}  {first.label}\n"

    (tmp_path / "again").mkdir()
    second = judge_kit.read_kit(kit(capsys, db_path, tmp_path / "again", "J2"))  # a judge may be given a new kit
    monkeypatch.setenv("TRAINER_CHIEF_PIN", PIN)
    code_, stdout, err = run(capsys, db_path, *ask, "J2")
    assert (code_, err) == (0, "")
    assert stdout.splitlines() == [f"{judge_kit.reopen_code(k.secret, k.uid)}  {k.label}" for k in (second, first)]
    shown = audit.entries(venue.db, 1, actions=[audit.REOPEN_CODE_SHOWN])
    assert len(shown) == 2 and all("命令行" in e.actor for e in shown)  # refusals are not logged as shown
    for left in (4, 3, 2, 1):  # the right PIN above cleared the count: five wrong ones in a row lock
        assert run(capsys, db_path, *ask, "J2", "--pin", "0000")[2] == f"PIN不正确（再输错{left}次将锁定5分钟）\n"
    code_, stdout, err = run(capsys, db_path, *ask, "J2", "--pin", "0000")
    assert (code_, stdout) == (2, "") and err.startswith("PIN连续输错5次，此操作已锁定")
    assert run(capsys, db_path, *ask, "J2", "--pin", PIN)[0] == 2  # even the right PIN waits


def test_contest_kit_says_when_no_pin_is_set_yet(capsys: pytest.CaptureFixture[str], venue, db_path: Path,
                                                 tmp_path: Path) -> None:
    venue.db.execute("UPDATE contests SET pin_hash = '' WHERE id = 1")
    out = tmp_path / "J1.kit"
    code_, stdout, err = run(capsys, db_path, "contest", "kit", "--contest", "1", "--judge", "J1", "--out", str(out))
    assert (code_, err) == (0, "")
    assert "提示：本次比武尚未设置裁判长PIN；设置后裁判长才能查看评委重开码" in stdout.splitlines()[1]
