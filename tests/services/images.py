"""Images and documents made by the tests themselves (no binary fixtures in the repository)."""

from __future__ import annotations

import struct

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QImageWriter, QPainter

SECRET_PLACE = b"SECRET-PLACE-51N"


def two_halves(width: int, height: int) -> QImage:
    """Red on the left half, blue on the right."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("blue"))
    painter = QPainter(image)
    painter.fillRect(0, 0, width // 2, height, QColor("red"))
    painter.end()
    return image


def photo_like(width: int, height: int) -> QImage:
    """Many colours, as a photo has (a smooth two-way gradient with fine noise)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    seed = 12345
    for y in range(height):
        for x in range(width):
            seed = (seed * 1103515245 + 12345) & 0x7FFFFFFF
            noise = seed % 16
            image.setPixel(x, y, QColor((x * 255) // width, (y * 255) // height, 128 + noise).rgb())
    return image


def screenshot_like(width: int, height: int) -> QImage:
    """Few flat colours and sharp text-like bars, as a screenshot has."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#f5f5f5"))
    painter = QPainter(image)
    painter.fillRect(0, 0, width, height // 12, QColor("#2b579a"))
    for row in range(20, height, 24):
        painter.fillRect(24, row, (row * 7) % (width - 48) + 20, 10, QColor("#222222"))
    painter.end()
    return image


def encoded(image: QImage, fmt: str, quality: int = 90) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(fmt.encode()))
    writer.setQuality(quality)
    assert writer.write(image), writer.errorString()
    return bytes(array.data())


def _exif(orientation: int) -> bytes:
    """An EXIF block (little-endian TIFF) with an orientation, a description and GPS position."""
    entries0 = 3
    ifd0_offset = 8
    ifd0_size = 2 + entries0 * 12 + 4
    description_offset = ifd0_offset + ifd0_size
    description = SECRET_PLACE + b"\0"
    gps_offset = description_offset + len(description)
    gps_entries = 2
    gps_size = 2 + gps_entries * 12 + 4
    latitude_offset = gps_offset + gps_size
    tiff = b"II*\0" + struct.pack("<I", ifd0_offset)
    tiff += struct.pack("<H", entries0)
    tiff += struct.pack("<HHII", 0x010E, 2, len(description), description_offset)
    tiff += struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0)
    tiff += struct.pack("<HHII", 0x8825, 4, 1, gps_offset)
    tiff += struct.pack("<I", 0)
    tiff += description
    tiff += struct.pack("<H", gps_entries)
    tiff += struct.pack("<HHI4s", 0x0001, 2, 2, b"N\0\0\0")
    tiff += struct.pack("<HHII", 0x0002, 5, 3, latitude_offset)
    tiff += struct.pack("<I", 0)
    tiff += struct.pack("<6I", 51, 1, 30, 1, 1234, 100)
    return b"Exif\0\0" + tiff


def jpeg_with_exif(image: QImage, orientation: int) -> bytes:
    """A JPEG of `image` whose EXIF says to show it turned (6: a quarter turn clockwise)."""
    plain = encoded(image, "JPEG")
    assert plain[:2] == b"\xff\xd8"
    payload = _exif(orientation)
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return plain[:2] + segment + plain[2:]


def colour_at(image: QImage, x: int, y: int) -> str:
    colour = image.pixelColor(x, y)
    if colour.red() > 180 and colour.blue() < 90:
        return "red"
    if colour.blue() > 180 and colour.red() < 90:
        return "blue"
    return colour.name()


def minimal_pdf(pages: list[str]) -> bytes:
    """A small valid PDF with one line of text per page (empty text: a page with no text,
    as a scan has), written by hand with a correct cross-reference table."""
    objects: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>".encode())
    font_number = 3 + 2 * len(pages)
    for index, text in enumerate(pages):
        content_number = 4 + 2 * index
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents {content_number} 0 R"
            f" /Resources << /Font << /F1 {font_number} 0 R >> >> >>".encode()
        )
        if text:
            stream = f"BT /F1 14 Tf 20 100 Td ({text}) Tj ET".encode()
        else:
            stream = b"0 0 1 rg 10 10 100 100 re f"
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def decoded(data: bytes) -> QImage:
    image = QImage()
    assert image.loadFromData(data)
    return image


__all__ = ["Qt"]
