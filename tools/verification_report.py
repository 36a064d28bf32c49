"""Rendering of a verification report: terminal table, Markdown, JSON; and the accepted-findings baseline.

Every format leads with the root causes (kzappeals.findings_groups), per profile.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from kzappeals.findings_groups import BaselineStatus, Group, group_findings, status
from kzappeals.spec.errors import InputError
from kzappeals.spec.findings import Finding, FindingKind, ProfileInfo, Proved, Report
from kzappeals.spec.registry import Registry, load_registry

KINDS: tuple[str, ...] = get_args(FindingKind)
GENERATED_BY = "kzappeals verify --write-reports"


def load_baseline(path: Path | None) -> dict[str, str]:
    """Accepted finding ids with the reason each was accepted; None means accept nothing."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}:{exc.colno}", f"not valid JSON: {exc.msg}") from None
    except RecursionError:
        raise InputError(str(path), "not a baseline: JSON nested too deeply") from None
    accepted = data.get("accepted") if isinstance(data, dict) else None
    if not isinstance(accepted, list):
        raise InputError(str(path), "expected an object with a list 'accepted' of {id, reason}")
    out = {}
    for i, item in enumerate(accepted):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not isinstance(item.get("reason"), str):
            raise InputError(f"{path}: accepted[{i}]", "each entry needs a string 'id' and a string 'reason'")
        out[item["id"]] = item["reason"]
    return out


def baseline_document(report: Report, previous: dict[str, str], reason: str | None) -> str:
    """A baseline accepting every finding of ``report`` (assumptions are never gated).

    A finding ``previous`` already accepted keeps its reason; a new one gets ``reason``, which is then required
    (each accepted finding says why: a defect of the 2015 text, an artefact of the model, ...). Entries of
    profiles ``report`` did not verify are kept as they were; entries of findings that are gone are dropped."""
    verified = {p.name for p in report.profiles}
    gated = [f for f in report.findings if f.kind != "assumption"]
    new = [f.id for f in gated if f.id not in previous]
    if new and reason is None:
        raise InputError(
            "--reason", f"{len(new)} finding(s) are not in the baseline yet (e.g. {new[0]}): say why they are accepted with --reason"
        )
    kept = [(i, r) for i, r in previous.items() if not any(i.split("-", 1)[-1].startswith(p + "-") for p in verified)]
    items = [{"id": f.id, "reason": previous.get(f.id) or reason} for f in gated] + [{"id": i, "reason": r} for i, r in kept]
    return json.dumps({"generated_by": "kzappeals verify --write-baseline", "accepted": items}, ensure_ascii=False, indent=2) + "\n"


def new_findings(report: Report, baseline: dict[str, str]) -> list[Finding]:
    return [f for f in report.findings if status(f, baseline) == "new"]


def removed_findings(report: Report, baseline: dict[str, str]) -> list[str]:
    """Accepted ids the report no longer has, among the profiles it covers (an id starts kind-profile-)."""
    have = {f.id for f in report.findings}
    prefixes = tuple(f"{k}-{p.name}-" for k in KINDS for p in report.profiles)
    return sorted(i for i in baseline if i not in have and i.startswith(prefixes))


def _changes_text(f: Finding) -> str:
    """The witness as its changes from the ordinary appeal."""
    if f.witness is None:
        return "—"
    return ", ".join(f"{c.field}={c.value}" for c in f.changes) or "(ordinary appeal)"


def _region_text(f: Finding) -> str:
    """A gap's region: every appeal whose attributes lie in these ranges."""
    return "; ".join(f"{r.field} in {list(r.values)}" if len(r.values) > 1 else f"{r.field} = {r.values[0]}" for r in f.region)


def _case_text(f: Finding) -> str:
    """One cell for the terminal table: the region of a gap, else the smallest case."""
    return "region: " + _region_text(f) if f.region else _changes_text(f)


def summary_rows(report: Report) -> list[list]:
    counts: Counter[tuple[str, str]] = Counter((f.profile, f.kind) for f in report.findings)
    rows = []
    for p in report.profiles:
        proved = sum(1 for x in report.proved if x.profile == p.name)
        rows.append([p.name, *(counts[(p.name, k)] for k in KINDS[:-1]), proved])
    return rows


SUMMARY_HEADERS = ["profile", "conflicts", "gaps", "dead", "principles broken", "principles proved"]


def _groups_rows(groups: list[Group], report: Report) -> list[list]:
    by_id = {f.id: f for f in report.findings}
    return [[g.count, g.new or "", g.kind, g.title, _case_text(by_id[g.smallest]), g.id] for g in groups]


GROUP_HEADERS = ["n", "new", "kind", "root cause", "smallest case (changes from an ordinary appeal)", "group"]


def render_table(report: Report, baseline: dict[str, str], show_all: bool = False) -> str:
    """The terminal view: the summary, the root causes per profile and the NEW findings;
    with ``show_all``, also every finding and the readings every profile shares."""
    from tabulate import tabulate  # loaded for the tables only: verify --format json does without

    groups = group_findings(report, baseline)
    new = new_findings(report, baseline)
    out = [f"kzappeals {report.spec_version}  spec sha256 {report.spec_sha256[:16]}…", ""]
    out.append(tabulate(summary_rows(report), headers=SUMMARY_HEADERS, tablefmt="simple"))
    widths = [None, None, None, 44, 44, None]
    for p in report.profiles:
        mine = [g for g in groups if g.profile == p.name]
        n = sum(g.count for g in mine)
        out += [
            "",
            f"== {p.name}: {p.title.en} — {n} finding(s), {len(mine)} root cause(s)",
            tabulate(_groups_rows(mine, report), headers=GROUP_HEADERS, tablefmt="simple", maxcolwidths=widths),
        ]
    finding_headers = ["kind", "rules", "smallest case (changes from an ordinary appeal)", "baseline", "id"]
    if show_all:
        shared = [g for g in groups if g.profile == "all"]
        if shared:
            out += [
                "",
                "== readings every profile shares (assumptions)",
                tabulate(_groups_rows(shared, report), headers=GROUP_HEADERS, tablefmt="simple", maxcolwidths=widths),
            ]
        for p in report.profiles:
            rows = [
                [f.kind, ", ".join(f.rules) or "—", _case_text(f), "accepted" if f.id in baseline else "NEW", f.id]
                for f in report.findings
                if f.profile == p.name
            ]
            out += [
                "",
                f"== {p.name}: every finding",
                tabulate(rows, headers=finding_headers, tablefmt="simple", maxcolwidths=[None, 34, 60, None, None]),
            ]
    elif new:
        rows = [[f.profile, f.kind, ", ".join(f.rules) or "—", _case_text(f), f.id] for f in new]
        out += [
            "",
            "== NEW findings (not in the baseline)",
            tabulate(rows, headers=["profile", *finding_headers[:3], "id"], tablefmt="simple", maxcolwidths=[None, None, 34, 60, None]),
        ]
    out += [
        "",
        f"{len(new)} finding(s) beyond the baseline." if new else "Nothing beyond the baseline.",
        "One finding in full, its clauses quoted in Russian and English: kzappeals verify --explain ID"
        + ("" if show_all else "; every finding: kzappeals verify --all"),
    ]
    return "\n".join(out) + "\n"


def quote(clause: str, registry: Registry | None = None) -> list[str]:
    """A clause quoted in Russian and English, as Markdown block-quote lines (from ``registry``, a
    draft's own; default the installed one)."""
    c = (registry or load_registry()).get(clause)
    if c.text_ru:
        return [f"> **{clause}** ({c.cite_ru}): «{c.text_ru}»", ">", f"> *{c.cite_en}:* “{c.text_en}”"]
    return [f"> **{clause}** ({c.cite_en}): text not in the sources ({c.status})."]


def render_markdown(report: Report, baseline: dict[str, str], registry: Registry | None = None) -> str:
    from tabulate import tabulate  # loaded for the tables only: verify --format json does without

    out = [
        f"<!-- Generated by `{GENERATED_BY}`; do not edit. A test fails when it is stale. -->",
        "# Verification of the amended Instruction (order No. 165 of 30.12.2015)",
        "",
        f"Spec version {report.spec_version}, SHA-256 `{report.spec_sha256}`.",
        "",
        "Every finding below is a concrete appeal: the *smallest case* lists the attributes in which it differs "
        "from an ordinary appeal (an individual written application on an ordinary question, received by a district "
        "prosecutor's office, answered by explanation: `spec/ordinary-appeal.json`). Findings are given per "
        "interpretation profile (`spec/profiles.toml`).",
        "",
        "## Summary",
        "",
        tabulate(summary_rows(report), headers=SUMMARY_HEADERS, tablefmt="github"),
        "",
        "## Root causes",
        "",
        "Findings that share their cause are one entry: its count, how many are new against the baseline "
        "(`spec/accepted-findings.json`), and its smallest case; the rest are folded under it below.",
        "",
    ]
    groups = group_findings(report, baseline)
    by_id = {f.id: f for f in report.findings}
    for p in [*report.profiles, None]:
        name = "all" if p is None else p.name
        mine = [g for g in groups if g.profile == name]
        if not mine:
            continue
        out += [f"### {'Readings every profile shares' if p is None else name}", ""]
        rows = [[g.count, g.new, g.kind, f"[{g.title}](#{g.id})", _changes_text(by_id[g.smallest])] for g in mine]
        out += [tabulate(rows, headers=["findings", "new", "kind", "root cause", "smallest case"], tablefmt="github"), ""]
    out += ["## Profiles", ""]
    for p in report.profiles:
        out += [f"- **{p.name}**: {p.title.en} / {p.title.ru}. {p.rationale}"]
    out += ["", "## Principles proved", ""]
    for x in report.proved:
        out.append(f"- `{x.profile}`: {x.message.en} ({', '.join(x.clauses)})")
    for p in [None, *report.profiles]:
        name = "all" if p is None else p.name
        mine = [g for g in groups if g.profile == name]
        if not mine:
            continue
        out += ["", f"## {'Assumptions (every profile)' if p is None else f'Profile {name}'}", ""]
        for g in mine:
            out += [f'<a id="{g.id}"></a>', "", f"### {g.kind}: {g.title} ({g.count})", ""]
            first, *rest = (by_id[i] for i in g.findings)
            out += _finding_md(first, baseline)
            if rest:
                out += [f"<details><summary>{len(rest)} more finding(s) of this cause</summary>", ""]
                for f in rest:
                    out += _finding_md(f, baseline)
                out += ["</details>", ""]
    cited = dict.fromkeys(c for f in report.findings for c in f.clauses)
    cited.update(dict.fromkeys(c for x in report.proved for c in x.clauses))
    out += ["", "## Clauses cited", ""]
    for c in sorted(cited, key=_clause_order(registry)):
        out += [f'<a id="{_anchor(c)}"></a>', *quote(c, registry), ""]
    return "\n".join(out).rstrip() + "\n"


def _anchor(clause: str) -> str:
    return "clause-" + clause.replace(".", "-").replace("/", "-")


def _clause_order(registry: Registry | None = None):
    order = {c: i for i, c in enumerate((registry or load_registry()).ids())}
    return lambda c: order.get(c, len(order))


def _finding_md(f: Finding, baseline: dict[str, str]) -> list[str]:
    lines = [f"#### `{f.id}`" + (" (accepted)" if f.id in baseline else ""), "", f"- {f.message.en}", f"- {f.message.ru}"]
    if f.depends_on_unknown:
        lines.append(f"- Depends on provisions not in the sources: {', '.join(f.depends_on_unknown)}.")
    if f.witness is not None:
        lines.append(f"- Smallest case: {_changes_text(f)}")
    if f.region:
        lines.append(f"- Region (every such appeal is a gap): {_region_text(f)}")
    if f.answers:
        lines.append("- Deciding rules on it: " + "; ".join(f"{a.rule} → {a.question} = {a.value}" for a in f.answers))
    if f.clauses:
        lines.append("- Clauses: " + ", ".join(f"[{c}](#{_anchor(c)})" for c in dict.fromkeys(f.clauses)))
    return lines + [""]


def render_explanation(f: Finding, baseline: dict[str, str], registry: Registry | None = None) -> str:
    """One finding in full, its clauses quoted, for `kzappeals verify --explain ID`."""
    lines = _finding_md(f, baseline)[:-1]
    if f.witness is not None:
        lines += ["", "Witness (case JSON):", json.dumps(f.witness, ensure_ascii=False)]
    lines.append("")
    for c in dict.fromkeys(f.clauses):
        lines += [*quote(c, registry), ""]
    return "\n".join(lines)


class StatusFinding(Finding):
    baseline: BaselineStatus = Field(
        description="Against the baseline: new (not accepted: verify exits 1), accepted, or not gated (an assumption)."
    )


class VerificationDocument(BaseModel):
    """The JSON form of ``kzappeals verify``: the root causes first, then every finding with its baseline status."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tool: Literal["kzappeals"] = "kzappeals"
    spec_version: str
    spec_sha256: str
    profiles: tuple[ProfileInfo, ...]
    groups: tuple[Group, ...] = Field(description="Findings grouped by root cause, per profile (kzappeals.findings_groups).")
    findings: tuple[StatusFinding, ...]
    removed: tuple[str, ...] = Field(description="Ids the baseline accepts that no longer occur under these profiles.")
    proved: tuple[Proved, ...]


def document(report: Report, baseline: dict[str, str]) -> VerificationDocument:
    return VerificationDocument(
        spec_version=report.spec_version,
        spec_sha256=report.spec_sha256,
        profiles=report.profiles,
        groups=tuple(group_findings(report, baseline)),
        # Each finding's fields as they are (validated when the finding was made), with its status: not
        # dumped and validated again, which cost more than the rest of the document at hundreds of rules.
        findings=tuple(StatusFinding.model_construct(**dict(f), baseline=status(f, baseline)) for f in report.findings),
        removed=tuple(removed_findings(report, baseline)),
        proved=report.proved,
    )


def render_group_explanation(group: Group, report: Report, baseline: dict[str, str], registry: Registry | None = None) -> str:
    """A root cause for `kzappeals verify --explain GROUP`: its findings, then its smallest one in full."""
    by_id = {f.id: f for f in report.findings}
    lines = [f"{group.id} ({group.profile}): {group.kind}: {group.title}", f"{group.count} finding(s), {group.new} new:"]
    lines += [f"  {i}  {', '.join(by_id[i].rules) or '—'}  {_case_text(by_id[i])}" for i in group.findings]
    return "\n".join(lines) + "\n\nThe smallest in full:\n\n" + render_explanation(by_id[group.smallest], baseline, registry)


def render_json(report: Report, baseline: dict[str, str]) -> str:
    return document(report, baseline).model_dump_json(indent=2) + "\n"
