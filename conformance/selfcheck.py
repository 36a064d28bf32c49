"""`kzappeals selfcheck`: the suite proves itself on mutants of the reference implementation.

A mutant is the reference implementation with one deliberate mistake, of the
kinds a vendor makes:

- ``negate-condition``: a provision's condition (an ``if`` or a conditional
  expression) reads the other way round;
- ``drop-conjunct`` / ``drop-disjunct``: one part of a condition is dropped;
- ``flip-comparison``: ``is`` for ``is not``, ``in`` for ``not in``, ``==`` for ``!=``;
- ``swap-answer``: a provision concludes the next answer of its question
  (``head`` becomes ``deputy_head``, ...);
- ``narrow-set``: a set of bodies or senders loses one member (an agency no longer
  counts as "regional level", ...);
- ``deadline-plus-one``, ``holidays-ignored``, ``receipt-counting-swapped``:
  the three working days shifted by a day, counted on a Monday-Friday week, or
  counted under the other reading;
- ``entry-one-day-late``: the amended text taken to apply from one day later;
- ``profiles-rotated``: each profile answered as the next one.

Source mutants are made by rewriting one module's syntax tree and importing a
fresh copy of the package around it, so the real reference implementation is
never touched. Each mutant is certified with the real runner (python adapter,
test vectors, Hypothesis exploration) -- or, what gives the same verdict, judged
on one prepared run (``Prepared``): the reference's certification recorded request
by request, replayed to the mutant, with a real certification only from the phase
where its replies first differ, whose exploration is the reference's recorded one
for as long as every batch passes (runner.ExplorationScript). A mutant is asked only
the cases whose reference decision calls the function its mutation is in (``_Calls``);
on the others it decides as the reference does. A mutant that passes is checked against
the reference over the finite decision domain (kzappeals.conformance.domain)
under every profile and a seeded uniform sample: if they never disagree, it is
reported as equivalent (no case found tells it apart; not a proof, since the
domain's classes assume members of a class are treated alike), otherwise it
is a survivor, a hole in the suite.
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import importlib
import importlib.abc
import importlib.util
import inspect
import json
import random
import sys
from collections.abc import Callable, Iterator
from types import CodeType, ModuleType
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from kzappeals.conformance import judge as judging
from kzappeals.conformance.adapters import PythonAdapter
from kzappeals.conformance.domain import question_cases
from kzappeals.conformance.expectations import LEVELS, Expectation, VendorAnswer
from kzappeals.conformance.oracle import expected
from kzappeals.conformance.progress import QUIET, Progress
from kzappeals.conformance.protocol import Certificate
from kzappeals.conformance.reproducible import stack
from kzappeals.conformance.runner import ExplorationScript, Options, ScriptDiverged, available_vectors, certify, exit_code
from kzappeals.conformance.serving import FunctionImplementation
from kzappeals.conformance.strategies import EARLIEST, LATEST, coherent_value, field_choices
from kzappeals.reference_impl import decide as reference_decide
from kzappeals.spec import calendar
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.conditions import CASE_FIELDS, UNKNOWN_PROVISIONS
from kzappeals.spec.ruleset import default_ruleset
from kzappeals.spec.vocabulary import QUESTIONS, Case, Decision

PACKAGE = "kzappeals.reference_impl"
SOURCE_MODULES = ("procedure", "intake", "routing", "signature", "profiles")
ANSWER_ENUMS = {e.__name__: e for e in QUESTIONS.values()}

Decide = Callable[..., Decision]
"""``reference_impl.decide`` or a mutant of it: (case, profile, ...) to a decision."""

T = TypeVar("T")

Unit = tuple[str, int, str]
"""A function of the reference implementation as its code object names it: (file, first line, name)."""


@dataclasses.dataclass(frozen=True)
class Mutant:
    id: str
    kind: str
    description: str
    make: Callable[[], Decide]
    runs_in: Unit | None = None
    """The function of the reference whose body holds the mutation: a decision that does not call it is
    the reference's. None: the mutation may change any decision (a module's constant, a behaviour)."""


# --- loading a mutated copy of the package ----------------------------------------------------


class _OneModule(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves one module of the package from a mutated code object; the rest import as usual."""

    def __init__(self, fullname: str, code, origin: str):
        self.fullname, self.code, self.origin = fullname, code, origin

    def find_spec(self, fullname, path, target=None):
        if fullname != self.fullname:
            return None
        return importlib.util.spec_from_loader(fullname, self, origin=self.origin)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        module.__file__ = self.origin
        exec(self.code, module.__dict__)


def fresh_decide(module: str | None = None, tree: ast.Module | None = None) -> Decide:
    """``decide`` of a fresh copy of the reference implementation, with ``module`` built from ``tree``."""
    return _fresh_package(module, tree)[PACKAGE].decide


def _fresh_package(module: str | None = None, tree: ast.Module | None = None) -> dict[str, ModuleType]:
    """The modules of a fresh copy of the reference implementation, with ``module`` built from ``tree``.

    The copy lives only in the returned modules: ``sys.modules`` is restored, so the real reference
    implementation (and the oracle that uses it) is untouched."""
    saved = {k: v for k, v in sys.modules.items() if k == PACKAGE or k.startswith(PACKAGE + ".")}
    for k in saved:
        del sys.modules[k]
    finder = None
    if module is not None:
        assert tree is not None, "a mutated module comes with its tree"
        fullname = f"{PACKAGE}.{module}"
        origin = inspect.getfile(saved[fullname])
        finder = _OneModule(fullname, compile(tree, origin, "exec"), origin)
        sys.meta_path.insert(0, finder)
    try:
        importlib.import_module(PACKAGE)
        return {k: m for k, m in sys.modules.items() if k == PACKAGE or k.startswith(PACKAGE + ".")}
    finally:
        if finder is not None:
            sys.meta_path.remove(finder)
        for k in [k for k in sys.modules if k == PACKAGE or k.startswith(PACKAGE + ".")]:
            del sys.modules[k]
        sys.modules.update(saved)


# --- source mutants ----------------------------------------------------------------------------


def _source_tree(module: str) -> ast.Module:
    return ast.parse(inspect.getsource(importlib.import_module(f"{PACKAGE}.{module}")))


Change = Callable[[ast.AST], None]
"""How a mutation site is changed, applied to the site's node in a fresh copy of the module's tree."""


def _sites(tree: ast.Module) -> Iterator[tuple[str, tuple[int, ...], str, Change]]:
    """(kind, path to the node, what changes, how to change a copy of the node) for every mutation site."""
    for path, node, in_function in _walk(tree):
        if in_function and isinstance(node, (ast.If, ast.IfExp)):
            yield "negate-condition", path, ast.unparse(node.test)[:60], _negate
        if in_function and isinstance(node, ast.BoolOp) and len(node.values) > 1:
            kind = "drop-conjunct" if isinstance(node.op, ast.And) else "drop-disjunct"
            # A dropped part becomes the operator's neutral value, so the node stays a valid BoolOp.
            neutral = isinstance(node.op, ast.And)
            for i, part in enumerate(node.values):
                yield kind, path, ast.unparse(part)[:60], _dropping(i, neutral)
        if in_function and isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _FLIPS:
            yield "flip-comparison", path, ast.unparse(node)[:60], _flip
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Given" and len(node.args) >= 2:
            value = node.args[1]
            if isinstance(value, ast.Attribute) and isinstance(value.value, ast.Name) and value.value.id in ANSWER_ENUMS:
                members = [m.name for m in ANSWER_ENUMS[value.value.id]]
                if len(members) > 1:
                    new = members[(members.index(value.attr) + 1) % len(members)]
                    yield "swap-answer", path, f"{value.value.id}.{value.attr} -> {new}", _answering(new)
        if (
            not in_function
            and isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "frozenset"
            and node.args
            and isinstance(node.args[0], ast.Set)
            and len(node.args[0].elts) > 1
        ):
            for i, elt in enumerate(node.args[0].elts):
                yield "narrow-set", path, f"without {ast.unparse(elt)}", _without(i)


_FLIPS: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}

# Each change is applied to the copy of the node its site was found at, so the asserts state what
# _sites checked, for the type checker.


def _negate(node: ast.AST) -> None:
    assert isinstance(node, (ast.If, ast.IfExp))
    node.test = ast.UnaryOp(ast.Not(), node.test)


def _dropping(i: int, neutral: bool) -> Change:
    def change(node: ast.AST) -> None:
        assert isinstance(node, ast.BoolOp)
        node.values[i] = ast.Constant(neutral)

    return change


def _flip(node: ast.AST) -> None:
    assert isinstance(node, ast.Compare)
    node.ops[0] = _FLIPS[type(node.ops[0])]()


def _answering(member: str) -> Change:
    def change(node: ast.AST) -> None:
        assert isinstance(node, ast.Call) and isinstance(node.args[1], ast.Attribute)
        node.args[1].attr = member

    return change


def _without(i: int) -> Change:
    def change(node: ast.AST) -> None:
        assert isinstance(node, ast.Call) and isinstance(node.args[0], ast.Set)
        node.args[0].elts.pop(i)

    return change


def _walk(node: ast.AST, path: tuple[int, ...] = (), in_function: bool = False) -> Iterator[tuple[tuple[int, ...], ast.AST, bool]]:
    """Every node with its path of child indexes (stable across copies of the tree)."""
    yield path, node, in_function
    inside = in_function or isinstance(node, (ast.FunctionDef, ast.Lambda))
    for i, child in enumerate(ast.iter_child_nodes(node)):
        yield from _walk(child, path + (i,), inside)


def _at(tree: ast.AST, path: tuple[int, ...]) -> ast.AST:
    node = tree
    for i in path:
        node = list(ast.iter_child_nodes(node))[i]
    return node


def _runs_in(tree: ast.Module, path: tuple[int, ...], origin: str, units: frozenset[Unit]) -> Unit | None:
    """The innermost function (or lambda) whose body holds the site at ``path``: the mutated code runs only
    when that function is called. None for a site run when the module is imported (a constant, a default
    value, a decorator outside any body), or whose function its code objects do not name as expected."""
    node: ast.AST = tree
    unit: Unit | None = None
    for i in path:
        child = list(ast.iter_child_nodes(node))[i]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(child is s for s in node.body):
            # A decorated function's code object starts at its first decorator.
            unit = (origin, node.decorator_list[0].lineno if node.decorator_list else node.lineno, node.name)
        elif isinstance(node, ast.Lambda) and child is node.body:
            unit = (origin, node.lineno, "<lambda>")
        node = child
    return unit if unit in units else None


def _units(code: CodeType) -> Iterator[Unit]:
    """Every function and lambda compiled into ``code``, as its code object names it."""
    for const in code.co_consts:
        if isinstance(const, CodeType):
            yield const.co_filename, const.co_firstlineno, const.co_name
            yield from _units(const)


def _source_mutants() -> list[Mutant]:
    out: list[Mutant] = []
    for module in SOURCE_MODULES:
        tree = _source_tree(module)
        origin = inspect.getfile(importlib.import_module(f"{PACKAGE}.{module}"))
        units = frozenset(_units(compile(tree, origin, "exec")))
        for kind, path, what, change in _sites(tree):
            site = _at(tree, path)
            assert isinstance(site, (ast.stmt, ast.expr))  # every site _sites yields is one
            line = site.lineno

            def make(module: str = module, tree: ast.Module = tree, path: tuple[int, ...] = path, change: Change = change) -> Decide:
                mutated = copy.deepcopy(tree)
                change(_at(mutated, path))
                return fresh_decide(module, ast.fix_missing_locations(mutated))

            n = sum(1 for m in out if m.id.startswith(f"{module}:{line}:{kind}"))
            out.append(
                Mutant(
                    f"{module}:{line}:{kind}" + (f"#{n + 1}" if n else ""),
                    kind,
                    f"reference_impl/{module}.py line {line}: {kind} ({what})",
                    make,
                    _runs_in(tree, path, origin, units),
                )
            )
    return out


# --- behaviour mutants: deadlines, calendar, entry into force, profiles ----------------------


def _with_due(decide: Decide, due: Callable[[dt.date, dt.date], dt.date]) -> Decide:
    def mutant(case, profile="literal", *args, **kwargs):
        d = decide(case, profile, *args, **kwargs)
        return d if d.forwarding_due is None else d.model_copy(update={"forwarding_due": due(case.received_on, d.forwarding_due)})

    return mutant


def _weekdays_after(day: dt.date, n: int = 3) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        n -= day.weekday() < 5
    return day


def _behaviour_mutants() -> list[Mutant]:
    profiles = list(default_ruleset().profiles)
    rotate = {p: profiles[(i + 1) % len(profiles)] for i, p in enumerate(profiles)}
    late = calendar.InForceParameters(order165_published=calendar.InForceParameters().order165_published + dt.timedelta(days=1))

    def base() -> Decide:
        return fresh_decide()

    return [
        Mutant(
            "behaviour:deadline-plus-one",
            "deadline-plus-one",
            "the three working days end one calendar day late",
            lambda: _with_due(base(), lambda received, due: due + dt.timedelta(days=1)),
        ),
        Mutant(
            "behaviour:holidays-ignored",
            "holidays-ignored",
            "the three working days counted on a plain Monday-Friday week",
            lambda: _with_due(base(), lambda received, due: _weekdays_after(received)),
        ),
        Mutant(
            "behaviour:receipt-counting-swapped",
            "receipt-counting-swapped",
            "a receipt on a non-working day moves to the next working day",
            lambda: (
                lambda d: lambda case, profile="literal": d(case, profile, receipt=calendar.ReceiptCounting.NON_WORKING_RECEIPT_MOVES)
            )(base()),
        ),
        Mutant(
            "behaviour:entry-one-day-late",
            "entry-one-day-late",
            "the amended text applied from one day after its entry into force",
            lambda: (lambda d: lambda case, profile="literal": d(case, profile, in_force=late))(base()),
        ),
        Mutant(
            "behaviour:profiles-rotated",
            "profiles-rotated",
            "each profile answered as the next one (literal as residual-yields, ...)",
            lambda: (lambda d: lambda case, profile="literal": d(case, rotate[profile]))(base()),
        ),
    ]


@functools.cache
def mutants() -> tuple[Mutant, ...]:
    """Every mutant, in a stable order."""
    return tuple(_source_mutants() + _behaviour_mutants())


# --- judging a mutant ---------------------------------------------------------------------------


def _answer_fn(decide: Decide) -> Callable[[dict, str], dict]:
    return lambda case, profile: VendorAnswer.from_decision(decide(parse_case(case), profile)).model_dump(mode="json")


def _wrong(decide: Decide, case: dict, profile: str) -> bool:
    try:
        answer = VendorAnswer.from_decision(decide(parse_case(case), profile))
    except Exception:
        return True
    return bool(judging.judge(expected(parse_case(case), profile), answer, tuple(LEVELS)).mismatches)


def uniform_cases(seed: int) -> Iterator[dict]:
    """Plain uniform random appeals: every attribute drawn uniformly (an incoherent draw falls back to the
    first coherent value, as the strategies do), dates uniform over the drawn span. The baseline the
    suite's case order is compared with (benchmarks/bench_selfcheck.py)."""
    rnd = random.Random(seed)
    span = (LATEST - EARLIEST).days
    while True:
        values: dict = {}
        for field in CASE_FIELDS:
            values[field] = coherent_value(values, field, rnd.choice(field_choices(field)))
        day = EARLIEST + dt.timedelta(days=rnd.randint(0, span))
        yield {"received_on": day.isoformat(), **values, "unknown_provisions": sorted(u for u in UNKNOWN_PROVISIONS if rnd.random() < 0.5)}


def suite_cases() -> Iterator[tuple[dict, str]]:
    """The certification's own order: every test vector of a coherent appeal, under its profile.
    (Error vectors test validation, which mutants share with the reference.)"""
    for v in available_vectors() or []:
        if isinstance(v.expected, Expectation):
            yield v.case, v.profile


def cases_to_tell_apart(decide: Decide, stream: Iterator[tuple[dict, str]], limit: int) -> int | None:
    """How many cases of ``stream`` are judged before ``decide`` gives a wrong answer (None: not within ``limit``)."""
    for n, (case, profile) in enumerate(stream, 1):
        if n > limit:
            return None
        if _wrong(decide, case, profile):
            return n
    return None


class MutantResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    kind: str
    description: str
    verdict: str  # killed | survived | equivalent | broken
    certificate_verdict: str
    cases_needed: int | None = None
    note: str = ""


class SelfcheckReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    inputs_sha256: str  # what the result depends on (see inputs_digest); a test checks it is current
    stack: dict[str, str]  # the versions it ran with (kzappeals.conformance.reproducible.stack): exploration draws on Hypothesis
    seed: int
    max_examples: int
    equivalence_sample: int
    mutants: tuple[MutantResult, ...]

    @property
    def killable(self) -> list[MutantResult]:
        return [m for m in self.mutants if m.verdict in ("killed", "survived")]

    @property
    def kill_rate(self) -> float:
        k = self.killable
        return sum(m.verdict == "killed" for m in k) / len(k) if k else 1.0


def _handshake(mutant_id: str) -> dict:
    return {
        "protocol": 1,
        "implementation": {"name": f"mutant {mutant_id}", "version": "0", "language": "python"},
        "profiles": list(default_ruleset().profiles),
        "levels": list(LEVELS),
    }


def _certify_phase(
    impl: FunctionImplementation,
    label: str,
    seed: int,
    max_examples: int,
    record: ExplorationScript | None = None,
    replay: ExplorationScript | None = None,
):
    """One certification: the test vectors alone (``max_examples`` 0), or with exploration, stopping at a failure.

    With ``replay``, the exploration is the recorded one for as long as every batch passes (an implementation
    whose batches all pass is asked what Hypothesis would ask it); where one would not, the certification
    is made again with Hypothesis, so the certificate is the one a certification from scratch gives."""
    if not max_examples:
        return certify(PythonAdapter(label, impl), Options(seed=seed, max_examples=0))
    if replay is not None:
        try:
            return certify(
                PythonAdapter(label, impl), Options(seed=seed, max_examples=max_examples, max_failures=1, replay_exploration=replay)
            )
        except ScriptDiverged:
            pass
    return certify(PythonAdapter(label, impl), Options(seed=seed, max_examples=max_examples, max_failures=1, record_exploration=record))


def _certification(impl: FunctionImplementation, label: str, seed: int, max_examples: int):
    # The test vectors first; exploration only for a mutant they do not reject.
    cert = _certify_phase(impl, label, seed, 0)
    if exit_code(cert) == 0 and max_examples:
        cert = _certify_phase(impl, label, seed, max_examples)
    return cert


def _verdict(
    m: Mutant, cert_verdict: str, killed: bool, needed: int | None, found: Callable[[], tuple[int | None, str]], equivalence_sample: int
) -> MutantResult:
    """The result, from the certificate and, for a mutant it does not reject, the search for any case telling it apart."""
    if killed:
        return MutantResult(
            id=m.id, kind=m.kind, description=m.description, verdict="killed", certificate_verdict=cert_verdict, cases_needed=needed
        )
    n, where = found()
    verdict = "survived" if n else "equivalent"
    note = (
        f"told apart by {where.format(n)}"
        if n
        else f"no difference on the test vectors, the {len(question_cases()) * len(default_ruleset().profiles)} judgments of the "
        f"finite decision domain, nor {equivalence_sample} uniform cases"
    )
    return MutantResult(id=m.id, kind=m.kind, description=m.description, verdict=verdict, certificate_verdict=cert_verdict, note=note)


def _load(m: Mutant) -> Decide | MutantResult:
    try:
        return m.make()
    except Exception as exc:
        return MutantResult(
            id=m.id,
            kind=m.kind,
            description=m.description,
            verdict="broken",
            certificate_verdict="-",
            note=f"does not load: {type(exc).__name__}: {exc}",
        )


def check_mutant(m: Mutant, seed: int, max_examples: int, equivalence_sample: int) -> MutantResult:
    """A mutant judged from scratch: a real certification, then, if it passes, the decision domain and a uniform sample.
    (``run_selfcheck`` reaches the same result through a ``Prepared`` run; tests compare the two.)"""
    decide = _load(m)
    if isinstance(decide, MutantResult):
        return decide
    cert = _certification(FunctionImplementation(_answer_fn(decide), _handshake(m.id)), f"mutant {m.id}", seed, max_examples)
    profiles = list(default_ruleset().profiles)

    def found() -> tuple[int | None, str]:
        # Not rejected: is there any case at all that tells it apart? The finite decision domain
        # under every profile, then uniform random appeals (which also vary what the domain's
        # classes hold fixed).
        domain = ((json.loads(line), p) for line in question_cases() for p in profiles)
        n = cases_to_tell_apart(decide, domain, 10**9)
        if n:
            return n, "case no. {} of the decision domain"
        sample = ((c, profiles[i % len(profiles)]) for i, c in enumerate(uniform_cases(seed + 1)))
        return cases_to_tell_apart(decide, sample, equivalence_sample), "uniform case no. {}"

    return _verdict(m, cert.verdict, exit_code(cert) != 0, cases_to_tell_apart(decide, suite_cases(), 10**9), found, equivalence_sample)


# --- the prepared run: what every mutant is judged on, made once -------------------------------


class _Recording(FunctionImplementation):
    """The reference behind the protocol, keeping every decide request the runner sends and the reply."""

    def __init__(self, fn, handshake: dict):
        super().__init__(fn, handshake)
        self.exchanges: list[tuple[dict, dict]] = []

    def decide(self, request: dict) -> dict:
        reply = super().decide(request)
        self.exchanges.append((copy.deepcopy(request), copy.deepcopy(reply)))
        return reply


class _Calls:
    """Which functions of the reference each decision calls, read off a fresh copy of it run cold.

    Before each decision the copy is put back as it was once imported: its functools caches emptied,
    its module-level names, dicts, lists and sets as they were (its memoized decisions dropped). So a
    function a decision needs is called for that decision itself, not only for the first decision that
    needed the same part; a mutant whose mutated function a decision does not call decides it as the
    reference does, whatever its own caches hold, since every cached part is a function of its key.
    The functions the modules call when imported (tables built from their own helpers) count as called
    by every decision. (The reference keeps its memory only in such places; the committed report, made
    without this shortcut, and a test comparing judgments with and without it check that.)"""

    def __init__(self) -> None:
        imported: set[Unit] = set()
        modules = _traced(_fresh_package, imported)
        self._decide = modules[PACKAGE].decide
        self._files = frozenset(inspect.getfile(m) for m in modules.values())
        # What the modules run when imported (tables built by calling their own functions) every decision rests on.
        self._at_import = frozenset(u for u in imported if u[0] in self._files)
        self._caches = [
            v for m in modules.values() for v in vars(m).values() if hasattr(v, "cache_clear") and getattr(v, "__module__", "") in modules
        ]
        self._globals = [(vars(m), dict(vars(m))) for m in modules.values()]
        self._memory = [
            (v, v.copy()) for m in modules.values() for k, v in vars(m).items() if not k.startswith("__") and type(v) in (dict, list, set)
        ]
        self._known: dict[frozenset[Unit], frozenset[Unit]] = {}  # a few distinct sets over thousands of decisions: one object each

    def __call__(self, case: Case, profile: str) -> frozenset[Unit] | None:
        """The functions deciding ``case`` calls; None where the decision raises (then nothing is assumed)."""
        for cache in self._caches:
            cache.cache_clear()
        for names, fresh_names in self._globals:  # a name bound again since the import
            if len(names) != len(fresh_names) or any(names.get(k) is not v for k, v in fresh_names.items()):
                names.clear()
                names.update(fresh_names)
        for kept, fresh in self._memory:
            if kept != fresh:
                kept.clear()
                if isinstance(kept, list):
                    kept.extend(fresh)
                else:
                    kept.update(fresh)
        called: set[Unit] = set()
        try:
            _traced(lambda: self._decide(case, profile), called)
        except Exception:
            return None
        units = frozenset(u for u in called if u[0] in self._files) | self._at_import
        return self._known.setdefault(units, units)


def _traced(run: Callable[[], T], called: set[Unit]) -> T:
    """``run()``, adding to ``called`` every function it calls (calls only: no line is traced)."""

    def trace(frame, event, arg):
        code = frame.f_code
        called.add((code.co_filename, code.co_firstlineno, code.co_name))

    before = sys.gettrace()
    sys.settrace(trace)
    try:
        return run()
    finally:
        sys.settrace(before)


@dataclasses.dataclass(frozen=True)
class _Judged:
    """One case of a stream, read once, with the reference's decision, whether the judge rejects its answer
    and the functions of the reference its decision calls (None: not known, any mutant may change it)."""

    case: Case | None  # None where the case does not parse (every answer to it counts as wrong)
    profile: str
    decision: Decision | None
    wrong: bool
    calls: frozenset[Unit] | None = None


def _judged(stream: Iterator[tuple[dict, str]], calls: _Calls | None, limit: int | None = None) -> tuple[_Judged, ...]:
    """The stream judged; a case that comes again at once (the same object, under the next profile) is read once."""
    out: list[_Judged] = []
    last: tuple[dict, Case] | None = None
    for case, profile in stream:
        if limit is not None and len(out) >= limit:
            break
        try:
            parsed = last[1] if last is not None and last[0] is case else parse_case(case)
        except Exception:
            out.append(_Judged(None, profile, None, True))
            continue
        last = (case, parsed)
        decision = reference_decide(parsed, profile)
        answer = VendorAnswer.from_decision(decision)
        wrong = bool(judging.judge(expected(parsed, profile), answer, tuple(LEVELS)).mismatches)
        out.append(_Judged(parsed, profile, decision, wrong, calls(parsed, profile) if calls is not None else None))
    return tuple(out)


def _domain() -> Iterator[tuple[dict, str]]:
    """The finite decision domain under every profile, each case one object for its profiles."""
    profiles = list(default_ruleset().profiles)
    return ((case, p) for case in map(json.loads, question_cases()) for p in profiles)


def _domain_calls() -> tuple[tuple[frozenset[Unit] | None, ...], list[int]]:
    """``_Calls`` of every judgment of ``_domain()``, as its distinct sets and, per judgment, an index into them
    (what a forked worker sends back; the sets are few)."""
    calls = _Calls()
    distinct: dict[frozenset[Unit] | None, int] = {}
    at: list[int] = []
    for case, profile in _domain():
        try:
            units = calls(parse_case(case), profile)
        except Exception:  # judged as not parsing: no mutant is asked
            units = None
        at.append(distinct.setdefault(units, len(distinct)))
    return tuple(distinct), at


def _first_wrong(decide: Decide, judged: tuple[_Judged, ...], runs_in: Unit | None) -> int | None:
    """``cases_to_tell_apart`` over a prepared stream: where the mutant's mutated function (``runs_in``) is
    not called, or the mutant decides as the reference does (the decision compared as data, far cheaper
    than making its answer), the reference's judgment stands; the answer is made and judged only where the
    decisions differ."""
    same: dict[tuple[int, int], Decision] = {}  # decisions are reused objects: each pair compared once (kept, so ids stay theirs)
    for n, j in enumerate(judged, 1):
        if j.case is None:
            return n
        if runs_in is not None and j.calls is not None and runs_in not in j.calls:
            if j.wrong:
                return n
            continue
        try:
            decision = decide(j.case, j.profile)
            if (id(decision), id(j.decision)) in same or decision == j.decision:
                same[id(decision), id(j.decision)] = decision
                if j.wrong:
                    return n
                continue
            answer = VendorAnswer.from_decision(decision)
        except Exception:
            return n
        if judging.judge(expected(j.case, j.profile), answer, tuple(LEVELS)).mismatches:
            return n
    return None


class Prepared:
    """What every mutant is judged on, made once: the reference's certification (test vectors, then
    exploration) recorded request by request with its replies, and the test vectors, the decision domain
    and the uniform sample, each case parsed once with the reference's answer and judgment.

    A mutant that replies to every recorded request exactly as the reference did is sent the same
    requests by the runner (what it asks next depends only on the replies so far; exploration draws
    from the seed alone), so its certificate has the reference's verdict. At its first differing reply
    the mutant gets a real certification from that phase on, its exploration replayed from the
    reference's while every batch passes (Hypothesis sees no more than that), drawn anew from the first
    that does not. Only a request holding a case whose decision calls the mutated function is replayed,
    and only such cases of the vectors, domain and sample are decided again: on the rest the mutant is
    the reference. Each result is the one ``check_mutant`` gives (tests compare the two, and the
    committed report, made before these shortcuts, is reproduced to the letter)."""

    def __init__(self, seed: int, max_examples: int, equivalence_sample: int, jobs: int = 1):
        import multiprocessing

        self.seed, self.max_examples, self.equivalence_sample = seed, max_examples, equivalence_sample
        # The domain's functions called, the longest part, are read in a forked worker meanwhile where there is a core for it.
        worker = None
        if jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            worker = multiprocessing.get_context("fork").Pool(1)
            domain_calls = worker.apply_async(_domain_calls)
        self.phases: list[tuple[list[tuple[dict, dict]], Certificate]] = []
        self.script = ExplorationScript()
        for budget in (0, max_examples) if max_examples else (0,):
            recording = _Recording(_answer_fn(reference_decide), _handshake("reference"))
            cert = _certify_phase(recording, "mutant reference", seed, budget, record=self.script)
            self.phases.append((recording.exchanges, cert))
            if exit_code(cert) != 0:
                break
        # Per case the runner asks again and again (recorded, a test vector, a replayed batch; kept here with
        # its dict, so ids stay keys): the parsed case, or the exception parsing raised, and per profile the
        # reference's decision and answer; for the recorded ones, the functions their decisions call.
        self._parsed: dict[int, tuple[dict, Case | Exception]] = {}
        self._reference: dict[tuple[int, str], tuple[Decision, dict]] = {}
        self._calls: dict[tuple[int, str], frozenset[Unit] | None] = {}
        calls = _Calls()
        asked = [
            (item["case"], request["profile"]) for exchanges, _ in self.phases for request, _ in exchanges for item in request["cases"]
        ]
        vectors = [(v.case, v.profile) for v in available_vectors()]
        replayed = [(case, p) for p, batches in self.script.batches.items() for batch in batches for case in batch]
        for n, (case, profile) in enumerate(asked + vectors + replayed):
            parsed = self._read(case)
            if isinstance(parsed, Exception):
                continue
            if n < len(asked):
                self._calls[id(case), profile] = calls(parsed, profile)
            try:
                decision = reference_decide(parsed, profile)
            except Exception:
                continue
            self._reference[id(case), profile] = (decision, VendorAnswer.from_decision(decision).model_dump(mode="json"))
        profiles = list(default_ruleset().profiles)
        self.suite = _judged(suite_cases(), calls)
        uniform = ((c, profiles[i % len(profiles)]) for i, c in enumerate(uniform_cases(seed + 1)))
        self.uniform = _judged(uniform, calls, equivalence_sample)
        domain = _judged(_domain(), None)
        if worker is not None:
            distinct, at = domain_calls.get()
            worker.close()
            worker.join()
        else:
            distinct, at = _domain_calls()
        self.domain = tuple(dataclasses.replace(j, calls=distinct[i]) for j, i in zip(domain, at, strict=True))

    def _replies_as_recorded(self, request: dict, runs_in: Unit | None) -> bool:
        """A request none of whose cases calls the mutated function gets the reference's reply: the mutant
        need not be asked. (A case that does not parse gets the same error from both.)"""
        if runs_in is None:
            return False
        for item in request["cases"]:
            if isinstance(self._read(item["case"]), Exception):
                continue
            calls = self._calls[id(item["case"]), request["profile"]]
            if calls is None or runs_in in calls:
                return False
        return True

    def _read(self, case: dict) -> Case | Exception:
        """The case parsed, once for every mutant, or the exception parsing raised."""
        kept = self._parsed.get(id(case))
        if kept is None:
            try:
                parsed: Case | Exception = parse_case(case)
            except Exception as exc:
                parsed = exc
            kept = self._parsed[id(case)] = (case, parsed)
        return kept[1]

    def _answer_fn(self, decide: Decide) -> Callable[[dict, str], dict]:
        """``_answer_fn``, each case the prepared run holds read once for every mutant, and where the mutant
        decides as the reference did, the reference's answer given again instead of made anew."""

        same: dict[tuple[int, int], Decision] = {}  # as in _first_wrong

        def answer(case: dict, profile: str) -> dict:
            kept = self._parsed.get(id(case))
            parsed = kept[1] if kept is not None and kept[0] is case else parse_case(case)
            if isinstance(parsed, Exception):
                raise parsed.with_traceback(None)  # raised again for every mutant: its traceback would grow each time
            decision = decide(parsed, profile)
            reference = self._reference.get((id(case), profile))
            if reference is not None and ((id(decision), id(reference[0])) in same or decision == reference[0]):
                same[id(decision), id(reference[0])] = decision
                return reference[1]
            return VendorAnswer.from_decision(decision).model_dump(mode="json")

        return answer

    def judge(self, m: Mutant) -> MutantResult:
        """The result ``check_mutant(m, seed, max_examples, equivalence_sample)`` gives."""
        decide = _load(m)
        if isinstance(decide, MutantResult):
            return decide
        replay = FunctionImplementation(self._answer_fn(decide), _handshake(m.id))
        cert: Certificate | None = None
        for i, (exchanges, reference_cert) in enumerate(self.phases):
            if all(self._replies_as_recorded(request, m.runs_in) or replay.decide(request) == reply for request, reply in exchanges):
                cert = reference_cert
                continue
            impl = FunctionImplementation(self._answer_fn(decide), _handshake(m.id))
            cert = _certify_phase(impl, f"mutant {m.id}", self.seed, self.max_examples if i else 0, replay=self.script)
            if i == 0 and exit_code(cert) == 0 and self.max_examples:
                cert = _certify_phase(impl, f"mutant {m.id}", self.seed, self.max_examples, replay=self.script)
            break
        assert cert is not None  # a prepared run has at least its first phase, the test vectors

        def found() -> tuple[int | None, str]:
            n = _first_wrong(decide, self.domain, m.runs_in)
            return (
                (n, "case no. {} of the decision domain") if n else (_first_wrong(decide, self.uniform, m.runs_in), "uniform case no. {}")
            )

        return _verdict(m, cert.verdict, exit_code(cert) != 0, _first_wrong(decide, self.suite, m.runs_in), found, self.equivalence_sample)


_PREPARED: Prepared | None = None


def _check_in_worker(index: int) -> MutantResult:
    assert _PREPARED is not None, "run_selfcheck prepares the run before judging"
    return _PREPARED.judge(mutants()[index])


def run_selfcheck(
    seed: int = 0,
    max_examples: int = 300,
    equivalence_sample: int = 5000,
    only: str | None = None,
    jobs: int = 1,
    progress: Progress = QUIET,
) -> SelfcheckReport:
    """Judge every mutant (or those whose id starts with ``only``) on one prepared run; forked workers when ``jobs`` > 1."""
    import multiprocessing

    global _PREPARED
    chosen = [i for i, m in enumerate(mutants()) if only is None or m.id.startswith(only)]
    progress.phase("self-check: the reference's run, recorded")
    # Made before the workers fork, so each shares it (and the oracle's cache it warms) instead of making its own.
    _PREPARED = Prepared(seed, max_examples, equivalence_sample, jobs)
    # What the prepared run holds lives to the end: kept out of the collector's passes, which would
    # otherwise walk it again and again (and, in forked workers, copy every page it touches).
    gc.freeze()
    progress.phase("self-check: mutants", len(chosen))
    results = []
    if jobs > 1 and len(chosen) > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for result in pool.imap(_check_in_worker, chosen, chunksize=1):  # in order: the report is the same whatever the jobs
                results.append(result)
                progress.advance()
    else:
        for i in chosen:
            results.append(_check_in_worker(i))
            progress.advance()
    progress.close()
    return SelfcheckReport(
        inputs_sha256=inputs_digest(),
        stack=stack(),
        seed=seed,
        max_examples=max_examples,
        equivalence_sample=equivalence_sample,
        mutants=tuple(results),
    )


def differences(committed: SelfcheckReport, now: SelfcheckReport) -> list[str]:
    """One line per way ``now`` differs from ``committed``: its settings, then each mutant's result (the stack it
    ran on may differ: the inputs digest and the results are what is compared)."""
    out = [
        f"{name} {getattr(committed, name)} committed, {getattr(now, name)} now"
        for name in ("inputs_sha256", "seed", "max_examples", "equivalence_sample")
        if getattr(committed, name) != getattr(now, name)
    ]
    before = {m.id: m for m in committed.mutants}
    for m in now.mutants:
        old = before.pop(m.id, None)
        if old is None:
            out.append(f"mutant {m.id}: not in the committed report")
        elif old != m:
            out.append(f"mutant {m.id}: committed {_result(old)}, now {_result(m)}")
    out += [f"mutant {i}: in the committed report, not made now" for i in before]
    return out


def _result(m: MutantResult) -> str:
    needed = f", {m.cases_needed} cases needed" if m.cases_needed is not None else ""
    return f"{m.verdict} (certificate {m.certificate_verdict}{needed}{'; ' + m.note if m.note else ''})"


def inputs_digest() -> str:
    """SHA-256 of everything a self-check result depends on: the reference implementation's source,
    this module, the test vectors and the specification."""
    from pathlib import Path

    h = hashlib.sha256(default_ruleset().sha256.encode())
    here = Path(__file__).parent
    sources = [
        *sorted(Path(inspect.getfile(importlib.import_module(PACKAGE))).parent.glob("*.py")),
        Path(__file__),
        *sorted((here / "vectors").glob("*.json")),
    ]
    for path in sources:
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def render_markdown(r: SelfcheckReport) -> str:
    from collections import Counter

    from tabulate import tabulate

    kinds = sorted({m.kind for m in r.mutants})
    rows = [
        [k, *(sum(1 for m in r.mutants if m.kind == k and m.verdict == v) for v in ("killed", "survived", "equivalent", "broken"))]
        for k in kinds
    ]
    needed = sorted(m.cases_needed for m in r.mutants if m.verdict == "killed" and m.cases_needed)
    verdicts = Counter(m.verdict for m in r.mutants)
    out = [
        "<!-- Generated by `kzappeals selfcheck --write-report`; do not edit. A test fails when its inputs changed. -->",
        "# Self-check: mutants of the reference implementation",
        "",
        f"Seed {r.seed}; exploration budget {r.max_examples} cases per profile; equivalence sample "
        f"{r.equivalence_sample} uniform cases. Inputs SHA-256 `{r.inputs_sha256}`; "
        + ", ".join(f"{name} {version}" for name, version in r.stack.items())
        + ".",
        "",
        f"**Kill rate: {r.kill_rate:.1%}** of {len(r.killable)} mutants that some case tells apart "
        f"({verdicts['killed']} killed, {verdicts['survived']} survived); {verdicts['equivalent']} equivalent "
        f"(no case found that tells them apart), {verdicts['broken']} that do not load.",
        "",
        tabulate(rows, headers=["kind", "killed", "survived", "equivalent", "broken"], tablefmt="github"),
        "",
    ]
    if needed:
        out += [
            f"Cases needed to kill (test vectors in certification order): median {needed[len(needed) // 2]}, "
            f"largest {needed[-1]}; every killed mutant is rejected by the certificate as well.",
            "",
        ]
    for verdict in ("survived", "equivalent", "broken"):
        chosen = [m for m in r.mutants if m.verdict == verdict]
        if chosen:
            out += [f"## {verdict} ({len(chosen)})", ""] + [f"- `{m.id}`: {m.description}. {m.note}" for m in chosen] + [""]
    return "\n".join(out).rstrip() + "\n"
