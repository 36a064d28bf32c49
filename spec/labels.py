"""Phrases for case attribute values (``spec/labels.toml``), for witnesses a lawyer reads in seconds."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from kzappeals.spec.shapes import read_toml


@cache
def labels() -> dict:
    return read_toml(files("kzappeals.spec") / "labels.toml", "spec/labels.toml")[0]


def phrase(field: str, value, lang: str, table: dict | None = None) -> str:
    """How ``field = value`` reads; an unknown provision is field 'unknown_provisions:<id>' with value True.
    ``table``: a spec folder's own labels (a draft's, :attr:`kzappeals.spec.ruleset.RuleSet.labels`);
    default the installed spec's."""
    table = table or labels()
    if field.startswith("unknown_provisions:"):
        text = table["unknown_provisions"][field.split(":", 1)[1]][lang]
        return text if value else ("не " if lang == "ru" else "not ") + text
    return table[field][label_key(value)][lang]


def label_key(value) -> str:
    """The key of a value in labels.toml: ``true``/``false`` for a yes/no fact, else the value."""
    return str(value).lower() if isinstance(value, bool) else value
