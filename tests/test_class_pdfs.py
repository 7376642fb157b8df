"""The class roster and a session's sign-in sheet as the training officer prints them: every member's
name on paper, in the attendance grid's order, with the fonts inside the file."""

from __future__ import annotations

import datetime as dt
import itertools
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from training_support import person

from exports import class_pdfs, fonts
from trainer import training
from trainer.class_roster import members

DAY = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _default_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAINER_FONT", raising=False)
    fonts.set_font_file(None)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pdf_fonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


@pytest.fixture
def cls(db):
    c = training.save_class(db, training.TrainingClass(None, "2026年执法文书培训班", "业务知识培训", DAY,
                                                       DAY + dt.timedelta(days=2), capacity=60))
    cid = int(c.id or 0)
    s = training.save_session(db, training.Session(None, cid, DAY + dt.timedelta(days=1), "执法文书制作规范",
                                                   Decimal("3.5"), "孙立", "08:30", "11:30", "实操"))
    # two units, enrolled out of unit order: both papers list 卫东区 people after 新华区 ones (tree order)
    units = {"卫东甲": "卫东区", "新华乙": "新华区", "卫东丙": "卫东区"}
    people = [person(db, name, unit=unit) for name, unit in units.items()]
    training.enrol(db, cid, [int(p.id or 0) for p in people])
    return c, s


def test_the_roster_lists_every_member_with_unit_and_embeds_its_fonts(db, cls, tmp_path):
    c, _s = cls
    pdf = class_pdfs.class_roster(db, int(c.id or 0), tmp_path / class_pdfs.roster_file_name(c))
    assert pdf.name == "学员名册_2026年执法文书培训班.pdf"
    text = pdf_text(pdf)
    assert "2026年执法文书培训班" in text and "学员名册（3人）" in text
    assert "2026-03-02至2026-03-04（3天）" in text
    for header in ("序号", "姓名", "性别", "单位", "职务", "联系电话", "制表人"):
        assert header in text
    lines = [line for line in text.splitlines() if any(n in line for n in ("卫东甲", "新华乙", "卫东丙"))]
    names = ("卫东甲", "新华乙", "卫东丙")
    assert [next(n for n in names if n in line) for line in lines] == ["新华乙", "卫东甲", "卫东丙"]
    assert "新华区" in lines[0] and "卫东区" in lines[1]
    rows = pdf_fonts(pdf)
    assert rows and all(r[-5] == "yes" for r in rows), rows  # the emb column


def test_the_sign_in_sheet_names_the_session_and_has_a_blank_line_per_member(db, cls, tmp_path):
    c, s = cls
    pdf = class_pdfs.sign_in_sheet(db, int(s.id or 0), tmp_path / class_pdfs.sign_in_file_name(c, s))
    assert pdf.name == "签到表_2026年执法文书培训班_2026-03-03_0830.pdf"
    text = pdf_text(pdf)
    for expected in ("签到表", "日期：2026-03-03", "时间：08:30—11:30", "学时：3.5（实操）", "课程：执法文书制作规范",
                     "授课教师：孙立", "签到", "签退", "应到人数", "3人"):
        assert expected in text, expected
    order = [m.person.name for m in members(db, int(c.id or 0))]
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)  # the same order as the attendance grid
    assert all(r[-5] == "yes" for r in pdf_fonts(pdf))


def test_sign_in_rows_are_tall_enough_to_sign(db, cls, tmp_path):
    """Every member line is at least 11 mm apart (measured from the text positions pdftotext reports)."""
    _c, s = cls
    pdf = class_pdfs.sign_in_sheet(db, int(s.id or 0), tmp_path / "s.pdf")
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    ys = []
    for name in ("新华乙", "卫东甲", "卫东丙"):
        line = next(x for x in html.splitlines() if f">{name}<" in x)
        ys.append(float(line.split('yMin="')[1].split('"')[0]))
    gaps = [b - a for a, b in itertools.pairwise(ys)]
    assert all(g >= 11 * 72 / 25.4 - 0.5 for g in gaps), gaps


def test_a_title_with_slashes_still_makes_a_file_name():
    assert class_pdfs.safe_file_name("2026/03 培训:第1期") == "2026_03_培训_第1期"


def page_texts(pdf: Path) -> list[str]:
    return pdf_text(pdf).split("\f")[:-1]  # pdftotext ends every page with a form feed


@pytest.fixture
def big_class(db, cls):
    """The session's class with 45 members: three pages of tall sign-in rows."""
    c, s = cls
    training.enrol(db, int(c.id or 0), [int(person(db, f"学员{i:02d}").id or 0) for i in range(42)])
    return c, s


def test_every_page_of_a_long_sign_in_sheet_names_its_session_and_counts_its_pages(db, big_class, tmp_path):
    """A page that comes loose from the pile still says which class, day, time and lesson it is for."""
    _c, s = big_class
    pages = page_texts(class_pdfs.sign_in_sheet(db, int(s.id or 0), tmp_path / "s.pdf"))
    assert len(pages) >= 3
    for n, text in enumerate(pages, start=1):
        assert f"第 {n} 页 共 {len(pages)} 页" in text
        if n > 1:
            for expected in ("2026年执法文书培训班 签到表（续）", "日期：2026-03-03", "时间：08:30—11:30",
                             "课程：执法文书制作规范", "序号", "签到"):
                assert expected in text, (n, expected)
    assert "（续）" not in pages[0]


def test_all_sessions_print_into_one_file_each_counting_its_own_pages(db, big_class, tmp_path):
    c, first = big_class
    second = training.save_session(db, training.Session(None, int(c.id or 0), DAY + dt.timedelta(days=2),
                                                        "案卷评查实务", Decimal(3), "王敏", "14:30", "17:30"))
    pdf = class_pdfs.sign_in_sheets(db, [int(first.id or 0), int(second.id or 0)], tmp_path / "all.pdf")
    pages = page_texts(pdf)
    half = len(pages) // 2
    assert len(pages) == 2 * half and half >= 3
    assert [f"第 {n} 页 共 {half} 页" in t for n, t in zip([*range(1, half + 1)] * 2, pages, strict=True)] == \
        [True] * len(pages)
    assert "课程：执法文书制作规范" in pages[half - 1] and "课程：案卷评查实务" in pages[half]
    assert "课程：案卷评查实务" in pages[-1] and "日期：2026-03-04" in pages[-1]


def test_sessions_of_different_classes_are_not_mixed_in_one_file(db, cls, tmp_path):
    _c, s = cls
    other = training.save_class(db, training.TrainingClass(None, "另一个班", "专题培训", DAY, DAY))
    o = training.save_session(db, training.Session(None, int(other.id or 0), DAY, "讲座", Decimal(2)))
    with pytest.raises(training.TrainingError, match="只能合并打印同一培训班的课程"):
        class_pdfs.sign_in_sheets(db, [int(s.id or 0), int(o.id or 0)], tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
