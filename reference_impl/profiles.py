"""The interpretation profiles: which provision gives way when two apply to one question.

A stronger provision removes a weaker one only for the question(s) both
answer, and only when it itself applies to the case (whether or not it is in
turn removed by a third). The profiles are those of spec/profiles.toml:

- ``literal``: nothing gives way; every provision applies as written.
- ``residual-yields``: a residual абзац ("иные обращения") gives way to any
  non-residual provision answering the same question.
- ``subpoint-order``: of two provisions in different subpoints of one point
  (p23, p54), the earlier subpoint wins.
- ``lex-specialis``: residual-yields, plus the specific-over-general
  exceptions below, plus the gate: the Instruction's own rules on intake,
  handler, disposition and signature apply only to appeals whose procedure is
  the Instruction's (points 4-6 and 15 take the others out), except p23.pp3
  and p53-1, which apply regardless.
"""

from __future__ import annotations

from dataclasses import dataclass

from kzappeals.reference_impl.given import Given
from kzappeals.reference_impl.signature import RESIDUAL
from kzappeals.spec.errors import InputError


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    residual_yields: bool = False
    subpoint_order: bool = False
    exceptions: bool = False
    gate: bool = False
    # Where the text itself is open, the readings chosen: p23.ch2 extending p23.pp2.ch2 to regional offices
    # either word for word (a repeated appeal a district prosecutor answered goes back down) or leaving such
    # an appeal to the regional prosecutor, whom p54.pp5.a4 has answer it; p23.ch5 extending p23.ch3 either
    # word for word (sent up to the Office's structural subdivisions) or to the body's own subdivisions; p6's
    # "документами, поступившими из Администрации Президента" either every appeal the Administration sends or
    # only its own documents.
    readings: frozenset[str] = frozenset({"ch2-repeated-word-for-word", "ch5-gpo-subdivisions", "p6-covers-forwarded-appeals"})


PROFILES: dict[str, Profile] = {
    "literal": Profile("literal"),
    "residual-yields": Profile("residual-yields", residual_yields=True),
    "subpoint-order": Profile("subpoint-order", subpoint_order=True),
    "lex-specialis": Profile(
        "lex-specialis",
        residual_yields=True,
        exceptions=True,
        gate=True,
        readings=frozenset({"ch2-answered-below-stays", "ch5-own-subdivisions", "p6-own-documents"}),
    ),
}


def profile_named(name: str) -> Profile:
    """The profile called ``name``.

    Raises:
        InputError: no such profile.
    """
    try:
        return PROFILES[name]
    except (KeyError, TypeError):
        raise InputError("profile", f"'{name}' is not a profile (one of: {', '.join(PROFILES)})") from None


# --- lex-specialis: the specific provision prevails over the general one it names ---------------

_P23_SUBPOINT_RULES = ("p23.pp1.ch1", "p23.pp1.ch2", "p23.pp2.ch1", "p23.pp2.ch2", "p23.pp2.ch3", "p23.pp3.ch2", "p23.pp3.ch3", "p23.pp4")
_P54_RULES = (
    "p54.pp1",
    "p54.pp2",
    "p54.pp3.a2",
    "p54.pp3.a3",
    "p54.pp3.a4",
    "p54.pp5.a2",
    "p54.pp5.a3",
    "p54.pp5.a4",
    "p54.pp5.a5",
    "p54.pp5.a6",
    "p54.pp6.a2",
    "p54.pp6.a3",
    "p54.pp6.a4",
    "p54.pp7.a2",
    "p54.pp7.a3",
    "p54.pp7.a4",
    "p54.pp7.a5",
    "p54.pp8.a2",
)

LEX_SPECIALIS: frozenset[tuple[str, str]] = frozenset(
    # p15 (both sentences) over p4 and p5: an anonymous appeal is not considered, or forwarded at
    # once, whatever its subject.
    {("p15", "p4"), ("p15", "p5")}
    # Every subpoint of p23 names what the Department considers itself, which p19 would pass on.
    | {(rule, "p19.ch1") for rule in _P23_SUBPOINT_RULES}
    # p23.pp3 (parts 2 and 3): a cassation petition is returned, not forwarded.
    | {
        (returned, forwarded)
        for returned in ("p23.pp3.ch2", "p23.pp3.ch3")
        for forwarded in ("p23.pp1.ch1", "p23.pp1.ch2", "p23.pp2.ch1", "p23.pp2.ch2")
    }
    # p23.ch3 and ch4: a resonant primary appeal goes to a structural subdivision, never down.
    | {(resonant, forwarded) for resonant in ("p23.ch3", "p23.ch4") for forwarded in ("p23.pp1.ch1", "p23.pp1.ch2")}
    # The same where p23.ch2 extends the forwarding: at a GPO subdivision (p23.ch3/ch4, which this
    # implementation reads as covering every unit of the Office) and at the bodies of p23.ch5.
    | {("p23.ch3", "p23.ch2/pp1"), ("p23.ch4", "p23.ch2/pp1"), ("p23.ch5/up", "p23.ch2/pp1"), ("p23.ch5/own", "p23.ch2/pp1")}
    # p53-1: complaints about pre-trial investigators and the prosecutor are signed under the УПК.
    | {("p53-1", rule) for rule in _P54_RULES}
)
"""(stronger, weaker) pairs of rule keys under lex-specialis (spec/profiles.toml, `because`)."""


def prevails(profile: Profile, stronger: Given, weaker: Given) -> bool:
    """Whether ``stronger`` removes ``weaker`` (both apply, to the same question) under ``profile``."""
    if profile.residual_yields and weaker.rule in RESIDUAL and stronger.rule not in RESIDUAL:
        return True
    if profile.subpoint_order and stronger.subpoint and weaker.subpoint:
        (point_s, n_s), (point_w, n_w) = stronger.subpoint, weaker.subpoint
        if point_s == point_w and n_s < n_w:
            return True
    return profile.exceptions and (stronger.rule, weaker.rule) in LEX_SPECIALIS


def deciding(profile: Profile, applying: list[Given]) -> list[Given]:
    """The provisions that decide one question: those no other applying provision prevails over."""
    if len(applying) < 2 or not (profile.residual_yields or profile.subpoint_order or profile.exceptions):
        return applying
    return [
        weaker for weaker in applying if not any(stronger is not weaker and prevails(profile, stronger, weaker) for stronger in applying)
    ]
