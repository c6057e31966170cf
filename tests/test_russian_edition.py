"""The Russian edition is aligned with the English one: the same pages, ids and numbers, in Russian.

Every check reads the built site (and PDFs) as a reader gets them: the page under `ru/` at the path of its
English counterpart, its anchors, the numbers in its visible text, its language links, the glossary's terms.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import missing_tool

from analysis.paths import DATA

#: Anchors a reader or another page links to: sections, figures, tables, practices, references, profiles.
ANCHOR = re.compile(r'\bid="((?:sec|fig|tbl|bp|ref)-[^"]+)"', re.I)
HIDDEN = {"script", "style", "template", "noscript", "head"}
#: Numbers as each language writes them: 1,234.5 and 1 234,5 (Babel's no-break spaces); section numbers
#: (4.1, 4.1.2) are written with dots in both.
NUMBER = {
    "en": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)*"),
    "ru": re.compile(r"\d{1,3}(?:[\u00a0\u202f]\d{3})+(?:,\d+)?(?!\d)|\d+,\d+|\d+(?:\.\d+)*"),
}


class _Text(HTMLParser):
    """A page's visible text, without the site's header and footer (whose words differ by design, not its numbers)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "img", "meta", "link", "input", "hr", "wbr", "source", "col"):
            self.stack.append(tag)
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                pass
        self.parts.append(" ")

    def handle_data(self, data):
        if not any(t in HIDDEN for t in self.stack):
            self.parts.append(data)


def visible_text(html: str) -> str:
    main = re.search(r'<main id="content".*?</main>', html, re.S)
    parser = _Text()
    parser.feed(main.group(0) if main else html)
    return re.sub(r"[ \t\r\n\f\v]+", " ", "".join(parser.parts)).strip()  # no-break spaces are kept: they group digits


def numbers(text: str, lang: str) -> Counter:
    """Each number of the text as one canonical string: thousands separators gone, a decimal comma as a point."""
    out = Counter()
    for token in NUMBER[lang].findall(text):
        if lang == "en":
            token = token.replace(",", "")
        else:
            token = re.sub(r"[\u00a0\u202f]", "", token).replace(",", ".")
        out[token] += 1
    return out


def pages(site: Path) -> list[str]:
    """The English edition's pages at the site's root (archived editions under v/ and the 404 page aside)."""
    return sorted(p.name for p in site.glob("*.html") if p.name != "404.html")


@pytest.fixture(scope="module")
def russian(site) -> Path:
    folder = site / "ru"
    assert folder.is_dir(), "the build wrote no Russian edition under ru/"
    return folder


def test_every_english_page_has_a_russian_counterpart_with_the_same_anchors(site, russian):
    missing = [p for p in pages(site) if not (russian / p).exists()]
    assert missing == []
    extra = sorted(p.name for p in russian.glob("*.html") if not (site / p.name).exists())
    assert extra == []
    differ = {}
    for p in pages(site):
        en = set(ANCHOR.findall((site / p).read_text(encoding="utf-8")))
        ru = set(ANCHOR.findall((russian / p).read_text(encoding="utf-8")))
        if en != ru:
            differ[p] = {"only in English": sorted(en - ru)[:8], "only in Russian": sorted(ru - en)[:8]}
    assert differ == {}
    assert len(pages(site)) > 60  # every chapter, the home, directory and compare pages, and every profile


def test_each_russian_page_shows_the_same_numbers_as_its_english_counterpart(site, russian):
    differ = {}
    for p in pages(site):
        en = numbers(visible_text((site / p).read_text(encoding="utf-8")), "en")
        ru = numbers(visible_text((russian / p).read_text(encoding="utf-8")), "ru")
        if en != ru:
            differ[p] = {"only in English": dict((en - ru).most_common(8)), "only in Russian": dict((ru - en).most_common(8))}
    assert differ == {}


def test_numbers_are_written_the_russian_way(russian):
    """1 234,5 with a no-break space, never 1,234.5; percentages without a space before the sign."""
    bad = {}
    for page in sorted(russian.glob("*.html")):
        text = visible_text(page.read_text(encoding="utf-8"))
        hits = re.findall(r"(?<![\d.])\d{1,3},\d{3}(?![\d,])|\d\.\d+(?=%)|\d \d{3}(?!\d)|\\x[0-9a-f]{2}|\\u[0-9a-f]{4}", text)
        if hits:
            bad[page.name] = hits[:5]
    assert bad == {}


def test_russian_pages_say_their_language_and_link_to_the_same_page_in_english(site, russian):
    wrong = {}
    for p in pages(site):
        html = (russian / p).read_text(encoding="utf-8")
        problems = []
        if '<html lang="ru"' not in html:
            problems.append("no lang=ru")
        for lang, href in (("en", f"../{p}"), ("ru", f"../ru/{p}"), ("x-default", f"../{p}")):
            if f'<link rel="alternate" hreflang="{lang}" href="{href}">' not in html:
                problems.append(f"no hreflang {lang}")
        if not re.search(rf'<a class="language-switch" href="\.\./{re.escape(p)}" hreflang="en"', html):
            problems.append("no switch to English")
        english = (site / p).read_text(encoding="utf-8")
        if not re.search(rf'<a class="language-switch" href="ru/{re.escape(p)}" hreflang="ru"', english):
            problems.append("the English page has no switch to Russian")
        if problems:
            wrong[p] = problems
    assert wrong == {}


def _glossary() -> list[dict]:
    with (DATA / "glossary.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_russian_text_never_uses_a_rejected_translation_of_a_glossary_term(russian):
    used = {}
    for page in sorted(russian.glob("*.html")):
        text = visible_text(page.read_text(encoding="utf-8"))
        for row in _glossary():
            if row["avoid"] and (m := re.search(row["avoid"], text, re.I)):
                used.setdefault(page.name, []).append(f"{m.group(0)!r} (glossary: {row['russian']!r})")
    assert used == {}


def test_a_glossary_term_on_an_english_page_has_its_russian_term_on_the_russian_page(site, russian):
    missing = {}
    terms = [r for r in _glossary() if len(r["english"]) > 8]  # short words ('edition') also occur in other senses
    for p in pages(site):
        # a source's section titles ('Critical mass of core companies') and our name stay as printed in both
        en = re.sub(r"‘[^’]*’|Cluster Benchmark", "", visible_text((site / p).read_text(encoding="utf-8")))
        ru = visible_text((russian / p).read_text(encoding="utf-8"))
        for row in terms:
            if re.search(rf"\b{re.escape(row['english'])}\b", en, re.I) and not re.search(row["match"], ru, re.I):
                missing.setdefault(p, []).append(f"{row['english']} -> {row['russian']}")
    assert missing == {}


def test_the_glossary_has_one_russian_term_per_english_term_and_valid_patterns():
    rows = _glossary()
    english = [r["english"].lower() for r in rows]
    assert len(english) == len(set(english))
    for row in rows:
        assert re.search(row["match"], row["russian"], re.I), row  # the pattern finds the term itself
        if row["avoid"]:
            assert not re.search(row["avoid"], row["russian"], re.I), row


# --- the PDFs --------------------------------------------------------------------------------------


def _pdf_text(pdf: Path, first: int, last: int) -> str:
    if not shutil.which("pdftotext"):
        missing_tool("pdftotext (poppler-utils) is not installed")
    return subprocess.run(["pdftotext", "-layout", "-f", str(first), "-l", str(last), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def _russian_pdfs(russian: Path) -> dict[str, Path]:
    found = {kind: next(iter(sorted(russian.glob(f"{stem}-*.pdf"))), None)
             for kind, stem in (("report", "cluster-benchmark"), ("collection", "best-practices"))}
    assert all(found.values()), found
    return found


def test_both_russian_pdfs_embed_fonts_with_cyrillic(russian):
    if not shutil.which("pdffonts"):
        missing_tool("pdffonts (poppler-utils) is not installed")
    for pdf in _russian_pdfs(russian).values():
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = listing.splitlines()[2:]
        assert rows, pdf.name
        assert all(" yes " in row for row in rows), listing  # every font embedded
        text = _pdf_text(pdf, 1, 3)
        assert re.search("[А-Яа-яЁё]{4,}", text), pdf.name  # Cyrillic came out as text, not as boxes


def test_the_russian_report_opens_with_its_russian_title_page_and_how_to_cite(russian):
    pdfs = _russian_pdfs(russian)
    opening = " ".join(_pdf_text(pdfs["report"], 1, 2).split())
    assert "Пилотные инновационные территориальные кластеры России" in opening
    assert "Как цитировать" in opening
    assert "Содержание" in _pdf_text(pdfs["report"], 1, 4)


def test_the_russian_collection_lists_its_practices_by_theme_and_country(russian):
    pdf = _russian_pdfs(russian)["collection"]
    text = " ".join(_pdf_text(pdf, 1, 200).split())
    assert "Сборник лучших практик" in text
    assert "Как цитировать" in text
    for word in ("Германия", "США", "Финляндия"):  # countries of origin, named in Russian
        assert word in text, word
    assert "BP-007" in text and "BP-052" in text


# --- Russian search, served and from disk --------------------------------------------------------------

#: (query, the profile the results must offer, words of that page's title, whether it is the first result). A
#: word stem ('фармацевт…') finds every pharmaceutical cluster; the reader picks the one they want.
RUSSIAN_SEARCHES = [("Саров", "sarov", "Саров", True), ("Калуга", "kaluga-pharma", "Калужская", True),
                    ("фармацевт", "kaluga-pharma", "фармацевт", False)]


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("mode", ("http", "file"))
@pytest.mark.parametrize(("query", "cluster", "title", "first"), RUSSIAN_SEARCHES)
def test_russian_search_finds_a_cluster_and_opens_its_page(open_page, site, site_url, mode, query, cluster, title, first):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from test_browser import base_url

    base = base_url(mode, site, site_url) + "ru/"
    page, guard = open_page(base_url(mode, site, site_url))
    page.goto(base + "index.html")
    page.fill("#search-input", query)
    results = page.locator("#search-results a.search-result")
    try:
        results.first.wait_for(state="visible", timeout=5_000)
    except PlaywrightTimeout:
        pytest.fail(f"searching for {query!r} shows no result: {page.locator('#search-results').inner_text()!r}")
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert f"{cluster}.html" in hrefs, hrefs
    if first:
        assert hrefs[0] == f"{cluster}.html", hrefs
        page.press("#search-input", "Enter")
    else:
        results.nth(hrefs.index(f"{cluster}.html")).click()
    page.wait_for_url(f"**/ru/{cluster}.html", timeout=10_000)
    assert title.lower() in page.locator("h1.chapter-title").inner_text().lower()
    assert guard.blocked == []


def test_every_text_the_russian_edition_shows_has_its_russian_version():
    """A label, note or practice edited in English shows in English in the Russian edition until its Russian
    text is updated; this lists each one (data/README.md, 'The Russian edition')."""
    from analysis.data import language, load

    assert language.read(DATA).labels, "no translations were read"
    assert language.missing(load(DATA)) == []


def test_an_edited_english_label_is_reported_as_untranslated(data_copy):
    from analysis.data import language, load

    path = data_copy / "factors.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Developed infrastructure", "Well-developed infrastructure"),
                    encoding="utf-8")
    assert language.missing(load(data_copy)) == ["factors.csv: label: Well-developed infrastructure"]
