from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from longcat_desktop.ui.elided_label import ElidedLabel

TEXTS = [
    "1M context · Text, image · Free",
    "128K context · Text · $1 in / $4 out per 1M tokens",
    "The model list could not be fetched (Cannot reach api.longcat.chat); showing built-in models.",
    *(f"LongCat-{n}.{n % 7}-Preview · {'il' * n} · {'W' * (n % 5)}" for n in range(1, 40)),
]


def test_the_width_it_asks_for_shows_the_whole_text(qtbot: QtBot) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    label = ElidedLabel(page)
    page.show()
    cut = []
    for text in TEXTS:
        label.setText(text)
        label.resize(label.sizeHint())
        if label.is_elided():
            cut.append(text)
    assert cut == []


def test_a_narrow_label_ends_in_an_ellipsis_and_its_tooltip_holds_the_text(qtbot: QtBot) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    label = ElidedLabel(page)
    page.show()
    label.set_tip("More about it")
    label.setText("<b>List<String></b> & more")
    label.resize(label.sizeHint())
    assert not label.is_elided()
    assert "List" not in label.toolTip()
    label.resize(label.sizeHint().width() // 2, label.height())
    assert label.shown_text().endswith("…")
    # The tooltip shows the text as text: escaped, never read as markup.
    assert "&lt;b&gt;List&lt;String&gt;&lt;/b&gt; &amp; more" in label.toolTip()
    assert "More about it" in label.toolTip()
    assert label.minimumSizeHint().width() == 0
