"""Cluster profile pages are generated from the data, one per cluster, and stay in sync."""

from __future__ import annotations

import re
import subprocess

import yaml

from analysis.data import load
from analysis.paths import DATA, ROOT
from analysis.report import profiles
from clusterbench import prerender


def test_the_pre_render_step_makes_a_page_per_cluster_listed_as_appendices(tmp_path):
    ds = load(DATA)
    files = prerender.pre_render(ds, ROOT, ["book"])
    pages = [p for p in files if p.startswith(profiles.PROFILE_DIR.as_posix())]
    assert len(pages) == len(ds["clusters"])
    metadata = yaml.safe_load(files[prerender.METADATA])
    appendices = metadata["book"]["appendices"]
    listed = [appendices[0]] + [page for part in appendices[1:] for page in part["chapters"]]
    assert listed == profiles.chapter_list(ds) and all(p in files for p in listed)
    # grouped as a reader looks for them: pilots, other Russian clusters, foreign clusters
    assert [part["part"] for part in appendices[1:]] == [
        "Profiles: pilot clusters", "Profiles: other Russian clusters", "Profiles: foreign clusters"]
    assert metadata["cb"]["edition"] and metadata["cb"]["how-to-cite"]
    assert 'name="cb-edition"' in files[prerender.HEAD]


def test_profiles_print_in_full_up_to_the_pdf_profiles_limit():
    ds = load(DATA)
    n = len(ds["clusters"])
    page = f"{profiles.PROFILE_DIR.as_posix()}/kaluga-pharma.md"
    unlimited = prerender.pages(ds, scorecard_link=True)
    assert prerender.pages(ds, scorecard_link=True, pdf_profiles=n) == unlimited
    brief = prerender.pages(ds, scorecard_link=True, pdf_profiles=n - 1)
    assert brief.keys() == unlimited.keys()
    assert all(".unlisted" in text.partition("\n")[0] for path, text in brief.items() if path.startswith(profiles.PROFILE_DIR.as_posix()))
    assert ".unlisted" not in unlimited[page] and 'when-format="html"' in brief[page]


def test_the_books_limit_keeps_every_real_profile_in_the_pdf():
    from analysis import project

    assert len(load(DATA)["clusters"]) <= project.load(ROOT, ["book"]).pdf_profiles


def test_the_collection_gets_the_edition_facts_but_no_profile_pages():
    files = prerender.pre_render(load(DATA), ROOT, ["practices"])
    assert set(files) == {prerender.METADATA, prerender.HEAD}
    assert "appendices" not in yaml.safe_load(files[prerender.METADATA]).get("book", {})


def test_profile_pages_are_not_kept_in_git():
    tracked = subprocess.run(["git", "ls-files", "chapters/profiles", "_generated", profiles.PROFILES_INDEX], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout
    assert tracked == ""


def test_profile_shows_facts_figures_scorecard_and_practices():
    ds = load(DATA)
    text = profiles.profile_markdown(ds, "kama", __import__("analysis.indicators", fromlist=["scores"]).scores(ds).set_index("cluster"))
    assert text.startswith("# Kama (Tatarstan) {#sec-profile-kama .unnumbered}")
    for section in ("## At a glance", "## Key facts", "## Figures", "## Against the benchmarks", "## Scorecard", "## Related best practices"):
        assert section in text
    assert "| Support group | Group 1 | confirmed in another public source |" in text
    assert "less than 50%" in text
    assert "rank =4 of 13 ranked pilots, shared by 2" in text  # a shared rank says so
    assert re.search(r"\[BP-\d{3}\]\(\.\./09-best-practices\.qmd#bp-\d{3}\)", text)


def test_text_from_data_is_escaped(data_copy):
    path = data_copy / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Kama (Tatarstan)", "Kama <script>alert(1)</script> #1"), encoding="utf-8")
    ds = load(data_copy)
    text = profiles.profile_markdown(ds, "kama")
    assert "\\<script\\>alert(1)\\</script\\> \\#1" in text
    assert "<script>" not in text


def test_writing_the_pre_render_files_removes_pages_of_removed_clusters(tmp_path):
    ds = load(DATA)
    (tmp_path / "chapters" / "profiles").mkdir(parents=True)
    stale = tmp_path / "chapters" / "profiles" / "gone-cluster.md"
    stale.write_text("old", encoding="utf-8")
    changed = prerender.write(prerender.pages(ds, scorecard_link=True), tmp_path)
    assert not stale.exists() and stale in changed
    assert len(list((tmp_path / "chapters" / "profiles").glob("*.md"))) == len(ds["clusters"])


def test_a_data_edit_then_the_build_steps_change_no_tracked_file(tmp_path):
    """The profile pages follow the data without `git status` showing anything but the edit."""
    from conftest import copy_project

    from clusterbench.build import _load_books

    root = copy_project(tmp_path / "project")
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(git + ["init", "-q"], cwd=root, check=True)
    subprocess.run(git + ["add", "-A"], cwd=root, check=True)
    subprocess.run(git + ["commit", "-qm", "start"], cwd=root, check=True)
    clusters = root / "data" / "clusters.csv"
    clusters.write_text(clusters.read_text(encoding="utf-8").replace("Kama (Tatarstan)", "Kama cluster"), encoding="utf-8")
    book, collection, generated = _load_books(root, root / "data", ("html", "pdf"))
    assert any("Kama cluster" in text for text in generated.values())
    assert len(book.chapters) > len(collection.chapters)
    status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=root,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    assert status == [" M data/clusters.csv"]


def test_pages_made_in_a_process_per_core_equal_pages_made_in_one(monkeypatch):
    """A large registry's profile pages are shared out among processes; each page comes out the same,
    in English and in Russian."""
    from analysis.data import language

    ds = load(DATA)
    for lang in ("en", "ru"):
        localized = language.localized(ds, lang)
        one = prerender.pages(localized, scorecard_link=True)
        monkeypatch.setattr(prerender, "PARALLEL_FROM", 10)
        monkeypatch.setattr(prerender.os, "cpu_count", lambda: 2)
        shared = prerender.pages(localized, scorecard_link=True)
        monkeypatch.undo()
        assert shared == one and list(shared) == list(one)
