"""Tables that grow with the registry show their first rows, and say so.

A table that lists every cluster is fine for the 51 clusters of the real registry, but at
thousands it makes pages of several megabytes and PDFs of hundreds of pages that no reader
scans. Beyond `cb.table-rows` rows (in `_quarto.yml`) such a table keeps its first rows, in
its own order, after a sentence that gives the full count and sends the reader to the index of
cluster profiles, which lists every cluster. The site's directory and comparison tools still
work on every cluster: they read the clusters' data, not the page's table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis import project
from analysis.text import num, plural, say

#: The key in `_quarto.yml`'s `cb:` block.
CONFIG_KEY = "table-rows"


def limit(project_dir: Path) -> int | None:
    """`cb.table-rows` from the project's `_quarto.yml`: the most rows a table shows (None: all, as in
    a folder with no `_quarto.yml`, where tests run single chapters). Checked as the wheel engine checks
    it, so a chapter under real Quarto stops on a limit that is not a count too."""
    if not (Path(project_dir) / "_quarto.yml").exists():
        return None
    return project.cb_limit(project.read_config(project_dir), CONFIG_KEY, "_quarto.yml")


def first_rows(frame: pd.DataFrame, most: int | None) -> tuple[pd.DataFrame, str]:
    """The rows to show and the Markdown sentence that says what was left out ('' when nothing was)."""
    if most is None or len(frame) <= most:
        return frame, ""
    total = len(frame)
    note = say(f"The table shows the first {num(most)} of its {num(total)} rows. The index of cluster profiles "
               "(@sec-profiles) lists every cluster, with a link to its profile.",
               f"Из {num(total)} {plural(total, 'строки|строк|строк')} таблицы показаны первые {num(most)}. "
               "Все кластеры со ссылками на их профили перечислены в указателе профилей (@sec-profiles).")
    return frame.head(most), note
