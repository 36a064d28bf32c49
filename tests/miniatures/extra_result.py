"""On the third batch, adds a result for a seq nobody asked."""

import _speaker


def decide(request, n):
    reply = _speaker.right(request)
    if n == 3:
        reply["results"].append({**reply["results"][0], "seq": 10**9})
    return reply


_speaker.run(decide)
