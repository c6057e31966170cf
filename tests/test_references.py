"""Every source line leads a reader to a real work: the reference list, the links to it, and locators in the reader's terms.

The data holds the references (`data/references.csv`); each quoted value names the work its source cites
(`cites`), each locator says where in a work in the work's own numbering, and every citation the report prints
links to the work's entry in the References chapter.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml

from analysis import text
from analysis.charts import figures
from analysis.data import load, schemas, split_front_matter
from analysis.paths import DATA
from analysis.report import citation
from analysis.report.findings import references

#: Our numbers of the source files; they must never reach a reader.
FILE_NUMBER = re.compile(r"(?<![\d,.])\b00[0-4]\b")  # not the "000" of "120,000"
LINK = re.compile(r"\]\((?:\.\./)?11-references\.qmd#(ref-[a-z0-9-]+)\)")


@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.fixture(scope="module")
def refs(ds) -> pd.DataFrame:
    return ds["references"].set_index("id")


def _cells(ds, column: str):
    """(file:row, value) of every non-empty cell of `column` in every table and observation file."""
    frames = [ds.observations] + [t for t in ds.tables.values()]
    for frame in frames:
        if column in frame.columns:
            for _, row in frame[frame[column].notna()].iterrows():
                yield f"{row['_file']}:{row['_line']}", row


# --- the reference list --------------------------------------------------------------


def test_every_source_and_every_cited_work_has_an_entry(ds, refs):
    missing = [f"{where}:source: {row['source']}" for where, row in _cells(ds, "source") if row["source"] not in refs.index]
    missing += [f"{where}:sources: {s}" for where, row in _cells(ds, "sources") for s in row["sources"].split(";") if s not in refs.index]
    missing += [f"{where}:cites: {c}" for where, row in _cells(ds, "cites") for c in row["cites"].split(";") if c not in refs.index]
    missing += [f"sources.csv:id: {s}" for s in ds["sources"]["id"] if s not in refs.index]
    types = ds.specialisation.country_cluster_types
    missing += [f"specialisation.yml:cites: {t.cites}" for t in types.items if t.cites and t.cites not in refs.index]
    assert missing == [], "add these works to data/references.csv:\n" + "\n".join(missing)


def test_a_source_is_named_the_same_in_sources_and_references(ds, refs):
    # sources.csv keeps what the data needs about each source (its seed file); citations take the name from references.csv
    sources = ds["sources"].set_index("id")
    assert (sources["short_name"] == refs.loc[sources.index, "short_name"]).all()


def test_each_quoted_value_names_as_many_works_as_its_printed_citation(ds):
    # cites and cited_work run in the same order: "Dohse, Staehler, 2008; Christensen et al., 2012, p. 10"
    bad = [f"{where}: {row['cites']} against {row['cited_work']}" for where, row in _cells(ds, "cited_work")
           if pd.isna(row["cites"]) or len(row["cites"].split(";")) != len(row["cited_work"].split("; "))]
    assert bad == []


def test_the_source_documents_have_full_entries(refs):
    k = refs.loc["kutsenko-2015"]
    assert (k["container"], k["volume"], k["issue"], k["pages"]) == ("Foresight-Russia", "9", "1", "32–55")
    assert (k["doi"], k["licence"]) == ("10.17323/1995-459X.2015.1.32.55", "CC BY 4.0")
    sources = refs[refs["basis"] == "source"]
    assert len(sources) == 5 and sources["type"].notna().all()


def test_the_unidentified_sources_say_what_is_known_and_that_the_authors_are_not(refs):
    unknown = refs[(refs["basis"] == "source") & (refs["authors"] == "Unknown")]
    assert sorted(unknown.index) == ["anon-2020-success-factors", "anon-2021-investment"]
    assert unknown["circa"].all() and unknown["year"].notna().all() and unknown["title"].isna().all()
    assert unknown["description"].str.len().gt(80).all()
    entry = citation.reference_entry(unknown.reset_index().iloc[0])
    assert "\nUnidentified article on clustering success factors (c. 2020). Authors unknown. Untitled journal article" in entry
    assert "no title is printed in the available text" in entry


def test_the_works_the_issue_names_are_listed(refs):
    names = set(refs["short_name"])
    assert {"Lindqvist et al. (2013)", "CLOE (2004)", "Hagenauer et al. (2012)", "Pamminger (2014)",
            "Kutsenko and Meissner (2013)", "HSE (2013)"} <= names
    # a work known only from its citation says what the citation leaves out
    as_cited = refs[refs["basis"] == "as-cited"]
    assert as_cited["note"].notna().all() and as_cited["description"].notna().all()


def test_an_entry_reads_as_a_reference_and_carries_its_anchor(ds, refs):
    entry = citation.reference_entry(refs.reset_index().set_index("id", drop=False).loc["kutsenko-2015"])
    assert entry.startswith("::: {#ref-kutsenko-2015 .reference}\nKutsenko E. (2015). Pilot innovative territorial clusters in Russia")
    assert "*Foresight-Russia*, 9(1), 32–55." in entry and "<https://doi.org/10.17323/1995-459X.2015.1.32.55>" in entry
    assert "Licence: CC BY 4.0." in entry and entry.endswith("\n:::")


def test_the_references_chapter_lists_every_work_once_with_its_anchor(ds, refs):
    f = references.findings(ds)
    listed = f.sources + "\n\n" + f.data + "\n\n" + f.cited
    anchors = re.findall(r"^::: \{#(ref-[a-z0-9-]+) \.reference\}$", listed, flags=re.MULTILINE)
    assert sorted(anchors) == sorted(text.anchor(i) for i in refs.index)
    assert (f.n_sources, f.n_unidentified, f.n_data) == (5, 2, 3)
    assert f.n_cited == f.n_record + f.n_as_cited == len(refs) - 8
    assert not re.search(r"\bnan\b|\bNone\b|\b00[0-4]\b", listed)
    # a cited work names the documents that cite it, linked within the chapter
    assert "Cited in [Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015)" in f.cited


# --- locators in the reader's terms -----------------------------------------------------


def _yaml_locators():
    for name in ("signs.yml", "programme.yml", "scorecard.yml", "specialisation.yml", "distributions.yml"):
        for n, line in enumerate((DATA / name).read_text(encoding="utf-8").splitlines(), 1):
            m = re.match(r'^\s*(?:-\s+)?locator:\s*(.+)$', line)
            if m:
                yield f"{name}:{n}", str(yaml.safe_load(m.group(1)))
    for path in sorted((DATA / "practices").glob("*.md")):
        front, _, _ = split_front_matter(path.read_text(encoding="utf-8"))
        for s in yaml.safe_load(front)["sources"]:
            yield f"practices/{path.name}", s["locator"]


def test_every_locator_uses_the_works_own_numbering_never_our_file_numbers(ds):
    found = [(where, row["locator"]) for where, row in _cells(ds, "locator")] + list(_yaml_locators())
    assert len(found) > 600
    bad = [f"{where}: {loc}" for where, loc in found if FILE_NUMBER.search(loc) or not re.match(schemas.LOCATOR, loc)]
    assert bad == []


def test_a_locator_part_names_only_a_work_its_row_cites(ds):
    bad = []
    for where, row in _cells(ds, "sources"):
        works = {w for w, _ in text.locator_parts(row["sources"].split(";")[0], row["locator"])}
        bad += [f"{where}: {w}" for w in works - set(row["sources"].split(";"))]
    assert bad == []


def test_no_note_shown_to_readers_names_our_file_numbers(ds):
    bad = [f"{where}:{col}" for col in ("note", "caveat", "description", "evidence")
           for where, row in _cells(ds, col) if FILE_NUMBER.search(str(row[col]))]
    assert bad == []


# --- citations link to the References ----------------------------------------------------


def test_every_figure_prints_one_source_line_of_linked_works(ds, refs):
    for fid in figures.FIGURES:
        spec = figures.build(ds, fid).to_dict()
        line = spec["usermeta"]["source"]
        linked = LINK.findall(line)
        assert linked and {a.removeprefix("ref-") for a in linked} <= set(refs.index), fid
        assert "title" not in spec, f"{fid}: the source line is printed under the chart, not also inside it"
        assert not FILE_NUMBER.search(line) and "data/" not in line, fid


def test_a_figures_source_line_comes_from_its_data_rows(ds):
    # critical mass: Figure 1 (distributions.yml) and the three size references (benchmarks.csv), each
    # reference with the work its source quotes
    line = figures.build(ds, "critical-mass").to_dict()["usermeta"]["source"]
    assert line.startswith("Source: [Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015), Figure 1 and section 'Critical mass of core companies'")
    for work in ("cloe-2004", "pamminger-2014", "lindqvist-2013"):
        assert f"#ref-{work})" in line
    assert line.endswith("p. 17.")


def test_a_profile_cites_with_links_one_folder_up(ds):
    from analysis.report import profiles

    page = profiles.profile_markdown(ds, "kama")
    assert "Sources: [Kutsenko (2015)](../11-references.qmd#ref-kutsenko-2015), footnotes 12 and 14;" in page
    assert not FILE_NUMBER.search(page)
