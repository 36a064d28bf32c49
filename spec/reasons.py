"""Why each accepted finding is accepted: its reason class, a function of the finding alone.

The baseline (``spec/accepted-findings.json``) accepts today's findings of the 2015 text so that
``kzappeals verify`` reports only what a draft adds. A finding accepted there is not always a
defect of the law: some exist only where a user asserts a provision not in the sources, some are
gaps the base text (not in the sources) may fill, some follow from a profile's own reading, and the
point-54 "exactly one signatory" finding summarises others. Each is labelled as what it is.

Rewrite the reasons after ``kzappeals verify --write-baseline spec/accepted-findings.json``::

    python3 -m kzappeals.spec.reasons spec/accepted-findings.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from kzappeals.spec.findings import Finding

DEFECT = "defect of the 2015 text: the amended clauses, as this profile reads them, give this result"
UNKNOWN = "depends on an asserted unknown provision: the smallest case asserts {provisions}, whose text is not in the sources"
NOT_IN_SOURCES = "outside the amended text: no clause of order No. 165 answers; {provisions} (not in the sources) may"
READING = (
    "consequence of the profile's reading: under lex-specialis the rule reaches only appeals another procedure takes out of the Instruction"
)
SUMMARY = "summary of the conflict and gap findings it lists (point 54's 'exactly one signatory')"


def reason_for(f: Finding) -> str:
    """The reason class of one finding, from its kind, witness and message."""
    asserted = sorted(c.field.split(":", 1)[1] for c in f.changes if c.field.startswith("unknown_provisions:") and c.value)
    if f.kind == "principle" and f.related:
        return SUMMARY
    if asserted:
        return UNKNOWN.format(provisions=", ".join(asserted))
    if f.kind == "gap" and f.depends_on_unknown:
        return NOT_IN_SOURCES.format(provisions=", ".join(f.depends_on_unknown))
    if f.kind == "dead" and "another procedure" in f.message.en:
        return READING
    return DEFECT


def rewrite(path: Path) -> None:
    """Give every accepted finding of the baseline at ``path`` its reason class (verify's current findings)."""
    from kzappeals.spec.verify import verify

    by_id = {f.id: f for f in verify().findings}
    data = json.loads(path.read_text(encoding="utf-8"))
    for item in data["accepted"]:
        if item["id"] in by_id:
            item["reason"] = reason_for(by_id[item["id"]])
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    rewrite(Path(sys.argv[1]))
