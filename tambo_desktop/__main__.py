"""`python -m tambo_desktop` runs the command line (no verb starts the GUI)."""

import sys

from tambo_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
