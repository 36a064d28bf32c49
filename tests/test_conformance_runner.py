"""The conformance harness: protocol schemas, judging, adapters, the runner, `kzappeals certify`."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from kzappeals.cli import main
from kzappeals.conformance import certificate, protocol
from kzappeals.conformance.adapters import CommandAdapter, HttpAdapter, PythonAdapter, parse_impl
from kzappeals.conformance.expectations import LEVELS, VendorAnswer
from kzappeals.conformance.judge import judge
from kzappeals.conformance.oracle import answer as reference_answer
from kzappeals.conformance.oracle import expected
from kzappeals.conformance.runner import (
    EXIT_NOT_RUN,
    ExplorationScript,
    MustReject,
    Options,
    ProfileVector,
    ScriptDiverged,
    certify,
    exit_code,
)
from kzappeals.conformance.serving import DEFAULT_FUNCTION, FunctionImplementation, module_handshake
from kzappeals.conformance.strategies import ordinary
from kzappeals.spec.case_json import parse_case
from kzappeals.spec.errors import InputError


def case(**changes) -> dict:
    return {**ordinary(), **changes}


def answer(**values) -> VendorAnswer:
    base = dict(in_force="in_force", procedure="instruction", intake=None, handler=None, disposition=None, signatory="head")
    return VendorAnswer.model_validate_json(json.dumps({**base, **values}))


def messages(c: dict, a: VendorAnswer, levels=tuple(LEVELS)) -> list[str]:
    return [m.message for m in judge(expected(parse_case(c), "literal"), a, levels).mismatches]


# --- schemas -------------------------------------------------------------------


@pytest.mark.parametrize("name", list(protocol.PROTOCOL_SCHEMAS))
def test_a_schema_is_the_same_in_both_pydantic_modes(name):
    # kzappeals.schemas may generate in either mode; both must give the committed file.
    model, _ = protocol.PROTOCOL_SCHEMAS[name]
    assert model.model_json_schema(mode="validation") == model.model_json_schema(mode="serialization")


def test_the_protocol_levels_are_the_conformance_levels():
    assert set(protocol.Level.__args__) == set(LEVELS)


# --- judging -------------------------------------------------------------------------


def test_any_admissible_answer_of_an_ambiguous_question_is_right_and_a_wrong_one_names_every_clause():
    regional_explained = case(handled_at="regional", outcome="explained")
    assert messages(regional_explained, answer(signatory="deputy_head")) == []
    assert messages(regional_explained, answer(signatory="head")) == []
    assert messages(regional_explained, answer(signatory="resolving_official")) == [
        "signatory: expected head (p54.pp5.a6) or deputy_head (p54.pp6.a3), got resolving_official"
    ]


def test_a_question_that_does_not_arise_must_be_null_and_an_undetermined_one_is_not_judged():
    assert messages(case(), answer(intake="appeals_staff")) == ["intake: expected null (the question does not arise), got appeals_staff"]
    j = judge(expected(parse_case(case()), "literal"), answer(handler="prosecutor_general"), tuple(LEVELS))
    handler = next(p for p in j.parts if p.part == "handler")
    assert j.right and not handler.judged and "p21" in handler.depends_on_unknown


def test_in_force_and_the_forwarding_deadline_must_equal():
    before = case(received_on="2015-06-01")
    assert messages(before, answer(), ["in-force"]) == ["in_force: expected before (o165.p4), got in_force"]
    forwarded = case(handled_at="gpo_department", competent="lower_prosecutor")
    assert messages(forwarded, answer(disposition="forward_3wd_notice"), ["deadlines"]) == [
        "forwarding_due: expected 2016-06-06 (p23.pp1.ch2: three working days), got null"
    ]
    assert messages(case(), answer(forwarding_due="2016-06-06"), ["deadlines"]) == [
        "forwarding_due: expected null (nothing is forwarded), got 2016-06-06"
    ]


def test_only_the_claimed_levels_are_judged():
    wrong_procedure = answer(procedure="not_considered")
    assert messages(case(), wrong_procedure, ["signature"]) == []
    assert messages(case(), wrong_procedure, ["routing"]) == ["procedure: expected instruction (p1), got not_considered"]


# --- adapters and bad input -----------------------------------------------------------


@pytest.mark.parametrize(
    "spec, reason",
    [
        ("nonsense", "is not python:package.module:function, cmd:COMMAND or http://"),
        ("python:no_such_module_xyz:f", "no module named 'no_such_module_xyz'"),
        ("python:kzappeals.conformance.oracle:nope", "has no function 'nope'"),
        ("python:kzappeals.conformance.oracle", "is not python:package.module:function"),
        ("cmd:", "needs a command"),
        ("cmd:no-such-command-xyz --flag", "command 'no-such-command-xyz' not found"),
        ("cmd:'unterminated", "No closing quotation"),
        ("http://192.0.2.1:8080/x", "is not a loopback address"),
        ("http://127.0.0.1:notaport/x", "has no valid port"),
    ],
)
def test_a_bad_impl_is_one_line_and_exit_2(spec, reason, capsys):
    with pytest.raises(InputError) as exc:
        parse_impl(spec)
    assert reason in str(exc.value)
    assert main(["certify", "--impl", spec]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("kzappeals: error: --impl: ") and "Traceback" not in err


@pytest.mark.parametrize(
    "args, where",
    [
        (["--profile", "nope"], "--profile"),
        (["--level", "speed"], "--level"),
        (["--batch-size", "0"], "--batch-size"),
        (["--case-timeout", "0"], "--case-timeout"),
        (["--max-examples", "-1"], "--max-examples"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args, where, capsys):
    assert main(["certify", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"kzappeals: error: {where}: ") and err.count("\n") == 1


def vendor_module(tmp_path, monkeypatch, name: str, body: str) -> str:
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(body), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    return f"{name}:answer"


def test_python_vendors_skip_with_not_implemented_and_reject_with_any_other_exception(tmp_path, monkeypatch):
    target = vendor_module(
        tmp_path,
        monkeypatch,
        "picky_vendor",
        """
        from kzappeals.conformance.oracle import answer as reference
        KZAPPEALS_IMPLEMENTATION = {"name": "picky", "version": "2.0", "language": "python"}
        KZAPPEALS_PROFILES = ["literal"]
        def answer(case, profile):
            if case["handled_at"] == "district":
                raise NotImplementedError("district offices are not supported yet")
            if case["outcome"] == "granted":
                raise ValueError("field 'outcome': cannot handle grants")
            return reference(case, profile)
    """,
    )
    cert = certify(PythonAdapter(target), Options(max_examples=60, vectors=[]))
    (r,) = cert.results
    assert cert.implementation.name == "picky" and r.generated.skipped > 0
    errored = [f for f in r.failures if f.mismatches[0].part == "outcome"]
    assert errored and errored[0].mismatches[0].message.startswith(
        "outcome: expected an answer (the case is valid), got errored: ValueError"
    )
    assert errored[0].actual == {"errored": "ValueError: field 'outcome': cannot handle grants (field outcome)"}


def test_a_python_module_that_fails_to_import_cannot_be_run(tmp_path, monkeypatch):
    target = vendor_module(tmp_path, monkeypatch, "broken_import_vendor", "raise RuntimeError('no licence')\n")
    cert = certify(PythonAdapter(target), Options(vectors=[]))
    assert not cert.ran and exit_code(cert) == EXIT_NOT_RUN
    assert cert.faults[0].kind == "crash-at-start" and "no licence" in cert.faults[0].evidence.detail


def test_error_vectors_expect_errored_and_answers_to_them_fail():
    incoherent = case(deputy_inquiry=True)  # a deputy's inquiry from a person (p23.pp1.ch1)
    vectors = [
        ProfileVector("errors/deputy", incoherent, "literal", MustReject("field deputy_inquiry: sent by a deputy", "p23.pp1.ch1")),
        ProfileVector("plain/ordinary", case(), "literal", expected(parse_case(case()), "literal")),
    ]
    cert = certify(PythonAdapter(DEFAULT_FUNCTION), Options(profiles=("literal",), max_examples=0, vectors=vectors))
    assert cert.verdict == "certified" and cert.results[0].vectors.right == 2
    # A vector that claims the ordinary appeal is invalid: the reference answers it, which fails.
    wrong_vector = ProfileVector(
        "errors/not-really", case(), "literal", MustReject("field deputy_inquiry: sent by a deputy", "p23.pp1.ch1")
    )
    cert = certify(PythonAdapter(DEFAULT_FUNCTION), Options(profiles=("literal",), max_examples=0, vectors=[wrong_vector]))
    (failure,) = cert.results[0].failures
    assert failure.id == "errors/not-really" and failure.mismatches[0].message.startswith("outcome: expected errored (field deputy_inquiry")


# --- the runner -------------------------------------------------------------------------


def quick(**overrides) -> Options:
    return Options(**{"profiles": ("literal",), "max_examples": 60, "batch_size": 10, "seed": 3, "vectors": [], **overrides})


def test_the_same_seed_gives_the_same_certificate_through_any_adapter():
    one = certify(PythonAdapter(DEFAULT_FUNCTION), quick())
    two = certify(PythonAdapter(DEFAULT_FUNCTION), quick())
    assert one.digest == two.digest and certificate.render_markdown(one) == certificate.render_markdown(two)
    assert certificate.render_junit(one) == certificate.render_junit(two)
    child = certify(CommandAdapter(f"{sys.executable} -m kzappeals.conformance.serve_cmd"), quick())
    assert child.adapter == "cmd" and child.results == one.results and child.verdict == "certified"


def _function(fn) -> PythonAdapter:
    import kzappeals.conformance.oracle as module

    return PythonAdapter("test:function", FunctionImplementation(fn, module_handshake(module)))


def test_a_replayed_exploration_is_what_hypothesis_asks_while_every_batch_passes():
    """Hypothesis learns of a batch only whether it passed: the batches a passing run asked, replayed to an
    implementation whose batches pass too, give the certificate a run with Hypothesis gives it; a batch that
    now fails, or a run that no longer stops where the recorded one stopped, is refused."""
    script = ExplorationScript()
    recorded = certify(_function(reference_answer), quick(record_exploration=script))
    assert len(script.batches["literal"]) > 1 and script.stopped["literal"] is (recorded.results[0].stopped_by == "budget")
    asked: list[dict] = []

    def also_passing(case, profile):  # another implementation, the same answers: it is asked what was recorded
        asked.append(case)
        return reference_answer(case, profile)

    replayed = certify(_function(also_passing), quick(replay_exploration=script))
    drawn = certify(_function(reference_answer), quick())
    assert replayed.digest == drawn.digest and replayed.results == drawn.results
    sent = script.batches["literal"][:-1] if script.stopped["literal"] else script.batches["literal"]  # a stop comes before asking
    assert all(c in asked for batch in sent for c in batch)

    # Wrong on one case the recorded run asked, whichever cases this Hypothesis release drew.
    one = json.dumps(sent[-1][0], sort_keys=True)

    def wrong_on_one_asked_case(case, profile):
        a = reference_answer(case, profile)
        if json.dumps(case, sort_keys=True) != one:
            return a
        return {**a, "in_force": "repealed" if a["in_force"] != "repealed" else "in_force"}

    with pytest.raises(ScriptDiverged):
        certify(_function(wrong_on_one_asked_case), quick(replay_exploration=script))
    shorter = ExplorationScript({"literal": script.batches["literal"][:-1]}, {"literal": True})
    if script.stopped["literal"]:  # a run stopped at its last recorded batch goes on without it
        with pytest.raises(ScriptDiverged):
            certify(_function(reference_answer), quick(replay_exploration=shorter))


def test_the_http_adapter_certifies_a_served_implementation():
    server = subprocess.Popen([sys.executable, "-m", "kzappeals.conformance.serve_http", "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        cert = certify(HttpAdapter(url), quick())
        assert cert.adapter == "http" and cert.verdict == "certified"
        assert server.wait(10) == 0  # serve_http exits after stop
    finally:
        server.kill()
        server.wait()


def test_nothing_listening_on_the_http_port_cannot_be_run():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cert = certify(HttpAdapter(f"http://127.0.0.1:{port}/kzappeals"), quick())
    assert not cert.ran and exit_code(cert) == EXIT_NOT_RUN and cert.faults[0].kind == "crash-at-start"


def test_certify_without_impl_certifies_the_bundled_reference(tmp_path, capsys):
    code = main(["certify", "--profile", "literal", "--max-examples", "30", "--report-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert code == 0 and "kzappeals-reference" in out and "CERTIFIED" in out
    cert = protocol.Certificate.model_validate_json((tmp_path / "certificate.json").read_text(encoding="utf-8"))
    assert cert.verdict == "certified" and cert.results[0].vectors.run > 0
    assert cert.digest == protocol.certified_digest(cert.model_dump(mode="json"))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(certificate.FILES)


# --- cached parts of drawing and judging ------------------------------------------


def test_a_cached_coherent_pick_is_the_pick_read_from_the_constraints():
    import random

    from kzappeals.conformance import strategies
    from kzappeals.spec.conditions import CASE_FIELDS

    rnd = random.Random(3)
    for _ in range(300):
        values: dict = {}
        for field in CASE_FIELDS:
            picked = rnd.choice(strategies.field_choices(field))
            direct = strategies._coherent_pick(values, field, picked, strategies._naming(field))
            assert strategies.coherent_value(values, field, picked) == direct
            values[field] = direct


def test_an_expectation_made_from_cached_parts_is_the_validated_one():
    from kzappeals.conformance.expectations import Expectation
    from kzappeals.conformance.runner import available_vectors

    vectors = [v for v in available_vectors() if not isinstance(v.expected, MustReject)]
    for v in vectors[::10]:
        made = expected(parse_case(v.case), v.profile)
        assert made == Expectation.model_validate(made.model_dump())
