"""The condition language of the rule files.

A condition is one Python-syntax expression over the case vocabulary, so a
lawyer-engineer reads it as a sentence::

    handled_at in (regional, agency, institution) and outcome != refused
    repeated and not (earlier_answer_by == regional_prosecutor and earlier_answer_attached)
    not provided_by("p54.pp1", "p54.pp2")      # "за исключением случаев, предусмотренных подпунктами 1), 2)"
    unknown("p54.pp1")                          # a provision of the base text not in the sources

It is parsed with :mod:`ast` (never evaluated by Python) into a small tree,
checked against the vocabulary, and then *built* by an interpreter: plain
truth values for a case, or Z3 terms for the verifier. Both use the same
:func:`build`, so the two readings of a condition cannot drift apart.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, Protocol, TypeVar, cast, get_args

from kzappeals.spec.attribute_schema import AttributeSchema, shipped_attributes
from kzappeals.spec.attributes import CaseAttributes
from kzappeals.spec.errors import InputError

T = TypeVar("T")


def _case_fields() -> dict[str, type]:
    """Attributes a condition may test, with their Python types: every enum or boolean field of the
    installed spec's case (a draft's are in its :class:`AttributeSchema`)."""
    fields: dict[str, type] = {}
    for name, info in CaseAttributes.model_fields.items():
        ann = info.annotation
        if ann is bool or (isinstance(ann, type) and issubclass(ann, StrEnum)):
            fields[name] = ann
    return fields


CASE_FIELDS: dict[str, type] = _case_fields()


def field_values(field: str) -> list:
    """Every value a case attribute can take, in the vocabulary's order (False before True)."""
    typ = CASE_FIELDS[field]
    return [False, True] if typ is bool else [m.value for m in cast("type[StrEnum]", typ)]


UNKNOWN_PROVISIONS: tuple[str, ...] = get_args(get_args(CaseAttributes.model_fields["unknown_provisions"].annotation)[0])


@dataclass(frozen=True)
class In:
    """``field in values`` (``==`` is a one-value set; ``!=`` / ``not in`` are wrapped in Not)."""

    field: str
    values: frozenset[str]


@dataclass(frozen=True)
class Flag:
    field: str


@dataclass(frozen=True)
class OutputIn:
    """In a principle: some deciding rule concludes one of ``values`` for ``output``."""

    output: str
    values: frozenset[str]


@dataclass(frozen=True)
class Unknown:
    provision: str


@dataclass(frozen=True)
class ProvidedBy:
    """Literal "cases provided by" the named clauses: some rule citing them as its own clause fires."""

    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class Not:
    arg: Expr


@dataclass(frozen=True)
class All:
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Any_:
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Const:
    value: bool


Expr = In | Flag | OutputIn | Unknown | ProvidedBy | Not | All | Any_ | Const


class Ops(Protocol, Generic[T]):
    """What an interpreter supplies; :func:`build` does the rest."""

    def const(self, value: bool) -> T: ...
    def field_in(self, field: str, values: frozenset[str]) -> T: ...
    def flag(self, field: str) -> T: ...
    def unknown(self, provision: str) -> T: ...
    def provided_by(self, prefixes: tuple[str, ...]) -> T: ...
    def output_in(self, output: str, values: frozenset[str]) -> T: ...
    def not_(self, arg: T) -> T: ...
    def and_(self, args: list[T]) -> T: ...
    def or_(self, args: list[T]) -> T: ...


def build(expr: Expr, ops: Ops[T]) -> T:
    """Interpret ``expr`` with ``ops`` (truth values, Z3 terms, ...)."""
    match expr:
        case Const(value):
            return ops.const(value)
        case In(field, values):
            return ops.field_in(field, values)
        case Flag(field):
            return ops.flag(field)
        case Unknown(provision):
            return ops.unknown(provision)
        case ProvidedBy(prefixes):
            return ops.provided_by(prefixes)
        case OutputIn(output, values):
            return ops.output_in(output, values)
        case Not(arg):
            return ops.not_(build(arg, ops))
        case All(args):
            return ops.and_([build(a, ops) for a in args])
        case Any_(args):
            return ops.or_([build(a, ops) for a in args])
    raise TypeError(expr)


def leaves(expr: Expr):
    """Every leaf of the condition tree (attribute tests, unknown(), provided_by(), question tests)."""
    match expr:
        case Not(arg):
            yield from leaves(arg)
        case All(args) | Any_(args):
            for a in args:
                yield from leaves(a)
        case _:
            yield expr


def negate_leaf(expr: Expr, index: int) -> Expr:
    """``expr`` with its ``index``-th leaf (in :func:`leaves` order) negated: the condition a
    reader who misread that one part would apply."""
    counter = [index]

    def walk(e: Expr) -> Expr:
        match e:
            case Not(arg):
                return Not(walk(arg))
            case All(args):
                return All(tuple(walk(a) for a in args))
            case Any_(args):
                return Any_(tuple(walk(a) for a in args))
        counter[0] -= 1
        return Not(e) if counter[0] == -1 else e

    return walk(expr)


def fields_of(expr: Expr) -> set[str]:
    """Case attributes the condition looks at."""
    return {x.field for x in leaves(expr) if isinstance(x, (In, Flag))}


def outputs_of(expr: Expr) -> set[str]:
    """Questions a principle's condition names."""
    return {x.output for x in leaves(expr) if isinstance(x, OutputIn)}


def references(expr: Expr) -> tuple[set[str], set[str]]:
    """(clause prefixes named by provided_by, unknown provisions) in ``expr``."""
    found = list(leaves(expr))
    return ({p for x in found if isinstance(x, ProvidedBy) for p in x.prefixes}, {x.provision for x in found if isinstance(x, Unknown)})


MAX_DEPTH = 50
"""How deeply a condition may nest (``not``, ``and``, ``or``): far beyond any clause of the law,
and low enough that every interpreter (Python, Z3) can walk the tree."""


def parse(text: str, where: str, outputs: dict[str, frozenset[str]] | None = None, attributes: AttributeSchema | None = None) -> Expr:
    """Parse one condition; ``outputs`` (name -> values) is given only for principles; ``attributes``:
    the spec folder's (default: the installed spec's).

    Raises:
        InputError: naming ``where``, the column and what is wrong.
    """
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise InputError(where, f"condition is not valid syntax at column {exc.offset}: {exc.msg}") from None
    except (RecursionError, MemoryError):
        raise InputError(where, f"condition is nested too deeply (at most {MAX_DEPTH} levels)") from None
    return _Parser(where, outputs or {}, attributes or shipped_attributes()).expr(tree.body)


class _Parser:
    def __init__(self, where: str, outputs: dict[str, frozenset[str]], attributes: AttributeSchema):
        self.where = where
        self.outputs = outputs
        self.attributes = attributes
        self.depth = 0

    def fail(self, node: ast.AST, reason: str) -> InputError:
        return InputError(f"{self.where}, column {getattr(node, 'col_offset', 0) + 1}", reason)

    def expr(self, node: ast.AST) -> Expr:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise self.fail(node, f"condition is nested too deeply (at most {MAX_DEPTH} levels)")
            return self._expr(node)
        finally:
            self.depth -= 1

    def _expr(self, node: ast.AST) -> Expr:
        if isinstance(node, ast.BoolOp):
            args = tuple(self.expr(v) for v in node.values)
            return All(args) if isinstance(node.op, ast.And) else Any_(args)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Not(self.expr(node.operand))
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return Const(node.value)
        if isinstance(node, ast.Name):
            if self.attributes.is_flag(node.id):
                return Flag(node.id)
            raise self.fail(node, f"'{node.id}' is not a yes/no attribute of the case")
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.fail(node, f"'{ast.unparse(node)}' is not allowed in a condition")

    def compare(self, node: ast.Compare) -> Expr:
        if len(node.ops) != 1 or not isinstance(node.left, ast.Name):
            raise self.fail(node, "write one comparison: attribute == value, != value, in (values) or not in (values)")
        name, op, right = node.left.id, node.ops[0], node.comparators[0]
        make: Callable[[frozenset[str]], Expr]
        if name in self.outputs:
            allowed, make = self.outputs[name], (lambda vs: OutputIn(name, vs))
        elif name in self.attributes.tested and not self.attributes.is_flag(name):
            allowed = frozenset(self.attributes.values(name))
            make = lambda vs: In(name, vs)  # noqa: E731
        else:
            raise self.fail(node.left, f"'{name}' is not an attribute with values")
        if isinstance(op, (ast.Eq, ast.NotEq)):
            values = [right]
        elif isinstance(op, (ast.In, ast.NotIn)) and isinstance(right, (ast.Tuple, ast.List, ast.Set)):
            values = list(right.elts)
        else:
            raise self.fail(node, "use ==, !=, in (...) or not in (...)")
        names = []
        for v in values:
            if not isinstance(v, ast.Name) or v.id not in allowed:
                raise self.fail(v, f"'{ast.unparse(v)}' is not a value of {name} (one of: {', '.join(sorted(allowed))})")
            names.append(v.id)
        result = make(frozenset(names))
        return Not(result) if isinstance(op, (ast.NotEq, ast.NotIn)) else result

    def call(self, node: ast.Call) -> Expr:
        fn = node.func.id if isinstance(node.func, ast.Name) else ""
        args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        if node.keywords or len(args) != len(node.args) or not args:
            raise self.fail(node, f"{fn or 'a call'}(...) takes clause ids as quoted strings")
        if fn == "unknown" and len(args) == 1:
            known = self.attributes.unknown_provisions
            if args[0] not in known:
                raise self.fail(node, f"'{args[0]}' is not an unknown provision the case can name ({', '.join(known)})")
            return Unknown(args[0])
        if fn == "provided_by":
            return ProvidedBy(tuple(args))
        raise self.fail(node, f"'{fn}' is not a condition function (unknown, provided_by)")


class SourceOps:
    """A condition as a Python expression over ``c`` (a Case), for conditions checked on every
    case (coherence): compiled once, it runs far faster than interpreting the tree."""

    def const(self, value: bool) -> str:
        return repr(value)

    def field_in(self, field: str, values: frozenset[str]) -> str:
        return f"(c.{field}.value in {sorted(values)!r})"

    def flag(self, field: str) -> str:
        return f"c.{field}"

    def unknown(self, provision: str) -> str:
        return f"({provision!r} in c.unknown_provisions)"

    def provided_by(self, prefixes):
        raise TypeError("provided_by needs the rule set; it has no source form")

    output_in = provided_by

    def not_(self, arg: str) -> str:
        return f"(not {arg})"

    def and_(self, args: list[str]) -> str:
        return "(" + " and ".join(args) + ")" if args else "True"

    def or_(self, args: list[str]) -> str:
        return "(" + " or ".join(args) + ")" if args else "False"


class PredicateOps:
    """Builds a condition once into the source of a Python predicate over a :class:`CaseOps` named ``ops``:
    every leaf asks that CaseOps (so the truth of a leaf is still defined there alone), and "and", "or"
    and "not" are Python's own, which stop at the first leaf that settles them (a leaf has no effect
    but its answer). Compiled once per rule, it runs several times faster than a tree of closures,
    and the evaluator asks every rule of a question for every case it decides. The leaves' arguments
    are kept in :attr:`constants` and named ``k0``, ``k1``, ... in the source."""

    def __init__(self) -> None:
        self.constants: list[object] = []

    def _name(self, value: object) -> str:
        self.constants.append(value)
        return f"k{len(self.constants) - 1}"

    def const(self, value: bool) -> str:
        return f"ops.const({value!r})"

    def field_in(self, field: str, values: frozenset[str]) -> str:
        return f"ops.field_in({field!r}, {self._name(values)})"

    def flag(self, field: str) -> str:
        return f"ops.flag({field!r})"

    def unknown(self, provision: str) -> str:
        return f"ops.unknown({provision!r})"

    def provided_by(self, prefixes: tuple[str, ...]) -> str:
        return f"ops.provided_by({self._name(prefixes)})"

    def output_in(self, output: str, values: frozenset[str]) -> str:
        return f"ops.output_in({output!r}, {self._name(values)})"

    def not_(self, arg: str) -> str:
        return f"(not {arg})"

    def and_(self, args: list[str]) -> str:
        return "(" + " and ".join(args) + ")" if args else "True"

    def or_(self, args: list[str]) -> str:
        return "(" + " or ".join(args) + ")" if args else "False"


def predicate(expr: Expr) -> Callable[[CaseOps], bool]:
    """``expr`` as a predicate: ``predicate(expr)(ops) == build(expr, ops)`` for every CaseOps ``ops``."""
    ops = PredicateOps()
    body = build(expr, ops)
    namespace: dict[str, object] = {f"k{i}": v for i, v in enumerate(ops.constants)}
    exec(compile(f"def predicate(ops):\n    return bool({body})\n", "<condition>", "exec", dont_inherit=True), namespace)
    return cast("Callable[[CaseOps], bool]", namespace["predicate"])


class CaseOps:
    """Truth values of a condition for one case (``provided_by`` asks ``fires``)."""

    def __init__(self, case: CaseAttributes, fires: Any = None):
        self.case = case
        self.fires = fires

    def const(self, value: bool) -> bool:
        return value

    def field_in(self, field: str, values: frozenset[str]) -> bool:
        return getattr(self.case, field).value in values

    def flag(self, field: str) -> bool:
        return bool(getattr(self.case, field))

    def unknown(self, provision: str) -> bool:
        return provision in self.case.unknown_provisions

    def provided_by(self, prefixes: tuple[str, ...]) -> bool:
        return self.fires(prefixes)

    def output_in(self, output: str, values: frozenset[str]) -> bool:
        raise TypeError("output conditions are evaluated by the verifier only")

    def not_(self, arg: bool) -> bool:
        return not arg

    def and_(self, args: list[bool]) -> bool:
        return all(args)

    def or_(self, args: list[bool]) -> bool:
        return any(args)
