"""The `kzappeals` command.

Exit codes (every subcommand):
  0  success (verify: nothing beyond the accepted-findings baseline; certify: certified)
  1  verify: findings beyond the baseline; certify: not certified or only partly (failures or protocol faults);
     selfcheck: a mutant survived, or (--check) a result differs from the committed report;
     generate/schemas/vectors --check: a committed file is stale
  2  bad input: a file, field or option that cannot be used (one line on stderr)
  3  internal error (a bug in kzappeals; set KZAPPEALS_DEBUG=1 for the traceback)
  4  certify: the implementation could not be run at all (did not start, or its handshake is unusable)
  5  output could not be written: a file (one line naming the path and the reason; files are replaced
     atomically, so the previous one is intact) or standard output (a full disk, ``> /dev/full``).
     A closed pipe (``| head``) is the reader's choice: it ends quietly, exit 0.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import NoReturn

from kzappeals import __version__, garbage_collection, generated
from kzappeals.conformance.options import Options
from kzappeals.output import GuardedStdout, abandon_stdout, write_atomic
from kzappeals.spec import DEFAULT_BASELINE
from kzappeals.spec.errors import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, EXIT_OUTPUT, InputError, OutputError, one_line

EXIT_INTERNAL = 3


def _spec_dir(arg: str | None) -> Path:
    from kzappeals.spec.ruleset import SPEC_DIR

    if arg is None:
        return SPEC_DIR
    path = Path(arg)
    if not (path / "rules").is_dir():
        raise InputError(f"--spec {arg}", "not a spec folder (it has no rules/ folder)")
    return path


@garbage_collection.paused()  # the parent holds every finding the workers send back: no cycle among them to collect
def cmd_verify(args: argparse.Namespace) -> int:
    from kzappeals.spec.ruleset import load_ruleset
    from kzappeals.spec.verify import start_verify

    spec_dir = _spec_dir(args.spec)
    ruleset = load_ruleset(spec_dir)
    if args.profile != "all" and args.profile not in ruleset.profiles:
        raise InputError("--profile", f"'{args.profile}' is not a profile (one of: all, {', '.join(ruleset.profiles)})")
    if args.write_reports and args.profile != "all":
        raise InputError("--write-reports", "the committed reports cover every profile: drop --profile")
    checks = start_verify(None if args.profile == "all" else [args.profile], ruleset)
    from kzappeals import verification_report  # loaded while the workers check

    report = checks()
    if args.write_baseline:
        target = Path(args.write_baseline)
        previous = verification_report.load_baseline(target) if target.exists() else {}
        write_atomic(target, verification_report.baseline_document(report, previous, args.reason))
    baseline_path = None if args.baseline == "none" else Path(args.baseline) if args.baseline else spec_dir / DEFAULT_BASELINE
    baseline = verification_report.load_baseline(baseline_path) if baseline_path is None or baseline_path.exists() or args.baseline else {}
    if args.write_reports:
        out = Path(args.reports_dir)
        write_atomic(out / "verification.md", verification_report.render_markdown(report, baseline))
        write_atomic(out / "verification.json", verification_report.render_json(report, baseline))
    if args.explain:
        found = [f for f in report.findings if f.id == args.explain]
        groups = [g for g in verification_report.group_findings(report, baseline) if g.id == args.explain]
        if not found and not groups:
            raise InputError("--explain", f"no finding or root cause '{args.explain}' under the chosen profile(s)")
        sys.stdout.write(
            (
                verification_report.render_explanation(found[0], baseline, ruleset.registry)
                if found
                else verification_report.render_group_explanation(groups[0], report, baseline, ruleset.registry)
            )
            + "\n"
        )
    elif args.format == "json":
        sys.stdout.write(verification_report.render_json(report, baseline))
    elif args.format == "markdown":
        sys.stdout.write(verification_report.render_markdown(report, baseline, ruleset.registry))
    elif args.format == "sarif":
        from kzappeals.sarif import render_sarif

        sys.stdout.write(render_sarif(report, baseline, ruleset, spec_dir))
    elif args.format == "junit":
        from kzappeals.junit import render_junit

        sys.stdout.write(render_junit(report, baseline))
    else:
        sys.stdout.write(verification_report.render_table(report, baseline, show_all=args.all))
    if args.summary:
        from kzappeals.step_summary import append_summary, render_summary

        append_summary(args.summary, render_summary(report, baseline))
    return EXIT_FINDINGS if verification_report.new_findings(report, baseline) else EXIT_OK


def cmd_amend(args: argparse.Namespace) -> int:
    """`kzappeals amend AMENDMENT --spec BASE --out DRAFT`: write the draft an amendment makes (kzappeals.spec.amendment)."""
    from kzappeals.spec.amendment import amend

    print(amend(Path(args.amendment), _spec_dir(args.spec), Path(args.out)))
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    """`kzappeals diff --spec DRAFT [--base DIR]`: what the draft changes (kzappeals.spec.diff). Exit 0 when
    nothing changed (no answer, no finding), 1 when something did, 2 on bad input."""
    from kzappeals import diff_report
    from kzappeals.spec.diff import diff
    from kzappeals.spec.ruleset import load_ruleset

    base, draft = load_ruleset(_spec_dir(args.base)), load_ruleset(_spec_dir(args.spec))
    known = list(dict.fromkeys([*base.profiles, *draft.profiles]))
    if args.profile != "all" and args.profile not in known:
        raise InputError("--profile", f"'{args.profile}' is not a profile (one of: all, {', '.join(known)})")
    cached = diff_report.committed_findings(base, generated.REPO_REPORTS / "verification.json") if args.base is None else None
    report = diff(base, draft, None if args.profile == "all" else [args.profile], base_findings=cached)
    if args.format == "html":
        from kzappeals.diff_picture import render_html

        sys.stdout.write(render_html(report, base, draft))
    else:
        render = {"json": diff_report.render_json, "markdown": diff_report.render_markdown, "table": diff_report.render_table}
        sys.stdout.write(render[args.format](report))
    return EXIT_FINDINGS if report.changed else EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """`kzappeals report --out DIR [--certificates DIR]`: the self-contained HTML report (kzappeals.html_report)."""
    from kzappeals import verification_report
    from kzappeals.html_report import load_certificates, render_report
    from kzappeals.spec.ruleset import load_ruleset
    from kzappeals.spec.verify import verify

    spec_dir = _spec_dir(args.spec)
    certs = load_certificates(Path(args.certificates)) if args.certificates else []
    ruleset = load_ruleset(spec_dir)
    baseline_path = None if args.baseline == "none" else Path(args.baseline) if args.baseline else spec_dir / DEFAULT_BASELINE
    baseline = verification_report.load_baseline(baseline_path) if baseline_path is None or baseline_path.exists() or args.baseline else {}
    for name, text in sorted(render_report(verify(None, ruleset), baseline, ruleset, certs).items()):
        print(write_atomic(Path(args.out) / name, text))
    return EXIT_OK


def _sync(kinds: list[str], check: bool, command: str) -> int:
    """Write the generated files of ``kinds``, or with ``check`` list the stale ones (exit 1)."""
    if check:
        old = generated.stale({p: t for kind in kinds for p, t in generated.KINDS[kind]().items()})
        for path in old:
            print(f"{path}: stale (run `{command}`)", file=sys.stderr)
        return EXIT_FINDINGS if old else EXIT_OK
    for kind in [k for k in generated.KINDS if k in kinds]:  # each written before the next is made: reports quote vectors
        for path in generated.write(generated.KINDS[kind]()):
            print(path)
    return EXIT_OK


def cmd_schemas(args: argparse.Namespace) -> int:
    return _sync(["schemas"], args.check, "kzappeals schemas --write")


def cmd_vectors(args: argparse.Namespace) -> int:
    return _sync(["vectors"], args.check, "kzappeals vectors --write")


def cmd_generate(args: argparse.Namespace) -> int:
    return _sync(list(args.only or generated.KINDS), args.check, "kzappeals generate")


@garbage_collection.young_only()  # the certificate is written before the explorations' old cycles are walked
def cmd_certify(args: argparse.Namespace) -> int:
    from kzappeals.conformance import certificate
    from kzappeals.conformance.adapters import parse_impl
    from kzappeals.conformance.progress import Progress
    from kzappeals.conformance.runner import certify, exit_code

    options = Options(
        profiles=None if args.profile == "all" else (args.profile,),
        levels=tuple(args.level) if args.level else None,
        progress=Progress(sys.stderr, quiet=args.quiet),
        **{name: getattr(args, name) for name, *_ in Options.tunable()},
    )
    options.check()
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # python:vendor_module:answer from the vendor's own folder, as `python -m` would
    adapter = parse_impl(args.impl)
    # SIGTERM ends the run as Ctrl-C does: the implementation is ended and the certificate keeps what was gathered.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        cert = certify(adapter, options)
    finally:
        signal.signal(signal.SIGTERM, previous)
    out = Path(args.report_dir) if args.report_dir else certificate.default_dir(cert, adapter.label)
    paths = certificate.write(cert, out)
    print(one_line(certificate.summary(cert)))
    for f in cert.faults:
        print(one_line(f"  fault: {f.kind}: {f.message}"))
    for r in cert.results:
        for fail in r.failures:
            print(one_line(f"  failure ({r.profile}, {fail.id}): {fail.mismatches[0].message}"))
    for path in paths:
        print(path)
    return exit_code(cert)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def cmd_decide(args: argparse.Namespace) -> int:
    """`kzappeals decide CASE.json|-`: what the amended Instruction says of each case (reference implementation).

    With ``--spec DRAFT``, the specification's own evaluator (:func:`kzappeals.spec.evaluate.spec_decision`)
    decides under the draft's rules, profiles and clause registry: the reference implementation is
    written by hand for the shipped text only. A case is validated against the draft's own attributes
    and coherence constraints (:func:`kzappeals.spec.case_models.case_model`): a fact of the case the
    draft adds is one more field.

    Input (a file, or ``-`` for standard input): one JSON value (an object, possibly over many
    lines) is one case; anything else is JSON Lines, one case per line, split on "\n" only, blank
    lines ignored (how the two are told apart, and the limits: :mod:`kzappeals.case_input`). Output: ``--format table`` (default) prints,
    per case and profile, each question's status and answers, then why, clause by clause (id and
    English citation); ``--format json`` prints the Decision object of one case (a JSON array of
    them with ``--profile all``), or, for JSON Lines, one line ``{"line": N, "decision": {...}}``
    per case and profile.

    Exit codes:
      0  every case answered (whatever the answers: ambiguous and undetermined are answers)
      2  bad input: an option, the file, or a case that cannot be used. Each bad case is one line on
         stderr naming its line (JSON Lines), the field, the reason and the clause where one applies;
         it costs that line only: every valid case of a batch is answered on stdout, in order, under
         its own line number, as it is read.
    """
    import datetime as dt

    from kzappeals.reference_impl.profiles import PROFILES
    from kzappeals.spec.calendar import InForceParameters, ReceiptCounting
    from kzappeals.spec.ruleset import load_ruleset

    draft = load_ruleset(_spec_dir(args.spec)) if args.spec else None
    known = list(draft.profiles if draft is not None else PROFILES)  # a draft's own profiles
    if args.profile != "all" and args.profile not in known:
        raise InputError("--profile", f"'{args.profile}' is not a profile (one of: all, {', '.join(known)})")
    profiles = known if args.profile == "all" else [args.profile]
    published = {}
    for option, field, value in (
        ("--publication-165", "order165_published", args.publication_165),
        ("--publication-72", "order72_published", args.publication_72),
    ):
        if value is not None:
            try:
                published[field] = dt.date.fromisoformat(value)
            except ValueError:
                raise InputError(option, f"'{value}' is not a date (YYYY-MM-DD)", "o165.p4") from None
    in_force = InForceParameters(**published) if published else None
    receipt = {"next-day": ReceiptCounting.NEXT_DAY, "non-working-receipt-moves": ReceiptCounting.NON_WORKING_RECEIPT_MOVES}[
        args.receipt_counting
    ]

    where = "standard input" if args.case == "-" else args.case
    if args.case == "-" and sys.stdin is None:  # started with standard input closed (`<&-`)
        raise InputError(where, "not open")
    try:
        stream = sys.stdin.buffer if args.case == "-" else open(args.case, "rb")
    except OSError as exc:
        raise InputError(args.case, f"cannot read the file ({exc.strerror or exc})") from None
    try:
        return _decide_stream(stream, where, args, profiles, in_force, receipt, draft)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _decide_stream(stream, where: str, args: argparse.Namespace, profiles: list[str], in_force, receipt, draft=None) -> int:
    """Answer each case of ``stream`` as it is read (memory stays flat however long a batch is);
    under ``draft`` (a rule set), with the specification's evaluator."""
    import json

    from kzappeals.case_input import read_cases
    from kzappeals.reference_impl import decide as reference_decide
    from kzappeals.spec.case_models import case_model
    from kzappeals.spec.evaluate import spec_decision
    from kzappeals.spec.ruleset import default_ruleset
    from kzappeals.spec.vocabulary import QUESTIONS

    ruleset = draft or default_ruleset()
    registry = ruleset.registry
    questions = ruleset.questions

    def decide(case, profile, in_force, receipt):
        if draft is None:
            return reference_decide(case, profile, in_force, receipt)
        return spec_decision(case, profile, draft, in_force, receipt)

    def table(decision, label: str) -> str:
        in_force = decision.in_force == "in_force"
        out = [
            f"{label}, profile {decision.profile}: "
            + ("in force" if in_force else f"NOT IN FORCE ({decision.in_force}): {decision.procedure.reason_en}")
            # o165.p4: the answer rests on a publication date the sources do not give (--publication-165/-72 set it).
            + (" (assumed publication dates: the registration dates; the actual ones were not found)" if decision.in_force_assumed else "")
        ]
        for q in QUESTIONS:
            det = getattr(decision, q)
            out.append(f"  {q:<12} {det.status.replace('_', ' ')}")
            for a in det.answers:
                meaning = questions[q].values.get(a.value.value, {}).get("en", "")
                out.append(f"      {a.value.value} ({', '.join(a.provisions)}): {meaning}")
            if det.reason_en and in_force:
                out.append(f"      {det.reason_en}")
            if det.depends_on_unknown:
                out.append(f"      depends on provisions not in the sources: {', '.join(det.depends_on_unknown)}")
        if decision.forwarding_due is not None:
            out.append(f"  forwarding due by {decision.forwarding_due.isoformat()} (three working days, counting {receipt.value})")
        out.append("  why:")
        width = max((len(c) for c in decision.why), default=0)
        for c in decision.why:
            out.append(f"    {c:<{width}}  {registry.get(c).cite_en if c in registry else '(not in the registry)'}")
        return "\n".join(out)

    batch, entries = read_cases(stream, where, case_model(ruleset))
    bad = seen = 0
    for entry in entries:
        seen += 1
        label = f"line {entry.line}" if batch else "case"
        if entry.case is None:
            bad += 1
            print(f"kzappeals: error: {one_line(where)}: {label}: {entry.error}", file=sys.stderr)
            continue
        decisions = [decide(entry.case, p, in_force, receipt) for p in profiles]
        if args.format == "table":
            print("\n\n".join(table(d, label) for d in decisions) + "\n")
        elif batch:
            for d in decisions:
                print(json.dumps({"line": entry.line, "decision": d.model_dump(mode="json")}, ensure_ascii=False))
        elif len(decisions) == 1:
            print(decisions[0].model_dump_json(indent=2))
        else:
            print(json.dumps([d.model_dump(mode="json") for d in decisions], ensure_ascii=False, indent=2))
    if not seen:
        raise InputError(where, "no case: expected a JSON object or JSON Lines")
    return EXIT_BAD_INPUT if bad else EXIT_OK


WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # not the locale's names


def cmd_calendar(args: argparse.Namespace) -> int:
    """``kzappeals calendar p56 --year Y --quarter Q``: the day by which the Department is informed of a
    quarter's analysis (p56, "к 5 числу месяца, следующего за анализируемым кварталом")."""
    import json

    from kzappeals.spec.calendar import DueOnNonWorkingDay, quarterly_analysis_due

    numbers = {}
    for name in ("year", "quarter"):
        text = getattr(args, name)
        if not text.strip().isascii() or not text.strip().isdigit():
            raise InputError(f"--{name}", f"expected a whole number, got {text!r}", "p56")
        numbers[name] = int(text)
    reading = DueOnNonWorkingDay(args.reading)
    due = quarterly_analysis_due(numbers["year"], numbers["quarter"], reading)
    if args.format == "json":
        print(json.dumps({"clause": "p56", **numbers, "reading": reading.value, "due": due.isoformat()}))
    else:
        print(
            f"{due.isoformat()} ({WEEKDAYS[due.weekday()]}): the analysis of quarter {numbers['quarter']} of {numbers['year']} "
            f'reaches the Department by then (p56: "к 5 числу месяца, следующего за анализируемым кварталом"; '
            f"a 5th that is a non-working day: {reading.value}, docs/calendar.md)"
        )
    return EXIT_OK


def _add_calendar_parser(sub) -> None:
    c = sub.add_parser(
        "calendar",
        help="dates the text fixes: p56, the quarterly analysis",
        description="The day by which the Department is informed of a quarter's analysis (p56). Exit codes: 0 "
        "the date; 2 bad input (one line, citing p56).",
    )
    c.add_argument("clause", choices=("p56",), help="the clause whose date is asked (p56)")
    c.add_argument("--year", required=True, help="year of the analysed quarter (2015-2019)")
    c.add_argument("--quarter", required=True, help="the analysed quarter, 1-4")
    c.add_argument(
        "--reading",
        choices=("calendar_date", "next_working_day", "previous_working_day"),
        default="calendar_date",
        help="a 5th that is a non-working day (docs/calendar.md; default: calendar_date, the 5th as written)",
    )
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.set_defaults(func=cmd_calendar)


def cmd_selfcheck(args: argparse.Namespace) -> int:
    from kzappeals.conformance import selfcheck
    from kzappeals.spec.workers import available_cores

    for name, value, low in (
        ("--max-examples", args.max_examples, 0),
        ("--equivalence-sample", args.equivalence_sample, 1),
        ("--jobs", args.jobs or 1, 1),
    ):
        if value < low:
            raise InputError(name, f"must be at least {low}, got {value}")
    if args.only and not any(m.id.startswith(args.only) for m in selfcheck.mutants()):
        raise InputError("--only", f"no mutant id starts with '{args.only}'")
    for flag, given in (("--write-report", args.write_report), ("--check", args.check)):
        if given and args.only:
            raise InputError(flag, "the committed report covers every mutant: drop --only")
    if args.check and args.write_report:
        raise InputError("--check", "compares with the committed report, --write-report replaces it: choose one")
    committed, committed_path = None, Path(args.reports_dir) / "selfcheck.json"
    if args.check:  # read before the run, so that a bad report costs no run
        try:
            committed = selfcheck.SelfcheckReport.model_validate_json(committed_path.read_bytes())
        except (OSError, ValueError) as exc:
            raise InputError(str(committed_path), f"not a readable self-check report ({type(exc).__name__})") from None
    from kzappeals.conformance.progress import Progress

    report = selfcheck.run_selfcheck(
        args.seed,
        args.max_examples,
        args.equivalence_sample,
        args.only,
        args.jobs or available_cores(),
        progress=Progress(sys.stderr, quiet=args.quiet),
    )
    text = report.model_dump_json(indent=1) + "\n" if args.format == "json" else selfcheck.render_markdown(report)
    if committed is not None:
        differences = selfcheck.differences(committed, report)
        for line in differences:
            sys.stderr.write(f"kzappeals: {committed_path}: {line}\n")
        return EXIT_FINDINGS if differences else EXIT_OK
    if args.write_report:
        out = Path(args.reports_dir)
        write_atomic(out / "selfcheck.md", selfcheck.render_markdown(report))
        write_atomic(out / "selfcheck.json", report.model_dump_json(indent=1) + "\n")
    sys.stdout.write(text)
    return EXIT_FINDINGS if any(m.verdict == "survived" for m in report.mutants) else EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kzappeals",
        description="Checked specification, reference implementation and conformance suite for the Instruction on appeals "
        "in Kazakhstan's prosecution service (order No. 4 of 2012 as amended by order No. 165 of 2015).",
        epilog="Exit codes: 0 success; 1 findings beyond the baseline (verify) or not certified (certify); 2 bad input; "
        "3 internal error; 4 the implementation could not be run (certify); 5 output could not be written.",
    )
    parser.add_argument("--version", action="version", version=f"kzappeals {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    v = sub.add_parser(
        "verify",
        help="check the rules for conflicts, gaps, dead clauses and broken principles",
        description="Compile the rules to Z3 and report conflicts, gaps, dead clauses and broken principles, "
        "each with the smallest appeal that shows it, per interpretation profile.",
    )
    v.add_argument("--profile", default="all", help="a profile of spec/profiles.toml, or 'all' (default)")
    v.add_argument(
        "--format",
        choices=("table", "markdown", "json", "sarif", "junit"),
        default="table",
        help="table (terminal: root causes and NEW findings), markdown, json, sarif (SARIF 2.1.0) or junit (JUnit XML)",
    )
    v.add_argument("--all", action="store_true", help="table: also list every finding and the shared readings")
    v.add_argument(
        "--summary", metavar="FILE", help="append a short Markdown summary of NEW and REMOVED findings to FILE (e.g. $GITHUB_STEP_SUMMARY)"
    )
    v.add_argument("--spec", metavar="DIR", help="verify another spec folder (a draft amendment); default: the installed one")
    v.add_argument(
        "--baseline", metavar="FILE", help="accepted findings (default: accepted-findings.json in the spec folder; 'none' accepts nothing)"
    )
    v.add_argument("--write-baseline", metavar="FILE", help="also write a baseline accepting every current finding")
    v.add_argument(
        "--reason",
        help="with --write-baseline: why the findings new to the baseline are accepted (required when there are "
        "any; findings already in it keep their own reasons)",
    )
    v.add_argument("--write-reports", action="store_true", help="regenerate verification.md and verification.json in --reports-dir")
    v.add_argument("--reports-dir", default="reports", metavar="DIR")
    v.add_argument(
        "--explain",
        metavar="ID",
        help="print one finding in full, its clauses quoted in Russian and English "
        "(or a root cause: its findings, then its smallest in full)",
    )
    v.set_defaults(func=cmd_verify)

    am = sub.add_parser(
        "amend",
        help="apply an amendment (TOML, in the law's own verbs) to a spec folder and write the draft",
        description="Apply an amendment file (changes by clause id: replace, insert, delete, each with its Russian text, "
        "English rendering and rules) to a spec folder, write the draft to a new folder and check it loads. "
        "Exit codes: 0 written; 2 bad input (one line naming the amendment's change or the draft's file and line).",
    )
    am.add_argument("amendment", metavar="AMENDMENT", help="the amendment file (examples/amendments/*.toml)")
    am.add_argument("--spec", metavar="BASE", help="the spec folder to amend (default: the installed one)")
    am.add_argument("--out", required=True, metavar="DRAFT", help="a new (or empty) folder for the draft")
    am.set_defaults(func=cmd_amend)

    df = sub.add_parser(
        "diff",
        help="what a draft changes: appeals whose answer changes, findings added and removed",
        description="Compare a draft spec folder with its base (default: the installed spec), per profile: every class of "
        "appeals whose answer to a question changes (a region, its smallest appeal, the answers and clauses before and after, "
        "found with Z3), the findings the draft adds and removes, and warnings. Exit codes: 0 nothing changed; "
        "1 something changed; 2 bad input.",
    )
    df.add_argument("--spec", required=True, metavar="DRAFT", help="the draft spec folder (e.g. written by kzappeals amend)")
    df.add_argument("--base", metavar="DIR", help="the spec folder to compare with (default: the installed one)")
    df.add_argument("--profile", default="all", help="a profile, or 'all' (default)")
    df.add_argument(
        "--format",
        choices=("table", "markdown", "json", "html"),
        default="table",
        help="table, markdown, json (spec/schemas/diff.schema.json) or html (one static page: the point-54 matrix before and after, the changes)",
    )
    df.set_defaults(func=cmd_diff)

    r = sub.add_parser(
        "report",
        help="write the HTML report: overview, point-54 matrix, routing, findings, the law, certificates",
        description="Write DIR/report.html, one static page (no network, no script) for reading the findings "
        "with the law beside them; with --certificates, a results table and a badge (DIR/badges/) "
        "per certificate JSON found in that folder.",
    )
    r.add_argument("--out", required=True, metavar="DIR", help="folder to write report.html (and badges/) into")
    r.add_argument("--certificates", metavar="DIR", help="a folder searched for certificate JSON files (kzappeals certify)")
    r.add_argument("--spec", metavar="DIR", help="report on another spec folder (a draft amendment); default: the installed one")
    r.add_argument(
        "--baseline", metavar="FILE", help="accepted findings (default: accepted-findings.json in the spec folder; 'none' accepts nothing)"
    )
    r.set_defaults(func=cmd_report)

    s = sub.add_parser("schemas", help="write (or --check) the JSON Schemas generated from the models")
    s.add_argument("--check", action="store_true", help="exit 1 if a committed schema is stale")
    s.add_argument("--write", action="store_true", help="write the schemas (the default action)")
    s.set_defaults(func=cmd_schemas)

    g = sub.add_parser(
        "generate",
        help="rewrite (or --check) every generated file: schemas, test vectors, verification reports",
        description="After a change under spec/: rewrite the JSON Schemas, the test vectors, reports/verification.* and reports/report.html. "
        "With --check, write nothing and exit 1 if any committed file is stale.",
    )
    g.add_argument("--check", action="store_true")
    g.add_argument("--only", action="append", choices=tuple(generated.KINDS), help="one kind only (repeatable)")
    g.set_defaults(func=cmd_generate)

    m = sub.add_parser(
        "selfcheck",
        help="certify mutants of the reference implementation: the suite must reject every one it can",
        description="Build mutants of the reference implementation (conditions negated or cut, answers swapped, "
        "sets narrowed, deadlines shifted, holidays ignored, profiles rotated) and certify each. "
        "Exit 0 when every mutant that some case tells apart is rejected, 1 when one survives.",
    )
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--max-examples", type=int, default=300, help="exploration budget per profile for a mutant the vectors do not reject")
    m.add_argument("--equivalence-sample", type=int, default=5000, help="uniform cases tried before calling a surviving mutant equivalent")
    m.add_argument("--only", metavar="PREFIX", help="only mutants whose id starts with PREFIX (e.g. signature:, behaviour:)")
    m.add_argument("--jobs", type=int, default=None, help="worker processes (default: the cores available)")
    m.add_argument("--quiet", action="store_true", help="no progress on stderr")
    m.add_argument("--format", choices=("markdown", "json"), default="markdown")
    m.add_argument("--write-report", action="store_true", help="write selfcheck.md and selfcheck.json in --reports-dir")
    m.add_argument(
        "--check",
        action="store_true",
        help="print nothing but the mutants whose result differs from the committed selfcheck.json in --reports-dir; exit 1 if any",
    )
    m.add_argument("--reports-dir", default="reports", metavar="DIR")
    m.set_defaults(func=cmd_selfcheck)

    t = sub.add_parser("vectors", help="regenerate (or --check) the conformance test vectors from the Z3 model")
    t.add_argument("--check", action="store_true", help="exit 1 if a committed vector file is stale")
    t.add_argument("--write", action="store_true", help="write conformance/vectors/*.json (the default action)")
    t.set_defaults(func=cmd_vectors)

    c = sub.add_parser(
        "certify",
        help="certify an implementation against the specification (test vectors and generated cases)",
        description="Run an implementation through the conformance protocol: the test vectors, then Hypothesis-generated "
        "cases shrunk to minimal failures; write a certificate (Markdown, JSON, JUnit XML). "
        "Exit codes: 0 certified; 1 not certified or partial; 2 bad input; 4 the implementation could not be run.",
    )
    c.add_argument(
        "--impl",
        metavar="SPEC",
        help="python:package.module:function, cmd:COMMAND or http://127.0.0.1:PORT/PATH "
        "(default: the bundled reference implementation, in process)",
    )
    c.add_argument("--profile", default="all", help="a profile of spec/profiles.toml, or 'all' the implementation claims (default)")
    c.add_argument(
        "--level",
        action="append",
        metavar="LEVEL",
        help="judge only this level: routing, signature, deadlines or in-force (repeatable; default: every level claimed)",
    )
    for name, metavar, text, default in Options.tunable():
        c.add_argument(
            "--" + name.replace("_", "-"), type=type(default), default=default, metavar=metavar, help=f"{text} (default {default:g})"
        )
    c.add_argument("--quiet", action="store_true", help="no progress on stderr")
    c.add_argument(
        "--report-dir", metavar="DIR", help="where to write the certificate (default reports/certificates/<implementation name>/)"
    )
    c.set_defaults(func=cmd_certify)

    d = sub.add_parser(
        "decide",
        help="decide appeals with the reference implementation: procedure, intake, handler, disposition, signatory",
        description="Say what the amended Instruction says of each case (one JSON object, or JSON Lines), per profile, "
        "with the clauses each answer rests on. Exit codes: 0 every case answered; 2 bad input (each bad "
        "case one line on stderr; the valid cases of a batch are still answered).",
    )
    d.add_argument("case", metavar="CASE.json", help="a case as JSON, or JSON Lines of cases; '-' reads standard input")
    d.add_argument("--profile", default="literal", help="a profile of spec/profiles.toml, or 'all' (default: literal)")
    d.add_argument("--format", choices=("table", "json"), default="table")
    d.add_argument(
        "--spec",
        metavar="DIR",
        help="decide under a draft spec folder with the specification's evaluator (the reference implementation covers the shipped text only)",
    )
    d.add_argument("--publication-165", metavar="DATE", help="first official publication of order No. 165 (default: assumed 2016-02-11)")
    d.add_argument("--publication-72", metavar="DATE", help="first official publication of order No. 72 (default: assumed 2018-06-18)")
    d.add_argument(
        "--receipt-counting",
        choices=("next-day", "non-working-receipt-moves"),
        default="next-day",
        help="how the three working days are counted (docs/calendar.md; default: next-day)",
    )
    d.set_defaults(func=cmd_decide)
    _add_calendar_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    stdout = sys.stdout
    sys.stdout = GuardedStdout(stdout)  # a failing write to stdout is an OutputError, not an internal error
    try:
        args = build_parser().parse_args(argv)
        code = args.func(args)
        sys.stdout.flush()  # inside the try: a full disk shows here, not at the interpreter's exit
        return code
    except InputError as exc:
        print(f"kzappeals: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OutputError as exc:
        print(f"kzappeals: error: {exc}", file=sys.stderr)
        if exc.path == "standard output":
            abandon_stdout(stdout)
        return EXIT_OUTPUT
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        abandon_stdout(stdout)
        return EXIT_OK
    except Exception as exc:
        if os.environ.get("KZAPPEALS_DEBUG"):
            raise
        print(f"kzappeals: internal error: {type(exc).__name__}: {exc} (set KZAPPEALS_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        sys.stdout = stdout


def run() -> NoReturn:
    """The ``kzappeals`` command: :func:`main`, then the process ends (in-process callers use :func:`main`)."""
    code = main()
    garbage_collection.leave_to_exit()
    sys.exit(code)


if __name__ == "__main__":
    run()
