"""`kzappeals verify --summary FILE`: a short Markdown summary for a CI job page ($GITHUB_STEP_SUMMARY).

Only what changed against the baseline: the NEW findings (grouped by root cause, with counts)
and the REMOVED ones (accepted ids that no longer occur). Appended to FILE, as GitHub expects.
"""

from __future__ import annotations

from pathlib import Path

from tabulate import tabulate

from kzappeals.findings_groups import group_findings
from kzappeals.output import write_atomic
from kzappeals.spec.errors import OutputError
from kzappeals.spec.findings import Report
from kzappeals.verification_report import new_findings, removed_findings


def _cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def render_summary(report: Report, baseline: dict[str, str]) -> str:
    new = new_findings(report, baseline)
    removed = removed_findings(report, baseline)
    profiles = ", ".join(p.name for p in report.profiles)
    out = [
        f"## kzappeals verify: {len(new)} new, {len(removed)} removed",
        "",
        f"Against the baseline; profiles {profiles}; spec SHA-256 `{report.spec_sha256[:16]}`.",
        "",
    ]
    if new:
        new_ids = {f.id for f in new}
        by_id = {f.id: f for f in report.findings}
        rows = []
        for g in group_findings(report, baseline):
            mine = [i for i in g.findings if i in new_ids]
            if mine:
                f = by_id[mine[0]]
                case = ", ".join(f"{c.field}={c.value}" for c in f.changes) if f.witness is not None else "—"
                rows.append([g.profile, len(mine), g.kind, _cell(g.title), _cell(case), f"`{mine[0]}`"])
        out += [
            f"### NEW ({len(new)})",
            "",
            tabulate(rows, headers=["profile", "new", "kind", "root cause", "smallest new case", "e.g."], tablefmt="github"),
            "",
            "Each in full: `kzappeals verify --explain ID`.",
            "",
        ]
    if removed:
        out += [f"### REMOVED ({len(removed)})", "", *(f"- `{i}`" for i in removed), ""]
    if not new and not removed:
        out += ["Nothing new, nothing removed.", ""]
    return "\n".join(out)


def append_summary(path: str, text: str) -> None:
    """Add ``text`` after what FILE holds (other steps may have written to it), atomically."""
    target = Path(path)
    try:
        old = target.read_text(encoding="utf-8") if target.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(path, f"cannot read it to append: {getattr(exc, 'strerror', None) or exc}") from None
    write_atomic(target, old + ("\n" if old and not old.endswith("\n") else "") + text)
