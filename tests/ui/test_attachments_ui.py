"""Attaching in the window: paste and drop make chips at once, the model is checked for
images, and what was sent shows as thumbnails that open a viewer."""

from __future__ import annotations

import base64
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.ui.attachment_viewer import ImageViewer, TextPreview
from tests.fakes.longcat_server import model_details
from tests.services.images import screenshot_like
from tests.ui.app_fixture import AppFactory, RunningApp
from tests.ui.test_main_window import thread, widget

VISION_MODEL = "LongCat-2.5-Preview"


def _use_model(app: RunningApp, model: str) -> None:
    cid = app.window.conversation_id
    assert cid is not None
    app.window.model_binding.choose(model)
    assert app.store.conversations.get(cid).settings.model == model


def _paste(app: RunningApp, mime: QMimeData) -> None:
    QGuiApplication.clipboard().setMimeData(mime)
    edit = app.window.composer.edit
    edit.setFocus()
    QTest.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


def _ready_chips(app: RunningApp, count: int) -> None:
    composer = app.window.composer
    app.wait(
        lambda: (
            len(composer.attachments()) == count
            and not any(chip.pending for chip in composer.attachments())
        ),
        "the attachments prepared",
    )


def _drop(target: QWidget, mime: QMimeData) -> None:
    """A drag entering `target` and dropped there, as the window system delivers them."""
    position = QPoint(20, 20)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(position, Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(position), Qt.DropAction.CopyAction, mime, buttons, keys)
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted()


def _vision_app(app_factory: AppFactory) -> RunningApp:
    app_factory.server.models.append(VISION_MODEL)
    app = app_factory()
    app.ready()
    _use_model(app, VISION_MODEL)
    return app


def _image_mime(width: int = 800, height: int = 600) -> QMimeData:
    mime = QMimeData()
    mime.setImageData(screenshot_like(width, height))
    return mime


def test_a_pasted_screenshot_becomes_a_chip_and_reaches_the_server(
    app_factory: AppFactory,
) -> None:
    app = _vision_app(app_factory)
    composer = app.window.composer
    _paste(app, _image_mime())
    # The chip is there at once, before the image is processed.
    assert len(composer.attachments()) == 1
    assert composer.attachments()[0].pending
    assert composer.text() == ""
    _ready_chips(app, 1)
    chip = composer.chips.chips[0]
    assert chip.data.thumbnail
    assert not chip.picture.pixmap().isNull()
    assert composer.send_button.isEnabled()
    app.type_and_send("What is this?")
    app.wait(lambda: len(thread(app)) == 2, "the message and its answer")
    assert composer.attachments() == []
    app.wait(lambda: app.server.chat_requests, "the request")
    content = app.server.chat_requests[-1].json["messages"][-1]["content"]
    assert content[0] == {"type": "text", "text": "What is this?"}
    url = content[1]["image_url"]["url"]
    assert url.startswith("data:image/png;base64,")
    image = QImage.fromData(base64.b64decode(url.split(",", 1)[1]))
    assert (image.width(), image.height()) == (800, 600)
    shown = widget(app, thread(app)[0].id)
    assert shown.attachments is not None
    thumbs = shown.attachments.thumbs  # type: ignore[attr-defined]
    assert len(thumbs) == 1
    thumbs[0].click()
    viewers = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImageViewer)]
    assert len(viewers) == 1
    viewer = viewers[0]
    viewer.set_zoom(2.0)
    assert viewer.picture.width() == 1600
    viewer.copy()
    assert QGuiApplication.clipboard().image().width() == 800
    viewer.close()


def test_files_dropped_on_the_conversation_become_chips_and_documents_open_a_preview(
    running_app: RunningApp, tmp_path: Path
) -> None:
    app = running_app
    app.ready()
    notes = tmp_path / "notes.md"
    notes.write_text("# Plan\n- one\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(notes))])
    _drop(app.window.chat_view.viewport(), mime)
    _ready_chips(app, 1)
    composer = app.window.composer
    assert composer.attachments()[0].name == "notes.md"
    composer.chips.chips[0].clicked.emit(composer.attachments()[0].key)
    previews = [w for w in QApplication.topLevelWidgets() if isinstance(w, TextPreview)]
    assert previews
    assert previews[-1].text.toPlainText() == "# Plan\n- one\n"
    previews[-1].close()
    # Removing the chip removes it from the stored draft.
    button = composer.chips.chips[0].remove_button
    assert button is not None
    button.click()
    app.wait(lambda: composer.attachments() == [], "the chip removed")
    cid = app.window.conversation_id
    assert cid is not None
    assert app.store.attachments.draft(cid) == []


def test_pasted_file_urls_attach_the_files(running_app: RunningApp, tmp_path: Path) -> None:
    app = running_app
    app.ready()
    log = tmp_path / "server.log"
    log.write_text("ERROR boom\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(log))])
    mime.setText(str(log))
    _paste(app, mime)
    _ready_chips(app, 1)
    assert app.window.composer.text() == ""
    assert app.window.composer.attachments()[0].name == "server.log"


def test_a_text_only_model_holds_images_back_and_offers_a_switch(
    app_factory: AppFactory,
) -> None:
    app_factory.server.models.append(VISION_MODEL)
    app = app_factory()
    app.ready()
    _use_model(app, "LongCat-2.0")
    composer = app.window.composer
    app.wait(
        lambda: (
            app.services.models.details(
                app.store.conversations.get(
                    app.window.conversation_id or ConversationId(0)
                ).settings.api_format,
                "LongCat-2.0",
            )
            is not None
        ),
        "the model's details",
    )
    _paste(app, _image_mime(64, 48))
    _ready_chips(app, 1)
    app.wait(lambda: composer.switch_button.isVisible(), "the switch offered")
    assert "does not read images" in composer.notice_label.text()
    assert not composer.send_button.isEnabled()
    QTest.keyClicks(composer.edit, "hello")
    assert not composer.send_button.isEnabled()
    composer.switch_button.click()
    cid = app.window.conversation_id
    assert cid is not None
    assert app.store.conversations.get(cid).settings.model == VISION_MODEL
    app.wait(lambda: composer.send_button.isEnabled(), "sending allowed")
    assert not composer.switch_button.isVisible()


def test_the_draft_keeps_its_attachments_across_a_restart(app_factory: AppFactory) -> None:
    app = app_factory()
    app.ready()
    _paste(app, _image_mime(64, 48))
    _ready_chips(app, 1)
    restarted = app_factory.restart(app)
    restarted.ready()
    _ready_chips(restarted, 1)
    assert restarted.window.composer.attachments()[0].thumbnail


def test_enter_right_after_a_paste_sends_once_the_image_is_ready(
    app_factory: AppFactory,
) -> None:
    app = _vision_app(app_factory)
    composer = app.window.composer
    _paste(app, _image_mime(1920, 1080))
    assert composer.attachments()[0].pending
    app.type_and_send("Describe it")
    app.wait(lambda: len(thread(app)) == 2, "the message and its answer")
    app.wait(lambda: app.server.chat_requests, "the request")
    content = app.server.chat_requests[-1].json["messages"][-1]["content"]
    assert [part["type"] for part in content] == ["text", "image_url"]
    assert composer.text() == ""
    assert composer.attachments() == []


def test_the_context_meter_counts_the_draft_and_holds_what_cannot_fit(
    app_factory: AppFactory,
) -> None:
    details = {**model_details("LongCat-2.0"), "context_length": 200}
    app_factory.server.model_details["LongCat-2.0"] = details
    app = app_factory()
    app.ready()
    _use_model(app, "LongCat-2.0")
    composer = app.window.composer
    app.wait(lambda: "/ 200 tokens" in composer.context_label.text(), "the meter with a limit")
    QTest.keyClicks(composer.edit, "short question")
    assert composer.send_button.isEnabled()
    QTest.keyClicks(composer.edit, " word" * 300)
    app.wait(lambda: "too long" in composer.context_label.text(), "the warning")
    assert composer.context_label.property("over") is True
    assert not composer.send_button.isEnabled()
    QTest.keyClick(composer.edit, Qt.Key.Key_Return)
    assert thread(app) == []


def test_files_dropped_on_the_message_box_are_attached_not_typed(
    running_app: RunningApp, tmp_path: Path
) -> None:
    app = running_app
    app.ready()
    data = tmp_path / "data.json"
    data.write_text('{"ok": true}', encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(data))])
    _drop(app.window.composer.edit.viewport(), mime)
    _ready_chips(app, 1)
    assert app.window.composer.attachments()[0].name == "data.json"
    assert app.window.composer.text() == ""


def test_many_attachments_of_a_message_wrap_into_rows(qtbot: QtBot) -> None:
    from longcat_desktop.ui.attachment_chips import (
        MESSAGE_THUMB,
        THUMBS_PER_ROW,
        ChipData,
        MessageAttachments,
    )

    images = [ChipData(f"i{n}", f"{n}.png", 10, is_image=True) for n in range(6)]
    documents = [ChipData(f"d{n}", f"{n}.txt", 10) for n in range(4)]
    widget = MessageAttachments([*documents, *images])
    qtbot.addWidget(widget)
    opened: list[str] = []
    widget.opened.connect(opened.append)
    assert [t.data.key for t in widget.thumbs] == [c.key for c in images]
    assert len(widget.chips) == 4
    assert widget.sizeHint().width() < (THUMBS_PER_ROW + 1) * (MESSAGE_THUMB + 10)
    widget.thumbs[5].click()
    assert opened == ["i5"]


def test_any_image_opens_in_the_viewer_fitted_and_zoomable(qtbot: QtBot) -> None:
    from longcat_desktop.ui.attachment_viewer import open_image
    from tests.services.images import encoded

    parent = QWidget()
    qtbot.addWidget(parent)
    viewer = open_image(
        parent, "result.png", "image/png", encoded(screenshot_like(3000, 1000), "PNG")
    )
    assert isinstance(viewer, ImageViewer)
    viewer.resize(800, 600)
    qtbot.waitUntil(lambda: viewer.picture.width() <= viewer.scroll_area.viewport().width())
    assert viewer.fitted
    viewer.set_zoom(1.0)
    assert viewer.picture.width() == 3000
    viewer.fit()
    assert viewer.picture.width() < 800
    viewer.close()


def test_thumbnails_decode_at_the_size_shown_and_are_kept(qapp: QApplication) -> None:
    from longcat_desktop.ui.attachment_chips import thumbnail_pixmap
    from tests.services.images import encoded

    data = encoded(screenshot_like(192, 96), "PNG")
    first = thumbnail_pixmap(data, 60, 1.0, key="k1")
    assert first is not None
    assert (first.width(), first.height()) == (60, 30)
    assert thumbnail_pixmap(data, 60, 1.0, key="k1") is first
    sharp = thumbnail_pixmap(data, 60, 2.0, key="k1")
    assert sharp is not None
    assert sharp.width() == 120
    assert thumbnail_pixmap(b"not an image", 60, 1.0) is None
