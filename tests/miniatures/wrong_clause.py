"""Misreads one clause: a conforming Call-centre appeal (p18.ch2) gets no intake answer."""

import _speaker


def decide(request, n):
    reply = _speaker.right(request)
    for item, result in zip(request["cases"], reply["results"]):
        if item["case"]["channel"] == "call_centre_conforming" and "answer" in result:
            result["answer"]["intake"] = None
    return reply


_speaker.run(decide)
