"""Profile pages: the at-a-glance header, the verdicts against the benchmarks, the scorecard row and sparse pages."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis import indicators
from analysis.data import load
from analysis.paths import DATA
from analysis.report import profiles, verdicts


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


@pytest.fixture(scope="module")
def ranks(ds):
    return indicators.scores(ds).set_index("cluster")


def figure(value, qualifier="exact", *, indicator="participants", scope="initiative", unit="organisations", high=None,
           quality="reported", breakdown=None) -> pd.Series:
    return pd.Series({"indicator": indicator, "value": value, "qualifier": qualifier, "value_high": high, "scope": scope,
                      "unit": unit, "quality": quality, "breakdown": breakdown})


def benchmark(comparator, value, high=None, *, indicator="participants", applies_to="initiative", unit="organisations") -> pd.Series:
    return pd.Series({"indicator": indicator, "comparator": comparator, "value": value, "value_high": high,
                      "applies_to": applies_to, "unit": unit})


@pytest.mark.parametrize(("fig", "bench", "direction", "verdict", "reason"), [
    (figure(131), benchmark("range", 30, 50), "higher_better", "meets", ""),
    (figure(20, "less_than"), benchmark("range", 30, 50), "higher_better", "below", ""),
    (figure(40), benchmark("range", 30, 50), "higher_better", "cant_tell", "within_range"),
    (figure(35, "more_than"), benchmark("range", 30, 50), "higher_better", "cant_tell", "imprecise"),
    (figure(100), benchmark("at_least", 100), "higher_better", "meets", ""),
    (figure(100), benchmark("more_than", 100), "higher_better", "below", ""),
    (figure(60), benchmark("average", 80), "higher_better", "below", ""),
    (figure(50, "less_than", unit="percent", indicator="business_share"),
     benchmark("more_than", 50, unit="percent", indicator="business_share"), "higher_better", "below", ""),
    (figure(60, "less_than", unit="percent", indicator="business_share"),
     benchmark("more_than", 50, unit="percent", indicator="business_share"), "higher_better", "cant_tell", "imprecise"),
    (figure(55, "about", unit="percent", indicator="business_share"),
     benchmark("more_than", 50, unit="percent", indicator="business_share"), "higher_better", "cant_tell", "imprecise"),
    (figure(10, "more_than", unit="years"), benchmark("range", 3, 6, unit="years"), "neutral", "above", ""),
    (figure(5), benchmark("less_than", 10), "lower_better", "meets", ""),
    (figure(15), benchmark("less_than", 10), "lower_better", "above", ""),
])
def test_a_figure_is_decided_only_where_every_value_its_qualifier_allows_agrees(fig, bench, direction, verdict, reason):
    v = verdicts.compare(fig, bench, direction)
    assert (v.verdict, v.reason) == (verdict, reason)


@pytest.mark.parametrize(("fig", "reason"), [
    (figure(400, "about", indicator="organisations", scope="regional_industry"), "different_scope"),
    (figure(400, indicator="organisations"), "different_measure"),
    (figure(400, unit="people"), "different_unit"),
    (figure(400, breakdown="smes"), "part_only"),
    (figure(float("nan")), "no_value"),
    (figure(400, quality="ambiguous"), "ambiguous"),
])
def test_unlike_figures_are_never_decided(fig, reason):
    v = verdicts.compare(fig, benchmark("at_least", 100), "higher_better")
    assert (v.verdict, v.reason) == ("cant_tell", reason)
    assert (v.figure_scope, v.benchmark_scope) == (fig["scope"], "initiative")


def test_counts_that_only_look_like_participants_meet_the_size_benchmarks(ds):
    size = set(ds["benchmarks"].loc[ds["benchmarks"]["indicator"] == "participants", "id"])
    assert set(verdicts.benchmarks_for("organisations", ds["benchmarks"])["id"]) == size
    assert verdicts.benchmarks_for("employees", ds["benchmarks"]).empty


def test_a_whole_industry_is_not_set_against_benchmarks_for_initiatives(ds, ranks):
    text = profiles.profile_markdown(ds, "chemsite", ranks)
    section = text.split("## Against the benchmarks")[1].split("\n## ")[0]
    assert "Organisations: about 400 organisations" in section
    assert "? Can't tell: different scope" in section
    assert "figure: whole industry or park; benchmark: cluster initiative" in section
    assert "30-50" not in section  # no benchmark value is quoted beside a figure it is not compared with
    assert "Meets" not in section and "Below" not in section


def test_the_verdicts_are_counted_in_a_sentence():
    assert profiles._verdict_summary(pd.Series({verdicts.BELOW: 1})) == "The cluster's figure falls short of the benchmark."
    mixed = pd.Series({verdicts.CANT_TELL: 3, verdicts.MEETS: 2, verdicts.BELOW: 1})
    assert profiles._verdict_summary(mixed) == "Of the 6 comparisons in the table, 2 meet the benchmark, 1 falls short and 3 can't be told."


def test_benchmark_lines_carry_units_and_verdicts(ds, ranks):
    text = profiles.profile_markdown(ds, "zheleznogorsk", ranks)
    assert "| more than 50% | Share of companies among participants: less than 50% (2013) | both: cluster initiative | ▼ Below |" in text
    assert "| 30-50 organisations | Official participants: less than 20 organisations (2013) |" in text
    assert "All 6 comparisons in the table fall short." in text
    assert "share of companies, 50" not in text


def test_the_header_gives_kind_place_industry_key_numbers_and_coverage(ds, ranks):
    text = profiles.profile_markdown(ds, "kaluga-pharma", ranks)
    glance = text.split("## At a glance")[1].split("\n## ")[0]
    assert "- **Kind:** Pilot innovative territorial cluster" in glance
    assert "- **Where:** Kaluga Oblast, Russia" in glance
    assert "- **Support group:** Group 1" in glance
    assert "Employees: 12,400 people (2019, whole industry or park)" in glance
    row = ranks.loc["kaluga-pharma"]
    assert f"a known status on {int(row['known'])} of {int(row['signs'])} scorecard signs ({row['coverage']:g}% coverage)" in glance
    assert text.index("## At a glance") < text.index("## Key facts")


def test_unknown_signs_collapse_into_one_line_and_known_ones_show_symbol_and_word(ds, ranks):
    text = profiles.profile_markdown(ds, "bashkortostan-petrochem", ranks)
    card = text.split("## Scorecard")[1].split("\n## ")[0]
    unknown = int(ranks.loc["bashkortostan-petrochem", "unknown"])
    assert f"No evidence on {unknown} signs: Developed urban environment;" in card
    assert "| ✕ Fails |" in card
    assert "| unknown |" not in card and "no evidence in the sources" not in card
    assert card.count("\n| ") == 1 + int(ranks.loc["bashkortostan-petrochem", "known"])  # the header, then the known signs
    assert "Insufficient evidence" in card and "no score, light or rank" in card


def test_sparse_profiles_say_so_at_the_top_and_ask_for_a_compact_heading(ds, ranks):
    sparse = profiles.profile_markdown(ds, "altai-biopharm", ranks)
    first, sentence = sparse.split("\n\n")[:2]
    assert first == "# Altai biopharma {#sec-profile-altai-biopharm .unnumbered .cb-compact}"
    assert sentence.startswith("The sources say little about this cluster") and "no figures" in sentence
    assert "No evidence on 10 signs (every sign)" in sparse
    rich = profiles.profile_markdown(ds, "kaluga-pharma", ranks)
    assert "say little" not in rich and ".cb-compact" not in rich.splitlines()[0]


def test_every_profile_stays_small(ds, ranks):
    sizes = {cid: len(profiles.profile_markdown(ds, cid, ranks).encode()) for cid in ds["clusters"]["id"]}
    assert max(sizes.values()) < 30_000, max(sizes.items(), key=lambda kv: kv[1])
