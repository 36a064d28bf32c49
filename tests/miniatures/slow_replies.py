"""Answers right, but takes 0.2 s over every batch."""

import time

import _speaker


def decide(request, n):
    time.sleep(0.2)
    return _speaker.right(request)


_speaker.run(decide)
