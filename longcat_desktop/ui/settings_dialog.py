"""Settings: account, connection, defaults for new chats, appearance. Opened with open()."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.params_form import ParamsForm
from longcat_desktop.ui.plain_text import plain_label
from longcat_desktop.ui.secret_field import SecretLineEdit
from longcat_desktop.ui.settings_values import (
    LANGUAGES,
    PROXY_NONE,
    PROXY_SYSTEM,
    PROXY_URL,
    SEND_CTRL_ENTER,
    SEND_ENTER,
    SettingsValues,
)
from longcat_desktop.ui.theme import MAX_FONT_SIZE, MIN_FONT_SIZE
from longcat_desktop.ui.url_check import is_insecure_url


def _page(title: str, subtitle: str) -> tuple[QWidget, QVBoxLayout]:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(24, 20, 24, 16)
    layout.setSpacing(12)
    heading = QLabel(title, page)
    heading.setProperty("role", "heading")
    layout.addWidget(heading)
    if subtitle:
        sub = QLabel(subtitle, page)
        sub.setProperty("role", "muted")
        sub.setWordWrap(True)
        layout.addWidget(sub)
    layout.addSpacing(4)
    return page, layout


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setHorizontalSpacing(16)
    form.setVerticalSpacing(10)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


class SettingsDialog(QDialog):
    """Edits a SettingsValues; the key travels separately through `keySaved`.

    Nothing is written here: the owner persists `settingsApplied(values)` and stores the key
    from `keySaved(key)`; the key field is cleared as soon as it has been handed over.
    """

    settingsApplied = Signal(object)  # SettingsValues
    keySaved = Signal(str)
    testConnectionRequested = Signal(str, str, str)  # key ("" = the stored one), base_url, format

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setModal(True)
        self.resize(760, 560)
        self._loaded = SettingsValues()

        self.nav = QListWidget(self)
        self.nav.setObjectName("settingsNav")
        self.nav.setFixedWidth(180)
        self.nav.setIconSize(QSize(18, 18))
        self.pages = QStackedWidget(self)
        self._nav_icons: list[str] = []
        self._add_page(self._build_account(), self.tr("Account"), "key")
        self._add_page(self._build_connection(), self.tr("Connection"), "globe")
        self._add_page(self._build_defaults(), self.tr("New chats"), "sliders")
        self._add_page(self._build_appearance(), self.tr("Appearance"), "palette")
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.Apply,
            self,
        )
        for button in self.buttons.buttons():
            # Platform themes put stock icons on these; they clash with ours.
            button.setIcon(QIcon())
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setProperty("role", "primary")
        ok.style().unpolish(ok)
        ok.style().polish(ok)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        self.buttons.clicked.connect(self._on_button)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 16, 16)
        right.setSpacing(0)
        right.addWidget(self.pages, 1)
        right.addWidget(self.buttons)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addLayout(right, 1)
        self._refresh_icons()

    def add_page(self, page: QWidget, title: str, icon_name: str) -> None:
        """A page that another part of the window provides (it keeps its own buttons)."""
        self._add_page(page, title, icon_name)
        self._refresh_icons()

    def _add_page(self, page: QWidget, title: str, icon_name: str) -> None:
        self.pages.addWidget(page)
        self.nav.addItem(title)
        self._nav_icons.append(icon_name)

    # -- pages ----------------------------------------------------------------------------

    def _build_account(self) -> QWidget:
        page, layout = _page(
            self.tr("Account"),
            self.tr("Your LongCat API key. It is stored in the system keyring, never in a file."),
        )
        self.key_edit = SecretLineEdit(page)
        self.key_edit.setPlaceholderText(self.tr("Enter a new key to replace the stored one"))
        self.key_edit.setAccessibleName(self.tr("API key"))
        self.key_status = plain_label(page)
        self.key_status.setProperty("role", "muted")
        self.key_status.setWordWrap(True)
        self.test_button = QPushButton(self.tr("Test connection"), page)
        self.test_button.clicked.connect(self._on_test)
        self.test_result = QLabel(page)
        self.test_result.setWordWrap(True)
        self.test_result.setTextFormat(Qt.TextFormat.PlainText)
        self.test_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_result.hide()
        form = _form()
        form.addRow(self.tr("API key"), self.key_edit)
        form.addRow("", self.key_status)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.test_result)
        layout.addStretch(1)
        return page

    def _build_connection(self) -> QWidget:
        page, layout = _page(
            self.tr("Connection"), self.tr("Where requests go and how they get there.")
        )
        self.base_url = QLineEdit(page)
        self.base_url.setPlaceholderText("https://api.longcat.chat")
        self.url_warning = QLabel(
            self.tr(
                "This address uses plain http: your key and messages would cross the network "
                "unencrypted."
            ),
            page,
        )
        self.url_warning.setProperty("role", "warning")
        self.url_warning.setWordWrap(True)
        self.url_warning.hide()
        self.base_url.textChanged.connect(self._check_url)
        self.api_format = QComboBox(page)
        self.api_format.addItem(self.tr("OpenAI compatible"), "openai")
        self.api_format.addItem(self.tr("Anthropic compatible"), "anthropic")

        self.proxy_group = QButtonGroup(self)
        proxy_box = QVBoxLayout()
        proxy_box.setSpacing(6)
        for text, mode in (
            (self.tr("Use the system proxy"), PROXY_SYSTEM),
            (self.tr("No proxy"), PROXY_NONE),
            (self.tr("This proxy:"), PROXY_URL),
        ):
            radio = QRadioButton(text, page)
            radio.setProperty("mode", mode)
            self.proxy_group.addButton(radio)
            proxy_box.addWidget(radio)
        self.proxy_url = QLineEdit(page)
        self.proxy_url.setPlaceholderText("http://proxy.example:8080")
        proxy_box.addWidget(self.proxy_url)
        self.proxy_group.buttonToggled.connect(self._on_proxy_toggled)

        form = _form()
        form.addRow(self.tr("Base URL"), self.base_url)
        form.addRow("", self.url_warning)
        form.addRow(self.tr("API format"), self.api_format)
        form.addRow(self.tr("Proxy"), proxy_box)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    def _build_defaults(self) -> QWidget:
        page, layout = _page(
            self.tr("New chats"), self.tr("The model and parameters new conversations start with.")
        )
        self.model_combo = QComboBox(page)
        self.model_combo.setEditable(True)
        self.model_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.params = ParamsForm(page)
        self.model_titles = QCheckBox(
            self.tr("After the first answer, let the model write the title"), page
        )
        form = _form()
        form.addRow(self.tr("Model"), self.model_combo)
        layout.addLayout(form)
        layout.addWidget(self.params)
        layout.addWidget(self.model_titles)
        layout.addStretch(1)
        # Keep the labels of both forms in one column.
        label_width = max(self.params.fontMetrics().horizontalAdvance(self.tr("System prompt")), 96)
        for lay in (form, self.params.layout()):
            if isinstance(lay, QFormLayout):
                for row in range(lay.rowCount()):
                    item = lay.itemAt(row, QFormLayout.ItemRole.LabelRole)
                    label = item.widget() if item is not None else None
                    if label is not None:
                        label.setMinimumWidth(label_width)
        return page

    def _build_appearance(self) -> QWidget:
        page, layout = _page(self.tr("Appearance"), "")
        self.theme_combo = QComboBox(page)
        self.theme_combo.addItem(self.tr("Follow the system"), "system")
        self.theme_combo.addItem(self.tr("Light"), "light")
        self.theme_combo.addItem(self.tr("Dark"), "dark")
        self.language_combo = QComboBox(page)
        for code, name in LANGUAGES:
            self.language_combo.addItem(name, code)
        self.font_size = QSpinBox(page)
        self.font_size.setRange(MIN_FONT_SIZE, MAX_FONT_SIZE)
        self.font_size.setSuffix(" pt")
        self.send_key_combo = QComboBox(page)
        self.send_key_combo.addItem(self.tr("Enter (Shift+Enter for a new line)"), SEND_ENTER)
        self.send_key_combo.addItem(self.tr("Ctrl+Enter (Enter for a new line)"), SEND_CTRL_ENTER)
        self.send_key_combo.setToolTip(
            self.tr("Ctrl+Enter suits input methods that confirm a word with Enter.")
        )
        form = _form()
        form.addRow(self.tr("Theme"), self.theme_combo)
        form.addRow(self.tr("Language"), self.language_combo)
        form.addRow(self.tr("Font size"), self.font_size)
        form.addRow(self.tr("Send messages with"), self.send_key_combo)
        layout.addLayout(form)
        layout.addStretch(1)
        return page

    # -- values ---------------------------------------------------------------------------

    def load(self, values: SettingsValues) -> None:
        self._loaded = values
        self.base_url.setText(values.base_url)
        self._select(self.api_format, values.api_format)
        for button in self.proxy_group.buttons():
            button.setChecked(button.property("mode") == values.proxy_mode)
        self.proxy_url.setText(values.proxy_url)
        self._on_proxy_toggled()
        self.model_combo.setCurrentText(values.default_model)
        self.params.load(values.defaults)
        self._select(self.theme_combo, values.theme)
        self._select(self.language_combo, values.language)
        self.font_size.setValue(values.font_size)
        self._select(self.send_key_combo, values.send_key)
        self.model_titles.setChecked(values.model_titles)
        self.key_edit.clear()
        self._check_url()

    def values(self) -> SettingsValues:
        checked = self.proxy_group.checkedButton()
        proxy_mode = str(checked.property("mode")) if checked is not None else PROXY_SYSTEM
        return SettingsValues(
            base_url=self.base_url.text().strip() or self._loaded.base_url,
            api_format=str(self.api_format.currentData()),
            proxy_mode=proxy_mode,
            proxy_url=self.proxy_url.text().strip(),
            default_model=self.model_combo.currentText().strip() or self._loaded.default_model,
            defaults=self.params.values(),
            theme=str(self.theme_combo.currentData()),
            language=str(self.language_combo.currentData()),
            font_size=self.font_size.value(),
            send_key=str(self.send_key_combo.currentData()),
            model_titles=self.model_titles.isChecked(),
        )

    def set_models(self, models: list[str]) -> None:
        current = self.model_combo.currentText()
        self.model_combo.clear()
        self.model_combo.addItems(models)
        self.model_combo.setCurrentText(current)

    def set_key_status(self, text: str) -> None:
        """E.g. "Stored in the system keyring" or "From LONGCAT_API_KEY"."""
        self.key_status.setText(text)

    def set_testing(self, testing: bool) -> None:
        self.test_button.setEnabled(not testing)
        self.test_button.setText(self.tr("Testing…") if testing else self.tr("Test connection"))

    def show_test_result(self, ok: bool, text: str) -> None:
        """`text` is the model list the server showed, or its error in its own words."""
        self.set_testing(False)
        self.test_result.setProperty("role", "success" if ok else "error")
        self.test_result.style().unpolish(self.test_result)
        self.test_result.style().polish(self.test_result)
        self.test_result.setText(text)
        self.test_result.show()

    def show_page(self, index: int) -> None:
        self.nav.setCurrentRow(index)

    # -- behaviour ------------------------------------------------------------------------

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        index = combo.findData(data)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _check_url(self) -> None:
        self.url_warning.setVisible(is_insecure_url(self.base_url.text()))

    def _on_proxy_toggled(self, *_args: object) -> None:
        checked = self.proxy_group.checkedButton()
        self.proxy_url.setEnabled(checked is not None and checked.property("mode") == PROXY_URL)

    def _on_test(self) -> None:
        self.set_testing(True)
        self.test_result.hide()
        self.testConnectionRequested.emit(
            self.key_edit.text().strip(),
            self.base_url.text().strip(),
            str(self.api_format.currentData()),
        )

    def _apply(self) -> None:
        key = self.key_edit.text().strip()
        self.key_edit.clear()
        self.key_edit.set_revealed(False)
        if key:
            self.keySaved.emit(key)
        values = self.values()
        self._loaded = values
        self.settingsApplied.emit(values)

    def _on_ok(self) -> None:
        self._apply()
        self.accept()

    def _on_button(self, button: QAbstractButton) -> None:
        if self.buttons.buttonRole(button) == QDialogButtonBox.ButtonRole.ApplyRole:
            self._apply()

    def reject(self) -> None:
        # A typed but unapplied key must not linger in a hidden dialog.
        self.key_edit.clear()
        super().reject()

    def _refresh_icons(self) -> None:
        for row, name in enumerate(self._nav_icons):
            item = self.nav.item(row)
            if item is not None:
                item.setIcon(icon(name))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icons()
