"""What the editions chapter shows: how to cite, the released editions and the changelog."""

from __future__ import annotations

import pytest

from analysis.report.findings import editions as findings
from clusterbench import editions

SITE_URL = "https://example.org/cb"


@pytest.fixture
def project(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "index.qmd").write_text("# Home {.unnumbered}\n", encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text(
        f'project:\n  type: book\nbook:\n  title: "Cluster Benchmark"\n  author: "Cluster Benchmark editors"\n'
        f'  date: "2026-12-01"\n  site-url: "{SITE_URL}"\n  chapters:\n    - index.qmd\n', encoding="utf-8")
    return tmp_path


def test_a_draft_says_so_everywhere(project):
    f = findings.findings(project)
    assert f.released == "No edition has been released yet; this is a draft."
    assert f.changelog == "No edition has been released yet, so there are no changes to list."
    assert "Draft of 1 December 2026, not a released edition" in f.how_to_cite


def test_released_editions_are_listed_newest_first_with_their_links(project):
    editions.write_register(project, [
        editions.Entry("2026.1", "2026-11-23", "First <b>*edition*</b>", "0" * 64, "abc1234", "10.5281/zenodo.1234567"),
        editions.Entry("2026.2", "2026-12-01", "Second", "1" * 64, "abc1235")])
    lines = findings.findings(project).released.splitlines()
    assert [cell.strip() for cell in lines[0].split("|")[1:-1]] == ["Edition", "Date", "Summary", "PDFs", "DOI"]
    newest, oldest = lines[2], lines[3]
    assert newest.startswith(f"| [2026.2]({SITE_URL}/v/2026.2/)") and "1 December 2026" in newest
    assert f"[Report]({SITE_URL}/v/2026.1/cluster-benchmark-2026.1.pdf)" in oldest
    # the register's words are escaped, the DOI is a link
    assert r"First \<b\>\*edition\*\</b\>" in oldest
    assert "[10.5281/zenodo.1234567](https://doi.org/10.5281/zenodo.1234567)" in oldest


def test_the_russian_edition_says_it_in_russian(project):
    import re

    from analysis.text import speaking

    with speaking("ru"):
        draft = findings.findings(project)
    assert draft.released == "Ни один выпуск ещё не вышел; это черновик."
    assert draft.changelog == "Ни один выпуск ещё не вышел, поэтому изменений пока нет."
    editions.write_register(project, [
        editions.Entry("2026.1", "2026-11-23", "First", "0" * 64, "abc1234", "10.5281/zenodo.1234567"),
        editions.Entry("2026.2", "2026-12-01", "Second", "1" * 64, "abc1235")])
    with speaking("ru"):
        lines = findings.findings(project).released.splitlines()
    assert [cell.strip() for cell in lines[0].split("|")[1:-1]] == ["Выпуск", "Дата", "Краткое описание", "PDF", "DOI"]
    newest, oldest = lines[2], lines[3]
    # Babel (CLDR) puts a narrow no-break space before 'г.'
    assert newest.startswith(f"| [2026.2]({SITE_URL}/v/2026.2/)") and re.search(r"\| 1 декабря 2026\s?г\. \|", newest)
    assert re.search(r"\| 23 ноября 2026\s?г\. \|", oldest) and f"[Доклад]({SITE_URL}/v/2026.1/cluster-benchmark-2026.1.pdf)" in oldest
    assert "[Сборник](" in oldest and "[10.5281/zenodo.1234567](https://doi.org/10.5281/zenodo.1234567)" in oldest
    # and English again outside the block
    assert "1 December 2026" in findings.findings(project).released


def test_the_russian_edition_shows_the_russian_summaries_and_changelog(project):
    from analysis.text import speaking

    editions.write_register(project, [
        editions.Entry("2026.1", "2026-11-23", "First", "0" * 64, "abc1234", "", "Первый выпуск <b>доклада</b>"),
        editions.Entry("2026.2", "2026-12-01", "Second", "1" * 64, "abc1235")])
    assert "summary_ru: Первый выпуск <b>доклада</b>" in (project / "data" / "editions.yml").read_text(encoding="utf-8")
    assert [e.summary_ru for e in editions.load_register(project)] == ["Первый выпуск <b>доклада</b>", ""]
    (project / "CHANGELOG.md").write_text("# Data changelog\n\nIntro.\n\n## Edition 2026.1 (2026-11-23)\n\nFirst\n\n"
                                          "The first edition.\n", encoding="utf-8")
    with speaking("ru"):
        # a project whose editions came out before the Russian changelog was kept
        assert findings.findings(project).changelog == "Журнал изменений на русском языке для вышедших выпусков не составлялся."
    (project / "CHANGELOG.ru.md").write_text("# Журнал изменений данных\n\nВступление.\n\n## Выпуск 2026.1 (2026-11-23)\n\n"
                                             "Первый выпуск доклада\n\nПервый выпуск.\n", encoding="utf-8")
    with speaking("ru"):
        f = findings.findings(project)
    newest, oldest = ([cell.strip() for cell in line.split("|")[1:-1]] for line in f.released.splitlines()[2:4])
    assert newest[2] == "Краткое описание выпуска на русском языке не указано."
    assert oldest[2] == r"Первый выпуск \<b\>доклада\</b\>"  # escaped like every text of the register
    # the same anchor as the English page's, one level under the chapter's section
    assert f.changelog == "### Выпуск 2026.1 (2026-11-23) {#edition-2026-1}\n\nПервый выпуск доклада\n\nПервый выпуск."
    english = findings.findings(project)
    assert english.changelog == "### Edition 2026.1 (2026-11-23) {#edition-2026-1}\n\nFirst\n\nThe first edition."
    assert [line.split("|")[3].strip() for line in english.released.splitlines()[2:4]] == ["Second", "First"]
