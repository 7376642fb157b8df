"""An RGBA image compressed once and embedded in any number of PDF files without re-encoding it.

reportlab's drawImage hashes, converts and compresses the pixels again for every document; a batch of
certificates writes the seal into a thousand personal files, and that alone cost more than drawing them.
This does what drawImage does for an image with an alpha channel, with the two streams prepared once.

    seal = EncodedImage(seal_png)                        # RGB + soft mask, Flate, made once
    seal.draw(canvas, x, y, width, height)               # one XObject per file, referenced per page
"""

from __future__ import annotations

import hashlib
import zlib

from PIL import Image
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas


class EncodedImage:
    def __init__(self, image: Image.Image) -> None:
        rgba = image.convert("RGBA")
        self.width, self.height = rgba.size
        rgb = rgba.convert("RGB").tobytes()
        alpha = rgba.getchannel("A").tobytes()
        digest = hashlib.md5(rgb + alpha, usedforsecurity=False).hexdigest()
        self.name = f"EncImg{digest}"
        self.mask_name = f"EncMsk{digest}"
        self._rgb = zlib.compress(rgb, 9)  # once per batch: the smallest stream is worth the time
        self._alpha = zlib.compress(alpha, 9)

    def _xobject(self, name: str, content: bytes, colour_space: str) -> pdfdoc.PDFImageXObject:
        obj = pdfdoc.PDFImageXObject(name)  # the canned image, overwritten below
        obj.width, obj.height = self.width, self.height
        obj.bitsPerComponent = 8
        obj.colorSpace = colour_space
        obj.streamContent = content
        obj._filters = ("FlateDecode",)
        obj.mask = None
        return obj

    def draw(self, canvas: Canvas, x: float, y: float, width: float, height: float) -> None:
        doc = canvas._doc
        reg = doc.getXObjectName(self.name)
        if doc.idToObject.get(reg) is None:  # first use in this file: add the two streams
            image = self._xobject(self.name, self._rgb, "DeviceRGB")
            mask = self._xobject(self.mask_name, self._alpha, "DeviceGray")
            image.smask = doc.Reference(mask, doc.getXObjectName(self.mask_name))
            doc.Reference(image, reg)
            doc.addForm(self.name, image)
        canvas.saveState()
        canvas.translate(x, y)
        canvas.scale(width, height)
        canvas.addLiteral(f"/{reg} Do")
        canvas.restoreState()
        canvas._formsinuse.append(self.name)  # so the page's resources name the XObject
        canvas._currentPageHasImages = 1
