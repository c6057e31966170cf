"""Each analysis against values worked out by hand from the source documents."""

from __future__ import annotations

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
    # Kama: private-initiative fails (0), openness partly (1), specialist-organisation meets (2),
    # formal-governance partly (1), startup-belt partly (1) = 5 of 20 points = 25%.
    s = I.scores(ds).set_index("cluster")
    kama = s.loc["kama"]
    assert (kama["points"], kama["score"], kama["known"], kama["coverage"]) == (5, 25.0, 5, 50.0)
    assert kama["light"] == "amber" and kama["rank"] == 1
    # Mordovia: critical-mass fails, specialist-org meets, formal-governance partly, startup-belt partly = 4 -> 20%.
    assert s.loc["mordovia-lighting", "score"] == 20.0 and s.loc["mordovia-lighting", "rank"] == 2
    assert s.loc["kama", "score_environment-participants"] == 10.0  # 1 of 10 points in that group


def test_ties_share_a_rank_and_the_next_rank_skips(ds):
    s = I.scores(ds).set_index("cluster")
    assert s.loc["zelenograd", "rank"] == s.loc["tomsk-pharma-it", "rank"] == 3
    assert s.loc["samara-aerospace", "rank"] == 5


def test_unknown_never_counts_as_a_pass(ds):
    s = I.scores(ds).set_index("cluster")
    assert s.loc["ulyanovsk-avia", "unknown"] == 10
    assert s.loc["ulyanovsk-avia", "score"] == 0 and s.loc["ulyanovsk-avia", "coverage"] == 0
    assert s.loc["ulyanovsk-avia", "light"] == "red"


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
