"""The open conversation's model and parameters: the picker, the retired-model notice, the
parameters panel and the composer's tools note follow the conversation and the model list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import Conversation
from longcat_desktop.services import options
from longcat_desktop.services.app_services import AppServices
from longcat_desktop.services.model_catalogue import pick_model
from longcat_desktop.ui.composer import Composer
from longcat_desktop.ui.model_notice import UnservedModelNotice
from longcat_desktop.ui.model_picker import ModelPicker
from longcat_desktop.ui.param_values import ParamValues
from longcat_desktop.ui.params_panel import ParamsPanel

# Settings whose change can change which models the server lists.
_CONNECTION_KEYS = frozenset({options.BASE_URL.key, options.PROXY_MODE.key, options.PROXY_URL.key})


class ModelBinding(QObject):
    """Owned by the window; binds its model widgets to the open conversation."""

    def __init__(
        self,
        services: AppServices,
        parent: QObject,
        *,
        picker: ModelPicker,
        notice: UnservedModelNotice,
        params: ParamsPanel,
        composer: Composer,
        current: Callable[[], Conversation | None],
        model_changed: Callable[[], None],
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._picker = picker
        self._notice = notice
        self._params = params
        self._composer = composer
        self._current = current
        # What the model allows (images, files) changed: the draft's attachments are rechecked.
        self._model_changed = model_changed
        services.models.modelsChanged.connect(self._on_models_changed)
        services.models.detailsChanged.connect(self._on_details_changed)
        services.settings.changed.connect(self._on_settings_changed)
        picker.modelChosen.connect(self.choose)
        notice.switchRequested.connect(self.choose)
        params.changed.connect(self.change_params)

    def show(self, conversation: Conversation | None) -> None:
        """The models for `conversation`; a new one still follows the server's list."""
        if conversation is None:
            self._notice.show_for("", None)
            return
        models = self._services.models
        api_format = conversation.settings.api_format
        available = models.models(api_format)
        model, replaced = conversation.settings.model, None
        if conversation.current_leaf_id is None:
            # Only a conversation with no messages yet follows the server's list.
            model, replaced = pick_model(available, model)
            if replaced:
                self._services.conversations.set_model(conversation.id, model)
        note = replaced or available.note
        if available.fallback and not note:
            note = self._picker.fallback_note()
        ids = list(available.ids)
        if model not in ids:
            ids.insert(0, model)
        self._picker.set_models(ids, model, note)
        for listed in ids:
            self._picker.set_item_details(listed, models.details(api_format, listed))
        self._notice.show_for(model, models.replacement_for(api_format, model))
        self._picker.set_details(models.details(api_format, model))
        models.request_details(api_format, model)
        self._bound_max_tokens(api_format, model)
        self._show_tools_note(api_format, model)

    def show_params(self, conversation: Conversation) -> None:
        """The parameters panel shows `conversation`'s stored values."""
        settings = conversation.settings
        self._params.load(
            ParamValues(
                system_prompt=settings.system_prompt,
                temperature=settings.temperature,
                top_p=settings.top_p,
                max_tokens=settings.max_tokens,
                thinking=settings.thinking,
            )
        )

    def choose(self, model: str) -> None:
        """The user picked `model` for the open conversation."""
        conversation = self._current()
        if conversation is not None:
            self._services.conversations.set_model(conversation.id, model)
            self.show(self._current())
            self._model_changed()

    def change_params(self, values: ParamValues) -> None:
        """The user changed the open conversation's parameters."""
        conversation = self._current()
        if conversation is None:
            return
        self._services.conversations.update_settings(
            conversation.id,
            replace(
                conversation.settings,
                system_prompt=values.system_prompt,
                temperature=values.temperature,
                top_p=values.top_p,
                max_tokens=values.max_tokens,
                thinking=values.thinking,
            ),
        )

    def _bound_max_tokens(self, api_format: ApiFormat, model: str) -> None:
        limit = self._services.models.max_tokens_limit(api_format, model)
        self._params.set_max_tokens_limit(limit)

    def _show_tools_note(self, api_format: ApiFormat, model: str) -> None:
        loop = self._services.tool_loop
        cannot = (
            loop is not None
            and any(server.enabled for server in loop.servers.servers)
            and not loop.model_can_use_tools(api_format.value, model)
        )
        self._composer.set_tools_note(
            self.tr("%1 cannot use tools: the tool servers' tools are not sent.").replace(
                "%1", model
            )
            if cannot
            else None
        )

    def _on_models_changed(self, _api_format: str) -> None:
        self.show(self._current())

    def _on_details_changed(self, api_format: str, model: str) -> None:
        conversation = self._current()
        if conversation is None or conversation.settings.api_format.value != api_format:
            return
        details = self._services.models.details(ApiFormat(api_format), model)
        self._picker.set_item_details(model, details)
        if conversation.settings.model != model:
            return
        self._picker.set_details(details)
        self._bound_max_tokens(ApiFormat(api_format), model)
        self._model_changed()
        self._show_tools_note(ApiFormat(api_format), model)

    def _on_settings_changed(self, keys: list[str]) -> None:
        if _CONNECTION_KEYS & set(keys):
            conversation = self._current()
            if conversation is not None and self._services.credentials.has_key:
                self._services.models.refresh(conversation.settings.api_format)
