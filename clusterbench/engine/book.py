"""The wheel-only engine: Quarto book chapters to `Chapter` objects ready for the HTML and PDF writers.

First every chapter is parsed and the chapters are numbered ("Chapter 4"). Each chapter is
executed once, and its outputs are assembled into Pandoc Markdown per target format, with
shortcodes replaced. `cross_reference` then reads every chapter with pandoc's reader and hands
the AST to `clusterbench.engine.crossref`, the one place where sections, figures and tables
are numbered and `@fig-...` references resolved, for both formats.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import astuple, dataclass
from pathlib import Path

import pandas as pd

from analysis.charts import export
from analysis.project import Project, lookup
from clusterbench.engine import crossref, execute, pandoc
from clusterbench.engine import parse as qmd
from clusterbench.engine.document import Chapter, Heading
from clusterbench.engine.parse import Cell, Document, Markdown, QmdError

_H1 = re.compile(r"^#\s+(.+?)\s*(\{([^}]*)\})?\s*$")
_SHORTCODE = re.compile(r"\{\{<\s*(var|meta)\s+([^>\s]+)\s*>\}\}")


@dataclass
class Target:
    """A reference target: where it lives and what it is called."""

    label: str
    chapter: int  # index in the book
    text: str  # "Figure 2.1", "Chapter 3", "Section 3.2"


@dataclass
class ParsedChapter:
    doc: Document
    slug: str
    title: str
    anchor: str
    number: int | None
    part: str | None
    body: list  # blocks without the H1
    title_key: int | None = None  # the block the H1 was in (inline values in the title are stored under it)
    title_source: str = ""
    appendix: bool = False
    classes: tuple[str, ...] = ()  # of the first-level heading


def slugify(text: str) -> str:
    """Pandoc's identifier for a heading without an explicit id (its `auto_identifiers` rules):
    letters, digits, '_', '-' and '.' are kept, spaces become '-', everything before the first
    letter goes."""
    s = re.sub(r"[^\w\s.-]", "", text.lower()).strip()
    s = re.sub(r"\s+", "-", s)
    return re.sub(r"^[^a-z]+", "", s) or "section"


def _plain(text: str) -> str:
    """Heading text as a reader sees it, for titles, navigation and search: links become their text,
    emphasis and code marks go, and backslash escapes (text from data, see `qmd.md_escape`) show their character."""
    text = re.sub(r"(?<!\\)\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\\([!-/:-@\[-`{-~])|[*_`]", lambda m: m.group(1) or "", text).strip()


def _unnumbered(attrs: str) -> bool:
    return ".unnumbered" in attrs or re.search(r"(^|\s)-(\s|$)", attrs) is not None


def _first_heading(doc: Document, first_md: Markdown | None) -> tuple[str | None, str, list]:
    """The chapter's first-level heading (its text and attributes) and the blocks after it."""
    if first_md is None:
        return None, "", list(doc.blocks)
    lines = first_md.text.split("\n")
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        m = _H1.match(line)
        if not m:
            break
        rest = Markdown("\n".join(lines[k + 1:]), first_md.line + k + 1, origin=first_md.line)
        return m.group(1).strip(), m.group(3) or "", [rest if b is first_md else b for b in doc.blocks]
    return None, "", list(doc.blocks)


def parse_book(project: Project) -> list[ParsedChapter]:
    """Parse every chapter and number its figures, tables and sections."""
    parsed: list[ParsedChapter] = []
    number = 0
    for index, ref in enumerate(project.chapters):
        doc = qmd.parse(ref.path, ref.text, profiles=project.profiles)
        first_md = next((b for b in doc.blocks if isinstance(b, Markdown) and b.text.strip()), None)
        title, attrs, body = _first_heading(doc, first_md)
        title = title or doc.meta.get("title")
        if not title:
            raise QmdError(ref.path, 1, "a chapter needs a title: a first-level heading '# Title {#sec-id}' or 'title:' in its front matter")
        ids = re.findall(r"#([\w-]+)", attrs)
        anchor = ids[0] if ids else f"sec-{slugify(title)}"
        unnumbered = _unnumbered(attrs)
        if not unnumbered:
            number += 1
        pc = ParsedChapter(doc, "index" if index == 0 else ref.path.stem, _plain(title), anchor,
                           None if unnumbered else number, ref.part, body,
                           title_key=first_md.line if first_md is not None else None, title_source=title,
                           appendix=ref.appendix, classes=tuple(re.findall(r"(?<![\w-])\.([\w-]+)", attrs)))
        parsed.append(pc)
    return parsed


# --- assembling one chapter for one target ------------------------------------------


@dataclass
class Assembly:
    """Everything the build needs back from one chapter in one target."""

    markdown: str  # Pandoc Markdown, references not yet resolved (`cross_reference` does that)
    figures: dict[str, pd.DataFrame]  # figure label -> the table the chart shows (for CSV downloads)
    files: dict[str, bytes]  # relative path -> content (images for the HTML site)
    data_files: list[str]
    title: str  # the chapter title, with any inline values in it


class Book:
    """The parsed book plus the lookups shortcodes and references need."""

    def __init__(self, project: Project, chapters: list[ParsedChapter]):
        self.project = project
        self.chapters = chapters
        self.by_path = {pc.doc.path.resolve(): k for k, pc in enumerate(chapters)}
        # (folder, linked file) -> chapter index or None: resolving a path asks the file system, and
        # thousands of profile pages link the same few chapters
        self._linked: dict[tuple[Path, str], int | None] = {}

    def href(self, label: str, chapter: int, here: int, target: str) -> str:
        if target == "html":
            pc = self.chapters[chapter]
            page = "" if chapter == here else f"{pc.slug}.html"
            return page if label == pc.anchor and page else f"{page}#{label}"
        return f"#{label}"

    def chapter_href(self, here: int, target: str):
        """Where a link to another chapter's file (`[text](02-x.qmd#sec-a)`, as Quarto writes it) goes."""
        here_dir = self.chapters[here].doc.path.parent

        def href(file: str, fragment: str) -> str | None:
            if (here_dir, file) not in self._linked:
                self._linked[here_dir, file] = self.by_path.get((here_dir / file).resolve())
            index = self._linked[here_dir, file]
            if index is None:
                return None
            pc = self.chapters[index]
            if target == "html":
                return ("" if index == here and fragment else f"{pc.slug}.html") + fragment
            return fragment or f"#{pc.anchor}"

        return href

    def shortcodes(self, text: str, here: int, path: Path, first_line: int) -> str:
        """Replace `{{< var ... >}}` and `{{< meta ... >}}` shortcodes in Markdown text."""
        def shortcode(m: re.Match) -> str:
            kind, key = m.group(1), m.group(2).strip("\"'")
            value = lookup(self.project.variables, key) if kind == "var" else (
                lookup(self.chapters[here].doc.meta, key) or self.project.meta(key))
            if value is None:
                line = first_line + text[: m.start()].count("\n")
                raise QmdError(path, line, f"{{{{< {kind} {key} >}}}} has no value ({'_variables.yml' if kind == 'var' else 'front matter or _quarto.yml'})")
            return str(value)

        return _SHORTCODE.sub(shortcode, text)


def _source_line(pc: ParsedChapter, needle: str) -> int:
    """The first line of a chapter's source that holds `needle` (for messages about the AST, which has no lines)."""
    for n, line in enumerate(pc.doc.source.split("\n"), start=1):
        if needle in line:
            return n
    return 1


def _targets(book: Book, numbered: list[crossref.Numbered]) -> dict[str, Target]:
    """Every reference target of the book: the chapters and what `crossref.number` found in them."""
    targets: dict[str, Target] = {}
    for index, pc in enumerate(book.chapters):
        chapter_word = crossref.NAMES.get(str(book.project.config.get("lang") or "en"), crossref.NAMES["en"])["ch"]
        found = {pc.anchor: f"{chapter_word} {pc.number}" if pc.number is not None else pc.title, **numbered[index].targets}
        for label, text in found.items():
            if label in targets:
                other = book.chapters[targets[label].chapter].doc.path.name
                raise QmdError(pc.doc.path, _source_line(pc, f"#{label}") if label != pc.anchor else 1,
                               f"label '{label}' is already used in {other}")
            targets[label] = Target(label, index, text)
    return targets


def cross_reference(book: Book, assemblies: list[Assembly], target: str) -> list[Chapter]:
    """Read every assembled chapter with pandoc, number it and resolve its references: the chapters for one writer."""
    try:
        texts = crossref.read_many_json([a.markdown for a in assemblies], target)
    except pandoc.PandocError as e:
        if e.index is None:  # pandoc itself failed, not one chapter
            raise
        raise QmdError(book.chapters[e.index].doc.path, 1, f"pandoc could not read the chapter: {e}") from None
    lang = str(book.project.config.get("lang") or "en")
    # Two passes with one parsed AST at a time: the first numbers every chapter to learn the book's targets,
    # the second numbers each again and resolves its references. Keeping every AST parsed between the two
    # took gigabytes in a book of thousands of pages.
    numbered = [_numbered(text, pc.number, lang) for text, pc in zip(texts, book.chapters)]
    targets = _targets(book, numbered)
    chapters = []
    for index, (pc, assembly) in enumerate(zip(book.chapters, assemblies)):
        resolved = _resolved(pc, texts[index], lang, target, _Refs(book, targets, index, target),
                             book.chapter_href(index, target))
        chapters.append(to_chapter(pc, {target: resolved}, numbered[index].headings, assembly.title))
    return chapters


# Numbering and resolving a chapter are pure functions of its AST and of what it looks up, so a rebuild
# finds them in the pandoc cache (a data edit changes a few chapters of a book of thousands of pages).
_CROSSREF_CODE = hashlib.sha256(Path(crossref.__file__).read_bytes()).hexdigest()


def _numbered(text: str, number: int | None, lang: str) -> crossref.Numbered:
    """`crossref.number` of one chapter's AST (pandoc's JSON text): its targets and headings."""
    key = "\0".join([_CROSSREF_CODE, str(number), lang, text])
    kept = pandoc.recall("numbered", key)
    if kept is not None:
        found = json.loads(kept)
        return crossref.Numbered(found["targets"], [Heading(*h) for h in found["headings"]])
    found = crossref.number(json.loads(text), number, lang)
    pandoc.remember("numbered", key, json.dumps({"targets": found.targets, "headings": [astuple(h) for h in found.headings]},
                                                ensure_ascii=False))
    return found


def _resolved(pc: ParsedChapter, text: str, lang: str, target: str, refs: Mapping, chapter_href) -> str:
    """One chapter's AST numbered, its references and chapter links resolved, as JSON text. Kept with every
    label and link it looked up and where each led, and taken from the cache only while each still leads there."""
    key = "\0".join([_CROSSREF_CODE, str(pc.number), lang, target, text])
    kept = pandoc.recall("resolved", key)
    if kept is not None:
        head, _, resolved = kept.partition("\n")
        looked = json.loads(head)
        if (all(_lookup(refs, label) == tuple(found) for label, found in looked["refs"].items())
                and all(chapter_href(file, fragment) == href for file, fragment, href in looked["links"])):
            return resolved
    ast = json.loads(text)
    crossref.number(ast, pc.number, lang)
    labels, links = _Looked(refs), []

    def link(file: str, fragment: str) -> str | None:
        links.append((file, fragment, chapter_href(file, fragment)))
        return links[-1][2]

    missing = crossref.resolve(ast, labels, link)
    if missing.labels:
        label = missing.labels[0]
        raise QmdError(pc.doc.path, _source_line(pc, f"@{label}"), f"unresolved cross-reference @{label}")
    if missing.links:
        file = missing.links[0]
        raise QmdError(pc.doc.path, _source_line(pc, f"]({file}"), f"link to {file}, which is not a chapter of this book")
    resolved = json.dumps(ast, ensure_ascii=False)  # no line breaks: JSON escapes them inside strings
    pandoc.remember("resolved", key, json.dumps({"refs": labels.seen, "links": links}, ensure_ascii=False) + "\n" + resolved)
    return resolved


def _lookup(refs: Mapping, label: str) -> tuple | None:
    try:
        return tuple(refs[label])
    except KeyError:
        return None


class _Looked(Mapping):
    """`refs` as `crossref.resolve` reads it, remembering each label it looked up and what it found."""

    def __init__(self, refs: Mapping):
        self.refs, self.seen = refs, {}

    def __getitem__(self, label: str) -> tuple:
        self.seen[label] = tuple(self.refs[label])
        return self.seen[label]

    def __iter__(self):
        return iter(self.refs)

    def __len__(self) -> int:
        return len(self.refs)


class _Refs(Mapping):
    """Every target's text and href as one chapter links to it, each href worked out only when the chapter
    cites that label: building them all for every chapter made a book of thousands of profiles quadratic."""

    def __init__(self, book: Book, targets: dict, index: int, target: str):
        self.book, self.targets, self.index, self.target = book, targets, index, target

    def __getitem__(self, label: str) -> tuple[str, str]:
        t = self.targets[label]
        return t.text, self.book.href(label, t.chapter, self.index, self.target)

    def __iter__(self):
        return iter(self.targets)

    def __len__(self) -> int:
        return len(self.targets)


def _inline(text: str, values: dict[str, str]) -> str:
    """Inline expressions replaced by their values, each found by its own text (never by position)."""
    return qmd.INLINE_CODE.sub(lambda m: values[m.group(1).strip()], text)


def assemble(book: Book, index: int, executed: execute.Executed, target: str, *, figure_dir: Path) -> Assembly:
    """Turn a chapter's blocks and outputs into Pandoc Markdown for one target."""
    pc = book.chapters[index]
    path = pc.doc.path
    echo_default = book.project.config.get("execute", {}).get("echo", True)
    parts: list[str] = []
    figures: dict[str, pd.DataFrame] = {}
    files: dict[str, bytes] = {}
    # Keyed by line: executions come back from worker processes as copies of the cells.
    outputs = {o.cell.line: o for o in executed.outputs}
    for block in pc.body:
        if isinstance(block, Markdown):
            text = _inline(block.text, executed.inline.get(block.key, {}))
            parts.append(book.shortcodes(text, index, path, block.line))
            continue
        opts = block.options
        if opts.get("include") is False:
            continue
        if opts.get("echo", echo_default) is True:
            parts.append(f"```python\n{block.code}\n```")
        if opts.get("output", True) is False:
            continue
        out = outputs.get(block.line)
        pieces = _outputs_to_markdown(out.items if out else [], block, target, path, figure_dir, files, figures)
        label = block.label or ""
        if label.startswith("fig-"):
            caption = book.shortcodes(str(opts.get("fig-cap", "")), index, path, block.line)
            parts.append(_figure(label, caption, str(opts.get("fig-alt", "")), pieces, target))
        elif label.startswith("tbl-"):
            caption = book.shortcodes(str(opts.get("tbl-cap", "")), index, path, block.line)
            body = "\n\n".join(p for kind, p in pieces)
            parts.append(f"::: {{#{label}}}\n\n{body}\n\n: {caption}\n\n:::")
        else:
            parts.extend(p for kind, p in pieces)
    markdown = qmd.apply_conditions("\n\n".join(parts), profiles=book.project.profiles, target=target)
    title = _plain(_inline(pc.title_source, executed.inline.get(pc.title_key, {}))) if pc.title_key is not None else pc.title
    return Assembly(markdown, figures, files, executed.data_files, title)


_RAW = re.compile(r"^```\{=(html|typst)\}\n(.*?)\n```$", re.S | re.M)
_SPEC = re.compile(r'<script type="application/json" id="spec-([^"]*)">(.*?)</script>', re.S)


def raw_blocks(markdown: str, fmt: str) -> list[str]:
    """The contents of the raw blocks for one format in a Markdown output."""
    return [m.group(2) for m in _RAW.finditer(markdown) if m.group(1) == fmt]


def chart_tables(html: str) -> dict[str, pd.DataFrame]:
    """Chart id -> the table the chart shows, for every chart spec in a piece of HTML."""
    tables = {}
    for m in _SPEC.finditer(html):
        table = export.table_from_spec(json.loads(m.group(2).replace("<\\/", "</")))
        if table is not None:
            tables[m.group(1)] = table
    return tables


def _outputs_to_markdown(items: list[dict], cell: Cell, target: str, path: Path, figure_dir: Path,
                         files: dict[str, bytes], figures: dict) -> list[tuple[str, str]]:
    """(kind, markdown) for each output; kind is 'html', 'image', 'markdown' or 'text'."""
    out: list[tuple[str, str]] = []
    stem = cell.label or f"cell-{cell.line}"
    for n, item in enumerate(items):
        kind = item.get("output_type")
        if kind == "stream":
            if item.get("name") == "stderr" and cell.options.get("warning", True) is False:
                continue
            text = item.get("text", "").rstrip("\n")
            if text:
                out.append(("text", f"```\n{text}\n```"))
            continue
        if kind not in ("display_data", "execute_result"):
            continue
        data = item.get("data", {})
        if "text/markdown" in data:
            markdown = data["text/markdown"]
            if target == "html":
                for html in raw_blocks(markdown, "html"):
                    figures.update(chart_tables(html))
            out.append(("markdown", markdown))
        elif "text/html" in data or "application/javascript" in data:
            raise QmdError(path, cell.line, f"cell '{stem}' displays HTML or JavaScript; chapter cells display Markdown only "
                                            "(Quarto would pull scripts from a CDN into the page): use ctx.md, ctx.table or a chart")
        elif "image/svg+xml" in data or "image/png" in data:
            ext = "svg" if "image/svg+xml" in data else "png"
            raw = data["image/svg+xml"].encode("utf-8") if ext == "svg" else base64.b64decode(data["image/png"])
            name = f"{stem}-{n}.{ext}" if n else f"{stem}.{ext}"
            if target == "html":
                files[f"figures/{name}"] = raw
                out.append(("image", f"figures/{name}"))
            else:
                figure_dir.mkdir(parents=True, exist_ok=True)
                (figure_dir / name).write_bytes(raw)
                out.append(("image", str(figure_dir / name)))
        elif "text/plain" in data and kind == "execute_result":
            out.append(("text", f"```\n{data['text/plain']}\n```"))
    return out


def _figure(label: str, caption: str, alt: str, pieces: list[tuple[str, str]], target: str) -> str:
    """A Quarto figure div: the chart's raw block for this format (or the images), then the caption.
    The writers' filters make the figure; `crossref` numbers it."""
    images = [p for kind, p in pieces if kind == "image"]
    raws = [raw for kind, p in pieces if kind == "markdown" for raw in raw_blocks(p, target)]
    if not raws and not images:
        return "\n\n".join(p for _, p in pieces)
    alt_attr = ' fig-alt="{}"'.format(alt.replace("\\", "\\\\").replace('"', '\\"')) if alt else ""
    body = [f"```{{={target}}}\n{raw}\n```" for raw in raws] + [f"![]({src})" for src in images]
    # Markdown beside the raw blocks (a chart's source line) stays in the figure, under the chart
    body += [rest for kind, p in pieces if kind == "markdown" for rest in [_RAW.sub("", p).strip()] if rest]
    return "\n\n".join([f"::: {{#{label}{alt_attr}}}", *body, caption, ":::"])


def content_hash(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def to_chapter(pc: ParsedChapter, ast: dict[str, str], headings: list[Heading], title: str | None = None) -> Chapter:
    return Chapter(source=pc.doc.path, slug=pc.slug, title=title or pc.title, anchor=pc.anchor, number=pc.number,
                   part=pc.part, ast=ast, headings=headings,
                   description=str(pc.doc.meta.get("description", "")), appendix=pc.appendix, classes=pc.classes)
