"""Answers right but exits with status 3 on stop."""

import sys

import _speaker

try:
    _speaker.run()
except SystemExit:
    sys.exit(3)
