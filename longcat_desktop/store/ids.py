"""Random, globally unique ids for conversations and messages (kept across export and import)."""

from __future__ import annotations


def new_uuid() -> str:
    # uuid (and the platform module it pulls in) loads with the first id, not at start-up.
    import uuid

    return str(uuid.uuid4())
