"""Settings → Sync: the WebDAV folder, its login, the encryption passphrase, and the last result.

The page talks to the sync service directly (it has its own buttons, not the dialog's OK): the
password and passphrase are handed over once and the fields cleared, as the API key is.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.services.sync_service import SyncService, SyncState
from longcat_desktop.ui.secret_field import SecretLineEdit


class SyncPage(QWidget):
    def __init__(self, sync: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sync = sync
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 16)
        layout.setSpacing(12)
        heading = QLabel(self.tr("Sync"), self)
        heading.setProperty("role", "heading")
        layout.addWidget(heading)
        intro = QLabel(
            self.tr(
                "Keep the same conversations, folders, assistants and saved prompts on every "
                "computer through your own WebDAV storage (Nextcloud, ownCloud, a NAS, …). "
                "Everything is encrypted with your passphrase before it leaves this computer."
            ),
            self,
        )
        intro.setProperty("role", "muted")
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(10)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText(
            "https://cloud.example.com/remote.php/dav/files/me/LongCat/"
        )
        self.user_edit = QLineEdit(self)
        self.password_edit = SecretLineEdit(self)
        self.passphrase_edit = SecretLineEdit(self)
        self.new_passphrase_button = QPushButton(self.tr("New passphrase"), self)
        self.new_passphrase_button.setToolTip(
            self.tr("Make a strong passphrase, for the first computer that syncs to this folder")
        )
        passphrase_row = QHBoxLayout()
        passphrase_row.addWidget(self.passphrase_edit, 1)
        passphrase_row.addWidget(self.new_passphrase_button)
        form.addRow(self.tr("WebDAV folder"), self.url_edit)
        form.addRow(self.tr("User name"), self.user_edit)
        form.addRow(self.tr("Password"), self.password_edit)
        form.addRow(self.tr("Encryption passphrase"), passphrase_row)
        layout.addLayout(form)

        self.passphrase_warning = QLabel(
            self.tr(
                "Write this passphrase down now: it is shown only once and cannot be recovered. "
                "Without it, nobody (you included) can read the synced conversations. Enter "
                "the same passphrase on your other computers."
            ),
            self,
        )
        self.passphrase_warning.setWordWrap(True)
        self.passphrase_warning.setProperty("role", "warning")
        self.passphrase_warning.hide()
        layout.addWidget(self.passphrase_warning)

        self.automatic_box = QCheckBox(
            self.tr("Sync automatically (after changes, every few minutes, at start and quit)"),
            self,
        )
        layout.addWidget(self.automatic_box)

        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Save and sync"), self)
        self.save_button.setProperty("role", "primary")
        self.sync_button = QPushButton(self.tr("Sync now"), self)
        self.disconnect_button = QPushButton(self.tr("Disconnect"), self)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sync_button)
        buttons.addStretch(1)
        buttons.addWidget(self.disconnect_button)
        layout.addLayout(buttons)

        # The server's and the network's words are data: plain text.
        self.status_label = QLabel(self, textFormat=Qt.TextFormat.PlainText)
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("syncStatus")
        layout.addWidget(self.status_label)
        layout.addStretch(1)

        self.new_passphrase_button.clicked.connect(self._make_passphrase)
        self.save_button.clicked.connect(self._save)
        self.sync_button.clicked.connect(sync.sync_now)
        self.disconnect_button.clicked.connect(self._disconnect)
        self.automatic_box.toggled.connect(self._automatic_toggled)
        sync.stateChanged.connect(self.refresh)
        self.load()

    def load(self) -> None:
        """The saved values (never the secrets) and the current state."""
        self.url_edit.setText(self._sync.url)
        self.user_edit.setText(self._sync.user)
        self.automatic_box.blockSignals(True)
        self.automatic_box.setChecked(self._sync.automatic)
        self.automatic_box.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        sync = self._sync
        configured = sync.configured
        kept = self.tr("Stored in the keyring; leave empty to keep it")
        self.password_edit.setPlaceholderText(kept if configured else "")
        self.passphrase_edit.setPlaceholderText(kept if configured else "")
        self.sync_button.setEnabled(configured and not sync.running)
        self.disconnect_button.setEnabled(configured)
        self.status_label.setText(self.status_text())

    def status_text(self) -> str:
        sync = self._sync
        if not sync.configured:
            return self.tr("Sync is off.")
        if sync.state is SyncState.SYNCING:
            return self.tr("Syncing…")
        outcome = sync.last_outcome()
        if outcome is None:
            return self.tr("Not synced yet.")
        when = QDateTime.fromSecsSinceEpoch(int(outcome.time)).toString("yyyy-MM-dd HH:mm")
        result = sync.last_outcome_text()
        if outcome.ok:
            return self.tr("Last sync %1: %2").replace("%1", when).replace("%2", result)
        return self.tr("Last sync %1 failed: %2").replace("%1", when).replace("%2", result)

    def _make_passphrase(self) -> None:
        self.passphrase_edit.setText(self._sync.new_passphrase())
        self.passphrase_edit.set_revealed(True)
        self.passphrase_warning.show()

    def _save(self) -> None:
        self._sync.connect_storage(
            self.url_edit.text(),
            self.user_edit.text(),
            self.password_edit.text(),
            self.passphrase_edit.text(),
        )
        # Handed over: the secrets leave the widgets at once.
        self.password_edit.clear()
        self.passphrase_edit.clear()
        self.passphrase_edit.set_revealed(False)
        self.passphrase_warning.hide()

    def _disconnect(self) -> None:
        self._sync.disconnect_storage()
        self.password_edit.clear()
        self.passphrase_edit.clear()
        self.load()

    def _automatic_toggled(self, checked: bool) -> None:
        self._sync.set_automatic(checked)
