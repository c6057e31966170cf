"""What the stakeholders chapter quotes, checked by hand against the shipped data.

Each expected value was read from the data file named in the comment beside it (file:line), not
computed with the code under test. "obs/001" is data/observations/anon-2020-success-factors.csv.
"""

from __future__ import annotations

import csv
import io
import re

import pytest

from analysis.data import load
from analysis.paths import ROOT
from analysis.report.findings import stakeholders

CHAPTER = ROOT / "chapters" / "08-stakeholders.qmd"


@pytest.fixture(scope="module")
def f():
    return stakeholders.findings(load())


def test_interests_are_counted_by_group_and_by_linked_factor(f):
    # stakeholders.csv:2-32: 31 interests of 6 groups; business has 10 (:2-11)
    assert (f.n_interests, f.n_groups, f.largest_group_interests) == (31, 6, "10")
    # no factor at :9, 11, 23-26, 31, 32; the authorities (:22-32) hold 11 interests, 6 of them unlinked
    assert (f.n_linked, f.n_unlinked) == (23, 8)
    assert (f.public_unlinked, f.public_total) == (6, 11)
    # cooperation at :2 (business) and :19-21 (partners); every other factor has at most 3
    assert (f.top_factor, f.top_factor_interests, f.top_factor_groups) == ("Cooperation and networking", 4, 2)
    assert f.interests_locator == "[Unidentified article on clustering success factors (c. 2020)](11-references.qmd#ref-anon-2020-success-factors), Table 3"


def test_interest_tables_name_each_group_once_and_split_off_the_authorities(f):
    private, public = f.private_interests_table, f.public_interests_table
    assert list(private.columns) == ["Stakeholder", "Interest (our summary)", "Linked success factor"]
    assert (len(private), len(public)) == (20, 11)  # stakeholders.csv:2-21 and :22-32
    assert [s for s in private["Stakeholder"] if s] == ["Business", "Universities and research", "Investors", "Partners"]
    assert [s for s in public["Stakeholder"] if s] == ["Regional authorities", "Federal authorities"]
    # stakeholders.csv:9: no factor
    assert private.iloc[7].tolist() == ["", "Lobbying for business interests", "none"]


def test_the_effects_model_is_our_reading_of_a_diagram_without_data(f):
    assert (f.n_micro_effects, f.n_macro_effects) == (8, 9)
    assert f.micro_effects.startswith("cost advantages, more innovation activity, ")
    assert f.macro_effects.endswith("; diversified, more resilient regional economy; steady growth of national product")
    assert list(f.effects_table.columns) == ["Micro-effect (firms in the cluster)", "Macro-effect (the regional economy)"]
    assert len(f.effects_table) == 7


def test_the_interview_counts_and_their_shares(f):
    # obs/001:64-70
    assert (f.businesses_surveyed, f.regions_surveyed, f.managers, f.clusters_surveyed) == (68, 3, 50, 3)
    # :68 15 of 50 managers = 30%; :69 3 of 50 = 6%; 50 managers / 3 clusters = 16.7, about 17
    assert (f.managers_funds_critical, f.managers_funds_critical_share) == (15, "30")
    assert (f.managers_local_irrelevant, f.managers_local_irrelevant_share) == (3, "6")
    assert f.managers_per_cluster == "17"
    assert f.clusters_intersectoral == 3  # :70
    assert f.survey_locators == "[Unidentified article on clustering success factors (c. 2020)](11-references.qmd#ref-anon-2020-success-factors), section 'Research Methodology' and section 'Research Results'"
    assert f.survey_clusters == "Perm New Star, Samara aerospace and Kaluga pharma and biomedicine"


def test_the_survey_table_shows_counts_bare_and_a_share_with_its_qualifier(f):
    table = f.survey_table.set_index("What was counted")
    assert len(table) == 8  # obs/001:64-70 and :78
    assert table.loc["Businesses surveyed", "Number (year)"] == "68"  # :64, no year
    assert table.loc["Cluster managers interviewed", "Number (year)"] == "50 (2019)"  # :66
    # :78: more_than 50 percent; a bare "50" would read as 50 managers
    assert table.loc["Managers expecting fees and services to finance their cluster", "Number (year)"] == "more than 50% (2019)"


def test_public_funding_and_staff_come_from_document_002(f):
    # distributions.csv:23 (64.4) + :25 (7.1) of the pilots' organisations; :28 (23) + :29 (18) of the world's budget
    assert (f.public_funding_russia, f.public_funding_world) == ("71.5", "41")
    assert f.pilot_staff_average == "8"  # kutsenko-2015.csv:18


def test_names_from_the_data_reach_the_prose_escaped(data_copy):
    path = data_copy / "clusters.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["id"] == "kaluga-pharma":
            row["short_name"] = "Kaluga <script>alert(1)</script> *x*"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    f = stakeholders.findings(load(data_copy))
    assert f.survey_clusters == r"Perm New Star, Samara aerospace and Kaluga \<script\>alert(1)\</script\> \*x\*"


def test_the_chapter_reads_as_prose():
    cells = re.findall(r"^```\{python\}\n(.*?)^```$", CHAPTER.read_text(encoding="utf-8"), flags=re.M | re.S)
    lines = [line for cell in cells for line in cell.splitlines()]
    assert not [line for line in lines if re.match(r"\s*def ", line)]
    assert len(lines) <= 40
    assert sum("#| include: false" in cell for cell in cells) == 1


def test_findings_in_russian_keep_the_numbers_and_use_russian_conventions():
    from analysis.data import load
    from analysis.text import speaking

    ds = load()
    english = stakeholders.findings(ds)
    with speaking("ru"):
        f = stakeholders.findings(ds)
    assert (f.n_interests, f.managers, f.n_micro_effects, f.n_macro_effects) == (
        english.n_interests, english.managers, english.n_micro_effects, english.n_macro_effects)
    assert (f.managers_funds_critical_share, f.public_funding_russia, f.managers_per_cluster) == ("30", "71,5", "17")
    assert f.micro_effects.startswith("снижение издержек, рост инновационной активности")
    assert f.macro_effects.endswith("; устойчивый рост национального продукта")
    assert list(f.effects_table.columns) == ["Микроэффект (компании кластера)", "Макроэффект (экономика региона)"]
    assert len(f.effects_table) == len(english.effects_table)
    private = f.private_interests_table
    assert list(private.columns) == ["Заинтересованная сторона", "Интерес (наше изложение)", "Связанный фактор успеха"]
    assert private.iloc[0, 0] == "Бизнес" and "нет" in set(private.iloc[:, 2])
    assert f.public_interests_table.iloc[0, 0] == "Региональные органы власти"
    assert list(f.survey_table.columns) == ["Что подсчитано", "Число (год)", "Примечание"]
    assert "более 50% (2019)" in set(f.survey_table["Число (год)"])
    # names that hold commas are kept apart with semicolons
    assert f.survey_clusters.count("; ") == 1 and " и " in f.survey_clusters
