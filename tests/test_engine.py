"""Fast checks of the wheel engine's parsing and numbering (no kernel needed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from analysis import engine, project, qmd

MINIBOOK = Path(__file__).parent / "fixtures" / "minibook"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    return root


def _targets(root: Path) -> dict[str, str]:
    parsed = engine.parse_book(project.load(root))
    return {label: t.text for pc in parsed for label, t in pc.targets.items()}


def test_chapters_figures_tables_and_sections_are_numbered_like_quarto(book):
    t = _targets(book)
    assert t["sec-intro"] == "Chapter 1" and t["sec-charts"] == "Chapter 2"
    assert t["sec-details"] == "Section 1.1"
    assert t["tbl-small"] == "Table 1.1" and t["fig-bars"] == "Figure 2.1"


def test_callout_titles_and_unnumbered_headings_are_not_sections(book):
    chapter = book / "01-intro.qmd"
    text = chapter.read_text(encoding="utf-8").replace(
        "## Details {#sec-details}",
        "::: {.callout-tip}\n## Tip title\nText.\n:::\n\n## Aside {.unnumbered}\n\n## Details {#sec-details}")
    chapter.write_text(text, encoding="utf-8")
    assert _targets(book)["sec-details"] == "Section 1.1"


def test_duplicate_labels_are_an_error(book):
    chapter = book / "02-charts.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n## Again {#sec-intro}\n", encoding="utf-8")
    with pytest.raises(qmd.QmdError, match="label 'sec-intro' is already used in 01-intro.qmd"):
        engine.parse_book(project.load(book))


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


def test_profile_overrides_chapters_and_title(tmp_path):
    root = Path(__file__).resolve().parent.parent
    collection = project.load(root, "practices")
    assert collection.title == "Best-Practice Collection"
    assert [c.path.name for c in collection.chapters] == ["practices-index.qmd", "09-best-practices.qmd"]
    assert collection.output_dir.name == "_practices"


def test_heading_ids_are_added_and_deduplicated():
    md, headings = engine._headings("## Same\n\ntext\n\n## Same\n\n### Sub {#sec-sub}")
    assert [h.anchor for h in headings] == ["same", "same-2", "sec-sub"]
    assert "## Same {#same-2}" in md
