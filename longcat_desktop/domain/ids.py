"""Ids of conversations and messages: plain ints at run time, distinct types for the checker,
so a message id can never be passed where a conversation id belongs."""

from __future__ import annotations

from typing import NewType

ConversationId = NewType("ConversationId", int)
MessageId = NewType("MessageId", int)
