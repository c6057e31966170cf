"""The build benchmark's floor: what pandoc alone needs to make a registry's profile pages."""

from __future__ import annotations

import pytest

import script_modules
from analysis.paths import DATA


def test_the_pandoc_floor_times_profile_pages_and_counts_every_language(tmp_path):
    bench = script_modules.load("benchmark_build")
    data = tmp_path / "data"
    bench.generate(12, data, source=DATA)
    floor = bench.pandoc_floor(data, sample=5)
    clusters = sum(1 for _ in (data / "clusters.csv").open(encoding="utf-8")) - 1
    assert floor["clusters"] == clusters
    assert floor["sample"] == 5
    assert floor["pages"] == clusters * 2  # English and Russian
    assert floor["read_ms"] > 0 and floor["write_ms"] > 0
    assert floor["seconds"] == pytest.approx((floor["read_ms"] + floor["write_ms"]) / 1000 * floor["pages"])
