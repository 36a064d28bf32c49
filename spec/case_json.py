"""A case given as Python data (a dict of JSON values), read as the model reads a vendor's JSON.

Why through JSON text and not ``Case.model_validate(data)``: the vocabulary's models are strict,
and pydantic's strict mode is strict about *Python* types: in Python mode it wants enum members
and ``datetime.date`` objects, so the plain strings a case is made of on the wire
(``"complaint"``, ``"2016-06-01"``) would be refused. In JSON mode the same strict model accepts
exactly what JSON can carry: enum values as strings, dates as ISO ``YYYY-MM-DD`` strings, and
nothing looser (no ``"true"`` for true, no epoch seconds for a date). Serialising the dict and
validating the text makes a case built in code meet the same rules as one read from a file, a
pipe or a vendor's reply, coherence constraints included.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping

from pydantic import BaseModel

from kzappeals.spec.vocabulary import Case


def _iso(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"a case holds JSON values and dates only, not {type(value).__name__}")


def parse_case(data: Mapping[str, object], model: type[BaseModel] = Case) -> Case:
    """The :class:`Case` of ``data`` (or the ``model`` a draft's cases have:
    :func:`kzappeals.spec.case_models.case_model`), validated as JSON is (see the module docstring). A
    ``datetime.date`` may stand for its ISO string; enum members are strings already.

    Raises:
        pydantic.ValidationError: a field is missing, mistyped or unknown, or a coherence constraint is broken.
    """
    # a draft's model has the attributes of a Case, which is all a Case is read for
    return model.model_validate_json(json.dumps(data, default=_iso))  # type: ignore[return-value]
