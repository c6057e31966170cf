"""How to cite an edition, the collection and a single practice; `CITATION.cff`.

The facts come from `_quarto.yml` (title, authors, `book.site-url`),
`_variables.yml` (edition, date) and the register `data/editions.yml` (a DOI, once
one is minted), so the site, both PDFs and the citation file say the same thing.
An edition's permanent address is `<site-url>/v/<edition>/`.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.paths import find_root

DRAFT = "draft"
COLLECTION_TITLE = "Best-Practice Collection"
PRACTICES_PAGE = "09-best-practices.html"


@dataclass
class Facts:
    title: str
    subtitle: str = ""
    authors: list[str] = field(default_factory=list)
    edition: str = DRAFT
    date: str = ""
    site_url: str = ""
    licence: str = ""
    doi: str = ""

    @property
    def released(self) -> bool:
        return self.edition != DRAFT

    @property
    def url(self) -> str:
        """The edition's permanent address ('' for a draft or when no site-url is set)."""
        if not self.site_url or not self.released:
            return ""
        return f"{self.site_url.rstrip('/')}/v/{self.edition}/"

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def long_date(self) -> str:
        try:
            d = dt.date.fromisoformat(self.date)
        except ValueError:
            return self.date
        return f"{d.day} {d.strftime('%B')} {d.year}"

    @property
    def author_text(self) -> str:
        return ", ".join(self.authors)


def facts(project=None) -> Facts:
    """Edition facts of a loaded project, or of the project a chapter runs in."""
    if project is None:
        from analysis import project as P

        project = P.load(Path(os.environ.get("QUARTO_PROJECT_DIR") or find_root()))
    book = project.book
    authors = book.get("author", [])
    authors = [authors] if isinstance(authors, str) else [a if isinstance(a, str) else a.get("name", "") for a in authors]
    edition = str(project.variables.get("edition", DRAFT))
    return Facts(
        title=str(book.get("title", "")), subtitle=str(book.get("subtitle", "")), authors=authors,
        edition=edition,
        date=str(project.variables.get("date", book.get("date", ""))),
        site_url=str(book.get("site-url", "")),
        licence=str(project.config.get("license", book.get("license", ""))),
        doi=registered_doi(project.root, edition),
    )


def registered_doi(root: Path, edition: str) -> str:
    """The DOI the register gives an edition, or ''. An unreadable register is reported by the commands
    that read it first (build, release), so here it simply gives no DOI."""
    from analysis.data.register import EditionError, load_register

    if edition == DRAFT:
        return ""
    try:
        return next((e.doi for e in load_register(root) if e.edition == edition), "")
    except EditionError:
        return ""


def _md(text: str) -> str:
    from analysis.text import md_escape

    return md_escape(text)


def how_to_cite(f: Facts, *, pdf: str = "") -> str:
    """One Markdown paragraph naming the edition, its date and its permanent address (of `pdf`, if given)."""
    work = f"{f.title}: {f.subtitle}" if f.subtitle else f.title
    if not f.released:
        return (f"{_md(f.author_text)} ({f.year}). *{_md(work)}*. Draft of {f.long_date}, not a released edition: "
                "please cite a released edition.")
    where = f" <{f.url}{pdf}>" if f.url else ""
    doi = f" <{f.doi_url}>" if f.doi else ""
    return f"{_md(f.author_text)} ({f.year}). *{_md(work)}*, edition {f.edition}, {f.long_date}.{doi}{where}"


def practice_citation(f: Facts, practice_id: str, title: str) -> tuple[str, str]:
    """A practice's citation as (Markdown text, BibTeX entry)."""
    url = f"{f.url}{PRACTICES_PAGE}#{practice_id.lower()}" if f.url else ""
    edition = f"edition {f.edition}" if f.released else f"draft of {f.long_date}"
    collection = f.title if f.title == COLLECTION_TITLE else f"{f.title}: {COLLECTION_TITLE}"
    text = (f"{_md(f.author_text)} ({f.year}). {_md(practice_id)}: {_md(title)}. In *{_md(collection)}*, "
            f"{edition}." + (f" <{url}>" if url else ""))
    key = re.sub(r"[^a-z0-9]+", "-", f"clusterbench-{f.edition}-{practice_id}".lower()).strip("-")
    fields = {
        "author": "{" + _bib(f.author_text) + "}",
        "title": "{" + _bib(f"{practice_id}: {title}") + "}",
        "booktitle": _bib(collection),
        "edition": _bib(f.edition),
        "year": f.year,
    }
    if url:
        fields["url"] = url
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items())
    return text, f"@incollection{{{key},\n{body}\n}}"


def _bib(text: str) -> str:
    """Escape BibTeX's special characters."""
    return re.sub(r"([&%$#_{}])", r"\\\1", text).replace("~", r"\textasciitilde{}").replace("^", r"\textasciicircum{}")


def cff(f: Facts, *, commit: str = "") -> str:
    """CITATION.cff (Citation File Format 1.2.0) for an edition."""
    from analysis.data.datapackage import LICENCE

    message = ("If you use this report or its data, please cite the edition you used, as below." if f.released else
               "No edition has been released yet; please cite a released edition once there is one.")
    doc = {
        "cff-version": "1.2.0",
        "message": message,
        "type": "dataset",
        "title": f"{f.title}: {f.subtitle}" if f.subtitle else f.title,
        "version": f.edition,
        "date-released": f.date,
        "authors": [{"name": a} for a in f.authors],
    }
    doc["license"] = f.licence or LICENCE["name"]  # the open data's licence unless the book names another
    if f.url:
        doc["url"] = f.url
    if f.doi:
        doc["doi"] = f.doi
    if commit:
        doc["commit"] = commit
    doc["preferred-citation"] = {
        "type": "report", "title": doc["title"], "authors": [dict(a) for a in doc["authors"]], "year": int(f.year) if f.year.isdigit() else f.year,
        "edition": f.edition, **({"url": f.url} if f.url else {}), **({"doi": f.doi} if f.doi else {}),
    }
    return "# Written by `clusterbench release` for the latest edition; do not edit by hand.\n" + \
        yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def write(root: Path, entry) -> Path:
    """CITATION.cff for a release entry (its edition and date over those in _variables.yml)."""
    from analysis import project as P

    f = facts(P.load(root))
    f.edition, f.date = entry.edition, entry.date
    path = Path(root) / "CITATION.cff"
    path.write_text(cff(f, commit=entry.commit), encoding="utf-8")
    return path


def zenodo(f: Facts, *, description: str = "", previous_doi: str = "") -> dict:
    """Deposit metadata for an edition's PDFs in Zenodo's `.zenodo.json` format, so an editor can mint a DOI."""
    from analysis.data.datapackage import LICENCE

    licence = (f.licence or LICENCE["name"]).lower()
    doc = {
        "title": f"{f.title}: {f.subtitle}" if f.subtitle else f.title,
        "upload_type": "publication",
        "publication_type": "report",
        "description": description or f"Edition {f.edition} of {f.title}.",
        "version": f.edition,
        "publication_date": f.date,
        "creators": [{"name": a} for a in f.authors],
        "license": licence,
        "access_right": "open",
    }
    related = []
    if f.url:
        # The PDFs are deposited; the same edition on the web, and its open data, are linked.
        related += [{"identifier": f.url, "relation": "isVariantFormOf", "resource_type": "publication-report"},
                    {"identifier": f"{f.url}data/datapackage.json", "relation": "isSupplementedBy", "resource_type": "dataset"}]
    if previous_doi:
        related.append({"identifier": previous_doi, "relation": "isNewVersionOf", "scheme": "doi"})
    if related:
        doc["related_identifiers"] = related
    if f.doi:
        doc["doi"] = f.doi  # reserved before the deposit
    return doc


def write_zenodo(root: Path, entry, entries: list) -> Path:
    """`.zenodo.json` for a release entry, linking the previous edition's DOI when it has one."""
    import json
    from html import escape

    from analysis import project as P

    f = facts(P.load(root))
    f.edition, f.date, f.doi = entry.edition, entry.date, entry.doi
    previous = next((e.doi for e in reversed(entries) if e.doi), "")
    description = (f"<p>Edition {escape(entry.edition)} of {escape(f.title)}"
                   + (f": {escape(f.subtitle)}" if f.subtitle else "") + f".</p><p>{escape(entry.summary)}</p>")
    path = Path(root) / ".zenodo.json"
    text = json.dumps(zenodo(f, description=description, previous_doi=previous), indent=2, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path
