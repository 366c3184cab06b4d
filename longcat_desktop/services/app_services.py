"""Everything the window talks to, handed over in one bundle by the composition root."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from longcat_desktop.services.attachment_service import AttachmentService
from longcat_desktop.services.chat_service import ChatService
from longcat_desktop.services.connection_tester import ConnectionTester
from longcat_desktop.services.conversation_service import ConversationService
from longcat_desktop.services.credentials import CredentialService
from longcat_desktop.services.model_catalogue import ModelCatalogue
from longcat_desktop.services.settings_service import SettingsService
from longcat_desktop.services.title_service import TitleWriter
from longcat_desktop.services.tool_loop import ToolLoop

if TYPE_CHECKING:
    from longcat_desktop.services.sync_service import SyncService


@dataclass
class AppServices:
    settings: SettingsService
    credentials: CredentialService
    conversations: ConversationService
    chat: ChatService
    models: ModelCatalogue
    connection_tester: ConnectionTester
    titles: TitleWriter
    attachments: AttachmentService
    # Things the user should hear about once the window is up (a database set aside, ...).
    notices: list[str] = field(default_factory=list)
    # Where unexpected errors are logged, for the About box and error dialogs.
    log_path: str = ""
    # Sync with the user's WebDAV storage; None where a caller builds services without it.
    sync: SyncService | None = None
    # MCP servers' tools; None where a window is built without them (some tests).
    tool_loop: ToolLoop | None = None
