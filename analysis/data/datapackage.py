"""The Frictionless data package that describes every CSV in `data/`.

The descriptor is generated from the schemas in `analysis.data.schemas`, so it cannot
drift from what the validator enforces; a test checks the committed
`data/datapackage.json` against a fresh generation. Files are read with the checks of
`analysis.data`, so a missing or unreadable file is reported, not a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.data import DataError, Problem, read_table_text, read_yaml_doc, schemas
from analysis.paths import data_dir

NAME = "cluster-benchmark-data"
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0",
}
_TYPES = {"float64": "number", "Int64": "integer", "bool": "boolean"}

_SOURCE = ("sources", "id")
_CLUSTER = ("clusters", "id")
_FACTOR = ("factors", "code")
#: Columns that name one row of another table: file (or the observations folder) -> column -> (resource, field).
#: The validator in `analysis.data` checks the same references with fuller messages. Left out: lists
#: (clusters.sources, the `cites` columns, references.cited_in), ids of either of two files (observations.entity,
#: distributions.population, preconditions.subject) and ids that live in YAML files (signs, distributions).
FOREIGN_KEYS: dict[str, dict[str, tuple[str, str]]] = {
    "sources.csv": {"id": ("references", "id")},
    "clusters.csv": {"merged_into": _CLUSTER},
    "benchmarks.csv": {"indicator": ("indicators", "id"), "source": _SOURCE},
    "country_cluster_counts.csv": {"source": _SOURCE},
    "distributions.csv": {"source": _SOURCE},
    "policy_timeline.csv": {"source": _SOURCE},
    "assessments.csv": {"cluster": _CLUSTER, "source": _SOURCE, "component": _CLUSTER},
    "cluster_attributes.csv": {"entity": _CLUSTER, "source": _SOURCE, "component": _CLUSTER},
    "preconditions.csv": {"factor": _FACTOR, "source": _SOURCE},
    "factor_lists.csv": {"factor": _FACTOR, "source": _SOURCE},
    "stakeholders.csv": {"factor": _FACTOR, "source": _SOURCE},
    "cluster_locations.csv": {"cluster": _CLUSTER, "source": _SOURCE},
    "cluster_fields.csv": {"cluster": _CLUSTER},
    schemas.OBSERVATIONS_DIR: {"indicator": ("indicators", "id"), "source": _SOURCE, "component": _CLUSTER},
}


def _fields(model: type[pa.DataFrameModel], header: list[str], rel: str, problems: list[Problem]) -> list[dict]:
    """Field descriptors in the order of the file's header, as Table Schema requires."""
    columns = model.to_schema().columns
    fields = []
    for name in header:
        col = columns.get(name)
        if col is None:
            problems.append(Problem(rel, "1", name, "unknown column; add it to the schema in analysis/schemas.py or remove it"))
            continue
        entry = {"name": name, "type": _TYPES.get(str(col.dtype), "string"), "description": col.description or ""}
        constraints = {}
        if not col.nullable:
            constraints["required"] = True
        if col.unique:
            constraints["unique"] = True
        allowed = [c.statistics["allowed_values"] for c in col.checks if c.name == "isin"]
        if allowed:
            constraints["enum"] = list(allowed[0])
        if constraints:
            entry["constraints"] = constraints
        fields.append(entry)
    return fields


def _primary_key(model: type[pa.DataFrameModel]) -> list[str]:
    """The schema's one unique column, or else its unique combination of columns."""
    schema = model.to_schema()
    single = [name for name, col in schema.columns.items() if col.unique]
    return single if len(single) == 1 else list(schema.unique or [])


def _keys(name: str, model: type[pa.DataFrameModel], references: dict[str, tuple[str, str]], header: list[str]) -> dict:
    keys: dict = {}
    primary = _primary_key(model)
    if primary and set(primary) <= set(header):
        keys["primaryKey"] = primary
    foreign = [
        # An empty resource name is Table Schema's reference to the table itself.
        {"fields": [column], "reference": {"resource": "" if resource == name else resource, "fields": [field]}}
        for column, (resource, field) in references.items() if column in header
    ]
    if foreign:
        keys["foreignKeys"] = foreign
    return keys


def _resource(root: Path, name: str, path: str, model: type[pa.DataFrameModel], title: str, description: str,
              references: dict[str, tuple[str, str]], problems: list[Problem]) -> dict:
    frame = read_table_text(root / path, path, problems)
    header = [] if frame is None else list(frame.columns)
    return {
        "name": name,
        "path": path,
        "profile": "tabular-data-resource",
        "title": title,
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": _fields(model, header, path, problems), "missingValues": [""],
                   **_keys(name, model, references, header)},
    }


def descriptor(data: str | Path | None = None) -> dict:
    """The data package descriptor for the data folder; DataError with every file that cannot be described."""
    root = data_dir(data)
    problems: list[Problem] = []
    resources = [
        _resource(root, rel.removesuffix(".csv").replace("_", "-"), rel, model, title, description,
                  FOREIGN_KEYS.get(rel, {}), problems)
        for rel, (model, title, description) in schemas.TABLES.items()
    ]
    model, title, description = schemas.OBSERVATIONS
    for path in sorted((root / schemas.OBSERVATIONS_DIR).glob("*.csv")):
        resources.append(
            _resource(root, f"observations-{path.stem}", f"{schemas.OBSERVATIONS_DIR}/{path.name}", model,
                      f"{title}: {path.stem}", f"{description} Figures taken from source '{path.stem}'.",
                      FOREIGN_KEYS[schemas.OBSERVATIONS_DIR], problems)
        )
    model, title, description = schemas.TRANSLATIONS
    for path in sorted((root / schemas.TRANSLATIONS_DIR).glob("*.csv")):
        resources.append(_resource(root, f"ru-{path.stem}", f"{schemas.TRANSLATIONS_DIR}/{path.name}", model,
                                   f"{title}: {path.stem}", description, {}, problems))
    references = read_table_text(root / "references.csv", "references.csv", problems)
    vocab = read_yaml_doc(root / "vocabularies.yml", "vocabularies.yml", problems)
    units = vocab.get("units") if isinstance(vocab, dict) else None
    if vocab is not None and not isinstance(units, dict):
        problems.append(Problem("vocabularies.yml", "-", "units", "the units section is missing"))
    needed = ["short_name", "title", "description", "url", "basis"]
    if references is not None and not set(needed) <= set(references.columns):
        problems.append(Problem("references.csv", "1", "-", "needs the columns " + ", ".join(needed)))
    if problems:
        raise DataError(problems)
    return {
        "name": NAME,
        "title": "Cluster Benchmark: Russian pilot innovative territorial clusters against world practice",
        "description": (
            "Facts and figures about Russia's pilot innovative territorial clusters, foreign clusters and "
            "international benchmarks, each with its source, locator and quality flag. "
            "Observations are split into one file per source document."
        ),
        "licenses": [LICENCE],
        # the documents and data the figures are read from; the works they cite are in references.csv
        "sources": [
            {"title": f"{r['short_name']}: {r['title'] or r['description']}", **({"path": r["url"]} if r["url"] else {})}
            for _, r in references.iterrows() if r["basis"] in ("source", "data")
        ],
        "resources": resources,
        "units": {"description": "Labels of the unit ids used in the 'unit' columns.", "labels": units},
    }


def dictionary() -> pd.DataFrame:
    """The data dictionary: every field of every CSV table, from the schemas."""
    rows = []
    tables = dict(schemas.TABLES)
    tables[f"{schemas.OBSERVATIONS_DIR}/*.csv"] = schemas.OBSERVATIONS
    for rel, (model, title, _description) in tables.items():
        for name, col in model.to_schema().columns.items():
            rows.append({
                "file": rel,
                "table": title,
                "field": name,
                "type": _TYPES.get(str(col.dtype), "string"),
                "required": "yes" if not col.nullable else "no",
                "description": col.description or "",
            })
    return pd.DataFrame(rows)


def render(data: str | Path | None = None) -> str:
    return json.dumps(descriptor(data), indent=2, ensure_ascii=False) + "\n"


def write(data: str | Path | None = None, text: str | None = None) -> Path:
    """Write the descriptor (`text`, if already rendered) to the data folder."""
    path = data_dir(data) / "datapackage.json"
    path.write_text(render(data) if text is None else text, encoding="utf-8")
    return path
