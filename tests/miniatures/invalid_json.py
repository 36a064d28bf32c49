"""Answers two batches, then sends a line that is not JSON."""

import _speaker


def decide(request, n):
    if n == 3:
        return f'{{"batch": {request["batch"]}, "results": [{{"seq": 1, "answer": '
    return _speaker.right(request)


_speaker.run(decide)
