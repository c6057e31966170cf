"""Every figure renders offline, carries its metadata, uses only theme colours and has a stable spec.

Snapshots live in tests/snapshots/charts/. After an intended change to a chart, refresh them with
`UPDATE_SNAPSHOTS=1 python -m pytest tests/test_charts.py` and review the diff.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import altair as alt
import pytest

from analysis import charts, export, figures, theme
from analysis.data import load

SNAPSHOTS = Path(__file__).parent / "snapshots" / "charts"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def ds():
    return load()


@pytest.fixture(scope="module")
def built(ds):
    return {fid: figures.build(ds, fid) for fid in figures.FIGURES}


def _digest(rows: list) -> dict:
    return {"rows": len(rows), "sha256": hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()}


def _snapshot(node):
    """The spec with every inline table (datasets, data values) replaced by its row count and a content hash."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "datasets":
                out[key] = {name: _digest(rows) for name, rows in value.items()}
            elif key == "values" and isinstance(value, list) and value and isinstance(value[0], dict):
                out[key] = _digest(value)
            else:
                out[key] = _snapshot(value)
        return out
    if isinstance(node, list):
        return [_snapshot(v) for v in node]
    return node


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
    assert len(spec["description"]) > 80 and "nan" not in spec["description"].lower().split()
    assert spec["description"] == meta["description"]
    assert '"tooltip"' in _without_datasets(spec)
    bottom = spec["title"]
    assert bottom["orient"] == "bottom" and " ".join(bottom["text"]) == meta["source"]


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


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_spec_is_identical_when_built_again(ds, built, fid):
    again = figures.build(ds, fid)
    assert json.dumps(export.spec(again), sort_keys=True) == json.dumps(export.spec(built[fid]), sort_keys=True)


@pytest.mark.parametrize("fid", list(figures.FIGURES))
def test_spec_matches_snapshot(built, fid):
    current = _snapshot(export.spec(built[fid]))
    path = SNAPSHOTS / f"{fid}.json"
    if os.environ.get("UPDATE_SNAPSHOTS") or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(current, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        if not os.environ.get("UPDATE_SNAPSHOTS"):
            pytest.fail(f"snapshot {path.name} did not exist; written now, review and commit it")
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(json.dumps(current)), f"{fid} spec changed; see the module docstring"


def test_interactive_charts_have_named_parameters(built):
    for fid in ("critical-mass", "scorecard", "specialisation-gap", "cluster-map", "funding-comparison"):
        params = re.findall(r'"name": "([a-z_]+)"', _without_datasets(export.spec(built[fid])))
        assert params, fid
        assert not any(re.fullmatch(r"(param|view)_\d+", p) for p in params), params


def test_scorecard_has_a_cluster_picker(built):
    spec = _without_datasets(export.spec(built["scorecard"]))
    assert '"pick_cluster"' in spec and '"select"' in spec


def test_export_writes_png_svg_csv_and_spec(built, tmp_path):
    paths = export.write(built["critical-mass"], tmp_path, "critical-mass")
    assert paths["png"].read_bytes().startswith(PNG_MAGIC)
    assert "<svg" in paths["svg"].read_text(encoding="utf-8")
    assert paths["csv"].read_text(encoding="utf-8").startswith("industry_group,industry,participants_avg")
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["usermeta"]["id"] == "critical-mass"


def test_long_source_notes_wrap():
    lines = charts.wrap("word " * 80)
    assert len(lines) > 1 and all(len(line) <= 120 for line in lines)
