"""The conversation store: one database in a data folder, and everything done with it."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from longcat_desktop.domain.attachments import Attachment
from longcat_desktop.domain.conversation import Conversation
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.store import export_json
from longcat_desktop.store.assistants import Assistants
from longcat_desktop.store.attachments import Attachments
from longcat_desktop.store.conversations import Conversations
from longcat_desktop.store.database import Database, translated_errors
from longcat_desktop.store.errors import CorruptDatabaseError
from longcat_desktop.store.export_json import ImportResult
from longcat_desktop.store.folders import Folders
from longcat_desktop.store.ids import new_uuid
from longcat_desktop.store.messages import Messages
from longcat_desktop.store.migrations import MIGRATIONS, Migration
from longcat_desktop.store.opening import OpenReport, open_database
from longcat_desktop.store.prompts import Prompts
from longcat_desktop.store.recovery import RecoveryFiles
from longcat_desktop.store.search import Search
from longcat_desktop.store.streaming import DEFAULT_MAX_DELAY, StreamingMessageWriter

if TYPE_CHECKING:
    from longcat_desktop.store.importers import ImportPlan, Tally


class Store:
    """Open with Store.open(data_dir); use from one thread; close() when done."""

    def __init__(
        self, db: Database, report: OpenReport, clock: Callable[[], float] = time.time
    ) -> None:
        self.db = db
        self.report = report
        self._clock = clock
        self.conversations = Conversations(db, clock)
        self.messages = Messages(db, clock)
        self.search = Search(db, report.tokenizer)
        self.folders = Folders(db, clock)
        self.assistants = Assistants(db, clock)
        self.prompts = Prompts(db, clock)
        # Answers the database refused at the last quit; applied by the app at start.
        self.recovery = RecoveryFiles(db.path.parent, clock)
        self.attachments = Attachments(db, clock)

    @classmethod
    def open(
        cls,
        data_dir: Path,
        *,
        migrations: Sequence[tuple[int, Migration]] = MIGRATIONS,
        clock: Callable[[], float] = time.time,
    ) -> Store:
        """Open (creating, upgrading or recovering) the database in `data_dir`.

        Raises NewerDatabaseError, MigrationError or another StoreError with a message for the
        user; `report` says what was done (a damaged file set aside, an upgrade, answers that
        were interrupted).
        """
        db, report = open_database(data_dir, migrations=migrations, clock=clock)
        store = cls(db, report, clock)
        if store.attachments.available():
            # Contents a crash left without a reference (never one a message refers to).
            store.attachments.collect_garbage()
        return store

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Store]:
        """Group several calls into one all-or-nothing change."""
        with self.db.transaction():
            yield self

    def writer(
        self, message_id: MessageId, *, max_delay: float = DEFAULT_MAX_DELAY
    ) -> StreamingMessageWriter:
        """The writer for an answer made by messages.start_assistant_message()."""
        return StreamingMessageWriter(self.db, message_id, max_delay=max_delay, clock=self._clock)

    def check_integrity(self) -> None:
        """A full check of the file (slow on large databases: run it when idle)."""
        with translated_errors(self.db.path):
            problems = [row[0] for row in self.db.query("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise CorruptDatabaseError("; ".join(problems[:3]))

    # -- export and import --------------------------------------------------------------------

    def export_json(self, conversation_ids: Iterable[int] | None = None) -> str:
        """The given conversations (all if None) in the format documented in export_json."""
        return export_json.dumps(export_json.export_document(self.db, conversation_ids))

    def export_document(self, conversation_ids: Iterable[int] | None = None) -> dict[str, Any]:
        return export_json.export_document(self.db, conversation_ids)

    def import_json(self, text: str | bytes) -> ImportResult:
        """Add the conversations of an export; all or none. Raises ImportFormatError."""
        return export_json.import_document(self.db, export_json.parse(text))

    def import_steps(self, plan: ImportPlan) -> Generator[Tally, None, None]:
        """Write a file read by importers.read_import: one conversation, one transaction, a step.

        Yields the tally after each conversation; a malformed one is skipped and listed there.
        """
        from longcat_desktop.store.importers import import_steps

        return import_steps(self.db, plan)

    def duplicate_conversation(self, conversation_id: ConversationId) -> Conversation:
        """A copy of the whole tree with new ids, created now; the title is kept as it is."""
        document = export_json.export_document(self.db, [conversation_id])
        original = document["conversations"][0]
        renamed = {message["id"]: new_uuid() for message in original["messages"]}

        def new_id(old: str | None) -> str | None:
            return None if old is None else renamed[old]

        now = self._clock()
        original.update(
            id=new_uuid(),
            created_at=now,
            updated_at=now,
            current_leaf=new_id(original["current_leaf"]),
        )
        for message in original["messages"]:
            message.update(
                id=renamed[message["id"]],
                parent=new_id(message["parent"]),
                selected_child=new_id(message["selected_child"]),
            )
        result = export_json.import_document(self.db, document)
        return self.conversations.get(ConversationId(result.imported[0]))

    def export_markdown(self, conversation_id: ConversationId) -> str:
        """The branch shown, as Markdown."""
        return self.export_markdown_files(conversation_id, "")[0]

    def export_markdown_files(
        self, conversation_id: ConversationId, folder: str
    ) -> tuple[str, dict[str, bytes]]:
        """The branch shown as Markdown whose images link into `folder` (relative to the
        Markdown file), and the files to write there by their relative paths."""
        from longcat_desktop.store.export_markdown import to_markdown

        conversation = self.conversations.get(conversation_id)
        thread = self.messages.visible_thread(conversation_id)
        attached = self.attachments.of_messages(m.id for m in thread)
        files: dict[str, bytes] = {}
        links: dict[int, list[tuple[Attachment, str]]] = {}
        for message_id, items in attached.items():
            for attachment in items:
                path = ""
                if attachment.is_image:
                    # Named by content: the same picture twice is one file, never a clash.
                    suffix = ".png" if attachment.media_type == "image/png" else ".jpg"
                    path = f"{folder}/{attachment.sha256[:16]}{suffix}" if folder else ""
                    if path:
                        files[path] = self.attachments.data(attachment.sha256)
                links.setdefault(message_id, []).append((attachment, path or attachment.name))
        return to_markdown(conversation, thread, links), files

    def export_html(
        self, conversation_id: ConversationId, text_html: Callable[[str], str] | None = None
    ) -> str:
        """The branch shown, as a standalone HTML page; text_html (default: escaping) makes
        each message's text HTML, shown pre-wrapped."""
        from longcat_desktop.store.export_html import escaped, to_html

        conversation = self.conversations.get(conversation_id)
        thread = self.messages.visible_thread(conversation_id)
        attached = {
            message_id: [(a, self.attachments.data(a.sha256)) for a in items]
            for message_id, items in self.attachments.of_messages(m.id for m in thread).items()
        }
        return to_html(conversation, thread, attached, text_html or escaped)
