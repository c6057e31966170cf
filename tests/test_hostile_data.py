"""Hostile text in the data shows as literal text in the HTML and the PDFs, and no script from it runs.

A cluster name and a practice title carry a script tag and Markdown / Typst control
characters. The book built from them is cut down to what shows those strings (a stub
home page, the scorecard, the Best-Practice Collection, every cluster profile and the
collection PDF), which is a third of the cost of the whole book.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from conftest import copy_project, missing_tool, serve
from pypdf import PdfReader
from test_pdf_output import _norm, _outline_titles, _pages

from clusterbench.build import build

pytestmark = pytest.mark.slow

CLUSTER = "sarov"
#: The short name (at most 40 characters) and the full name of the cluster.
SHORT = "Sarov <script>alert(1)</script> #*$@<"
NAME = "Sarov <script>alert(1)</script> #1 *not bold* $x$ @sec-scorecard <b>not bold</b> {{< var edition >}}"
PRACTICE = "BP-001"
TITLE = "Hostile <script>alert(1)</script> #1 *not bold* $x$ @fig-scorecard <i>not italic</i>"
# with the methodology and the references, which the scorecard links to
CHAPTERS = ["index.qmd", "chapters/05-scorecard.qmd", "chapters/09-best-practices.qmd", "chapters/10-methodology.qmd",
            "chapters/11-references.qmd"]
SCRIPT = "<script>alert(1)</script>"


def _make_hostile(root: Path) -> None:
    clusters = root / "data" / "clusters.csv"
    text = clusters.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith(f"{CLUSTER},"))
    fields = next(csv.reader([row]))
    header = next(csv.reader([text.splitlines()[0]]))
    fields[header.index("short_name")], fields[header.index("name")] = SHORT, NAME
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(fields)
    clusters.write_text(text.replace(row, out.getvalue()), encoding="utf-8")

    practice = next((root / "data" / "practices").glob(f"{PRACTICE}-*.md"))
    title = TITLE.replace("\\", "\\\\").replace('"', '\\"')
    practice.write_text(re.sub(r"^title: .*$", f'title: "{title}"', practice.read_text(encoding="utf-8"), count=1, flags=re.M),
                        encoding="utf-8")

    # The book: a stub home page (the real one refers to chapters left out), then the chapters that show the strings.
    (root / "index.qmd").write_text("# About this report {.unnumbered}\n\nA book cut down for the hostile-data tests.\n",
                                    encoding="utf-8")
    # The profile pages follow as appendices, listed by the pre-render step.
    chapters = "".join(f"    - {c}\n" for c in CHAPTERS)
    (root / "_quarto-book.yml").write_text(f"book:\n  chapters:\n{chapters}", encoding="utf-8")


@pytest.fixture(scope="module")
def pdftotext() -> None:
    """Checked before the book is built: skip without poppler, or fail where `.ci/run` promises every tool."""
    if not shutil.which("pdftotext"):
        missing_tool("pdftotext is missing: apt-get install poppler-utils (.ci/run does)")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("hostile"))
    _make_hostile(root)
    result = build(root, quiet=True)
    return root, result


def test_the_hostile_book_builds_with_the_strings_in_place(hostile):
    root, result = hostile
    site = root / "_site"
    assert len(result.pdfs) == 4 and all(p.exists() for p in result.pdfs)  # both books, in English and in Russian
    assert (site / f"{CLUSTER}.html").exists() and (site / "09-best-practices.html").exists()
    assert "alert(1)" in (site / f"{CLUSTER}.html").read_text(encoding="utf-8")  # the pre-render step wrote the name in


def test_no_page_holds_the_script_tag_as_markup(hostile):
    site = hostile[0] / "_site"
    pages = {p.name: p.read_text(encoding="utf-8") for p in site.glob("*.html")}
    carrying = [name for name, html in pages.items() if "alert(1)" in html]
    assert {f"{CLUSTER}.html", "09-best-practices.html", "05-scorecard.html"} <= set(carrying)
    assert [name for name, html in pages.items() if SCRIPT in html] == []
    assert SCRIPT not in (site / "assets" / "search-index.js").read_text(encoding="utf-8")


@pytest.mark.browser
def test_hostile_text_shows_literally_and_no_script_runs(hostile, open_page):
    site = hostile[0] / "_site"
    with serve(site) as url:
        page, guard = open_page(url)
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        seen = {}
        for name in sorted(p.name for p in site.glob("*.html") if "alert(1)" in p.read_text(encoding="utf-8")):
            page.goto(url + name)
            page.wait_for_load_state("load")
            seen[name] = page.locator("main").inner_text()
            # navigation holds the name as text too (text_content: the profiles' part may be collapsed)
            assert SHORT in page.locator("#sidebar").text_content(), name
        page.goto(url + "09-best-practices.html")
        toc = page.locator(".toc").inner_text()
        page.goto(url + f"{CLUSTER}.html")
        assert page.locator("h1.chapter-title").inner_text().strip() == SHORT
        assert SHORT in page.title()
        # The search box shows the name as text too, and opening the result runs nothing.
        page.fill("#search-input", "alert(1)")
        page.locator("#search-results a.search-result").first.wait_for(state="visible", timeout=5_000)
        assert SHORT in page.locator("#search-results").inner_text()
        page.press("#search-input", "Enter")
        page.wait_for_load_state("load")
        executable = page.evaluate("""() => Array.from(document.scripts)
            .filter(s => !s.type || /javascript|module/.test(s.type)).map(s => s.textContent).join('\\n')""")
    assert dialogs == []
    assert "alert(1)" not in executable
    assert guard.blocked == []
    assert NAME in seen[f"{CLUSTER}.html"] and TITLE in seen[f"{CLUSTER}.html"]
    assert f"{PRACTICE} {TITLE}" in seen["09-best-practices.html"]
    assert f"{PRACTICE} {TITLE}" in toc  # "On this page"
    assert SHORT in seen["05-scorecard.html"]


def test_hostile_text_shows_literally_in_both_pdfs(pdftotext, hostile):
    root, result = hostile
    texts = {pdf.name: _norm("".join(_pages(pdf))) for pdf in result.pdfs}
    report = next(t for name, t in texts.items() if name.startswith("cluster-benchmark"))
    collection = next(t for name, t in texts.items() if name.startswith("best-practices"))
    for text in (report, collection):
        assert _norm(f"{PRACTICE} {TITLE}") in text
    assert _norm(SHORT) in report and _norm(NAME) in report
    # Headings and bookmarks carry the text as it is, without the Markdown escapes.
    bookmarks = {pdf.name: _outline_titles(PdfReader(pdf).outline) for pdf in result.pdfs}
    assert all(any(t.endswith(f"{PRACTICE} {TITLE}") for t in titles) for titles in bookmarks.values()), bookmarks
    assert SHORT in next(titles for name, titles in bookmarks.items() if name.startswith("cluster-benchmark"))
