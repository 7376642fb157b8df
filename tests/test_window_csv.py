"""As a clerk I save the ranking as CSV from the window and open it in Excel on Windows: the Chinese reads right,
because the window writes UTF-8 with a BOM. The command line's `contest ranking --format csv` is a contract for
scripts and stays byte for byte as it was: the same columns and rows, no BOM."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from conftest import DEMO_DAY
from contest_window_support import shown_page

from trainer import cli


@pytest.fixture
def page(qtbot, demo_db, tmp_path):
    return shown_page(qtbot, demo_db, tmp_path / "window", today=DEMO_DAY)


@pytest.mark.parametrize("everyone", [False, True])
def test_the_windows_csv_is_the_command_lines_csv_behind_a_bom(qtbot, page, db_path, tmp_path, everyone) -> None:
    (tmp_path / "window").mkdir()
    page.select_contest(2)  # the demo's finished contest: every score in
    page.tabs.setCurrentWidget(page.ranking_tab)
    tab = page.ranking_tab
    qtbot.waitUntil(lambda: tab.ready, timeout=10_000)
    tab.include_check.setChecked(everyone)
    tab.export("csv")
    assert tab.export_task is not None and tab.export_task.wait() and tab.export_task.ok
    saved = Path(page.prompts.saved_files[-1]).read_bytes()

    script = tmp_path / "script.csv"
    extra = ["--allow-incomplete"] if everyone else []
    assert cli.main(["--db", str(db_path), "contest", "ranking", "--contest", "2", *extra, "--format", "csv",
                     "--out", str(script)]) == 0
    contract = script.read_bytes()

    assert saved.startswith(codecs.BOM_UTF8) and not contract.startswith(codecs.BOM_UTF8)
    assert saved == codecs.BOM_UTF8 + contract
    header = saved.decode("utf-8-sig").splitlines()[0]
    assert header == "名次,抽签号,姓名,单位,法律法规知识测试,执法文书制作,现场执法演练,总分"
    assert contract.decode("utf-8").count("\n") == 25  # the header and the 24 competitors

