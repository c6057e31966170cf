"""The `clusterbench` command: which project it works on, and that a build never loses the editions archive.

The heavy build is replaced by a fake engine where only the choice of project, options and output matters;
`build()` itself (fingerprint, data checks, the swap into place) runs for real.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import copy_project

from clusterbench import build as build_mod
from clusterbench import editions
from clusterbench.cli import main

EDITION = "2026.1"
PUBLISHED = "edition 2026.1 as published"


def _project(dest: Path) -> Path:
    """A clone of the project, as git sees it."""
    dest.mkdir(parents=True)
    return copy_project(dest)


def _break_csv(root: Path) -> None:
    """Give the first cluster (line 2 of clusters.csv) an unknown kind."""
    path = root / "data" / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",pilot,", ",pilott,", 1), encoding="utf-8")


@pytest.fixture
def two_projects(tmp_path):
    """Two clones of the project; the second one's clusters.csv is broken."""
    good = _project(tmp_path / "good")
    broken = _project(tmp_path / "broken")
    _break_csv(broken)
    return good, broken


@pytest.fixture
def nothing_runs(monkeypatch):
    """Every command that could write stops here, so a command that picks the wrong project harms nothing."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"a build, release or checkout was started with {args} {kwargs}")

    for module, name in ((build_mod, "build"), (editions, "assemble"), (editions, "release"), (editions, "worktree")):
        monkeypatch.setattr(module, name, refuse)


# --- the project is found from where you stand --------------------------------------------------


def test_validate_checks_the_project_it_is_run_in(two_projects, monkeypatch, capsys):
    good, broken = two_projects
    monkeypatch.chdir(broken)
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert "clusters.csv:2:kind:" in out and "Data OK" not in out
    monkeypatch.chdir(good)
    assert main(["validate"]) == 0
    assert "Data OK" in capsys.readouterr().out


def test_validate_in_a_subfolder_finds_the_project_above(two_projects, monkeypatch, capsys):
    _, broken = two_projects
    monkeypatch.chdir(broken / "data" / "observations")
    assert main(["validate"]) == 1
    assert "clusters.csv:2:kind:" in capsys.readouterr().out


def test_root_overrides_the_working_directory(two_projects, monkeypatch, capsys):
    good, broken = two_projects
    monkeypatch.chdir(broken)
    assert main(["validate", "--root", str(good)]) == 0
    assert "Data OK" in capsys.readouterr().out
    monkeypatch.chdir(good)
    assert main(["validate", "--root", str(broken)]) == 1
    assert "clusters.csv:2:kind:" in capsys.readouterr().out
    assert main(["validate", "--root", str(broken / "data")]) == 1
    err = capsys.readouterr().err
    assert "has no _quarto.yml" in err and len(err.strip().splitlines()) == 1


def test_build_works_on_the_project_it_is_run_in(two_projects, monkeypatch):
    good, _ = two_projects
    seen = []

    def record(root, **options):
        seen.append(Path(root))
        return build_mod.BuildResult(Path(root) / "_site", "wheel", 0.0, up_to_date=True)

    monkeypatch.setattr(build_mod, "build", record)
    monkeypatch.chdir(good / "data")
    assert main(["build", "--quiet"]) == 0
    assert seen == [good.resolve()]


@pytest.mark.parametrize("argv", [
    ["validate"], ["datapackage", "--check"], ["build"], ["release", "2099.1", "--summary", "x"], ["diff", "HEAD"],
    ["publish"],
], ids=lambda argv: argv[0])
def test_outside_a_project_a_command_says_so_in_one_line(argv, tmp_path, monkeypatch, capsys, nothing_runs):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert "not inside a Cluster Benchmark project" in captured.err and "--root DIR" in captured.err


def test_every_command_offers_root_in_its_help(capsys):
    for command in ("validate", "datapackage", "build", "release", "diff", "publish"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "--root DIR" in capsys.readouterr().out, command


# --- a cluster id must not take a chapter's page ------------------------------------------------


def _add_cluster(root: Path, cid: str) -> int:
    """Add a valid cluster with id `cid`, copied from the last one; returns its line in clusters.csv."""
    for name, column in (("clusters.csv", 0), ("cluster_locations.csv", 0)):
        path = root / "data" / name
        rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
        rows.append([cid if i == column else cell for i, cell in enumerate(rows[-1])])
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    return len((root / "data" / "clusters.csv").read_text(encoding="utf-8").splitlines())


def test_a_cluster_named_like_a_chapter_is_a_clear_data_problem(tmp_path, monkeypatch, capsys, nothing_runs):
    root = _project(tmp_path / "project")
    line = _add_cluster(root, "03-benchmarks")
    monkeypatch.chdir(root)
    where = f"clusters.csv:{line}:id: the cluster's profile page would be 03-benchmarks.html, the page of chapters/03-benchmarks.qmd"

    assert main(["validate", "--data", str(root / "data")]) == 1
    assert where in capsys.readouterr().out

    assert main(["build", "--root", str(root), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert where in err and "Traceback" not in err


# --- a build never loses the editions archive ---------------------------------------------------


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture
def archive(tmp_path):
    """A git project with one released edition and its published copy in _site/v/."""
    root = _project(tmp_path / "project")
    _git(root, "init", "--quiet", "--initial-branch", "main")
    _git(root, "config", "user.name", "Test Editor")
    _git(root, "config", "user.email", "editor@example.org")
    entry = editions.Entry(EDITION, "2026-11-23", "First edition", editions.data_hash(root / "data"), "0000000")
    editions.write_register(root, [entry])
    _git(root, "add", "-A")
    _git(root, "commit", "--quiet", "-m", "Release edition 2026.1")
    _git(root, "tag", "-a", entry.tag, "-m", "Edition 2026.1")
    published = root / "_site" / "v" / EDITION
    published.mkdir(parents=True)
    (published / "index.html").write_text(PUBLISHED, encoding="utf-8")
    (root / "NOTES.md").write_text("Work after the edition, so the working tree is a draft.\n", encoding="utf-8")
    return root


@pytest.fixture
def engines(monkeypatch):
    """Fake engines: each call is recorded as (engine, output folder, targets) and writes one page."""
    calls = []

    def fake(engine):
        def run(root, site, to, *rest):
            calls.append((engine, Path(site), tuple(to)))
            (Path(site) / "index.html").write_text(f"built by {engine}", encoding="utf-8")
            return build_mod.BuildResult(Path(site), engine, 0.0, pages=1)
        return run

    monkeypatch.setattr(build_mod, "_build_wheel", fake("wheel"))
    monkeypatch.setattr(build_mod, "_build_quarto", fake("quarto"))
    return calls


def _archive_kept(root: Path) -> None:
    site = root / "_site"
    assert (site / "v" / EDITION / "index.html").read_text(encoding="utf-8") == PUBLISHED


@pytest.mark.parametrize("to, targets", [("html", ("html",)), ("pdf,html", ("html", "pdf"))])
def test_build_with_any_targets_keeps_the_archive(archive, engines, to, targets, capsys):
    assert main(["build", "--root", str(archive), "--to", to, "--quiet"]) == 0
    _archive_kept(archive)
    site = archive / "_site"
    assert (site / "index.html").read_text(encoding="utf-8") == PUBLISHED  # the root is the latest edition
    assert (site / "draft" / "index.html").exists() and (site / "versions.json").exists()
    [(engine, out, built)] = engines
    assert (engine, built) == ("wheel", targets)
    assert out.parent == site and out.name.startswith(".draft.tmp-")  # built for draft/, then swapped into place


@pytest.mark.parametrize("option", ["--out", "--data"])
def test_build_into_the_archive_folder_stops_with_a_clear_message(archive, engines, option, capsys):
    value = archive / "_site" if option == "--out" else archive / "data"
    assert main(["build", "--root", str(archive), option, str(value), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "editions archive" in err and "--out" in err and "Traceback" not in err
    _archive_kept(archive)
    assert engines == []


def test_a_build_never_swaps_away_an_archive(archive, engines):
    site = archive / "_site"
    with pytest.raises(build_mod.BuildError, match="holds the editions archive"):
        build_mod.build(archive, out=site, to=("html",), quiet=True)
    _archive_kept(archive)
    assert [p.name for p in archive.iterdir() if ".tmp-" in p.name] == []


@pytest.mark.parametrize("engine, quarto_on_path", [("wheel", True), ("quarto", False)])
def test_the_archive_build_uses_the_engine_asked_for(archive, engines, monkeypatch, engine, quarto_on_path):
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: (
        ("/usr/local/bin/quarto" if quarto_on_path else None) if name == "quarto" else which(name, *a, **k)))
    assert main(["build", "--root", str(archive), "--engine", engine, "--quiet"]) == 0
    assert [call[0] for call in engines] == [engine]
    _archive_kept(archive)


def test_the_archive_build_obeys_force(archive, engines):
    for argv in ([], [], ["--force"]):
        assert main(["build", "--root", str(archive), "--quiet", *argv]) == 0
    assert len(engines) == 2  # the first build and the forced one; the second had nothing to do
    _archive_kept(archive)


# --- diff with an unknown edition -------------------------------------------------------------


def test_diff_with_an_unknown_edition_says_so_and_leaves_no_folder(archive, tmp_path, monkeypatch, capsys):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    assert main(["diff", "2027.3", "working", "--root", str(archive)]) == 1
    assert capsys.readouterr().err.strip() == "no edition, tag or commit named '2027.3'"
    assert list(scratch.iterdir()) == []


def test_diff_says_the_changelog_in_the_language_asked_for(capsys):
    from analysis.paths import ROOT

    assert main(["diff", "working", "working", "--root", str(ROOT)]) == 0
    assert capsys.readouterr().out == "# Changes from working to working\n\nNo data changes.\n"
    assert main(["diff", "working", "working", "--lang", "ru", "--root", str(ROOT)]) == 0
    assert capsys.readouterr().out == "# Изменения в данных: от working к working\n\nИзменений в данных нет.\n"
    with pytest.raises(SystemExit):
        main(["diff", "working", "--lang", "fr", "--root", str(ROOT)])
    assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_a_single_builds_own_empty_versions_file_is_not_an_archive(tmp_path):
    """Every single build writes versions.json with no editions; the next build must not refuse it."""
    from clusterbench.editions import overwrite_refusal

    (tmp_path / "versions.json").write_text('{"latest": null, "editions": []}', encoding="utf-8")
    assert overwrite_refusal(tmp_path) == ""
    (tmp_path / "versions.json").write_text('{"latest": "2026.1", "editions": [{"edition": "2026.1"}]}', encoding="utf-8")
    assert "editions archive" in overwrite_refusal(tmp_path)
