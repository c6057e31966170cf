"""The editions page's content: the table of released editions and the data changelog."""

from __future__ import annotations

import os
import re
from pathlib import Path

from analysis.data.register import edition_url, load_register
from analysis.paths import find_root
from analysis.project import COLLECTION_STEM, REPORT_STEM
from analysis.text import language, say

#: The data changelog of each language, written by `clusterbench release` at the project's root.
CHANGELOGS = {"en": "CHANGELOG.md", "ru": "CHANGELOG.ru.md"}
#: What the Russian edition says of an edition released without `--summary-ru`.
NO_SUMMARY_RU = "Краткое описание выпуска на русском языке не указано."
NO_CHANGES = "No edition has been released yet, so there are no changes to list."
NO_CHANGES_RU = "Ни один выпуск ещё не вышел, поэтому изменений пока нет."
#: The Russian changelog of a project whose earlier editions were released before it was kept.
NO_RUSSIAN_CHANGELOG = "Журнал изменений на русском языке для вышедших выпусков не составлялся."
#: An entry's heading in each language (`changelog.entry_markdown` writes it), one level under the chapter's section.
_ENTRY_HEADING = {"en": "Edition", "ru": "Выпуск"}


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
            "Summary": say(md_escape(e.summary), md_escape(e.summary_ru) if e.summary_ru else NO_SUMMARY_RU),
            "PDFs": (f"[Report]({url}{REPORT_STEM}-{e.edition}.pdf), [Collection]({url}{COLLECTION_STEM}-{e.edition}.pdf)"
                     if url else f"`{REPORT_STEM}-{e.edition}.pdf`, `{COLLECTION_STEM}-{e.edition}.pdf`"),
            "DOI": f"[{md_escape(e.doi)}](https://doi.org/{e.doi})" if e.doi else "",
        })
    columns = ["Edition", "Date", "Summary", "PDFs"]
    if any(row["DOI"] for row in rows):
        columns.append("DOI")
    return pd.DataFrame(rows, columns=columns)


def changelog_markdown(root: Path | None = None) -> str:
    """The changelog of the language spoken (CHANGELOG.md, or CHANGELOG.ru.md in Russian) without its title,
    ready to sit under a chapter heading."""
    root = Path(root or _project_dir())
    lang = "ru" if language() == "ru" else "en"
    body = _entries(root / CHANGELOGS[lang])
    if not body:
        return NO_RUSSIAN_CHANGELOG if lang == "ru" and _entries(root / CHANGELOGS["en"]) else say(NO_CHANGES, NO_CHANGES_RU)
    body = re.sub(r"(?m)^(#{2,5}) ", r"#\1 ", body)  # entries sit one level under the chapter's section
    # An entry heading gets a stable anchor, #edition-2026-1, that other pages link to (the same in every language).
    heading = _ENTRY_HEADING[lang]
    return re.sub(rf"(?m)^### {heading} (\d{{4}})\.(\d+) \(([^)]*)\)$", rf"### {heading} \1.\2 (\3) {{#edition-\1-\2}}",
                  body).strip()


def _entries(path: Path) -> str:
    """A changelog's entries from the first '## ' heading on; '' when the file is missing or has none."""
    if not path.exists():
        return ""
    _, sep, rest = path.read_text(encoding="utf-8").partition("\n## ")
    return "## " + rest if sep else ""
