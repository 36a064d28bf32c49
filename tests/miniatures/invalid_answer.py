"""Sends answers that fail the schema: a signatory the vocabulary does not have."""

import _speaker


def decide(request, n):
    reply = _speaker.right(request)
    for result in reply["results"]:
        if "answer" in result:
            result["answer"]["signatory"] = "chief_prosecutor"
    return reply


_speaker.run(decide)
