"""The Russian edition cites works and itself as GOST R 7.0.100-2018 describes them.

Areas are separated by '. — '; a foreign-language work keeps its language and Latin abbreviations (Vol., No., P.),
a Russian-language one has Т., №, С.; our notes on a work follow its description; an address is 'URL: …' with the
date of access as dd.mm.yyyy, and the content type is 'Текст : электронный'.
"""

from __future__ import annotations

import re

import pytest
import yaml

from analysis import text
from analysis.data import load
from analysis.report import citation

SITE_URL = "https://example.org/cluster-benchmark"
SUBTITLE_RU = "Пилотные инновационные территориальные кластеры России в сравнении с мировой практикой"
EDITORS_RU = "Редакция Cluster Benchmark"
DAY_RU = "23 ноября 2026\u202fг."  # as analysis.text.date writes it (Babel: a narrow no-break space before «г.»)


@pytest.fixture(scope="module")
def refs():
    return load()["references"].set_index("id", drop=False)


def _ru(fn, *args, **kwargs):
    with text.speaking("ru"):
        return fn(*args, **kwargs)


def _body(entry: str) -> str:
    assert entry.startswith("::: {#ref-") and entry.endswith("\n:::")
    return entry.split("\n")[1]


def _released(**kw) -> citation.Facts:
    return citation.Facts("Cluster Benchmark", subtitle=SUBTITLE_RU, authors=[EDITORS_RU], edition="2026.1",
                          date="2026-11-23", site_url=SITE_URL, **kw)


# --- the works the report cites -----------------------------------------------------------


def test_a_foreign_journal_article_keeps_its_language_and_latin_abbreviations(refs):
    entry = _ru(citation.reference_entry, refs.loc["kutsenko-2015"])
    assert entry.startswith("::: {#ref-kutsenko-2015 .reference}\n")
    assert _body(entry).startswith(
        "Kutsenko E. Pilot innovative territorial clusters in Russia: a sustainable development model. — "
        "Текст : электронный // Foresight-Russia. — 2015. — Vol. 9, No. 1. — P. 32–55. — "
        "DOI: [10.17323/1995-459X.2015.1.32.55](https://doi.org/10.17323/1995-459X.2015.1.32.55). — Лицензия: CC BY 4.0. — ")
    assert "Т. 9" not in entry and "С. 32" not in entry


def test_a_russian_language_article_uses_russian_abbreviations(refs):
    r = refs.loc["kutsenko-2015"].copy()
    r["title"], r["container"] = "Пилотные инновационные территориальные кластеры России", "Форсайт"
    body = _body(_ru(citation.reference_entry, r))
    assert "// Форсайт. — 2015. — Т. 9, № 1. — С. 32–55. — DOI:" in body
    assert "Vol." not in body and "P. 32" not in body


def test_books_reports_and_working_papers_give_place_publisher_year_and_series(refs):
    assert _body(_ru(citation.reference_entry, refs.loc["chesbrough-2003"])).startswith(
        "Chesbrough H. W. Open innovation: the new imperative for creating and profiting from technology. — "
        "Boston : Harvard Business School Press, 2003.")
    oecd = _body(_ru(citation.reference_entry, refs.loc["oecd-2007"]))
    assert oecd.startswith("OECD. Competitive regional clusters: national policy approaches. — Paris : OECD Publishing, 2007. — "
                           "(OECD Reviews of Regional Innovation). — DOI: [10.1787/9789264031838-en](https://doi.org/10.1787/9789264031838-en). — "
                           "Текст : электронный. — ")
    paper = _body(_ru(citation.reference_entry, refs.loc["dohse-staehler-2008"]))
    assert paper.endswith("— Kiel : Kiel Institute for the World Economy, 2008. — (Kiel Working Papers ; No. 1456).")
    wp = _body(_ru(citation.reference_entry, refs.loc["kutsenko-meissner-2013"]))
    assert "(HSE Working Papers, series Science, Technology and Innovation ; WP BRP 11/STI/2013). — URL: <https://ideas.repec.org/" in wp
    # two publishers in two places, each after its place
    muller = _body(_ru(citation.reference_entry, refs.loc["muller-2012"]))
    assert "— Copenhagen : Danish Ministry of Science, Innovation and Higher Education ; Berlin : VDI/VDE Innovation + Technik, 2012." in muller
    # a title ending in a question mark takes no full stop before the dash
    assert "Innovation: is global the way forward? — 2006." in _body(_ru(citation.reference_entry, refs.loc["insead-booz-allen-2006"]))


def test_four_or_more_authors_follow_the_title_initials_first(refs):
    body = _body(_ru(citation.reference_entry, refs.loc["grebenik-2021"]))
    assert body.startswith("The Russian practice of applying cluster approach in regional development / "
                           "V. Grebenik, Yu. Tarasenko, D. Zerkin, M. Masolletti. — Текст : электронный // arXiv. — 2021. — DOI: ")
    muller = _body(_ru(citation.reference_entry, refs.loc["muller-2012"]))
    assert "/ L. Müller, T. Lämmer-Gamp, G. Meier zu Köcker, T. Alslev Christensen. — " in muller


def test_a_web_page_is_a_part_of_its_site_and_an_undated_one_gives_no_year(refs):
    body = _body(_ru(citation.reference_entry, refs.loc["ipp-russia"]))
    assert body.startswith("Innovation Policy Platform (OECD and World Bank). RUSSIA – Key features of the first phase of national "
                           "cluster program. — Текст : электронный // Innovation Policy Platform : \\[сайт\\]. — URL: <https://www.innovationpolicyplatform.org/")
    assert not re.search(r"\b(n\.d\.|б\. г\.)", body)


def test_an_unidentified_work_leads_with_its_citation_name_which_dates_it(refs):
    body = _body(_ru(citation.reference_entry, refs.loc["anon-2020-success-factors"]))
    name = refs.loc["anon-2020-success-factors", "short_name"]
    assert "2020" in name  # 'Unidentified article on clustering success factors (c. 2020)': the year is not repeated
    assert body.startswith(f"\\[{name}\\]. — Журнальная статья; авторы не установлены, "
                           "заглавие в доступном тексте не приводится. — ")
    assert "Authors unknown" not in body and "Untitled" not in body and "[2020?]" not in body
    paper = _body(_ru(citation.reference_entry, refs.loc["anon-2021-investment"]))
    assert "— Статья в журнале или материалах конференции; авторы не установлены" in paper


def test_a_work_known_only_from_its_citation_says_so_and_whom_it_is_cited_by(refs):
    entry = _ru(citation.reference_entry, refs.loc["cloe-2004"], "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015)")
    assert _body(entry).startswith("CLOE (Clusters Linked over Europe). \\[Заглавие в ссылке не приводится\\]. — 2004. — ")
    assert "— Цит. по: [Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015). — " in entry
    et_al = _body(_ru(citation.reference_entry, refs.loc["hagenauer-2012"]))
    assert et_al.startswith("Hagenauer S. \\[et al.\\]. \\[Заглавие в ссылке не приводится\\]. — 2012. — ")
    # a work matched to its record is "cited in", not "quoted from"
    record = _ru(citation.reference_entry, refs.loc["lindqvist-2013"], "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015)")
    assert "— Stockholm : Ivory Tower Publishers, 2013. — " in record and "— Цитируется в: [Kutsenko (2015)]" in record


def test_every_entry_reads_as_gost_and_the_list_is_ordered_by_first_element():
    ds = load()
    with text.speaking("ru"):
        listed = [citation.reference_list(ds, b) for b in (("source",), ("data",), ("record", "as-cited"))]
    bodies = [line for part in listed for line in part.split("\n") if line and not line.startswith(":::")]
    assert len(bodies) == len(ds["references"])
    for body in bodies:
        assert body.endswith(".") and " — " in body, body
        assert not re.search(r"\.\.(?!\.)|\?\.|\bnan\b|\bNone\b|Cited in|Licence:|\(c\. \d{4}\)\.", body.replace(
            ds["references"].loc[ds["references"]["authors"] == "Unknown", "short_name"].iloc[0], "")), body
    cited = [b for b in listed[2].split("\n\n")]
    firsts = [re.sub(r"[\\\[\]]", "", c.split("\n")[1]).casefold() for c in cited]
    assert firsts == sorted(firsts)
    assert "Цит. по: [Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015)" in listed[2]
    assert "и [IPP country report (Russia)](11-references.qmd#ref-ipp-russia)" in listed[2]


def test_english_entries_are_unchanged_when_english_is_spoken(refs):
    with text.speaking("en"):
        entry = citation.reference_entry(refs.loc["kutsenko-2015"])
    assert entry.startswith("::: {#ref-kutsenko-2015 .reference}\nKutsenko E. (2015). Pilot innovative territorial clusters")
    assert "*Foresight-Russia*, 9(1), 32–55." in entry and "Текст" not in entry


# --- the report itself -------------------------------------------------------------------


def test_how_to_cite_a_released_russian_edition_in_gost_form():
    f = _released(lang="ru")
    assert citation.how_to_cite(f) == (
        "Cluster Benchmark: пилотные инновационные территориальные кластеры России в сравнении с мировой практикой / "
        f"Редакция Cluster Benchmark. — Выпуск 2026.1. — 2026. — URL: <{SITE_URL}/v/2026.1/ru/> "
        "(дата обращения: 23.11.2026). — Текст : электронный.")
    pdf = citation.how_to_cite(f, pdf="cluster-benchmark-2026.1.pdf")
    assert f"URL: <{SITE_URL}/v/2026.1/ru/cluster-benchmark-2026.1.pdf> (дата обращения: 23.11.2026)" in pdf
    # the open data is published once, at the edition's root
    data = citation.how_to_cite(f, data="data/")
    assert ": \\[набор данных\\] / Редакция Cluster Benchmark. — Выпуск 2026.1. — " in data
    assert f"URL: <{SITE_URL}/v/2026.1/data/> (дата обращения: 23.11.2026)" in data
    doi = citation.how_to_cite(_released(lang="ru", doi="10.5281/zenodo.1234567"))
    assert "(дата обращения: 23.11.2026). — DOI: [10.5281/zenodo.1234567](https://doi.org/10.5281/zenodo.1234567). — Текст : электронный." in doi


def test_russian_is_written_when_russian_is_spoken_even_for_facts_without_a_language():
    f = _released()
    assert f.lang == "en" and citation.how_to_cite(f).startswith("Редакция Cluster Benchmark (2026). *Cluster Benchmark: ")
    with text.speaking("ru"):
        assert f.url == f"{SITE_URL}/v/2026.1/ru/" and f.long_date == DAY_RU
        assert "— Выпуск 2026.1. — 2026. — URL:" in citation.how_to_cite(f)
    # English facts in English: the permanent address and date as before
    assert f.url == f"{SITE_URL}/v/2026.1/" and f.long_date == "23 November 2026"
    assert (f.en_url, f.ru_url) == (f"{SITE_URL}/v/2026.1/", f"{SITE_URL}/v/2026.1/ru/")


def test_a_russian_draft_is_not_cited_and_has_no_permanent_address():
    draft = citation.Facts("Cluster Benchmark", subtitle=SUBTITLE_RU, authors=[EDITORS_RU], date="2026-11-23",
                           site_url=SITE_URL, lang="ru")
    assert (draft.url, draft.ru_url, draft.home_url) == ("", "", f"{SITE_URL}/ru/")
    cite = citation.how_to_cite(draft)
    assert cite.endswith(f"/ Редакция Cluster Benchmark. — Черновик от {DAY_RU} — 2026. — "
                         "Черновик не является выпуском отчёта: для цитирования используйте опубликованный выпуск.")
    assert "<" not in cite and "URL" not in cite


def test_a_practice_is_cited_as_a_part_of_the_russian_collection():
    f = citation.Facts("Сборник лучших практик", authors=[EDITORS_RU], edition="2026.1", date="2026-11-23",
                       site_url=SITE_URL, lang="ru")
    cite, bibtex = citation.practice_citation(f, "BP-007", "Совместные проекты & 50% затрат")
    assert cite == ("BP-007: Совместные проекты & 50% затрат / Редакция Cluster Benchmark. — Текст : электронный // "
                    "Сборник лучших практик. — Выпуск 2026.1. — 2026. — "
                    f"URL: <{SITE_URL}/v/2026.1/ru/09-best-practices.html#bp-007> (дата обращения: 23.11.2026).")
    assert bibtex.startswith("@incollection{clusterbench-2026-1-bp-007,") and r"50\% затрат" in bibtex
    book = _released(lang="ru")
    assert "// Cluster Benchmark: сборник лучших практик. — Выпуск 2026.1." in citation.practice_citation(book, "BP-007", "X")[0]
    draft = citation.Facts("Cluster Benchmark", authors=[EDITORS_RU], date="2026-11-23", site_url=SITE_URL, lang="ru")
    assert citation.practice_citation(draft, "BP-007", "X")[0].endswith(f"— Черновик от {DAY_RU} — 2026.")


def test_facts_of_the_russian_project_are_cited_in_russian(tmp_path):
    from types import SimpleNamespace

    from analysis.paths import find_root

    def project(profile: str):
        # the project's config with a profile merged in, as analysis.project.load merges it (its chapter files aside,
        # which the Russian edition has not all got yet)
        root = find_root()
        config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))
        extra = yaml.safe_load((root / f"_quarto-{profile}.yml").read_text(encoding="utf-8"))
        config["book"] = {**config["book"], **extra.get("book", {})}
        config.update({k: v for k, v in extra.items() if k not in ("book", "project")})
        variables = yaml.safe_load((root / "_variables.yml").read_text(encoding="utf-8"))
        return SimpleNamespace(book=config["book"], config=config, variables=variables, root=tmp_path)

    f = citation.facts(project("book-ru"))
    assert (f.lang, f.authors) == ("ru", [EDITORS_RU])
    with text.speaking("en"):
        assert citation.how_to_cite(f).startswith(
            "Cluster Benchmark: пилотные инновационные территориальные кластеры России в сравнении с мировой практикой / "
            "Редакция Cluster Benchmark. — ")
        english = citation.facts(project("book"))
        assert english.lang == "en" and citation.how_to_cite(english).startswith("Cluster Benchmark editors (")
        collection = citation.facts(project("practices-ru"))
        assert citation.practice_citation(collection, "BP-001", "X")[0].startswith(
            "BP-001: X / Редакция Cluster Benchmark. — Текст : электронный // Сборник лучших практик. — ")
