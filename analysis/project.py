"""Read the Quarto book project (`_quarto.yml`, `_variables.yml`, profiles) for the wheel-only engine.

The same files drive real Quarto, and they are read by Quarto's rules: `metadata-files`
are merged into `_quarto.yml` (a missing one is skipped), then the active profiles'
`_quarto-<name>.yml` files, with mappings merged key by key and arrays *concatenated*
(equal entries once), as Quarto's `mergeConfigs` does. The active profiles come from
the caller, else `QUARTO_PROFILE`, else `profile.default`, and every `profile.group`
gets its first member when none of its members is active.

Keys the wheel engine does not understand are an error, not ignored, except for
presentation options listed in `PASSIVE_FORMAT_KEYS` that only real Quarto uses (the
wheel engine has its own templates).
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROJECT_KEYS = {"type", "output-dir", "execute-dir", "render", "resources", "pre-render", "post-render"}
BOOK_KEYS = {"title", "subtitle", "author", "date", "chapters", "appendices", "output-file", "site-url", "repo-url",
             "downloads", "search", "sidebar", "page-navigation", "favicon", "description", "license", "image",
             "open-graph", "twitter-card"}
#: book.sidebar options the wheel engine applies; the others would change Quarto's sidebar and are refused.
SIDEBAR_KEYS = {"collapse-level"}
TOP_KEYS = {"project", "book", "format", "execute", "lang", "profile", "metadata-files", "cb", "number-sections", "toc",
            "license"}
#: Format options that change only real Quarto's own templates; the wheel engine's templates cover them.
PASSIVE_FORMAT_KEYS = {
    "theme", "toc-title", "code-fold", "code-tools", "fig-format", "fig-width", "fig-height", "papersize", "margin",
    "mainfont", "fontsize", "keep-typ", "template-partials", "smooth-scroll", "anchor-sections", "link-external-newwindow",
    "html-math-method", "fig-responsive", "embed-resources", "lang", "section-divs", "grid", "page-layout", "columns",
    "reference-location", "citation-location", "title-block-banner", "df-print",
}
#: Format options the wheel engine applies (css and includes: the build; toc-depth: both writers).
APPLIED_FORMAT_KEYS = {"css", "include-in-header", "include-after-body", "toc-depth"}
#: Options that change the output and that the wheel engine supports only with these values; any other
#: value stops the build rather than being ignored (numbered sections and a contents list are built in).
FIXED_VALUES = {"number-sections": (True,), "toc": (True,), "toc-depth": (1, 2, 3)}
#: Options that change the output and that the wheel engine cannot honour: the build stops, naming them.
UNSUPPORTED_KEYS = {"crossref", "bibliography", "number-depth", "citeproc", "csl"}
FORMATS = {"html", "typst"}
#: The limits in the `cb:` block that keep a large registry readable, and what each one counts.
CB_LIMITS = {"pdf-profiles": "clusters", "table-rows": "rows"}
#: The profiles of the editions in another language: the language's code and the profiles of its book and collection.
LANGUAGE_PROFILES = {"ru": ("book-ru", "practices-ru")}
#: File names of the two PDFs, before the edition: cluster-benchmark-2026.1.pdf, best-practices-2026.1.pdf.
REPORT_STEM = "cluster-benchmark"
COLLECTION_STEM = "best-practices"


class ProjectError(Exception):
    """A problem in _quarto.yml or its profile, naming the file and key."""


@dataclass
class ChapterRef:
    path: Path
    part: str | None
    text: str | None = None  # the content, when the pre-render step generated the page in memory
    appendix: bool = False  # listed under book.appendices (Quarto puts those under "Appendices")


@dataclass
class Project:
    root: Path
    config: dict
    variables: dict
    chapters: list[ChapterRef]
    output_dir: Path
    formats: dict[str, dict] = field(default_factory=dict)
    profiles: list[str] = field(default_factory=list)  # the active profiles, as Quarto would set QUARTO_PROFILE

    @property
    def book(self) -> dict:
        return self.config.get("book", {})

    @property
    def title(self) -> str:
        return str(self.book.get("title", ""))

    @property
    def pdf_profiles(self) -> int | None:
        """`cb.pdf-profiles`: the most clusters whose full profiles the report PDF prints (None: no limit)."""
        return (self.config.get("cb") or {}).get("pdf-profiles")

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


def merge(base: dict, override: dict) -> dict:
    """Quarto's config merge: mappings merge recursively, arrays are concatenated (each distinct
    entry once), other values are replaced."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        old = out.get(key)
        if isinstance(value, list) or isinstance(old, list):
            if old is None or value is None:
                out[key] = copy.deepcopy(value if old is None else old)
                continue
            combined, seen = [], set()
            for item in (old if isinstance(old, list) else [old]) + (value if isinstance(value, list) else [value]):
                marker = json.dumps(item, default=str)
                if marker not in seen:
                    seen.add(marker)
                    combined.append(copy.deepcopy(item))
            out[key] = combined
        elif isinstance(value, dict) and isinstance(old, dict):
            out[key] = merge(old, value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def active_profiles(config: dict, requested: str | list[str] | None = None) -> list[str]:
    """The profiles Quarto would activate for this config."""
    spec = config.get("profile") or {}
    if requested is None:
        requested = os.environ.get("QUARTO_PROFILE") or spec.get("default") or []
    if isinstance(requested, str):
        requested = [p.strip() for p in requested.split(",") if p.strip()]
    active = [str(p) for p in requested]
    groups = spec.get("group") or []
    if groups and not isinstance(groups[0], list):
        groups = [groups]
    for group in groups:
        if not any(str(name) in active for name in group):
            active.append(str(group[0]))
    return active


#: PyYAML's C parser where the wheel has one: the same documents and errors, parsed about fifteen times faster.
#: Every build reads the project files, each chapter's cell options and the data's YAML.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str):
    """`yaml.safe_load(text)`, with the C parser when PyYAML has it."""
    return yaml.load(text, Loader=_LOADER)


def _read_yaml(path: Path, text: str | None = None) -> dict:
    try:
        return load_yaml(path.read_text(encoding="utf-8") if text is None else text) or {}
    except yaml.YAMLError as exc:
        raise ProjectError(f"{path.name}: not valid YAML: {exc}") from None


def _check_unsupported(mapping: dict, where: str, file: str) -> None:
    """Options that would change the output but that the wheel engine cannot honour are an error, never ignored."""
    for key, value in mapping.items():
        if key in UNSUPPORTED_KEYS:
            raise ProjectError(f"{file}: '{where}{key}' changes the output, and the wheel engine cannot honour it; "
                               "remove it, or render with Quarto (--engine quarto)")
        if key in FIXED_VALUES and value not in FIXED_VALUES[key]:
            allowed = " or ".join(str(v).lower() for v in FIXED_VALUES[key])
            raise ProjectError(f"{file}: '{where}{key}: {str(value).lower()}' is not supported by the wheel engine "
                               f"(it supports {allowed})")


def _check_keys(mapping: dict, allowed: set[str], where: str, file: str) -> None:
    for key in mapping:
        if key not in allowed:
            raise ProjectError(f"{file}: '{where}{key}' is not supported by the wheel engine")


def read_config(root: Path) -> dict:
    """`_quarto.yml` as written, before metadata files and profiles are merged in."""
    main = Path(root) / "_quarto.yml"
    if not main.exists():
        raise ProjectError(f"no _quarto.yml in {root}")
    return _read_yaml(main)


def load(root: Path, profile: str | list[str] | None = None, generated: dict[str, str] | None = None) -> Project:
    """Read `_quarto.yml` with its metadata files and active profiles, and `_variables.yml`, from `root`.

    `generated` maps project-relative paths to the content the pre-render step made in memory;
    such files are read from there instead of the disk (the wheel engine never writes them).
    """
    generated = generated or {}
    root = Path(root)
    config, profiles, file = _merged_config(root, profile, generated)
    _check_config(config, file)
    chapters = _chapter_refs(root, config.get("book", {}), generated, file)
    variables_path = root / "_variables.yml"
    variables = _read_yaml(variables_path) if variables_path.exists() else {}
    output_dir = root / config.get("project", {}).get("output-dir", "_book")
    formats = config.get("format", {})
    return Project(root, config, variables, chapters, output_dir, {k: v or {} for k, v in formats.items()}, profiles)


def _merged_config(root: Path, profile: str | list[str] | None, generated: dict[str, str]) -> tuple[dict, list[str], str]:
    """`_quarto.yml` with its metadata files and active profiles merged in, the active profiles, and
    the files read, as named in errors ('_quarto.yml + _quarto-practices.yml')."""
    config = read_config(root)
    file = "_quarto.yml"
    for name in config.pop("metadata-files", None) or []:
        path = root / name
        if name in generated:
            config = merge(config, _read_yaml(path, generated[name]))
        elif path.exists():  # as in Quarto, a metadata file that is not there (yet) is skipped
            config = merge(config, _read_yaml(path))
    profiles = active_profiles(config, profile)
    config.pop("profile", None)
    for name in reversed(profiles):  # Quarto merges the first-named profile last, so it wins
        extra = root / f"_quarto-{name}.yml"
        if extra.exists():
            config = merge(config, _read_yaml(extra))
            file += f" + _quarto-{name}.yml"
        elif profile is not None and name in ([profile] if isinstance(profile, str) else profile):
            raise ProjectError(f"profile '{name}' has no file _quarto-{name}.yml")
    return config, profiles, file


def cb_limit(config: dict, key: str, file: str) -> int | None:
    """A limit of the `cb:` block (`CB_LIMITS`), checked to be a whole number; None when it is not set."""
    limit = (config.get("cb") or {}).get(key)
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ProjectError(f"{file}: cb.{key} must be a whole number of {CB_LIMITS[key]}, not {limit!r}")
    return limit


def _check_config(config: dict, file: str) -> None:
    """Every key and format in the merged config is one the wheel engine understands."""
    _check_unsupported(config, "", file)
    _check_keys(config, TOP_KEYS, "", file)
    project = config.get("project", {})
    _check_keys(project, PROJECT_KEYS, "project.", file)
    if project.get("type") != "book":
        raise ProjectError(f"{file}: project.type must be 'book'")
    book = config.get("book", {})
    _check_keys(book, BOOK_KEYS, "book.", file)
    sidebar = book.get("sidebar") or {}
    _check_keys(sidebar, SIDEBAR_KEYS, "book.sidebar.", file)
    if "collapse-level" in sidebar and not (isinstance(sidebar["collapse-level"], int) and sidebar["collapse-level"] >= 1):
        raise ProjectError(f"{file}: book.sidebar.collapse-level must be a whole number from 1")
    for key in CB_LIMITS:
        cb_limit(config, key, file)
    if not book.get("author"):
        raise ProjectError(f"{file}: book.author is required (Typst books fail without it)")
    for name, options in config.get("format", {}).items():
        if name not in FORMATS:
            raise ProjectError(f"{file}: format '{name}' is not supported (supported: html, typst)")
        _check_unsupported(options or {}, f"format.{name}.", file)
        for key in (options or {}):
            if key not in PASSIVE_FORMAT_KEYS | APPLIED_FORMAT_KEYS | set(FIXED_VALUES):
                raise ProjectError(f"{file}: 'format.{name}.{key}' is not supported by the wheel engine")


def _chapter_refs(root: Path, book: dict, generated: dict[str, str], file: str) -> list[ChapterRef]:
    """`book.chapters` then `book.appendices`, each file once and present, the home page first."""
    chapters: list[ChapterRef] = []
    for key in ("chapters", "appendices"):
        for entry in book.get(key) or []:
            if isinstance(entry, str):
                chapters.append(ChapterRef(root / entry, None, generated.get(entry), key == "appendices"))
            elif isinstance(entry, dict) and "part" in entry:
                part = str(entry["part"])
                for sub in entry.get("chapters", []):
                    chapters.append(ChapterRef(root / sub, part, generated.get(sub), key == "appendices"))
            else:
                raise ProjectError(f"{file}: book.{key} entries must be file names or parts with chapters")
    if not chapters:
        raise ProjectError(f"{file}: book.chapters is empty")
    seen_paths: set[Path] = set()
    for ref in chapters:
        if ref.text is None and not ref.path.exists():
            raise ProjectError(f"{file}: chapter file {ref.path.relative_to(root)} does not exist")
        if ref.path in seen_paths:  # Quarto would render it twice: duplicate ids, then a Typst error
            raise ProjectError(f"{file}: chapter {ref.path.relative_to(root)} is listed twice in the merged book.chapters")
        seen_paths.add(ref.path)
    home = [k for k, ref in enumerate(chapters) if ref.path.stem == "index"]
    if not home:
        raise ProjectError(f"{file}: book contents must include a home page (index.qmd)")
    chapters.insert(0, chapters.pop(home[0]))  # Quarto puts the home page first
    return chapters
