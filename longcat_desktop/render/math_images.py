"""TeX formulas typeset into images that QTextDocument shows inline, off the UI thread.

ziamath draws TeX to SVG in pure Python with its own math font (STIX Two Math, shipped in
the package: nothing is fetched), QSvgRenderer rasterises it into a QImage at the screen's
device pixel ratio. Both run in one worker thread; a refresh never waits for them. Until a
formula's image is ready, its source stands in (drawn as muted text), and a formula ziamath
cannot handle shows its source in a monospace font for good.

Images are cached by formula (source, display mode, size, colour) and pixel ratio, so a
conversation opened again, or a formula repeated, is typeset once.

Inline images are padded so that Qt's "middle" alignment puts the formula's baseline on the
text's: Qt gives such an image an ascent of (height + x-height / 2) / 2.
"""

from __future__ import annotations

import logging
import math
import re
import sys
import warnings
import weakref
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache, partial

from PySide6.QtCore import QByteArray, QCoreApplication, QObject, QRectF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QImage,
    QPainter,
    QTextCursor,
    QTextDocument,
)

from longcat_desktop.render.math_syntax import Formula, formula_for, formula_urls

log = logging.getLogger(__name__)
# ziamath finds its font with a deprecated importlib call; nothing for a user to act on.
warnings.filterwarnings("ignore", category=DeprecationWarning, module="ziamath")

_IMAGE_BYTES_LIMIT = 96 * 1024 * 1024
_SWITCH_INTERVAL = 0.001
_SUBMIT_DELAY_MS = 30
_VIEWBOX = re.compile(r'viewBox="([-\d.e]+) ([-\d.e]+) ([-\d.e]+) ([-\d.e]+)"')
# STIX Two Math has a smaller x-height than the sans-serif text around it: set a little
# larger, its letters match the text's; display formulas larger again, as TeX does.
_INLINE_SCALE = 1.12
_DISPLAY_SCALE = 1.2


@dataclass(frozen=True, slots=True)
class _Metrics:
    """What the worker needs from the UI thread's fonts."""

    em_px: float
    half_x_height: float
    dpr: float


def device_pixel_ratio() -> float:
    """The highest ratio of any screen: sharp everywhere, scaled down where it is lower."""
    screens = QGuiApplication.screens()
    return max((screen.devicePixelRatio() for screen in screens), default=1.0)


@cache
def _text_font(size_pt: float, monospace: bool = False) -> QFont:
    font = (
        QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        if monospace
        else QFont(QGuiApplication.font())
    )
    font.setPointSizeF(size_pt * (0.92 if monospace else 1.0))
    return font


@cache
def _metrics_for(size_pt: float, display: bool, dpr: float) -> _Metrics:
    metrics = QFontMetricsF(_text_font(size_pt))
    em_px = size_pt * metrics.fontDpi() / 72 * (_DISPLAY_SCALE if display else _INLINE_SCALE)
    return _Metrics(em_px, metrics.xHeight() / 2, dpr)


def _padded_image(width: float, ascent: float, descent: float, m: _Metrics) -> tuple[QImage, float]:
    """A transparent image with room for the given extents; returns it and the baseline's y."""
    top = max(ascent, descent + m.half_x_height)
    bottom = top - m.half_x_height
    image = QImage(
        max(1, math.ceil(width * m.dpr)),
        max(1, math.ceil((top + bottom) * m.dpr)),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.fill(Qt.GlobalColor.transparent)
    image.setDevicePixelRatio(m.dpr)
    return image, top


def typeset(formula: Formula, metrics: _Metrics) -> QImage | None:
    """The formula as an image, or None if ziamath cannot set it. Safe in a worker thread."""
    try:
        # About 100 ms to import: loaded with the first formula, never at start-up.
        from PySide6.QtSvg import QSvgRenderer
        from ziafont.config import config as font_config
        from ziamath.zmath import Latex

        # SVG 2's <symbol> reuse is beyond QtSvg: plain paths it draws.
        font_config.svg2 = False
        svg = Latex(
            formula.tex.strip(),
            size=metrics.em_px,
            color=formula.colour,
            inline=not formula.display,
        ).svg()
    except Exception:  # any TeX ziamath rejects shows as its source
        log.debug("cannot typeset %r", formula.tex, exc_info=True)
        return None
    box = _VIEWBOX.search(svg)
    if box is None:
        return None
    _x, min_y, width, height = (float(value) for value in box.groups())
    ascent, descent = -min_y, height + min_y
    image, baseline = _padded_image(width, ascent, descent, metrics)
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    if not renderer.isValid():
        return None
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, baseline - ascent, width, height))
    painter.end()
    return image


@cache
def _char_width(size_pt: float) -> float:
    return QFontMetricsF(_text_font(size_pt)).averageCharWidth()


def placeholder_image(formula: Formula, metrics: _Metrics, colour: str) -> QImage:
    """A faint box about as wide as the formula's source, until its image is ready.

    Cheap on purpose (no text drawn): a conversation opening with a hundred formulas not yet
    typeset makes a hundred of them before its first paint.
    """
    font_metrics = QFontMetricsF(_text_font(formula.size_pt))
    width = min(40, len(formula.tex.strip()) + 2) * _char_width(formula.size_pt) * 0.8
    image, _baseline = _padded_image(width, font_metrics.ascent(), font_metrics.descent(), metrics)
    tint = QColor(colour)
    tint.setAlpha(28)
    image.fill(tint)
    return image


def source_image(formula: Formula, metrics: _Metrics, colour: str, *, monospace: bool) -> QImage:
    """The formula's TeX as a line of text, standing in for the typeset image."""
    font = _text_font(formula.size_pt, monospace)
    font_metrics = QFontMetricsF(font)
    text = formula.source
    image, baseline = _padded_image(
        font_metrics.horizontalAdvance(text) + 2,
        font_metrics.ascent(),
        font_metrics.descent(),
        metrics,
    )
    painter = QPainter(image)
    painter.setFont(font)
    painter.setPen(QColor(colour))
    painter.drawText(1, round(baseline), text)
    painter.end()
    return image


class _Typesetter(QObject):
    """The one worker thread and the image cache, shared by every document.

    Results are handed to the documents in batches, one event-loop turn after they arrive,
    so a conversation opening with hundreds of formulas is laid out again a few times, not
    once per formula.
    """

    # Emitted from the worker; delivered on the UI thread.
    _finished = Signal(str, float, object)

    def __init__(self) -> None:
        super().__init__()
        self._executor: ThreadPoolExecutor | None = None
        self._images: OrderedDict[tuple[str, float], QImage | None] = OrderedDict()
        self._bytes = 0
        self._queued: set[tuple[str, float]] = set()
        self._listeners: weakref.WeakSet[FormulaImages] = weakref.WeakSet()
        self._switch_interval: float | None = None
        self._arrived: list[tuple[str, float]] = []
        self._batch = QTimer(self)
        self._batch.setSingleShot(True)
        self._batch.setInterval(0)
        self._batch.timeout.connect(self._deliver)
        self._to_submit: list[tuple[str, Formula, _Metrics]] = []
        self._submit = QTimer(self)
        self._submit.setSingleShot(True)
        self._submit.setInterval(_SUBMIT_DELAY_MS)
        self._submit.timeout.connect(self._submit_queued)
        self._finished.connect(self._store, Qt.ConnectionType.QueuedConnection)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    def listen(self, listener: FormulaImages) -> None:
        self._listeners.add(listener)

    def pending(self) -> int:
        """Formulas queued or being typeset (for tests and benchmarks)."""
        return len(self._queued) + len(self._arrived)

    def cached(self, url: str, dpr: float) -> tuple[bool, QImage | None]:
        """(known, image): image None with known True means the formula cannot be set."""
        key = (url, dpr)
        if key not in self._images:
            return False, None
        self._images.move_to_end(key)
        return True, self._images[key]

    def request(self, url: str, formula: Formula, metrics: _Metrics) -> None:
        key = (url, metrics.dpr)
        if key in self._queued:
            return
        self._queued.add(key)
        if self._switch_interval is None:
            # The worker runs Python too: the UI thread waits for the GIL whenever it comes
            # back from Qt, by default up to 5 ms each time. 1 ms keeps refreshes on time;
            # the usual interval comes back once the worker is idle.
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(self._switch_interval, _SWITCH_INTERVAL))
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="math")
        self._to_submit.append((url, formula, metrics))
        if not self._submit.isActive():
            self._submit.start()

    def _submit_queued(self) -> None:
        """Hand the queued formulas to the worker: a moment after they were asked for, so
        that the frame that shows their placeholders is not slowed by the worker's Python."""
        queued, self._to_submit = self._to_submit, []
        if self._executor is None:
            return
        for url, formula, metrics in queued:
            future = self._executor.submit(typeset, formula, metrics)
            future.add_done_callback(partial(self._done, url, metrics.dpr))

    def _done(self, url: str, dpr: float, future: Future[QImage | None]) -> None:
        if future.cancelled():
            return
        self._finished.emit(url, dpr, future.result())

    def _store(self, url: str, dpr: float, image: QImage | None) -> None:
        key = (url, dpr)
        self._queued.discard(key)
        self._images[key] = image
        self._bytes += image.sizeInBytes() if image is not None else 0
        while self._bytes > _IMAGE_BYTES_LIMIT and len(self._images) > 1:
            _, old = self._images.popitem(last=False)
            self._bytes -= old.sizeInBytes() if old is not None else 0
        self._arrived.append(key)
        self._batch.start()

    def _deliver(self) -> None:
        arrived, self._arrived = self._arrived, []
        if not self._queued:
            self._restore_switch_interval()
        for listener in list(self._listeners):
            listener.formulas_ready(arrived)

    def shutdown(self) -> None:
        # Formulas still queued are not worth a slower exit.
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        self._queued.clear()
        self._to_submit.clear()
        self._restore_switch_interval()

    def _restore_switch_interval(self) -> None:
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None


_shared: _Typesetter | None = None


def _typesetter() -> _Typesetter:
    global _shared
    if _shared is None:
        _shared = _Typesetter()
    return _shared


class FormulaImages:
    """The formula images of one document: registered before our HTML names them, replaced
    when typeset, and laid out again only where they stand.

    Where they stand is kept as plain positions, not QTextCursors (Qt moves every cursor on
    every edit, a cost that would grow with the answer): finished blocks never change, so
    their positions hold; those in the open tail are replaced with each refresh.
    """

    def __init__(self, document: QTextDocument, muted: str) -> None:
        self._document = weakref.ref(document)
        self._muted = muted
        self._dpr = device_pixel_ratio()
        # Formulas with an image in the document: True once it is the final one.
        self._shown: dict[str, bool] = {}
        # Positions of placeholders still waiting, in finished blocks and in the tail.
        self._fixed: dict[str, list[int]] = {}
        self._tail: dict[str, list[int]] = {}
        _typesetter().listen(self)

    def before_insert(self, html: str) -> list[str]:
        """Give the document an image for every formula of html; returns those still typeset."""
        document = self._document()
        if document is None:
            return []
        shared = _typesetter()
        pending = []
        for url in formula_urls(html):
            if self._shown.get(url):
                continue
            formula = formula_for(url)
            if formula is None:
                continue
            known, image = shared.cached(url, self._dpr)
            if known:
                self._register(document, url, formula, image)
                continue
            pending.append(url)
            if url not in self._shown:
                metrics = _metrics_for(formula.size_pt, formula.display, self._dpr)
                shared.request(url, formula, metrics)
                placeholder = placeholder_image(formula, metrics, self._muted)
                document.addResource(
                    QTextDocument.ResourceType.ImageResource, QUrl(url), placeholder
                )
                self._shown[url] = False
        return pending

    def after_insert(self, start: int, end: int, pending: list[str], *, final: bool) -> None:
        """Note where the placeholders of pending formulas landed in [start, end); final:
        in finished blocks (else in the tail, which the next refresh replaces)."""
        document = self._document()
        if document is None:
            return
        found: dict[str, list[int]] = {}
        if pending:
            wanted = set(pending)
            cursor = QTextCursor(document)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            text = cursor.selectedText()
            index = text.find(_OBJECT)
            while index >= 0:
                name = _image_name(document, start + index)
                if name in wanted:
                    found.setdefault(name, []).append(start + index)
                index = text.find(_OBJECT, index + 1)
        if final:
            for url, positions in found.items():
                self._fixed.setdefault(url, []).extend(positions)
        else:
            self._tail = found

    def formulas_ready(self, arrived: list[tuple[str, float]]) -> None:
        """Swap in the typeset images and lay out only the lines they stand on."""
        document = self._document()
        if document is None:
            return
        shared = _typesetter()
        for url, dpr in arrived:
            if dpr != self._dpr or self._shown.get(url) is not False:
                continue
            formula = formula_for(url)
            if formula is None:
                continue
            _known, image = shared.cached(url, self._dpr)
            self._register(document, url, formula, image)
            positions = self._fixed.pop(url, []) + self._tail.pop(url, [])
            for position in positions:
                # A tail position may be stale (the tail moved on): only where it still is.
                if _image_name(document, position) == url:
                    document.markContentsDirty(position, 1)

    def _register(
        self, document: QTextDocument, url: str, formula: Formula, image: QImage | None
    ) -> None:
        if image is None:
            metrics = _metrics_for(formula.size_pt, formula.display, self._dpr)
            image = source_image(formula, metrics, formula.colour, monospace=True)
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
        self._shown[url] = True


# What QTextDocument's text holds where an image is.
_OBJECT = "\ufffc"


def _image_name(document: QTextDocument, position: int) -> str:
    if not 0 <= position < document.characterCount() - 1:
        return ""
    cursor = QTextCursor(document)
    cursor.setPosition(position + 1)
    image = cursor.charFormat().toImageFormat()
    return image.name() if image.isValid() else ""


def formulas_pending() -> int:
    return _typesetter().pending()
