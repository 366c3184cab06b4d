"""The sentences of domain/user_texts.py, shown in the interface's language.

The client and the store hand them up as a template and its values (`UserText`); here the
template is translated and filled in with the same values. Anything else (a server's own
explanation, a system error text) is shown as it is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from longcat_desktop.domain.user_texts import CONTEXT, UserText
from longcat_desktop.services.i18n import translate

if TYPE_CHECKING:
    from longcat_desktop.domain.conversation import ErrorDetails
    from longcat_desktop.domain.errors import ApiError
    from longcat_desktop.store.errors import StoreError


def localized(text: UserText | str) -> str:
    """`text` in the interface's language when it is one of our sentences, else as it is."""
    if isinstance(text, UserText):
        # Declared with sentence() and collected from there (update_translations.py).
        template = text.template
        return translate(CONTEXT, template, *text.args)
    return text


def said(error: ApiError | ErrorDetails) -> UserText | str:
    """What an error says: our sentence, to be translated where shown, or the server's words."""
    return error.user_text or error.message


def store_error_text(error: StoreError) -> str:
    """A store failure's sentence in the interface's language."""
    return str(error) if error.user_text is None else localized(error.user_text)
