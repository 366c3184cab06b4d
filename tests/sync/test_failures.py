"""A server that fails, lies or holds the wrong data: nothing local is lost, and the next sync
completes. Wrong credentials or a newer format: a clear message and no writes on either side."""

from __future__ import annotations

import json
import sqlite3

import pytest

from longcat_desktop.store import sync_changes
from longcat_desktop.sync.engine import FORMAT_NAME
from longcat_desktop.sync.webdav import AuthenticationFailed, SyncError
from tests.fakes.webdav_server import Fault, WebDavServer
from tests.sync.helpers import Device, answered, server_files


def _sync_state(device: Device) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(device.data_dir / "longcat.db")
    try:
        return connection.execute(
            "SELECT key, value FROM sync_meta WHERE key != 'last_sync'"
            " UNION ALL SELECT device, applied FROM sync_peers ORDER BY 1"
        ).fetchall()
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("status", "method", "words"),
    [
        (500, "PUT", "HTTP 500"),
        (507, "MOVE", "no space left"),
        (503, "PROPFIND", "HTTP 503"),
    ],
)
def test_a_failing_upload_loses_nothing_and_the_next_sync_completes(
    laptop: Device, desktop: Device, status: int, method: str, words: str, server: WebDavServer
) -> None:
    laptop.sync()
    laptop.chat("Question", "Answer")
    before = laptop.export()
    server.fail_next(status, method=method)

    with pytest.raises(SyncError, match=words):
        laptop.sync()

    assert laptop.export() == before
    assert laptop.sync().sent_sets == 1
    desktop.sync()
    assert desktop.export() == laptop.export()


def test_a_sync_cut_off_between_two_change_sets_resumes_without_duplicates(
    laptop: Device, desktop: Device, monkeypatch: pytest.MonkeyPatch, server: WebDavServer
) -> None:
    monkeypatch.setattr(sync_changes, "MAX_MESSAGES_PER_SET", 2)
    for number in range(3):
        laptop.chat(f"Question {number}", f"Answer {number}")
    # One conversation per change set; the server goes away after the first is in place.
    server.add(Fault("status", "MOVE", path_contains="tmp/", status=502, after=3))

    with pytest.raises(SyncError, match="HTTP 502"):
        laptop.sync()

    assert desktop.sync().received.conversations == 1
    assert laptop.sync().sent_sets == 2
    assert desktop.sync().received.conversations == 2
    assert desktop.export() == laptop.export()
    sets = list((laptop.server.folder / "changes").glob("*/*.bin"))
    assert len(sets) == 3


def test_an_unreachable_server_is_reported_and_changes_nothing(laptop: Device) -> None:
    laptop.chat("Question", "Answer")
    before = laptop.export()
    with pytest.raises(SyncError, match="Could not reach"):
        laptop.sync(url="http://127.0.0.1:9/dav/")
    assert laptop.export() == before


def test_a_server_that_does_not_answer_in_time_is_reported(
    laptop: Device, desktop: Device, server: WebDavServer
) -> None:
    laptop.chat("Question", "Answer")
    laptop.sync()
    desktop.sync()
    laptop.chat("Second", "Reply")
    laptop.sync()
    before = desktop.export()
    server.add(Fault("hang", "GET", path_contains="changes/", seconds=1.5))

    with pytest.raises(SyncError, match="did not answer in time"):
        desktop.sync(timeout=0.5)

    assert desktop.export() == before
    desktop.sync()
    assert desktop.export() == laptop.export()


@pytest.mark.parametrize("kind", ["truncate", "tamper"])
def test_a_truncated_or_altered_change_set_is_rejected_and_reported(
    laptop: Device, desktop: Device, kind: str, server: WebDavServer
) -> None:
    laptop.chat("Question", "Answer")
    laptop.sync()
    before = desktop.export()
    server.add(Fault(kind, "GET", path_contains="changes/"))

    result = desktop.sync()

    assert len(result.damaged) == 1
    assert "changes/" in result.damaged[0]
    assert "damaged or was altered" in str(result.summary())
    assert desktop.export() == before
    assert desktop.sync().received.conversations == 1
    assert desktop.export() == laptop.export()


def test_a_change_set_damaged_for_good_holds_up_nothing_else_and_is_merged_once_repaired(
    laptop: Device, desktop: Device
) -> None:
    first = laptop.chat("First question", "First answer")
    laptop.sync()
    (damaged,) = (laptop.server.folder / "changes").glob("*/1.bin")
    original = damaged.read_bytes()
    damaged.write_bytes(original[: len(original) // 2])
    second = laptop.chat("Second question", "Second answer")
    laptop.sync()

    result = desktop.sync()
    assert result.damaged == [f"changes/{damaged.parent.name}/1.bin"]
    assert desktop.conversation(first) is None
    assert desktop.texts(second) == ["Second answer", "Second question"]
    # Reported at every sync while it stays damaged, and later sets keep arriving.
    third = laptop.chat("Third question", "Third answer")
    laptop.sync()
    again = desktop.sync()
    assert again.damaged == result.damaged
    assert desktop.conversation(third) is not None

    damaged.write_bytes(original)
    repaired = desktop.sync()
    assert not repaired.damaged
    assert repaired.received.conversations == 1
    assert desktop.export() == laptop.export()
    assert not desktop.sync().damaged


def test_a_reply_in_a_later_set_waits_for_its_question_in_a_damaged_one(
    laptop: Device, desktop: Device, server: WebDavServer
) -> None:
    conversation = laptop.chat("Question", "Answer")
    laptop.sync()
    server.add(Fault("tamper", "GET", path_contains="/1.bin"))
    with laptop.store() as store:
        conversation_id = laptop.local_id(store, conversation)
        _question, answer = store.messages.visible_thread(conversation_id)
        asked = store.messages.add_user_message(conversation_id, answer.id, "Follow-up")
        answered(store, conversation_id, asked.id, "Follow-up answer")
    laptop.sync()

    assert desktop.sync().damaged
    assert desktop.conversation(conversation) is not None
    assert desktop.texts(conversation) == []  # the replies wait for their parents
    assert not desktop.sync().damaged
    assert desktop.export() == laptop.export()


def test_a_change_set_copied_under_another_name_is_rejected(
    laptop: Device, desktop: Device
) -> None:
    laptop.chat("Question", "Answer")
    laptop.sync()
    (change_set,) = (laptop.server.folder / "changes").glob("*/1.bin")
    impostor = change_set.parent.parent / "0123456789abcdef0123456789abcdef"
    impostor.mkdir()
    (impostor / "1.bin").write_bytes(change_set.read_bytes())

    result = desktop.sync()

    assert result.damaged == ["changes/0123456789abcdef0123456789abcdef/1.bin"]
    assert desktop.export() == laptop.export()


def test_a_wrong_password_is_a_clear_error_and_writes_nothing(laptop: Device) -> None:
    laptop.chat("Question", "Answer")
    before = laptop.export()
    with pytest.raises(AuthenticationFailed, match="refused the user name or password"):
        laptop.sync(password="wrong")
    assert server_files(laptop.server) == {}
    assert laptop.export() == before
    assert _sync_state(laptop) == []


def test_a_wrong_passphrase_is_a_clear_error_and_writes_nothing_on_either_side(
    laptop: Device, desktop: Device
) -> None:
    laptop.chat("Question", "Answer")
    laptop.sync()
    desktop.chat("Desktop", "Mine")
    on_server = server_files(laptop.server)
    before = desktop.export()

    with pytest.raises(SyncError, match="passphrase is not the one"):
        desktop.sync(passphrase="another passphrase")

    assert server_files(laptop.server) == on_server
    assert desktop.export() == before
    assert _sync_state(desktop) == []


def test_a_folder_of_a_newer_format_is_left_alone(laptop: Device) -> None:
    laptop.sync()
    format_file = laptop.server.folder / FORMAT_NAME
    document = json.loads(format_file.read_bytes())
    document["version"] = 99
    format_file.write_text(json.dumps(document))
    laptop.chat("Question", "Answer")
    on_server = server_files(laptop.server)
    before = laptop.export()

    with pytest.raises(SyncError, match="newer version of LongCat Desktop"):
        laptop.sync()

    assert server_files(laptop.server) == on_server
    assert laptop.export() == before


def test_a_folder_holding_something_else_is_left_alone(laptop: Device) -> None:
    (laptop.server.folder / FORMAT_NAME).write_text("not json")
    with pytest.raises(SyncError, match="did not write"):
        laptop.sync()
    assert server_files(laptop.server) == {FORMAT_NAME: b"not json"}


def test_an_upload_cut_short_leaves_nothing_behind_once_the_next_one_succeeds(
    laptop: Device,
    server: WebDavServer,
) -> None:
    laptop.sync()
    laptop.chat("Question", "Answer")
    server.fail_next(502, method="MOVE")
    server.fail_next(502, method="DELETE")
    with pytest.raises(SyncError):
        laptop.sync()
    assert len(list((laptop.server.folder / "tmp").iterdir())) == 1

    assert laptop.sync().sent_sets == 1
    assert list((laptop.server.folder / "tmp").iterdir()) == []
