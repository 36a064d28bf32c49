"""Answers the first case of every batch twice."""

import _speaker


def decide(request, n):
    reply = _speaker.right(request)
    reply["results"].insert(1, reply["results"][0])
    return reply


_speaker.run(decide)
