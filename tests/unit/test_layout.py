"""The package's shape: no import cycle, journal modules that stand alone, SQL only in the journal."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import rekindle_widgets as rk

PACKAGE = Path(__file__).resolve().parents[2] / "rekindle_widgets"
JOURNAL_MODULES = ["records", "tables", "part", "schema", "checks", "codec", "frames", "copies", "watch", "trackers",
                   "store"]


def _modules(package: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name -> (file, is a package) for every module under ``package``."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def _imports(name: str, path: Path, is_package: bool, modules: dict[str, tuple[Path, bool]]) -> set[str]:
    """The package's modules that ``name`` imports, at the top or in a function (not for type checking)."""
    root = name.split(".")[0]
    targets: set[str] = set()

    def add(target: str) -> None:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target and target != name:
            targets.add(target)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == root:
                    add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                here = name.split(".") if is_package else name.split(".")[:-1]
                base = ".".join(here[:len(here) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            if base.split(".")[0] == root:
                for alias in node.names:
                    add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return targets


def import_cycles(package: Path) -> list[list[str]]:
    """Every set of modules that import each other, directly or round a loop.

    An import inside a function counts: putting it there only hides a cycle. A package's
    ``__init__`` importing its own submodules (and they it) does not.
    """
    modules = _modules(package)

    def related(a: str, b: str) -> bool:
        return a.startswith(b + ".") or b.startswith(a + ".")

    graph = {name: {t for t in _imports(name, path, is_package, modules) if not related(name, t)}
             for name, (path, is_package) in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return cycles


def test_no_module_of_the_package_is_part_of_an_import_cycle():
    assert import_cycles(PACKAGE) == []


def test_the_cycle_check_finds_a_cycle_hidden_in_a_function(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from . import a\n")  # a package and its own modules: no cycle
    (package / "a.py").write_text("from . import c\nfrom .sub.b import thing\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "b.py").write_text("def thing():\n    from .. import a\n    return a\n")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:  # not a cycle\n"
                                  "    from .a import thing\n")
    assert import_cycles(package) == [["pkg.a", "pkg.sub.b"]]


@pytest.mark.parametrize("module", ["rekindle_widgets.journal"] + [f"rekindle_widgets.journal.{m}"
                                                                    for m in JOURNAL_MODULES])
def test_each_part_of_the_journal_imports_on_its_own(module):
    code = (f"import sys, importlib; importlib.import_module({module!r}); "
            "print(sorted(m for m in ('numpy', 'pandas', 'matplotlib') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    if not module.endswith(".frames"):  # opening and writing a journal stays light; frames builds DataFrames
        assert done.stdout.strip() == "[]", f"{module} imports {done.stdout.strip()}"


def test_only_the_journal_package_speaks_sql():
    """No module outside ``journal/`` imports sqlite3 or reaches for a journal's connection."""
    offenders = []
    for name, (path, _) in _modules(PACKAGE).items():
        if name == "rekindle_widgets.journal" or name.startswith("rekindle_widgets.journal."):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Import) and any(a.name == "sqlite3" for a in node.names)) \
                    or (isinstance(node, ast.ImportFrom) and node.module == "sqlite3"):
                offenders.append(f"{name}:{node.lineno} imports sqlite3")
            elif isinstance(node, ast.Attribute) and node.attr in {"conn", "_conn", "_db"}:
                offenders.append(f"{name}:{node.lineno} uses .{node.attr}")
    assert offenders == []


#: The layers of the diagram in docs/architecture.md, lowest first. A module may import from its own layer
#: and the ones below it, never from one above. The root's helpers (errors, paths, bidi, fonts) are below
#: everything; ``app`` (which puts the pages together) is with the views.
LAYERS = {
    "rekindle_widgets.errors": 0, "rekindle_widgets.paths": 0, "rekindle_widgets.bidi": 0,
    "rekindle_widgets.fonts": 0,
    "rekindle_widgets.content": 1,
    "rekindle_widgets.journal": 2,
    "rekindle_widgets.model": 3,
    "rekindle_widgets.charts": 4,
    "rekindle_widgets.report": 5, "rekindle_widgets.io": 5,
    "rekindle_widgets.widgets": 6, "rekindle_widgets.cli": 6, "rekindle_widgets.server": 6,
    "rekindle_widgets.app": 6,
    "rekindle_widgets": 7,  # the package's lazy attributes (rk.Journal, rk.charts) reach every layer
}


def layer_of(module: str) -> int:
    name = module
    while name not in LAYERS:
        name = name.rpartition(".")[0]
    return LAYERS[name]


def imports_up(package: Path) -> list[str]:
    """Every import (at the top or in a function) from a layer above the importing module's own."""
    modules = _modules(package)
    found = []
    for name, (path, is_package) in modules.items():
        for target in _imports(name, path, is_package, modules):
            if target == "rekindle_widgets":
                continue  # the root package's __version__
            if layer_of(target) > layer_of(name):
                found.append(f"{name} -> {target}")
    return sorted(found)


def test_every_module_of_the_package_has_a_layer():
    top = {p.stem if p.suffix == ".py" else p.name for p in PACKAGE.iterdir()
           if (p.suffix == ".py" or (p / "__init__.py").exists()) and p.name != "__init__.py"}
    assert {f"rekindle_widgets.{name}" for name in top} == set(LAYERS) - {"rekindle_widgets"}
    assert set(rk.MODULES) == top  # and the package's lazy attributes name every one of them


def test_no_module_imports_from_a_layer_above_its_own():
    assert imports_up(PACKAGE) == []


def test_content_reads_nothing_from_the_journal():
    assert [up for up in imports_up(PACKAGE) if up.startswith("rekindle_widgets.content")] == []
    modules = _modules(PACKAGE)
    assert [f"{n} -> {t}" for n, (p, pkg) in modules.items() if n.startswith("rekindle_widgets.content")
            for t in _imports(n, p, pkg, modules) if t.startswith("rekindle_widgets.journal")] == []


def test_the_layer_check_finds_an_import_up_hidden_in_a_function(tmp_path):
    package = tmp_path / "rekindle_widgets"
    (package / "journal").mkdir(parents=True)
    (package / "widgets").mkdir()
    (package / "__init__.py").write_text("")
    (package / "journal" / "__init__.py").write_text("def f():\n    from ..widgets import page\n")
    (package / "widgets" / "__init__.py").write_text("")
    (package / "widgets" / "page.py").write_text("from ..journal import f\n")
    assert imports_up(package) == ["rekindle_widgets.journal -> rekindle_widgets.widgets.page"]
