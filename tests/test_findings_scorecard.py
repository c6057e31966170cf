"""What the scorecard chapter says, against values worked out by hand from the shipped data.

The rules are data/scorecard.yml (meets 2, partly 1, fails and unknown 0; green from 60, amber from 25);
the signs are data/signs.yml; the statuses are data/assessments.csv (250 rows: 25 pilots x 10 signs).
"""

from __future__ import annotations

import pytest
import yaml

from analysis.data import load
from analysis.report.findings import scorecard


@pytest.fixture(scope="module")
def f():
    return scorecard.findings(load())


def test_the_model_has_ten_signs_in_three_groups(f):
    assert (f.n_signs, f.n_groups) == (10, 3)
    assert (f.group_environment, f.group_communications, f.group_innovation) == (
        "Environment and participants", "Closeness of communications and self-organisation",
        "Cluster-type open innovation strategy")
    assert f.model_locator == "document 002, Figure 15"  # first part of signs.yml's locator
    first = f.signs_table.iloc[0]
    assert (first["Group"], first["Sign"]) == ("Environment and participants", "Developed urban environment")
    # the table escapes its cells itself, so the locator comes unescaped and without its document number
    assert first["Where in document 002"] == "section 'Developed urban environment'"
    assert list(f.signs_table["Group"]).count("") == 7


def test_the_rules_are_printed_as_the_data_file_states_them(f):
    assert f.n_statuses == 4 and list(f.points_table["Points"]) == [2, 1, 0, 0]
    assert (f.unknown_points, f.top_points) == ("0", "2")
    assert (f.green_min, f.amber_min) == ("60", "25")
    assert f.green_signs_needed == "6"  # 60% of 10 signs x 2 points = 12 points = 6 signs met in full
    assert list(f.lights_table["Light"]) == ["Green", "Amber", "Red"]
    assert f.ties_rule == r"clusters with equal scores share the same rank, and the next rank skips (1, 2, 2, 4)"


def test_most_of_the_matrix_is_unknown(f):
    # assessments.csv: 181 unknown, 35 fails, 32 partly, 2 meets; of the 69 known, 65 cite kutsenko-2015 and
    # 4 anon-2020-success-factors; 28 rows have basis 'inferred'.
    assert (f.n_clusters, f.n_cells, f.known_cells, f.unknown_cells) == (25, "250", 69, 181)
    assert (f.known_pct, f.unknown_pct) == ("27.6", "72.4")
    assert (f.known_from_kutsenko, f.known_from_success_factors, f.n_inferred) == (65, 4, 28)


def test_two_pilots_share_first_place_and_every_pilot_is_red(f):
    # Kama: 4 partly = 4 of 20 points; Tomsk: 1 meets + 2 partly = 4 of 20: both 20%, below amber (25).
    assert (f.leaders, f.leader_score, f.leader_light) == ("Kama (Tatarstan), and Tomsk pharma and IT", "20", "red")
    assert (f.ranks_first, f.leads) == ("share first place", "share the lead")  # a tie reads as two clusters
    assert f.lights_sentence == "25 are red, and none is green or amber"
    assert f.green_sentence == "No cluster reaches green."
    # Kama's known cells cite 001 and 002, Tomsk's only 002.
    assert f.leader_documents == 2


def test_zero_scores_split_into_no_evidence_and_only_failures(f):
    # Score 0: Altai (no known status at all) and seven pilots whose only statuses are 'fails'.
    assert (f.n_zero_score, f.n_no_evidence, f.n_zero_with_evidence) == (8, 1, 7)
    assert f.no_evidence_have == "1 has"
    assert (f.mean_coverage, f.max_coverage) == ("27.6", "60")  # 69 known of 250 cells; Kama and Zheleznogorsk 6 of 10
    assert f.best_covered == "Kama (Tatarstan), Zheleznogorsk"


def test_the_signs_with_the_most_evidence_and_failures(f):
    # internal-competition: 15 fails + 7 partly = 22 known of 25; no other sign has more of either.
    assert (f.most_failed_sign, f.most_failed_count) == ("Internal competition", "15")
    assert f.evidence_sentence == (
        '"Internal competition" has both the most evidence (22 pilots with a known status) and the most failures (15).')
    # private-initiative fails: 10 rows, all '002 fn 12'; the criterion is benchmarks.csv 'business-share-criterion', 50%.
    assert (f.private_initiative, f.business_criterion) == ("Dominance of private initiatives", "50")
    assert f.private_initiative_locator == "document 002, fn 12"
    # joint-projects: 25 rows, all unknown, each citing the Anna Karenina section.
    assert f.never_known_sentence == "No pilot has a known status on joint innovation projects."
    assert f.joint_projects_locator == "document 002, section 'The Anna Karenina principle'"
    summary = f.sign_summary_table.set_index("Sign")
    assert summary.loc["Internal competition"].tolist() == [0, 7, 15, 3]


def test_lights_and_their_sentence_follow_the_rules_file(data_copy):
    path = data_copy / "scorecard.yml"
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules["lights"][0]["min_score"], rules["lights"][1]["min_score"] = 20, 10
    path.write_text(yaml.safe_dump(rules, sort_keys=False), encoding="utf-8")
    f = scorecard.findings(load(data_copy))
    # 20%: Kama, Tomsk; 15%: four pilots; 10%: five pilots; the other 14 score 5% or 0.
    assert f.lights_sentence == "2 are green, 9 are amber and 14 are red"
    assert f.green_sentence == "2 clusters reach green."
    assert (f.green_min, f.green_signs_needed) == ("20", "2")


def test_a_single_light_reads_in_the_singular():
    assert scorecard.lights_sentence({"green": 1, "amber": 0, "red": 24}) == "1 is green and 24 are red, and none is amber"


def test_cluster_names_from_the_data_show_as_text_not_markup(data_copy):
    path = data_copy / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",Kama (Tatarstan),", ",Kama <b>*x*</b>,", 1),
                    encoding="utf-8")
    f = scorecard.findings(load(data_copy))
    assert f.leaders == r"Kama \<b\>\*x\*\</b\>, and Tomsk pharma and IT"
    assert f.best_covered.startswith(r"Kama \<b\>\*x\*\</b\>")
