"""Read the Quarto book project (`_quarto.yml`, `_variables.yml`, profiles) for the wheel-only engine.

The same files drive real Quarto. Keys the wheel engine does not understand are an
error, not ignored, except for presentation options listed in `PASSIVE_FORMAT_KEYS`
that only real Quarto uses (the wheel engine has its own templates).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROJECT_KEYS = {"type", "output-dir", "execute-dir", "render", "resources", "pre-render", "post-render"}
BOOK_KEYS = {"title", "subtitle", "author", "date", "chapters", "output-file", "site-url", "repo-url",
             "downloads", "search", "sidebar", "page-navigation", "favicon", "description", "license"}
TOP_KEYS = {"project", "book", "format", "execute", "lang", "profile", "metadata-files", "crossref", "bibliography",
            "cb", "number-sections", "toc", "license"}
#: Format options that change only real Quarto's own templates; the wheel engine's templates cover them.
PASSIVE_FORMAT_KEYS = {
    "theme", "css", "toc", "toc-depth", "toc-title", "number-sections", "number-depth", "code-fold", "code-tools",
    "include-in-header", "include-after-body", "fig-format", "fig-width", "fig-height", "papersize", "margin",
    "mainfont", "fontsize", "keep-typ", "template-partials", "smooth-scroll", "anchor-sections", "link-external-newwindow",
    "html-math-method", "fig-responsive", "embed-resources", "lang", "section-divs", "grid", "page-layout", "columns",
    "reference-location", "citation-location", "title-block-banner", "crossref", "df-print",
}
FORMATS = {"html", "typst"}


class ProjectError(Exception):
    """A problem in _quarto.yml or its profile, naming the file and key."""


@dataclass
class ChapterRef:
    path: Path
    part: str | None


@dataclass
class Project:
    root: Path
    config: dict
    variables: dict
    chapters: list[ChapterRef]
    output_dir: Path
    formats: dict[str, dict] = field(default_factory=dict)

    @property
    def book(self) -> dict:
        return self.config.get("book", {})

    @property
    def title(self) -> str:
        return str(self.book.get("title", ""))

    def meta(self, key: str):
        """A value for `{{< meta key >}}`: book keys first (`title`, `author`...), then top-level, dotted paths allowed."""
        for scope in (self.book, self.config):
            found = lookup(scope, key)
            if found is not None:
                return found
        return None


def lookup(mapping: dict, dotted: str):
    """A value by dotted path ('book.title'), or None."""
    node = mapping
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def _merge(base: dict, override: dict) -> dict:
    """Quarto's profile merge: mappings merge recursively, other values are replaced."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _read_yaml(path: Path) -> dict:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ProjectError(f"{path.name}: not valid YAML: {exc}") from None


def _check_keys(mapping: dict, allowed: set[str], where: str, file: str) -> None:
    for key in mapping:
        if key not in allowed:
            raise ProjectError(f"{file}: '{where}{key}' is not supported by the wheel engine")


def load(root: Path, profile: str | None = None) -> Project:
    """Read `_quarto.yml` (merged with `_quarto-<profile>.yml`) and `_variables.yml` from `root`."""
    main = root / "_quarto.yml"
    if not main.exists():
        raise ProjectError(f"no _quarto.yml in {root}")
    config = _read_yaml(main)
    file = "_quarto.yml"
    if profile:
        extra = root / f"_quarto-{profile}.yml"
        if not extra.exists():
            raise ProjectError(f"profile '{profile}' has no file _quarto-{profile}.yml")
        config = _merge(config, _read_yaml(extra))
        file = f"_quarto.yml + _quarto-{profile}.yml"
    _check_keys(config, TOP_KEYS, "", file)
    project = config.get("project", {})
    _check_keys(project, PROJECT_KEYS, "project.", file)
    if project.get("type") != "book":
        raise ProjectError(f"{file}: project.type must be 'book'")
    book = config.get("book", {})
    _check_keys(book, BOOK_KEYS, "book.", file)
    if not book.get("author"):
        raise ProjectError(f"{file}: book.author is required (Typst books fail without it)")
    formats = config.get("format", {})
    for name, options in formats.items():
        if name not in FORMATS:
            raise ProjectError(f"{file}: format '{name}' is not supported (supported: html, typst)")
        for key in (options or {}):
            if key not in PASSIVE_FORMAT_KEYS:
                raise ProjectError(f"{file}: 'format.{name}.{key}' is not supported by the wheel engine")
    chapters: list[ChapterRef] = []
    for entry in book.get("chapters", []):
        if isinstance(entry, str):
            chapters.append(ChapterRef(root / entry, None))
        elif isinstance(entry, dict) and "part" in entry:
            part = str(entry["part"])
            for sub in entry.get("chapters", []):
                chapters.append(ChapterRef(root / sub, part))
        else:
            raise ProjectError(f"{file}: book.chapters entries must be file names or parts with chapters")
    if not chapters:
        raise ProjectError(f"{file}: book.chapters is empty")
    for ref in chapters:
        if not ref.path.exists():
            raise ProjectError(f"{file}: chapter file {ref.path.relative_to(root)} does not exist")
    variables_path = root / "_variables.yml"
    variables = _read_yaml(variables_path) if variables_path.exists() else {}
    output_dir = root / project.get("output-dir", "_book")
    return Project(root, config, variables, chapters, output_dir, {k: v or {} for k, v in formats.items()})
