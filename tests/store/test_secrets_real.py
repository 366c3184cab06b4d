"""The API key against a real Secret Service: gnome-keyring in a private D-Bus session.

Runs in a child process so that neither the in-memory test keyring nor the developer's own
session keyring is involved.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

import pytest

from tests.store.helpers import child_environment

_SCRIPT = textwrap.dedent(
    """
    import keyring
    from longcat_desktop.store import KeySource, SecretStore
    from longcat_desktop.store.secrets import SERVICE_NAME, USERNAME

    backend = keyring.get_keyring()
    print("BACKEND", type(backend).__module__, type(backend).__name__)
    secrets = SecretStore()
    assert secrets.load().source is KeySource.NONE, secrets.load()
    assert secrets.save("sk-real-first").persisted
    assert keyring.get_password(SERVICE_NAME, USERNAME) == "sk-real-first"
    fresh = SecretStore().load()
    assert (fresh.key, fresh.source) == ("sk-real-first", KeySource.KEYRING), fresh
    assert SecretStore().save("sk-real-second").persisted
    assert SecretStore().load().key == "sk-real-second"
    assert SecretStore().delete().persisted
    assert SecretStore().load().key is None
    assert keyring.get_password(SERVICE_NAME, USERNAME) is None
    print("OK")
    """
)


def test_store_read_replace_delete_in_gnome_keyring() -> None:
    tools = ("dbus-run-session", "gnome-keyring-daemon")
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        pytest.skip(
            f"a real Secret Service needs {' and '.join(missing)} "
            "(Debian packages dbus and gnome-keyring)"
        )
    environment = child_environment()
    for variable in ("DBUS_SESSION_BUS_ADDRESS", "PYTHON_KEYRING_BACKEND"):
        environment.pop(variable, None)
    shell = (
        "echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
        f'exec "{sys.executable}" -c "$0"'
    )
    result = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", shell, _SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,
        env=environment,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BACKEND keyring.backends.SecretService Keyring" in result.stdout, result.stdout
    assert result.stdout.rstrip().endswith("OK")
