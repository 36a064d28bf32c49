"""Every generated file of the project, in one place: what it is, where it lives, what makes it.

A generated file is committed; `kzappeals generate` rewrites them all after a change under
spec/, and `kzappeals generate --check` (like the tests) fails when one is stale.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kzappeals.spec.ruleset import SPEC_DIR

REPO_REPORTS = SPEC_DIR.parent / "reports"  # the checkout's reports/ (editable install)


def _schemas() -> dict[Path, str]:
    from kzappeals.schemas import SCHEMAS, schema_text

    return {path: schema_text(name) for name, (_, path) in SCHEMAS.items()}


def _vectors() -> dict[Path, str]:
    from kzappeals.conformance.vectors import VECTOR_DIR, generate

    return {VECTOR_DIR / name: text for name, text in generate().items()}


def _reports(reports_dir: Path = REPO_REPORTS) -> dict[Path, str]:
    from kzappeals import verification_report as vr
    from kzappeals.cli import DEFAULT_BASELINE
    from kzappeals.spec.verify import verify

    from kzappeals.html_report import PAGE, render_report
    from kzappeals.spec.ruleset import default_ruleset

    from kzappeals.conformance.vectors import load_vectors

    load_vectors.cache_clear()  # the vectors as they are on disk now, e.g. just rewritten by `generate`
    report = verify()
    baseline = vr.load_baseline(SPEC_DIR / DEFAULT_BASELINE)
    return {reports_dir / "verification.md": vr.render_markdown(report, baseline),
            reports_dir / "verification.json": vr.render_json(report, baseline),
            reports_dir / PAGE: render_report(report, baseline, default_ruleset())[PAGE]}


KINDS: dict[str, Callable[[], dict[Path, str]]] = {"schemas": _schemas, "vectors": _vectors, "reports": _reports}


def stale(files: dict[Path, str]) -> list[Path]:
    return [p for p, text in files.items() if not p.exists() or p.read_text(encoding="utf-8") != text]


def write(files: dict[Path, str]) -> list[Path]:
    from kzappeals.output import write_atomic

    for path, text in files.items():
        write_atomic(path, text)
    return list(files)
