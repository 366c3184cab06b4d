"""Decode overhead: our client against a bare httpx loop over the same stream.

    python -m benchmarks.bench_stream [--events N] [--runs R]

Both read the same recorded bytes from the local LongCat test server over loopback. The bare
loop is the floor any client pays (read lines, parse JSON); the ratio says what our byte-level
SSE decoder, adapter and typed events cost on top. Target: ours at least 0.8 of the bare loop.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx

from longcat_desktop.api import ApiFormat, ChatClient, ChatRequest, Message, TextDelta
from tests.fakes.longcat_server import LongCatServer, Scenario

REQUEST = ChatRequest(model="LongCat-2.0", messages=[Message("user", "Go")])


async def record_stream(server: LongCatServer, api_format: ApiFormat, events: int) -> bytes:
    server.push(Scenario(deltas=[f" tok{i}" for i in range(events)]))
    path = (
        "/openai/v1/chat/completions"
        if api_format is ApiFormat.OPENAI
        else "/anthropic/v1/messages"
    )
    body = {"model": REQUEST.model, "messages": [{"role": "user", "content": "Go"}], "stream": True}
    if api_format is ApiFormat.ANTHROPIC:
        body["max_tokens"] = 1000
    async with (
        httpx.AsyncClient(base_url=server.url) as http,
        http.stream(
            "POST", path, json=body, headers={"Authorization": f"Bearer {server.api_key}"}
        ) as response,
    ):
        return await response.aread()


async def ours(server: LongCatServer, api_format: ApiFormat) -> int:
    count = 0
    async with ChatClient(
        base_url=server.url, api_key=server.api_key, api_format=api_format, max_retries=0
    ) as client:
        async for event in client.stream_chat(REQUEST):
            if isinstance(event, TextDelta):
                count += 1
    return count


async def bare(server: LongCatServer, api_format: ApiFormat) -> int:
    path = (
        "/openai/v1/chat/completions"
        if api_format is ApiFormat.OPENAI
        else "/anthropic/v1/messages"
    )
    count = 0
    async with (
        httpx.AsyncClient(base_url=server.url) as http,  # the same transport our client uses
        http.stream(
            "POST",
            path,
            json={
                "model": REQUEST.model,
                "messages": [{"role": "user", "content": "Go"}],
                "max_tokens": 1000,
                "stream": True,
            },
            headers={"Authorization": f"Bearer {server.api_key}"},
        ) as response,
    ):
        async for line in response.aiter_lines():
            if line.startswith("data: ") and line != "data: [DONE]":
                json.loads(line[6:])
                count += 1
    return count


async def timed(
    server: LongCatServer,
    stream: bytes,
    reader: Callable[[LongCatServer, ApiFormat], Awaitable[int]],
    api_format: ApiFormat,
) -> tuple[float, int]:
    server.push(Scenario(raw_stream=stream))
    started = time.perf_counter()
    count = await reader(server, api_format)
    return time.perf_counter() - started, count


async def measure(events: int, runs: int) -> list[dict[str, float | str]]:
    rows: list[dict[str, float | str]] = []
    with LongCatServer() as server:
        for api_format in ApiFormat:
            stream = await record_stream(server, api_format, events)
            ours_rates, bare_rates = [], []
            for _ in range(runs):
                seconds, count = await timed(server, stream, bare, api_format)
                bare_rates.append(count / seconds)
                seconds, count = await timed(server, stream, ours, api_format)
                assert count == events, f"decoded {count} of {events} text events"
                ours_rates.append(events / seconds)
            ours_rate, bare_rate = statistics.median(ours_rates), statistics.median(bare_rates)
            rows.append(
                {
                    "format": api_format.value,
                    "ours_events_per_s": ours_rate,
                    "bare_events_per_s": bare_rate,
                    "ratio": ours_rate / bare_rate,
                }
            )
    return rows


def main(argv: list[str] | None = None) -> list[dict[str, float | str]]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rows = asyncio.run(measure(args.events, args.runs))
    print(f"Stream decoding, {args.events} events, median of {args.runs} runs")
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"{'format':<10} {'ours ev/s':>12} {'bare ev/s':>12} {'ratio':>7}  (target >= 0.80)")
    for row in rows:
        print(
            f"{row['format']:<10} {row['ours_events_per_s']:>12,.0f} "
            f"{row['bare_events_per_s']:>12,.0f} {row['ratio']:>7.2f}"
        )
    return rows


if __name__ == "__main__":
    main()
