"""`data/COVERAGE.md` accounts for every numbered figure and table of the five source documents."""

import re

import pytest

from analysis.paths import DATA, SEEDS

SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


def _numbered_items(text: str) -> set[str]:
    items = set()
    for kind, number in re.findall(r"\b(Figure|Fig\.|Table) ?(\d+)", text):
        items.add(f"{'Figure' if kind.startswith('Fig') else 'Table'} {number}")
    return items


@pytest.mark.skipif(not SEED_FILES, reason="the seed documents (../shared/seeds) are not next to this checkout")
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_every_numbered_figure_and_table_has_a_ledger_entry(seed):
    ledger = (DATA / "COVERAGE.md").read_text(encoding="utf-8")
    doc = seed.name[:3]
    entries = set(re.findall(rf"^\| {doc} ((?:Figure|Table) \d+) \|", ledger, re.M))
    missing = _numbered_items(seed.read_text(encoding="utf-8")) - entries
    assert not missing, f"{doc}: no ledger entry for {sorted(missing)}"


def test_ledger_has_a_section_per_document():
    ledger = (DATA / "COVERAGE.md").read_text(encoding="utf-8")
    for doc in ("000", "001", "002", "003", "004"):
        assert re.search(rf"^## {doc}: ", ledger, re.M), doc
