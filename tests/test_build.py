"""The build, end to end, on the small test book in tests/fixtures/minibook (wheel-only engine)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from analysis.paths import DATA
from clusterbench.build import BuildError, build

MINIBOOK = Path(__file__).parent / "fixtures" / "minibook"
pytestmark = pytest.mark.slow


def _tree_hash(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    shutil.copytree(MINIBOOK, root)
    shutil.copytree(DATA, root / "data")
    return root


@pytest.fixture
def built(book: Path):
    """A fresh build, for tests that change the book or its data."""
    result = build(book, quiet=True)
    return book, result


@pytest.fixture(scope="module")
def built_once(tmp_path_factory):
    """One build shared by the tests that only read it (a build takes a while on two cores)."""
    root = tmp_path_factory.mktemp("minibook") / "book"
    shutil.copytree(MINIBOOK, root)
    shutil.copytree(DATA, root / "data")
    return root, build(root, quiet=True)


def _page(root: Path, name: str) -> str:
    return (root / "_site" / name).read_text(encoding="utf-8")


def test_builds_pages_pdf_and_downloads(built_once):
    root, result = built_once
    site = root / "_site"
    assert result.engine == "wheel" and not result.up_to_date
    for name in ("index.html", "01-intro.html", "02-charts.html", "03-data.html", "assets/vega-bundle.js",
                 "data/datapackage.json", "data/observations.csv", "data/clusters.csv", "figures/bars.csv"):
        assert (site / name).exists(), name
    assert [p.name for p in result.pdfs] == ["cluster-benchmark-0.1.pdf"]


def test_cross_references_are_numbered_and_linked(built_once):
    root, _ = built_once
    index = _page(root, "index.html")
    assert re.search(r'<a href="02-charts.html#fig-bars"[^>]*>Figure 2.1</a>', index)
    assert re.search(r'<a href="01-intro.html"[^>]*>Chapter 1</a>', index)
    intro = _page(root, "01-intro.html")
    assert re.search(r'<a href="#tbl-small"[^>]*>Table 1.1</a>', intro)
    assert re.search(r'<a href="#sec-details"[^>]*>Section 1.1</a>', intro)
    assert "@fig" not in index and "@sec" not in intro


def test_shortcodes_inline_code_callouts_tables_and_charts(built_once):
    root, _ = built_once
    index = _page(root, "index.html")
    assert "edition 0.1 of <em>Mini Book</em>" in index
    intro = _page(root, "01-intro.html")
    assert "The answer is 42" in intro
    assert "callout-note" in intro and "Callouts are supported." in intro
    assert "Table 1.1: A small table." in intro and "2,000" in intro
    charts = _page(root, "02-charts.html")
    assert 'class="cb-figure" id="fig-bars"' in charts and 'data-spec="spec-bars"' in charts
    assert "Figure 2.1:" in charts and 'href="figures/bars.csv"' in charts
    assert "the format is html" in charts
    data = _page(root, "03-data.html")
    assert "The data lists 25 pilot clusters" in data


def test_no_external_scripts_or_stylesheets(built_once):
    root, _ = built_once
    for page in (root / "_site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not re.search(r'<script[^>]+src="https?://', html), page
        assert not re.search(r'<link[^>]+href="https?://[^"]*"[^>]*stylesheet|<link[^>]+stylesheet[^>]+href="https?://', html), page


def test_pdf_has_edition_how_to_cite_and_static_chart(built_once):
    root, result = built_once
    reader = PdfReader(result.pdfs[0])
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "0.1" in text and "How to cite" in text
    assert "Figure 2.1" in text and "Two bars" in text
    # one execution serves both formats (the chapter contract), so the PDF says what the site says
    assert "the format is html" in text
    assert reader.metadata.title == "Mini Book"


def test_noop_rebuild_is_up_to_date(built_once):
    root, _ = built_once
    again = build(root, quiet=True)
    assert again.up_to_date


def test_only_chapters_reading_a_changed_file_run_again(built):
    root, first = built
    assert first.executed == 3  # three chapters, each run once for the site and the PDF; index.qmd has no code
    practice = sorted((root / "data" / "practices").glob("BP-*.md"))[0]
    practice.write_text(practice.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = build(root, quiet=True)
    assert (result.executed, result.reused) == (0, 3)  # no chapter read the practices
    clusters = root / "data" / "clusters.csv"
    clusters.write_text(clusters.read_text(encoding="utf-8").replace("Sarov innovation cluster", "Sarov cluster"), encoding="utf-8")
    result = build(root, quiet=True)
    assert (result.executed, result.reused) == (1, 2)  # the data chapter, once for both formats


def _children() -> set[int]:
    import psutil

    return {p.pid for p in psutil.Process().children(recursive=True) if p.is_running()}


def test_a_build_that_runs_no_chapter_leaves_no_warming_worker_behind(built):
    """Workers start their kernels while the books are planned; when every chapter comes from the cache
    they are stopped, not waited for and not left running."""
    import time

    root, _ = built
    before = _children()
    practice = sorted((root / "data" / "practices").glob("BP-*.md"))[0]
    practice.write_text(practice.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = build(root, quiet=True)
    assert (result.executed, result.reused) == (0, 3)
    deadline = time.monotonic() + 10
    while _children() - before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _children() - before == set()


def _failed_build(root: Path, addition: str) -> str:
    """Add `addition` to 02-charts.qmd and build: the BuildError's message, once the build is known to have
    left the previous site as it was and no temporary or work folder behind."""
    before = _tree_hash(root / "_site")
    chapter = root / "02-charts.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + addition, encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(root, quiet=True)
    assert _tree_hash(root / "_site") == before
    assert not list(root.glob("._site*"))
    return str(err.value)


def test_failing_cell_names_chapter_and_cell_and_keeps_the_previous_site(built):
    message = _failed_build(built[0], "\n```{python}\n#| label: broken-cell\n1 / 0\n```\n")
    assert "02-charts.qmd" in message and "broken-cell" in message and "ZeroDivisionError" in message
    assert len(message.splitlines()) <= 8


def test_a_pdf_that_fails_to_compile_names_its_chapter_and_keeps_the_previous_site(built):
    # The PDFs compile while the next edition is assembled: a failure there still stops the build.
    message = _failed_build(built[0], "\nA `#no-such-function()`{=typst} call.\n")
    assert message.startswith("The site or a PDF could not be written") and "02-charts.qmd" in message


def test_bad_data_means_no_build_and_the_previous_site_is_untouched(built):
    root, _ = built
    before = _tree_hash(root / "_site")
    (root / "data" / "factors.csv").write_text("", encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(root, quiet=True)
    assert "factors.csv:1:-: file is empty" in str(err.value)
    assert _tree_hash(root / "_site") == before


def test_a_build_leaves_the_garbage_collector_as_it_found_it_even_when_it_fails(tmp_path):
    import gc

    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    (tmp_path / "data").mkdir()
    with pytest.raises(BuildError):  # a project without _quarto.yml fails once the build is under way
        build(tmp_path, quiet=True, force=True)
    assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)


@pytest.mark.parametrize("snippet, expected, line", [
    ("{{< include other.qmd >}}", "shortcode 'include' is not supported", 3),
    ("::: {.panel-tabset}\nA\n:::", "div class '.panel-tabset' is not supported", 3),
    ("```{r}\n1 + 1\n```", "code cells in 'r' are not supported", 3),
    ("```{python}\n#| fig-width: 8\n1\n```", "cell option 'fig-width' is not supported", 4),
    ("See [@smith2020].", "looks like a citation", 3),
    ("See @fig-missing.", "unresolved cross-reference @fig-missing", 3),
])
def test_unsupported_features_fail_loudly_with_file_and_line(book, snippet, expected, line):
    chapter = book / "01-intro.qmd"
    lines = chapter.read_text(encoding="utf-8").split("\n")
    lines.insert(2, snippet)
    chapter.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(BuildError) as err:
        build(book, quiet=True, to=("html",))
    assert expected in str(err.value)
    assert str(err.value).startswith(f"01-intro.qmd:{line}: ")


def test_command_line_build_reports_and_fails_cleanly(book):
    cmd = [sys.executable, "-m", "clusterbench.cli", "build", "--root", str(book), "--to", "html", "--quiet"]
    ok = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert ok.returncode == 0, ok.stderr
    assert "Built" in ok.stdout and "pages" in ok.stdout
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert "Up to date" in again.stdout
    (book / "data" / "sources.csv").write_text("id\n", encoding="utf-8")
    bad = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "previous site was left as it was" in bad.stderr


@pytest.mark.skipif(shutil.which("quarto") is None, reason="the Quarto CLI is not on PATH; the Quarto engine is checked where it is installed")
@pytest.mark.quarto
def test_quarto_engine_builds_the_same_book(book):
    result = build(book, engine="quarto", quiet=True)
    assert (result.out / "index.html").exists() and result.pdfs


@pytest.mark.skipif(shutil.which("quarto") is None, reason="the Quarto CLI is not on PATH; the Quarto engine is checked where it is installed")
@pytest.mark.quarto
@pytest.mark.slow
def test_quarto_renders_the_whole_product_offline_and_leaves_the_tree_clean(tmp_path):
    from conftest import copy_project

    root = copy_project(tmp_path / "project")
    before = sorted(p.name for p in root.iterdir())
    result = build(root, engine="quarto", quiet=True)
    names = {p.name for p in result.pdfs}
    assert names == {"cluster-benchmark-draft.pdf", "best-practices-draft.pdf"}
    pages = list(result.out.rglob("*.html"))
    assert (result.out / "index.html").exists() and len(pages) > 50
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "cdn.jsdelivr" not in text and "require.js" not in text and "np.int" not in text, page
    assert list(result.out.rglob("figures/*.csv")) and (result.out / "data" / "datapackage.json").exists()
    leftovers = sorted(p.name for p in root.iterdir() if p.name not in before and not p.name.startswith(("_", ".")))
    assert leftovers == [], leftovers  # no stray index.typ or notebook after a render


# --- speed levers must not change what is built -------------------------------------------------

KALUGA_ROW = "kaluga-pharma,employees,,{},"
KALUGA_SENTENCE = ("\n\nKaluga pharma employs `{python} str(int(ctx.ds.observations.query("
                   "\"entity == 'kaluga-pharma' and indicator == 'employees'\")['value'].iloc[0]))` people.\n")
KALUGA_SELECTED = ("\n\nKaluga pharma employs `{python} str(int(ctx.ds.observation_rows("
                   "entity='kaluga-pharma', indicator='employees')['value'].iloc[0]))` people.\n")


def _set_kaluga_employees(data: Path, old: str, new: str) -> None:
    path = data / "observations" / "anon-2020-success-factors.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count(KALUGA_ROW.format(old)) == 1
    path.write_text(text.replace(KALUGA_ROW.format(old), KALUGA_ROW.format(new)), encoding="utf-8")


def test_warm_and_cold_kernels_build_byte_identical_pages_and_pdfs(book, monkeypatch):
    import clusterbench.build as build_mod

    warm = build(book, out=book / "_warm", quiet=True)
    shutil.rmtree(book / ".cache" / "executions")
    monkeypatch.setattr(build_mod, "WARM_KERNELS", False)
    cold = build(book, out=book / "_cold", quiet=True)
    assert (warm.executed, cold.executed) == (3, 3)
    assert _tree_hash(book / "_warm") == _tree_hash(book / "_cold")
    assert any(name.endswith(".pdf") for name in _tree_hash(book / "_warm"))


def test_a_one_value_rebuild_equals_a_clean_build_of_the_edited_data(book, tmp_path):
    chapter = book / "03-data.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + KALUGA_SENTENCE, encoding="utf-8")
    build(book, quiet=True)
    assert "Kaluga pharma employs 12400 people." in _page(book, "03-data.html")
    _set_kaluga_employees(book / "data", "12400", "12500")
    rebuilt = build(book, quiet=True)
    assert (rebuilt.executed, rebuilt.reused) == (1, 2)  # only the chapter that reads the observations
    clean = tmp_path / "clean"
    shutil.copytree(book, clean, ignore=shutil.ignore_patterns("_site", ".cache"))
    build(clean, quiet=True)
    assert "Kaluga pharma employs 12500 people." in _page(book, "03-data.html")
    assert _tree_hash(book / "_site") == _tree_hash(clean / "_site")


def test_a_chapter_that_selects_observations_runs_again_only_when_those_rows_change(book):
    chapter = book / "03-data.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + KALUGA_SELECTED, encoding="utf-8")
    build(book, quiet=True)
    path = book / "data" / "observations" / "anon-2020-success-factors.csv"
    montreal = "aero-montreal,employees,,41750,"
    path.write_text(path.read_text(encoding="utf-8").replace(montreal, montreal.replace("41750", "41800")), encoding="utf-8")
    other_row = build(book, quiet=True)
    assert (other_row.executed, other_row.reused) == (0, 3)  # the same file, but not a row the chapter selected
    _set_kaluga_employees(book / "data", "12400", "12500")
    own_row = build(book, quiet=True)
    assert (own_row.executed, own_row.reused) == (1, 2)
    assert "Kaluga pharma employs 12500 people." in _page(book, "03-data.html")


def test_a_chapter_kept_from_the_cache_follows_references_that_moved(book, tmp_path):
    build(book, quiet=True)
    assert re.search(r'<a href="02-charts.html#fig-bars"[^>]*>Figure 2.1</a>', _page(book, "index.html"))
    # the home page's text is unchanged, but the figure it cites is now in chapter 1, the section in chapter 2
    config = book / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("- 01-intro.qmd\n        - 02-charts.qmd", "- 02-charts.qmd\n        - 01-intro.qmd"),
                      encoding="utf-8")
    build(book, quiet=True)
    index = _page(book, "index.html")
    assert re.search(r'<a href="02-charts.html#fig-bars"[^>]*>Figure 1.1</a>', index)
    assert re.search(r'<a href="01-intro.html"[^>]*>Chapter 2</a>', index)
    clean = tmp_path / "clean"
    shutil.copytree(book, clean, ignore=shutil.ignore_patterns("_site", ".cache"))
    build(clean, quiet=True)
    assert _tree_hash(book / "_site") == _tree_hash(clean / "_site")
