"""File → Import…: choose an export, watch its progress (with Cancel), then hear what happened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QMainWindow, QMessageBox, QProgressDialog

from longcat_desktop.services.conversation_service import ConversationService
from longcat_desktop.services.import_job import ImportJob
from longcat_desktop.ui.plain_text import plain_label


class ImportFlow(QObject):
    """One import at a time, for one window; nothing here blocks the event loop."""

    def __init__(self, window: QMainWindow, conversations: ConversationService) -> None:
        super().__init__(window)
        self._window = window
        self._conversations = conversations
        self.job: ImportJob | None = None
        self.progress: QProgressDialog | None = None
        self.report: QMessageBox | None = None

    def choose(self) -> None:
        if self._busy():
            return
        dialog = QFileDialog(self._window, self.tr("Import conversations"), str(Path.home()))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(
            [
                self.tr("Conversation exports (*.json *.zip)"),
                self.tr("All files (*)"),
            ]
        )
        dialog.fileSelected.connect(lambda path: self.start(Path(path)))
        dialog.open()

    def start(self, path: Path) -> None:
        """Import `path` (an export of ours, ChatGPT's or Claude's; told apart by content)."""
        if self._busy():
            return
        progress = QProgressDialog(
            self.tr("Reading %1…").replace("%1", path.name), self.tr("Cancel"), 0, 0, self._window
        )
        # The file name is the user's, and may hold "<": shown as text, never as markup.
        progress.setLabel(plain_label(None, progress.labelText()))
        progress.setWindowTitle(self.tr("Import conversations"))
        # Not modal: a modal progress dialog runs a nested event loop in every setValue(), which
        # would re-enter the asyncio loop the import runs on. The window stays usable meanwhile.
        progress.setWindowModality(Qt.WindowModality.NonModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        self.progress = progress
        job = self._conversations.import_file(path)
        self.job = job
        progress.canceled.connect(job.cancel)
        job.progress.connect(self._on_progress)
        job.finished.connect(self._on_finished)
        job.failed.connect(self._on_failed)
        progress.show()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _busy(self) -> bool:
        if self.job is not None and self.job.running:
            if self.progress is not None:
                self.progress.raise_()
            return True
        return False

    def _on_progress(self, done: int, total: int) -> None:
        if self.progress is None or total == 0:
            return
        if self.progress.maximum() != total:
            self.progress.setMaximum(total)
            self.progress.setLabelText(
                self.tr("Importing %1 conversations…").replace("%1", str(total))
            )
        self.progress.setValue(done)

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None

    def _on_finished(self, summary: str, skipped: list[str]) -> None:
        self._close_progress()
        self._window.statusBar().showMessage(summary, 10000)
        if skipped:
            self._show(QMessageBox.Icon.Information, summary, "\n".join(skipped))

    def _on_failed(self, reason: str) -> None:
        self._close_progress()
        self._show(QMessageBox.Icon.Warning, reason, "")

    def _show(self, kind: QMessageBox.Icon, text: str, details: str) -> None:
        box = QMessageBox(kind, self.tr("Import conversations"), text, parent=self._window)
        # File names, titles and reasons come from the file: shown as they are, never as markup.
        box.setTextFormat(Qt.TextFormat.PlainText)
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report = box
        box.open()
