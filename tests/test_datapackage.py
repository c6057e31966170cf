"""`data/datapackage.json` describes every CSV and stays in sync with the schemas."""

import json

from frictionless import Package

from analysis import datapackage
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


def test_package_passes_frictionless_validation():
    report = Package(str(DATA / "datapackage.json")).validate()
    errors = [e.message for task in report.tasks for e in task.errors]
    assert report.valid, errors[:10]
