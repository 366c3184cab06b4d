"""The bundle's entry point (PyInstaller wants a script): `python -m longcat_desktop`."""

import sys

from longcat_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
