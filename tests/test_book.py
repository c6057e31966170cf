"""The real book: no hand-typed figures, a page per cluster, practices in HTML and PDF, chart data links.

The build tests use the session's `built_book` (tests/conftest.py: the real project built once in a
temporary copy, about a minute on two cores); the test that edits data rebuilds from its own copy of
the data into its own output folder.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis import project
from analysis.data import load
from analysis.paths import ROOT
from clusterbench.build import build
from clusterbench.engine import parse as qmd

BOOK = project.load(ROOT)
CHAPTERS = [ref.path for ref in BOOK.chapters if ref.path.suffix == ".qmd"]

#: What may contain digits in prose: years, document numbers in locators, figure/table/section
#: references written out, practice ids, and Markdown list markers.
ALLOWED = [
    r"`\{python\}[^`]*`",  # inline computed values
    r"`[^`]*`",  # code spans (file names, commands)
    r"\]\([^)]*\)",  # link targets
    r"\{[^}]*\}",  # attributes, shortcodes
    r"@(?:fig|tbl|sec)-[\w-]+",
    r"\bBP-\d{3}\b",
    r"\b(?:19|20)\d\d\b",
    r"\b00[0-4]\b",
    r"\b(?:Figure|Table|Section|Chapter|fn|footnote)s? \d+(?:\.\d+)*",
    r"^\s*\d+\.\s",
    r"\bUTF-8\b",  # an encoding's name
    r"\bCC BY(?:-SA|-NC)? \d\.\d\b",  # a licence's version
]


def _prose_digits(path: Path, base: Path = ROOT) -> list[str]:
    doc = qmd.parse(path)
    found = []
    for block in doc.blocks:
        if not isinstance(block, qmd.Markdown):
            continue
        in_fence = False
        for offset, line in enumerate(block.text.split("\n")):
            if line.lstrip().startswith(("```", "~~~")):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            stripped = line
            for pattern in ALLOWED:
                stripped = re.sub(pattern, " ", stripped)
            if re.search(r"\d", stripped):
                found.append(f"{path.relative_to(base)}:{block.line + offset}: {line.strip()}")
    return found


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.name)
def test_chapter_prose_has_no_hand_typed_figures(chapter):
    assert _prose_digits(chapter) == []


def test_the_number_check_catches_a_typed_figure(tmp_path):
    page = tmp_path / "x.qmd"
    page.write_text("# X\n\nIn 2012 there were 25 pilots, see @fig-a, Figure 2.1, BP-007 and `{python} n`.\n", encoding="utf-8")
    found = _prose_digits(page, tmp_path)
    assert len(found) == 1 and "25 pilots" in found[0]


def test_every_chapter_starts_with_a_tested_setup_cell():
    for chapter in CHAPTERS:
        doc = qmd.parse(chapter)
        first = next(b for b in doc.blocks if isinstance(b, qmd.Cell))
        assert first.options.get("include") is False, chapter.name
        assert "from analysis.report.chapter import setup" in first.code and "ctx = setup()" in first.code, chapter.name
        assert "open(" not in "\n".join(b.code for b in doc.blocks if isinstance(b, qmd.Cell)), chapter.name


# --- the built book ------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.slow
def test_every_cluster_has_a_profile_page(built_book):
    root, _ = built_book
    ds = load(root / "data")
    for cid, name in zip(ds["clusters"]["id"], ds["clusters"]["short_name"]):
        page = root / "_site" / f"{cid}.html"
        assert page.exists(), cid
        assert f'id="sec-profile-{cid}"' in page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_practice_is_in_the_html_and_both_pdfs_with_its_id(built_book):
    root, result = built_book
    ds = load(root / "data")
    html = (root / "_site" / "09-best-practices.html").read_text(encoding="utf-8")
    texts = {pdf.name: _pdf_text(pdf) for pdf in result.pdfs}
    assert len(texts) == 2
    for p in ds.practices:
        assert f'id="{p.meta.id.lower()}"' in html, p.meta.id
        for name, text in texts.items():
            assert p.meta.id in text, f"{p.meta.id} missing from {name}"


@pytest.mark.slow
def test_every_chart_has_a_csv_link_that_exists(built_book):
    root, _ = built_book
    site = root / "_site"
    charts = 0
    for page in site.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for figure in re.findall(r'<figure class="cb-figure" id="([^"]+)">(.*?)</figure>', html, re.S):
            label, body = figure
            if "cb-chart" not in body:
                continue
            charts += 1
            link = re.search(r'href="(figures/[^"]+\.csv)"', body)
            assert link, f"{page.name}#{label} has no CSV link"
            assert (site / link.group(1)).exists(), link.group(1)
    assert charts >= 2


@pytest.mark.slow
def test_a_changed_value_reaches_the_html_and_the_pdf(built_book, tmp_path):
    # Rebuild the session's book from an edited copy of its data into another folder: the execution
    # cache must re-run the chapters that read the edited file (and only those), and the session's
    # _site stays as built for the other tests. A benchmark is read by few chapters, so this is quick.
    root, _ = built_book
    data = tmp_path / "data"
    shutil.copytree(root / "data", data)
    path = data / "benchmarks.csv"
    text = path.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("organisational-maturity,"))
    assert ",range,10,15,years," in row
    path.write_text(text.replace(row, row.replace(",range,10,15,years,", ",range,10,16,years,")), encoding="utf-8")
    result = build(root, data=data, out=tmp_path / "_site", quiet=True)
    assert result.executed > 0 and result.reused > 0  # what does not read benchmarks.csv is reused
    html = (tmp_path / "_site" / "09-best-practices.html").read_text(encoding="utf-8")
    assert "10-16 years" in html and "10-15 years" not in html
    collection = next(p for p in result.pdfs if p.name.startswith("best-practices"))
    pdf = _pdf_text(collection)
    assert "10-16 years" in pdf and "10-15 years" not in pdf
