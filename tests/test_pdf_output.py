"""The two PDFs of the real book as a reader gets them: content, contents, pages, fonts, metadata, rendering.

Text comes from poppler's pdftotext (one string per page), fonts from pdffonts, page images
from pdftoppm; pypdf reads the metadata and the bookmarks.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import bookparts
import pytest
from conftest import missing_tool, save_check_artifact
from pypdf import PdfReader

from analysis.data import load
from clusterbench.build import COLLECTION_STEM, REPORT_STEM, book_info
from clusterbench.engine import book as engine

pytestmark = pytest.mark.slow

POPPLER = ("pdftotext", "pdffonts", "pdftoppm")


@pytest.fixture(scope="module", autouse=True)
def _poppler():
    missing = [tool for tool in POPPLER if not shutil.which(tool)]
    if missing:
        missing_tool(f"{', '.join(missing)} missing: apt-get install poppler-utils (.ci/run does)")


def _pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
    return out.decode("utf-8").split("\f")[:-1]


def _norm(text: str) -> str:
    """Text compared across line breaks and hyphenation: no spaces or hyphens, plain quotes."""
    text = text.translate(str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}))
    return re.sub(r"[\s\-\u00ad\u2010\u2011]", "", text)


@pytest.fixture(scope="module")
def book(built_book):
    """Per PDF: its path, its pages' text and what it should contain."""
    from clusterbench.build import _load_books

    root, _ = built_book
    report_book, collection_book, _ = _load_books(root, root / "data", ("html", "pdf"))
    report, collection = report_book.project, collection_book.project  # with the pre-render step's profile pages
    edition = book_info(report).edition
    out = {}
    for kind, proj, stem in (("report", report, REPORT_STEM), ("collection", collection, COLLECTION_STEM)):
        pdf = root / "_site" / f"{stem}-{edition}.pdf"
        out[kind] = {
            "pdf": pdf, "pages": _pages(pdf), "info": book_info(proj), "project": proj,
            "chapters": engine.parse_book(proj),
        }
    out["data"] = load(root / "data")
    return out


def _opening(body: str, words: int = 12) -> str:
    """The first words of a practice's "What was done" paragraph, as plain text."""
    paragraph = body.split("## What was done", 1)[-1].strip().split("\n\n")[0]
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", paragraph).replace("*", "").replace("_", "")
    return " ".join(plain.split()[:words])


@pytest.mark.parametrize("kind", ["report", "collection"])
def test_every_practice_is_in_the_pdf_with_its_id_title_and_text(book, kind):
    # The heading "BP-NNN Title" is a bookmark (the index tables also list ID and title, so the text alone
    # would not notice a practice whose section went missing), and the practice's own text is there.
    text = _norm("".join(book[kind]["pages"]))
    bookmarks = {_norm(t) for t in _outline_titles(PdfReader(book[kind]["pdf"]).outline)}
    active = [p for p in book["data"].practices if p.meta.status == "active"]
    assert len(active) >= 30
    missing = [f"{p.meta.id} {p.meta.title}" for p in active if _norm(f"{p.meta.id} {p.meta.title}") not in bookmarks]
    assert missing == [], "no heading for these practices"
    missing = [f"{p.meta.id}: {_opening(p.body)}" for p in active if _norm(_opening(p.body)) not in text]
    assert missing == [], "the text of these practices is missing"


@pytest.mark.parametrize("kind", ["report", "collection"])
def test_title_page_has_the_edition_and_its_back_how_to_cite_and_the_publisher(book, kind):
    info, first, back = book[kind]["info"], book[kind]["pages"][0], book[kind]["pages"][1]
    assert info.edition.lower() in first.lower()
    assert "How to cite" in back
    cite = re.sub(r"[*_<>]", "", info.how_to_cite)  # the block's Markdown emphasis and URL brackets
    assert _norm(cite) in _norm(back)
    assert info.publisher and _norm(f"Publisher: {info.publisher}") in _norm(back)
    assert _norm(info.colophon) in _norm(back) and "Licence: CC BY 4.0" in back


@pytest.mark.parametrize("kind", ["report", "collection"])
def test_contents_list_every_chapter_and_part(book, kind):
    pages = book[kind]["pages"]
    assert pages[2].lstrip().startswith("Contents")
    # The contents run from page 3 (after the title page and its back) up to the page that opens the first chapter.
    first = _norm(book[kind]["chapters"][0].title)
    toc = []
    for page in pages[2:]:
        if toc and _norm(page).startswith(first):
            break
        toc.append(page)
    entries = [c.title for c in book[kind]["chapters"]] + [c.part for c in book[kind]["chapters"] if c.part]
    missing = [title for title in entries if _norm(title) not in _norm("".join(toc))]
    assert missing == []
    bookmarks = _norm(" ".join(_outline_titles(PdfReader(book[kind]["pdf"]).outline)))
    assert [title for title in entries if _norm(title) not in bookmarks] == []


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += _outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def test_page_counts_are_within_bounds(book):
    # At least a title page, the contents and a page per chapter; at most a few pages per chapter (a runaway
    # table or a broken page break shows up here, and so does a chapter that went missing).
    chapters = len(book["report"]["chapters"])
    assert chapters + 2 <= len(book["report"]["pages"]) <= 4 * chapters + 20
    practices = len([p for p in book["data"].practices if p.meta.status == "active"])
    assert practices // 3 + 2 <= len(book["collection"]["pages"]) <= practices + 20


def _fonts(pdf: Path) -> list[dict[str, str]]:
    """pdffonts' table, one dict per font. Long names push the columns along, so rows are read from the right."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
    row = re.compile(r"^(?P<name>\S+)\s.*\s(?P<emb>yes|no)\s+(?P<sub>yes|no)\s+(?P<uni>yes|no)\s+(?:\d+\s+\d+|\[none\])$")
    fonts = [m.groupdict() for line in lines[2:] if (m := row.match(line.strip()))]
    assert len(fonts) == len([line for line in lines[2:] if line.strip()]), lines
    return fonts


def _unembedded(pdf: Path) -> list[str]:
    return [f["name"] for f in _fonts(pdf) if f["emb"] != "yes"]


@pytest.mark.parametrize("kind", ["report", "collection"])
def test_every_font_is_embedded(book, kind):
    assert len(_fonts(book[kind]["pdf"])) >= 2
    assert _unembedded(book[kind]["pdf"]) == []


def test_the_font_check_catches_a_font_that_is_not_embedded(tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    helvetica = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                                  NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): helvetica})})
    text = DecodedStreamObject()
    text.set_data(b"BT /F1 24 Tf 20 100 Td (Hello) Tj ET")
    page.replace_contents(text)
    writer.write(tmp_path / "helvetica.pdf")
    assert _unembedded(tmp_path / "helvetica.pdf") == ["Helvetica"]


@pytest.mark.parametrize("kind", ["report", "collection"])
def test_metadata_names_the_book_and_its_language(book, kind):
    reader = PdfReader(book[kind]["pdf"])
    info = book[kind]["info"]
    assert reader.metadata.title == info.title
    assert reader.metadata.author == ", ".join(info.authors)
    assert reader.trailer["/Root"].get("/Lang") == info.lang


DPI = 100


def _render(pdf: Path, page: int) -> bytes:
    return subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(DPI), "-png", "-singlefile", str(pdf)],
                          capture_output=True, check=True).stdout


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """The page's words with their boxes (points, from the top left)."""
    html = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                          capture_output=True, check=True).stdout.decode("utf-8")
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def _pixels(png: bytes):
    import numpy as np
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def _drawing_above_caption(png: bytes, words: list) -> int:
    """Coloured pixels above the page's first figure caption once every word is painted out: the chart's marks."""
    import numpy as np
    from PIL import Image, ImageDraw

    image = Image.open(io.BytesIO(png)).convert("RGB")
    scale = DPI / 72
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1, _ in words:
        draw.rectangle([x0 * scale - 1, y0 * scale - 1, x1 * scale + 1, y1 * scale + 1], fill="white")
    caption = next(w for i, w in enumerate(words) if w[4] == "Figure" and re.fullmatch(r"\d+\.\d+:", words[i + 1][4]))
    above = np.asarray(image).astype(int)[: int(caption[1] * scale)]
    return int(((above.max(axis=2) - above.min(axis=2)) > 60).sum())


def test_title_page_and_a_chart_page_render(book):
    pdf, pages = book["report"]["pdf"], book["report"]["pages"]
    # The chart page: the first figure of the chapter with the most figures (bar charts, not a sparse timeline).
    figures = [(int(m.group(1)), i) for i, text in enumerate(pages, 1) for m in re.finditer(r"^Figure (\d+)\.\d+:", text, re.M)]
    busiest = max({ch for ch, _ in figures}, key=lambda ch: (sum(1 for c, _ in figures if c == ch), -ch))
    chart = next(i for ch, i in figures if ch == busiest)
    title_png, chart_png = _render(pdf, 1), _render(pdf, chart)
    save_check_artifact(pdf.parent, "report-page-1.png", title_png)
    save_check_artifact(pdf.parent, f"report-page-{chart}.png", chart_png)
    title = _pixels(title_png)
    assert (title.min(axis=2) < 200).mean() > 0.01, "page 1 renders blank"
    # Text alone leaves a few hundred coloured pixels (links, rules); a drawn bar chart leaves thousands.
    drawn = _drawing_above_caption(chart_png, _words(pdf, chart))
    assert drawn > 3000, f"page {chart} shows no chart above its caption ({drawn} coloured pixels)"


def test_a_table_with_equal_dashes_gets_room_for_its_long_column():
    locator = "001 section 'Analysis of Trends and Factors of Cluster Development in Russian Regions'"
    table = ("| Indicator | Year | Where |\n|---|---|---|\n"
             f"| Employees | 2019 | {locator} |\n| Output | 2019 | 002 fn 12 |\n")
    widths = [float(w) for w in re.findall(r"([\d.]+)%", re.search(r"columns: \(([^)]*)\)", bookparts.typst(table)).group(1))]
    assert sum(widths) == pytest.approx(100, abs=0.1)
    indicator, year, where = widths
    assert where > indicator > year >= 6  # the year keeps room for four digits
