"""One message's QTextDocument, updated per refresh at a cost that does not grow with length.

Everything before the open tail is inserted once and never touched again; a refresh removes
the old tail and inserts the newly finished blocks and the new tail at the end. The tail's
settled part (the finished lines of an open code fence) is inserted once too, and only what
follows it is replaced. Layout is incremental in Qt too: only the changed end of the document
is laid out again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextBlockFormat, QTextCharFormat, QTextCursor, QTextDocument, QTextOption

from longcat_desktop.render.theme import RenderTheme

if TYPE_CHECKING:
    from longcat_desktop.render.incremental import IncrementalRenderer, RenderUpdate
    from longcat_desktop.render.math_images import FormulaImages

# Inserting HTML in the middle of a document merges the fragment's first block into the
# block at the cursor, which keeps its own format: a heading would become a paragraph, a
# list would lose its first item. A leading throwaway block, deleted right after, takes that
# merge instead; the real blocks then arrive with their own formats, exactly as setHtml of
# the whole text would give them. An empty document gets setHtml, the one-go path itself.
_MARKER = "\u200b"
_MARKER_BLOCK = f"<p>{_MARKER}</p>"


@dataclass
class _Edge:
    """A place where replaced content begins, and the formats of the block there, restored
    after each removal: removing can leave the first removed block's format (a list item,
    say) on the block where it began, such as the empty block Qt keeps after a table, or the
    first block of the document, which Qt does not reformat when a table is inserted there."""

    position: int = 0
    block: QTextBlockFormat = field(default_factory=QTextBlockFormat)
    char: QTextCharFormat = field(default_factory=QTextCharFormat)

    @classmethod
    def at(cls, cursor: QTextCursor) -> _Edge:
        return cls(cursor.position(), cursor.blockFormat(), cursor.blockCharFormat())

    def cut(self, cursor: QTextCursor) -> None:
        """Remove everything from here to the end."""
        cursor.setPosition(self.position)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        # Only where they changed: setting a block's character format costs time in
        # proportion to the frames before it (some 70 ms after a 4,000-line code block).
        if cursor.blockFormat() != self.block:
            cursor.setBlockFormat(self.block)
        if cursor.blockCharFormat() != self.char:
            cursor.setBlockCharFormat(self.char)


def _renderer(theme: RenderTheme) -> IncrementalRenderer:
    # Imported on first use: markdown-it and Pygments cost start-up time, and the window's
    # first frame needs no Markdown.
    from longcat_desktop.render.incremental import IncrementalRenderer

    return IncrementalRenderer(theme)


class StreamingDocument:
    """Owns the rich text of one message and applies streaming updates to it.

    Use `document` in a QTextBrowser (or any QTextDocument-based view). Copy links in code
    blocks are anchors ``copy-code:N`` (see `links.parse_copy_href`); `code_block(N)` gives the
    raw code to put on the clipboard.
    """

    def __init__(self, theme: RenderTheme, document: QTextDocument | None = None) -> None:
        self._document = document if document is not None else QTextDocument()
        self._document.setUndoRedoEnabled(False)
        option = self._document.defaultTextOption()
        # Long URLs and unbroken code must wrap rather than widen the whole chat view.
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self._document.setDefaultTextOption(option)
        self._renderer = _renderer(theme)
        self._tail = _Edge()  # where the open tail begins
        self._live = _Edge()  # where the part of the tail after its settled part begins
        self._tail_html = ""  # the tail shown, while it has no settled part
        self._formula_images: FormulaImages | None = None

    @property
    def document(self) -> QTextDocument:
        return self._document

    @property
    def theme(self) -> RenderTheme:
        return self._renderer.theme

    @property
    def text(self) -> str:
        """The Markdown source received so far (line breaks normalised)."""
        return self._renderer.text

    @property
    def html(self) -> str:
        """The rendered HTML of the whole message, as given to the document."""
        return self._renderer.html

    @property
    def code_block_count(self) -> int:
        return len(self._renderer.code_blocks)

    def code_block(self, index: int) -> str:
        """Raw code of the index-th code block of the message; IndexError if there is none."""
        if not 0 <= index < self.code_block_count:
            raise IndexError(f"no code block {index}")
        return self._renderer.code_block(index)

    def append(self, text: str) -> None:
        """Add streamed text (any number of coalesced tokens) and refresh the document."""
        self._apply(self._renderer.append(text))

    def set_text(self, text: str) -> None:
        """Show a whole stored message; later `append` calls continue it."""
        self.clear()
        self._apply(self._renderer.append(text))

    def clear(self) -> None:
        self._renderer = _renderer(self._renderer.theme)
        self._document.clear()
        self._tail = self._live = _Edge()
        self._tail_html = ""
        self._formula_images = None

    def set_theme(self, theme: RenderTheme) -> None:
        """Re-render everything in new colours (costs one full render)."""
        text = self._renderer.text
        self._renderer = _renderer(theme)
        self._document.clear()
        self._tail = self._live = _Edge()
        self._tail_html = ""
        self._formula_images = None
        if text:
            self._apply(self._renderer.append(text))

    def _apply(self, update: RenderUpdate) -> None:
        cursor = QTextCursor(self._document)
        cursor.beginEditBlock()
        try:
            finished = "".join(block.html for block in update.finished)
            if update.keep_settled:
                self._live.cut(cursor)
            elif finished and finished == self._tail_html:
                # The tail became final as it is shown (a code block once its closing line
                # is complete): it stays, rather than being inserted once more.
                cursor.movePosition(QTextCursor.MoveOperation.End)
                self._tail = self._live = _Edge.at(cursor)
            else:
                self._tail.cut(cursor)
                if finished:
                    self._insert(cursor, finished, final=True)
                    self._tail = _Edge.at(cursor)
                self._live = self._tail
            if update.settled:
                self._insert(cursor, update.settled, final=True)
                self._live = _Edge.at(cursor)
            self._insert(cursor, update.tail.html, final=False)
            settled = update.keep_settled or update.settled
            self._tail_html = "" if settled else update.tail.html
        finally:
            cursor.endEditBlock()

    def _insert(self, cursor: QTextCursor, html: str, *, final: bool) -> None:
        if not html:
            return
        formulas = self._formulas(html)
        pending = formulas.before_insert(html) if formulas is not None else []
        position = cursor.position()
        if position == 0:
            # An empty document: exactly what a one-go render does. (insertHtml at position 0
            # differs from setHtml for some first blocks, such as an empty list item.)
            self._document.setHtml(html)
            cursor.movePosition(QTextCursor.MoveOperation.End)
        else:
            cursor.insertHtml(_MARKER_BLOCK + html)
            marker = QTextCursor(self._document)
            marker.setPosition(position)
            marker.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
            if marker.selectedText() == _MARKER:
                marker.removeSelectedText()
        if formulas is not None:
            formulas.after_insert(position, cursor.position(), pending, final=final)

    def _formulas(self, html: str) -> FormulaImages | None:
        """The formula images, set up on the first formula (the typesetter loads then)."""
        if self._formula_images is None and 'src="math:' in html:
            from longcat_desktop.render.math_images import FormulaImages

            self._formula_images = FormulaImages(self._document, self.theme.muted)
        return self._formula_images


class VerbatimDocument(StreamingDocument):
    """A user's message, shown exactly as typed: every space, indent and line kept, nothing
    read as Markdown (pasted code keeps its indentation; `*` and `#` stay themselves), as chat
    clients show what the user wrote."""

    def __init__(self, theme: RenderTheme, document: QTextDocument | None = None) -> None:
        super().__init__(theme, document)
        self._verbatim = ""
        self._theme = theme

    @property
    def theme(self) -> RenderTheme:
        return self._theme

    @property
    def text(self) -> str:
        return self._verbatim

    @property
    def html(self) -> str:
        return self._document.toHtml()

    @property
    def code_block_count(self) -> int:
        return 0

    def code_block(self, index: int) -> str:
        raise IndexError(f"no code block {index}")

    def append(self, text: str) -> None:
        self.set_text(self._verbatim + text)

    def set_text(self, text: str) -> None:
        self._verbatim = text.replace("\r\n", "\n")
        self._document.setPlainText(self._verbatim)

    def clear(self) -> None:
        self._verbatim = ""
        self._document.clear()

    def set_theme(self, theme: RenderTheme) -> None:
        # Plain text takes its colours from the view's palette, which the theme sets.
        self._theme = theme
