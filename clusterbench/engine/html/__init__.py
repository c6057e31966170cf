"""The HTML writer of the wheel-only engine: one page per chapter, shared assets, offline search.

The engine hands over the executed chapters (`clusterbench.engine.document.Chapter`, whose
`ast["html"]` is pandoc's AST with charts as raw HTML blocks, numbers in place and
cross-references already resolved into links). This module turns each chapter
into a complete page with the book's navigation, writes the CSS, the JavaScript
and the Vega bundle under `assets/`, and writes a search index that works from
disk (a classic script, because `fetch()` is blocked for `file://` pages).

Everything here is deterministic: the same inputs give byte-identical files.

Pandoc runs with `--section-divs` (each heading opens a `<section>` that carries
the heading's id, as in Quarto) and the Lua filter `site.lua` beside this module
(callouts, section and figure numbers as `crossref` set them, table alignment). Chapter Markdown is trusted: text
taken from data must be escaped before it is written into the Markdown. Text
this module puts on the page itself (book and chapter titles, headings,
downloads) is escaped by Jinja2.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import jinja2
from markupsafe import Markup

from clusterbench.engine import pandoc
from clusterbench.engine.document import BookInfo, Chapter

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
ASSETS = HERE
LUA_FILTER = HERE / "site.lua"

#: The wheel engine's own page style, copied from this folder into `<site>/assets/`; everything
#: else a page needs is declared in `_quarto.yml` (css, includes, resources) and copied by the build.
STATIC_ASSETS = ("site.css",)
VEGA_BUNDLE = "vega-bundle.js"
SEARCH_INDEX = "search-index.js"

#: Pandoc options for chapter bodies. `--wrap=none` keeps raw HTML (chart specs) on one line.
PANDOC_ARGS = ("--section-divs", "--wrap=none", f"--lua-filter={LUA_FILTER}")

#: The words the page shell itself says, per language (the chapters bring their own).
MESSAGES = {
    "en": {
        "skip": "Skip to content", "draft": "Draft", "edition": "Edition {}",
        "draft_banner": "This is a draft: it holds changes that are not in a released edition yet. Please do not cite it.",
        "prev_next": "Previous and next chapter", "previous": "Previous", "next": "Next", "contents": "Contents",
        "search_label": "Search the report", "search": "Search",
        "search_hint": "Results appear as you type. Use the arrow keys to move through them and Enter to open one.",
        "licence": "Licence", "source_code": "Source code and data", "publisher": "Publisher", "contact": "Contact",
        "how_to_cite": "How to cite", "downloads": "Downloads", "on_this_page": "On this page",
        "all_pages": "All %s pages: see %s", "book_contents": "Book contents", "close": "Close", "appendices": "Appendices",
        "language_name": "English", "switch_title": "This page in English",
        "not_found_title": "Page not found", "not_found_description": "There is no page at this address.",
        "not_found_body": "<p>There is no page at this address in {title}. The address may be mistyped, or it may name a page "
                          "that this edition does not have.</p>\n<p>Search the report with the box at the top of this page, start "
                          "from the <a href=\"{home}\">home page</a>, or choose a chapter from the contents. Every released "
                          "edition keeps its pages at its own address; the edition menu at the top lists them.</p>\n",
    },
    "ru": {
        "skip": "Перейти к содержанию", "draft": "Черновик", "edition": "Выпуск {}",
        "draft_banner": "Это черновик: в нём есть изменения, ещё не вошедшие в выпуск. Пожалуйста, не цитируйте его.",
        "prev_next": "Предыдущая и следующая глава", "previous": "Назад", "next": "Далее", "contents": "Содержание",
        "search_label": "Поиск по отчёту", "search": "Поиск",
        "search_hint": "Результаты появляются по мере ввода. Стрелки переходят между ними, Enter открывает выбранный.",
        "licence": "Лицензия", "source_code": "Исходный код и данные", "publisher": "Издатель", "contact": "Контакты",
        "how_to_cite": "Как цитировать", "downloads": "Скачать", "on_this_page": "На этой странице",
        "all_pages": "Все страницы (%s): см. «%s»", "book_contents": "Содержание отчёта", "close": "Закрыть",
        "appendices": "Приложения", "language_name": "Русский", "switch_title": "Эта страница на русском языке",
        "not_found_title": "Страница не найдена", "not_found_description": "По этому адресу страницы нет.",
        "not_found_body": "<p>В издании «{title}» нет страницы по этому адресу. Возможно, в адресе опечатка или такой "
                          "страницы нет в этом выпуске.</p>\n<p>Воспользуйтесь поиском вверху страницы, начните с "
                          "<a href=\"{home}\">главной страницы</a> или выберите главу в содержании. Каждый выпуск хранит свои "
                          "страницы по собственному адресу; их список — в меню выпусков вверху.</p>\n",
    },
}


def messages(lang: str) -> dict[str, str]:
    return MESSAGES.get(lang, MESSAGES["en"])


def alternates(book: BookInfo, file: str, root: str) -> list[dict]:
    """This page in every language the site has, the page's own first: the language switch and `hreflang` links.
    The editions share their page names, so the Russian of `05-scorecard.html` is `ru/05-scorecard.html`."""
    out = []
    for lang, folder in book.languages:
        href = root + book.home_root + folder + file
        absolute = f"{book.site_url.rstrip('/')}/{folder}{file}" if book.site_url else ""
        t = messages(lang)
        out.append({"lang": lang, "href": href, "absolute": absolute, "label": t["language_name"],
                    "title": t["switch_title"], "current": lang == book.lang, "main": folder == ""})
    return sorted(out, key=lambda a: not a["current"])


SNIPPET_CHARS = 200
BODY_CHARS = 20_000
SEARCH_BUDGET = 4_000_000


# --------------------------------------------------------------------------- conversion


#: Chapters converted to HTML most recently (AST text -> HTML), at most HTML_BATCH of them.
_converted: OrderedDict[str, str] = OrderedDict()
_converted_lock = threading.Lock()
#: Chapters converted in one batch, and kept converted: bounds memory in a book of thousands of pages.
HTML_BATCH = 256


def chapter_html(ast: str) -> str:
    """One chapter's pandoc AST (JSON text, numbered and resolved) -> HTML fragment (no page shell)."""
    return chapters_html([ast])[0]


def chapters_html(asts: list[str]) -> list[str]:
    """`chapter_html` of each AST, those not converted lately in one batch of pandoc runs."""
    with _converted_lock:
        known = {ast: _converted[ast] for ast in asts if ast in _converted}
    todo = list(dict.fromkeys(ast for ast in asts if ast not in known))
    if todo:
        made = pandoc.convert_many([pandoc.Conversion(ast, "json", "html5", PANDOC_ARGS) for ast in todo], kind="html",
                                   extra_key=LUA_FILTER.read_text(encoding="utf-8"))
        known.update(zip(todo, made))
    with _converted_lock:
        for ast in asts:
            _converted[ast] = known[ast]
            _converted.move_to_end(ast)
        while len(_converted) > HTML_BATCH:
            _converted.popitem(last=False)
    return [known[ast] for ast in asts]


@functools.lru_cache(maxsize=32)
def inline_markdown_html(markdown: str) -> str:
    """Short Markdown (the "How to cite" block) -> HTML fragment."""
    if not markdown.strip():
        return ""
    return pandoc.convert(markdown, reader="markdown", writer="html5", args=("--wrap=none",), kind="inline").strip()


def _ast_of(chapter: Chapter) -> str:
    if "html" not in chapter.ast:
        raise ValueError(f"{chapter.source}: the chapter has nothing for the HTML writer (ast['html'] is missing)")
    return chapter.ast["html"]


def _html_of(chapter: Chapter) -> str:
    return chapter_html(_ast_of(chapter))


_SECTION_NUMBER = re.compile(r'<section id="([^"]+)"[^>]*?\sdata-number="([^"]+)"')


def section_numbers(html: str) -> dict[str, str]:
    """Anchor -> section number ("2.1") as printed in the chapter's HTML."""
    return {m.group(1): m.group(2) for m in _SECTION_NUMBER.finditer(html)}


# --------------------------------------------------------------------------- navigation


def page_file(chapters: list[Chapter], index: int) -> str:
    """Output file of chapters[index], relative to the site root."""
    return "index.html" if index == 0 else f"{chapters[index].slug}.html"


@dataclass
class _NavItem:
    href: str
    number: int | None
    title: str
    label: str
    current: bool
    sections: list[dict] = field(default_factory=list)


def _toc(chapter: Chapter, numbers: dict[str, str], depth: int = 3) -> list[dict]:
    """Level-2 headings with their level-3 children, for "On this page", down to `depth` (toc-depth)."""
    toc: list[dict] = []
    for heading in chapter.headings:
        if heading.level not in (2, 3) or heading.level > depth:
            continue
        entry = {"anchor": heading.anchor, "text": heading.text, "number": numbers.get(heading.anchor, ""), "children": []}
        if heading.level == 3 and toc:
            toc[-1]["children"].append(entry)
        else:
            toc.append(entry)
    return toc


#: A sidebar part longer than this lists only the current page and a link to the overview: with
#: thousands of profiles every page would otherwise carry thousands of links.
SIDEBAR_PART_LIMIT = 60


@dataclass(frozen=True)
class _Part:
    """A run of consecutive chapters in one part (or none): chapters[start:stop]."""

    part: str | None
    appendix: bool
    start: int
    stop: int
    first_appendix: bool


#: The parts of the last chapter list asked about, with the list itself (so its id cannot be reused):
#: every page of a book shares them, and finding them again per page would cost a book of n pages n².
_layout: tuple[list, list[_Part], int, int | None] | None = None


def _parts(chapters: list[Chapter]) -> tuple[list[_Part], int | None]:
    """The book's parts in order, and the index of the appendices' overview page (their first page)."""
    global _layout
    known = _layout
    if known is not None and known[0] is chapters and known[2] == len(chapters):
        return known[1], known[3]
    runs: list[list] = []
    for i, ch in enumerate(chapters):
        if runs and runs[-1][0] == ch.part and runs[-1][1] == ch.appendix:
            runs[-1][3] = i + 1
        else:
            runs.append([ch.part, ch.appendix, i, i + 1])
    parts, seen_appendix = [], False
    for part, appendix, start, stop in runs:
        parts.append(_Part(part, appendix, start, stop, appendix and not seen_appendix))
        seen_appendix = seen_appendix or appendix
    overview = next((p.start for p in parts if p.appendix), None)
    _layout = (chapters, parts, len(chapters), overview)
    return parts, overview


def _nav_groups(chapters: list[Chapter], index: int, root: str, toc: list[dict], collapse_level: int = 2) -> list[dict]:
    """The sidebar: parts in book order, appendix parts nested under "Appendices" as Quarto nests them.

    A part whose level (1 for the book's parts, 2 under Appendices) reaches `collapse_level`
    (Quarto's `sidebar.collapse-level`, default 2) is collapsed unless it holds the current page."""
    def item(i: int) -> _NavItem:
        ch = chapters[i]
        return _NavItem(href=root + page_file(chapters, i), number=ch.number, title=ch.title, label=ch.label,
                        current=i == index, sections=toc if i == index else [])

    parts, overview = _parts(chapters)
    groups: list[dict] = []
    for p in parts:
        level = 2 if p.appendix else 1
        holds_current = p.start <= index < p.stop
        count = p.stop - p.start
        more = None
        shown = range(p.start, p.stop)
        if p.part and count > SIDEBAR_PART_LIMIT:
            first = item(p.start if overview is None else overview)
            more = {"count": count, "href": first.href, "title": first.title}
            shown = [index] if holds_current else []
        groups.append({"part": p.part, "items": [item(i) for i in shown], "appendix": p.appendix,
                       "first_appendix": p.first_appendix, "collapsible": bool(p.part),
                       "open": holds_current or level < collapse_level, "count": count, "more": more})
    return groups


# --------------------------------------------------------------------------- templates


@functools.lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


#: Twitter shows at most this many characters of an image's alt text.
IMAGE_ALT_CHARS = 420


def _card(book: BookInfo) -> dict:
    """What a shared link shows: the image at its permanent address (an edition's own, else the site root's)
    and the feed of editions. Both need absolute addresses, so without `site-url` there are none."""
    base = book.url or (book.site_url.rstrip("/") + "/" if book.site_url else "")
    image = base + book.image if base and book.image else ""
    return {
        "image": image,
        "image_alt": _truncate(book.image_alt, IMAGE_ALT_CHARS) if image else "",
        "image_size": book.image_size if image else None,
        "feed": f"{book.site_url.rstrip('/')}/feed.xml" if book.site_url else "",
    }


def _render(book: BookInfo, chapters: list[Chapter], index: int, chapter: Chapter, root: str, body: str,
            *, canonical: str, not_found: bool = False) -> str:
    toc = _toc(chapter, section_numbers(body), book.toc_depth) if not not_found else []

    def link(i: int) -> dict | None:
        if not_found or not 0 <= i < len(chapters):
            return None
        return {"href": root + page_file(chapters, i), "label": chapters[i].label, "number": chapters[i].number, "title": chapters[i].title}

    t = messages(book.lang)
    page_title = chapter.title if chapter.title == book.title else f"{chapter.title} \u00b7 {book.title}"
    description = chapter.description or book.subtitle or book.title
    edition = (t["draft"] if book.edition == "draft" else t["edition"].format(book.edition)) + (f" \u00b7 {book.date}" if book.date else "")
    template = _environment().get_template("page.html")
    return template.render(
        book=book,
        chapter=chapter,
        index=index,
        root=root,
        page_title=page_title,
        canonical=canonical,
        description=description,
        edition=edition,
        card=_card(book),
        not_found=not_found,
        groups=_nav_groups(chapters, index, root, toc, book.collapse_level),
        toc=toc,
        prev=link(index - 1),
        next=link(index + 1),
        content=Markup(body),
        header_html=Markup(book.header_html),
        after_body_html=Markup(book.after_body_html),
        cite=Markup(inline_markdown_html(book.how_to_cite)),
        downloads=[{"label": d.label, "href": root + d.href} for d in book.downloads],
        t=t,
        alternates=alternates(book, page_file(chapters, index), root) if not not_found and book.languages else [],
    )


def render_page(book: BookInfo, chapters: list[Chapter], index: int) -> str:
    """The full HTML page of chapters[index]."""
    if not 0 <= index < len(chapters):
        raise IndexError(f"no chapter {index} (the book has {len(chapters)})")
    file = page_file(chapters, index)
    # The site root always shows the latest edition, so that is where every edition's pages point.
    canonical = f"{book.site_url.rstrip('/')}/{file}" if book.site_url else ""
    return _render(book, chapters, index, chapters[index], "../" * file.count("/"), _html_of(chapters[index]),
                   canonical=canonical)


NOT_FOUND_PAGE = "404.html"


def render_not_found(book: BookInfo, chapters: list[Chapter]) -> str:
    """The page a web server shows for a missing address, with the book's contents and search.

    It is served at whatever address was asked for, so its links start from the site's path
    (`/cluster-benchmark/`, from `site-url`), not from where the page file sits; without a
    `site-url` they are relative, which works for a site served at the host's root.
    """
    from markupsafe import escape

    from clusterbench.web import site_path

    t = messages(book.lang)
    folder = dict(book.languages).get(book.lang, "")
    root = site_path(book.site_url) + folder if book.site_url else ""
    chapter = Chapter(Path(NOT_FOUND_PAGE), "404", t["not_found_title"], "page-not-found", None, None, {}, [],
                      t["not_found_description"])
    body = t["not_found_body"].format(title=escape(book.title), home=escape(root) + "index.html")
    return _render(book, chapters, -1, chapter, root, body, canonical="", not_found=True)


# --------------------------------------------------------------------------- assets


@functools.lru_cache(maxsize=1)
def vega_bundle() -> str:
    """vl-convert's Vega + Vega-Lite + vega-embed bundle, as one classic script.

    The bundle declares its helpers at the top level; it is wrapped in a function so they
    stay private and only `window.vegaEmbed`, `window.vega` and `window.vegaLite` are set.
    """
    import vl_convert

    version = getattr(vl_convert, "__version__", "unknown")

    def make() -> str:
        bundle = vl_convert.javascript_bundle()
        return (
            f"/* Vega, Vega-Lite and vega-embed (BSD-3-Clause), bundled by vl-convert-python {version}. */\n"
            "(function () {\n" + bundle.rstrip() + "\n}).call(window);\n"
        )

    return pandoc.cached("vega", f"vl-convert {version}", make)


def write_assets(out: Path) -> None:
    """Write the shared CSS, JavaScript, icon and Vega bundle into out/assets/."""
    target = Path(out) / "assets"
    target.mkdir(parents=True, exist_ok=True)
    for name in STATIC_ASSETS:
        (target / name).write_bytes((ASSETS / name).read_bytes())
    (target / VEGA_BUNDLE).write_bytes(vega_bundle().encode("utf-8"))


# --------------------------------------------------------------------------- search


class _SectionText(HTMLParser):
    """Plain text of a chapter's HTML, split by the sections whose ids are indexed.

    Headings (indexed as titles), scripts (chart specs), footnote markers and
    back-links are left out; text before the first indexed section belongs to "".
    """

    SKIP_TAGS = {"script", "style", "template", "h1", "h2", "h3", "h4", "h5", "h6"}
    SKIP_CLASSES = {"footnote-ref", "footnote-back", "header-section-number"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    BLOCK = {
        "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
        "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    }

    def __init__(self, anchors: set[str]):
        super().__init__(convert_charrefs=True)
        self.anchors = anchors
        # open elements: (tag, skipped, indexed section anchor or None)
        self.stack: list[tuple[str, bool, str | None]] = []
        self.texts: dict[str, list[str]] = {}

    def _current(self) -> str:
        for _, _, anchor in reversed(self.stack):
            if anchor is not None:
                return anchor
        return ""

    def _skipping(self) -> bool:
        return any(skipped for _, skipped, _ in self.stack)

    def _append(self, text: str) -> None:
        self.texts.setdefault(self._current(), []).append(text)

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCK:
            self._append(" ")
        if tag in self.VOID:
            return
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        skipped = tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES)
        anchor = values.get("id") if tag == "section" and values.get("id") in self.anchors else None
        self.stack.append((tag, skipped, anchor))

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCK:
            self._append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self._append(" ")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self._skipping():
            self._append(data)

    def text(self, anchor: str) -> str:
        return " ".join("".join(self.texts.get(anchor, [])).split())


def _truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return cut + "\u2026"


def build_search_index(chapters: list[Chapter]) -> list[dict]:
    """One entry per chapter and per level-2/3 section, in reading order.

    Each entry: title, url (relative to the site root), chapter (the chapter's label),
    level (1 for chapters), number (section number or ""), text (a short plain-text
    snippet) and body (the section's plain text, for matching).
    """
    return [entry for i in range(len(chapters)) for entry in _search_entries(chapters, i)]


def _search_entries(chapters: list[Chapter], i: int) -> list[dict]:
    """`build_search_index`'s entries for chapters[i]."""
    # Every page is indexed. A book that fits SEARCH_BUDGET characters at BODY_CHARS a page gets an
    # entry per section too; a larger one (thousands of profiles, whose sections share their titles)
    # gets one entry a page with half its share of the budget as text, so the index stays near the budget.
    share = SEARCH_BUDGET // max(1, len(chapters))
    whole = share >= BODY_CHARS
    body_chars = BODY_CHARS if whole else max(SNIPPET_CHARS, share // 2)
    chapter = chapters[i]
    html = _html_of(chapter)
    headings = [h for h in chapter.headings if h.level in (2, 3)] if whole else []
    parser = _SectionText({h.anchor for h in headings})
    parser.feed(html)
    parser.close()
    url = page_file(chapters, i)
    intro = parser.text("")
    page = {
        "title": chapter.title,
        "url": url,
        "chapter": chapter.label,
        "level": 1,
        "number": "" if chapter.number is None else str(chapter.number),
        "text": _truncate(chapter.description or intro, SNIPPET_CHARS),
        "body": _truncate(" ".join(filter(None, [chapter.description, intro])), body_chars),
    }
    if not whole and not chapter.description:
        del page["text"]  # the body's opening words are the snippet
    entries = [page]
    numbers = section_numbers(html) if headings else {}
    for heading in headings:
        body = parser.text(heading.anchor)
        entries.append(
            {
                "title": heading.text,
                "url": f"{url}#{heading.anchor}",
                "chapter": chapter.label,
                "level": heading.level,
                "number": numbers.get(heading.anchor, ""),
                "text": _truncate(body, SNIPPET_CHARS),
                "body": _truncate(body, body_chars),
            }
        )
    return entries


def search_index_script(entries: list[dict]) -> str:
    """The index as a classic script that sets `window.CB_SEARCH_INDEX` (works from file://)."""

    def dump(entry: dict) -> str:
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")

    lines = ",\n".join(dump(e) for e in entries)
    return "/* Offline search index, written by clusterbench.engine.html. */\nwindow.CB_SEARCH_INDEX = [\n" + lines + "\n];\n"


# --------------------------------------------------------------------------- site


@functools.lru_cache(maxsize=1)
def _code_key() -> str:
    """The code and templates that make a page's shell and search entries."""
    sources = sorted(p for p in HERE.rglob("*") if p.is_file() and p.suffix in (".py", ".html", ".lua"))
    sources.append(Path(__file__).resolve().parent.parent / "document.py")
    h = hashlib.sha256(f"jinja2 {jinja2.__version__}".encode())
    for source in sources:
        h.update(source.read_bytes())
    return h.hexdigest()


def _shell_key(book: BookInfo, chapters: list[Chapter]) -> str:
    """What every page's shell and search entries take from the book and its other pages: the edition's facts,
    and each page's address and name in the navigation."""
    nav = [(ch.slug, ch.title, ch.number, ch.part, ch.appendix) for ch in chapters]
    return hashlib.sha256(json.dumps([_code_key(), repr(book), nav], default=str).encode("utf-8")).hexdigest()


def _page_and_entries(book: BookInfo, chapters: list[Chapter], index: int, shell: str) -> tuple[str, list[dict]]:
    """`render_page` and `_search_entries` of chapters[index], kept on disk (pandoc's cache folder) by everything
    they read: after a data edit, most of a large book's pages have the same body and navigation as before."""
    own = dataclasses.replace(chapters[index], ast={})  # the page's title, headings, description...
    key = f"{shell}|{index}|{own!r}|{hashlib.sha256(_html_of(chapters[index]).encode('utf-8')).hexdigest()}"
    kept = pandoc.recall("pages", key)
    if kept is not None:
        done = json.loads(kept)
        return done["page"], done["entries"]
    page, entries = render_page(book, chapters, index), _search_entries(chapters, index)
    pandoc.remember("pages", key, json.dumps({"page": page, "entries": entries}, ensure_ascii=False))
    return page, entries


def write_site(book: BookInfo, chapters: list[Chapter], out: Path) -> list[Path]:
    """Write one HTML page per chapter (the first is index.html), assets, the search index and `404.html`.

    Returns the pages written, in chapter order.
    """
    if not chapters:
        raise ValueError("the book has no chapters")
    files = [page_file(chapters, i) for i in range(len(chapters))]
    seen: dict[str, int] = {}
    for i, name in enumerate(files):
        if name in seen:
            raise ValueError(f"chapters {seen[name] + 1} and {i + 1} would both be written to {name}")
        seen[name] = i
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_assets(out)
    pages: list[Path] = []
    entries: list[dict] = []
    shell = _shell_key(book, chapters)
    # The chapters go to pandoc a batch at a time; each batch's pages and search entries are then made in order.
    for start in range(0, len(chapters), HTML_BATCH):
        batch = range(start, min(start + HTML_BATCH, len(chapters)))
        chapters_html([_ast_of(chapters[i]) for i in batch])
        for i in batch:
            path = out / files[i]
            path.parent.mkdir(parents=True, exist_ok=True)
            page, found = _page_and_entries(book, chapters, i, shell)
            path.write_bytes(page.encode("utf-8"))
            pages.append(path)
            entries += found
    (out / "assets" / SEARCH_INDEX).write_bytes(search_index_script(entries).encode("utf-8"))
    (out / NOT_FOUND_PAGE).write_bytes(render_not_found(book, chapters).encode("utf-8"))
    return pages
