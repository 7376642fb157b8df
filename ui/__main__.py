"""`python -m ui` starts the desktop app, like `trainer-gui`."""

import sys

from ui.app import main

sys.exit(main())
