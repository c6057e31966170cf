"""What the methodology chapter says: the sources, the quality of the observations, the data dictionary.

Counts are `int` or formatted `str`; fields typed `MarkdownText` are Markdown with the data's
words escaped, for the chapter to show with `ctx.md(...)`; DataFrames are the chapter's tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.data import Dataset, datapackage
from analysis.data.schemas import REFERENCE_TYPES
from analysis.report import citation
from analysis.text import md_escape, num

#: Markdown with the data's words escaped; a chapter shows it with `ctx.md(...)`.
MarkdownText = str


@dataclass(frozen=True)
class Methodology:
    sources: int
    #: Sources whose title and authors are unknown, cited by description.
    unidentified: int
    #: The source documents and data, each linked to its entry in the References (the Source column is Markdown).
    sources_table: pd.DataFrame
    observations: str
    #: Observations by quality flag.
    reported: str
    derived: str
    estimates: str
    ambiguous: str
    #: Each quality flag, what it means and how many observations carry it.
    quality_table: pd.DataFrame
    scorecard_rationale: MarkdownText
    tables: int
    fields: int
    #: Every field of every table, one Markdown table per file.
    dictionary: MarkdownText


def _sources_table(ds: Dataset) -> pd.DataFrame:
    """One row per source document or data set: its name (linked to its full entry), what it is, its year and
    licence, in words ('not stated' rather than an empty cell)."""
    refs = ds["references"]
    shown = refs[refs["basis"].isin(["source", "data"])]
    return pd.DataFrame({
        "Source": [citation.work(ds, ref_id) for ref_id in shown["id"]],
        "What it is": shown["type"].map(REFERENCE_TYPES),
        "Year": [("not stated" if pd.isna(y) else ("about " if c else "") + str(int(y))) for y, c in zip(shown["year"], shown["circa"])],
        "Licence": shown["licence"].fillna("not stated"),
    })


def _dictionary_markdown(dictionary: pd.DataFrame) -> MarkdownText:
    """Per file: its name, its title, then its fields as a pipe table (the descriptions are ours, from the schemas)."""
    return "\n\n".join(
        f"**`{file}`**: {md_escape(part['table'].iloc[0])}.\n\n"
        + part[["field", "type", "required", "description"]].rename(columns=str.capitalize).to_markdown(index=False)
        for file, part in dictionary.groupby("file", sort=False)
    )


def findings(ds: Dataset) -> Methodology:
    sources = ds["sources"]
    quality = ds.observations["quality"].value_counts()
    dictionary = datapackage.dictionary()
    return Methodology(
        sources=len(sources), unidentified=int((~sources["identified"]).sum()), sources_table=_sources_table(ds),
        observations=num(len(ds.observations)),
        reported=num(quality.get("reported", 0)), derived=num(quality.get("derived", 0)),
        estimates=num(quality.get("estimate", 0)), ambiguous=num(quality.get("ambiguous", 0)),
        quality_table=pd.DataFrame([{"Flag": flag, "Meaning": meaning, "Observations": int(quality.get(flag, 0))}
                                    for flag, meaning in ds.vocab.quality.items()]),
        scorecard_rationale=md_escape(ds.scorecard.rationale.strip()),
        tables=dictionary["file"].nunique(), fields=len(dictionary),
        dictionary=_dictionary_markdown(dictionary),
    )
