"""Answers two batches, then dies with a traceback on the third."""

import _speaker


def decide(request, n):
    if n == 3:
        raise RuntimeError("vendor engine lost its rule table")
    return _speaker.right(request)


_speaker.run(decide)
