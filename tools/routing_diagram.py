"""The routing of points 15 and 18-23 as an SVG diagram, drawn from the rule files and the findings.

Left, every rule of points 15, 18, 19, 20 and 23 (spec/rules/), in text order, with the bodies its
condition names (its handled_at test); right, every answer
it gives (which procedure, who takes the appeal in, who considers it, what is done with it); an arrow
for each conclusion of a rule. An arrow into a forwarding answer carries the deadline the calendar
applies to it (three working days, p23.pp1.ch2 and p23.ch2). A rule that collides with another
(a conflict finding on that question) is drawn red, with the profiles it collides under, and its
arrows are red: the conflicting paths.
"""

from __future__ import annotations

import re
from html import escape

from kzappeals.spec.dispositions import FORWARDING
from kzappeals.spec.findings import Report
from kzappeals.spec.ruleset import RuleSet

POINTS = ("p15", "p18", "p19", "p20", "p23")
QUESTIONS = ("procedure", "intake", "handler", "disposition")
_ROW, _LEFT_W, _RIGHT_W, _GAP = 40, 300, 470, 200


_AT = re.compile(r"handled_at\s*(?:==\s*(\w+)|in\s*\(([^)]*)\))")


def received_at(when_text: str) -> str:
    """Where the rule's condition says the appeal is (its handled_at test), read off the rule."""
    m = _AT.search(when_text)
    if not m:
        return "at any body"
    return "at " + ", ".join(x.strip() for x in (m[1] or m[2]).split(","))


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def routing_svg(report: Report, ruleset: RuleSet, anchor=lambda clause: f"#clause-{clause}") -> tuple[str, str]:
    """The SVG and its legend (profile initials)."""
    rules = [r for r in ruleset.rules if r.point in POINTS and any(q in r.then for q in QUESTIONS)]
    conflicts: dict[str, set[str]] = {}  # rule id -> profiles in which it is in a conflict
    pairs: dict[tuple[str, str], set[str]] = {}  # (rule, question) -> profiles
    for f in report.findings:
        if f.kind == "conflict" and f.question in QUESTIONS:
            for rule_id in f.rules:
                conflicts.setdefault(rule_id, set()).add(f.profile)
                pairs.setdefault((rule_id, f.question), set()).add(f.profile)
    initials = {p.name: "".join(w[0] for w in p.name.split("-")).upper() for p in report.profiles}
    answers = [(q, v) for q in QUESTIONS for v in ruleset.questions[q].values if any(r.then.get(q) == v for r in rules)]
    height = max(len(rules), len(answers) + len({q for q, _ in answers})) * _ROW + 70
    width = _LEFT_W + _GAP + _RIGHT_W + 140
    ly = {r.id: 50 + i * _ROW for i, r in enumerate(rules)}
    ry, y, last = {}, 50, None
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="routing" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Routing of points 15 and 18-23">',
        '<defs><marker id="arr" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker>'
        '<marker id="arr-bad" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#c0392b"/></marker></defs>',
        '<text x="10" y="24" class="h">rule (clause)</text>',
        f'<text x="{_LEFT_W + _GAP}" y="24" class="h">where the appeal goes</text>',
    ]
    for q, v in answers:
        if q != last:
            out.append(f'<text x="{_LEFT_W + _GAP}" y="{y + 12}" class="q">{escape(ruleset.questions[q].title_en)}</text>')
            y += _ROW
            last = q
        ry[(q, v)] = y
        y += _ROW
    for r in rules:
        for q, v in r.then.items():
            if q not in QUESTIONS:
                continue
            bad = (r.id, q) in pairs
            x1, y1, x2, y2 = _LEFT_W + 10, ly[r.id] + 12, _LEFT_W + _GAP - 4, ry[(q, v)] + 12
            cls = "edge bad" if bad else "edge"
            out.append(
                f'<path class="{cls}" d="M{x1},{y1} C{x1 + 90},{y1} {x2 - 90},{y2} {x2},{y2}" '
                f'marker-end="url(#{"arr-bad" if bad else "arr"})"><title>{escape(r.id)} → {escape(q)} = {escape(v)}'
                + (f" (conflicts under {', '.join(sorted(pairs[(r.id, q)]))})" if bad else "")
                + "</title></path>"
            )
    for r in rules:
        y = ly[r.id]
        bad = r.id in conflicts
        tag = " ".join(initials[p] for p in initials if p in conflicts.get(r.id, ()))
        out.append(
            f'<a href="{escape(anchor(r.clause))}"><rect class="node{" bad" if bad else ""}" x="10" y="{y - 4}" '
            f'width="{_LEFT_W}" height="34" rx="4"><title>{escape(r.id)}: {escape(r.when_text)}</title></rect>'
            f'<text x="18" y="{y + 10}">{escape(r.id)}</text>'
            f'<text x="18" y="{y + 24}" class="at">{escape(_short(received_at(r.when_text), 44))}</text>'
            + (f'<text x="{_LEFT_W + 2}" y="{y + 10}" class="tag" text-anchor="end">conflict {tag}</text>' if bad else "")
            + "</a>"
        )
    for (q, v), y in ry.items():
        label = ruleset.questions[q].values[v]["en"]
        deadline = v in FORWARDING
        out.append(
            f'<rect class="answer{" deadline" if deadline else ""}" x="{_LEFT_W + _GAP}" y="{y}" width="{_RIGHT_W}" '
            f'height="24" rx="4"><title>{escape(q)} = {escape(v)}: {escape(label)}</title></rect>'
            f'<text x="{_LEFT_W + _GAP + 8}" y="{y + 16}">{escape(_short(label, 62))}</text>'
        )
        if deadline:
            out.append(f'<text x="{_LEFT_W + _GAP + _RIGHT_W + 6}" y="{y + 16}" class="dl">≤ 3 working days</text>')
    out.append("</svg>")
    legend = ", ".join(f"{i} = {escape(p)}" for p, i in initials.items())
    return "\n".join(out), legend
