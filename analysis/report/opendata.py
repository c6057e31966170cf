"""What the Open data page lists: each published file, what it holds, its licence and how to cite it.

The list is read from the data package's descriptor (the `datapackage.json` published with the data),
so a table added to the data appears on the page without anyone listing it by hand. Row counts come
from the loaded dataset, which also tells the build that the page depends on every data file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.data import Dataset, datapackage, schemas
from analysis.report import citation
from analysis.text import md_escape, num

#: Where the build publishes the data, relative to the site root (the home page and this page sit there).
DATA_FOLDER = "data/"
#: The file the build writes by joining every `observations/*.csv` into one.
ALL_OBSERVATIONS = "observations.csv"
DESCRIPTOR = "datapackage.json"


@dataclass(frozen=True)
class OpenData:
    #: File (a Markdown link), What it holds (escaped), Rows, Columns: one row per published file.
    files: pd.DataFrame
    n_tables: int
    n_observation_files: int
    n_observations: str
    licence_link: str  # Markdown: the licence's name, linked to its text
    #: Markdown: the data set cited as the edition it belongs to.
    citation: str
    released: bool


def files(ds: Dataset, descriptor: dict) -> pd.DataFrame:
    """The published files, in the descriptor's order: its tables, the combined observations, the
    observations of each source document, then the descriptor itself."""
    observations = ds.observations
    per_file = observations["_file"].value_counts()
    names = dict(zip(ds["references"]["id"], ds["references"]["short_name"]))
    tables, sources = [], []
    for res in descriptor["resources"]:
        rel = res["path"]
        if rel.startswith(f"{schemas.OBSERVATIONS_DIR}/"):
            source = rel.removeprefix(f"{schemas.OBSERVATIONS_DIR}/").removesuffix(".csv")
            sources.append(_row(rel, f"The figures read from {names.get(source, source)}, one per row.",
                                int(per_file.get(rel, 0)), len(res["schema"]["fields"])))
        else:
            tables.append(_row(rel, res["description"], len(ds.tables[rel]), len(res["schema"]["fields"])))
    combined = []
    if sources:
        combined = [_row(ALL_OBSERVATIONS, f"{schemas.OBSERVATIONS[2]} The files of the source documents below, "
                         "in one table.", len(observations), sources[0]["Columns"])]
    package = _row(DESCRIPTOR, descriptor_summary(descriptor), None, None)
    return pd.DataFrame(tables + combined + sources + [package]).astype({"Rows": "Int64", "Columns": "Int64"})


def _row(path: str, holds: str, rows: int | None, columns: int | None) -> dict:
    return {"File": f"[`{path}`]({DATA_FOLDER}{path})", "What it holds": md_escape(holds), "Rows": rows, "Columns": columns}


def descriptor_summary(descriptor: dict) -> str:
    return (f"The Frictionless Data Package that describes the {len(descriptor['resources'])} tables above "
            f"(all but {ALL_OBSERVATIONS}): "
            "each field's type, meaning and allowed values, the keys that join the tables, the licence "
            "and the source documents.")


def data_citation(f: citation.Facts) -> str:
    """The data set as the edition it belongs to: authors, year, title, edition and where its data is."""
    return citation.how_to_cite(f, data=DATA_FOLDER)


def open_data(ds: Dataset, facts: citation.Facts | None = None) -> OpenData:
    descriptor = datapackage.descriptor(ds.root)
    table = files(ds, descriptor)
    licence = descriptor["licenses"][0]
    f = facts or citation.facts()
    obs = [r["path"].startswith(f"{schemas.OBSERVATIONS_DIR}/") for r in descriptor["resources"]]
    return OpenData(
        files=table, n_tables=obs.count(False), n_observation_files=obs.count(True),
        n_observations=num(len(ds.observations)),
        licence_link=f"[{md_escape(licence['title'])}]({licence['path']})",
        citation=data_citation(f), released=f.released,
    )
