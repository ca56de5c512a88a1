"""``python -m bot``: the command line (see bot/cli/)."""

import sys

from bot import cli

if __name__ == "__main__":
    sys.exit(cli.main())
