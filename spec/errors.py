"""The one error type for bad input, and the process exit codes.

Every problem with a rule file, a clause id, a case or a profile ends as one
line: where (file or field, and place), why, and the clause when one applies.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1  # verify: findings beyond the baseline; certify: the implementation failed
EXIT_BAD_INPUT = 2  # a file, field or option could not be used
EXIT_OUTPUT = 5  # a file or standard output could not be written (the previous file is intact)


def one_line(text: str) -> str:
    """``text`` with every character that is not printable (newlines, U+2028, ANSI escapes, lone
    surrogates...) written as a Python escape, so that a message echoing input stays one line."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape", "backslashreplace").decode("ascii") for c in text)


class InputError(Exception):
    """Bad input, reported as one line and exit code 2 (never a traceback)."""

    def __init__(self, where: str, reason: str, clause: str | None = None):
        self.where = where
        self.reason = reason
        self.clause = clause
        super().__init__(str(self))

    def __str__(self) -> str:
        tail = f" (clause {self.clause})" if self.clause else ""
        return one_line(f"{self.where}: {self.reason}{tail}")


class OutputError(Exception):
    """Output that could not be written (a full disk, a read-only folder, standard output closed
    for writing): one line naming the path and the reason, exit code 5. Files are written
    atomically (:func:`kzappeals.output.write_atomic`), so the previous file is intact."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        return one_line(f"{self.path}: cannot write: {self.reason}")
