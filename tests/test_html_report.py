"""The HTML report (kzappeals report), rendered in a real browser (headless Chromium): the point-54
matrix cells are there and say what the spec's evaluator says, every link inside the page reaches
its anchor (a finding reaches its clauses), nothing is loaded from elsewhere, and what a certificate
says is shown as text, never run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kzappeals import cli
from kzappeals import verification_report as vr
from kzappeals.html_report import PAGE, load_certificates, render_report
from kzappeals.signatory_matrix import ABOUT, cell_case
from kzappeals.spec.evaluate import spec_decision
from kzappeals.spec.ruleset import SPEC_DIR, default_ruleset
from kzappeals.spec.verify import verify
from kzappeals.spec.vocabulary import Body, Outcome

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>'


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's package)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


def browse(url: str, *extra: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [
                _chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                *extra,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )


class _Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One verify run, the page rendered with a hostile certificate, dumped by the browser."""
    out = tmp_path_factory.mktemp("report")
    certs = out / "certs"
    done = subprocess.run(
        ["kzappeals", "certify", "--profile", "literal", "--max-examples", "5", "--report-dir", str(certs / "ref")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads((certs / "ref/certificate.json").read_text(encoding="utf-8"))
    data["implementation"]["name"] = HOSTILE[:100]
    data["verdict"] = "not certified"
    (certs / "hostile").mkdir()
    (certs / "hostile/certificate.json").write_text(json.dumps(data), encoding="utf-8")
    report = verify()
    rs = default_ruleset()
    baseline = vr.load_baseline(SPEC_DIR / cli.DEFAULT_BASELINE)
    files = render_report(report, baseline, rs, load_certificates(certs))
    for name, text in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text(text, encoding="utf-8")
    page = out / PAGE
    dumped = browse(page.as_uri(), "--dump-dom")
    assert dumped.returncode == 0 and "</html>" in dumped.stdout, dumped.stderr[-2000:]
    dom = _Dom()
    dom.feed(dumped.stdout)
    return {"report": report, "rs": rs, "baseline": baseline, "files": files, "page": page, "dom": dom, "html": dumped.stdout}


def test_committed_report_is_fresh(rendered):
    plain = render_report(rendered["report"], rendered["baseline"], rendered["rs"])[PAGE]
    assert (ROOT / "reports" / PAGE).read_text(encoding="utf-8") == plain, "run `kzappeals generate`"


def test_matrix_cells_are_there_and_say_what_the_spec_says(rendered):
    cells = {a["id"]: a for tag, a in rendered["dom"].elements if tag == "td" and a.get("id", "").startswith("m-")}
    for p in rendered["report"].profiles:
        for body in Body:
            for about in ABOUT:
                for outcome in Outcome:
                    cell = cells[f"m-{p.name}-{body.value}-{about.value}-{outcome.value}"]
                    expected = spec_decision(cell_case(body, about, outcome), p.name, rendered["rs"]).signatory.status
                    assert cell["class"].split()[0] == expected, (p.name, body, about, outcome)
    assert {a["class"].split()[0] for a in cells.values()} >= {"decided", "ambiguous", "undetermined"}


def test_every_link_in_the_page_reaches_its_anchor(rendered):
    ids = {a["id"] for _, a in rendered["dom"].elements if "id" in a}
    hrefs = [a["href"] for tag, a in rendered["dom"].elements if tag == "a" and "href" in a]
    assert len(hrefs) > 1000
    missing = sorted({h for h in hrefs if h.startswith("#") and h[1:] not in ids})
    assert not missing, missing[:10]
    f = next(f for f in rendered["report"].findings if f.kind == "conflict" and f.profile == "literal")
    assert f"f-{f.id}" in ids
    for c in f.clauses:  # the finding links to each of its clauses, and the clause anchor is in the page
        assert f"clause-{c}" in ids and f"#clause-{c}" in hrefs


def test_the_page_loads_nothing_and_runs_nothing_from_elsewhere(rendered):
    dom = rendered["dom"]
    assert not [a for tag, a in dom.elements if tag in ("script", "img", "iframe", "link", "object", "embed")]
    for _, a in dom.elements:
        for attr in ("src", "href"):
            assert not a.get(attr, "").startswith(("http:", "https:", "//")), a
        assert not any(k.startswith("on") for k in a), a
    assert HOSTILE[:60] in "".join(dom.text)  # the certificate's words are shown, as text
    assert "<title>pwned" not in rendered["html"]


def test_badges_are_svg_per_certificate(rendered):
    badges = {n: t for n, t in rendered["files"].items() if n.startswith("badges/")}
    assert sorted(badges) == ["badges/hostile/certificate.svg", "badges/ref/certificate.svg"]
    import xml.etree.ElementTree as ET

    for name, text in badges.items():
        root = ET.fromstring(text)
        assert root.tag.endswith("svg")
        assert ("not certified" if "hostile" in name else "certified") in "".join(root.itertext())


def test_screenshot_renders(rendered, tmp_path):
    shot = tmp_path / "report.png"
    done = browse(rendered["page"].as_uri(), f"--screenshot={shot}", "--window-size=1400,1800")
    assert done.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000


@pytest.mark.parametrize(
    "name, text, reason",
    [
        ("x.certificate.json", '{"verdict": "certified"}', "not a certificate"),
        ("vendor.json", '{"certificate_format": 1}', "not a certificate"),
        ("certificate.json", "not json", "not a certificate"),
        ("verification.json", '{"tool": "kzappeals"}', "no certificate JSON found"),
    ],
)
def test_report_command_bad_input_is_one_line(tmp_path, capsys, name, text, reason):
    bad = tmp_path / "certs"
    bad.mkdir()
    (bad / name).write_text(text)
    assert cli.main(["report", "--out", str(tmp_path / "out"), "--certificates", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and reason in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_routing_diagram_draws_every_rule_and_marks_the_conflicting_ones(rendered):
    import xml.etree.ElementTree as ET

    from kzappeals.routing_diagram import POINTS, routing_svg

    svg, _ = routing_svg(rendered["report"], rendered["rs"])
    ns = "{http://www.w3.org/2000/svg}"
    nodes = {}
    for a in ET.fromstring(svg).iter(f"{ns}a"):
        rect, label = a.find(f"{ns}rect"), a.find(f"{ns}text")
        nodes[label.text] = "bad" in rect.get("class").split()
    drawn = [r for r in rendered["rs"].rules if r.point in POINTS and set(r.then) & {"procedure", "intake", "handler", "disposition"}]
    assert sorted(nodes) == sorted(r.id for r in drawn)
    in_conflict = {r for f in rendered["report"].findings if f.kind == "conflict" for r in f.rules}
    assert {i for i, bad in nodes.items() if bad} == in_conflict & set(nodes)
    assert "≤ 3 working days" in svg
