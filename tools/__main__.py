"""`python -m kzappeals` runs the command line (for machines where pip's script folder is not on PATH)."""

import sys

from kzappeals.cli import main

sys.exit(main())
