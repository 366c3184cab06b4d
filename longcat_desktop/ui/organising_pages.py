"""The Settings pages for assistants and saved prompts, added to the dialog when it is built."""

from __future__ import annotations

from dataclasses import dataclass, field

from longcat_desktop.services import options
from longcat_desktop.services.app_services import AppServices
from longcat_desktop.ui.assistants_page import AssistantsPage
from longcat_desktop.ui.prompts_page import PromptsPage
from longcat_desktop.ui.settings_dialog import SettingsDialog


@dataclass
class OrganisingPages:
    assistants: AssistantsPage
    prompts: PromptsPage
    # Page name to its index in the dialog, for opening Settings on it.
    index: dict[str, int] = field(default_factory=dict)

    def refresh(self, models: list[str], assistant_id: int | None = None) -> None:
        """Show what is stored now (the menu may have changed it), with the open
        conversation's assistant selected."""
        self.assistants.set_models(models)
        self.assistants.reload(assistant_id)
        self.prompts.reload()


def add_organising_pages(dialog: SettingsDialog, services: AppServices) -> OrganisingPages:
    library = services.conversations.assistants
    loop = services.tool_loop
    assistants = AssistantsPage(
        library,
        dialog,
        servers=None if loop is None else loop.servers,
        tools_on_by_default=lambda: services.settings.get(options.TOOLS_ON_BY_DEFAULT),
    )
    pages = OrganisingPages(assistants, PromptsPage(library, dialog))
    for name, page, icon_name in (
        ("assistants", pages.assistants, "assistant"),
        ("prompts", pages.prompts, "prompt"),
    ):
        dialog.add_page(page, page.title(), icon_name)
        pages.index[name] = dialog.pages.indexOf(page)
    return pages
