"""Entry script of the PyInstaller bundle: the same command line as ``python -m tambo_desktop``."""

import sys

from tambo_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
