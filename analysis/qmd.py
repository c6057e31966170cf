"""Read a Quarto Markdown chapter into front matter, Markdown blocks and Python cells.

Only the Quarto subset the chapters use is accepted. Anything else (another engine,
an unknown cell option, a shortcode other than `var` and `meta`, an unknown div
class, citations) raises `QmdError` naming the file and line, so content is never
dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SUPPORTED_OPTIONS = {"label", "echo", "output", "include", "eval", "fig-cap", "fig-alt", "tbl-cap", "warning", "message"}
CALLOUTS = {"callout-note", "callout-tip", "callout-important", "callout-warning", "callout-caution"}
#: Div classes the writers style; anything else is an error rather than an unstyled box.
DIV_CLASSES = CALLOUTS | {"cb-lead", "cb-key-findings", "cb-practice", "cb-profile", "cb-note", "column-margin"}
SHORTCODES = {"var", "meta"}
XREF_KINDS = ("fig", "tbl", "sec")

_FENCE = re.compile(r"^(`{3,}|~{3,})\s*(\{[^}]*\}|[\w+-]*)\s*$")
_SHORTCODE = re.compile(r"\{\{<\s*([\w-]+)\s*([^>]*?)\s*>\}\}")
_DIV_OPEN = re.compile(r"^(:{3,})\s*\{([^}]*)\}\s*$|^(:{3,})\s*([\w-]+)\s*$")
_CITATION = re.compile(r"(?<![\w.\\/-])\[?-?@([A-Za-z][\w:.-]*)")
INLINE_CODE = re.compile(r"`\{python\}\s+([^`]+)`")


def md_escape(text: str) -> str:
    """Text from data, made literal in Markdown: no raw HTML, emphasis or links can come through."""
    return re.sub(r"([\\`*_\[\]<>#|$@~^{}])", r"\\\1", str(text))


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


@dataclass
class Document:
    path: Path
    meta: dict
    blocks: list[Cell | Markdown] = field(default_factory=list)


def _options(lines: list[str], path: Path, start: int) -> tuple[dict, list[str]]:
    opt_lines, body = [], []
    for i, line in enumerate(lines):
        if line.startswith("#|") and not body:
            opt_lines.append(line[2:])
        else:
            body = lines[i:]
            break
    try:
        options = yaml.safe_load("\n".join(opt_lines)) or {} if opt_lines else {}
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
        stripped = INLINE_CODE.sub("", re.sub(r"`[^`]*`", "", line))
        if re.search(r"https?://", stripped) or stripped.lstrip().startswith(("<", "|")):
            continue
        for m in _CITATION.finditer(stripped):
            key = m.group(1)
            if not key.startswith(tuple(f"{k}-" for k in XREF_KINDS)):
                raise QmdError(path, n, f"'@{key}' looks like a citation; citations are not supported (cross-references must start with fig-, tbl- or sec-)")


def parse(path: Path) -> Document:
    """Split a .qmd file into front matter, Markdown blocks and Python cells."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    meta: dict = {}
    i = 0
    if lines and lines[0].strip() == "---":
        try:
            end = next(k for k in range(1, len(lines)) if lines[k].strip() in ("---", "..."))
        except StopIteration:
            raise QmdError(path, 1, "front matter is not closed with '---'") from None
        try:
            meta = yaml.safe_load("\n".join(lines[1:end])) or {}
        except yaml.YAMLError as exc:
            raise QmdError(path, 1, f"front matter is not valid YAML: {exc}") from None
        i = end + 1
    doc = Document(path, meta)
    buf: list[str] = []
    buf_start = i + 1
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m and m.group(2).startswith("{"):
            engine = m.group(2).strip("{}").split()[0].split(",")[0]
            if engine != "python":
                raise QmdError(path, i + 1, f"code cells in '{engine}' are not supported; only {{python}} cells run")
            fence = m.group(1)
            try:
                close = next(k for k in range(i + 1, len(lines)) if lines[k].strip() == fence)
            except StopIteration:
                raise QmdError(path, i + 1, "code cell is not closed") from None
            if buf:
                doc.blocks.append(Markdown("\n".join(buf), buf_start))
                buf = []
            options, body = _options(lines[i + 1:close], path, i + 1)
            doc.blocks.append(Cell("\n".join(body).strip("\n"), options, i + 1))
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
        doc.blocks.append(Markdown("\n".join(buf), buf_start))
    for block in doc.blocks:
        if isinstance(block, Markdown):
            _check_markdown(block.text, path, block.line)
    return doc
