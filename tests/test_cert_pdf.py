"""As HR I print a class's certificates: one merged PDF for the printer and one PDF per person, in the
layout chosen in settings, with every font embedded, and never a certificate with a blank in a name."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pytest
import qrcode
from cert_support import ISSUED, finished_class, pdf_fonts, pdf_pages, pdf_text
from font_support import rare_char
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from sqlite_utils import Database

from exports import fonts, qr
from exports.certificate_batch import preview, print_class, print_serials
from exports.certificate_layouts import LAYOUTS
from exports.certificate_pdf import CertificateStyle, PrintCancelled
from exports.glyphs import MissingGlyphsError
from exports.seal_maker import make_seal_png
from trainer import cert_issue, cert_payload, cert_register, cert_settings

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
