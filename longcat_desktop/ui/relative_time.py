"""Compact relative times for list rows: 'now', '5 min', '3 h', 'Yesterday', 'Mon', '12 Mar'."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDate, QLocale


def _tr(text: str) -> str:
    return QCoreApplication.translate("RelativeTime", text)


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """`moment` may be naive (taken as local time) or aware."""
    if moment.tzinfo is None:
        moment = moment.astimezone()
    current = now or datetime.now(UTC)
    if current.tzinfo is None:
        current = current.astimezone()
    local = moment.astimezone(current.tzinfo)
    seconds = (current - moment).total_seconds()
    if seconds < 60:
        return _tr("now")
    if seconds < 3600:
        return _tr("{n} min").format(n=int(seconds // 60))
    days = (current.date() - local.date()).days
    if days == 0:
        return _tr("{n} h").format(n=int(seconds // 3600))
    if days == 1:
        return _tr("Yesterday")
    locale = QLocale()
    date = QDate(local.year, local.month, local.day)
    if days < 7:
        return locale.dayName(date.dayOfWeek(), QLocale.FormatType.ShortFormat)
    if local.year == current.year:
        return locale.toString(date, "d MMM")
    return locale.toString(date, "d MMM yyyy")
