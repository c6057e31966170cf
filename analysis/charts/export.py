"""Static export of charts (SVG, PNG through vl-convert) and of the data behind them (CSV)."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc


def spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec; validated against the schema by Altair."""
    return chart.to_dict(validate=True)


def static(spec: dict) -> dict:
    """The spec for a static image: without the links a mark follows when clicked on a page
    ("profile:<id>", which only the page script knows how to open)."""
    if isinstance(spec, dict):
        return {k: static(v) for k, v in spec.items() if not (k == "href" and isinstance(v, dict) and "field" in v)}
    if isinstance(spec, list):
        return [static(v) for v in spec]
    return spec


def to_svg(chart: alt.TopLevelMixin) -> str:
    return vlc.vegalite_to_svg(static(spec(chart)))


def print_svg(spec: dict) -> str:
    """The chart as an SVG for the PDF, in the PDF's type family."""
    from analysis.charts import theme

    return vlc.vegalite_to_svg(theme.for_print(static(spec)))


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(static(spec(chart)), scale=scale)


def chart_data(chart: alt.TopLevelMixin) -> pd.DataFrame:
    """The tidy table a chart shows, as recorded by `charts.finish`, without helper columns."""
    table = table_from_spec(spec(chart))
    if table is None:
        raise ValueError("chart has no recorded data table; build it with analysis.charts.finish")
    return table


def table_from_spec(vl_spec: dict) -> pd.DataFrame | None:
    """The table a Vega-Lite spec made by `charts.finish` shows, or None if it records none."""
    columns = vl_spec.get("usermeta", {}).get("data_columns")
    if not columns:
        return None
    for rows in vl_spec.get("datasets", {}).values():
        if rows and isinstance(rows[0], dict) and set(columns) <= set(rows[0]):
            return pd.DataFrame(rows)[columns]
    return None


def write(chart: alt.TopLevelMixin, folder: Path, name: str, formats: tuple[str, ...] = ("png", "svg", "csv", "json")) -> dict[str, Path]:
    """Write the chart's files as `<name>.<format>`; returns the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for fmt in formats:
        path = folder / f"{name}.{fmt}"
        if fmt == "png":
            path.write_bytes(to_png(chart))
        elif fmt == "svg":
            path.write_text(to_svg(chart), encoding="utf-8")
        elif fmt == "csv":
            chart_data(chart).to_csv(path, index=False, lineterminator="\n")
        elif fmt == "json":
            path.write_text(json.dumps(spec(chart), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        else:
            raise ValueError(f"unknown format {fmt}")
        out[fmt] = path
    return out
