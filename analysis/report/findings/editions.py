"""What the editions chapter says: how to cite this edition, the released editions and the data changelog.

These come from the project (its register of editions, CHANGELOG.md and `_quarto.yml`), not from
the data, so `findings` takes the project folder. Every field is Markdown for `ctx.md(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis import project as P
from analysis.report import citation
from analysis.report import editions as E
from analysis.text import md_escape

#: Markdown ready for `ctx.md(...)`: the data's and the register's words are escaped.
MarkdownText = str

NO_RELEASE = "No edition has been released yet; this is a draft."


@dataclass(frozen=True)
class Editions:
    how_to_cite: MarkdownText
    #: The released editions, newest first, as a table of links; a sentence while there are none.
    released: MarkdownText
    changelog: MarkdownText


def released_markdown(root: Path) -> MarkdownText:
    """The register as a pipe table. Every column but the date is Markdown already (links; the summary
    and DOI escaped by `editions_table`), so the DOI shows as a link."""
    table = E.editions_table(root)
    if table.empty:
        return NO_RELEASE
    table["Date"] = table["Date"].map(md_escape)
    return table.to_markdown(index=False, disable_numparse=True, colalign=["left"] * len(table.columns))


def findings(root: Path) -> Editions:
    return Editions(how_to_cite=citation.how_to_cite(citation.facts(P.load(root))),
                    released=released_markdown(root), changelog=E.changelog_markdown(root))
