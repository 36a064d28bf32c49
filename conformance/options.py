"""The options of a certification run: what a user sets, with its default, in one place.

The CLI (``kzappeals certify``) and the pytest plugin (``--kzappeals-*``) both
offer :meth:`Options.tunable`, so a default is written once. Kept light (no
Hypothesis, no models at import) because the CLI builds its parser from it
for every command.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kzappeals.conformance.progress import QUIET, Progress
from kzappeals.spec.errors import InputError

if TYPE_CHECKING:
    from kzappeals.conformance.runner import ExplorationScript, ProfileVector

_TUNABLE = (
    ("seed", "N", "Hypothesis seed: the same seed gives the same certificate"),
    ("max_examples", "N", "distinct generated cases per profile"),
    ("batch_size", "N", "cases per round trip at most"),
    ("case_timeout", "S", "seconds of the implementation's time allowed per case of a batch"),
    ("start_timeout", "S", "seconds allowed for the handshake"),
    ("total_timeout", "S", "seconds of the implementation's own response time for the whole run (the harness's time is not counted)"),
)


@dataclass
class Options:
    profiles: tuple[str, ...] | None = None  # None: every profile the implementation claims
    levels: tuple[str, ...] | None = None  # None: every level it claims
    seed: int = 0
    max_examples: int = 1000  # distinct generated cases per profile
    batch_size: int = 100
    case_timeout: float = 2.0  # a batch may take this long per case
    start_timeout: float = 10.0
    total_timeout: float = 600.0
    max_failures: int = 20  # distinct generated failures per profile before exploration stops
    metamorphic_cases: int = 40  # answered cases whose irrelevant variants are asked too (0: none)
    vectors: list[ProfileVector] | None = None  # None: the committed vectors (runner.available_vectors)
    # The self-check's: keep each profile's exploration as it is asked, or replay a kept one (runner.ExplorationScript).
    record_exploration: ExplorationScript | None = field(default=None, repr=False)
    replay_exploration: ExplorationScript | None = field(default=None, repr=False)
    progress: Progress = field(
        default=QUIET, repr=False
    )  # where progress goes (kzappeals.conformance.progress); not part of the certificate

    @staticmethod
    def tunable() -> list[tuple[str, str, str, int | float]]:
        """(name, metavar, help, default) of every option a user sets: the CLI and the pytest plugin offer these."""
        defaults = Options()
        return [(name, metavar, text, getattr(defaults, name)) for name, metavar, text in _TUNABLE]

    def check(self) -> None:
        from kzappeals.conformance.expectations import LEVELS
        from kzappeals.spec.ruleset import default_ruleset

        profiles = default_ruleset().profiles
        for p in self.profiles or ():
            if p not in profiles:
                raise InputError("--profile", f"'{p}' is not a profile (one of: {', '.join(profiles)})")
        for level in self.levels or ():
            if level not in LEVELS:
                raise InputError("--level", f"'{level}' is not a level (one of: {', '.join(LEVELS)})")
        for name, count, low in (("--seed", self.seed, 0), ("--max-examples", self.max_examples, 0), ("--batch-size", self.batch_size, 1)):
            if count < low:
                raise InputError(name, f"must be at least {low}, got {count}")
        for name, seconds in (
            ("--case-timeout", self.case_timeout),
            ("--start-timeout", self.start_timeout),
            ("--total-timeout", self.total_timeout),
        ):
            if not seconds > 0:
                raise InputError(name, f"must be a positive number of seconds, got {seconds}")
