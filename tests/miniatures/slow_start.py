"""Takes a minute before it reads the start command."""

import time

time.sleep(60)
import _speaker  # noqa: E402 - the point is how late this happens

_speaker.run()
