"""What the methodology chapter says: the sources, the quality of the observations, the data dictionary.

Counts are `int` or formatted `str`; fields typed `MarkdownText` are Markdown with the data's
words escaped, for the chapter to show with `ctx.md(...)`; DataFrames are the chapter's tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.data import Dataset, datapackage, language
from analysis.data.schemas import REFERENCE_TYPES
from analysis.report import citation
from analysis.text import md_escape, num, say

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


#: What a work is (`REFERENCE_TYPES`), in Russian.
REFERENCE_TYPES_RU = {"article": "Статья в журнале", "paper": "Доклад на конференции или статья", "book": "Книга",
                      "report": "Отчёт", "working-paper": "Рабочий доклад", "preprint": "Препринт",
                      "web-page": "Веб-страница", "dataset": "Набор данных", "unknown": "Вид не известен"}
#: The quality flags as Russian readers know them (data/glossary.csv), when the data's terms do not give them.
QUALITY_RU = {"reported": "по данным источника", "derived": "расчётное", "estimate": "оценка источника",
              "ambiguous": "неоднозначное"}
#: The data dictionary's words in Russian: the tables' titles, the field types and 'yes'/'no'.
TABLES_RU = {
    "References": "Список литературы", "Sources": "Источники", "Clusters": "Кластеры", "Groups": "Группы",
    "Indicators": "Показатели", "Benchmarks": "Международные ориентиры", "Clusters by country": "Кластеры по странам",
    "Distributions": "Распределения", "Policy timeline": "Хронология политики", "Assessments": "Оценки",
    "Cluster attributes": "Характеристики кластеров", "Success factors": "Факторы успеха",
    "Preconditions": "Предпосылки", "Factor lists": "Перечни факторов",
    "Stakeholder interests": "Интересы заинтересованных сторон", "Cluster locations": "Местоположение кластеров",
    "Pilot clusters by global field": "Пилотные кластеры по отраслям глобального обзора",
    "Category mappings": "Соответствие категорий", "Observations": "Наблюдения",
}
#: The `file` and `field` under which data/ru/dictionary.csv holds the Russian of the schemas' field descriptions.
DICTIONARY_FILE, DICTIONARY_FIELD = "datapackage.json", "description"
WORDS_RU = {"string": "строка", "integer": "целое число", "boolean": "логическое", "number": "число",
            "yes": "да", "no": "нет"}


def _ru(word: str, table: dict[str, str]) -> str:
    """`word`, or in Russian its translation from `table` (the word itself where the table has none)."""
    return say(word, table.get(word, word)) if isinstance(word, str) else word


def _sources_table(ds: Dataset) -> pd.DataFrame:
    """One row per source document or data set: its name (linked to its full entry), what it is, its year and
    licence, in words ('not stated' rather than an empty cell)."""
    refs = ds["references"]
    shown = refs[refs["basis"].isin(["source", "data"])]
    return pd.DataFrame({
        say("Source", "Источник"): [citation.work(ds, ref_id) for ref_id in shown["id"]],
        say("What it is", "Вид"): shown["type"].map(lambda t: say(REFERENCE_TYPES[t], REFERENCE_TYPES_RU[t])),
        say("Year", "Год"): [(say("not stated", "не указан") if pd.isna(y) else (say("about ", "около ") if c else "") + str(int(y)))
                             for y, c in zip(shown["year"], shown["circa"])],
        say("Licence", "Лицензия"): shown["licence"].fillna(say("not stated", "не указана")),
    })


def _dictionary_markdown(dictionary: pd.DataFrame, descriptions_ru: dict[str, str]) -> MarkdownText:
    """Per file: its name, its title, then its fields as a pipe table (the descriptions are ours, from the schemas;
    in Russian from `descriptions_ru`, English text -> Russian, data/ru/dictionary.csv)."""
    columns = {"field": say("Field", "Поле"), "type": say("Type", "Тип"), "required": say("Required", "Обязательное"),
               "description": say("Description", "Описание")}
    return "\n\n".join(
        f"**`{file}`**: {md_escape(_ru(part['table'].iloc[0], TABLES_RU))}.\n\n"
        + part[list(columns)].assign(type=part["type"].map(lambda w: _ru(w, WORDS_RU)),
                                     required=part["required"].map(lambda w: _ru(w, WORDS_RU)),
                                     description=part["description"].map(lambda d: _ru(d, descriptions_ru)))
        .rename(columns=columns).to_markdown(index=False)
        for file, part in dictionary.groupby("file", sort=False)
    )


def _flag(ds: Dataset, flag: str) -> str:
    """A quality flag as readers see it: the term itself in English, the data's Russian term (or the glossary's)."""
    terms = getattr(ds, "terms", None) or {}
    return say(flag, terms.get(f"quality.{flag}") or QUALITY_RU.get(flag, flag))


def findings(ds: Dataset) -> Methodology:
    sources = ds["sources"]
    flags = ds.observation_rows(columns=["quality"])["quality"]  # all rows, but a chapter depends on their flags only
    quality = flags.value_counts()
    dictionary = datapackage.dictionary()
    return Methodology(
        sources=len(sources), unidentified=int((~sources["identified"]).sum()), sources_table=_sources_table(ds),
        observations=num(len(flags)),
        reported=num(quality.get("reported", 0)), derived=num(quality.get("derived", 0)),
        estimates=num(quality.get("estimate", 0)), ambiguous=num(quality.get("ambiguous", 0)),
        quality_table=pd.DataFrame([{say("Flag", "Отметка"): _flag(ds, flag), say("Meaning", "Что означает"): meaning,
                                     say("Observations", "Наблюдений"): int(quality.get(flag, 0))}
                                    for flag, meaning in ds.vocab.quality.items()]),
        scorecard_rationale=md_escape(ds.scorecard.rationale.strip()),
        tables=dictionary["file"].nunique(), fields=len(dictionary),
        dictionary=_dictionary_markdown(
            dictionary, language.read(ds.root).labels.get((DICTIONARY_FILE, DICTIONARY_FIELD), {})),
    )
