"""Fast checks of the wheel engine's parsing and numbering (no kernel needed)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from analysis import project
from clusterbench.engine import book as engine
from clusterbench.engine import crossref, pandoc
from clusterbench.engine import parse as qmd

MINIBOOK = Path(__file__).parent / "fixtures" / "minibook"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    return root


def _numbered(markdown: str, chapter: int | None = 1) -> crossref.Numbered:
    return crossref.number(crossref.read(markdown, "html"), chapter)


CHAPTER = """# Intro {#sec-intro}

## Details {#sec-details}

::: {#tbl-small}
| a |
|---|
| 1 |

: A small table.
:::

### Deeper {#sec-deeper}

::: {#fig-bars}
Chart.

Two bars.
:::
"""


def test_chapters_are_numbered_in_book_order(book):
    parsed = engine.parse_book(project.load(book))
    assert [(pc.anchor, pc.number) for pc in parsed] == [("sec-preface", None), ("sec-intro", 1), ("sec-charts", 2), ("sec-data", 3)]


def test_figures_tables_and_sections_are_numbered_like_quarto():
    found = _numbered(CHAPTER, 2)
    assert found.targets == {"sec-details": "Section 2.1", "tbl-small": "Table 2.1", "sec-deeper": "Section 2.1.1",
                             "fig-bars": "Figure 2.1"}
    assert [(h.anchor, h.number) for h in found.headings] == [("sec-details", "2.1"), ("sec-deeper", "2.1.1")]


def test_an_unnumbered_chapter_numbers_figures_without_a_prefix_and_sections_not_at_all():
    found = _numbered(CHAPTER, None)
    assert found.targets["fig-bars"] == "Figure 1" and found.targets["sec-details"] == "Details"


def test_callout_titles_unnumbered_headings_and_code_are_not_numbered():
    text = ("::: {.callout-tip}\n## Tip title\nText.\n:::\n\n## Aside {.unnumbered}\n\n"
            "```\n## Not a heading {#sec-code}\n::: {#fig-code}\n```\n\n## Details {#sec-details}\n")
    found = _numbered(text)
    assert found.targets == {"sec-details": "Section 1.1"}
    assert [h.text for h in found.headings] == ["Aside", "Details"]


def test_headings_get_pandocs_own_identifiers():
    found = _numbered("## Same\n\ntext\n\n## Same\n\n## Version 2.1 of the data\n\n### Sub {#sec-sub}")
    assert [h.anchor for h in found.headings] == ["same", "same-1", "version-2.1-of-the-data", "sec-sub"]
    assert engine.slugify("Version 2.1 of the data") == "version-2.1-of-the-data"


def test_references_become_links_and_unknown_ones_are_reported():
    tree = crossref.read("See @fig-a, -@tbl-b and @fig-gone. Mail me@example.org or @someone.\n\n[Next](02-x.qmd#sec-y)", "html")
    missing = crossref.resolve(tree, {"fig-a": ("Figure 2.1", "02-x.html#fig-a"), "tbl-b": ("Table 1.3", "#tbl-b")},
                               lambda file, fragment: f"{file[:-4]}.html{fragment}" if file == "02-x.qmd" else None)
    assert missing.labels == ["fig-gone"] and missing.links == []
    html = pandoc.run(json.dumps(tree), reader="json", writer="html5", args=("--wrap=none",))
    assert '<a href="02-x.html#fig-a">Figure 2.1</a>' in html and '<a href="#tbl-b">1.3</a>' in html
    assert "@someone" in html and "citation" not in html.replace("@fig-gone", "")
    assert '<a href="02-x.html#sec-y">Next</a>' in html


def test_duplicate_labels_are_an_error(book):
    chapter = book / "02-charts.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n## Again {#sec-intro}\n", encoding="utf-8")
    parsed = engine.parse_book(project.load(book))
    b = engine.Book(project.load(book), parsed)
    numbered = [crossref.Numbered() for _ in parsed]
    numbered[2] = _numbered("## Again {#sec-intro}\n", 2)
    with pytest.raises(qmd.QmdError, match="label 'sec-intro' is already used in 01-intro.qmd"):
        engine._targets(b, numbered)


def test_cells_options_and_markdown_blocks_are_split_with_lines(book):
    doc = qmd.parse(book / "01-intro.qmd")
    cells = [b for b in doc.blocks if isinstance(b, qmd.Cell)]
    assert [c.line for c in cells] == [3, 19]
    assert cells[1].options == {"label": "tbl-small", "tbl-cap": "A small table."}


def test_project_requires_book_author_and_known_keys(book):
    config = book / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('  author: "Test Author"\n', ""), encoding="utf-8")
    with pytest.raises(project.ProjectError, match="book.author is required"):
        project.load(book)
    config.write_text(text.replace("format:\n", "format:\n  docx: default\n"), encoding="utf-8")
    with pytest.raises(project.ProjectError, match="format 'docx' is not supported"):
        project.load(book)


REPO = Path(__file__).resolve().parent.parent


def _merged_chapters(config: dict) -> list[str]:
    listed = []
    for key in ("chapters", "appendices"):
        for entry in config.get("book", {}).get(key) or []:
            listed += entry["chapters"] if isinstance(entry, dict) else [entry]
    return listed


@pytest.mark.parametrize("profile", [None, "book", "practices"])
def test_each_profile_merges_to_each_chapter_once_with_the_home_page_first(profile):
    """Quarto appends a profile's lists to _quarto.yml's: a chapter in both would be rendered twice."""
    loaded = project.load(REPO, profile)
    listed = _merged_chapters(loaded.config)
    assert listed[0] == "index.qmd"
    assert len(listed) == len(set(listed)), [c for c in listed if listed.count(c) > 1]
    assert [c.path for c in loaded.chapters][0].name == "index.qmd"


def test_profiles_follow_quartos_default_and_group_rules():
    config = {"profile": {"default": "book", "group": [["book", "practices"]]}}
    assert project.active_profiles(config) == ["book"]
    assert project.active_profiles(config, "practices") == ["practices"]
    assert project.active_profiles(config, "draft") == ["draft", "book"]
    assert project.active_profiles({"profile": {"group": [["a", "b"]]}}) == ["a"]


def test_profile_lists_are_appended_and_other_values_replaced():
    base = {"book": {"title": "A", "chapters": ["index.qmd", {"part": "P", "chapters": ["x.qmd"]}]}}
    merged = project.merge(base, {"book": {"title": "B", "chapters": ["index.qmd", "y.qmd"]}})
    assert merged["book"]["title"] == "B"
    assert merged["book"]["chapters"] == ["index.qmd", {"part": "P", "chapters": ["x.qmd"]}, "y.qmd"]


def test_the_collection_profile_has_its_own_title_chapters_and_output():
    collection = project.load(REPO, "practices")
    assert collection.title == "Best-Practice Collection"
    assert [c.path.name for c in collection.chapters] == ["index.qmd", "09-best-practices.qmd", "11-references.qmd"]
    assert collection.output_dir.name == "_practices"
    assert collection.profiles == ["practices"]


def test_content_for_another_profile_or_format_is_left_out():
    text = ('A\n\n::: {.content-visible when-profile="practices"}\nP\n:::\n\n'
            '::: {.content-hidden when-format="html"}\nPrint\n:::\n\n::: {.callout-note}\nN\n:::')
    book = qmd.apply_conditions(text, profiles=["book"])
    assert "P\n" not in book and "Print" in book
    assert "Print" not in qmd.apply_conditions(book, profiles=["book"], target="html")
    assert "Print" in qmd.apply_conditions(book, profiles=["book"], target="typst")
    assert "::: {.callout-note}\nN\n:::" in book
    blanked = qmd.apply_conditions(text, profiles=["book"], blank=True)
    assert blanked.count("\n") == text.count("\n")  # line numbers in messages stay right


@pytest.mark.parametrize("key, counts", [("pdf-profiles", "clusters"), ("table-rows", "rows")])
@pytest.mark.parametrize("value", ["many", "-1", "true", "2.5"])
def test_a_cb_limit_that_is_not_a_count_stops_the_build(book, key, counts, value):
    config = book / "_quarto.yml"
    config.write_text(config.read_text(encoding="utf-8") + f"cb:\n  {key}: {value}\n", encoding="utf-8")
    with pytest.raises(project.ProjectError, match=f"cb.{key} must be a whole number of {counts}"):
        project.load(book)
    config.write_text(config.read_text(encoding="utf-8").replace(f"{key}: {value}", f"{key}: 40"), encoding="utf-8")
    assert project.load(book).config["cb"][key] == 40


@pytest.mark.parametrize("old, new, message", [
    ("format:\n", "crossref:\n  fig-prefix: Fig.\n\nformat:\n", "'crossref' changes the output"),
    ("format:\n", "bibliography: refs.bib\n\nformat:\n", "'bibliography' changes the output"),
    ("  html:\n    toc: true\n", "  html:\n    toc: true\n    number-sections: false\n",
     "'format.html.number-sections: false' is not supported"),
    ("  typst:\n    toc: true\n", "  typst:\n    toc: false\n", "'format.typst.toc: false' is not supported"),
    ("  typst:\n    toc: true\n", "  typst:\n    toc: true\n    toc-depth: 5\n", "'format.typst.toc-depth: 5' is not supported"),
])
def test_options_that_change_the_output_work_or_stop_the_build(book, old, new, message):
    config = book / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    config.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(project.ProjectError, match=re.escape(message)):
        project.load(book)


def test_toc_depth_reaches_both_writers():
    from clusterbench.engine import html
    from clusterbench.engine.document import Chapter, Heading

    chapter = Chapter(source=Path("a.qmd"), slug="a", title="A", anchor="sec-a", number=1, part=None,
                      headings=[Heading(2, "sec-b", "B"), Heading(3, "sec-c", "C")])
    assert [e["children"] for e in html._toc(chapter, {}, 3)] == [[{"anchor": "sec-c", "text": "C", "number": "", "children": []}]]
    assert [e["children"] for e in html._toc(chapter, {}, 2)] == [[]]
    from clusterbench.build import _toc_depth

    assert _toc_depth(project.load(REPO), "typst") == 1  # _quarto.yml lists only chapters in the PDF contents
    assert _toc_depth(project.load(REPO), "html") == 3
