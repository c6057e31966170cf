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
from analysis import text
from analysis.data.register import load_register
from analysis.text import md_escape, say

#: Markdown ready for `ctx.md(...)`: the data's and the register's words are escaped.
MarkdownText = str

NO_RELEASE = "No edition has been released yet; this is a draft."
NO_RELEASE_RU = "Ни один выпуск ещё не вышел; это черновик."
#: What `analysis.report.editions.changelog_markdown` says while there is no changelog, and its Russian.
NO_CHANGES = "No edition has been released yet, so there are no changes to list."
NO_CHANGES_RU = "Ни один выпуск ещё не вышел, поэтому изменений пока нет."
#: The register table's headings in Russian, and the words of its PDF links.
COLUMNS_RU = {"Edition": "Выпуск", "Date": "Дата", "Summary": "Краткое описание", "PDFs": "PDF", "DOI": "DOI"}


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
        return say(NO_RELEASE, NO_RELEASE_RU)
    if text.language() == "ru":
        # the register's days in Russian ('1 декабря 2026 г.'), in the table's order (newest first)
        table["Date"] = [text.date(e.date) for e in reversed(load_register(root))]
        table["PDFs"] = table["PDFs"].str.replace("[Report](", "[Доклад](", regex=False).str.replace(
            "[Collection](", "[Сборник](", regex=False)
        table = table.rename(columns=COLUMNS_RU)
    table[say("Date", "Дата")] = table[say("Date", "Дата")].map(md_escape)
    return table.to_markdown(index=False, disable_numparse=True, colalign=["left"] * len(table.columns))


def findings(root: Path) -> Editions:
    changelog = E.changelog_markdown(root)
    return Editions(how_to_cite=citation.how_to_cite(citation.facts(P.load(root))),
                    released=released_markdown(root),
                    changelog=say(NO_CHANGES, NO_CHANGES_RU) if changelog == NO_CHANGES else changelog)
