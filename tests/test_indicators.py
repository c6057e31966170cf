"""Each analysis against values worked out by hand from the source documents."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from analysis import indicators as I
from analysis.data import load


@pytest.fixture(scope="module")
def ds():
    return load()


def test_participants_by_industry_against_references(ds):
    # 002 Figure 1; global average 80 (002, citing Lindqvist et al. 2013, p. 17): 60 / 80 = 75%.
    t = I.participants_by_industry(ds).set_index("industry_group")
    assert t.loc["ict_electronics", "participants_avg"] == 60
    assert t.loc["ict_electronics", "share_of_global_avg"] == 75.0
    assert t.loc["new_materials", "share_of_global_avg"] == 30.0
    assert t.loc["pharma_biotech_medical", "position"] == "within the minimum range"  # 50 is the top of 30-50
    assert t.loc["nuclear_radiation", "position"] == "below the minimum range"  # 29 < 30
    assert t.loc["ict_electronics", "position"] == "above the minimum, below the global average"
    assert list(t.index[:2]) == ["ict_electronics", "pharma_biotech_medical"]


def test_russian_average_is_55_percent_of_the_global_average(ds):
    # 44 (the "449" of 002 without its footnote 9) against 80: 44 / 80 = 0.55.
    r = I.russia_vs_global_average(ds)
    assert r == {"russia": 44.0, "world": 80.0, "share_pct": 55.0, "gap": 36.0}


def test_five_named_pilots_have_fewer_than_20_participants(ds):
    # 002 conclusion names them.
    below = I.clusters_below_20(ds)
    assert set(below["entity"]) == {"zheleznogorsk", "spb-pharma-radiation", "arkhangelsk-shipbuilding", "sverdlovsk-titanium", "mordovia-lighting"}
    assert (below["qualifier"] == "less_than").all()


def test_ten_pilots_fail_the_business_share_criterion_and_the_rest_are_unknown(ds):
    # 002 fn 12 names ten clusters; nothing is said of the other fifteen.
    check = I.business_share_check(ds)
    assert check["criterion"].value_counts().to_dict() == {"unknown": 15, "fails": 10}
    assert "meets" not in set(check["criterion"])
    assert set(check.loc[check["criterion"] == "fails", "id"]) >= {"kama", "kaluga-pharma", "samara-aerospace"}


def test_sme_shares_with_and_without_ict(ds):
    t = I.sme_shares(ds).set_index("measure")["value"]
    assert list(t) == [34, 19, 50]


def test_business_holds_most_board_seats_worldwide(ds):
    # 002 Figure 6: business 61, research 16, government 14, non-profit 7, financial 2.
    t = I.board_composition(ds)
    assert list(t["value"]) == [61, 16, 14, 7, 2]
    assert t["value"].sum() == 100


def test_funding_comparison_on_shared_categories(ds):
    # Russia (002 Figure 7): public = 64.4 + 7.1 (local); world (002 Figure 8): public = 18 + 23.
    t = I.funding_comparison(ds).set_index(["side", "comparable"])["value"]
    assert t[("Russia", "public")] == pytest.approx(71.5)
    assert t[("World", "public")] == pytest.approx(41.0)
    assert t[("Russia", "members")] == pytest.approx(21.4)
    assert t[("World", "members")] == pytest.approx(26.0)
    assert t[("World", "services")] == pytest.approx(8.0)
    assert t[("Russia", "public-and-members")] == pytest.approx(7.1)
    assert t.groupby(level=0).sum().round(1).to_dict() == {"Russia": 100.0, "World": 100.0}


def test_funding_mapping_is_shown_for_every_category(ds):
    m = I.funding_mapping(ds)
    assert len(m) == 4 + 6
    assert m["comparable"].notna().all()


def test_staffing_of_specialist_organisations(ds):
    assert I.staffing(ds) == {"average": 8.0, "minimum": 2.0, "maximum": 23.0}


def test_specialisation_gap_reproduces_the_sources_list_of_reserves(ds):
    # 002 lists ten fields where Russia has reserves. Our rule (>= 10 clusters worldwide, no pilot)
    # finds those ten plus tourism, which the source leaves out.
    gap = set(I.gap_fields(ds))
    named = set(ds.specialisation.reserve_fields)
    assert named <= gap
    assert gap - named == {"tourism"}


def test_specialisation_counts_pilots_per_field(ds):
    t = I.specialisation_gap(ds).set_index("field")
    assert t.loc["ict", "world_clusters"] == 55
    assert t.loc["ict", "russian_pilots"] == 5
    assert t.loc["food", "russian_pilots"] == 0 and bool(t.loc["food", "gap"])
    assert not bool(t.loc["education", "gap"])  # 7 clusters worldwide: below the threshold
    assert t.loc["maritime-technologies", "quality"] == "ambiguous"


def test_scores_follow_the_rules_by_hand(ds):
    # Kama: private-initiative and internal-competition fail (0 + 0); openness, specialist-organisation,
    # formal-governance and startup-belt partly (1 each) = 4 of 20 points = 20%, with 6 of 10 signs known.
    s = I.scores(ds).set_index("cluster")
    kama = s.loc["kama"]
    assert (kama["points"], kama["score"], kama["known"], kama["coverage"]) == (4, 20.0, 6, 60.0)
    assert kama["light"] == "red" and kama["rank"] == 1
    # Mordovia: critical-mass and internal-competition fail; specialist-org, formal-governance, startup-belt
    # partly = 3 -> 15%, behind the two clusters tied at 20%.
    assert s.loc["mordovia-lighting", "score"] == 15.0 and s.loc["mordovia-lighting", "rank"] == 3
    assert s.loc["kama", "score_environment-participants"] == 10.0  # 1 of 10 points in that group


def test_ties_share_a_rank_and_the_next_rank_skips(ds):
    s = I.scores(ds).set_index("cluster")
    assert s.loc["kama", "rank"] == s.loc["tomsk-pharma-it", "rank"] == 1
    assert s.loc["mordovia-lighting", "rank"] == 3  # two share rank 1, so there is no rank 2


def test_unknown_never_counts_as_a_pass(ds):
    s = I.scores(ds).set_index("cluster")
    assert s.loc["altai-biopharm", "unknown"] == 10
    assert s.loc["altai-biopharm", "score"] == 0 and s.loc["altai-biopharm", "coverage"] == 0
    assert s.loc["altai-biopharm", "light"] == "red"


def test_scorecard_rules_come_from_the_data_file(data_copy):
    path = data_copy / "scorecard.yml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules["points"]["partly"] = 2  # count partial evidence as full
    path.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    s = I.scores(load(data_copy)).set_index("cluster")
    assert s.loc["kama", "points"] == 8  # 0 + 2 + 2 + 2 + 2
    assert s.loc["kama", "score"] == 40.0


def test_sign_summary_counts_every_pilot_once_per_sign(ds):
    t = I.sign_summary(ds)
    assert (t[["meets", "partly", "fails", "unknown"]].sum(axis=1) == 25).all()
    assert t.set_index("sign").loc["private-initiative", "fails"] == 10


def test_normalised_foreign_figures(ds):
    t = I.normalised_figures(ds).set_index(["entity", "measure"])
    # 001: Seattle 132,500 employees in 1,350 organisations; Zhangjiang 2,205 patents, 120,000 employees.
    assert t.loc[("seattle-aerospace", "employees_per_organisation"), "value"] == 98.1
    assert t.loc[("zhangjiang", "patents_per_1000_employees"), "value"] == 18.4
    assert t.loc[("chemcologne", "employees_per_organisation"), "value"] == 466.7
    assert t.loc[("aero-montreal", "export_share_of_sales"), "value"] == 80
    assert not t["comparable_with_russian_participants"].any()
    assert set(t["scope"]) == {"regional_industry"}


def test_factor_overlap_between_foreign_and_russian_preconditions(ds):
    t = I.factor_overlap(ds).set_index("factor")
    # Qualified people: USA, Canada, Finland and Germany (001 Table 1); Perm (001 Table 2).
    assert (t.loc["human-capital", "foreign"], t.loc["human-capital", "russian"]) == (4, 1)
    assert t.loc["human-capital", "overlap"] == "shared"
    assert t.loc["supporting-organisations", "overlap"] == "foreign only"
    assert t.loc["natural-resources", "overlap"] == "Russian only"


def test_policy_timeline_is_in_date_order(ds):
    t = I.policy_timeline(ds)
    assert t["date"].is_monotonic_increasing
    first = t.iloc[0]
    assert (first["id"], first["when"]) == ("concept-2020", "17 November 2008")
    approved = t.set_index("id").loc["pilot-list-approved"]
    assert approved["when"] == "28 August 2012" and approved["number"] == "DM-P8-5060"


def test_every_cluster_is_on_the_map(ds):
    t = I.cluster_locations(ds)
    assert len(t) == len(ds["clusters"])
    assert t[["lat", "lon"]].notna().all().all()


def test_source_note_groups_locators_by_source(ds):
    note = I.source_note(ds, ("kutsenko-2015", "002 Figure 7"), ("kutsenko-2015", "002 Figure 8"), ("kutsenko-2015", "002 Figure 7"))
    assert note == "Source: Kutsenko (2015): 002 Figure 7, 002 Figure 8."


# --- edges, on synthetic rows ---------------------------------------------------------------

OBS_COLUMNS = ["entity", "indicator", "breakdown", "value", "value_high", "unit", "qualifier", "year", "scope",
               "source", "locator", "cited_work", "quality", "note"]


def add_observations(data_dir, source: str, *rows: dict) -> None:
    """Append rows to the observations file of `source`; unset fields are empty."""
    path = data_dir / "observations" / f"{source}.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    new = pd.DataFrame([{c: "" if row.get(c) is None else str(row[c]) for c in OBS_COLUMNS} for row in rows])
    pd.concat([frame, new], ignore_index=True).to_csv(path, index=False)


def synthetic(entity: str, indicator: str, value, qualifier: str = "exact", **fields) -> dict:
    quality = "estimate" if qualifier == "about" else "reported"
    return {"entity": entity, "indicator": indicator, "value": value, "qualifier": qualifier, "quality": quality,
            "source": "kutsenko-2015", "locator": "002 fn 12", **fields}


def test_business_share_is_decided_only_when_the_qualifier_allows_it(data_copy):
    # The criterion is "more than 50%". A bound decides only from the right side of 50.
    share = {"unit": "percent", "scope": "initiative", "year": 2013}
    add_observations(data_copy, "kutsenko-2015",
                     synthetic("zelenograd", "business_share", 40, "more_than", **share),
                     synthetic("troitsk", "business_share", 60, "less_than", **share),
                     synthetic("dubna", "business_share", 55, "about", **share),
                     synthetic("pushchino", "business_share", 50, "more_than", **share),
                     synthetic("phystech-xxi", "business_share", 40, "less_than", **share),
                     synthetic("spb-ict", "business_share", 50, "at_least", **share),
                     synthetic("sarov", "business_share", 50, "at_most", **share),
                     synthetic("nn-auto-petrochem", "business_share", 51, **share),
                     synthetic("ulyanovsk-avia", "business_share", 50, **share))
    check = I.business_share_check(load(data_copy)).set_index("id")["criterion"]
    assert check["zelenograd"] == "unknown"  # more than 40: 45 fails, 70 meets
    assert check["troitsk"] == "unknown"  # less than 60: 45 fails, 55 meets
    assert check["dubna"] == "unknown"  # about 55: the source gives no margin
    assert check["pushchino"] == "meets"  # more than 50 is more than half
    assert check["phystech-xxi"] == "fails"
    assert check["spb-ict"] == "unknown"  # at least 50 may be exactly half
    assert check["sarov"] == "fails"
    assert check["nn-auto-petrochem"] == "meets"
    assert check["ulyanovsk-avia"] == "fails"  # exactly half is not more than half


def test_verdicts_on_bounds_the_shipped_criteria_do_not_use():
    # The data contract fixes the business-share criterion at "more than 50"; other comparators and
    # qualifiers are checked on the rule itself.
    assert I._verdict(50, "exact", float("nan"), "at_least", 50) == "meets"  # exactly the threshold
    assert I._verdict(50, "less_than", float("nan"), "at_least", 50) == "fails"
    assert I._verdict(50, "at_least", float("nan"), "at_least", 50) == "meets"
    assert I._verdict(40, "more_than", float("nan"), "at_least", 50) == "unknown"
    # "almost 50" is under 50: it fails "more than 50" and is under 60, but says nothing against "more than 40".
    assert I._verdict(50, "almost", float("nan"), "more_than", 50) == "fails"
    assert I._verdict(50, "almost", float("nan"), "less_than", 60) == "meets"
    assert I._verdict(50, "almost", float("nan"), "more_than", 40) == "unknown"
    assert I._verdict(90, "roughly", float("nan"), "more_than", 50) == "unknown"
    assert I._verdict(10, "exact", 30, "more_than", 20) == "unknown"  # a range 10-30 straddles 20


def test_an_exact_count_below_20_is_among_the_small_clusters(data_copy):
    people = {"unit": "organisations", "scope": "initiative", "year": 2013, "locator": "002 conclusion"}
    add_observations(data_copy, "kutsenko-2015",
                     synthetic("zelenograd", "participants", 12, **people),
                     synthetic("troitsk", "participants", 20, **people),
                     synthetic("dubna", "participants", 20, "at_most", **people),
                     synthetic("pushchino", "participants", 15, "about", **people),
                     synthetic("phystech-xxi", "participants", 10, "more_than", **people),
                     synthetic("spb-ict", "participants", 19, "at_most", **people))
    below = set(I.clusters_below_20(load(data_copy))["entity"])
    assert {"zelenograd", "spb-ict"} <= below
    assert not below & {"troitsk", "dubna", "pushchino", "phystech-xxi"}
    assert len(below) == 5 + 2


def test_a_ratio_takes_numerator_and_denominator_from_the_same_year(data_copy):
    staff = {"unit": "people", "scope": "regional_industry", "source": "anon-2020-success-factors",
             "locator": "001 section 'Research Methodology'"}
    orgs = {**staff, "unit": "organisations"}
    add_observations(data_copy, "anon-2020-success-factors",
                     # listed first, but older than the only year with both inputs
                     synthetic("london-tech", "employees", 1000, year=2010, **staff),
                     synthetic("london-tech", "employees", 3000, year=2015, **staff),
                     synthetic("london-tech", "organisations", 30, year=2015, **orgs),
                     synthetic("london-tech", "organisations", 50, year=2010, **orgs),
                     synthetic("london-tech", "employees", 5000, year=2018, **staff),
                     # no year in common: no ratio
                     synthetic("sophia-antipolis", "employees", 36000, year=2015, **staff),
                     synthetic("sophia-antipolis", "organisations", 2500, year=2012, **orgs),
                     synthetic("london-tech", "export_share_of_sales", 40, year=2010, **{**staff, "unit": "percent"}),
                     synthetic("london-tech", "export_share_of_sales", 60, year=2015, **{**staff, "unit": "percent"}))
    t = I.normalised_figures(load(data_copy)).set_index(["entity", "measure"])
    row = t.loc[("london-tech", "employees_per_organisation")]
    assert row["value"] == 100.0  # 3,000 / 30 in 2015
    assert "3000" in row["formula"] and "2015" in row["formula"]
    assert ("sophia-antipolis", "employees_per_organisation") not in t.index
    assert t.loc[("london-tech", "export_share_of_sales"), "value"] == 60  # the latest, wherever it is listed


def test_undated_inputs_of_a_ratio_must_come_from_one_source(data_copy):
    add_observations(data_copy, "kutsenko-2015",
                     synthetic("london-tech", "employees", 3000, unit="people", scope="regional_industry"))
    add_observations(data_copy, "anon-2020-success-factors",
                     synthetic("london-tech", "organisations", 30, unit="organisations", scope="regional_industry",
                               source="anon-2020-success-factors", locator="001 section 'Research Methodology'"))
    t = I.normalised_figures(load(data_copy))
    assert "london-tech" not in set(t["entity"])


def test_every_derived_figure_takes_the_same_scope_default(data_copy):
    # Inputs that are not all counts of the initiative never make a figure comparable with Russian participants.
    where = {"source": "anon-2020-success-factors", "locator": "001 section 'Research Methodology'", "year": 2015}
    add_observations(data_copy, "anon-2020-success-factors",
                     synthetic("upper-austria-automotive", "employees", 20000, unit="people", scope="initiative", **where),
                     synthetic("upper-austria-automotive", "organisations", 250, unit="organisations", scope="company", **where),
                     synthetic("upper-austria-automotive", "patents_granted", 400, unit="patents", scope="company", **where))
    t = I.normalised_figures(load(data_copy))
    rows = t[t["entity"] == "upper-austria-automotive"].set_index("measure")
    assert set(rows.index) == {"employees_per_organisation", "patents_per_1000_employees"}
    assert set(rows["scope"]) == {"regional_industry"}
    assert not rows["comparable_with_russian_participants"].any()


def test_an_undated_count_is_not_taken_as_later_than_a_dated_one(data_copy):
    # The count of 27 gets a year between the selection (2012) and the latest count (2021); an undated
    # restatement of the original 25 must not become the "later" count.
    path = data_copy / "observations" / "anon-2021-investment.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[(frame["indicator"] == "clusters_in_programme") & (frame["value"] == "27"), "year"] = "2016"
    frame.to_csv(path, index=False)
    add_observations(data_copy, "ipp-russia",
                     synthetic("ru-itc-programme", "clusters_in_programme", 25, unit="clusters", scope="programme",
                               source="ipp-russia", locator="003"))
    facts = I.programme_facts(load(data_copy))
    assert facts["later_count"] == 27
    assert (facts["remaining"], facts["remaining_year"]) == (11, 2021)


def test_conflicting_undated_counts_are_not_guessed_between(data_copy):
    # The data contract rejects this at validation; the rows are added after loading to check the function alone.
    ds = load(data_copy)
    extra = synthetic("ru-itc-programme", "clusters_in_programme", 26, unit="clusters", scope="programme",
                      source="ipp-russia", locator="003")
    ds.observations = pd.concat([ds.observations, pd.DataFrame([extra])], ignore_index=True)
    with pytest.raises(LookupError, match="27"):
        I.programme_facts(ds)


def test_an_undated_restatement_of_the_selection_is_no_later_count(data_copy):
    path = data_copy / "observations" / "anon-2021-investment.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[(frame["indicator"] == "clusters_in_programme") & (frame["value"] == "27"), "value"] = "25"
    frame.to_csv(path, index=False)
    assert I.programme_facts(load(data_copy))["later_count"] is None


def test_the_shipped_later_count_is_the_undated_expansion(ds):
    # 000 says the list grew to 27 "in subsequent years", without a year, and counts 11 at the time of writing.
    facts = I.programme_facts(ds)
    assert (facts["later_count"], facts["remaining"], facts["remaining_year"]) == (27, 11, 2021)
