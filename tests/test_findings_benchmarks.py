"""What the benchmarks chapter quotes, checked by hand against the shipped data.

Each expected value was read from the data files named in the comment beside it
(file:line), not computed with the code under test.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pandas as pd
import pytest

from analysis.data import load
from analysis.report.findings import benchmarks


@pytest.fixture(scope="module")
def ds():
    return load()


def test_critical_mass_sets_the_pilots_average_against_the_references(ds):
    f = benchmarks.critical_mass(ds)
    # observations/kutsenko-2015.csv:11 (ru-pilots participants_avg 44) and :40 (greenbook-2012 participants_avg 80)
    assert (f.avg_participants, f.world_avg, f.gap_to_world, f.share_of_world) == ("44", "80", "36", "55%")
    # benchmarks.csv:2 (30-50, citing CLOE, 2004), :3 (100, Pamminger, 2014), :4 (80, Lindqvist et al., 2013, p. 17)
    assert (f.minimum_low, f.minimum_high, f.high_estimate, f.survey_avg) == ("30", "50", "100", "80")
    assert f.minimum_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), section 'Critical mass of core companies', citing [CLOE (2004)](11-references.qmd#ref-cloe-2004)"
    assert (f.high_estimate_cite, f.survey_cite) == ("[Pamminger (2014)](11-references.qmd#ref-pamminger-2014)", "[Lindqvist et al. (2013)](11-references.qmd#ref-lindqvist-2013), p. 17")
    # observations/kutsenko-2015.csv:38 (greenbook-2012 clusters_surveyed 356)
    assert f.survey_initiatives == "356"
    # observations/kutsenko-2015.csv:11, its locator, and sources.csv:2 (Kutsenko (2015))
    assert f.avg_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), section 'Critical mass of core companies', footnote 9"


def test_critical_mass_places_each_industry_against_the_minimum_range(ds):
    f = benchmarks.critical_mass(ds)
    # distributions.csv:2-7: ICT 60 is the largest and below 80; nuclear 29 and new materials 24 are below 30
    assert f.reach_world_phrase == "No industry group reaches"
    assert (f.closest_industry, f.closest_industry_avg) == ("ICT and electronics", "60")
    assert f.groups_below_minimum == 2
    assert f.industries_below_minimum == "nuclear and radiation technologies, and new materials"


def test_critical_mass_names_the_smallest_pilots_and_those_also_failing_the_business_rule(ds):
    f = benchmarks.critical_mass(ds)
    # observations/kutsenko-2015.csv:12 (2 pilots above 100) and :2 (25 selected)
    assert (f.large_clusters, f.large_threshold, f.pilots) == ("2", "100", 25)
    # observations/kutsenko-2015.csv:23-27: five pilots with fewer than 20 participants
    assert (f.small_clusters, f.small_threshold) == (5, "20")
    assert list(f.small_table["Cluster"]) == ["Arkhangelsk shipbuilding", "Mordovia lighting", "St Petersburg pharma and radiation",
                                              "Sverdlovsk titanium", "Zheleznogorsk"]
    # of those five, lines 28, 30 and 31 give a business share below 50 for Zheleznogorsk, St Petersburg and Arkhangelsk
    assert list(f.small_table["Also fails the business-share rule"]) == ["yes", "not known", "yes", "not known", "yes"]
    assert set(f.small_table["Official participants (2013)"]) == {"fewer than 20"}
    assert f.small_and_company_poor == "Zheleznogorsk, St Petersburg pharma and radiation and Arkhangelsk shipbuilding"
    # observations/kutsenko-2015.csv:21 (tomsk-it 131) and :22 (tomsk-pharma-it 61 in 2013, 002 fn 10)
    assert (f.tomsk_it_before, f.tomsk_merged, f.tomsk_merger_year) == ("131", "61", 2013)
    assert f.tomsk_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), footnote 10"


def test_business_share_counts_failing_and_unknown_pilots(ds):
    f = benchmarks.business_share(ds)
    # benchmarks.csv:5 (more than 50%, citing Hagenauer et al., 2012, p. 2)
    assert f.rule == "50%"
    assert f.rule_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), section 'Dominance of private initiatives', citing [Hagenauer et al. (2012)](11-references.qmd#ref-hagenauer-2012), p. 2"
    # observations/kutsenko-2015.csv:28-37: ten pilots below 50%; the other 15 of the 25 have no figure
    assert (f.failing, f.unknown) == (10, 15)
    # line 14 cites Hagenauer too; the chapter leaves that out because the rule's citation already names it
    assert f.failing_cite == ("[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), section 'Dominance of private initiatives', footnote 12; "
                              "section 'The Anna Karenina Principle'")
    table = f.failing_table
    assert len(table) == 10 and set(table["Companies among participants"]) == {"less than 50%"}
    # sorted by industry group, then cluster; the three small ones (lines 23, 24, 25) are marked
    assert list(table["Cluster"][:3]) == ["Arkhangelsk shipbuilding", "Perm New Star", "Samara aerospace"]
    assert sorted(table.loc[table["Also fewer than 20 participants"] == "yes", "Cluster"]) == [
        "Arkhangelsk shipbuilding", "St Petersburg pharma and radiation", "Zheleznogorsk"]


def test_business_share_gives_the_sme_shares_and_their_sample(ds):
    f = benchmarks.business_share(ds)
    # observations/kutsenko-2015.csv:15 (34, 2012), :16 (19), :17 (21 clusters); cluster_attributes.csv:10-17 (8 left out)
    assert (f.sme_share, f.sme_share_without_ict, f.sme_year, f.sme_sample, f.sme_programmes_left_out) == ("34%", "19%", 2012, "21", 8)


def test_governance_reports_status_mechanisms_and_boards(ds):
    f = benchmarks.governance(ds)
    # observations/kutsenko-2015.csv:8 (17 respondents), :5 (group 1 in 2013), :2 (25 selected)
    assert (f.respondents, f.survey_year, f.pilots) == ("17", 2013, 25)
    # distributions.csv:8-9 (53.3 and 26.6)
    assert (f.status_top, f.status_second) == ("53.3%", "26.6%")
    # distributions.csv:13-22: 9 general meeting, 8 state appoints director, 0 staff approved; 10 values,
    # 8 of them ambiguous, 4 of those empty
    assert (f.general_meeting, f.director_appointed, f.staff_selection_phrase) == ("9", "8", "in no cluster")
    assert (f.mechanisms, f.mechanisms_ambiguous, f.mechanisms_unreadable) == (10, 8, 4)
    # cluster_attributes.csv:23-29: seven pilots; regions from clusters.csv
    assert f.dual_rule == 7
    assert f.dual_rule_regions == "Moscow, Moscow Oblast, Novosibirsk Oblast and Tomsk Oblast"
    assert f.dual_rule_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), section 'Dominance of private initiatives' and section 'The Anna Karenina Principle'"
    # distributions.csv:33-35 (61, 16, 14) and :67-70 (4, 2, 2, 1 seats, citing Boisson, 2014)
    assert (f.board_business, f.board_research, f.board_government) == ("61%", "16%", "14%")
    seats = (f.french_seats_smes, f.french_seats_large, f.french_seats_higher_education, f.french_seats_other)
    assert seats == ("4", "2", "2", "1")
    assert f.french_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), footnote 20, citing [Boisson (2014)](11-references.qmd#ref-boisson-2014)"


def test_funding_groups_both_sides_on_shared_categories(ds):
    f = benchmarks.funding(ds)
    # distributions.csv:23-26: 64.4 + 7.1 public only, 7.1 public and members, 21.4 members
    assert (f.russia_public_only, f.russia_public_and_members, f.russia_members_only) == ("71.5%", "7.1%", "21.4%")
    assert f.side_total == "100%"
    # distributions.csv:27-32: 18 + 23 public, 13 international, 26 members, 8 services, 12 other
    assert (f.world_public, f.world_international, f.world_members, f.world_services, f.world_other) == (
        "41%", "13%", "26%", "8%", "12%")
    assert f.world_members_and_services == "34%"
    assert len(f.mapping_table) == 10
    assert set(f.mapping_table["Side and measure"]) == {"Russia (share of organisations naming the source)",
                                                        "World (share of the budget)"}


def test_funding_reports_the_state_floor_and_the_time_support_takes(ds):
    f = benchmarks.funding(ds)
    # benchmarks.csv:7 (at least 60, Lindqvist et al., 2013, p. 5, with a caveat naming Figure 8)
    assert (f.state_floor, f.state_floor_cited_work, f.state_floor_quoted_by) == ("60%", "[Lindqvist et al. (2013)](11-references.qmd#ref-lindqvist-2013), p. 5", "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015)")
    assert f.state_floor_caveat.startswith("Figure 8 of the same source")
    # benchmarks.csv:10 (3-6, CLOE, 2004), :11 (5, INNO Germany AG, 2010), :12 (10-15, grebenik-2021 004 section 2)
    assert (f.support_initial_low, f.support_initial_high, f.support_initial_cite) == ("3", "6", "[CLOE (2004)](11-references.qmd#ref-cloe-2004)")
    assert (f.first_assessment, f.first_assessment_cite) == ("5", "[INNO Germany AG (2010)](11-references.qmd#ref-inno-germany-2010)")
    assert (f.maturity_low, f.maturity_high, f.maturity_cite) == ("10", "15", "[Grebenik et al. (2021)](11-references.qmd#ref-grebenik-2021), section '2. Main part'")
    # observations/kutsenko-2015.csv:4 (5 years of support)
    assert f.support_years_planned == 5


def test_funding_names_the_pilots_with_member_fees_and_without_a_request(ds):
    f = benchmarks.funding(ds)
    # cluster_attributes.csv:19, 21, 22 (member contributions) and :30-32 (not requested, 002 fn 15)
    assert f.member_fee_clusters == "Dubna nuclear physics, Kama (Tatarstan) and Novosibirsk IT and biopharma"
    assert (f.not_requested, f.not_requested_regions) == (3, "Moscow Oblast")
    assert f.not_requested_clusters == "Dubna nuclear physics, Pushchino biotechnology and Phystech XXI"
    assert f.not_requested_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), footnote 15"


def test_staffing_reports_team_sizes_and_what_teams_abroad_have(ds):
    f = benchmarks.staffing(ds)
    # observations/kutsenko-2015.csv:18-20 (8, 2, 23; the largest cites fn 16)
    assert (f.average, f.minimum, f.maximum) == ("8", "2", "23")
    assert f.maximum_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), section 'Specialist independent management bodies', footnote 16"
    # observations/kutsenko-2015.csv:50-51 (7 clusters, more than 15 years, citing Pamminger, 2014)
    assert (f.upper_austria_clusters, f.upper_austria_years) == ("7", "15")
    assert f.upper_austria_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), section 'Active working groups', citing [Pamminger (2014)](11-references.qmd#ref-pamminger-2014)"
    # observations/kutsenko-2015.csv:44-46 (230 organisations, 23 countries, less than 33.3%: "just under 33%")
    assert (f.certified_share, f.eu_organisations, f.eu_countries) == ("33%", "230", "23")


def test_findings_gather_the_sections_and_hold_only_plain_values(ds):
    f = benchmarks.findings(ds)
    sections = [getattr(f, field.name) for field in dataclasses.fields(f)]
    assert [type(s) for s in sections] == [benchmarks.CriticalMass, benchmarks.BusinessShare, benchmarks.Governance,
                                           benchmarks.Funding, benchmarks.Staffing]
    for section in sections:
        for field in dataclasses.fields(section):
            value = getattr(section, field.name)
            assert type(value) in (str, int, pd.DataFrame), (type(section).__name__, field.name, type(value))


def _set_cell(path: Path, key: dict, **changes) -> None:
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    hits = [r for r in rows if all(r[k] == v for k, v in key.items())]
    assert len(hits) == 1, key
    hits[0].update(changes)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_other_data_changes_the_wording_and_data_text_stays_literal(data_copy):
    _set_cell(data_copy / "clusters.csv", {"id": "zheleznogorsk"}, short_name="Zh <b>*bold*</b>")
    _set_cell(data_copy / "distributions.csv", {"distribution": "ru-participants-by-industry", "category": "ict_electronics"},
              value="85")
    _set_cell(data_copy / "distributions.csv", {"distribution": "ru-governance-mechanisms", "category": "staff-approved-with-participants"},
              value="2")
    ds = load(data_copy)
    mass = benchmarks.critical_mass(ds)
    assert mass.reach_world_phrase == "Only ICT and electronics reach"
    assert mass.small_and_company_poor.startswith(r"Zh \<b\>\*bold\*\</b\>, ")
    assert benchmarks.governance(ds).staff_selection_phrase == "in only 2 clusters"


@pytest.fixture(scope="module")
def ru(ds):
    """The findings in Russian, from the data with its Russian cluster names and regions (clusters.csv
    short_name_ru, region_ru); labels from other files stay as they are, which is all these tests need."""
    from analysis.data import language
    from analysis.text import speaking

    with speaking("ru"):
        yield benchmarks.findings(language.localized(ds, "ru", language.Translations({}, {}, {})))


def test_findings_in_russian_keep_the_numbers_and_use_russian_conventions(ru):
    # the same values as the English tests read from the data, with a decimal comma
    assert (ru.mass.avg_participants, ru.mass.world_avg, ru.mass.share_of_world) == ("44", "80", "55%")
    assert (ru.governance.status_top, ru.funding.russia_public_only) == ("53,3%", "71,5%")
    assert (ru.business.failing, ru.business.unknown, ru.staffing.maximum) == (10, 15, "23")
    # the phrases our words build are Russian, and read as whole clauses
    assert ru.mass.reach_world_phrase == "Ни одна отраслевая группа не достигает"
    assert ru.governance.staff_selection_phrase == "ни в одном кластере участники не привлекаются к подбору его персонала"
    assert ru.mass.industries_below_minimum == "«Nuclear and radiation technologies» и «New materials»"


def test_findings_in_russian_quote_cluster_names_and_say_the_tables_in_russian(ru):
    # cluster_attributes.csv member_contributions: dubna, kama, novosibirsk-it-bio (clusters.csv short_name_ru)
    assert ru.funding.member_fee_clusters == "«Дубна, ядерная физика», «Камский (Татарстан)» и «Новосибирск, ИТ и биофармацевтика»"
    assert ru.funding.not_requested_regions == "Московская область"
    small = ru.mass.small_table.set_index("Кластер")
    assert set(small["Официальных участников (2013 г.)"]) == {"менее 20"}
    assert small.loc["Железногорск", "Также не соответствует правилу о доле бизнеса"] == "да"
    assert small.loc["Мордовия, светотехника", "Также не соответствует правилу о доле бизнеса"] == "нет данных"
    failing = ru.business.failing_table
    assert list(failing.columns)[:2] == ["Кластер", "Отраслевая группа"] and set(failing["Доля компаний среди участников"]) == {"менее 50%"}
    assert set(ru.funding.mapping_table["Сторона и показатель"]) == {
        "Россия (доля организаций, назвавших источник)", "Мир (доля в бюджете)"}
