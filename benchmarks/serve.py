"""The local LongCat test server in a process of its own, for the benchmarks.

    python -m benchmarks.serve

Prints one JSON line with its URL and key; then each JSON line on stdin,
``{"deltas": [...], "delay": seconds}``, queues the answer of the next chat request and is
acknowledged with a line on stdout. Ends when stdin closes.
"""

from __future__ import annotations

import json
import sys

from tests.fakes.longcat_server import LongCatServer, Scenario


def main() -> int:
    with LongCatServer() as server:
        print(json.dumps({"url": server.url, "key": server.api_key}), flush=True)
        for line in sys.stdin:
            if not line.strip():
                continue
            spec = json.loads(line)
            server.push(Scenario(deltas=spec["deltas"], delay=float(spec.get("delay", 0.0))))
            print("ok", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
