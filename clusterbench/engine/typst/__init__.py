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

import datetime as dt
import functools
import logging
import os
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from clusterbench.engine.document import BookInfo, Chapter

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parent
STYLE = TEMPLATE_DIR / "book.typ"
FILTER = TEMPLATE_DIR / "filter.lua"
STYLE_NAME = "cb-book.typ"  # the style's name next to the generated main file

# The engine resolves every cross-reference before the PDF writer sees the text, so a
# remaining "@" is text (as a citation typst would ask for a bibliography). Raw HTML and
# TeX are off: "<script>" or "\\cmd" in the text prints as it is (pandoc's typst writer
# would drop them silently). HTML comments are removed before pandoc reads the text.
READER = "markdown-citations-raw_html-raw_tex"

KINDS = ("report", "collection")

_WORDS = {
    "en": {
        "chapter": "Chapter", "edition": "Edition", "draft": "Draft edition", "cite": "How to cite",
        "url": "Permanent URL", "collection": "Best-Practice Collection",
        "months": ["January", "February", "March", "April", "May", "June", "July", "August",
                   "September", "October", "November", "December"],
    },
    "ru": {
        "chapter": "Глава", "edition": "Издание", "draft": "Черновик", "cite": "Как цитировать",
        "url": "Постоянный адрес", "collection": "Сборник лучших практик",
        "months": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                   "сентября", "октября", "ноября", "декабря"],
    },
}


class PdfError(Exception):
    """The PDF could not be built; the message says where and why, without a traceback."""


# ----------------------------------------------------------------------------- pandoc

def to_typst(markdown: str, *, base: Path | None = None) -> str:
    """Pandoc Markdown -> Typst markup (a body, no preamble), with pypandoc's pandoc.

    `base` is the folder relative image paths are resolved against (absolute paths and
    URLs are left alone).
    """
    cmd = [_pandoc(), "--from", READER, "--to", "typst", "--wrap=none", f"--lua-filter={FILTER}"]
    if base is not None:
        cmd.append(f"--metadata=cb-base:{Path(base).resolve().as_posix()}")
    try:
        done = subprocess.run(cmd, input=_strip_comments(markdown).encode("utf-8"),
                              capture_output=True, check=False)
    except OSError as e:
        raise PdfError(f"could not run pandoc ({cmd[0]}): {e}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise PdfError(f"pandoc could not convert the Markdown to Typst: {_first_line(message)}")
    return done.stdout.decode("utf-8").replace("\r\n", "\n")


@functools.lru_cache(maxsize=1)
def _pandoc() -> str:
    """The pandoc binary of the pypandoc_binary wheel (or pandoc on PATH for plain pypandoc)."""
    try:
        import pypandoc
    except ImportError:
        raise PdfError("the PDF needs pandoc: pip install pypandoc_binary") from None
    try:
        return pypandoc.get_pandoc_path()
    except OSError:
        raise PdfError("pandoc was not found: pip install pypandoc_binary") from None


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def _strip_comments(markdown: str) -> str:
    """Remove HTML comments outside fenced code blocks (raw HTML is text for the PDF)."""
    if "<!--" not in markdown:
        return markdown
    parts: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            parts.append(_COMMENT.sub("", "".join(prose)))
            prose = []
            fence = m.group(1)
            parts.append(line)
        elif fence is not None:
            parts.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):]:
                fence = None
        else:
            prose.append(line)
    parts.append(_COMMENT.sub("", "".join(prose)))
    return "".join(parts)


# ------------------------------------------------------------------------ typst helpers

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
               kind: str = "report", number_sections: bool = True, header: str = "", toc_depth: int = 2) -> Path:
    """Write one PDF of the given chapters and return `out`.

    `kind` is "report" (full report) or "collection" (Best-Practice Collection); it only
    changes the title-page subtitle, the PDF title and the running footer. Sections of
    numbered chapters are numbered "2.1", "2.1.1" like a Quarto book, unless
    `number_sections` is false. The generated Typst files stay in `workdir` for inspection. Raises PdfError with a short message
    (the typst error, the chapter and the line of the generated .typ) when the build fails.
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

    # Pandoc runs once per chapter (plus the title page's Markdown), in parallel.
    jobs: list[tuple[str, Path | None]] = [(book.how_to_cite or "", None), (book.licence or "", None)]
    for ch in chapters:
        if "typst" not in ch.markdown:
            raise PdfError(f"chapter {ch.label!r} ({ch.source}) has no Markdown for the PDF (markdown['typst'])")
        jobs.append((ch.markdown["typst"], Path(ch.source).parent))

    def convert(job: tuple[str, Path | None]) -> str:
        text, base = job
        return to_typst(text, base=base) if text.strip() else ""

    with ThreadPoolExecutor(max_workers=min(8, os.cpu_count() or 2)) as pool:
        converted = list(pool.map(convert, jobs))
    cite, licence, bodies = converted[0], converted[1], converted[2:]

    source, spans = _main_file(book, chapters, bodies, cite=cite, licence=licence, kind=kind,
                               words=words, date=date, number_sections=number_sections, header=header,
                               toc_depth=toc_depth)
    main = workdir / (out.stem + ".typ")
    main.write_text(source, encoding="utf-8")

    pdf = _compile(main, date=date, spans=spans, out=out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(pdf)
    os.replace(tmp, out)
    return out


def _main_file(book: BookInfo, chapters: list[Chapter], bodies: list[str], *, cite: str, licence: str,
               kind: str, words: dict, date: dt.date | None,
               number_sections: bool = True, header: str = "", toc_depth: int = 2) -> tuple[str, list[_Span]]:
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
    starts: list[int] = []  # index into `lines` where each chapter begins
    for ch, body in zip(chapters, bodies):
        starts.append(len(lines))
        lines += _chapter_lines(ch, body, part_page=bool(ch.part and ch.part != part), number_sections=number_sections)
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
        ")",
    ]


def _chapter_lines(ch: Chapter, body: str, *, part_page: bool, number_sections: bool) -> list[str]:
    """A chapter's part page (when it opens a part), its numbering resets, heading and body."""
    lines = ["", f"// ---- {ch.slug} ({Path(ch.source).name})"]
    if part_page:
        lines.append(f"#part-page({typst_string(ch.part)})")
    if ch.number is not None:
        n = int(ch.number)
        lines += ['#set heading(numbering: "1.1")' if number_sections else "#set heading(numbering: none)",
                  f"#counter(heading).update({n - 1})",
                  f'#set figure(numbering: i => "{n}." + str(i))']
    else:
        lines += ["#set heading(numbering: none)", '#set figure(numbering: "1")']
    lines += ["#counter(figure.where(kind: image)).update(0)", "#counter(figure.where(kind: table)).update(0)"]
    label = f" #label({typst_string(ch.anchor)})" if ch.anchor else ""
    numbering = '"1"' if ch.number is not None else "none"
    return lines + [f"#heading(level: 1, numbering: {numbering}, {typst_string(ch.title)}){label}", "", body.rstrip("\n")]


def _spans(lines: list[str], starts: list[int], chapters: list[Chapter]) -> list[_Span]:
    """The main file's lines of each chapter; `starts` indexes `lines`, whose items may hold several lines."""
    numbers, lineno = [], 1
    for line in lines:
        numbers.append(lineno)
        lineno += line.count("\n") + 1
    bounds = [numbers[i] for i in starts] + [lineno]
    return [_Span(bounds[i], bounds[i + 1] - 1, ch) for i, ch in enumerate(chapters)]


_LOCATION = re.compile(r"┌─ (?P<file>.+?):(?P<line>\d+):(?P<col>\d+)")


def _compile(main: Path, *, date: dt.date | None, spans: list[_Span], out: Path) -> bytes:
    try:
        import typst
    except ImportError:
        raise PdfError("the PDF needs the typst compiler: pip install typst") from None

    stamp = (dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
             if date else dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc))
    try:
        pdf, warnings = typst.compile_with_warnings(
            str(main), root=Path(main.resolve().anchor), timestamp=stamp)
    except typst.TypstError as e:
        raise PdfError(_explain(e, main, spans, out)) from None
    for w in warnings:
        log.warning("typst: %s", _first_line(getattr(w, "diagnostic", "") or str(w)))
    return pdf


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
