"""QR codes drawn as vector paths: sharp at any printer resolution, no image, no extra font.

    code = qr_code("TRAINER-CERT|1|…")       # encoded once (byte mode, UTF-8, error correction M)
    code.draw(canvas, x, y, 25 * mm)           # replayed on as many canvases as needed

Encoding is the `qrcode` package's, including its choice among the eight mask patterns by the ISO 18004
penalty rules; only that choice is computed here with numpy from one placement of the data instead of
eight (qrcode spends most of its time there). `matrix(text)` equals qrcode's own result module for module,
which a test checks.

The dark modules of each row are merged into runs and written as one filled path of `re` operators in
module units under a scaling matrix, so a certificate's QR costs one short literal, not a thousand shapes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
import qrcode
from numpy.lib.stride_tricks import sliding_window_view
from qrcode.constants import ERROR_CORRECT_M
from reportlab.pdfgen.canvas import Canvas

QUIET_ZONE = 4  # modules of white the standard asks for around the symbol; layouts keep that room clear
_FINDER_LIKE = (np.array([1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0], bool), np.array([0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1], bool))


class _Placement(qrcode.QRCode):  # type: ignore[misc]  # qrcode has no type hints
    """qrcode's encoder, noting which modules carry data (those map_data fills) for each version."""

    data_cells: ClassVar[dict[int, np.ndarray[Any, np.dtype[np.bool_]]]] = {}  # version → data modules

    def map_data(self, data: Any, mask_pattern: int) -> None:
        if self.version not in self.data_cells:
            self.data_cells[self.version] = np.array([[m is None for m in row] for row in self.modules])
        super().map_data(data, mask_pattern)


@lru_cache(maxsize=40)
def _masks(n: int) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """The eight mask patterns of ISO 18004 (as qrcode.util.mask_func has them) for an n × n symbol."""
    i, j = np.indices((n, n))
    return np.array([
        (i + j) % 2 == 0, i % 2 == 0, j % 3 == 0, (i + j) % 3 == 0, (i // 2 + j // 3) % 2 == 0,
        (i * j) % 2 + (i * j) % 3 == 0, ((i * j) % 2 + (i * j) % 3) % 2 == 0, ((i * j) % 3 + (i + j) % 2) % 2 == 0,
    ])


def _runs_penalty(m: np.ndarray[Any, np.dtype[np.bool_]]) -> int:
    """Rule 1: each row run of five or more same-coloured modules costs its length − 2."""
    n = m.shape[0]
    cells = np.hstack([m.astype(np.int8), np.full((n, 1), 2, np.int8)]).ravel()  # 2 ends every row
    starts = np.flatnonzero(np.concatenate(([True], cells[1:] != cells[:-1])))
    lengths = np.diff(np.append(starts, cells.size))
    lengths = lengths[cells[starts] != 2]
    long = lengths[lengths >= 5]
    return int((long - 2).sum())


def _penalty(m: np.ndarray[Any, np.dtype[np.bool_]]) -> int:
    """qrcode.util.lost_point, vectorised: runs, 2 × 2 blocks, finder-like patterns, dark share."""
    n = m.shape[0]
    score = _runs_penalty(m) + _runs_penalty(m.T)
    a = m[:-1, :-1]
    score += 3 * int(np.count_nonzero((a == m[1:, :-1]) & (a == m[:-1, 1:]) & (a == m[1:, 1:])))
    for grid in (m, m.T):
        windows = sliding_window_view(grid, 11, axis=1)
        hits = (windows == _FINDER_LIKE[0]).all(axis=-1) | (windows == _FINDER_LIKE[1]).all(axis=-1)
        score += 40 * int(np.count_nonzero(hits))
    percent = float(np.count_nonzero(m)) / (n**2)
    return score + int(abs(percent * 100 - 50) / 5) * 10


def matrix(text: str) -> list[list[bool]]:
    """Rows top to bottom of dark (True) modules, without the quiet zone."""
    qr = _Placement(error_correction=ERROR_CORRECT_M, border=0)
    qr.add_data(text.encode("utf-8"))
    qr.best_fit()
    qr.makeImpl(True, 0)  # test placement (format bits light), data under mask 0
    first = np.array(qr.modules, dtype=bool)
    n = first.shape[0]
    data = qr.data_cells[qr.version]
    masks = _masks(n)
    candidates = first ^ (data & (masks[0] ^ masks))  # the same data under each of the eight masks
    best = int(np.argmin([_penalty(c) for c in candidates]))  # first lowest, as qrcode picks
    qr.modules = candidates[best].tolist()
    qr.setup_type_info(False, best)
    if qr.version >= 7:
        qr.setup_type_number(False)
    return [[bool(v) for v in row] for row in qr.get_matrix()]


@dataclass(frozen=True)
class QrCode:
    text: str
    modules: int  # modules per side (version × 4 + 17)
    path: str  # PDF path operators in module units, origin at the lower left

    def draw(self, canvas: Canvas, x: float, y: float, size: float, color: str = "0 g") -> None:
        """The symbol as a `size` square with its lower-left corner at (x, y), in `color` (a PDF fill op)."""
        scale = size / self.modules
        canvas.addLiteral(f"q {color} {scale:.5f} 0 0 {scale:.5f} {x:.3f} {y:.3f} cm\n{self.path}\nQ")


@lru_cache(maxsize=4096)
def qr_code(text: str) -> QrCode:
    """The encoded symbol for `text` (cached: a batch draws each one into the merged and the personal file)."""
    rows = matrix(text)
    n = len(rows)
    ops: list[str] = []
    for r, row in enumerate(rows):
        y = n - 1 - r
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                ops.append(f"{start} {y} {c - start} 1 re")
            else:
                c += 1
    ops.append("f")
    return QrCode(text, n, "\n".join(ops))
