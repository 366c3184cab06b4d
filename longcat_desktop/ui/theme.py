"""Light and dark themes: Fusion + a palette + a small stylesheet, following the system scheme."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# Style sheets can only draw sub-control arrows from files; these are pre-coloured per theme.
_ARROW_DIR = Path(__file__).resolve().parent / "icons" / "qss"
THEME_MODES = ("system", "light", "dark")
DEFAULT_FONT_SIZE = 10
MIN_FONT_SIZE = 8
MAX_FONT_SIZE = 20


@dataclass(frozen=True, slots=True)
class Theme:
    """The colours of the current theme as '#rrggbb' strings, so non-widget code can use them."""

    name: str
    window: str
    surface: str
    sidebar: str
    text: str
    muted: str
    border: str
    accent: str
    accent_text: str
    hover: str
    selection: str
    user_bubble: str
    code_background: str
    code_border: str
    link: str
    icon: str
    error: str
    warning: str
    success: str
    match_highlight: str
    font_size: int = DEFAULT_FONT_SIZE

    @property
    def is_dark(self) -> bool:
        return self.name == "dark"


LIGHT = Theme(
    name="light",
    window="#ffffff",
    surface="#ffffff",
    sidebar="#f4f4f6",
    text="#1d1f23",
    muted="#6b6f78",
    border="#dfe1e6",
    accent="#4a57d4",
    accent_text="#ffffff",
    hover="#ebecf0",
    selection="#e1e4fb",
    user_bubble="#eef0fb",
    code_background="#f5f6f8",
    code_border="#e3e5ea",
    link="#3a49c9",
    icon="#50545c",
    error="#c4322b",
    warning="#a86400",
    success="#2c7a3f",
    match_highlight="#ffe7a3",
)

DARK = Theme(
    name="dark",
    window="#1b1c1f",
    surface="#242529",
    sidebar="#212226",
    text="#e7e8ea",
    muted="#9a9ea7",
    border="#34363c",
    accent="#7c86ff",
    accent_text="#11121a",
    hover="#2e3035",
    selection="#343a66",
    user_bubble="#2a2d3f",
    code_background="#25272c",
    code_border="#35383f",
    link="#9aa3ff",
    icon="#c2c5cc",
    error="#ff7b72",
    warning="#e3a43c",
    success="#6cc583",
    match_highlight="#6b5514",
)


@cache
def _theme(dark: bool, font_size: int) -> Theme:
    return replace(DARK if dark else LIGHT, font_size=font_size)


def _clamped(font_size: int) -> int:
    return max(MIN_FONT_SIZE, min(MAX_FONT_SIZE, font_size))


def current_theme() -> Theme:
    """The theme in force, read back from the palette and font `apply_theme` gave the
    application (Qt holds them anyway, so there is no second copy to keep in step); the light
    theme before any is applied."""
    if QGuiApplication.instance() is None:
        return LIGHT
    window = QGuiApplication.palette().color(QPalette.ColorRole.Window).name()
    if window not in (LIGHT.window, DARK.window):
        return LIGHT
    return _theme(window == DARK.window, _clamped(QGuiApplication.font().pointSize()))


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def resolve_mode(mode: str) -> str:
    """'system' becomes 'light' or 'dark' from the platform; unknown values count as 'system'."""
    if mode in ("light", "dark"):
        return mode
    return "dark" if system_is_dark() else "light"


def _palette(t: Theme) -> QPalette:
    pal = QPalette()
    c = QColor
    roles = {
        QPalette.ColorRole.Window: t.window,
        QPalette.ColorRole.WindowText: t.text,
        QPalette.ColorRole.Base: t.surface,
        QPalette.ColorRole.AlternateBase: t.sidebar,
        QPalette.ColorRole.Text: t.text,
        QPalette.ColorRole.Button: t.surface,
        QPalette.ColorRole.ButtonText: t.text,
        QPalette.ColorRole.BrightText: t.error,
        QPalette.ColorRole.Highlight: t.accent,
        QPalette.ColorRole.HighlightedText: t.accent_text,
        QPalette.ColorRole.Link: t.link,
        QPalette.ColorRole.LinkVisited: t.link,
        QPalette.ColorRole.PlaceholderText: t.muted,
        QPalette.ColorRole.ToolTipBase: t.surface,
        QPalette.ColorRole.ToolTipText: t.text,
        QPalette.ColorRole.Light: t.window,
        QPalette.ColorRole.Midlight: t.hover,
        QPalette.ColorRole.Mid: t.border,
        QPalette.ColorRole.Dark: t.border,
        QPalette.ColorRole.Shadow: "#000000",
        QPalette.ColorRole.Accent: t.accent,
    }
    for role, value in roles.items():
        pal.setColor(role, c(value))
    disabled = QPalette.ColorGroup.Disabled
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(disabled, role, c(t.muted))
    pal.setColor(disabled, QPalette.ColorRole.Base, c(t.sidebar))
    pal.setColor(disabled, QPalette.ColorRole.Button, c(t.sidebar))
    return pal


def stylesheet(t: Theme) -> str:
    """A modest sheet: shapes and spacing only where the palette cannot express them.

    Widgets opt in to roles with object names or the `role` property rather than
    per-widget sheets, so a theme switch restyles everything in one place.
    """
    small = max(MIN_FONT_SIZE - 1, t.font_size - 1)
    arrows = _ARROW_DIR.as_posix()
    return f"""
QLineEdit, QTextEdit, QPlainTextEdit, QSpinBox, QDoubleSpinBox {{
    background: {t.surface}; color: {t.text};
    border: 1px solid {t.border}; border-radius: 8px; padding: 5px 8px;
    selection-background-color: {t.selection}; selection-color: {t.text};
}}
QLineEdit:focus, QTextEdit:focus, QPlainTextEdit:focus, QSpinBox:focus, QDoubleSpinBox:focus {{
    border-color: {t.accent};
}}
QLineEdit:disabled, QTextEdit:disabled, QPlainTextEdit:disabled {{
    background: {t.sidebar}; color: {t.muted};
}}
QComboBox {{
    background: {t.surface}; color: {t.text};
    border: 1px solid {t.border}; border-radius: 8px; padding: 5px 8px;
}}
QComboBox:focus, QComboBox:on {{ border-color: {t.accent}; }}
QComboBox::drop-down {{
    subcontrol-origin: padding; subcontrol-position: center right; border: none; width: 20px;
}}
QComboBox::down-arrow {{
    image: url({arrows}/chevron-down-{t.name}.svg); width: 12px; height: 12px;
}}
/* One pixel less above and below than a line edit: the same height as a combo box. */
QSpinBox, QDoubleSpinBox {{ padding: 4px 22px 4px 8px; }}
QSpinBox::up-button, QDoubleSpinBox::up-button {{
    subcontrol-origin: border; subcontrol-position: top right; width: 22px; border: none;
    background: transparent; margin-top: 2px;
}}
QSpinBox::down-button, QDoubleSpinBox::down-button {{
    subcontrol-origin: border; subcontrol-position: bottom right; width: 22px; border: none;
    background: transparent; margin-bottom: 2px;
}}
QSpinBox::up-arrow, QDoubleSpinBox::up-arrow {{
    image: url({arrows}/chevron-up-{t.name}.svg); width: 10px; height: 10px;
}}
QSpinBox::down-arrow, QDoubleSpinBox::down-arrow {{
    image: url({arrows}/chevron-down-{t.name}.svg); width: 10px; height: 10px;
}}
QComboBox QAbstractItemView {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 6px;
    selection-background-color: {t.selection}; selection-color: {t.text}; padding: 4px;
}}
QPushButton {{
    background: {t.surface}; color: {t.text};
    border: 1px solid {t.border}; border-radius: 8px; padding: 6px 16px; min-height: 20px;
}}
QPushButton:hover {{ background: {t.hover}; }}
QPushButton:pressed {{ background: {t.border}; }}
QPushButton:focus {{ border-color: {t.accent}; }}
QPushButton:disabled {{ color: {t.muted}; background: {t.sidebar}; }}
QPushButton[role="primary"] {{
    background: {t.accent}; color: {t.accent_text}; border-color: {t.accent};
}}
QPushButton[role="primary"]:hover {{ background: {t.link}; border-color: {t.link}; }}
QPushButton[role="primary"]:disabled {{
    background: {t.border}; color: {t.muted}; border-color: {t.border};
}}
QPushButton[role="link"] {{
    background: transparent; border: none; color: {t.link}; padding: 2px 4px;
}}
QPushButton[role="link"]:hover {{ text-decoration: underline; }}
QToolButton {{
    background: transparent; border: 1px solid transparent; border-radius: 6px; padding: 4px;
}}
QToolButton:hover {{ background: {t.hover}; }}
QToolButton:pressed, QToolButton:checked {{ background: {t.border}; }}
QToolButton:focus {{ border-color: {t.accent}; }}
QToolButton[role="pill"] {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 16px;
    padding: 6px 14px;
}}
QToolButton[role="pill"]:hover {{ background: {t.hover}; }}
QCheckBox, QRadioButton {{ spacing: 8px; }}
QRadioButton::indicator, QCheckBox::indicator {{
    width: 14px; height: 14px; border: 1px solid {t.muted}; background: {t.surface};
}}
QRadioButton::indicator {{ border-radius: 8px; }}
QCheckBox::indicator {{ border-radius: 4px; }}
QRadioButton::indicator:checked {{
    width: 6px; height: 6px; border: 5px solid {t.accent}; background: {t.accent_text};
}}
QCheckBox::indicator:checked {{
    border-color: {t.accent}; background: {t.accent};
    image: url({arrows}/check-{t.name}.svg);
}}
QRadioButton::indicator:disabled, QCheckBox::indicator:disabled {{ border-color: {t.border}; }}
QFrame#sidebar, QWidget#sidebar {{ background: {t.sidebar}; border-right: 1px solid {t.border}; }}
QListView {{ background: transparent; border: none; outline: none; }}
QListWidget#settingsNav {{
    background: {t.sidebar}; border: none; border-right: 1px solid {t.border}; padding: 8px;
}}
QListWidget#settingsNav::item {{ padding: 8px 12px; border-radius: 6px; color: {t.text}; }}
QListWidget#settingsNav::item:selected {{ background: {t.selection}; color: {t.text}; }}
QListWidget#settingsNav::item:hover:!selected {{ background: {t.hover}; }}
QFrame#promptPopup {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px;
}}
QListWidget[role="choices"] {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px; padding: 4px;
}}
QListWidget[role="picker"]::item, QListWidget[role="choices"]::item {{
    padding: 6px 10px; border-radius: 6px; color: {t.text};
}}
QListWidget[role="picker"]::item:selected, QListWidget[role="choices"]::item:selected {{
    background: {t.selection}; color: {t.text};
}}
QListWidget[role="picker"]::item:hover:!selected,
QListWidget[role="choices"]::item:hover:!selected {{ background: {t.hover}; }}
QLabel[role="muted"] {{ color: {t.muted}; }}
QLabel[role="small"] {{ color: {t.muted}; font-size: {small}pt; }}
QLabel[role="error"] {{ color: {t.error}; }}
QLabel[role="warning"] {{ color: {t.warning}; }}
QLabel[role="success"] {{ color: {t.success}; }}
QLabel[role="title"] {{ font-size: {t.font_size + 6}pt; font-weight: 600; }}
QLabel[role="heading"] {{ font-size: {t.font_size + 2}pt; font-weight: 600; }}
QToolTip {{
    background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; padding: 4px 6px;
}}
QMenu {{
    background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; padding: 4px;
}}
QMenu::item {{ padding: 6px 24px 6px 12px; border-radius: 4px; }}
QMenu::item:selected {{ background: {t.selection}; }}
QMenu::separator {{ height: 1px; background: {t.border}; margin: 4px 8px; }}
QFrame#userBubble {{ background: {t.user_bubble}; border-radius: 14px; }}
QFrame#reasoningBody {{ border: none; border-left: 2px solid {t.border}; }}
QFrame#statusLine {{
    background: {_mix(t.window, t.muted, 0.06)}; border: 1px solid {t.border}; border-radius: 8px;
}}
QFrame#statusLine[kind="error"] {{
    background: {_mix(t.window, t.error, 0.08)}; border-color: {_mix(t.window, t.error, 0.35)};
}}
QFrame#statusLine[kind="warning"] {{
    background: {_mix(t.window, t.warning, 0.08)};
    border-color: {_mix(t.window, t.warning, 0.35)};
}}
QFrame#modelNotice {{
    background: {_mix(t.window, t.warning, 0.08)};
    border: 1px solid {_mix(t.window, t.warning, 0.35)}; border-radius: 10px;
}}
QFrame#message[highlighted="true"] {{
    background: {_mix(t.window, t.accent, 0.12)}; border-radius: 12px;
}}
QToolButton#reasoningToggle {{ color: {t.muted}; padding: 2px 6px; }}
QToolButton#reasoningToggle:checked {{ background: transparent; }}
QToolButton#reasoningToggle:hover {{ background: {t.hover}; }}
QToolButton#jumpToLatest {{
    background: {t.surface}; color: {t.text}; border: 1px solid {t.border}; border-radius: 16px;
    padding: 6px 14px;
}}
QToolButton#jumpToLatest:hover {{ background: {t.hover}; }}
QFrame#paramsPopup, QFrame#welcomeCard {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 12px;
}}
QFrame#welcomeCard {{ border-radius: 16px; }}
QFrame#topBar {{ border: none; border-bottom: 1px solid {t.border}; }}
QLabel#conversationTitle {{ font-weight: 600; }}
QLabel[role="badge"] {{
    color: {t.muted}; background: {_mix(t.window, t.muted, 0.12)}; border: none;
    border-radius: 9px; padding: 2px 8px; font-size: {small}pt;
}}
QStatusBar {{ background: {t.sidebar}; border-top: 1px solid {t.border}; color: {t.muted}; }}
QStatusBar::item {{ border: none; }}
QFrame#composerFrame {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 14px;
}}
QFrame#composerFrame[focused="true"] {{ border-color: {t.accent}; }}
QFrame#composerFrame[disabledReason="true"] {{ background: {t.sidebar}; }}
QToolButton#sendButton {{ background: {t.accent}; border: none; border-radius: 17px; }}
QToolButton#sendButton:hover {{ background: {t.link}; }}
QToolButton#sendButton:disabled {{ background: {t.border}; }}
QScrollArea#attachmentStrip, QWidget#attachmentStripInner {{ background: transparent; }}
QFrame#attachmentChip {{
    background: {_mix(t.surface, t.muted, 0.08)}; border: 1px solid {t.border};
    border-radius: 10px;
}}
QFrame#attachmentChip:hover {{ border-color: {t.accent}; }}
QLabel#attachmentName {{ font-size: {small}pt; }}
QFrame#attachmentChip QLabel[role="muted"] {{ font-size: {small}pt; }}
QToolButton#imageThumb {{
    background: {t.surface}; border: 1px solid {t.border}; border-radius: 8px; padding: 1px;
}}
QToolButton#imageThumb:hover {{ border-color: {t.accent}; }}
QLabel#composerNotice {{ color: {t.warning}; font-size: {small}pt; }}
QLabel#contextMeter {{ font-size: {small}pt; }}
QLabel#contextMeter[over="true"] {{ color: {t.error}; font-weight: 600; }}
QPushButton#switchModelButton {{ font-size: {small}pt; padding: 2px 10px; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar::handle:vertical {{ background: {t.border}; border-radius: 3px; min-height: 32px; }}
QScrollBar::handle:vertical:hover {{ background: {t.muted}; }}
QScrollBar::add-line:vertical, QScrollBar::sub-line:vertical {{ height: 0; }}
QScrollBar::add-page:vertical, QScrollBar::sub-page:vertical {{ background: transparent; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
QScrollBar::handle:horizontal {{ background: {t.border}; border-radius: 3px; min-width: 32px; }}
QScrollBar::add-line:horizontal, QScrollBar::sub-line:horizontal {{ width: 0; }}
"""


def _mix(base: str, other: str, amount: float) -> str:
    """`other` laid over `base` at `amount` opacity, as an opaque colour."""
    a, b = QColor(base), QColor(other)
    mixed = QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )
    return mixed.name()


# Our look is drawn on Fusion on every platform. The app starts Qt with it on the command line
# and marks the application with STYLE_CHOSEN, so the theme need not ask Qt which style is in
# use: PySide builds QStyle's many enum types on its first use from Python, ~17 ms that would
# otherwise come before the window's first frame.
STYLE = "fusion"
STYLE_CHOSEN = "longcatStyleChosen"


def apply_theme(app: QApplication, mode: str, font_size: int = DEFAULT_FONT_SIZE) -> Theme:
    """Restyle the whole application; returns the colours now in force."""
    theme = _theme(resolve_mode(mode) == "dark", _clamped(font_size))
    size = theme.font_size
    # Each of these repolishes every widget, so skip the ones that would change nothing.
    if not app.property(STYLE_CHOSEN):
        if app.style().name().lower() != STYLE:
            app.setStyle(STYLE)
        app.setProperty(STYLE_CHOSEN, True)
    font = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
    font.setPointSize(size)
    if app.font() != font:
        app.setFont(font)
    palette = _palette(theme)
    if app.palette() != palette:
        app.setPalette(palette)
    sheet = stylesheet(theme)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)
    return theme


class ThemeController(QObject):
    """Keeps the applied theme in step with the setting and, for 'system', with the platform."""

    themeChanged = Signal(object)  # Theme

    def __init__(self, app: QApplication, mode: str = "system", font_size: int = 10) -> None:
        super().__init__(app)
        self._app = app
        self._mode = mode
        self._font_size = font_size
        self._theme = apply_theme(app, mode, font_size)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def mode(self) -> str:
        return self._mode

    def set_mode(self, mode: str, font_size: int | None = None) -> Theme:
        self._mode = mode
        if font_size is not None:
            self._font_size = font_size
        return self._reapply()

    def set_font_size(self, font_size: int) -> Theme:
        self._font_size = font_size
        return self._reapply()

    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._mode not in ("light", "dark"):
            self._reapply()

    def _reapply(self) -> Theme:
        self._theme = apply_theme(self._app, self._mode, self._font_size)
        self.themeChanged.emit(self._theme)
        return self._theme
