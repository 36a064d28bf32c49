"""Writing output without destroying anything: files replaced atomically, standard output guarded.

Every file the tool writes (reports, baselines, schemas, vectors, certificates) goes through
:func:`write_atomic`: the text is written to a temporary file in the same folder, flushed to
disk, then renamed over the old file, so a full disk or a read-only folder leaves the previous
file as it was. A failure is an :class:`OutputError` (exit code 5, one line naming the path).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from kzappeals.spec.errors import OutputError


def write_atomic(path: Path | str, text: str) -> Path:
    """Replace ``path`` with ``text`` (UTF-8), all at once or not at all; create its folder if needed.

    Raises:
        OutputError: the folder, the temporary file or the rename failed; ``path`` is untouched.
    """
    path = Path(path)
    if path.is_symlink():  # e.g. a strict editable install: replace the file it stands for, not the link
        path = path.resolve()
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())  # on disk before the rename makes it the file
        if path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)  # mkstemp makes 0600; keep the old file's mode
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(str(path), exc.strerror or str(exc)) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass  # the temporary file was never made, or the folder is gone: nothing to clean
    return path


class GuardedStdout:
    """Standard output whose failures (``> /dev/full``, an I/O error) are an :class:`OutputError`.

    A closed pipe (``| head``) stays a :class:`BrokenPipeError`: the reader chose to stop."""

    def __init__(self, stream):
        self._stream = stream

    def _call(self, method: str, *args):
        try:
            return getattr(self._stream, method)(*args)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise OutputError("standard output", exc.strerror or str(exc)) from None

    def write(self, text: str) -> int:
        return self._call("write", text)

    def flush(self) -> None:
        self._call("flush")

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def abandon_stdout(stream) -> None:
    """After the process's standard output failed: point it at /dev/null, so that the interpreter's
    final flush of what is still buffered prints no second error (Python's documented remedy for
    SIGPIPE). Any other stream (a test's capture) is left alone."""
    if stream is not sys.__stdout__ or stream is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass  # no file descriptor to redirect (an in-process stream): nothing will flush it
