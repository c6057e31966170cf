"""The cluster directory and the compare tool: their data, their static tables and the file the site loads.

`records` gives every cluster (kind, place, industry, support group, participants, score and evidence
coverage, and every figure recorded for it) and the world reference values, as plain JSON-ready values.
The build writes them into the site with `write_site_data`, as a classic script that sets a global, so
the two pages work from disk too (`fetch()` is blocked for `file://` pages). The chapters show the
same clusters as a static table (the PDF's version, and the page's content without JavaScript), whose
links to the profiles both engines resolve; the page script takes each profile's address from there.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import indicators, text
from analysis.data import Dataset
from analysis.report import citation
from analysis.report.profiles import KIND_ORDER, SCOPE
from analysis.text import md_escape as esc

#: Where the build writes the records, relative to the site root; the pages load it from there.
DATA_SCRIPT = "assets/clusters-data.js"
#: The page script of both tools.
PAGE_SCRIPT = "assets/directory.js"
#: The global the data script sets.
GLOBAL = "CB_CLUSTERS"
#: The compare tool's token for the world reference values in its address (`?c=kama,world`).
REFERENCE = "world"
#: Clusters the compare tool sets side by side at most.
MAX_COMPARED = 4
#: The kinds of cluster, in the order the directory lists them, as its filter names them.
KINDS = {"pilot": "Pilot clusters", "pilot_component": "Parts of pilot clusters",
         "russian_other": "Other Russian clusters", "foreign": "Foreign clusters"}
#: The kind of a cluster in one of the directory's cells.
KIND_CELL = {"pilot": "Pilot", "pilot_component": "Part of a pilot", "russian_other": "Other Russian", "foreign": "Foreign"}
#: A value's quality, as the compare tool says it (the vocabulary's definitions, shortened).
QUALITIES = {"reported": "reported in the source", "derived": "computed by us from the source's values",
             "estimate": "approximate in the source", "ambiguous": "ambiguous in the source"}
#: Profile pages sit in this folder below the chapters; both engines resolve a link to the Markdown file.
PROFILE_LINK = "profiles/{}.md"


def _given(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value is not pd.NA


def _plain(value):
    """A value as JSON has it: None for missing, int for whole numbers, float otherwise."""
    if not _given(value):
        return None
    if isinstance(value, (bool, str)):
        return value
    number = float(value)
    return int(number) if number.is_integer() else number


_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(([^)\s]*)\)")
_ESCAPE = re.compile(r"\\(.)")


def source_fields(ds: Dataset, row) -> dict:
    """A row's source as the page shows it: the plain line, worded as every page words it
    ('Kutsenko (2015), footnote 12'), and the works it names, each as [its text in that line,
    its References anchor], so the page can link them."""
    markdown = citation.cite_row(ds, row)
    return {"source": _ESCAPE.sub(r"\1", _LINK.sub(r"\1", markdown)),
            "source_links": [[_ESCAPE.sub(r"\1", label), target.partition("#")[2]]
                             for label, target in _LINK.findall(markdown) if "#ref-" in target]}


def _value_text(ds: Dataset, value, qualifier, unit: str, high=None) -> str:
    if not _given(value):
        return "not readable in the source"
    return text.qualified(value, qualifier, ds.vocab.units.get(unit, unit), high=high)


def _figure(ds: Dataset, r: pd.Series, labels: dict[str, str]) -> dict:
    """One observation as the compare tool shows it."""
    breakdown = r["breakdown"] if _given(r["breakdown"]) else None
    return {
        "indicator": r["indicator"], "breakdown": breakdown,
        "label": labels.get(r["indicator"], r["indicator"]) + (f" ({breakdown.replace('-', ' ')})" if breakdown else ""),
        "value": _plain(r["value"]), "value_high": _plain(r["value_high"]), "qualifier": r["qualifier"],
        "unit": ds.vocab.units.get(r["unit"], r["unit"]),
        "text": _value_text(ds, r["value"], r["qualifier"], r["unit"], r["value_high"]),
        "year": _plain(r["year"]), "scope": r["scope"], "scope_label": SCOPE.get(r["scope"], r["scope"]),
        "quality": r["quality"], "quality_label": QUALITIES.get(r["quality"], r["quality"]),
        **source_fields(ds, r),
    }


def _participants(figures: list[dict]) -> dict | None:
    """The cluster's latest count of official participants, for the directory's column."""
    counts = [f for f in figures if f["indicator"] == "participants" and f["breakdown"] is None and f["value"] is not None]
    if not counts:
        return None
    latest = max(counts, key=lambda f: (f["year"] or 0, f["source"]))
    # a bound sorts just beside its number: 'less than 20' below 20, 'more than 20' above it
    nudge = {"less_than": -0.5, "at_most": -0.25, "more_than": 0.5, "at_least": 0.25}.get(latest["qualifier"], 0)
    short = text.qualified(latest["value"], latest["qualifier"], "", high=latest["value_high"])
    return {"text": short, "year": latest["year"], "sort": latest["value"] + nudge, "source": latest["source"]}


def _assessment(ds: Dataset, row: pd.Series | None) -> dict:
    """The scorecard's verdict on a cluster: score, light, rank and coverage, or why there is none."""
    if row is None:
        return {"assessed": False, "scored": False, "score": None, "light": None, "light_label": "Not assessed",
                "rank": None, "coverage": None, "known": None, "signs": None}
    return {"assessed": True, "scored": bool(row["scored"]), "score": _plain(row["score"]),
            "light": row["light"], "light_label": row["light_label"], "rank": row["rank_label"] or None,
            "coverage": _plain(row["coverage"]), "known": int(row["known"]), "signs": int(row["signs"])}


def _cluster(ds: Dataset, c: pd.Series, figures: list[dict], scored: pd.DataFrame) -> dict:
    region = c["region"] if _given(c["region"]) else None
    return {
        "id": c["id"], "name": c["short_name"], "full_name": c["name"],
        "kind": c["kind"], "kind_label": indicators.KIND_LABELS[c["kind"]],
        "country": c["country"], "country_label": text.country(c["country"]), "region": region,
        "industry": c["industry_group"], "industry_label": ds.vocab.industry_group[c["industry_group"]],
        "support_group": _plain(c["support_group"]),
        "participants": _participants(figures),
        **_assessment(ds, scored.loc[c["id"]] if c["id"] in scored.index else None),
        "figures": figures,
    }


def _reference(ds: Dataset, b: pd.Series) -> dict:
    """One world reference value (a benchmark) as the compare tool shows it."""
    return {
        "id": b["id"], "indicator": b["indicator"], "label": b["label"],
        "value": _plain(b["value"]), "value_high": _plain(b["value_high"]), "comparator": b["comparator"],
        "unit": ds.vocab.units.get(b["unit"], b["unit"]),
        "text": _value_text(ds, b["value"], b["comparator"], b["unit"], b["value_high"]),
        "scope": b["applies_to"], "scope_label": SCOPE.get(b["applies_to"], b["applies_to"]),
        "quality": b["quality"], "quality_label": QUALITIES.get(b["quality"], b["quality"]),
        **source_fields(ds, b), "caveat": b["caveat"] if _given(b["caveat"]) else None,
    }


def _ordered(ds: Dataset) -> pd.DataFrame:
    clusters = ds["clusters"].copy()
    clusters["order"] = clusters["kind"].map(KIND_ORDER)
    return clusters.sort_values(["order", "short_name"]).reset_index(drop=True)


def records(ds: Dataset) -> dict:
    """Everything the directory and the compare tool show, as plain values (the site's data file holds this).

    `clusters`: one record per cluster, in directory order; `references`: the world reference values;
    `indicators`: the label, unit and definition of every indicator a cluster or reference has.
    """
    clusters = _ordered(ds)
    if REFERENCE in set(clusters["id"]):
        raise ValueError(f"a cluster's id is '{REFERENCE}', which the compare tool's address keeps for the world reference values")
    ind = ds["indicators"].set_index("id")
    labels = ind["label"].to_dict()
    obs = ds.observations.sort_values(["indicator", "breakdown", "year", "source"], na_position="first")
    scored = indicators.scores(ds).set_index("cluster")
    out = []
    for _, c in clusters.iterrows():
        mine = obs[obs["entity"] == c["id"]]
        out.append(_cluster(ds, c, [_figure(ds, r, labels) for _, r in mine.iterrows()], scored))
    references = [_reference(ds, b) for _, b in ds["benchmarks"].iterrows()]
    used = {f["indicator"] for c in out for f in c["figures"]} | {r["indicator"] for r in references}
    return {
        "clusters": out,
        "references": references,
        "indicators": {i: {"label": ind.loc[i, "label"], "unit": ds.vocab.units.get(ind.loc[i, "unit"], ind.loc[i, "unit"]),
                           "definition": ind.loc[i, "definition"]} for i in sorted(used) if i in ind.index},
        "kinds": [{"id": k, "label": label} for k, label in KINDS.items()],
        "reference_token": REFERENCE, "max_compared": MAX_COMPARED,
        "minimum_coverage": {"percent": _plain(ds.scorecard.minimum_coverage.percent), "label": ds.scorecard.minimum_coverage.label},
    }


def data_script(ds: Dataset) -> str:
    """The records as a classic script that sets `window.CB_CLUSTERS` (loads from file:// too)."""
    payload = json.dumps(records(ds), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    # inside a <script> file "</" is harmless, but these two end a line in older JavaScript parsers
    payload = payload.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"/* The cluster directory and compare tool's data, written by the build. */\nwindow.{GLOBAL} = {payload};\n"


def write_site_data(ds: Dataset, site: Path) -> Path:
    """Write the data file into a built site (`<site>/assets/clusters-data.js`); returns its path."""
    path = Path(site) / DATA_SCRIPT
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data_script(ds), encoding="utf-8")
    return path


# --- the two pages: what they say and their static tables -----------------------------------------


def _cell(value) -> str:
    return esc(str(value).replace("\n", " ")) if _given(value) else ""


def _link(c: dict) -> str:
    """A cluster's name linked to its profile; the page script reads the cluster from `data-cluster`."""
    return f'[{_cell(c["name"])}]({PROFILE_LINK.format(c["id"])}){{data-cluster="{c["id"]}"}}'


def _where(c: dict) -> str:
    return ", ".join(p for p in (c["region"], c["country_label"] if c["country"] != "RU" else None) if p)


def _score_cell(c: dict) -> str:
    if not c["assessed"]:
        return "–"  # the scorecard assesses pilot clusters only (the caption says so)
    if not c["scored"]:
        return c["light_label"]
    return f"{text.num(c['score'])}% ({c['light']})"


def _coverage_cell(c: dict) -> str:
    return "–" if not c["assessed"] else f"{text.num(c['coverage'])}% ({c['known']} of {c['signs']})"


def _participants_cell(c: dict) -> str:
    p = c["participants"]
    return "" if p is None else p["text"] + (f" ({p['year']})" if p["year"] else "")


def directory_table(ds: Dataset, data: dict | None = None) -> pd.DataFrame:
    """Every cluster as one row of the directory, as Markdown cells (the PDF's table; the page script builds its own)."""
    data = data or records(ds)
    rows = []
    for c in data["clusters"]:
        kind = KIND_CELL[c["kind"]] + (f", group {c['support_group']}" if c["support_group"] else "")
        rows.append({"Cluster": _link(c), "Kind": kind, "Where": _cell(_where(c)), "Industry": _cell(c["industry_label"]),
                     "Participants": _participants_cell(c), "Score": _cell(_score_cell(c)), "Evidence coverage": _coverage_cell(c)})
    return pd.DataFrame(rows)


def pipe_table(frame: pd.DataFrame) -> str:
    """A table of Markdown cells as a pipe table with equal dashes, so each writer sizes the columns by their
    content (the PDF's filter shares the width out by the longest words, the site's style lets the text decide)."""
    lines = ["| " + " | ".join(frame.columns) + " |", "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in frame.itertuples(index=False)]  # cells come escaped
    return "\n".join(lines) + "\n"


def compare_table(data: dict) -> pd.DataFrame:
    """The clusters with at least one figure, with how many and what they describe (the compare page's list), as Markdown."""
    rows = []
    for c in data["clusters"]:
        if c["figures"]:
            scopes = sorted({f["scope_label"] for f in c["figures"]})
            rows.append({"Cluster": _link(c), "Kind": KIND_CELL[c["kind"]], "Figures": str(len(c["figures"])),
                         "What the figures describe": _cell(text.listing(scopes))})
    return pd.DataFrame(rows)


def reference_table(ds: Dataset) -> pd.DataFrame:
    """The world reference values, with unit, scope, quality and linked source (the compare page shows it), as Markdown."""
    labels = ds["indicators"].set_index("id")["label"]
    rows = []
    for _, b in ds["benchmarks"].iterrows():
        rows.append({"Indicator": _cell(labels.get(b["indicator"], b["indicator"])), "Reference": _cell(b["label"]),
                     "Value": _cell(_value_text(ds, b["value"], b["comparator"], b["unit"], b["value_high"])),
                     "Describes": _cell(SCOPE.get(b["applies_to"], b["applies_to"])), "Quality": _cell(b["quality"]),
                     "Source": citation.cite_row(ds, b)})
    return pd.DataFrame(rows).sort_values(["Indicator", "Reference"]).reset_index(drop=True)


@dataclass(frozen=True)
class Pages:
    """What the directory and compare pages say: counts for their prose and their static tables."""

    n_clusters: int
    n_pilots: int
    n_components: int
    n_other: int
    n_foreign: int
    #: Clusters with a count of official participants; the directory's participants column.
    n_participants: int
    n_scored: int
    n_signs: int
    min_coverage: str
    insufficient_label: str  # Markdown-escaped, from the scorecard's rules
    n_with_figures: int
    n_figures: int
    n_initiative: int  # figures that count the cluster initiative itself
    n_industry: int  # figures that describe the whole regional industry or park
    n_references: int
    max_compared: int
    directory: pd.DataFrame  # Markdown: Cluster (links to the profiles)
    compare: pd.DataFrame  # Markdown: Cluster
    references: pd.DataFrame  # Markdown: Source


def pages(ds: Dataset) -> Pages:
    data = records(ds)
    clusters = data["clusters"]
    kinds = [c["kind"] for c in clusters]
    figures = [f for c in clusters for f in c["figures"]]
    least = ds.scorecard.minimum_coverage
    return Pages(
        n_clusters=len(clusters), n_pilots=kinds.count("pilot"), n_components=kinds.count("pilot_component"),
        n_other=kinds.count("russian_other"), n_foreign=kinds.count("foreign"),
        n_participants=sum(c["participants"] is not None for c in clusters),
        n_scored=sum(c["scored"] for c in clusters), n_signs=len(ds.sign_table),
        min_coverage=text.num(least.percent), insufficient_label=esc(least.label),
        n_with_figures=sum(bool(c["figures"]) for c in clusters), n_figures=len(figures),
        n_initiative=sum(f["scope"] == "initiative" for f in figures),
        n_industry=sum(f["scope"] == "regional_industry" for f in figures),
        n_references=len(data["references"]), max_compared=MAX_COMPARED,
        directory=directory_table(ds, data), compare=compare_table(data), references=reference_table(ds),
    )


def tool_markdown(tool: str) -> str:
    """The HTML page's place for a tool ('directory' or 'compare') and the scripts that fill it.

    The scripts are found from the site root, which Quarto gives each page in a meta tag and the
    wheel engine in `data-root` (as in assets/scripts.html); the PDF keeps only the static tables.
    """
    if tool not in ("directory", "compare"):
        raise ValueError(f"no tool '{tool}': directory or compare")
    sources = json.dumps([DATA_SCRIPT, PAGE_SCRIPT])
    loader = ("(function () { var meta = document.querySelector('meta[name=\"quarto:offset\"]');"
              " var root = meta ? meta.getAttribute('content') : (document.documentElement.getAttribute('data-root') || '');"
              f" {sources}.forEach(function (src) {{ var s = document.createElement('script');"
              " s.src = root + src; s.async = false; document.body.appendChild(s); }); })();")
    html = f'<div id="cb-{tool}" class="cb-tool" data-tool="{tool}"></div>\n<script>{loader}</script>'
    return f"```{{=html}}\n{html}\n```\n"
