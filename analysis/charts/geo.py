"""A map projection fitted to a country in Python, so every renderer draws the same map.

Vega can fit a projection to a shape itself, but the browser and the static renderer were
seen to disagree on the fitted scale (the browser cut off Chukotka), so the map states its
scale and translation outright. The formulas are d3's conic equal-area projection, which
Vega uses under the same name.
"""

from __future__ import annotations

import math


def conic_equal_area(lon: float, lat: float, *, rotate: float, parallels: tuple[float, float]) -> tuple[float, float]:
    """d3's geoConicEqualArea at scale 1, before its translation (y grows northwards)."""
    phi0, phi1 = (math.radians(p) for p in parallels)
    n = (math.sin(phi0) + math.sin(phi1)) / 2
    c = 1 + math.sin(phi0) * (2 * n - math.sin(phi0))
    r0 = math.sqrt(c) / n
    lam = math.radians((lon + rotate + 180) % 360 - 180)
    r = math.sqrt(max(c - 2 * n * math.sin(math.radians(lat)), 0)) / n
    return r * math.sin(lam * n), r0 - r * math.cos(lam * n)


def fit_conic_equal_area(points: list[list[float]], *, rotate: float, parallels: tuple[float, float],
                         width: float, height: float, margin: float = 6) -> dict:
    """The Vega-Lite projection that draws `points` (lon, lat) as large as fits in width x height."""
    projected = [conic_equal_area(lon, lat, rotate=rotate, parallels=parallels) for lon, lat in points]
    xs, ys = [p[0] for p in projected], [p[1] for p in projected]
    k = min((width - 2 * margin) / (max(xs) - min(xs)), (height - 2 * margin) / (max(ys) - min(ys)))
    # With its centre at (0, 0), which projects to (0, 0), d3 draws a point at tx + k*x, ty - k*y.
    # The centre is stated because d3's own default for this projection is (0, 33.6442).
    tx = width / 2 - k * (max(xs) + min(xs)) / 2
    ty = height / 2 + k * (max(ys) + min(ys)) / 2
    return {"type": "conicEqualArea", "rotate": [rotate, 0], "center": [0, 0], "parallels": list(parallels),
            "scale": round(k, 3), "translate": [round(tx, 2), round(ty, 2)],
            "clipExtent": [[0, 0], [width, height]]}
