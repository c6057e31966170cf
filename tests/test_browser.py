"""The built site as a reader gets it: every page in headless Chromium, served on localhost and opened from disk.

Each page is visited once per way of opening it, with every request that would leave the
site aborted and recorded. While the page is open, each function in PAGE_CHECKS looks at it
and returns its problems; `test_every_page` reports them per check. To check something more
on every page, write a function `(page, visit) -> list[str]` and add it to PAGE_CHECKS.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sitecheck
from conftest import NetworkGuard, save_check_artifact

from analysis.data import load

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MODES = ("http", "file")
CHART_TIMEOUT_MS = 20_000
#: Known clusters that search must find (id, words typed into the search box).
SEARCHES = [("sarov", "Sarov"), ("zhangjiang", "Zhangjiang")]

_SETTLED = """() => Array.from(document.querySelectorAll('.cb-chart'))
    .every(el => ['rendered', 'failed'].includes(el.getAttribute('data-chart-status')))"""


@dataclass
class Visit:
    """What happened while one page was open."""

    site: Path
    rel: str  # the page, relative to the site root
    url: str
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


# --- the per-page checks -------------------------------------------------------------------------


def no_console_errors(page, visit: Visit) -> list[str]:
    return ([f"console error: {text}" for kind, text in visit.console if kind == "error"]
            + [f"uncaught exception: {text}" for text in visit.page_errors])


def no_request_leaves_localhost(page, visit: Visit) -> list[str]:
    return [f"request left the site: {url}" for url in visit.blocked]


_CHARTS = """() => {
  const charts = Array.from(document.querySelectorAll('.cb-chart'));
  const specs = Array.from(document.querySelectorAll('script[type="application/json"][id^="spec-"]')).map(s => s.id);
  return {specs, charts: charts.map(el => {
    const view = el.querySelector('svg, canvas');
    const box = view ? view.getBoundingClientRect() : {width: 0, height: 0};
    const wrapper = el.querySelector('[role="graphics-document"]');
    let description = null;
    try { description = JSON.parse(document.getElementById(el.dataset.spec).textContent).description || null; } catch (e) {}
    return {
      spec: el.dataset.spec, figure: el.closest('figure') ? el.closest('figure').id : null, status: el.getAttribute('data-chart-status'), view: view ? view.tagName.toLowerCase() : null,
      width: box.width, height: box.height, marks: el.querySelectorAll('svg .role-mark > *').length,
      label: wrapper ? wrapper.getAttribute('aria-label') : null, description,
    };
  })};
}"""


def declared_charts_render(page, visit: Visit) -> list[str]:
    """Every chart spec on the page has a container, and every container shows a drawn, non-empty chart."""
    found = page.evaluate(_CHARTS)
    problems = [f"chart spec {s} has no chart container" for s in found["specs"]
                if s not in {c["spec"] for c in found["charts"]}]
    for c in found["charts"]:
        if c["status"] != "rendered":
            problems.append(f"chart {c['spec']} is not rendered (status {c['status']})")
        elif not c["view"] or c["width"] < 50 or c["height"] < 50:
            problems.append(f"chart {c['spec']} has no visible SVG or canvas ({c['width']:.0f}x{c['height']:.0f})")
        elif c["view"] == "svg" and c["marks"] == 0:
            problems.append(f"chart {c['spec']} draws no marks")
    return problems


def charts_carry_alt_text(page, visit: Visit) -> list[str]:
    """Screen readers get each chart's description (the spec's alt text) as its accessible name."""
    return [f"chart {c['spec']} has no alt text (aria-label {c['label']!r}, description {c['description']!r})"
            for c in page.evaluate(_CHARTS)["charts"]
            if not c["description"] or c["label"] != c["description"]]


def sidebar_links_resolve(page, visit: Visit) -> list[str]:
    """Every link of the contents sidebar leads to an existing page (and anchor), and every page is listed."""
    hrefs = page.eval_on_selector_all("#sidebar a[href]", "links => links.map(a => a.getAttribute('href'))")
    problems = [f"sidebar link {href}: {why}" for href in hrefs if (why := sitecheck.resolve(visit.site, visit.rel, href))]
    here = posixpath.dirname(visit.rel)
    listed = {posixpath.normpath(posixpath.join(here, href.split("#")[0])) for href in hrefs if not href.startswith("#")}
    # the 404 page answers for any missing address; it is not a page of the book
    missing = [p for p in top_level_pages(visit.site) if p not in listed and p not in (visit.rel, "404.html")]
    return problems + [f"sidebar does not list {p}" for p in missing]


#: The smallest chart text a reader sees on screen, in CSS pixels (the chart theme sets none smaller).
SCREEN_MIN_PX = 11

_CHART_TEXT = """() => Array.from(document.querySelectorAll('.cb-chart svg.marks')).map(svg => {
  const natural = parseFloat(svg.getAttribute('width'));
  const shown = svg.getBoundingClientRect().width;
  const sizes = Array.from(svg.querySelectorAll('text')).map(t => parseFloat(getComputedStyle(t).fontSize));
  return {spec: svg.closest('.cb-chart').dataset.spec, smallest: Math.min(...sizes) * shown / natural};
})"""


def chart_text_is_readable(page, visit: Visit) -> list[str]:
    """Chart text is drawn at 11 px or more as shown: a chart wider than its column is narrowed
    to fit, not shrunk, or else shown at its size to scroll sideways."""
    return [f"chart {c['spec']} shows text at {c['smallest']:.1f} px" for c in page.evaluate(_CHART_TEXT)
            if c["smallest"] < SCREEN_MIN_PX - 0.05]


PAGE_CHECKS: list[Callable] = [
    no_console_errors,
    no_request_leaves_localhost,
    declared_charts_render,
    charts_carry_alt_text,
    chart_text_is_readable,
    sidebar_links_resolve,
]


# --- visiting the site ---------------------------------------------------------------------------


def top_level_pages(site: Path) -> list[str]:
    """The current edition's pages (archived editions under v/ were checked when they were built)."""
    return [p for p in sitecheck.pages(site) if "/" not in p]


def base_url(mode: str, site: Path, site_url: str) -> str:
    return site_url if mode == "http" else site.resolve().as_uri() + "/"


def visit_page(page, guard: NetworkGuard, site: Path, url: str, rel: str) -> Visit:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    visit = Visit(site, rel, url)

    def on_console(msg):
        visit.console.append((msg.type, msg.text))

    def on_error(exc):
        visit.page_errors.append(str(exc))

    page.on("console", on_console)
    page.on("pageerror", on_error)
    guard.blocked.clear()
    try:
        page.goto(url, wait_until="load")
        try:
            page.wait_for_function(_SETTLED, timeout=CHART_TIMEOUT_MS)
        except PlaywrightTimeout:  # declared_charts_render reports each chart's status
            pass
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_error)
    visit.blocked = list(guard.blocked)
    return visit


@pytest.fixture(scope="module", params=MODES)
def tour(request, chromium, site, site_url):
    """Every page visited once, with every check's problems: {check name: [problem, ...]}."""
    base = base_url(request.param, site, site_url)
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    guard = NetworkGuard(base)
    context.route("**/*", guard)
    page = context.new_page()
    results: dict[str, list[str]] = {check.__name__: [] for check in PAGE_CHECKS}
    pages, drawn = top_level_pages(site), []
    try:
        for rel in pages:
            visit = visit_page(page, guard, site, base + rel, rel)
            for check in PAGE_CHECKS:
                results[check.__name__] += [f"{rel}: {problem}" for problem in check(page, visit)]
            drawn += [c["spec"].removeprefix("spec-") for c in page.evaluate(_CHARTS)["charts"] if c["status"] == "rendered"]
    finally:
        context.close()
    results["_pages"], results["_drawn"] = pages, drawn
    return results


@pytest.mark.parametrize("check", PAGE_CHECKS, ids=lambda check: check.__name__)
def test_every_page(tour, check):
    assert len(tour["_pages"]) >= 12
    problems = tour[check.__name__]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)


def test_on_a_phone_a_wide_chart_keeps_its_text_size_and_scrolls_sideways(open_page, site, site_url):
    page, guard = open_page(site_url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + next(p for p in sitecheck.pages(site) if posixpath.basename(p) == "05-scorecard.html"))
    page.wait_for_function("() => [...document.querySelectorAll('.cb-chart')].every(e => e.dataset.chartStatus === 'rendered')",
                           timeout=20_000)
    shown = page.evaluate(_CHART_TEXT)
    assert shown and all(c["smallest"] >= SCREEN_MIN_PX - 0.05 for c in shown), shown
    chart = page.locator('.cb-chart[data-spec="spec-scorecard"]')
    assert "is-full" in chart.get_attribute("class")
    assert page.evaluate("el => el.scrollWidth > el.clientWidth", chart.element_handle())  # it scrolls sideways
    page.click(".cb-chart-zoom")  # the reader may still fit it to the page
    assert "is-full" not in chart.get_attribute("class")
    assert guard.blocked == []


@pytest.mark.parametrize("width", [390, 600])
def test_on_a_narrow_screen_the_maps_fit_their_column_at_full_text_size(open_page, site, site_url, width):
    page, guard = open_page(site_url)
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(site_url + next(p for p in sitecheck.pages(site) if posixpath.basename(p) == "02-pilot-clusters.html"))
    page.wait_for_function("() => [...document.querySelectorAll('.cb-chart')].every(e => e.dataset.chartStatus === 'rendered')",
                           timeout=20_000)
    maps = page.evaluate("""() => [...document.querySelectorAll('.cb-chart')].map(el => {
      const svg = el.querySelector('svg.marks');
      return {spec: el.dataset.spec, room: el.clientWidth, drawn: parseFloat(svg.getAttribute('width')),
              shown: svg.getBoundingClientRect().width, full: el.classList.contains('is-full')};
    })""")
    assert {m["spec"] for m in maps} == {"spec-russia-map", "spec-cluster-map"}
    for m in maps:
        # drawn to fit, not scaled down or scrolled, and not narrowed further than the column asks
        assert not m["full"] and m["drawn"] <= m["room"] and abs(m["shown"] - m["drawn"]) < 1, m
        assert m["drawn"] >= 0.9 * m["room"], m
    assert all(c["smallest"] >= SCREEN_MIN_PX - 0.05 for c in page.evaluate(_CHART_TEXT))
    # the subtitle flows onto shorter lines, but the hint on how to use the map starts a line of its own
    hint_starts_a_line = page.evaluate("""() => [...document.querySelectorAll('.cb-chart')].map(el => {
      const hint = JSON.parse(document.getElementById(el.dataset.spec).textContent).usermeta.hint;
      return [...el.querySelectorAll('.role-title-subtitle tspan')].some(t => hint.startsWith(t.textContent));
    })""")
    assert hint_starts_a_line == [True, True]
    assert guard.blocked == []


def test_on_a_phone_a_table_row_is_a_card_whose_values_sit_beside_their_labels(open_page, site, site_url):
    page, guard = open_page(site_url)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + next(p for p in sitecheck.pages(site) if posixpath.basename(p) == "kaluga-pharma.html"))
    # every piece of a cell's content (a link, the text after it) starts right of the label column
    misplaced = page.evaluate("""() => [...document.querySelectorAll('.table-stack td[data-label]')].flatMap(td => {
      const box = td.getBoundingClientRect();
      return [...td.childNodes].filter(n => n.textContent.trim()).map(n => {
        const range = document.createRange(); range.selectNodeContents(n);
        const left = Math.min(...[...range.getClientRects()].map(r => r.left));
        return left < box.left + 0.3 * box.width ? td.dataset.label + ': ' + n.textContent.trim().slice(0, 40) : null;
      }).filter(Boolean);
    })""")
    assert page.locator(".table-stack td[data-label]").count() > 10
    assert misplaced == [] and guard.blocked == []


def test_every_chart_with_data_is_drawn(tour, site):
    """Each chart the book writes data for (figures/<chart id>.csv) is drawn on some page."""
    csvs = sorted(p.stem for p in (site / "figures").glob("*.csv"))
    assert len(csvs) >= 10
    assert sorted(set(tour["_drawn"])) == csvs, f"not drawn: {sorted(set(csvs) - set(tour['_drawn']))}"  # some on two pages


# --- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("cluster", "words"), SEARCHES)
def test_search_finds_a_cluster_and_opens_its_page(open_page, site, site_url, mode, cluster, words):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    base = base_url(mode, site, site_url)
    page, guard = open_page(base)
    page.goto(base + "index.html")
    page.fill("#search-input", words)
    results = page.locator("#search-results a.search-result")
    try:
        results.first.wait_for(state="visible", timeout=5_000)
    except PlaywrightTimeout:
        pytest.fail(f"searching for {words!r} shows no result: {page.locator('#search-results').inner_text()!r}")
    hrefs = results.evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert f"{cluster}.html" in hrefs, hrefs
    page.press("#search-input", "Enter")
    page.wait_for_url(f"**/{cluster}.html", timeout=10_000)
    assert page.locator("h1.chapter-title").inner_text().strip() == words
    assert guard.blocked == []


def test_the_search_index_loads_when_search_is_first_used_and_enter_waits_for_it(open_page, site, site_url):
    """A page does not fetch the index (megabytes on a large registry) until the reader uses the search box;
    Enter pressed before it has arrived opens the first result once it has."""
    base = base_url("http", site, site_url)
    page, guard = open_page(base)
    held = []
    page.route("**/assets/search-index.js", lambda route: held.append(route))  # the index arrives when the test lets it
    page.goto(base + "index.html")
    page.wait_for_load_state("load")
    assert held == [] and page.evaluate("typeof window.CB_SEARCH_INDEX") == "undefined"
    cluster, words = SEARCHES[0]
    page.fill("#search-input", words)
    page.press("#search-input", "Enter")
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert len(held) == 1 and "Loading the search index" in page.locator("#search-results").inner_text()
    held[0].continue_()
    page.wait_for_url(f"**/{cluster}.html", timeout=10_000)
    assert guard.blocked == []


# --- screenshots for the reviewer ---------------------------------------------------------------


def _not_blank(png: bytes) -> bool:
    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(png)).convert("L")
    return ImageStat.Stat(image).stddev[0] > 10


def test_screenshots_of_home_scorecard_and_a_profile_are_saved(open_page, site, site_url, built_book):
    root, _ = built_book
    pilot = load(root / "data")["clusters"].query("kind == 'pilot'")["id"].iloc[0]
    scorecard = next(p for p in top_level_pages(site) if "scorecard" in p)
    page, guard = open_page(site_url)
    saved = []
    for name, rel in (("home", "index.html"), ("scorecard", scorecard), ("profile", f"{pilot}.html")):
        page.goto(site_url + rel)
        page.wait_for_function(_SETTLED, timeout=CHART_TIMEOUT_MS)
        png = page.screenshot(full_page=True)
        assert _not_blank(png), f"the screenshot of {rel} is blank"
        saved.append(save_check_artifact(site, f"{name}.png", png))
    assert [p.name for p in saved] == ["home.png", "scorecard.png", "profile.png"]
    assert guard.blocked == []
    # Reviewer artifacts are never part of the site a reader can reach.
    assert not [p for p in sitecheck.pages(site) if "_checks" in (site / p).read_text(encoding="utf-8")]
