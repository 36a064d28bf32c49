"""The point-54 signatory matrix: who signs the answer (p53-1, p54), per place of handling, outcome and
whom the complaint is about, computed from the specification itself.

Each cell is one representative appeal: the ordinary appeal (spec/ordinary-appeal.json) handled at
that body (p54.pp3.a1, p54.pp5.a1, p54.pp6.a1, p54.pp7.a1), decided that way (p54.pp5.a5, p54.pp8.a2)
and, unless it complains about no one, a complaint about that person (p54.pp3.a2, p54.pp5.a2,
p54.pp6.a2, p54.pp7.a2). The rule set's own evaluator (kzappeals.spec.evaluate) answers it, so the
matrix shows exactly what `kzappeals verify` reasons about; the findings that show on the cell's
appeal are attached to it, judged by the same evaluator.
"""

from __future__ import annotations

from dataclasses import dataclass

from kzappeals.spec.case_json import parse_case
from kzappeals.spec.case_models import case_model
from kzappeals.spec.evaluate import Evaluation
from kzappeals.spec.findings import Finding, Report
from kzappeals.spec.ruleset import RuleSet
from kzappeals.spec.vocabulary import Body, Case, ComplaintAbout, Outcome, ordinary_appeal

# "other" reads as "none" in point 54, which names only subordinates, deputies and (by the
# principle no-self-signing-head) the head; it is left out of the picture.
ABOUT = (ComplaintAbout.none, ComplaintAbout.subordinate_staff, ComplaintAbout.deputy_head, ComplaintAbout.head)


@dataclass(frozen=True)
class Cell:
    body: str
    about: str
    outcome: str
    status: str  # decided, ambiguous, undetermined (a gap), not_applicable
    signatories: tuple[tuple[str, tuple[str, ...]], ...]  # (value, provisions)
    findings: tuple[str, ...]  # ids of signatory findings that show on this appeal, smallest witness first
    depends_on_unknown: tuple[str, ...]


def cell_case(body: str, about: str, outcome: str, ruleset: RuleSet | None = None) -> Case:
    """The ordinary appeal (of ``ruleset``, a draft's own; default the installed spec's) handled at
    ``body``, about ``about``, decided ``outcome``."""
    data = dict(ordinary_appeal() if ruleset is None else ruleset.ordinary)
    data.update(handled_at=body, outcome=outcome, complaint_about=about)
    if about != ComplaintAbout.none:
        data["kind"] = "complaint"  # coherence: a complaint about someone is a complaint (p54.pp3.a2)
    return parse_case(data) if ruleset is None else parse_case(data, case_model(ruleset))


def _shows(f: Finding, ev: Evaluation, ruleset: RuleSet) -> bool:
    """Does signatory finding ``f`` show on the evaluated appeal (the checks of tests/test_verify.py)?"""
    question = f.question
    if question is None:
        return False
    if f.kind == "conflict":
        return set(f.rules) <= {r.id for r in ev.deciding(question)}
    if f.kind == "gap":
        return ev.determination(question).status == "undetermined"
    if f.kind == "principle" and f.related:
        return ev.determination(question).status in ("ambiguous", "undetermined")
    if f.kind == "principle":
        p = next(p for p in ruleset.principles if p.id == f.principle)
        return (
            p.when is not None
            and ev.holds(p.when)
            and f.rules[0] in {r.id for r in ev.deciding(question)}
            and ruleset.by_id[f.rules[0]].then[question] in p.forbidden
        )
    return False


def matrix(report: Report, ruleset: RuleSet, profile: str) -> list[Cell]:
    """Every cell under ``profile``, rows (body, about) in vocabulary order, columns by outcome."""
    candidates = sorted(
        (f for f in report.findings if f.profile == profile and f.question == "signatory" and f.kind != "dead"),
        key=lambda f: (len(f.changes), f.id),
    )
    cells = []
    for body in Body:
        for about in ABOUT:
            for outcome in Outcome:
                case = cell_case(body, about, outcome, ruleset)
                ev = Evaluation(ruleset, ruleset.profiles[profile], case)
                det = ev.determination("signatory")
                cells.append(
                    Cell(
                        body=body.value,
                        about=about.value,
                        outcome=outcome.value,
                        status=det.status,
                        signatories=tuple((a.value.value, a.provisions) for a in det.answers),
                        findings=tuple(f.id for f in candidates if _shows(f, ev, ruleset)),
                        depends_on_unknown=det.depends_on_unknown,
                    )
                )
    return cells
