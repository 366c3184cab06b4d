"""A toolbar button that drops down this conversation's generation parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QToolButton, QVBoxLayout, QWidget

from longcat_desktop.ui.icons import icon

if TYPE_CHECKING:
    from longcat_desktop.ui.param_values import ParamValues
    from longcat_desktop.ui.params_form import ParamsForm


class ParamsPopup(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        from longcat_desktop.ui.params_form import ParamsForm

        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("paramsPopup")
        # Lets the rounded border show where a compositor draws window transparency.
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground)
        title = QLabel(self.tr("Parameters for this chat"), self)
        title.setProperty("role", "heading")
        self.form = ParamsForm(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(self.form)
        self.setMinimumWidth(400)


class ParamsPanel(QToolButton):
    """`changed(ParamValues)` fires on every edit the user makes; `load` is silent."""

    changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText(self.tr("Parameters"))
        self.setToolTip(self.tr("System prompt, temperature and more for this chat"))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._popup: ParamsPopup | None = None
        self.clicked.connect(self.show_popup)
        self._refresh_icon()

    @property
    def popup(self) -> ParamsPopup:
        # Built when a conversation first loads its values, after the window's first frame.
        if self._popup is None:
            self._popup = ParamsPopup(self)
            form = self._popup.form
            form.changed.connect(lambda: self.changed.emit(form.values()))
        return self._popup

    @property
    def form(self) -> ParamsForm:
        return self.popup.form

    def load(self, values: ParamValues) -> None:
        self.form.load(values)

    def values(self) -> ParamValues:
        return self.form.values()

    def set_max_tokens_limit(self, limit: int | None) -> None:
        self.form.set_max_tokens_limit(limit)

    def show_popup(self) -> None:
        self.popup.adjustSize()
        below = self.mapToGlobal(QPoint(0, self.height() + 4))
        screen = self.screen().availableGeometry()
        x = min(below.x(), screen.right() - self.popup.width())
        self.popup.move(max(screen.left(), x), below.y())
        self.popup.show()
        self.form.system_prompt.setFocus()

    def _refresh_icon(self) -> None:
        self.setIcon(icon("sliders"))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icon()
