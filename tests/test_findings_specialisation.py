"""What the specialisation chapter says, against values worked out by hand from the shipped data.

The world counts are data/distributions.csv, distribution 'world-clusters-by-field' (002 Figure 2);
the pilots' fields are data/cluster_fields.csv; the source's reserves are data/specialisation.yml.
"""

from __future__ import annotations

import pytest
import yaml

from analysis.data import load
from analysis.report.findings import specialisation


@pytest.fixture(scope="module")
def f():
    return specialisation.findings(load())


def test_eleven_fields_with_many_clusters_and_no_pilot_hold_46_percent_of_the_survey(f):
    # Fields with >= 10 clusters and no row in cluster_fields.csv: food 23, green technologies 19,
    # medical services 19, textiles 17, metallurgy 13, tourism 13, transport 13, agriculture 12,
    # construction 12, manufacturing technologies 12, creative industries 11 = 164 of 356.
    assert f.many == 10 and f.n_gap_fields == 11
    assert f.gap_share == "46.1%"
    assert list(f.gap_table["Field"]) == [
        "Food industry", "Green technologies", "Medical services", "Textile industry", "Metallurgy", "Tourism",
        "Transport and logistics", "Agriculture", "Construction", "Manufacturing technologies", "Creative industries"]
    named = dict(zip(f.gap_table["Field"], f.gap_table["Named by the source as a Russian reserve"]))
    assert named["Tourism"] == "no" and list(named.values()).count("yes") == 10


def test_the_survey_is_cited_with_the_work_it_quotes(f):
    # 29 rows summing to 356, ICT first with 55; coverage 10-15% is observations/kutsenko-2015.csv line 43.
    assert (f.n_fields, f.world_total, f.largest_field, f.largest_field_clusters) == (29, "356", "ICT", "55")
    assert f.survey_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), Figure 2, citing [Lindqvist et al. (2013)](11-references.qmd#ref-lindqvist-2013), p. 14"
    assert (f.coverage_low, f.coverage_high) == ("10", "15%")
    assert f.coverage_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), section 'Cluster policy study'"


def test_the_rule_finds_all_ten_reserves_the_source_names_and_adds_tourism(f):
    assert (f.n_reserves, f.n_reserves_found) == (10, 10)
    assert (f.extra_fields, f.extra_field_clusters) == ("tourism", "13")
    assert f.missed_sentence == ""
    assert f.reserve_cite == "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), section 'Belt of innovation start-ups around large companies or universities'"


def test_pilots_sit_mostly_in_fields_where_the_world_has_few_clusters(f):
    # 41 rows in cluster_fields.csv; 27 go to fields under 10 worldwide: biotechnology 7 rows (9 worldwide),
    # medical technology 5, aerospace 5, chemistry 4, optics and photonics 3, micro- and nanotechnology 2,
    # telecommunications 1. The other 14: ICT 5, new materials 3, automotive, electricity and maritime 2 each.
    assert (f.n_links, f.n_links_to_few) == (41, 27)
    assert (f.most_piloted_field, f.most_piloted_pilots, f.most_piloted_clusters) == ("Biotechnology", "7", "9")
    assert (f.ict, f.ict_pilots) == ("ICT", "5")  # Zelenograd, St Petersburg ICT, Sarov, Novosibirsk, Tomsk


def test_the_list_holds_for_thresholds_from_8_to_11(f):
    # Largest field with no pilot outside the list: education and timber produce, 7 each; smallest on it: creative industries, 11.
    assert (f.lowest_same, f.highest_same) == (8, 11)
    assert f.small_fields_joining == "education and timber produce"
    assert f.first_to_drop == "creative industries"


def test_other_readings_of_three_pilots_would_take_two_fields_off_the_list(f):
    # Titanium as metallurgy (13), coal processing or lighting as green technologies (19): 11 - 2 = 9 remain.
    assert f.n_alternatives == 3
    assert f.alternative_fields == "green technologies and metallurgy"
    assert f.n_gap_fields_alternative == 9


def test_the_mapping_covers_every_pilot_and_spreads_the_nuclear_ones(f):
    # 25 pilots in cluster_fields.csv, 15 with two or more rows. Nuclear pilots (clusters.csv, kind pilot,
    # industry_group nuclear_radiation): Dubna, Sarov, Dimitrovgrad, Zheleznogorsk.
    assert (f.n_pilots, f.n_multi_field, len(f.mapping_table)) == (25, 15, 25)
    tomsk = f.mapping_table.set_index("Cluster").loc["Tomsk pharma and IT"]
    assert tomsk["Fields of the global list (our mapping)"] == "Biotechnology; Medical technology; ICT"
    assert f.n_nuclear == 4
    assert f.nuclear_fields == ("aerospace technology, electricity production, ICT, medical technology, "
                                "micro- and nanotechnology, and optics and photonics")


def test_the_doubtful_maritime_value_closes_the_survey_total(f):
    # 356 surveyed (observations/kutsenko-2015.csv line 38); 356 - 11 = 345. Maritime is the only 'ambiguous' row.
    assert (f.maritime, f.maritime_clusters, f.surveyed, f.world_total_without_maritime) == (
        "maritime technologies", "11", "356", "345")
    assert f.ambiguous_sentence == "It is the only ambiguous value among the 29 fields."
    assert (f.n_maritime_pilots, f.maritime_pilots) == (2, "Arkhangelsk shipbuilding and Khabarovsk")


def test_a_reserve_the_rule_misses_is_named(data_copy):
    path = data_copy / "specialisation.yml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    spec["reserve_fields"].append("education")  # 7 clusters worldwide: below the threshold
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    f = specialisation.findings(load(data_copy))
    assert (f.n_reserves, f.n_reserves_found) == (11, 10)
    assert f.missed_sentence == " Our rule misses education."


def test_labels_from_the_data_show_as_text_not_markup(data_copy):
    path = data_copy / "distributions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",tourism,Tourism,", ",tourism,<b>Tourism</b> *x*,"),
                    encoding="utf-8")
    f = specialisation.findings(load(data_copy))
    assert f.extra_fields == r"\<b\>Tourism\</b\> \*x\*"


def test_findings_in_russian_keep_the_numbers_and_quote_the_labels_they_name():
    from analysis.data import language
    from analysis.text import speaking

    # distributions.csv world-clusters-by-field, translated here by hand so the test needs no translation file
    labels = {("distributions.csv", "label"): {"Tourism": "Туризм", "Metallurgy": "Металлургия",
                                                 "Green technologies": "Зелёные технологии",
                                                 "Maritime technologies": "Морские технологии"}}
    with speaking("ru"):
        ru = specialisation.findings(language.localized(load(), "ru", language.Translations(labels, {}, {})))
    # the same counts as in English (distributions.csv: 29 fields, 356 initiatives, 11 gap fields)
    assert (ru.n_fields, ru.world_total, ru.n_gap_fields, ru.gap_share) == (29, "356", 11, "46,1%")
    # a label named mid-sentence stands in quotes, as it is, so it reads in any case
    assert ru.extra_fields == "«Туризм»"
    assert ru.alternative_fields == "«Зелёные технологии» и «Металлургия»"
    assert ru.maritime == "«Морские технологии»"
    assert ru.maritime_pilots == "«Архангельская обл., судостроение» и «Хабаровский кластер»"
    assert ru.ambiguous_sentence == "Это единственное неоднозначное значение среди 29 отраслей."
    assert list(ru.gap_table.columns) == ["Отрасль", "Кластеров в мире (обследование 2012 г.)",
                                          "Названа источником как резерв России"]
    assert ru.gap_table.set_index("Отрасль").loc["Туризм", "Названа источником как резерв России"] == "нет"
    assert list(ru.mapping_table.columns)[:2] == ["Кластер", "Отраслевая группа"]
