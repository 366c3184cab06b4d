"""Sentences for the user that the layers without Qt write: the client, the store, the settings.

A sentence travels as a `UserText`: its template and the values that fill it in. `str()` of it
is the English sentence, for logs, exceptions and the Python interface; the interface shows it
in its own language by translating the template (context "UserText") and filling in the same
values. Placeholders are Qt's: %1, %2, ... in the order they appear in the English text.

A template's key is the name of its constant below. Keys are stored with errors in the
database, so a stored error is shown in whatever language the interface has later: never rename
or reuse a key; a sentence that is no longer written stays, so that old rows still read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache

CONTEXT = "UserText"


def fill(template: str, *args: object) -> str:
    text = template
    # Highest first, so %1 does not eat the start of %10.
    for number in range(len(args), 0, -1):
        text = text.replace(f"%{number}", str(args[number - 1]))
    return text


@dataclass(frozen=True, slots=True)
class UserText:
    """A sentence for the user, kept as its template and values until it is shown."""

    template: str
    args: tuple[str, ...] = ()

    def __call__(self, *args: object) -> UserText:
        """This template filled in with `args`."""
        return UserText(self.template, tuple(str(arg) for arg in args))

    def __str__(self) -> str:
        return fill(self.template, *self.args)

    @property
    def key(self) -> str | None:
        """The name it is stored under; None for a template not declared here."""
        return _keys().get(self.template)


def sentence(template: str) -> UserText:
    """Declares a template (packaging/update_translations.py looks for it)."""
    return UserText(template)


def from_key(key: str, args: Sequence[str]) -> UserText | None:
    """A stored sentence back; None when a newer version wrote a key this one lacks."""
    template = TEMPLATES_BY_KEY.get(key)
    if template is None or len(args) != _placeholder_count(template):
        return None
    return UserText(template, tuple(str(arg) for arg in args))


def recognise(english: str) -> UserText | None:
    """The sentence that an older version stored as English text only, if it is one of ours.

    Only for data written before sentences were stored with their key; anything else (a
    server's explanation, a system error text) is None and shown as it is.
    """
    if not english:
        return None
    for template, pattern in _patterns():
        match = pattern.fullmatch(english)
        if match is not None:
            values: dict[str, str] = {}
            for name, value in match.groupdict().items():
                values.setdefault(name.split("_")[0], value)
            return UserText(template, tuple(values[f"p{n}"] for n in range(1, len(values) + 1)))
    return None


_PLACEHOLDER = re.compile(r"%(\d+)")


def _placeholder_count(template: str) -> int:
    return len(set(_PLACEHOLDER.findall(template)))


@cache
def _keys() -> dict[str, str]:
    return {template: key for key, template in TEMPLATES_BY_KEY.items()}


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each template with a pattern that takes its filled-in values back out."""
    found = []
    for template in LEGACY_TEMPLATES:
        parts = _PLACEHOLDER.split(template)
        pattern = ""
        # split() alternates literal text and placeholder numbers.
        for index, part in enumerate(parts):
            if index % 2 == 0:
                pattern += re.escape(part)
            else:
                # A placeholder used twice gets a group per use, named p1_1, p1_2, ...
                uses = parts[1:index:2].count(part)
                pattern += f"(?P<p{part}_{uses}>.+?)"
        found.append((template, re.compile(pattern, re.DOTALL)))
    return tuple(found)


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
ENDED_EARLY = sentence("The connection ended before the answer was complete.")
HTTP_UNEXPLAINED = sentence("The server returned HTTP %1 without an explanation.")
ERROR_TYPE_UNEXPLAINED = sentence("The server reported an error (%1) without an explanation.")
ERROR_UNEXPLAINED = sentence("The server reported an error without an explanation.")
NO_ANSWER_IN_REPLY = sentence("The server's reply contained no answer.")
PROXY_UNUSABLE = sentence("The proxy in the settings cannot be used: %1")
SETTINGS_UNUSABLE = sentence("The connection settings cannot be used: %1")
ANSWER_FAILED = sentence(
    "The answer failed because of an error in LongCat Desktop (%1). Details are in the log."
)

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

# -- sync ---------------------------------------------------------------------------------------

SYNC_NOT_SET_UP = sentence("Sync is not set up: enter the address of a WebDAV folder.")
SYNC_ADDRESS_INVALID = sentence("The sync address should start with https:// or http://.")
SYNC_NO_PASSPHRASE = sentence(
    "Sync needs the encryption passphrase (from the keyring or LONGCAT_SYNC_PASSPHRASE)."
)
SYNC_REFUSED_LOGIN = sentence(
    "The WebDAV server refused the user name or password (HTTP %1). Nothing was changed."
)
SYNC_WRONG_PASSPHRASE = sentence(
    "The encryption passphrase is not the one this sync folder was set up with. Nothing was "
    "changed on either side."
)
SYNC_NEWER_FORMAT = sentence(
    "The sync folder was written by a newer version of LongCat Desktop (format %1; this "
    "version understands %2). Nothing was changed. Please update LongCat Desktop."
)
SYNC_NOT_OURS = sentence(
    "The sync folder holds a file %1 that LongCat Desktop did not write. Nothing was changed."
)
SYNC_SERVER_FAILED = sentence(
    "The WebDAV server answered HTTP %1 to the request %2. Sync will try again."
)
SYNC_SERVER_FULL = sentence(
    "The WebDAV server has no space left (HTTP 507). Nothing here was lost; sync will try again."
)
SYNC_NOT_FOUND = sentence("The WebDAV folder %1 does not exist and could not be created.")
SYNC_CONNECT_FAILED = sentence("Could not reach the WebDAV server %1: %2")
SYNC_TIMED_OUT = sentence("The WebDAV server %1 did not answer in time. Sync will try again.")
SYNC_DAMAGED = sentence(
    "A sync file on the server (%1) is damaged or was altered; it was not imported."
)
SYNC_DATABASE_VERSION = sentence(
    "The running LongCat Desktop uses database format %1 and this command format %2: sync "
    "from the app, or close it first."
)
SYNC_ALREADY_RUNNING = sentence("A sync of this data folder is already running.")
SYNC_DONE = sentence(
    "Synced: %1 conversations and %2 messages received, %3 deletions applied, %4 change sets sent."
)
SYNC_DONE_WITH_LIBRARY = sentence(
    "Synced: %1 conversations and %2 messages received, %3 folders, assistants or prompts"
    " updated, %4 deletions applied, %5 change sets sent."
)

# -- the prompt library -------------------------------------------------------------------------

PROMPTS_NOT_EXPORT = sentence("The file is not a LongCat Desktop prompt library.")

TEMPLATES_BY_KEY: Mapping[str, str] = {
    name: value.template for name, value in dict(globals()).items() if isinstance(value, UserText)
}
TEMPLATES: tuple[str, ...] = tuple(TEMPLATES_BY_KEY.values())
# The sentences that versions before keys stored as English text only: the only ones that
# `recognise` looks for. Later sentences are always stored with their key.
LEGACY_TEMPLATES: tuple[str, ...] = tuple(
    TEMPLATES_BY_KEY[key]
    for key in (
        "KEY_UNUSABLE",
        "NO_ANSWER_WITHIN",
        "PROXY_REFUSED",
        "CONNECT_TIMED_OUT",
        "CONNECT_FAILED",
        "CLOSED_UNEXPECTEDLY",
        "NETWORK_TIMED_OUT",
        "NETWORK_FAILED",
        "REPLY_INCOMPLETE",
        "REPLY_NOT_JSON",
        "REPLY_NEITHER",
        "SENT_NOTHING_FOR",
        "STOPPED_SENDING_FOR",
        "CONNECTION_LOST",
        "HTTP_UNEXPLAINED",
        "ERROR_TYPE_UNEXPLAINED",
        "ERROR_UNEXPLAINED",
        "NO_ANSWER_IN_REPLY",
        "DATABASE_NEWER",
        "UPGRADE_FAILED",
        "UPGRADE_FAILED_BACKUP",
        "DATABASE_DAMAGED",
        "DATABASE_DAMAGED_DETAIL",
        "DISK_FULL",
        "DATABASE_READ_ONLY",
        "DATABASE_AT_READ_ONLY",
        "DATABASE_LOCKED",
        "DATABASE_AT_LOCKED",
        "DATABASE_IO_FAILED",
        "DATABASE_UNREADABLE",
        "DATABASE_NOT_MOVED",
        "FOLDER_NOT_CREATED",
        "FOLDER_NOT_WRITABLE",
        "ALREADY_RUNNING",
        "ALREADY_RUNNING_PID",
        "IMPORT_NOT_JSON",
        "IMPORT_NOT_EXPORT",
        "IMPORT_VERSION",
        "SETTINGS_NOT_SAVED",
        "SETTINGS_UNREADABLE",
        "SETTINGS_INVALID",
        "SETTINGS_INVALID_KEPT",
        "SETTINGS_EMPTY",
        "SETTING_FORBIDDEN",
        "SETTING_UNKNOWN",
    )
)
