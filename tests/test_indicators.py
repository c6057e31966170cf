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
    # formal-governance and startup-belt partly (1 each) = 4 points of the 2 x 6 its 6 known signs could earn = 33.3%.
    s = I.scores(ds).set_index("cluster")
    kama = s.loc["kama"]
    assert (kama["points"], kama["known"], kama["coverage"], kama["score"]) == (4, 6, 60.0, 33.3)
    assert kama["light"] == "amber" and kama["light_label"] == "Amber"  # 25 <= 33.3 < 60
    # Tomsk: critical-mass meets (2), internal-competition and specialist-organisation partly (1 + 1) = 4 of 6 = 66.7%.
    assert (s.loc["tomsk-pharma-it", "score"], s.loc["tomsk-pharma-it", "light"]) == (66.7, "green")
    # Arkhangelsk: 4 known signs, all fails: scored, 0%, red; the only scored cluster at zero.
    assert (s.loc["arkhangelsk-shipbuilding", "score"], s.loc["arkhangelsk-shipbuilding", "light"]) == (0.0, "red")
    # Kama's group 'environment-participants': private-initiative and internal-competition fail, openness partly = 1 of 6.
    assert s.loc["kama", "score_environment-participants"] == 16.7
    assert (s["score_over"] == "known").all()


def test_clusters_below_the_minimum_coverage_have_no_score_light_or_rank(ds):
    # 30% of 10 signs = 3 known signs. 13 pilots have 3 to 6; 12 have 0 to 2.
    s = I.scores(ds)
    low = s[s["known"] < 3]
    assert len(low) == 12 and len(s) - len(low) == 13
    assert not low["scored"].any() and low["score"].isna().all() and low["rank"].isna().all()
    assert (low["light"] == I.INSUFFICIENT).all() and (low["light_label"] == "Insufficient evidence").all()
    assert (low["rank_label"] == "").all()
    # St Petersburg ICT would score 75% on its 2 known signs (meets + partly): it is not scored, so it cannot lead.
    spb = s.set_index("cluster").loc["spb-ict"]
    assert (spb["known"], spb["points"], spb["scored"]) == (2, 3, False)
    # ranked clusters come first, in rank order; the unscored after them, best covered first
    assert list(s["scored"]) == [True] * 13 + [False] * 12
    assert s.loc[~s["scored"], "coverage"].is_monotonic_decreasing


def test_ties_are_marked_and_the_next_rank_skips(ds):
    s = I.scores(ds).set_index("cluster")
    # Kaluga and Novosibirsk: 3 of 8 points = 37.5%; Kama and Dubna 33.3%; four pilots at 16.7%.
    assert s.loc["tomsk-pharma-it", "rank_label"] == "1" and not s.loc["tomsk-pharma-it", "tied"]
    assert s.loc["kaluga-pharma", "rank_label"] == s.loc["novosibirsk-it-bio", "rank_label"] == "=2"
    assert s.loc["kama", "rank_label"] == s.loc["dubna", "rank_label"] == "=4"  # two share 2, so there is no 3
    assert {c for c in s.index if s.loc[c, "rank_label"] == "=8"} == {
        "zheleznogorsk", "samara-aerospace", "sarov", "spb-pharma-radiation"}
    assert s.loc["perm-new-star", "rank"] == 12 and s.loc["perm-new-star", "rank_label"] == "12"
    assert int(s["tied"].sum()) == 8


def test_rank_labels_mark_shared_ranks_only():
    labels = I.rank_labels(pd.Series([1, 2, 2, 4, None], dtype="Int64"))
    assert list(labels) == ["1", "=2", "=2", "4", ""]


def _set_rules(path, **changes) -> None:
    """Rewrite scorecard.yml with `changes`, each a dotted key ('minimum_coverage.percent') and its new value."""
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        *parents, last = key.split(".")
        node = rules
        for part in parents:
            node = node[int(part)] if part.isdigit() else node[part]
        node[int(last) if last.isdigit() else last] = value
    path.write_text(yaml.safe_dump(rules, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_scorecard_rules_come_from_the_data_file(data_copy):
    path = data_copy / "scorecard.yml"
    _set_rules(path, **{"points.partly": 2})  # count partial evidence as full
    s = I.scores(load(data_copy)).set_index("cluster")
    assert s.loc["kama", "points"] == 8  # 0 + 0 + 2 + 2 + 2 + 2
    assert s.loc["kama", "score"] == 66.7  # 8 of 12


def test_the_minimum_coverage_comes_from_the_data_file(data_copy):
    _set_rules(data_copy / "scorecard.yml", **{"minimum_coverage.percent": 20})
    s = I.scores(load(data_copy)).set_index("cluster")
    # the five pilots with 2 known signs are now scored; St Petersburg ICT leads with 75% (3 of 4 points)
    assert int(s["scored"].sum()) == 18
    assert (s.loc["spb-ict", "score"], s.loc["spb-ict", "light"], s.loc["spb-ict", "rank_label"]) == (75.0, "green", "1")
    assert s.loc["khabarovsk-aviation-ship", "light"] == I.INSUFFICIENT  # 1 known sign is still too few


def test_light_thresholds_score_base_and_tie_rule_come_from_the_data_file(data_copy):
    path = data_copy / "scorecard.yml"
    _set_rules(path, **{"lights.0.min_score": 70, "ranking.ties": "dense"})
    s = I.scores(load(data_copy)).set_index("cluster")
    assert s.loc["tomsk-pharma-it", "light"] == "amber"  # 66.7 < 70
    # dense: 1, =2, =2, =3, =3, 4, 5, =6 x 4, 7, 8
    assert (s.loc["kama", "rank_label"], s.loc["perm-new-star", "rank_label"], s.loc["arkhangelsk-shipbuilding", "rank"]) == ("=3", "7", 8)
    _set_rules(path, **{"score.over": "all"})
    s = I.scores(load(data_copy)).set_index("cluster")
    assert s.loc["kama", "score"] == 20.0 and s.loc["tomsk-pharma-it", "score"] == 20.0  # 4 of 20 points each
    assert s.loc["kama", "rank_label"] == "=1" and (s["score_over"] == "all").all()


def _registry_with_synthetic_pilots(tmp_path, known: dict[str, list[str]]):
    """The shipped data plus one synthetic pilot per entry of `known`: its statuses on the first signs, unknown after."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "synthetic_registry.py"
    spec = importlib.util.spec_from_file_location("synthetic_registry", script)
    registry = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(registry)
    dest = tmp_path / "data"
    registry.generate(len(known), dest)
    ass = pd.read_csv(dest / "assessments.csv", dtype=str, keep_default_na=False)
    cited = ass[ass["status"] == "fails"].iloc[0]  # a real source and locator, valid in any edition of the data
    ids = {}
    for k, (name, statuses) in enumerate(known.items(), 1):
        cid = ids[name] = registry.clone_id(k)
        rows = ass.index[ass["cluster"] == cid]
        ass.loc[rows, ["status", "evidence", "source", "locator", "basis", "note"]] = ["unknown", "", "", "", "", ""]
        for row, status in zip(rows, statuses):
            ass.loc[row, ["status", "evidence", "source", "locator", "basis"]] = [
                status, "Synthetic evidence for a test.", cited["source"], cited["locator"], "stated"]
    ass.to_csv(dest / "assessments.csv", index=False, lineterminator="\n")
    return load(dest), ids


def test_no_cluster_without_enough_evidence_is_red_or_ranked(tmp_path):
    ds, ids = _registry_with_synthetic_pilots(tmp_path, {
        "none": [], "one pass": ["meets"], "one failure": ["fails"],
        "five": ["meets", "partly", "fails", "fails", "partly"]})
    s = I.scores(ds).set_index("cluster")
    for name in ("none", "one pass", "one failure"):
        row = s.loc[ids[name]]
        assert row["light"] == I.INSUFFICIENT and pd.isna(row["rank"]) and pd.isna(row["score"]), name
    five = s.loc[ids["five"]]
    # 2 + 1 + 0 + 0 + 1 = 4 of 10 points over 5 known signs: 40%, amber, ranked
    assert (five["known"], five["score"], five["light"]) == (5, 40.0, "amber") and five["rank"] >= 1
    unscored = s[s["coverage"] < ds.scorecard.minimum_coverage.percent]
    assert not (unscored["light"] == "red").any() and unscored["rank"].isna().all()
    assert (s.loc[s["rank"].notna(), "coverage"] >= 30).all()


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
            "source": "kutsenko-2015", "locator": "footnote 12", **fields}


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
    people = {"unit": "organisations", "scope": "initiative", "year": 2013, "locator": "conclusion"}
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
             "locator": "section 'Research Methodology'"}
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
                               source="anon-2020-success-factors", locator="section 'Research Methodology'"))
    t = I.normalised_figures(load(data_copy))
    assert "london-tech" not in set(t["entity"])


def test_every_derived_figure_takes_the_same_scope_default(data_copy):
    # Inputs that are not all counts of the initiative never make a figure comparable with Russian participants.
    where = {"source": "anon-2020-success-factors", "locator": "section 'Research Methodology'", "year": 2015}
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
                               source="ipp-russia", locator="summary"))
    facts = I.programme_facts(load(data_copy))
    assert facts["later_count"] == 27
    assert (facts["remaining"], facts["remaining_year"]) == (11, 2021)


def test_conflicting_undated_counts_are_not_guessed_between(data_copy):
    # The data contract rejects this at validation; the rows are added after loading to check the function alone.
    ds = load(data_copy)
    extra = synthetic("ru-itc-programme", "clusters_in_programme", 26, unit="clusters", scope="programme",
                      source="ipp-russia", locator="summary")
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
