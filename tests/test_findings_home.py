"""What the home page quotes about the Best-Practice Collection, checked by hand against the shipped data."""

from __future__ import annotations

import re

import pytest

from analysis.data import load
from analysis.report.findings import home


@pytest.fixture(scope="module")
def f():
    return home.findings(load())


def test_the_collection_is_counted_by_practice_theme_and_country(f):
    # data/practices/BP-001 ... BP-052: 52 active practices under the 10 signs of signs.yml, from 12 origins
    assert (f.practices, f.themes, f.countries) == (52, 10, 12)


def test_the_sample_citation_names_the_first_practice(f):
    # data/practices/BP-001-*.md: title
    assert f.example_id == "BP-001"
    assert f.example_title == "A nuclear cluster puts the amenities of its home town into its programme"


def test_the_index_tables_link_every_practice(f):
    for table, key in ((f.by_theme, "Theme"), (f.by_country, "Origin")):
        assert len(table) == 52 and table.columns[0] == key
        assert all(re.fullmatch(r"\[BP-\d{3}\]\(#bp-\d{3}\)", link) for link in table["Practice"])
    assert f.by_country.iloc[0]["Origin"] == "Austria"
    # themes come in the collection's (the signs') order, not alphabetically
    signs = list(load().sign_table["label"])
    themes = list(dict.fromkeys(f.by_theme["Theme"]))
    assert themes == [s for s in signs if s in themes] and themes != sorted(themes)


def test_a_practice_title_from_the_data_comes_escaped(data_copy):
    path = next((data_copy / "practices").glob("BP-001-*.md"))
    path.write_text(re.sub(r"^title: .*$", 'title: "A <b>*bold*</b> claim"', path.read_text(encoding="utf-8"),
                           count=1, flags=re.M), encoding="utf-8")
    assert home.findings(load(data_copy)).example_title == r"A \<b\>\*bold\*\</b\> claim"


# --- the report's key findings ----------------------------------------------------------------


@pytest.fixture(scope="module")
def k():
    return home.key_findings(load())


def test_the_key_findings_quote_the_chapters_numbers(k):
    # chapter 3: data/observations (kutsenko-2015) and benchmarks.csv; chapter 4: the global survey of 356
    # initiatives; chapter 5: 25 pilots x 10 signs, 69 cells known; chapter 6: 43 figures on 9 foreign clusters
    assert (k.avg_participants, k.share_of_world, k.world_avg, k.groups_below_minimum, k.minimum_range) == (
        "44", "55%", "80", 2, "30 to 50")
    assert (k.sme_share, k.sme_share_without_ict, k.business_failing, k.business_rule) == ("34%", "19%", 10, "50%")
    assert (k.public_only, k.world_members_and_services) == ("71.5%", "34%")
    assert (k.gap_fields, k.gap_many, k.gap_share) == (11, 10, "46.1%")
    assert (k.known_pct, k.pilots, k.scored, k.insufficient, k.min_coverage) == ("27.6", 25, 13, 12, "30")
    assert (k.foreign_figures, k.foreign_clusters, k.foreign_initiative_figures) == (43, 9, 3)


def test_the_key_findings_follow_the_chapters_when_the_data_changes(data_copy):
    import pandas as pd

    from analysis.report.findings import scorecard

    # one known cell of the scorecard becomes unknown
    path = data_copy / "assessments.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    first_known = table.index[table["status"] != "unknown"][0]
    table.loc[first_known, ["status", "evidence", "source", "locator", "basis"]] = ["unknown", "", "", "", ""]
    table.to_csv(path, index=False, lineterminator="\n")
    ds = load(data_copy)
    k, s = home.key_findings(ds), scorecard.findings(ds)
    assert (k.known_pct, k.scored, k.insufficient) == (s.known_pct, s.n_scored, s.n_insufficient)
    assert k.known_pct == "27.2"  # 68 of 250 cells


def test_a_chart_on_the_home_page_links_to_the_references_from_there():
    from analysis.charts import figures

    ds = load()
    chart = figures.build(ds, "critical-mass")
    shown = home.from_home(chart)
    assert "](chapters/11-references.qmd#ref-kutsenko-2015)" in shown.usermeta["source"]
    assert "](11-references.qmd#" not in shown.usermeta["source"].replace("](chapters/11-references.qmd#", "")
    # the catalogue's own chart, which the chapters show, is left as it was
    assert "](11-references.qmd#ref-kutsenko-2015)" in chart.usermeta["source"]
    assert shown.to_dict()["usermeta"]["id"] == chart.to_dict()["usermeta"]["id"] == "critical-mass"


def test_findings_in_russian_keep_the_numbers_and_use_russian_conventions():
    from analysis.text import speaking

    ds = load()
    with speaking("ru"):
        k, f = home.key_findings(ds), home.findings(ds)
    # the same values as in English, written the Russian way: decimal comma, an en dash for a range
    assert (k.avg_participants, k.share_of_world, k.world_avg, k.groups_below_minimum, k.minimum_range) == (
        "44", "55%", "80", 2, "30–50")
    assert (k.public_only, k.gap_share, k.known_pct) == ("71,5%", "46,1%", "27,6")
    assert (f.practices, f.themes, f.countries) == (52, 10, 12)
    assert list(f.by_theme.columns) == ["Признак", "Практика", "Название", "Происхождение"]
    assert list(f.by_country.columns) == ["Происхождение", "Практика", "Название", "Признак"]
    assert f.by_country.iloc[0]["Происхождение"] == "Австрия"
    assert all(re.fullmatch(r"\[BP-\d{3}\]\(#bp-\d{3}\)", link) for link in f.by_theme["Практика"])


def test_a_practice_in_russian_takes_its_headings_from_the_russian_practice_file():
    import dataclasses

    from analysis.data import language
    from analysis.report import practices
    from analysis.text import speaking

    ds = load()
    # only the Russian practice files, so that the test does not depend on the labels being translated
    tr = dataclasses.replace(language.read(ds.root), labels={}, terms={})
    ru = language.localized(ds, "ru", tr)
    with speaking("ru"):
        text = practices.practice_markdown(ru, next(p for p in ru.practices if p.meta.id == "BP-001"))
    assert "**Что было сделано.**" in text and "**Почему это важно для российских пилотных кластеров.**" in text
    assert "## " not in text.split("\n", 1)[1] and "What was done" not in text
    assert "**Происхождение:**" in text and "**Уровень:** кластер" in text and "**Источник:**" in text
    # the English edition's practice is unchanged
    english = practices.practice_markdown(ds, next(p for p in ds.practices if p.meta.id == "BP-001"))
    assert "**What was done.**" in english and "**Origin:**" in english and "**Level:** cluster" in english
