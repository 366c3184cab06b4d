"""The model chooser of the top bar, with what is known about the chosen model."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QWidget

from longcat_desktop.domain.models import ModelDetails
from longcat_desktop.ui.elided_label import ElidedLabel
from longcat_desktop.ui.icons import icon
from longcat_desktop.ui.model_info_format import (
    input_modalities,
    modalities_text,
    modality_name,
    summary_text,
)
from longcat_desktop.ui.model_item_delegate import MODALITIES_ROLE, ModelItemDelegate, row_width
from longcat_desktop.ui.plain_text import tooltip
from longcat_desktop.ui.theme import current_theme

_ICON = 16
_NOTE_WIDTH = 320


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
        self.combo.setItemDelegate(ModelItemDelegate(self.combo))
        # In a narrow window the details give way first, then the note ends in "…"; the
        # tooltips keep both whole.
        self.info_label = ElidedLabel(self)
        self.info_label.setProperty("role", "small")
        self.note_icon = QLabel(self)
        self.note_icon.setFixedSize(_ICON, _ICON)
        # A long note (the reason the list could not be fetched) need not push the title out.
        self.note_label = ElidedLabel(self, wants=_NOTE_WIDTH)
        self.note_label.setProperty("role", "warning")
        layout = self._layout = QHBoxLayout(self)
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
            self._fit_popup()
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
        self.note_label.set_tip(note or "")
        self.note_icon.setToolTip(self.note_label.toolTip() if note else "")
        self.note_icon.setVisible(bool(note))
        self._refresh_icon()
        self.updateGeometry()
        self._fit()

    def note(self) -> str:
        return self.note_label.text()

    def current_model(self) -> str:
        return self.combo.currentText()

    def set_details(self, details: ModelDetails | None) -> None:
        """What is known about the selected model; None clears it (unknown or still loading)."""
        text = summary_text(details) if details is not None else ""
        self.info_label.setText(text)
        tip = "" if details is None else self._tooltip(details)
        self.info_label.set_tip(tip)
        # The name comes from the server: shown as text, never as markup.
        self.combo.setToolTip(tooltip(tip))
        if details is not None:
            self.set_item_details(details.id, details)
        self.updateGeometry()
        self._fit()

    def set_item_details(self, model_id: str, details: ModelDetails | None) -> None:
        """What the list row of `model_id` shows besides its name (what the model reads)."""
        index = self.combo.findText(model_id)
        if index < 0:
            return
        modalities = input_modalities(details)
        self.combo.setItemData(index, list(modalities), MODALITIES_ROLE)
        described = modalities_text(details) if details is not None else ""
        tip = self.tr("Reads: {modalities}").format(modalities=described) if described else None
        # The modality names come from the server: a tooltip would read them as markup.
        self.combo.setItemData(
            index, None if tip is None else tooltip(tip), Qt.ItemDataRole.ToolTipRole
        )
        self.combo.setItemData(index, tip, Qt.ItemDataRole.AccessibleDescriptionRole)
        self._fit_popup()

    def item_modalities(self, model_id: str) -> list[str]:
        """The modalities the list row of `model_id` shows ([] when unknown)."""
        return self.item_modalities_at(self.combo.findText(model_id))

    def _tooltip(self, details: ModelDetails) -> str:
        lines = [details.name or details.id]
        if details.context_length:
            lines.append(self.tr("Context: {n} tokens").format(n=f"{details.context_length:,}"))
        if details.input_modalities:
            lines.append(self.tr("Input: {m}").format(m=modalities_text(details)))
        if details.output_modalities:
            outputs = ", ".join(modality_name(m) for m in details.output_modalities)
            lines.append(self.tr("Output: {m}").format(m=outputs))
        for key, value in details.pricing.items():
            lines.append(self.tr("Price ({key}): {value} per token").format(key=key, value=value))
        return "\n".join(lines)

    def _fit_popup(self) -> None:
        """The open list is wide enough for every name with its badges."""
        font = self.combo.view().font()
        widest = max(
            (
                row_width(font, self.combo.itemText(i), tuple(self.item_modalities_at(i)))
                for i in range(self.combo.count())
            ),
            default=0,
        )
        # The list's own frame and padding (theme: 1 px border, 4 px padding) and a scroll bar.
        self.combo.view().setMinimumWidth(widest + 2 * (1 + 4) + 12)

    def item_modalities_at(self, index: int) -> list[str]:
        value = self.combo.itemData(index, MODALITIES_ROLE)
        return [str(item) for item in value] if isinstance(value, list | tuple) else []

    def _full_width(self) -> int:
        spacing = self._layout.spacing()
        width = max(self.combo.sizeHint().width(), self.combo.minimumWidth())
        if self.info_label.text():
            width += spacing + self.info_label.sizeHint().width()
        if self.note_label.text():
            width += 2 * spacing + _ICON + self.note_label.sizeHint().width()
        return width

    def sizeHint(self) -> QSize:
        # Everything in full, whether or not the details are squeezed out just now.
        return QSize(self._full_width(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        # The list keeps its own width (its minimum is set, not hinted), and room is kept for
        # the note's icon whether or not there is a note: the window's minimum and the
        # sidebar's restored width do not change when one comes or goes.
        width = max(self.combo.minimumWidth(), self.combo.minimumSizeHint().width())
        width += self._layout.spacing() + _ICON
        return QSize(width, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Hide the details when the note would not fit in full beside them."""
        squeezed = bool(self.note_label.text()) and self.width() < self._full_width()
        self.info_label.setVisible(bool(self.info_label.text()) and not squeezed)
        self.note_label.setVisible(bool(self.note_label.text()))

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
