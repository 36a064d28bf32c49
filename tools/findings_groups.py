"""Findings grouped by root cause: one entry per cause, with its count and its smallest witness.

Most findings are one defect of the text seen from many sides (subpoint 8) of point 54
colliding with every head's subpoint; subpoint 5) against subpoint 6) at the regional level;
point 23 keeping and forwarding the same appeal). The grouping is computed from the findings'
content only, never from a hand-kept list:

- a rule stands for its *provision*: its clause cut to the subpoint (``p54.pp5.a3`` and
  ``p54.pp5.a6`` are both subpoint 5) of point 54), or, for a point without subpoints, to the
  part (``p23.ch3``) or list (``p20.list``); a ``/variant`` suffix is dropped;
- conflicts, per profile and question, are edges between two provisions. A root cause is one
  provision against the family it collides with: repeatedly, the provision with the most
  distinct opponents still unassigned (ties: more findings, then text order) takes every
  remaining collision it is part of;
- a broken principle is one cause per principle and question (every rule that breaks it);
- gaps group by question and the unknown provisions that may fill them; dead rules by question;
- an assumption (a reading every profile shares) is its own cause.

A group's id is a function of its content: kind, profile, question or principle and provisions.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kzappeals.spec.findings import Finding, Report

KIND_ORDER = ("conflict", "principle", "gap", "dead", "assumption")
_PROVISION_RE = re.compile(r"^(?P<point>[a-z0-9-]+?)(?P<pp>\.pp\d+)?(?P<part>\.ch\d+|\.list)?(?:\.a\d+)?$")


class Group(BaseModel):
    """One root cause under one profile: the findings it explains, smallest witness first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="A function of kind, profile, question or principle and provisions.")
    kind: str
    profile: str
    question: str | None = None
    principle: str | None = None
    provisions: tuple[str, ...] = Field(description="For a conflict: the provision first, then the family it collides with.")
    title: str
    count: int
    new: int = Field(description="How many of its findings the baseline does not accept.")
    smallest: str = Field(description="Id of the finding with the smallest witness (fewest changes from an ordinary appeal).")
    findings: tuple[str, ...] = Field(description="Every finding of the group, smallest witness first.")
    clauses: tuple[str, ...]
    depends_on_unknown: tuple[str, ...] = ()


def provision(rule_id: str) -> str:
    """The provision a rule belongs to: its clause cut to the subpoint, else the part or list."""
    clause = rule_id.split("/", 1)[0]
    m = _PROVISION_RE.match(clause)
    if not m:
        return clause
    return m["point"] + (m["pp"] or m["part"] or "")


def provision_label(p: str) -> str:
    """``p54.pp8`` as a reader cites it: 'point 54, subpoint 8)'."""
    m = re.match(r"^p([\d-]+)(?:\.pp(\d+))?(?:\.ch(\d+))?(\.list)?$", p)
    if not m:
        return p
    out = f"point {m[1]}"
    if m[2]:
        out += f", subpoint {m[2]})"
    if m[3]:
        out += f", part {m[3]}"
    if m[4]:
        out += ", list"
    return out


def _order(a: str) -> tuple:
    """Text order of provisions: point number, then subpoint, then part."""
    return tuple(int(n) if n.isdigit() else n for n in re.findall(r"\d+|[a-z]+", a))


def family_label(provisions) -> str:
    """Several provisions, compactly, point by point: 'point 54: 3), 5), 6); point 23: part 3'."""
    by_point: dict[str, list[str]] = {}
    for p in provisions:
        m = re.match(r"^p([\d-]+)(?:\.pp(\d+))?(?:\.ch(\d+))?(\.list)?$", p)
        if not m:
            by_point.setdefault(p, [])
            continue
        unit = f"{m[2]})" if m[2] else f"part {m[3]}" if m[3] else "list" if m[4] else ""
        by_point.setdefault(f"point {m[1]}", []).append(unit)
    return "; ".join(f"{pt}: {', '.join(u for u in units if u)}" if any(units) else pt for pt, units in by_point.items())


def _size(f: Finding) -> tuple:
    return (len(f.changes) if f.witness is not None else 1_000, f.id)


def _group_id(kind: str, profile: str, *parts: str) -> str:
    digest = hashlib.sha256("|".join((kind, profile, *parts)).encode()).hexdigest()[:10]
    return f"cause-{profile}-{digest}"


def _conflict_stars(findings: list[Finding]) -> list[tuple[str, tuple[str, ...], list[Finding]]]:
    """Greedy star cover of the provision-collision graph: (hub, family, findings) per star."""
    edges: dict[frozenset[str], list[Finding]] = defaultdict(list)
    for f in findings:
        pair = frozenset(provision(r) for r in f.rules)
        edges[pair if len(pair) == 2 else frozenset({provision(f.rules[0]), "*"})].append(f)
    stars = []
    while edges:

        def weight(p: str) -> tuple:
            touching = [e for e in edges if p in e]
            return (-len(touching), -sum(len(edges[e]) for e in touching), _order(p))

        nodes = sorted({p for e in edges for p in e if p != "*"}, key=weight)
        hub = nodes[0]
        mine = sorted((e for e in edges if hub in e), key=lambda e: _order(next(iter(e - {hub}), "")))
        family = tuple(sorted({p for e in mine for p in e if p not in (hub, "*")}, key=_order))
        stars.append((hub, family, [f for e in mine for f in edges.pop(e)]))
    return stars


def _title(kind: str, question: str | None, principle: str | None, provisions: tuple[str, ...], members: list[Finding]) -> str:
    if kind == "conflict":
        hub, *family = provisions
        if not family:
            return f"{question}: clauses within {provision_label(hub)} collide"
        return f"{question}: {provision_label(hub)} against {family_label(family)}"
    if kind == "principle":
        return f"principle '{principle}' broken by {family_label(provisions)}"
    if kind == "gap":
        return f"{question}: no rule answers ({len(members)} region{'s' if len(members) > 1 else ''})"
    if kind == "dead":
        return f"{question}: never the deciding rule: " + ", ".join(r for f in members for r in f.rules[:1])
    return members[0].message.en.split(":", 1)[0]


def group_findings(report: Report, baseline: dict[str, str]) -> list[Group]:
    """The root causes of ``report``'s findings, per profile in report order, biggest first within a kind."""
    buckets: dict[tuple, list[Finding]] = defaultdict(list)
    for f in report.findings:
        key: tuple
        if f.kind == "conflict":
            key = (f.kind, f.profile, f.question, None)
        elif f.kind == "principle":
            key = (f.kind, f.profile, f.question, f.principle)
        elif f.kind == "gap":
            key = (f.kind, f.profile, f.question, None, f.depends_on_unknown)
        elif f.kind == "dead":
            key = (f.kind, f.profile, f.question, None)
        else:
            key = (f.kind, f.profile, None, f.id)
        buckets[key].append(f)

    groups: list[Group] = []
    for key, members in buckets.items():
        kind, profile, question, principle = key[:4]
        if kind == "conflict":
            parts = [((hub, *family), fs) for hub, family, fs in _conflict_stars(members)]
        else:
            provs = tuple(sorted({provision(r) for f in members for r in f.rules}, key=_order))
            parts = [(provs, members)]
        for provs, fs in parts:
            fs = sorted(fs, key=_size)
            extra = key[4] if kind == "gap" else ()
            groups.append(
                Group(
                    id=_group_id(kind, profile, question or "", principle or "", ",".join(provs), ",".join(extra)),
                    kind=kind,
                    profile=profile,
                    question=question,
                    principle=principle if kind == "principle" else None,
                    provisions=provs,
                    title=_title(kind, question, principle, provs, fs),
                    count=len(fs),
                    new=sum(1 for f in fs if status(f, baseline) == "new"),
                    smallest=fs[0].id,
                    findings=tuple(f.id for f in fs),
                    clauses=tuple(dict.fromkeys(c for f in fs for c in f.clauses)),
                    depends_on_unknown=tuple(sorted({u for f in fs for u in f.depends_on_unknown})),
                )
            )
    profiles = ["all", *(p.name for p in report.profiles)]
    groups.sort(key=lambda g: (profiles.index(g.profile), KIND_ORDER.index(g.kind), -g.count, g.id))
    return groups


BaselineStatus = Literal["new", "accepted", "not gated"]


def status(f: Finding, baseline: dict[str, str]) -> BaselineStatus:
    """Baseline status: 'new', 'accepted', or 'not gated' (assumptions are never gated)."""
    if f.kind == "assumption":
        return "not gated"
    return "accepted" if f.id in baseline else "new"
