"""Draw the application icon at every size the desktops ask for, from its one SVG.

    python packaging/make_icons.py

Reads  longcat_desktop/resources/icons/longcat-desktop.svg (the drawing; edit that)
Writes longcat_desktop/resources/icons/hicolor/NxN/apps/longcat-desktop.png  (16 to 512, package
       data: the window icon and `--install-desktop-entry` use them)
       resources/icons/longcat-desktop.ico   (Windows: the .exe's icon; PNG entries 16 to 256)
       resources/icons/longcat-desktop.icns  (macOS: the .app's icon; 16 to 1024, @2x included)

Qt's SVG renderer does the drawing, so no other tool is needed. Both containers are simple
enough to write here: ICO is a directory of (size, offset) entries followed by PNG images
(Windows Vista and later read PNG entries); ICNS is 'icns' and its length, then typed chunks
that each hold one PNG.
"""

from __future__ import annotations

import os
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "longcat_desktop" / "resources" / "icons" / "longcat-desktop.svg"
HICOLOR = ROOT / "longcat_desktop" / "resources" / "icons" / "hicolor"
ICON_NAME = "longcat-desktop"
ICO = ROOT / "resources" / "icons" / f"{ICON_NAME}.ico"
ICNS = ROOT / "resources" / "icons" / f"{ICON_NAME}.icns"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS chunk type -> pixel size. The @2x types (ic11..ic14, ic10) serve Retina screens.
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent size x size canvas, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"png"))
    if not writer.write(image.convertToFormat(QImage.Format.Format_ARGB32)):
        raise RuntimeError(f"could not encode the {size} px icon: {writer.errorString()}")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: Iterable[tuple[int, bytes]]) -> bytes:
    """An .ico holding one PNG per size (a size of 256 is written as 0, as the format says)."""
    entries = list(images)
    header = struct.pack("<HHH", 0, 1, len(entries))
    offset = len(header) + 16 * len(entries)
    directory = b""
    payload = b""
    for size, png in entries:
        if not 1 <= size <= 256:
            raise ValueError(f"an .ico entry cannot be {size} px")
        edge = 0 if size == 256 else size
        directory += struct.pack("<BBBBHHII", edge, edge, 0, 0, 1, 32, len(png), offset)
        payload += png
        offset += len(png)
    return header + directory + payload


def icns_bytes(chunks: Iterable[tuple[bytes, bytes]]) -> bytes:
    body = b"".join(kind + struct.pack(">I", len(data) + 8) + data for kind, data in chunks)
    return b"icns" + struct.pack(">I", len(body) + 8) + body


def read_ico(data: bytes) -> list[tuple[int, bytes]]:
    """(size, PNG bytes) of each entry; for the tests and for checking a built .ico."""
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    if reserved != 0 or kind != 1:
        raise ValueError("not an .ico file")
    entries = []
    for index in range(count):
        width, _h, _c, _r, _p, _b, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        entries.append((width or 256, data[offset : offset + length]))
    return entries


def read_icns(data: bytes) -> list[tuple[bytes, bytes]]:
    if data[:4] != b"icns" or struct.unpack_from(">I", data, 4)[0] != len(data):
        raise ValueError("not an .icns file")
    chunks, position = [], 8
    while position < len(data):
        kind = data[position : position + 4]
        (length,) = struct.unpack_from(">I", data, position + 4)
        chunks.append((kind, data[position + 8 : position + length]))
        position += length
    return chunks


def png_size(png: bytes) -> tuple[int, int]:
    if png[:8] != PNG_SIGNATURE:
        raise ValueError("not a PNG")
    width, height = struct.unpack_from(">II", png, 16)
    return width, height


def hicolor_path(size: int, root: Path = HICOLOR) -> Path:
    return root / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"


def make_all(svg: Path = SVG, hicolor: Path = HICOLOR, ico: Path = ICO, icns: Path = ICNS) -> None:
    from PySide6.QtGui import QGuiApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    rendered = {size: render_png(svg, size) for size in {*PNG_SIZES, *ICO_SIZES, 1024}}
    for size in PNG_SIZES:
        target = hicolor_path(size, hicolor)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(rendered[size])
    ico.parent.mkdir(parents=True, exist_ok=True)
    ico.write_bytes(ico_bytes((size, rendered[size]) for size in ICO_SIZES))
    icns.parent.mkdir(parents=True, exist_ok=True)
    icns.write_bytes(icns_bytes((kind, rendered[size]) for kind, size in ICNS_TYPES))
    for path in [*(hicolor_path(s, hicolor) for s in PNG_SIZES), ico, icns]:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{path.stat().st_size:>8} bytes  {shown}")


if __name__ == "__main__":
    make_all()
