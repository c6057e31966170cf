"""Tables that grow with the registry: beyond `cb.table-rows` they show their first rows and say so."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis import project
from analysis.data import load
from analysis.report import directory, listing
from analysis.report.chapter import ChapterContext
from analysis.text import speaking

ROOT = Path(__file__).resolve().parent.parent


def _clusters(n: int) -> pd.DataFrame:
    return pd.DataFrame({"Cluster": [f"Cluster {i}" for i in range(1, n + 1)], "Participants": range(1, n + 1)})


def test_a_table_within_the_limit_is_shown_whole_and_unremarked():
    frame = _clusters(5)
    for most in (None, 5, 6):
        shown, note = listing.first_rows(frame, most)
        assert shown.equals(frame) and note == ""


def test_a_longer_table_keeps_its_first_rows_in_order_and_gives_the_full_count():
    shown, note = listing.first_rows(_clusters(1234), 200)
    assert shown["Cluster"].tolist() == [f"Cluster {i}" for i in range(1, 201)]
    assert note.startswith("The table shows the first 200 of its 1,234 rows.") and "(@sec-profiles)" in note
    with speaking("ru"):
        shown, note = listing.first_rows(_clusters(1231), 200)
    assert len(shown) == 200
    assert note.startswith("Из 1\u00a0231 строки таблицы показаны первые 200.") and "(@sec-profiles)" in note


def test_a_chapter_table_puts_the_note_before_the_table_so_its_caption_still_follows_it(tmp_path):
    (tmp_path / "_quarto.yml").write_text("project:\n  type: book\ncb:\n  table-rows: 3\n", encoding="utf-8")
    ctx = ChapterContext(project_dir=tmp_path, target="html")
    markdown = ctx.table(_clusters(4)).data
    note, _, table = markdown.partition("\n\n")
    assert note.startswith("The table shows the first 3 of its 4 rows.")
    assert table.startswith("| Cluster") and "Cluster 3" in table and "Cluster 4" not in table
    assert ctx.table(_clusters(3)).data.startswith("| Cluster")


def test_a_folder_without_quarto_yml_sets_no_limit(tmp_path):
    assert listing.limit(tmp_path) is None


def test_a_chapter_reads_the_limit_as_the_build_checks_it(tmp_path):
    """Under real Quarto no build checks `_quarto.yml` first, so a chapter stops on a limit that is not a count."""
    config = tmp_path / "_quarto.yml"
    config.write_text("project:\n  type: book\ncb:\n  table-rows: many\n", encoding="utf-8")
    with pytest.raises(project.ProjectError, match="cb.table-rows must be a whole number of rows, not 'many'"):
        listing.limit(tmp_path)
    config.write_text("project:\n  type: book\ncb:\n  table-rows: 40\n", encoding="utf-8")
    assert listing.limit(tmp_path) == 40


def test_the_directorys_static_list_is_cut_the_same_way():
    frame = directory.directory_table(load(ROOT / "data"))
    whole = directory.pipe_table(frame)
    assert directory.pipe_table(frame, len(frame)) == whole
    cut = directory.pipe_table(frame, 10)
    note, _, table = cut.partition("\n\n")
    assert note.startswith(f"The table shows the first 10 of its {len(frame)} rows.")
    assert table.splitlines() == whole.splitlines()[:12]  # the header, its rule and ten rows


def test_the_books_limit_keeps_every_real_table_whole():
    ds = load(ROOT / "data")
    assert len(ds["clusters"]) <= listing.limit(ROOT)
