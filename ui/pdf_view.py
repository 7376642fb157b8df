"""One PDF page in the window (certificate previews): QtPdf renders it, a label in a scroll area shows it,
fitted to the visible area or at a chosen zoom.

    view = PdfPageView()
    view.set_pdf(pdf_bytes)        # renders page 1; view.image is the QImage shown
    view.show_message("…")         # instead of a page: why there is nothing to show

QtPdf (PDFium) is used rather than poppler, which Windows PCs do not have. The page is rendered at the
size shown, so zooming re-renders (a few milliseconds) instead of scaling a blurry bitmap.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap, QResizeEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

FIT = 0.0  # the zoom value meaning "fit the page into the visible area"
ZOOMS = (("适应窗口", FIT), ("50%", 0.5), ("75%", 0.75), ("100%", 1.0), ("150%", 1.5), ("200%", 2.0))
MARGIN = 12  # pixels kept free around a fitted page, so it reads as a sheet of paper
PAGE_STYLE = "background: #e6e6e6;"


class PdfPageView(QWidget):
    def __init__(self, parent: QWidget | None = None, placeholder: str = "", zoom_bar: bool = True) -> None:
        super().__init__(parent)
        self.image: QImage | None = None  # what is shown now (None while a message is shown)
        self._doc: object | None = None  # QPdfDocument; typed loosely so a missing QtPdf is only a message
        self._buffer: QBuffer | None = None  # QPdfDocument reads from it lazily: keep it alive
        self._data = QByteArray()
        self.label = QLabel(placeholder)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setStyleSheet("color: #666;")
        self.area = QScrollArea()
        self.area.setWidget(self.label)
        self.area.setWidgetResizable(True)
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area.setStyleSheet(f"QScrollArea {{ {PAGE_STYLE} border: 1px solid #c8c8c8; }}")
        self.area.viewport().setStyleSheet(PAGE_STYLE)
        self.zoom_combo = QComboBox()
        for text, value in ZOOMS:
            self.zoom_combo.addItem(text, value)
        self.zoom_combo.setToolTip("预览缩放")
        self.zoom_combo.currentIndexChanged.connect(lambda *_: self._render())
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(60)
        self._resize_timer.timeout.connect(self._render)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        if zoom_bar:
            bar = QHBoxLayout()
            bar.addStretch(1)
            bar.addWidget(QLabel("缩放："))
            bar.addWidget(self.zoom_combo)
            box.addLayout(bar)
        box.addWidget(self.area, 1)

    @property
    def zoom(self) -> float:
        return float(self.zoom_combo.currentData())

    def set_zoom(self, value: float) -> None:
        self.zoom_combo.setCurrentIndex(max(0, self.zoom_combo.findData(value)))

    def show_message(self, text: str) -> None:
        self._doc = self._buffer = None
        self.image = None
        self.label.setPixmap(QPixmap())
        self.label.setText(text)

    def set_pdf(self, data: bytes) -> bool:
        """Show the first page of `data`; False (and a message) when it cannot be shown."""
        try:
            from PySide6.QtPdf import QPdfDocument
        except ImportError:
            self.show_message("无法预览：缺少 PySide6-Pdf 组件（pip install PySide6-Pdf）。打印不受影响。")
            return False
        self._data = QByteArray(data)
        buffer = QBuffer(self._data)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        doc = QPdfDocument(self)
        doc.load(buffer)
        if doc.status() != QPdfDocument.Status.Ready or doc.pageCount() < 1:
            self.show_message("无法预览：PDF 内容无法读取")
            return False
        old = self._doc
        self._doc, self._buffer = doc, buffer
        if isinstance(old, QPdfDocument):
            old.deleteLater()
        self._render()
        return True

    def _render(self) -> None:
        from PySide6.QtPdf import QPdfDocument

        doc = self._doc
        if not isinstance(doc, QPdfDocument):
            return
        points = doc.pagePointSize(0)
        if self.zoom == FIT:
            area = self.area.viewport().size()
            scale = min((area.width() - 2 * MARGIN) / points.width(), (area.height() - 2 * MARGIN) / points.height())
        else:
            scale = self.zoom * self.logicalDpiX() / 72
        ratio = self.devicePixelRatioF()  # sharp on a high-DPI screen
        size = QSize(max(1, int(points.width() * scale * ratio)), max(1, int(points.height() * scale * ratio)))
        image = _on_paper(doc.render(0, size))
        image.setDevicePixelRatio(ratio)
        self.image = image
        self.label.setText("")
        self.label.setPixmap(QPixmap.fromImage(image))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom == FIT and self._doc is not None:
            self._resize_timer.start()


def _on_paper(page: QImage) -> QImage:
    """PDFium leaves unpainted areas transparent; a sheet of paper is white (and must stand out from the grey)."""
    paper = QImage(page.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, page)
    painter.end()
    return paper
