"""Which language the interface speaks, and the Qt translators that make it speak it.

The app ships English (the source language, no translator needed) and Simplified Chinese. The
`language` setting is "system" (follow the desktop), "en" or "zh_CN"; `resolve_language` turns it
into one of the shipped languages and `Translations.apply` installs the matching translators:
ours (`translations/longcat_desktop_zh_CN.qm`, package data) and Qt's own `qtbase_zh_CN.qm` for
the standard dialog buttons, when PySide6 has it. Widgets translate their text once, when they
are built; session.py rebuilds the main window after a switch (see `AppSession.switch_language`).

Standard library and QtCore only, so the composition root can use it before any window exists.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

ENGLISH = "en"
CHINESE_SIMPLIFIED = "zh_CN"
LANGUAGES = (ENGLISH, CHINESE_SIMPLIFIED)
SYSTEM = "system"

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
CATALOGUE_PREFIX = "longcat_desktop_"

log = logging.getLogger(__name__)

# The locale (dates, numbers) that goes with each language when the system's does not.
_LOCALES = {
    ENGLISH: (QLocale.Language.English, QLocale.Country.UnitedStates),
    CHINESE_SIMPLIFIED: (QLocale.Language.Chinese, QLocale.Country.China),
}
_QT_LANGUAGES = {ENGLISH: QLocale.Language.English, CHINESE_SIMPLIFIED: QLocale.Language.Chinese}


def resolve_language(setting: str, system: QLocale | None = None) -> str:
    """The shipped language for a `language` setting: itself, or the system's best match.

    For "system" the desktop's preferred UI languages are tried in order (so `LANGUAGE=de:zh_CN`
    gives Chinese, since German is not shipped); any Chinese gives Simplified Chinese, the only
    Chinese we have; nothing shipped gives English.
    """
    if setting in LANGUAGES:
        return setting
    locale = system if system is not None else QLocale.system()
    for name in locale.uiLanguages():
        code = name.replace("_", "-").split("-", 1)[0].lower()
        if code == "zh":
            return CHINESE_SIMPLIFIED
        if code == "en":
            return ENGLISH
    return ENGLISH


def catalogue_path(language: str) -> Path:
    return TRANSLATIONS_DIR / f"{CATALOGUE_PREFIX}{language}.qm"


def qt_catalogue_path(language: str) -> Path | None:
    """Qt's own translation of its standard texts (OK, Cancel, ...), when installed."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    path = Path(folder) / f"qtbase_{language}.qm" if folder else None
    return path if path is not None and path.is_file() else None


def locale_for(language: str, system: QLocale | None = None) -> QLocale:
    """The system's locale when it already speaks `language`, else that language's main one."""
    system = system if system is not None else QLocale.system()
    if system.language() == _QT_LANGUAGES[language]:
        return system
    qt_language, country = _LOCALES[language]
    return QLocale(qt_language, country)


class Translations:
    """The translators installed on the application, for one language at a time."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self._original_locale = QLocale()
        self.language = ENGLISH

    @property
    def installed_files(self) -> list[str]:
        return [translator.filePath() for translator in self._installed]

    def apply(self, language: str) -> bool:
        """Speak `language` from now on; False when that is already the case (nothing done).

        A catalogue that cannot be loaded is logged and the app stays in English rather than
        showing a half-translated interface.
        """
        if language not in LANGUAGES:
            raise ValueError(f"not a shipped language: {language!r}")
        if language == self.language:
            return False
        self._remove_translators()
        if language != ENGLISH:
            ours = QTranslator(self._app)
            if not ours.load(str(catalogue_path(language))):
                log.error("The %s translation could not be loaded; staying in English.", language)
                ours.deleteLater()
                language = ENGLISH
            else:
                self._install(ours)
                qt_path = qt_catalogue_path(language)
                qt_own = QTranslator(self._app)
                if qt_path is not None and qt_own.load(str(qt_path)):
                    self._install(qt_own)
                else:
                    qt_own.deleteLater()
        QLocale.setDefault(locale_for(language))
        changed = language != self.language
        self.language = language
        return changed

    def close(self) -> None:
        """Back to English and the locale from before: nothing of ours stays installed."""
        self._remove_translators()
        QLocale.setDefault(self._original_locale)
        self.language = ENGLISH

    def _install(self, translator: QTranslator) -> None:
        self._app.installTranslator(translator)
        self._installed.append(translator)

    def _remove_translators(self) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
            translator.deleteLater()
        self._installed.clear()
