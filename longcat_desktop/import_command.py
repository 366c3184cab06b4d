"""`longcat-desktop --import PATH`: import an export into the data folder, without a window.

Prints one summary line on stdout (and a line on stderr for each conversation skipped as
malformed) and returns 0; on failure, one line on stderr with the reason and a non-zero status.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

# Exit statuses: the file could not be imported (not an export, unreadable, every conversation
# malformed), or the data folder could not be used (locked by the running app, damaged).
FAILED = 1
DATA_FOLDER_UNUSABLE = 3


def run_import(
    path: Path, data_dir: Path, out: TextIO = sys.stdout, err: TextIO = sys.stderr
) -> int:
    from longcat_desktop.services.settings_service import SettingsService
    from longcat_desktop.store import SETTINGS_NAME, DataDirLock, Settings, Store, StoreError
    from longcat_desktop.store.importers import Tally, read_import

    def fail(reason: str, status: int = FAILED) -> int:
        print(f"Import failed: {' '.join(reason.split())}", file=err)
        return status

    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return fail(f"the data folder {data_dir} cannot be used ({error.strerror}).", 3)
    try:
        lock = DataDirLock.acquire(data_dir)
    except StoreError as error:
        # Most often: the app is running with this folder. Its store is written by it alone.
        return fail(str(error), DATA_FOLDER_UNUSABLE)
    try:
        settings = SettingsService(Settings.load(data_dir / SETTINGS_NAME))
        try:
            store = Store.open(data_dir)
        except StoreError as error:
            return fail(str(error), DATA_FOLDER_UNUSABLE)
        with store:
            try:
                plan = read_import(path, settings.new_conversation_settings())
            except StoreError as error:
                return fail(str(error))
            tally = Tally(len(plan.candidates))
            try:
                for tally in store.import_steps(plan):  # noqa: B007 (the last one is kept)
                    pass
            except StoreError as error:
                return fail(f"{error} {tally.summary(plan)}")
    finally:
        lock.release()
    for line in tally.skipped_lines():
        print(" ".join(str(line).split()), file=err)
    print(tally.summary(plan), file=out)
    if tally.total and not tally.added and not tally.already_here:
        return FAILED
    return 0
