"""A Python implementation behind the http protocol: the protocol's objects as JSON POST bodies.

    python -m kzappeals.conformance.serve_http --port N [--impl python:package.module:function]

Listens on 127.0.0.1 only, prints its URL (``http://127.0.0.1:N/kzappeals``)
as the first line on stdout (``--port 0`` picks a free port), answers any
POST path, and exits after answering ``stop``. Keep-alive (HTTP/1.1) and
``disable_nagle_algorithm``: without them every request waits about 44 ms for
a delayed ACK. Bad input ends as one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from kzappeals.conformance.serving import DEFAULT_FUNCTION, FunctionImplementation, to_json
from kzappeals.spec.errors import EXIT_BAD_INPUT, EXIT_OK, InputError

PATH = "/kzappeals"


def make_server(impl: FunctionImplementation, port: int) -> HTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            try:
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                reply = impl.handle(request)
            except (ValueError, InputError, KeyError, TypeError) as exc:
                self._send(400, {"error": str(exc)})
                return
            self._send(200, {} if reply is None else reply)
            if reply is None:
                threading.Thread(target=self.server.shutdown, daemon=True).start()

        def _send(self, status: int, obj: dict) -> None:
            body = json.dumps(obj, default=to_json, ensure_ascii=False, separators=(",", ":")).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return HTTPServer(("127.0.0.1", port), Handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kzappeals.conformance.serve_http", description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--impl", default=f"python:{DEFAULT_FUNCTION}", metavar="python:package.module:function")
    args = parser.parse_args(argv)
    try:
        if not args.impl.startswith("python:"):
            raise InputError("--impl", f"'{args.impl}' is not python:package.module:function")
        impl = FunctionImplementation.load(args.impl.removeprefix("python:"))
        try:
            server = make_server(impl, args.port)
        except OSError as exc:
            raise InputError("--port", f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}") from None
    except InputError as exc:
        print(f"serve_http: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"http://127.0.0.1:{server.server_port}{PATH}", flush=True)
    with server:
        server.serve_forever()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
