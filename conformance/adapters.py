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

Each adapter returns the parsed reply (any JSON value, every string in it
sanitised: the session checks its shape) or raises one of the faults of
:mod:`kzappeals.conformance.faults` with evidence: the offending line, the
exit status, the last lines of stderr. Every wait is bounded: a reply must
arrive whole within the batch's time, however slowly it trickles in, and no
reply is read past :data:`MAX_REPLY` bytes.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
from collections import deque
from typing import IO

from kzappeals.conformance.faults import (
    Crash,
    CrashAtStart,
    Evidence,
    ExitStatus,
    Hang,
    HttpStatus,
    ImplementationFault,
    InvalidJson,
    NoExit,
    ReplyTooLarge,
    StartTimeout,
)
from kzappeals.conformance.protocol import PROTOCOL_VERSION
from kzappeals.conformance.serving import DEFAULT_FUNCTION, FunctionImplementation
from kzappeals.spec.errors import InputError

EVIDENCE_CHARS = 300  # an offending line is kept this long: enough to see what went wrong, not a megabyte of it
STDERR_LINES = 20
STDERR_CHUNK = 1 << 16  # stderr is read in lines of at most this many bytes: a log without newlines cannot exhaust memory
MAX_REPLY = 64 << 20  # a reply longer than this is a fault (reply-too-large), read no further than that
LOOPBACK = ("127.0.0.1", "::1", "localhost")
START = {"cmd": "start", "protocol": PROTOCOL_VERSION}
STOP = {"cmd": "stop"}


def truncate(text: str, limit: int = EVIDENCE_CHARS) -> str:
    return text if len(text) <= limit else text[:limit] + f"... [{len(text) - limit} more characters]"


def sanitised(value: object) -> object:
    """``value`` with every string made safe to keep and to write: a lone surrogate (which no UTF-8 file
    can hold) and a control character other than tab and newline become U+FFFD."""
    if isinstance(value, str):
        return _UNSAFE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {sanitised(k): sanitised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [sanitised(v) for v in value]
    return value


_UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Every way JSON text can carry an unsafe character into a parsed string: a \u, \b, \f or \r escape; a raw
# control character or DEL; C1 controls (UTF-8 \xc2\x80-\xc2\x9f); surrogates, which json.loads
# decodes from UTF-8 with "surrogatepass" (\xed\xa0-\xed\xbf); and a NUL, without which the text
# cannot be UTF-16 or UTF-32. Text with none of them parses to values sanitised() leaves as they are.
_MAYBE_UNSAFE = re.compile(rb"\\[ubfr]|[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xed[\xa0-\xbf]")


def parsed_reply(data: bytes) -> object:
    """``sanitised(json.loads(data))``, without walking a reply that cannot hold an unsafe string
    (most replies: the walk was most of an adapter's own time per case).

    Raises:
        ValueError, RecursionError: ``data`` is not JSON (as json.loads).
    """
    value = json.loads(data)
    return sanitised(value) if _MAYBE_UNSAFE.search(data) else value


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
        except Exception as exc:
            self._load_error = exc

    @property
    def label(self) -> str:
        return self.target.partition(":")[0]

    def start(self, timeout: float) -> object:
        if self._impl is None:
            exc = self._load_error
            raise CrashAtStart(
                f"importing '{self.label}' raised {type(exc).__name__}", Evidence(detail=truncate(f"{type(exc).__name__}: {exc}"))
            )
        return sanitised(self._impl.handle(dict(START)))

    def decide(self, request: dict, timeout: float) -> object:
        assert self._impl is not None  # start() raised otherwise
        try:
            return sanitised(self._impl.decide(request))
        except SystemExit as exc:
            # A vendor function that calls sys.exit() would otherwise end the runner itself.
            status = exc.code if isinstance(exc.code, int) else 1
            raise Crash(
                f"the implementation called sys.exit({exc.code!r})", Evidence(batch=request.get("batch"), exit_status=status)
            ) from None


_EOF = object()
_EXITED = object()


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
        self.proc: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[object] = queue.Queue()
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
            self.proc = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
            )
        except OSError as exc:
            raise InputError("--impl", f"cmd:{self.target}: cannot run: {exc.strerror}") from None
        for target in (self._read_stdout, self._read_stderr, self._write_stdin):
            t = threading.Thread(target=target, daemon=True)
            t.start()
            self._threads.append(t)
        self._outbox.put(_line(START))
        return self._receive(timeout, "start", StartTimeout)

    def decide(self, request: dict, timeout: float) -> object:
        self._outbox.put(_line(request))
        return self._receive(timeout, f"batch {request['batch']}", Hang, batch=request["batch"])

    def stop(self, timeout: float) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self._outbox.put(_line(STOP))
        self._outbox.put(None)  # then close stdin: an implementation reading to EOF ends too
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.close()
            raise NoExit(f"still running {timeout:g} s after stop; killed", self._evidence()) from None
        if status != 0:
            raise ExitStatus(f"exited with status {status} after stop (expected 0)", self._evidence())

    def close(self) -> None:
        if self.proc is None:
            return
        # The whole process group, even when its leader has exited: a child left behind must not
        # live on, nor keep the run waiting on a pipe it holds open.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            pass
        # stdin only: the reader threads own stdout and stderr, and closing a pipe under a blocked
        # read would wait for a child (of another session, out of reach) that still holds it open.
        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    # Three threads keep the runner from ever blocking on the child: one reads
    # reply lines into a queue (read with a timeout), one drains stderr (a full
    # stderr pipe would stall the child), one writes requests (a child that
    # stops reading would otherwise block the runner's write once the pipe fills).

    def _pipes(self) -> tuple[IO[bytes], IO[bytes], IO[bytes]]:
        """The child's stdin, stdout and stderr (the session has started)."""
        assert self.proc is not None and self.proc.stdin and self.proc.stdout and self.proc.stderr
        return self.proc.stdin, self.proc.stdout, self.proc.stderr

    def _read_stdout(self) -> None:
        stdout = self._pipes()[1]
        try:
            for line in iter(lambda: stdout.readline(MAX_REPLY + 1), b""):
                self._lines.put(line)
                if len(line) > MAX_REPLY:
                    break  # the runner reads no further
        except (OSError, ValueError):
            pass
        self._lines.put(_EOF)

    def _read_stderr(self) -> None:
        stderr = self._pipes()[2]
        try:
            for line in iter(lambda: stderr.readline(STDERR_CHUNK), b""):
                self._stderr.append(truncate(str(sanitised(line.decode("utf-8", "replace").rstrip("\r\n"))), 200))
        except (OSError, ValueError):
            pass

    def _write_stdin(self) -> None:
        stdin = self._pipes()[0]
        while (data := self._outbox.get()) is not None:
            try:
                stdin.write(data)
                stdin.flush()
            except (OSError, ValueError):
                return  # the child is gone; the reader reports it
        try:
            stdin.close()
        except OSError:
            pass

    def _receive(self, timeout: float, what: str, timeout_fault: type[Hang] | type[StartTimeout], batch: int | None = None) -> object:
        assert self.proc is not None
        line = self._next_line(timeout)
        if line is None:
            self.close()
            raise timeout_fault(f"no reply to {what} within {timeout:g} s; killed", self._evidence(batch)) from None
        if line is _EOF or line is _EXITED:
            try:
                self.proc.wait(2)
            except subprocess.TimeoutExpired:
                self.close()
            fault = CrashAtStart if what == "start" else Crash
            how = "closed its stdout" if line is _EOF else "exited (a process it left still holds its stdout)"
            raise fault(f"{how} before answering {what} (exit status {self.proc.returncode})", self._evidence(batch))
        assert isinstance(line, bytes)
        if len(line) > MAX_REPLY:
            self.close()
            raise ReplyTooLarge(f"reply to {what} is longer than {MAX_REPLY} bytes; not read further", self._evidence(batch))
        try:
            return parsed_reply(line)
        except (ValueError, RecursionError) as exc:
            self.close()
            text = line.decode("utf-8", "replace").rstrip("\r\n")
            raise InvalidJson(f"reply to {what} is not JSON: {_reason(exc)}", self._evidence(batch, text)) from None

    def _next_line(self, timeout: float) -> object:
        """The next reply line, _EOF, _EXITED (the process is gone but a child of another session still holds
        its stdout, so no end of file will come), or None when ``timeout`` passes."""
        assert self.proc is not None
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                return self._lines.get(timeout=max(0.0, min(0.2, deadline - time.monotonic())))
            except queue.Empty:
                if self.proc.poll() is not None:
                    try:  # a last line may still be on its way through the reader thread
                        return self._lines.get(timeout=0.5)
                    except queue.Empty:
                        return _EXITED
                if time.monotonic() >= deadline:
                    return None

    def _evidence(self, batch: int | None = None, line: str | None = None) -> Evidence:
        # stderr is read by its own thread: give it a moment to catch the last words of a dying process.
        if self.proc is not None and self.proc.poll() is not None and len(self._threads) > 1:
            self._threads[1].join(0.5)
        return Evidence(
            batch=batch,
            line=None if line is None else truncate(str(sanitised(line))),
            exit_status=None if self.proc is None else self.proc.poll(),
            stderr_tail=list(self._stderr),
        )


def _reason(exc: Exception) -> str:
    return "nested too deeply" if isinstance(exc, RecursionError) else str(exc)


def _line(obj: dict) -> bytes:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


class HttpAdapter(Adapter):
    kind = "http"

    def __init__(self, url: str):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "http":
            raise InputError("--impl", f"'{url}' is not an http:// URL (https is not needed on loopback)")
        if parts.hostname not in LOOPBACK:
            raise InputError(
                "--impl", f"'{parts.hostname}' is not a loopback address: the http adapter talks to 127.0.0.1, ::1 or localhost only"
            )
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
        return self._post(START, timeout, "start", StartTimeout, start=True)

    def decide(self, request: dict, timeout: float) -> object:
        return self._post(request, timeout, f"batch {request['batch']}", Hang, batch=request["batch"])

    def stop(self, timeout: float) -> None:
        # A service need not exit on stop; whatever it replies (or a closed connection) ends the session.
        try:
            self._post(STOP, timeout, "stop", Hang)
        except ImplementationFault:
            pass
        self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _post(
        self,
        obj: dict,
        timeout: float,
        what: str,
        timeout_fault: type[Hang] | type[StartTimeout],
        batch: int | None = None,
        start: bool = False,
    ) -> object:
        body = json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()
        # One deadline for the whole exchange, headers and body: a socket timeout alone restarts on every
        # byte, so a reply trickled in a byte at a time would never time out. At the deadline the socket
        # is shut down, which ends any read blocked on it.
        expired = threading.Event()
        watchdog: threading.Timer | None = None
        try:
            if self._conn is None:
                self._conn = http.client.HTTPConnection(self.host, self.port, timeout=max(timeout, 0.001))
                self._conn.connect()
                self._conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock = self._conn.sock
            sock.settimeout(max(timeout, 0.001))
            watchdog = threading.Timer(max(timeout, 0.001), _shut, (sock, expired))
            watchdog.start()
            self._conn.request("POST", self.path, body, {"Content-Type": "application/json"})
            resp = self._conn.getresponse()
            data = self._read_body(resp, what, batch)
            if expired.is_set():  # the shutdown may read as the end of a short body rather than an error
                raise TimeoutError
        except (TimeoutError, OSError, http.client.HTTPException) as exc:
            self.close()
            if expired.is_set() or isinstance(exc, TimeoutError):
                raise timeout_fault(f"no complete reply to {what} within {timeout:g} s", Evidence(batch=batch)) from None
            fault = CrashAtStart if start else Crash
            raise fault(f"{self.target}: {type(exc).__name__}: {exc} (while sending {what})", Evidence(batch=batch)) from None
        finally:
            if watchdog is not None:
                watchdog.cancel()
        if resp.will_close:
            self.close()
        text = data.decode("utf-8", "replace")
        if resp.status != 200:
            raise HttpStatus(
                f"HTTP {resp.status} {resp.reason} in reply to {what}", Evidence(batch=batch, line=truncate(str(sanitised(text))))
            )
        try:
            return parsed_reply(data)
        except (ValueError, RecursionError) as exc:
            raise InvalidJson(
                f"reply to {what} is not JSON: {_reason(exc)}", Evidence(batch=batch, line=truncate(str(sanitised(text))))
            ) from None

    def _read_body(self, resp: http.client.HTTPResponse, what: str, batch: int | None) -> bytes:
        """The body, read no further than MAX_REPLY bytes (a never-ending chunked body included)."""
        chunks, size = [], 0
        while chunk := resp.read(1 << 16):
            size += len(chunk)
            if size > MAX_REPLY:
                self.close()
                raise ReplyTooLarge(f"reply to {what} is longer than {MAX_REPLY} bytes; not read further", Evidence(batch=batch))
            chunks.append(chunk)
        return b"".join(chunks)


def _shut(sock: socket.socket, expired: threading.Event) -> None:
    expired.set()
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


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
