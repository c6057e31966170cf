"""The wheel-only engine: Quarto book chapters to `Chapter` objects ready for the HTML and PDF writers.

Two passes. First every chapter is parsed and every label (`fig-`, `tbl-`, `sec-`)
is numbered the way a Quarto book numbers it ("Figure 2.1", "Section 3.2",
"Chapter 4"). Then each chapter is executed once per target format and its
outputs are turned into Pandoc Markdown, with shortcodes and cross-references
resolved, so that pandoc never sees an `@fig-...` (it would read it as a citation).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from markupsafe import escape

from analysis.charts import export
from analysis.project import Project, lookup
from clusterbench.engine import execute
from clusterbench.engine import parse as qmd
from clusterbench.engine.document import Chapter, Heading
from clusterbench.engine.parse import Cell, Document, Markdown, QmdError

_H1 = re.compile(r"^#\s+(.+?)\s*(\{([^}]*)\})?\s*$")
_HEADING = re.compile(r"^(#{2,6})\s+(.+?)\s*(\{([^}]*)\})?\s*$")
_LABEL = re.compile(r"\{[^}]*#((?:fig|tbl|sec)-[\w-]+)[^}]*\}")
_REF = re.compile(r"(?<![\w@/\\])(-?)@((?:fig|tbl|sec)-[\w-]*[\w])")
_SHORTCODE = re.compile(r"\{\{<\s*(var|meta)\s+([^>\s]+)\s*>\}\}")
#: Links to another chapter's source file, as Quarto writes them: [text](other.qmd#anchor).
_CHAPTER_LINK = re.compile(r"\]\((?!https?:|#|mailto:)([^)\s#]+\.(?:qmd|md))(#[\w-]+)?\)")
KIND_NAMES = {"fig": "Figure", "tbl": "Table"}


@dataclass
class Target:
    """A reference target: where it lives and what it is called."""

    label: str
    chapter: int  # index in the book
    text: str  # "Figure 2.1", "Chapter 3", "Section 3.2"
    line: int


@dataclass
class ParsedChapter:
    doc: Document
    slug: str
    title: str
    anchor: str
    number: int | None
    part: str | None
    body: list  # blocks without the H1
    targets: dict[str, Target] = field(default_factory=dict)
    title_key: int | None = None  # the block the H1 was in (inline values in the title are stored under it)
    title_source: str = ""


def slugify(text: str) -> str:
    """Pandoc-style identifier for a heading without an explicit id."""
    s = re.sub(r"[^\w\s-]", "", text.lower()).strip()
    s = re.sub(r"\s+", "-", s)
    return s.lstrip("0123456789-") or "section"


def _plain(text: str) -> str:
    """Heading text as a reader sees it, for titles, navigation and search: links become their text,
    emphasis and code marks go, and backslash escapes (text from data, see `qmd.md_escape`) show their character."""
    text = re.sub(r"(?<!\\)\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\\([!-/:-@\[-`{-~])|[*_`]", lambda m: m.group(1) or "", text).strip()


def _callout_titles(lines: list[str]) -> set[int]:
    """Indexes of headings that open a callout: they are its title, not a section (as in Quarto)."""
    titles, opened = set(), False
    for k, line in enumerate(lines):
        if re.match(r"^:{3,}\s*\{[^}]*\.callout-", line) or re.match(r"^:{3,}\s*callout-", line):
            opened = True
            continue
        if opened and line.strip():
            if _HEADING.match(line):
                titles.add(k)
            opened = False
    return titles


def _unnumbered(attrs: str) -> bool:
    return ".unnumbered" in attrs or re.search(r"(^|\s)-(\s|$)", attrs) is not None


def parse_book(project: Project) -> list[ParsedChapter]:
    """Parse every chapter and number its figures, tables and sections."""
    parsed: list[ParsedChapter] = []
    number = 0
    for index, ref in enumerate(project.chapters):
        doc = qmd.parse(ref.path, ref.text, profiles=project.profiles)
        first_md = next((b for b in doc.blocks if isinstance(b, Markdown) and b.text.strip()), None)
        title, anchor, unnumbered, body = None, None, False, list(doc.blocks)
        if first_md is not None:
            lines = first_md.text.split("\n")
            for k, line in enumerate(lines):
                if not line.strip():
                    continue
                m = _H1.match(line)
                if m:
                    title = m.group(1).strip()
                    attrs = m.group(3) or ""
                    ids = re.findall(r"#([\w-]+)", attrs)
                    anchor = ids[0] if ids else None
                    unnumbered = _unnumbered(attrs)
                    rest = "\n".join(lines[k + 1:])
                    body = [Markdown(rest, first_md.line + k + 1, origin=first_md.line) if b is first_md else b for b in doc.blocks]
                break
        title = title or doc.meta.get("title")
        if not title:
            raise QmdError(ref.path, 1, "a chapter needs a title: a first-level heading '# Title {#sec-id}' or 'title:' in its front matter")
        slug = "index" if index == 0 else ref.path.stem
        anchor = anchor or f"sec-{slugify(title)}"
        if not unnumbered:
            number += 1
        pc = ParsedChapter(doc, slug, _plain(title), anchor, None if unnumbered else number, ref.part, body,
                           title_key=first_md.line if first_md is not None else None, title_source=title)
        pc.targets[anchor] = Target(anchor, index, f"Chapter {number}" if not unnumbered else _plain(title), 1)
        _number_labels(pc, index)
        parsed.append(pc)
    seen: dict[str, Path] = {}
    for pc in parsed:
        for label, target in pc.targets.items():
            if label in seen:
                raise QmdError(pc.doc.path, target.line, f"label '{label}' is already used in {seen[label].name}")
            seen[label] = pc.doc.path
    return parsed


def _number_labels(pc: ParsedChapter, index: int) -> None:
    counters = {"fig": 0, "tbl": 0}
    sections = [0, 0]
    prefix = f"{pc.number}." if pc.number is not None else ""
    for block in pc.body:
        if isinstance(block, Cell):
            label = block.label
            if label and label.split("-")[0] in counters:
                kind = label.split("-")[0]
                counters[kind] += 1
                pc.targets[label] = Target(label, index, f"{KIND_NAMES[kind]} {prefix}{counters[kind]}", block.line)
            continue
        lines = block.text.split("\n")
        callout_titles = _callout_titles(lines)
        for offset, line in enumerate(lines):
            m = _HEADING.match(line)
            if m and len(m.group(1)) in (2, 3):
                level = len(m.group(1))
                if offset in callout_titles or _unnumbered(m.group(4) or ""):  # the writers leave these without a number too
                    continue
                if level == 2:
                    sections = [sections[0] + 1, 0]
                else:
                    sections[1] += 1
                ids = re.findall(r"#([\w-]+)", m.group(4) or "")
                if ids and ids[0].startswith("sec-"):
                    num = f"{pc.number}.{sections[0]}" + (f".{sections[1]}" if level == 3 else "")
                    text = f"Section {num}" if pc.number is not None else _plain(m.group(2))
                    pc.targets[ids[0]] = Target(ids[0], index, text, block.line + offset)
                continue
            for label in _LABEL.findall(line):
                kind = label.split("-")[0]
                if kind in counters:
                    counters[kind] += 1
                    pc.targets[label] = Target(label, index, f"{KIND_NAMES[kind]} {prefix}{counters[kind]}", block.line + offset)


# --- assembling one chapter for one target ------------------------------------------


@dataclass
class Assembly:
    """Everything the build needs back from one chapter in one target."""

    markdown: str
    headings: list[Heading]
    figures: dict[str, pd.DataFrame]  # figure label -> the table the chart shows (for CSV downloads)
    files: dict[str, bytes]  # relative path -> content (images for the HTML site)
    data_files: list[str]
    title: str  # the chapter title, with any inline values in it


class Book:
    """The parsed book plus the lookups shortcodes and references need."""

    def __init__(self, project: Project, chapters: list[ParsedChapter]):
        self.project = project
        self.chapters = chapters
        self.targets = {label: t for pc in chapters for label, t in pc.targets.items()}
        self.by_path = {pc.doc.path.resolve(): k for k, pc in enumerate(chapters)}

    def href(self, label: str, here: int, target: str) -> str:
        t = self.targets[label]
        if target == "html":
            pc = self.chapters[t.chapter]
            page = "" if t.chapter == here else f"{pc.slug}.html"
            return page if label == pc.anchor and page else f"{page}#{label}"
        return f"#{label}"

    def resolve(self, text: str, here: int, target: str, path: Path, first_line: int) -> str:
        """Replace shortcodes and `@fig-...` references in Markdown text."""
        def shortcode(m: re.Match) -> str:
            kind, key = m.group(1), m.group(2).strip("\"'")
            value = lookup(self.project.variables, key) if kind == "var" else (
                lookup(self.chapters[here].doc.meta, key) or self.project.meta(key))
            if value is None:
                line = first_line + text[: m.start()].count("\n")
                raise QmdError(path, line, f"{{{{< {kind} {key} >}}}} has no value ({'_variables.yml' if kind == 'var' else 'front matter or _quarto.yml'})")
            return str(value)

        text = _SHORTCODE.sub(shortcode, text)

        def ref(m: re.Match) -> str:
            label = m.group(2)
            if label not in self.targets:
                line = first_line + text[: m.start()].count("\n")
                raise QmdError(path, line, f"unresolved cross-reference @{label}")
            name = self.targets[label].text
            if m.group(1) == "-":  # "[-@fig-x]" style: number only
                name = name.split(" ", 1)[-1]
            return f"[{name}]({self.href(label, here, target)})"

        here_dir = self.chapters[here].doc.path.parent

        def link(m: re.Match) -> str:
            target_path = (here_dir / m.group(1)).resolve()
            pc_index = self.by_path.get(target_path)
            if pc_index is None:
                line = first_line + text[: m.start()].count("\n")
                raise QmdError(path, line, f"link to {m.group(1)}, which is not a chapter of this book")
            pc = self.chapters[pc_index]
            frag = m.group(2) or ""
            if target == "html":
                page = "" if pc_index == here and frag else f"{pc.slug}.html"
                return f"]({page}{frag})"
            return f"](#{frag[1:] if frag else pc.anchor})"

        out_lines = []
        in_code = False
        for line in text.split("\n"):
            if line.lstrip().startswith(("```", "~~~")):
                in_code = not in_code
            out_lines.append(line if in_code else _CHAPTER_LINK.sub(link, _REF.sub(ref, line)))
        return "\n".join(out_lines)


def _headings(markdown: str) -> tuple[str, list[Heading]]:
    """Give every level 2-3 heading an explicit id (pandoc then uses it) and list them."""
    out, found, used = [], [], set()
    in_code = False
    lines = markdown.split("\n")
    callout_titles = _callout_titles(lines)
    for k, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        m = None if in_code or k in callout_titles else _HEADING.match(line)
        if m and len(m.group(1)) in (2, 3):
            attrs = m.group(4) or ""
            ids = re.findall(r"#([\w-]+)", attrs)
            anchor = ids[0] if ids else slugify(_plain(m.group(2)))
            base, n = anchor, 1
            while anchor in used:
                n += 1
                anchor = f"{base}-{n}"
            used.add(anchor)
            if not ids:
                attrs = (attrs + f" #{anchor}").strip()
            line = f"{m.group(1)} {m.group(2)} {{{attrs}}}"
            found.append(Heading(len(m.group(1)), anchor, _plain(m.group(2))))
        out.append(line)
    return "\n".join(out), found


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
            parts.append(book.resolve(text, index, target, path, block.line))
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
        label = block.label
        if label and label in pc.targets and label.startswith("fig-"):
            caption = book.resolve(str(opts.get("fig-cap", "")), index, target, path, block.line)
            parts.append(_figure(label, pc.targets[label].text, caption, str(opts.get("fig-alt", "")), pieces, target))
        elif label and label in pc.targets and label.startswith("tbl-"):
            caption = book.resolve(str(opts.get("tbl-cap", "")), index, target, path, block.line)
            body = "\n\n".join(p for kind, p in pieces)
            shown = f"{pc.targets[label].text}: {caption}" if target == "html" else caption
            parts.append(f"::: {{#{label}}}\n\n{body}\n\n: {shown}\n\n:::")
        else:
            parts.extend(p for kind, p in pieces)
    markdown = qmd.apply_conditions("\n\n".join(parts), profiles=book.project.profiles, target=target)
    markdown, headings = _headings(markdown)
    title = _plain(_inline(pc.title_source, executed.inline.get(pc.title_key, {}))) if pc.title_key is not None else pc.title
    return Assembly(markdown, headings, figures, files, executed.data_files, title)


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


def _figure(label: str, number: str, caption: str, alt: str, pieces: list[tuple[str, str]], target: str) -> str:
    images = [p for kind, p in pieces if kind == "image"]
    raws = [raw for kind, p in pieces if kind == "markdown" for raw in raw_blocks(p, "html" if target == "html" else "typst")]
    if target == "html":
        inner = "\n".join(raws)
        inner += "".join(f'<img src="{src}" alt="{escape(alt or caption)}">' for src in images)
        caption_html = _md_inline_html(caption)
        return (f'```{{=html}}\n<figure class="cb-figure" id="{label}">{inner}'
                f'<figcaption><span class="cb-figure-number">{number}:</span> {caption_html}</figcaption></figure>\n```')
    if raws:
        body = "\n\n".join(f"```{{=typst}}\n{raw}\n```" for raw in raws)
        return f"::: {{#{label}}}\n\n{body}\n\n{caption}\n\n:::"
    if not images:
        return "\n\n".join(p for _, p in pieces)
    alt_attr = f' fig-alt="{alt}"' if alt else ""
    return f"![{caption}]({images[0]}){{#{label}{alt_attr}}}"


def _md_inline_html(text: str) -> str:
    """A caption's inline Markdown (links, emphasis) as HTML, without the paragraph around it."""
    from clusterbench.engine.html import inline_markdown_html

    return inline_markdown_html(text).removeprefix("<p>").removesuffix("</p>")


def content_hash(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


def to_chapter(pc: ParsedChapter, markdown: dict[str, str], headings: list[Heading], title: str | None = None) -> Chapter:
    return Chapter(source=pc.doc.path, slug=pc.slug, title=title or pc.title, anchor=pc.anchor, number=pc.number,
                   part=pc.part, markdown=markdown, headings=headings,
                   description=str(pc.doc.meta.get("description", "")))
