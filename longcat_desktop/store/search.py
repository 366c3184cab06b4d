"""Search as you type: whatever the user types is searched for literally, and never fails.

Each whitespace-separated term must occur (in any order). With the trigram index a term of three
or more characters is found anywhere in a word, so Chinese works without word splitting; terms
are quoted for FTS5, which makes `*`, `-`, `NEAR`, `AND`, brackets and quotes plain text.
Terms of one or two characters are too short for trigrams: alongside a longer term they filter
its hits; on their own they are looked for in the most recent messages only, which keeps every
keystroke fast.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from longcat_desktop.domain.conversation import SearchHit
from longcat_desktop.domain.ids import ConversationId
from longcat_desktop.store.database import Database
from longcat_desktop.store.search_index import Tokenizer

START_MARK = "\x02"
END_MARK = "\x03"
# How far back a search for one or two characters looks; a full scan of 100,000 messages at
# every keystroke would take far longer than the 20 ms a search may.
SHORT_QUERY_WINDOW = 20_000
# How many of the newest matches are ranked. FTS5's bm25() first counts every match in the
# whole index (about 20 ms for a term in a third of 100,000 messages), so ranking is done here
# instead, over a bounded set of candidates found newest first, which stays fast for any term.
RANK_WINDOW = 300
_SNIPPET_CONTEXT = 40
_ELLIPSIS = "…"
_TRIGRAM = 3
# bm25's term-frequency saturation, with a typical message length standing in for the average.
_K1 = 1.2
_B = 0.75
_TYPICAL_LENGTH = 500.0


def _clean(query: str) -> str:
    # Text from a widget may hold lone surrogates, which cannot be encoded for SQLite.
    return query.encode("utf-8", "ignore").decode("utf-8").replace("\x00", " ")


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _like_clauses(column: str, terms: Sequence[str]) -> tuple[str, list[Any]]:
    clauses = "".join(f" AND {column} LIKE ? ESCAPE '\\'" for _ in terms)
    patterns: list[Any] = [_like_pattern(term) for term in terms]
    return clauses, patterns


def _score(column: str, terms: Sequence[str]) -> tuple[str, list[Any]]:
    """An SQL expression ranking like bm25 without its document counts: how often each term
    occurs, saturating, against the text's length. SQLite's lower() folds ASCII only, as does
    the match itself for the cases that matter here."""
    parts = []
    params: list[Any] = []
    length = f"(0.25 + {_B} * length({column}) / {_TYPICAL_LENGTH})"
    for term in terms:
        count = f"((length({column}) - length(replace(lower({column}), ?, ''))) / ?)"
        parts.append(f"({count} / ({count} + {_K1} * {length}))")
        lowered = term.lower()
        params += [lowered, max(1, len(lowered))] * 2
    return " + ".join(parts) or "0", params


def _pattern(terms: Sequence[str]) -> re.Pattern[str]:
    longest_first = sorted(set(terms), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, longest_first)), re.IGNORECASE)


def _snippet(text: str, terms: Sequence[str], start_mark: str, end_mark: str) -> str:
    """The passage around the first match, every match in it marked."""
    pattern = _pattern(terms)
    first = pattern.search(text)
    if first is None:
        cut = 2 * _SNIPPET_CONTEXT
        return text[:cut] + (_ELLIPSIS if len(text) > cut else "")
    begin = max(0, first.start() - _SNIPPET_CONTEXT)
    end = min(len(text), first.end() + 2 * _SNIPPET_CONTEXT)
    # Start and end at a space where one is near, so words are not cut.
    if begin > 0:
        space = text.find(" ", begin, first.start())
        begin = space + 1 if space != -1 else begin
    if end < len(text):
        space = text.rfind(" ", max(first.end(), end - 15), end)
        end = space if space != -1 else end
    window = text[begin:end]
    marked = pattern.sub(lambda m: f"{start_mark}{m.group(0)}{end_mark}", window)
    marked = " ".join(marked.split())
    return (_ELLIPSIS if begin > 0 else "") + marked + (_ELLIPSIS if end < len(text) else "")


class Search:
    def __init__(self, db: Database, tokenizer: Tokenizer) -> None:
        self._db = db
        self._tokenizer = tokenizer

    def __call__(
        self,
        query: str,
        *,
        limit: int = 50,
        title_limit: int = 10,
        conversation_id: ConversationId | None = None,
        folder_id: int | None = None,
        start_mark: str = START_MARK,
        end_mark: str = END_MARK,
    ) -> list[SearchHit]:
        """Matching titles first (up to `title_limit`), then messages, best first.

        Answers still streaming are found once they finish. `conversation_id` or `folder_id`
        limit the search to one conversation or one folder's conversations.
        """
        terms = _clean(query).split()
        if not terms:
            return []
        if self._tokenizer is Tokenizer.TRIGRAM:
            indexed = [term for term in terms if len(term) >= _TRIGRAM]
        elif self._tokenizer is Tokenizer.WORDS:
            indexed = terms
        else:
            indexed = []
        rest = [term for term in terms if term not in indexed]
        match = " ".join(self._match_term(term) for term in indexed) if indexed else None
        scope = (conversation_id, folder_id)
        titles = self._titles(match, terms, rest, title_limit, scope)
        messages = self._messages(match, terms, rest, limit, scope)
        found = {row[2] for row in messages}
        documents = []
        for row in self._documents(terms, limit - len(messages), scope):
            if row[2] not in found:
                found.add(row[2])
                documents.append(row)
        return [
            SearchHit(row[0], row[1], row[2], _snippet(row[3], terms, start_mark, end_mark))
            for row in titles + messages + documents
        ]

    def _documents(
        self, terms: Sequence[str], limit: int, scope: tuple[int | None, int | None]
    ) -> list[Any]:
        """Messages whose attached documents hold every term, newest first: a scan of the
        documents' text (far fewer and rarer than messages), after the indexed hits."""
        if limit <= 0 or not self._db.scalar(
            "SELECT 1 FROM sqlite_master WHERE name = 'message_attachments'"
        ):
            return []
        clauses, params = _like_clauses("a.text", terms)
        conversation_id, folder_id = scope
        if conversation_id is not None:
            clauses += " AND m.conversation_id = ?"
            params.append(conversation_id)
        if folder_id is not None:
            clauses += " AND c.folder_id = ?"
            params.append(folder_id)
        return self._db.query(
            "SELECT m.conversation_id, c.title, m.id, a.text FROM message_attachments r"
            " JOIN attachments a USING (sha256) JOIN messages m ON m.id = r.message_id"
            " JOIN conversations c ON c.id = m.conversation_id"
            f" WHERE a.kind = 'document'{clauses} ORDER BY m.id DESC LIMIT ?",
            (*params, limit),
        )

    def _match_term(self, term: str) -> str:
        # Word tokens match only whole words: a prefix query keeps as-you-type useful.
        return _quote(term) + ("*" if self._tokenizer is Tokenizer.WORDS else "")

    def _titles(
        self,
        match: str | None,
        terms: Sequence[str],
        rest: Sequence[str],
        limit: int,
        scope: tuple[int | None, int | None],
    ) -> list[Any]:
        if limit <= 0:
            return []
        clauses, params = _like_clauses("c.title", rest)
        conversation_id, folder_id = scope
        if conversation_id is not None:
            clauses += " AND c.id = ?"
            params.append(conversation_id)
        if folder_id is not None:
            clauses += " AND c.folder_id = ?"
            params.append(folder_id)
        score, score_params = _score("title", terms)
        if match is not None:
            candidates = (
                "SELECT c.id FROM title_index JOIN conversations c ON c.id = title_index.rowid"
                f" WHERE title_index MATCH ?{clauses} ORDER BY title_index.rowid DESC LIMIT ?"
            )
            params = [match, *params, RANK_WINDOW]
        else:
            candidates = f"SELECT c.id FROM conversations c WHERE 1{clauses}"
        return self._db.query(
            "SELECT id, title, NULL, title FROM conversations"
            f" WHERE id IN ({candidates}) ORDER BY {score} DESC, updated_at DESC LIMIT ?",
            (*params, *score_params, limit),
        )

    def _messages(
        self,
        match: str | None,
        terms: Sequence[str],
        rest: Sequence[str],
        limit: int,
        scope: tuple[int | None, int | None],
    ) -> list[Any]:
        if limit <= 0:
            return []
        clauses, params = _like_clauses("m.text", rest)
        extra: list[Any] = []
        conversation_id, folder_id = scope
        if conversation_id is not None:
            clauses += " AND m.conversation_id = ?"
            extra.append(conversation_id)
        if folder_id is not None:
            clauses += (
                " AND m.conversation_id IN (SELECT id FROM conversations WHERE folder_id = ?)"
            )
            extra.append(folder_id)
        if match is not None:
            candidates = (
                "SELECT m.id FROM message_index JOIN messages m ON m.id = message_index.rowid"
                f" WHERE message_index MATCH ?{clauses}"
                " ORDER BY message_index.rowid DESC LIMIT ?"
            )
            candidate_params: list[Any] = [match, *params, *extra, RANK_WINDOW]
            order = "ORDER BY {score} DESC, m.id DESC"
        else:
            # Too short for the index: the newest matches of a bounded scan, newest first.
            window = ""
            if conversation_id is None and self._tokenizer is not Tokenizer.NONE:
                window = " AND m.id > (SELECT coalesce(max(id), 0) FROM messages) - ?"
                extra.append(SHORT_QUERY_WINDOW)
            candidates = (
                "SELECT m.id FROM messages m"
                f" WHERE m.status != 'streaming'{clauses}{window} ORDER BY m.id DESC LIMIT ?"
            )
            candidate_params = [*params, *extra, limit]
            order = "ORDER BY m.id DESC"
        score, score_params = _score("m.text", terms)
        if match is None:
            score_params = []
        return self._db.query(
            "SELECT m.conversation_id, c.title, m.id, m.text FROM messages m"
            " JOIN conversations c ON c.id = m.conversation_id"
            f" WHERE m.id IN ({candidates}) {order.format(score=score)} LIMIT ?",
            (*candidate_params, *score_params, limit),
        )
