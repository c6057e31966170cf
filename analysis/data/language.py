"""The data in another language: the same rows, ids and numbers, with the words readers see translated.

The English files are the source of truth. What a Russian reader sees instead is kept beside them:

- `clusters.csv` has each cluster's Russian name, short name, region and city (`name_ru`, ...),
  with a confidence code like every other fact;
- `ru/*.csv` is a translation memory for every other label and note: one row per (file, field, English
  text), so a text edited in English shows up as untranslated rather than silently stale (`labels.csv`
  holds the labels; `notes-*.csv` the notes and evidence; the file `observations` stands for every file
  under observations/);
- `practices/ru/BP-NNN-slug.md` holds each practice's Russian title, origin and text;
- `glossary.csv` fixes the one Russian term for each term of the field.

`localized(ds, "ru")` returns a Dataset in which those texts replace the English ones. Ids, codes,
numbers and units are untouched (units are said by `analysis.text`, which gets their Russian forms
from the localized Dataset's `units`: `text.speaking(ds.language, ds.units)`), so every table, chart and
finding computed from it shows the same numbers.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import typing
from pathlib import Path

import pydantic

from analysis.project import load_yaml

LABELS = "ru/"
PRACTICES = "practices/ru"
#: clusters.csv columns and the column each one's translation is in.
CLUSTER_COLUMNS = {"name": "name_ru", "short_name": "short_name_ru", "region": "region_ru", "city": "city_ru"}
#: Columns that hold codes the analyses compare, however they read: their words are looked up, never replaced
#: (a unit's Russian forms reach `analysis.text` through the Dataset's `units`).
KEPT_COLUMNS = {"unit"}
#: Columns whose values mostly stay as printed in Russian too: a work's citation name ('Kutsenko (2015)') is its
#: authors' own; only names that describe a work ('IPP country report (Russia)') have a Russian form.
AS_PRINTED = {("references.csv", "short_name")}
#: A value that is a code ('ict', 'government_order', 'business'), not words: ids and categories stay as they are.
_CODE = re.compile(r"^[a-z0-9_-]+$")
#: YAML files whose text values are translated (matched by their English text).
YAML_FILES = {"vocab": "vocabularies.yml", "signs": "signs.yml", "programme": "programme.yml",
              "scorecard": "scorecard.yml", "specialisation": "specialisation.yml"}


@dataclasses.dataclass(frozen=True)
class Translations:
    """The Russian texts of one data folder."""

    labels: dict[tuple[str, str], dict[str, str]]  # (file, field) -> English text -> Russian text
    terms: dict[str, str]  # 'status.meets' -> the Russian word for the term
    practices: dict[str, dict]  # practice id -> {'title', 'label', 'body'}

    def yaml_fields(self, file: str) -> dict[str, dict[str, str]]:
        """A YAML file's translations by the key they sit under ('label', 'definition', 'ict_electronics'):
        a row for the field 'sign.label' translates the values of 'label' keys."""
        out: dict[str, dict[str, str]] = {}
        for (f, field), table in self.labels.items():
            if f == file:
                out.setdefault(field.rsplit(".", 1)[-1], {}).update(table)
        return out


def read(root: Path) -> Translations:
    """The translation files under the data folder `root` (missing files give no translations)."""
    labels: dict[tuple[str, str], dict[str, str]] = {}
    terms: dict[str, str] = {}
    for path in sorted((Path(root) / LABELS).glob("*.csv")):
        for row in csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")):
            if row.get("field", "").endswith(".term"):
                terms[row["field"].removesuffix(".term")] = row["ru"]
            else:
                labels.setdefault((row["file"], row["field"]), {})[row["en"]] = row["ru"]
    practices = {}
    from analysis.data import split_front_matter

    for p in sorted((Path(root) / PRACTICES).glob("BP-*.md")):
        parts = split_front_matter(p.read_text(encoding="utf-8"))
        if parts is None:
            continue
        head, body, _ = parts
        meta = load_yaml(head) or {}
        practices[str(meta.get("id"))] = {"title": meta.get("title"), "label": meta.get("label"), "body": body.strip()}
    return Translations(labels, terms, practices)


def term(ds, kind: str, code: str) -> str:
    """The word for a code in the data's language: a breakdown 'synthetic-rubber' reads 'synthetic rubber' in
    English and «синтетический каучук» in Russian (`ru/labels.csv`, field 'breakdown.synthetic-rubber.term')."""
    return ds.terms.get(f"{kind}.{code}", code.replace("-", " "))


def rows(root: Path, rel: str) -> int:
    """How many translations a file under ru/ holds (for the open-data page)."""
    with (Path(root) / rel).open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def unit_forms(translations: Translations) -> dict[str, str]:
    """English unit -> its Russian forms 'one|few|many', for `analysis.text.speak`."""
    return dict(translations.labels.get(("indicators.csv", "unit"), {}))


def localized(ds, lang: str, translations: Translations | None = None):
    """`ds` with the words readers see in `lang` (the same object for English)."""
    if lang == "en":
        return ds
    tr = translations or read(ds.root)
    tables = dict(dict.items(ds.tables))  # plain items: reading for a copy is not a use of the data
    for name, frame in tables.items():
        frame = frame.copy()
        for (file, field), table in tr.labels.items():
            if file == name and field in frame.columns and field not in KEPT_COLUMNS:
                frame[field] = frame[field].map(lambda v, t=table: t.get(v, v) if isinstance(v, str) and not _CODE.match(v) else v)
        if name == "clusters.csv":
            for col, ru in CLUSTER_COLUMNS.items():
                if ru in frame.columns and col in frame.columns:
                    frame[col] = frame[ru].where(frame[ru].notna() & (frame[ru].astype(str) != ""), frame[col])
        tables[name] = frame
    observations = object.__getattribute__(ds, "observations").copy()
    notes = tr.labels.get(("observations", "note"), {})  # breakdowns are codes: the pages name them in their own words
    observations["note"] = observations["note"].map(lambda v: notes.get(v, v) if isinstance(v, str) else v)
    changes = {"tables": tables, "observations": observations}
    for attr, file in YAML_FILES.items():
        model = object.__getattribute__(ds, attr)
        changes[attr] = _translated(model, tr.yaml_fields(file))
    changes["distribution_meta"] = {k: _translated(v, tr.yaml_fields("distributions.yml"))
                                    for k, v in object.__getattribute__(ds, "distribution_meta").items()}
    changes["practices"] = [_practice(p, tr.practices.get(p.meta.id)) for p in object.__getattribute__(ds, "practices")]
    out = dataclasses.replace(ds, **changes, language=lang, terms=dict(tr.terms), units=unit_forms(tr))
    # what an edition in `lang` shows also depends on the translations (for incremental rebuilds)
    object.__getattribute__(out, "tables").read.update({LABELS, "practices/"})
    return out


def _translated(node, fields: dict[str, dict[str, str]], key: str = ""):
    """A YAML model with the text under each translated key in Russian. Fields whose values are codes
    (declared as `Literal` choices in the schema: 'oblast', 'main_use') are never translated."""
    if isinstance(node, pydantic.BaseModel):
        update = {}
        for name, info in type(node).model_fields.items():
            if typing.get_origin(info.annotation) is typing.Literal:
                continue
            update[name] = _translated(getattr(node, name), fields, name)
        return node.model_copy(update=update)
    if isinstance(node, str):
        table = fields.get(key, {})
        return table.get(node, table.get(" ".join(node.split()), node))
    if isinstance(node, dict):
        return {k: _translated(v, fields, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_translated(v, fields, key) for v in node]
    return node


def _practice(p, ru: dict | None):
    if not ru:
        return p
    origin = p.meta.origin.model_copy(update={"label": ru["label"]}) if ru.get("label") and p.meta.origin.label else p.meta.origin
    meta = p.meta.model_copy(update={"title": ru["title"] or p.meta.title, "origin": origin})
    return dataclasses.replace(p, meta=meta, body=ru["body"])


def missing(ds, lang: str = "ru") -> list[str]:
    """What readers of `lang` would see in English, as 'file: field: text': every text of a translated column
    without its translation (codes aside), every cluster without its Russian name, every practice without
    its Russian file."""
    tr = read(ds.root)
    tables = dict(dict.items(ds.tables))
    out = []
    for (file, field), table in sorted(tr.labels.items()):
        if file == "observations":
            column = object.__getattribute__(ds, "observations").get(field)
        elif file in tables and field in tables[file].columns and field not in KEPT_COLUMNS and (file, field) not in AS_PRINTED:
            column = tables[file][field]
        else:
            continue
        for value in sorted({v for v in column if isinstance(v, str) and v and not _CODE.match(v)} - set(table)):
            out.append(f"{file}: {field}: {value}")
    clusters = tables["clusters.csv"]
    for col in ("name", "region"):
        ru = CLUSTER_COLUMNS[col]
        if ru in clusters.columns:
            for _, row in clusters.iterrows():
                if isinstance(row[col], str) and row[col] and not (isinstance(row[ru], str) and row[ru]):
                    out.append(f"clusters.csv: {ru}: {row['id']}")
    for p in object.__getattribute__(ds, "practices"):
        if p.meta.id not in tr.practices:
            out.append(f"{PRACTICES}/: {p.meta.id}")
    return out
