"""Sends the results of every batch in reverse order."""

import _speaker


def decide(request, n):
    reply = _speaker.right(request)
    reply["results"].reverse()
    return reply


_speaker.run(decide)
