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


def test_a_source_without_a_licence_shows_an_empty_cell_not_nan(f):
    table = f.sources_table.set_index("Id")
    # sources.csv: ipp-russia has no licence; natural-earth is public domain
    assert table.loc["ipp-russia", "Licence"] == "" and table.loc["natural-earth", "Licence"] == "Public domain"
    assert list(f.sources_table.columns) == ["Id", "Source", "Year", "Identified", "Licence"]
    assert table.loc["anon-2021-investment", "Identified"] == "no"


def test_the_scorecard_rationale_reads_as_written(f):
    # scorecard.yml:5-8; an apostrophe needs no escaping, a quote mark none either
    assert f.scorecard_rationale.startswith("Kutsenko's model holds that a cluster is sustainable")
    assert '("unknown")' in f.scorecard_rationale


def test_the_dictionary_gives_each_table_a_heading_and_its_fields(f):
    assert f.dictionary.count("**`") == f.tables and f.tables > 1
    assert f.dictionary.startswith("**`sources.csv`**: Sources.\n\n| Field ")
    # every field is one row of one table: header and rule lines aside, rows equal the field count
    rows = [line for line in f.dictionary.splitlines() if line.startswith("| ") and not line.startswith("| Field ")]
    assert len(rows) == f.fields
