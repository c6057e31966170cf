"""A link checker for a built static site, used by the link and browser tests.

It reads every HTML page under a folder and resolves each internal link the way a
browser would (relative to the page, a folder means its index.html, `#anchor` must be an
element id in the target page). External links are collected, never fetched. Resources
the page loads by itself (scripts, styles, images, frames) must be local: the site works
offline.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Folders inside a site that are not part of what readers get.
PRIVATE = ("_checks",)
#: <link rel=...> values that make the browser load the target.
LOADED_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}
#: (tag, attribute) pairs that make the browser load something by itself.
RESOURCE_ATTRS = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("video", "src"),
                  ("audio", "src"), ("embed", "src"), ("object", "data"), ("track", "src"), ("input", "src")}
#: Content written into the link itself: nothing to resolve or fetch.
INLINE_SCHEMES = ("data",)


@dataclass
class Link:
    page: str  # page path relative to the site
    line: int
    tag: str
    url: str
    loads: bool  # the browser fetches it without a click


@dataclass
class Page:
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self, rel: str):
        super().__init__(convert_charrefs=True)
        self.rel = rel
        self.page = Page()

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for name in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(name):
                self.page.ids.add(values[name])
        line = self.getpos()[0]
        if tag in ("a", "area") and values.get("href") is not None:
            self.page.links.append(Link(self.rel, line, tag, values["href"], loads=False))
        elif tag == "link" and values.get("href") is not None:
            rels = set((values.get("rel") or "").lower().split())
            self.page.links.append(Link(self.rel, line, tag, values["href"], loads=bool(rels & LOADED_RELS)))
        for t, attr in RESOURCE_ATTRS:
            if tag == t and values.get(attr):
                self.page.links.append(Link(self.rel, line, tag, values[attr], loads=True))

    handle_startendtag = handle_starttag


@functools.cache
def _parse_file(path: Path, rel: str, mtime: float) -> Page:
    parser = _PageParser(rel)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.page


def parse(site: Path, rel: str) -> Page:
    path = site / rel
    return _parse_file(path, rel, path.stat().st_mtime)


def pages(site: Path) -> list[str]:
    """Every HTML page of the site (relative paths), reviewer artifacts left out."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                  if not set(p.relative_to(site).parts) & set(PRIVATE))


def is_external(url: str) -> bool:
    """A link that leaves the site (web, mail): listed, never fetched."""
    scheme = urlsplit(url).scheme
    return bool(scheme and scheme not in ("file", "javascript") + INLINE_SCHEMES) or url.startswith("//")


def resolve(site: Path, page: str, url: str) -> str | None:
    """Why `url` on `page` does not resolve inside `site`, or None when it does.

    External and inline links are not checked here (None).
    """
    parts = urlsplit(url)
    if parts.scheme in INLINE_SCHEMES or is_external(url):
        return None
    if parts.scheme == "javascript":
        return "javascript: link"
    path, fragment = unquote(parts.path), unquote(parts.fragment)
    base = (site / page).parent
    target = (base / path).resolve() if path else (site / page).resolve()
    try:
        rel = target.relative_to(site.resolve())
    except ValueError:
        return "points outside the site"
    if target.is_dir():
        target = target / "index.html"
        rel = rel / "index.html"
    if not target.is_file():
        return f"{rel.as_posix()} does not exist"
    if fragment and target.suffix == ".html" and fragment not in parse(site, rel.as_posix()).ids:
        return f"{rel.as_posix()} has no element with id '{fragment}'"
    return None


@dataclass
class Report:
    problems: list[str]
    external: list[Link]
    checked: list[Link]


def check_site(site: Path, only: list[str] | None = None) -> Report:
    """Check every link on every page (or on the pages in `only`)."""
    problems, external, checked = [], [], []
    for rel in only if only is not None else pages(site):
        for link in parse(site, rel).links:
            where = f"{rel}:{link.line}: <{link.tag}> {link.url}"
            if is_external(link.url):
                if link.loads:
                    problems.append(f"{where}: loads from outside the site (it must work offline)")
                else:
                    external.append(link)
                continue
            why = resolve(site, rel, link.url)
            if why:
                problems.append(f"{where}: {why}")
            elif urlsplit(link.url).scheme not in INLINE_SCHEMES:
                checked.append(link)
    return Report(problems, external, checked)


def search_index_urls(site: Path) -> list[str]:
    """The result URLs of the offline search index (relative to the site root)."""
    text = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    m = re.search(r"window\.CB_SEARCH_INDEX\s*=\s*(\[.*\]);\s*$", text, re.S)
    if not m:
        raise AssertionError("assets/search-index.js does not set window.CB_SEARCH_INDEX")
    return [entry["url"] for entry in json.loads(m.group(1))]
