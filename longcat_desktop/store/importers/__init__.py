"""Import of conversation exports: ours, ChatGPT's and Claude.ai's. No Qt.

In two halves, so that the slow one can run on a worker thread:
    read_import(path, settings) -> ImportPlan      read, parse, detect, convert (no database)
    import_steps(store, plan) -> Iterator[Tally]   write each conversation in its own
                                                   transaction, on the store's thread
A conversation that cannot be read is skipped and reported by its title; the rest go on.
"""

from longcat_desktop.store.importers.detect import KIND_NAMES, ExportKind, detect
from longcat_desktop.store.importers.read import ImportCancelledError, ImportPlan, read_import
from longcat_desktop.store.importers.source import MAX_IMPORT_BYTES
from longcat_desktop.store.importers.tree import Candidate
from longcat_desktop.store.importers.write import Tally, import_steps, write_candidate

__all__ = [
    "KIND_NAMES",
    "MAX_IMPORT_BYTES",
    "Candidate",
    "ExportKind",
    "ImportCancelledError",
    "ImportPlan",
    "Tally",
    "detect",
    "import_steps",
    "read_import",
    "write_candidate",
]
