"""How the runner reaches an implementation: three adapters behind one interface.

``--impl`` selects one:

* ``python:package.module:function``: the function is called in the
  runner's own process (fastest; no isolation, so no timeouts: a Python
  implementation that may hang or crash is better run through ``cmd``,
  e.g. ``cmd:'python -m kzappeals.conformance.serve_cmd --impl python:...'``).
* ``cmd:COMMAND``: a long-running child process speaking JSON Lines on its
  stdin and stdout. Pipes stay buffered (unbuffered reads cost a system call
  per byte, 3-5 times slower) and cases go in batches.
* ``http://127.0.0.1:PORT/PATH``: each request object is POSTed as JSON,
  one batch per request, on one keep-alive connection with Nagle disabled
  (otherwise every small request waits for a delayed ACK). Loopback only:
  certification runs on the machine that holds the implementation.

Each adapter returns the parsed reply (any JSON value; the runner checks its
shape) or raises :class:`ImplementationFault` with evidence: the offending
line, the exit status, the last lines of stderr.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import urllib.parse
from collections import deque

from kzappeals.conformance.protocol import PROTOCOL_VERSION, Evidence
from kzappeals.conformance.serving import DEFAULT_FUNCTION, FunctionImplementation
from kzappeals.spec.errors import InputError

EVIDENCE_CHARS = 300  # an offending line is kept this long: enough to see what went wrong, not a megabyte of it
STDERR_LINES = 20
STDERR_CHUNK = 1 << 16  # stderr is read in lines of at most this many bytes: a log without newlines cannot exhaust memory
MAX_LINE = 64 << 20  # a reply line longer than this is cut (and then fails to parse) rather than exhaust memory
LOOPBACK = ("127.0.0.1", "::1", "localhost")
START = {"cmd": "start", "protocol": PROTOCOL_VERSION}
STOP = {"cmd": "stop"}


def truncate(text: str, limit: int = EVIDENCE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more characters]"


class ImplementationFault(Exception):
    """The implementation broke the session: it crashed, hung, or sent what cannot be read."""

    def __init__(self, kind: str, message: str, evidence: Evidence):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.evidence = evidence


class Adapter:
    """start -> handshake; decide(request) -> reply; stop. ``close`` kills whatever is left."""

    kind: str
    target: str

    def start(self, timeout: float) -> object:
        raise NotImplementedError

    def decide(self, request: dict, timeout: float) -> object:
        raise NotImplementedError

    def stop(self, timeout: float) -> None:
        """End the session; raises ImplementationFault when the implementation does not end it cleanly."""

    def close(self) -> None:
        """Release everything, whatever state the session is in (never raises)."""

    @property
    def label(self) -> str:
        """A short name for the implementation before its handshake names it."""
        return self.target


class PythonAdapter(Adapter):
    kind = "python"

    def __init__(self, target: str, impl: FunctionImplementation | None = None):
        """``target`` is package.module:function; ``impl`` (an implementation already in hand, such as a
        selfcheck mutant) is used as given, with ``target`` as its label."""
        self.target = target
        self._impl: FunctionImplementation | None = impl
        self._load_error: Exception | None = None
        if impl is not None:
            return
        try:
            self._impl = FunctionImplementation.load(target)
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 - the module's own code failed: it cannot start (reported at start)
            self._load_error = exc

    @property
    def label(self) -> str:
        return self.target.partition(":")[0]

    def start(self, timeout: float) -> object:
        if self._impl is None:
            exc = self._load_error
            raise ImplementationFault("crash-at-start", f"importing '{self.label}' raised {type(exc).__name__}",
                                      Evidence(detail=truncate(f"{type(exc).__name__}: {exc}")))
        return self._impl.handle(dict(START))

    def decide(self, request: dict, timeout: float) -> object:
        try:
            return self._impl.decide(request)
        except SystemExit as exc:
            # A vendor function that calls sys.exit() would otherwise end the runner itself.
            status = exc.code if isinstance(exc.code, int) else 1
            raise ImplementationFault("crash", f"the implementation called sys.exit({exc.code!r})",
                                      Evidence(batch=request.get("batch"), exit_status=status)) from None


_EOF = object()


class CommandAdapter(Adapter):
    kind = "cmd"

    def __init__(self, command: str):
        try:
            self.argv = shlex.split(command)
        except ValueError as exc:
            raise InputError("--impl", f"cmd:{command}: {exc}") from None
        if not self.argv:
            raise InputError("--impl", "cmd: needs a command, e.g. cmd:'node vendor.js'")
        exe = self.argv[0]
        if shutil.which(exe) is None and not os.path.isfile(exe):
            raise InputError("--impl", f"command '{exe}' not found")
        self.target = command
        self.proc: subprocess.Popen | None = None
        self._lines: queue.Queue = queue.Queue()
        self._outbox: queue.Queue = queue.Queue()
        self._stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._threads: list[threading.Thread] = []

    @property
    def label(self) -> str:
        return os.path.basename(self.argv[-1])

    def start(self, timeout: float) -> object:
        try:
            # A session of its own, so a hang or crash is ended by killing the whole process group
            # (a shell wrapper's children included) and nothing outlives the run.
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         start_new_session=True)
        except OSError as exc:
            raise InputError("--impl", f"cmd:{self.target}: cannot run: {exc.strerror}") from None
        for target in (self._read_stdout, self._read_stderr, self._write_stdin):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self._threads.append(t)
        self._outbox.put(_line(START))
        return self._receive(timeout, "start", "start-timeout")

    def decide(self, request: dict, timeout: float) -> object:
        self._outbox.put(_line(request))
        return self._receive(timeout, f"batch {request['batch']}", "hang", batch=request["batch"])

    def stop(self, timeout: float) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self._outbox.put(_line(STOP))
        self._outbox.put(None)  # then close stdin: an implementation reading to EOF ends too
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.close()
            raise ImplementationFault("no-exit", f"still running {timeout:g} s after stop; killed", self._evidence()) from None
        if status != 0:
            raise ImplementationFault("exit-status", f"exited with status {status} after stop (expected 0)", self._evidence())

    def close(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except OSError:
                pass

    # Three threads keep the runner from ever blocking on the child: one reads
    # reply lines into a queue (read with a timeout), one drains stderr (a full
    # stderr pipe would stall the child), one writes requests (a child that
    # stops reading would otherwise block the runner's write once the pipe fills).

    def _read_stdout(self) -> None:
        try:
            for line in iter(lambda: self.proc.stdout.readline(MAX_LINE), b""):
                self._lines.put(line)
        except (OSError, ValueError):
            pass
        self._lines.put(_EOF)

    def _read_stderr(self) -> None:
        try:
            for line in iter(lambda: self.proc.stderr.readline(STDERR_CHUNK), b""):
                self._stderr.append(truncate(line.decode("utf-8", "replace").rstrip("\r\n"), 200))
        except (OSError, ValueError):
            pass

    def _write_stdin(self) -> None:
        while (data := self._outbox.get()) is not None:
            try:
                self.proc.stdin.write(data)
                self.proc.stdin.flush()
            except (OSError, ValueError):
                return  # the child is gone; the reader reports it
        try:
            self.proc.stdin.close()
        except OSError:
            pass

    def _receive(self, timeout: float, what: str, timeout_kind: str, batch: int | None = None) -> object:
        try:
            line = self._lines.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            self.close()
            raise ImplementationFault(timeout_kind, f"no reply to {what} within {timeout:g} s; killed", self._evidence(batch)) from None
        if line is _EOF:
            try:
                self.proc.wait(2)
            except subprocess.TimeoutExpired:
                self.close()
            kind = "crash-at-start" if what == "start" else "crash"
            raise ImplementationFault(kind, f"closed its stdout before answering {what} (exit status {self.proc.returncode})", self._evidence(batch))
        try:
            return json.loads(line)
        except ValueError as exc:
            self.close()
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            raise ImplementationFault("invalid-json", f"reply to {what} is not JSON: {exc}", self._evidence(batch, text)) from None

    def _evidence(self, batch: int | None = None, line: str | None = None) -> Evidence:
        # stderr is read by its own thread: give it a moment to catch the last words of a dying process.
        if self.proc is not None and self.proc.poll() is not None and len(self._threads) > 1:
            self._threads[1].join(0.5)
        return Evidence(batch=batch, line=None if line is None else truncate(line),
                        exit_status=None if self.proc is None else self.proc.poll(), stderr_tail=list(self._stderr))


def _line(obj: dict) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


class HttpAdapter(Adapter):
    kind = "http"

    def __init__(self, url: str):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http":
            raise InputError("--impl", f"'{url}' is not an http:// URL (https is not needed on loopback)")
        if parts.hostname not in LOOPBACK:
            raise InputError("--impl", f"'{parts.hostname}' is not a loopback address: the http adapter talks to 127.0.0.1, ::1 or localhost only")
        try:
            self.port = parts.port or 80
        except ValueError:
            raise InputError("--impl", f"'{url}' has no valid port") from None
        self.host = parts.hostname
        self.path = parts.path or "/"
        self.target = url
        self._conn: http.client.HTTPConnection | None = None

    @property
    def label(self) -> str:
        return f"{self.host}-{self.port}"

    def start(self, timeout: float) -> object:
        return self._post(START, timeout, "start", "start-timeout", start=True)

    def decide(self, request: dict, timeout: float) -> object:
        return self._post(request, timeout, f"batch {request['batch']}", "hang", batch=request["batch"])

    def stop(self, timeout: float) -> None:
        # A service need not exit on stop; whatever it replies (or a closed connection) ends the session.
        try:
            self._post(STOP, timeout, "stop", "stop")
        except ImplementationFault:
            pass
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _post(self, obj: dict, timeout: float, what: str, timeout_kind: str, batch: int | None = None, start: bool = False) -> object:
        body = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()
        try:
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=max(timeout, 0.001))
                self._conn.connect()
                self._conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._conn.sock.settimeout(max(timeout, 0.001))
            self._conn.request("POST", self.path, body, {"Content-Type": "application/json"})
            resp = self._conn.getresponse()
            data = resp.read()
        except TimeoutError:
            self.close()
            raise ImplementationFault(timeout_kind, f"no reply to {what} within {timeout:g} s", Evidence(batch=batch)) from None
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            kind = "crash-at-start" if start else "crash"
            raise ImplementationFault(kind, f"{self.target}: {type(exc).__name__}: {exc} (while sending {what})", Evidence(batch=batch)) from None
        if resp.will_close:
            self.close()
        text = data.decode("utf-8", "replace")
        if resp.status != 200:
            raise ImplementationFault("http-status", f"HTTP {resp.status} {resp.reason} in reply to {what}",
                                      Evidence(batch=batch, line=truncate(text)))
        try:
            return json.loads(data)
        except ValueError as exc:
            raise ImplementationFault("invalid-json", f"reply to {what} is not JSON: {exc}", Evidence(batch=batch, line=truncate(text))) from None


def parse_impl(spec: str | None) -> Adapter:
    """``--impl`` -> its adapter; without one, the bundled reference implementation in process."""
    if spec is None:
        return PythonAdapter(DEFAULT_FUNCTION)
    if spec.startswith("python:"):
        return PythonAdapter(spec.removeprefix("python:"))
    if spec.startswith("cmd:"):
        return CommandAdapter(spec.removeprefix("cmd:"))
    if spec.startswith("http://") or spec.startswith("https://"):
        return HttpAdapter(spec)
    raise InputError("--impl", f"'{spec}' is not python:package.module:function, cmd:COMMAND or http://127.0.0.1:PORT/PATH")
