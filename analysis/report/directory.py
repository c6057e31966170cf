"""The cluster directory and the compare tool: their data, their static tables and the file the site loads.

`records` gives every cluster (kind, place, industry, support group, participants, score and evidence
coverage, and every figure recorded for it) and the world reference values, as plain JSON-ready values.
The build writes them into the site with `write_site_data`, as classic scripts that set globals (the
clusters, and the figures that only the compare page loads), so the two pages work from disk too (`fetch()` is blocked for `file://` pages). The chapters show the
same clusters as a static table (the PDF's version, and the page's content without JavaScript), whose
links to the profiles both engines resolve; the page script takes each profile's address from there.

Everything here speaks the language spoken (`analysis.text.speaking`): given the Russian edition's
dataset (`analysis.data.language.localized`), the records, the data file and the static tables carry the
same ids and numbers with Russian words, and clusters are listed in the order of their Russian names.
The page script's own words come from its table for the page's `<html lang>`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis import indicators, text
from analysis.charts import MAP_CELL, in_squares
from analysis.data import Dataset, language
from analysis.report import citation, listing
from analysis.report.profiles import KIND_ORDER, SCOPE
from analysis.text import md_escape as esc
from analysis.text import say

#: Where the build writes the records, relative to the site root; the pages load it from there.
DATA_SCRIPT = "assets/clusters-data.js"
#: The compare tool's figures, in a file of their own: the directory does not need them.
FIGURES_SCRIPT = "assets/clusters-figures.js"
FIGURES_GLOBAL = "CB_FIGURES"
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
#: The same words in Russian (`_words` picks the table of the language spoken).
KINDS_RU = {"pilot": "Пилотные кластеры", "pilot_component": "Части пилотных кластеров",
            "russian_other": "Другие российские кластеры", "foreign": "Зарубежные кластеры"}
KIND_CELL_RU = {"pilot": "Пилотный", "pilot_component": "Часть пилотного", "russian_other": "Другой российский",
                "foreign": "Зарубежный"}
QUALITIES_RU = {"reported": "по данным источника", "derived": "рассчитано нами по данным источника",
                "estimate": "приблизительное значение в источнике", "ambiguous": "неоднозначно в источнике"}
#: What a cluster is (its profile's kind), what a value describes, a scored pilot's light and a breakdown, in Russian;
#: in English they come from `indicators.KIND_LABELS`, `profiles.SCOPE`, the scorecard and the breakdown's id.
KIND_LABELS_RU = {"pilot": "Пилотный кластер", "pilot_component": "Часть пилотного кластера",
                  "russian_other": "Другой российский кластер", "foreign": "Зарубежный кластер"}
SCOPE_RU = {"initiative": "кластерная инициатива", "regional_industry": "отрасль или парк в целом", "programme": "программа",
            "survey": "обследование", "country": "страна", "company": "компания"}
LIGHTS_RU = {"green": "Зелёный", "amber": "Жёлтый", "red": "Красный"}
#: Profile pages sit in this folder below the chapters; both engines resolve a link to the Markdown file.
PROFILE_LINK = "profiles/{}.md"


def _words(en: dict[str, str], ru: dict[str, str]) -> dict[str, str]:
    """A table of our words in the language spoken (a Russian table falls back to English for a missing key)."""
    return {**en, **ru} if text.language() == "ru" else en


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


def _unit_word(ds: Dataset, unit: str) -> str:
    """The unit as `text.qualified` takes it: in English its label; in Russian its id where the language has the
    unit's forms after 1, 2 and 5 ('организация|организации|организаций'), so the number agrees with it."""
    if text.language() != "en" and unit in text.units():
        return unit
    return ds.vocab.units.get(unit, unit)


def _value_text(ds: Dataset, value, qualifier, unit: str, high=None) -> str:
    if not _given(value):
        return say("not readable in the source", "в источнике не читается")
    return text.qualified(value, qualifier, _unit_word(ds, unit), high=high)


def _indicator_unit(ds: Dataset, unit: str) -> str:
    """An indicator's unit as the compare tool names it. Another language's indicators table holds the unit's
    forms ('организация|организации|организаций'), which lead back to its id. A count keeps the word 'count',
    which the page never shows (the indicator's label says what is counted)."""
    unit = {forms: uid for uid, forms in text.units().items()}.get(unit, unit) if text.language() != "en" else unit
    return unit if unit == "count" else ds.vocab.units.get(unit, unit)


def _scope_label(scope: str) -> str:
    return _words(SCOPE, SCOPE_RU).get(scope, scope)


def _quality_label(quality: str) -> str:
    return _words(QUALITIES, QUALITIES_RU).get(quality, quality)


def _figure(ds: Dataset, r: dict, labels: dict[str, str], sources: dict) -> dict:
    """One observation as the compare tool shows it. `sources` keeps each source's fields once worked out:
    thousands of figures cite the same few places."""
    breakdown = r["breakdown"] if _given(r["breakdown"]) else None
    where = tuple(str(r.get(k)) for k in ("source", "locator", "cites", "cited_work"))
    if where not in sources:
        sources[where] = source_fields(ds, r)
    return {
        "indicator": r["indicator"], "breakdown": breakdown,
        "label": labels.get(r["indicator"], r["indicator"]) + (f" ({language.term(ds, 'breakdown', breakdown)})" if breakdown else ""),
        "value": _plain(r["value"]), "value_high": _plain(r["value_high"]), "qualifier": r["qualifier"],
        "unit": ds.vocab.units.get(r["unit"], r["unit"]),
        "text": _value_text(ds, r["value"], r["qualifier"], r["unit"], r["value_high"]),
        "year": _plain(r["year"]), "scope": r["scope"], "scope_label": _scope_label(r["scope"]),
        "quality": r["quality"], "quality_label": _quality_label(r["quality"]),
        **sources[where],
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


def _assessment(ds: Dataset, row: dict | None) -> dict:
    """The scorecard's verdict on a cluster: score, light, rank and coverage, or why there is none."""
    if row is None:
        return {"assessed": False, "scored": False, "score": None, "light": None,
                "light_label": say("Not assessed", "Не оценивается"), "rank": None, "coverage": None, "known": None, "signs": None}
    light_label = _words({}, LIGHTS_RU).get(row["light"], row["light_label"]) if row["scored"] else row["light_label"]
    return {"assessed": True, "scored": bool(row["scored"]), "score": _plain(row["score"]),
            "light": row["light"], "light_label": light_label, "rank": row["rank_label"] or None,
            "coverage": _plain(row["coverage"]), "known": int(row["known"]), "signs": int(row["signs"])}


def _cluster(ds: Dataset, c: dict, figures: list[dict], scored: dict[str, dict]) -> dict:
    region = c["region"] if _given(c["region"]) else None
    return {
        "id": c["id"], "name": c["short_name"], "full_name": c["name"],
        "kind": c["kind"], "kind_label": _words(indicators.KIND_LABELS, KIND_LABELS_RU)[c["kind"]],
        "country": c["country"], "country_label": text.country(c["country"]), "region": region,
        "industry": c["industry_group"], "industry_label": ds.vocab.industry_group[c["industry_group"]],
        "support_group": _plain(c["support_group"]),
        "participants": _participants(figures),
        **_assessment(ds, scored.get(c["id"])),
        "figures": figures,
    }


def _reference(ds: Dataset, b: pd.Series) -> dict:
    """One world reference value (a benchmark) as the compare tool shows it."""
    return {
        "id": b["id"], "indicator": b["indicator"], "label": b["label"],
        "value": _plain(b["value"]), "value_high": _plain(b["value_high"]), "comparator": b["comparator"],
        "unit": ds.vocab.units.get(b["unit"], b["unit"]),
        "text": _value_text(ds, b["value"], b["comparator"], b["unit"], b["value_high"]),
        "scope": b["applies_to"], "scope_label": _scope_label(b["applies_to"]),
        "quality": b["quality"], "quality_label": _quality_label(b["quality"]),
        **source_fields(ds, b), "caveat": b["caveat"] if _given(b["caveat"]) else None,
    }


def _ordered(ds: Dataset) -> pd.DataFrame:
    clusters = ds["clusters"].copy()
    clusters["order"] = clusters["kind"].map(KIND_ORDER)
    if text.language() == "ru":  # in the alphabet's order, whatever the case: «ё» with «е», not after «я»
        clusters["name_order"] = clusters["short_name"].str.lower().str.replace("ё", "е")
        return clusters.sort_values(["order", "name_order"]).drop(columns="name_order").reset_index(drop=True)
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
    out = _clusters(ds, clusters, ds.observations)
    references = [_reference(ds, b) for _, b in ds["benchmarks"].iterrows()]
    used = {f["indicator"] for c in out for f in c["figures"]} | {r["indicator"] for r in references}
    return {
        "clusters": out,
        "references": references,
        "indicators": {i: {"label": ind.loc[i, "label"], "unit": _indicator_unit(ds, ind.loc[i, "unit"]),
                           "definition": ind.loc[i, "definition"]} for i in sorted(used) if i in ind.index},
        "kinds": [{"id": k, "label": label} for k, label in _words(KINDS, KINDS_RU).items()],
        "reference_token": REFERENCE, "max_compared": MAX_COMPARED,
        "minimum_coverage": {"percent": _plain(ds.scorecard.minimum_coverage.percent), "label": ds.scorecard.minimum_coverage.label},
    }


def _clusters(ds: Dataset, clusters: pd.DataFrame, obs: pd.DataFrame) -> list[dict]:
    """One record per cluster of `clusters` (in their order), each with its figures among `obs`."""
    labels = ds["indicators"].set_index("id")["label"].to_dict()
    obs = obs.sort_values(["indicator", "breakdown", "year", "source"], na_position="first")
    scored = indicators.scores(ds).set_index("cluster").to_dict("index")
    # Rows as dicts, grouped once: at 5,000 clusters, pandas rows (iterrows, a Series lookup per field) took 4 s.
    rows_of: dict[str, list[dict]] = {}
    for r in obs.to_dict("records"):
        rows_of.setdefault(r["entity"], []).append(r)
    sources: dict = {}
    return [_cluster(ds, c, [_figure(ds, r, labels, sources) for r in rows_of.get(c["id"], [])], scored)
            for c in clusters.to_dict("records")]


#: A figure's fields that say where it comes from (`source_fields`); thousands of figures share a few.
SOURCE_KEYS = ("source", "source_links")
#: A figure's fields that its scope and quality give (the figures file names each label once).
LABEL_KEYS = {"scope_label": "scope", "quality_label": "quality"}


def split_records(data: dict) -> tuple[dict, dict]:
    """The records as the site's two data files hold them: the clusters without their figures (all that
    the directory needs), and the figures (which only the compare page loads), each source and label once.

    At 5,000 clusters one file with every figure in full was 33 MB, loaded by the directory too; a
    figure repeated its source line, its links and its labels. The page script puts the figures back
    (`hydrate` in assets/directory.js), so the tools see `records` whole.
    """
    sources: list[dict] = []
    index: dict[str, int] = {}
    labels: dict[str, dict[str, str]] = {key: {} for key in LABEL_KEYS}
    figures: dict[str, list[dict]] = {}
    for c in data["clusters"]:
        for f in c["figures"]:
            where = {k: f[k] for k in SOURCE_KEYS}
            key = json.dumps(where, sort_keys=True, ensure_ascii=False)
            if key not in index:
                index[key] = len(sources)
                sources.append(where)
            for label, field in LABEL_KEYS.items():
                labels[label][f[field]] = f[label]
            kept = {k: v for k, v in f.items() if k not in SOURCE_KEYS and k not in LABEL_KEYS}
            figures.setdefault(c["id"], []).append({**kept, "source_ref": index[key]})
    clusters = {**data, "clusters": [{k: v for k, v in c.items() if k != "figures"} for c in data["clusters"]]}
    return clusters, {"clusters": figures, "sources": sources, "labels": labels}


def _script(name: str, payload: dict, what: str) -> str:
    text_ = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    # inside a <script> file "</" is harmless, but these two end a line in older JavaScript parsers
    text_ = text_.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"/* {what}, written by the build. */\nwindow.{name} = {text_};\n"


def data_scripts(ds: Dataset) -> dict[str, str]:
    """The site's two data files, by path: classic scripts that set `window.CB_CLUSTERS` and
    `window.CB_FIGURES` (classic scripts load from file:// too)."""
    clusters, figures = split_records(records(ds))
    return {DATA_SCRIPT: _script(GLOBAL, clusters, "The cluster directory and compare tool's data"),
            FIGURES_SCRIPT: _script(FIGURES_GLOBAL, figures, "The compare tool's figures")}


def write_site_data(ds: Dataset, site: Path) -> list[Path]:
    """Write the data files into a built site (`<site>/assets/`); returns their paths."""
    paths = []
    for rel, script in data_scripts(ds).items():
        path = Path(site) / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(script, encoding="utf-8")
        paths.append(path)
    return paths


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
    return f"{text.num(c['score'])}% ({_words({}, LIGHTS_RU).get(c['light'], c['light']).lower()})"


def _coverage_cell(c: dict) -> str:
    return "–" if not c["assessed"] else f"{text.num(c['coverage'])}% ({c['known']} {say('of', 'из')} {c['signs']})"


def _participants_cell(c: dict) -> str:
    p = c["participants"]
    return "" if p is None else p["text"] + (f" ({p['year']})" if p["year"] else "")


#: The static tables' column headings in Russian (the tables are built with the English ones, then renamed).
HEADINGS_RU = {"Cluster": "Кластер", "Kind": "Вид", "Where": "Местоположение", "Industry": "Отрасль",
               "Participants": "Участники", "Score": "Оценка", "Evidence coverage": "Полнота данных",
               "Figures": "Показатели", "What the figures describe": "Что описывают показатели",
               "Indicator": "Показатель", "Reference": "Ориентир", "Value": "Значение", "Describes": "Что описывает",
               "Quality": "Качество", "Source": "Источник"}
#: A value's quality flag as a table cell names it (the glossary's terms).
QUALITY_TERMS_RU = {"reported": "по данным источника", "derived": "расчётное", "estimate": "оценка источника",
                    "ambiguous": "неоднозначное"}


def _headed(frame: pd.DataFrame) -> pd.DataFrame:
    """A static table with its column headings in the language spoken."""
    return frame.rename(columns=HEADINGS_RU) if text.language() == "ru" else frame


def directory_table(ds: Dataset, data: dict | None = None) -> pd.DataFrame:
    """Every cluster as one row of the directory, as Markdown cells (the PDF's table; the page script builds its own)."""
    data = data or records(ds)
    rows = []
    for c in data["clusters"]:
        group = say(", group {}", ", группа {}").format(c["support_group"]) if c["support_group"] else ""
        kind = _words(KIND_CELL, KIND_CELL_RU)[c["kind"]] + group
        rows.append({"Cluster": _link(c), "Kind": kind, "Where": _cell(_where(c)), "Industry": _cell(c["industry_label"]),
                     "Participants": _participants_cell(c), "Score": _cell(_score_cell(c)), "Evidence coverage": _coverage_cell(c)})
    return _headed(pd.DataFrame(rows))


def pipe_table(frame: pd.DataFrame, most: int | None = None) -> str:
    """A table of Markdown cells as a pipe table with equal dashes, so each writer sizes the columns by their
    content (the PDF's filter shares the width out by the longest words, the site's style lets the text decide).

    With `most` (the chapter's `ctx.table_rows`), a longer table shows its first rows after a sentence that
    says so; the page's tool still lists every cluster, from the site's data.
    """
    shown, note = listing.first_rows(frame, most)
    lines = ["| " + " | ".join(shown.columns) + " |", "|" + "|".join("---" for _ in shown.columns) + "|"]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in shown.itertuples(index=False)]  # cells come escaped
    return (f"{note}\n\n" if note else "") + "\n".join(lines) + "\n"


def compare_table(clusters: list[dict], scopes: dict[str, list[str]]) -> pd.DataFrame:
    """The clusters with at least one figure, with how many and what they describe (the compare page's list), as
    Markdown. `scopes` gives each cluster's figures by their scope."""
    rows = []
    for c in clusters:
        if scopes.get(c["id"]):
            labels = sorted({_scope_label(scope) for scope in scopes[c["id"]]})
            rows.append({"Cluster": _link(c), "Kind": _words(KIND_CELL, KIND_CELL_RU)[c["kind"]], "Figures": str(len(scopes[c["id"]])),
                         "What the figures describe": _cell(text.listing(labels))})
    return _headed(pd.DataFrame(rows))


def reference_table(ds: Dataset) -> pd.DataFrame:
    """The world reference values, with unit, scope, quality and linked source (the compare page shows it), as Markdown."""
    labels = ds["indicators"].set_index("id")["label"]
    quality = _words({}, QUALITY_TERMS_RU)
    rows = []
    for _, b in ds["benchmarks"].iterrows():
        rows.append({"Indicator": _cell(labels.get(b["indicator"], b["indicator"])), "Reference": _cell(b["label"]),
                     "Value": _cell(_value_text(ds, b["value"], b["comparator"], b["unit"], b["value_high"])),
                     "Describes": _cell(_scope_label(b["applies_to"])), "Quality": _cell(quality.get(b["quality"], b["quality"])),
                     "Source": citation.cite_row(ds, b)})
    return _headed(pd.DataFrame(rows).sort_values(["Indicator", "Reference"]).reset_index(drop=True))


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
    #: How the directory's map relates to its list: dot for dot, or (a large registry) counted per square.
    map_note: str
    directory: pd.DataFrame  # Markdown: Cluster (links to the profiles)
    compare: pd.DataFrame  # Markdown: Cluster
    references: pd.DataFrame  # Markdown: Source


def pages(ds: Dataset) -> Pages:
    """The pages' counts and tables. They need the clusters' participant counts and the scope of each figure, not the
    figures' values, so a chapter that shows them is not run again when a value is edited."""
    ordered = _ordered(ds)
    clusters = _clusters(ds, ordered, ds.observation_rows(indicator="participants"))
    counted = ds.observation_rows(columns=["entity", "scope"])
    counted = counted[counted["entity"].isin(ordered["id"])]
    scopes = counted.groupby("entity", sort=False)["scope"].agg(list).to_dict()
    kinds = [c["kind"] for c in clusters]
    least = ds.scorecard.minimum_coverage
    return Pages(
        n_clusters=len(clusters), n_pilots=kinds.count("pilot"), n_components=kinds.count("pilot_component"),
        n_other=kinds.count("russian_other"), n_foreign=kinds.count("foreign"),
        n_participants=sum(c["participants"] is not None for c in clusters),
        n_scored=sum(c["scored"] for c in clusters), n_signs=len(ds.sign_table),
        min_coverage=text.num(least.percent), insufficient_label=esc(least.label),
        n_with_figures=len(scopes), n_figures=len(counted),
        n_initiative=int((counted["scope"] == "initiative").sum()),
        n_industry=int((counted["scope"] == "regional_industry").sum()),
        n_references=len(ds["benchmarks"]), max_compared=MAX_COMPARED, map_note=_map_note(ds),
        directory=directory_table(ds, {"clusters": clusters}), compare=compare_table(clusters, scopes),
        references=reference_table(ds),
    )


def _map_note(ds: Dataset) -> str:
    """What the directory says of its map, decided as the map decides (`charts.in_squares`)."""
    if in_squares(indicators.cluster_locations(ds)):
        cell = text.num(MAP_CELL)
        return say(f"The map counts the clusters in each square of {cell} by {cell} degrees and shows them all, whatever the filters.",
                   f"Карта показывает число кластеров в каждом квадрате {cell} × {cell} {text.plural(MAP_CELL, 'градус|градуса|градусов')}, "
                   "причём все кластеры, независимо от фильтров.")
    return say("The map shows the same clusters as the list; a click on a dot opens the profile.",
               "На карте показаны те же кластеры, что и в списке; щелчок по точке открывает профиль.")


def tool_markdown(tool: str) -> str:
    """The HTML page's place for a tool ('directory' or 'compare') and the scripts that fill it.

    The scripts are found from the site root, which Quarto gives each page in a meta tag and the
    wheel engine in `data-root` (as in assets/scripts.html); the PDF keeps only the static tables.
    """
    if tool not in ("directory", "compare"):
        raise ValueError(f"no tool '{tool}': directory or compare")
    sources = json.dumps([DATA_SCRIPT] + ([FIGURES_SCRIPT] if tool == "compare" else []) + [PAGE_SCRIPT])
    loader = ("(function () { var meta = document.querySelector('meta[name=\"quarto:offset\"]');"
              " var root = meta ? meta.getAttribute('content') : (document.documentElement.getAttribute('data-root') || '');"
              f" {sources}.forEach(function (src) {{ var s = document.createElement('script');"
              " s.src = root + src; s.async = false; document.body.appendChild(s); }); })();")
    html = f'<div id="cb-{tool}" class="cb-tool" data-tool="{tool}"></div>\n<script>{loader}</script>'
    return f"```{{=html}}\n{html}\n```\n"
