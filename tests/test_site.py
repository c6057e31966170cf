"""The HTML writer: page shell, navigation, search index, assets, escaping and determinism.

No browser and no network: pages are checked as text. (Rendering in Chromium is covered by
the browser tests.)
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import bookparts
import pytest

from clusterbench.engine import html as site
from clusterbench.engine import pandoc
from clusterbench.engine.document import BookInfo, Chapter, Download, Heading

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "Critical mass <script>alert(1)</script>"
#: Writes the test book's site into argv[2] with nothing cached (argv[1] is this folder, for `make_book`).
WRITE_SITE = """
import sys
from pathlib import Path

sys.path.insert(0, sys.argv[1])
from test_site import make_book
from clusterbench.engine import html as site
from clusterbench.engine import pandoc

pandoc.CACHE_DIR = None
site.write_site(*make_book(), Path(sys.argv[2]))
"""

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
    "description": "Participants per cluster",
    "data": {"values": [{"cluster": "A", "n": 62}, {"cluster": "B", "n": 38}]},
    "mark": "bar",
    "encoding": {"x": {"field": "n", "type": "quantitative"}, "y": {"field": "cluster", "type": "nominal"}},
}
SPEC_JSON = json.dumps(SPEC, separators=(",", ":")).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
CHART = (
    '<figure class="cb-figure" id="fig-critical-mass"><div class="cb-chart" data-spec="spec-fig-critical-mass"></div>'
    f'<script type="application/json" id="spec-fig-critical-mass">{SPEC_JSON}</script>'
    "<figcaption>Figure 1.1: Participants per cluster. Source: document 001, Table 3.</figcaption></figure>"
)

INDEX_MD = """# Preface {#sec-preface}

This report compares pilot clusters with world practice. See [Figure 1.1](02-benchmarks.html#fig-critical-mass).

::: {.callout-note}
Cite the permanent URL of the edition.
:::
"""

BENCH_MD = f"""# Critical mass {{#sec-benchmarks}}

Pilot clusters against the references of world practice.

## Participants {{#sec-participants}}

A cluster initiative needs a critical mass of participants; the reference range is 30 to 50.

{CHART}

::: {{.callout-warning title="Counts are *not* comparable"}}
Foreign figures count whole regional industries.
:::

### By group {{#sec-by-group}}

| Group | Clusters | Share of SMEs |
|---|---|---|
| First group | 14 | 48% |
| Second group | 11 | 55.5% |

## Funding {{#sec-funding}}

::: {{.callout-tip}}
## Compare shares {{#tip-compare}}
Compare shares, not amounts: budgets differ by an order of magnitude.
:::
"""

PRACTICES_MD = """# Practices {#sec-practices}

## Governance {#sec-governance}

::: {#bp-007 .practice}
**BP-007.** A business majority on the board of the specialist organisation (Denmark).
:::
"""


def make_book() -> tuple[BookInfo, list[Chapter]]:
    book = BookInfo(
        title="Cluster Benchmark",
        subtitle="Pilot clusters against world practice",
        authors=["A. Analyst"],
        edition="2026.1",
        date="2026-11-23",
        url="https://example.org/cb/v/2026.1/",
        site_url="https://example.org/cb",
        how_to_cite="Analyst, A. (2026). *Cluster Benchmark*, edition 2026.1.",
        licence="CC BY 4.0",
        publisher="Open Cluster Data",
        contact="editors@example.org",
        rights="Text and data under CC BY 4.0; sources under their own licences.",
        colophon="Made from open data.",
        downloads=[Download("Best-Practice Collection (PDF)", "best-practices-2026.1.pdf")],
    )
    chapters = [
        Chapter(Path("index.qmd"), "index", "Preface", "sec-preface", None, None, bookparts.ast(INDEX_MD, "html"), [], "What the report is."),
        Chapter(
            Path("chapters/02-benchmarks.qmd"),
            "02-benchmarks",
            HOSTILE,
            "sec-benchmarks",
            1,
            "Benchmarks",
            bookparts.ast(BENCH_MD, "html", 1),
            [Heading(2, "sec-participants", "Participants"), Heading(3, "sec-by-group", "By group"), Heading(2, "sec-funding", "Funding")],
            "Pilots against world benchmarks.",
        ),
        Chapter(
            Path("chapters/03-practices.qmd"),
            "03-practices",
            "Practices",
            "sec-practices",
            2,
            "Benchmarks",
            bookparts.ast(PRACTICES_MD, "html", 2),
            [Heading(2, "sec-governance", "Governance")],
        ),
    ]
    return book, chapters


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("site")
    book, chapters = make_book()
    return out, site.write_site(book, chapters, out)


def page(built, name: str) -> str:
    return (built[0] / name).read_text(encoding="utf-8")


def between(text: str, start: str, end: str) -> str:
    i = text.index(start)
    return text[i : text.index(end, i)]


class Tags(HTMLParser):
    """Start tags with their attributes, for checks on links and scripts."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags(html: str) -> list[tuple[str, dict]]:
    parser = Tags()
    parser.feed(html)
    return parser.tags


def load_index(path: Path) -> list[dict]:
    text = path.read_text(encoding="utf-8")
    body = text[text.index("window.CB_SEARCH_INDEX = ") + len("window.CB_SEARCH_INDEX = ") :].rstrip().rstrip(";")
    return json.loads(body)


PAGES = ["index.html", "02-benchmarks.html", "03-practices.html"]


def test_files_are_written(built):
    out, pages = built
    assert [p.name for p in pages] == PAGES
    for name in PAGES:
        assert (out / name).is_file()
    for asset in ["site.css", "vega-bundle.js", "search-index.js"]:  # the rest is declared in _quarto.yml
        assert (out / "assets" / asset).stat().st_size > 0


@pytest.mark.parametrize("name,title", [
    ("index.html", "Preface · Cluster Benchmark"),
    ("02-benchmarks.html", "Critical mass &lt;script&gt;alert(1)&lt;/script&gt; · Cluster Benchmark"),
    ("03-practices.html", "Practices · Cluster Benchmark"),
])
def test_head(built, name, title):
    html = page(built, name)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en"')
    assert '<meta charset="utf-8">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert f"<title>{title}</title>" in html
    assert '<meta name="description" content="' in html
    # every edition points at the page in the latest edition, the site root
    assert f'<link rel="canonical" href="https://example.org/cb/{name}">' in html


def test_no_canonical_without_url(tmp_path):
    book, chapters = make_book()
    book.url = book.site_url = ""
    html = site.render_page(book, chapters, 1)
    assert 'rel="canonical"' not in html


def test_landmarks_and_accessibility(built):
    html = page(built, "02-benchmarks.html")
    assert '<a class="skip-link" href="#content">' in html
    assert '<main id="content"' in html
    for landmark in ["<header class=\"site-header\">", "<nav id=\"sidebar\"", "<aside class=\"toc\"", "<footer class=\"site-footer\">"]:
        assert landmark in html
    assert '<label class="visually-hidden" for="search-input">' in html
    assert '<div id="version-switcher" data-versions="versions.json"></div>' in html
    assert "Edition 2026.1 · 2026-11-23" in between(html, '<header class="site-header">', "</header>")


@pytest.mark.parametrize("name", PAGES)
def test_sidebar_lists_every_chapter_and_marks_the_current_one(built, name):
    html = page(built, name)
    sidebar = between(html, '<nav id="sidebar"', "</nav>")
    hrefs = [a["href"] for tag, a in tags(sidebar) if tag == "a" and not a["href"].startswith("#")]
    assert hrefs == PAGES
    current = [a["href"] for tag, a in tags(sidebar) if tag == "a" and a.get("aria-current") == "page"]
    assert current == [name]
    assert '<summary class="sidebar-part" id="part-2">Benchmarks</summary>' in sidebar
    assert '<span class="chapter-number">2</span>&#8194;<span class="chapter-name">Practices</span>' in sidebar


def test_toc_lists_sections_with_numbers(built):
    toc = between(page(built, "02-benchmarks.html"), '<aside class="toc"', "</aside>")
    assert [a["href"] for tag, a in tags(toc) if tag == "a"] == ["#sec-participants", "#sec-by-group", "#sec-funding"]
    assert '<span class="toc-number">1.1.1</span> By group' in toc
    assert "On this page" in toc
    assert '<aside class="toc"' not in page(built, "index.html")  # no headings, no TOC


@pytest.mark.parametrize("name,prev,next_", [
    ("index.html", None, "02-benchmarks.html"),
    ("02-benchmarks.html", "index.html", "03-practices.html"),
    ("03-practices.html", "02-benchmarks.html", None),
])
def test_previous_and_next(built, name, prev, next_):
    nav = between(page(built, name), '<nav class="page-nav"', "</nav>")
    found = {a["class"]: a["href"] for tag, a in tags(nav) if tag == "a"}
    assert found.get("page-nav-prev") == prev
    assert found.get("page-nav-next") == next_


def test_footer(built):
    footer = between(page(built, "03-practices.html"), '<footer class="site-footer">', "</footer>")
    assert "Edition 2026.1 · 2026-11-23" in footer
    assert "Licence: CC BY 4.0" in footer
    assert "How to cite" in footer and "<em>Cluster Benchmark</em>" in footer
    assert '<a href="best-practices-2026.1.pdf">Best-Practice Collection (PDF)</a>' in footer
    assert "Publisher</h2>\n<p>Open Cluster Data</p>\n<p>Contact: editors@example.org</p>" in footer
    assert '<p class="footer-colophon">Made from open data.</p>' in footer
    assert "engine" not in footer  # how it was made is the colophon's, in the reader's words


def test_content_conversion(built):
    html = page(built, "02-benchmarks.html")
    # the chapter's own heading is printed once, by the template, with its number
    assert '<h1 id="sec-benchmarks" class="chapter-title"><span class="chapter-number">1</span>' in html
    assert html.count('id="sec-benchmarks"') == 1
    # sections keep their ids and get Quarto-style numbers
    assert '<section id="sec-participants" class="level2" data-number="1.1">' in html
    assert '<span class="header-section-number">1.1.1</span> By group' in html
    # callouts: title from the attribute, from a leading heading, or the type
    assert '<div class="callout callout-warning">' in html
    assert "<p>Counts are <em>not</em> comparable</p>" in html
    assert "<p>Compare shares</p>" in html and "Compare shares, not amounts" in html
    assert '<div id="tip-compare" class="callout callout-tip">' in html  # the heading's id stays linkable
    assert '<section id="sec-funding" class="level2" data-number="1.2">' in html  # a callout title is not a section
    assert '<div class="callout callout-note">' in page(built, "index.html")
    assert "<p>Note</p>" in page(built, "index.html")
    # tables scroll sideways and numbers are right-aligned
    table = between(html, '<div class="table-wrap">', "</table>")
    assert '<td style="text-align: right;">55.5%</td>' in table
    assert "<td>First group</td>" in table
    # practice anchors survive
    assert '<div id="bp-007" class="practice">' in page(built, "03-practices.html")


def test_chart_block_passes_through(built):
    html = page(built, "02-benchmarks.html")
    assert '<div class="cb-chart" data-spec="spec-fig-critical-mass">' in html
    spec = re.search(r'<script type="application/json" id="spec-fig-critical-mass">(.*?)</script>', html, re.S).group(1)
    assert json.loads(spec) == SPEC


def test_what_quarto_yml_declares_goes_into_every_page(tmp_path):
    """format.html css, include-in-header and include-after-body, applied as Quarto applies them."""
    declared = BookInfo(title="T", css=["assets/report.css"], header_html='<meta name="cb-edition" content="draft">',
                        after_body_html='<script src="x.js"></script>')
    chapter = Chapter(source=Path("index.qmd"), slug="index", title="T", anchor="sec-t", number=None, part=None,
                      ast=bookparts.ast("Text.", "html"))
    html = site.render_page(declared, [chapter], 0)
    head, body = html.split("</head>")
    assert '<link rel="stylesheet" href="assets/report.css">' in head and 'name="cb-edition"' in head
    assert body.rstrip().endswith('<script src="x.js"></script>\n</body>\n</html>')


def test_vega_bundle_is_a_classic_script(built):
    bundle = (built[0] / "assets" / "vega-bundle.js").read_text(encoding="utf-8")
    assert "window.vegaEmbed=" in bundle
    assert re.search(r"^\s*(import|export)\s", bundle, re.M) is None
    assert bundle.splitlines()[1] == "(function () {" and bundle.rstrip().endswith("}).call(window);")


def test_search_index(built):
    entries = load_index(built[0] / "assets" / "search-index.js")
    urls = [e["url"] for e in entries]
    assert urls == [
        "index.html",
        "02-benchmarks.html",
        "02-benchmarks.html#sec-participants",
        "02-benchmarks.html#sec-by-group",
        "02-benchmarks.html#sec-funding",
        "03-practices.html",
        "03-practices.html#sec-governance",
    ]
    by_url = {e["url"]: e for e in entries}
    participants = by_url["02-benchmarks.html#sec-participants"]
    assert participants["title"] == "Participants"
    assert participants["chapter"] == "1\u2002" + HOSTILE
    assert participants["level"] == 2 and participants["number"] == "1.1"
    assert participants["text"].startswith("A cluster initiative needs a critical mass")
    assert "Figure 1.1" in participants["body"]
    assert '"mark"' not in participants["body"]  # chart specs are not indexed
    assert "Foreign figures count" in participants["body"]
    assert "First group" in by_url["02-benchmarks.html#sec-by-group"]["body"]
    assert "First group" not in participants["body"]
    assert "BP-007" in by_url["03-practices.html#sec-governance"]["body"]
    for e in entries:
        assert len(e["text"]) <= site.SNIPPET_CHARS + 1


def test_search_index_is_a_classic_script_without_raw_script_end(built):
    text = (built[0] / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert text.splitlines()[1] == "window.CB_SEARCH_INDEX = ["
    assert "</script" not in text
    assert "<\\/script>" in text


def test_build_search_index_without_writing():
    _, chapters = make_book()
    entries = site.build_search_index(chapters)
    assert len(entries) == len(chapters) + sum(len(c.headings) for c in chapters)


@pytest.mark.parametrize("name", PAGES)
def test_nothing_loads_from_outside(built, name):
    out = built[0]
    html = page(built, name)
    for tag, attrs in tags(html):
        ref = attrs.get("src") if tag == "script" else attrs.get("href") if tag == "link" else None
        if ref is None or (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):  # named, never loaded
            continue
        assert not re.match(r"^(https?:)?//", ref), f"{name}: {tag} loads {ref}"
        assert ref.startswith("assets/") or tag == "link" and attrs.get("rel") in ("prev", "next"), ref
        # the writer's own assets, or the project's (project.resources: assets/, copied by the build)
        assert (out / ref).exists() or (ROOT / ref).exists(), ref


@pytest.mark.parametrize("name", PAGES)
def test_no_inline_event_handlers(built, name):
    for tag, attrs in tags(page(built, name)):
        assert not [a for a in attrs if a.startswith("on")], f"{tag} has an inline handler"
    css_js = (Path(__file__).resolve().parent.parent / "assets" / "site.js").read_text(encoding="utf-8")
    assert "fetch(" not in css_js  # file:// pages cannot fetch
    assert "innerHTML" not in css_js  # results are built from text nodes


def test_hostile_title_is_escaped(built):
    for name in PAGES:
        assert "<script>alert(1)</script>" not in page(built, name)
    html = page(built, "02-benchmarks.html")
    escaped = "Critical mass &lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"<title>{escaped} · Cluster Benchmark</title>" in html
    assert f"&#8194;{escaped}</h1>" in html
    assert f'<span class="chapter-name">{escaped}</span>' in page(built, "index.html")
    assert f'<span class="page-nav-label">1\u2002{escaped}</span>' in page(built, "03-practices.html")


def _files(out: Path) -> dict:
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_same_inputs_give_identical_bytes(tmp_path):
    # Two fresh interpreters with other hash seeds, so no in-memory or disk cache can stand in for a render.
    outs = [tmp_path / "first", tmp_path / "second"]
    for seed, out in zip(("1", "2"), outs):
        env = {**os.environ, "PYTHONHASHSEED": seed,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        done = subprocess.run([sys.executable, "-c", WRITE_SITE, str(Path(__file__).parent), str(out)], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, f"writing the site failed:\n{done.stdout}{done.stderr}"
    first, second = (_files(out) for out in outs)
    assert len(first) > 5 and first.keys() == second.keys()
    differing = [str(rel) for rel in first if first[rel] != second[rel]]
    assert not differing, f"two renders of the same book differ in {differing}"


def test_pages_kept_in_the_cache_follow_a_renamed_neighbour(tmp_path, monkeypatch):
    # Pages are kept on disk by their body and the book's navigation. Renaming one chapter changes every
    # page's sidebar, and the previous/next links of its neighbours, though their bodies are the same.
    monkeypatch.setattr(pandoc, "CACHE_DIR", tmp_path / "cache")
    book, chapters = make_book()
    site.write_site(book, chapters, tmp_path / "first")
    kept = sorted((tmp_path / "cache" / "pages").iterdir())
    assert len(kept) == len(chapters)
    site.write_site(book, chapters, tmp_path / "again")
    assert _files(tmp_path / "again") == _files(tmp_path / "first")
    assert sorted((tmp_path / "cache" / "pages").iterdir()) == kept

    chapters[2] = replace(chapters[2], title="Practices that travel")
    site.write_site(book, chapters, tmp_path / "renamed")
    monkeypatch.setattr(pandoc, "CACHE_DIR", None)
    site.write_site(book, chapters, tmp_path / "fresh")
    renamed, fresh = _files(tmp_path / "renamed"), _files(tmp_path / "fresh")
    assert renamed == fresh
    assert "Practices that travel" in renamed[Path("index.html")].decode()
    assert renamed[Path("index.html")] != _files(tmp_path / "first")[Path("index.html")]


def test_nested_slug_gets_relative_links(tmp_path):
    book, chapters = make_book()
    chapters[2].slug = "clusters/kazan"
    html = site.render_page(book, chapters, 2)
    assert 'data-root="../"' in html
    assert '<link rel="stylesheet" href="../assets/site.css">' in html
    assert '<a href="../index.html">' in html


def test_bad_input_fails_loudly(tmp_path):
    book, chapters = make_book()
    with pytest.raises(ValueError, match="no chapters"):
        site.write_site(book, [], tmp_path)
    with pytest.raises(IndexError):
        site.render_page(book, chapters, 3)
    twice = [chapters[0], chapters[1], chapters[1]]
    with pytest.raises(ValueError, match="02-benchmarks.html"):
        site.write_site(book, twice, tmp_path)
    missing = Chapter(Path("x.qmd"), "x", "X", "sec-x", 3, None, {"typst": ""})
    with pytest.raises(ValueError, match="x.qmd"):
        site.render_page(book, [chapters[0], missing], 1)
    unknown = Chapter(Path("y.qmd"), "y", "Y", "sec-y", 3, None, bookparts.ast("::: {.callout-danger}\nNo.\n:::\n", "html"))
    with pytest.raises(pandoc.PandocError, match="callout-danger"):
        site.render_page(book, [chapters[0], unknown], 1)


def test_every_page_carries_a_card_with_the_editions_own_image(tmp_path):
    book, chapters = make_book()
    book.image, book.image_alt, book.image_size = "assets/og-image.png", "Bars <of> participants", (1878, 732)
    meta = {a.get("property") or a.get("name"): a.get("content") for tag, a in tags(site.render_page(book, chapters, 1))
            if tag == "meta"}
    assert meta["og:image"] == meta["twitter:image"] == "https://example.org/cb/v/2026.1/assets/og-image.png"
    assert (meta["og:image:width"], meta["og:image:height"]) == ("1878", "732")
    assert meta["og:image:alt"] == meta["twitter:image:alt"] == "Bars <of> participants"  # escaped in the HTML
    assert meta["twitter:card"] == "summary_large_image" and meta["og:site_name"] == "Cluster Benchmark"
    assert meta["twitter:title"] == meta["og:title"] and meta["twitter:description"] == meta["og:description"]
    links = [a for tag, a in tags(site.render_page(book, chapters, 1)) if tag == "link" and a.get("rel") == "alternate"]
    assert links == [{"rel": "alternate", "type": "application/atom+xml", "title": "Cluster Benchmark: editions",
                      "href": "https://example.org/cb/feed.xml"}]
    book.url = book.site_url = ""  # no absolute address: no image, a plain card, no feed
    html = site.render_page(book, chapters, 1)
    assert "og:image" not in html and '<meta name="twitter:card" content="summary">' in html and "feed.xml" not in html


def test_the_404_page_has_search_and_links_from_the_sites_path(built):
    html = page(built, "404.html")
    assert '<meta name="robots" content="noindex">' in html and 'rel="canonical"' not in html
    assert 'id="search-input"' in html and 'data-root="/cb/"' in html
    assert 'href="/cb/assets/site.css"' in html and 'data-index="/cb/assets/search-index.js"' in html
    assert '<a href="/cb/index.html">home page</a>' in html
    assert 'aria-current' not in between(html, '<nav', '</nav>')  # no chapter is the current one
    assert "404.html" not in [e["url"] for e in load_index(built[0] / "assets" / "search-index.js")]


def _profiles(n: int) -> list[Chapter]:
    return [Chapter(Path(f"chapters/profiles/p{k}.md"), f"p{k}", f"Profile {k}", f"sec-p{k}", None, "Profiles: foreign clusters",
                    bookparts.ast("Text.", "html"), appendix=True) for k in range(n)]


def _sidebar(html: str) -> str:
    return html.split('id="sidebar"', 1)[1].split("</nav>", 1)[0]


def test_appendix_parts_sit_under_appendices_and_stay_closed_unless_they_hold_the_page():
    book, chapters = make_book()
    pages = chapters + _profiles(3)
    on_chapter = _sidebar(site.render_page(book, pages, 1))
    assert on_chapter.count("Appendices") == 1
    assert '<details class="sidebar-group is-nested">' in on_chapter  # Quarto's collapse-level 2: closed
    assert '<details class="sidebar-group" open>' in on_chapter  # the book's own parts stay open
    on_profile = _sidebar(site.render_page(book, pages, len(chapters) + 1))
    assert '<details class="sidebar-group is-nested" open>' in on_profile
    assert "Profiles: foreign clusters <span class=\"sidebar-count\">(3)</span>" in on_profile
    everything_closed = _sidebar(site.render_page(replace(book, collapse_level=1), pages, 1))
    assert '<details class="sidebar-group" open>' in everything_closed  # the part holding the page
    assert everything_closed.count(" open>") == 1


def test_a_part_of_thousands_of_pages_lists_only_the_current_one_and_a_link_to_all(monkeypatch):
    monkeypatch.setattr(site, "SIDEBAR_PART_LIMIT", 5)
    book, chapters = make_book()
    pages = chapters + _profiles(8)
    sidebar = _sidebar(site.render_page(book, pages, len(chapters) + 2))
    assert re.findall(r'href="(p\d+)\.html"', sidebar) == ["p2", "p0"]  # the page, then "all" (the first appendix)
    assert "All 8 pages: see Profile 0" in sidebar


def test_wide_tables_carry_their_column_names_for_the_phone_layout():
    wide = "| Indicator | Value | Year | Where |\n|---|---|---|---|\n| Employees | 12,400 | 2019 | Figure 5 |\n\n: Figures.\n"
    html = site.chapter_html(bookparts.ast(wide, "html")["html"])
    assert 'class="table-wrap table-stack"' in html
    assert '<td data-label="Where">Figure 5</td>' in html and 'data-label="Value"' in html
    narrow = site.chapter_html(bookparts.ast("| a | b |\n|---|---|\n| 1 | 2 |\n", "html")["html"])
    assert "table-stack" not in narrow and "data-label" not in narrow


def test_the_search_index_of_a_very_large_book_stays_within_its_budget(monkeypatch):
    monkeypatch.setattr(site, "SEARCH_BUDGET", 3_000)
    book, chapters = make_book()
    pages = chapters + _profiles(40)
    entries = site.build_search_index(pages)
    assert [e["url"] for e in entries] == [site.page_file(pages, i) for i in range(len(pages))]  # one entry a page
    assert all(len(e["body"]) <= site.SNIPPET_CHARS + 1 for e in entries)  # 3,000 / 43 pages < the snippet length
    assert "critical mass of participants" in entries[1]["body"]  # a page's sections are in its one entry


def test_a_large_books_search_index_stays_near_its_budget_and_finds_every_page(monkeypatch):
    monkeypatch.setattr(site, "SEARCH_BUDGET", 400_000)
    book, chapters = make_book()
    long_text = bookparts.ast("## Key facts {#key-facts}\n\n" + "A long profile text. " * 300, "html")
    pages = chapters + [replace(p, ast=long_text) for p in _profiles(1_000)]
    entries = site.build_search_index(pages)
    assert len(entries) == len(pages) and all(e["level"] == 1 for e in entries)
    assert all(len(e["body"]) <= 201 for e in entries[len(chapters):])  # half of 400 characters a page
    assert len(site.search_index_script(entries)) < 2 * site.SEARCH_BUDGET
    small = site.build_search_index(chapters)
    assert any(e["level"] == 2 for e in small) and max(len(e["body"]) for e in small) > 201  # a small book: sections, whole
