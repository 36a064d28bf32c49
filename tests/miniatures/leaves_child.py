"""Starts a child in a session of its own that keeps stdout open for a minute, then dies on the third batch."""

import subprocess
import sys

import _speaker

subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)


def decide(request, n):
    if n == 3:
        sys.exit(1)
    return _speaker.right(request)


_speaker.run(decide)
