"""`kzappeals report --out DIR`: one static, self-contained HTML page for people who read law.

No network, no script, no external file: CSS and SVG are inline, so the page opens from disk.
It holds, per interpretation profile, an overview (counts, root causes, new against the baseline),
the point-54 signatory matrix (kzappeals.signatory_matrix), the routing of points 15 and 18-23
(kzappeals.routing_diagram), the findings by root cause, the law as it reads (the Russian text of
spec/law/order-165-2015.ru.txt, clause by clause, the English of spec/law/clauses.toml beside it,
and per clause its rules, findings and test vectors), and, per certificate found in a folder, a
results table and a badge. Everything quoted is escaped: certificates come from implementations
under test and are untrusted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from html import escape
from pathlib import Path

from pydantic import ValidationError

from kzappeals.conformance.protocol import Certificate
from kzappeals.findings_groups import group_findings, status
from kzappeals.routing_diagram import routing_svg
from kzappeals.signatory_matrix import ABOUT, matrix
from kzappeals.spec.errors import InputError
from kzappeals.spec.findings import Finding, Report
from kzappeals.spec.ruleset import RuleSet
from kzappeals.spec.vocabulary import Body, Outcome
from kzappeals.verification_report import removed_findings, summary_rows

GENERATED_BY = "kzappeals report"
PAGE = "report.html"

BODY_EN = {
    "gpo_department": "PGO: Department for appeals",
    "gpo_subdivision": "PGO: other subdivision",
    "gpo_leadership": "PGO: leadership",
    "agency": "agency",
    "institution": "institution",
    "regional": "regional office",
    "district": "district office",
}
ABOUT_EN = {"none": "no one", "subordinate_staff": "subordinates", "deputy_head": "a deputy", "head": "the head"}
STATUS_EN = {"decided": "decided", "ambiguous": "ambiguous", "undetermined": "gap", "not_applicable": "not applicable"}

CSS = """
body{font:15px/1.45 Georgia,'Times New Roman',serif;color:#1d1d1d;margin:0;background:#fbfaf7}
header,main{max-width:1280px;margin:0 auto;padding:0 18px}
header{border-bottom:2px solid #333;padding-bottom:8px}
h1{font-size:1.5em;margin:.6em 0 .2em}h2{border-bottom:1px solid #bbb;margin-top:1.8em}h3{margin-bottom:.3em}
nav a{margin-right:1em}code,.mono{font:12px/1.3 Menlo,Consolas,monospace}
table{border-collapse:collapse;margin:.4em 0 1em}th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top}
th{background:#eee;font-weight:normal}
.m td{font:12px/1.25 Menlo,Consolas,monospace;min-width:92px}.m th{font-size:12px}
.decided{background:#d8efd8}.ambiguous{background:#ffe2a8}.undetermined{background:#f6b9b3}.not_applicable{background:#e4e4e4;color:#666}
.broken{outline:2px dashed #c0392b;outline-offset:-3px}
.key span{display:inline-block;padding:1px 8px;margin-right:6px;border:1px solid #aaa}
.new{color:#b00;font-weight:bold}.small{font-size:12px;color:#555}
.law td{width:50%}.law .meta{font-size:12px;color:#444;background:#f3f1ea}
.law tr:target td{background:#fff6cc}
.cid{font:bold 12px Menlo,Consolas,monospace;color:#355}
details{margin:.2em 0 .6em}summary{cursor:pointer}
.finding{margin:.3em 0 .5em 1em}.finding:target{background:#fff6cc}
svg.routing text{font:12px Menlo,Consolas,monospace}svg.routing .h{font-weight:bold;font-size:13px}
svg.routing .q{font-style:italic;fill:#333}svg.routing .tag{fill:#c0392b;font-size:10px}
svg.routing .dl{fill:#1f5fa0;font-size:11px}svg.routing .at{fill:#555;font-size:10px}
svg.routing .node{fill:#fff;stroke:#555}svg.routing .node.bad{fill:#fdecea;stroke:#c0392b;stroke-width:2}
svg.routing .answer{fill:#eef4fb;stroke:#557}svg.routing .answer.deadline{stroke:#1f5fa0;stroke-width:2}
svg.routing .edge{fill:none;stroke:#777;stroke-width:1.2}svg.routing .edge.bad{stroke:#c0392b;stroke-width:2;stroke-dasharray:6 3}
"""


def _e(s) -> str:
    return escape(str(s), quote=True)


def clause_anchor(clause: str) -> str:
    return f"clause-{clause}"


def _clause_link(clause: str) -> str:
    return f'<a href="#{_e(clause_anchor(clause))}">{_e(clause)}</a>'


def _changes(f: Finding) -> str:
    if f.witness is None:
        return "—"
    return ", ".join(f"{c.field}={c.value}" for c in f.changes) or "(the ordinary appeal)"


def load_certificates(folder: Path) -> list[tuple[str, Certificate]]:
    """Every certificate under ``folder`` (recursively), by relative path. A certificate is a JSON file
    named like one (``certificate.json`` as `kzappeals certify` writes it) or carrying
    ``certificate_format``; other JSON files (reports, vectors) are passed over. A certificate that does
    not validate, or none at all, is one InputError."""
    if not folder.is_dir():
        raise InputError(f"--certificates {folder}", "not a folder")
    out = []
    for path in sorted(folder.rglob("*.json")):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(str(path), f"cannot be read: {exc.strerror}") from None
        named = "certificate" in path.name
        if not named:
            try:
                data = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                continue
            if not (isinstance(data, dict) and "certificate_format" in data):
                continue
        try:
            out.append((path.relative_to(folder).as_posix(), Certificate.model_validate_json(raw)))
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            where = ".".join(str(x) for x in err["loc"]) or "certificate"
            raise InputError(str(path), f"not a certificate (conformance/schemas/certificate.schema.json): {where}: {err['msg']}") from None
    if not out:
        raise InputError(f"--certificates {folder}", "no certificate JSON found (kzappeals certify writes certificate.json)")
    return out


def badge_svg(label: str, verdict: str) -> str:
    """A flat two-part badge: 'kzappeals' and the verdict, coloured by it."""
    colour = {"certified": "#2e7d32", "partial": "#e69500"}.get(verdict, "#c0392b")
    left, right = "kzappeals", verdict
    lw, rw = 8 + 7 * len(left), 8 + 7 * len(right)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{lw + rw}" height="20" role="img" aria-label="{_e(label)}: {_e(verdict)}">'
        f"<title>{_e(label)}: {_e(verdict)}</title>"
        f'<rect width="{lw}" height="20" fill="#555"/><rect x="{lw}" width="{rw}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="5" y="14">{_e(left)}</text><text x="{lw + 4}" y="14">{_e(right)}</text></g></svg>'
    )


def _overview(report: Report, baseline: dict[str, str], groups, new_ids: set[str]) -> list[str]:
    out = [
        '<h2 id="overview">Overview</h2>',
        "<p>Every finding is a concrete appeal: its <em>smallest case</em> lists how it differs from an ordinary appeal "
        "(an individual written application on an ordinary question, received by a district office, answered by explanation). "
        'Findings sharing a cause are one root cause; <span class="new">new</span> means not accepted by the baseline '
        "(<code>spec/accepted-findings.json</code>).</p>",
        "<table><tr><th>profile</th><th>conflicts</th><th>gaps</th><th>dead</th><th>principles broken</th>"
        "<th>principles proved</th><th>root causes</th><th>new</th></tr>",
    ]
    removed = removed_findings(report, baseline)
    for row in summary_rows(report):
        name = row[0]
        n_groups = sum(1 for g in groups if g.profile == name)
        n_new = sum(1 for f in report.findings if f.profile == name and f.id in new_ids)
        out.append(
            f'<tr><td><a href="#profile-{_e(name)}">{_e(name)}</a></td>'
            + "".join(f"<td>{_e(x)}</td>" for x in row[1:])
            + f'<td>{n_groups}</td><td class="{"new" if n_new else ""}">{n_new}</td></tr>'
        )
    out.append("</table>")
    if removed:
        out.append(f"<p>Removed against the baseline ({len(removed)}): " + ", ".join(f"<code>{_e(i)}</code>" for i in removed) + "</p>")
    return out


def _causes_section(report: Report, groups) -> list[str]:
    out = ['<h2 id="causes">Root causes, per profile</h2>']
    for p in report.profiles:
        out.append(
            f'<h3 id="profile-{_e(p.name)}">{_e(p.name)}: {_e(p.title.en)}</h3><p class="small">{_e(p.title.ru)}. {_e(p.rationale)}</p>'
        )
        out.append("<table><tr><th>findings</th><th>new</th><th>kind</th><th>root cause</th><th>smallest case</th></tr>")
        by_id = {f.id: f for f in report.findings}
        for g in (g for g in groups if g.profile == p.name):
            out.append(
                f'<tr><td>{g.count}</td><td class="{"new" if g.new else ""}">{g.new}</td><td>{_e(g.kind)}</td>'
                f'<td><a href="#{_e(g.id)}">{_e(g.title)}</a></td><td class="mono">{_e(_changes(by_id[g.smallest]))}</td></tr>'
            )
        out.append("</table>")
    return out


def _matrix_section(report: Report, ruleset: RuleSet) -> list[str]:
    sig = ruleset.questions["signatory"].values
    out = [
        '<h2 id="matrix">Point 54: who signs the answer</h2>',
        "<p>Each cell is an ordinary appeal handled at that body (row; PGO: the Prosecutor General's Office), complaining about that person (row) and decided "
        "that way (column); it shows who signs under the profile, and the clauses that say so. Computed by the rule set's "
        "own evaluator; a cell links to the findings that show on its appeal (their witnesses and clauses). "
        "Findings: c = conflict, p = principle broken, g = gap, numbered within the cell. "
        "A dashed red border: a legal principle (such as no one answering a complaint about themselves) is broken there. "
        "The first profile is open; click a profile to open its matrix.</p>",
        '<p class="key"><span class="decided">decided</span><span class="ambiguous">ambiguous: several signatories</span>'
        '<span class="undetermined">gap: no one</span><span class="not_applicable">not applicable</span></p>',
        '<p class="small">' + "; ".join(f"<b>{_e(k.replace('_', ' '))}</b>: {_e(v['en'])}" for k, v in sig.items()) + "</p>",
    ]
    findings = {f.id: f for f in report.findings}
    for p in report.profiles:
        cells = {(c.body, c.about, c.outcome): c for c in matrix(report, ruleset, p.name)}
        out.append(
            f'<details{" open" if p == report.profiles[0] else ""}><summary><h3 id="matrix-{_e(p.name)}" style="display:inline">'
            f"{_e(p.name)}: {_e(p.title.en)}</h3></summary>"
        )
        out.append(
            '<table class="m"><tr><th rowspan="2">handled at</th><th rowspan="2">complaint about</th>'
            + "".join(f"<th>{_e(o.value)}</th>" for o in Outcome)
            + "</tr><tr>"
            + "".join(
                f'<th class="small">{_e({"granted": "удовлетворено", "refused": "отказано", "explained": "разъяснено"}[o.value])}</th>'
                for o in Outcome
            )
            + "</tr>"
        )
        for body in Body:
            for i, about in enumerate(ABOUT):
                row = (
                    "<tr>"
                    + (f'<th rowspan="{len(ABOUT)}">{_e(BODY_EN[body.value])}</th>' if i == 0 else "")
                    + f'<th class="small">{_e(ABOUT_EN[about.value])}</th>'
                )
                for o in Outcome:
                    c = cells[(body.value, about.value, o.value)]
                    # a principle summarising the cell's own ambiguity or gap (it has related findings) is not a further defect
                    broken = any(findings[i].kind == "principle" and not findings[i].related for i in c.findings)
                    parts = [
                        f'<b title="{_e(sig[v]["en"])}">{_e(v.replace("_", " "))}</b> ' + " ".join(_clause_link(x) for x in provs)
                        for v, provs in c.signatories
                    ]
                    if c.status == "undetermined":
                        parts.append(
                            "<b>—</b> no clause"
                            + (f' <span class="small">(may: {_e(", ".join(c.depends_on_unknown))})</span>' if c.depends_on_unknown else "")
                        )
                    if c.status == "not_applicable":
                        parts.append("n/a")
                    links = " ".join(
                        f'<a href="#f-{_e(i)}" title="{_e(findings[i].kind)}">{_e(findings[i].kind[0])}{n}</a>'
                        for n, i in enumerate(c.findings[:4], 1)
                    )
                    more = f" +{len(c.findings) - 4}" if len(c.findings) > 4 else ""
                    cid = f"m-{p.name}-{body.value}-{about.value}-{o.value}"
                    row += (
                        f'<td id="{_e(cid)}" class="{_e(c.status)}{" broken" if broken else ""}" title="{_e(STATUS_EN[c.status])}">'
                        + "<br>".join(parts)
                        + (f'<br><span class="small">findings: {links}{more}</span>' if links else "")
                        + "</td>"
                    )
                out.append(row + "</tr>")
        out.append("</table></details>")
    return out


def _routing_section(report: Report, ruleset: RuleSet, groups) -> list[str]:
    svg, legend = routing_svg(report, ruleset, anchor=lambda c: "#" + clause_anchor(c))
    out = [
        '<h2 id="routing">Routing: points 15 and 18-23</h2>',
        "<p>Each rule of points 15, 18, 19, 20 and 23 (left; click for its clause) and where it sends the appeal (right). "
        'Blue: forwarded, within three working days. <span style="color:#c0392b">Red, dashed</span>: a rule that collides with '
        f"another on that question; the letters say under which profiles ({legend}).</p>",
        svg,
        "<p>The collisions, by root cause:</p><ul>",
    ]
    for g in groups:
        if (
            g.kind == "conflict"
            and g.question in ("procedure", "intake", "handler", "disposition")
            and any(p.startswith(("p15", "p18", "p19", "p20", "p23")) for p in g.provisions)
        ):
            out.append(f'<li>{_e(g.profile)}: <a href="#{_e(g.id)}">{_e(g.title)}</a> ({g.count})</li>')
    return out + ["</ul>"]


def _findings_section(report: Report, baseline: dict[str, str], groups) -> list[str]:
    by_id = {f.id: f for f in report.findings}
    out = [
        '<h2 id="findings">Findings by root cause</h2>',
        "<p>Per profile, each root cause with its smallest case in full; the other findings of the cause are folded. "
        "Each in full, the clauses quoted: <code>kzappeals verify --explain ID</code>.</p>",
    ]

    def finding(f: Finding) -> str:
        st = status(f, baseline)
        case = _changes(f)
        region = "; ".join(f"{r.field} ∈ {{{', '.join(str(v) for v in r.values)}}}" for r in f.region)
        return (
            f'<div class="finding" id="f-{_e(f.id)}"><code>{_e(f.id)}</code> '
            + ('<span class="new">NEW</span> ' if st == "new" else "")
            + f'{_e(f.message.en)}<br><span class="small">{_e(f.message.ru)}</span><br>'
            + f'smallest case: <span class="mono">{_e(case)}</span>'
            + (f'<br>region: <span class="mono">{_e(region)}</span>' if region else "")
            + ("<br>rules: " + ", ".join(f"<code>{_e(r)}</code>" for r in f.rules) if f.rules else "")
            + "<br>clauses: "
            + ", ".join(_clause_link(c) for c in dict.fromkeys(f.clauses))
            + "</div>"
        )

    def brief(f: Finding) -> str:
        """A folded finding: its id, rules and smallest case (its message reads like the first one's)."""
        return (
            f'<div class="finding" id="f-{_e(f.id)}"><code>{_e(f.id)}</code> '
            + ('<span class="new">NEW</span> ' if status(f, baseline) == "new" else "")
            + ", ".join(_clause_link(r.split("/")[0]) + (_e(r[len(r.split("/")[0]) :])) for r in f.rules)
            + f': <span class="mono">{_e(_changes(f))}</span></div>'
        )

    for name in [*(p.name for p in report.profiles), "all"]:
        mine = [g for g in groups if g.profile == name]
        if not mine:
            continue
        out.append(f"<h3>{_e('Readings every profile shares' if name == 'all' else name)}</h3>")
        for g in mine:
            first, *rest = (by_id[i] for i in g.findings)
            out.append(
                f'<h4 id="{_e(g.id)}">{_e(g.kind)}: {_e(g.title)} ({g.count}'
                + (f', <span class="new">{g.new} new</span>' if g.new else "")
                + ")</h4>"
            )
            out.append(finding(first))
            if rest:
                out.append(
                    f"<details><summary>{len(rest)} more finding(s) of this cause</summary>"
                    + "".join(brief(f) for f in rest)
                    + "</details>"
                )
    return out


def _vectors() -> dict[str, list[str]]:
    """Test-vector ids per clause (conformance/vectors/*.json)."""
    from kzappeals.conformance.vectors import VECTOR_DIR

    out: dict[str, list[str]] = defaultdict(list)
    for path in sorted(VECTOR_DIR.glob("*.json")):
        for v in json.loads(path.read_text(encoding="utf-8")).get("vectors", []):
            for c in v.get("clauses", []):
                out[c["id"] if isinstance(c, dict) else c].append(v["id"])
    return out


def _law_section(report: Report, ruleset: RuleSet, groups) -> list[str]:
    registry = ruleset.registry
    rules_of: dict[str, list] = defaultdict(list)
    for r in ruleset.rules:
        for c in r.clauses:
            rules_of[c].append(r)
    groups_of: dict[str, list] = defaultdict(list)
    for g in groups:
        for c in g.clauses:
            groups_of[c].append(g)
    vectors = _vectors()
    out = [
        '<h2 id="law">The law as it reads</h2>',
        "<p>Order No. 165 of 30.12.2015 as rebuilt in <code>spec/law/order-165-2015.ru.txt</code>, clause by clause (Russian, "
        "left) with the English of <code>spec/law/clauses.toml</code> (right); under each clause, the rules that encode it, "
        "the root causes of the findings that cite it, and the test vectors that exercise it. Provisions the text refers to "
        'but that were not found are listed with their status.</p><table class="law">',
    ]
    for cid in registry.ids():
        entry = registry.get(cid)
        ru = _e(entry.text_ru) if entry.text_ru else f"<em>text not in the sources ({_e(entry.status)})</em>"
        out.append(
            f'<tr id="{_e(clause_anchor(cid))}"><td><span class="cid">{_e(cid)}</span> <span class="small">{_e(entry.cite_ru)}</span><br>{ru}</td>'
            f'<td><span class="small">{_e(entry.cite_en)}</span><br>{_e(entry.text_en or "")}</td></tr>'
        )
        meta = []
        if rules_of.get(cid):
            meta.append("rules: " + ", ".join(f"<code>{_e(r.id)}</code> ({_e(r.file)})" for r in rules_of[cid]))
        if groups_of.get(cid):
            per: dict[str, list] = defaultdict(list)
            for g in groups_of[cid]:
                per[g.profile].append(g)
            meta.append(
                "findings: "
                + "; ".join(
                    f"{_e(p)} " + " ".join(f'<a href="#{_e(g.id)}">{_e(g.kind)}×{g.count}</a>' for g in gs) for p, gs in per.items()
                )
            )
        if vectors.get(cid):
            ids = vectors[cid]
            meta.append(f"vectors ({len(ids)}): " + ", ".join(f"<code>{_e(i)}</code>" for i in ids[:3]) + (" …" if len(ids) > 3 else ""))
        if meta:
            out.append(f'<tr class="meta"><td colspan="2" class="meta">{"<br>".join(meta)}</td></tr>')
    return out + ["</table>"]


def _certificates_section(certs: list[tuple[str, Certificate]]) -> list[str]:
    out = [
        '<h2 id="certificates">Certificates</h2>',
        "<p>Per certificate: its verdict, and per profile the test vectors and generated cases answered right and wrong, "
        "then each level judged (DMN TCK style). Content comes from the implementations and is shown as given.</p>",
    ]
    for name, cert in certs:
        impl = cert.implementation
        label = f"{impl.name} {impl.version} ({impl.language})" if impl else "implementation (no handshake)"
        out.append(
            f'<h3>{_e(label)}</h3><p>{badge_svg(label, cert.verdict)} <span class="small">{_e(name)}; adapter {_e(cert.adapter)}; '
            f"levels certified: {_e(', '.join(cert.levels_certified) or 'none')}; seed {cert.seed}; digest <code>{_e(cert.digest[:16])}</code></span></p>"
        )
        out.append(
            "<table><tr><th>profile</th><th>status</th><th>vectors right / run</th><th>generated right / run</th>"
            "<th>wrong</th><th>unanswered</th><th>levels judged</th><th>levels certified</th></tr>"
        )
        for r in cert.results:
            wrong = r.vectors.wrong + r.generated.wrong
            out.append(
                f"<tr><td>{_e(r.profile)}</td><td>{_e(r.status)}</td><td>{r.vectors.right} / {r.vectors.run}</td>"
                f'<td>{r.generated.right} / {r.generated.run}</td><td class="{"new" if wrong else ""}">{wrong}</td>'
                f"<td>{r.vectors.unanswered + r.generated.unanswered}</td><td>{_e(', '.join(r.levels_judged))}</td>"
                f"<td>{_e(', '.join(r.levels_certified))}</td></tr>"
            )
        out.append("</table>")
        # DMN TCK style: one row per judged part, one column per profile, right / judged in each cell
        parts = list(dict.fromkeys((t.part, t.level) for r in cert.results for t in r.parts))
        if parts:
            tallies = {(r.profile, t.part): t for r in cert.results for t in r.parts}
            out.append("<table><tr><th>part (level)</th>" + "".join(f"<th>{_e(r.profile)}</th>" for r in cert.results) + "</tr>")
            for part, level in parts:
                row = f"<tr><td>{_e(part)} ({_e(level)})</td>"
                for r in cert.results:
                    t = tallies.get((r.profile, part))
                    if t is None:
                        row += '<td class="not_applicable">—</td>'
                    else:
                        row += (
                            f'<td class="{"undetermined" if t.wrong else "decided"}">{t.judged - t.wrong} / {t.judged}'
                            + (f' <span class="small">({t.not_judged} not judged)</span>' if t.not_judged else "")
                            + "</td>"
                        )
                out.append(row + "</tr>")
            out.append("</table>")
        fails = [(r.profile, f) for r in cert.results for f in r.failures]
        if fails or cert.faults:
            out.append("<details><summary>failures and faults</summary><ul>")
            for profile_name, f in fails[:50]:
                msg = f.mismatches[0].message if f.mismatches else ""
                out.append(f"<li>{_e(profile_name)} <code>{_e(f.id)}</code>: {_e(msg)}</li>")
            for fault in cert.faults:
                out.append(f"<li>fault {_e(fault.kind)}: {_e(fault.message)}</li>")
            out.append("</ul></details>")
    return out


def render_report(
    report: Report, baseline: dict[str, str], ruleset: RuleSet, certificates: Sequence[tuple[str, Certificate]] = ()
) -> dict[str, str]:
    """The page (and one badge per certificate), by file name."""
    groups = group_findings(report, baseline)
    new_ids = {f.id for f in report.findings if status(f, baseline) == "new"}
    nav = [
        '<a href="#overview">overview</a>',
        '<a href="#matrix">point 54 matrix</a>',
        '<a href="#routing">routing</a>',
        '<a href="#causes">root causes</a>',
        '<a href="#findings">findings</a>',
        '<a href="#law">the law</a>',
    ]
    if certificates:
        nav.append('<a href="#certificates">certificates</a>')
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<!-- Generated by `{GENERATED_BY}` (and `kzappeals generate`); do not edit. A test fails when it is stale. -->",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>kzappeals: the amended Instruction on appeals (order No. 165 of 2015), checked</title>",
        f"<style>{CSS}</style></head><body><header>",
        "<h1>Instruction on appeals in the prosecution service, as amended by order No. 165 of 30.12.2015: what the text says, and where it fails</h1>",
        f'<p class="small">kzappeals {_e(report.spec_version)}, spec SHA-256 <code>{_e(report.spec_sha256)}</code>. '
        f"{sum(1 for f in report.findings if f.kind != 'assumption')} findings in {sum(1 for g in groups if g.kind != 'assumption')} root causes "
        f"under {len(report.profiles)} readings; {len(new_ids)} new against the baseline.</p>",
        "<nav>" + "".join(nav) + "</nav></header><main>",
        *_overview(report, baseline, groups, new_ids),
        *_matrix_section(report, ruleset),
        *_routing_section(report, ruleset, groups),
        *_causes_section(report, groups),
        *_findings_section(report, baseline, groups),
        *_law_section(report, ruleset, groups),
        *(_certificates_section(list(certificates)) if certificates else []),
        "</main></body></html>",
    ]
    out = {PAGE: "\n".join(body) + "\n"}
    for name, cert in certificates:
        impl = cert.implementation
        label = f"{impl.name} {impl.version}" if impl else name
        out[f"badges/{Path(name).with_suffix('.svg').as_posix()}"] = badge_svg(label, cert.verdict) + "\n"
    return out
