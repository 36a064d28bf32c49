"""No module imports one that imports it back, not even from inside a function (CONTRIBUTING.md, "How the
layers depend"). A cycle hidden by a function-local import works until somebody moves the import; then the
package fails to load in an order nobody tested. Imports for type checking only (``if TYPE_CHECKING:``) do
not run and are left out."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {
    "spec": "kzappeals.spec",
    "reference_impl": "kzappeals.reference_impl",
    "conformance": "kzappeals.conformance",
    "tools": "kzappeals",
}


def _modules() -> dict[str, Path]:
    return {
        (package if f.stem == "__init__" else f"{package}.{f.stem}"): f
        for folder, package in PACKAGES.items()
        for f in sorted((ROOT / folder).glob("*.py"))
    }


def _run_time_imports(tree: ast.AST) -> list[ast.stmt]:
    """Every import statement of the module that runs, at the top or in a function."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for n in ast.walk(node)}
    return [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom)) and id(n) not in skipped]


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps: set[str] = set()
        for node in _run_time_imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                submodules = {f"{node.module}.{a.name}" for a in node.names} & modules.keys()
                # `from package import submodule` needs the submodule, not what the package's __init__ imports
                deps |= submodules or ({node.module} & modules.keys())
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names} & modules.keys()
        graph[name] = deps - {name}
    return graph


def _cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """A path start -> ... -> start, if there is one."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in sorted(graph[node]):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def test_the_package_has_no_import_cycle():
    graph = _graph()
    assert len(graph) > 60 and graph["kzappeals.spec.vocabulary"] >= {"kzappeals.spec.attributes", "kzappeals.spec.coherence"}
    cycles = [c for c in (_cycle_through(graph, m) for m in sorted(graph)) if c]
    assert cycles == [], " ; ".join(" -> ".join(c) for c in cycles)
