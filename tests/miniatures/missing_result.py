"""From the third batch on, drops the last result of every batch."""

import _speaker


def decide(request, n):
    reply = _speaker.right(request)
    if n >= 3:
        reply["results"].pop()
    return reply


_speaker.run(decide)
