"""Answers right while writing a lot to stderr: noise is allowed and must not stall the session."""

import sys

import _speaker


def decide(request, n):
    for i in range(2000):
        print(f"debug: batch {request['batch']} step {i} " + "." * 60, file=sys.stderr)
    return _speaker.right(request)


_speaker.run(decide)
