"""The synthetic registry for scale tests, and what must hold at scale: valid data, profile pages from
the fast path equal to the page function's own, readable maps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import script_modules
from analysis import indicators
from analysis.charts import DIRECTORY_SHOWN, MAP_DOTS, cluster_map, directory_map, export, russia_map
from analysis.data import load, validate
from analysis.paths import DATA
from analysis.report.profiles import profile_markdown
from clusterbench import prerender


def _generator():
    return script_modules.load("synthetic_registry")


@pytest.fixture(scope="module")
def registry(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("registry") / "data"
    _generator().generate(30, dest, source=DATA)
    return dest


def test_a_registry_of_thirty_clones_is_valid(registry):
    assert validate(registry) == []
    ds = load(registry)
    clones = ds["clusters"][ds["clusters"]["id"].str.startswith("synthetic-")]
    real = load(DATA)
    assert len(clones) == 30 and len(ds["clusters"]) == len(real["clusters"]) + 30
    assert set(clones["kind"]) == {"pilot"}
    one = "synthetic-00001"
    assert (ds["assessments"]["cluster"] == one).sum() == len(ds.sign_table)  # a full scorecard row
    assert (ds.observations["entity"] == one).sum() >= 10
    assert (ds["cluster_locations"]["cluster"] == one).sum() == 1


def test_the_same_size_gives_the_same_registry(registry, tmp_path):
    again = tmp_path / "data"
    _generator().generate(30, again, source=DATA)
    for path in sorted(registry.rglob("*.csv")):
        assert (again / path.relative_to(registry)).read_bytes() == path.read_bytes(), path.name


def test_the_command_refuses_an_existing_folder(tmp_path, capsys):
    assert _generator().main(["3", str(tmp_path)]) == 2
    assert "exists" in capsys.readouterr().err


def test_profile_pages_from_their_own_rows_equal_the_page_function_on_the_whole_registry(registry, tmp_path):
    ds = load(registry)
    ranks = indicators.scores(ds).set_index("cluster")
    pages = prerender.pages(ds, scorecard_link=True)
    for cid in ["kaluga-pharma", "tomsk-pharma-it", "tomsk-it", "synthetic-00001", "synthetic-00030", "zhangjiang"]:
        expected = profile_markdown(ds, cid, ranks, scorecard_link=True)
        assert pages[f"chapters/profiles/{cid}.md"] == expected, cid


def test_cached_profile_pages_follow_an_edit_of_one_cluster(registry, tmp_path):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(registry, data)
    cache = tmp_path / "cache"
    first = prerender.pages(load(data), scorecard_link=True, cache_dir=cache)
    assert prerender.pages(load(data), scorecard_link=True, cache_dir=cache) == first
    path = data / "observations" / "anon-2020-success-factors.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("kaluga-pharma,employees,,12400,") == 1
    path.write_text(text.replace("kaluga-pharma,employees,,12400,", "kaluga-pharma,employees,,12500,"), encoding="utf-8")
    edited = load(data)
    cached = prerender.pages(edited, scorecard_link=True, cache_dir=cache)
    assert cached == prerender.pages(edited, scorecard_link=True)  # the same as made from scratch
    changed = {page for page in first if first[page] != cached[page]}
    assert changed == {"chapters/profiles/kaluga-pharma.md"}


def test_maps_of_a_large_registry_group_clusters_by_square(registry):
    ds = load(registry)
    locations = indicators.cluster_locations(ds)
    russian = locations[locations["country"] == "RU"]
    many = russian.sample(n=MAP_DOTS + 1, replace=True, random_state=1).reset_index(drop=True)
    many["id"] = [f"c{i}" for i in range(len(many))]
    for make in (cluster_map, russia_map, directory_map):
        spec = export.spec(make(many, ds.boundaries, source="Source: test."))
        table = export.table_from_spec(spec)
        assert table["clusters"].sum() == len(many)
        assert len(table) < len(many) and "square of 2 by 2 degrees" in spec["description"]
        # a square's dot opens no profile, and the directory's list does not narrow it: no words say so
        assert "profile_field" not in spec["usermeta"] and "filter_param" not in spec["usermeta"]
        assert "profile" not in spec["usermeta"]["hint"] and "The dots follow" not in json.dumps(spec["vconcat"][0]["title"])
    directory = export.spec(directory_map(locations, ds.boundaries, source="Source: test."))
    assert directory["usermeta"]["filter_param"] == DIRECTORY_SHOWN  # while each cluster has its dot, it follows the list
    small = export.table_from_spec(export.spec(cluster_map(locations, ds.boundaries, source="Source: test.")))
    assert len(small) == len(locations)  # the real registry keeps a dot per cluster
