"""Coherence of a case: the constraints of ``spec/coherence.toml``, loaded once.

The same constraints bound the Z3 model (see :mod:`kzappeals.spec.compile`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from kzappeals.spec.attribute_schema import AttributeSchema, shipped_attributes
from kzappeals.spec.attributes import CaseAttributes
from kzappeals.spec.conditions import Expr, ProvidedBy, SourceOps, build, leaves, parse
from kzappeals.spec.errors import InputError
from kzappeals.spec.shapes import CoherenceFile, header_lines, parse_shape
from kzappeals.spec.shapes import read_toml as read_spec_toml

COHERENCE_FILE = "coherence.toml"


@dataclass(frozen=True)
class Constraint:
    field: str
    when: Expr
    then: Expr
    clause: str
    reason: str


def load_constraints(
    path, label: str, clause_ids: set[str] | None = None, attributes: AttributeSchema | None = None
) -> tuple[Constraint, ...]:
    """The constraints of a coherence file (``label`` names it in errors); ``clause_ids``, when
    given, are the registered clauses a constraint may cite; ``attributes``, the attributes it
    constrains (default: the installed spec's).

    Raises:
        InputError: one line naming the file, the constraint and what is wrong.
    """
    data, text = read_spec_toml(path, label)
    entries = parse_shape(CoherenceFile, data, text, label).constraint
    lines = header_lines(text, "constraint")
    attributes = attributes or shipped_attributes()
    out = []
    for i, c in enumerate(entries):
        where = f"{label}{f':{lines[i]}' if len(lines) == len(entries) else ''}: constraint {i + 1}"
        if c.field not in attributes.tested:
            raise InputError(where + " field", f"'{c.field}' is not a case attribute")
        if clause_ids is not None and c.clause not in clause_ids:
            raise InputError(where + " clause", f"'{c.clause}' is not in the clause registry")
        when, then = parse(c.if_, where + " 'if'", attributes=attributes), parse(c.then, where + " 'then'", attributes=attributes)
        if any(isinstance(x, ProvidedBy) for e in (when, then) for x in leaves(e)):
            # a case is checked on its own, before any rule: coherence cannot depend on the rules
            raise InputError(where, "a coherence condition tests case attributes only, not provided_by(...)")
        out.append(Constraint(c.field, when, then, c.clause, c.reason))
    return tuple(out)


@cache
def constraints() -> tuple[Constraint, ...]:
    """The installed spec's constraints: what every case is validated against."""
    return load_constraints(files("kzappeals.spec") / COHERENCE_FILE, f"spec/{COHERENCE_FILE}")


@cache
def _checker():
    """One compiled function: the index of the first constraint a case breaks, or -1.
    Every case a vendor sends is checked, so the trees are turned into Python once."""
    ops = SourceOps()
    body = "".join(f"    if {build(c.when, ops)} and not {build(c.then, ops)}: return {i}\n" for i, c in enumerate(constraints()))
    namespace: dict = {}
    exec(f"def check(c):\n{body}    return -1\n", namespace)
    return namespace["check"]


def first_violation(case: CaseAttributes) -> str | None:
    """The first constraint ``case`` breaks, as one line, or None."""
    i = _checker()(case)
    if i < 0:
        return None
    c = constraints()[i]
    return f"field '{c.field}': {c.reason} (clause {c.clause})"
