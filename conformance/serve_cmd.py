"""A Python implementation behind the cmd protocol: JSON Lines on stdin and stdout.

    python -m kzappeals.conformance.serve_cmd [--impl python:package.module:function]

Without ``--impl`` it serves the bundled reference implementation, so
``kzappeals certify --impl "cmd:python -m kzappeals.conformance.serve_cmd"``
checks the runner's own pipe handling, and a vendor can wrap a Python
function in a child process (isolated, with timeouts) without writing a loop.
Bad input ends as one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from kzappeals.conformance.serving import DEFAULT_FUNCTION, FunctionImplementation, to_json
from kzappeals.spec.errors import EXIT_BAD_INPUT, EXIT_OK, InputError


def serve(impl: FunctionImplementation, stdin=None, stdout=None) -> int:
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout.buffer
    for number, line in enumerate(stdin, 1):
        try:
            request = json.loads(line)
        except ValueError as exc:
            raise InputError(f"stdin line {number}", f"not JSON: {exc}") from None
        reply = impl.handle(request)
        if reply is None:
            return EXIT_OK
        # One write and one flush per batch: the runner waits for the whole line.
        stdout.write(json.dumps(reply, default=to_json, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
        stdout.flush()
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kzappeals.conformance.serve_cmd", description=__doc__.split("\n\n")[0])
    parser.add_argument("--impl", default=f"python:{DEFAULT_FUNCTION}", metavar="python:package.module:function")
    args = parser.parse_args(argv)
    try:
        if not args.impl.startswith("python:"):
            raise InputError("--impl", f"'{args.impl}' is not python:package.module:function")
        return serve(FunctionImplementation.load(args.impl.removeprefix("python:")))
    except InputError as exc:
        print(f"serve_cmd: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
