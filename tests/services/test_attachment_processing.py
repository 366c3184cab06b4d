"""Files made ready to send: images upright, small enough and without metadata; documents as
text whatever their encoding; PDFs page by page; refusals that say why."""

from __future__ import annotations

from pathlib import Path

import pytest

from longcat_desktop.domain.attachments import (
    FILE_MAX_BYTES,
    IMAGE_MAX_BYTES,
    IMAGE_MAX_LONG_EDGE,
    THUMBNAIL_EDGE,
    AttachmentKind,
    AttachmentRefused,
)
from longcat_desktop.services.attachment_processing import prepare_bytes, prepare_path
from longcat_desktop.store.attachments import content_hash
from tests.services.images import (
    SECRET_PLACE,
    colour_at,
    decoded,
    encoded,
    jpeg_with_exif,
    minimal_pdf,
    photo_like,
    screenshot_like,
    two_halves,
)


@pytest.fixture(autouse=True)
def _gui(qapp: object) -> None:
    """QImage needs the application object for its plug-ins."""


def test_a_photo_is_turned_upright_and_loses_its_exif_and_gps() -> None:
    raw = jpeg_with_exif(two_halves(80, 40), orientation=6)
    assert SECRET_PLACE in raw
    assert b"Exif" in raw
    prepared = prepare_bytes(raw, "IMG_0001.JPG")
    data = prepared.data
    assert prepared.attachment.media_type == "image/jpeg"
    assert b"Exif" not in data
    assert SECRET_PLACE not in data
    image = decoded(data)
    # A quarter turn clockwise: the left (red) half is now on top.
    assert (image.width(), image.height()) == (40, 80)
    assert (prepared.attachment.width, prepared.attachment.height) == (40, 80)
    assert colour_at(image, 20, 10) == "red"
    assert colour_at(image, 20, 70) == "blue"


def test_a_large_screenshot_is_scaled_down_and_stays_a_sharp_png() -> None:
    raw = encoded(screenshot_like(3840, 2160), "PNG")
    prepared = prepare_bytes(raw, "Screenshot.png")
    attachment = prepared.attachment
    assert attachment.media_type == "image/png"
    assert attachment.name == "Screenshot.png"
    assert (attachment.width, attachment.height) == (IMAGE_MAX_LONG_EDGE, 1152)
    assert decoded(prepared.data).size().width() == IMAGE_MAX_LONG_EDGE
    assert attachment.sha256 == content_hash(prepared.data)


def test_a_photo_saved_as_png_becomes_a_jpeg() -> None:
    raw = encoded(photo_like(300, 200), "PNG")
    prepared = prepare_bytes(raw, "holiday.png")
    assert prepared.attachment.media_type == "image/jpeg"
    assert prepared.attachment.name == "holiday.jpg"
    assert len(prepared.data) < len(raw)


def test_an_image_under_the_limits_keeps_its_size_and_every_image_fits_the_byte_limit() -> None:
    prepared = prepare_bytes(encoded(photo_like(640, 480), "JPEG"), "p.jpg")
    assert (prepared.attachment.width, prepared.attachment.height) == (640, 480)
    assert len(prepared.data) <= IMAGE_MAX_BYTES


def test_webp_and_the_first_frame_of_a_gif_are_read() -> None:
    webp = prepare_bytes(encoded(screenshot_like(120, 90), "WEBP"), "s.webp")
    assert webp.attachment.media_type in ("image/png", "image/jpeg")
    assert (webp.attachment.width, webp.attachment.height) == (120, 90)
    gif = _one_frame_gif()
    prepared = prepare_bytes(gif, "anim.gif")
    assert prepared.attachment.media_type == "image/png"
    assert (prepared.attachment.width, prepared.attachment.height) == (2, 2)


def test_every_image_gets_a_small_thumbnail() -> None:
    prepared = prepare_bytes(encoded(photo_like(400, 100), "JPEG"), "wide.jpg")
    assert prepared.thumbnail is not None
    thumb = decoded(prepared.thumbnail)
    assert (thumb.width(), thumb.height()) == (THUMBNAIL_EDGE, THUMBNAIL_EDGE // 4)


def test_an_image_format_without_a_reader_is_refused_with_the_reason() -> None:
    with pytest.raises(AttachmentRefused, match="no reader for HEIC"):
        prepare_bytes(b"\0\0\0\x18ftypheic" + b"\0" * 64, "IMG_1.HEIC")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"plain words\nsecond line", "plain words\nsecond line"),
        ("BOM and 中文".encode("utf-8-sig"), "BOM and 中文"),
        ("UTF-16 text 你好".encode("utf-16"), "UTF-16 text 你好"),
        ("UTF-16 without a mark".encode("utf-16-le"), "UTF-16 without a mark"),
        ("国标编码的文本，包括生僻字：龘".encode("gb18030"), "国标编码的文本，包括生僻字：龘"),
        (b"windows\r\nline\r\nends", "windows\nline\nends"),
    ],
)
def test_text_in_any_common_encoding_is_read(raw: bytes, expected: str) -> None:
    prepared = prepare_bytes(raw, "notes.txt")
    assert prepared.attachment.kind is AttachmentKind.DOCUMENT
    assert prepared.attachment.text == expected
    assert prepared.data == raw


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("README.md", "text/markdown"),
        ("main.py", "text/x-python"),
        ("table.csv", "text/csv"),
        ("data.json", "application/json"),
        ("server.log", "text/plain"),
    ],
)
def test_markdown_code_csv_json_and_logs_are_documents(name: str, media_type: str) -> None:
    prepared = prepare_bytes(b'{"a": 1}\nline, two\n', name)
    assert prepared.attachment.kind is AttachmentKind.DOCUMENT
    assert prepared.attachment.media_type == media_type
    assert prepared.attachment.text == '{"a": 1}\nline, two\n'


def test_a_pdf_is_read_page_by_page() -> None:
    prepared = prepare_bytes(minimal_pdf(["First page words", "Second page words"]), "r.pdf")
    assert prepared.attachment.media_type == "application/pdf"
    text = prepared.attachment.text
    assert "Page 1\nFirst page words" in text
    assert "Page 2\nSecond page words" in text
    assert text.index("First") < text.index("Second")


def test_a_scanned_pdf_has_no_text() -> None:
    prepared = prepare_bytes(minimal_pdf(["", ""]), "scan.pdf")
    assert prepared.attachment.kind is AttachmentKind.DOCUMENT
    assert prepared.attachment.text == ""


def test_a_damaged_pdf_and_a_binary_file_are_refused_with_the_reason() -> None:
    with pytest.raises(AttachmentRefused, match="not a PDF that can be read"):
        prepare_bytes(b"%PDF-1.4\ngarbage", "broken.pdf")
    with pytest.raises(AttachmentRefused, match="neither text"):
        prepare_bytes(bytes(range(256)) * 10, "program.bin")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "huge.log"
    with big.open("wb") as handle:
        handle.truncate(FILE_MAX_BYTES + 1)
    with pytest.raises(AttachmentRefused, match="too large"):
        prepare_path(big)
    with pytest.raises(AttachmentRefused, match="cannot be read"):
        prepare_path(tmp_path / "missing.txt")


def _one_frame_gif() -> bytes:
    # A 2x2 GIF89a, two colours, written by hand (Qt reads GIF but does not write it).
    return (
        b"GIF89a\x02\x00\x02\x00\x80\x00\x00\xff\x00\x00\x00\x00\xff"
        b"!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x02\x00\x02\x00\x00\x02\x02D\x01\x00;"
    )
