"""The layout holds: imports go one way through the layers, and no module imports itself in a circle.

The layers are declared once, as import-linter contracts in pyproject.toml ([tool.importlinter]):
data, then analyses, charts and report (the `analysis` package, which chapters import), then
the generator (`clusterbench`): engine, pre-render, build, editions, command line.
"""

from __future__ import annotations

from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def test_imports_follow_the_layer_contracts(monkeypatch, capsys):
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)  # the contracts are read from pyproject.toml here
    status = lint_imports(no_cache=True)
    out = capsys.readouterr().out
    assert status == 0, out[-4000:]
    assert "2 kept, 0 broken" in out


def test_no_module_is_part_of_an_import_cycle():
    graph = grimp.build_graph("analysis", "clusterbench", cache_dir=None)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain and not _is_package_of(module, imported):
                cycles.append(" -> ".join((module, *chain)))
    assert cycles == [], "\n".join(sorted(set(cycles)))


def _is_package_of(a: str, b: str) -> bool:
    """A package and its own modules (an __init__ importing its submodule) are one unit, not a cycle."""
    return a.startswith(b + ".") or b.startswith(a + ".")


def test_no_function_in_the_packages_is_longer_than_60_lines():
    import ast

    long = []
    for path in sorted([*ROOT.glob("analysis/**/*.py"), *ROOT.glob("clusterbench/**/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > 60:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({lines} lines)")
    assert long == []
