"""As HR I print a class's certificates: one merged PDF for the printer and one PDF per person, in the
layout chosen in settings, with every font embedded, and never a certificate with a blank in a name."""

from __future__ import annotations

import itertools
import re
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
import qrcode
from cert_support import END, ISSUED, START, finished_class, pdf_fonts, pdf_pages, pdf_text
from font_support import debian_font, rare_char
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from reportlab.lib.units import mm
from reportlab.pdfbase.ttfonts import TTFont
from sqlite_utils import Database

from exports import fonts, qr
from exports.certificate_batch import preview, print_class, print_serials
from exports.certificate_layouts import LAYOUTS, PAGE_W, Placement
from exports.certificate_pdf import CertificateStyle, PrintCancelled
from exports.fonts import HEADING
from exports.glyphs import MissingGlyphsError, missing_glyphs
from exports.page_ops import Text
from exports.seal_maker import make_seal_png
from trainer import cert_issue, cert_payload, cert_register, cert_settings, cert_text
from trainer.cert_face import CertificateFace

NAMES = ["张三", "欧阳淑珍", "李四"]
MM = 72 / 25.4


@pytest.fixture(autouse=True)
def _default_fonts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRAINER_FONT", raising=False)
    fonts.set_font_file(None)


@pytest.fixture
def seal(tmp_path: Path) -> Path:
    return make_seal_png(tmp_path / "seal.png", "平顶山市城市管理局", "培训专用章")


@pytest.fixture
def klass(db: Database, seal: Path) -> int:
    c, _ = finished_class(db, NAMES, title="2026年业务知识轮训第1期")
    cid = int(c.id or 0)
    cert_issue.issue_for_class(db, cid, issue_date=ISSUED)
    cert_settings.save(db, cert_settings.CertSettings(seal_path=str(seal)))
    return cid


def _png(pdf: Path, page: int = 1) -> Image.Image:
    stem = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(stem)], check=True)
    return Image.open(stem.with_suffix(".png")).convert("RGB")


def _pixels(img: Image.Image, box: tuple[float, float, float, float] = (0, 0, 1, 1)) -> np.ndarray:
    """The RGB pixels of a box given as fractions of the page (left, top, right, bottom), as int16."""
    w, h = img.size
    part = img.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    return np.asarray(part, dtype=np.int16).reshape(-1, 3)


def _red_share(img: Image.Image, box: tuple[float, float, float, float]) -> float:
    """Share of clearly red pixels in the box."""
    p = _pixels(img, box)
    return float(((p[:, 0] > 150) & (p[:, 1] < 110) & (p[:, 2] < 110)).mean())


def _coloured_share(img: Image.Image, box: tuple[float, float, float, float] = (0, 0, 1, 1)) -> float:
    """Share of pixels that are neither white, grey nor black (red, gold)."""
    p = _pixels(img, box)
    return float((p.max(axis=1) - p.min(axis=1) > 60).mean())


def _dark_share(img: Image.Image, box: tuple[float, float, float, float]) -> float:
    return float((_pixels(img, box).max(axis=1) < 80).mean())


def _word_x(pdf: Path, word: str) -> float:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    m = re.search(r'<word xMin="([\d.]+)"[^>]*>' + re.escape(word) + "</word>", html)
    assert m, word
    return float(m.group(1))



def test_a_class_prints_as_one_merged_file_and_one_file_per_person(db: Database, klass: int, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = print_class(db, klass, out)
    certs = cert_register.search(db, cert_register.CertFilter(class_id=klass))
    assert result.merged == out / "合并打印_2026年业务知识轮训第1期.pdf" and result.count == 3
    assert [p.name for p in result.personal] == [f"{c.serial}_{c.holder_name}.pdf" for c in certs]
    assert pdf_pages(result.merged) == 3
    merged = pdf_text(result.merged)
    for name in NAMES:
        assert name in merged
    for cert, path in zip(certs, result.personal, strict=True):
        assert pdf_pages(path) == 1
        text = pdf_text(path)
        assert cert.holder_name in text and cert.serial in text and cert.id_masked in text
        assert "结 业 证 书" in text or "结业证书" in text.replace(" ", "")
        assert "二〇二六年三月六日" in text and "平顶山市城市管理局" in text
        assert "考核合格" not in text and "完成全部课程共24学时" in text.replace(" ", "")
    assert sorted(p.name for p in out.iterdir()) == sorted([result.merged.name, *(p.name for p in result.personal)])
    assert [c.print_count for c in cert_register.search(db)] == [1, 1, 1]


def test_every_font_in_every_certificate_file_is_embedded_truetype(db: Database, klass: int, tmp_path: Path) -> None:
    for layout in ("classic", "modern", "preprinted"):
        cert_settings.save(db, cert_settings.CertSettings(layout=layout))
        result = print_class(db, klass, tmp_path / layout)
        for pdf in (result.merged, *result.personal):
            rows = pdf_fonts(pdf)
            assert rows, pdf
            for row in rows:
                assert row["emb"] == "yes" and "TrueType" in row["type"] and row["uni"] == "yes", (pdf, row)


def test_the_classic_certificate_looks_like_one(db: Database, klass: int, tmp_path: Path) -> None:
    result = print_class(db, klass, tmp_path / "out")
    img = _png(result.personal[0])
    assert img.size[0] > img.size[1]  # landscape
    assert _red_share(img, (0.3, 0.12, 0.7, 0.3)) > 0.03  # the red title
    assert _red_share(img, (0.55, 0.65, 0.9, 0.95)) > 0.02  # the seal at the lower right
    assert _coloured_share(img, (0.1, 0.035, 0.9, 0.07)) > 0.05  # the gold and red border along the top
    assert _coloured_share(img, (0.2, 0.3, 0.8, 0.6)) < 0.01  # black text in the middle
    assert _dark_share(img, (0.08, 0.78, 0.16, 0.9)) > 0.3  # the QR code at the lower left


def test_the_preprinted_layout_prints_only_the_variable_text(db: Database, klass: int, tmp_path: Path) -> None:
    cert_settings.save(db, cert_settings.CertSettings(layout="preprinted", seal_path=""))
    plain = print_class(db, klass, tmp_path / "plain").personal[0]
    text = pdf_text(plain)
    assert "张三" in text and "二〇二六年三月六日" in text and "特发此证" in text
    assert "结业证书" not in text.replace(" ", "") and "平顶山市城市管理局" not in text
    assert _coloured_share(_png(plain)) < 0.001  # no border, no red title, no seal: black text only
    cert_settings.save(db, cert_settings.CertSettings(layout="preprinted", offset_x_mm=10, offset_y_mm=-4))
    shifted = print_class(db, klass, tmp_path / "shifted").personal[0]
    assert _word_x(shifted, "张三") - _word_x(plain, "张三") == pytest.approx(10 * MM, abs=0.5)


def test_the_modern_layout_and_the_award_certificate(db: Database, klass: int, tmp_path: Path) -> None:
    holder = cert_register.search(db)[0]
    award = cert_issue.issue_awards(db, [cert_issue.AwardGrant(holder.person_id, "首届执法技能比武", "个人一等奖")],
                                    issue_date=ISSUED)[0]
    cert_settings.save(db, cert_settings.CertSettings(layout="modern"))
    result = print_serials(db, [award.serial], tmp_path / "award")
    text = pdf_text(result.personal[0]).replace(" ", "")
    assert "荣" in text and "誉" in text and "首届执法技能比武中荣获个人一等奖" in text and "以资鼓励" in text
    img = _png(result.personal[0])
    assert _red_share(img, (0.0, 0.2, 0.2, 0.8)) > 0.5  # the red band on the left


def test_a_name_the_fonts_cannot_print_refuses_the_whole_batch(db: Database, tmp_path: Path) -> None:
    rare = rare_char()
    c, _ = finished_class(db, ["张三", f"王{rare}", "李四"], title="2026年业务知识轮训第2期")
    cert_issue.issue_for_class(db, int(c.id or 0), issue_date=ISSUED)
    out = tmp_path / "out"
    with pytest.raises(MissingGlyphsError) as caught:
        print_class(db, int(c.id or 0), out)
    labels = caught.value.labels
    assert len(labels) == 1 and labels[0].startswith(f"王{rare}（PDS2026JY")
    assert rare in str(caught.value)
    assert not out.exists() or list(out.iterdir()) == []  # nothing printed, not even the others
    assert [c.print_count for c in cert_register.search(db)] == [0, 0, 0]


def test_the_personal_files_can_be_zipped(db: Database, klass: int, tmp_path: Path) -> None:
    result = print_class(db, klass, tmp_path / "out", zip_files=True)
    assert result.archive is not None and result.personal == []
    with zipfile.ZipFile(result.archive) as zf:
        names = zf.namelist()
    assert len(names) == 3 and all(re.fullmatch(r"PDS2026JY\d{6}_\w+\.pdf", n) for n in names)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted([result.merged.name, result.archive.name])


def test_a_cancelled_batch_leaves_nothing_and_counts_nothing(db: Database, klass: int, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with pytest.raises(PrintCancelled):
        print_class(db, klass, tmp_path / "out", progress=lambda n, total: seen.append((n, total)),
                    cancelled=lambda: len(seen) >= 2)
    assert seen == [(1, 3), (2, 3)]
    assert list((tmp_path / "out").iterdir()) == []
    assert [c.print_count for c in cert_register.search(db)] == [0, 0, 0]


def test_revoked_certificates_are_not_reprinted_and_the_preview_counts_nothing(db: Database, klass: int,
                                                                                tmp_path: Path) -> None:
    first, second, _ = cert_register.search(db)
    cert_register.revoke(db, first.serial, "误发")
    with pytest.raises(cert_register.CertificateError, match="不能打印"):
        print_serials(db, [first.serial], tmp_path / "out")
    result = print_class(db, klass, tmp_path / "class")
    assert len(result.personal) == 2 and first.holder_name not in pdf_text(result.merged)
    pdf = preview(db, second.serial, CertificateStyle(layout="modern"))
    assert pdf.startswith(b"%PDF") and cert_register.require(db, second.serial).print_count == 1


def test_the_printed_qr_code_holds_the_signed_payload(db: Database, klass: int, tmp_path: Path) -> None:
    """Read the symbol back from the rendered page, module by module, and compare it with the encoding of
    the payload: right place, right way up, not mirrored."""
    cert = cert_register.search(db)[0]
    pdf = print_serials(db, [cert.serial], tmp_path / "out").personal[0]
    subprocess.run(["pdftoppm", "-gray", "-r", "300", "-singlefile", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    page = np.asarray(Image.open(tmp_path / "page.png").convert("L"))
    expected = qr.matrix(cert_payload.payload(db, cert.serial))
    n = len(expected)
    px = 300 / 25.4  # pixels per mm
    left, top, size = 24, 210 - 21 - 26, 26  # the classic layout's QR, in mm from the top-left corner
    read = [[bool(page[int((top + (r + 0.5) * size / n) * px), int((left + (c + 0.5) * size / n) * px)] < 128)
             for c in range(n)] for r in range(n)]
    assert read == expected
    light = page[int((top - 1) * px), int(left * px):int((left + size) * px)]
    assert light.min() > 200  # a quiet strip above the symbol


def test_every_layout_in_settings_can_be_printed() -> None:
    assert set(LAYOUTS) == set(cert_settings.LAYOUTS)


def test_the_qr_is_the_standard_encoding_of_the_payload() -> None:
    """exports.qr picks the mask itself (numpy) but must give qrcode's own symbol, module for module."""
    for n in range(40):
        text = f"TRAINER-CERT|1|PDS2026JY{n:05d}1|{'张' * (n % 4 + 1)}|410402********1234|结业：{'培训' * n}|"
        text += "2026-03-06|" + "A" * (n * 3)
        ref = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
        ref.add_data(text.encode("utf-8"))
        ref.make(fit=True)
        assert qr.matrix(text) == [[bool(v) for v in row] for row in ref.get_matrix()], n


# 䶮 (U+4DAE, as in 刘䶮): AR PL UKai, the 楷体 certificates use here, lists it in its cmap with an empty outline
BLANK_IN_UKAI = "䶮"


def _ukai_is_the_kai_font() -> None:
    assert fonts.register_fonts().kai.path == debian_font("fonts-arphic-ukai"), \
        "the 楷体 is not AR PL UKai: scripts/setup.sh installs fonts-arphic-ukai"


def test_a_character_the_kai_font_has_only_as_an_empty_glyph_refuses_the_batch(db: Database, tmp_path: Path) -> None:
    """刘䶮 printed as "刘" and a blank while the glyph check passed: a glyph without an outline is no glyph."""
    _ukai_is_the_kai_font()
    fonts.set_rare_font_file(debian_font("fonts-arphic-ukai"))  # a fallback that has 䶮 only as a blank too
    c, _ = finished_class(db, ["张三", f"刘{BLANK_IN_UKAI}"], title="2026年业务知识轮训第3期")
    cert_issue.issue_for_class(db, int(c.id or 0), issue_date=ISSUED)
    out = tmp_path / "out"
    try:
        with pytest.raises(MissingGlyphsError) as caught:
            print_class(db, int(c.id or 0), out)
    finally:
        fonts.set_rare_font_file(None)
    assert [label.split("（")[0] for label in caught.value.labels] == [f"刘{BLANK_IN_UKAI}"]
    assert f"缺“{BLANK_IN_UKAI}”" in str(caught.value)
    assert not out.exists() or list(out.iterdir()) == []
    assert missing_glyphs([f"刘{BLANK_IN_UKAI}", "张 三"], TTFont("UKaiAsFile", str(debian_font("fonts-arphic-ukai")))
                          ) == {f"刘{BLANK_IN_UKAI}": {BLANK_IN_UKAI}}  # a face loaded by hand is checked alike


def test_without_a_rare_character_font_the_body_font_fills_in_what_kai_lacks(db: Database, tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A stock Linux machine has no SimSun-ExtB: 䶮 comes from the body face (UMing), not a refusal."""
    _ukai_is_the_kai_font()
    finder = fonts._find
    monkeypatch.setattr(fonts, "_find", lambda role: None if role == fonts.RARE else finder(role))
    monkeypatch.setattr(fonts, "_current", {})  # choose the fonts afresh, as on a machine without one
    found = fonts.register_fonts()
    assert found.rare == found.body and found.kai != found.body
    c, _ = finished_class(db, [f"刘{BLANK_IN_UKAI}"], title="2026年业务知识轮训第5期")
    [cert] = cert_issue.issue_for_class(db, int(c.id or 0), issue_date=ISSUED)
    pdf = print_serials(db, [cert.serial], tmp_path / "out").personal[0]
    assert f"刘{BLANK_IN_UKAI}" in pdf_text(pdf)
    embedded = " ".join(row["name"] for row in pdf_fonts(pdf))
    assert "UMing" in embedded and "UKai" in embedded  # 䶮 from the body face, the rest of the name in 楷体


def test_a_character_the_kai_font_has_only_as_an_empty_glyph_prints_from_the_rare_font(db: Database,
                                                                                       tmp_path: Path) -> None:
    _ukai_is_the_kai_font()
    uming = debian_font("fonts-arphic-uming")  # has 䶮 drawn
    fonts.set_rare_font_file(uming)
    try:
        c, _ = finished_class(db, [f"刘{BLANK_IN_UKAI}"], title="2026年业务知识轮训第4期")
        [cert] = cert_issue.issue_for_class(db, int(c.id or 0), issue_date=ISSUED)
        pdf = print_serials(db, [cert.serial], tmp_path / "out").personal[0]
        assert f"刘{BLANK_IN_UKAI}" in pdf_text(pdf)
        embedded = " ".join(row["name"] for row in pdf_fonts(pdf))
        assert "UMing" in embedded and "UKai" in embedded  # 䶮 set in the rare font, the rest in 楷体
    finally:
        fonts.set_rare_font_file(None)


LONG_NAME = "阿卜杜热合曼·艾合麦提托合提·买买提依明"  # 19 characters, as on a 身份证
LONGER_NAME = LONG_NAME + "·库尔班江·阿不都热西提·艾力开木·吐尔逊托合提·买买提"
LONG_TITLE = ("2026年全市城市管理综合行政执法队伍执法规范化建设暨执法文书制作与案卷评查专题业务知识轮训班"
              "暨全市城市管理执法队伍作风纪律教育整顿与执法技能比武集中训练第1期")
# the right edge text must stay inside: the red inner border (classic, preprinted) or the rules (modern)
RIGHT_EDGE = {"classic": PAGE_W - 13 * mm, "preprinted": PAGE_W - 13 * mm, "modern": PAGE_W - 20 * mm}


def _face(name: str, title: str = "2026年业务知识轮训第1期", award: bool = False) -> CertificateFace:
    body = (cert_text.award_body("平顶山市城市管理局首届执法技能比武", title) if award else
            cert_text.completion_body(START, END, title, Decimal(24), False))
    return CertificateFace(
        serial="PDS2026JY000017", kind="HJ" if award else "JY", title="荣誉证书" if award else "结业证书",
        holder_name=name, id_masked="410402********0038", body=body,
        closing="特发此证，以资鼓励。" if award else "特发此证。", subject=title, period="", hours="24",
        issuer="平顶山市城市管理局", issue_date_text="二〇二六年三月六日", payload="TRAINER-CERT|1|PDS2026JY000017|")


def _texts(layout: str, face: CertificateFace) -> list[Text]:
    return [op for op in LAYOUTS[layout]().page(face, None, Placement()) if isinstance(op, Text)]


@pytest.mark.parametrize("layout", ["classic", "modern", "preprinted"])
@pytest.mark.parametrize("name", [LONG_NAME, LONGER_NAME])
@pytest.mark.parametrize("award", [False, True])
def test_a_long_name_and_a_long_title_stay_on_the_page(layout: str, name: str, award: bool) -> None:
    """The 简约 layout set names at a fixed 34 pt: 19 characters ran off the page, 同志： with them."""
    texts = _texts(layout, _face(name, LONG_TITLE, award))
    for t in texts:
        left = t.x - {"L": 0.0, "C": t.width() / 2, "R": t.width()}[t.align]
        assert left >= 0 and left + t.width() <= RIGHT_EDGE[layout] + 0.5, (layout, t.text)
    name_ops = [t for t in texts if t.underline or (t.font == HEADING and t.size >= 24)]  # the name's lines
    assert "".join(t.text for t in name_ops) == name  # every character, in order, however many lines
    assert min(t.size for t in name_ops) >= (24 if layout == "modern" else 12)
    said = "".join(t.text for t in texts)
    assert "同志" in said and LONG_TITLE[-8:] in said.replace("\n", "")
    lines = sorted({round(t.y, 1) for t in texts if t.size >= 12 and t.y > 60 * mm})
    assert all(b - a >= 12 for a, b in itertools.pairwise(lines)), lines  # no line drawn over another


def test_a_short_name_keeps_its_large_type_on_one_line() -> None:
    modern = _texts("modern", _face("欧阳淑珍"))
    assert [(t.text, t.size) for t in modern if t.text == "欧阳淑珍"] == [("欧阳淑珍", 34)]
    classic = _texts("classic", _face("欧阳淑珍"))
    assert [(t.text, t.size) for t in classic if t.text == "欧阳淑珍"] == [("欧阳淑珍", 28)]


def test_the_modern_certificate_of_a_19_character_name_prints_within_the_page(db: Database, tmp_path: Path) -> None:
    c, _ = finished_class(db, [LONG_NAME], title="2026年业务知识轮训第5期")
    [cert] = cert_issue.issue_for_class(db, int(c.id or 0), issue_date=ISSUED)
    cert_settings.save(db, cert_settings.CertSettings(layout="modern"))
    pdf = print_serials(db, [cert.serial], tmp_path / "out").personal[0]
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', html))
    assert right <= PAGE_W - 20 * mm + 1
    text = pdf_text(pdf).replace(" ", "")
    assert "同志：" in text and all(part in text for part in LONG_NAME.split("·"))
