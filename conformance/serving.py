"""A Python function behind the protocol: the in-process side of every adapter.

A vendor's Python implementation is one function ``(case_dict, profile) ->
answer_dict`` (a VendorAnswer-shaped dict, JSON types). It may raise
``NotImplementedError(reason)`` to skip a case, and any other exception to
reject it as invalid (the message, and the field when the exception names
one, become the ``errored`` result). Its module may describe itself for the
handshake with three optional attributes::

    KZAPPEALS_IMPLEMENTATION = {"name": "...", "version": "...", "language": "python", "homepage": "..."}
    KZAPPEALS_PROFILES = ["literal"]          # default: every profile
    KZAPPEALS_LEVELS = ["routing", "signature"]  # default: every level

The python adapter calls it in process; ``serve_cmd`` and ``serve_http``
put the same object behind a pipe or a socket.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from collections.abc import Callable
from types import ModuleType

from pydantic import ValidationError

from kzappeals.conformance.expectations import LEVELS
from kzappeals.conformance.protocol import PROTOCOL_VERSION
from kzappeals.spec.errors import InputError
from kzappeals.spec.ruleset import default_ruleset

DEFAULT_FUNCTION = "kzappeals.conformance.oracle:answer"
_FIELD_IN_MESSAGE = re.compile(r"field '(\w+)'")


class FunctionImplementation:
    """Answers protocol requests (dicts) by calling a Python function once per case."""

    def __init__(self, fn: Callable[[dict, str], dict], handshake: dict):
        self.fn = fn
        self.handshake = handshake

    @classmethod
    def load(cls, target: str, where: str = "--impl") -> FunctionImplementation:
        """``package.module:function`` -> the implementation; an unusable target is an InputError."""
        module_name, _, fn_name = target.partition(":")
        if not module_name or not fn_name:
            raise InputError(where, f"'python:{target}' is not python:package.module:function")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Only the target itself missing is bad input; a module that fails
            # inside its own imports is an implementation that cannot start,
            # and that propagates to the adapter, which reports it as a fault.
            if exc.name and module_name.startswith(exc.name):
                raise InputError(where, f"no module named '{module_name}'") from None
            raise
        fn = getattr(module, fn_name, None)
        if not callable(fn):
            raise InputError(where, f"module '{module_name}' has no function '{fn_name}'")
        return cls(fn, module_handshake(module))

    def handle(self, request: dict) -> dict | None:
        """One request -> its reply (None for stop)."""
        cmd = request.get("cmd")
        if cmd == "start":
            return self.handshake
        if cmd == "decide":
            return self.decide(request)
        if cmd == "stop":
            return None
        raise InputError("request.cmd", f"unknown command {cmd!r}")

    def decide(self, request: dict) -> dict:
        profile = request["profile"]
        results = []
        for item in request["cases"]:
            seq = item["seq"]
            try:
                results.append({"seq": seq, "answer": self.fn(item["case"], profile)})
            except NotImplementedError as exc:
                results.append({"seq": seq, "skipped": {"reason": str(exc) or "not implemented"}})
            except Exception as exc:
                results.append({"seq": seq, "errored": error_report(exc)})
        return {"batch": request["batch"], "results": results}


def module_handshake(module: ModuleType) -> dict:
    info = dict(getattr(module, "KZAPPEALS_IMPLEMENTATION", None) or {})
    info.setdefault("name", module.__name__)
    info.setdefault("version", str(getattr(module, "__version__", "0")))
    info.setdefault("language", "python")
    return {
        "protocol": PROTOCOL_VERSION,
        "implementation": info,
        "profiles": list(getattr(module, "KZAPPEALS_PROFILES", default_ruleset().profiles)),
        "levels": list(getattr(module, "KZAPPEALS_LEVELS", LEVELS)),
    }


def error_report(exc: Exception) -> dict:
    """``errored`` for an exception: its message, and the field it names when it names one."""
    field = None
    if isinstance(exc, ValidationError) and exc.errors():
        err = exc.errors()[0]
        message = err["msg"]
        field = ".".join(str(p) for p in err["loc"]) or None
    elif isinstance(exc, InputError):
        message, field = exc.reason, exc.where
    else:
        message = f"{type(exc).__name__}: {exc}"
    if field is None and (m := _FIELD_IN_MESSAGE.search(message)):
        field = m.group(1)
    return {"message": message, "field": field} if field else {"message": message}


def to_json(obj: object) -> object:
    """``json.dumps(default=...)`` hook: Python functions may return dates; the wire carries ISO strings."""
    if isinstance(obj, dt.date):
        return obj.isoformat()
    raise TypeError(f"{type(obj).__name__} is not JSON")
