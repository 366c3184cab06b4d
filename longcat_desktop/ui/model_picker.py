"""The model chooser of the top bar, with what is known about the chosen model."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from longcat_desktop.domain.models import ModelDetails
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.model_info_format import summary_text
from longcat_desktop.ui.plain_text import plain_label, tooltip
from longcat_desktop.ui.theme import current_theme


class ModelPicker(QWidget):
    """`modelChosen` fires only for the user's choices, never for `set_models`."""

    modelChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setMinimumWidth(180)
        self.combo.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.combo.setAccessibleName(self.tr("Model"))
        self.info_label = plain_label(self)
        self.info_label.setProperty("role", "small")
        self.note_icon = QLabel(self)
        self.note_icon.setFixedSize(16, 16)
        self.note_label = plain_label(self)
        self.note_label.setProperty("role", "warning")
        self.note_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.note_label.setMinimumWidth(120)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.combo)
        layout.addWidget(self.info_label)
        layout.addWidget(self.note_icon)
        layout.addWidget(self.note_label, 1)
        self.combo.activated.connect(self._on_activated)
        self.set_note(None)

    def set_models(self, ids: list[str], selected: str | None, note: str | None = None) -> None:
        """Fill the list; `note` explains a fallback list or a missing default (None: no note).

        Use `fallback_note()` / `missing_default_note(name)` for the standard wording.
        """
        blocked = self.combo.blockSignals(True)
        try:
            self.combo.clear()
            self.combo.addItems(ids)
            if selected is not None:
                index = self.combo.findText(selected)
                self.combo.setCurrentIndex(index if index >= 0 else 0)
        finally:
            self.combo.blockSignals(blocked)
        self.set_note(note)

    def fallback_note(self) -> str:
        return self.tr("Model list unavailable — showing built-in models")

    def missing_default_note(self, model: str) -> str:
        return self.tr("{model} is not offered by the server; using the first listed model").format(
            model=model
        )

    def set_note(self, note: str | None) -> None:
        self.note_label.setText(note or "")
        self.note_label.setToolTip(tooltip(note or ""))
        self.note_label.setVisible(bool(note))
        self.note_icon.setVisible(bool(note))
        self._refresh_icon()

    def note(self) -> str:
        return self.note_label.text()

    def current_model(self) -> str:
        return self.combo.currentText()

    def set_details(self, details: ModelDetails | None) -> None:
        """What is known about the selected model; None clears it (unknown or still loading)."""
        text = summary_text(details) if details is not None else ""
        self.info_label.setText(text)
        self.info_label.setVisible(bool(text))
        tip = "" if details is None else tooltip(self._tooltip(details))
        self.info_label.setToolTip(tip)
        self.combo.setToolTip(tip)

    def _tooltip(self, details: ModelDetails) -> str:
        lines = [details.name or details.id]
        if details.context_length:
            lines.append(self.tr("Context: {n} tokens").format(n=f"{details.context_length:,}"))
        if details.input_modalities:
            lines.append(self.tr("Input: {m}").format(m=", ".join(details.input_modalities)))
        if details.output_modalities:
            lines.append(self.tr("Output: {m}").format(m=", ".join(details.output_modalities)))
        for key, value in details.pricing.items():
            lines.append(self.tr("Price ({key}): {value} per token").format(key=key, value=value))
        return "\n".join(lines)

    def _on_activated(self, index: int) -> None:
        if index >= 0:
            self.modelChosen.emit(self.combo.itemText(index))

    def _refresh_icon(self) -> None:
        pixmap = icon("warning", current_theme().warning).pixmap(16, 16)
        self.note_icon.setPixmap(pixmap)
        self.note_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icon()
