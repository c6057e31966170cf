"""Cluster profile pages are generated from the data, one per cluster, and stay in sync."""

from __future__ import annotations

import re

from analysis import profiles
from analysis.data import load
from analysis.paths import ROOT


def test_committed_profiles_match_the_generator(tmp_path):
    ds = load()
    ranks = __import__("analysis.indicators", fromlist=["scores"]).scores(ds).set_index("cluster")
    linkable = "chapters/05-scorecard.qmd" in (ROOT / "_quarto.yml").read_text(encoding="utf-8")
    for cid in ds["clusters"]["id"]:
        committed = (ROOT / profiles.PROFILE_DIR / f"{cid}.md").read_text(encoding="utf-8")
        assert committed == profiles.profile_markdown(ds, cid, ranks, scorecard_link=linkable), f"run `python -m analysis.profiles` ({cid})"
    assert (ROOT / "chapters" / "11-cluster-profiles.md").read_text(encoding="utf-8") == profiles.index_markdown(ds)


def test_every_cluster_is_listed_in_the_book():
    ds = load()
    config = (ROOT / "_quarto.yml").read_text(encoding="utf-8")
    for path in profiles.chapter_list(ds):
        assert f"- {path}" in config, path
    assert len(profiles.chapter_list(ds)) == len(ds["clusters"]) + 1


def test_profile_shows_facts_figures_scorecard_and_practices():
    ds = load()
    text = profiles.profile_markdown(ds, "kama", __import__("analysis.indicators", fromlist=["scores"]).scores(ds).set_index("cluster"))
    assert text.startswith("# Kama (Tatarstan) {#sec-profile-kama .unnumbered}")
    for section in ("## Key facts", "## Figures", "## Against the benchmarks", "## Scorecard", "## Related best practices"):
        assert section in text
    assert "| Support group | Group 1 | confirmed in another public source |" in text
    assert "less than 50%" in text and "rank 1 of 25" in text
    assert re.search(r"\[BP-\d{3}\]\(\.\./09-best-practices\.qmd#bp-\d{3}\)", text)


def test_text_from_data_is_escaped(data_copy):
    path = data_copy / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Kama (Tatarstan)", "Kama <script>alert(1)</script> #1"), encoding="utf-8")
    ds = load(data_copy)
    text = profiles.profile_markdown(ds, "kama")
    assert "\\<script\\>alert(1)\\</script\\> \\#1" in text
    assert "<script>" not in text


def test_generate_removes_pages_of_removed_clusters(tmp_path):
    ds = load()
    (tmp_path / "chapters" / "profiles").mkdir(parents=True)
    stale = tmp_path / "chapters" / "profiles" / "gone-cluster.md"
    stale.write_text("old", encoding="utf-8")
    changed = profiles.generate(ds, tmp_path)
    assert not stale.exists() and stale in changed
    assert len(list((tmp_path / "chapters" / "profiles").glob("*.md"))) == len(ds["clusters"])
