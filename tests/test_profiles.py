"""Profile pages: the at-a-glance header, the verdicts against the benchmarks, the scorecard row and sparse pages."""

from __future__ import annotations

import re

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


# --- the Russian edition -------------------------------------------------------------------------------------------

#: Words of our own that profile pages write in English; none may be left on a Russian page.
ENGLISH_WORDS = ("glance", "key facts", "figures?", "sources?", "benchmarks?", "scorecard", "evidence", "signs?", "yes",
                 "group", "rank", "light", "score", "coverage", "comparisons?", "facts?", "value", "confidence", "quality",
                 "reported", "estimate", "derived", "ambiguous", "readable", "relevant", "kind", "where", "industry",
                 "country", "region", "city", "founded", "merged", "both", "caveat", "average", "compared", "tell",
                 "meets", "below", "above", "fails", "partly", "unknown", "practices", "stated", "confirmed",
                 "general knowledge", "whole industry", "cluster initiative", "pilot", "say little", "none")


@pytest.fixture(scope="module")
def ru():
    """The data as the Russian edition shows it, and the unit forms the pages are said with."""
    from analysis.data import language

    english = load(DATA)
    tr = language.read(english.root)
    # the translations of what a profile page shows: the tables, vocabularies, signs and scorecard (a light's name
    # there is a code the schema checks, not a label)
    shown = {k: v for k, v in tr.labels.items()
             if (k[0].endswith(".csv") or k[0] in ("vocabularies.yml", "signs.yml", "scorecard.yml")) and k != ("scorecard.yml", "lights.light")}
    tr = language.Translations(shown, tr.terms, tr.practices)
    return language.localized(english, "ru", tr), language.unit_forms(tr)


def in_russian(ru, make):
    from analysis import text

    ds, units = ru
    with text.speaking("ru", units):
        return make(ds)


def numbers(page: str, lang: str) -> list[str]:
    """Every number a page shows, as digits and a point ('12,400' and '12 400' -> '12400', '37,5' -> '37.5')."""
    page = re.sub(r"\]\([^)]*\)", "]", page)  # link targets
    if lang == "ru":
        page = re.sub(r"(?<=\d)[\u00a0\u202f ](?=\d{3}\b)", "", page)
        page = re.sub(r"(?<=\d),(?=\d)", ".", page)
    else:
        page = re.sub(r"(?<=\d),(?=\d{3}\b)", "", page)
    return sorted(re.findall(r"\d+(?:\.\d+)?", page))


def without_data_text(ds, cluster_id: str, page: str) -> str:
    """A page without the words it takes from the data (citations and other links, quoted names, notes, evidence,
    labels), so what is left is the page's own words."""
    from analysis.text import md_escape

    c, a, at = ds["clusters"], ds["assessments"], ds["cluster_attributes"]
    texts = [*c.loc[c["id"] == cluster_id, ["note", "name", "short_name", "region", "city"]].to_numpy().ravel(),
             *a.loc[a["cluster"] == cluster_id, "evidence"].str.rstrip("."), *at.loc[at["entity"] == cluster_id, "value"],
             *ds["benchmarks"]["caveat"], *ds["benchmarks"]["label"], *ds["indicators"]["label"]]
    page = re.sub(r"\[[^\]]*\]\([^)]*11-references\.qmd[^)]*\)[^|;\n]*", "", page)  # citations, with their places
    page = re.sub(r"\[[^\]]*\]\([^)]*\)", "", page)
    for t in sorted({t for t in texts if isinstance(t, str) and t}, key=len, reverse=True):
        page = page.replace(md_escape(t).replace("\n", " "), "")
    return re.sub(r"«[^»]*»|\{[^}]*\}", "", page)


@pytest.mark.parametrize("cluster_id", ["kaluga-pharma", "sarov", "chemcologne", "tomsk-it", "altai-biopharm", "zheleznogorsk", "kama"])
def test_a_russian_profile_keeps_the_ids_links_and_numbers_of_the_english_one(ds, ranks, ru, cluster_id):
    english = profiles.profile_markdown(ds, cluster_id, ranks, scorecard_link=True)
    russian = in_russian(ru, lambda d: profiles.profile_markdown(d, cluster_id, indicators.scores(d).set_index("cluster"),
                                                                 scorecard_link=True))
    assert re.findall(r"\{#[^}]*\}", russian) == re.findall(r"\{#[^}]*\}", english)
    assert re.findall(r"^#+ ", russian, re.MULTILINE) == re.findall(r"^#+ ", english, re.MULTILINE)  # the same sections, in the same order
    assert re.findall(r"\]\(([^)]*)\)", russian) == re.findall(r"\]\(([^)]*)\)", english)
    assert numbers(russian, "ru") == numbers(english, "en")
    own = without_data_text(ru[0], cluster_id, russian)
    left = re.findall(rf"\b(?:{'|'.join(ENGLISH_WORDS)})\b", own, re.IGNORECASE)
    assert not left, left


def test_a_russian_profile_says_values_verdicts_and_the_score_the_russian_way(ru):
    page = in_russian(ru, lambda d: profiles.profile_markdown(d, "kaluga-pharma", indicators.scores(d).set_index("cluster")))
    glance = page.split("## Кратко")[1].split("\n## ")[0]
    assert "- **Группа поддержки:** 1" in glance
    assert "12\u00a0400 человек (2019, отрасль региона или парк в целом)" in glance
    assert "- **Данные:** 11 показателей, других фактов нет; известен статус 4 из 10 признаков сводной оценки (полнота данных 40%); " \
           "цвет жёлтый, оценка 37,5%, место =2 из 13." in glance
    assert "около 38 компаний" in page and "21 млрд руб." in page
    assert "| более 50% |" in page and "| оба: кластерная инициатива | ▼ Ниже |" in page
    assert "Показатель кластера ниже ориентира." in page
    assert "цвет — жёлтый; место =2 из 13 пилотных кластеров, включённых в рейтинг; его делят 2 кластера." in page
    assert "? Нет данных по 6 признакам: " in page


def test_sparse_russian_profiles_say_so_in_russian(ru):
    sparse = in_russian(ru, lambda d: profiles.profile_markdown(d, "altai-biopharm", indicators.scores(d).set_index("cluster")))
    first, sentence = sparse.split("\n\n")[:2]
    assert first.endswith("{#sec-profile-altai-biopharm .unnumbered .cb-compact}")
    assert sentence == ("Сведений об этом кластере в источниках мало: помимо местоположения и отрасли, в них нет ни показателей, "
                        "ни других фактов; статус не известен ни по одному из 10 признаков сводной оценки.")
    assert "? Нет данных ни по одному из 10 признаков: " in sparse
    component = in_russian(ru, lambda d: profiles.profile_markdown(d, "tomsk-it", indicators.scores(d).set_index("cluster")))
    assert "в них есть 1 показатель, других фактов нет." in component


def test_the_verdicts_are_counted_in_a_russian_sentence():
    from analysis import text

    with text.speaking("ru"):
        assert profiles._verdict_summary(pd.Series({verdicts.BELOW: 1})) == "Показатель кластера ниже ориентира."
        assert profiles._verdict_summary(pd.Series({verdicts.MEETS: 5})) == \
            "Во всех 5 сопоставлениях в таблице показатель соответствует ориентиру."
        mixed = pd.Series({verdicts.CANT_TELL: 3, verdicts.MEETS: 2, verdicts.BELOW: 1})
        assert profiles._verdict_summary(mixed) == ("Из 6 сопоставлений в таблице: в 2 случаях показатель соответствует ориентиру, "
                                                    "в 1 случае показатель ниже ориентира и в 3 случаях вывод сделать нельзя.")
        assert verdicts.label(verdicts.CANT_TELL) == "Нельзя определить"
    assert verdicts.label(verdicts.CANT_TELL) == "Can't tell"  # English again outside the block


def test_the_russian_index_and_parts_name_the_same_pages_in_russian(ds, ru):
    english_groups = profiles.chapter_groups(ds)
    russian = in_russian(ru, lambda d: (profiles.index_markdown(d), profiles.chapter_groups(d)))
    index, groups = russian
    assert index.startswith("# Профили кластеров {#sec-profiles}\n")
    assert [part for part, _ in groups] == ["Профили: пилотные кластеры", "Профили: другие российские кластеры",
                                            "Профили: зарубежные кластеры"]
    assert [sorted(pages) for _, pages in groups] == [sorted(pages) for _, pages in english_groups]
    assert sorted(re.findall(r"\]\((profiles/[^)]*)\)", index)) == sorted(re.findall(r"\]\((profiles/[^)]*)\)",
                                                                                      profiles.index_markdown(ds)))
    pilots = [line for line in index.split("## Пилотные кластеры")[1].split("\n## ")[0].splitlines() if line.startswith("| [")]
    names = [re.match(r"\| \[([^\]]*)\]", line).group(1) for line in pilots]
    assert names == sorted(names, key=lambda n: n.casefold().replace("ё", "е"))  # as a Russian reader looks them up


def test_an_unprinted_profile_is_whole_on_the_site_and_one_entry_in_the_pdf(ds, ranks):
    from clusterbench.engine.parse import apply_conditions

    full = profiles.profile_markdown(ds, "kaluga-pharma", ranks)
    brief = profiles.profile_markdown(ds, "kaluga-pharma", ranks, printed=False)
    heading, _, rest = brief.partition("\n")
    # the heading stays in both formats (links to it still land), without a page break or a contents entry
    assert heading == full.partition("\n")[0].replace("}", f" .{profiles.COMPACT} .{profiles.UNLISTED}}}")
    site = apply_conditions(rest, profiles=["book"], target="html")
    assert re.sub(r"\n+", "\n", site).strip() == re.sub(r"\n+", "\n", full.partition("\n")[2]).strip()
    pdf = apply_conditions(rest, profiles=["book"], target="typst").strip()
    assert pdf.startswith("**Pharmaceuticals, biotechnology and biomedicine cluster**. Pilot innovative territorial cluster; "
                          "Kaluga Oblast, Russia; pharmaceuticals, biotechnology and medical industry.")
    assert "website" in pdf and "\n\n" not in pdf  # one paragraph: no figures, tables or scorecard


def test_the_profiles_index_says_when_the_pdf_has_short_entries(ds):
    from clusterbench.engine.parse import apply_conditions

    assert "short entry" not in profiles.index_markdown(ds)
    brief = profiles.index_markdown(ds, printed=False)
    assert "short entry" not in apply_conditions(brief, profiles=["book"], target="html")
    assert f"With {len(ds['clusters'])} clusters, this PDF gives each cluster a short entry" in apply_conditions(
        brief, profiles=["book"], target="typst")
