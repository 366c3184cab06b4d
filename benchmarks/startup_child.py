"""Runs the real app (`longcat_desktop.app.main`) and reports when its window is first painted.

    python -m benchmarks.startup_child --data-dir DIR --base-url URL   (key: LONGCAT_API_KEY)

Used by bench_startup in a fresh process. An event filter on the main window, installed as
it is shown, notes its first Paint event; once that whole first frame is painted (the app's
own wait for it returns, or else a zero timer fires), the wall-clock time (time.time(),
compared by the parent with the time it spawned us), the CPU time and the peak memory at that
moment are printed as one JSON line.
The app keeps running for LONGCAT_BENCH_SETTLE seconds (default 1.0: the last conversation
opens, models are fetched), then the memory is printed again and the process ends at once.

LONGCAT_BENCH_MODULES=1 also prints the names of the modules loaded by then.
LONGCAT_BENCH_PROFILE=FILE also writes a cProfile of everything up to the first painted frame
(read it with `python -m pstats FILE`).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

# Before PySide6, as the installed `longcat-desktop` script does: what the app imports before
# PySide6 escapes PySide's per-module import check, so the order changes the figure.
from longcat_desktop.app import main as app_main


def _usage() -> dict[str, float]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    rss = 0.0
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
    return {
        "cpu": usage.ru_utime + usage.ru_stime,
        "max_rss_mb": usage.ru_maxrss / 1024,
        "rss_mb": rss,
    }


def main() -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QMainWindow

    settle = float(os.environ.get("LONGCAT_BENCH_SETTLE", "1.0"))
    profile_path = os.environ.get("LONGCAT_BENCH_PROFILE")
    profiler = None
    if profile_path:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    state = {"seen": False, "done": False}

    def report(what: str, **extra: float) -> None:
        print(json.dumps({"event": what, "time": time.time(), **_usage(), **extra}), flush=True)

    def finish() -> None:
        report("settled")
        sys.stdout.flush()
        os._exit(0)

    def first_frame_done() -> None:
        if state["done"]:
            return
        state["done"] = True
        report("painted")
        if os.environ.get("LONGCAT_BENCH_MODULES"):
            print(json.dumps({"event": "modules", "names": sorted(sys.modules)}), flush=True)
        if profiler is not None and profile_path:
            profiler.disable()
            profiler.dump_stats(profile_path)
        QTimer.singleShot(int(settle * 1000), finish)

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if not state["seen"] and event.type() == QEvent.Type.Paint:
                state["seen"] = True
                report("first-paint-event")
                QTimer.singleShot(0, first_frame_done)
            return False

    watcher = FirstPaint()
    # Only the main window is watched (a filter on the whole application would itself cost
    # tens of milliseconds); it gets its Paint event first in each frame of the window.
    original_show = QMainWindow.show

    def show(window: QMainWindow) -> None:
        window.installEventFilter(watcher)
        original_show(window)

    QMainWindow.show = show  # type: ignore[method-assign,assignment]

    # The app paints its first frame in a short event loop of its own, before asyncio's loop
    # exists; the frame is complete when that returns. (The zero timer above is the fallback
    # for a start that paints in the main loop.)
    import longcat_desktop.app as app_module

    original_wait = app_module._until_first_paint

    def until_first_paint(window: QMainWindow, at_most_ms: int = 1000) -> None:
        original_wait(window, at_most_ms)
        if state["seen"]:
            first_frame_done()

    app_module._until_first_paint = until_first_paint  # type: ignore[assignment]

    app_main(sys.argv[1:])
    print(json.dumps({"event": "exited"}), flush=True)


if __name__ == "__main__":
    main()
