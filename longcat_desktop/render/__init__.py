"""Markdown to Qt rich text, incrementally: finished blocks cached, only the open tail redone."""
