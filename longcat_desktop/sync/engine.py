"""One sync: check the server folder and the passphrase, merge what other devices uploaded
since the last time, upload what changed here.

Server folder layout (README, "Sync"):
    longcat-sync.json                 plain: {"format", "version", "store"}; nothing secret
    keycheck.json                     plain scrypt salt and parameters, and a sealed known text
    changes/<device>/<sequence>.bin   sealed change sets, each device only ever adds its own
    blobs/<name>.bin                  sealed attachment contents, one per content (sync/blobs.py)
    tmp/                              uploads in progress, moved into place when complete

A device's sequence numbers only grow; this folder remembers, per device, the last set merged,
so a sync downloads only what is new, and the sets it could not read (damaged, or naming an
attachment it could not get), which it tries again at every sync without holding up later
ones. A set is merged and recorded in one transaction, so an interruption at any point leaves
either all or none of it here. The contents a set refers to
are uploaded before the set, and downloaded (those not here yet) before it is merged.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.user_texts import UserText
from longcat_desktop.store.sync_changes import ApplyStats, BlobContent, SyncLedger
from longcat_desktop.sync import blobs
from longcat_desktop.sync.crypto import DEFAULT_N, KeyParameters, OpenError, SyncKey
from longcat_desktop.sync.webdav import TEMPORARY_FOLDER, SyncError, WebDav

FORMAT_NAME = "longcat-sync.json"
KEY_CHECK_NAME = "keycheck.json"
CHANGES = "changes/"
FORMAT_ID = "longcat-desktop-sync"
FORMAT_VERSION = 1
_SUFFIX = ".bin"
# A name taken under us (another copy of this folder syncing at the same moment): try the next.
_MAX_NAME_ATTEMPTS = 20


class SyncCancelled(Exception):
    pass


@dataclass
class SyncResult:
    received: ApplyStats = field(default_factory=ApplyStats)
    sent_sets: int = 0
    sent_blobs: int = 0
    received_blobs: int = 0
    requests: int = 0
    # Change sets that failed to open, and attachment contents missing, damaged or not what
    # their set named (the set then waits): reported, not imported, tried again next time.
    damaged: list[str] = field(default_factory=list)

    @property
    def changed_here(self) -> bool:
        r = self.received
        return bool(r.conversations or r.messages or r.deleted or r.library)

    def summary(self) -> UserText:
        if self.damaged:
            return texts.SYNC_DAMAGED(", ".join(self.damaged))
        r = self.received
        if r.library:
            return texts.SYNC_DONE_WITH_LIBRARY(
                r.conversations, r.messages, r.library, r.deleted, self.sent_sets
            )
        return texts.SYNC_DONE(r.conversations, r.messages, r.deleted, self.sent_sets)


class KeyCache:
    """The last key derived, so that syncs after the first skip scrypt."""

    def __init__(self) -> None:
        self._entry: tuple[bytes, str, SyncKey] | None = None

    def key(self, check_file: bytes, passphrase: str) -> SyncKey | None:
        if self._entry is not None and self._entry[:2] == (check_file, passphrase):
            return self._entry[2]
        return None

    def keep(self, check_file: bytes, passphrase: str, key: SyncKey) -> None:
        self._entry = (check_file, passphrase, key)


class SyncEngine:
    def __init__(
        self,
        ledger: SyncLedger,
        dav: WebDav,
        passphrase: str,
        *,
        keys: KeyCache | None = None,
        new_key_n: int = DEFAULT_N,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> None:
        if not passphrase:
            raise SyncError(texts.SYNC_NO_PASSPHRASE)
        self._ledger = ledger
        self._dav = dav
        self._passphrase = passphrase
        self._keys = keys or KeyCache()
        self._new_key_n = new_key_n
        self._cancelled = cancelled

    def _check_cancel(self) -> None:
        if self._cancelled():
            raise SyncCancelled

    def run(self) -> SyncResult:
        result = SyncResult()
        start = self._dav.requests
        try:
            key, store_id = self._open_folder()
            self._ledger.bind(store_id)
            device = self._ledger.device_id()
            own_last = self._download(key, device, result)
            self._upload(key, device, own_last, result)
        finally:
            result.requests = self._dav.requests - start
        return result

    # -- the folder and the key ---------------------------------------------------------------

    def _open_folder(self) -> tuple[SyncKey, str]:
        raw = self._dav.get(FORMAT_NAME)
        if raw is None:
            self._create_folder()
            raw = self._dav.get(FORMAT_NAME)
            if raw is None:
                raise SyncError(texts.SYNC_NOT_FOUND(self._dav.url))
        store_id = self._read_format(raw)
        check_file = self._dav.get(KEY_CHECK_NAME)
        if check_file is None:
            raise SyncError(texts.SYNC_NOT_OURS(KEY_CHECK_NAME))
        return self._key(check_file), store_id

    @staticmethod
    def _read_format(raw: bytes) -> str:
        try:
            document = json.loads(raw)
            if not isinstance(document, dict) or document.get("format") != FORMAT_ID:
                raise ValueError
            version = document["version"]
            store_id = document["store"]
            if not isinstance(version, int) or not isinstance(store_id, str):
                raise ValueError
        except (ValueError, KeyError):
            raise SyncError(texts.SYNC_NOT_OURS(FORMAT_NAME)) from None
        if version > FORMAT_VERSION:
            raise SyncError(texts.SYNC_NEWER_FORMAT(version, FORMAT_VERSION))
        return store_id

    def _key(self, check_file: bytes) -> SyncKey:
        cached = self._keys.key(check_file, self._passphrase)
        if cached is not None:
            return cached
        try:
            document = json.loads(check_file)
            parameters = KeyParameters.from_json(document["kdf"])
            check = base64.b64decode(document["check"], validate=True)
        except (ValueError, KeyError, TypeError):
            raise SyncError(texts.SYNC_NOT_OURS(KEY_CHECK_NAME)) from None
        key = SyncKey.derive(self._passphrase, parameters)
        if not key.verify(check):
            raise SyncError(texts.SYNC_WRONG_PASSPHRASE)
        self._keys.keep(check_file, self._passphrase, key)
        return key

    def _create_folder(self) -> None:
        """Set up an empty folder. Two devices doing it at once agree on whoever came first."""
        if self._dav.list("") is None:
            self._dav.make_folder("")
        self._dav.make_folder(TEMPORARY_FOLDER)
        self._dav.make_folder(CHANGES)
        self._dav.make_folder(blobs.BLOBS)
        parameters = KeyParameters.new(self._new_key_n)
        key = SyncKey.derive(self._passphrase, parameters)
        check_document = {
            "kdf": parameters.as_json(),
            "check": base64.b64encode(key.key_check()).decode("ascii"),
        }
        self._dav.create(KEY_CHECK_NAME, json.dumps(check_document).encode("utf-8"))
        format_document = {
            "format": FORMAT_ID,
            "version": FORMAT_VERSION,
            "store": uuid.uuid4().hex,
        }
        self._dav.create(FORMAT_NAME, json.dumps(format_document).encode("utf-8"))

    # -- merging what others uploaded ---------------------------------------------------------

    def _download(self, key: SyncKey, device: str, result: SyncResult) -> int:
        """Merge every new change set. Returns the last sequence of this device on the server."""
        folders = self._dav.list(CHANGES)
        if folders is None:
            self._dav.make_folder(CHANGES)
            folders = []
        applied = self._ledger.applied()
        waiting = self._ledger.waiting()
        own_last = 0
        for folder in sorted(f.name for f in folders if f.is_folder):
            entries = self._dav.list(f"{CHANGES}{folder}/") or []
            sequences = sorted(
                int(e.name[: -len(_SUFFIX)])
                for e in entries
                if e.name.endswith(_SUFFIX) and e.name[: -len(_SUFFIX)].isdigit()
            )
            if folder == device:
                own_last = max(sequences, default=0)
                continue
            for sequence in waiting.get(folder, []):
                self._check_cancel()
                if sequence not in sequences:
                    # Gone from the server: nothing will ever come of it.
                    self._ledger.stop_waiting(folder, sequence)
                elif self._merge(key, folder, sequence, result):
                    self._ledger.stop_waiting(folder, sequence)
            for sequence in sequences:
                if sequence <= applied.get(folder, 0):
                    continue
                self._check_cancel()
                if not self._merge(key, folder, sequence, result):
                    # The later sets do not wait for it: merging does not depend on order (a
                    # message whose parent is in it waits for the parent, see sync_changes).
                    # It is tried again at every sync until it can be read.
                    self._ledger.wait_for(folder, sequence)
        return own_last

    def _merge(self, key: SyncKey, device: str, sequence: int, result: SyncResult) -> bool:
        name = f"{CHANGES}{device}/{sequence}{_SUFFIX}"
        data = self._dav.get(name)
        if data is None:
            return False
        try:
            document = json.loads(key.open(name, data))
            if document.get("device") != device or document.get("sequence") != sequence:
                raise ValueError("set under another name")
        except (OpenError, ValueError, AttributeError, UnicodeDecodeError):
            result.damaged.append(name)
            return False
        try:
            contents = self._contents(key, document, result)
            if contents is None:
                return False
            stats = self._ledger.apply(document, device, sequence, contents)
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            result.damaged.append(name)
            return False
        result.received.add(stats)
        return True

    def _contents(
        self, key: SyncKey, document: dict[str, Any], result: SyncResult
    ) -> dict[str, BlobContent] | None:
        """The verified contents the set needs and this device lacks; None if any cannot be
        had (each such one reported)."""
        contents: dict[str, BlobContent] = {}
        complete = True
        for sha256 in self._ledger.missing_blobs(document):
            self._check_cancel()
            try:
                contents[sha256] = blobs.download(self._dav, key, sha256)
            except blobs.DamagedBlob as damaged:
                result.damaged.append(damaged.name)
                complete = False
        if not complete:
            return None
        result.received_blobs += len(contents)
        return contents

    # -- uploading what changed here ----------------------------------------------------------

    def _upload_contents(
        self, key: SyncKey, device: str, sha256s: list[str], result: SyncResult
    ) -> bool:
        """Each content once: the server keeps it for every set that refers to it. False if one
        is no longer here."""
        folder_checked = False
        for sha256 in sha256s:
            if self._ledger.blob_uploaded(sha256):
                continue
            content = self._ledger.blob(sha256)
            if content is None:
                return False
            self._check_cancel()
            if not folder_checked:
                # Folders set up before attachments synced have no blobs/ yet.
                self._dav.make_folder(blobs.BLOBS)
                folder_checked = True
            blobs.upload(self._dav, key, content, owner=f"{device}-")
            self._ledger.mark_blob_uploaded(sha256)
            result.sent_blobs += 1
        return True

    def _upload(self, key: SyncKey, device: str, own_last: int, result: SyncResult) -> None:
        sequence = max(self._ledger.next_sequence(), own_last + 1)
        folder_made = own_last > 0
        for outgoing in self._ledger.outgoing():
            self._check_cancel()
            if not folder_made:
                self._dav.make_folder(f"{CHANGES}{device}/")
                folder_made = True
            if not result.sent_sets:
                # Only when there is something to send, so that a sync with nothing to do
                # stays a handful of requests.
                self._dav.remove_leftovers(f"{device}-")
            if not self._upload_contents(key, device, outgoing.blobs, result):
                # A message deleted here since the set was read: the next sync sends it anew.
                continue
            for _ in range(_MAX_NAME_ATTEMPTS):
                name = f"{CHANGES}{device}/{sequence}{_SUFFIX}"
                document: dict[str, Any] = {
                    "device": device,
                    "sequence": sequence,
                    **outgoing.document,
                }
                payload = json.dumps(document, ensure_ascii=False).encode("utf-8")
                if self._dav.create(name, key.seal(name, payload), owner=f"{device}-"):
                    break
                sequence += 1
            else:
                raise SyncError(texts.SYNC_SERVER_FAILED(412, f"MOVE /{CHANGES}"))
            sequence += 1
            # The set is on the server before anything here says so.
            self._ledger.set_next_sequence(sequence)
            self._ledger.mark_uploaded(outgoing)
            result.sent_sets += 1
