"""How to cite an edition, the collection and a single practice; `CITATION.cff`.

The facts come from `_quarto.yml` (title, authors, `book.site-url`),
`_variables.yml` (edition, date) and the register `data/editions.yml` (a DOI, once
one is minted), so the site, both PDFs and the citation file say the same thing.
An edition's permanent address is `<site-url>/v/<edition>/`; the Russian edition's is `<site-url>/v/<edition>/ru/`.

In Russian (when Russian is spoken, or the facts are a Russian edition's) every citation is written as
GOST R 7.0.100-2018 describes it: areas separated by '. — ', the edition and year in their own areas, the
address as 'URL: … (дата обращения: 23.11.2026)' and the content type 'Текст : электронный'. A foreign-language
work keeps its own language and Latin abbreviations (Vol., No., P.); a Russian-language one has Т., №, С.

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
COLLECTION_TITLE_RU = "Сборник лучших практик"
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
    lang: str = "en"  # the edition's language (the project's `lang`)

    @property
    def released(self) -> bool:
        return self.edition != DRAFT

    @property
    def russian(self) -> bool:
        """Whether these facts are cited in Russian: Russian is spoken, or they are the Russian edition's."""
        return self.lang == "ru" or text.language() == "ru"

    @property
    def url(self) -> str:
        """The edition's permanent address ('' for a draft or when no site-url is set); in Russian, the Russian
        edition's (`ru_url`)."""
        return self.ru_url if self.russian else self.en_url

    @property
    def en_url(self) -> str:
        """The English edition's permanent address, `<site-url>/v/<edition>/`, the root of the edition's site
        (its open data is under it, `data/`, for both languages)."""
        if not self.site_url or not self.released:
            return ""
        return f"{self.site_url.rstrip('/')}/v/{self.edition}/"

    @property
    def ru_url(self) -> str:
        """The Russian edition's permanent address, `<site-url>/v/<edition>/ru/` ('' for a draft, which has none)."""
        return f"{self.en_url}ru/" if self.en_url else ""

    @property
    def home_url(self) -> str:
        """Where the latest pages (and a draft) are read, in the language cited: `<site-url>/`, `<site-url>/ru/`."""
        if not self.site_url:
            return ""
        return f"{self.site_url.rstrip('/')}/" + ("ru/" if self.russian else "")

    @property
    def doi_url(self) -> str:
        return f"https://doi.org/{self.doi}" if self.doi else ""

    @property
    def year(self) -> str:
        return self.date[:4]

    @property
    def long_date(self) -> str:
        """'23 November 2026'; in Russian «23 ноября 2026 г.»."""
        try:
            d = dt.date.fromisoformat(self.date)
        except ValueError:
            return self.date
        if self.russian:
            with text.speaking("ru"):
                return text.date(self.date)
        return f"{d.day} {d.strftime('%B')} {d.year}"

    @property
    def access_date(self) -> str:
        """The edition's date as GOST gives a date of access: '23.11.2026'."""
        try:
            return dt.date.fromisoformat(self.date).strftime("%d.%m.%Y")
        except ValueError:
            return self.date

    @property
    def author_text(self) -> str:
        return ", ".join(self.authors)


def facts(project=None) -> Facts:
    """Edition facts of a loaded project, or of the project a chapter runs in."""
    if project is None:
        from analysis import project as P

        # a chapter of the Russian edition cites the Russian edition (real Quarto names the profile itself)
        lang = text.language()
        profile = P.LANGUAGE_PROFILES[lang][0] if lang in P.LANGUAGE_PROFILES and not os.environ.get("QUARTO_PROFILE") else None
        project = P.load(Path(os.environ.get("QUARTO_PROJECT_DIR") or find_root()), profile)
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
        lang=str(project.config.get("lang") or "en"),
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
    if f.russian:
        return _how_to_cite_ru(f, pdf=pdf, data=data)
    work = f"{f.title}: {f.subtitle}" if f.subtitle else f.title
    kind = " \\[data set\\]" if data else ""
    if not f.released:
        return (f"{_md(f.author_text)} ({f.year}). *{_md(work)}*{kind}. Draft of {f.long_date}, not a released edition: "
                f"please cite {'the data of ' if data else ''}a released edition.")
    where = f" <{f.url}{data or pdf}>" if f.url else ""
    doi = f" <{f.doi_url}>" if f.doi else ""
    return f"{_md(f.author_text)} ({f.year}). *{_md(work)}*{kind}, edition {f.edition}, {f.long_date}.{doi}{where}"


def _areas(*areas: str, end: bool = True) -> str:
    """Areas of a GOST R 7.0.100 description joined by '. — ' (an area that ends in a full stop, such as 'et al.'
    or an initial, takes only ' — '), ending in a full stop unless `end` is False (before '//')."""
    out = ""
    for area in (a.strip() for a in areas if a and a.strip()):
        out += (area if not out else (" — " if out[-1] in ".?!" else ". — ") + area)
    return out if not end or not out or out[-1] in ".?!" else out + "."


def _edition_work_ru(f: Facts, *, data: str = "") -> str:
    """«Cluster Benchmark: пилотные … / Редакция Cluster Benchmark»: title, subtitle (as other title information,
    lower case) and the statement of responsibility."""
    work = f"{f.title}: {text.lower(f.subtitle)}" if f.subtitle else f.title
    kind = " : \\[набор данных\\]" if data else ""
    return f"{_md(work)}{kind}" + (f" / {_md(f.author_text)}" if f.authors else "")


def _how_to_cite_ru(f: Facts, *, pdf: str = "", data: str = "") -> str:
    """How to cite an edition in GOST R 7.0.100-2018 form: «Cluster Benchmark: … / Редакция Cluster Benchmark. —
    Выпуск 2026.1. — 2026. — URL: … (дата обращения: 23.11.2026). — Текст : электронный.»"""
    work = _edition_work_ru(f, data=data)
    if not f.released:
        return _areas(work, f"Черновик от {f.long_date}", f.year,
                      "Черновик не является выпуском отчёта: для цитирования используйте "
                      + ("данные " if data else "") + "опубликованный выпуск")
    # the open data sits at the edition's root for both languages; a PDF and the pages under the Russian edition's
    where = f"{f.en_url}{data}" if data else (f"{f.url}{pdf}" if f.url else "")
    return _areas(work, f"Выпуск {_md(f.edition)}", f.year,
                  f"URL: <{where}> (дата обращения: {f.access_date})" if where else "",
                  f"DOI: [{_md(f.doi)}]({f.doi_url})" if f.doi else "",
                  "Текст : электронный")


def _practice_citation_ru(f: Facts, practice_id: str, title: str, collection: str, url: str) -> str:
    """A practice as a part of the collection (GOST R 7.0.100-2018, analytic description): «BP-007: … / Редакция
    Cluster Benchmark. — Текст : электронный // Сборник лучших практик. — Выпуск 2026.1. — 2026. — URL: …»."""
    part = f"{_md(practice_id)}: {_md(title)}" + (f" / {_md(f.author_text)}" if f.authors else "")
    edition = f"Выпуск {_md(f.edition)}" if f.released else f"Черновик от {f.long_date}"
    return (_areas(part, "Текст : электронный", end=False) + " // "
            + _areas(_md(collection), edition, f.year, f"URL: <{url}> (дата обращения: {f.access_date})" if url else ""))


def practice_citation(f: Facts, practice_id: str, title: str) -> tuple[str, str]:
    """A practice's citation as (Markdown text, BibTeX entry)."""
    url = f"{f.url}{PRACTICES_PAGE}#{practice_id.lower()}" if f.url else ""
    if f.russian:
        collection = f.title if f.title in (COLLECTION_TITLE, COLLECTION_TITLE_RU) else f"{f.title}: {text.lower(COLLECTION_TITLE_RU)}"
        cite = _practice_citation_ru(f, practice_id, title, collection, url)
    else:
        edition = f"edition {f.edition}" if f.released else f"draft of {f.long_date}"
        collection = f.title if f.title == COLLECTION_TITLE else f"{f.title}: {COLLECTION_TITLE}"
        cite = (f"{_md(f.author_text)} ({f.year}). {_md(practice_id)}: {_md(title)}. In *{_md(collection)}*, "
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
    return cite, f"@incollection{{{key},\n{body}\n}}"


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
    if f.en_url:  # the edition as a whole: its root, whichever language cites it
        doc["url"] = f.en_url
    if f.doi:
        doc["doi"] = f.doi
    if commit:
        doc["commit"] = commit
    doc["preferred-citation"] = {
        "type": "report", "title": doc["title"], "authors": [dict(a) for a in doc["authors"]], "year": int(f.year) if f.year.isdigit() else f.year,
        "edition": f.edition, **({"url": f.en_url} if f.en_url else {}), **({"doi": f.doi} if f.doi else {}),
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
    if f.en_url:
        # The PDFs are deposited; the same edition on the web, and its open data, are linked.
        related += [{"identifier": f.en_url, "relation": "isVariantFormOf", "resource_type": "publication-report"},
                    {"identifier": f"{f.en_url}data/datapackage.json", "relation": "isSupplementedBy", "resource_type": "dataset"}]
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
    if text.language() == "ru":
        return f"::: {{#{text.anchor(r['id'])} .reference}}\n" + _entry_ru(r, cited_in) + "\n:::"
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
    if text.language() == "ru":
        # GOST orders the list by each entry's first element, Cyrillic before Latin
        shown["_key"] = [_sort_key_ru(_entry_ru(r)) for _, r in shown.iterrows()]
    cited_name = names(ds)
    entries = []
    for _, r in shown.sort_values("_key").iterrows():
        citing = str(r["cited_in"]).split(";") if isinstance(r["cited_in"], str) and r["cited_in"] else []
        entries.append(reference_entry(r, text.listing(text.work(cited_name, c) for c in citing)))
    return "\n\n".join(entries)


# --- the References in Russian: GOST R 7.0.100-2018 --------------------------------------------------

#: What a work is, in Russian (references.csv: type), for a work whose title is not known.
REFERENCE_TYPES_RU = {"article": "журнальная статья", "paper": "статья в журнале или материалах конференции",
                      "book": "книга", "report": "доклад", "working-paper": "препринт из серии рабочих материалов",
                      "preprint": "препринт", "web-page": "веб-страница", "dataset": "набор данных",
                      "unknown": "вид документа не установлен"}
#: The abbreviations of a description in the work's own language: Latin for a foreign work, Russian for a Russian one.
_ABBR = {"en": {"vol": "Vol.", "no": "No.", "p": "P.", "et_al": "[et al.]"},
         "ru": {"vol": "Т.", "no": "№", "p": "С.", "et_al": "[и др.]"}}
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
#: A person as references.csv writes one: 'Kutsenko E.', 'Meier zu Köcker G.', 'Christensen T. A.'.
_PERSON = re.compile(r"^(?P<surname>[^\W\d_][\w'’-]*(?: [\w'’-]+)*?) (?P<initials>(?:[^\W\d_]{1,2}\.\s?)+)$")


def _given(value) -> bool:
    return isinstance(value, str) and bool(value)


def _work_language(r) -> str:
    """'ru' for a Russian-language work (a `lang` column, if the data has one, else a title or journal in Cyrillic),
    else 'en': the description keeps the work's own language."""
    if _given(r.get("lang")):
        return "ru" if r["lang"] == "ru" else "en"
    return "ru" if any(_given(r.get(k)) and _CYRILLIC.search(r[k]) for k in ("title", "container")) else "en"


def _year_ru(r) -> str:
    """'2015'; an estimated year as GOST gives it, '[2020?]'; '' when the work gives none."""
    if pd.isna(r["year"]):
        return ""
    return _md(f"[{int(r['year'])}?]") if r["circa"] else str(int(r["year"]))


def _authors_ru(r, abbr: dict) -> tuple[str, str]:
    """(heading, statement of responsibility). Up to three people, or an organisation, head the entry as the data
    writes them ('Kutsenko E.'); four or more people follow the title, all of them, initials first
    ('/ V. Grebenik, Yu. Tarasenko, D. Zerkin, M. Masolletti'). 'et al.' in the data is '[et al.]' ('[и др.]')."""
    authors = str(r["authors"]).replace(" et al.", f" {abbr['et_al']}")
    people = [_PERSON.match(a) for a in str(r["authors"]).split(", ")]
    if len(people) >= 4 and all(people):
        return "", ", ".join(f"{m['initials'].strip()} {m['surname']}" for m in people)
    return authors, ""


def _publication_ru(publisher: str, year: str) -> str:
    """'Stockholm : Ivory Tower Publishers, 2013' from 'Ivory Tower Publishers, Stockholm': each publisher after its
    place, several separated by ' ; '."""
    parts = []
    for one in (p.strip() for p in publisher.split(";")):
        name, _, place = one.rpartition(", ")
        parts.append(f"{_md(place)} : {_md(name)}" if name else _md(place))
    return " ; ".join(parts) + (f", {year}" if year else "")


def _entry_ru(r, cited_in: str = "") -> str:
    """One work as GOST R 7.0.100-2018 describes it, then our notes on it (what it is, its licence, where it is cited)."""
    lang = _work_language(r)
    abbr = _ABBR[lang]
    unknown = r["authors"] == "Unknown"
    heading, responsibility = ("", "") if unknown else _authors_ru(r, abbr)
    year = _year_ru(r)
    titled = _given(r["title"])
    if titled:
        title = _md(r["title"])
    elif unknown:
        title = f"\\[{_md(r['short_name'])}\\]"  # the name its citations use, as a title supplied by us
        if year and str(int(r["year"])) in str(r["short_name"]):
            year = ""  # that name already dates it ('… (c. 2020)')
    else:
        title = "\\[Заглавие в ссылке не приводится\\]" if r["basis"] == "as-cited" else "\\[Без заглавия\\]"
    if heading:
        title = f"{_md(heading)}{'' if heading.endswith('.') else '.'} {title}"
    if responsibility:
        title += f" / {_md(responsibility)}"
    container = _md(r["container"]) if _given(r["container"]) else ""
    address = f"https://doi.org/{r['doi']}" if _given(r["doi"]) else (r["url"] if _given(r["url"]) else "")
    content = "Текст : электронный" if address and r["type"] not in ("dataset", "unknown") else ""
    hosted = bool(container) and r["type"] in ("article", "paper", "preprint", "web-page")
    number = ""
    if _given(r["volume"]):
        number = f"{abbr['vol']} {_md(r['volume'])}" + (f", {abbr['no']} {_md(r['issue'])}" if _given(r["issue"]) else "")
    elif _given(r["issue"]):
        number = (f"{abbr['no']} " if r["issue"].isdigit() else "") + _md(r["issue"])
    pages = f"{abbr['p']} {_md(r['pages'])}" if _given(r["pages"]) else ""
    publication = _publication_ru(r["publisher"], year) if _given(r["publisher"]) and not hosted else year
    series = f"({container}" + (f" ; {number}" if number else "") + ")" if container and not hosted else ""
    where = (f"DOI: [{_md(r['doi'])}]({address})" if _given(r["doi"]) else (f"URL: <{address}>" if address else ""))
    if hosted:
        host = container + (" : \\[сайт\\]" if r["type"] == "web-page" else "")
        description = _areas(title, content, end=False) + " // " + _areas(host, year, number, pages, where, end=False)
    else:
        description = _areas(title, publication, series, where, content, end=False)
    notes = []
    if not titled and unknown:
        notes.append(f"{REFERENCE_TYPES_RU[r['type']].capitalize()}; авторы не установлены, "
                     "заглавие в доступном тексте не приводится")
    for key in ("description",):
        if _given(r[key]):
            notes.append(_md(r[key]))
    if _given(r["licence"]):
        notes.append(f"Лицензия: {_md(r['licence'])}")
    if cited_in:
        notes.append(("Цит. по: " if r["basis"] == "as-cited" else "Цитируется в: ") + cited_in)
    if _given(r["note"]):
        notes.append(_md(r["note"]))
    return _areas(description, *notes)


def _sort_key_ru(entry: str) -> tuple[int, str]:
    """An entry's place in a Russian list: by its first words, Cyrillic before Latin, ignoring brackets and escapes."""
    lead = re.sub(r"[\\\[\]*]", "", entry).strip().casefold()
    return (0 if _CYRILLIC.match(lead) else 1, unicodedata.normalize("NFKD", lead))
