"""What a certificate depends on, and nothing else: the same seed and options draw the same cases anywhere.

A certificate is only worth something if an auditor can recompute it, so the
cases a certification draws may depend on the seed, the options, the spec and
the versions of the generation stack (:func:`stack`), and on nothing else:
not on how kzappeals was installed, on the current directory, or on what the
process imported or ran before (the pytest plugin runs inside a vendor's own
test session).

Two things in Hypothesis break that, and :func:`isolated` closes both:

- Since 6.131, Hypothesis mixes into its draws constants it mines from every
  "local" module loaded in the process (any module outside site-packages and
  the standard library). Which modules those are depends on the install (an
  editable kzappeals is local, a wheel is not) and on what else was imported,
  so the same seed drew different cases from an editable install and a wheel,
  and after other tests ran in the same pytest session. Mining also writes a
  ``.hypothesis/constants`` cache into the current directory.
- Settings not given explicitly are inherited from the process's current
  Hypothesis profile, which a vendor's test session may set.

Hypothesis has no public switch for constant mining; :func:`isolated` replaces
its module-level collector for the duration of a certification run (every
supported release has it: it is there, in this form, from 6.131.9). A test (``tests/test_reproducible.py``)
fails if a Hypothesis release moves it.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, Phase, Verbosity, settings
from hypothesis.errors import HypothesisWarning
from hypothesis.internal.conjecture import providers as _providers

STACK_PACKAGES = ("kzappeals", "hypothesis", "holidays")
"""The distributions whose versions decide which cases a certification draws and what it expects:
kzappeals (vectors, strategies, the reference implementation), Hypothesis (the draws and the
shrinking) and holidays (the working-day calendar behind every deadline)."""

_lock = threading.RLock()  # re-entrant: a certification may run inside another's block (selfcheck)


def stack() -> dict[str, str]:
    """The installed version of each package in :data:`STACK_PACKAGES`."""
    return {name: importlib.metadata.version(name) for name in STACK_PACKAGES}


_CONFORMANCE = Path(__file__).parent


def suite_files() -> list[Path]:
    """The files that judging depends on beyond the spec (kzappeals.spec.ruleset.spec_files): the reference
    implementation the expectations come from, the conformance modules (strategies, runner, judge) and the
    test vectors. The same bytes in a checkout and in an installed wheel."""
    import kzappeals.reference_impl as reference_impl

    reference = Path(reference_impl.__file__).parent
    return [
        *sorted(reference.glob("*.py")),
        *sorted(_CONFORMANCE.glob("*.py")),
        *sorted((_CONFORMANCE / "vectors").glob("*.json")),
        _CONFORMANCE / "hand-written.json",
    ]


def suite_sha256() -> str:
    """SHA-256 over ``<package>/<name> NUL bytes NUL`` for each of :func:`suite_files`, in order."""
    h = hashlib.sha256()
    for path in suite_files():
        h.update(f"{path.parent.name}/{path.name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def exploration_settings(max_examples: int) -> settings:
    """Every setting given explicitly, so that no profile loaded by the surrounding process applies."""
    return settings(
        max_examples=max_examples,
        derandomize=False,
        database=None,
        deadline=None,
        backend="hypothesis",
        suppress_health_check=list(HealthCheck),
        phases=(Phase.generate, Phase.shrink),
        report_multiple_bugs=False,
        print_blob=False,
        verbosity=Verbosity.quiet,
    )


def _no_local_constants():
    return _providers.Constants()


@contextmanager
def isolated() -> Iterator[None]:
    """Within this block Hypothesis draws from the seed alone: no constants mined from loaded modules.

    The cache of constants already filtered per draw is cleared on entry (it may hold mined
    constants from earlier work in the process) and on exit (so ours do not leak out)."""
    with _lock, warnings.catch_warnings():
        # Hypothesis's advice is for test authors; in a certification it would only be noise on the vendor's stderr.
        warnings.simplefilter("ignore", HypothesisWarning)
        original = _providers._get_local_constants
        _providers._get_local_constants = _no_local_constants
        _providers.CONSTANTS_CACHE.cache.clear()
        try:
            yield
        finally:
            _providers._get_local_constants = original
            _providers.CONSTANTS_CACHE.cache.clear()
