"""Files made ready to send: images checked, turned upright, shrunk and re-encoded without their
metadata; documents turned into text. Plain functions, safe to run off the UI thread (QImage,
never QPixmap), raising AttachmentRefused with the reason in the user's language.

Images: whatever Qt reads (PNG, JPEG, WebP, GIF's first frame, HEIC where a plug-in reads it)
is decoded with its EXIF orientation applied, scaled to IMAGE_MAX_LONG_EDGE at most, and
written anew, which leaves EXIF (GPS included) and text chunks behind. Pictures with few
colours (screenshots, diagrams) stay PNG and sharp; photos become JPEG. Documents: text in any
common encoding, and PDF text page by page (pypdf, imported on the first PDF).
"""

from __future__ import annotations

import codecs
import mimetypes
from pathlib import Path, PurePath

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QColor, QImage, QImageReader, QImageWriter, QPainter

from longcat_desktop.domain.attachments import (
    DOCUMENT_MAX_CHARS,
    FEW_COLOURS,
    FILE_MAX_BYTES,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_LONG_EDGE,
    SUPPORTED_IMAGE_SUFFIXES,
    THUMBNAIL_EDGE,
    Attachment,
    AttachmentKind,
    AttachmentRefused,
    PreparedAttachment,
)
from longcat_desktop.services.i18n import translate
from longcat_desktop.store.attachments import content_hash

JPEG_QUALITY = 85
# Tried in turn while a JPEG is still over IMAGE_MAX_BYTES, before scaling further down.
_FALLBACK_QUALITIES = (75, 60)
_SAMPLE_EDGE = 128
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _tr(text: str, *args: object) -> str:
    return translate("AttachmentProcessing", text, *args)


def _size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{max(1, size // 1024)} KB"


# -- entry points ---------------------------------------------------------------------------


def prepare_path(path: Path) -> PreparedAttachment:
    """A file the user chose, dropped or pasted, ready to store."""
    try:
        # Checked before reading, so a huge file is never loaded only to be refused.
        _check_size(path.name, path.stat().st_size)
        data = path.read_bytes()
    except OSError as error:
        raise AttachmentRefused(
            _tr("%1 cannot be read: %2", path.name, error.strerror or error)
        ) from error
    return prepare_bytes(data, path.name)


def _check_size(name: str, size: int) -> None:
    if size > FILE_MAX_BYTES:
        raise AttachmentRefused(
            _tr(
                "%1 is too large (%2); files up to %3 can be attached.",
                name,
                _size_text(size),
                _size_text(FILE_MAX_BYTES),
            )
        )


def prepare_bytes(data: bytes, name: str) -> PreparedAttachment:
    _check_size(name, len(data))
    suffix = PurePath(name).suffix.lower()
    if suffix in SUPPORTED_IMAGE_SUFFIXES or _image_format(data):
        return prepare_image(_read_image(data, name), name, keep_photo=suffix in (".jpg", ".jpeg"))
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        return _prepared_document(data, name, "application/pdf", pdf_text(data, name))
    return _prepared_document(data, name, _text_media_type(name), decode_text(data, name))


def prepare_image(image: QImage, name: str, *, keep_photo: bool = False) -> PreparedAttachment:
    """An image (decoded, upright) encoded to send, with its thumbnail. `keep_photo` sends it
    as JPEG whatever its colours (it came as a JPEG: a photo)."""
    if image.isNull():
        raise AttachmentRefused(_tr("%1 is not an image that can be read.", name))
    image = _scaled(image, IMAGE_MAX_LONG_EDGE)
    as_png = not keep_photo and _few_colours(image)
    data, media_type = _encoded(image, as_png)
    while len(data) > IMAGE_MAX_BYTES:
        # Too large even as a JPEG at the lowest quality tried: a quarter fewer pixels.
        image = _scaled(image, int(max(image.width(), image.height()) * 0.75))
        data, media_type = _encoded(image, False)
    stem = PurePath(name).stem or "image"
    sent_name = stem + (".png" if media_type == "image/png" else ".jpg")
    attachment = Attachment(
        sha256=content_hash(data),
        kind=AttachmentKind.IMAGE,
        name=sent_name,
        media_type=media_type,
        size=len(data),
        width=image.width(),
        height=image.height(),
    )
    return PreparedAttachment(attachment, data, thumbnail(image))


def thumbnail(image: QImage) -> bytes:
    """A small picture of the image, at most THUMBNAIL_EDGE on its longer side: PNG when it has
    transparency or few colours, else a JPEG a fraction of the size."""
    small = _scaled(image, THUMBNAIL_EDGE)
    if small.hasAlphaChannel() or _few_colours(small):
        return _write(small, b"png", None)
    return _write(_clean(small, opaque=True), b"jpeg", JPEG_QUALITY)


# -- images ---------------------------------------------------------------------------------


def _image_format(data: bytes) -> str:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    return bytes(QImageReader.imageFormat(buffer).data()).decode()


def _read_image(data: bytes, name: str) -> QImage:
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    # Applies the EXIF orientation, so a phone's portrait photo is sent upright.
    reader.setAutoTransform(True)
    if not reader.canRead():
        suffix = PurePath(name).suffix.lower().lstrip(".").upper() or "?"
        raise AttachmentRefused(
            _tr("%1 cannot be read: this system has no reader for %2 images.", name, suffix)
        )
    image = reader.read()  # the first frame of an animation
    if image.isNull():
        raise AttachmentRefused(_tr("%1 cannot be read: %2", name, reader.errorString() or "?"))
    return image


def _scaled(image: QImage, long_edge: int) -> QImage:
    if max(image.width(), image.height()) <= long_edge:
        return image
    return image.scaled(
        QSize(long_edge, long_edge),
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )


def _few_colours(image: QImage) -> bool:
    """Whether a sample of the image has at most FEW_COLOURS colours (a screenshot)."""
    sample = image.scaled(
        QSize(_SAMPLE_EDGE, _SAMPLE_EDGE),
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.FastTransformation,
    ).convertToFormat(QImage.Format.Format_ARGB32)
    raw = bytes(sample.constBits())
    colours = {raw[i : i + 4] for i in range(0, len(raw), 4)}
    return len(colours) <= FEW_COLOURS


def _clean(image: QImage, opaque: bool) -> QImage:
    # A fresh image holds pixels only: no text chunks or other metadata read with the file.
    fmt = QImage.Format.Format_RGB32 if opaque else QImage.Format.Format_ARGB32
    clean = QImage(image.size(), fmt)
    clean.fill(QColor(Qt.GlobalColor.white) if opaque else QColor(0, 0, 0, 0))
    painter = QPainter(clean)
    painter.drawImage(0, 0, image)
    painter.end()
    return clean


def _encoded(image: QImage, as_png: bool) -> tuple[bytes, str]:
    if as_png:
        data = _write(image, b"png", None)
        if len(data) <= IMAGE_MAX_BYTES:
            return data, "image/png"
    # JPEG has no transparency: transparent parts become white, as most viewers show them.
    opaque = _clean(image, opaque=True)
    for quality in (JPEG_QUALITY, *_FALLBACK_QUALITIES):
        data = _write(opaque, b"jpeg", quality)
        if len(data) <= IMAGE_MAX_BYTES:
            break
    return data, "image/jpeg"


def _write(image: QImage, fmt: bytes, quality: int | None) -> bytes:
    if fmt == b"png":
        image = _clean(image, opaque=not image.hasAlphaChannel())
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(fmt))
    if quality is not None:
        writer.setQuality(quality)
    writer.setOptimizedWrite(True)
    if not writer.write(image):
        raise AttachmentRefused(_tr("The image could not be encoded: %1", writer.errorString()))
    buffer.close()
    return bytes(array.data())


# -- documents ------------------------------------------------------------------------------


def _prepared_document(data: bytes, name: str, media_type: str, text: str) -> PreparedAttachment:
    if len(text) > DOCUMENT_MAX_CHARS:
        raise AttachmentRefused(
            _tr(
                "%1 has too much text (%2 characters); up to %3 can be sent.",
                name,
                f"{len(text):,}",
                f"{DOCUMENT_MAX_CHARS:,}",
            )
        )
    attachment = Attachment(
        sha256=content_hash(data),
        kind=AttachmentKind.DOCUMENT,
        name=name,
        media_type=media_type,
        size=len(data),
        text=text,
    )
    return PreparedAttachment(attachment, data)


def _text_media_type(name: str) -> str:
    guessed, _ = mimetypes.guess_type(name, strict=False)
    if guessed and (guessed.startswith("text/") or guessed.endswith(("json", "xml"))):
        return guessed
    return "text/plain"


def decode_text(data: bytes, name: str) -> str:
    """Text in UTF-8, UTF-16/32 with a byte order mark, UTF-16 without one, or GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _normalised(data.decode(encoding))
            except UnicodeDecodeError:
                break
    # UTF-16 without a mark first when it looks like it: its bytes may also decode as GB18030.
    guesses = ("utf-16-le", "utf-16-be") if _looks_utf16(data) else ()
    for encoding in (*guesses, "utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _is_text(text):
            return _normalised(text)
    raise AttachmentRefused(_tr("%1 is neither text, a PDF nor an image that can be read.", name))


def _looks_utf16(data: bytes) -> bool:
    # ASCII-heavy text in UTF-16 has a zero in every other byte.
    sample = data[:4096]
    return len(sample) >= 4 and sample.count(0) * 3 >= len(sample)


def _is_text(text: str) -> bool:
    controls = sum(1 for char in text[:8192] if ord(char) < 32 and char not in "\t\n\r\f\v\x1b")
    return controls <= len(text[:8192]) // 100


def _normalised(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def pdf_text(data: bytes, name: str) -> str:
    """The PDF's text, page by page under a "Page N" line; "" when no page has any (a scan)."""
    import io

    try:
        # Here, not at the top: pypdf costs start-up time and most sessions attach no PDF.
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as error:  # pragma: no cover - a broken installation
        raise AttachmentRefused(_tr("PDF files cannot be read: %1", error)) from error
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise AttachmentRefused(_tr("%1 is protected by a password.", name))
        pages = [page.extract_text() or "" for page in reader.pages]
    except AttachmentRefused:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        raise AttachmentRefused(
            _tr("%1 is not a PDF that can be read (%2).", name, error)
        ) from error
    if not any(page.strip() for page in pages):
        return ""
    return "\n\n".join(
        f"Page {number}\n{_normalised(text).strip()}" for number, text in enumerate(pages, start=1)
    )


def prepare_clipboard_image(image: QImage) -> PreparedAttachment:
    """A pasted image, named after the moment it was pasted."""
    import time

    name = time.strftime("pasted-%Y%m%d-%H%M%S.png")
    return prepare_image(image, name)


__all__ = [
    "decode_text",
    "pdf_text",
    "prepare_bytes",
    "prepare_clipboard_image",
    "prepare_image",
    "prepare_path",
    "thumbnail",
]
