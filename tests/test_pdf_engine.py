"""The PDF engine as the people who print through it see it: pages, fonts, names, seal, dates."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
import reportlab
from font_support import debian_font, rare_char
from PIL import Image, ImageDraw
from reportlab.platypus import Flowable, Table

from exports import fonts
from exports.glyphs import MissingGlyphsError, check_people, missing_glyphs, people_with_missing_glyphs
from exports.pdf import (
    NumberingRestart,
    PageBreak,
    build_pdf,
    data_table,
    kv_table,
    numbering,
    para,
    seal_block,
    signature_line,
    title_block,
)

HEADERS = ["序号", "姓名", "单位", "培训内容", "学时"]


def _rows(n: int) -> list[list[object]]:
    return [[i, f"张{i:03d}", "卫东区城市管理执法大队", "执法文书制作规范", 8] for i in range(1, n + 1)]


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def _pdffonts(pdf: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]



def _seal_png(path: Path) -> Path:
    img = Image.new("RGB", (400, 400), "white")
    draw = ImageDraw.Draw(img)
    draw.ellipse((20, 20, 380, 380), outline="black", width=24)  # black ink: the engine makes it red
    draw.polygon(
        [
            (200, 110),
            (225, 180),
            (300, 180),
            (240, 225),
            (260, 300),
            (200, 255),
            (140, 300),
            (160, 225),
            (100, 180),
            (175, 180),
        ],
        fill="black",
    )
    img.save(path)
    return path


@pytest.fixture(autouse=True)
def _default_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAINER_FONT", raising=False)
    fonts.set_font_file(None)


def test_a_long_landscape_table_numbers_its_pages_and_repeats_its_header(tmp_path: Path) -> None:
    pdf = build_pdf(
        tmp_path / "plan.pdf",
        "2026年度教育培训计划表",
        [*title_block("2026年度教育培训计划表"), data_table(HEADERS, _rows(60), tail=signature_line())],
        landscape=True,
    )
    pages = _pages(pdf)
    assert len(pages) == 3
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 共 3 页" in page
        assert "培训内容" in page and "序号" in page  # the header row on every page
        assert "平顶山市城市管理局" in page and "2026年度教育培训计划表" in page  # running header
    assert "张060" in pages[-1] and "制表人" in pages[-1] and "制表人" not in pages[0]
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "841.89 x 595.276" in size  # A4 landscape


def test_every_font_is_embedded_truetype(tmp_path: Path) -> None:
    pdf = build_pdf(
        tmp_path / "person.pdf",
        "个人培训档案",
        [
            *title_block("执法人员个人培训档案", subtitle="（一人一档）", meta=["单位：市局", "日期：2026-11-25"]),
            kv_table([("姓名", "张三"), ("性别", "男"), ("地址", "平顶山市新华区")], wide={"地址"}),
            para("说明文字", "body"),
            data_table(["培训名称", "学时"], [["初任培训", 96]]),
            signature_line(),
            seal_block("平顶山市城市管理局", dt.date(2021, 6, 6)),
        ],
    )
    text = _pages(pdf)[0]
    for expected in (
        "执法人员个人培训档案",
        "（一人一档）",
        "单位：市局",
        "地址",
        "平顶山市新华区",
        "制表人",
        "初任培训",
    ):
        assert expected in text
    rows = _pdffonts(pdf)
    assert rows, "no fonts at all"
    for row in rows:
        kind, emb = row[1], row[-5]
        assert kind in ("TrueType", "CID"), row  # CID TrueType is fine; Type 1 never
        assert emb == "yes", f"not embedded: {row}"
    assert not any("STSong" in r[0] or "Helvetica" in r[0] for r in rows)


def test_a_name_the_font_cannot_print_stops_the_print_and_names_the_person(tmp_path: Path) -> None:
    rare = rare_char()
    name = f"王{rare}"
    rows = [[1, "张三", "卫东区", "初任培训", 8], [2, name, "新华区", "初任培训", 8]]
    people = [("张三 410402199001011234", ["张三"]), (f"{name} 410402199202022345", [name])]
    target = tmp_path / "roster.pdf"
    with pytest.raises(MissingGlyphsError) as caught:
        build_pdf(target, "培训班花名册", [data_table(HEADERS, rows), para(f"负责人：{name}")], people=people)
    assert caught.value.labels == [f"{name} 410402199202022345"]
    assert dict(caught.value.people)[f"{name} 410402199202022345"] == rare
    assert name in str(caught.value) and "已停止打印" in str(caught.value)
    assert not target.exists() and list(tmp_path.iterdir()) == []  # nothing written, no temp file left


def test_text_nobody_claims_is_reported_by_itself(tmp_path: Path) -> None:
    rare = rare_char()
    with pytest.raises(MissingGlyphsError) as caught:
        build_pdf(tmp_path / "x.pdf", "通知", [para(f"备注：{rare}字")])
    assert caught.value.people == [(f"“备注：{rare}字”", rare)]


def test_ordinary_names_pass_the_glyph_check() -> None:
    names = ["张三", "欧阳娜娜", "李淼", "王犇", "赵鑫", "刘喆", "陈堃", "司马懿", "林昇", "郭珺"]
    assert missing_glyphs(names, fonts.BODY) == {}
    check_people([(n, [n]) for n in names])  # does not raise
    rare = rare_char()
    assert missing_glyphs([f"王{rare}", "张三 "], fonts.BODY) == {f"王{rare}": {rare}}
    assert people_with_missing_glyphs([("甲", ["张三"]), ("乙", [f"王{rare}"])], fonts.BODY) == [("乙", rare)]


def test_the_seal_prints_red_over_the_issuing_unit_and_the_date_is_chinese(tmp_path: Path) -> None:
    seal = _seal_png(tmp_path / "seal.png")
    out = tmp_path / "out"
    pdf = build_pdf(
        out / "notice.pdf",
        "结业通知",
        [
            para("兹有张三同志参加初任培训，成绩合格，准予结业。", "body"),
            seal_block("平顶山市城市管理局", dt.date(2021, 6, 6), seal),
        ],
    )
    text = _pages(pdf)[0]
    assert "二〇二一年六月六日" in text and "平顶山市城市管理局" in text
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert " smask " in images  # the seal's transparency travels as a soft mask
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(out / "page")], check=True)
    page = Image.open(next(out.glob("page*.png"))).convert("RGB")
    red = sum(1 for r, g, b in page.get_flattened_data() if r > 170 and g < 110 and b < 110)
    assert red > 200, f"only {red} red pixels: the seal is missing or not red"


def test_a_chosen_font_file_is_used(tmp_path: Path) -> None:
    ukai = debian_font("fonts-arphic-ukai")
    chosen = fonts.register_fonts(ukai)
    assert chosen.body.path == ukai and "UKai" in chosen.body.family
    pdf = build_pdf(tmp_path / "k.pdf", "测试", [para("楷体正文")], font=ukai)
    assert any("UKai" in row[0] for row in _pdffonts(pdf))
    # The user switches back to automatic and prints again in the same session: the old choice is gone.
    again = build_pdf(tmp_path / "auto.pdf", "测试", [para("宋体正文")])
    assert not any("UKai" in row[0] for row in _pdffonts(again))


@pytest.mark.parametrize(
    ("content", "suffix", "message"),
    [
        (b"OTTO" + b"\0" * 200, ".otf", "OpenType/CFF"),
        (b"this is not a font", ".ttf", "不是可用的 TrueType"),
    ],
)
def test_a_file_that_is_not_truetype_is_refused_clearly(
    tmp_path: Path, content: bytes, suffix: str, message: str
) -> None:
    bad = tmp_path / f"chosen{suffix}"
    bad.write_bytes(content)
    with pytest.raises(fonts.FontError, match=message):
        fonts.register_fonts(bad)
    with pytest.raises(fonts.FontError):
        build_pdf(tmp_path / "never.pdf", "测试", [], font=bad)
    assert not (tmp_path / "never.pdf").exists()


def test_a_latin_only_font_is_refused() -> None:
    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"
    with pytest.raises(fonts.FontError, match="不含中文字符"):
        fonts.register_fonts(vera)


def test_the_bureaus_windows_font_comes_before_linux_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    uming = debian_font("fonts-arphic-uming")
    (tmp_path / "Fonts").mkdir()
    os.symlink(uming, tmp_path / "Fonts" / "simsun.ttc")
    monkeypatch.setenv("WINDIR", str(tmp_path))
    monkeypatch.setattr(fonts, "_file_index", None)
    monkeypatch.setattr(fonts, "_current", {})
    assert fonts.register_fonts().body.path == tmp_path / "Fonts" / "simsun.ttc"


def test_no_chinese_font_at_all_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "_file_index", {})
    monkeypatch.setattr(fonts, "_fc_list", list)
    monkeypatch.setattr(fonts, "_current", {})
    with pytest.raises(fonts.FontError, match="未找到可嵌入的中文字体，请在设置中选择字体文件"):
        fonts.register_fonts()


def test_a_table_in_a_non_embedded_font_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="不是嵌入的 TrueType"):
        build_pdf(tmp_path / "t.pdf", "测试", [Table([["plain"]])])  # reportlab's default is Helvetica


def test_a_character_the_body_font_lacks_prints_from_the_rare_character_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On Windows this is SimSun-ExtB (simsunb.ttf); here WenQuanYi stands in, having characters UMing lacks.
    wqy = debian_font("fonts-wqy-microhei")
    fonts.set_rare_font_file(wqy)
    try:
        fonts.register_fonts()
        rare_font = fonts.rare_font()
        assert rare_font is not None
        body, rare = fonts.get_font(fonts.BODY).face.charToGlyph, rare_font.face.charToGlyph
        ch = next((c for c in "刏剈劆勊匃卙厀" if ord(c) not in body and ord(c) in rare), None)
        assert ch is not None, "the body font is not AR PL UMing: scripts/setup.sh installs fonts-arphic-uming"
        name = f"王{ch}"
        pdf = build_pdf(
            tmp_path / "roster.pdf",
            "花名册",
            [data_table(["序号", "姓名"], [[1, name]]), para(f"负责人：{name}"), seal_block(name, dt.date(2026, 1, 2))],
            people=[(name, [name])],
        )
        text = _pages(pdf)[0]
        assert text.count(name) == 3 and f"负责人：{name}" in text  # table, paragraph, canvas text
        assert all(row[-5] == "yes" for row in _pdffonts(pdf))
        assert people_with_missing_glyphs([(name, [name])], fonts.BODY) == []
        assert people_with_missing_glyphs([(name, [name])], fonts.BODY, use_rare=False) == [(name, ch)]
    finally:
        fonts.set_rare_font_file(None)
    assert fonts.register_fonts().rare is None or fonts.register_fonts().rare.path != wqy


def test_page_numbers_can_count_afresh_for_each_part_of_a_file(tmp_path: Path) -> None:
    assert numbering(7, [4, 6]) == [(1, 3), (2, 3), (3, 3), (1, 2), (2, 2), (1, 2), (2, 2)]
    assert numbering(2, []) == [(1, 2), (2, 2)]
    story = [para("甲的表"), PageBreak(), para("甲的表续"), PageBreak(), NumberingRestart(), para("乙的表")]
    pdf = build_pdf(tmp_path / "parts.pdf", "评分表", story)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert [line for line in text.splitlines() if line.startswith("第 ")] == ["第 1 页 共 2 页", "第 2 页 共 2 页",
                                                                            "第 1 页 共 1 页"]


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_a_saved_pdf_gets_the_permissions_of_any_file_the_user_saves(tmp_path: Path, umask: int) -> None:
    """A PDF saved for the office opens for whoever may open the user's other files (the umask decides), not
    only for its writer: it was 0600 while an Excel file saved beside it was 0644."""
    old = os.umask(umask)
    try:
        pdf = build_pdf(tmp_path / "获奖名单.pdf", "获奖名单", [*title_block("获奖名单")])
        (tmp_path / "plain.xlsx").write_bytes(b"")
    finally:
        os.umask(old)
    mode = pdf.stat().st_mode & 0o777
    assert mode == 0o666 & ~umask == (tmp_path / "plain.xlsx").stat().st_mode & 0o777
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.xlsx", "获奖名单.pdf"]  # no part file left


class _Broken(Flowable):  # type: ignore[misc]
    """Fails while the document is being written, after the part file exists."""

    def wrap(self, width: float, height: float) -> tuple[float, float]:
        return 10, 10

    def draw(self) -> None:
        raise RuntimeError("写到一半失败")


def test_a_pdf_that_fails_half_way_leaves_the_earlier_file_and_no_part_file(tmp_path: Path) -> None:
    target = tmp_path / "名单.pdf"
    target.write_bytes(b"earlier")
    with pytest.raises(RuntimeError, match="写到一半失败"):
        build_pdf(target, "名单", [*title_block("名单"), _Broken()])
    assert target.read_bytes() == b"earlier" and [p.name for p in tmp_path.iterdir()] == ["名单.pdf"]
