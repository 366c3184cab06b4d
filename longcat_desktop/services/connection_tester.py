"""The Settings dialog's Test connection: a throwaway client with the values being edited."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from longcat_desktop.domain import ApiError, ApiFormat
from longcat_desktop.services.client_pool import ConnectionConfig, make_client
from longcat_desktop.services.i18n import translate
from longcat_desktop.services.tasks import TaskOwner
from longcat_desktop.services.user_text import localized, said


class ConnectionTester(QObject):
    # Whether it worked, and a sentence: the models seen, or the server's own error.
    finished = Signal(bool, str)

    def __init__(self, tasks: TaskOwner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks = tasks

    def test(self, key: str, config: ConnectionConfig, api_format: ApiFormat) -> None:
        self._tasks.spawn(self._test(key, config, api_format), name="connection-test")

    async def _test(self, key: str, config: ConnectionConfig, api_format: ApiFormat) -> None:
        try:
            client = make_client(config, key, api_format)
        except ApiError as error:
            self.finished.emit(False, localized(said(error)))
            return
        try:
            models = await client.list_models()
        except ApiError as error:
            self.finished.emit(False, _with_status(error))
            return
        finally:
            await client.aclose()
        names = ", ".join(model.id for model in models) or translate(
            "ConnectionTester", "no models"
        )
        self.finished.emit(
            True, translate("ConnectionTester", "Connected. Models available: %1", names)
        )


def _with_status(error: ApiError) -> str:
    text = localized(said(error))
    return text if error.status is None else f"{text} (HTTP {error.status})"
