"""As HR I open a person's file (一人一档): every training, class or external, with dates, days and 学时; the
totals per year; the certificates issued; where the person stands on each check today; and I print it as a
PDF that carries the name and the trainings in an embedded font."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from font_support import rare_char
from sqlite_utils import Database
from training_support import D, add_record, make_class, person

from exports import personal_file_pdf
from trainer import personal_file, training
from trainer.people import Person
from ui.person_detail import PersonDetailDialog

TODAY = D(2026, 11, 25)
needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdffonts"),
                                   reason="poppler-utils not installed")


@pytest.fixture
def trained(db: Database) -> Person:
    """An officer with a finished class this year, an external course last year and one not completed."""
    p = person(db, "欧阳明", hire=D(2015, 7, 1))
    c, sessions = make_class(db, "执法技能培训", D(2026, 9, 7), D(2026, 9, 9), session_hours=("8", "8", "8"),
                             title="2026年执法技能提升培训第1期")
    training.enrol(db, int(c.id or 0), [int(p.id or 0)])
    for s in sessions:
        training.set_attendance(db, int(s.id or 0), {int(p.id or 0): "出勤"})
    add_record(db, p, "专题培训", D(2025, 10, 12), D(2025, 10, 21), hours="60", title="市委党校中青年干部培训班")
    add_record(db, p, "业务知识培训", D(2026, 3, 2), D(2026, 3, 4), hours="24", completed=False,
               title="全省城市管理执法业务培训班")
    return p


def test_the_file_holds_every_record_and_the_totals_per_year(db: Database, trained: Person) -> None:
    f = personal_file.load(db, int(trained.id or 0), TODAY)
    assert [(r.title, r.source, r.completed) for r in f.records] == [
        ("市委党校中青年干部培训班", "外部记录", True),
        ("全省城市管理执法业务培训班", "外部记录", False),
        ("2026年执法技能提升培训第1期", "培训班", True),
    ]
    assert [(y.year, y.records, y.completed, y.days, y.hours) for y in f.years] == [
        (2026, 2, 1, Decimal(3), Decimal(24)),  # the unfinished course is listed but counts nothing
        (2025, 1, 1, Decimal(10), Decimal(60)),
    ]
    assert [c.check for c in f.checks] == ["年度学时", "培训覆盖", "持证上岗"]
    assert f.unit_path == "平顶山市城市管理局 / 新华区"


@needs_poppler
def test_the_printed_file_has_the_name_the_trainings_and_embedded_fonts(db: Database, trained: Person,
                                                                         tmp_path: Path) -> None:
    path = personal_file_pdf.build(tmp_path / "一人一档.pdf", personal_file.load(db, int(trained.id or 0), TODAY))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "欧阳明 教育培训档案" in text
    assert trained.id_number in text
    assert "2026年执法技能提升培训第1期" in text and "市委党校中青年干部培训班" in text
    assert "年度学时" in text and "未完成" in text  # 24 of 90 学时 by November
    assert "本人签字" in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(r[-5] == "yes" for r in rows), fonts  # the emb column: every font embedded


def test_the_detail_window_shows_history_years_and_checks(qtbot, db: Database, trained: Person) -> None:
    detail = PersonDetailDialog(db, int(trained.id or 0), today=TODAY)
    qtbot.addWidget(detail)
    detail.show()
    assert [detail.tabs.tabText(i) for i in range(detail.tabs.count())] == [
        "基本信息", "培训记录（3）", "合规情况（1项未合格）", "证书"]
    history = detail.training_tab.history_rows()
    assert history[0][:8] == ("2026年执法技能提升培训第1期", "执法技能培训", "2026-09-07", "2026-09-09", "3", "24",
                              "是", "培训班")
    assert history[1][0] == "全省城市管理执法业务培训班" and history[1][6] == "否"
    assert detail.training_tab.year_rows() == [("2026年", "2", "1", "3", "24"), ("2025年", "1", "1", "10", "60")]
    checks = {row[0]: row for row in detail.compliance_tab.rows()}
    assert checks["年度学时"][1:3] == ("未完成", "2026-12-31")
    assert checks["培训覆盖"][1] == "合格" and checks["持证上岗"][1] == "合格"
    assert "适用规则" in detail.compliance_tab.rules.text()


def test_printing_from_the_detail_asks_where_and_writes_the_pdf(qtbot, db: Database, trained: Person,
                                                               tmp_path: Path) -> None:
    detail = PersonDetailDialog(db, int(trained.id or 0), today=TODAY)
    qtbot.addWidget(detail)
    told: list[str] = []
    detail.ask_save_path = lambda name: str(tmp_path / name)  # type: ignore[method-assign]
    detail.tell = lambda title, text, error=False: told.append(text)  # type: ignore[method-assign]
    written = detail.print_file()
    assert written is not None and written.exists() and written.name == f"一人一档_欧阳明_{trained.id_number}.pdf"
    assert told and "已保存到" in told[0]
    detail.ask_save_path = lambda name: ""  # type: ignore[method-assign]
    assert detail.print_file() is None  # backing out of the dialog writes nothing


def test_someone_not_in_post_has_a_file_but_no_checks(qtbot, db: Database) -> None:
    retired = person(db, "退休者", post_status="退休")
    f = personal_file.load(db, int(retired.id or 0), TODAY)
    assert f.checks == [] and f.records == []
    detail = PersonDetailDialog(db, int(retired.id or 0), today=TODAY)
    qtbot.addWidget(detail)
    detail.show()
    detail.tabs.setCurrentIndex(2)
    assert detail.compliance_tab.not_checked.isVisible()
    assert "不参加培训合规检查" in detail.compliance_tab.not_checked.text()
    detail.tabs.setCurrentIndex(1)
    assert detail.training_tab.empty.isVisible()


def test_a_rare_character_missing_from_the_font_is_refused_before_any_file_is_written(
        db: Database, tmp_path: Path) -> None:
    from exports.glyphs import MissingGlyphsError

    rare = rare_char()  # a character no font here has, even a rare-character font like SimSun-ExtB
    p = person(db, f"王{rare}")
    target = tmp_path / "x.pdf"
    with pytest.raises(MissingGlyphsError) as refused:
        personal_file_pdf.build(target, personal_file.load(db, int(p.id or 0), dt.date(2026, 11, 25)))
    assert f"王{rare} {p.id_number}" in str(refused.value)  # the person, named, so HR knows whom
    assert not target.exists()


def test_certificates_issued_to_the_person_are_in_the_file_and_the_print(qtbot, db: Database, trained: Person,
                                                                          tmp_path: Path) -> None:
    from trainer import cert_issue, training

    finished = next(c for c in training.list_classes(db) if c.title == "2026年执法技能提升培训第1期")
    (cert,) = cert_issue.issue_for_class(db, int(finished.id or 0), issue_date=D(2026, 9, 15))
    detail = PersonDetailDialog(db, int(trained.id or 0), today=TODAY)
    qtbot.addWidget(detail)
    assert detail.tabs.tabText(3) == "证书（1）"
    assert detail.certificates_tab.rows() == [
        (cert.serial, "结业证书", "2026年执法技能提升培训第1期", "2026-09-15", "24", "有效", "0")]
    if shutil.which("pdftotext"):
        path = personal_file_pdf.build(tmp_path / "f.pdf", detail.file)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert cert.serial in text and "四、证书" in text


def test_without_certificates_the_tab_says_none_were_issued(qtbot, db: Database, trained: Person) -> None:
    detail = PersonDetailDialog(db, int(trained.id or 0), today=TODAY)
    qtbot.addWidget(detail)
    detail.show()
    detail.tabs.setCurrentIndex(3)
    assert detail.tabs.tabText(3) == "证书" and detail.certificates_tab.empty.isVisible()
