"""Sync through the user's own WebDAV storage, end-to-end encrypted (see README, "Sync").

crypto: keys and sealed objects. webdav: the few WebDAV requests needed, over httpx. engine: one
sync, from listing the server to uploading the local changes. command: --sync-now. The database
side (what changed, merging) is store/sync_changes.py.
"""
