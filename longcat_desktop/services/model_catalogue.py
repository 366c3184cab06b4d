"""Which models the platform offers, and what each can do, fetched once and cached."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QObject, Signal

from longcat_desktop.domain import (
    ApiConnectionError,
    ApiError,
    ApiFormat,
    AuthenticationError,
    ModelDetails,
    PermissionDeniedError,
    QuotaExceededError,
)
from longcat_desktop.domain.conversation import ErrorDetails
from longcat_desktop.domain.user_texts import UserText
from longcat_desktop.services.client_pool import ClientPool
from longcat_desktop.services.i18n import translate
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.services.user_text import localized, said

# What the platform publishes about the models it serves (since LongCat-2.0 came out of
# preview), shown only while its own list and details cannot be fetched: those are the truth.
# A fact left out here is unknown, not "no".
_SAMPLING = ("max_tokens", "temperature", "top_p", "stream")
BUILTIN_MODELS: tuple[ModelDetails, ...] = (
    ModelDetails(
        "LongCat-2.0",
        name="LongCat-2.0",
        context_length=1_048_576,
        input_modalities=("text",),
        output_modalities=("text",),
        supported_parameters=(*_SAMPLING, "tools", "tool_choice"),
    ),
    ModelDetails(
        "LongCat-2.5-Preview",
        name="LongCat-2.5-Preview",
        input_modalities=("text", "image", "video"),
        output_modalities=("text",),
        supported_parameters=(*_SAMPLING, "tools"),
    ),
)
FALLBACK_MODELS: tuple[str, ...] = tuple(model.id for model in BUILTIN_MODELS)
# New conversations use it, or the first listed model when the server does not list it.
PREFERRED_MODEL = "LongCat-2.0"
# The largest max_tokens the platform accepts (documented for LongCat-2.0 and its preview);
# a model's own context length lowers it.
DOCUMENTED_MAX_TOKENS = 131072
_BUILTIN_DETAILS = {model.id: model for model in BUILTIN_MODELS}
# A server listing hundreds of models gets details asked for the first ones only.
_DETAILS_PER_LIST = 20


@dataclass(frozen=True, slots=True)
class ModelList:
    ids: tuple[str, ...]
    # True when the platform could not be asked and the built-in list stands in.
    fallback: bool
    # A sentence for the user about why the list is what it is; None when all is well.
    note: str | None = None


class ConnectionState(StrEnum):
    """What the last request to the platform said about the connection."""

    UNKNOWN = "unknown"  # nothing asked yet (or no key to ask with)
    CHECKING = "checking"
    CONNECTED = "connected"
    UNREACHABLE = "unreachable"  # no answer: network, DNS, TLS, proxy, timeout
    REFUSED = "refused"  # the server answered, and refused the key
    FAILED = "failed"  # the server answered with another error


def connection_state_of(error: ApiError) -> ConnectionState:
    if isinstance(error, ApiConnectionError):
        return ConnectionState.UNREACHABLE
    if isinstance(error, AuthenticationError | PermissionDeniedError | QuotaExceededError):
        return ConnectionState.REFUSED
    return ConnectionState.FAILED


def _tr(text: str, *args: object) -> str:
    return translate("ModelCatalogue", text, *args)


class ModelCatalogue(QObject):
    modelsChanged = Signal(str)  # api format
    detailsChanged = Signal(str, str)  # api format, model id
    # connection_state or connection_detail changed.
    connectionChanged = Signal()

    def __init__(self, clients: ClientPool, tasks: TaskOwner, parent: QObject | None = None):
        super().__init__(parent)
        self._clients = clients
        self._tasks = tasks
        self._lists: dict[ApiFormat, ModelList] = {}
        self._details: dict[tuple[ApiFormat, str], ModelDetails] = {}
        self._pending: set[tuple[ApiFormat, str]] = set()
        self.connection_state = ConnectionState.UNKNOWN
        # The server's or the network's own words when something is wrong, or our sentence.
        self.connection_detail: UserText | str = ""

    def models(self, api_format: ApiFormat) -> ModelList:
        known = self._lists.get(api_format)
        if known is not None:
            return known
        return ModelList(FALLBACK_MODELS, fallback=True, note=None)

    def details(self, api_format: ApiFormat, model_id: str) -> ModelDetails | None:
        """The server's details once fetched; until then what the platform published, if any."""
        fetched = self._details.get((api_format, model_id))
        return fetched if fetched is not None else _BUILTIN_DETAILS.get(model_id)

    def max_tokens_limit(self, api_format: ApiFormat, model_id: str) -> int:
        details = self.details(api_format, model_id)
        if details is not None and details.context_length:
            return min(details.context_length, DOCUMENTED_MAX_TOKENS)
        return DOCUMENTED_MAX_TOKENS

    def replacement_for(self, api_format: ApiFormat, model_id: str) -> str | None:
        """The served model to switch to when the server's own list (never the built-in one)
        no longer has `model_id`; None while the model is served or the list is unknown."""
        listed = self._lists.get(api_format)
        if listed is None or listed.fallback or not listed.ids or model_id in listed.ids:
            return None
        return preferred_model(listed)

    def invalidate(self) -> None:
        """Forget everything (the key, base URL or proxy changed)."""
        self._lists.clear()
        self._details.clear()
        self.set_connection(ConnectionState.UNKNOWN)

    def set_connection(self, state: ConnectionState, detail: UserText | str = "") -> None:
        """What a request (a model list, an answer) just showed about the connection."""
        if (state, detail) != (self.connection_state, self.connection_detail):
            self.connection_state, self.connection_detail = state, detail
            self.connectionChanged.emit()

    def answer_failed(self, api_format: ApiFormat, model: str, error: ErrorDetails) -> None:
        """An answer failed: when the server says its model does not exist (retired since the
        list was fetched), fetch the list again so the window can offer a served model."""
        said = f"{error.code or ''} {error.type or ''} {error.message}".lower()
        unknown_model = "model_not_found" in said or (
            error.status in (400, 404) and bool(model) and model.lower() in said
        )
        listed = self._lists.get(api_format)
        if unknown_model and (listed is None or listed.fallback or model in listed.ids):
            self.refresh(api_format)

    def refresh(self, api_format: ApiFormat) -> None:
        self._tasks.spawn(self._fetch_list(api_format), name=f"models-{api_format.value}")

    def request_details(self, api_format: ApiFormat, model_id: str) -> None:
        wanted = (api_format, model_id)
        if wanted in self._details or wanted in self._pending or not model_id:
            return
        self._pending.add(wanted)
        self._tasks.spawn(self._fetch_details(api_format, model_id), name="model-details")

    async def _fetch_list(self, api_format: ApiFormat) -> None:
        if not self._clients.has_key:
            self._lists[api_format] = ModelList(
                FALLBACK_MODELS,
                fallback=True,
                note=_tr("Add your API key to see the platform's models."),
            )
        else:
            if self.connection_state is not ConnectionState.CONNECTED:
                self.set_connection(ConnectionState.CHECKING)
            try:
                async with self._clients.using(api_format) as client:
                    models = await client.list_models()
            except ApiError as error:
                self.set_connection(connection_state_of(error), said(error))
                self._lists[api_format] = ModelList(
                    FALLBACK_MODELS,
                    fallback=True,
                    note=_tr(
                        "The model list could not be fetched (%1); showing built-in models.",
                        localized(said(error)),
                    ),
                )
            else:
                self.set_connection(ConnectionState.CONNECTED)
                ids = tuple(dict.fromkeys(model.id for model in models if model.id))
                self._lists[api_format] = (
                    ModelList(ids, fallback=False)
                    if ids
                    else ModelList(
                        FALLBACK_MODELS,
                        fallback=True,
                        note=_tr("The platform listed no models; showing built-in models."),
                    )
                )
        self.modelsChanged.emit(api_format.value)
        listed = self._lists[api_format]
        if not listed.fallback:
            # The picker shows every listed model's modalities, not only the chosen one's (whose
            # details the window asks for first). One at a time: a few small requests.
            for model_id in listed.ids[:_DETAILS_PER_LIST]:
                wanted = (api_format, model_id)
                if wanted not in self._details and wanted not in self._pending:
                    self._pending.add(wanted)
                    await self._fetch_details(api_format, model_id)

    async def _fetch_details(self, api_format: ApiFormat, model_id: str) -> None:
        try:
            if self._clients.has_key:
                async with self._clients.using(api_format) as client:
                    details = await client.model_details(model_id)
                self._details[(api_format, model_id)] = details
                self.detailsChanged.emit(api_format.value, model_id)
        except ApiError:
            pass  # The picker simply shows no details; the list's note covers outages.
        finally:
            self._pending.discard((api_format, model_id))


def pick_model(available: ModelList, wanted: str) -> tuple[str, str | None]:
    """The model to use for `wanted`, and a note when it had to be replaced."""
    if wanted in available.ids or available.fallback or not available.ids:
        return wanted, None
    chosen = preferred_model(available)
    return chosen, _tr("%1 is not offered by the server; using %2.", wanted, chosen)


def preferred_model(available: ModelList) -> str:
    """LongCat-2.0 when listed, else the first listed model."""
    if PREFERRED_MODEL in available.ids or not available.ids:
        return PREFERRED_MODEL
    return available.ids[0]
