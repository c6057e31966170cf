"""Every internal link and anchor of the built site resolves; external links are listed, never fetched."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sitecheck
from conftest import save_check_artifact

from analysis.data import load


@pytest.mark.slow
def test_every_internal_link_and_anchor_resolves(site):
    report = sitecheck.check_site(site)
    assert not report.problems, f"{len(report.problems)} broken link(s):\n" + "\n".join(report.problems)
    assert len(sitecheck.pages(site)) >= 12
    anchors = [link for link in report.checked if "#" in link.url]
    assert len(report.checked) > 1000 and len(anchors) > 100, "the checker looked at too few links to mean much"


@pytest.mark.slow
def test_every_practice_anchor_is_linked_and_resolves(built_book, site):
    root, _ = built_book
    report = sitecheck.check_site(site)
    targets = {urlsplit(link.url).fragment for link in report.checked if re.search(r"#bp-\d{3}$", link.url)}
    practices = {p.meta.id.lower() for p in load(root / "data").practices if p.meta.status == "active"}
    assert practices <= targets, f"practices no page links to: {sorted(practices - targets)}"
    assert "bp-001" in sitecheck.parse(site, "09-best-practices.html").ids


@pytest.mark.slow
def test_every_search_result_resolves(site):
    urls = sitecheck.search_index_urls(site)
    assert len(urls) > 100
    problems = [f"search result {url}: {why}" for url in urls if (why := sitecheck.resolve(site, "index.html", url))]
    assert problems == []


@pytest.mark.slow
def test_external_links_are_listed_not_fetched(site):
    report = sitecheck.check_site(site)
    listing = sorted({link.url for link in report.external})
    pages = {url: sorted({link.page for link in report.external if link.url == url}) for url in listing}
    lines = [f"{url}  ({len(on)} page(s), e.g. {on[0]})" for url, on in pages.items()] or ["No external links."]
    save_check_artifact(site, "external-links.txt", ("External links of the site, listed, never fetched:\n"
                                                     + "\n".join(lines) + "\n").encode("utf-8"))
    malformed = [url for url in listing if not (urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname
                                                or re.fullmatch(r"mailto:[^@\s]+@[^@\s]+", url))]
    assert malformed == []


# --- the checker catches what it should -------------------------------------------------------


def _page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{body}</body></html>'


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    (tmp_path / "v" / "2026.1").mkdir(parents=True)
    (tmp_path / "v" / "2026.2").mkdir(parents=True)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "site.css").write_text("", encoding="utf-8")
    (tmp_path / "v" / "2026.1" / "index.html").write_text(_page('<h1 id="top">Old</h1><a href="../../practices.html#bp-001">back</a>'), encoding="utf-8")
    (tmp_path / "practices.html").write_text(_page('<section id="bp-001">One</section>'), encoding="utf-8")
    (tmp_path / "index.html").write_text(_page(
        '<link rel="stylesheet" href="assets/site.css">'
        '<link rel="canonical" href="https://example.org/cb/">'
        '<a href="practices.html#bp-001">ok</a><a href="v/2026.1/">ok</a><a href="v/2026.1/#top">ok</a>'
        '<a href="#here">ok</a><span id="here"></span><a href="https://example.org/doc">external</a>'
        '<a href="mailto:editors@example.org">mail</a>'
        '<a href="practices.html#bp-002">broken anchor</a>'
        '<a href="missing.html">missing page</a>'
        '<a href="v/2026.2/">edition without index</a>'
        '<a href="#nowhere">broken local anchor</a>'
        '<script src="https://cdn.example/x.js"></script>'
    ), encoding="utf-8")
    (tmp_path / "_checks").mkdir()
    (tmp_path / "_checks" / "report.html").write_text(_page('<a href="nothing.html">ignored</a>'), encoding="utf-8")
    return tmp_path


def test_link_checker_reports_each_broken_link_and_nothing_else(tiny_site):
    report = sitecheck.check_site(tiny_site)
    broken = sorted(re.sub(r"^index\.html:\d+: ", "", p) for p in report.problems)
    assert broken == sorted([
        "<a> practices.html#bp-002: practices.html has no element with id 'bp-002'",
        "<a> missing.html: missing.html does not exist",
        "<a> v/2026.2/: v/2026.2/index.html does not exist",
        "<a> #nowhere: index.html has no element with id 'nowhere'",
        "<script> https://cdn.example/x.js: loads from outside the site (it must work offline)",
    ])
    assert sorted(link.url for link in report.external) == ["https://example.org/cb/", "https://example.org/doc",
                                                               "mailto:editors@example.org"]
    assert "v/2026.1/index.html" in sitecheck.pages(tiny_site) and "_checks/report.html" not in sitecheck.pages(tiny_site)
