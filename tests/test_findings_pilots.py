"""What the pilot-clusters chapter quotes, checked by hand against the shipped data.

Each expected value was read from the data file named in the comment beside it, not computed
with the code under test. Counts over data/clusters.csv are over its 25 rows of kind `pilot`.
"""

from __future__ import annotations

import csv
import dataclasses
import io

import pandas as pd
import pytest

from analysis.data import load
from analysis.report.findings import pilots


@pytest.fixture(scope="module")
def f():
    return pilots.findings(load())


def test_the_pilot_list_counts_support_groups_by_how_sure_we_are(f):
    p = f.pilots
    # clusters.csv: 25 pilots; support_group 1 on 14 rows and 2 on 11; support_group_confidence S 7, P 6, M 12
    assert (p.count, p.group1, p.group2) == (25, 14, 11)
    assert (p.group_stated, p.group_confirmed, p.group_from_knowledge) == (7, 6, 12)
    # clusters.csv: confidence M only on novosibirsk-it-bio and altai-biopharma, in file order
    assert p.uncertain_names == "Novosibirsk IT and biopharma and Altai biopharma"


def test_the_pilot_table_marks_each_value_that_rests_on_general_knowledge(f):
    table = f.pilots.table.set_index("Cluster")
    assert len(table) == 25
    # clusters.csv sarov: city Sarov (S), group 1 with confidence M
    assert table.loc["Sarov", "Support group"] == "1 (M)" and table.loc["Sarov", "Main city"] == "Sarov"
    # clusters.csv altai-biopharma: name, city, industry group and support group all M
    altai = table.loc["Altai biopharma (M)"]
    assert (altai["Main city"], altai["Support group"]) == ("Biysk / Barnaul (M)", "1 (M)")
    assert altai["Industry group"] == "Pharmaceuticals, biotechnology and medical industry (M)"
    # sorted by industry label, then short name: aircraft first (vocabularies.yml industry_group)
    assert list(f.pilots.table["Cluster"])[:2] == ["Arkhangelsk shipbuilding", "Khabarovsk"]


def test_industries_are_ranked_by_pilots_then_by_size(f):
    ind = f.industries
    # clusters.csv industry_group: pharma 6, aerospace 5, chemistry 4, nuclear 4, ICT 3, new materials 3
    assert ind.count == 6
    assert (ind.top, ind.top_pilots) == ("Pharmaceuticals, biotechnology and medical industry", "6")
    assert (ind.fewest, ind.fewest_pilots) == ("ICT and electronics, and new materials", "3")
    # distributions.csv:2-7 (002 Figure 1): ICT 60 is the largest average, new materials 24 the smallest
    assert (ind.largest, ind.largest_avg, ind.smallest, ind.smallest_avg) == (
        "ICT and electronics", "60", "New materials", "24")
    assert ind.source == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), Figure 1"
    table = ind.table.set_index("Industry group")
    # chemistry and nuclear both have 4 pilots; chemistry's average (47) is larger, so it comes first
    assert list(ind.table["Industry group"])[2:4] == ["Chemistry and petrochemicals", "Nuclear and radiation technologies"]
    assert table.loc["Pharmaceuticals, biotechnology and medical industry", "Support group 2"] == 0
    assert table.loc["Aircraft, space and shipbuilding"].tolist() == [5, 1, 4, 42]


def test_industry_groups_that_are_our_reading_are_named(f):
    # clusters.csv industry_group_confidence M: six pilots, listed alphabetically
    assert f.industries.uncertain_count == 6
    assert f.industries.uncertain_names == (
        "Altai biopharma, Kemerovo coal processing, Khabarovsk, Novosibirsk IT and biopharma, Phystech XXI and Zelenograd")


def test_geography_counts_regions_the_capital_and_the_east(f):
    g = f.geography
    # clusters.csv region: 20 federal subjects once 'St Petersburg and Leningrad Oblast' is split;
    # Moscow, Moscow Oblast, St Petersburg, Nizhny Novgorod Oblast and Ulyanovsk Oblast host two or more
    assert (g.regions, g.regions_with_several) == (20, 5)
    # clusters.csv: Zelenograd and Troitsk in Moscow; Dubna, Pushchino and Phystech XXI in Moscow Oblast (file order)
    assert g.capital_count == 5
    assert g.capital_names == "Zelenograd, Troitsk new materials, Dubna nuclear physics, Pushchino biotechnology and Phystech XXI"
    assert g.east_count == 6 and g.east_names.endswith("Tomsk pharma and IT and Zheleznogorsk")
    # clusters.csv kind: 8 russian_other, 12 foreign in 8 countries, 2 of them initiatives
    assert (g.other_russian, g.foreign, g.foreign_countries, g.foreign_initiatives) == (8, 12, 8, 2)


def test_mergers_quote_the_tomsk_counts_and_the_later_programme(f):
    m = f.mergers
    # observations/kutsenko-2015.csv:21-22 (tomsk-it 131 in 2012; tomsk-pharma-it 61 in 2013, 002 fn 10)
    assert (m.tomsk_year, m.tomsk_it_members, m.tomsk_merged_participants) == (2013, "131", "61")
    assert m.tomsk_source == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), footnote 10"
    assert m.st_petersburg_source == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), footnote 9"
    # observations/kutsenko-2015.csv:17 (21 programmes in the SME sample)
    assert m.sme_sample == "21"
    # policy_timeline.csv:16 (priority-project, 2016, grebenik-2021, 004 section 2)
    assert m.priority_year == 2016
    assert m.priority_name == "'Development of innovative clusters - leaders of world-class investment attractiveness'"
    assert m.priority_source == "[Grebenik et al. (2021)](11-references.qmd#ref-grebenik-2021), section '2. Main part'"
    # observations/anon-2021-investment.csv:5 (11 in 2021) and sources.csv (its short name)
    assert m.remaining_source == "[Unidentified paper on cluster investment attractiveness (c. 2021)](11-references.qmd#ref-anon-2021-investment), section 'Study results'"


def test_towns_mark_a_closed_status_that_rests_on_general_knowledge(f):
    t = f.towns
    # clusters.csv: single_industry_city on Arkhangelsk, Dimitrovgrad, Sarov, Zheleznogorsk; closed_city on the last two,
    # Sarov's closed status being general knowledge (its note)
    assert (t.count, t.closed_count) == (4, 2)
    assert t.closed_stated_names == "Zheleznogorsk" and t.dimitrovgrad == "Dimitrovgrad nuclear"
    table = t.table.set_index("Cluster (town)")
    assert table.loc["Sarov", "Closed city (ZATO)"] == "yes (M)" and table.loc["Zheleznogorsk", "Closed city (ZATO)"] == "yes"
    # a town is named only where the short name does not already say it
    assert "Arkhangelsk shipbuilding (Severodvinsk)" in table.index and "Dimitrovgrad nuclear" in table.index
    assert t.source == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), footnote 7 and section 'The Anna Karenina Principle'"


def test_every_value_is_plain_for_inline_display(f):
    for section in dataclasses.fields(f):
        part = getattr(f, section.name)
        for field in dataclasses.fields(part):
            value = getattr(part, field.name)
            assert type(value) in (str, int, pd.DataFrame), (section.name, field.name, type(value))


def test_names_from_the_data_come_escaped_for_markdown(data_copy):
    path = data_copy / "clusters.csv"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("zheleznogorsk,"))
    fields = next(csv.reader([row]))
    fields[2] = "Zh <b>*x*</b>"  # short_name
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    path.write_text(text.replace(row, out.getvalue()), encoding="utf-8")
    f = pilots.findings(load(data_copy))
    assert f.towns.closed_stated_names == r"Zh \<b\>\*x\*\</b\>"
    assert f.geography.east_names.endswith(r"Tomsk pharma and IT and Zh \<b\>\*x\*\</b\>")


@pytest.fixture(scope="module")
def ru():
    """The findings in Russian, from the data with its Russian cluster names and regions (clusters.csv
    name_ru, short_name_ru, region_ru, city_ru); no other translations are needed for what is checked."""
    from analysis.data import language
    from analysis.text import speaking

    with speaking("ru"):
        yield pilots.findings(language.localized(load(), "ru", language.Translations({}, {}, {})))


def test_findings_in_russian_count_the_capital_and_the_east_from_russian_region_names(ru, f):
    # clusters.csv region_ru: Москва (2), Московская область (3); Сибирь и Дальний Восток 6;
    # «Санкт-Петербург и Ленинградская область» counts for both subjects, as in English
    g = ru.geography
    assert (g.regions, g.regions_with_several, g.capital_count, g.east_count) == (20, 5, 5, 6)
    assert (g.capital_count, g.east_count) == (f.geography.capital_count, f.geography.east_count)
    # short names with commas of their own are quoted, so the list reads unambiguously
    assert g.capital_names == ("«Зеленоград», «Троицк, новые материалы», «Дубна, ядерная физика», "
                               "«Пущино, биотехнологии» и «Физтех XXI»")
    assert ru.pilots.uncertain_names == "«Новосибирск, ИТ и биофармацевтика» и «Алтайский край, биофармацевтика»"


def test_findings_in_russian_keep_the_numbers_and_say_the_tables_in_russian(ru, f):
    assert (ru.pilots.count, ru.pilots.group1, ru.pilots.group2, ru.industries.count) == (25, 14, 11, 6)
    assert (ru.mergers.tomsk_it_members, ru.mergers.tomsk_merged_participants, ru.mergers.sme_sample) == ("131", "61", "21")
    assert list(ru.pilots.table.columns) == ["Кластер", "Регион", "Основной город", "Отраслевая группа", "Группа поддержки"]
    towns = ru.towns.table.set_index("Кластер (город)")
    # clusters.csv sarov: closed status from general knowledge; zheleznogorsk: stated
    assert towns.loc["Саров", "ЗАТО"] == "да (M)" and towns.loc["Железногорск", "ЗАТО"] == "да"
    assert set(towns["Моногород"]) == {"да"}
    assert ru.towns.closed_stated_names == "«Железногорск»"
    # a locator reads in Russian, both of its places: footnote 7 and the section
    assert ru.towns.source.endswith("сноска 7 и раздел «The Anna Karenina Principle»")
    assert f.towns.source.endswith("footnote 7 and section 'The Anna Karenina Principle'")
