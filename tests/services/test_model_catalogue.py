"""The model catalogue against the local LongCat server: the platform's list and details are the
truth, the built-in facts stand in only while they cannot be fetched, and a conversation on a
model the server stopped listing is pointed at a served one."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from longcat_desktop.domain import ApiFormat
from longcat_desktop.domain.conversation import ErrorDetails
from longcat_desktop.services.client_pool import ClientPool, ConnectionConfig
from longcat_desktop.services.model_catalogue import (
    DOCUMENTED_MAX_TOKENS,
    ModelCatalogue,
    ModelList,
    pick_model,
)
from longcat_desktop.services.tasks import TaskOwner
from tests.fakes.longcat_server import LongCatServer, Scenario
from tests.qt_async import emitted, run, until

OPENAI = ApiFormat.OPENAI


@pytest.fixture
def catalogue(
    longcat_server: LongCatServer, qloop: asyncio.AbstractEventLoop
) -> Iterator[ModelCatalogue]:
    errors: list[BaseException] = []
    tasks = TaskOwner(qloop, errors.append)
    clients = ClientPool(ConnectionConfig(base_url=longcat_server.url, max_retries=0))
    clients.set_key(longcat_server.api_key)
    catalogue = ModelCatalogue(clients, tasks)
    try:
        yield catalogue
    finally:
        tasks.cancel_all()
        run(qloop, tasks.wait_cancelled())
        run(qloop, clients.aclose())
    assert not errors, errors


def fetch(catalogue: ModelCatalogue, loop: asyncio.AbstractEventLoop) -> ModelList:
    async def body() -> None:
        waiting = emitted(catalogue.modelsChanged)
        catalogue.refresh(OPENAI)
        await waiting

    run(loop, body())
    return catalogue.models(OPENAI)


def test_the_built_in_list_is_the_platform_of_today() -> None:
    clients = ClientPool(ConnectionConfig(base_url="http://127.0.0.1:9"))
    catalogue = ModelCatalogue(clients, TaskOwner())
    listed = catalogue.models(OPENAI)
    assert listed.fallback
    assert listed.ids == ("LongCat-2.0", "LongCat-2.5-Preview")
    general = catalogue.details(OPENAI, "LongCat-2.0")
    assert general is not None
    assert general.context_length == 1_048_576
    assert general.input_modalities == ("text",)
    assert "tools" in general.supported_parameters
    preview = catalogue.details(OPENAI, "LongCat-2.5-Preview")
    assert preview is not None
    assert preview.input_modalities == ("text", "image", "video")
    assert "tools" in preview.supported_parameters
    # Not published: unknown, not zero.
    assert preview.context_length is None
    assert catalogue.details(OPENAI, "LongCat-Flash-Chat") is None
    assert catalogue.max_tokens_limit(OPENAI, "LongCat-2.0") == 131072 == DOCUMENTED_MAX_TOKENS


def test_new_conversations_prefer_longcat_2_0_else_the_first_listed() -> None:
    served = ModelList(("LongCat-2.5-Preview", "LongCat-2.0"), fallback=False)
    model, note = pick_model(served, "LongCat-2.0-Preview")
    assert model == "LongCat-2.0"
    assert note is not None
    assert "LongCat-2.0-Preview" in note
    assert pick_model(served, "LongCat-2.5-Preview") == ("LongCat-2.5-Preview", None)
    other = ModelList(("Other-B", "Other-A"), fallback=False)
    assert pick_model(other, "LongCat-2.0")[0] == "Other-B"


def test_details_of_every_listed_model_are_fetched_and_replace_the_built_in_facts(
    catalogue: ModelCatalogue, longcat_server: LongCatServer, qloop: asyncio.AbstractEventLoop
) -> None:
    longcat_server.model_details["LongCat-2.0"] = {
        "id": "LongCat-2.0",
        "context_length": 65536,
        "architecture": {"input_modalities": ["text"]},
    }
    listed = fetch(catalogue, qloop)
    assert not listed.fallback
    assert listed.ids == ("LongCat-2.0", "LongCat-2.5-Preview")
    run(qloop, until(lambda: _fetched(catalogue), what="the details of both models"))
    preview = catalogue.details(OPENAI, "LongCat-2.5-Preview")
    assert preview is not None
    assert preview.input_modalities == ("text", "image")
    general = catalogue.details(OPENAI, "LongCat-2.0")
    assert general is not None
    assert general.context_length == 65536
    assert catalogue.max_tokens_limit(OPENAI, "LongCat-2.0") == 65536


def _fetched(catalogue: ModelCatalogue) -> bool:
    general = catalogue.details(OPENAI, "LongCat-2.0")
    preview = catalogue.details(OPENAI, "LongCat-2.5-Preview")
    return (
        general is not None
        and general.context_length == 65536
        and preview is not None
        and preview.context_length is not None
    )


def test_a_model_the_server_no_longer_lists_gets_a_served_replacement(
    catalogue: ModelCatalogue, qloop: asyncio.AbstractEventLoop
) -> None:
    # Before the list is fetched nothing is known: no replacement is offered.
    assert catalogue.replacement_for(OPENAI, "LongCat-Flash-Chat") is None
    fetch(catalogue, qloop)
    assert catalogue.replacement_for(OPENAI, "LongCat-Flash-Chat") == "LongCat-2.0"
    assert catalogue.replacement_for(OPENAI, "LongCat-2.5-Preview") is None
    assert catalogue.replacement_for(OPENAI, "LongCat-2.0") is None


def test_the_replacement_is_the_first_listed_when_longcat_2_0_is_not_served(
    catalogue: ModelCatalogue, longcat_server: LongCatServer, qloop: asyncio.AbstractEventLoop
) -> None:
    longcat_server.models = ["LongCat-2.5-Preview"]
    fetch(catalogue, qloop)
    assert catalogue.replacement_for(OPENAI, "LongCat-Flash-Chat") == "LongCat-2.5-Preview"


def test_no_replacement_is_offered_from_the_built_in_list(
    catalogue: ModelCatalogue, longcat_server: LongCatServer, qloop: asyncio.AbstractEventLoop
) -> None:
    longcat_server.push_models(Scenario.http_error(503, "Service temporarily unavailable"))
    assert fetch(catalogue, qloop).fallback
    assert catalogue.replacement_for(OPENAI, "LongCat-Flash-Chat") is None


def test_an_answer_refused_for_its_model_fetches_the_list_again(
    catalogue: ModelCatalogue, longcat_server: LongCatServer, qloop: asyncio.AbstractEventLoop
) -> None:
    longcat_server.models = ["LongCat-Flash-Chat", "LongCat-2.0"]
    fetch(catalogue, qloop)
    assert catalogue.replacement_for(OPENAI, "LongCat-Flash-Chat") is None
    # The platform retires the model while the app runs; the next answer is refused.
    longcat_server.models = ["LongCat-2.0", "LongCat-2.5-Preview"]
    refused = ErrorDetails(
        "Invalid model: LongCat-Flash-Chat", "invalid_request_error", "model_not_found", 400
    )

    async def body() -> None:
        waiting = emitted(catalogue.modelsChanged)
        catalogue.answer_failed(OPENAI, "LongCat-Flash-Chat", refused)
        await waiting

    run(qloop, body())
    assert catalogue.replacement_for(OPENAI, "LongCat-Flash-Chat") == "LongCat-2.0"


def test_other_failures_do_not_fetch_the_list_again(
    catalogue: ModelCatalogue, qloop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetch(catalogue, qloop)
    asked: list[ApiFormat] = []
    monkeypatch.setattr(catalogue, "refresh", asked.append)
    for error in (
        ErrorDetails("Rate limit exceeded", "rate_limit_error", "rate_limit_exceeded", 429),
        ErrorDetails("max_tokens: must be an integer from 1 to 131072", None, None, 400),
        # Already known to be gone: the window offers the switch without asking again.
        ErrorDetails("Invalid model: LongCat-Flash-Chat", None, "model_not_found", 400),
    ):
        catalogue.answer_failed(OPENAI, "LongCat-Flash-Chat", error)
    assert asked == []
    # The same refusal for a model the list still shows is news: ask again.
    catalogue.answer_failed(
        OPENAI, "LongCat-2.0", ErrorDetails("The model `LongCat-2.0` does not exist", status=404)
    )
    assert asked == [OPENAI]
