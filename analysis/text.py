"""Turning values into the words readers see, the same way everywhere.

Chapters, cluster profiles, the Best-Practice Collection and the data changelog all use
these functions, so a value, a qualifier or a country reads the same on every page. Only
pandas is needed here (no Altair or IPython), so any layer may import it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import pandas as pd

#: How a value's qualifier is said before the number ('exact' says nothing).
QUALIFIERS = {"exact": "", "about": "about ", "more_than": "more than ", "less_than": "less than ",
              "at_least": "at least ", "at_most": "at most "}

#: Country and group codes as readers know them.
COUNTRY_NAMES = {
    "RU": "Russia", "US": "United States", "CA": "Canada", "CN": "China", "FI": "Finland", "DE": "Germany",
    "FR": "France", "GB": "United Kingdom", "AT": "Austria", "NL": "Netherlands", "CH": "Switzerland",
    "EU": "European Union", "IT": "Italy", "DK": "Denmark", "IN": "India",
}

#: Currencies, written before the amount ('USD 13.8 billion'), never after it.
_CURRENCIES = ("USD", "RUB", "EUR")
#: Units that add no word after a number: counts and ranks say what they count in their label.
_NO_UNIT_WORD = ("", "count", "rank")
#: Large amounts without a unit of their own read with a magnitude in words: 'USD 2.9 billion'.
_MAGNITUDES = ((1e9, "billion"), (1e6, "million"))


def md_escape(text) -> str:
    """Text from data, made literal in Markdown: no raw HTML, emphasis or links can come through."""
    return re.sub(r"([\\`*_\[\]<>#|$@~^{}])", r"\\\1", str(text))


def num(value, digits: int = 1) -> str:
    """A number for prose: thousands separated, trailing zeros dropped (1,470; 44; 1.47)."""
    if pd.isna(value):
        return "n/a"
    value = float(value)
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def pct(value, digits: int = 1) -> str:
    return f"{num(value, digits)}%"


def country(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def qualified(value, qualifier: str | None, unit_label: str, *, digits: int = 2, high=None) -> str:
    """A value with its qualifier and unit, the one way every page says it.

    The qualifier comes first, a currency before the amount, a magnitude in words after it:
    'more than 70,000 people', 'USD 13.8 billion', 'about 55%', '3-6 years'. A count or a rank
    takes no unit word (the label says what is counted: 'more than 10'); years read as years
    (2003). `qualifier` may also be a benchmark's comparator ('range' and 'average' say nothing).
    """
    q = QUALIFIERS.get(qualifier or "exact", "")
    bounds = [v for v in (value, high) if v is not None and not pd.isna(v)]
    if not bounds:
        return num(value)
    unit_label = unit_label if isinstance(unit_label, str) else ""  # a missing unit reads as none
    if unit_label == "year":
        return q + "-".join(str(int(v)) for v in bounds)
    if unit_label in ("%", "percent"):
        return q + "-".join(num(v, digits) for v in bounds) + "%"
    head, _, rest = unit_label.partition(" ")
    currency, unit = (head, rest) if head in _CURRENCIES else ("", unit_label)
    scale, magnitude = 1, ""
    if not unit.startswith(("thousand", "million", "billion")):
        scale, magnitude = next(((f, w) for f, w in _MAGNITUDES if abs(bounds[0]) >= f), (1, ""))
    words = [w for w in (currency, "-".join(num(v / scale, digits) for v in bounds), magnitude) if w]
    if unit not in _NO_UNIT_WORD:
        words.append(_singular(unit) if bounds == [1] and not magnitude else unit)
    return q + " ".join(words)


def _singular(unit: str) -> str:
    """The unit after the number 1: '1 company', '1 person', '1 seat'."""
    head, _, last = unit.rpartition(" ")
    one = "person" if last == "people" else re.sub(r"ies$", "y", last) if last.endswith("ies") else last.removesuffix("s")
    return f"{head} {one}".strip()


def derived(value, *, approximate: bool, unit_label: str = "") -> str:
    """A value we computed, rounded to what its inputs support: from approximate inputs two significant
    figures and 'about' ('about 470 employees', not '466.7'), from exact inputs three significant figures."""
    if pd.isna(value) or value == 0:
        return qualified(value, None, unit_label)
    decimals = (2 if approximate else 3) - 1 - math.floor(math.log10(abs(float(value))))
    return qualified(round(float(value), decimals), "about" if approximate else None, unit_label, digits=max(decimals, 0))


def listing(items, *, serial: bool = False) -> str:
    """'a, b and c'; with `serial`, 'a, b, and c' (for items that contain 'and' themselves)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (", and " if serial else " and ") + items[-1]


def lower(label: str) -> str:
    """A label for the middle of a sentence: 'new materials', but 'ICT and electronics', 'SMEs', 'R&D'."""
    first = label.split()[0]
    return label if any(c.isupper() for c in first[1:]) else label[0].lower() + label[1:]


#: The References chapter, linked from a page in the chapters folder; pages elsewhere pass the way there as
#: `base` ("../" from a cluster profile, "chapters/" from the home page).
REFERENCES = "11-references.qmd"
#: The pages a source gives for a work it cites, at the end of its printed citation: 'Lindqvist et al., 2013, p. 17'.
_PAGES = re.compile(r",\s*(pp?\.\s.+)$")
#: A locator part that names its work: 'anon-2020-success-factors: Table 2'.
_WORK_PART = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*): (.*)$")


def _given(value) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value) != ""


def anchor(ref_id: str) -> str:
    """The id of a work's entry in the References ('ref-kutsenko-2015'), the same in the HTML and the PDF."""
    return f"ref-{ref_id}"


def work(names: Mapping[str, str], ref_id: str, *, base: str = "", link: bool = True) -> str:
    """A work, named as in a citation and linked to its entry: '[Kutsenko (2015)](11-references.qmd#ref-kutsenko-2015)';
    without `link`, the plain name, for text that is not Markdown (chart tooltips, CSV cells)."""
    if not link:
        return names[ref_id]
    return f"[{md_escape(names[ref_id])}]({base}{REFERENCES}#{anchor(ref_id)})"


def locator_parts(source: str, locator: str) -> list[tuple[str, str]]:
    """A locator as (work id, where) parts. Parts are separated by '; ' and belong to `source` until one names
    another work ('kutsenko-2015: footnote 12; section X; anon-2020-success-factors: Table 2')."""
    parts, current = [], source
    for part in str(locator).split("; "):
        m = _WORK_PART.match(part)
        if m:
            current, part = m.group(1), m.group(2)
        parts.append((current, part))
    return parts


def _places(places: list[str]) -> str:
    """Places in one work: 'Figure 7 and Figure 8', or with '; ' when a place has commas of its own.
    A work cited as a whole (an empty locator) adds no place."""
    places = [p for p in dict.fromkeys(places) if p]
    return "; ".join(places) if any("," in p for p in places) else listing(places)


def _at(linked_work: str, places: list[str]) -> str:
    where = _places(places)
    return f"{linked_work}, {where}" if where else linked_work


def cited(names: Mapping[str, str], cites, cited_work=None, *, base: str = "") -> str:
    """The works a value quotes, linked, each with the pages the source gives: '[Lindqvist et al. (2013)](…), p. 17'.

    `cites` holds reference ids separated by ';', `cited_work` the citation as the source prints it, in the
    same order ('Dohse, Staehler, 2008; Christensen et al., 2012, p. 10'). '' when the value quotes no work."""
    if not _given(cites):
        return ""
    printed = str(cited_work).split("; ") if _given(cited_work) else []
    pages = [_PAGES.search(printed[i]) if i < len(printed) else None for i in range(len(str(cites).split(";")))]
    items = [work(names, ref_id, base=base) + (f", {md_escape(p.group(1))}" if p else "")
             for ref_id, p in zip(str(cites).split(";"), pages)]
    return listing(items, serial=any(pages[:-1]))  # 'A, p. 5, and B': a comma before 'and' keeps pages apart


def cite(names: Mapping[str, str], source: str, locator: str, cites=None, cited_work=None, *, base: str = "",
         link: bool = True) -> str:
    """Where a value comes from, written the one way every page writes it, as Markdown: each work linked to its
    entry in the References, then the place in it, then the works it quotes for the value:
    '[Kutsenko (2015)](…), Figure 1, citing [Lindqvist et al. (2013)](…), p. 17'. Without `link`, plain text
    with the quoted works left out: 'Kutsenko (2015), Figure 1'."""
    by_work: dict[str, list[str]] = {}
    for ref_id, place in locator_parts(source, locator):
        by_work.setdefault(ref_id, []).append(md_escape(place) if link else place)
    text = "; ".join(_at(work(names, ref_id, base=base, link=link), places) for ref_id, places in by_work.items())
    if not link:
        return text
    quoted = cited(names, cites, cited_work, base=base)
    return f"{text}, citing {quoted}" if quoted else text


def source_line(names: Mapping[str, str], refs, *, base: str = "", ours: str = "", bare: bool = False) -> str:
    """'Source: …' or 'Sources: …' for a figure or table: the (source, locator, cites, cited_work) of the rows
    it shows, grouped by work in first-seen order without repeats, then what is ours ('category mapping ours').
    `bare` leaves out the label and the full stop, for a citation inside a sentence."""
    places: dict[str, list[str]] = {}
    quoted: dict[str, list[str]] = {}
    for source, locator, cites, cited_work in refs:
        for ref_id, place in locator_parts(source, locator):
            places.setdefault(ref_id, []).append(md_escape(place))
        if _given(cites):
            quoted.setdefault(source, []).append(cited(names, cites, cited_work, base=base))
    parts = []
    for ref_id, where in places.items():
        also = list(dict.fromkeys(quoted.get(ref_id, [])))
        parts.append(_at(work(names, ref_id, base=base), where)
                     + (f", citing {listing(also, serial=any(', p' in a for a in also[:-1]))}" if also else ""))
    parts += [ours] if ours else []
    if bare:
        return "; ".join(parts)
    return ("Sources: " if len(parts) > 1 else "Source: ") + "; ".join(parts) + "."
