"""Reading a file to import: detected by content, size cap, archives, truncated and odd files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from longcat_desktop.store import ImportFormatError, StorageAccessError, Store
from longcat_desktop.store.importers import ExportKind, read_import
from longcat_desktop.store.importers.source import MAX_IMPORT_BYTES, read_bytes
from tests.store.importers.helpers import CHATGPT, CLAUDE, SETTINGS, import_path


@pytest.mark.parametrize(
    ("source", "kind"), [(CHATGPT, ExportKind.CHATGPT), (CLAUDE, ExportKind.CLAUDE)]
)
def test_the_format_comes_from_the_content_not_the_name(
    source: Path, kind: ExportKind, tmp_path: Path
) -> None:
    path = tmp_path / "export.longcat.json"
    path.write_bytes(source.read_bytes())
    assert read_import(path, SETTINGS).kind is kind


def test_our_own_export_is_read_and_a_bad_conversation_in_it_skipped(
    store: Store, tmp_path: Path
) -> None:
    import_path(store, CHATGPT)
    document = json.loads(store.export_json())
    document["conversations"][1]["messages"][0]["role"] = "wizard"
    path = tmp_path / "conversations.json"  # the name of the others' exports: no matter
    path.write_text(json.dumps(document), encoding="utf-8")
    with Store.open(tmp_path / "other") as other:
        tally = import_path(other, path)
        assert read_import(path, SETTINGS).kind is ExportKind.LONGCAT
        assert len(tally.added) == 2
        assert tally.skipped[0][0] == "Plot the data"
        assert "role" in tally.skipped[0][1]
        # Imported from our export, a ChatGPT conversation is still recognised as itself.
        assert import_path(other, CHATGPT).already_here == 2


def test_the_chatgpt_zip_is_read_from_its_conversations_json(store: Store, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("user.json", "{}")
        z.writestr("chat.html", "<html></html>")
        z.write(CHATGPT, "conversations.json")
    assert len(import_path(store, archive).added) == 3


def test_a_zip_without_conversations_says_so(tmp_path: Path) -> None:
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "hello")
    with pytest.raises(ImportFormatError, match=r"no conversations\.json"):
        read_import(archive, SETTINGS)


def test_a_damaged_zip_is_not_an_export(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(ImportFormatError, match="archive cannot be read"):
        read_import(archive, SETTINGS)


def test_a_truncated_file_is_refused_and_changes_nothing(store: Store, tmp_path: Path) -> None:
    data = CLAUDE.read_bytes()
    path = tmp_path / "conversations.json"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFormatError, match="not valid JSON"):
        read_import(path, SETTINGS)
    assert store.conversations.count() == 0


@pytest.mark.parametrize(
    "content",
    [b"[" * 100_000 + b"]" * 100_000, b'{"format": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"],
)
def test_deeply_nested_json_is_not_an_export(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match="not a conversation export"):
        read_import(path, SETTINGS)


@pytest.mark.parametrize(
    "content", [b"{}", b"[1, 2, 3]", b'"text"', b"null", b'[{"title": "no mapping"}]']
)
def test_other_json_is_not_an_export(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "other.json"
    path.write_bytes(content)
    with pytest.raises(ImportFormatError, match="not a conversation export"):
        read_import(path, SETTINGS)


def test_an_empty_export_imports_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "conversations.json"
    path.write_bytes(b"[]")
    tally = import_path(store, path)
    assert (tally.total, tally.added) == (0, [])


def test_a_file_over_the_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    assert MAX_IMPORT_BYTES == 512 * 1024 * 1024
    path = tmp_path / "big.json"
    with path.open("wb") as file:
        # A sparse file: its size says too big; reading it whole would take seconds.
        file.truncate(MAX_IMPORT_BYTES + 1)
    with pytest.raises(ImportFormatError, match="too large") as raised:
        read_bytes(path)
    assert "512 MB" in str(raised.value)


def test_the_cap_holds_for_what_a_zip_inflates_to(tmp_path: Path) -> None:
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("conversations.json", b"[" + b" " * 5000 + b"]")
    assert read_bytes(archive, limit=10_000).strip() == b"[" + b" " * 5000 + b"]"
    with pytest.raises(ImportFormatError, match="too large"):
        read_bytes(archive, limit=1000)


def test_an_unreadable_file_says_why(tmp_path: Path) -> None:
    with pytest.raises(StorageAccessError, match="could not be read"):
        read_import(tmp_path / "missing.json", SETTINGS)


def test_reading_stops_when_cancelled(tmp_path: Path) -> None:
    from longcat_desktop.store.importers import ImportCancelledError

    with pytest.raises(ImportCancelledError):
        read_import(CHATGPT, SETTINGS, cancelled=lambda: True)


def test_the_database_is_as_durable_as_before_once_an_import_ends_or_stops(
    store: Store,
) -> None:
    before = store.db.scalar("PRAGMA synchronous")
    steps = store.import_steps(read_import(CHATGPT, SETTINGS))
    next(steps)
    assert store.db.scalar("PRAGMA synchronous") == 1  # NORMAL while importing
    steps.close()  # cancelled after the first conversation
    assert store.db.scalar("PRAGMA synchronous") == before == 2
    assert store.conversations.count() == 1
