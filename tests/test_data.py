"""The shipped data is valid, the known traps are handled, and broken data is reported precisely."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import read_rows as _rows
from conftest import write_rows as _write

from analysis import data
from analysis.data import DataError, Problem, schemas
from analysis.paths import DATA, ROOT


def _line_of(path: Path, needle: str) -> int:
    """Line number (1-based) of the first line containing `needle`."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def _edit(path: Path, match: dict, **changes) -> None:
    header, rows = _rows(path)
    hits = [r for r in rows if all(r[k] == v for k, v in match.items())]
    assert hits, f"no row matching {match} in {path.name}"
    hits[0].update(changes)
    _write(path, header, rows)


def _line_of_text(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def _has(problems: list[Problem], file: str, row: int | str, field: str, contains: str = "") -> bool:
    return any(p.file == file and p.row == str(row) and p.field == field and contains in p.message for p in problems)


def _explain(problems: list[Problem]) -> str:
    return "\n".join(map(str, problems))


# --- the shipped data --------------------------------------------------------------------


@pytest.fixture(scope="module")
def ds():
    return data.load()


def test_shipped_data_has_no_problems():
    problems = data.validate()
    assert problems == [], _explain(problems)


def test_all_25_pilot_clusters_are_present(ds):
    pilots = ds["clusters"].query("kind == 'pilot'")
    assert len(pilots) == 25
    assert pilots["support_group"].value_counts().to_dict() == {1: 14, 2: 11}


def test_every_pilot_has_a_status_for_every_sign(ds):
    assert len(ds.sign_table) == 10
    assert ds.sign_table["group"].nunique() == 3
    assert len(ds["assessments"]) == 25 * 10


def test_footnote_glued_average_is_stored_as_44(ds):
    obs = ds.observations
    row = obs[(obs.entity == "ru-pilots") & (obs.indicator == "participants_avg")].iloc[0]
    assert row.value == 44
    assert "449" in row.note
    assert not (obs.value == 449).any()


def test_french_programme_funding_is_1_47_billion_euros(ds):
    obs = ds.observations
    row = obs[(obs.entity == "fr-poles") & (obs.indicator == "rd_funding")].iloc[0]
    assert row.value == pytest.approx(1.47)
    assert row.unit == "eur_bn"
    assert "1,470" in row.note


def test_figure_2_unmatched_value_is_flagged_not_guessed(ds):
    fig2 = ds["distributions"].query("distribution == 'world-clusters-by-field'")
    assert len(fig2) == 29
    flagged = fig2[fig2.quality == "ambiguous"]
    assert list(flagged.category) == ["maritime-technologies"]
    assert "footnote" in flagged.iloc[0].note
    assert (fig2[fig2.quality != "ambiguous"].quality == "reported").all()


def test_figure_5_values_that_cannot_be_matched_are_left_empty(ds):
    fig5 = ds["distributions"].query("distribution == 'ru-governance-mechanisms'")
    empty = fig5[fig5.value.isna()]
    assert len(empty) == 4
    assert (empty.quality == "ambiguous").all()
    assert empty.note.notna().all()


def test_every_observation_has_source_locator_and_quality(ds):
    obs = ds.observations
    assert len(obs) >= 100
    assert obs[["source", "locator", "quality"]].notna().all().all()
    # in the reader's terms ("Figure 5", "footnote 12"), never our file numbers of the documents
    assert obs.locator.str.match(schemas.LOCATOR).all()
    assert not obs.locator.str.contains(r"\b00[0-4]\b").any()


def test_foreign_scale_figures_are_flagged_as_whole_industries(ds):
    obs = ds.observations
    for entity in ("seattle-aerospace", "research-triangle", "finland-forest"):
        scopes = set(obs[obs.entity == entity].scope)
        assert scopes == {"regional_industry"}, entity


def test_there_are_at_least_30_practices_with_unique_ids(ds):
    ids = [p.meta.id for p in ds.practices]
    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)
    themes = {p.meta.theme for p in ds.practices}
    assert themes == set(ds.sign_table.sign)


def test_practice_bodies_contain_no_hand_typed_figures(ds):
    for p in ds.practices:
        numbers = re.findall(r"(?<![\w-])\d+(?:[.,]\d+)*(?![\w-])", p.body)
        figures = [n for n in numbers if not re.fullmatch(r"(19|20)\d\d", n)]
        assert not figures, f"{p.path.name}: {figures}"


# --- broken variants ---------------------------------------------------------------------


def test_non_numeric_value_names_file_row_and_field(data_copy):
    path = data_copy / "observations" / "kutsenko-2015.csv"
    _edit(path, {"entity": "ru-pilots", "indicator": "participants_avg"}, value="44 orgs")
    row = _line_of(path, "participants_avg")
    problems = data.validate(data_copy)
    assert _has(problems, "observations/kutsenko-2015.csv", row, "value", "not a number"), _explain(problems)


def test_non_numeric_value_is_the_only_problem_reported(data_copy):
    obs = data_copy / "observations" / "kutsenko-2015.csv"
    _edit(obs, {"entity": "ru-pilots", "indicator": "participants_avg"}, value="44 orgs")
    dist = data_copy / "distributions.csv"
    _edit(dist, {"distribution": "ru-funding-sources", "category": "member-contributions"}, value="21.4%")
    problems = data.validate(data_copy)
    at_obs = [str(p) for p in problems if p.file == "observations/kutsenko-2015.csv" and p.row == str(_line_of(obs, "44 orgs"))]
    assert at_obs == [f"observations/kutsenko-2015.csv:{_line_of(obs, '44 orgs')}:value: not a number (44 orgs)"]
    at_dist = [str(p) for p in problems if p.file == "distributions.csv"]
    assert at_dist == [f"distributions.csv:{_line_of(dist, '21.4%')}:value: not a number (21.4%)"]


def test_thousands_separator_gets_a_hint(data_copy):
    path = data_copy / "observations" / "kutsenko-2015.csv"
    _edit(path, {"entity": "fr-poles", "indicator": "rd_funding"}, value="1,470")
    row = _line_of(path, "rd_funding")
    problems = data.validate(data_copy)
    assert _has(problems, "observations/kutsenko-2015.csv", row, "value", "no thousands separators"), _explain(problems)


def test_unknown_source_id(data_copy):
    path = data_copy / "clusters.csv"
    _edit(path, {"id": "sarov"}, sources="kutsenko-2015;kutsenko-2051")
    problems = data.validate(data_copy)
    assert _has(problems, "clusters.csv", _line_of(path, "sarov,"), "sources", "unknown source id"), _explain(problems)


def test_duplicate_cluster_id(data_copy):
    path = data_copy / "clusters.csv"
    _edit(path, {"id": "troitsk"}, id="zelenograd")
    problems = data.validate(data_copy)
    assert _has(problems, "clusters.csv", 4, "id", "duplicate"), _explain(problems)


def test_missing_required_column(data_copy):
    path = data_copy / "indicators.csv"
    header, rows = _rows(path)
    header.remove("unit")
    for r in rows:
        del r["unit"]
    _write(path, header, rows)
    problems = data.validate(data_copy)
    assert _has(problems, "indicators.csv", 1, "unit", "required column is missing"), _explain(problems)


def test_negative_count(data_copy):
    path = data_copy / "observations" / "kutsenko-2015.csv"
    _edit(path, {"entity": "tomsk-it", "indicator": "participants"}, value="-131")
    problems = data.validate(data_copy)
    row = _line_of(path, "tomsk-it,participants")
    assert _has(problems, "observations/kutsenko-2015.csv", row, "value", "cannot be negative"), _explain(problems)


def test_share_total_far_from_100(data_copy):
    path = data_copy / "distributions.csv"
    _edit(path, {"distribution": "ru-funding-sources", "category": "member-contributions"}, value="41.4")
    problems = data.validate(data_copy)
    first = _line_of(path, "ru-funding-sources,")
    assert _has(problems, "distributions.csv", first, "value", "total 120"), _explain(problems)


def test_practice_id_must_match_file_name(data_copy):
    path = sorted((data_copy / "practices").glob("BP-*.md"))[0]
    text = path.read_text(encoding="utf-8")
    wrong = "BP-999"
    path.write_text(re.sub(r"^id: BP-\d{3}", f"id: {wrong}", text, count=1, flags=re.M), encoding="utf-8")
    problems = data.validate(data_copy)
    rel = f"practices/{path.name}"
    assert any(p.file == rel and p.field == "id" and "does not match the file name" in p.message and p.row == "2" for p in problems), _explain(problems)


def test_bad_date(data_copy):
    path = data_copy / "policy_timeline.csv"
    _edit(path, {"id": "pilot-list-approved"}, date="28.08.2012")
    problems = data.validate(data_copy)
    assert _has(problems, "policy_timeline.csv", _line_of(path, "pilot-list-approved"), "date", "expected form"), _explain(problems)


def test_unknown_indicator(data_copy):
    path = data_copy / "observations" / "ipp-russia.csv"
    _edit(path, {"indicator": "spending_areas"}, indicator="spending_area")
    problems = data.validate(data_copy)
    assert _has(problems, "observations/ipp-russia.csv", _line_of(path, "spending_area,"), "indicator", "unknown indicator"), _explain(problems)


def test_unit_outside_the_controlled_list(data_copy):
    path = data_copy / "benchmarks.csv"
    _edit(path, {"id": "critical-mass-high"}, unit="orgs")
    problems = data.validate(data_copy)
    assert _has(problems, "benchmarks.csv", _line_of(path, "critical-mass-high"), "unit", "not a unit"), _explain(problems)


def test_status_without_evidence(data_copy):
    path = data_copy / "assessments.csv"
    _edit(path, {"cluster": "zelenograd", "sign": "startup-belt"}, evidence="")
    problems = data.validate(data_copy)
    assert _has(problems, "assessments.csv", _line_of(path, "zelenograd,startup-belt"), "evidence", "needs its evidence"), _explain(problems)


def test_ambiguous_value_without_note(data_copy):
    path = data_copy / "distributions.csv"
    _edit(path, {"distribution": "world-clusters-by-field", "category": "maritime-technologies"}, note="")
    problems = data.validate(data_copy)
    assert _has(problems, "distributions.csv", _line_of(path, "maritime-technologies"), "note", "needs a note"), _explain(problems)


def test_unquoted_comma_shifts_the_row(data_copy):
    path = data_copy / "groups.csv"
    with path.open("a", encoding="utf-8") as f:
        f.write("new-group,A label, with a comma,population,desc,\n")
    problems = data.validate(data_copy)
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert _has(problems, "groups.csv", n, "-", "unquoted commas"), _explain(problems)


def test_empty_file(data_copy):
    (data_copy / "factors.csv").write_text("", encoding="utf-8")
    problems = data.validate(data_copy)
    assert _has(problems, "factors.csv", 1, "-", "file is empty"), _explain(problems)


def test_wrong_encoding(data_copy):
    path = data_copy / "stakeholders.csv"
    text = path.read_text(encoding="utf-8") + "business,Réduction des coûts,,anon-2020-success-factors,Table 3\n"
    path.write_bytes(text.encode("latin-1"))
    problems = data.validate(data_copy)
    n = len(text.splitlines())
    assert _has(problems, "stakeholders.csv", n, "interest", "not valid UTF-8"), _explain(problems)


def test_windows_1251_text_is_named_and_shown_readably(data_copy):
    # factors.csv has no Russian of its own (clusters.csv does, in UTF-8), so the one Cyrillic cell is the edit
    path = data_copy / "factors.csv"
    text = path.read_text(encoding="utf-8").replace("Developed infrastructure", "Развитая инфраструктура")
    path.write_bytes(text.encode("cp1251"))
    problems = data.validate(data_copy)
    # One problem: the cross-file checks wait until the file can be read, instead of burying it.
    assert [str(p) for p in problems] == [
        f"factors.csv:{_line_of_text(text, 'infrastructure,')}:label: not valid UTF-8 (byte 0xd0); it looks like "
        "Windows-1251 (Cyrillic) text; save it as UTF-8 (Развитая инфраструктура)"]


def test_header_only_table_says_it_has_no_rows(data_copy):
    path = data_copy / "clusters.csv"
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    problems = data.validate(data_copy)
    assert [str(p) for p in problems] == ["clusters.csv:2:-: file has a header but no rows; add at least one row"]


def test_empty_yaml_and_practice_files_say_what_they_need(data_copy):
    (data_copy / "signs.yml").write_bytes(b"")
    practice = sorted((data_copy / "practices").glob("BP-*.md"))[0]
    practice.write_text("\n\n", encoding="utf-8")
    problems = data.validate(data_copy)
    assert _has(problems, "signs.yml", 1, "-", "file is empty; restore its settings"), _explain(problems)
    assert _has(problems, f"practices/{practice.name}", 1, "-", "file is empty; a practice needs its front matter"), _explain(problems)


def test_five_megabyte_practice_body(data_copy):
    path = sorted((data_copy / "practices").glob("BP-*.md"))[0]
    path.write_text(path.read_text(encoding="utf-8") + "\n" + "word " * 1_000_000, encoding="utf-8")
    problems = data.validate(data_copy)
    body_line = _line_of(path, "## What was done") - 1  # the line after the closing '---'
    assert path.read_text(encoding="utf-8").splitlines()[body_line - 2] == "---"
    assert _has(problems, f"practices/{path.name}", body_line, "body", "text is too long (5,"), _explain(problems)
    assert all("\n" not in str(p) for p in problems)


def test_five_megabyte_text_field(data_copy):
    path = data_copy / "groups.csv"
    _edit(path, {"id": "fr-poles"}, description="x" * 5_000_000)
    problems = data.validate(data_copy)
    assert _has(problems, "groups.csv", _line_of(path, "fr-poles"), "description", "too long"), _explain(problems)


def test_all_problems_are_reported_together(data_copy):
    _edit(data_copy / "clusters.csv", {"id": "sarov"}, kind="pilots")
    _edit(data_copy / "observations" / "kutsenko-2015.csv", {"entity": "tomsk-it"}, year="20x2")
    _edit(data_copy / "policy_timeline.csv", {"id": "concept-2020"}, source="nobody-2000")
    with pytest.raises(DataError) as err:
        data.load(data_copy)
    files = {p.file for p in err.value.problems}
    assert {"clusters.csv", "observations/kutsenko-2015.csv", "policy_timeline.csv"} <= files
    assert "problem(s) found" in err.value.report()


# --- the command line --------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clusterbench.cli", *args], capture_output=True, text=True, timeout=120)


def test_validate_command_passes_on_shipped_data():
    result = _cli("validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Data OK")


def test_validate_command_lists_problems_without_traceback(data_copy):
    _edit(data_copy / "clusters.csv", {"id": "sarov"}, founded="nineteen")
    (data_copy / "factors.csv").write_text("", encoding="utf-8")
    result = _cli("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(re.match(r"^clusters\.csv:\d+:founded: not a whole number \(nineteen\)$", line) for line in lines), result.stdout
    assert "factors.csv:1:-: file is empty; it needs at least a header row" in lines


@pytest.mark.parametrize("breakage", ["five-megabyte field", "empty file", "Windows-1251 file"])
def test_validate_command_explains_each_bad_file_in_one_line(data_copy, breakage):
    if breakage == "five-megabyte field":
        _edit(data_copy / "groups.csv", {"id": "fr-poles"}, description="x" * 5_000_000)
        expected = r"^groups\.csv:\d+:description: text is too long \(5,000,000 characters; at most 2000\) \(x+\.\.\.\)$"
    elif breakage == "empty file":
        (data_copy / "observations" / "ipp-russia.csv").write_bytes(b"")
        expected = r"^observations/ipp-russia\.csv:1:-: file is empty; it needs at least a header row$"
    else:
        path = data_copy / "policy_timeline.csv"
        path.write_bytes((path.read_text(encoding="utf-8") + "cluster-law,2014-01-01,day,law,Закон о кластерах,,,kutsenko-2015,footnote 3,reported,\n").encode("cp1251"))
        expected = r"^policy_timeline\.csv:\d+:title: not valid UTF-8 \(byte 0x\w\w\); it looks like Windows-1251 .*\(Закон о кластерах\)$"
    result = _cli("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if re.match(expected, line)], result.stdout[:2000]
    assert lines[-1].endswith("problem(s) found; fix them and run again.")


def test_practice_evidence_must_point_to_existing_figures(data_copy):
    path = sorted((data_copy / "practices").glob("BP-031-*.md"))[0]
    text = path.read_text(encoding="utf-8")
    text = text.replace("evidence:\n", "evidence:\n  - entity: upper-austria-cdc\n    indicator: clusters_merged\n  - benchmark: no-such-benchmark\n", 1)
    path.write_text(text, encoding="utf-8")
    problems = data.validate(data_copy)
    rel = f"practices/{path.name}"
    assert _has(problems, rel, "-", "evidence", "no observation"), _explain(problems)
    assert _has(problems, rel, "-", "evidence", "unknown benchmark"), _explain(problems)


# --- the data contract --------------------------------------------------------------------

#: What the contract speaks for: the chapters and the modules that read the data by id.
CODE = [*(ROOT / "analysis").rglob("*.py"), *(ROOT / "clusterbench").rglob("*.py"), *(ROOT / "chapters").glob("*.qmd"),
        ROOT / "index.qmd"]
ID_READERS = [ROOT / "analysis" / f"{m}.py" for m in ("indicators", "charts/figures", "charts/__init__", "report/practices",
                                                     "report/profiles", "charts/theme")] + [
    *(ROOT / "analysis" / "report" / "findings").glob("*.py")] + [p for p in CODE if p.suffix == ".qmd"]
#: Literals in the code that equal an id in the data but are not that id.
NOT_DATA_IDS = {
    "critical-mass": "the id of a figure (figures.FIGURES); the sign of the same name is not read by id",
}


def _contract(root: Path = DATA) -> data.Contract:
    problems: list[Problem] = []
    contract = data.read_contract(root, problems)
    assert problems == [] and contract is not None, _explain(problems)
    return contract


def _contract_values(contract: data.Contract) -> set[str]:
    """The ids the contract names (years are not ids)."""
    values = {v for r in contract.requirements for _, v in r.match if v is not None}
    return {v for v in values | {v for allowed, _ in contract.allowed.values() for v in allowed} if not v.isdigit()}


def _literals(paths) -> set[str]:
    return {m.group(2) for path in paths for m in re.finditer(r"""(["'])([A-Za-z0-9_.-]+)\1""", path.read_text(encoding="utf-8"))}


def _contract_problems(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.file == "contract.yml" or "contract.yml:" in p.message]


def test_deleted_required_benchmark_is_reported_against_its_file(data_copy):
    path = data_copy / "benchmarks.csv"
    header, rows = _rows(path)
    _write(path, header, [r for r in rows if r["id"] != "critical-mass-high"])
    declared = _line_of(data_copy / "contract.yml", "{id: critical-mass-high}")
    problems = data.validate(data_copy)
    assert (f"benchmarks.csv:-:id: no such row, and the report needs it (declared in contract.yml:{declared}) "
            "(critical-mass-high)") in map(str, problems), _explain(problems)


def test_deleted_required_observation_is_reported_against_its_source_file(data_copy):
    path = data_copy / "observations" / "kutsenko-2015.csv"
    header, rows = _rows(path)
    _write(path, header, [r for r in rows if (r["entity"], r["indicator"]) != ("ru-itc-programme", "applications")])
    problems = data.validate(data_copy)
    assert any(p.file == "observations/kutsenko-2015.csv" and p.row == "-" and p.field == "entity+indicator"
               and "the report needs it" in p.message and p.value == "ru-itc-programme applications" for p in problems), _explain(problems)


def test_unknown_comparable_category_is_reported_at_its_row(data_copy):
    path = data_copy / "category_maps.csv"
    _edit(path, {"source_distribution": "ru-funding-sources", "category": "local-budget"}, comparable="municipal")
    problems = data.validate(data_copy)
    row = _line_of(path, "ru-funding-sources,local-budget")
    assert _has(problems, "category_maps.csv", row, "comparable", "the report handles only public, public-and-members"), _explain(problems)
    assert [p.value for p in problems if p.field == "comparable"] == ["municipal"]


def test_a_figure_read_as_one_value_must_agree_across_sources(data_copy):
    path = data_copy / "observations" / "ipp-russia.csv"
    header, rows = _rows(path)
    rows.append({**dict.fromkeys(header, ""), "entity": "ru-pilots", "indicator": "participants_avg", "value": "45",
                 "unit": "organisations", "qualifier": "exact", "year": "2013", "scope": "initiative", "source": "ipp-russia",
                 "locator": "summary", "quality": "reported"})
    _write(path, header, rows)
    problems = data.validate(data_copy)
    kutsenko = data_copy / "observations" / "kutsenko-2015.csv"
    assert _has(problems, "observations/kutsenko-2015.csv", _line_of(kutsenko, "ru-pilots,participants_avg"), "value",
                "the report reads one value for ru-pilots participants_avg, but observations/ipp-russia.csv:"), _explain(problems)


def test_a_required_figure_left_empty_is_reported(data_copy):
    path = data_copy / "observations" / "kutsenko-2015.csv"
    _edit(path, {"entity": "tomsk-it", "indicator": "participants"}, value="", quality="ambiguous", note="Cannot be read.")
    problems = data.validate(data_copy)
    assert _has(problems, "observations/kutsenko-2015.csv", _line_of(path, "tomsk-it,participants"), "value",
                "value is empty, but the report prints it"), _explain(problems)


def test_validate_command_names_a_missing_required_row(data_copy):
    path = data_copy / "benchmarks.csv"
    header, rows = _rows(path)
    _write(path, header, [r for r in rows if r["id"] != "critical-mass-high"])
    result = _cli("validate", "--data", str(data_copy))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert re.search(r"^benchmarks\.csv:-:id: no such row, and the report needs it \(declared in contract\.yml:\d+\) "
                     r"\(critical-mass-high\)$", result.stdout, re.M), result.stdout


def test_a_broken_contract_is_reported_by_line(data_copy):
    path = data_copy / "contract.yml"
    path.write_text(path.read_text(encoding="utf-8") + "benchmarks.csv:\n  require:\n    - {idd: x}\nnotes.csv:\n  require: []\n",
                    encoding="utf-8")
    problems = data.validate(data_copy)
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert _has(problems, "contract.yml", n - 2, "benchmarks.csv.require", "not a column of this file"), _explain(problems)
    assert _has(problems, "contract.yml", n - 1, "notes.csv", "not a file the contract can check"), _explain(problems)


def test_shipped_data_meets_the_contract():
    contract = _contract()
    assert len(contract.requirements) > 100 and contract.allowed
    ds, problems = data.collect()
    assert ds is not None, _explain(problems)
    assert _contract_problems(problems) == [], _explain(_contract_problems(problems))


def test_closed_sets_in_the_contract_are_the_ones_the_code_handles():
    from analysis import indicators, text
    from analysis.charts import theme
    from analysis.report import profiles

    allowed = {key: list(values) for key, (values, _) in _contract().allowed.items()}
    assert allowed[("category_maps.csv", "comparable")] == list(indicators.COMPARABLE_LABELS)
    assert allowed[("vocabularies.yml", "status")] == list(theme.STATUS_LABELS) == list(theme.STATUS_SYMBOLS)
    assert allowed[("vocabularies.yml", "cluster_kind")] == list(indicators.KIND_LABELS) == list(profiles.KIND_ORDER)
    assert set(allowed[("vocabularies.yml", "qualifier")]) == set(text.QUALIFIERS)
    assert set(allowed[("vocabularies.yml", "scope")]) == set(profiles.SCOPE)
    assert set(allowed[("vocabularies.yml", "confidence")]) == set(profiles.CONFIDENCE)
    lights = {v for r in _contract().requirements if r.file == "scorecard.yml" for _, v in r.match}
    assert lights == set(theme.LIGHT_COLOURS)


def test_every_id_in_the_contract_is_used_by_the_code():
    used = _literals(CODE)
    unused = sorted(_contract_values(_contract()) - used)
    assert unused == [], f"contract.yml names ids no code or chapter uses; remove them: {unused}"


def test_every_data_id_the_code_names_is_in_the_contract():
    ds, problems = data.collect()
    assert ds is not None, _explain(problems)
    t = ds.tables
    ids = (set(t["clusters.csv"]["id"]) | set(t["groups.csv"]["id"]) | set(t["indicators.csv"]["id"])
           | set(t["benchmarks.csv"]["id"]) | set(ds.distribution_meta) | set(t["distributions.csv"]["category"])
           | set(ds.sign_table["sign"]) | set(ds.sign_table["group"]) | set(t["policy_timeline.csv"]["id"])
           | set(t["factors.csv"]["code"]) | set(t["factor_lists.csv"]["list"]) | set(t["stakeholders.csv"]["stakeholder"])
           | set(t["category_maps.csv"]["map"]) | set(t["category_maps.csv"]["comparable"]) | set(t["sources.csv"]["id"])
           | set(t["references.csv"]["id"])
           | set(ds.vocab.attributes) | set(ds.vocab.industry_group))
    named = (_literals(ID_READERS) & ids) - set(NOT_DATA_IDS)
    missing = sorted(named - _contract_values(_contract()))
    assert missing == [], f"the code names these data ids; declare them in data/contract.yml: {missing}"


# --- other readers of the data --------------------------------------------------------------


def test_diff_with_a_malformed_csv_reports_the_row_without_a_traceback(tmp_path, data_copy):
    import shutil

    project = tmp_path / "project"
    shutil.copytree(data_copy, project / "data")
    (project / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    for args in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "--message", "data"]):
        subprocess.run(git + args, cwd=project, check=True, capture_output=True)
    path = project / "data" / "observations" / "kutsenko-2015.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] += ",stray"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    columns = len(next(csv.reader([lines[0]])))
    result = _cli("diff", "HEAD", "--root", str(project))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines() == [
        "Cannot compare: the data of working cannot be read.",
        f"observations/kutsenko-2015.csv:5:-: row has {columns + 1} fields but the header has {columns}; check for unquoted commas",
        "1 problem(s) found; nothing was compared.",
    ]


def test_a_selection_of_observations_is_recorded_and_hashed_by_its_rows(data_copy):
    ds = data.load(data_copy)
    ds.reset_access()
    rows = ds.observation_rows(entity="kaluga-pharma", indicator=["employees"])
    assert rows["value"].tolist() == [12400]
    [key] = ds.accessed_files()
    assert key.startswith(data.ROWS)
    kaluga = ds.rows_digest(key)
    assert ds.observation_rows(columns=["quality"]).columns.tolist() == ["quality"]

    path = data_copy / "observations" / "anon-2020-success-factors.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("aero-montreal,employees,,41750,", "aero-montreal,employees,,41800,"), encoding="utf-8")
    assert data.load(data_copy).rows_digest(key) == kaluga  # another row of the same file
    path.write_text(text.replace("kaluga-pharma,employees,,12400,", "kaluga-pharma,employees,,12500,"), encoding="utf-8")
    assert data.load(data_copy).rows_digest(key) != kaluga

    ds.observations  # noqa: B018 - reading every observation makes the selections moot
    assert ds.accessed_files() == ["observations/"]


def test_a_selection_by_values_from_a_column_keeps_their_type(ds):
    year = ds.observations["year"].dropna().astype("int64").iloc[0]  # a numpy integer, as a column gives it
    ds.reset_access()
    rows = ds.observation_rows(year=[year])
    assert len(rows) and set(rows["year"]) == {year}
    [key] = ds.accessed_files()
    assert f'"year": [{year}]' in key  # a number: the build's check selects the same rows, not none


def test_kept_readings_give_the_same_dataset_and_problems_and_see_each_edit(data_copy, monkeypatch):
    import pandas as pd

    monkeypatch.setattr(data, "_READINGS", None)
    fresh, fresh_problems = data.collect(data_copy)
    data.keep_readings()
    data.collect(data_copy)
    kept, kept_problems = data.collect(data_copy)  # every table from the kept readings
    assert kept_problems == fresh_problems == []
    for name, frame in fresh.tables.items():
        pd.testing.assert_frame_equal(kept.tables[name], frame)
    pd.testing.assert_frame_equal(kept.observations, fresh.observations)

    path = data_copy / "observations" / "anon-2020-success-factors.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("kaluga-pharma,employees,,12400,", "kaluga-pharma,employees,,many,"), encoding="utf-8")
    _, problems = data.collect(data_copy)
    assert [(p.file, p.field, p.value) for p in problems] == [("observations/anon-2020-success-factors.csv", "value", "many")]
    path.write_text(text, encoding="utf-8")
    again, problems = data.collect(data_copy)
    assert problems == []
    pd.testing.assert_frame_equal(again.observations, fresh.observations)
