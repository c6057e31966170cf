"""What the chapter on foreign reference clusters quotes, checked by hand against the shipped data.

Each expected value was read from the data files named in the comment beside it (file:line),
not computed with the code under test. "obs/001" is data/observations/anon-2020-success-factors.csv.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from analysis.data import ROWS, load
from analysis.report.findings import foreign


@pytest.fixture(scope="module")
def f():
    return foreign.findings(load())


def test_the_figures_are_counted_by_cluster_country_scope_and_quality(f):
    # obs/001 rows 2-73 and kutsenko-2015.csv:53: 43 rows for 9 foreign clusters in the US, CA, CN, FI, DE and AT
    assert (f.n_clusters_with_figures, f.n_countries, f.n_figures) == (9, 6, 43)
    # scope "initiative": obs/001:38 (ChemSite parks), :43 (ChemCologne minimum), kutsenko-2015.csv:53 (Upper Austria)
    assert (f.n_initiative_figures, f.n_industry_figures) == (3, 40)
    # quality "ambiguous": obs/001:16, 22, 23, 31, 32, 43
    assert f.n_ambiguous == 6
    # all but Upper Austria (kutsenko-2015.csv:53) come from document 001
    assert f.n_profiles_from_main_source == 8
    assert f.main_source_locator == ("[Unidentified article on clustering success factors (c. 2020)](11-references.qmd#ref-anon-2020-success-factors), section "
                                     "'Case Analysis of Cluster Initiatives Development in Advanced Economies'")


def test_the_home_pages_counts_come_without_reading_a_value():
    ds = load()
    ds.reset_access()
    counts = foreign.figure_counts(ds)
    # as in the test above: 43 rows for 9 foreign clusters, 3 of them with scope "initiative"
    assert (counts.n_figures, counts.n_clusters_with_figures, counts.n_initiative_figures) == (43, 9, 3)
    read = [key for key in ds.accessed_files() if key.startswith("observations/")]
    assert read and all(json.loads(key.removeprefix(ROWS))["columns"] == ["entity", "scope"] for key in read)


def test_clusters_named_without_figures_are_listed_in_the_data_order(f):
    # clusters.csv:49-51 (foreign, no observations)
    assert f.named_only == "Sophia Antipolis, Silicon Valley and London technology cluster"


def test_founding_years_read_as_years_and_are_empty_when_not_stated(f):
    # clusters.csv:41 (1959), :42 (1916), :47 (1997); :43 Phoenix has none
    assert [f.founded[c] for c in ("research-triangle", "seattle-aerospace", "chemsite")] == ["1959", "1916", "1997"]
    assert f.founded["phoenix-aerospace"] == ""


def test_a_profile_gives_each_figure_with_qualifier_unit_year_and_scope(f):
    rtp = f.profiles["research-triangle"].set_index("Figure")
    assert list(rtp.columns) == ["Value (year)", "Scope", "Quality flag"]
    assert len(rtp) == 8  # obs/001:3-10
    assert rtp.loc["Employees", "Value (year)"] == "more than 50,000 people"  # obs/001:4
    assert rtp.loc["Jobs created", "Value (year)"] == "more than 2,600 people (2017)"  # obs/001:10
    assert rtp.loc["Investment by international companies", "Value (year)"] == "USD 460 million (2017)"  # obs/001:9
    assert rtp.loc["Share of jobs created by multinational companies", "Value (year)"] == "80%"  # obs/001:8
    assert set(rtp["Scope"]) == {"Whole regional industry or park"}
    chemsite = f.profiles["chemsite"].set_index("Figure")
    assert chemsite.loc["Chemical parks", "Scope"] == "Cluster initiative"  # obs/001:38
    # kutsenko-2015.csv:53: more_than 10 years
    assert f.upper_austria_support == "more than 10 years"


def test_values_keep_two_decimals(f):
    # obs/001:23 gdp_share 1.85 (about); obs/001:31 production_value 6.54 usd_bn, 2018
    montreal = f.profiles["aero-montreal"].set_index("Figure")
    assert montreal.loc["Share of GDP", "Value (year)"] == "about 1.85%"
    zhangjiang = f.profiles["zhangjiang"].set_index("Figure")
    assert zhangjiang.loc["Production value", "Value (year)"] == "USD 6.54 billion (2018)"


def test_ambiguous_figures_are_listed_with_their_reason(f):
    lines = f.ambiguous_list.splitlines()
    assert len(lines) == 6
    # obs/001:23 with its note; the label is lowered for the middle of the sentence
    assert lines[0].startswith("- **Aero Montreal, share of GDP: about 1.85%.** Text says the cluster adds about 1.85%")
    # obs/001:43
    assert "- **ChemCologne, employees per member enterprise (minimum): more than 1,000 people.** " in f.ambiguous_list


def test_employees_per_organisation_run_from_zhangjiang_to_chemcologne(f):
    # obs/001:27, 25: 120,000 / 5,380 = 22.3; obs/001:42, 41: 70,000 / 150 = 466.7; 466.7 / 22.3 = 20.9.
    # Both rest on approximate inputs ("about 120,000", "more than 70,000"), so they read to two figures.
    assert (f.lowest_per_organisation, f.lowest_per_organisation_name) == ("about 22", "Zhangjiang")
    assert (f.highest_per_organisation, f.highest_per_organisation_name) == ("about 470", "ChemCologne")
    assert f.per_organisation_factor == "21"
    # 6 employee ratios (RTP, Seattle, Montreal, Zhangjiang, ChemSite, ChemCologne), Montreal's export share
    # (obs/001:18) and Zhangjiang's patents (obs/001:30); all but Montreal's ratio and export share use an
    # input qualified "about" or "more than"
    assert (f.n_normalised, f.n_approximate) == (8, 6)
    assert f.comparable_sentence.startswith("None of the normalised values")
    # kutsenko-2015.csv:11
    assert f.russian_avg_participants == "44"


def test_the_normalised_table_shows_formulas_as_a_reader_writes_them(f):
    table = f.normalised_table.set_index("Cluster")
    assert table.loc["ChemCologne", "How it is computed"] == "employees 70,000 ÷ organisations 150"
    assert table.loc["Zhangjiang"].query("Measure.str.startswith('Patents')")["How it is computed"].item() == \
        "patents granted 2,205 ÷ employees 120,000 × 1,000"  # obs/001:30, 27
    assert table.loc["Aero Montreal"].query("Measure.str.startswith('Employees')")["Quality"].item() == "derived"
    assert table.loc["ChemSite", "Quality"] == "derived; approximate inputs"  # obs/001:39 "about 400"


def test_normalised_values_read_to_what_their_inputs_support(f):
    table = f.normalised_table.set_index(["Cluster", "Measure"])["Value"]
    assert table["ChemCologne", "Employees per organisation"] == "about 470"  # 466.7 from approximate inputs
    assert table["Aero Montreal", "Employees per organisation"] == "205"  # 41,750 / 204 = 204.7, exact inputs
    assert table["Aero Montreal", "Export share of sales (%)"] == "80%"  # obs/001:21, as reported


def test_formulas_group_thousands_and_use_the_operators_of_prose():
    assert foreign.readable_formula("patents_granted 2205 / employees 120000 x 1,000") == \
        "patents granted 2,205 ÷ employees 120,000 × 1,000"


def test_clusters_per_country_run_from_finland_to_the_united_states(f):
    # country_cluster_counts.csv:2 (US 380, 2018), :9 (FI 9, 2018), :11 (CA about 50, no year)
    assert (f.fewest_clusters, f.fewest_clusters_country) == ("9", "Finland")
    assert (f.most_clusters, f.most_clusters_country) == ("380", "United States")
    assert f.n_countries_2018 == 9
    canada = f.country_counts_table.set_index("Country").loc["Canada"]
    assert (canada["Clusters"], canada["Year"]) == ("about 50", "not stated")


def test_preconditions_follow_table_1_country_order_and_sort_by_reach(f):
    table = f.preconditions_table
    # preconditions.csv:2-22: US, CA, FI, DE in the order of 001 Table 1
    assert list(table.columns) == ["Precondition", "United States", "Canada", "Finland", "Germany", "Countries"]
    # human-capital ("Qualified people", factors.csv:7) at :5, :11, :15, :19
    assert table.iloc[0].tolist() == ["Qualified people", "yes", "yes", "yes", "yes", 4]
    assert f.in_every_country == '"Qualified people"' and f.n_precondition_countries == 4
    assert f.missing_from_one_sentence.startswith("Developed infrastructure, Supporting organisations, Universities")
    assert f.n_single_country_factors == 6
    assert f.single_country_factors.startswith("geographic concentration, industrial base")
    # Canada lists 7 items (preconditions.csv:7-13)
    assert (f.longest_list_country, f.longest_list_items) == ("Canada", "7")
    assert f.preconditions_locator == "[Unidentified article on clustering success factors (c. 2020)](11-references.qmd#ref-anon-2020-success-factors), Table 1"


def test_names_from_the_data_reach_the_prose_escaped(data_copy):
    path = data_copy / "clusters.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["id"] == "sophia-antipolis":
            row["name"] = "Sophia <script>alert(1)</script> *x*"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    f = foreign.findings(load(data_copy))
    assert f.named_only.startswith(r"Sophia \<script\>alert(1)\</script\> \*x\*, Silicon Valley")


def test_findings_in_russian_keep_the_numbers_and_use_russian_conventions():
    from analysis.text import speaking

    ds = load()
    english = foreign.findings(ds)
    with speaking("ru"):
        f = foreign.findings(ds)
    assert (f.n_figures, f.n_ambiguous, f.n_normalised) == (english.n_figures, english.n_ambiguous, english.n_normalised)
    assert (f.lowest_per_organisation, f.highest_per_organisation) == ("около 22", "около 470")
    assert f.patents_scale == "1\u00a0000"
    assert f.patents_label == "Выданные патенты на 1\u00a0000 занятых (накопленным итогом)"
    assert f.comparable_sentence.startswith("Ни один из нормированных показателей нельзя сопоставить")
    assert (f.most_clusters_country, f.fewest_clusters_country) == ("США", "Финляндия")
    assert f.in_every_country == "«Qualified people»"  # labels from the data come from ds; our quotes are Russian
    assert f.missing_from_one_sentence.startswith("Каждая из предпосылок «Developed infrastructure», ")
    # tables: Russian headers and words, the same numbers written the Russian way
    t = f.normalised_table
    assert list(t.columns) == ["Кластер", "Показатель", "Значение", "Расчёт", "Охват", "Качество"]
    chem = t.iloc[0]
    assert (chem["Показатель"], chem["Расчёт"], chem["Охват"]) == (
        "Занятые на одну организацию", "занятые 70\u00a0000 ÷ организации 150", "Отрасль региона в целом или парк")
    assert chem["Качество"].endswith("; исходные данные приблизительные")
    counts = f.country_counts_table.set_index("Страна")
    assert counts.loc["Канада"].tolist()[:2] == ["около 50", "не указан"]
    pre = f.preconditions_table
    assert pre.columns[0] == "Предпосылка" and pre.columns[-1] == "Число стран"
    assert pre.iloc[0].tolist() == ["Qualified people", "да", "да", "да", "да", 4]
    assert list(f.profiles["research-triangle"].columns) == ["Показатель", "Значение (год)", "Охват", "Отметка качества"]


def test_formulas_read_in_russian_with_russian_digit_groups():
    from analysis.text import speaking

    with speaking("ru"):
        assert foreign.readable_formula("patents_granted 2205 / employees 120000 x 1,000") == \
            "выданные патенты 2\u00a0205 ÷ занятые 120\u00a0000 × 1\u00a0000"
        assert foreign.readable_formula("as reported") == "по данным источника"
    assert foreign.readable_formula("patents_granted 2205 / employees 120000 x 1,000") == \
        "patents granted 2,205 ÷ employees 120,000 × 1,000"
