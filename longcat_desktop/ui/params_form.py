"""The generation parameters form, shared by the Settings defaults and the per-chat panel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from longcat_desktop.ui.param_values import ParamValues

__all__ = ["MAX_TOKENS_CEILING", "ParamValues", "ParamsForm"]

MAX_TOKENS_CEILING = 131072
_UNSET_FLOAT = -0.05  # the spin boxes' "Default" position, one step below 0


def _float_spin(parent: QWidget, default_text: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(parent)
    spin.setRange(_UNSET_FLOAT, 1.0)
    spin.setSingleStep(0.05)
    spin.setDecimals(2)
    spin.setSpecialValueText(default_text)
    spin.setValue(_UNSET_FLOAT)
    return spin


class ParamsForm(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        default = self.tr("Default")
        self.system_prompt = QPlainTextEdit(self)
        self.system_prompt.setPlaceholderText(self.tr("Optional instructions for the model"))
        self.system_prompt.setTabChangesFocus(True)
        self.system_prompt.setFixedHeight(88)
        self.temperature = _float_spin(self, default)
        self.temperature.setToolTip(self.tr("Lower is more focused, higher more varied (0–1)"))
        self.top_p = _float_spin(self, default)
        self.top_p.setToolTip(self.tr("Nucleus sampling: the share of likely tokens kept (0–1)"))
        self.max_tokens = QSpinBox(self)
        self.max_tokens.setRange(0, MAX_TOKENS_CEILING)
        self.max_tokens.setSingleStep(256)
        self.max_tokens.setSpecialValueText(default)
        self.max_tokens.setGroupSeparatorShown(True)
        self.max_tokens.setToolTip(self.tr("The longest answer the model may write, in tokens"))
        self.thinking = QComboBox(self)
        self.thinking.addItem(self.tr("Model default"), None)
        self.thinking.addItem(self.tr("On"), True)
        self.thinking.addItem(self.tr("Off"), False)

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        form.addRow(self.tr("System prompt"), self.system_prompt)
        form.addRow(self.tr("Temperature"), self.temperature)
        form.addRow(self.tr("Top P"), self.top_p)
        form.addRow(self.tr("Max tokens"), self.max_tokens)
        form.addRow(self.tr("Thinking"), self.thinking)

        self.system_prompt.textChanged.connect(self.changed)
        self.temperature.valueChanged.connect(self.changed)
        self.top_p.valueChanged.connect(self.changed)
        self.max_tokens.valueChanged.connect(self.changed)
        self.thinking.currentIndexChanged.connect(self.changed)

    def set_max_tokens_limit(self, limit: int | None) -> None:
        """Bound max_tokens by what the model allows (None: the general ceiling)."""
        ceiling = MAX_TOKENS_CEILING if not limit or limit <= 0 else limit
        self.max_tokens.setMaximum(ceiling)

    def load(self, values: ParamValues) -> None:
        widgets = (self.system_prompt, self.temperature, self.top_p, self.max_tokens, self.thinking)
        blocked = [w.blockSignals(True) for w in widgets]
        try:
            self.system_prompt.setPlainText(values.system_prompt)
            self.temperature.setValue(
                _UNSET_FLOAT if values.temperature is None else values.temperature
            )
            self.top_p.setValue(_UNSET_FLOAT if values.top_p is None else values.top_p)
            self.max_tokens.setValue(values.max_tokens or 0)
            index = self.thinking.findData(values.thinking)
            self.thinking.setCurrentIndex(max(0, index))
        finally:
            for widget, was in zip(widgets, blocked, strict=True):
                widget.blockSignals(was)

    def values(self) -> ParamValues:
        def unset_or(spin: QDoubleSpinBox) -> float | None:
            value = spin.value()
            return None if value < 0 else round(value, 2)

        thinking = self.thinking.currentData()
        return ParamValues(
            system_prompt=self.system_prompt.toPlainText(),
            temperature=unset_or(self.temperature),
            top_p=unset_or(self.top_p),
            max_tokens=self.max_tokens.value() or None,
            thinking=thinking if isinstance(thinking, bool) else None,
        )
