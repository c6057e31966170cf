"""What the chapter on Russian cases quotes, checked by hand against the shipped data.

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
from analysis.report.findings import russian_cases

CHAPTER = ROOT / "chapters" / "07-russian-cases.qmd"


@pytest.fixture(scope="module")
def f():
    return russian_cases.findings(load())


def test_the_five_cases_are_all_pilots(f):
    # clusters.csv: perm-new-star, samara-aerospace, kama, bashkortostan-petrochem and kaluga-pharma are kind "pilot"
    assert (f.n_cases, f.pilots_among_cases) == (5, "all of them are")
    assert list(f.cases) == ["perm-new-star", "samara-aerospace", "kama", "bashkortostan-petrochem", "kaluga-pharma"]
    assert f.case_locator == "[Unidentified article on clustering success factors (c. 2020)](11-references.qmd#ref-anon-2020-success-factors), section 'Analysis of Trends and Factors of Cluster Development in Russian Regions'"
    assert f.precondition_locator == "[Unidentified article on clustering success factors (c. 2020)](11-references.qmd#ref-anon-2020-success-factors), Table 2"  # preconditions.csv:23-49


def test_a_case_table_gives_each_figure_with_qualifier_unit_year_and_scope(f):
    kama = f.cases["kama"].table.set_index("Figure")
    assert list(kama.columns) == ["Value (year)", "Scope", "Quality flag"]
    # obs/001:47-50; a breakdown is added to the label with spaces for hyphens
    assert kama.loc["Share of national production: synthetic rubber", "Value (year)"] == "about 40%"
    assert kama.loc["Share of national production: trucks", "Value (year)"] == "about 33.3%"
    assert kama.loc["Radius containing the main enterprises", "Value (year)"] == "at most 30 km"
    assert kama.loc["Radius containing the main enterprises", "Scope"] == "Cluster initiative"
    kaluga = f.cases["kaluga-pharma"].table.set_index("Figure")
    assert len(kaluga) == 10  # obs/001:55-63 and :77
    assert kaluga.loc["Employees", "Value (year)"] == "12,400 people (2019)"  # obs/001:55
    assert kaluga.loc["Output", "Value (year)"] == "RUB 21 billion (2019)"  # obs/001:59, rub_bn
    assert kaluga.loc["Products in registration", "Value (year)"] == "more than 15"  # obs/001:60, count: no unit word
    assert kaluga.loc["Target rank among national producers", "Value (year)"] == "at most 3"  # obs/001:77, rank
    assert kaluga.loc["Employees", "Scope"] == "Whole regional industry or park"


def test_values_quoted_in_the_prose_come_from_the_case_figures(f):
    kaluga = f.cases["kaluga-pharma"].values
    assert (kaluga["employees"], kaluga["output_value"]) == ("12,400 people", "RUB 21 billion")  # obs/001:55, :59


def test_a_case_has_its_preconditions_scorecard_and_notes(f):
    # preconditions.csv:39-41: industrial-base twice, then venture-investment; each factor named once
    assert f.cases["bashkortostan-petrochem"].preconditions == "industrial base; investment inflow, including venture capital"
    # assessments.csv:82-91: four "partly" (1 point each) of ten signs, six signs known; scored over the
    # known signs (scorecard.yml): 4 of 12 points, a rank shared with Dubna among the 13 pilots with enough evidence
    assert f.cases["kama"].scorecard == "rank =4 of 13 ranked pilots, score 33.3%, evidence on 60% of the signs"
    # assessments.csv:112-121: one "partly", three "fails": 1 of 8 points
    assert f.cases["perm-new-star"].scorecard.endswith("score 12.5%, evidence on 40% of the signs")
    # two known signs of ten, below the 30% minimum coverage of scorecard.yml
    assert f.cases["bashkortostan-petrochem"].scorecard == "insufficient evidence for a score (evidence on 20% of the signs)"
    notes = f.cases["samara-aerospace"].notes.splitlines()
    assert notes[0] == "Notes on the figures:" and len(notes) == 5  # obs/001:45, 46, 76
    assert notes[3] == "- *Sub-clusters*: Space and missile; aircraft manufacturing; engine technology."
    # assessments.csv:117 cites the shorter section name
    assert f.perm_management_locator == "[Unidentified article on clustering success factors (c. 2020)](11-references.qmd#ref-anon-2020-success-factors), section 'Analysis of Trends and Factors of Cluster Development in Russian Regions'"


def test_foreign_and_russian_preconditions_overlap_on_the_shared_factors(f):
    # preconditions.csv:2-22 name 4 countries (US, FI, DE, CA), :23-49 name 5 clusters
    assert (f.n_countries, f.n_russian_cases, f.n_factors) == (4, 5, 20)
    assert (f.n_shared, f.n_foreign_only, f.n_russian_only) == (8, 3, 9)
    # human-capital: all 4 countries, only Perm (preconditions.csv:24)
    assert (f.top_foreign, f.top_foreign_countries, f.top_foreign_russian) == ("Qualified people", "4", "1")
    # cooperation: Samara (:32), Kama (:35), Kaluga (:44, :46); no country
    assert (f.russian_only_top, f.russian_only_top_cases) == ("Cooperation and networking", "3")
    assert f.russian_only_second == "Favourable location"  # Kama (:34), Kaluga (:47)
    assert (f.shared_top, f.shared_second) == ("Qualified people", "Universities and research centres at hand")
    assert f.foreign_only_factors == "supporting organisations, information infrastructure, local interest"
    assert f.precondition_locators == "[Unidentified article on clustering success factors (c. 2020)](11-references.qmd#ref-anon-2020-success-factors), Table 1 and Table 2"


def test_the_overlap_table_lists_shared_factors_first(f):
    table = f.overlap_table
    assert list(table.columns) == ["Factor", "Countries naming it (of 4)", "Russian cases naming it (of 5)", "Across both sides"]
    assert list(table["Across both sides"].iloc[[0, 7, 8, 11, 19]]) == [
        "shared", "shared", "foreign only", "Russian only", "Russian only"]
    assert table.iloc[0].tolist() == ["Qualified people", 4, 1, "shared"]


def test_the_documents_lists_are_set_against_the_precondition_tables(f):
    # factor_lists.csv:2-13 (12 success factors) and :14-18 (5 characteristics)
    assert (f.n_success_factors, f.n_characteristics) == (12, 5)
    assert f.repeated_items == "1 and 12"  # government-support at :2 and :13
    # venture-organisations, leading-enterprises, small-business, screening (:5, 7, 9, 11) are in no precondition table
    assert f.n_new_success_factors == 4
    assert f.new_success_factors == "venture organisations, anchor enterprises, small businesses, entry screening"
    # :14, 15, 17 are also named for foreign countries; :16 specialisation and :18 cooperation are not
    assert f.n_characteristics_in_foreign == 3
    assert f.characteristics_not_in_foreign == "specialisation, cooperation and networking"
    assert f.success_factor_locator == "[Unidentified article on clustering success factors (c. 2020)](11-references.qmd#ref-anon-2020-success-factors), section 'Research Results'"
    table = f.success_factor_table.set_index("Item no.")
    assert table.loc["1", "In the precondition tables"] == "Russian only"  # state support: Samara only (preconditions.csv:33)
    assert table.loc["4", "In the precondition tables"] == "neither"
    assert table.loc["9", "In the precondition tables"] == "foreign only"  # information infrastructure


def test_factor_labels_from_the_data_reach_the_prose_escaped_and_the_tables_as_they_are(data_copy):
    path = data_copy / "factors.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        if row["code"] == "cooperation":
            row["label"] = "Cooperation <script>alert(1)</script> *x*"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    f = russian_cases.findings(load(data_copy))
    assert f.russian_only_top == r"Cooperation \<script\>alert(1)\</script\> \*x\*"
    assert r"cooperation \<script\>" in f.cases["kama"].preconditions
    # ctx.table escapes table cells itself, so the table keeps the label unescaped
    table = f.characteristic_table.set_index("Item no.")
    assert table.loc["5", "Shared factor"] == "Cooperation <script>alert(1)</script> *x*"


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
    english = russian_cases.findings(ds)
    with speaking("ru"):
        f = russian_cases.findings(ds)
    assert (f.n_cases, f.n_shared, f.n_russian_only) == (english.n_cases, english.n_shared, english.n_russian_only)
    assert f.pilots_among_cases == "все они —"
    assert f.repeated_items == "1 и 12"
    assert f.cases["perm-new-star"].scorecard == "место 12 из 13 в рейтинге пилотных кластеров, оценка 12,5%, данные по 40% признаков"
    assert f.cases["bashkortostan-petrochem"].scorecard.endswith("для оценки (данные по 20% признаков)")
    assert f.cases["kaluga-pharma"].values["output_value"].startswith("21 млрд руб.")
    kaluga = f.cases["kaluga-pharma"].table
    assert list(kaluga.columns) == ["Показатель", "Значение (год)", "Охват", "Отметка качества"]
    assert "Отрасль региона в целом или парк" in set(kaluga["Охват"]) and "Кластерная инициатива" in set(kaluga["Охват"])
    assert f.cases["kama"].notes.startswith("Примечания к показателям:\n\n- *")
    overlap = f.overlap_table
    assert list(overlap.columns) == ["Фактор", "Страны, называющие фактор (из 4)",
                                     "Российские кластеры, называющие фактор (из 5)", "Сопоставление сторон"]
    assert list(dict.fromkeys(overlap["Сопоставление сторон"])) == ["общий", "только зарубежные", "только российские"]
    lists = f.success_factor_table
    assert list(lists.columns) == ["№ п/п", "Содержание (наше изложение)", "Общий фактор", "В таблицах предпосылок"]
    assert set(lists["В таблицах предпосылок"]) == {"в обеих", "только в зарубежной", "только в российской", "ни в одной"}
