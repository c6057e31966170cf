"""The web's conventions: the social card image, and the files at the archive root that describe the
published site as a whole (`sitemap.xml`, the Atom feed of editions `feed.xml`, `robots.txt`).

The card image belongs to an edition (every build writes it, and every page names it); the root files
belong to the archive, so `editions.assemble` and `clusterbench publish` write them beside
`versions.json` and never into an edition's folder. Everything here is deterministic: the same
editions give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

#: The chart shown when a page is shared: the report's headline comparison.
CARD_FIGURE = "critical-mass"
#: Where every build puts the card image, relative to the site root (`book.image` in `_quarto.yml`).
CARD_IMAGE = "assets/og-image.png"
SITEMAP, FEED, ROBOTS, NOT_FOUND = "sitemap.xml", "feed.xml", "robots.txt", "404.html"
#: Folders of a built site that hold no reader pages.
NOT_PAGES = {"assets", "site_libs", "figures", "data", "search_libs", "_checks"}


# --- the card image ------------------------------------------------------------------------


def card_image(ds, cache: Path | None = None) -> tuple[bytes, str]:
    """The headline chart as PNG, and its alt text (the chart's own description).

    The PNG is kept in `cache` under a hash of the chart's spec and vl-convert's version, so a build
    whose chart did not change does not draw it again.
    """
    import hashlib
    import json

    import vl_convert

    from analysis.charts import export, figures

    spec = export.spec(figures.build(ds, CARD_FIGURE))
    alt = str(spec.get("description", ""))
    key = json.dumps([getattr(vl_convert, "__version__", ""), spec], sort_keys=True)
    path = Path(cache) / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}.png" if cache else None
    if path is not None and path.exists():
        return path.read_bytes(), alt
    png = vl_convert.vegalite_to_png(spec, scale=2.0)
    if path is not None:
        import os

        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(png)
        tmp.replace(path)
    return png, alt


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    return struct.unpack(">II", png[16:24])


# --- pages and addresses --------------------------------------------------------------------


def _base(site_url: str) -> str:
    return site_url.rstrip("/") + "/"


def site_path(site_url: str) -> str:
    """The path the site is served under ('/cluster-benchmark/'), '/' for a site at the host's root."""
    return urlsplit(site_url).path.rstrip("/") + "/" if site_url else "/"


def pages(folder: Path) -> list[str]:
    """Reader pages of a built edition, site-relative with '/' (Quarto puts chapters in subfolders)."""
    found = []
    for path in Path(folder).rglob("*.html"):
        rel = path.relative_to(folder)
        if set(rel.parts[:-1]) & NOT_PAGES or rel.name == NOT_FOUND:  # each language has its own 404 page
            continue
        found.append(rel.as_posix())
    return sorted(found)


def changelog_page(folder: Path, edition: str) -> str:
    """The page of an edition that holds its own changelog entry (anchor `edition-2026-1`), or ''."""
    anchor = f'id="edition-{edition.replace(".", "-")}"'
    for page in pages(folder):
        if anchor in (Path(folder) / page).read_text(encoding="utf-8"):
            return f"{page}#edition-{edition.replace('.', '-')}"
    return ""


def _date(iso: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(iso), dt.time(), tzinfo=dt.timezone.utc)


# --- the root files ---------------------------------------------------------------------------


def sitemap(site_url: str, page_list: list[str], lastmod: str) -> str:
    """A sitemap of the latest edition: one <url> per page, at the site root (where canonical links point)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for page in page_list:
        lines.append(f"<url><loc>{escape(_base(site_url) + page)}</loc><lastmod>{escape(lastmod)}</lastmod></url>")
    return "\n".join(lines + ["</urlset>"]) + "\n"


def feed(site_url: str, manifest: dict, site: Path, *, title: str, authors: list[str], lang: str = "en") -> str:
    """The Atom feed of editions, newest first: each with its date, summary, link, changelog link and PDFs."""
    from feedgen.feed import FeedGenerator

    base = _base(site_url)
    editions = manifest["editions"]
    fg = FeedGenerator()
    fg.id(base)
    fg.title(f"{title}: editions")
    fg.subtitle(f"Each released edition of {title}, with what changed in it.")
    fg.author([{"name": a} for a in authors] or [{"name": title}])
    fg.link(href=base, rel="alternate", type="text/html")
    fg.link(href=base + FEED, rel="self", type="application/atom+xml")
    fg.language(lang)
    fg.updated(_date(max(e["date"] for e in editions)))
    for e in editions:  # newest first, as readers expect
        url = e.get("url") or base + e["path"]
        entry = fg.add_entry(order="append")
        entry.id(url)
        entry.title(f"Edition {e['edition']}")
        entry.summary(e["summary"])
        entry.published(_date(e["date"]))
        entry.updated(_date(e["date"]))
        # One link per entry: feedgen 1.0 writes only the href of an entry's links (python-feedgen issue
        # 135), which leaves rel="alternate"; the changelog and the PDFs are linked from the content.
        entry.link(href=url)
        changes = changelog_page(Path(site) / e["path"], e["edition"])
        links = ([f'<a href="{escape(url + changes)}">What changed in edition {escape(e["edition"])}</a>'] if changes else [])
        links += [f'<a href="{escape(url + pdf)}">{escape(pdf)}</a>' for pdf in e.get("pdfs", [])]
        entry.content(f"<p>{escape(e['summary'])}</p>" + (f"<p>{' · '.join(links)}</p>" if links else ""), type="html")
    return fg.atom_str(pretty=True).decode("utf-8")


def robots(site_url: str) -> str:
    """Keep crawlers out of the draft (unreleased changes); name the sitemap."""
    lines = ["# Drafts hold changes that are not in a released edition yet: keep them out of search engines.",
             "User-agent: *", f"Disallow: {site_path(site_url)}draft/"]
    if site_url:
        lines.append(f"Sitemap: {_base(site_url)}{SITEMAP}")
    return "\n".join(lines) + "\n"


def root_files(site: Path, manifest: dict, *, site_url: str, title: str, authors: list[str],
               lang: str = "en") -> tuple[dict[str, str], list[str]]:
    """The archive root's web files for `manifest` (editions in `site/v/`), and notes on what was left out."""
    files = {ROBOTS: robots(site_url)}
    notes = []
    latest = next((e for e in manifest.get("editions", []) if e.get("latest")), None)
    if latest is None:
        return files, notes
    if not site_url:
        notes.append("no sitemap.xml or feed.xml: _quarto.yml has no book.site-url, and both need absolute addresses")
        return files, notes
    folder = Path(site) / latest["path"]
    files[SITEMAP] = sitemap(site_url, pages(folder), latest["date"])
    files[FEED] = feed(site_url, manifest, site, title=title, authors=authors, lang=lang)
    return files, notes


def write_root_files(site: Path, files: dict[str, str]) -> None:
    """Write the root files; a root file no longer made (no site-url) is removed."""
    for name in (SITEMAP, FEED, ROBOTS):
        path = Path(site) / name
        if name in files:
            path.write_text(files[name], encoding="utf-8")
        else:
            path.unlink(missing_ok=True)


def facts_for(root: Path) -> dict:
    """Title, authors, language and site URL of a project, as `root_files` takes them."""
    from analysis import project as P
    from analysis.report import citation

    project = P.load(Path(root))
    f = citation.facts(project)
    return {"site_url": f.site_url, "title": f.title, "authors": f.authors, "lang": str(project.config.get("lang", "en"))}


_EDITION_DIR = re.compile(r"^v/(\d{4}\.\d+)/")


def edition_of(path: str) -> str | None:
    """The edition a site-relative path belongs to ('v/2026.1/x.html' -> '2026.1'), or None."""
    m = _EDITION_DIR.match(path)
    return m.group(1) if m else None
