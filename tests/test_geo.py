"""The Russia map's projection, fitted in Python: Vega's renderer puts points where our formula says."""

from __future__ import annotations

import re

import vl_convert as vlc

from analysis import charts
from analysis.charts import geo
from analysis.data import load

PLACES = {"Kaliningrad": (20.5, 54.7), "Moscow": (37.6, 55.8), "Chukotka, east of 180": (-172.0, 65.0), "Kamchatka": (158.6, 53.0)}


def _drawn_at(projection: dict, lon: float, lat: float, width: int, height: int) -> tuple[float, float]:
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": width, "height": height,
            "padding": 0, "autosize": "none", "data": {"values": [{"lon": lon, "lat": lat}]},
            "projection": projection, "mark": {"type": "circle", "size": 4},
            "encoding": {"longitude": {"field": "lon", "type": "quantitative"}, "latitude": {"field": "lat", "type": "quantitative"}}}
    svg = vlc.vegalite_to_svg(spec)
    x, y = re.search(r'transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*d="M', svg).groups()
    return float(x), float(y)


def test_the_formula_places_points_where_vega_draws_them():
    width, height = 640, 380
    projection = geo.fit_conic_equal_area([list(p) for p in PLACES.values()], rotate=-100, parallels=(52, 68),
                                          width=width, height=height)
    for name, (lon, lat) in PLACES.items():
        x, y = geo.conic_equal_area(lon, lat, rotate=-100, parallels=(52, 68))
        expected = (projection["translate"][0] + projection["scale"] * x, projection["translate"][1] - projection["scale"] * y)
        drawn = _drawn_at(projection, lon, lat, width, height)
        assert abs(drawn[0] - expected[0]) < 0.6 and abs(drawn[1] - expected[1]) < 0.6, (name, drawn, expected)


def test_all_of_russia_fits_inside_the_map():
    ds = load()
    outline = charts._outline_points(ds.boundaries, "RUS")
    projection = geo.fit_conic_equal_area(outline, rotate=-100, parallels=(52, 68), width=640, height=380)
    for lon, lat in outline:
        x, y = geo.conic_equal_area(lon, lat, rotate=-100, parallels=(52, 68))
        sx, sy = projection["translate"][0] + projection["scale"] * x, projection["translate"][1] - projection["scale"] * y
        assert 0 <= sx <= 640 and 0 <= sy <= 380, (lon, lat, sx, sy)
