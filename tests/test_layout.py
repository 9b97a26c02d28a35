"""The loaders' layout shows the flow, without cycles: readers → spec → identity → families →
checks → build. ``loaders`` never imports the dashboard's libraries."""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import ROOT

LOADERS = ROOT / "loaders"
# Stage folders, in the order a document flows through them.
STAGES = ("readers", "spec", "identity", "families", "checks")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: frozenset[str] = frozenset()) -> set[str]:
    """Modules imported at run time (``if TYPE_CHECKING:`` blocks are for the type checker);
    ``from pkg import mod`` depends on ``pkg.mod`` where that is one of ``modules``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                subs = {f"{child.module}.{a.name}" for a in child.names} & modules
                found.update(subs or {child.module})
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in LOADERS.rglob("*.py")}
    names = frozenset(modules)
    return {name: {m for m in _imports(path, names) if m in modules and m != name} for name, path in modules.items()}


def test_no_import_cycles_in_loaders() -> None:
    graph = _graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt):], nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                walk(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node, [node])
    assert not cycles, cycles


def test_stages_are_folders_and_loaders_never_imports_the_dashboard() -> None:
    for stage in STAGES:
        assert (LOADERS / stage / "__init__.py").exists(), stage
    for path in LOADERS.rglob("*.py"):
        bad = {m for m in _imports(path) if m.split(".")[0] in ("streamlit", "plotly", "dashboard")}
        assert not bad, f"{path.relative_to(ROOT)} imports {bad}"
