"""Static export of charts (SVG, PNG through vl-convert) and of the data behind them (CSV)."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path

import altair as alt
import pandas as pd
import vl_convert as vlc

from analysis.charts import theme


def spec(chart: alt.TopLevelMixin) -> dict:
    """The Vega-Lite spec; validated against the schema by Altair."""
    return chart.to_dict(validate=True)


def to_svg(chart: alt.TopLevelMixin) -> str:
    return vlc.vegalite_to_svg(spec(chart))


def print_svg(spec: dict, cache_dir: Path | None = None) -> str:
    """The chart as an SVG for the PDF: in the PDF's type family, and narrow enough that its
    smallest text prints at `theme.PRINT_MIN_PT` once the page scales it to the text width.

    Fitting takes a few renders, so with `cache_dir` the result is kept under a hash of the
    spec and of the code that fits it, and a rebuild that did not change the chart reuses it."""
    if cache_dir is not None:
        cached = cache_dir / f"{_print_key(spec)}.svg"
        if cached.exists():
            return cached.read_text(encoding="utf-8")
    svg = _print_svg(spec)
    if cache_dir is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=cache_dir, delete=False, encoding="utf-8") as tmp:  # atomic
            tmp.write(svg)
        os.replace(tmp.name, cached)
    return svg


def _print_key(spec: dict) -> str:
    digest = hashlib.sha256(json.dumps(spec, sort_keys=True).encode("utf-8"))
    digest.update(_fitting_code())
    return digest.hexdigest()[:32]


@functools.cache
def _fitting_code() -> bytes:
    """What a print image depends on besides its spec: this module, the theme and vl-convert."""
    return b"".join(Path(module).read_bytes() for module in (theme.__file__, __file__)) + vlc.__version__.encode("ascii")


def _print_svg(spec: dict) -> str:
    spec = theme.for_print(spec)
    svg = vlc.vegalite_to_svg(spec)
    width, target = _svg_width(svg), _print_target(svg)
    if width <= target:
        return svg
    return _fit(spec, width, target)[1]


def _print_target(svg: str) -> float:
    """The most a chart may be wide, in pixels, for its smallest text to print at 8 pt."""
    return theme.PRINT_TEXT_WIDTH_PT * _smallest_text(svg) / theme.PRINT_MIN_PT


def _fit(spec: dict, width: float, target: float) -> tuple[float, str]:
    """The scale of `spec`'s views, and its SVG, as wide as they can be while the whole is at
    most `target` wide.

    The plots shrink and the labels do not, so the width falls with the views' scale, close to
    linearly, until something else (a title, a legend) sets it. One interpolation between the
    narrowest and the full scale usually lands; where the width no longer moves with the scale
    (the legend sets it), halving the bracket finds the widest views that still fit. Where even
    the narrowest views are too wide, those are used.
    """
    narrowest = vlc.vegalite_to_svg(_scale_views(spec, _MIN_SCALE))
    floor = _svg_width(narrowest)
    fits, too_wide = (_MIN_SCALE, floor, narrowest), (1.0, width)
    if floor > target:
        return _MIN_SCALE, narrowest
    aim = target * (1 - _FIT_SLACK / 2)
    factor = _MIN_SCALE + (1 - _MIN_SCALE) * (aim - floor) / (width - floor)
    for _ in range(5):
        svg = vlc.vegalite_to_svg(_scale_views(spec, factor))
        if _svg_width(svg) <= target:
            fits = (factor, _svg_width(svg), svg)
        else:
            too_wide = (factor, _svg_width(svg))
        settled = fits[1] >= target * (1 - _FIT_SLACK) and fits[1] > floor + 1  # near the target, off the flat
        if settled or too_wide[0] - fits[0] < _FIT_STEP:
            break
        factor = (fits[0] + too_wide[0]) / 2
    return fits[0], fits[2]


def _svg_width(svg: str) -> float:
    return float(re.search(r'<svg[^>]*?\swidth="([\d.]+)"', svg).group(1))


def _smallest_text(svg: str) -> float:
    return min((float(s) for s in re.findall(r'font-size="([\d.]+)px"', svg)), default=11.0)


#: Views narrower than this are columns of symbols or ranks, laid out in pixels; they keep their width.
_FIXED_VIEW = 60
#: A fitted chart may fall short of the target width by this share (each try is a render)...
_FIT_SLACK = 0.1
#: ...or, where the width does not move with the scale, the scale is found to within this.
_FIT_STEP = 0.08
#: The narrowest a view is drawn in print, as a share of its screen width.
_MIN_SCALE = 0.25
#: ...and a band (a matrix cell, say) no narrower than this, so its symbol still fits.
_MIN_STEP = 20


def _scale_views(spec: dict, factor: float) -> dict:
    """The spec with every view's width (and, for a map, its height and its projection's clip,
    scale and translation) times `factor`."""
    def change(node: dict) -> dict:
        width = node.get("width")
        if isinstance(width, dict) and isinstance(width.get("step"), (int, float)):
            node["width"] = {**width, "step": max(_MIN_STEP, round(width["step"] * factor))}
        if isinstance(width, (int, float)) and width >= _FIXED_VIEW:
            node["width"] = round(width * factor)
            if _projects(node) and isinstance(node.get("height"), (int, float)):
                node["height"] = round(node["height"] * factor)
        if isinstance(node.get("clipExtent"), list):  # a map's projection, stated in pixels
            node["clipExtent"] = [[c * factor for c in corner] for corner in node["clipExtent"]]
            if isinstance(node.get("scale"), (int, float)) and isinstance(node.get("translate"), list):
                node["scale"] = node["scale"] * factor
                node["translate"] = [t * factor for t in node["translate"]]
        return node

    return theme.rebuild(spec, change)


def _projects(view: dict) -> bool:
    return "projection" in view or any(_projects(v) for v in view.get("layer", []) if isinstance(v, dict))


def to_png(chart: alt.TopLevelMixin, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(spec(chart), scale=scale)


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
