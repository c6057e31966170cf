"""Regenerate data/geo/world-110m.geojson from Natural Earth's 1:110m countries.

The shapefile comes from the `naturalearth_lowres` dataset that geopandas 0.14 ships
inside its wheel (Natural Earth data is public domain). The script downloads that wheel
from PyPI with pip, reads the shapefile with pyshp, drops Antarctica, rounds coordinates
to 0.1 degree (plenty for an overview map) and writes compact GeoJSON.

    pip install pyshp && python scripts/make_world_boundaries.py
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import shapefile  # pyshp

OUT = Path(__file__).resolve().parent.parent / "data" / "geo" / "world-110m.geojson"
WHEEL = "geopandas==0.14.4"
BASE = "geopandas/datasets/naturalearth_lowres/naturalearth_lowres"


def _round(coords, digits: int = 1):
    if isinstance(coords[0], (int, float)):
        return [round(coords[0], digits), round(coords[1], digits)]
    out = [_round(c, digits) for c in coords]
    if out and isinstance(out[0][0], (int, float)):
        deduped = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
        return deduped if len(deduped) >= 4 else out
    return out


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", WHEEL, "-d", tmp], check=True)
        wheel = next(Path(tmp).glob("geopandas-*.whl"))
        with zipfile.ZipFile(wheel) as z:
            parts = {ext: io.BytesIO(z.read(f"{BASE}.{ext}")) for ext in ("shp", "shx", "dbf")}
    reader = shapefile.Reader(**parts, encoding="latin-1")  # the .cpg says ISO-8859-1
    fields = [f[0] for f in reader.fields[1:]]
    features = []
    for rec in reader.shapeRecords():
        props = dict(zip(fields, rec.record))
        if props.get("continent") == "Antarctica":
            continue
        geom = rec.shape.__geo_interface__
        features.append({
            "type": "Feature",
            "properties": {"name": props["name"], "iso_a3": props["iso_a3"], "continent": props["continent"]},
            "geometry": {"type": geom["type"], "coordinates": _round(geom["coordinates"])},
        })
    features.sort(key=lambda f: f["properties"]["name"])
    collection = {
        "type": "FeatureCollection",
        "name": "world-110m",
        "source": "Natural Earth 1:110m Admin 0 countries (public domain), via geopandas 0.14.4 naturalearth_lowres",
        "features": features,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(collection, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"Wrote {OUT} ({len(features)} countries, {OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
