"""Reference implementation: a second, independent encoding of the amended Instruction.

Plain Python written from the legal text (spec/law/order-165-2015.ru.txt), one
function per provision, named after it (``point_54_5_paragraph_6_other_appeals``
is абзац 6 of subpoint 5) of point 54), its docstring quoting the clause id and
the Russian words it rests on, in modules named after what they hold:

- ``procedure``: points 1 (with 2.1), 4, 5, 6, 15;
- ``intake``: point 18, part 2;
- ``routing``: points 19 (part 1), 20 (its list, not in the sources), 23, 26-1;
- ``signature``: points 53-1 and 54;
- ``profiles``: which provision gives way to which under each interpretation;
- ``decision``: entry into force, assembly, the forwarding deadline.

It shares only the vocabulary, the calendar and the clause registry with the
specification (the rule files and their evaluator are never read), so that
tests/test_agreement.py can show where the two encodings part; the places
where this one reads the text differently are listed there (``KNOWN``).

Usage::

    from kzappeals.reference_impl import decide
    decision = decide(case, "lex-specialis")   # a kzappeals.spec.vocabulary.Decision
"""

from kzappeals.reference_impl.decision import NEXT_DAY, decide

__all__ = ["NEXT_DAY", "decide"]
