"""The `kzappeals` command.

Exit codes (every subcommand):
  0  success (verify: nothing beyond the accepted-findings baseline)
  1  verify: findings beyond the baseline
  2  bad input: a file, field or option that cannot be used (one line on stderr)
  3  internal error (a bug in kzappeals; set KZAPPEALS_DEBUG=1 for the traceback)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kzappeals import __version__
from kzappeals.spec.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, InputError

EXIT_INTERNAL = 3
DEFAULT_BASELINE = "accepted-findings.json"  # inside the spec folder


def _spec_dir(arg: str | None) -> Path:
    from kzappeals.spec.ruleset import SPEC_DIR

    if arg is None:
        return SPEC_DIR
    path = Path(arg)
    if not (path / "rules").is_dir():
        raise InputError(f"--spec {arg}", "not a spec folder (it has no rules/ folder)")
    return path


def cmd_verify(args: argparse.Namespace) -> int:
    from kzappeals.spec.ruleset import load_ruleset
    from kzappeals.spec.verify import verify
    from kzappeals import verification_report as vr

    spec_dir = _spec_dir(args.spec)
    rs = load_ruleset(spec_dir)
    if args.profile != "all" and args.profile not in rs.profiles:
        raise InputError("--profile", f"'{args.profile}' is not a profile (one of: all, {', '.join(rs.profiles)})")
    if args.write_reports and args.profile != "all":
        raise InputError("--write-reports", "the committed reports cover every profile: drop --profile")
    report = verify(None if args.profile == "all" else [args.profile], rs)
    if args.write_baseline:
        Path(args.write_baseline).write_text(vr.baseline_document(report, args.reason), encoding="utf-8")
    baseline_path = None if args.baseline == "none" else Path(args.baseline) if args.baseline else spec_dir / DEFAULT_BASELINE
    baseline = vr.load_baseline(baseline_path) if baseline_path is None or baseline_path.exists() or args.baseline else {}
    if args.write_reports:
        out = Path(args.reports_dir)
        out.mkdir(parents=True, exist_ok=True)
        (out / "verification.md").write_text(vr.render_markdown(report, baseline), encoding="utf-8")
        (out / "verification.json").write_text(vr.render_json(report), encoding="utf-8")
    if args.explain:
        found = [f for f in report.findings if f.id == args.explain]
        if not found:
            raise InputError("--explain", f"no finding '{args.explain}' under the chosen profile(s)")
        sys.stdout.write(vr.render_explanation(found[0], baseline) + "\n")
    elif args.format == "json":
        sys.stdout.write(vr.render_json(report))
    elif args.format == "markdown":
        sys.stdout.write(vr.render_markdown(report, baseline))
    else:
        sys.stdout.write(vr.render_table(report, baseline))
    return EXIT_FINDINGS if vr.new_findings(report, baseline) else EXIT_OK


def cmd_schemas(args: argparse.Namespace) -> int:
    from kzappeals.schemas import write_schemas, stale_schemas

    if args.check:
        stale = stale_schemas()
        for name in stale:
            print(f"{name}: stale (run `kzappeals schemas --write`)", file=sys.stderr)
        return EXIT_FINDINGS if stale else EXIT_OK
    for path in write_schemas():
        print(path)
    return EXIT_OK


def cmd_vectors(args: argparse.Namespace) -> int:
    from kzappeals.conformance.vectors import VECTOR_DIR, generate, write_vectors

    if args.check:
        stale = [name for name, text in generate().items()
                 if not (VECTOR_DIR / name).exists() or (VECTOR_DIR / name).read_text(encoding="utf-8") != text]
        for name in stale:
            print(f"conformance/vectors/{name}: stale (run `kzappeals vectors --write`)", file=sys.stderr)
        return EXIT_FINDINGS if stale else EXIT_OK
    for path in write_vectors():
        print(path)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kzappeals",
        description="Checked specification, reference implementation and conformance suite for the Instruction on appeals "
                    "in Kazakhstan's prosecution service (order No. 4 of 2012 as amended by order No. 165 of 2015).",
        epilog="Exit codes: 0 success; 1 findings beyond the baseline (verify); 2 bad input; 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"kzappeals {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser("verify", help="check the rules for conflicts, gaps, dead clauses and broken principles",
                       description="Compile the rules to Z3 and report conflicts, gaps, dead clauses and broken principles, "
                                   "each with the smallest appeal that shows it, per interpretation profile.")
    v.add_argument("--profile", default="all", help="a profile of spec/profiles.toml, or 'all' (default)")
    v.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    v.add_argument("--spec", metavar="DIR", help="verify another spec folder (a draft amendment); default: the installed one")
    v.add_argument("--baseline", metavar="FILE", help="accepted findings (default: accepted-findings.json in the spec folder; 'none' accepts nothing)")
    v.add_argument("--write-baseline", metavar="FILE", help="also write a baseline accepting every current finding")
    v.add_argument("--reason", default="known defect of the text as amended in 2015", help="reason recorded with --write-baseline")
    v.add_argument("--write-reports", action="store_true", help="regenerate verification.md and verification.json in --reports-dir")
    v.add_argument("--reports-dir", default="reports", metavar="DIR")
    v.add_argument("--explain", metavar="ID", help="print one finding in full, its clauses quoted in Russian and English")
    v.set_defaults(func=cmd_verify)

    s = sub.add_parser("schemas", help="write (or --check) the JSON Schemas generated from the models")
    s.add_argument("--check", action="store_true", help="exit 1 if a committed schema is stale")
    s.add_argument("--write", action="store_true", help="write the schemas (the default action)")
    s.set_defaults(func=cmd_schemas)

    t = sub.add_parser("vectors", help="regenerate (or --check) the conformance test vectors from the Z3 model")
    t.add_argument("--check", action="store_true", help="exit 1 if a committed vector file is stale")
    t.add_argument("--write", action="store_true", help="write conformance/vectors/*.json (the default action)")
    t.set_defaults(func=cmd_vectors)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"kzappeals: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the promise is one line, never a traceback
        if os.environ.get("KZAPPEALS_DEBUG"):
            raise
        print(f"kzappeals: internal error: {type(exc).__name__}: {exc} (set KZAPPEALS_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
