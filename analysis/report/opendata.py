"""What the Open data page lists: each published file, what it holds, its licence and how to cite it.

The list is read from the data package's descriptor (the `datapackage.json` published with the data),
so a table added to the data appears on the page without anyone listing it by hand. Row counts come
from the loaded dataset, which also tells the build that the page depends on every data file.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.data import Dataset, datapackage, language, schemas
from analysis.report import citation
from analysis.text import md_escape, num, say

#: Where the build publishes the data, relative to the site root (the home page and this page sit there).
DATA_FOLDER = "data/"
#: The file the build writes by joining every `observations/*.csv` into one.
ALL_OBSERVATIONS = "observations.csv"
DESCRIPTOR = "datapackage.json"
#: What each table holds, in Russian (the data package describes them in English); a table missing here shows
#: the data package's own description.
TRANSLATIONS_RU = "Русские подписи, примечания и обоснования для русского издания, по английскому тексту, который они переводят."
DESCRIPTIONS_RU = {
    "references.csv": "Все работы, на которые ссылается доклад: документы-источники, данные и работы, на которые "
                      "ссылаются источники для приводимых значений.",
    "sources.csv": "Документы-источники с полными библиографическими описаниями.",
    "glossary.csv": "Русский термин для каждого термина предметной области, единый для всего русского издания.",
    "clusters.csv": "Российские пилотные кластеры, другие российские кластеры и зарубежные кластеры с уровнем "
                    "достоверности каждого сведения.",
    "groups.csv": "Совокупности, которые описывают наблюдения: программы, группы кластеров, обследования.",
    "indicators.csv": "Что измеряет каждый показатель, его единица измерения и направление.",
    "benchmarks.csv": "Международные ориентиры с источниками.",
    "country_cluster_counts.csv": "Число кластеров по странам.",
    "distributions.csv": "Доли и численность по категориям, Россия и мир.",
    "policy_timeline.csv": "Законы, приказы, программы и ключевые этапы российской кластерной политики.",
    "assessments.csv": "Оценка каждого пилотного кластера по каждому признаку устойчивого развития.",
    "cluster_attributes.csv": "Качественные характеристики кластеров.",
    "factors.csv": "Общие коды факторов для зарубежных и российских предпосылок.",
    "preconditions.csv": "Предпосылки успеха кластеров по странам и по российским кластерам.",
    "factor_lists.csv": "Нумерованные перечни факторов успеха и характеристик.",
    "stakeholders.csv": "Интересы групп заинтересованных сторон в развитии кластеров.",
    "cluster_locations.csv": "Приблизительные координаты каждого кластера для карты.",
    "cluster_fields.csv": "Наше соотнесение каждого пилотного кластера с отраслями глобального распределения кластеров.",
    "category_maps.csv": "Соотнесение категорий российских и мировых распределений с общими категориями для сравнения.",
}
#: The licence's name and text in Russian, by its name in the data package.
LICENCES_RU = {"CC-BY-4.0": ("Creative Commons «Атрибуция» 4.0 Международная",
                             "https://creativecommons.org/licenses/by/4.0/deed.ru")}


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
    per_file = ds.observation_rows(columns=["_file"])["_file"].value_counts()  # counts: not the values themselves
    names = dict(zip(ds["references"]["id"], ds["references"]["short_name"]))
    tables, sources = [], []
    for res in descriptor["resources"]:
        rel = res["path"]
        if rel.startswith(f"{schemas.OBSERVATIONS_DIR}/"):
            source = rel.removeprefix(f"{schemas.OBSERVATIONS_DIR}/").removesuffix(".csv")
            name = names.get(source, source)
            sources.append(_row(rel, say(f"The figures read from {name}, one per row.",
                                         f"Значения из источника {name}, по одному в строке."),
                                int(per_file.get(rel, 0)), len(res["schema"]["fields"])))
        else:
            holds = say(res["description"], DESCRIPTIONS_RU.get(rel, TRANSLATIONS_RU if rel.startswith(
                f"{schemas.TRANSLATIONS_DIR}/") else res["description"]))
            rows = language.rows(ds.root, rel) if rel.startswith(f"{schemas.TRANSLATIONS_DIR}/") else len(ds.tables[rel])
            tables.append(_row(rel, holds, rows, len(res["schema"]["fields"])))
    combined = []
    if sources:
        combined = [_row(ALL_OBSERVATIONS, say(f"{schemas.OBSERVATIONS[2]} The files of the source documents below, "
                                               "in one table.",
                                               "Все значения о кластерах и группах в длинном формате: файлы "
                                               "документов-источников, перечисленные ниже, в одной таблице."),
                         int(per_file.sum()), sources[0][say("Columns", "Столбцов")])]
    package = _row(DESCRIPTOR, descriptor_summary(descriptor), None, None)
    rows, columns = say("Rows", "Строк"), say("Columns", "Столбцов")
    return pd.DataFrame(tables + combined + sources + [package]).astype({rows: "Int64", columns: "Int64"})


def _row(path: str, holds: str, rows: int | None, columns: int | None) -> dict:
    """A file's row; the Russian edition's pages sit one folder down (ru/), so its links go up to the data."""
    link = f"[`{path}`]({say('', '../')}{DATA_FOLDER}{path})"
    return {say("File", "Файл"): link, say("What it holds", "Содержание"): md_escape(holds),
            say("Rows", "Строк"): rows, say("Columns", "Столбцов"): columns}


def descriptor_summary(descriptor: dict) -> str:
    n = len(descriptor["resources"])
    return say(f"The Frictionless Data Package that describes the {n} tables above "
               f"(all but {ALL_OBSERVATIONS}): "
               "each field's type, meaning and allowed values, the keys that join the tables, the licence "
               "and the source documents.",
               f"Пакет данных Frictionless с описанием перечисленных выше таблиц, кроме {ALL_OBSERVATIONS} "
               f"(всего таблиц — {n}): тип, смысл и допустимые значения каждого поля, ключи, связывающие таблицы, "
               "лицензия и документы-источники.")


def data_citation(f: citation.Facts) -> str:
    """The data set as the edition it belongs to: authors, year, title, edition and where its data is."""
    return citation.how_to_cite(f, data=DATA_FOLDER)


def open_data(ds: Dataset, facts: citation.Facts | None = None) -> OpenData:
    descriptor = datapackage.descriptor(ds.root)
    table = files(ds, descriptor)
    licence = descriptor["licenses"][0]
    title_ru, path_ru = LICENCES_RU.get(licence["name"], (licence["title"], licence["path"]))
    f = facts or citation.facts()
    obs = [r["path"].startswith(f"{schemas.OBSERVATIONS_DIR}/") for r in descriptor["resources"]]
    return OpenData(
        files=table, n_tables=obs.count(False), n_observation_files=obs.count(True),
        n_observations=num(len(ds.observation_rows(columns=["_file"]))),
        licence_link=f"[{md_escape(say(licence['title'], title_ru))}]({say(licence['path'], path_ru)})",
        citation=data_citation(f), released=f.released,
    )
