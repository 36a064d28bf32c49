"""Phrases for case attribute values (``spec/labels.toml``), for witnesses a lawyer reads in seconds."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from kzappeals.spec.shapes import read_toml


@cache
def labels() -> dict:
    return read_toml(files("kzappeals.spec") / "labels.toml", "spec/labels.toml")[0]


def phrase(field: str, value, lang: str) -> str:
    """How ``field = value`` reads; an unknown provision is field 'unknown_provisions:<id>' with value True."""
    if field.startswith("unknown_provisions:"):
        text = labels()["unknown_provisions"][field.split(":", 1)[1]][lang]
        return text if value else ("не " if lang == "ru" else "not ") + text
    key = str(value).lower() if isinstance(value, bool) else value
    return labels()[field][key][lang]
