"""`data/COVERAGE.md` accounts for every numbered figure and table of the five source documents.

The source documents are not in this repository. `CLUSTERBENCH_SOURCES` names their folder;
without it they are looked for in `shared/seeds/` beside the checkout. Where they are promised
(the variable is set, or `CLUSTERBENCH_REQUIRE_TOOLS=1` as in `.ci/run`) a missing folder fails
the ledger check; elsewhere it is skipped with the reason.
"""

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LEDGER = ROOT / "data" / "COVERAGE.md"
SOURCES_ENV = "CLUSTERBENCH_SOURCES"
DOCUMENTS = ("000", "001", "002", "003", "004")


def sources_dir() -> Path:
    return Path(os.environ.get(SOURCES_ENV) or ROOT.parent / "shared" / "seeds")


@pytest.fixture(scope="module")
def sources() -> Path:
    folder = sources_dir()
    if folder.is_dir():
        return folder
    if os.environ.get(SOURCES_ENV):
        pytest.fail(f"{SOURCES_ENV} names {folder}, which is not a folder", pytrace=False)
    reason = f"the source documents are not at {folder}; set {SOURCES_ENV} to the folder that holds them"
    if os.environ.get("CLUSTERBENCH_REQUIRE_TOOLS") == "1":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _numbered_items(text: str) -> set[str]:
    items = set()
    for kind, number in re.findall(r"\b(Figure|Fig\.|Table) ?(\d+)", text):
        items.add(f"{'Figure' if kind.startswith('Fig') else 'Table'} {number}")
    return items


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_numbered_figure_and_table_has_a_ledger_entry(sources, doc):
    found = sorted(sources.glob(f"{doc}_*.txt"))
    assert len(found) == 1, f"expected one text of document {doc} in {sources}, found {[p.name for p in found]}"
    entries = set(re.findall(rf"^\| {doc} ((?:Figure|Table) \d+) \|", LEDGER.read_text(encoding="utf-8"), re.M))
    missing = _numbered_items(found[0].read_text(encoding="utf-8")) - entries
    assert not missing, f"{doc}: no ledger entry for {sorted(missing)}"


def test_ledger_has_a_section_per_document():
    ledger = LEDGER.read_text(encoding="utf-8")
    for doc in DOCUMENTS:
        assert re.search(rf"^## {doc}: ", ledger, re.M), doc
