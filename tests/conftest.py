"""Shared test options.

``--order=reversed`` runs the collected tests back to front. CI runs the suite both ways (.ci/run),
so a test that passes only because of what ran before it (a warmed cache, a loaded module, a
Hypothesis profile) fails there.
"""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--order",
        choices=("collected", "reversed"),
        default="collected",
        help="run the tests in collection order (default) or back to front",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("order") == "reversed":
        items.reverse()
