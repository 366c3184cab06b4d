"""Sentences for the user that the layers without Qt write: the client, the store, the settings.

They write them in English, filled in with `fill`, so that logs, exceptions and the Python
interface read the same everywhere. The interface shows them in its own language: the services
recognise a filled-in sentence by its template and translate it (context "UserText"), which also
works for an error stored in English before the language was switched. Placeholders are Qt's:
%1, %2, ... in the order they appear in the English text.
"""

from __future__ import annotations

CONTEXT = "UserText"


def sentence(template: str) -> str:
    """Marks a template for translation (packaging/update_translations.py looks for it)."""
    return template


def fill(template: str, *args: object) -> str:
    text = template
    # Highest first, so %1 does not eat the start of %10.
    for number in range(len(args), 0, -1):
        text = text.replace(f"%{number}", str(args[number - 1]))
    return text


# -- the client ---------------------------------------------------------------------------------

KEY_UNUSABLE = sentence(
    "The API key is empty or contains characters that an API key cannot contain."
)
NO_ANSWER_WITHIN = sentence("The server did not answer within %1 seconds.")
PROXY_REFUSED = sentence("The proxy refused the connection: %1")
CONNECT_TIMED_OUT = sentence("Connecting to %1 timed out.")
CONNECT_FAILED = sentence("Could not connect to %1: %2")
CLOSED_UNEXPECTEDLY = sentence("The server closed the connection unexpectedly.")
NETWORK_TIMED_OUT = sentence("The network timed out.")
NETWORK_FAILED = sentence("The network failed: %1")
REPLY_INCOMPLETE = sentence("The server stopped answering before its reply was complete.")
REPLY_NOT_JSON = sentence("The server's reply was not valid JSON.")
REPLY_NEITHER = sentence("The server's reply was neither an event stream nor valid JSON.")
SENT_NOTHING_FOR = sentence("The server sent nothing for %1 seconds.")
STOPPED_SENDING_FOR = sentence("The server stopped sending for %1 seconds.")
CONNECTION_LOST = sentence("The connection was lost before the answer was complete.")
HTTP_UNEXPLAINED = sentence("The server returned HTTP %1 without an explanation.")
ERROR_TYPE_UNEXPLAINED = sentence("The server reported an error (%1) without an explanation.")
ERROR_UNEXPLAINED = sentence("The server reported an error without an explanation.")
NO_ANSWER_IN_REPLY = sentence("The server's reply contained no answer.")

# -- the store ----------------------------------------------------------------------------------

DATABASE_NEWER = sentence(
    "The conversation database %1 was written by a newer version of LongCat Desktop "
    "(format %2; this version understands up to %3). It has not been changed. Please update "
    "LongCat Desktop to open it."
)
UPGRADE_FAILED = sentence(
    "The conversation database %1 could not be upgraded (%2). It was left as it was."
)
UPGRADE_FAILED_BACKUP = sentence(
    "The conversation database %1 could not be upgraded (%2). It was left as it was. A copy "
    "made before the upgrade is at %3."
)
DATABASE_DAMAGED = sentence("The conversation database is damaged.")
DATABASE_DAMAGED_DETAIL = sentence("The conversation database is damaged (%1).")
DISK_FULL = sentence(
    "The disk is full: the latest changes could not be saved. Free some space; nothing saved "
    "earlier has been lost."
)
DATABASE_READ_ONLY = sentence(
    "The conversation database cannot be written. Check that the data folder exists and that "
    "you may write to it (%1)."
)
DATABASE_AT_READ_ONLY = sentence(
    "The conversation database %1 cannot be written. Check that the data folder exists and "
    "that you may write to it (%2)."
)
DATABASE_LOCKED = sentence("The conversation database is locked by another program (%1).")
DATABASE_AT_LOCKED = sentence("The conversation database %1 is locked by another program (%2).")
DATABASE_IO_FAILED = sentence("Reading or writing the conversation database failed (%1).")
DATABASE_UNREADABLE = sentence("The conversation database %1 cannot be read (%2).")
DATABASE_NOT_MOVED = sentence(
    "The conversation database %1 is damaged and could not be moved aside (%2)."
)
FOLDER_NOT_CREATED = sentence("The data folder %1 cannot be created (%2).")
FOLDER_NOT_WRITABLE = sentence("The data folder %1 cannot be written (%2).")
ALREADY_RUNNING = sentence("LongCat Desktop is already running with the data folder %1.")
ALREADY_RUNNING_PID = sentence(
    "LongCat Desktop is already running (process %1) with the data folder %2."
)
IMPORT_NOT_JSON = sentence("The file is not valid JSON (%1).")
IMPORT_NOT_EXPORT = sentence("The file is not a LongCat Desktop conversation export.")
IMPORT_VERSION = sentence(
    "The export has format version %1; this version of LongCat Desktop reads version %2."
)
IMPORT_TOO_DEEP = sentence("The file is not a conversation export: its JSON is nested too deeply.")
IMPORT_TOO_LARGE = sentence(
    "The file is too large to import (%1 MB; at most %2 MB can be imported at once)."
)
IMPORT_UNKNOWN = sentence(
    "The file is not a conversation export of LongCat Desktop, ChatGPT or Claude."
)
IMPORT_NO_CONVERSATIONS_JSON = sentence("The archive holds no conversations.json.")
IMPORT_ARCHIVE_DAMAGED = sentence("The archive cannot be read (%1).")
IMPORT_FILE_UNREADABLE = sentence("%1 could not be read (%2).")
IMPORT_SUMMARY = sentence(
    "Imported %1 of %2 conversations from %3: %4 already here, %5 skipped as malformed."
)
IMPORT_CANCELLED = sentence(
    "Import cancelled: %1 of %2 conversations imported, %3 already here, %4 skipped as malformed."
)
IMPORT_SKIPPED = sentence("Skipped “%1”: %2")

# -- the settings file --------------------------------------------------------------------------

SETTINGS_NOT_SAVED = sentence("The settings could not be saved to %1 (%2).")
SETTINGS_UNREADABLE = sentence("The settings file %1 cannot be read (%2).")
SETTINGS_INVALID = sentence("The settings file %1 could not be read (%2); defaults are used.")
SETTINGS_INVALID_KEPT = sentence(
    "The settings file %1 could not be read (%2); defaults are used. It was kept as %3."
)
SETTINGS_EMPTY = sentence("The settings file has no values; defaults are used.")
SETTING_FORBIDDEN = sentence("The setting %1 is not allowed and was dropped.")
SETTING_UNKNOWN = sentence("Unknown setting %1 ignored.")

TEMPLATES: tuple[str, ...] = tuple(
    value for name, value in dict(globals()).items() if name.isupper() and name != "CONTEXT"
)
