"""axe-core (from npm, injected into the page) finds no serious or critical problem on the pages readers use most.

axe-core comes from `npm ci` (package.json, package-lock.json); nothing is loaded from a CDN.
Chart alt text is checked on every page by tests/test_browser.py (charts_carry_alt_text).
"""

from __future__ import annotations

import pytest
from conftest import missing_tool
from test_browser import _SETTLED, CHART_TIMEOUT_MS, top_level_pages

from analysis import project
from analysis.data import load
from analysis.paths import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")
AUDITED = ["home", "chart chapter", "scorecard", "profile", "Russian home", "Russian profile"]


def _pages(root, site) -> dict[str, str]:
    """Home, the chapter with the most charts, the scorecard and a pilot cluster's profile."""
    pages = top_level_pages(site)
    charts = {p: (site / p).read_text(encoding="utf-8").count('class="cb-chart"') for p in pages}
    pilot = load(root / "data")["clusters"].query("kind == 'pilot'")["id"].iloc[0]
    return {
        "home": "index.html",
        "chart chapter": max(pages, key=lambda p: (charts[p], p)),
        "scorecard": next(p for p in pages if "scorecard" in p),
        "profile": f"{pilot}.html",
        "Russian home": "ru/index.html",
        "Russian profile": f"ru/{pilot}.html",
    }


@pytest.fixture(scope="module")
def audits(chromium, built_book, site, site_url):
    """axe-core's results for each page: {name: (page file, results)}."""
    if not AXE.exists():
        missing_tool(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` (.ci/run does)")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    out = {}
    try:
        for name, rel in _pages(built_book[0], site).items():
            page.goto(site_url + rel)
            page.wait_for_function(_SETTLED, timeout=CHART_TIMEOUT_MS)
            page.add_script_tag(path=str(AXE))
            results = page.evaluate("""async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return {violations: r.violations, passes: r.passes.map(p => p.id),
                        lang: document.documentElement.lang, version: axe.version};
            }""")
            out[name] = (rel, results)
    finally:
        context.close()
    return out


def _describe(violation: dict) -> str:
    nodes = "; ".join(f"{' '.join(map(str, n['target']))}: {n.get('failureSummary', '').splitlines()[-1].strip()}"
                      for n in violation["nodes"][:5])
    more = f" (and {len(violation['nodes']) - 5} more)" if len(violation["nodes"]) > 5 else ""
    return f"{violation['id']} [{violation['impact']}] {violation['help']}: {nodes}{more}"


@pytest.mark.parametrize("name", AUDITED)
def test_axe_finds_no_serious_or_critical_violation(audits, name):
    rel, results = audits[name]
    blocking = [_describe(v) for v in results["violations"] if v["impact"] in BLOCKING]
    assert blocking == [], f"{rel} (axe-core {results['version']}):\n" + "\n".join(blocking)


def test_chart_action_menus_have_an_accessible_name(audits):
    """vega-embed's actions menu is an icon-only <summary>; site.js names it once the chart is drawn."""
    unnamed = {rel: _describe(v) for rel, results in audits.values() for v in results["violations"] if v["id"] == "summary-name"}
    assert unnamed == {}


@pytest.mark.parametrize("name", AUDITED)
def test_colour_contrast_passes(audits, name):
    rel, results = audits[name]
    contrast = [_describe(v) for v in results["violations"] if v["id"] == "color-contrast"]
    assert contrast == [], rel


def test_page_language_is_the_books(audits):
    lang = str(project.load(ROOT).config.get("lang", ""))
    russian = str(project.load(ROOT, "book-ru").config.get("lang", ""))
    assert (lang, russian) == ("en", "ru")
    assert {name: results["lang"] for name, (_, results) in audits.items()} == {
        name: russian if name.startswith("Russian") else lang for name in audits}


def test_axe_applied_the_rules_that_matter(audits):
    """A run that checked nothing would pass every test above: the key rules must have run on each page."""
    for name, (rel, results) in audits.items():
        ran = set(results["passes"]) | {v["id"] for v in results["violations"]}
        assert {"color-contrast", "html-has-lang", "document-title", "link-name"} <= ran, rel
