"""The few WebDAV requests sync needs, over httpx: PROPFIND (depth 1), GET, PUT, MKCOL, MOVE,
DELETE. Plain httpx rather than a WebDAV library: six verbs and one XML answer are all we use.

Writes never replace another device's file: an object is PUT under a random temporary name and
then MOVEd into place with "Overwrite: F", which the server refuses (412) if the name is taken.
A PUT cut short leaves only a temporary file that nothing refers to.
"""

from __future__ import annotations

import contextlib
import uuid
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.user_texts import UserText

if TYPE_CHECKING:
    import httpx

_DAV = "{DAV:}"
_PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>'
)
TEMPORARY_FOLDER = "tmp/"


class SyncError(Exception):
    """A failure to show the user; `user_text` is the sentence. Nothing secret is in it."""

    def __init__(self, text: UserText) -> None:
        super().__init__(str(text))
        self.user_text = text


class AuthenticationFailed(SyncError):
    pass


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    is_folder: bool


class WebDav:
    """Requests relative to one folder URL. Use from one thread; close() when done."""

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        *,
        proxy: str | None = None,
        trust_env: bool = True,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        import httpx

        if not url.startswith(("https://", "http://")):
            raise SyncError(texts.SYNC_ADDRESS_INVALID)
        self.url = url if url.endswith("/") else url + "/"
        self._root_path = urlsplit(self.url).path
        auth = httpx.BasicAuth(user, password) if user or password else None
        try:
            self._http = httpx.Client(
                auth=auth,
                timeout=httpx.Timeout(timeout),
                proxy=proxy or None,
                trust_env=trust_env,
                transport=transport,
                follow_redirects=False,
            )
        except (ValueError, TypeError, ImportError) as error:
            raise SyncError(texts.PROXY_UNUSABLE(error)) from None
        self.requests = 0

    def close(self) -> None:
        self._http.close()

    def _request(
        self,
        method: str,
        path: str,
        *,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        ok: tuple[int, ...] = (),
    ) -> httpx.Response:
        """The response when its status is 2xx or in `ok`; a SyncError otherwise."""
        import httpx

        self.requests += 1
        try:
            response = self._http.request(method, self.url + path, content=content, headers=headers)
        except httpx.TimeoutException:
            raise SyncError(texts.SYNC_TIMED_OUT(self.url)) from None
        except httpx.HTTPError as error:
            raise SyncError(texts.SYNC_CONNECT_FAILED(self.url, _reason(error))) from None
        status = response.status_code
        if 200 <= status < 300 or status in ok:
            return response
        if status in (401, 403):
            raise AuthenticationFailed(texts.SYNC_REFUSED_LOGIN(status))
        if status == 507:
            raise SyncError(texts.SYNC_SERVER_FULL)
        raise SyncError(texts.SYNC_SERVER_FAILED(status, f"{method} /{path}"))

    def list(self, path: str) -> list[Entry] | None:
        """The entries of a folder (not the folder itself); None if there is no such folder."""
        response = self._request(
            "PROPFIND",
            path,
            content=_PROPFIND_BODY,
            headers={"Depth": "1", "Content-Type": "application/xml"},
            ok=(404,),
        )
        if response.status_code == 404:
            return None
        own = self._root_path + path
        entries = []
        try:
            root = ElementTree.fromstring(response.content)
        except ElementTree.ParseError:
            failed = texts.SYNC_SERVER_FAILED(response.status_code, f"PROPFIND /{path}")
            raise SyncError(failed) from None
        for item in root.iter(f"{_DAV}response"):
            href = item.findtext(f"{_DAV}href") or ""
            href_path = unquote(urlsplit(href).path)
            if href_path.rstrip("/") == unquote(own).rstrip("/"):
                continue
            name = href_path.rstrip("/").rsplit("/", 1)[-1]
            is_folder = item.find(f".//{_DAV}resourcetype/{_DAV}collection") is not None
            entries.append(Entry(name, is_folder))
        return entries

    def get(self, path: str) -> bytes | None:
        """The file's bytes; None if it does not exist."""
        import httpx

        self.requests += 1
        try:
            response = self._http.get(self.url + path)
            body = response.content
        except httpx.TimeoutException:
            raise SyncError(texts.SYNC_TIMED_OUT(self.url)) from None
        except httpx.HTTPError as error:
            raise SyncError(texts.SYNC_CONNECT_FAILED(self.url, _reason(error))) from None
        status = response.status_code
        if status == 404:
            return None
        if status in (401, 403):
            raise AuthenticationFailed(texts.SYNC_REFUSED_LOGIN(status))
        if not 200 <= status < 300:
            raise SyncError(texts.SYNC_SERVER_FAILED(status, f"GET /{path}"))
        return body

    def make_folder(self, path: str) -> None:
        """Create it if missing (405: it exists already)."""
        self._request("MKCOL", path, ok=(405,))

    def create(self, path: str, data: bytes, *, owner: str = "") -> bool:
        """Put a new file at `path`, never replacing one. False if the name was taken.

        The temporary name starts with `owner`, so that its leftovers can be found again.
        """
        temporary = f"{TEMPORARY_FOLDER}{owner}{uuid.uuid4().hex}.part"
        self._request("PUT", temporary, content=data)
        try:
            response = self._request(
                "MOVE",
                temporary,
                headers={"Destination": self.url + path, "Overwrite": "F"},
                ok=(412,),
            )
        except SyncError:
            self._forget(temporary)
            raise
        if response.status_code == 412:
            self._forget(temporary)
            return False
        return True

    def remove_leftovers(self, owner: str) -> None:
        """Delete temporary files that `owner` left behind when an upload was cut short."""
        for entry in self.list(TEMPORARY_FOLDER) or []:
            if owner and entry.name.startswith(owner) and not entry.is_folder:
                self._forget(TEMPORARY_FOLDER + entry.name)

    def _forget(self, path: str) -> None:
        # A leftover temporary file costs space, not data: nothing refers to it.
        with contextlib.suppress(SyncError):
            self._request("DELETE", path, ok=(404,))


def _reason(error: Exception) -> str:
    text = str(error).strip()
    return text or type(error).__name__
