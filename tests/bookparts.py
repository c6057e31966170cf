"""Chapters for the writer tests, made the way the engine makes them: read by pandoc and numbered."""

from __future__ import annotations

import json

from clusterbench.engine import crossref


def ast(markdown: str, target: str, number: int | None = None) -> dict[str, str]:
    """`Chapter.ast` for one target: the Markdown read, numbered and resolved by `crossref` as in a
    book with no other chapters (links stay as written)."""
    tree = crossref.read(markdown, target)
    crossref.number(tree, number)
    crossref.resolve(tree, {}, lambda file, fragment: None)
    return {target: json.dumps(tree, ensure_ascii=False)}


def typst(markdown: str) -> str:
    """The Typst the PDF writer makes of one unnumbered chapter's Markdown."""
    from clusterbench.engine.typst import to_typst

    return to_typst(ast(markdown, "typst")["typst"])
