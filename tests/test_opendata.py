"""The Open data page's list of files, read from the data package's descriptor and checked against the shipped data."""

from __future__ import annotations

import json
import re

import pytest

from analysis.data import load
from analysis.paths import DATA
from analysis.report import citation, opendata


@pytest.fixture(scope="module")
def o():
    return opendata.open_data(load(), citation.Facts(title="Cluster Benchmark", authors=["Cluster Benchmark editors"],
                                                     date="2026-11-23"))


def _paths(files) -> list[str]:
    return [re.fullmatch(r"\[`(.+)`\]\(data/\1\)", link).group(1) for link in files["File"]]


def test_every_file_of_the_data_package_is_listed_with_a_link_into_data(o):
    # data/datapackage.json: 19 tables and the Russian edition's 4 files of texts (data/ru/), then one observations file per source
    resources = [r["path"] for r in json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))["resources"]]
    tables = [r for r in resources if not r.startswith("observations/")]
    paths = _paths(o.files)
    assert paths == tables + ["observations.csv"] + [r for r in resources if r.startswith("observations/")] + ["datapackage.json"]
    assert (o.n_tables, o.n_observation_files, o.n_observations) == (23, 5, "163")


def test_rows_and_columns_are_counted_in_the_files(o):
    by_path = dict(zip(_paths(o.files), o.files.to_dict("records")))
    # data/clusters.csv: 51 clusters, 27 columns (with the Russian names); data/observations/kutsenko-2015.csv: 72 figures
    assert (by_path["clusters.csv"]["Rows"], by_path["clusters.csv"]["Columns"]) == (51, 27)
    assert by_path["observations/kutsenko-2015.csv"]["Rows"] == 72
    assert by_path["observations.csv"]["Rows"] == 163 == sum(
        by_path[p]["Rows"] for p in by_path if p.startswith("observations/"))
    assert by_path["observations/kutsenko-2015.csv"]["What it holds"] == "The figures read from Kutsenko (2015), one per row."
    assert by_path["datapackage.json"]["Rows"] is None or str(by_path["datapackage.json"]["Rows"]) == "<NA>"


def test_the_licence_is_the_data_packages(o):
    assert o.licence_link == "[Creative Commons Attribution 4.0](https://creativecommons.org/licenses/by/4.0/)"


def test_a_draft_is_not_offered_for_citation_and_a_release_is(o):
    assert "not a released edition" in o.citation and not o.released
    released = citation.Facts(title="Cluster Benchmark", authors=["Cluster Benchmark editors"], edition="2026.1",
                              date="2026-11-23", site_url="https://example.org/cb/")
    assert opendata.data_citation(released) == (
        r"Cluster Benchmark editors (2026). *Cluster Benchmark* \[data set\], edition 2026.1, 23 November 2026. "
        "<https://example.org/cb/v/2026.1/data/>")


def test_a_new_table_in_the_descriptor_is_listed_without_anyone_adding_it(o):
    ds = load()
    descriptor = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    extra = dict(descriptor["resources"][0], path="sources.csv", description="A <b>second</b> list.")
    descriptor["resources"].insert(1, extra)
    files = opendata.files(ds, descriptor)
    assert len(files) == len(o.files) + 1
    assert files.iloc[1]["What it holds"] == r"A \<b\>second\</b\> list."


def test_the_russian_page_lists_the_same_files_in_russian_with_links_up_to_the_data(o):
    from analysis.text import speaking

    ds = load()
    with speaking("ru"):
        ru = opendata.open_data(ds, citation.Facts(title="Cluster Benchmark", authors=["Cluster Benchmark editors"],
                                                   date="2026-11-23"))
    assert list(ru.files.columns) == ["Файл", "Содержание", "Строк", "Столбцов"]
    # the Russian pages sit under ru/, so the same files are one folder up
    paths = [re.fullmatch(r"\[`(.+)`\]\(\.\./data/\1\)", link).group(1) for link in ru.files["Файл"]]
    assert paths == _paths(o.files)
    assert list(ru.files["Строк"].astype(str)) == list(o.files["Rows"].astype(str))
    by_path = dict(zip(paths, ru.files.to_dict("records")))
    assert by_path["observations/kutsenko-2015.csv"]["Содержание"] == "Значения из источника Kutsenko (2015), по одному в строке."
    assert by_path["sources.csv"]["Содержание"] == "Документы-источники с полными библиографическими описаниями."
    assert by_path["datapackage.json"]["Содержание"].startswith("Пакет данных Frictionless")
    assert (ru.n_tables, ru.n_observation_files, ru.n_observations) == (23, 5, "163")
    assert ru.licence_link == ("[Creative Commons «Атрибуция» 4.0 Международная]"
                               "(https://creativecommons.org/licenses/by/4.0/deed.ru)")
