"""How to cite an edition, the collection and a single practice; `CITATION.cff`.

The facts come from `_quarto.yml` (title, authors, `book.site-url`),
`_variables.yml` (edition, date) and the register `data/editions.yml` (a DOI, once
one is minted), so the site, both PDFs and the citation file say the same thing.
An edition's permanent address is `<site-url>/v/<edition>/`.

Also the other way round: citing the works the data comes from (`cite`, `source_line`, bound to the
data's `references.csv`) and the entries of the References chapter they link to.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from analysis import text
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


def how_to_cite(f: Facts, *, pdf: str = "", data: str = "") -> str:
    """One Markdown paragraph naming the edition, its date and its permanent address (of `pdf`, if given).

    With `data` (the open data's folder in the edition, "data/"), it cites the edition's data set instead.
    """
    work = f"{f.title}: {f.subtitle}" if f.subtitle else f.title
    kind = " \\[data set\\]" if data else ""
    if not f.released:
        return (f"{_md(f.author_text)} ({f.year}). *{_md(work)}*{kind}. Draft of {f.long_date}, not a released edition: "
                f"please cite {'the data of ' if data else ''}a released edition.")
    where = f" <{f.url}{data or pdf}>" if f.url else ""
    doi = f" <{f.doi_url}>" if f.doi else ""
    return f"{_md(f.author_text)} ({f.year}). *{_md(work)}*{kind}, edition {f.edition}, {f.long_date}.{doi}{where}"


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
    doc["license"] = _spdx(f.licence) or LICENCE["name"]  # the open data's licence unless the book names another
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


def _spdx(licence: str) -> str:
    """A licence as its SPDX identifier, which CITATION.cff and Zenodo require: 'CC BY 4.0' -> 'CC-BY-4.0'."""
    return "-".join(licence.split())


def zenodo(f: Facts, *, description: str = "", previous_doi: str = "") -> dict:
    """Deposit metadata for an edition's PDFs in Zenodo's `.zenodo.json` format, so an editor can mint a DOI."""
    from analysis.data.datapackage import LICENCE

    licence = (_spdx(f.licence) or LICENCE["name"]).lower()
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


# --- citing the works the data comes from --------------------------------------------------
#
# How a value's source is written lives in `analysis.text` (cite, source_line), so every layer writes
# it the same way; these bind it to the data's reference list, and render the References chapter.


def names(ds) -> dict[str, str]:
    """Each work's name in a citation, by reference id ('Kutsenko (2015)')."""
    refs = ds["references"]
    return dict(zip(refs["id"], refs["short_name"]))


def cite(ds, source: str, locator: str, cites=None, cited_work=None, *, base: str = "") -> str:
    """A value's source as Markdown, each work linked to its entry in the References (see `analysis.text.cite`)."""
    return text.cite(names(ds), source, locator, cites, cited_work, base=base)


def work(ds, ref_id: str, *, base: str = "") -> str:
    """A work's name linked to its entry in the References: '[Kutsenko (2015)](…)'."""
    return text.work(names(ds), ref_id, base=base)


def quoted_works(ds, row, *, base: str = "") -> str:
    """The works a row's source quotes for its value, linked, with their pages ('' when none)."""
    return text.cited(names(ds), row.get("cites"), row.get("cited_work"), base=base)


def cite_row(ds, row, *, quoted: bool = True, base: str = "") -> str:
    """The source of a row of any table: its `source` (or the first of its `sources`), `locator` and, unless
    `quoted` is False, the works it quotes (`cites`, `cited_work`)."""
    source = row.get("source") if "source" in row else str(row["sources"]).split(";")[0]
    cites, printed = (row.get("cites"), row.get("cited_work")) if quoted else (None, None)
    return cite(ds, source, row["locator"], cites, printed, base=base)


def source_line(ds, rows, *, base: str = "", ours: str = "", bare: bool = False) -> str:
    """'Source: …' for the rows a figure or table shows (a DataFrame or dicts with source and locator);
    `bare`: without the label and full stop, for use inside a sentence."""
    records = rows.to_dict("records") if hasattr(rows, "to_dict") else list(rows)
    refs = [(r["source"], r["locator"], r.get("cites"), r.get("cited_work")) for r in records]
    return text.source_line(names(ds), refs, base=base, ours=ours, bare=bare)


def _author_year(r) -> str:
    """'Kutsenko E. (2015).'; a work whose authors are unknown leads with the name its citations use, and says so."""
    if r["authors"] == "Unknown":
        return f"{_md(r['short_name'])}. Authors unknown."
    year = "n.d." if pd.isna(r["year"]) else ("c. " if r["circa"] else "") + str(int(r["year"]))
    return f"{_md(r['authors'])} ({year})."


def _title(r) -> str:
    """The title as printed (italic when the work stands alone), or what is known of an untitled work."""
    from analysis.data.schemas import REFERENCE_TYPES

    if isinstance(r["title"], str) and r["title"]:
        stop = "" if r["title"][-1] in ".?!" else "."
        return f"{_md(r['title'])}{stop}" if _in_container(r) else f"*{_md(r['title'])}*{stop}"
    if r["basis"] == "source":
        return f"Untitled {REFERENCE_TYPES[r['type']].lower()}; no title is printed in the available text."
    return "Title not given in the citation."


def _in_container(r) -> bool:
    return r["type"] == "article" and isinstance(r["container"], str) and bool(r["container"])


def _where_published(r) -> str:
    """'*Foresight-Russia*, 9(1), 32–55.', 'HSE Working Papers, WP BRP 11/STI/2013.', then the publisher."""
    parts = []
    if isinstance(r["container"], str) and r["container"]:
        number = "".join(v for v in (_md(r["volume"]) if isinstance(r["volume"], str) else "",
                                     f"({_md(r['issue'])})" if isinstance(r["issue"], str) and isinstance(r["volume"], str) else ""))
        if isinstance(r["issue"], str) and not isinstance(r["volume"], str):
            number = ("no. " if r["issue"].isdigit() else "") + _md(r["issue"])
        container = f"*{_md(r['container'])}*" if _in_container(r) else _md(r["container"])
        parts.append(", ".join(p for p in (container, number, _md(r["pages"]) if isinstance(r["pages"], str) else "") if p) + ".")
    if isinstance(r["publisher"], str) and r["publisher"]:
        parts.append(f"{_md(r['publisher'])}.")
    return " ".join(parts)


def reference_entry(r, cited_in: str = "") -> str:
    """One entry of the References as Markdown, in a div whose id (`ref-<id>`) every citation links to."""
    address = f"https://doi.org/{r['doi']}" if isinstance(r["doi"], str) and r["doi"] else r["url"]
    sentences = [_author_year(r), _title(r), _where_published(r)]
    if isinstance(r["description"], str) and r["description"]:
        sentences.append(_md(r["description"]))
    if isinstance(address, str) and address:
        sentences.append(f"<{address}>")
    if isinstance(r["licence"], str) and r["licence"]:
        sentences.append(f"Licence: {_md(r['licence'])}.")
    if cited_in:
        sentences.append(f"Cited in {cited_in}.")
    if isinstance(r["note"], str) and r["note"]:
        sentences.append(_md(r["note"]))
    return f"::: {{#{text.anchor(r['id'])} .reference}}\n" + " ".join(s for s in sentences if s) + "\n:::"


def reference_list(ds, bases: tuple[str, ...]) -> str:
    """The entries whose `basis` is one of `bases`, sorted by author and year, as Markdown."""
    refs = ds["references"]
    shown = refs[refs["basis"].isin(bases)].copy()
    leading = shown["short_name"].where(shown["authors"] == "Unknown", shown["authors"])  # as `_author_year` begins
    shown["_key"] = [unicodedata.normalize("NFKD", f"{a} {y}").encode("ascii", "ignore").decode().lower()
                     for a, y in zip(leading, shown["year"].fillna(0).astype(int))]
    cited_name = names(ds)
    entries = []
    for _, r in shown.sort_values("_key").iterrows():
        citing = str(r["cited_in"]).split(";") if isinstance(r["cited_in"], str) and r["cited_in"] else []
        entries.append(reference_entry(r, text.listing(text.work(cited_name, c) for c in citing)))
    return "\n\n".join(entries)
