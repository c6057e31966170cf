"""Chapters read as prose: one hidden setup cell, then text with inline values and one-line cells.

The logic lives in tested findings modules (analysis/report/findings/), so a chapter holds no
function definitions, no star imports and at most 40 lines of code in all its cells together
(every line inside a ```{python} fence counts, cell options included).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from analysis.paths import ROOT

MAX_CODE_LINES = 40
_FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\S*)")


def _listed(entries) -> list[str]:
    """Chapter files of a `book.chapters` list, parts included."""
    found = []
    for entry in entries or []:
        if isinstance(entry, str):
            found.append(entry)
        elif isinstance(entry, dict):
            found += ([entry["file"]] if "file" in entry else []) + _listed(entry.get("chapters"))
    return found


def book_chapters(root: Path = ROOT) -> list[str]:
    """index.qmd and every chapter the project or a profile lists, once each, in order."""
    files = ["index.qmd"]
    for config in sorted(root.glob("_quarto*.yml")):
        book = (yaml.safe_load(config.read_text(encoding="utf-8")) or {}).get("book") or {}
        files += _listed(book.get("chapters")) + _listed(book.get("appendices"))
    return list(dict.fromkeys(f for f in files if f.endswith(".qmd")))


def python_cells(text: str) -> list[list[str]]:
    """The lines inside each ```{python} fence; other fences (plain code, raw blocks) are not cells."""
    cells, current, closing = [], None, None
    for line in text.splitlines():
        fence = _FENCE.match(line)
        if current is None:
            if fence and fence.group(2).startswith("{python"):
                current, closing = [], fence.group(1)
            elif fence:
                current, closing = False, fence.group(1)  # skip another fenced block whole
        elif fence and line.strip() == closing[0] * len(line.strip()) and len(line.strip()) >= len(closing):
            if current is not False:
                cells.append(current)
            current = None
        elif current is not False:
            current.append(line)
    return cells


def options(cell: list[str]) -> dict:
    return yaml.safe_load("\n".join(line[3:] for line in cell if line.startswith("#|"))) or {}


CHAPTERS = book_chapters()


@pytest.fixture(params=CHAPTERS)
def chapter(request) -> tuple[str, list[list[str]]]:
    return request.param, python_cells((ROOT / request.param).read_text(encoding="utf-8"))


def test_every_chapter_of_both_books_is_checked():
    assert "index.qmd" in CHAPTERS and "chapters/09-best-practices.qmd" in CHAPTERS and len(CHAPTERS) > 5
    assert all((ROOT / c).exists() for c in CHAPTERS)


def test_a_chapter_defines_no_functions(chapter):
    name, cells = chapter
    defs = [node.name for cell in cells for node in ast.walk(ast.parse("\n".join(cell)))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
    assert defs == [], f"{name} defines {defs}; move them to a findings module"


def test_a_chapter_imports_no_star(chapter):
    name, cells = chapter
    stars = [node.module for cell in cells for node in ast.walk(ast.parse("\n".join(cell)))
             if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names)]
    assert stars == [], f"{name} imports * from {stars}"


def test_a_chapter_opens_with_its_only_hidden_setup_cell(chapter):
    name, cells = chapter
    hidden = [k for k, cell in enumerate(cells) if options(cell).get("include") is False]
    assert hidden == [0], f"{name}: the hidden (include: false) cells are cells {hidden} of {len(cells)}; want only the first"


def test_a_chapter_holds_at_most_40_lines_of_code(chapter):
    # Cell options (`#|` lines: label, caption, alt text) are Quarto's metadata, not code.
    name, cells = chapter
    lines = sum(1 for cell in cells for line in cell if line.strip() and not line.startswith("#|"))
    assert lines <= MAX_CODE_LINES, f"{name} has {lines} lines of code in its cells (at most {MAX_CODE_LINES})"


def test_code_lines_are_counted_inside_python_fences_only():
    text = ("# T\n\n```{python}\n#| include: false\nx = 1\n```\n\nProse `{python} x`.\n\n"
            "```\nnot a cell\n```\n\n````{python}\n#| label: tbl-x\n```not a fence end\nctx.table(x)\n````\n")
    cells = python_cells(text)
    assert cells == [["#| include: false", "x = 1"], ["#| label: tbl-x", "```not a fence end", "ctx.table(x)"]]
    assert [options(c) for c in cells] == [{"include": False}, {"label": "tbl-x"}]
