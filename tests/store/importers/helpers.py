"""Reading the test exports into a store, and reading back what landed."""

from __future__ import annotations

from pathlib import Path

from longcat_desktop.domain.chat import ApiFormat
from longcat_desktop.domain.conversation import ConversationSettings, StoredMessage
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.store import Store
from longcat_desktop.store.importers import Tally, read_import

DATA = Path(__file__).parent / "data"
CHATGPT = DATA / "chatgpt_conversations.json"
CLAUDE = DATA / "claude_conversations.json"
SETTINGS = ConversationSettings("LongCat-2.0", ApiFormat.ANTHROPIC, system_prompt="Be brief.")


def import_path(store: Store, path: Path) -> Tally:
    plan = read_import(path, SETTINGS)
    tally = Tally(len(plan.candidates))
    for step in store.import_steps(plan):
        tally = step
    return tally


def thread(store: Store, conversation_id: ConversationId) -> list[StoredMessage]:
    return store.messages.visible_thread(conversation_id, None)


def by_title(store: Store, title: str) -> ConversationId:
    found = [s.id for s in store.conversations.list() if s.title == title]
    assert len(found) == 1, f"{title!r}: {found}"
    return found[0]
