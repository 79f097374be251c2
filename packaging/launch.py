"""The bundle's entry point (PyInstaller runs this as __main__)."""

import sys

from legtimer.__main__ import main

sys.exit(main())
