"""What the References chapter shows: every work the report cites, one entry each, from `data/references.csv`.

Counts are `int`; fields typed `MarkdownText` are the entries as Markdown (each in a div whose id every
citation links to), for the chapter to show with `ctx.md(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis.data import Dataset
from analysis.report import citation

#: Markdown with the data's words escaped; a chapter shows it with `ctx.md(...)`.
MarkdownText = str


@dataclass(frozen=True)
class References:
    #: The documents the data is read from, and how many of them have no known title and authors.
    n_sources: int
    n_unidentified: int
    #: Map data and the editors' own compilations.
    n_data: int
    #: Works the sources cite for the values quoted: matched to a published record, or known only from the citation.
    n_cited: int
    n_record: int
    n_as_cited: int
    sources: MarkdownText
    data: MarkdownText
    cited: MarkdownText


def findings(ds: Dataset) -> References:
    refs = ds["references"]
    basis = refs["basis"].value_counts()
    sources = refs[refs["basis"] == "source"]
    return References(
        n_sources=len(sources), n_unidentified=int((sources["authors"] == "Unknown").sum()),
        n_data=int(basis.get("data", 0)),
        n_cited=int(basis.get("record", 0) + basis.get("as-cited", 0)),
        n_record=int(basis.get("record", 0)), n_as_cited=int(basis.get("as-cited", 0)),
        sources=citation.reference_list(ds, ("source",)),
        data=citation.reference_list(ds, ("data",)),
        cited=citation.reference_list(ds, ("record", "as-cited")),
    )
