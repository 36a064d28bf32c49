"""Answers a case right the first time and differently when it is asked again."""

import json

import _speaker

seen = set()


def decide(request, n):
    reply = _speaker.right(request)
    for item, result in zip(request["cases"], reply["results"]):
        key = json.dumps(item["case"], sort_keys=True)
        if key in seen and "answer" in result:
            result["answer"]["in_force"] = "repealed"
        seen.add(key)
    return reply


_speaker.run(decide)
