"""What the home page quotes about the Best-Practice Collection, checked by hand against the shipped data."""

from __future__ import annotations

import re

import pytest

from analysis.data import load
from analysis.report.findings import home


@pytest.fixture(scope="module")
def f():
    return home.findings(load())


def test_the_collection_is_counted_by_practice_theme_and_country(f):
    # data/practices/BP-001 ... BP-052: 52 active practices under the 10 signs of signs.yml, from 12 origins
    assert (f.practices, f.themes, f.countries) == (52, 10, 12)


def test_the_sample_citation_names_the_first_practice(f):
    # data/practices/BP-001-*.md: title
    assert f.example_id == "BP-001"
    assert f.example_title == "A nuclear cluster puts the amenities of its home town into its programme"


def test_the_index_tables_link_every_practice(f):
    for table, key in ((f.by_theme, "Theme"), (f.by_country, "Origin")):
        assert len(table) == 52 and table.columns[0] == key
        assert all(re.fullmatch(r"\[BP-\d{3}\]\(#bp-\d{3}\)", link) for link in table["Practice"])
    assert f.by_country.iloc[0]["Origin"] == "Austria"
    # themes come in the collection's (the signs') order, not alphabetically
    signs = list(load().sign_table["label"])
    themes = list(dict.fromkeys(f.by_theme["Theme"]))
    assert themes == [s for s in signs if s in themes] and themes != sorted(themes)


def test_a_practice_title_from_the_data_comes_escaped(data_copy):
    path = next((data_copy / "practices").glob("BP-001-*.md"))
    path.write_text(re.sub(r"^title: .*$", 'title: "A <b>*bold*</b> claim"', path.read_text(encoding="utf-8"),
                           count=1, flags=re.M), encoding="utf-8")
    assert home.findings(load(data_copy)).example_title == r"A \<b\>\*bold\*\</b\> claim"
