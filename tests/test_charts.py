"""Every figure renders offline, carries its metadata, uses only theme colours and has a stable spec.

Snapshots in tests/snapshots/charts/<id>.json are the specs as a reviewer reads them: pretty-printed,
keys sorted, each inline table shown as its columns and row count. After an intended change to a
chart, rewrite them with `UPDATE_SNAPSHOTS=1 python -m pytest tests/test_charts.py` and review the diff.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from analysis import charts, indicators
from analysis.charts import export, figures, theme
from analysis.data import load

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).parent / "snapshots" / "charts"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: Names Altair derives from content hashes; a snapshot shows them as stable placeholders.
HASHED_NAMES = {"data": re.compile(r"data-[0-9a-f]{32}"), "view": re.compile(r"view_[0-9a-f]{16}(?:_\d+)?")}

#: Writes each figure's published files (spec, data, SVG as in the PDF) from a fresh interpreter.
RENDER_FIGURES = """
import sys
from pathlib import Path

from analysis.charts import export

from analysis.charts import figures
from analysis.data import load

out, order = Path(sys.argv[1]), list(figures.FIGURES)
if sys.argv[2] == "reversed":
    order.reverse()
ds = load()
for fid in order:
    export.write(figures.build(ds, fid), out, fid, formats=("json", "csv", "svg"))
"""


@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.fixture(scope="module")
def built(ds):
    return {fid: figures.build(ds, fid) for fid in figures.FIGURES}


def _summary(rows: list) -> dict:
    columns = list(dict.fromkeys(key for row in rows if isinstance(row, dict) for key in row))
    return {"columns": columns, "rows": len(rows)}


def _snapshot(spec: dict) -> str:
    """The spec as snapshot text: inline tables summarised, hashed names numbered in reading order."""
    aliases: dict[str, str] = {}
    counts = dict.fromkeys(HASHED_NAMES, 0)

    def rename(value: str) -> str:
        for kind, pattern in HASHED_NAMES.items():
            if pattern.fullmatch(value):
                if value not in aliases:
                    counts[kind] += 1
                    aliases[value] = f"<{kind} {counts[kind]}>"
                return aliases[value]
        return value

    def walk(node, parent: str | None = None):
        if isinstance(node, dict):
            return {key: _summary(value) if key == "values" and parent == "data" and isinstance(value, list) else walk(value, key)
                    for key, value in sorted(node.items())}
        if isinstance(node, list):
            return [walk(v, parent) for v in node]
        return rename(node) if isinstance(node, str) else node

    datasets = spec.get("datasets", {})
    out = walk({k: v for k, v in spec.items() if k != "datasets"})
    if datasets:  # referenced tables in the order they are used, then any unused one
        out["datasets"] = {rename(name): _summary(datasets[name]) for name in sorted(datasets, key=lambda n: (n not in aliases, n))}
    return json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _without_datasets(spec: dict) -> str:
    return json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)


def test_the_catalogue_has_every_required_chart():
    required = {"critical-mass", "funding-comparison", "specialisation-gap", "scorecard", "foreign-figures",
                "success-factors", "policy-timeline", "cluster-map"}
    assert required <= set(figures.FIGURES)


def test_theme_is_registered_and_active():
    assert theme.THEME_NAME in alt.theme.names()
    assert alt.theme.active == theme.THEME_NAME


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_figure_renders_to_png_without_network(built, fid):
    spec = export.spec(built[fid])  # validates against the Vega-Lite schema
    assert '"url"' not in json.dumps(spec), "charts must embed their data, never fetch it"
    png = export.to_png(built[fid], scale=1)
    assert png.startswith(PNG_MAGIC) and len(png) > 5_000


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_figure_has_title_alt_text_tooltips_and_source(built, fid):
    spec = export.spec(built[fid])
    meta = spec["usermeta"]
    assert meta["id"] == fid
    assert meta["title"] and meta["source"].startswith(("Source: ", "Sources: "))
    assert "11-references.qmd#ref-" in meta["source"]  # each work links to its entry in the References
    assert len(spec["description"]) > 80 and "nan" not in spec["description"].lower().split()
    assert spec["description"] == meta["description"]
    assert '"tooltip"' in _without_datasets(spec)
    assert "title" not in spec, "the source line is printed once, under the chart, not inside it"


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_figure_uses_only_theme_colours(built, fid):
    allowed = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}", Path(theme.__file__).read_text())}
    used = {c.lower() for c in re.findall(r"#[0-9a-fA-F]{6}", _without_datasets(export.spec(built[fid])))}
    assert used <= allowed, used - allowed


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_figure_data_exports_as_a_tidy_table(built, fid):
    table = export.chart_data(built[fid])
    assert len(table) > 0 and len(table.columns) >= 2
    assert not any(c.startswith("_") for c in table.columns)


@pytest.fixture(scope="module")
def two_renders(tmp_path_factory) -> tuple[Path, Path]:
    """Every figure rendered by two fresh interpreters: other hash seeds, the figures in opposite orders."""
    runs = []
    for seed, order in (("1", "forward"), ("2", "reversed")):
        out = tmp_path_factory.mktemp(f"figures-{order}")
        env = {**os.environ, "PYTHONHASHSEED": seed,
               "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        runs.append((out, subprocess.Popen([sys.executable, "-c", RENDER_FIGURES, str(out), order], cwd=ROOT, env=env,
                                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)))
    results = [(proc.communicate(), proc.returncode) for _, proc in runs]
    failed = ["".join(output) for output, code in results if code]
    assert not failed, "rendering the figures failed:\n" + "\n".join(failed)
    return runs[0][0], runs[1][0]


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_spec_data_and_svg_are_identical_bytes_when_rendered_again(two_renders, fid):
    first, second = two_renders
    for name in (f"{fid}.json", f"{fid}.csv", f"{fid}.svg"):
        a, b = (first / name).read_bytes(), (second / name).read_bytes()
        if a != b:
            lines = [t.decode("utf-8", "replace").splitlines(keepends=True) for t in (a, b)]
            diff = list(difflib.unified_diff(*lines, "first render", "second render", n=1))[:40]
            pytest.fail(f"{name} differs between two renders:\n{''.join(diff)}", pytrace=False)


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_spec_matches_snapshot(built, fid):
    current = _snapshot(export.spec(built[fid]))
    path = SNAPSHOTS / f"{fid}.json"
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(current, encoding="utf-8")
    update = f"if the change is intended, run `UPDATE_SNAPSHOTS=1 python -m pytest {Path(__file__).resolve().relative_to(ROOT)}` and commit"
    if not path.exists():
        pytest.fail(f"no snapshot {path.relative_to(ROOT)}; {update} the new file", pytrace=False)
    expected = path.read_text(encoding="utf-8")
    if current != expected:
        diff = difflib.unified_diff(expected.splitlines(keepends=True), current.splitlines(keepends=True),
                                    f"{path.name} (snapshot)", f"{path.name} (built now)")
        pytest.fail(f"the {fid} spec changed; {update} the snapshot.\n{''.join(diff)}", pytrace=False)


def test_every_snapshot_belongs_to_a_figure():
    orphans = sorted(p.name for p in SNAPSHOTS.iterdir() if p.suffix != ".json" or p.stem not in figures.FIGURES)
    assert not orphans, f"delete these snapshots, no figure has their id: {orphans}"


def test_interactive_charts_have_named_parameters(built):
    for fid in ("critical-mass", "scorecard", "specialisation-gap", "cluster-map", "funding-comparison"):
        params = re.findall(r'"name": "([a-z_]+)"', _without_datasets(export.spec(built[fid])))
        assert params, fid
        assert not any(re.fullmatch(r"(param|view)_\d+", p) for p in params), params


def test_scorecard_has_a_cluster_picker(built):
    spec = _without_datasets(export.spec(built["scorecard"]))
    assert '"pick_cluster"' in spec and '"select"' in spec


def _colour_scales(node, field: str):
    """Every colour scale in a spec that encodes `field`."""
    if isinstance(node, dict):
        colour = node.get("color")
        if isinstance(colour, dict) and colour.get("field") == field and "scale" in colour:
            yield colour["scale"]
        for value in node.values():
            yield from _colour_scales(value, field)
    elif isinstance(node, list):
        for value in node:
            yield from _colour_scales(value, field)


def _scorecard_rows(spec: dict) -> list[dict]:
    """The per-cluster rows beside the grid: the inline table with a rank label."""
    return next(rows for rows in spec["datasets"].values() if rows and "rank_label" in rows[0])


def test_scorecard_greys_clusters_with_too_little_evidence_and_ranks_only_the_scored(built):
    spec = export.spec(built["scorecard"])
    rows = _scorecard_rows(spec)
    thin = [r for r in rows if not r["scored"]]
    assert len(thin) == 12 and {r["light_label"] for r in thin} == {"Insufficient evidence"}
    assert all(r["rank_label"] == "" and r["score"] is None for r in thin)
    assert all(r["rank_label"] for r in rows if r["scored"])
    scales = list(_colour_scales(spec, "light_label"))
    assert scales, "the light colour scale is missing"
    for scale in scales:
        colours = dict(zip(scale["domain"], scale["range"]))
        assert colours["Insufficient evidence"] == theme.NEUTRAL and colours["Red"] == theme.LIGHT_COLOURS["red"]
    assert spec["usermeta"]["title"] == "13 of 25 pilot clusters have enough evidence to be scored"


def _tiled(ds, n: int):
    """The shipped scorecard repeated to `n` pilots, each copy under its own ids and names."""
    import pandas as pd

    from analysis import indicators

    def copy(frame: pd.DataFrame, k: int) -> pd.DataFrame:
        return frame.assign(cluster=frame["cluster"] + f"-{k}", cluster_name=frame["cluster_name"] + f" {k}")

    matrix, scores = indicators.scorecard_matrix(ds), indicators.scores(ds)
    copies = range(-(-n // len(scores)))
    scores = pd.concat([copy(scores, k) for k in copies], ignore_index=True).head(n)
    matrix = pd.concat([copy(matrix, k) for k in copies], ignore_index=True)
    return matrix[matrix["cluster"].isin(scores["cluster"])], scores


@pytest.mark.parametrize("n", [charts.SCORECARD_ROWS, charts.SCORECARD_ROWS + 1, 5_000])
def test_scorecard_builds_small_and_readable_at_any_registry_size(ds, n):
    matrix, scores = _tiled(ds, n)
    chart = charts.scorecard_heatmap(matrix, scores, source="Source: test data.")
    spec = export.spec(chart)  # no MaxRowsError
    rows = sum(len(v) for v in spec["datasets"].values())
    if n <= charts.SCORECARD_ROWS:  # one row per cluster: the grid and its side panels
        assert rows == n * 10 + n and '"pick_cluster"' in _without_datasets(spec)
    else:  # counts by sign and status, and by light: independent of n
        assert rows <= 10 * 4 + 4
        table = export.chart_data(chart)
        lights = table[table["panel"] == "light"].set_index("category")["clusters"]
        assert lights.sum() == n and lights["Insufficient evidence"] == int((~scores["scored"]).sum())
    assert len(json.dumps(spec)) < 400_000  # at most SCORECARD_ROWS clusters of evidence text
    assert export.to_png(chart, scale=1).startswith(PNG_MAGIC)


def test_export_writes_png_svg_csv_and_spec(built, tmp_path):
    paths = export.write(built["critical-mass"], tmp_path, "critical-mass")
    assert paths["png"].read_bytes().startswith(PNG_MAGIC)
    assert "<svg" in paths["svg"].read_text(encoding="utf-8")
    assert paths["csv"].read_text(encoding="utf-8").startswith("industry_group,industry,participants_avg")
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["usermeta"]["id"] == "critical-mass"


def test_in_print_every_chart_text_is_set_in_the_pdf_family(built):
    for fid, chart in built.items():
        svg = export.print_svg(export.spec(chart))
        families = {html.unescape(f) for f in re.findall(r'font-family="([^"]*)"', svg)}
        assert families == {theme.PRINT_FONT}, (fid, families)


#: The scorecard is a matrix of 25 clusters by 10 signs beside three columns of numbers; at the
#: text width its labels print at about 6 pt. Its numbers are also in the ranking table beside it.
PRINT_SMALL_TEXT_ALLOWED = {"scorecard"}


def _too_small_in_print(charts: dict) -> dict[str, float]:
    """The charts whose smallest text prints below `theme.PRINT_MIN_PT` at the PDF's text width, with that size."""
    small = {}
    for fid, chart in charts.items():
        svg = export.print_svg(export.spec(chart))
        width = float(re.search(r'<svg[^>]*?\swidth="([\d.]+)"', svg).group(1))
        height = float(re.search(r'<svg[^>]*?\sheight="([\d.]+)"', svg).group(1))
        scale = min(theme.PRINT_TEXT_WIDTH_PT / width, theme.PRINT_MAX_HEIGHT_PT / height)
        smallest = min(float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)) * scale
        if smallest < theme.PRINT_MIN_PT - 0.05:
            small[fid] = round(smallest, 1)
    return small


def test_in_print_chart_text_is_at_least_8_pt(built):
    small = _too_small_in_print(built)
    assert set(small) <= PRINT_SMALL_TEXT_ALLOWED, small


def test_in_print_russian_chart_text_is_at_least_8_pt(built_ru):
    """Cyrillic is laid out with the print font's own widths (Linux Libertine), so Russian charts fit as English ones do."""
    small = _too_small_in_print({fid: chart for fid, chart in built_ru.items() if fid != "directory-map"})
    # The timeline's Russian titles are longer and wrap to more lines, so its rows fill the page's height
    # at 7.8 pt, not 8 (measured 2026-12-02); the titles are also in the text of Chapter 1.
    assert set(small) <= PRINT_SMALL_TEXT_ALLOWED | {"policy-timeline"}, small
    assert small.get("policy-timeline", 8) >= 7.5, small


def test_in_print_long_labels_wrap_and_slanted_labels_stand_upright():
    spec = {"config": {}, "hconcat": [{"encoding": {"x": {"axis": {"labelAngle": -45}}}, "width": 100}],
            "title": {"text": "A title long enough that it must wrap onto a second line in the printed report"}}
    printed = theme.for_print(spec)
    assert printed["hconcat"][0]["encoding"]["x"]["axis"]["labelAngle"] == -90
    assert len(printed["title"]["text"]) == 2
    assert "split(" in theme.theme()["config"]["axisYBand"]["labelExpr"]  # long labels wrap, on screen and in print


def test_every_map_dot_links_to_a_cluster_profile(ds, built):
    ids = set(ds["clusters"]["id"])
    for fid in ("cluster-map", "russia-map", "directory-map"):
        spec = export.spec(built[fid])
        assert spec["usermeta"]["profile_field"] == "id", fid  # the site's script opens the profile on a click
        rows = [r for d in spec["datasets"].values() for r in d if "dot_text" in r]
        assert rows and all(r["id"] in ids for r in rows), fid
        assert '"href"' not in json.dumps(spec)  # no link a static image or vl-convert would try to follow


def test_a_fitted_print_image_is_kept_and_reused_while_the_chart_is_unchanged(built, tmp_path, monkeypatch):
    spec = export.spec(built["critical-mass"])
    first = export.print_svg(spec, tmp_path)
    assert len(list(tmp_path.glob("*.svg"))) == 1

    def no_render(*args, **kwargs):
        raise AssertionError("rendered again although the chart did not change")

    monkeypatch.setattr(export.vlc, "vegalite_to_svg", no_render)
    assert export.print_svg(spec, tmp_path) == first
    changed = {**spec, "usermeta": {**spec["usermeta"], "title": "Another title"}}
    with pytest.raises(AssertionError, match="rendered again"):
        export.print_svg(changed, tmp_path)


def test_a_chart_only_the_site_shows_has_no_print_image(built):
    from analysis.report.chapter import chart_markdown

    site_only = chart_markdown(export.spec(built["directory-map"]))
    assert "```{=html}" in site_only and "{=typst}" not in site_only
    assert "{=typst}" in chart_markdown(export.spec(built["cluster-map"]))


def test_in_print_a_fitted_chart_keeps_its_views_as_wide_as_its_text_allows(built):
    """Narrowed views are as wide as fits: either a tenth more is too wide, or the chart is within
    10% of the width allowed and its width still follows its views. (The Russia map was once drawn
    at a quarter of its width: its legend set the chart's width, so any scale looked close enough.)"""
    def width_at(spec, scale):
        return export._svg_width(export.vlc.vegalite_to_svg(export._scale_views(spec, scale)))

    for fid, chart in built.items():
        spec = theme.for_print(export.spec(chart))
        svg = export.vlc.vegalite_to_svg(spec)
        width, target = export._svg_width(svg), export._print_target(svg)
        if width <= target or fid in PRINT_SMALL_TEXT_ALLOWED:
            continue
        scale, fitted = export._fit(spec, width, target)
        assert export._svg_width(fitted) <= target, fid
        tenth_more_too_wide = scale == 1.0 or width_at(spec, min(1.0, scale + 0.1)) > target
        close_and_moving = (export._svg_width(fitted) >= 0.9 * target
                            and export._svg_width(fitted) > width_at(spec, export._MIN_SCALE) + 1)
        assert tenth_more_too_wide or close_and_moving, (fid, scale)


def test_the_pdf_never_tells_a_reader_to_click_or_hover(built):
    for fid, chart in built.items():
        spec = export.spec(chart)
        words = " ".join(re.findall(r">([^<]+)</text>", export.print_svg(spec))).lower()
        assert "click" not in words and "hover" not in words, fid
    assert "click a dot" in json.dumps(export.spec(built["russia-map"])["vconcat"][0]["title"])  # the site keeps the hint


# --- the Russian edition -----------------------------------------------------------------

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


@pytest.fixture(scope="module")
def built_ru():
    """Every figure drawn for the Russian edition, from the Russian data, as a Russian chapter draws it."""
    from analysis import text
    from analysis.report.chapter import setup

    with text.speaking("en"):  # the language spoken is English again afterwards
        ctx = setup(lang="ru")
        return {fid: ctx.figure(fid) for fid in figures.FIGURES}


def _titles(node, key: str | None = None) -> list[str]:
    """Every title a chart draws or shows (chart, axis, legend, tooltip, panel), each as one string."""
    found = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("datasets", "usermeta", "data"):
                continue
            if k == "title" and isinstance(v, dict):
                found += [" ".join(t) if isinstance(t, list) else t for t in (v.get("text"), v.get("subtitle")) if t]
            elif k == "title" and isinstance(v, (str, list)) and v:
                found.append(" ".join(v) if isinstance(v, list) else v)
            else:
                found += _titles(v, k)
    elif isinstance(node, list):
        for v in node:
            found += _titles(v, key)
    return found


def _data_strings(spec: dict) -> set[str]:
    """The text values of a chart's inline data, lowercase too (alt text may lower a label)."""
    values = {v for rows in spec.get("datasets", {}).values() for r in rows if isinstance(r, dict)
              for v in r.values() if isinstance(v, str) and len(v) > 2}
    return values | {v.lower() for v in values}


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)}


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_a_figure_drawn_in_russian_says_its_title_alt_text_and_axes_in_russian(built, built_ru, fid):
    en, ru = export.spec(built[fid]), export.spec(built_ru[fid])
    meta = ru["usermeta"]
    assert CYRILLIC.search(meta["title"]) and CYRILLIC.search(ru["description"]), fid
    assert ru["description"] == meta["description"] and len(ru["description"]) > 80
    assert meta["source"].startswith(("Источник: ", "Источники: ")) and "11-references.qmd#ref-" in meta["source"]
    # none of the English title's words is left in the Russian title or alt text (names such as ChemCologne are not in titles)
    english = _words(en["usermeta"]["title"])
    assert english and not english & _words(meta["title"]), (fid, english & _words(meta["title"]))
    said = ru["description"]
    for label in sorted(_data_strings(ru), key=len, reverse=True):  # labels from the data are translated in the data, not here
        said = said.replace(label, "")
    assert not english & _words(said), (fid, english & _words(said))
    # every axis, legend, tooltip and panel title with words in it is Russian
    titles = [t for t in _titles(ru) if re.search(r"[A-Za-zА-Яа-яЁё]", t)]
    assert titles and len(_titles(ru)) >= len(_titles(en)), fid
    assert all(CYRILLIC.search(t) for t in titles), [t for t in titles if not CYRILLIC.search(t)]
    if meta.get("hint"):  # the hint on using the chart on screen is Russian too, and print leaves it out
        assert CYRILLIC.search(meta["hint"]) and meta["hint"] in json.dumps(ru["vconcat"], ensure_ascii=False)
        assert meta["hint"] not in json.dumps(theme.for_print(ru)["vconcat"], ensure_ascii=False)


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_a_figure_drawn_in_russian_shows_the_same_data_as_in_english(built, built_ru, fid):
    import pandas as pd

    en, ru = export.chart_data(built[fid]), export.chart_data(built_ru[fid])
    assert list(ru.columns) == list(en.columns) and len(ru) == len(en), fid
    if "id" in en.columns:  # rows sorted by a name come in another order in Russian
        en, ru = en.sort_values("id"), ru.sort_values("id")
    numbers = en.select_dtypes("number").columns
    assert len(numbers) > 0
    pd.testing.assert_frame_equal(ru[numbers].reset_index(drop=True), en[numbers].reset_index(drop=True), check_dtype=False)
    rows = lambda spec: sorted(len(v) for k, v in spec.get("datasets", {}).items())  # noqa: E731
    assert rows(export.spec(built_ru[fid])) == rows(export.spec(built[fid]))


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_a_figure_drawn_in_russian_writes_numbers_the_russian_way(built, built_ru, fid):
    en, ru = export.spec(built[fid]), export.spec(built_ru[fid])
    assert "locale" not in en["config"]  # the English edition keeps Vega's own formats
    number = ru["config"]["locale"]["number"]
    assert number["decimal"] == "," and number["thousands"] == "\u00a0" and number["grouping"] == [3]
    assert "января" in ru["config"]["locale"]["time"]["months"]
    assert not re.search(r"\d\.\d", ru["description"].replace("1.0", "")), ru["description"]  # 53,3%, never 53.3%


def test_russian_numbers_in_alt_text_and_labels_have_a_decimal_comma(built, built_ru):
    en, ru = export.spec(built["specialist-org-status"]), export.spec(built_ru["specialist-org-status"])
    shares = re.findall(r"(\d+)\.(\d)%", en["description"])
    assert shares and all(f"{a},{b}%" in ru["description"] for a, b in shares)
    labels = [r["value_text"] for rows in ru["datasets"].values() for r in rows if "value_text" in r]
    assert any("," in v for v in labels) and not any("." in v for v in labels)


def _colour_scales_all(spec: dict) -> list[tuple[str, dict]]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            for channel in ("color", "stroke"):
                enc = node.get(channel)
                if isinstance(enc, dict) and isinstance(enc.get("scale"), dict) and "domain" in enc["scale"] and "field" in enc:
                    found.append((enc["field"], enc["scale"]))
            for k, v in node.items():
                if k != "datasets":
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found


@pytest.mark.parametrize("fid", ["specialisation-gap", "scorecard", "success-factors", "policy-timeline", "cluster-map", "russia-map"])
def test_in_russian_every_category_keeps_its_colour_and_its_legend_names_what_the_data_shows(built, built_ru, fid):
    en, ru = export.spec(built[fid]), export.spec(built_ru[fid])
    scales_en, scales_ru = _colour_scales_all(en), _colour_scales_all(ru)
    assert scales_ru and [s["range"] for _, s in scales_ru] == [s["range"] for _, s in scales_en]
    for (field, scale), (_, english) in zip(scales_ru, scales_en):
        assert len(scale["domain"]) == len(english["domain"]) and all(CYRILLIC.search(d) for d in scale["domain"]), scale["domain"]
        shown = {r[field] for rows in ru["datasets"].values() for r in rows if isinstance(r, dict) and r.get(field) is not None}
        assert shown and shown <= set(scale["domain"]), (field, shown - set(scale["domain"]))


def test_the_russian_scorecard_picker_and_statuses_are_russian(built_ru):
    spec = export.spec(built_ru["scorecard"])
    rest = json.dumps({k: v for k, v in spec.items() if k != "datasets"}, ensure_ascii=False)
    assert '"Все кластеры"' in rest and "All clusters" not in rest and "Выделить кластер" in rest
    statuses = {r["status_label"] for rows in spec["datasets"].values() for r in rows if "status_label" in r}
    assert statuses == {"Выполняется", "Частично", "Не выполняется", "Нет данных"}


def test_a_fields_tooltip_names_at_most_ten_pilots_and_counts_the_rest(ds):
    """On a registry of thousands of pilots a bar would otherwise carry every name into the page."""
    gap = indicators.specialisation_gap(ds)
    names = "; ".join(f"Pilot {k:02d}" for k in range(25))
    gap.loc[gap.index[0], "pilot_names"] = names
    chart = charts.specialisation_gap(gap, source="", many=10)
    rows = {r["field"]: r for r in export.chart_data(chart).to_dict("records")}
    first = rows[gap.loc[gap.index[0], "field"]]
    assert first["pilot_names"] == "; ".join(f"Pilot {k:02d}" for k in range(10)) + "; and 15 more"
    untouched = gap.loc[gap.index[1]]  # at most ten names: as the analysis gave them
    assert rows[untouched["field"]]["pilot_names"] == untouched["pilot_names"]


def test_the_factor_matrix_joins_russian_clusters_into_one_counted_column_beyond_forty(ds):
    matrix, overlap = indicators.factor_matrix(ds), indicators.factor_overlap(ds)
    russian = matrix[matrix["side"] == "russian"]
    few = export.chart_data(charts.factor_matrix(matrix, overlap, source=""))
    assert set(few["subject_label"]) == set(matrix["subject_label"]) and len(few) == len(matrix)  # a column each
    copies = [russian.assign(subject=russian["subject"] + f"-{k}", subject_label=russian["subject_label"] + f" {k}")
              for k in range(charts.FACTOR_COLUMNS)]
    many = pd.concat([matrix, *copies], ignore_index=True)
    n = many.loc[many["side"] == "russian", "subject"].nunique()
    shown = export.chart_data(charts.factor_matrix(many, overlap, source=""))
    foreign = matrix[matrix["side"] == "foreign"]
    assert set(shown["subject_label"]) == set(foreign["subject_label"]) | {f"Russian clusters ({n})"}
    joined = shown[shown["side"] == "russian"].set_index("factor")["items"]
    assert joined.to_dict() == many[many["side"] == "russian"].groupby("factor")["subject"].nunique().to_dict()
