"""What the programme chapter (and the home page) quotes, checked by hand against the shipped data.

Each expected value was read from the data file named in the comment beside it (file:line),
not computed with the code under test.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.data import load
from analysis.report.findings import programme


@pytest.fixture(scope="module")
def f():
    return programme.findings(load())


def test_selection_counts_and_years_read_as_the_sources_give_them(f):
    # observations/kutsenko-2015.csv:2-4 (25 selected in 2012, 94 applications, 5 years of support)
    assert (f.selected, f.applications, f.selection_year, f.support_years) == (25, 94, 2012, 5)
    # observations/kutsenko-2015.csv:5-6 (14 in group 1 from 2013, 11 in group 2 from 2014)
    assert (f.group1, f.group1_year, f.group2, f.group2_year) == (14, 2013, 11, 2014)


def test_years_are_ints_so_they_never_print_with_a_thousands_separator(f):
    for year in (f.selection_year, f.group1_year, f.group2_year, f.remaining_year):
        assert type(year) is int and "," not in str(year)


def test_amounts_read_as_prose_numbers(f):
    # observations/kutsenko-2015.csv:7 (RUB 1.3 bn to group 1 in 2013) and :9 (almost RUB 650 mn for centres)
    assert (f.group1_subsidy_bn, f.dev_centre_subsidy_mn) == ("1.3", "650")


def test_spending_areas_and_what_followed(f):
    # observations/ipp-russia.csv:3-4 (2 of 5 areas chosen); programme.yml spending_areas lists the 5
    assert (f.spending_areas_chosen, f.spending_areas) == (2, 5)
    assert list(f.spending_table["Spending area"])[:2] == ["Purchase of new equipment", "Additional education and training"]
    assert len(f.spending_table) == 5
    # observations/anon-2021-investment.csv:4 (undated 27) and :5 (11 in 2021)
    assert (f.later_count, f.remaining, f.remaining_year) == (27, 11, 2021)


def test_development_centres_are_counted_by_the_type_of_region(f):
    # observations/kutsenko-2015.csv:10 (25 regions); programme.yml development_centre_regions:
    # 17 oblasts, 4 republics, 2 krais, 1 federal city and 1 autonomous okrug
    assert (f.dev_centre_regions, f.dev_centre_oblasts, f.dev_centre_republics) == (25, 17, 4)


def test_the_approaches_table_has_one_row_per_element_of_policy(f):
    # programme.yml policy_approaches: 4 elements, from 'Concept of a cluster'
    assert list(f.approaches.columns) == ["Element of policy", "EU countries", "East Asia and other regions"]
    assert len(f.approaches) == 4 and f.approaches.iloc[0]["Element of policy"] == "Concept of a cluster"


def test_every_value_is_plain_for_inline_display(f):
    for field in dataclasses.fields(f):
        value = getattr(f, field.name)
        assert type(value) in (str, int, type(None), pd.DataFrame), (field.name, type(value))


def test_findings_in_russian_keep_the_numbers_and_use_russian_conventions():
    from analysis.text import speaking

    with speaking("ru"):
        ru = programme.findings(load())
    # the same values as in English; the decimal comma is Russian (observations/kutsenko-2015.csv:7)
    assert (ru.selected, ru.applications, ru.group1, ru.group2, ru.remaining) == (25, 94, 14, 11, 11)
    assert (ru.group1_subsidy_bn, ru.dev_centre_subsidy_mn) == ("1,3", "650")
    assert list(ru.approaches.columns) == ["Элемент политики", "Страны ЕС", "Восточная Азия и другие регионы"]
    assert list(ru.spending_table.columns) == ["Направление расходов"] and len(ru.spending_table) == 5


def test_the_english_findings_are_unchanged_after_a_russian_reading(f):
    from analysis.text import speaking

    with speaking("ru"):
        programme.findings(load())
    again = programme.findings(load())
    assert again.group1_subsidy_bn == f.group1_subsidy_bn == "1.3"
    assert list(again.approaches.columns) == list(f.approaches.columns)
