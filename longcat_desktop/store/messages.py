"""Messages as a tree: each has a parent, and alternatives are siblings, never overwrites.

Which branch is shown is kept twice over, each cheap to use: the conversation's current leaf
(the thread to show is the path up from it), and on every message the child last chosen under
it, so that switching back to an answer also brings back the follow-ups that were shown with it.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

from longcat_desktop.domain.chat import ApiFormat, Role
from longcat_desktop.domain.conversation import (
    MessageStatus,
    Siblings,
    StoredMessage,
)
from longcat_desktop.domain.events import Usage
from longcat_desktop.domain.ids import ConversationId, MessageId
from longcat_desktop.domain.tool_turns import StoredToolCall, ToolResult
from longcat_desktop.store.conversations import title_from_text
from longcat_desktop.store.database import Database
from longcat_desktop.store.error_columns import error_from_columns
from longcat_desktop.store.ids import new_uuid
from longcat_desktop.store.tool_columns import calls_from, calls_json, result_from, result_json

MESSAGE_COLUMNS = (
    "id, uuid, conversation_id, parent_id, role, text, reasoning, status, created_at,"
    " reasoning_signature, model, api_format, finish_reason, error_message, error_type,"
    " error_code, error_status, input_tokens, output_tokens, first_token_at, finished_at,"
    " error_key, error_args, reasoning_seconds, tool_calls, tool_result"
)
_PREFIXED_COLUMNS = ", ".join(f"m.{name.strip()}" for name in MESSAGE_COLUMNS.split(","))
# Far beyond any real thread, and still an integer SQLite accepts.
_UNLIMITED = 1 << 62


# Looking enum members up in a dict is several times cheaper than calling the enum, which
# counts when a thread of hundreds of messages is opened.
_ROLES = {str(role): role for role in Role}
_STATUSES = {str(status): status for status in MessageStatus}
_FORMATS = {str(api_format): api_format for api_format in ApiFormat}


def message_from_row(row: Any) -> StoredMessage:
    error = (
        None
        if row[13] is None
        else error_from_columns(row[13], row[14], row[15], row[16], row[21], row[22])
    )
    usage = None if row[17] is None and row[18] is None else Usage(row[17], row[18])
    return StoredMessage(
        id=row[0],
        uuid=row[1],
        conversation_id=row[2],
        parent_id=row[3],
        role=_ROLES[row[4]],
        text=row[5],
        reasoning=row[6],
        status=_STATUSES[row[7]],
        created_at=row[8],
        reasoning_signature=row[9],
        model=row[10],
        api_format=None if row[11] is None else _FORMATS[row[11]],
        finish_reason=row[12],
        error=error,
        usage=usage,
        first_token_at=row[19],
        finished_at=row[20],
        reasoning_seconds=row[23],
        tool_calls=() if row[24] is None else calls_from(row[24]),
        tool_result=None if row[25] is None else result_from(row[25]),
    )


class Messages:
    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self._clock = clock

    # -- adding -------------------------------------------------------------------------------

    def add_user_message(
        self, conversation_id: ConversationId, parent_id: MessageId | None, text: str
    ) -> StoredMessage:
        """A message the user sent. To edit one, add the new text with the same parent."""
        with self._db.transaction():
            message_id = self._insert(
                conversation_id, parent_id, Role.USER, text, MessageStatus.COMPLETE
            )
            if parent_id is None:
                self._db.execute(
                    "UPDATE conversations SET title = ? WHERE id = ? AND title_is_custom = 0",
                    (title_from_text(text), conversation_id),
                )
        return self.get(message_id)

    def start_assistant_message(
        self,
        conversation_id: ConversationId,
        parent_id: MessageId,
        *,
        model: str | None,
        api_format: ApiFormat | None,
    ) -> StoredMessage:
        """The row of an answer, written before the request is sent so no token is ever lost.

        To regenerate an answer, start a new one with the same parent.
        """
        with self._db.transaction():
            message_id = self._insert(
                conversation_id,
                parent_id,
                Role.ASSISTANT,
                "",
                MessageStatus.STREAMING,
                model=model,
                api_format=api_format,
            )
        return self.get(message_id)

    def set_tool_calls(self, message_id: MessageId, calls: tuple[StoredToolCall, ...]) -> None:
        """Record the tool calls an answer made (before its outcome, so a crash keeps them)."""
        with self._db.transaction():
            self._db.execute(
                "UPDATE messages SET tool_calls = ? WHERE id = ? AND role = 'assistant'",
                (calls_json(calls), message_id),
            )

    def add_tool_results(
        self,
        conversation_id: ConversationId,
        answer_id: MessageId,
        results: list[tuple[str, ToolResult]],
    ) -> list[StoredMessage]:
        """One message per call under the answer, chained in the calls' order, in one
        transaction. A result not final yet is written as streaming, so a crash leaves it to
        the start-up sweep, which marks it interrupted."""
        ids = []
        with self._db.transaction():
            parent = answer_id
            for text, result in results:
                status = MessageStatus.COMPLETE if result.state.final else MessageStatus.STREAMING
                parent = self._insert(conversation_id, parent, Role.TOOL, text, status)
                self._db.execute(
                    "UPDATE messages SET tool_result = ? WHERE id = ?",
                    (result_json(result), parent),
                )
                ids.append(parent)
        return [self.get(message_id) for message_id in ids]

    def update_tool_result(self, message_id: MessageId, text: str, result: ToolResult) -> None:
        status = MessageStatus.COMPLETE if result.state.final else MessageStatus.STREAMING
        with self._db.transaction():
            self._db.execute(
                "UPDATE messages SET text = ?, tool_result = ?, status = ?,"
                " finished_at = CASE WHEN ? THEN ? ELSE finished_at END"
                " WHERE id = ? AND role = 'tool'",
                (
                    text,
                    result_json(result),
                    str(status),
                    result.state.final,
                    self._clock(),
                    message_id,
                ),
            )

    def _insert(
        self,
        conversation_id: ConversationId,
        parent_id: MessageId | None,
        role: Role,
        text: str,
        status: MessageStatus,
        *,
        model: str | None = None,
        api_format: ApiFormat | None = None,
    ) -> MessageId:
        if parent_id is not None:
            owner = self._db.scalar(
                "SELECT conversation_id FROM messages WHERE id = ?", (parent_id,)
            )
            if owner != conversation_id:
                raise ValueError(f"message {parent_id} is not in conversation {conversation_id}")
        now = self._clock()
        cursor = self._db.execute(
            "INSERT INTO messages (uuid, conversation_id, parent_id, role, text, status,"
            " created_at, model, api_format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new_uuid(),
                conversation_id,
                parent_id,
                str(role),
                text,
                str(status),
                now,
                model,
                None if api_format is None else str(api_format),
            ),
        )
        assert cursor.lastrowid is not None
        message_id = MessageId(cursor.lastrowid)
        if parent_id is not None:
            self._db.execute(
                "UPDATE messages SET selected_child_id = ? WHERE id = ?", (message_id, parent_id)
            )
        cursor = self._db.execute(
            "UPDATE conversations SET current_leaf_id = ?, updated_at = ? WHERE id = ?",
            (message_id, now, conversation_id),
        )
        if cursor.rowcount == 0:
            raise KeyError(f"no conversation {conversation_id}")
        return message_id

    # -- reading ------------------------------------------------------------------------------

    def get(self, message_id: MessageId) -> StoredMessage:
        row = self._db.query_one(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
        )
        if row is None:
            raise KeyError(f"no message {message_id}")
        return message_from_row(row)

    def all_in_conversation(self, conversation_id: ConversationId) -> list[StoredMessage]:
        """Every message of every branch, oldest first (parents before their children)."""
        rows = self._db.query(
            f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        )
        return [message_from_row(row) for row in rows]

    def path_to(self, message_id: MessageId, limit: int | None = None) -> list[StoredMessage]:
        """The thread from the first message down to this one; only the last `limit` if given."""
        if limit is not None and limit <= 0:
            return []
        rows = self._db.query(
            "WITH RECURSIVE up(id, depth) AS (SELECT ?, 0"
            " UNION ALL SELECT m.parent_id, up.depth + 1 FROM messages m JOIN up ON m.id = up.id"
            " WHERE m.parent_id IS NOT NULL AND up.depth + 1 < ?)"
            f" SELECT {_PREFIXED_COLUMNS} FROM up JOIN messages m ON m.id = up.id"
            " ORDER BY up.depth DESC",
            (message_id, _UNLIMITED if limit is None else limit),
        )
        return [message_from_row(row) for row in rows]

    def visible_thread(
        self, conversation_id: ConversationId, limit: int | None = None
    ) -> list[StoredMessage]:
        """The branch being shown, oldest first; only its last `limit` messages if given.

        When the first message returned has a parent, there are older ones: ask
        messages_before() with its id.
        """
        leaf = self.current_leaf(conversation_id)
        if leaf is None:
            return []
        return self.path_to(leaf, limit)

    def messages_before(
        self, conversation_id: ConversationId, before_id: MessageId, limit: int
    ) -> list[StoredMessage]:
        """The `limit` messages above `before_id` in its thread, oldest first."""
        row = self._db.query_one(
            "SELECT parent_id FROM messages WHERE id = ? AND conversation_id = ?",
            (before_id, conversation_id),
        )
        if row is None:
            raise KeyError(f"no message {before_id} in conversation {conversation_id}")
        if row[0] is None or limit <= 0:
            return []
        return self.path_to(row[0], limit)

    def current_leaf(self, conversation_id: ConversationId) -> MessageId | None:
        row = self._db.query_one(
            "SELECT current_leaf_id FROM conversations WHERE id = ?", (conversation_id,)
        )
        if row is None:
            raise KeyError(f"no conversation {conversation_id}")
        leaf: MessageId | None = row[0]
        return leaf

    def children(
        self, conversation_id: ConversationId, parent_id: MessageId | None
    ) -> list[MessageId]:
        """The ids of the alternatives under a message (or at the start), oldest first."""
        if parent_id is None:
            rows = self._db.query(
                "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS NULL"
                " ORDER BY id",
                (conversation_id,),
            )
        else:
            rows = self._db.query(
                "SELECT id FROM messages WHERE parent_id = ? ORDER BY id", (parent_id,)
            )
        return [row[0] for row in rows]

    def siblings(self, message_id: MessageId) -> Siblings:
        """This message and its alternatives, with its position among them."""
        row = self._db.query_one(
            "SELECT conversation_id, parent_id FROM messages WHERE id = ?", (message_id,)
        )
        if row is None:
            raise KeyError(f"no message {message_id}")
        ids = tuple(self.children(row[0], row[1]))
        return Siblings(ids=ids, index=ids.index(message_id))

    # -- choosing the branch shown ------------------------------------------------------------

    def select_branch(self, message_id: MessageId) -> MessageId:
        """Show the branch through this message (e.g. the next of its siblings).

        Below it, the follow-ups last shown with it come back. Returns the new current leaf.
        """
        with self._db.transaction():
            conversation_id, parent_id = self._owner_and_parent(message_id)
            if parent_id is not None:
                self._db.execute(
                    "UPDATE messages SET selected_child_id = ? WHERE id = ?",
                    (message_id, parent_id),
                )
            leaf = self._descend(message_id)
            self._set_leaf(conversation_id, leaf)
        return leaf

    def reveal(self, message_id: MessageId) -> MessageId:
        """Show the branch that contains this message (a search hit). Returns the new leaf."""
        with self._db.transaction():
            conversation_id, _ = self._owner_and_parent(message_id)
            path = self.path_to(message_id)
            for parent, child in itertools.pairwise(path):
                self._db.execute(
                    "UPDATE messages SET selected_child_id = ? WHERE id = ?", (child.id, parent.id)
                )
            leaf = self._descend(message_id)
            self._set_leaf(conversation_id, leaf)
        return leaf

    def resume_assistant_message(self, message_id: MessageId) -> StoredMessage:
        """Reopen a finished answer so a continuation can be appended to it, and show it.

        Its text stays; the outcome of the earlier attempt (finish reason, error, end time)
        is cleared, since the continuation decides the new one.
        """
        with self._db.transaction():
            cursor = self._db.execute(
                "UPDATE messages SET status = 'streaming', finish_reason = NULL,"
                " error_message = NULL, error_type = NULL, error_code = NULL,"
                " error_status = NULL, error_key = NULL, error_args = NULL, finished_at = NULL"
                " WHERE id = ? AND role = 'assistant' AND status != 'streaming'",
                (message_id,),
            )
            if cursor.rowcount == 0:
                raise KeyError(f"no finished answer {message_id}")
            self.select_branch(message_id)
        return self.get(message_id)

    def delete_branch(self, message_id: MessageId) -> MessageId | None:
        """Delete a message and everything below it. Returns the conversation's new leaf."""
        with self._db.transaction():
            conversation_id, parent_id = self._owner_and_parent(message_id)
            self._db.execute(
                "WITH RECURSIVE below(id) AS (SELECT ?"
                " UNION ALL SELECT m.id FROM messages m JOIN below ON m.parent_id = below.id)"
                " DELETE FROM messages WHERE id IN below",
                (message_id,),
            )
            leaf = self.current_leaf(conversation_id)
            still_there = leaf is not None and self._db.scalar(
                "SELECT 1 FROM messages WHERE id = ?", (leaf,)
            )
            if not still_there:
                if parent_id is not None:
                    leaf = self._descend(parent_id)
                else:
                    roots = self.children(conversation_id, None)
                    leaf = self._descend(roots[-1]) if roots else None
                self._set_leaf(conversation_id, leaf)
        return leaf

    def _owner_and_parent(self, message_id: MessageId) -> tuple[ConversationId, MessageId | None]:
        row = self._db.query_one(
            "SELECT conversation_id, parent_id FROM messages WHERE id = ?", (message_id,)
        )
        if row is None:
            raise KeyError(f"no message {message_id}")
        return row[0], row[1]

    def _descend(self, message_id: MessageId) -> MessageId:
        """Follow the chosen child (or the newest, if none was chosen) down to a leaf."""
        current = message_id
        while True:
            row = self._db.query_one(
                "SELECT coalesce("
                " (SELECT c.id FROM messages c WHERE c.id = p.selected_child_id"
                "  AND c.parent_id = p.id),"
                " (SELECT max(c.id) FROM messages c WHERE c.parent_id = p.id))"
                " FROM messages p WHERE p.id = ?",
                (current,),
            )
            if row is None or row[0] is None:
                return current
            current = row[0]

    def _set_leaf(self, conversation_id: ConversationId, leaf: MessageId | None) -> None:
        self._db.execute(
            "UPDATE conversations SET current_leaf_id = ? WHERE id = ?", (leaf, conversation_id)
        )
