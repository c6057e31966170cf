"""Versioned editions, end to end, in a temporary git copy of the project.

The session fixture `released` (conftest.py, shared with the publishing tests) releases edition A,
changes a value, adds a practice and withdraws another, and releases B. These tests then check the
archive, the banner data, the changelog, the stubs, the citation file and that A's published files
did not change. Each release builds the real book from its tag (about a minute and a half each on
two cores).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml
from conftest import (
    CHANGED,
    NEW_PRACTICE,
    SITE_URL,
    WITHDRAWN,
    A,
    B,
    _git,
    _hashes,
    _set_changed_value,
)

from analysis.paths import ROOT
from analysis.report import citation
from clusterbench import editions
from clusterbench.cli import main as cli
from clusterbench.editions import changelog


@pytest.mark.slow
def test_both_editions_are_browsable_and_the_root_shows_the_latest(released):
    site = released["site"]
    for edition in (A, B):
        index = (site / "v" / edition / "index.html").read_text(encoding="utf-8")
        assert f'<meta name="cb-edition" content="{edition}"' in index
        assert (site / "v" / edition / f"best-practices-{edition}.pdf").exists()
    root_index = (site / "index.html").read_text(encoding="utf-8")
    assert f'<meta name="cb-edition" content="{B}"' in root_index
    assert _hashes(site, "*.html") == _hashes(site / "v" / B, "*.html")
    assert not (site / "draft").exists()  # the working tree is edition B plus the draft marker


@pytest.mark.slow
def test_the_old_edition_keeps_its_value_and_files(released):
    site, profile = released["site"], f"{CHANGED[0]}.html"
    def shown(folder: Path) -> str:
        return re.sub(r"<[^>]+>", " ", (folder / profile).read_text(encoding="utf-8"))
    assert f"{int(released['old']):,}" in shown(site / "v" / A)
    assert f"{int(released['new']):,}" in shown(site / "v" / B)
    assert f"{int(released['new']):,}" not in shown(site / "v" / A)
    at_a = released["at_a"]
    assert _hashes(site / "v" / A, "*.pdf") == at_a["pdf"]  # byte-identical to the release of A
    assert _hashes(site / "v" / A, "data/**/*") == at_a["data"]
    assert (site / "v" / A / "index.html").read_text(encoding="utf-8") == at_a["html"]


@pytest.mark.slow
def test_versions_json_lists_both_editions_for_switcher_and_banner(released):
    site = released["site"]
    versions = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    assert versions["latest"] == B
    assert [e["edition"] for e in versions["editions"]] == [B, A]
    old = versions["editions"][1]
    assert old["path"] == f"v/{A}/" and old["url"] == f"{SITE_URL}/v/{A}/" and not old["latest"]
    assert "index.html" in old["pages"] and f"best-practices-{A}.pdf" in old["pdfs"]
    assert (site / "versions.js").read_text(encoding="utf-8").startswith("window.CB_VERSIONS = ")
    # Every page of A carries what the banner needs; the banner text itself is drawn from versions.js.
    page = (site / "v" / A / "05-scorecard.html").read_text(encoding="utf-8")
    assert 'id="edition-banner"' in page and 'id="version-switcher"' in page
    assert f'<link rel="canonical" href="{SITE_URL}/05-scorecard.html">' in page


@pytest.mark.slow
def test_changelog_names_the_changed_value_and_the_added_and_withdrawn_practices(released):
    root = released["root"]
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    entry = text.split(f"## Edition {A}")[0]
    assert f"## Edition {B} (2026-12-01)" in entry
    old, new = f"{int(released['old']):,}", f"{int(released['new']):,}"
    assert re.search(rf"Kaluga[^\n]*changed from {old} [^\n]* to {new} ", entry), entry
    assert f"Added {NEW_PRACTICE}: Publish an open benchmark of every pilot cluster" in entry
    assert f"Withdrawn {WITHDRAWN}:" in entry
    # ...and the site shows it.
    page = (released["site"] / "12-editions.html").read_text(encoding="utf-8")
    assert f"Withdrawn {WITHDRAWN}" in page and 'id="edition-2026-2"' in page


def _sections(entry: str) -> list[tuple[str, list[str]]]:
    """A changelog entry's sections: (heading, its change lines)."""
    return [(block.split("\n", 1)[0], [line for line in block.splitlines() if line.startswith("- ")])
            for block in entry.split("\n### ")[1:]]


@pytest.mark.slow
def test_the_release_writes_each_entry_in_russian_line_for_line(released):
    from test_changelog_ru import numbers_en, numbers_ru

    root = released["root"]
    english = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    russian = (root / "CHANGELOG.ru.md").read_text(encoding="utf-8")
    assert russian.startswith(changelog.TITLE_RU)
    assert re.findall(r"(?m)^## Выпуск (\S+) \((\S+)\)$", russian) == [(B, "2026-12-01"), (A, "2026-11-23")]
    # both editions were released without --summary-ru: the Russian entries say so, in Russian
    assert russian.count("\n\nКраткое описание выпуска на русском языке не указано.\n\n") == 2
    assert "First edition" not in russian and "Corrected Kaluga figures" not in russian
    assert russian.rstrip().endswith("Первый выпуск.")
    en_b, ru_b = english.split(f"## Edition {A}")[0], russian.split(f"## Выпуск {A}")[0]
    assert f"Изменения в данных по сравнению с выпуском {A}:" in ru_b
    en_sections, ru_sections = _sections(en_b), _sections(ru_b)
    assert [h for h, _ in en_sections] == ["Values", "Practices"]
    assert [h for h, _ in ru_sections] == [changelog.SECTIONS_RU[h] for h, _ in en_sections]
    for (_, en_lines), (_, ru_lines) in zip(en_sections, ru_sections):
        assert len(en_lines) == len(ru_lines) and en_lines
        for en, ru in zip(en_lines, ru_lines):
            assert numbers_en(en) == numbers_ru(ru), (en, ru)
    new = f"{int(released['new']):,}".replace(",", "\u00a0")
    assert re.search(rf"Калужская[^\n]*: значение изменено с [^\n]* на {new} ", ru_b), ru_b
    assert f"Добавлена практика {NEW_PRACTICE}." in ru_b and f"Исключена практика {WITHDRAWN}: " in ru_b
    assert "changed from" not in russian and "Withdrawn" not in russian
    # committed with the release, and the Russian Editions page shows it with the English page's anchors
    assert _git(root, "show", f"edition-{B}:CHANGELOG.ru.md") == russian.rstrip("\n")
    page = (released["site"] / "ru" / "12-editions.html").read_text(encoding="utf-8")
    assert f"Исключена практика {WITHDRAWN}" in page and 'id="edition-2026-2"' in page and 'id="edition-2026-1"' in page


@pytest.mark.slow
def test_the_withdrawn_practice_keeps_a_stub_at_its_old_address(released):
    site = released["site"]
    old_page = (site / "v" / A / "09-best-practices.html").read_text(encoding="utf-8")
    assert f'id="{WITHDRAWN.lower()}"' in old_page
    latest = (site / "09-best-practices.html").read_text(encoding="utf-8")
    stub = latest.split(f'id="{WITHDRAWN.lower()}"', 1)[1][:1500]
    assert f"withdrawn in edition {B}" in stub
    assert f'id="{NEW_PRACTICE.lower()}"' in latest and f'id="{NEW_PRACTICE.lower()}"' not in old_page


@pytest.mark.slow
def test_register_tags_and_citation_follow_the_latest_edition(released):
    root = released["root"]
    register = editions.load_register(root)
    assert [e.edition for e in register] == [A, B]
    assert register[1].data_hash == editions.data_hash(root / "data")
    assert _git(root, "tag", "--list", "edition-*").split() == [f"edition-{A}", f"edition-{B}"]
    assert yaml.safe_load(_git(root, "show", f"edition-{B}:_variables.yml"))["edition"] == B
    assert yaml.safe_load((root / "_variables.yml").read_text(encoding="utf-8"))["edition"] == "draft"
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["version"] == B and cff["date-released"] == "2026-12-01" and cff["url"] == f"{SITE_URL}/v/{B}/"
    assert _git(root, "status", "--porcelain") == ""


@pytest.mark.slow
def test_how_to_cite_names_edition_date_and_permanent_url_in_site_and_pdfs(released):
    from pypdf import PdfReader

    site = released["site"]
    page = (site / "v" / A / "index.html").read_text(encoding="utf-8")
    assert f"edition {A}, 23 November 2026" in page and f"{SITE_URL}/v/{A}/" in page
    for name in (f"cluster-benchmark-{A}.pdf", f"best-practices-{A}.pdf"):
        text = " ".join(" ".join(p.extract_text() for p in PdfReader(site / "v" / A / name).pages[:3]).split())
        assert f"edition {A}" in text and f"{SITE_URL}/v/{A}/" in text, name
    practices = (site / "v" / A / "09-best-practices.html").read_text(encoding="utf-8")
    assert "@incollection{clusterbench-2026-1-bp-007," in practices
    assert f"{SITE_URL}/v/{A}/09-best-practices.html#bp-007" in practices


@pytest.mark.slow
def test_practice_ids_are_stable_across_editions(released):
    root = released["root"]
    assert editions.practice_id_problems(root, editions.load_register(root)) == []
    # Deleting a published practice, or bringing a withdrawn id back, is refused.
    gone = next((root / "data" / "practices").glob("BP-001-*.md"))
    saved = gone.read_text(encoding="utf-8")
    gone.unlink()
    stub = next((root / "data" / "practices").glob(f"{WITHDRAWN}-*.md"))
    stub_text = stub.read_text(encoding="utf-8")
    stub.write_text(stub_text.replace("status: withdrawn\n", ""), encoding="utf-8")
    try:
        problems = editions.practice_id_problems(root, editions.load_register(root))
        assert any("BP-001" in p and "published in edition" in p for p in problems), problems
        assert any(WITHDRAWN in p and "never reused" in p for p in problems), problems
    finally:
        gone.write_text(saved, encoding="utf-8")
        stub.write_text(stub_text, encoding="utf-8")


def _state(root: Path) -> tuple:
    return (_git(root, "rev-parse", "HEAD"), _git(root, "tag", "--list"),
            _hashes(root, "data/editions.yml"), _hashes(root, "CHANGELOG.md"), _hashes(root, "_site/versions.json"))


@pytest.mark.slow
@pytest.mark.parametrize("edition, expected", [
    (B, "already exists"),
    ("2026.1", "already exists"),
    ("2025.9", "lower than the latest edition, 2026.2"),
    ("26.3", "not of the form YEAR.N"),
])
def test_bad_edition_numbers_are_refused_and_nothing_is_written(released, edition, expected, capsys):
    root = released["root"]
    before = _state(root)
    assert cli(["release", edition, "--summary", "x", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "Release refused; nothing was written." in err and expected in err
    assert _state(root) == before


@pytest.mark.slow
def test_invalid_data_and_a_dirty_tree_are_refused_with_every_reason(released, capsys):
    root = released["root"]
    before = _state(root)
    clusters = root / "data" / "clusters.csv"
    saved = clusters.read_text(encoding="utf-8")
    clusters.write_text(saved.replace(",pilot,", ",pilott,", 1), encoding="utf-8")
    try:
        assert cli(["release", "2027.1", "--summary", "x", "--root", str(root)]) == 1
        err = capsys.readouterr().err
        assert "uncommitted changes (data/clusters.csv)" in err
        assert re.search(r"invalid data: clusters\.csv:\d+:kind:", err), err
        assert _state(root) == before
    finally:
        clusters.write_text(saved, encoding="utf-8")


def test_changelog_diff_reads_values_practices_and_scores(tmp_path, data_copy):
    old = tmp_path / "old"
    shutil.copytree(data_copy, old)
    _set_changed_value(data_copy, "999999")
    ass = data_copy / "assessments.csv"
    rows = pd.read_csv(ass, dtype=str, keep_default_na=False)
    j = rows.index[(rows["cluster"] == "kaluga-pharma") & (rows["status"] == "unknown")][0]
    rows.loc[j, ["status", "evidence", "source", "locator", "basis"]] = ["meets", "Test evidence", "kutsenko-2015", "Table 1", "stated"]
    rows.to_csv(ass, index=False, lineterminator="\n")
    changes = changelog.diff(old, data_copy)
    text = changelog.changes_markdown(changes)
    assert re.search(r"Kaluga[^\n]*changed from [\d,]+ [^\n]*to 999,999 ", text), text
    assert any("Kaluga" in line and "score" in line for line in changes.lines["Scorecard and ranking"]), text
    assert changelog.changes_markdown(changelog.diff(old, old)) == "No data changes."


def test_practice_citation_has_text_and_bibtex_with_the_permanent_address():
    f = citation.Facts("Cluster Benchmark", authors=["Cluster Benchmark editors"], edition="2026.1", date="2026-11-23",
                       site_url=SITE_URL)
    text, bibtex = citation.practice_citation(f, "BP-007", "Costs & 50% shares_of {x}")
    assert f"<{SITE_URL}/v/2026.1/09-best-practices.html#bp-007>" in text and "edition 2026.1" in text
    assert bibtex.startswith("@incollection{clusterbench-2026-1-bp-007,")
    assert r"Costs \& 50\% shares\_of \{x\}" in bibtex and "year = {2026}" in bibtex
    draft = citation.Facts("Cluster Benchmark", authors=["Cluster Benchmark editors"], date="2026-11-23")
    assert "not a released edition" in citation.how_to_cite(draft) and "<" not in citation.how_to_cite(draft)


def test_the_repository_citation_file_follows_its_latest_edition():
    from analysis import project

    register = editions.load_register(ROOT)
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    if register:
        assert (cff["version"], cff["date-released"]) == (register[-1].edition, register[-1].date)
    else:
        assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == citation.cff(citation.facts(project.load(ROOT)))
    assert cff["license"] and cff["authors"]


def test_the_repository_keeps_every_published_practice_id():
    register = editions.load_register(ROOT)
    missing = [e.tag for e in register if not subprocess.run(["git", "rev-parse", "--verify", "--quiet", e.tag], cwd=ROOT,
                                                              capture_output=True).stdout]
    if missing:
        pytest.skip(f"this clone has no tags {', '.join(missing)}; run `git fetch --tags`")
    assert editions.practice_id_problems(ROOT, register) == []


def test_a_rebuild_that_differs_from_the_published_edition_is_refused(tmp_path, monkeypatch):
    site = tmp_path / "_site"
    published = site / "v" / A
    (published / "data").mkdir(parents=True)
    (published / f"best-practices-{A}.pdf").write_bytes(b"%PDF as published")
    (published / "data" / "clusters.csv").write_text("id\nx\n", encoding="utf-8")
    entry = editions.Entry(A, "2026-11-23", "First", "0" * 64, "abc1234")
    monkeypatch.setattr(editions, "load_register", lambda root: [entry])

    def rebuilt(root, e, out, **options):
        shutil.copytree(published, out)
        (out / f"best-practices-{A}.pdf").write_bytes(b"%PDF built differently")

    monkeypatch.setattr(editions, "build_edition", rebuilt)
    with pytest.raises(editions.EditionError) as info:
        editions.assemble(tmp_path, site, rebuild=True)
    assert f"edition {A} no longer rebuilds identically (best-practices-{A}.pdf)" in str(info.value)
    assert (published / f"best-practices-{A}.pdf").read_bytes() == b"%PDF as published"
    assert [p.name for p in (site / "v").iterdir()] == [A]  # no staging folder left behind


# --- in the browser ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["http", "file"])
def test_version_menu_and_old_edition_banner_in_the_browser(released, open_page, mode):
    from conftest import serve

    site = released["site"]
    with serve(site) as served:
        base = served if mode == "http" else site.resolve().as_uri() + "/"
        page, guard = open_page(base)
        errors: list[str] = []
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

        page.goto(base + f"v/{A}/05-scorecard.html")
        page.locator("#version-switcher a.cb-edition").first.wait_for(state="attached", timeout=10_000)
        listed = page.locator("#version-switcher a.cb-edition").evaluate_all("as => as.map(a => a.dataset.edition)")
        assert listed == [B, A]
        banner = page.locator("#edition-banner")
        assert banner.is_visible()
        assert f"You are reading edition {A} (2026-11-23), which is not the latest. The latest is edition {B}" in banner.inner_text()
        banner.locator("a").click()
        page.wait_for_url("**/05-scorecard.html")
        assert page.url == base + "05-scorecard.html"  # the same page at the root, which is the latest edition

        assert not page.locator("#edition-banner").is_visible()
        current = page.locator("#version-switcher a[aria-current]").evaluate_all("as => as.map(a => a.dataset.edition)")
        assert current == [B]
        old = page.locator(f'#version-switcher a[data-edition="{A}"]').get_attribute("href")
        assert old == base + f"v/{A}/05-scorecard.html"
        assert errors == [] and guard.blocked == []


# --- DOI-ready editions -------------------------------------------------------------------------


@pytest.mark.slow
def test_each_release_commits_deposit_metadata_for_a_doi(released):
    root = released["root"]
    meta = json.loads(_git(root, "show", f"edition-{B}:.zenodo.json"))
    assert (meta["version"], meta["publication_date"]) == (B, "2026-12-01")
    assert meta["creators"] == [{"name": "Cluster Benchmark editors"}] and meta["license"] == "cc-by-4.0"
    assert meta["upload_type"] == "publication" and "Corrected Kaluga figures" in meta["description"]
    assert {"identifier": f"{SITE_URL}/v/{B}/", "relation": "isVariantFormOf",
            "resource_type": "publication-report"} in meta["related_identifiers"]
    assert json.loads(_git(root, "show", f"edition-{A}:.zenodo.json"))["version"] == A


def test_a_doi_in_the_register_shows_in_how_to_cite_and_the_citation_file(tmp_path):
    (tmp_path / "data").mkdir()
    entries = [editions.Entry(A, "2026-11-23", "First", "0" * 64, "abc1234", "10.5281/zenodo.1234567"),
               editions.Entry(B, "2026-12-01", "Second", "1" * 64, "abc1235")]
    editions.write_register(tmp_path, entries)
    assert [e.doi for e in editions.load_register(tmp_path)] == ["10.5281/zenodo.1234567", ""]
    assert citation.registered_doi(tmp_path, A) == "10.5281/zenodo.1234567"
    assert citation.registered_doi(tmp_path, B) == "" and citation.registered_doi(tmp_path, "draft") == ""

    f = citation.Facts("Cluster Benchmark", authors=["Cluster Benchmark editors"], edition=A, date="2026-11-23",
                       site_url=SITE_URL, doi="10.5281/zenodo.1234567")
    assert "<https://doi.org/10.5281/zenodo.1234567>" in citation.how_to_cite(f)
    assert yaml.safe_load(citation.cff(f).split("\n", 1)[1])["doi"] == "10.5281/zenodo.1234567"
    later = citation.zenodo(citation.Facts("Cluster Benchmark", edition=B, date="2026-12-01", site_url=SITE_URL),
                            previous_doi="10.5281/zenodo.1234567")
    assert {"identifier": "10.5281/zenodo.1234567", "relation": "isNewVersionOf", "scheme": "doi"} in later["related_identifiers"]


def test_a_malformed_doi_in_the_register_names_the_entry_and_field(tmp_path):
    (tmp_path / "data").mkdir()
    editions.write_register(tmp_path, [editions.Entry(A, "2026-11-23", "First", "0" * 64, "abc1234", "https://doi.org/10.1/x")])
    with pytest.raises(editions.EditionError) as info:
        editions.load_register(tmp_path)
    assert "data/editions.yml:1:doi:" in str(info.value)


# --- pinned rebuilds ------------------------------------------------------------------------------


class _FakeRun:
    """Stands in for subprocess.run: records each command and makes the venv's Python appear."""

    def __init__(self):
        self.commands: list[list[str]] = []

    def __call__(self, cmd, **kwargs):
        self.commands.append(cmd)
        if cmd[1:3] == ["-m", "venv"]:
            (Path(cmd[3]) / "bin").mkdir(parents=True)
            (Path(cmd[3]) / "bin" / "python").write_text("", encoding="utf-8")
        return subprocess.CompletedProcess(cmd, 0, "", "")


def test_an_edition_with_a_lock_builds_in_a_venv_with_exactly_its_versions(tmp_path):
    import sys

    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["pandas>=2.2,<4", "altair>=5.5,<7"]\n',
                                         encoding="utf-8")
    (tree / editions.LOCK).write_text("altair==6.3.0\npandas==2.3.3\n", encoding="utf-8")
    run = _FakeRun()
    python, how = editions.edition_python(tree, cache=tmp_path / "cache", run=run)
    venv = Path(python).parent.parent
    assert venv.parent == tmp_path / "cache" / "venvs" and how == f"with the exact package versions of its {editions.LOCK}"
    assert run.commands == [
        [sys.executable, "-m", "venv", str(venv)],
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", str(tree / editions.LOCK),
         "pandas>=2.2,<4", "altair>=5.5,<7"],
    ]
    assert editions.edition_python(tree, cache=tmp_path / "cache", run=run)[0] == python
    assert len(run.commands) == 2  # made once per lock, then reused

    (tree / editions.LOCK).write_text("altair==6.3.0\npandas==2.3.2\n", encoding="utf-8")
    assert editions.edition_python(tree, cache=tmp_path / "cache", run=run)[0] != python  # another lock, another venv
    assert editions.edition_python(tree, cache=tmp_path / "cache", pinned=False, run=run)[0] == sys.executable
    (tree / editions.LOCK).unlink()
    python, how = editions.edition_python(tree, cache=tmp_path / "cache", run=run)
    assert python == sys.executable and "has no requirements.lock" in how


def test_a_failed_pinned_install_is_reported_and_leaves_no_half_venv(tmp_path):
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "pyproject.toml").write_text('[project]\nname = "x"\ndependencies = ["pandas>=2.2,<4"]\n', encoding="utf-8")
    (tree / editions.LOCK).write_text("pandas==0.0.0\n", encoding="utf-8")
    run = _FakeRun()

    def failing(cmd, **kwargs):
        result = run(cmd, **kwargs)
        if "pip" in cmd:
            return subprocess.CompletedProcess(cmd, 1, "", "ERROR: No matching distribution found for pandas==0.0.0")
        return result

    with pytest.raises(editions.EditionError, match="No matching distribution found for pandas==0.0.0"):
        editions.edition_python(tree, cache=tmp_path / "cache", run=failing)
    assert list((tmp_path / "cache" / "venvs").iterdir()) == []


def test_the_repository_lock_pins_every_dependency_exactly():
    import tomllib

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    lock = ROOT / editions.LOCK
    pinned = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            name, _, version = line.split(";")[0].strip().partition("==")
            assert version, f"{editions.LOCK}: '{line}' is not an exact pin"
            pinned[canonicalize_name(name)] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} is not in {editions.LOCK}; regenerate it (README, Publishing)"
        assert req.specifier.contains(pinned[name], prereleases=True), f"{name}=={pinned[name]} is outside {req.specifier}"
