"""``python -m collectlib``: the command line."""

import sys

from collectlib.cli import main

sys.exit(main())
