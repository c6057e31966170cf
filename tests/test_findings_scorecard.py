"""What the scorecard chapter says, against values worked out by hand from the shipped data.

The rules are data/scorecard.yml (meets 2, partly 1, fails and unknown 0; a score over the known signs only;
a minimum coverage of 30%, i.e. 3 of 10 signs; green from 60, amber from 25; ties share a rank, the next skips);
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
    assert f.model_locator == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), Figure 15"  # first part of signs.yml's locator
    first = f.signs_table.iloc[0]
    assert (first["Group"], first["Sign"]) == ("Environment and participants", "Developed urban environment")
    # the table escapes its cells itself, so the locator comes unescaped and without its document number
    assert first["Where in Kutsenko (2015)"] == "section 'Developed urban environment'"
    assert list(f.signs_table["Group"]).count("") == 7


def test_the_rules_are_printed_as_the_data_file_states_them(f):
    assert f.n_statuses == 4 and list(f.points_table["Points"]) == [2, 1, 0, 0]
    assert (f.unknown_points, f.top_points) == ("0", "2")
    assert f.score_over == "the signs with a known status"
    assert f.unknown_effect == "An unknown sign is left out of the score, so it neither lifts nor lowers it."
    assert f.score_rationale.startswith("A score over every sign counts each gap in the sources as a failure")
    assert (f.min_coverage, f.min_signs, f.insufficient_label) == ("30", "3", "Insufficient evidence")
    assert f.min_coverage_rationale.endswith("no one sign is worth more than a third of the score.")
    # over k known signs one sign moves the score by 100 / k points: 50 with 2, 33.3 with 3; amber spans 25 to 60
    assert f.weight_sentence == ("With 2 known signs, one sign's status moves the score by up to 50 points; with 3, "
                                 "by up to 33.3. The amber band is 35 points wide.")
    assert (f.green_min, f.amber_min, f.red_label) == ("60", "25", "Few of the evidenced signs present")
    assert list(f.lights_table["Light"]) == ["Green", "Amber", "Red", "Grey"]
    assert list(f.lights_table["When"]) == ["score of 60% or more", "score of 25% to under 60%", "score under 25%",
                                            "evidence on less than 30% of the signs: not scored, not ranked"]
    assert f.lights_table["Meaning"].iloc[-1] == "Insufficient evidence"
    assert f.ties_rule == 'clusters with equal scores share a rank, marked with "=", and the next rank skips (1, =2, =2, 4)'


def test_the_rules_in_words_follow_any_values():
    assert scorecard.light_ranges([60, 25, 0]) == ["score of 60% or more", "score of 25% to under 60%", "score under 25%"]
    assert scorecard.light_ranges([0]) == ["any score"]
    assert scorecard.min_signs(30, 10) == 3 and scorecard.min_signs(25, 10) == 3 and scorecard.min_signs(20, 10) == 2
    assert scorecard.min_signs(30, 12) == 4  # 3.6 signs: a fourth is needed
    assert scorecard.weight_sentence(1, 35) == "With 1 known sign, that sign's status is the whole score. The amber band is 35 points wide."
    assert scorecard.weight_sentence(3, 35, over_known=False, n_signs=10).startswith("Over all 10 signs, one sign's status moves the score by up to 10 points")


def test_most_of_the_matrix_is_unknown(f):
    # assessments.csv: 181 unknown, 35 fails, 32 partly, 2 meets; of the 69 known, 65 cite kutsenko-2015 and
    # 4 anon-2020-success-factors; 28 rows have basis 'inferred'.
    assert (f.n_clusters, f.n_cells, f.known_cells, f.unknown_cells) == (25, "250", 69, 181)
    assert (f.known_pct, f.unknown_pct) == ("27.6", "72.4")
    assert (f.known_from_kutsenko, f.known_from_success_factors, f.n_inferred) == (65, 4, 28)


def test_thirteen_pilots_are_scored_and_tomsk_leads_on_three_signs(f):
    # Known signs per pilot: 0 (1 pilot), 1 (6), 2 (5), 3 (5), 4 (4), 5 (2), 6 (2): 13 reach 3 of 10, the median is 3.
    assert (f.n_scored, f.n_insufficient, f.median_known) == (13, 12, "3")
    # Tomsk: 1 meets + 2 partly = 4 of 6 points = 66.7%, green.
    assert (f.leaders, f.leader_score, f.leader_light, f.leader_known) == ("Tomsk pharma and IT", "66.7", "green", "3")
    assert (f.ranks_first, f.leads) == ("ranks first", "leads")
    assert f.lights_sentence == "1 is green, 5 are amber and 7 are red"
    assert f.green_sentence == "One cluster reaches green."
    assert f.ties_sentence == "8 of the 13 ranked clusters share their rank with another (=2, =4 and =8)."
    assert f.zero_sentence == "Arkhangelsk shipbuilding scores zero: all the evidence recorded for it is a failure."
    assert f.no_evidence_sentence == "Altai biopharma has no evidence on any sign."
    assert f.leader_documents == "1 document"  # Tomsk's known cells all cite document 002
    assert f.ranking_note == ""


def test_the_ranking_table_puts_score_beside_coverage_and_ranks_no_thin_evidence(f):
    t = f.ranking_table
    assert list(t.columns) == ["Rank", "Cluster", "Score over known signs (%)", "Signs with evidence", "Evidence coverage (%)", "Light"]
    assert t.iloc[0].tolist() == ["1", "Tomsk pharma and IT", 66.7, "3 of 10", 30.0, "Green"]
    assert list(t.loc[t["Cluster"].isin(["Kama (Tatarstan)", "Dubna nuclear physics"]), "Rank"]) == ["=4", "=4"]
    thin = t[t["Signs with evidence"].str.split().str[0].astype(int) < 3]
    assert len(thin) == 12 and set(thin["Rank"]) == {"–"} and thin["Score over known signs (%)"].isna().all()
    assert set(thin["Light"]) == {"Insufficient evidence"}
    assert t.iloc[-1]["Cluster"] == "Altai biopharma"  # no evidence at all: last


def test_the_score_over_known_signs_no_longer_follows_the_coverage(f):
    # Pearson's r of coverage with points / 20 over all 25 pilots, and with points / (2 x known) over the 13 scored.
    assert (f.corr_all_signs, f.follows_all) == ("0.62", "largely follows")
    assert (f.corr_scored, f.follows_scored) == ("\u22120.12", "hardly follows")
    # below the minimum: Khabarovsk and Pushchino 1 partly = 50%, St Petersburg ICT meets + partly = 75%; five at 0%
    assert f.thin_sentence == ("Scored on what is known of them, the 11 pilots below the minimum that have some evidence "
                               "would range from 0% to 75%, each on 1 or 2 known signs.")
    assert (f.mean_coverage, f.max_coverage) == ("27.6", "60")  # 69 known of 250 cells; Kama and Zheleznogorsk 6 of 10
    assert f.best_covered == "Kama (Tatarstan), Zheleznogorsk"


def test_the_signs_with_the_most_evidence_and_failures(f):
    # internal-competition: 15 fails + 7 partly = 22 known of 25; no other sign has more of either.
    assert (f.most_failed_sign, f.most_failed_count) == ("Internal competition", "15")
    assert f.evidence_sentence == (
        '"Internal competition" has both the most evidence (22 pilots with a known status) and the most failures (15).')
    # private-initiative fails: 10 rows, all '002 fn 12'; the criterion is benchmarks.csv 'business-share-criterion', 50%.
    assert (f.private_initiative, f.business_criterion) == ("Dominance of private initiatives", "50")
    assert f.private_initiative_locator == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), footnote 12"
    # joint-projects: 25 rows, all unknown, each citing the Anna Karenina section.
    assert f.never_known_sentence == "No pilot has a known status on joint innovation projects."
    assert f.joint_projects_locator == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), section 'The Anna Karenina Principle'"
    summary = f.sign_summary_table.set_index("Sign")
    assert summary.loc["Internal competition"].tolist() == [0, 7, 15, 3]


def _set_rules(path, change) -> None:
    rules = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(rules)
    path.write_text(yaml.safe_dump(rules, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_lights_and_their_sentence_follow_the_rules_file(data_copy):
    def change(rules):
        rules["lights"][0]["min_score"], rules["lights"][1]["min_score"] = 35, 20

    _set_rules(data_copy / "scorecard.yml", change)
    f = scorecard.findings(load(data_copy))
    # 66.7, 37.5, 37.5: green; 33.3, 33.3, 30, 20: amber; 16.7 x 4, 12.5, 0: red
    assert f.lights_sentence == "3 are green, 4 are amber and 6 are red"
    assert f.green_sentence == "Green is reached by 3 clusters."
    assert f.green_min == "35" and f.lights_table["When"].iloc[1] == "score of 20% to under 35%"


def test_the_minimum_coverage_and_tie_rule_follow_the_rules_file(data_copy):
    def change(rules):
        rules["minimum_coverage"]["percent"], rules["minimum_coverage"]["label"] = 40, "Too little evidence"
        rules["ranking"]["ties"] = "dense"

    _set_rules(data_copy / "scorecard.yml", change)
    f = scorecard.findings(load(data_copy))
    # 4 or more known signs: Kaluga, Novosibirsk (37.5), Kama (33.3), Mordovia (30), Dimitrovgrad (20),
    # Zheleznogorsk (16.7), Perm (12.5), Arkhangelsk (0)
    assert (f.min_coverage, f.min_signs, f.n_scored, f.insufficient_label) == ("40", "4", 8, "Too little evidence")
    assert f.leaders == "Kaluga pharma and biomedicine, and Novosibirsk IT and biopharma"
    assert (f.ranks_first, f.leads) == ("share first place", "share the lead")
    assert f.ties_rule.endswith("the next rank follows on (1, =2, =2, 3)")
    assert list(f.ranking_table["Rank"][:4]) == ["=1", "=1", "2", "3"]
    assert "Tomsk pharma and IT" in set(f.ranking_table.loc[f.ranking_table["Light"] == "Too little evidence", "Cluster"])


def test_a_bad_rules_file_gets_one_error_naming_every_field(data_copy):
    from analysis.data import DataError

    def change(rules):
        rules["points"]["partly"] = -1
        rules["score"]["over"] = "some"
        rules["minimum_coverage"]["percent"] = 0
        del rules["minimum_coverage"]["label"]
        rules["lights"][0]["min_score"] = 10  # below amber's 25: out of order
        rules["ranking"] = {"ties": "random", "order": "score"}

    _set_rules(data_copy / "scorecard.yml", change)
    with pytest.raises(DataError) as err:
        load(data_copy)
    report = err.value.report()
    for where in ("scorecard.yml:-:points:", "scorecard.yml:score:over:", "scorecard.yml:minimum_coverage:percent:",
                  "scorecard.yml:minimum_coverage:label:", "scorecard.yml:-:lights:", "scorecard.yml:ranking:ties:",
                  "scorecard.yml:ranking:order:"):
        assert where in report, report
    assert "greater than 0" in report and "'known' or 'all'" in report


def test_a_pilot_profile_gives_its_score_rank_and_light_by_the_same_rules():
    from analysis import indicators
    from analysis.report import profiles

    ds = load()
    ranks = indicators.scores(ds).set_index("cluster")
    # the scorecard section's score line (the header above it sums the evidence in other words)
    line = lambda cid: next(l for l in profiles.profile_markdown(ds, cid, ranks).splitlines()
                            if l.startswith(("Score ", "Insufficient evidence")))
    assert line("sarov") == ("Score 16.7% over the known signs, with a known status on 3 of 10 signs (30%); red light; "
                             "rank =8 of 13 ranked pilots, shared by 4.")
    assert line("tomsk-pharma-it").endswith("green light; rank 1 of 13 ranked pilots.")
    for thin in ("altai-biopharm", "kemerovo-coal", "spb-ict"):
        text = line(thin)
        assert text.startswith("Insufficient evidence: a known status on ") and "no score, light or rank" in text
        assert "red" not in text and "rank " not in text.replace("no score, light or rank", "")


def test_a_single_light_reads_in_the_singular():
    assert scorecard.lights_sentence({"green": 1, "amber": 0, "red": 24}) == "1 is green and 24 are red, and none is amber"


def test_cluster_names_from_the_data_show_as_text_not_markup(data_copy):
    path = data_copy / "clusters.csv"
    text = path.read_text(encoding="utf-8").replace(",Kama (Tatarstan),", ",Kama <b>*x*</b>,", 1)
    path.write_text(text.replace(",Tomsk pharma and IT,", ",Tomsk_[x](y),", 1), encoding="utf-8")
    f = scorecard.findings(load(data_copy))
    assert f.leaders == r"Tomsk\_\[x\](y)"
    assert f.best_covered.startswith(r"Kama \<b\>\*x\*\</b\>")


def test_findings_in_russian_keep_the_numbers_and_use_russian_conventions():
    from analysis.text import speaking

    ds = load()
    english = scorecard.findings(ds)
    with speaking("ru"):
        f = scorecard.findings(ds)
    # the same counts and values, written the Russian way
    assert (f.n_signs, f.n_scored, f.known_cells) == (english.n_signs, english.n_scored, english.known_cells)
    assert (f.known_pct, f.unknown_pct, f.leader_score, f.corr_scored) == ("27,6", "72,4", "66,7", "\u22120,12")
    assert f.score_over == "признаки с известным статусом"
    assert (f.ranks_first, f.leads, f.leader_light) == ("занимает первое место", "лидирует", "зелёный")
    assert f.lights_sentence == "зелёный — 1, жёлтый — 5 и красный — 7"
    assert f.ties_sentence == "8 из 13 получивших место кластеров делят его с другими (=2, =4 и =8)."
    assert f.weight_sentence == ("При 2 известных признаках статус одного признака меняет оценку не более чем на 50 п. п.; "
                                 "при 3 — не более чем на 33,3 п. п. Ширина жёлтой зоны — 35 п. п.")
    assert f.thin_sentence.endswith("от 0% до 75%, причём каждая — по 1 или 2 известным признакам.")
    assert f.leader_documents == "1 документа"
    assert f.ties_rule.endswith("знаком «=», а следующее место пропускается (1, =2, =2, 4)")
    # tables: Russian headers, status words and lights; the same numbers
    assert list(f.ranking_table.columns) == ["Место", "Кластер", "Оценка по известным признакам, %", "Признаки с данными",
                                             "Полнота данных, %", "Цвет"]
    assert f.ranking_table.iloc[0].tolist()[2:] == [66.7, "3 из 10", 30.0, "Зелёный"]
    assert list(f.points_table.iloc[:, 0]) == ["выполняется", "частично", "не выполняется", "нет данных"]
    assert list(f.lights_table.iloc[:, 0]) == ["Зелёный", "Жёлтый", "Красный", "Серый"]
    assert list(f.lights_table.iloc[:, 1])[:3] == ["оценка 60% и выше", "оценка не ниже 25%, но ниже 60%", "оценка ниже 25%"]
    # locators of English-language sources keep their section names inside «…»
    assert f.signs_table.iloc[0, 3] == "раздел «Developed urban environment»"
    assert f.private_initiative_locator == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), сноска 12"
    # nothing said in our own words is left in English
    for text in (f.unknown_effect, f.green_sentence, f.zero_sentence, f.no_evidence_sentence, f.evidence_sentence,
                 f.never_known_sentence, f.follows_all, f.follows_scored):
        assert not any(word in text for word in (" the ", " is ", " has ", " and ", "sign")), text


def test_the_rules_in_words_follow_any_values_in_russian_too():
    from analysis.text import speaking

    with speaking("ru"):
        assert scorecard.light_ranges([0]) == ["любая оценка"]
        assert scorecard.weight_sentence(1, 35).startswith("При 1 известном признаке оценка целиком определяется его статусом.")
        assert scorecard.lights_sentence({"green": 1, "amber": 0, "red": 24}) == "зелёный — 1 и красный — 24, жёлтых нет"
    assert scorecard.lights_sentence({"green": 1, "amber": 0, "red": 24}) == "1 is green and 24 are red, and none is amber"
