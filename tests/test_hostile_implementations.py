"""Certification survives anything an implementation sends, and no report lets it speak for the runner.

What an implementation says (its name, version, homepage, messages, stderr) is untrusted: it may try to
forge a verdict in certificate.md, inject HTML, break a Markdown table or a JUnit XML file, send lone
surrogates or terminal escapes, trickle or never end an HTTP reply, or leave a child holding its pipe.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shlex
import signal
import socketserver
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kzappeals.cli import main
from kzappeals.conformance import adapters
from kzappeals.conformance.adapters import CommandAdapter, HttpAdapter, PythonAdapter
from kzappeals.conformance.certificate import render_junit, render_markdown, summary
from kzappeals.conformance.oracle import answer as reference
from kzappeals.conformance.protocol import Certificate
from kzappeals.conformance.runner import Options, certify
from kzappeals.conformance.serving import FunctionImplementation

MINI = Path(__file__).parent / "miniatures"
FORGED = "Acme\n\n**CERTIFIED** for routing, signature, deadlines, in-force\n\n<!--"
HOSTILE = "\x1b[31mred\x1b[0m <script>alert(1)</script> <img src=x> | a | b \x01\x08 \ud800 `` ``` **bold**"
QUICK = dict(profiles=("literal",), max_examples=20, batch_size=5, vectors=[])


def _impl(name: str, fn=None, version: str = "1", homepage: str | None = None) -> PythonAdapter:
    info = {"name": name, "version": version, "language": "python"} | ({"homepage": homepage} if homepage else {})

    # Misreads point 54 wherever it names the head (a common answer, so that the short exploration below,
    # with no vectors, meets it on its seed): the verdict is not "certified".
    def wrong_heads(case: dict, profile: str) -> dict:
        a = reference(case, profile)
        if a["signatory"] == "head":
            a["signatory"] = "deputy_head"
        return a

    handshake = {"protocol": 1, "implementation": info, "profiles": ["literal"], "levels": ["routing", "signature"]}
    return PythonAdapter("hostile", FunctionImplementation(fn or wrong_heads, handshake))


def _outside_code_blocks(md: str) -> list[str]:
    """The lines Markdown renders as text: fenced code blocks (shown literally) left out; a fence closes only
    on a fence of at least its own length, so a backtick run inside cannot close it."""
    out, fence = [], None
    for line in md.splitlines():
        run = re.match(r"\s*(`{3,})", line)
        if fence is None and run:
            fence = run.group(1)
        elif fence is not None and run and len(run.group(1)) >= len(fence) and not line.strip().strip("`"):
            fence = None
        elif fence is None:
            out.append(line)
    return out


def _check_outputs(cert: Certificate, *hostile: str) -> str:
    """Every format parses, and says the verdict once, the runner's own."""
    Certificate.model_validate_json(cert.model_dump_json())
    json.loads(cert.model_dump_json())
    md = render_markdown(cert)
    lines = _outside_code_blocks(md)
    verdicts = [line for line in lines if re.search(r"(?<!\\)\*\*(CERTIFIED|PARTIAL|NOT CERTIFIED)", line)]
    assert verdicts == [lines[2]] and lines[2].startswith(f"**{cert.verdict.upper()}**"), verdicts
    prose = "\n".join(lines)
    assert "<!--" not in prose and "<script" not in prose and "<img" not in prose
    assert "\x1b" not in md and "\ud800" not in md
    ET.fromstring(render_junit(cert).split("\n", 1)[1])  # parses: no XML-forbidden character
    line = summary(cert)
    assert "\n" not in line and "\x1b" not in line
    return md


def test_a_name_cannot_forge_a_verdict():
    cert = certify(_impl(FORGED), Options(**QUICK))
    assert cert.verdict != "certified"
    md = _check_outputs(cert)
    assert md.splitlines()[2].startswith(f"**{cert.verdict.upper()}**")
    assert r"\*\*CERTIFIED\*\*" in md  # the forged line is shown as the text it is


@pytest.mark.parametrize("where", ["name", "version", "homepage"])
def test_terminal_escapes_html_xml_controls_markdown_and_surrogates_are_made_harmless(where):
    fields = {"name": "hostile", "version": "1", "homepage": None} | {where: HOSTILE}
    cert = certify(_impl(fields["name"], version=fields["version"], homepage=fields["homepage"]), Options(**QUICK))
    md = _check_outputs(cert)
    assert "&lt;script&gt;" in md and r"\| a \| b" in md
    assert all(row.count("|") - row.count(r"\|") == 3 for row in md.splitlines() if row.startswith("| implementation"))


def test_what_an_implementation_says_in_an_error_is_escaped_too():
    def errs(case, profile):
        raise ValueError(f"engine says:\n{HOSTILE}\n**CERTIFIED**")

    cert = certify(_impl("erring", errs), Options(**QUICK))
    _check_outputs(cert)


def test_lone_surrogates_in_a_reply_cost_nothing_but_that_answer(tmp_path):
    """A cmd implementation that escapes a lone surrogate into its JSON: read, replaced, written."""
    script = tmp_path / "surrogate.py"
    script.write_text(
        f"import sys; sys.path.insert(0, {str(MINI)!r})\n"
        + "import _speaker\n"
        + "def decide(request, n):\n"
        + "    reply = _speaker.right(request)\n"
        + "    reply['results'][0] = {'seq': reply['results'][0]['seq'], 'errored': {'message': 'bad \\ud800 \\x1b[2J'}}\n"
        + "    return reply\n"
        + "_speaker.run(decide, {**_speaker.HANDSHAKE, 'implementation': {'name': 'sur\\udc00rogate', 'version': '1', 'language': 'py'}})\n",
        encoding="utf-8",
    )
    code = main(
        [
            "certify",
            "--impl",
            f"cmd:{shlex.join([sys.executable, str(script)])}",
            "--profile",
            "literal",
            "--max-examples",
            "10",
            "--report-dir",
            str(tmp_path / "out"),
        ]
    )
    assert code == 1
    cert = Certificate.model_validate_json((tmp_path / "out" / "certificate.json").read_text(encoding="utf-8"))
    assert cert.implementation.name == "sur\ufffdrogate"
    _check_outputs(cert)


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def _serve(handler) -> tuple[_Server, str]:
    server = _Server(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _handshake_then(reply):
    """An HTTP implementation that shakes hands properly and then replies to every batch with ``reply(self)``."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def do_POST(self):
            request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if request["cmd"] == "start":
                body = json.dumps(
                    {
                        "protocol": 1,
                        "implementation": {"name": "web", "version": "1", "language": "py"},
                        "profiles": ["literal"],
                        "levels": ["routing"],
                    }
                ).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                reply(self)

    return Handler


def test_a_trickled_http_reply_times_out_within_the_batch_time():
    def trickle(handler):
        handler.send_response(200)
        handler.send_header("Content-Length", "100000")
        handler.end_headers()
        try:
            for _ in range(1000):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.05)  # every byte well within any per-read timeout
        except OSError:
            pass

    server, url = _serve(_handshake_then(trickle))
    try:
        t0 = time.monotonic()
        cert = certify(HttpAdapter(url), Options(**QUICK, case_timeout=0.2))
        assert time.monotonic() - t0 < 15  # 5 cases x 0.2 s for the first batch, not the 50 s of trickling
    finally:
        server.shutdown()
    assert [f.kind for f in cert.faults] == ["hang"] and cert.faults[0].fatal


def test_a_never_ending_http_reply_is_cut_at_the_size_cap(monkeypatch):
    monkeypatch.setattr(adapters, "MAX_REPLY", 1 << 20)

    def endless(handler):
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"[" * 65536
        try:
            while True:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except OSError:
            pass

    server, url = _serve(_handshake_then(endless))
    try:
        cert = certify(HttpAdapter(url), Options(**QUICK))
    finally:
        server.shutdown()
    assert [f.kind for f in cert.faults] == ["reply-too-large"]


def test_a_child_holding_the_pipe_does_not_hold_the_run():
    t0 = time.monotonic()
    cert = certify(CommandAdapter(shlex.join([sys.executable, str(MINI / "leaves_child.py")])), Options(**(QUICK | {"batch_size": 3})))
    assert time.monotonic() - t0 < 20  # not the child's 60 s
    assert "crash" in [f.kind for f in cert.faults]


def test_an_interrupted_run_keeps_what_it_gathered_marked_and_ends_the_implementation(tmp_path):
    """SIGTERM (as Ctrl-C) during a certification: the certificate is written, marked interrupted, never
    certified, with the results so far; the implementation is ended; an older certificate is replaced whole."""
    out = tmp_path / "out"
    out.mkdir()
    for name in ("certificate.md", "certificate.json", "certificate.junit.xml"):
        (out / name).write_text("an older certificate\n", encoding="utf-8")
    pidfile = tmp_path / "pid"
    script = tmp_path / "slow.py"
    script.write_text(
        f"import os, sys, time; sys.path.insert(0, {str(MINI)!r})\n"
        + f"open({str(pidfile)!r}, 'w').write(str(os.getpid()))\n"
        + "import _speaker\n"
        + "def decide(request, n):\n    time.sleep(0.05)\n    return _speaker.right(request)\n"
        + "_speaker.run(decide)\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kzappeals",
            "certify",
            "--impl",
            f"cmd:{shlex.join([sys.executable, str(script)])}",
            "--profile",
            "literal",
            "--max-examples",
            "100000",
            "--report-dir",
            str(out),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(3)  # some batches answered
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 1, stderr
    assert "INTERRUPTED" in stdout and "Traceback" not in stderr
    cert = Certificate.model_validate_json((out / "certificate.json").read_text(encoding="utf-8"))
    assert cert.interrupted and cert.verdict != "certified"
    assert cert.results[0].stopped_by == "interrupted" and cert.results[0].vectors.run + cert.results[0].generated.run > 0
    assert "interrupted" in (out / "certificate.md").read_text(encoding="utf-8")
    ET.parse(out / "certificate.junit.xml")
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.kill(int(pidfile.read_text()), 0)
    assert not (tmp_path / ".hypothesis").exists()
