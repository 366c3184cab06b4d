"""Folders in the JSON export: an optional list at the top and a reference per conversation.

    "folders"                 array of {"id": string (a UUID), "name": string}
    <conversation>."folder"   string, the id of its folder

Folders are listed by name as the sidebar shows them (ignoring ASCII case), then by id: never
by local row id or creation time, which differ between devices holding the same folders (an
imported or received folder is created when it arrives). Whether a folder is collapsed belongs
to one window and is not exported.

Both are written only where there is a folder, so an archive without folders is exactly what
it was before folders existed (and exports from then read as they did).

Import adds the folders that are not in the database yet (by id) and puts each imported
conversation into its folder; a conversation naming a folder the file does not list stays in
no folder. Files without these fields read as before.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from longcat_desktop.store.database import Database
from longcat_desktop.store.errors import ImportFormatError
from longcat_desktop.store.ids import new_uuid


def export_folders(db: Database, conversations: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The folders of the exported conversations; sets each one's "folder" by its uuid."""
    by_conversation = dict(
        db.query("SELECT c.uuid, f.uuid FROM conversations c JOIN folders f ON f.id = c.folder_id")
    )
    used: set[str] = set()
    for conversation in conversations:
        folder = by_conversation.get(conversation["id"])
        if folder is not None:
            conversation["folder"] = folder
            used.add(folder)
    rows = db.query("SELECT uuid, name FROM folders ORDER BY name COLLATE NOCASE, name, uuid")
    return [{"id": uuid, "name": name} for uuid, name in rows if uuid in used]


def import_folders(db: Database, document: Mapping[str, Any]) -> dict[str, int]:
    """Folder uuid to local id for every folder the file lists, creating missing ones."""
    listed = document.get("folders", [])
    if not isinstance(listed, list):
        raise ImportFormatError("file.folders: expected an array.")
    ids: dict[str, int] = {}
    for position, entry in enumerate(listed):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("id"), str)
            and isinstance(entry.get("name"), str)
        ):
            raise ImportFormatError(f"file.folders[{position}]: expected an id and a name.")
        uuid, name = entry["id"] or new_uuid(), entry["name"]
        existing = db.scalar("SELECT id FROM folders WHERE uuid = ?", (uuid,))
        if existing is None:
            cursor = db.execute(
                "INSERT INTO folders (uuid, name, created_at) VALUES (?, ?, ?)",
                (uuid, name, time.time()),
            )
            existing = cursor.lastrowid
        ids[uuid] = int(existing)
    return ids


def folder_names(document: object) -> dict[str, str]:
    """Folder uuid to name, as a file lists them, for importing conversation by conversation;
    entries that are not well formed are left out (their conversations stay in no folder)."""
    listed = document.get("folders") if isinstance(document, dict) else None
    if not isinstance(listed, list):
        return {}
    return {
        entry["id"]: entry["name"]
        for entry in listed
        if isinstance(entry, dict)
        and isinstance(entry.get("id"), str)
        and entry["id"]
        and isinstance(entry.get("name"), str)
    }


def file_into(db: Database, conversation_id: int, folder: object, names: Mapping[str, str]) -> None:
    """Put an imported conversation into the folder it names, creating that folder (same uuid
    and name) if this database does not have it yet."""
    if not isinstance(folder, str) or folder not in names:
        return
    existing = db.scalar("SELECT id FROM folders WHERE uuid = ?", (folder,))
    if existing is None:
        cursor = db.execute(
            "INSERT INTO folders (uuid, name, created_at) VALUES (?, ?, ?)",
            (folder, names[folder], time.time()),
        )
        existing = cursor.lastrowid
    db.execute("UPDATE conversations SET folder_id = ? WHERE id = ?", (existing, conversation_id))


def place(db: Database, conversation_id: int, folder: object, folders: Mapping[str, int]) -> None:
    """Put an imported conversation into the folder its entry names, if the file has it."""
    if isinstance(folder, str) and folder in folders:
        db.execute(
            "UPDATE conversations SET folder_id = ? WHERE id = ?",
            (folders[folder], conversation_id),
        )
