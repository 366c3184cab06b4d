"""`python -m longcat_desktop` starts the app."""

import sys

from longcat_desktop.app import main

sys.exit(main())
