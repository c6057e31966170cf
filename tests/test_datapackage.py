"""`data/datapackage.json` describes every CSV and stays in sync with the schemas."""

import csv
import json
import subprocess
import sys

import pytest
from frictionless import Package

from analysis.data import DataError, datapackage
from analysis.paths import DATA


def test_committed_descriptor_matches_the_schemas():
    committed = (DATA / "datapackage.json").read_text(encoding="utf-8")
    assert committed == datapackage.render(), "run `clusterbench datapackage` and commit the result"


def test_every_csv_file_is_a_resource():
    paths = {r["path"] for r in json.loads((DATA / "datapackage.json").read_text())["resources"]}
    on_disk = {p.relative_to(DATA).as_posix() for p in DATA.rglob("*.csv")}
    assert paths == on_disk


def test_every_field_has_a_type_and_description():
    for resource in datapackage.descriptor()["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["type"] in {"string", "number", "integer", "boolean"}
            assert field["description"], f"{resource['name']}.{field['name']}"


def _frictionless_errors(data) -> list[tuple[str, str, int | None, str]]:
    report = Package(str(data / "datapackage.json")).validate()
    return [(task.name, e.type, getattr(e, "row_number", None), e.note) for task in report.tasks for e in task.errors]


def test_package_passes_frictionless_validation_with_its_keys():
    descriptor = json.loads((DATA / "datapackage.json").read_text())
    schema = {r["name"]: r["schema"] for r in descriptor["resources"]}
    assert schema["sources"]["primaryKey"] == ["id"]
    assert {"fields": ["source"], "reference": {"resource": "sources", "fields": ["id"]}} in schema["observations-kutsenko-2015"]["foreignKeys"]
    assert _frictionless_errors(DATA) == []


def _set_cell(path, line: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[line - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize(("rel", "column", "value", "resource", "error", "note"), [
    ("observations/kutsenko-2015.csv", "indicator", "no_such_indicator", "observations-kutsenko-2015", "foreign-key",
     'for "indicator": values "no_such_indicator" not found in the lookup table "indicators" as "id"'),
    ("assessments.csv", "cluster", "no-such-cluster", "assessments", "foreign-key",
     'for "cluster": values "no-such-cluster" not found in the lookup table "clusters" as "id"'),
    ("clusters.csv", "merged_into", "no-such-cluster", "clusters", "foreign-key",
     'for "merged_into": values "no-such-cluster" not found in the lookup table "" as "id"'),
    ("groups.csv", "kind", "region", "groups", "constraint-error",
     'constraint "enum" is "[\'programme\', \'population\', \'survey\', \'country\', \'company\']"'),
], ids=["observation-indicator", "assessment-cluster", "merged-into-same-file", "closed-vocabulary"])
def test_frictionless_reports_a_dangling_reference_or_a_value_outside_the_vocabulary(data_copy, rel, column, value, resource, error, note):
    _set_cell(data_copy / rel, 2, column, value)
    assert _frictionless_errors(data_copy) == [(resource, error, 2, note)]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "clusterbench.cli", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("check", [False, True], ids=["write", "check"])
def test_a_missing_csv_is_one_clear_message(data_copy, check):
    (data_copy / "factors.csv").unlink()
    before = (data_copy / "datapackage.json").read_bytes()
    result = _cli("datapackage", "--data", str(data_copy), *(["--check"] if check else []))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    outcome = "nothing was checked" if check else "data/datapackage.json was not written"
    assert result.stderr.splitlines() == ["factors.csv:-:-: file is missing", f"1 problem(s) found; {outcome}."]
    assert (data_copy / "datapackage.json").read_bytes() == before


def test_a_column_the_schemas_do_not_know_is_named(data_copy):
    path = data_copy / "groups.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([rows[0] + ["website"]] + [r + [""] for r in rows[1:]])
    with pytest.raises(DataError) as err:
        datapackage.render(data_copy)
    assert [str(p) for p in err.value.problems] == [
        "groups.csv:1:website: unknown column; add it to the schema in analysis/schemas.py or remove it"]
