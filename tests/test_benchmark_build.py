"""The build benchmark's floor: what pandoc alone needs to make a registry's profile pages."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from analysis.paths import DATA

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "benchmark_build.py"


def _benchmark():
    spec = importlib.util.spec_from_file_location("benchmark_build", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark_build"] = module
    spec.loader.exec_module(module)
    return module


def test_the_pandoc_floor_times_profile_pages_and_counts_every_language(tmp_path):
    bench = _benchmark()
    data = tmp_path / "data"
    bench.generate(12, data, source=DATA)
    floor = bench.pandoc_floor(data, sample=5)
    clusters = sum(1 for _ in (data / "clusters.csv").open(encoding="utf-8")) - 1
    assert floor["clusters"] == clusters
    assert floor["sample"] == 5
    assert floor["pages"] == clusters * 2  # English and Russian
    assert floor["read_ms"] > 0 and floor["write_ms"] > 0
    assert floor["seconds"] == pytest.approx((floor["read_ms"] + floor["write_ms"]) / 1000 * floor["pages"])
