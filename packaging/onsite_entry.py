"""PyInstaller entry point: the frozen `onsite` executable runs desktop.app.main()."""

import sys

from desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
