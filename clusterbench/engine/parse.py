"""Read a Quarto Markdown chapter into front matter, Markdown blocks and Python cells.

Only the Quarto subset the chapters use is accepted. Anything else (another engine,
an unknown cell option, a shortcode other than `var` and `meta`, an unknown div
class, citations) raises `QmdError` naming the file and line, so content is never
dropped silently.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from analysis.project import load_yaml
from analysis.text import md_escape  # noqa: F401  (the engine escapes text from data with it)

SUPPORTED_OPTIONS = {"label", "echo", "output", "include", "eval", "fig-cap", "fig-alt", "tbl-cap", "warning", "message"}
CALLOUTS = {"callout-note", "callout-tip", "callout-important", "callout-warning", "callout-caution"}
#: Div classes the writers style; anything else is an error rather than an unstyled box.
CONDITIONAL = {"content-visible", "content-hidden"}
DIV_CLASSES = CALLOUTS | CONDITIONAL | {"cb-lead", "cb-key-findings", "cb-practice", "cb-profile", "cb-note", "column-margin"}
#: Conditions Quarto accepts on `.content-visible` / `.content-hidden` divs that the wheel engine evaluates.
CONDITIONS = {"when-format", "unless-format", "when-profile", "unless-profile"}
SHORTCODES = {"var", "meta"}
XREF_KINDS = ("fig", "tbl", "sec")

_FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\{[^}]*\}|[\w+-]*)\s*$")
_SHORTCODE = re.compile(r"\{\{<\s*([\w-]+)\s*([^>]*?)\s*>\}\}")
_DIV_OPEN = re.compile(r"^(:{3,})\s*\{([^}]*)\}\s*$|^(:{3,})\s*([\w-]+)\s*$")
_CITATION = re.compile(r"(?<![\w.\\/-])\[?-?@([A-Za-z][\w:.-]*)")
INLINE_CODE = re.compile(r"`\{python\}\s+([^`]+)`")




class QmdError(Exception):
    """A problem in a chapter file, with its location."""

    def __init__(self, path: Path | str, line: int, message: str):
        self.path, self.line, self.message = Path(path), line, message
        super().__init__(f"{path}:{line}: {message}")

    def __reduce__(self):  # travels back from worker processes intact
        return (QmdError, (self.path, self.line, self.message))


@dataclass
class Cell:
    code: str
    options: dict
    line: int  # line of the opening fence

    @property
    def label(self) -> str | None:
        return self.options.get("label")


@dataclass
class Markdown:
    text: str
    line: int  # line of the first text line
    origin: int | None = None  # first line of the block it was cut from (its inline values are stored under it)

    @property
    def key(self) -> int:
        return self.line if self.origin is None else self.origin


@dataclass
class Document:
    path: Path
    meta: dict
    blocks: list[Cell | Markdown] = field(default_factory=list)
    source: str = ""  # the text as read (or as generated), before conditional content was resolved

    @cached_property
    def text_hash(self) -> str:
        """The blocks as executed, hashed (what a chapter's execution is keyed on). Worked out once: a build asks
        three times per page, and at 5,000 clusters that is 30,000 pages; a Document is not changed once parsed."""
        return hashlib.sha256(json.dumps(self.blocks, default=repr).encode("utf-8")).hexdigest()


def _options(lines: list[str], path: Path, start: int) -> tuple[dict, list[str]]:
    opt_lines, body = [], []
    for i, line in enumerate(lines):
        if line.startswith("#|") and not body:
            opt_lines.append(line[2:])
        else:
            body = lines[i:]
            break
    try:
        options = load_yaml("\n".join(opt_lines)) or {} if opt_lines else {}
    except yaml.YAMLError as exc:
        raise QmdError(path, start + 1, f"cell options are not valid YAML: {exc}") from None
    for key in options:
        if key not in SUPPORTED_OPTIONS:
            offset = next((k for k, line in enumerate(opt_lines) if line.strip().startswith(f"{key}:")), 0)
            raise QmdError(path, start + 1 + offset, f"cell option '{key}' is not supported by the wheel engine (supported: {', '.join(sorted(SUPPORTED_OPTIONS))})")
    return options, body


def _check_markdown(text: str, path: Path, first_line: int) -> None:
    for offset, line in enumerate(text.split("\n")):
        n = first_line + offset
        for m in _SHORTCODE.finditer(line):
            if m.group(1) not in SHORTCODES:
                raise QmdError(path, n, f"shortcode '{m.group(1)}' is not supported (supported: var, meta)")
        m = _DIV_OPEN.match(line)
        if m:
            attrs = m.group(2) if m.group(2) is not None else "." + m.group(4)
            classes = re.findall(r"\.([\w-]+)", attrs)
            bad = [c for c in classes if c not in DIV_CLASSES]
            if bad:
                raise QmdError(path, n, f"div class '.{bad[0]}' is not supported (supported: {', '.join(sorted(DIV_CLASSES))})")
            if CONDITIONAL & set(classes):
                keys = set(re.findall(r"([\w-]+)=", attrs))
                if not keys or keys - CONDITIONS:
                    raise QmdError(path, n, "conditional content needs one of " + ", ".join(sorted(CONDITIONS))
                                   + (f"; '{sorted(keys - CONDITIONS)[0]}' is not supported" if keys - CONDITIONS else ""))
        stripped = INLINE_CODE.sub("", re.sub(r"`[^`]*`", "", line))
        if re.search(r"https?://", stripped) or stripped.lstrip().startswith(("<", "|")):
            continue
        for m in _CITATION.finditer(stripped):
            key = m.group(1)
            if not key.startswith(tuple(f"{k}-" for k in XREF_KINDS)):
                raise QmdError(path, n, f"'@{key}' looks like a citation; citations are not supported (cross-references must start with fig-, tbl- or sec-)")


def parse(path: Path, text: str | None = None, profiles: list[str] | None = None) -> Document:
    """Split a .qmd file into front matter, Markdown blocks and Python cells.

    `text` stands in for the file's content (a page the pre-render step generated in memory).
    With `profiles`, content conditional on a profile is resolved first, line for line, so
    line numbers in messages still point into the file.
    """
    if text is None:
        text = path.read_text(encoding="utf-8")
    source = text
    if profiles is not None:
        text = apply_conditions(text, profiles=profiles, blank=True)
    lines = text.split("\n")
    meta, body_start = _front_matter(lines, path)
    doc = Document(path, meta, blocks=_blocks(lines, body_start, path), source=source)
    for block in doc.blocks:
        if isinstance(block, Markdown):
            _check_markdown(block.text, path, block.line)
    return doc


def _front_matter(lines: list[str], path: Path) -> tuple[dict, int]:
    """The YAML front matter and the index of the first line after it."""
    if not (lines and lines[0].strip() == "---"):
        return {}, 0
    try:
        end = next(k for k in range(1, len(lines)) if lines[k].strip() in ("---", "..."))
    except StopIteration:
        raise QmdError(path, 1, "front matter is not closed with '---'") from None
    try:
        meta = load_yaml("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        raise QmdError(path, 1, f"front matter is not valid YAML: {exc}") from None
    return meta, end + 1


def _blocks(lines: list[str], i: int, path: Path) -> list[Cell | Markdown]:
    """Python cells and the Markdown between them, from line index `i` on."""
    blocks: list[Cell | Markdown] = []
    buf: list[str] = []
    buf_start = i + 1
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m and m.group(2).startswith("{"):
            close = _cell_close(lines, i, m, path)
            if buf:
                blocks.append(Markdown("\n".join(buf), buf_start))
                buf = []
            options, body = _options(lines[i + 1:close], path, i + 1)
            blocks.append(Cell("\n".join(body).strip("\n"), options, i + 1))
            i = close + 1
            buf_start = i + 1
            continue
        if m:  # a plain fenced code block: copy it through untouched
            fence = m.group(1)
            close = next((k for k in range(i + 1, len(lines)) if lines[k].strip() == fence), len(lines) - 1)
            buf.extend(lines[i:close + 1])
            i = close + 1
            continue
        buf.append(lines[i])
        i += 1
    if buf:
        blocks.append(Markdown("\n".join(buf), buf_start))
    return blocks


def _cell_close(lines: list[str], i: int, m: re.Match, path: Path) -> int:
    """Index of the fence closing the code cell that opens at line index `i` (a {python} cell)."""
    engine = m.group(2).strip("{}").split()[0].split(",")[0]
    if engine != "python":
        raise QmdError(path, i + 1, f"code cells in '{engine}' are not supported; only {{python}} cells run")
    fence = m.group(1)
    try:
        return next(k for k in range(i + 1, len(lines)) if lines[k].strip() == fence)
    except StopIteration:
        raise QmdError(path, i + 1, "code cell is not closed") from None


_CLOSE = re.compile(r"^:{3,}\s*$")
_FORMAT_ALIASES = {"html": {"html", "html5"}, "typst": {"typst", "pdf"}}


def _condition_holds(attrs: str, profiles: list[str], target: str | None) -> bool | None:
    """Whether a `.content-visible` / `.content-hidden` div shows; None when it depends on
    the format and no target is given yet (the div is then left for the target's pass)."""
    values = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
    formats = _FORMAT_ALIASES.get(target, {target}) if target else None
    checks = []
    for key, value in values.items():
        names = value.split()
        if key.endswith("-profile"):
            hit = any(n in profiles for n in names)
        elif formats is None:
            return None
        else:
            hit = any(n in formats for n in names)
        checks.append(hit if key.startswith("when-") else not hit)
    visible = all(checks)
    return visible if ".content-visible" in attrs else not visible


def apply_conditions(text: str, *, profiles: list[str], target: str | None = None, blank: bool = False) -> str:
    """Resolve Quarto's conditional content: keep the inside of a div whose condition holds,
    drop a div whose condition fails. Without a target only profile conditions are decided.
    With `blank`, removed lines become empty lines, so the line count stays the same."""
    kept: list[str] = []
    out = _Lines(kept, blank)
    stack: list[str] = []  # per open div: "keep" (fences removed), "drop" or "plain"
    fence = None
    for line in text.split("\n"):
        m = _FENCE.match(line)
        dropping = "drop" in stack
        if fence is not None or (m and not line.startswith(":")):
            if fence is None:
                fence = m.group(1)
            elif line.strip() == fence:
                fence = None
            out.append(line, dropping)
            continue
        opening = _DIV_OPEN.match(line)
        if opening:
            attrs = opening.group(2) if opening.group(2) is not None else "." + opening.group(4)
            if re.search(r"\.content-(visible|hidden)\b", attrs) and not dropping:
                shown = _condition_holds(attrs, profiles, target)
                if shown is not None:
                    stack.append("keep" if shown else "drop")
                    out.append(line, True)
                    continue
            stack.append("plain")
            out.append(line, dropping)
            continue
        if _CLOSE.match(line) and stack:
            kind = stack.pop()
            out.append(line, kind != "plain" or "drop" in stack)
            continue
        out.append(line, dropping)
    return "\n".join(kept)


class _Lines:
    def __init__(self, lines: list[str], blank: bool):
        self.lines, self.blank = lines, blank

    def append(self, line: str, removed: bool = False) -> None:
        if not removed:
            self.lines.append(line)
        elif self.blank:
            self.lines.append("")
