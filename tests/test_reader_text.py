"""Everything a reader reads, scanned for words and numbers that only make sense to us.

The site's pages (visible text and alt text), both PDFs (poppler's pdftotext, page by page) and the
notes of the published CSV files must not show internal tokens (document numbers, seed files,
"extracted text", the engine, `nan`/`None`, data codes, file paths), numbers of five or more digits
without thousands separators, units written the wrong way ("5 count", "21 RUB billion") or the
spellings the issue named. Each hit is reported with its page and the text around it.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import missing_tool

from analysis.paths import DATA

#: Pages that are not the current edition's reading text (reviewer artifacts, archived editions).
SKIPPED_DIRS = ("_checks", "v")
#: HTML elements whose content readers never see as text.
HIDDEN_TAGS = {"script", "style", "template", "noscript", "head"}
#: Keys of a Vega-Lite spec whose text a reader sees or hears (alt text).
CHART_WORDS = ("title", "subtitle", "description", "text")
#: Published CSV columns that carry prose for readers.
NOTE_COLUMNS = ("note", "caveat", "description")
#: The chapter that may speak to maintainers about files, fields and commands (its data dictionary names them).
MAINTAINER_CHAPTER = ("10-methodology.html", ("Methodology", "Методология"))  # page file, title in each language

#: Phrases that look like internal tokens but are plain English, with the reason they are allowed.
ALLOWED = {
    "the seed of a cluster": "figure of speech in the title of BP-051",
    "members seed the": "the verb, in BP-050's text",
    "seed funding": "a venture-finance term",
}

#: (name, pattern, flags) of what must not reach a reader; checked on text with URLs and DOIs removed.
TOKENS = [
    ("internal document number", r"\bdocuments? 0\d\d\b", re.I),
    ("internal document number", r"\b0\d\d (?=fn\b|footnote|Figure|Table|section|p\.|pp\.|country report|summary)", 0),
    ("seed", r"\bseed(?!_)", re.I),  # the field seed_file is a code, left to the code rules
    ("extracted text", r"\bextracted text", re.I),
    ("engine", r"\bwheel", re.I),
    ("edition id as a word", r"\bedition draft\b", re.I),  # 'It is edition draft': the id, not a phrase
    ("nan", r"\bnan\b", re.I),
    ("None", r"\bNone\b(?! (?:of|had|has|have|was|were|is|are|met|meets|named|gives|reported)\b)", 0),
    # years, which need no separator, have four digits; a run of years is a chart's axis read by pdftotext
    ("number without thousands separators", r"(?<![\d.,:/])(?!(?:(?:19|20)\d\d)+(?!\d))\d{5,}(?![\d]|[.,]\d)", 0),
    # as a unit 'count' ends the value ('5 count.'); 'Table 2.2 counts the pilots' and '36 count the initiative' are verbs
    ("count as a unit", r"(?<![\d.])\d+(?:\.\d+)?(?: (?:thousand|million|billion))?\s+counts?(?=\s*(?:[.,;:)|]|$))", 0),
    ("currency after the amount", r"\d\s+(?:RUB|USD|EUR)\b", 0),
    ("unaccented French term", r"(?!pôles de compétitivité)p[oô]les de comp[eé]titivit[eé]", re.I),
    ("lower-case acronym", r"\b(?:r&d|smes?|ict)\b", 0),
]
#: Codes, file paths and commands: for maintainers only, so allowed in the methodology chapter alone.
MAINTAINER_TOKENS = [
    ("snake_case code", r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", 0),
    # an id such as kutsenko-2015; 'end-2013' and 'mid-2000s' are English
    ("source-style code", r"\b(?!(?:end|mid|early|late|pre|post)-)[a-z]+(?:-[a-z]+)*-(?:19|20)\d\d(?:-[a-z0-9]+)*\b(?!\.\w)", 0),
    ("file path", r"\b(?:data|chapters|analysis|assets|tests)/[\w./-]+|\b[\w-]+\.(?:ya?ml|qmd|py)\b", 0),
    ("command", r"\bclusterbench (?:validate|build|release|publish|new)\b", 0),
]
#: What is removed before the scan: links, DOIs and e-mail addresses are ids, not prose; so are the
#: names of the files a reader downloads (the Open data page lists `country_cluster_counts.csv`).
STRIP = re.compile(r"https?://\S+|www\.\S+|\b10\.\d{4,}/\S+|\S+@\S+\.\w+|\bdoi:\S+|(?<![/\w])[\w-]+(?:/[\w-]+)?\.(?:csv|json)\b",
                   re.I)


@dataclass
class Hit:
    where: str
    rule: str
    context: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: …{self.context}…"


class _Visible(HTMLParser):
    """The text a reader sees on a page (with images' alt text), and the cells of its tables."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.cells: list[str] = []
        self._hidden = 0
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "img" and dict(attrs).get("alt"):
            self.parts.append(" " + dict(attrs)["alt"] + " ")
        if tag in ("p", "li", "td", "th", "div", "br", "h1", "h2", "h3", "h4", "figcaption", "dt", "dd"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell).strip())
            self._cell = None
        if tag in ("td", "th", "p", "li"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)
            if self._cell is not None:
                self._cell.append(data)


def html_text(path: Path) -> tuple[str, list[str]]:
    """A page's visible text (with its charts' titles, descriptions and axis titles) and its table cells."""
    page = path.read_text(encoding="utf-8")
    parser = _Visible()
    parser.feed(page)
    parser.close()
    charts = [chart_text(json.loads(spec)) for spec in re.findall(r'<script type="application/json" id="spec-[^"]*">(.*?)</script>', page, re.S)]
    return "\n".join(["".join(parser.parts)] + charts), parser.cells


def chart_text(node) -> str:
    """The words a chart shows or says (title, subtitle, description, axis and legend titles); no data, no fonts."""
    if isinstance(node, list):
        return "\n".join(chart_text(v) for v in node)
    if not isinstance(node, dict):
        return ""
    words = [v if isinstance(v, str) else "\n".join(map(str, v)) for k, v in node.items()
             if k in CHART_WORDS and (isinstance(v, str) or isinstance(v, list) and all(isinstance(x, str) for x in v))]
    return "\n".join(words + [chart_text(v) for k, v in node.items() if k not in ("config", "data", "datasets")])


def pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True).stdout
    pages = out.decode("utf-8").split("\f")[:-1]
    # Lines joined as a reader reads them: a soft hyphen at a line end joins the word.
    return [re.sub(r"\u00ad\s*\n", "", page).replace("\u00ad", "") for page in pages]


def scan(where: str, text: str, *, maintainer: bool = False) -> list[Hit]:
    """Every rule's hits in `text`, with 40 characters of context either side."""
    text = re.sub(r"\s+", " ", STRIP.sub(" ", text))
    allowed = [m.span() for phrase in ALLOWED for m in re.finditer(re.escape(phrase), text, re.I)]
    rules = TOKENS + ([] if maintainer else MAINTAINER_TOKENS)
    hits = []
    for rule, pattern, flags in rules:
        for m in re.finditer(pattern, text, flags):
            if any(a <= m.start() < b for a, b in allowed):
                continue
            context = re.sub(r"\s+", " ", text[max(0, m.start() - 40):m.end() + 40])
            hits.append(Hit(where, f"{rule} '{m.group(0)}'", context))
    return hits


def scan_cells(where: str, cells: list[str]) -> list[Hit]:
    """Table cells that show a raw value: 'nan', 'None', or 'count' as a unit."""
    return [Hit(where, f"table cell '{c}'", c) for c in cells if c in ("nan", "NaN", "None", "count")]


def data_codes() -> set[str]:
    """Every code the data uses (ids, categories, vocabulary keys) that a reader would not write."""
    code = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)+$")
    codes = set()
    for path in DATA.rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as f:
            codes |= {cell for row in csv.reader(f) for cell in row if code.match(cell)}
    return codes


def scan_codes(where: str, text: str, codes: set[str]) -> list[Hit]:
    """Kebab-case data codes (cluster, source, category ids) in running text; hyphenated English words pass."""
    text = STRIP.sub(" ", text)
    hits = []
    for m in re.finditer(r"(?<![\w/#.-])[a-z][a-z0-9]*(?:-[a-z0-9]+)+(?![\w-]|\.\w)", text):
        if m.group(0) in codes and m.group(0) not in ENGLISH_CODES:
            hits.append(Hit(where, f"data code '{m.group(0)}'", re.sub(r"\s+", " ", text[max(0, m.start() - 40):m.end() + 40])))
    return hits


#: Data codes that are also hyphenated English, with the reason they may appear in prose.
ENGLISH_CODES = {
    "non-profit": "an English adjective ('a non-profit partnership')",
    "new-materials": "a compound modifier ('the new-materials pilots')",
}


def site_hits(site: Path) -> list[Hit]:
    codes = data_codes()
    hits = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if rel.parts[0] in SKIPPED_DIRS:
            continue
        text, cells = html_text(path)
        where = rel.as_posix()
        maintainer = rel.name == MAINTAINER_CHAPTER[0]  # in either edition
        hits += scan(where, text, maintainer=maintainer) + scan_cells(where, cells)
        hits += [] if maintainer else scan_codes(where, text, codes)
    return hits


def pdf_hits(pdf: Path) -> list[Hit]:
    codes = data_codes()
    hits, chapter = [], ""
    for number, page in enumerate(pdf_pages(pdf), start=1):
        # a chapter's first page opens with 'Chapter 10' and its title, the others run 'Chapter 10 · Title' on top
        opening = re.search(r"^(?:Chapter|Глава) \d+(?: · (.+)|\s*\n\s*(.+))$", page, re.M)
        chapter = (opening.group(1) or opening.group(2)) if opening else chapter
        where = f"{pdf.name} p. {number}"
        maintainer = chapter.startswith(MAINTAINER_CHAPTER[1])
        hits += scan(where, page, maintainer=maintainer)
        hits += [] if maintainer else scan_codes(where, page, codes)
    return hits


def csv_hits(site: Path) -> list[Hit]:
    """The prose columns of the published CSV files (data downloads and figure data)."""
    hits = []
    for path in sorted((site / "data").rglob("*.csv")) + sorted(site.glob("figures/*.csv")) + sorted(site.glob("ru/figures/*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.DictReader(f), start=2):
                for column in NOTE_COLUMNS:
                    if row.get(column):
                        hits += scan(f"{path.relative_to(site).as_posix()}:{line}:{column}", row[column])
    return hits


def _report(hits: list[Hit]) -> str:
    """How many hits of each kind, then every hit with its page and context."""
    kinds = Counter(h.rule.split(" '")[0] for h in hits)
    return (f"{len(hits)} hit(s): " + "; ".join(f"{k} {n}" for k, n in kinds.most_common()) + "\n"
            + "\n".join(map(str, hits)))


@pytest.fixture(scope="module")
def pdfs(site):
    if not shutil.which("pdftotext"):
        missing_tool("pdftotext missing: apt-get install poppler-utils (.ci/run does)")
    found = sorted(site.glob("*.pdf")) + sorted(site.glob("ru/*.pdf"))
    assert len(found) == 4, f"expected the report and the collection PDF in {site} and in ru/, found {found}"
    return found


@pytest.mark.slow
def test_site_pages_speak_to_readers(site):
    hits = site_hits(site)
    assert not hits, _report(hits)


@pytest.mark.slow
def test_pdfs_speak_to_readers(pdfs):
    hits = [hit for pdf in pdfs for hit in pdf_hits(pdf)]
    assert not hits, _report(hits)


@pytest.mark.slow
def test_csv_notes_speak_to_readers(site):
    hits = csv_hits(site)
    assert not hits, _report(hits)


# --- the scanner itself, on text whose hits are known ---------------------------------------------


@pytest.mark.parametrize("text, rule", [
    ("Kutsenko (2015), document 002, fn 12", "internal document number"),
    ("Kutsenko (2015), 002 fn 12", "internal document number"),
    ("listed in the seed documents", "seed"),
    ("the extracted text does not say", "extracted text"),
    ("Built with the wheel-only engine.", "engine"),
    ("It is edition draft, dated 2026-11-23.", "edition id as a word"),
    ("Licence: nan", "nan"),
    ("Founded: None", "None"),
    ("initiator: regional_authorities", "snake_case code"),
    ("see kutsenko-2015 for details", "source-style code"),
    ("a budget of 41750 people", "number without thousands separators"),
    ("more than 10 count", "count as a unit"),
    ("Participants: 5 count; employees: 200", "count as a unit"),
    ("21 RUB billion", "currency after the amount"),
    ("the poles de competitivite", "unaccented French term"),
    ("spending on r&d by firms", "lower-case acronym"),
    ("the share of smes", "lower-case acronym"),
    ("edit data/scorecard.yml and run it", "file path"),
    ("see the column source_locator", "snake_case code"),
    ("Run clusterbench validate first", "command"),
])
def test_the_scanner_finds_each_kind_of_slip(text, rule):
    assert [h.rule.split(" '")[0] for h in scan("t", text)] == [rule]


@pytest.mark.parametrize("text", [
    "None of the pilots met the rule.", "RUB 21 billion and USD 13.8 billion", "41,750 employees in 2012",
    "See https://doi.org/10.17323/1995-459X.2015.1.32.55 and 10.17323/1995-459X.2015.1.32.55",
    "a high-tech, well-known cluster", "5 companies", "more than 10", "seed funding for start-ups",
    "Table 2.2 counts the pilots", "36 count the cluster initiative itself",
    "pôles de compétitivité", "R&D by SMEs", "pages 32–55, in 2012–2013", "BP-034",
])
def test_the_scanner_passes_plain_english(text):
    assert scan("t", text) == []


def test_chart_text_is_its_titles_and_descriptions_without_data_or_fonts():
    spec = {"config": {"font": "Segoe UI"}, "description": "Bars compare clusters.", "data": {"values": [{"scope": "regional_industry"}]},
            "title": {"text": ["Source: Kutsenko (2015),", "002 fn 12."], "subtitle": "'~' marks approximate inputs"},
            "encoding": {"x": {"field": "value", "title": "Employees per organisation"}}}
    words = chart_text(spec)
    assert all(w in words for w in ("Bars compare clusters.", "002 fn 12.", "approximate inputs", "Employees per organisation"))
    assert "Segoe" not in words and "regional_industry" not in words


def test_data_codes_are_found_in_prose_but_english_words_pass():
    codes = {"regional-authorities", "universities-research", "non-profit", "sarov-x"}
    text = "Initiator: regional-authorities, universities-research. A non-profit park at sarov.html#sarov-x."
    assert [h.rule for h in scan_codes("t", text, codes)] == ["data code 'regional-authorities'",
                                                             "data code 'universities-research'"]
