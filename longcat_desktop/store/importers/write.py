"""The second half of an import, on the store's thread: one transaction per conversation."""

from __future__ import annotations

from collections.abc import Generator, Mapping
from dataclasses import dataclass, field

from longcat_desktop.domain import user_texts as texts
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.domain.user_texts import UserText
from longcat_desktop.store.database import Database
from longcat_desktop.store.errors import ImportFormatError
from longcat_desktop.store.export_folders import file_into
from longcat_desktop.store.export_json import insert_conversation, read_object
from longcat_desktop.store.export_library import import_library, link
from longcat_desktop.store.importers.detect import KIND_NAMES
from longcat_desktop.store.importers.read import ImportPlan
from longcat_desktop.store.importers.tree import Candidate


@dataclass(slots=True)
class Tally:
    """How an import is going: counts so far, and what was skipped and why."""

    total: int
    added: list[ConversationId] = field(default_factory=list)
    already_here: int = 0
    # (title, reason) of each conversation that could not be imported.
    skipped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return len(self.added) + self.already_here + len(self.skipped)

    def summary(self, plan: ImportPlan) -> UserText:
        return texts.IMPORT_SUMMARY(
            len(self.added),
            self.total,
            f"{plan.path.name} ({KIND_NAMES[plan.kind]})",
            self.already_here,
            len(self.skipped),
        )

    def summary_cancelled(self) -> UserText:
        return texts.IMPORT_CANCELLED(
            len(self.added),
            self.total,
            self.already_here,
            len(self.skipped),
        )

    def skipped_lines(self) -> list[UserText]:
        return [texts.IMPORT_SKIPPED(title, reason) for title, reason in self.skipped]


def import_steps(db: Database, plan: ImportPlan) -> Generator[Tally, None, None]:
    """Write the plan's assistants and saved prompts (one transaction), then its conversations
    one by one, yielding the tally after each.

    Each conversation is all or nothing; stopping between steps (a cancelled import) keeps
    those already written. A failure of the database itself (disk full) ends the import.
    """
    tally = Tally(len(plan.candidates))
    # One sync of the log per commit (FULL) is half the time of a large import. NORMAL still
    # survives a crash of the app; a power cut could lose the last conversations written, and
    # importing the file again adds exactly those. Answers streaming meanwhile are flushed the
    # same way for these seconds.
    durability = int(db.scalar("PRAGMA synchronous"))
    db.execute("PRAGMA synchronous = NORMAL")
    try:
        with db.transaction():
            import_library(db, plan.library)
        for candidate in plan.candidates:
            outcome = write_candidate(db, candidate, plan.folders)
            if isinstance(outcome, int):
                tally.added.append(ConversationId(outcome))
            elif outcome is None:
                tally.already_here += 1
            else:
                tally.skipped.append((candidate.title, outcome))
            yield tally
    finally:
        db.execute(f"PRAGMA synchronous = {durability}")


def write_candidate(
    db: Database, candidate: Candidate, folders: Mapping[str, str] | None = None
) -> int | str | None:
    """The new conversation's id; None if it is here already; the reason it is malformed."""
    if candidate.document is None:
        return candidate.problem or ""
    document = candidate.document
    conversation_uuid = document.get("id") if isinstance(document, dict) else None
    if isinstance(conversation_uuid, str) and db.scalar(
        "SELECT 1 FROM conversations WHERE uuid = ?", (conversation_uuid,)
    ):
        return None
    if candidate.source is not None and db.scalar(
        "SELECT 1 FROM conversations WHERE source = ? AND source_id = ?",
        (candidate.source, candidate.source_id),
    ):
        return None
    try:
        with db.transaction():
            conversation_id = insert_conversation(db, read_object(document, "conversation"))
            if folders and isinstance(document, dict):
                file_into(db, conversation_id, document.get("folder"), folders)
            if isinstance(document, dict):
                link(db, conversation_id, document.get("assistant"), "conversation")
            if candidate.source is not None:
                db.execute(
                    "UPDATE conversations SET source = ?, source_id = ? WHERE id = ?",
                    (candidate.source, candidate.source_id, conversation_id),
                )
    except ImportFormatError as error:
        return str(error)
    return conversation_id
