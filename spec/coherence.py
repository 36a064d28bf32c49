"""Coherence of a case: the constraints of ``spec/coherence.toml``, loaded once.

The same constraints bound the Z3 model (see :mod:`kzappeals.spec.compile`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import TYPE_CHECKING

from kzappeals.spec.errors import InputError

if TYPE_CHECKING:
    from kzappeals.spec.conditions import Expr
    from kzappeals.spec.vocabulary import Case

COHERENCE_FILE = "coherence.toml"


@dataclass(frozen=True)
class Constraint:
    field: str
    when: Expr
    then: Expr
    clause: str
    reason: str


def read_toml(path, label: str) -> dict:
    """Read a TOML file of the spec; a syntax error names the file and line."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(label, f"not valid TOML: {exc}") from None
    except OSError as exc:
        raise InputError(label, f"cannot be read: {exc.strerror}") from None


@cache
def constraints() -> tuple[Constraint, ...]:
    from kzappeals.spec.conditions import CASE_FIELDS, parse

    data = read_toml(files("kzappeals.spec") / COHERENCE_FILE, f"spec/{COHERENCE_FILE}")
    out = []
    for i, c in enumerate(data.get("constraint", []), 1):
        where = f"spec/{COHERENCE_FILE}: constraint {i}"
        missing = {"field", "if", "then", "clause", "reason"} - c.keys()
        if missing:
            raise InputError(where, f"missing key(s) {', '.join(sorted(missing))}")
        if c["field"] not in CASE_FIELDS:
            raise InputError(where, f"'{c['field']}' is not a case attribute")
        out.append(Constraint(c["field"], parse(c["if"], where + " 'if'"), parse(c["then"], where + " 'then'"), c["clause"], c["reason"]))
    return tuple(out)


@cache
def _checker():
    """One compiled function: the index of the first constraint a case breaks, or -1.
    Every case a vendor sends is checked, so the trees are turned into Python once."""
    from kzappeals.spec.conditions import SourceOps, build

    ops = SourceOps()
    body = "".join(f"    if {build(c.when, ops)} and not {build(c.then, ops)}: return {i}\n" for i, c in enumerate(constraints()))
    namespace: dict = {}
    exec(f"def check(c):\n{body}    return -1\n", namespace)  # noqa: S102 - source built from the checked trees
    return namespace["check"]


def first_violation(case: Case) -> str | None:
    """The first constraint ``case`` breaks, as one line, or None."""
    i = _checker()(case)
    if i < 0:
        return None
    c = constraints()[i]
    return f"field '{c.field}': {c.reason} (clause {c.clause})"
