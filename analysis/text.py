"""Turning values into the words readers see, the same way everywhere.

Chapters, cluster profiles, the Best-Practice Collection and the data changelog all use
these functions, so a value, a qualifier or a country reads the same on every page. Only
pandas is needed here (no Altair or IPython), so any layer may import it.
"""

from __future__ import annotations

import re

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

_CURRENCIES = ("USD ", "RUB ", "EUR ")


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
    """A value with its qualifier and unit, as a reader says it: 'more than 70,000 people', 'USD 13.8 billion',
    'about 55%'. Years read as years (2003), counts and ranks need no unit word."""
    q = QUALIFIERS.get(qualifier or "exact", "")
    if unit_label == "year" and not pd.isna(value):
        return q + "-".join(str(int(v)) for v in (value, high) if v is not None and not pd.isna(v))
    shown = num(value, digits) + (f"-{num(high, digits)}" if high is not None and not pd.isna(high) else "")
    if unit_label in ("%", "percent"):
        return f"{q}{shown}%"
    if isinstance(unit_label, str) and unit_label[:4] in _CURRENCIES:
        return f"{q}{unit_label[:3]} {shown} {unit_label[4:]}"
    if unit_label in ("rank", "count", ""):
        return f"{q}{shown}"
    return f"{q}{shown} {unit_label}"


def listing(items, *, serial: bool = False) -> str:
    """'a, b and c'; with `serial`, 'a, b, and c' (for items that contain 'and' themselves)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + (", and " if serial else " and ") + items[-1]


def lower(label: str) -> str:
    """A label for the middle of a sentence: 'new materials', but 'ICT and electronics'."""
    return label if label.split()[0].isupper() else label[0].lower() + label[1:]


def cite(source_name: str, locator: str, cited_work=None) -> str:
    """'Kutsenko (2015), 002 Figure 1', plus 'citing ...' when the source quotes another work."""
    text = f"{source_name}, {locator}"
    return f"{text}, citing {cited_work}" if cited_work is not None and not pd.isna(cited_work) and cited_work else text


def doc(locator: str) -> str:
    """'002 fn 12' -> 'document 002, fn 12' (a locator from the data, for prose and tables)."""
    head, _, rest = str(locator).partition(" ")
    return f"document {head}, {rest}" if rest else f"document {head}"


def docs(locators) -> str:
    """Several locators, grouped by document: 'document 001, Table 1 and Table 2'."""
    by: dict[str, list[str]] = {}
    for loc in locators:
        head, _, rest = str(loc).partition(" ")
        by.setdefault(head, []).append(rest)
    return "; ".join(f"document {h}, " + " and ".join(dict.fromkeys(r)) for h, r in by.items())
