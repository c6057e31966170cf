"""The PDF writer (clusterbench.engine.typst): pandoc -> typst -> PDF, checked through pypdf.

The book is small and made up here: an unnumbered preface and two numbered chapters in a
part, with a chart (SVG from vl-convert), a figure div, a cross-reference, a callout, a
table with a caption and text that looks like markup.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

pytest.importorskip("pypandoc")
pytest.importorskip("typst")
pypdf = pytest.importorskip("pypdf")

import bookparts  # noqa: E402
from clusterbench.engine.document import BookInfo, Chapter  # noqa: E402
from clusterbench.engine.typst import Compilers, PdfError, render_pdf  # noqa: E402

HOSTILE = "Cluster <script>alert(1)</script> # * $ @ <"


def _svg(path: Path) -> Path:
    """A small bar chart; vl-convert if available, else a hand-written SVG."""
    try:
        import vl_convert as vlc

        spec = {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "width": 420, "height": 160,
            "config": {"font": '"DejaVu Sans", sans-serif'},
            "title": "Participants per cluster",
            "data": {"values": [{"c": "Alpha", "v": 120}, {"c": "Beta", "v": 85}, {"c": "Gamma", "v": 40}]},
            "mark": {"type": "bar", "color": "#0072B2"},
            "encoding": {"y": {"field": "c", "type": "nominal", "title": None},
                         "x": {"field": "v", "type": "quantitative", "title": "Participants"}},
        }
        path.write_text(vlc.vegalite_to_svg(spec), encoding="utf-8")
    except ImportError:
        path.write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" viewBox="0 0 400 120">'
            '<rect x="10" y="10" width="300" height="30" fill="#0072B2"/>'
            '<rect x="10" y="60" width="180" height="30" fill="#0072B2"/></svg>', encoding="utf-8")
    return path


def make_book(tmp: Path) -> tuple[BookInfo, list[Chapter]]:
    svg = _svg(tmp / "participants.svg")
    book = BookInfo(
        title="Cluster Benchmark",
        subtitle="Russia's pilot innovative territorial clusters against world practice",
        authors=["A. Author", "B. Writer"],
        edition="2026.1",
        date="2026-11-23",
        url="https://example.org/cluster-benchmark/2026.1/",
        how_to_cite="Author, A. and Writer, B. (2026). *Cluster Benchmark*, Edition 2026.1. "
                    "<https://example.org/cluster-benchmark/2026.1/>",
        licence="Text and data: CC BY 4.0.",
    )
    preface = Chapter(
        source=tmp / "index.qmd", slug="index", title="Preface", anchor="preface", number=None, part=None,
        ast=bookparts.ast("This report compares clusters. See [Figure 2.1](#fig-participants).\n", "typst"),
    )
    ch1 = Chapter(
        source=tmp / "01-programme.qmd", slug="01-programme", title="The programme", anchor="sec-programme",
        number=1, part="Part I: Clusters in Russia",
        ast=bookparts.ast(f"""
## Background {{#sec-background}}

The programme started in 2012. Hostile text: {HOSTILE}

::: {{.callout-note}}
## Reading the charts
Bars show counts; the source note names the table.
:::

::: {{#tbl-sizes}}
| Cluster | Participants |
|:--------|-------------:|
| Alpha   |          120 |
| Beta    |           85 |

: Participants of three clusters.
:::

As [Table 1.1](#tbl-sizes) shows, Alpha is largest.

### Best practice {{#bp-007}}

A practice entry.
""", "typst", 1),
    )
    ch2 = Chapter(
        source=tmp / "02-governance.qmd", slug="02-governance", title="Governance", anchor="sec-governance",
        number=2, part="Part I: Clusters in Russia",
        ast=bookparts.ast(f"""
## Who decides {{#sec-who}}

[Figure 2.1](#fig-participants) shows participants; [Section 1.1](#sec-background) explains.
A link to a chapter that is not in this PDF: [Figure 9.9](#fig-elsewhere).

![Participants per cluster, 2013. Source: survey.]({svg.as_posix()}){{#fig-participants}}

::: {{#fig-second}}
![]({svg.as_posix()})

The same chart again, as a figure div.
:::

::: {{.callout-warning title="Doubtful readings"}}
Some values could not be read from the source.
:::
""", "typst", 2),
    )
    return book, [preface, ch1, ch2]


def _text(pdf: Path) -> tuple[str, pypdf.PdfReader]:
    reader = pypdf.PdfReader(pdf)
    return "\n".join(page.extract_text() or "" for page in reader.pages), reader


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pdf")
    book, chapters = make_book(tmp)
    out = render_pdf(book, chapters, tmp / "report.pdf", workdir=tmp / "work")
    return tmp, book, chapters, out


def test_report_content(rendered):
    tmp, book, chapters, out = rendered
    assert out.exists() and out.read_bytes()[:5] == b"%PDF-"
    text, reader = _text(out)
    flat = _flat(text)
    # title page, contents, preface, part page, two chapters (the second has two charts)
    assert 6 <= len(reader.pages) <= 12
    assert "Edition 2026.1" in flat
    assert "How to cite" in flat
    assert "https://example.org/cluster-benchmark/2026.1/" in flat
    for ch in chapters:
        assert ch.title in flat
    assert "Part I: Clusters in Russia" in flat
    assert "Chapter 2" in flat
    assert "Figure 2.1" in flat and "Figure 2.2" in flat
    assert "Table 1.1" in flat
    assert "Reading the charts" in flat and "Doubtful readings" in flat
    # running footer after the title page
    last = _flat(reader.pages[-1].extract_text())
    assert "Cluster Benchmark · Edition 2026.1" in last
    assert str(len(reader.pages)) in last


def test_running_header_names_the_chapter_on_its_later_pages(tmp_path):
    """A page that goes on with a chapter is headed by it; a page where a chapter opens is not."""
    paragraphs = "\n\n".join(f"Paragraph {i} of a long chapter. " * 12 for i in range(40))
    chapters = [Chapter(source=tmp_path / f"0{n}-long.qmd", slug=f"0{n}-long", title=title, anchor=f"sec-{n}", number=n,
                        part=None, ast=bookparts.ast(paragraphs, "typst", n))
                for n, title in ((1, "First long chapter"), (2, "Second long chapter"))]
    out = render_pdf(BookInfo(title="Cluster Benchmark", date="2026-11-23"), chapters, tmp_path / "long.pdf",
                     workdir=tmp_path / "work")
    pages = [_flat(p.extract_text() or "") for p in pypdf.PdfReader(out).pages]
    for n, title in ((1, "First long chapter"), (2, "Second long chapter")):
        heads = [i for i, page in enumerate(pages) if page.startswith(f"Chapter {n} · {title}")]
        opening = next(i for i, page in enumerate(pages) if page.startswith(f"Chapter {n} {title}"))
        assert len(heads) >= 2, pages  # the chapter runs over several pages, each headed by it
        assert heads == list(range(opening + 1, opening + 1 + len(heads)))


def test_an_unlisted_chapter_stays_out_of_the_contents(tmp_path):
    """`.unlisted` on a chapter heading (a profile printed in brief) keeps it out of the contents and the bookmarks."""
    chapters = [Chapter(source=tmp_path / f"{slug}.md", slug=slug, title=title, anchor=f"sec-{slug}", number=None, part=None,
                        ast=bookparts.ast("Text.", "typst"), classes=classes)
                for slug, title, classes in (("listed", "A listed chapter", ()),
                                             ("brief", "A cluster in brief", ("unnumbered", "cb-compact", "unlisted")))]
    out = render_pdf(BookInfo(title="Cluster Benchmark", date="2026-11-23"), chapters, tmp_path / "brief.pdf",
                     workdir=tmp_path / "work")
    reader = pypdf.PdfReader(out)
    assert [item.title for item in reader.outline] == ["A listed chapter"]
    contents = _flat(reader.pages[2].extract_text())  # after the title page and its back
    assert "A listed chapter" in contents and "A cluster in brief" not in contents
    assert "A cluster in brief" in _flat(_text(out)[0])


def test_a_chart_taller_than_the_page_allows_is_shrunk_whole_not_cropped(tmp_path):
    """A tall chart (a narrow matrix with many rows) is set at most 205 mm high; its top and bottom edges stay."""
    import io
    import shutil
    import subprocess

    from PIL import Image

    from conftest import missing_tool

    if not shutil.which("pdftoppm"):
        missing_tool("pdftoppm missing: apt-get install poppler-utils (.ci/run does)")
    svg = ('<svg xmlns=\\"http://www.w3.org/2000/svg\\" width=\\"100\\" height=\\"400\\" viewBox=\\"0 0 100 400\\">'
           '<rect width=\\"100\\" height=\\"400\\" fill=\\"#ffffff\\"/><rect width=\\"100\\" height=\\"12\\" fill=\\"#ff0000\\"/>'
           '<rect y=\\"388\\" width=\\"100\\" height=\\"12\\" fill=\\"#0000ff\\"/></svg>')
    chart = f'::: {{#fig-tall}}\n```{{=typst}}\n#image(bytes("{svg}"), format: "svg", width: 100%)\n```\n\nA tall chart.\n:::\n'
    chapter = Chapter(source=tmp_path / "01-tall.qmd", slug="01-tall", title="Tall", anchor="sec-tall", number=1, part=None,
                      ast=bookparts.ast(chart, "typst", 1))
    out = render_pdf(BookInfo(title="Cluster Benchmark", date="2026-11-23"), [chapter], tmp_path / "tall.pdf",
                     workdir=tmp_path / "work")
    page = next(i for i, p in enumerate(pypdf.PdfReader(out).pages, 1) if "A tall chart" in (p.extract_text() or ""))
    png = subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "40", "-png", "-singlefile", str(out)],
                         capture_output=True, check=True).stdout
    colours = {rgb for _, rgb in Image.open(io.BytesIO(png)).convert("RGB").getcolors(1 << 20)}
    assert any(r > 200 and g < 80 and b < 80 for r, g, b in colours), "the chart's top edge was cropped"
    assert any(b > 200 and r < 80 and g < 80 for r, g, b in colours), "the chart's bottom edge was cropped"


def test_hostile_text_is_literal(rendered):
    text, _ = _text(rendered[3])
    assert HOSTILE in _flat(text)


def test_metadata(rendered):
    _, book, _, out = rendered
    reader = pypdf.PdfReader(out)
    meta = reader.metadata
    assert meta.title == "Cluster Benchmark"
    assert meta.author and "A. Author" in meta.author
    assert reader.trailer["/Root"].get("/Lang") == "en"


def test_labels_become_links(rendered):
    """Cross-references are internal links; the one to a figure outside this PDF is text."""
    typ = (rendered[0] / "work" / "report.typ").read_text(encoding="utf-8")
    assert "<fig-participants>" in typ and "#link(<fig-participants>)" in typ
    reader = pypdf.PdfReader(rendered[3])
    # headings with ids are named destinations: report.pdf#sec-programme opens chapter 1
    assert {"preface", "sec-programme", "sec-governance", "sec-background"} <= set(reader.named_destinations)
    page = next(p for p in reader.pages if "Doubtful readings" in (p.extract_text() or ""))
    internal = [a.get_object() for a in page.get("/Annots", []) or []
                if "/Dest" in a.get_object()]
    assert len(internal) == 2  # Figure 2.1 and Section 1.1; "Figure 9.9" has no target here
    assert "Figure 9.9" in page.extract_text()


def test_deterministic(rendered, tmp_path):
    tmp, book, chapters, out = rendered
    again = render_pdf(book, chapters, tmp_path / "again.pdf", workdir=tmp_path / "work")
    assert again.read_bytes() == out.read_bytes()


def test_a_kept_typst_process_compiles_an_edited_book_as_a_fresh_one_does(rendered, tmp_path):
    tmp, book, chapters, out = rendered
    compilers = Compilers()
    try:
        shorter = render_pdf(book, chapters[:2], tmp_path / "report.pdf", workdir=tmp_path / "work", compilers=compilers)
        assert shorter.read_bytes() != out.read_bytes()
        whole = render_pdf(book, chapters, tmp_path / "report.pdf", workdir=tmp_path / "work", compilers=compilers)
        assert whole.read_bytes() == out.read_bytes()
    finally:
        compilers.close()


def test_collection_title(tmp_path):
    book, chapters = make_book(tmp_path)
    out = render_pdf(book, chapters[1:2], tmp_path / "bp.pdf", workdir=tmp_path / "work", kind="collection")
    reader = pypdf.PdfReader(out)
    assert reader.metadata.title == "Cluster Benchmark: Best-Practice Collection"
    assert "Best-Practice Collection" in _flat(reader.pages[0].extract_text())


def test_missing_image_is_a_clear_error(tmp_path):
    book, chapters = make_book(tmp_path)
    tree = json.loads(chapters[2].ast["typst"])
    tree["blocks"] += json.loads(bookparts.ast("![Lost chart.](/nonexistent/lost-chart.svg){#fig-lost}\n", "typst", 2)["typst"])["blocks"]
    chapters[2].ast["typst"] = json.dumps(tree)
    with pytest.raises(PdfError) as info:
        render_pdf(book, chapters, tmp_path / "broken.pdf", workdir=tmp_path / "work")
    message = str(info.value)
    assert "file not found" in message
    assert "lost-chart.svg" in message
    assert "Governance" in message  # the chapter it came from
    assert re.search(r"broken\.typ:\d+", message)
    assert not (tmp_path / "broken.pdf").exists()


def test_unknown_kind(tmp_path):
    book, chapters = make_book(tmp_path)
    with pytest.raises(PdfError, match="unknown PDF kind"):
        render_pdf(book, chapters, tmp_path / "x.pdf", workdir=tmp_path / "work", kind="poster")


def test_to_typst_escapes_and_labels():
    out = bookparts.typst(f"{HOSTILE}\n\n[Figure 1.1](#fig-a)\n\n<!-- a comment -->\n")
    assert "\\<script\\>" in out or "\\<script>" in out
    assert "\\#" in out and "\\$" in out and "\\@" in out
    assert "#link(<fig-a>)[Figure 1.1]" in out
    assert "comment" not in out
    assert "#cite" not in bookparts.typst("Write to @someone or info@example.org.")


def test_to_typst_figures_and_callouts():
    out = bookparts.typst("::: {.callout-tip}\nUse the CSV.\n:::\n\n![No id](/x.svg)\n\n| a |\n|---|\n| 1 |\n")
    assert '#callout(kind: "tip", title: [Tip])[' in out
    # figures and tables without a Quarto id are not numbered (book.typ's default); one with an id
    # shows the number crossref gave it
    assert "numbering: (..n)" not in out
    numbered = bookparts.typst("::: {#fig-x}\n![](/x.svg)\n\nA chart.\n:::\n\n## Part {#sec-p}\n")
    assert '#[#set figure(numbering: (..n) => "1")' in numbered
    assert "#heading(level: 2" not in numbered  # sections of an unnumbered chapter stay unnumbered


def test_a_note_above_a_numbered_table_stays_above_it():
    """A table cut at `cb.table-rows` carries its note in the table's div, before the table."""
    out = bookparts.typst("::: {#tbl-x number=\"2.1\"}\n\nThe table shows the first 2 of its 5 rows.\n\n"
                          "| a |\n|---|\n| 1 |\n| 2 |\n\n: The caption.\n\n:::\n")
    assert out.index("The table shows the first 2 of its 5 rows.") < out.index("#figure(") < out.index("The caption.")
    assert "<tbl-x>" in out


def test_to_typst_right_aligns_number_columns():
    out = bookparts.typst("| Cluster | Firms |\n|---|---|\n| Alpha | 1,234 |\n| Beta | n/a |\n")
    assert "align: (auto,right,)" in out


def test_a_column_narrower_than_its_longest_word_gets_room():
    table = ("| Theme | Practice | Title | Origin |\n|--------------------|----------|------------------------------------------|--|\n"
             "| Openness to the outside world | BP-019 | Place corporate research units inside strong outside clusters | Switzerland |\n")
    widths = [float(w) for w in re.findall(r"([\d.]+)%", re.search(r"columns: \(([^)]*)\)", bookparts.typst(table)).group(1))]
    assert widths[3] >= 14  # "Switzerland", eleven letters and the cell padding, out of 100 across the line
    kept = bookparts.typst("| Name | Note |\n|" + "-" * 60 + "|" + "-" * 20 + "|\n| x | a short note |\n")
    assert "columns: (75%, 25%)" in kept  # the dashes' widths stand when they cut no word


def test_chapters_marked_compact_share_pages(tmp_path):
    book, chapters = make_book(tmp_path)
    short = [Chapter(source=tmp_path / f"p{k}.md", slug=f"p{k}", title=f"Profile {k}", anchor=f"sec-p{k}", number=None,
                     part="Profiles", ast=bookparts.ast("The sources say little about this cluster.", "typst"),
                     classes=("cb-compact",)) for k in range(3)]
    out = render_pdf(book, chapters[:1] + short, tmp_path / "compact.pdf", workdir=tmp_path / "work")
    main = (tmp_path / "work" / "compact.typ").read_text(encoding="utf-8")
    assert main.count("supplement: [Compact]") == 3
    pages = [_flat(p.extract_text()) for p in pypdf.PdfReader(out).pages]
    assert any(all(f"Profile {k}" in page for k in range(3)) for page in pages)  # three short profiles, one page


def test_a_chapter_numbered_differently_in_two_pdfs_is_converted_to_typst_once(tmp_path, monkeypatch):
    from clusterbench.engine import pandoc

    monkeypatch.setattr(pandoc, "CACHE_DIR", tmp_path / "cache")
    book, chapters = make_book(tmp_path)
    text = "## Who decides {#sec-who}\n\nThe board.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n: Sizes. {#tbl-sizes}\n"
    as_nine = dataclasses.replace(chapters[2], number=9, ast=bookparts.ast(text, "typst", 9))
    as_one = dataclasses.replace(chapters[2], number=1, ast=bookparts.ast(text, "typst", 1))
    render_pdf(book, [as_nine], tmp_path / "report.pdf", workdir=tmp_path / "report")
    converted = len(list((tmp_path / "cache" / "typst").iterdir()))
    render_pdf(book, [as_one], tmp_path / "bp.pdf", workdir=tmp_path / "bp", kind="collection")
    assert len(list((tmp_path / "cache" / "typst").iterdir())) == converted  # nothing new to convert
    report, collection = ((tmp_path / d / f"{n}.typ").read_text(encoding="utf-8") for d, n in (("report", "report"), ("bp", "bp")))
    assert '"9.1"' in report and '"1.1"' not in report
    assert '"1.1"' in collection and '"9.1"' not in collection
    assert "\ue000" not in report + collection
