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
    # currency before the amount, whatever the magnitude; magnitudes in words
    ((21, "exact", "RUB billion"), {}, "RUB 21 billion"),
    ((650, "less_than", "RUB million"), {}, "less than RUB 650 million"),
    ((2.9e9, None, "USD"), {}, "USD 2.9 billion"),
    ((1.25e6, "about", "people"), {}, "about 1.25 million people"),
    # a count takes no unit word; a unit that says what is counted is kept
    ((10, "more_than", "count"), {}, "more than 10"),
    ((5, None, "companies"), {}, "5 companies"),
    ((4, None, "rank"), {}, "4"),
    # percent with its sign, by unit id or label; thousands separated
    ((50, "more_than", "percent"), {}, "more than 50%"),
    ((41750, None, "people"), {}, "41,750 people"),
    ((3, None, "percentage points"), {}, "3 percentage points"),
    # a benchmark's comparator reads like a qualifier; 'range' and 'average' say nothing
    ((30, "range", "organisations"), {"high": 50}, "30-50 organisations"),
    ((80, "average", "organisations"), {}, "80 organisations"),
    ((math.nan, "about", "people"), {}, "n/a"),
    # one of a unit reads in the singular
    ((1, None, "seats"), {}, "1 seat"),
    ((1, "more_than", "companies"), {}, "more than 1 company"),
    ((1, None, "people"), {}, "1 person"),
])
def test_a_value_reads_with_its_qualifier_and_unit(args, kwargs, shown):
    assert text.qualified(*args, **kwargs) == shown


@pytest.mark.parametrize("value, approximate, unit, shown", [
    (466.7, True, "", "about 470"),  # 70,000 / 150, both approximate: two significant figures
    (22.3, True, "", "about 22"),
    (204.7, False, "", "205"),  # exact inputs: three significant figures
    (0.5123, False, "%", "0.512%"),
    (1234.5, False, "people", "1,230 people"),
    (math.nan, True, "", "n/a"),
])
def test_a_derived_value_is_rounded_to_what_its_inputs_support(value, approximate, unit, shown):
    assert text.derived(value, approximate=approximate, unit_label=unit) == shown


def test_numbers_lists_and_labels():
    assert text.num(1470) == "1,470" and text.num(1.47, 2) == "1.47" and text.num(math.nan) == "n/a"
    assert text.pct(53.333) == "53.3%"
    assert text.listing(["a"]) == "a" and text.listing(["a", "b", "c"]) == "a, b and c"
    assert text.listing(["a and b", "c"], serial=True) == "a and b, and c"
    assert text.lower("New materials") == "new materials" and text.lower("ICT and electronics") == "ICT and electronics"
    assert text.lower("R&D projects funded") == "R&D projects funded"
    assert text.lower("Share of SMEs among participants") == "share of SMEs among participants"
    assert text.lower("SMEs working with core companies") == "SMEs working with core companies"
    assert text.country("US") == "United States" and text.country("XX") == "XX"


NAMES = {"kutsenko-2015": "Kutsenko (2015)", "anon-2020-success-factors": "Unidentified article (c. 2020)",
         "lindqvist-2013": "Lindqvist et al. (2013)", "cloe-2004": "CLOE (2004)", "christensen-2012": "Christensen et al. (2012)",
         "dohse-staehler-2008": "Dohse and Staehler (2008)", "cb-reference-list": "Cluster Benchmark reference list"}
K = "[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015)"
A = "[Unidentified article (c. 2020)](11-references.qmd#ref-anon-2020-success-factors)"


def test_a_citation_names_the_work_linked_to_its_entry_then_the_place_in_it():
    assert text.cite(NAMES, "kutsenko-2015", "Figure 1") == f"{K}, Figure 1"
    # the work quoted for the value, with the pages the source prints
    assert text.cite(NAMES, "kutsenko-2015", "section 'Critical mass of core companies'", "lindqvist-2013",
                     "Lindqvist et al., 2013, p. 17") == (
        f"{K}, section 'Critical mass of core companies', citing [Lindqvist et al. (2013)](11-references.qmd#ref-lindqvist-2013), p. 17")
    # two quoted works, in the order the source prints them; only the second gives a page
    assert text.cite(NAMES, "kutsenko-2015", "section 'Dominance of private initiatives'", "dohse-staehler-2008;christensen-2012",
                     "Dohse, Staehler, 2008; Christensen et al., 2012, p. 10").endswith(
        "citing [Dohse and Staehler (2008)](11-references.qmd#ref-dohse-staehler-2008) and "
        "[Christensen et al. (2012)](11-references.qmd#ref-christensen-2012), p. 10")
    # from a page one folder down, the link goes up
    assert text.cite(NAMES, "kutsenko-2015", "footnote 9", base="../") == "[Kutsenko (2015)](../11-references.qmd#ref-kutsenko-2015), footnote 9"


def test_a_locator_can_name_the_work_of_each_part():
    locator = ("kutsenko-2015: footnote 12; section 'Belt of innovation start-ups'; anon-2020-success-factors: Table 2; "
               "cb-reference-list: list of the 25 pilot clusters")
    assert text.locator_parts("kutsenko-2015", locator)[1] == ("kutsenko-2015", "section 'Belt of innovation start-ups'")
    assert text.cite(NAMES, "kutsenko-2015", locator) == (
        f"{K}, footnote 12 and section 'Belt of innovation start-ups'; {A}, Table 2; "
        "[Cluster Benchmark reference list](11-references.qmd#ref-cb-reference-list), list of the 25 pilot clusters")


def test_a_source_line_groups_the_places_by_work_once_each():
    refs = [("kutsenko-2015", "Figure 7", None, None), ("kutsenko-2015", "Figure 8", "lindqvist-2013", "Lindqvist et al., 2013"),
            ("kutsenko-2015", "Figure 7", None, None), ("anon-2020-success-factors", "Table 1", None, None)]
    assert text.source_line(NAMES, refs, ours="category mapping ours") == (
        f"Sources: {K}, Figure 7 and Figure 8, citing [Lindqvist et al. (2013)](11-references.qmd#ref-lindqvist-2013); "
        f"{A}, Table 1; category mapping ours.")
    assert text.source_line(NAMES, refs[:1]) == f"Source: {K}, Figure 7."
    assert text.source_line(NAMES, refs[3:], bare=True) == f"{A}, Table 1"


def test_a_plain_citation_for_tooltips_and_csv_cells_has_no_markdown():
    assert text.cite(NAMES, "kutsenko-2015", "footnote 12", "lindqvist-2013", "Lindqvist et al., 2013", link=False) == (
        "Kutsenko (2015), footnote 12")


def test_names_in_a_citation_are_made_literal():
    assert text.cite({"x": "A *b* [c]"}, "x", "Table 1") == r"[A \*b\* \[c\]](11-references.qmd#ref-x), Table 1"


def test_text_from_data_is_made_literal():
    assert text.md_escape("<script>*x*</script>") == r"\<script\>\*x\*\</script\>"


# --- the Russian edition ----------------------------------------------------------------------

RU_UNITS = {"people": "человек|человека|человек", "organisations": "организация|организации|организаций",
            "times": "раз|раза|раз"}


def test_russian_numbers_dates_and_lists_follow_russian_conventions():
    with text.speaking("ru", RU_UNITS):
        assert text.num(1234.5) == "1\u00a0234,5"  # a no-break space groups thousands, a comma marks decimals
        assert text.pct(34) == "34%"
        assert text.date("2026-11-23") == "23 ноября 2026\u202fг."  # CLDR: a narrow no-break space before «г.»
        assert text.listing(["a", "b", "c"]) == "a, b и c"
        assert text.country("US") == "США" and text.country("DE") == "Германия"
        assert text.say("Source", "Источник") == "Источник"
    assert text.num(1234.5) == "1,234.5"  # English again after the block


def test_russian_values_put_the_unit_after_the_amount_in_the_right_form():
    with text.speaking("ru", RU_UNITS):
        assert text.qualified(3.5e9, None, "USD") == "3,5 млрд долл. США"
        assert text.qualified(70000, "more_than", "people") == "более 70\u00a0000 человек"
        assert text.qualified(21, None, "organisations") == "21 организация"
        assert text.qualified(3, None, "organisations") == "3 организации"
        assert text.qualified(21, "more_than", "organisations") == "более 21 организации"  # genitive after 'более'
        assert text.qualified(2, "less_than", "times") == "менее 2 раз"
        assert text.qualified(3, None, "year", high=6) == "3–6"


def test_russian_locators_abbreviate_places_and_keep_section_titles_as_printed():
    with text.speaking("ru"):
        assert text.place("Figure 3, footnote 12") == "рис. 3, сноска 12"
        assert text.place("footnotes 7 and 12") == "сноски 7 и 12"
        assert text.place("section 'Internal competition and openness'") == "раздел «Internal competition and openness»"
        assert text.place("sections 'A', 'B' and 'C'") == "разделы «A», «B» и «C»"
    assert text.place("Figure 3, footnote 12") == "Figure 3, footnote 12"
