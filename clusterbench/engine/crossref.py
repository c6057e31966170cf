"""Numbering and cross-references, on pandoc's AST, for both formats.

Each assembled chapter is read once by pandoc's Markdown reader (`read`), so headings get
pandoc's own identifiers and code blocks are never mistaken for text. `number` then numbers
the chapter's sections, figures and tables the way a Quarto book does ("Section 2.1",
"Figure 2.1", "Table 2.1") and writes each number into the element's `number` attribute,
which is all the writers print: the HTML filter (`html/site.lua`) and the Typst filter
(`typst/filter.lua`) show that attribute and count nothing themselves. `resolve` replaces
`@fig-...` references (pandoc reads them as citations) and links to other chapters' `.qmd`
files with links to their targets.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator, Mapping

from clusterbench.engine import pandoc
from clusterbench.engine.document import Heading

#: Pandoc's Markdown reader per target. The PDF reads raw HTML and TeX as text (pandoc's Typst
#: writer would drop them silently), so "<script>" or "\\cmd" taken from data prints as it is.
READERS = {"html": "markdown", "typst": "markdown-raw_html-raw_tex"}
KIND_NAMES = {"fig": "Figure", "tbl": "Table", "sec": "Section"}
#: What references and captions call each kind, per language, as Quarto's language files do (`lang: ru`:
#: "Рисунок 4.1", "Таблица 4.1", "Раздел 4.1", "Глава 4").
NAMES = {"en": {**KIND_NAMES, "ch": "Chapter"}, "ru": {"fig": "Рисунок", "tbl": "Таблица", "sec": "Раздел", "ch": "Глава"}}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CHAPTER_FILE = re.compile(r"^(?!https?:|mailto:|#)([^#?]+\.(?:qmd|md))(#.*)?$")


def read(markdown: str, target: str) -> dict:
    """Pandoc's AST (as JSON data) of one chapter's Markdown for one target."""
    return json.loads(read_many_json([markdown], target)[0])


def read_many_json(markdowns: list[str], target: str) -> list[str]:
    """`read` for each chapter, in batches (pandoc.convert_many), each AST left as pandoc's JSON text (a fraction
    of the memory the parsed AST takes); PandocError.index names the failing one."""
    texts = [strip_comments(m) if target == "typst" else m for m in markdowns]
    return pandoc.convert_many([pandoc.Conversion(text, READERS[target], "json") for text in texts], kind="ast")


def strip_comments(markdown: str) -> str:
    """HTML comments removed outside fenced code blocks (in the PDF, raw HTML is text)."""
    if "<!--" not in markdown:
        return markdown
    parts: list[str] = []
    prose: list[str] = []
    fence: str | None = None
    for line in markdown.splitlines(keepends=True):
        m = _FENCE.match(line)
        if fence is None and m:
            parts.append(_COMMENT.sub("", "".join(prose)))
            prose, fence = [], m.group(1)
            parts.append(line)
        elif fence is not None:
            parts.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line.strip()[len(m.group(1)):]:
                fence = None
        else:
            prose.append(line)
    parts.append(_COMMENT.sub("", "".join(prose)))
    return "".join(parts)


# --- walking the AST ---------------------------------------------------------------------


def _children(block: dict) -> list[list]:
    """The block lists directly inside a block (not inside tables: their cells hold no targets)."""
    t, c = block["t"], block.get("c")
    if t == "Div":
        return [c[1]]
    if t == "BlockQuote":
        return [c]
    if t == "BulletList":
        return list(c)
    if t == "OrderedList":
        return list(c[1])
    if t == "Figure":
        return [c[2]]
    if t == "DefinitionList":
        return [blocks for _, definitions in c for blocks in definitions]
    return []


def _walk(blocks: list, parent: dict | None = None) -> Iterator[tuple[dict, dict | None, int]]:
    """Every block in reading order, with the block it sits in and its position there."""
    for k, block in enumerate(blocks):
        yield block, parent, k
        for inner in _children(block):
            yield from _walk(inner, block)


def plain(inlines: list) -> str:
    """Inlines as a reader sees the text (for navigation, search and reference texts)."""
    out = []
    for el in inlines:
        t, c = el["t"], el.get("c")
        if t in ("Str",):
            out.append(c)
        elif t in ("Space", "SoftBreak", "LineBreak"):
            out.append(" ")
        elif t in ("Code", "Math"):
            out.append(c[1])
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            out.append(plain(c))
        elif t in ("Span", "Link", "Image", "Cite"):
            out.append(plain(c[1]))
        elif t == "Quoted":
            left, right = ("\u201c", "\u201d") if c[0]["t"] == "DoubleQuote" else ("\u2018", "\u2019")
            out.append(left + plain(c[1]) + right)
    return "".join(out).strip()


def _inlines(text: str) -> list:
    words = text.split(" ")
    out: list = []
    for k, word in enumerate(words):
        if k:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out


def _is_callout_title(parent: dict | None, position: int) -> bool:
    """A heading that opens a callout is its title, not a section (as in Quarto)."""
    if parent is None or parent["t"] != "Div" or position != 0:
        return False
    _, classes, attributes = parent["c"][0]
    return any(c.startswith("callout") for c in classes) and "title" not in dict(attributes)


# --- numbering -----------------------------------------------------------------------------


@dataclass
class Numbered:
    """What numbering one chapter found: its reference targets and its headings."""

    targets: dict[str, str] = field(default_factory=dict)  # label -> "Figure 2.1", "Section 2.1"
    headings: list[Heading] = field(default_factory=list)


def number(ast: dict, chapter: int | None, lang: str = "en") -> Numbered:
    """Number the sections (level 2 and deeper), figures and tables of one chapter, in place.

    Sections of an unnumbered chapter stay unnumbered (a reference to one shows its title);
    its figures and tables are numbered 1, 2, ... without a chapter prefix.
    """
    found = Numbered()
    names = NAMES.get(lang, NAMES["en"])
    counters = {"fig": 0, "tbl": 0}
    sections: list[int] = []
    prefix = f"{chapter}." if chapter is not None else ""
    for block, parent, position in _walk(ast["blocks"]):
        t = block["t"]
        if t == "Header" and block["c"][0] >= 2 and not _is_callout_title(parent, position):
            level, (ident, classes, attributes), inlines = block["c"]
            text, num = plain(inlines), ""
            if chapter is not None and "unnumbered" not in classes:
                depth = level - 1
                sections = (sections + [0] * depth)[:depth]
                sections[-1] += 1
                num = ".".join(str(n) for n in [chapter, *sections])
                attributes.append(["number", num])
            found.headings.append(Heading(level, ident, text, num))
            if ident.startswith("sec-"):
                found.targets[ident] = f"{names['sec']} {num}" if num else text
        elif t in ("Div", "Table", "Figure"):
            ident, _, attributes = block["c"][0]
            kind = ident.split("-", 1)[0] if "-" in ident else ""
            if kind in counters:
                counters[kind] += 1
                num = f"{prefix}{counters[kind]}"
                attributes.append(["number", num])
                if lang != "en":  # the caption's prefix in the page's language (the writers' default is English)
                    attributes.append(["caption-prefix", names[kind]])
                found.targets[ident] = f"{names[kind]} {num}"
    return found


# --- references --------------------------------------------------------------------------


@dataclass
class Unresolved:
    """References and chapter links `resolve` could not follow (the caller reports them with lines)."""

    labels: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)


def resolve(ast: dict, refs: Mapping[str, tuple[str, str]], chapter_href: Callable[[str, str], str | None]) -> Unresolved:
    """Replace cross-references and links to chapter files, in place.

    `refs` maps a label to its text and href ("Figure 2.1", "02-x.html#fig-a"); `chapter_href`
    maps a linked file and fragment ("02-x.qmd", "#sec-a") to an href, or None when the file is
    not a chapter. Citations that are not cross-references stay as the text they were written as.
    """
    missing = Unresolved()

    def inlines(items: list) -> list:
        out = []
        for el in items:
            if el["t"] == "Cite":
                out.extend(_reference(el, refs, missing))
                continue
            if el["t"] == "Link":
                m = _CHAPTER_FILE.match(el["c"][2][0])
                if m:
                    href = chapter_href(m.group(1), m.group(2) or "")
                    if href is None:
                        missing.links.append(m.group(1))
                    else:
                        el["c"][2][0] = href
            if "c" in el:
                el["c"] = _map_inlines(el["c"], inlines)
            out.append(el)
        return out

    ast["blocks"] = _map_inlines(ast["blocks"], inlines)
    return missing


def _reference(cite: dict, refs: Mapping[str, tuple[str, str]], missing: Unresolved) -> list:
    citations, written = cite["c"]
    if not all(c["citationId"].split("-", 1)[0] in KIND_NAMES and "-" in c["citationId"] for c in citations):
        return written
    out: list = []
    for k, c in enumerate(citations):
        label = c["citationId"]
        if label not in refs:
            missing.labels.append(label)
            return written
        text, href = refs[label]
        if c["citationMode"]["t"] == "SuppressAuthor":  # "-@fig-x": the number only
            text = text.split(" ", 1)[-1]
        if k:
            out += [{"t": "Str", "c": ";"}, {"t": "Space"}]
        if c["citationPrefix"]:
            out += c["citationPrefix"] + [{"t": "Space"}]
        out.append({"t": "Link", "c": [["", [], []], _inlines(text), [href, ""]]})
        out += c["citationSuffix"]
    return out


_INLINE_TYPES = {"Str", "Emph", "Underline", "Strong", "Strikeout", "Superscript", "Subscript", "SmallCaps",
                 "Quoted", "Cite", "Code", "Space", "SoftBreak", "LineBreak", "Math", "RawInline", "Link",
                 "Image", "Note", "Span"}


def _map_inlines(value, inlines: Callable[[list], list]):
    """`value` with `inlines` applied to every list of inlines inside it (pandoc's JSON has no
    other way to tell them apart than the types of their elements)."""
    if isinstance(value, list):
        if value and all(isinstance(v, dict) and v.get("t") in _INLINE_TYPES for v in value):
            return inlines(value)
        return [_map_inlines(v, inlines) for v in value]
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = _map_inlines(item, inlines)
    return value
