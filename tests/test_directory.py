"""The cluster directory and the compare tool: their records, their static tables and, in Chromium, the two pages.

The records (`analysis.report.directory.records`) are checked against the data and the scorecard. The
browser tests open the built site served and from disk: the directory filters and sorts and keeps its
state in the address across a reload, the compare tool reads and writes its address and shows units and
scope, values of unlike scope are marked, every row links to an existing profile, and axe-core finds no
serious or critical problem on either page.
"""

from __future__ import annotations

import json
import pickle
import posixpath
from pathlib import Path

import pytest
import sitecheck
from conftest import NetworkGuard, missing_tool

from analysis import indicators
from analysis.charts import export, figures
from analysis.data import load
from analysis.paths import DATA, ROOT
from analysis.report import directory

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
MODES = ("http", "file")
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def ds():
    return load(DATA)


@pytest.fixture(scope="module")
def data(ds):
    return directory.records(ds)


# --- the records ---------------------------------------------------------------------------------


def test_every_cluster_once_in_directory_order(ds, data):
    ids = [c["id"] for c in data["clusters"]]
    assert sorted(ids) == sorted(ds["clusters"]["id"]) and len(set(ids)) == len(ids)
    order = [directory.KIND_ORDER[c["kind"]] for c in data["clusters"]]
    assert order == sorted(order)
    assert [k["id"] for k in data["kinds"]] == list(directory.KINDS)


def test_scores_and_coverage_are_the_scorecards(ds, data):
    scores = indicators.scores(ds).set_index("cluster")
    by_id = {c["id"]: c for c in data["clusters"]}
    assert set(scores.index) == {c["id"] for c in data["clusters"] if c["assessed"]}
    for cid, s in scores.iterrows():
        c = by_id[cid]
        assert c["coverage"] == pytest.approx(s["coverage"]) and c["known"] == s["known"] and c["signs"] == s["signs"]
        assert c["scored"] == bool(s["scored"])
        if c["scored"]:
            assert c["score"] == pytest.approx(s["score"]) and c["light"] == s["light"] and c["rank"] == s["rank_label"]
        else:  # too little evidence: grey, no score, no rank
            assert (c["score"], c["light"], c["rank"]) == (None, indicators.INSUFFICIENT, None)
            assert c["light_label"] == ds.scorecard.minimum_coverage.label
    unassessed = [c for c in data["clusters"] if not c["assessed"]]
    assert unassessed and all(c["kind"] != "pilot" and c["score"] is None and c["coverage"] is None for c in unassessed)


def test_figures_are_every_observation_with_unit_scope_quality_and_source(ds, data):
    obs = ds.observations
    for c in data["clusters"]:
        assert len(c["figures"]) == int((obs["entity"] == c["id"]).sum())
        for f in c["figures"]:
            assert f["text"] and f["scope_label"] and f["quality_label"] and f["source"]
            assert "](" not in f["source"] and "\\" not in f["source"]  # plain text, not Markdown
    row = obs[(obs["indicator"] == "employees") & obs["value"].notna()].iloc[0]
    figure = next(f for c in data["clusters"] if c["id"] == row["entity"] for f in c["figures"] if f["indicator"] == "employees")
    assert figure["unit"] == ds.vocab.units[row["unit"]] == "people" and figure["text"].endswith(" people")
    assert figure["scope"] == row["scope"] and figure["quality"] == row["quality"]
    work = ds["references"].set_index("id").loc[row["source"], "short_name"]
    assert figure["source"].startswith(f"{work}, ")  # the work as a reader finds it in the References, then the place


def test_participants_are_the_latest_count_and_bounds_sort_beside_their_number(ds, data):
    rows = indicators.pilot_participants(ds)
    counted = {c["id"]: c["participants"] for c in data["clusters"] if c["participants"]}
    assert set(rows["entity"]) <= set(counted)
    below = next(p for p in counted.values() if p["text"].startswith("less than 20"))
    assert below["sort"] < 20 and below["year"] == 2013
    exact = next(p for cid, p in counted.items() if cid == "tomsk-pharma-it")
    assert (exact["text"], exact["sort"]) == ("61", 61)


def test_source_lines_name_their_works_with_their_references_anchors(ds, data):
    refs = set(ds["references"]["id"])
    items = [f for c in data["clusters"] for f in c["figures"]] + data["references"]
    assert items and all(item["source_links"] for item in items)
    for item in items:
        for label, anchor in item["source_links"]:
            assert label in item["source"] and anchor.removeprefix("ref-") in refs, (item["source"], anchor)


def test_references_are_the_benchmarks_with_their_scope(ds, data):
    refs = {r["id"]: r for r in data["references"]}
    assert set(refs) == set(ds["benchmarks"]["id"])
    assert refs["critical-mass-minimum"]["text"] == "30-50 organisations"
    assert refs["critical-mass-minimum"]["scope_label"] == "cluster initiative"
    assert refs["state-funding-share-floor"]["caveat"]
    assert set(data["indicators"]) >= {r["indicator"] for r in data["references"]}


def test_a_cluster_cannot_take_the_reference_token(ds):
    copy = pickle.loads(pickle.dumps(ds))
    clusters = copy["clusters"]
    clusters.loc[clusters.index[0], "id"] = directory.REFERENCE
    with pytest.raises(ValueError, match="world reference values"):
        directory.records(copy)


def _payload(script: str, name: str):
    prefix = f"window.{name} = "
    body = script.split("\n", 1)[1]
    assert body.startswith(prefix) and body.rstrip().endswith(";")
    return json.loads(body[len(prefix):].rstrip().rstrip(";"))


def test_the_data_scripts_set_globals_with_strict_json_and_are_written_into_the_site(ds, data, tmp_path):
    scripts = directory.data_scripts(ds)
    clusters = _payload(scripts[directory.DATA_SCRIPT], directory.GLOBAL)
    figures = _payload(scripts[directory.FIGURES_SCRIPT], directory.FIGURES_GLOBAL)
    assert clusters == json.loads(json.dumps(directory.split_records(data)[0]))
    assert figures == json.loads(json.dumps(directory.split_records(data)[1]))
    paths = directory.write_site_data(ds, tmp_path)
    assert paths == [tmp_path / "assets" / "clusters-data.js", tmp_path / "assets" / "clusters-figures.js"]
    assert [p.read_text(encoding="utf-8") for p in paths] == list(scripts.values())


def test_the_directory_file_has_no_figures_and_the_figures_file_names_each_source_once(data):
    clusters, figures = directory.split_records(data)
    assert all("figures" not in c for c in clusters["clusters"])
    assert [c["id"] for c in clusters["clusters"]] == [c["id"] for c in data["clusters"]]
    assert clusters["references"] == data["references"]
    lines = [s["source"] for s in figures["sources"]]
    assert len(lines) == len(set(lines)) < sum(len(c["figures"]) for c in data["clusters"])
    assert sum(map(len, figures["clusters"].values())) == sum(len(c["figures"]) for c in data["clusters"])
    assert all("source" not in f and "scope_label" not in f for fs in figures["clusters"].values() for f in fs)


def test_text_from_data_stays_text(ds):
    copy = pickle.loads(pickle.dumps(ds))
    clusters = copy["clusters"]
    clusters.loc[clusters["id"] == "kama", "short_name"] = "<script>alert(1)</script> | *x*"
    table = directory.pipe_table(directory.directory_table(copy))
    assert "<script>" not in table and r"\<script\>alert(1)\</script\> \| \*x\*" in table
    assert "<script>alert(1)</script> | *x*" in directory.data_scripts(copy)[directory.DATA_SCRIPT]  # a JSON string, set as text


def test_the_static_table_links_every_cluster_to_its_profile(ds, data):
    table = directory.directory_table(ds, data)
    assert len(table) == len(data["clusters"])
    for c, cell in zip(data["clusters"], table["Cluster"]):
        assert cell.endswith(f"(profiles/{c['id']}.md){{data-cluster=\"{c['id']}\"}}")
    unassessed = table[[not c["assessed"] for c in data["clusters"]]]
    assert set(unassessed["Score"]) == {"–"}
    markdown = directory.pipe_table(table)
    assert markdown.splitlines()[1] == "|" + "|".join(["---"] * len(table.columns)) + "|"


def test_the_tool_block_loads_the_data_then_the_script_from_the_site_root():
    block = directory.tool_markdown("compare")
    assert block.startswith("```{=html}\n") and '<div id="cb-compare" class="cb-tool" data-tool="compare">' in block
    assert block.index(directory.DATA_SCRIPT) < block.index(directory.FIGURES_SCRIPT) < block.index(directory.PAGE_SCRIPT)
    assert "quarto:offset" in block
    assert directory.FIGURES_SCRIPT not in directory.tool_markdown("directory")  # the directory needs no figures
    with pytest.raises(ValueError):
        directory.tool_markdown("map")


def test_the_pages_counts_add_up(ds, data):
    p = directory.pages(ds)
    assert p.n_clusters == p.n_pilots + p.n_components + p.n_other + p.n_foreign == len(data["clusters"])
    assert p.n_figures == sum(len(c["figures"]) for c in data["clusters"]) >= p.n_initiative + p.n_industry
    assert p.n_scored == int(indicators.scores(ds)["scored"].sum())
    assert len(p.compare) == p.n_with_figures and len(p.references) == p.n_references


def test_the_pages_agree_with_the_records_without_reading_every_value(ds, data):
    ds.reset_access()
    p = directory.pages(ds)
    assert "observations/" not in ds.accessed_files()  # so editing a figure does not run these chapters again
    counts = {c["name"]: str(len(c["figures"])) for c in data["clusters"] if c["figures"]}
    assert dict(zip(p.compare["Cluster"].str.extract(r"^\[(.*?)\]")[0], p.compare["Figures"])) == counts
    assert p.directory.equals(directory.directory_table(ds, data))
    assert p.n_references == len(data["references"])


def _russian(ds):
    """The directory's records and static tables as the build writes them for the Russian edition."""
    from analysis import text
    from analysis.data import language

    translations = language.read(ds.root)
    with text.speaking("ru", language.unit_forms(translations)):
        localized = language.localized(ds, "ru", translations)
        return directory.records(localized), directory.pages(localized), directory.data_scripts(localized)[directory.DATA_SCRIPT]


def test_the_russian_site_data_speaks_russian_and_keeps_the_ids_and_numbers(ds, data):
    ru, pages, script = _russian(ds)
    assert script.split("\n", 1)[1].startswith(f"window.{directory.GLOBAL} = ")
    assert script != directory.data_scripts(ds)[directory.DATA_SCRIPT]  # the English file is not touched by the Russian one
    # the same clusters, figures and references, with the same numbers; only the words differ
    en_by_id = {c["id"]: c for c in data["clusters"]}
    assert sorted(en_by_id) == sorted(c["id"] for c in ru["clusters"])
    numbers = ("kind", "country", "industry", "support_group", "assessed", "scored", "score", "light", "rank",
               "coverage", "known", "signs")
    for c in ru["clusters"]:
        en = en_by_id[c["id"]]
        assert {k: c[k] for k in numbers} == {k: en[k] for k in numbers}
        assert [(f["indicator"], f["breakdown"], f["value"], f["value_high"], f["year"], f["scope"], f["quality"]) for f in c["figures"]] \
            == [(f["indicator"], f["breakdown"], f["value"], f["value_high"], f["year"], f["scope"], f["quality"]) for f in en["figures"]]
        assert [link[1] for f in c["figures"] for link in f["source_links"]] == [link[1] for f in en["figures"] for link in f["source_links"]]
        assert (c["participants"] or {}).get("sort") == (en["participants"] or {}).get("sort")
    assert [(r["id"], r["value"], r["value_high"]) for r in ru["references"]] == [(r["id"], r["value"], r["value_high"]) for r in data["references"]]
    assert [k["id"] for k in ru["kinds"]] == [k["id"] for k in data["kinds"]] and set(ru["indicators"]) == set(data["indicators"])
    # Russian labels, kind words, units and source lines
    assert [k["label"] for k in ru["kinds"]] == list(directory.KINDS_RU.values())
    pilot = next(c for c in ru["clusters"] if c["kind"] == "pilot")
    assert pilot["kind_label"] == "Пилотный кластер" and pilot["country_label"] == "Россия"
    kaluga = next(c for c in ru["clusters"] if c["id"] == "kaluga-pharma")
    assert "Калуж" in kaluga["name"] and kaluga["region"] == "Калужская область"
    figures = [f for c in ru["clusters"] for f in c["figures"]]
    assert {f["scope_label"] for f in figures} <= set(directory.SCOPE_RU.values())
    assert {f["quality_label"] for f in figures} <= set(directory.QUALITIES_RU.values())
    people = next(f for f in figures if f["indicator"] == "employees" and f["value"] is not None)
    assert people["unit"] == "человек" and people["text"].endswith(" человек")
    assert "\u00a0" in people["text"] or people["value"] < 1000  # 12 400: thousands apart as Russian writes them
    refs = {r["id"]: r for r in ru["references"]}
    assert refs["critical-mass-minimum"]["text"] == "30–50 организаций"
    assert refs["critical-mass-minimum"]["scope_label"] == "кластерная инициатива"
    assert ru["indicators"]["participants"]["unit"] == "организации"
    counts = {k for k, i in data["indicators"].items() if i["unit"] == "count"}
    assert counts and {k for k, i in ru["indicators"].items() if i["unit"] == "count"} == counts  # a count's unit is never shown
    assert any(", раздел «" in f["source"] or ", рис. " in f["source"] or ", с. " in f["source"] for f in figures)
    assert {c["light_label"] for c in ru["clusters"] if c["scored"]} <= set(directory.LIGHTS_RU.values())
    assert {c["light_label"] for c in ru["clusters"] if not c["assessed"]} == {"Не оценивается"}
    # the static tables: Russian headings and words, the same links
    table = directory.pipe_table(pages.directory)
    assert table.startswith("| Кластер | Вид | Местоположение | Отрасль | Участники | Оценка | Полнота данных |")
    assert "группа 1" in table and " из 10)" in table and "group" not in table
    assert list(pages.references.columns)[:3] == ["Показатель", "Ориентир", "Значение"]
    assert pages.n_clusters == len(data["clusters"]) and pages.n_figures == sum(len(c["figures"]) for c in data["clusters"])


# --- the pages in the browser --------------------------------------------------------------------


def _page(site: Path, name: str) -> str:
    """The page of a tool, wherever the engine put it (the site root or chapters/)."""
    return next(p for p in sitecheck.pages(site) if posixpath.basename(p) == f"{name}.html")


@pytest.fixture(scope="module")
def built(built_book):
    root = built_book[0]
    return directory.records(load(root / "data"))


def _base(mode: str, site: Path, site_url: str) -> str:
    return site_url if mode == "http" else site.resolve().as_uri() + "/"


def _open(open_page, base: str, rel: str, query: str = ""):
    page, guard = open_page(base)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(base + rel + query)
    page.wait_for_selector(".cb-tool-ready .cb-tool table, .cb-tool-ready .cb-tool .cb-status", timeout=TIMEOUT_MS)
    return page, guard, errors


def _rows(page) -> list[str]:
    return page.eval_on_selector_all(".cb-directory-table tbody tr[data-cluster]", "rows => rows.map(r => r.dataset.cluster)")


def _query(page) -> dict[str, str]:
    from urllib.parse import parse_qsl, urlsplit

    return dict(parse_qsl(urlsplit(page.url).query))


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_directory_filters_sorts_and_keeps_its_state_across_a_reload(open_page, site, site_url, built, mode):
    base = _base(mode, site, site_url)
    rel = _page(site, "directory")
    page, guard, errors = _open(open_page, base, rel)
    assert _rows(page) == [c["id"] for c in built["clusters"]]
    assert page.locator("#cb-directory-list").is_hidden()  # the static table gives way to the tool

    page.select_option("#cb-filter-kind", "foreign")
    foreign = [c for c in built["clusters"] if c["kind"] == "foreign"]
    assert sorted(_rows(page)) == sorted(c["id"] for c in foreign)
    country = foreign[0]["country"]
    page.select_option("#cb-filter-country", country)
    wanted = [c for c in foreign if c["country"] == country]
    assert sorted(_rows(page)) == sorted(c["id"] for c in wanted)
    assert page.locator(".cb-status").first.inner_text() == f"Showing {len(wanted)} of {len(built['clusters'])} clusters."
    if 2 <= len(wanted) <= directory.MAX_COMPARED:  # a short list opens on the compare page
        href = page.get_attribute(".cb-actions a", "href")
        assert href.endswith("compare.html?c=" + ",".join(_rows(page)))
        assert not sitecheck.resolve(site, rel, href.split("?")[0])

    page.select_option("#cb-filter-country", "")
    page.click(".cb-directory-table thead button:has-text('Cluster')")  # names A to Z
    names = [c["name"] for c in sorted(foreign, key=lambda c: c["name"].lower())]
    assert [page.locator(f'tr[data-cluster="{cid}"] th a').inner_text() for cid in _rows(page)] == names
    page.click(".cb-directory-table thead button:has-text('Cluster')")  # then Z to A
    assert _rows(page)[0] == max(foreign, key=lambda c: c["name"].lower())["id"]
    assert page.get_attribute(".cb-directory-table thead th[aria-sort]", "aria-sort") == "descending"
    assert _query(page) == {"kind": "foreign", "sort": "name", "dir": "desc"}

    shown = _rows(page)
    page.reload()
    page.wait_for_selector(".cb-directory-table tbody tr", timeout=TIMEOUT_MS)
    assert _rows(page) == shown and page.input_value("#cb-filter-kind") == "foreign"
    assert page.get_attribute(".cb-directory-table thead th[aria-sort]", "aria-sort") == "descending"
    assert errors == [] and guard.blocked == []


def _score(data: dict, cid: str):
    return next(c["score"] for c in data["clusters"] if c["id"] == cid)


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_directory_reads_a_shared_address_and_sorts_scores_with_the_unscored_last(open_page, site, site_url, built, mode):
    base = _base(mode, site, site_url)
    page, guard, errors = _open(open_page, base, _page(site, "directory"), "?kind=pilot&group=2&sort=score&dir=desc")
    pilots = [c for c in built["clusters"] if c["kind"] == "pilot" and c["support_group"] == 2]
    scored = sorted((c for c in pilots if c["scored"]), key=lambda c: -c["score"])
    rows = _rows(page)
    assert sorted(rows) == sorted(c["id"] for c in pilots)
    assert [_score(built, cid) for cid in rows[:len(scored)]] == [c["score"] for c in scored]
    assert all(page.get_attribute(f'tr[data-cluster="{cid}"] td[data-light]', "data-light") == "insufficient"
               for cid in rows[len(scored):])
    assert page.input_value("#cb-filter-group") == "2"
    # a value the data does not have is ignored, not shown as an empty list
    page.goto(base + _page(site, "directory") + "?country=nowhere")
    page.wait_for_selector(".cb-directory-table tbody tr", timeout=TIMEOUT_MS)
    assert len(_rows(page)) == len(built["clusters"]) and "country" not in _query(page)
    assert errors == [] and guard.blocked == []


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_the_directory_map_shows_the_listed_clusters_and_a_dot_opens_its_profile(open_page, site, site_url, built, mode):
    base = _base(mode, site, site_url)
    page, guard, errors = _open(open_page, base, _page(site, "directory"), "?kind=foreign")
    chart = '.cb-chart[data-spec="spec-directory-map"]'
    dots = f"{chart} .mark-symbol.role-mark path"
    page.wait_for_selector(f'{chart}[data-shown="{len(_rows(page))}"]', timeout=TIMEOUT_MS)
    named = page.eval_on_selector_all(dots, "ps => ps.map(p => p.getAttribute('aria-label'))")
    foreign = [c for c in built["clusters"] if c["kind"] == "foreign"]
    assert len(named) == len(foreign) and all(label.startswith(tuple(c["full_name"] + "," for c in foreign)) for label in named)

    page.select_option("#cb-filter-kind", "")  # all clusters again: the map shows every dot
    page.wait_for_selector(f'{chart}[data-shown="all"]', timeout=TIMEOUT_MS)
    assert page.locator(dots).count() == len(built["clusters"])

    page.select_option("#cb-filter-kind", "foreign")
    page.wait_for_selector(f'{chart}[data-shown="{len(foreign)}"]', timeout=TIMEOUT_MS)
    dot = page.locator(dots).first
    label = dot.get_attribute("aria-label")
    cluster = next(c for c in foreign if label.startswith(c["full_name"] + ","))
    dot.scroll_into_view_if_needed()
    box = dot.bounding_box()
    with page.expect_navigation(timeout=TIMEOUT_MS):
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.url.split("?")[0].endswith(f"/{cluster['id']}.html")
    assert page.locator("h1").first.inner_text().strip() != ""
    assert errors == [] and guard.blocked == []


@pytest.mark.browser
@pytest.mark.slow
def test_every_directory_row_links_to_an_existing_profile(open_page, site, site_url, built):
    rel = _page(site, "directory")
    page, guard, errors = _open(open_page, site_url, rel)
    hrefs = page.eval_on_selector_all(".cb-directory-table tbody th a", "links => links.map(a => a.getAttribute('href'))")
    assert len(hrefs) == len(built["clusters"])
    problems = [f"{href}: {why}" for href in hrefs if (why := sitecheck.resolve(site, rel, href))]
    assert problems == []
    assert {posixpath.basename(h) for h in hrefs} == {f"{c['id']}.html" for c in built["clusters"]}
    assert errors == [] and guard.blocked == []


def _mixed_pair(data: dict) -> tuple[str, str, str]:
    """Two clusters with a figure on the same indicator but of unlike scope, and that indicator's label."""
    seen: dict[str, tuple[str, str]] = {}
    for c in data["clusters"]:
        for f in c["figures"]:
            if f["breakdown"] is None:
                other = seen.setdefault(f["indicator"], (c["id"], f["scope"]))
                if other[0] != c["id"] and other[1] != f["scope"]:
                    return other[0], c["id"], f["label"]
    pytest.skip("the data has no indicator that two clusters report with unlike scope")


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("mode", MODES)
def test_compare_round_trips_its_address_and_shows_units_and_scope(open_page, site, site_url, built, mode):
    base = _base(mode, site, site_url)
    rel = _page(site, "compare")
    rich = sorted((c for c in built["clusters"] if c["figures"]), key=lambda c: -len(c["figures"]))
    a, b, extra = rich[0], rich[1], rich[2]
    page, guard, errors = _open(open_page, base, rel, f"?c={a['id']},{b['id']},{directory.REFERENCE}")
    heads = page.eval_on_selector_all(".cb-compare-table thead th[data-cluster]", "ths => ths.map(t => t.dataset.cluster)")
    assert heads == [a["id"], b["id"]]
    assert page.locator(".cb-compare-table thead th.cb-ref-cell").inner_text() == "World reference values"
    assert page.is_checked("#cb-compare-ref")
    table = page.locator(".cb-compare-table").inner_text()
    figure = a["figures"][0]
    assert figure["text"] in table and figure["scope_label"] in table
    units = page.eval_on_selector_all(".cb-unit", "us => us.map(u => u.textContent)")
    assert units and all(u.startswith("Unit: ") for u in units)
    assert page.locator(".cb-compare-table .cb-scope").count() >= len(a["figures"]) + len(b["figures"])
    assert page.locator(".cb-sources li").count() >= 1
    # every work a source line names leads to its entry in the References
    items = page.eval_on_selector_all(".cb-sources li", "lis => lis.map(li => [li.textContent, [...li.querySelectorAll('a')].map(a => a.getAttribute('href'))])")
    assert all(links for _, links in items), items
    hrefs = [href.removeprefix(base) for _, links in items for href in links]  # absolute, as the script builds them
    problems = [f"{href}: {why}" for href in hrefs if (why := sitecheck.resolve(site, "index.html", href))]
    assert problems == [] and all("#ref-" in href and "://" not in href for href in hrefs)

    page.click(f'button[aria-label="Remove {a["name"]}"]')
    page.select_option("#cb-compare-add", extra["id"])
    page.click(".cb-add")
    page.uncheck("#cb-compare-ref")
    assert _query(page) == {"c": f"{b['id']},{extra['id']}"}
    page.reload()
    page.wait_for_selector(".cb-compare-table", timeout=TIMEOUT_MS)
    heads = page.eval_on_selector_all(".cb-compare-table thead th[data-cluster]", "ths => ths.map(t => t.dataset.cluster)")
    assert heads == [b["id"], extra["id"]] and not page.is_checked("#cb-compare-ref")
    assert errors == [] and guard.blocked == []


@pytest.mark.browser
@pytest.mark.slow
def test_compare_marks_values_of_unlike_scope_and_says_what_it_could_not_read(open_page, site, site_url, built):
    first, second, label = _mixed_pair(built)
    query = f"?c={first},{second},no-such-cluster"
    page, guard, errors = _open(open_page, site_url, _page(site, "compare"), query)
    mixed = page.locator("tr.cb-mixed", has_text=label)
    assert mixed.count() == 1
    assert "Unlike scope" in mixed.locator(".cb-mixed-note").inner_text()
    assert "no-such-cluster" in page.locator(".cb-notice").inner_text()
    assert _query(page) == {"c": f"{first},{second}"}  # the address keeps only what the page shows
    links = page.eval_on_selector_all(".cb-compare-table thead th a", "links => links.map(a => a.getAttribute('href'))")
    assert [posixpath.basename(h) for h in links] == [f"{first}.html", f"{second}.html"]
    assert errors == [] and guard.blocked == []


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("name", ["directory", "compare"])
def test_axe_finds_no_serious_or_critical_violation(chromium, site, site_url, built, name):
    if not AXE.exists():
        missing_tool(f"{AXE.relative_to(ROOT)} is missing: run `npm ci` (.ci/run does)")
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", NetworkGuard(site_url))
    try:
        page = context.new_page()
        rich = [c["id"] for c in built["clusters"] if c["figures"]][:2]
        query = "?kind=pilot&sort=score&dir=desc" if name == "directory" else f"?c={','.join(rich)},{directory.REFERENCE}"
        page.goto(site_url + _page(site, name) + query)
        page.wait_for_selector(".cb-tool-ready .cb-tool table", timeout=TIMEOUT_MS)
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    finally:
        context.close()
    blocking = [f"{v['id']} [{v['impact']}] {v['help']}: {[n['target'] for n in v['nodes'][:3]]}"
                for v in violations if v["impact"] in ("serious", "critical")]
    assert blocking == []



# --- the page scripts in Russian -----------------------------------------------------------------

#: A page of the Russian edition, as far as the two scripts need one: the search box, a tool's place, the
#: static table's links and the data; the scripts are the project's own (assets/site.js, assets/directory.js).
RUSSIAN_PAGE = """<!DOCTYPE html>
<html lang="ru" class="no-js" data-root=""><head><meta charset="utf-8"><title>Проверка</title></head><body><main>
<form class="search" role="search"><input id="search-input" type="search">
<div id="search-results" hidden></div><p id="search-status" role="status"></p></form>
<div id="cb-{tool}" class="cb-tool" data-tool="{tool}"></div>
<a href="compare.html" data-compare-page="true">сравнение</a>
<script>window.CB_SEARCH_INDEX = {index};</script>
<script src="assets/clusters-data.js"></script><script src="assets/clusters-figures.js"></script><script src="assets/site.js"></script><script src="assets/directory.js"></script>
</main></body></html>
"""
SEARCH_ENTRIES = [
    {"title": "Фармацевтический кластер Калужской области", "url": "kaluga.html", "chapter": "Профили кластеров",
     "level": 2, "number": "", "text": "", "body": "Калужская фармацевтика: компании и ёмкость рынка."},
    {"title": "Технопарк Сарова", "url": "sarov.html", "chapter": "Профили кластеров", "level": 2, "number": "",
     "text": "", "body": "Ядерные технологии в Сарове."},
    {"title": "Пилотные кластеры", "url": "pilots.html", "chapter": "Пилотные кластеры", "level": 1, "number": "2",
     "text": "", "body": "В 2012 году отобраны 25 кластеров."},
]


def _russian_page(tmp_path: Path, ds, tool: str) -> str:
    assets = tmp_path / "assets"
    assets.mkdir(exist_ok=True)
    for name in ("site.js", "directory.js"):
        (assets / name).write_text((ROOT / "assets" / name).read_text(encoding="utf-8"), encoding="utf-8")
    directory.write_site_data(ds, tmp_path)  # the scripts' own words are what is checked, not the data's
    page = tmp_path / f"{tool}.html"
    page.write_text(RUSSIAN_PAGE.format(tool=tool, index=json.dumps(SEARCH_ENTRIES, ensure_ascii=False)), encoding="utf-8")
    return page.resolve().as_uri()


@pytest.mark.browser
def test_the_compare_page_puts_every_figure_back_whole_from_the_figures_file(open_page, ds, data, tmp_path):
    url = _russian_page(tmp_path, ds, "compare")
    page, guard = open_page(url)
    page.goto(url)
    page.wait_for_selector(".cb-tool-ready", timeout=TIMEOUT_MS)
    clusters = page.evaluate("window.CB_CLUSTERS.clusters")
    assert clusters == json.loads(json.dumps(data["clusters"]))
    assert guard.blocked == []


@pytest.mark.browser
def test_a_cluster_the_cut_static_list_leaves_out_still_links_to_its_profile(open_page, ds, data, tmp_path):
    """Beyond `cb.table-rows` the static list shows its first rows only; the tool lists every cluster and
    makes the missing addresses the way the engine made the listed ones."""
    _russian_page(tmp_path, ds, "directory")
    listed = data["clusters"][:2]
    links = "".join(f'<a data-cluster="{c["id"]}" href="../profiles/{c["id"]}.html">{c["id"]}</a>' for c in listed)
    page_file = tmp_path / "directory.html"
    page_file.write_text(page_file.read_text(encoding="utf-8").replace(
        '<a href="compare.html"', f'<div id="cb-directory-list">{links}</div><a href="compare.html"'), encoding="utf-8")
    page, guard = open_page(page_file.resolve().as_uri())
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(page_file.resolve().as_uri())
    page.wait_for_selector(".cb-tool-ready .cb-directory-table tbody tr", timeout=TIMEOUT_MS)
    rows = page.eval_on_selector_all(".cb-directory-table tbody tr[data-cluster]",
                                     "rows => rows.map(r => [r.dataset.cluster, r.querySelector('th a').getAttribute('href')])")
    assert len(rows) == len(data["clusters"]) > len(listed)
    assert all(href == f"../profiles/{cluster}.html" for cluster, href in rows)
    assert page.locator("#cb-directory-list").is_hidden()
    assert errors == [] and guard.blocked == []


@pytest.mark.browser
def test_search_in_russian_finds_other_forms_of_a_word_and_counts_in_russian(open_page, ds, tmp_path):
    url = _russian_page(tmp_path, ds, "directory")
    page, guard = open_page(url)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)

    def found(query: str) -> list[str]:
        page.fill("#search-input", query)
        return page.eval_on_selector_all("#search-results a.search-result", "as => as.map(a => a.getAttribute('href'))")

    assert found("фармацевт") == ["kaluga.html"]  # the start of a word: «фармацевтический», «фармацевтика»
    assert found("ФАРМАЦЕВТИКА") == ["kaluga.html"]  # any case, and another form: «фармацевтический»
    assert found("Калуга") == ["kaluga.html"]  # «Калужская», «Калужской»: г becomes ж before the ending
    assert found("Саров") == ["sarov.html"] and found("Сарову") == ["sarov.html"]
    assert found("емкость") == ["kaluga.html"]  # «ё» reads as «е»
    assert found("кластеры") == ["pilots.html", "kaluga.html", "sarov.html"]  # «кластеров», «кластер»; titles first
    assert page.inner_text("#search-status") == "Найдено: 3 результата."
    assert found("пилотных") == ["pilots.html"] and page.inner_text("#search-status") == "Найдено: 1 результат."
    assert found("оно") == [] and page.inner_text("#search-results") == "По запросу «оно» ничего не найдено."
    found("Калуга")
    assert page.eval_on_selector_all("#search-results mark", "ms => ms.map(m => m.textContent.toLowerCase())")[:1] == ["калуж"]
    assert errors == [] and guard.blocked == []


@pytest.mark.browser
def test_the_tools_speak_the_pages_language(open_page, ds, data, tmp_path):
    url = _russian_page(tmp_path, ds, "directory")
    page, guard = open_page(url)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url + "?kind=pilot&sort=score&dir=desc")
    page.wait_for_selector(".cb-tool-ready .cb-directory-table tbody tr", timeout=TIMEOUT_MS)
    pilots = sum(c["kind"] == "pilot" for c in data["clusters"])
    assert page.inner_text(".cb-status") == f"Показано: {pilots} кластеров из {len(data['clusters'])}."
    heads = page.eval_on_selector_all(".cb-directory-table thead button", "bs => bs.map(b => b.firstChild.textContent)")
    assert heads == ["Кластер", "Местоположение", "Отрасль", "Участники", "Оценка", "Полнота данных"]
    best = next(c for c in data["clusters"] if c["rank"] == "1")
    assert page.locator(f'tr[data-cluster="{best["id"]}"] td[data-light]').inner_text().startswith(
        f"{best['score']:.1f}%".replace(".", ",").replace(",0%", "%"))  # 66,7%: a decimal comma
    assert " из 10 признаков" in page.locator(f'tr[data-cluster="{best["id"]}"]').inner_text()
    page.fill("#cb-filter-q", best["name"][:4].upper())
    assert page.inner_text(".cb-status").startswith("Показано: ") and best["id"] in _rows(page)

    compare = _russian_page(tmp_path, ds, "compare")
    rich = sorted((c for c in data["clusters"] if c["figures"]), key=lambda c: -len(c["figures"]))[:2]
    page.goto(compare + f"?c={rich[0]['id']},{rich[1]['id']},{directory.REFERENCE},nowhere")
    page.wait_for_selector(".cb-compare-table", timeout=TIMEOUT_MS)
    assert page.locator(".cb-compare-table thead th.cb-ref-cell").inner_text() == "Международные ориентиры"
    assert page.inner_text(".cb-notice") == "В адресе названы кластеры, которых нет в этом выпуске: nowhere."
    units = page.eval_on_selector_all(".cb-unit", "us => us.map(u => u.textContent)")
    assert units and all(u.startswith("Ед. изм.: ") for u in units)
    assert page.inner_text(".cb-sources-title") == "Источники"
    options = page.eval_on_selector_all("#cb-compare-add option", "os => os.map(o => o.textContent)")
    assert any(o.endswith(" показатель)") for o in options) and any(o.endswith(" показателей)") for o in options)
    assert errors == [] and guard.blocked == []


@pytest.mark.browser
@pytest.mark.slow
def test_the_russian_editions_tools_list_the_same_clusters_in_russian(open_page, site, site_url, built):
    pages = {posixpath.basename(p): p for p in sitecheck.pages(site) if p.startswith("ru/")}
    if not {"directory.html", "compare.html"} <= set(pages):
        pytest.skip("the built site has no Russian directory and compare pages")
    page, guard, errors = _open(open_page, site_url, pages["directory.html"])
    assert sorted(_rows(page)) == sorted(c["id"] for c in built["clusters"])
    n = len(built["clusters"])
    assert page.locator(".cb-status").first.inner_text() == f"Показано: {n} {('кластер' if n % 10 == 1 and n % 100 != 11 else 'кластера' if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 'кластеров')} из {n}."
    assert page.evaluate("document.documentElement.lang") == "ru"
    assert page.evaluate("window.CB_CLUSTERS.kinds[0].label") == directory.KINDS_RU["pilot"]
    assert errors == [] and guard.blocked == []
    rich = [c["id"] for c in built["clusters"] if c["figures"]][:2]
    page, guard, errors = _open(open_page, site_url, pages["compare.html"], f"?c={','.join(rich)},{directory.REFERENCE}")
    assert page.locator(".cb-compare-table thead th.cb-ref-cell").inner_text() == "Международные ориентиры"
    assert errors == [] and guard.blocked == []


def test_the_directory_says_how_its_map_follows_the_list(ds, monkeypatch):
    import analysis.charts as charts

    assert directory.pages(ds).map_note.startswith("The map shows the same clusters as the list")
    # a registry whose map counts clusters per square: the page says so, decided as the map decides
    monkeypatch.setattr(charts, "MAP_DOTS", len(indicators.cluster_locations(ds)) - 1)
    assert "whatever the filters" in directory.pages(ds).map_note
    assert "filter_param" not in export.spec(figures.build(ds, "directory-map"))["usermeta"]
