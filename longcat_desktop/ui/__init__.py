"""Windows, dialogs, widgets and item models. Never api, store, httpx or keyring."""
