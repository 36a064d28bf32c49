"""`kzappeals diff --format html`: what a draft changes, as one picture a drafter reads at a glance.

One static page in the report's style (kzappeals.html_report: no script, no network). Per profile:

- the point-54 signatory matrix (the cells of kzappeals.signatory_matrix: the ordinary appeal handled
  at a body, complaining about someone, decided one way), answered by the base and by the draft with
  their own evaluators (kzappeals.spec.evaluate); a cell the draft answers differently is outlined
  and shows both answers, before and after;
- every kind of change the diff found with Z3 (kzappeals.spec.diff), any question: its smallest appeal,
  the answers and the clauses before and after, how many regions of appeals change so;
- the findings the draft adds and those it removes.

A cell is one appeal, so the matrix shows where point 54's answer moves, not every appeal that moves:
the list under it is the complete account. Everything quoted is escaped (a draft is the user's text).
"""

from __future__ import annotations

from html import escape

from kzappeals.diff_report import groups, region_text, state_text
from kzappeals.html_report import ABOUT_EN, BODY_EN, CSS
from kzappeals.signatory_matrix import ABOUT, cell_case
from kzappeals.spec.diff import AnswerChange, DiffReport, FindingRef
from kzappeals.spec.evaluate import Evaluation
from kzappeals.spec.ruleset import RuleSet
from kzappeals.spec.vocabulary import Body, Outcome

STATE_CLASS = {"decided": "decided", "ambiguous": "ambiguous", "undetermined": "undetermined", "not_applicable": "not_applicable"}
EXTRA_CSS = ".changed{outline:3px solid #1f5fa0;outline-offset:-3px}.was{color:#666;text-decoration:line-through}.arrow{color:#1f5fa0}"


def _e(s: object) -> str:
    return escape(str(s), quote=True)


def signatory_cells(ruleset: RuleSet, profile: str) -> dict[tuple[str, str, str], tuple[str, tuple[str, ...]]]:
    """Each matrix cell's signatory under ``ruleset`` and ``profile``: (status, values), from the rule set's evaluator."""
    chosen_profile = ruleset.profiles[profile]
    return {
        (b.value, a.value, o.value): Evaluation(ruleset, chosen_profile, cell_case(b, a, o, ruleset)).status("signatory")
        for b in Body
        for a in ABOUT
        for o in Outcome
    }


def _answer(ruleset: RuleSet, state: tuple[str, tuple[str, ...]]) -> str:
    status, values = state
    if not values:
        return {"undetermined": "— no clause", "not_applicable": "n/a"}.get(status, status)
    labels = ruleset.questions["signatory"].values
    return ", ".join(f'<b title="{_e(labels.get(v, {}).get("en", v))}">{_e(v.replace("_", " "))}</b>' for v in values)


def _matrix(base: RuleSet, draft: RuleSet, profile: str) -> tuple[list[str], int]:
    sides = [signatory_cells(ruleset, profile) if profile in ruleset.profiles else None for ruleset in (base, draft)]
    # a profile only one side has is shown as that side answers (the diff warns of it)
    before = sides[0] or sides[1] or {}
    after = sides[1] or before
    out = [
        '<table class="m"><tr><th>handled at</th><th>complaint about</th>' + "".join(f"<th>{_e(o.value)}</th>" for o in Outcome) + "</tr>"
    ]
    moved = 0
    for body in Body:
        for i, about in enumerate(ABOUT):
            row = "<tr>" + (f'<th rowspan="{len(ABOUT)}">{_e(BODY_EN[body.value])}</th>' if i == 0 else "")
            row += f'<th class="small">{_e(ABOUT_EN[about.value])}</th>'
            for o in Outcome:
                key = (body.value, about.value, o.value)
                was, now = before[key], after[key]
                if was != now:
                    moved += 1
                    row += (
                        f'<td class="{STATE_CLASS[now[0]]} changed"><span class="was">{_answer(base, was)}</span>'
                        f' <span class="arrow">→</span> {_answer(draft, now)}</td>'
                    )
                else:
                    row += f'<td class="{STATE_CLASS[now[0]]}">{_answer(draft, now)}</td>'

            out.append(row + "</tr>")
    out.append("</table>")
    return out, moved


def _change(c: AnswerChange, n: int, attributes: dict[str, tuple]) -> str:
    how = " ".join([*(f"+{v}" for v in c.gained), *(f"−{v}" for v in c.lost)])
    smallest = ", ".join(f"{x.field} = {x.value}" for x in c.changes) or "the ordinary appeal"
    return (
        f'<div class="finding" id="{_e(c.id)}"><b>{_e(c.question)}</b> {_e(how)}: '
        f'{_e(state_text(c.before))} <span class="arrow">→</span> {_e(state_text(c.after))}'
        f'<br><span class="small">smallest appeal: {_e(smallest)}; before: {_e(", ".join(c.clauses_before) or "no clause")}; '
        f"after: {_e(', '.join(c.clauses_after) or 'no clause')}; {n} region(s) of appeals change so, the first: "
        f"<code>{_e(region_text(c.region, attributes))}</code></span></div>"
    )


def _findings(title: str, refs: tuple[FindingRef, ...]) -> list[str]:
    if not refs:
        return []
    return (
        [f"<details><summary>{_e(title)} ({len(refs)})</summary>"]
        + [f'<div class="finding"><code>{_e(f.id)}</code> {_e(f.kind)}: {_e(f.message)}</div>' for f in refs]
        + ["</details>"]
    )


def render_html(report: DiffReport, base: RuleSet, draft: RuleSet) -> str:
    """The page for ``report``, the diff of ``draft`` against ``base``."""
    out = [
        "<!DOCTYPE html>",
        "<!-- Generated by `kzappeals diff --format html` (kzappeals.diff_picture; the worked examples' pages by `kzappeals generate`); do not edit. -->",
        '<html lang="en"><head><meta charset="utf-8"><title>kzappeals diff: what the draft changes</title>',
        f"<style>{CSS}{EXTRA_CSS}</style></head><body><header><h1>What the draft changes</h1>",
        f'<p class="small">base <code>{_e(report.base_sha256)}</code>, draft <code>{_e(report.draft_sha256)}</code>, '
        f"kzappeals {_e(report.spec_version)}. "
        + ("The draft changes something." if report.changed else "The draft changes nothing: no answer, no finding.")
        + "</p></header><main>",
        "<p>Per interpretation profile: who signs the answer (point 54) on each cell's appeal, under the base and "
        "under the draft (an outlined cell: the draft answers it differently, before → after); then every class of "
        "appeals whose answer to any question changes, found with Z3 on the two rule sets (its smallest appeal, the "
        "answers and clauses on it); then the findings the draft adds and removes.</p>",
        '<p class="key"><span class="decided">decided</span><span class="ambiguous">ambiguous: several signatories</span>'
        '<span class="undetermined">gap: no one</span><span class="not_applicable">not applicable</span>'
        '<span class="changed">changed by the draft</span></p>',
    ]
    for w in report.warnings:
        out.append(f'<p class="new">warning ({_e(w.kind)}): {_e(w.message)}</p>')
    by_kind = groups(report)
    for profile in report.profiles:
        counts = report.findings.counts.get(profile, {"before": 0, "after": 0})
        table, moved = _matrix(base, draft, profile)
        kinds = [g for g in by_kind if g[0].profile == profile]
        out.append(f'<h2 id="{_e(profile)}">{_e(profile)}</h2>')
        out.append(
            f'<p class="small">{moved} cell(s) of the matrix change; {len(kinds)} kind(s) of change in {sum(len(g) for g in kinds)} '
            f"region(s); findings {counts['before']} → {counts['after']}.</p>"
        )
        out += table
        out += [_change(g[0], len(g), report.attributes) for g in kinds] or ["<p>No appeal gets a different answer under this profile.</p>"]
        out += _findings("findings the draft adds", tuple(f for f in report.findings.added if f.profile == profile))
        out += _findings("findings the draft removes (fixes)", tuple(f for f in report.findings.removed if f.profile == profile))
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"
