"""At start, answers saved to recovery files at the last quit go back into their conversations."""

from __future__ import annotations

from longcat_desktop.services.i18n import translate
from longcat_desktop.services.user_text import store_error_text
from longcat_desktop.store.store import Store


def _tr(text: str, *args: object) -> str:
    return translate("AnswerRecovery", text, *args)


def recover_answers(store: Store) -> tuple[list[str], set[int]]:
    """Apply the recovery files; the notices for the user, and the ids of answers put back."""
    report = store.recovery.apply(store.db)
    notices: list[str] = []
    if report.applied:
        notices.append(
            _tr(
                "%1 answer(s) could not be saved when the app last closed and were kept aside. "
                "They are back in their conversations.",
                len(report.applied),
            )
        )
    if report.kept:
        notices.append(
            _tr(
                "%1 answer(s) kept aside when the app last closed belong to conversations that "
                "no longer exist. Their text is in %2.",
                len(report.kept),
                report.folder,
            )
        )
    if report.unreadable:
        notices.append(
            _tr(
                "%1 file(s) in %2 could not be read; they were left there.",
                len(report.unreadable),
                report.folder,
            )
        )
    if report.waiting:
        notices.append(
            _tr(
                "%1 answer(s) kept aside when the app last closed still cannot be saved (%2). "
                "They stay in %3 and are tried again at the next start.",
                len(report.waiting),
                store_error_text(report.failure) if report.failure else "",
                report.folder,
            )
        )
    return notices, {answer.message_id for answer in report.applied}
