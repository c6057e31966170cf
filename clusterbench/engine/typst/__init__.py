"""PDF writer of the wheel-only engine: executed chapters -> Typst -> PDF.

Pandoc (from the `pypandoc_binary` wheel) turns each chapter's `markdown["typst"]` into a
Typst body, with the Lua filter `filter.lua` (beside this module) (raw HTML kept as literal
text, Quarto figure/table divs, callouts, unnumbered captionless figures). This module
then writes one main `.typ` file into `workdir` — title page, table of contents, part
pages, chapter headings and the per-chapter figure numbering — and compiles it with the
`typst` wheel. The style lives in `book.typ` beside it.

Numbering matches the HTML pages: a figure with a `#fig-…` id is "Figure <chapter>.<n>",
where n counts the `#fig-…` figures of that chapter; tables with a `#tbl-…` id are
counted separately ("Table <chapter>.<n>"). In an unnumbered chapter they are "Figure n".
Figures and tables without such an id get no number and do not advance the count.

Fonts: Libertinus Serif (text) and DejaVu Sans Mono (code) are embedded in the typst
compiler itself, so the layout does not depend on the machine's fonts. Charts are SVGs
whose text asks for "DejaVu Sans"/sans-serif; typst resolves that from the system fonts
(Debian: fonts-dejavu-core) and falls back to its own fonts without it.

The same inputs give a byte-identical PDF: the document date and the compiler's
timestamp both come from `book.date`.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import logging
import multiprocessing
import os
import re
import shutil
import threading
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from clusterbench.engine import crossref, pandoc
from clusterbench.engine.document import BookInfo, Chapter

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent
STYLE = TEMPLATE_DIR / "book.typ"
FILTER = TEMPLATE_DIR / "filter.lua"
STYLE_NAME = "cb-book.typ"  # the style's name next to the generated main file

# The reader of the title page's Markdown (chapters come as pandoc's AST, read by
# `crossref.read`): an "@" is text, and raw HTML and TeX print as they are.
READER = "markdown-citations-raw_html-raw_tex"

KINDS = ("report", "collection")
#: A class on a chapter's first-level heading: in the PDF the chapter does not start a new page.
COMPACT_CLASS = "cb-compact"
#: Quarto's class for a heading the table of contents leaves out.
UNLISTED_CLASS = "unlisted"

_WORDS = {
    "en": {
        "chapter": "Chapter", "appendices": "Appendices", "publisher": "Publisher", "licence": "Licence", "edition": "Edition", "draft": "Draft edition", "cite": "How to cite",
        "url": "Permanent URL", "collection": "Best-Practice Collection",
        "months": ["January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December"],
    },
    "ru": {
        "chapter": "Глава", "appendices": "Приложения", "publisher": "Издатель", "licence": "Лицензия", "edition": "Выпуск", "draft": "Черновик", "cite": "Как цитировать",
        "url": "Постоянный адрес", "collection": "Сборник лучших практик",
    },
}


class PdfError(Exception):
    """The PDF could not be built; the message says where and why, without a traceback."""


# ----------------------------------------------------------------------------- pandoc

def to_typst(source: str, *, base: Path | None = None, reader: str = "json") -> str:
    """A chapter's pandoc AST (JSON text), or Pandoc Markdown with `reader=READER`, -> Typst markup
    (a body, no preamble).

    `base` is the folder relative image paths are resolved against (absolute paths and
    URLs are left alone).
    """
    return to_typst_many([(source, base, reader)])[0]


def to_typst_many(sources: list[tuple[str, Path | None, str]]) -> list[str]:
    """`to_typst(source, base=, reader=)` of each (source, base, reader), in batches of pandoc runs."""
    conversions = []
    for source, base, reader in sources:
        args = ["--wrap=none", f"--lua-filter={FILTER}"]
        if base is not None:
            args.append(f"--metadata=cb-base:{Path(base).resolve().as_posix()}")
        text = source if reader == "json" else crossref.strip_comments(source)
        conversions.append(pandoc.Conversion(text, reader, "typst", tuple(args)))
    try:
        return pandoc.convert_many(conversions, kind="typst", extra_key=FILTER.read_text(encoding="utf-8"))
    except pandoc.PandocError as e:
        raise PdfError(f"pandoc could not convert the chapter to Typst: {e}") from None


#: Stands for a chapter's number in its AST while pandoc converts it to Typst. A chapter in both PDFs
#: (numbered 9 in the report and 1 in the collection, say) is then one conversion, done once.
_NUMBER = "\ue000"


def _unnumbered(ast: str, number: int | None) -> str:
    """A chapter's AST (JSON text) with its number replaced by `_NUMBER` where it begins an element's
    `number` attribute ("9.1"); the AST itself when there is nothing to replace."""
    if number is None or _NUMBER in ast:
        return ast
    marked = re.sub(r'(\["number", ?")' + str(number) + r"\.", lambda m: m.group(1) + _NUMBER + ".", ast)
    return marked if marked != ast else ast


def typst_string(text: str) -> str:
    """A Typst string literal; displayed, it shows `text` literally."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\r", "").replace("\n", "\\n").replace("\t", "\\t"))
    return f'"{escaped}"'


def _array(items: list[str]) -> str:
    return "(" + "".join(typst_string(i) + ", " for i in items) + ")"


def _content(markup: str) -> str:
    """Typst markup as a content block argument."""
    return "[\n" + markup.strip() + "\n]"


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else text.strip()


def _parse_date(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _words(lang: str) -> dict:
    return _WORDS.get(lang.split("-")[0].lower(), _WORDS["en"])


def _long_date(date: dt.date, words: dict) -> str:
    """'23 November 2026'; in Russian, as Babel (CLDR) writes it: '23 ноября 2026 г.'."""
    if words is _WORDS["ru"]:
        from babel.dates import format_date

        return format_date(date, format="long", locale="ru")
    return f"{date.day} {words['months'][date.month - 1]} {date.year}"


def _edition(book: BookInfo, words: dict) -> str:
    ed = (book.edition or "").strip()
    if not ed or ed.lower() == "draft":
        return words["draft"]
    return f"{words['edition']} {ed}"


@dataclass
class _Span:
    first: int  # 1-based line numbers of a chapter in the main file
    last: int
    chapter: Chapter


# ------------------------------------------------------------------------------ render

def render_pdf(book: BookInfo, chapters: list[Chapter], out: Path, *, workdir: Path,
               kind: str = "report", header: str = "", toc_depth: int = 2,
               compiling: AbstractContextManager = nullcontext(), compilers: Compilers | None = None) -> Path:
    """Write one PDF of the given chapters and return `out`.

    `kind` is "report" (full report) or "collection" (Best-Practice Collection); it only
    changes the title-page subtitle, the PDF title and the running footer. Chapters, sections,
    figures and tables carry the numbers `crossref` gave them. The generated Typst files stay in `workdir` for inspection. Raises PdfError with a short message
    (the typst error, the chapter and the line of the generated .typ) when the build fails.
    With `compilers`, the PDF is compiled in the Typst process they keep for `kind`.
    """
    if kind not in KINDS:
        raise PdfError(f"unknown PDF kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not chapters:
        raise PdfError(f"no chapters to put into {Path(out).name}")
    out = Path(out)
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(STYLE, workdir / STYLE_NAME)

    words = _words(book.lang or "en")
    date = _parse_date(book.date)

    # Every chapter and the title page's Markdown, in one batch of pandoc runs.
    licence_line = f"{words['licence']}: {book.licence}" if book.licence else ""
    for ch in chapters:
        if "typst" not in ch.ast:
            raise PdfError(f"chapter {ch.label!r} ({ch.source}) has nothing for the PDF (ast['typst'])")
    title_page = (book.how_to_cite or "", licence_line)
    asts = [_unnumbered(ch.ast["typst"], ch.number) for ch in chapters]
    converted = to_typst_many([(text, None, READER) for text in title_page]
                              + [(ast, Path(ch.source).parent, "json") for ast, ch in zip(asts, chapters)])
    cite, licence = (typst if text.strip() else "" for text, typst in zip(title_page, converted))
    bodies = [body.replace(_NUMBER, str(ch.number)) if ast is not ch.ast["typst"] else body
              for body, ast, ch in zip(converted[len(title_page):], asts, chapters)]

    source, spans = _main_file(book, chapters, bodies, cite=cite, licence=licence, kind=kind,
                               words=words, date=date, header=header,
                               toc_depth=toc_depth)
    main = workdir / (out.stem + ".typ")
    main.write_text(source, encoding="utf-8")

    with compiling:  # a lock from a caller that compiles several PDFs at once, to bound their memory
        pdf = _compile(main, date=date, spans=spans, out=out, compilers=compilers, kind=kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, out)
    return out


def _main_file(book: BookInfo, chapters: list[Chapter], bodies: list[str], *, cite: str, licence: str,
               kind: str, words: dict, date: dt.date | None,
               header: str = "", toc_depth: int = 2) -> tuple[str, list[_Span]]:
    edition = _edition(book, words)
    titles = _titles(book, kind, words, edition)
    lines = ["// Generated by clusterbench/engine/typst from the executed chapters; edits are overwritten.",
             f'#import "{STYLE_NAME}": *']
    if header.strip():  # format.typst.include-in-header, as Quarto puts it into its preamble
        lines.append(header.strip())
    lines += _document_setup(book, titles, kind=kind, words=words, edition=edition, date=date)
    lines += _title_page(book, titles, words=words, edition=edition, date=date, cite=cite, licence=licence)
    lines.append(f"#contents(depth: {int(toc_depth)})")

    part: str | None = None
    in_appendices = False
    starts: list[int] = []  # index into `lines` where each chapter begins
    for ch, body in zip(chapters, bodies):
        starts.append(len(lines))
        if ch.appendix and not in_appendices:  # Quarto opens the appendices with a part of their own
            lines.append(f"#part-page({typst_string(words['appendices'])})")
            in_appendices, part = True, None
        lines += _chapter_lines(ch, body, part_page=bool(ch.part and ch.part != part))
        part = ch.part
    return "\n".join(lines) + "\n", _spans(lines, starts, chapters)


@dataclass
class _Titles:
    title: str  # the book's title, as on the title page
    subtitle: str | None
    document: str  # the PDF's title
    running: str  # the running footer


def _titles(book: BookInfo, kind: str, words: dict, edition: str) -> _Titles:
    title = book.title or "Untitled"
    if kind == "collection" and words["collection"].lower() in title.lower():
        # The collection's own book title already names it: say it once, keep its subtitle.
        return _Titles(title, book.subtitle or None, title, f"{title} · {edition}")
    if kind == "collection":
        return _Titles(title, words["collection"], f"{title}: {words['collection']}",
                       f"{title} · {words['collection']} · {edition}")
    return _Titles(title, book.subtitle or None, title, f"{title} · {edition}")


def _document_setup(book: BookInfo, titles: _Titles, *, kind: str, words: dict, edition: str,
                    date: dt.date | None) -> list[str]:
    """The PDF's metadata and the `book` show rule."""
    keywords = list(dict.fromkeys([titles.title, edition] + ([words["collection"]] if kind == "collection" else [])))
    doc_date = (f"datetime(year: {date.year}, month: {date.month}, day: {date.day})"
                if date else "none")
    lines = ["#set document(",
             f"  title: {typst_string(titles.document)},",
             f"  author: {_array(list(book.authors))},",
             f"  keywords: {_array(keywords)},"]
    if book.subtitle:
        lines.append(f"  description: {typst_string(book.subtitle)},")
    lines += [f"  date: {doc_date},", ")"]
    lang, _, region = (book.lang or "en").replace("_", "-").partition("-")
    lines.append(f"#show: book.with(title: {typst_string(titles.title)}, running: {typst_string(titles.running)}, "
                 f"lang: {typst_string(lang.lower() or 'en')}, "
                 f"region: {typst_string(region.split('-')[0].upper()) if len(region.split('-')[0]) == 2 else 'none'}, "
                 f"chapter-label: {typst_string(words['chapter'])})")
    return lines


def _title_page(book: BookInfo, titles: _Titles, *, words: dict, edition: str, date: dt.date | None,
                cite: str, licence: str) -> list[str]:
    return [
        "#title-page(",
        f"  title: {typst_string(titles.title)},",
        f"  subtitle: {typst_string(titles.subtitle) if titles.subtitle else 'none'},",
        f"  kicker: {typst_string(edition)},",
        f"  date: {typst_string(_long_date(date, words) if date else book.date) if (date or book.date) else 'none'},",
        f"  authors: {_array(list(book.authors))},",
        f"  url: {typst_string(book.url) if book.url else 'none'},",
        f"  cite-label: {typst_string(words['cite'])},",
        f"  url-label: {typst_string(words['url'])},",
        f"  cite: {_content(cite) if cite.strip() else 'none'},",
        f"  licence: {_content(licence) if licence.strip() else 'none'},",
        f"  publisher-label: {typst_string(words['publisher'])},",
        *(f"  {key}: {typst_string(value) if value else 'none'}," for key, value in
          (("publisher", book.publisher), ("contact", book.contact), ("rights", book.rights), ("colophon", book.colophon))),
        ")",
    ]


def _chapter_lines(ch: Chapter, body: str, *, part_page: bool) -> list[str]:
    """A chapter's part page (when it opens a part), heading and body.

    Typst counts nothing: every number was set by `crossref` (sections, figures and tables
    arrive with theirs), and the chapter's is written into its heading here."""
    lines = ["", f"// ---- {ch.slug} ({Path(ch.source).name})"]
    if part_page:
        lines.append(f"#part-page({typst_string(ch.part)})")
    label = f" #label({typst_string(ch.anchor)})" if ch.anchor else ""
    numbering = f"(..n) => {typst_string(str(ch.number))}" if ch.number is not None else "none"
    compact = ", supplement: [Compact]" if COMPACT_CLASS in ch.classes else ""
    unlisted = ", outlined: false" if UNLISTED_CLASS in ch.classes else ""  # as pandoc writes an `.unlisted` heading
    return lines + [f"#heading(level: 1, numbering: {numbering}{compact}{unlisted}, {typst_string(ch.title)}){label}",
                    "", body.rstrip("\n")]


def _spans(lines: list[str], starts: list[int], chapters: list[Chapter]) -> list[_Span]:
    """The main file's lines of each chapter; `starts` indexes `lines`, whose items may hold several lines."""
    numbers, lineno = [], 1
    for line in lines:
        numbers.append(lineno)
        lineno += line.count("\n") + 1
    bounds = [numbers[i] for i in starts] + [lineno]
    return [_Span(bounds[i], bounds[i + 1] - 1, ch) for i, ch in enumerate(chapters)]


_LOCATION = re.compile(r"┌─ (?P<file>.+?):(?P<line>\d+):(?P<col>\d+)")


def _compile(main: Path, *, date: dt.date | None, spans: list[_Span], out: Path,
             compilers: Compilers | None = None, kind: str = "report") -> bytes:
    """Compile in a process of its own: Typst keeps what it memoised for as long as its process lives (5 GB for a
    2,000-page report), so two PDFs compiled in the build's process would hold both at once. The process is
    a fresh one, or the one `compilers` keep for `kind`, whose memo makes the compile of an edited document incremental."""
    stamp = (dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
             if date else dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    job = (_compile_here, str(main), str(Path(main.resolve().anchor)), stamp)
    if compilers is not None:
        done = compilers.run(kind, job)
    else:
        with _compiler_process() as pool:
            done = pool.submit(*job).result()
    if isinstance(done, _Failure):
        raise PdfError(done.message if done.missing else _explain(done, main, spans, out))
    pdf, warnings = done
    for w in warnings:
        log.warning("typst: %s", _first_line(w))
    return pdf


def _compiler_process() -> cf.ProcessPoolExecutor:
    return cf.ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


class Compilers:
    """A Typst process per kind of PDF, kept across builds (`clusterbench preview`).

    Typst memoises what it laid out for as long as its process lives, so a kept process compiles an edited
    document from what is unchanged: the real report in 0.5 s instead of 2 s in a fresh process. Its memory
    levels off, as Typst forgets what recent compiles did not use: 740 MB for the real report after 25 edits.
    """

    def __init__(self):
        self._processes: dict[str, cf.ProcessPoolExecutor] = {}
        self._lock = threading.Lock()

    def run(self, kind: str, job: tuple):
        """`job` (a function and its arguments) run in the process kept for `kind`."""
        try:
            return self._process(kind).submit(*job).result()
        except cf.BrokenExecutor:  # it died (out of memory?): once more, in a fresh one
            with self._lock:
                self._processes.pop(kind, None)
            return self._process(kind).submit(*job).result()

    def _process(self, kind: str) -> cf.ProcessPoolExecutor:
        with self._lock:
            if kind not in self._processes:
                self._processes[kind] = _compiler_process()
            return self._processes[kind]

    def close(self) -> None:
        with self._lock:
            for pool in self._processes.values():
                pool.shutdown(wait=True, cancel_futures=True)
            self._processes.clear()


@dataclass
class _Failure:
    """A Typst error as the compiling process saw it (Typst's own exception does not cross processes)."""

    message: str
    diagnostic: str = ""
    hints: tuple[str, ...] = ()
    missing: bool = False  # no typst compiler at all


def _compile_here(main: str, root: str, stamp: dt.datetime) -> tuple[bytes, list[str]] | _Failure:
    try:
        import typst
    except ImportError:
        return _Failure("the PDF needs the typst compiler: pip install typst", missing=True)
    try:
        pdf, warnings = typst.compile_with_warnings(main, root=root, timestamp=stamp)
    except typst.TypstError as e:
        return _Failure(getattr(e, "message", "") or str(e), getattr(e, "diagnostic", "") or "",
                        tuple(getattr(e, "hints", None) or ()))
    return pdf, [getattr(w, "diagnostic", "") or str(w) for w in warnings]


def _explain(e, main: Path, spans: list[_Span], out: Path) -> str:
    message = getattr(e, "message", "") or str(e)
    diagnostic = getattr(e, "diagnostic", "") or ""
    parts = [f"could not build {out.name}: {message}"]
    m = _LOCATION.search(diagnostic)
    if m:
        file, line = m.group("file"), int(m.group("line"))
        path = main if Path(file).name == main.name else main.parent / Path(file).name
        try:
            text = path.read_text(encoding="utf-8").split("\n")[line - 1].strip()
        except (OSError, IndexError):
            text = ""
        if len(text) > 160:
            text = text[:157] + "..."
        if path == main:
            for span in spans:
                if span.first <= line <= span.last:
                    name = span.chapter.label.replace("\u2002", " ")
                    parts.append(f"in chapter \u201c{name}\u201d ({span.chapter.source})")
                    break
        parts.append(f"at {path}:{line}: {text}")
    for hint in getattr(e, "hints", None) or []:
        parts.append(f"hint: {hint}")
    return "\n  ".join(parts)
