"""pytest plugin: certify an implementation from a vendor's own test run.

    pytest --kzappeals-impl=SPEC [--kzappeals-profile P] [--kzappeals-level L ...]

SPEC is what ``kzappeals certify --impl`` takes. The plugin adds, without
any test file: one test per test vector and profile, one Hypothesis
property test per profile (the runner's exploration: batches of generated
cases, failures shrunk to a minimal case), and one protocol test that fails
on any protocol fault. The implementation is run once, when the first of
these tests runs; every test reports its share of that run. Unclaimed
profiles are skipped. Without ``--kzappeals-impl`` the plugin does nothing.

Registered as the ``pytest11`` entry point ``kzappeals``; without the entry
point, load it with ``-p kzappeals.conformance.pytest_plugin``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kzappeals.conformance import runner as runner_module
from kzappeals.conformance.options import Options
from kzappeals.spec.errors import InputError
from kzappeals.spec.ruleset import default_ruleset

_RUN = pytest.StashKey["_Run"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("kzappeals", "kzappeals conformance (Instruction on appeals, order No. 165 of 2015)")
    group.addoption(
        "--kzappeals-impl",
        metavar="SPEC",
        help="implementation to certify: python:package.module:function, cmd:COMMAND or http://127.0.0.1:PORT/PATH",
    )
    group.addoption("--kzappeals-profile", default="all", metavar="P", help="a profile, or 'all' (default) the implementation claims")
    group.addoption("--kzappeals-level", action="append", metavar="L", help="judge only this level (repeatable)")
    for name, metavar, text, default in Options.tunable():
        group.addoption(
            "--kzappeals-" + name.replace("_", "-"),
            type=type(default),
            default=default,
            metavar=metavar,
            help=f"{text} (default {default:g})",
        )
    group.addoption("--kzappeals-report-dir", metavar="DIR", help="also write the certificate (Markdown, JSON, JUnit XML) here")


class _Run:
    """The one certification run the tests share, started by the first test that needs it."""

    def __init__(self, config: pytest.Config):
        from kzappeals.conformance.adapters import parse_impl

        opt = config.getoption
        profile = opt("kzappeals_profile")
        self.options = Options(
            profiles=None if profile == "all" else (profile,),
            levels=tuple(opt("kzappeals_level") or ()) or None,
            **{name: opt("kzappeals_" + name) for name, *_ in Options.tunable()},
        )
        try:
            self.options.check()
            self.adapter = parse_impl(opt("kzappeals_impl"))
        except InputError as exc:
            raise pytest.UsageError(f"kzappeals: {exc}") from None
        self.vectors = runner_module.available_vectors()
        self.profiles = list(self.options.profiles or default_ruleset().profiles)
        self.report_dir = opt("kzappeals_report_dir")
        self.runner: runner_module.Runner | None = None

    def result(self) -> runner_module.Runner:
        if self.runner is None:
            self.runner = runner_module.Runner(self.adapter, self.options)
            cert = self.runner.certify(self.vectors)
            if self.report_dir:
                from kzappeals.conformance import certificate

                certificate.write(cert, Path(self.report_dir))
        return self.runner

    def profile(self, name: str):
        run = self.result()
        if run.handshake is None:
            faults = "; ".join(f"{f.kind}: {f.message}" for f in run.faults.values())
            pytest.fail(f"the implementation could not be run: {faults}", pytrace=False)
        found = [p for p in run.profiles if p.name == name]
        if not found:
            pytest.skip(f"profile {name} is not claimed by the implementation")
        return found[0]


class _Item(pytest.Item):
    """Findings fail with pytest.fail(pytrace=False): the report shows the finding, not the plugin's stack."""

    def reportinfo(self):
        return self.path, None, self.name


class VectorItem(_Item):
    def __init__(self, *, vector: runner_module.ProfileVector, **kwargs):
        super().__init__(**kwargs)
        self.vector = vector

    def runtest(self) -> None:
        run: _Run = self.config.stash[_RUN]
        tally = run.profile(self.vector.profile)
        rec = tally.vectors.get(self.vector.id)
        if rec is None:
            pytest.fail("not run: the session ended before this vector (see the protocol test)", pytrace=False)
        if rec.outcome.kind == "skipped":
            pytest.skip(f"skipped by the implementation: {rec.outcome.message}")
        if rec.outcome.kind == "unanswered":
            pytest.fail("no usable answer (see the protocol test)", pytrace=False)
        if rec.mismatches:
            pytest.fail("\n".join(m.message for m in rec.mismatches), pytrace=False)


class PropertyItem(_Item):
    def __init__(self, *, profile: str, **kwargs):
        super().__init__(**kwargs)
        self.profile = profile

    def runtest(self) -> None:
        run: _Run = self.config.stash[_RUN]
        tally = run.profile(self.profile)
        found = [f for f in tally.failures if f.source == "generated"]
        if found:
            from kzappeals.conformance.certificate import changes_text

            lines = [f"{len(found)} distinct failure(s) in {len(tally.generated)} generated cases (seed {run.options.seed}):"]
            for f in found:
                lines += [f"- {f.mismatches[0].message}", f"  minimal case: {changes_text(f)}"]
            pytest.fail("\n".join(lines), pytrace=False)


class ProtocolItem(_Item):
    def runtest(self) -> None:
        run = self.config.stash[_RUN].result()
        if run.faults:
            lines = []
            for f in run.faults.values():
                ev = f.evidence
                lines.append(f"- {f.kind}{' (ended the session)' if f.fatal else ''}: {f.message}")
                lines += [
                    f"  {label}: {value}"
                    for label, value in (("line", ev.line), ("exit status", ev.exit_status), ("detail", ev.detail))
                    if value is not None
                ]
                lines += [f"  stderr: {line}" for line in ev.stderr_tail[-5:]]
            pytest.fail("protocol faults:\n" + "\n".join(lines), pytrace=False)


class ConformanceSuite(pytest.Collector):
    def collect(self):
        run: _Run = self.config.stash[_RUN]
        yield ProtocolItem.from_parent(self, name="protocol")
        for p in run.profiles:
            yield PropertyItem.from_parent(self, name=f"hypothesis[{p}]", profile=p)
        for v in run.vectors:
            if v.profile in run.profiles:
                yield VectorItem.from_parent(self, name=f"{v.id}[{v.profile}]", vector=v)


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("kzappeals_impl"):
        config.stash[_RUN] = _Run(config)


@pytest.hookimpl(tryfirst=True)  # before -k / -m deselection, so those filter these tests too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if _RUN not in config.stash:
        return
    suite = ConformanceSuite.from_parent(session, name="kzappeals", nodeid="kzappeals", path=session.path)
    items.extend(suite.collect())
