"""The cmd-protocol loop every miniature shares; each miniature changes one thing about it.

A miniature is run by path (``python tests/miniatures/hang.py``); its folder
is then on sys.path, so ``import _speaker`` works. Right answers come from
the bundled reference implementation, so whatever goes wrong is the
miniature's one deliberate fault.
"""

from __future__ import annotations

import json
import sys

from kzappeals.conformance.serving import DEFAULT_FUNCTION, FunctionImplementation, to_json

REFERENCE = FunctionImplementation.load(DEFAULT_FUNCTION)
HANDSHAKE = {**REFERENCE.handshake, "implementation": {"name": "miniature", "version": "1.0", "language": "python"}}


def right(request: dict) -> dict:
    """The right reply to a decide request."""
    return REFERENCE.decide(request)


def run(decide=None, handshake: dict | None = None) -> None:
    """Serve until stop. ``decide(request, n)`` (n: 1 for the first batch) returns the reply: a dict, or a raw line."""
    n = 0
    for line in sys.stdin:
        request = json.loads(line)
        if request["cmd"] == "start":
            reply = handshake or HANDSHAKE
        elif request["cmd"] == "stop":
            sys.exit(0)
        else:
            n += 1
            reply = decide(request, n) if decide else right(request)
        sys.stdout.write(reply if isinstance(reply, str) else json.dumps(reply, default=to_json))
        sys.stdout.write("\n")
        sys.stdout.flush()
