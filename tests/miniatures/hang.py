"""Answers two batches, then never answers the third."""

import sys
import time

import _speaker


def decide(request, n):
    if n == 3:
        print("thinking very hard about batch", request["batch"], file=sys.stderr, flush=True)
        time.sleep(3600)
    return _speaker.right(request)


_speaker.run(decide)
