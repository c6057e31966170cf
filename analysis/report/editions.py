"""The editions page's content: the table of released editions and the data changelog."""

from __future__ import annotations

import os
import re
from pathlib import Path

from analysis.data.register import edition_url, load_register
from analysis.paths import find_root
from analysis.project import COLLECTION_STEM, REPORT_STEM


def _project_dir() -> Path:
    return Path(os.environ.get("QUARTO_PROJECT_DIR") or find_root())


def editions_table(root: Path | None = None):
    """Released editions, newest first, with links to their permanent pages and PDFs."""
    import pandas as pd

    from analysis import project as P
    from analysis.report import citation
    from analysis.text import md_escape

    root = Path(root or _project_dir())
    site_url = str(P.load(root).book.get("site-url", ""))
    rows = []
    for e in reversed(load_register(root)):
        url = edition_url(site_url, e.edition)
        rows.append({
            "Edition": f"[{e.edition}]({url})" if url else e.edition,
            "Date": citation.Facts("", date=e.date).long_date,
            "Summary": md_escape(e.summary),
            "PDFs": (f"[Report]({url}{REPORT_STEM}-{e.edition}.pdf), [Collection]({url}{COLLECTION_STEM}-{e.edition}.pdf)"
                     if url else f"`{REPORT_STEM}-{e.edition}.pdf`, `{COLLECTION_STEM}-{e.edition}.pdf`"),
            "DOI": f"[{md_escape(e.doi)}](https://doi.org/{e.doi})" if e.doi else "",
        })
    columns = ["Edition", "Date", "Summary", "PDFs"]
    if any(row["DOI"] for row in rows):
        columns.append("DOI")
    return pd.DataFrame(rows, columns=columns)


def changelog_markdown(root: Path | None = None) -> str:
    """CHANGELOG.md without its title, ready to sit under a chapter heading."""
    path = Path(root or _project_dir()) / "CHANGELOG.md"
    if not path.exists():
        return "No edition has been released yet, so there are no changes to list."
    text = path.read_text(encoding="utf-8")
    _, sep, rest = text.partition("\n## ")
    if not sep:
        return "No edition has been released yet, so there are no changes to list."
    body = re.sub(r"(?m)^(#{2,5}) ", r"#\1 ", "## " + rest)  # entries sit one level under the chapter's section
    # An entry heading gets a stable anchor, #edition-2026-1, that other pages can link to.
    return re.sub(r"(?m)^### Edition (\d{4})\.(\d+) \(([^)]*)\)$", r"### Edition \1.\2 (\3) {#edition-\1-\2}", body).strip()
