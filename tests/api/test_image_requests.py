"""Images in messages, on the wire of both formats, with the SDKs' request types as oracles."""

from __future__ import annotations

import base64
import json
from contextlib import aclosing
from typing import Any

import pytest
from anthropic.types import MessageParam
from openai.types.chat import ChatCompletionMessageParam

from longcat_desktop.api import (
    ApiFormat,
    BadRequestError,
    ChatClient,
    ChatRequest,
    ImagePart,
    Message,
    ToolCall,
)
from longcat_desktop.api.anthropic_format import AnthropicAdapter
from longcat_desktop.api.openai_format import OpenAIAdapter
from tests.api.sdk_shapes import sdk_accepts
from tests.fakes.longcat_server import LongCatServer, Scenario

OPENAI = OpenAIAdapter()
ANTHROPIC = AnthropicAdapter()

# Every byte value, so the base64 text has every character it can have.
PNG = ImagePart("image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
JPEG = ImagePart("image/jpeg", b"\xff\xd8\xff\xe0 a photo")
PNG_B64 = base64.b64encode(PNG.data).decode()
JPEG_B64 = base64.b64encode(JPEG.data).decode()


def _openai(messages: list[Message]) -> list[dict[str, Any]]:
    body = OPENAI.build_body(ChatRequest("LongCat-2.5-Preview", messages), stream=True)
    for message in body["messages"]:
        sdk_accepts(ChatCompletionMessageParam, message, ignore=("reasoning_content",))
    assert json.loads(json.dumps(body)) == body
    return list(body["messages"])


def _anthropic(messages: list[Message]) -> list[dict[str, Any]]:
    body = ANTHROPIC.build_body(ChatRequest("LongCat-2.5-Preview", messages), stream=True)
    for message in body["messages"]:
        sdk_accepts(MessageParam, message)
    assert json.loads(json.dumps(body)) == body
    return list(body["messages"])


# -- ImagePart and Message -----------------------------------------------------------------


@pytest.mark.parametrize("media_type", ["image/png", "image/jpeg", "image/webp", "image/gif"])
def test_the_four_image_types_are_accepted(media_type: str) -> None:
    assert ImagePart(media_type, b"x").media_type == media_type


@pytest.mark.parametrize(
    "media_type", ["image/bmp", "image/svg+xml", "image/heic", "png", "IMAGE/PNG", "", "text/plain"]
)
def test_other_media_types_are_value_errors(media_type: str) -> None:
    with pytest.raises(ValueError, match="media type"):
        ImagePart(media_type, b"x")


def test_image_data_must_be_bytes() -> None:
    with pytest.raises(ValueError, match="bytes"):
        ImagePart("image/png", "aGVsbG8=")  # type: ignore[arg-type]
    assert ImagePart("image/png", bytearray(b"ab")) == ImagePart("image/png", b"ab")  # type: ignore[arg-type]


def test_an_image_repr_never_holds_its_bytes() -> None:
    assert repr(PNG) == f"ImagePart(media_type='image/png', {len(PNG.data)} bytes)"


def test_images_are_kept_as_a_tuple_and_assistant_turns_have_none() -> None:
    assert Message("user", "x", images=[PNG]).images == (PNG,)
    with pytest.raises(ValueError, match="images"):
        Message("assistant", "x", images=[PNG])
    with pytest.raises(ValueError, match="ImagePart"):
        Message("user", "x", images=[b"raw"])  # type: ignore[list-item]


# -- OpenAI format -------------------------------------------------------------------------


def test_openai_text_first_then_one_data_url_per_image() -> None:
    (message,) = _openai([Message("user", "What is in these?", images=[PNG, JPEG])])
    assert message == {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is in these?"},
            {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG_B64}"}},
            {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{JPEG_B64}"}},
        ],
    }


def test_openai_image_without_text_has_no_text_part() -> None:
    (message,) = _openai([Message("user", "", images=[JPEG])])
    assert message["content"] == [
        {"type": "image_url", "image_url": {"url": f"data:image/jpeg;base64,{JPEG_B64}"}}
    ]


def test_openai_tool_images_follow_the_tool_messages_as_the_users_turn() -> None:
    calling = Message(
        "assistant", "", tool_calls=[ToolCall("c1", "screenshot", ""), ToolCall("c2", "f", "")]
    )
    messages = _openai(
        [
            Message("user", "Look"),
            calling,
            Message("tool", "Took a screenshot.", tool_call_id="c1", images=[PNG]),
            Message("tool", "done", tool_call_id="c2"),
        ]
    )
    assert [m["role"] for m in messages] == ["user", "assistant", "tool", "tool", "user"]
    assert messages[2] == {"role": "tool", "tool_call_id": "c1", "content": "Took a screenshot."}
    assert messages[4]["content"] == [
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{PNG_B64}"}}
    ]


# -- Anthropic format ----------------------------------------------------------------------


def test_anthropic_text_block_then_one_base64_image_block_per_image() -> None:
    (message,) = _anthropic([Message("user", "What is in these?", images=[PNG, JPEG])])
    assert message == {
        "role": "user",
        "content": [
            {"type": "text", "text": "What is in these?"},
            {
                "type": "image",
                "source": {"type": "base64", "media_type": "image/png", "data": PNG_B64},
            },
            {
                "type": "image",
                "source": {"type": "base64", "media_type": "image/jpeg", "data": JPEG_B64},
            },
        ],
    }


def test_anthropic_tool_result_with_an_image_and_user_images_after_it() -> None:
    calling = Message("assistant", "", tool_calls=[ToolCall("t1", "screenshot", "")])
    messages = _anthropic(
        [
            Message("user", "Look"),
            calling,
            Message("tool", "Took it.", tool_call_id="t1", images=[PNG]),
            Message("user", "And this one?", images=[JPEG]),
        ]
    )
    assert messages[2] == {
        "role": "user",
        "content": [
            {
                "type": "tool_result",
                "tool_use_id": "t1",
                "content": [
                    {"type": "text", "text": "Took it."},
                    {
                        "type": "image",
                        "source": {"type": "base64", "media_type": "image/png", "data": PNG_B64},
                    },
                ],
            },
            {"type": "text", "text": "And this one?"},
            {
                "type": "image",
                "source": {"type": "base64", "media_type": "image/jpeg", "data": JPEG_B64},
            },
        ],
    }


@pytest.mark.parametrize("adapter", [OPENAI, ANTHROPIC], ids=["openai", "anthropic"])
def test_a_message_without_images_keeps_its_plain_string(adapter: Any) -> None:
    body = adapter.build_body(ChatRequest("m", [Message("user", "Hi 你好")]), stream=False)
    assert json.dumps(body["messages"], ensure_ascii=False) == (
        '[{"role": "user", "content": "Hi 你好"}]'
    )


# -- Against the local server --------------------------------------------------------------


@pytest.fixture(params=[ApiFormat.OPENAI, ApiFormat.ANTHROPIC], ids=lambda f: f.value)
def api_format(request: pytest.FixtureRequest) -> ApiFormat:
    return ApiFormat(request.param)


@pytest.mark.anyio
async def test_images_reach_a_model_that_reads_them(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    longcat_server.models = ["LongCat-2.0", "LongCat-2.5-Preview"]
    longcat_server.push(Scenario(text="A cat."))
    request = ChatRequest("LongCat-2.5-Preview", [Message("user", "What is it?", images=[PNG])])
    async with (
        ChatClient(
            base_url=longcat_server.url, api_key=longcat_server.api_key, api_format=api_format
        ) as client,
        aclosing(client.stream_chat(request)) as events,
    ):
        assert [event async for event in events]
    content = longcat_server.last_request.json["messages"][0]["content"]
    if api_format is ApiFormat.OPENAI:
        url = content[1]["image_url"]["url"]
        assert base64.b64decode(url.removeprefix("data:image/png;base64,")) == PNG.data
    else:
        assert base64.b64decode(content[1]["source"]["data"]) == PNG.data


@pytest.mark.anyio
async def test_a_text_only_model_refuses_images_in_its_own_words(
    longcat_server: LongCatServer, api_format: ApiFormat
) -> None:
    request = ChatRequest("LongCat-2.0", [Message("user", "What is it?", images=[PNG])])
    longcat_server.models = ["LongCat-2.0"]
    async with ChatClient(
        base_url=longcat_server.url, api_key=longcat_server.api_key, api_format=api_format
    ) as client:
        with pytest.raises(BadRequestError, match="does not read images"):
            await client.complete(request)
