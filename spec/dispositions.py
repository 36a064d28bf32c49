"""What the dispositions of point 23 mean beyond their names: which of them start a deadline.

Point 23 says an appeal "в срок не позднее трех рабочих дней направляется" (is forwarded within
three working days at the latest): to a lower prosecutor's office or another agency with written
notice to the applicant (p23.pp1.ch2, ``forward_3wd_notice``), or to the competent prosecutor's
office with a demand to report over its head's signature (p23.pp2.ch2, ``forward_3wd_report``).
The other dispositions (kept, considered in the Prosecutor General's Office, returned) start no
deadline in the sources. How the three working days are counted: :mod:`kzappeals.spec.calendar`.

One definition for the specification's evaluator, the conformance suite's expected answers and
the reports; the reference implementation states the same fact again by itself, on purpose (it is
written independently of the specification).
"""

from __future__ import annotations

from kzappeals.spec.vocabulary import Disposition

FORWARDING: tuple[Disposition, ...] = (Disposition.forward_3wd_notice, Disposition.forward_3wd_report)
"""The dispositions that start the three working days (p23.pp1.ch2, p23.pp2.ch2), in the vocabulary's order.
Members compare equal to their string values, so ``"forward_3wd_notice" in FORWARDING`` holds."""
