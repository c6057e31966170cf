"""Turning values into the words readers see, the same way everywhere.

Chapters, cluster profiles, the Best-Practice Collection and the data changelog all use
these functions, so a value, a qualifier or a country reads the same on every page. Only
pandas and Babel are needed here (no Altair or IPython), so any layer may import it.

Each edition speaks one language. `speak(lang)` sets it for the process (a chapter's setup cell
does, through `setup(lang=...)`), and every function here then writes in it: the same value
reads `1,234.5` in English and `1 234,5` in Russian, formatted by Babel from CLDR's rules.
`say(en=..., ru=...)` picks our own words for the language spoken.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from contextlib import contextmanager

import pandas as pd
from babel import Locale
from babel.numbers import format_decimal

#: The editions' languages; the first is the main one (the site's root).
LANGUAGES = ("en", "ru")
_spoken = {"lang": "en", "units": {}}


def speak(lang: str, units: Mapping[str, str] | None = None) -> None:
    """Write in `lang` from now on; `units` maps an English unit ('organisations') to its forms in `lang`
    after 1, after 2-4 and after 5 ('организация|организации|организаций')."""
    if lang not in LANGUAGES:
        raise ValueError(f"language '{lang}' is not one of {', '.join(LANGUAGES)}")
    _spoken.update(lang=lang, units=dict(units or {}))


def language() -> str:
    return _spoken["lang"]


def units() -> dict[str, str]:
    """The unit forms of the language spoken (see `speak`)."""
    return dict(_spoken["units"])


@contextmanager
def speaking(lang: str, units: Mapping[str, str] | None = None):
    """`speak(lang)` for the duration of a `with` block (profile pages, charts drawn for one edition)."""
    before = dict(_spoken)
    speak(lang, units)
    try:
        yield
    finally:
        _spoken.update(before)


def say(en: str, ru: str) -> str:
    """Our own words, in the language spoken."""
    return ru if _spoken["lang"] == "ru" else en

#: How a value's qualifier is said before the number ('exact' says nothing).
QUALIFIERS = {"exact": "", "about": "about ", "more_than": "more than ", "less_than": "less than ",
              "at_least": "at least ", "at_most": "at most "}
QUALIFIERS_RU = {"exact": "", "about": "около ", "more_than": "более ", "less_than": "менее ",
                 "at_least": "не менее ", "at_most": "не более "}

#: Country and group codes as readers know them.
COUNTRY_NAMES = {
    "RU": "Russia", "US": "United States", "CA": "Canada", "CN": "China", "FI": "Finland", "DE": "Germany",
    "FR": "France", "GB": "United Kingdom", "AT": "Austria", "NL": "Netherlands", "CH": "Switzerland",
    "EU": "European Union", "IT": "Italy", "DK": "Denmark", "IN": "India",
}

#: Where Babel's (CLDR's) Russian country name is not the one Russian official texts use.
_COUNTRY_RU = {"US": "США", "GB": "Великобритания", "EU": "Европейский союз"}

#: Currencies, written before the amount ('USD 13.8 billion'), never after it; in Russian after it, abbreviated.
_CURRENCIES = ("USD", "RUB", "EUR")
_CURRENCY_RU = {"USD": "долл. США", "RUB": "руб.", "EUR": "евро"}
_MAGNITUDE_RU = {"billion": "млрд", "million": "млн", "thousand": "тыс."}
#: Units that add no word after a number: counts and ranks say what they count in their label.
_NO_UNIT_WORD = ("", "count", "rank")
#: Large amounts without a unit of their own read with a magnitude in words: 'USD 2.9 billion'.
_MAGNITUDES = ((1e9, "billion"), (1e6, "million"))


def md_escape(text) -> str:
    """Text from data, made literal in Markdown: no raw HTML, emphasis or links can come through."""
    return re.sub(r"([\\`*_\[\]<>#|$@~^{}])", r"\\\1", str(text))


def num(value, digits: int = 1) -> str:
    """A number for prose: thousands separated, trailing zeros dropped (1,470; 44; 1.47; in Russian 1 470; 1,47)."""
    if pd.isna(value):
        return say("n/a", "н/д")
    value = float(value)
    if _spoken["lang"] != "en":
        # Babel rounds half-even on the decimal value, as Python's format does on the binary one
        return format_decimal(round(value, digits), format="#,##0." + "#" * digits, locale=_spoken["lang"])
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.{digits}f}".rstrip("0").rstrip(".")


def pct(value, digits: int = 1) -> str:
    return f"{num(value, digits)}%"


def country(code: str) -> str:
    if _spoken["lang"] == "ru":
        return _COUNTRY_RU.get(code) or Locale("ru").territories.get(code, code)
    return COUNTRY_NAMES.get(code, code)


def plural(n, forms: str) -> str:
    """The form of a noun after the number `n`: `forms` holds them as 'one|few|many' (Russian) or 'one|many'."""
    options = forms.split("|")
    if len(options) == 1:
        return forms
    if _spoken["lang"] == "ru" and len(options) >= 3:
        rule = Locale("ru").plural_form(abs(float(n)) if not float(n).is_integer() else abs(int(n)))
        return {"one": options[0], "few": options[1]}.get(rule, options[2])
    return options[0] if n == 1 else options[-1]


def date(iso: str) -> str:
    """A day in words: '23 November 2026'; in Russian «23 ноября 2026 г.»."""
    from datetime import date as day

    from babel.dates import format_date

    d = day.fromisoformat(str(iso)[:10])
    return format_date(d, format="long", locale="ru") if _spoken["lang"] == "ru" else f"{d.day} {d:%B %Y}"


def qualified(value, qualifier: str | None, unit_label: str, *, digits: int = 2, high=None) -> str:
    """A value with its qualifier and unit, the one way every page says it.

    The qualifier comes first, a currency before the amount, a magnitude in words after it:
    'more than 70,000 people', 'USD 13.8 billion', 'about 55%', '3-6 years'. A count or a rank
    takes no unit word (the label says what is counted: 'more than 10'); years read as years
    (2003). `qualifier` may also be a benchmark's comparator ('range' and 'average' say nothing).
    """
    ru = _spoken["lang"] == "ru"
    q = (QUALIFIERS_RU if ru else QUALIFIERS).get(qualifier or "exact", "")
    dash = "–" if ru else "-"
    bounds = [v for v in (value, high) if v is not None and not pd.isna(v)]
    if not bounds:
        return num(value)
    unit_label = unit_label if isinstance(unit_label, str) else ""  # a missing unit reads as none
    if unit_label == "year":
        return q + dash.join(str(int(v)) for v in bounds)
    if unit_label in ("%", "percent"):
        return q + dash.join(num(v, digits) for v in bounds) + "%"
    head, _, rest = unit_label.partition(" ")
    currency, unit = (head, rest) if head in _CURRENCIES else ("", unit_label)
    scale, magnitude = 1, ""
    if not unit.startswith(("thousand", "million", "billion")):
        scale, magnitude = next(((f, w) for f, w in _MAGNITUDES if abs(bounds[0]) >= f), (1, ""))
    elif ru:
        magnitude, _, unit = unit.partition(" ")
    amount = dash.join(num(v / scale, digits) for v in bounds)
    if ru:  # «13,8 млрд долл. США», «более 70 000 человек»: the amount first, the currency or unit after it
        words = [amount] + ([_MAGNITUDE_RU[magnitude]] if magnitude else [])
        if currency:
            words.append(_CURRENCY_RU[currency])
        elif unit not in _NO_UNIT_WORD:
            forms = _spoken["units"].get(unit) or _spoken["units"].get(unit_label) or unit
            words.append(_unit_ru(bounds[-1] / scale, forms, after_qualifier=bool(q), after_magnitude=bool(magnitude)))
        return q + " ".join(words)
    words = [w for w in (currency, amount, magnitude) if w]
    if unit not in _NO_UNIT_WORD:
        words.append(_singular(unit) if bounds == [1] and not magnitude else unit)
    return q + " ".join(words)


def _unit_ru(n, forms: str, *, after_qualifier: bool, after_magnitude: bool) -> str:
    """The unit's form after the number: «21 организация», «3 организации», «5 организаций»; after «более», «около»
    (the genitive) «более 21 организации», «более 3 организаций»; after «млн» and after a fraction, the genitive too."""
    options = forms.split("|")
    if len(options) < 3:
        return forms
    one, few, many = options[:3]
    if after_magnitude:
        return many
    if not float(n).is_integer():
        return few
    rule = Locale("ru").plural_form(abs(int(n)))
    if after_qualifier:
        return few if rule == "one" else many
    return {"one": one, "few": few}.get(rule, many)


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
    """'a, b and c'; with `serial`, 'a, b, and c' (for items that contain 'and' themselves); in Russian 'a, b и c'."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    if _spoken["lang"] == "ru":
        return ("; " if serial else ", ").join(items[:-1]) + " и " + items[-1]
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


#: A locator's words in Russian, abbreviated as Russian references do: 'Figure 5' -> 'рис. 5', 'footnotes 7 and 12' ->
#: 'сноски 7 и 12', 'section 'X'' -> 'раздел «X»' (a source's section title stays as printed).
_PLACE_RU = [
    (r"Figures? (.+)", r"рис. \1"), (r"Tables? (.+)", r"табл. \1"), (r"footnote (.+)", r"сноска \1"),
    (r"footnotes (.+)", r"сноски \1"), (r"note to Figure (.+)", r"примечание к рис. \1"), (r"pp?\. (.+)", r"с. \1"),
    (r"Appendix (.+)", r"прил. \1"), (r"section headings", "заголовки разделов"), (r"introduction", "введение"),
    (r"summary", "резюме"), (r"abstract", "аннотация"), (r"opening paragraph", "первый абзац"),
    (r"list of the 25 pilot clusters", "список 25 пилотных кластеров"),
]
#: Remarks a locator adds after a section's title, in Russian.
_REMARKS_RU = {"interviews with cluster managers": "интервью с руководителями кластеров"}
#: Where one place of a locator ends and the next begins: 'Figure 3, footnote 12'.
_NEXT_PLACE = re.compile(r", (?=Figure|Table|footnote|note to|sections? |pp?\. |summary|introduction|abstract|Appendix|opening)")
_QUOTED = re.compile(r"'([^']+)'")


def place(where: str) -> str:
    """A place in a work, in the language spoken: 'Figure 5', or in Russian 'рис. 5'."""
    if _spoken["lang"] != "ru":
        return where
    return ", ".join(_place_ru(part) for part in _NEXT_PLACE.split(where))


def _place_ru(part: str) -> str:
    m = re.match(r"(sections?) (.+)$", part)
    if m and "'" in m.group(2):
        titles = [f"«{t}»" for t in _QUOTED.findall(m.group(2))]
        rest = m.group(2)[m.group(2).rfind("'") + 1:]  # what follows the titles, e.g. ' (interviews with cluster managers, 2019)'
        for en, ru in _REMARKS_RU.items():
            rest = rest.replace(en, ru)
        return (("раздел " if m.group(1) == "section" else "разделы ") + ", ".join(titles[:-1])
                + (" и " if len(titles) > 1 else "") + titles[-1] + rest)
    for pattern, repl in _PLACE_RU:
        if re.fullmatch(pattern, part):
            return re.sub(pattern, repl, part).replace(" and ", " и ")
    return part


def _places(places: list[str]) -> str:
    """Places in one work: 'Figure 7 and Figure 8', or with '; ' when a place has commas of its own.
    A work cited as a whole (an empty locator) adds no place."""
    places = [place(p) for p in dict.fromkeys(places) if p]
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
    items = [work(names, ref_id, base=base) + (f", {md_escape(place(p.group(1)))}" if p else "")
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
    return f"{text}, {say('citing', 'со ссылкой на')} {quoted}" if quoted else text


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
                     + (f", {say('citing', 'со ссылкой на')} {listing(also, serial=any(', p' in a or ', с' in a for a in also[:-1]))}"
                        if also else ""))
    parts += [ours] if ours else []
    if bare:
        return "; ".join(parts)
    if len(parts) > 1:
        return say("Sources: ", "Источники: ") + "; ".join(parts) + "."
    return say("Source: ", "Источник: ") + "; ".join(parts) + "."
