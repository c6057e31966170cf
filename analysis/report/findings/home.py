"""What the home page says about the Best-Practice Collection (its introduction under the practices profile).

The programme facts the report's introduction quotes come from `findings.programme`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.data import Dataset
from analysis.report import practices
from analysis.text import md_escape

#: Markdown with the data's words escaped; a chapter shows it with `ctx.md(...)`.
MarkdownText = str


@dataclass(frozen=True)
class Home:
    #: Active practices (withdrawn ones keep only a stub).
    practices: int
    themes: int
    #: Countries and groups of countries (such as the EU) the practices come from.
    countries: int
    #: The practice a sample citation names: the active one with the lowest identifier.
    example_id: str
    example_title: MarkdownText
    #: The index tables; their Practice (links) and Title (escaped) columns are Markdown.
    by_theme: pd.DataFrame
    by_country: pd.DataFrame


def findings(ds: Dataset) -> Home:
    active = sorted((p.meta for p in ds.practices if p.meta.status == "active"), key=lambda meta: meta.id)
    return Home(
        practices=len(active), themes=len({meta.theme for meta in active}),
        countries=len({meta.origin.country for meta in active}),
        example_id=active[0].id, example_title=md_escape(active[0].title),
        by_theme=practices.index_table(ds, by="theme"), by_country=practices.index_table(ds, by="country"),
    )
