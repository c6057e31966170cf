"""The words readers see: one way to say a value, a qualifier, a list or a country."""

from __future__ import annotations

import math

import pytest

from analysis import text


@pytest.mark.parametrize("args, kwargs, shown", [
    ((70000, "more_than", "people"), {}, "more than 70,000 people"),
    ((13.8, None, "USD billion"), {}, "USD 13.8 billion"),
    ((55, "about", "%"), {}, "about 55%"),
    ((1.85, "exact", "%"), {}, "1.85%"),
    ((2003, None, "year"), {}, "2003"),
    ((1980, None, "year"), {"high": 1989}, "1980-1989"),
    ((5, None, "count"), {}, "5"),
    ((30, "at_most", "organisations"), {"high": 50}, "at most 30-50 organisations"),
])
def test_a_value_reads_with_its_qualifier_and_unit(args, kwargs, shown):
    assert text.qualified(*args, **kwargs) == shown


def test_numbers_lists_and_labels():
    assert text.num(1470) == "1,470" and text.num(1.47, 2) == "1.47" and text.num(math.nan) == "n/a"
    assert text.pct(53.333) == "53.3%"
    assert text.listing(["a"]) == "a" and text.listing(["a", "b", "c"]) == "a, b and c"
    assert text.listing(["a and b", "c"], serial=True) == "a and b, and c"
    assert text.lower("New materials") == "new materials" and text.lower("ICT and electronics") == "ICT and electronics"
    assert text.country("US") == "United States" and text.country("XX") == "XX"


def test_citations_and_locators():
    assert text.cite("Kutsenko (2015)", "002 Figure 1") == "Kutsenko (2015), 002 Figure 1"
    assert text.cite("Kutsenko (2015)", "002 fn 9", "CLOE, 2004") == "Kutsenko (2015), 002 fn 9, citing CLOE, 2004"
    assert text.doc("002 fn 12") == "document 002, fn 12"
    assert text.docs(["001 Table 1", "001 Table 2", "002 fn 3"]) == "document 001, Table 1 and Table 2; document 002, fn 3"


def test_text_from_data_is_made_literal():
    assert text.md_escape("<script>*x*</script>") == r"\<script\>\*x\*\</script\>"
