"""What the methodology chapter quotes, checked by hand against the shipped data.

Each expected value was read from the data file named in the comment beside it, not computed
with the code under test.
"""

from __future__ import annotations

import pytest

from analysis.data import load
from analysis.report.findings import methodology


@pytest.fixture(scope="module")
def f():
    return methodology.findings(load())


def test_sources_are_counted_with_those_cited_by_description(f):
    # sources.csv: 8 rows; identified false on anon-2020-success-factors and anon-2021-investment
    assert (f.sources, f.unidentified) == (8, 2)


def test_observations_are_counted_by_quality_flag(f):
    # observations/*.csv: 163 rows; quality reported 117, derived 19, estimate 21, ambiguous 6
    assert (f.observations, f.reported, f.derived, f.estimates, f.ambiguous) == ("163", "117", "19", "21", "6")
    # vocabularies.yml quality: the four flags in this order
    assert list(f.quality_table["Flag"]) == ["reported", "derived", "estimate", "ambiguous"]
    assert list(f.quality_table["Observations"]) == [117, 19, 21, 6]


def test_the_sources_table_links_each_source_and_shows_no_ids_or_nan(f):
    table = f.sources_table
    assert list(table.columns) == ["Source", "What it is", "Year", "Licence"]
    # references.csv: the 5 documents and 3 data sources; ids appear only inside the links to the References
    assert len(table) == 8 and table["Source"].str.match(r"^\[[^\]]+\]\(11-references\.qmd#ref-[a-z0-9-]+\)$").all()
    assert table.iloc[0]["Source"] == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015)"
    shown = table.drop(columns="Source").astype(str)
    assert not shown.isin(["nan", "None", "", "<NA>"]).any().any()
    by_name = table.set_index(table["Source"].str.extract(r"^\[([^\]]+)\]")[0])
    # ipp-russia has no year and no licence; the unidentified article's year is approximate
    assert tuple(by_name.loc["IPP country report (Russia)", ["Year", "Licence"]]) == ("not stated", "not stated")
    assert by_name.loc["Unidentified article on clustering success factors (c. 2020)", "Year"] == "about 2020"
    assert by_name.loc["Natural Earth", "Licence"] == "Public domain"


def test_the_scorecard_rationale_reads_as_written(f):
    # scorecard.yml:5-8; an apostrophe needs no escaping, a quote mark none either
    assert f.scorecard_rationale.startswith("Kutsenko's model holds that a cluster is sustainable")
    assert '("unknown")' in f.scorecard_rationale


def test_the_dictionary_gives_each_table_a_heading_and_its_fields(f):
    assert f.dictionary.count("**`") == f.tables and f.tables > 1
    assert f.dictionary.startswith("**`references.csv`**: References.\n\n| Field ")
    # every field is one row of one table: header and rule lines aside, rows equal the field count
    rows = [line for line in f.dictionary.splitlines() if line.startswith("| ") and not line.startswith("| Field ")]
    assert len(rows) == f.fields


def test_findings_in_russian_keep_the_numbers_and_use_russian_words():
    from analysis.text import speaking

    with speaking("ru"):
        ru = methodology.findings(load())
    # the same counts as in English (observations/*.csv: 163 rows; 117 reported, 19 derived, 21 estimate, 6 ambiguous)
    assert (ru.sources, ru.unidentified, ru.observations, ru.reported, ru.derived, ru.estimates, ru.ambiguous) == (
        8, 2, "163", "117", "19", "21", "6")
    table = ru.sources_table
    assert list(table.columns) == ["Источник", "Вид", "Год", "Лицензия"]
    assert table.iloc[0]["Источник"] == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015)"
    assert table.iloc[0]["Вид"] == "Статья в журнале"
    by_name = table.set_index(table["Источник"].str.extract(r"^\[([^\]]+)\]")[0])
    assert tuple(by_name.loc["IPP country report (Russia)", ["Год", "Лицензия"]]) == ("не указан", "не указана")
    assert by_name.loc["Unidentified article on clustering success factors (c. 2020)", "Год"] == "около 2020"
    # the flags in the glossary's words (data/glossary.csv), with the same counts
    assert list(ru.quality_table.columns) == ["Отметка", "Что означает", "Наблюдений"]
    assert list(ru.quality_table["Отметка"]) == ["по данным источника", "расчётное", "оценка источника", "неоднозначное"]
    assert list(ru.quality_table["Наблюдений"]) == [117, 19, 21, 6]
    assert ru.dictionary.startswith("**`references.csv`**: Список литературы.\n\n| Поле ")
    english = methodology.findings(load())
    assert "| да " in ru.dictionary and "| yes " not in ru.dictionary
    assert (ru.tables, ru.fields) == (english.tables, english.fields)  # the same data dictionary, in Russian
    # English is spoken again outside the block
    assert list(english.quality_table.columns) == ["Flag", "Meaning", "Observations"]


def _dictionary_rows(markdown: str) -> list[tuple[str, str]]:
    """(field, description) of every row of the data dictionary's pipe tables, header and rule lines aside."""
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in markdown.splitlines()
            if line.startswith("| ") and not line.startswith(("| Field ", "| Поле "))]
    return [(cells[0], cells[-1]) for cells in rows]


def test_the_russian_dictionary_describes_every_field_in_russian_and_keeps_the_column_names():
    import re

    from analysis.text import speaking

    with speaking("ru"):
        ru = _dictionary_rows(methodology.findings(load()).dictionary)
    en = _dictionary_rows(methodology.findings(load()).dictionary)
    assert len(ru) == len(en) > 100
    # the column names are the files' own, in the same order
    assert [field for field, _ in ru] == [field for field, _ in en]
    # every description is translated (data/ru/dictionary.csv); only one that is nothing but codes may read the same
    only_codes = re.compile(r"[a-z0-9_]+(?:, [a-z0-9_]+)*(?: or [a-z0-9_]+)?\.{0,3}")
    same = [d for (_, d), (_, e) in zip(ru, en) if d == e and not only_codes.fullmatch(e)]
    assert same == []
    assert all(re.search("[а-яё]", d, re.I) for _, d in ru if d)
    # clusters.csv kind and location_confidence: the vocabulary's codes and its name stay as maintainers type them
    assert ("kind", "pilot, pilot_component, russian_other или foreign (vocabularies.yml: cluster_kind).") in ru
    assert ("location_confidence", "Уровень достоверности сведений о регионе и городе: S, P или M.") in ru
