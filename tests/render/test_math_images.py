"""Formulas typeset into document images: off the UI thread, cached, themed, never failing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument
from pytestqt.qtbot import QtBot

from longcat_desktop.render import math_images
from longcat_desktop.render.document import StreamingDocument
from longcat_desktop.render.math_syntax import formula_urls
from longcat_desktop.render.theme import DARK_THEME, LIGHT_THEME, RenderTheme

pytestmark = pytest.mark.usefixtures("qapp")


def image_of(document: StreamingDocument, url: str) -> QImage:
    resource = document.document.resource(QTextDocument.ResourceType.ImageResource, QUrl(url))
    assert isinstance(resource, QImage), resource
    return resource


def typeset_all(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: math_images.formulas_pending() == 0, timeout=20_000)
    qtbot.wait(1)  # one turn for the batch to reach the documents


def ink(image: QImage) -> list[QColor]:
    """The colours of the opaque pixels, sampled."""
    found = []
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            colour = image.pixelColor(x, y)
            if colour.alpha() == 255:
                found.append(colour)
    return found


def test_a_closed_formula_shows_a_placeholder_at_once_then_its_typeset_image(
    qtbot: QtBot,
) -> None:
    document = StreamingDocument(LIGHT_THEME)
    document.append("Energy: $E=mc^{2}+\\frac{1}{3}$ and more")
    (url,) = formula_urls(document.html)
    placeholder = image_of(document, url)
    assert not placeholder.isNull()
    typeset_all(qtbot)
    final = image_of(document, url)
    assert final.cacheKey() != placeholder.cacheKey()
    assert final.devicePixelRatio() == math_images.device_pixel_ratio()
    # Laid out again with the new size: the line is as tall as the fraction needs.
    assert document.document.size().height() > 0


@pytest.mark.parametrize("theme", [LIGHT_THEME, DARK_THEME], ids=["light", "dark"])
def test_formulas_are_drawn_in_the_theme_text_colour(qtbot: QtBot, theme: RenderTheme) -> None:
    document = StreamingDocument(theme)
    document.set_text("$$\\int_0^1 x\\,dx = \\frac{1}{2}$$")
    typeset_all(qtbot)
    (url,) = formula_urls(document.html)
    solid = ink(image_of(document, url))
    assert solid
    wanted = QColor(theme.text)
    assert all(c.rgb() == wanted.rgb() for c in solid)


def test_a_theme_change_typesets_again_in_the_new_colour(qtbot: QtBot) -> None:
    document = StreamingDocument(LIGHT_THEME)
    document.set_text("$x^2$")
    typeset_all(qtbot)
    (light,) = formula_urls(document.html)
    document.set_theme(replace(DARK_THEME, base_font_size=14.0))
    typeset_all(qtbot)
    (dark,) = formula_urls(document.html)
    assert dark != light
    bigger = image_of(document, dark)
    assert bigger.height() > 0
    assert {c.rgb() for c in ink(bigger)} == {QColor(DARK_THEME.text).rgb()}


def test_a_formula_the_renderer_cannot_set_shows_its_source_in_monospace(
    qtbot: QtBot,
) -> None:
    document = StreamingDocument(LIGHT_THEME)
    document.set_text("Broken: $\\frac{a}{$ end")
    typeset_all(qtbot)
    (url,) = formula_urls(document.html)
    known, image = math_images._typesetter().cached(url, math_images.device_pixel_ratio())
    assert known
    assert image is None
    shown = image_of(document, url)
    assert not shown.isNull()
    assert {c.rgb() for c in ink(shown)} <= {QColor(LIGHT_THEME.text).rgb()}


def test_a_formula_seen_before_is_shown_typeset_at_once(qtbot: QtBot) -> None:
    first = StreamingDocument(LIGHT_THEME)
    first.set_text("$\\alpha+\\beta$")
    typeset_all(qtbot)
    (url,) = formula_urls(first.html)
    second = StreamingDocument(LIGHT_THEME)
    second.set_text("again $\\alpha+\\beta$")
    assert math_images.formulas_pending() == 0
    assert image_of(second, url).cacheKey() == image_of(first, url).cacheKey()


def test_inline_images_are_padded_so_middle_alignment_lands_on_the_baseline() -> None:
    metrics = math_images._Metrics(em_px=14.0, half_x_height=4.0, dpr=2.0)
    image, baseline = math_images._padded_image(30.0, ascent=10.0, descent=3.0, m=metrics)
    height = image.height() / image.devicePixelRatio()
    # Qt puts (height + half x-height) / 2 above the baseline for vertical-align: middle.
    assert (height + metrics.half_x_height) / 2 == pytest.approx(baseline, abs=0.5)
    assert baseline >= 10.0
    assert height - baseline >= 3.0
    assert image.width() == 60


def test_the_shorter_gil_switch_lasts_only_while_typesetting(qtbot: QtBot) -> None:
    import sys

    usual = sys.getswitchinterval()
    document = StreamingDocument(LIGHT_THEME)
    document.set_text("$\\gamma_{switch}$")
    assert sys.getswitchinterval() <= 0.001
    typeset_all(qtbot)
    assert sys.getswitchinterval() == usual
