"""The rendered-book model shared by the wheel-only engine's stages.

The engine reads `_quarto.yml` and the chapters, executes the cells, resolves
cross-references and shortcodes, and hands these objects to the HTML writer
(`clusterbench.engine.html`) and the PDF writer (`clusterbench.engine.typst`). Both writers get the same
chapters, numbers and anchors, so ids agree between the HTML and the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Heading:
    level: int  # 2 for sections inside a chapter, 3 for subsections
    anchor: str  # id without '#', e.g. "sec-critical-mass"
    text: str  # plain text
    number: str = ""  # "2.1"; empty for unnumbered sections


@dataclass
class Chapter:
    """One chapter or unnumbered page of the book, after execution."""

    source: Path  # the .qmd or .md file
    slug: str  # output file stem, e.g. "02-programme" (index page: "index")
    title: str  # plain text, without the number
    anchor: str  # the chapter's own id, e.g. "sec-programme"
    number: int | None  # chapter number; None for unnumbered pages (index, references)
    part: str | None  # title of the part the chapter belongs to, if any
    ast: dict[str, str] = field(default_factory=dict)
    """Pandoc's AST as JSON text, per target ("html", "typst"): outputs inlined, sections, figures and
    tables numbered (their `number` attribute) and references resolved into links, by
    `clusterbench.engine.crossref`. Charts are raw blocks for the target's format."""
    headings: list[Heading] = field(default_factory=list)
    description: str = ""  # one-line summary for search results and meta tags
    appendix: bool = False  # listed under book.appendices
    classes: tuple[str, ...] = ()  # classes of the chapter's first-level heading (e.g. "cb-compact")

    @property
    def label(self) -> str:
        """'2 The programme' or 'Preface' as shown in navigation."""
        return f"{self.number}\u2002{self.title}" if self.number is not None else self.title


@dataclass
class Download:
    label: str  # "Best-Practice Collection (PDF)"
    href: str  # relative to the site root, e.g. "best-practices-2026.1.pdf"


@dataclass
class BookInfo:
    """Everything about the edition that pages and PDFs print."""

    title: str
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    edition: str = "draft"  # "2026.1"
    date: str = ""  # ISO date "2026-11-23"
    lang: str = "en"
    url: str = ""  # permanent URL of this edition ('' for a draft)
    site_url: str = ""  # where the site is published; its root always shows the latest edition
    how_to_cite: str = ""  # Markdown, one paragraph
    licence: str = ""
    # The publisher block (_quarto.yml `cb`): who publishes, how to reach them, the rights, how it was made.
    publisher: str = ""
    contact: str = ""
    rights: str = ""
    colophon: str = ""
    downloads: list[Download] = field(default_factory=list)
    repo_url: str = ""
    # What _quarto.yml declares for every HTML page (format.html), applied by both engines:
    css: list[str] = field(default_factory=list)  # style sheets, relative to the site root
    header_html: str = ""  # include-in-header, as written
    after_body_html: str = ""  # include-after-body, as written
    toc_depth: int = 3  # the deepest heading level listed under "On this page" (toc-depth, Quarto's default 3)
    collapse_level: int = 2  # book.sidebar.collapse-level: parts at this level and deeper start collapsed
    # The image shown when a page is shared (`book.image`), relative to the site root, with its alt text and size.
    image: str = ""
    image_alt: str = ""
    image_size: tuple[int, int] | None = None
    # The site's languages as (code, folder from the site root): [("en", ""), ("ru", "ru/")]; and the way from
    # this edition's root to the site's ("" for English, "../" for Russian), where versions.json is.
    languages: list[tuple[str, str]] = field(default_factory=list)
    home_root: str = ""
