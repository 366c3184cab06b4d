"""Persistence: SQLite conversations, settings, and secrets in the OS keyring. No Qt, no httpx."""
