"""A cluster's figure against a benchmark: meets, below, above or can't tell, and the scope that was checked.

Plain values only (codes and numbers), so profile pages, the compare tool and tests read the same verdict;
`label` and `reason` say a verdict and its reason in the language spoken.
A benchmark is only ever set against a figure of the same scope, the same measure and the same unit:
a benchmark for cluster initiatives says nothing about a whole regional industry.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.indicators import _verdict as interval_verdict
from analysis.text import say

MEETS, BELOW, ABOVE, CANT_TELL = "meets", "below", "above", "cant_tell"
#: Verdicts as readers read them.
VERDICT_LABELS = {MEETS: "Meets", BELOW: "Below", ABOVE: "Above", CANT_TELL: "Can't tell"}
#: A symbol beside each verdict's word, so no verdict rests on colour or position alone.
VERDICT_SYMBOLS = {MEETS: "●", BELOW: "▼", ABOVE: "▲", CANT_TELL: "?"}
#: Why a comparison decides nothing, as readers read it.
REASONS = {
    "different_scope": "different scope",
    "different_measure": "counts other organisations than the benchmark",
    "different_unit": "different unit",
    "part_only": "the figure covers part of the cluster",
    "no_value": "the value cannot be read in the source",
    "ambiguous": "the value is ambiguous in the source",
    "imprecise": "the value is not precise enough to decide",
    "within_range": "the value is within the benchmark's range",
}
#: The verdicts and reasons in the Russian edition.
VERDICT_LABELS_RU = {MEETS: "Соответствует", BELOW: "Ниже", ABOVE: "Выше", CANT_TELL: "Нельзя определить"}
REASONS_RU = {
    "different_scope": "разный охват",
    "different_measure": "учитываются иные организации, чем в ориентире",
    "different_unit": "разные единицы измерения",
    "part_only": "показатель относится к части кластера",
    "no_value": "значение в источнике прочитать нельзя",
    "ambiguous": "значение в источнике неоднозначно",
    "imprecise": "значение недостаточно точно для вывода",
    "within_range": "значение в пределах диапазона ориентира",
}


def label(verdict: str) -> str:
    """A verdict as readers read it, in the language spoken: 'Meets', «Соответствует»."""
    return say(VERDICT_LABELS[verdict], VERDICT_LABELS_RU[verdict])


def reason(code: str) -> str:
    """Why a comparison decides nothing, in the language spoken."""
    return say(REASONS[code], REASONS_RU[code])


#: Counts of a cluster's organisations other than its official participants (the note of the indicator
#: 'participants' names them). They look like a size benchmark's measure but count something else, so they
#: are shown beside the size benchmarks as "can't tell", never decided.
SAME_LOOKING = {"participants": ("organisations", "companies", "residents")}


@dataclass(frozen=True)
class Verdict:
    """One comparison: the verdict code, why it could not decide (a `REASONS` key, or '') and both scopes."""

    verdict: str
    reason: str
    figure_scope: str
    benchmark_scope: str


def benchmarks_for(indicator: str, benchmarks: pd.DataFrame) -> pd.DataFrame:
    """The benchmarks a figure of `indicator` is shown against: its own, and those it only looks like."""
    own = benchmarks["indicator"] == indicator
    looks_like = benchmarks["indicator"].map(lambda i: indicator in SAME_LOOKING.get(i, ()))
    return benchmarks[own | looks_like]


def _undecidable(figure: pd.Series, benchmark: pd.Series) -> str:
    """Why the figure cannot be set against the benchmark at all ('' when it can)."""
    if figure["scope"] != benchmark["applies_to"]:
        return "different_scope"
    if figure["indicator"] != benchmark["indicator"]:
        return "different_measure"
    if figure["unit"] != benchmark["unit"]:
        return "different_unit"
    if pd.notna(figure.get("breakdown")):
        return "part_only"
    if pd.isna(figure["value"]):
        return "no_value"
    if figure["quality"] == "ambiguous":
        return "ambiguous"
    return ""


def _position(figure: pd.Series, benchmark: pd.Series) -> str:
    """Where every value the figure allows lies against the benchmark's mark: 'over', 'under', 'within' its
    range, or 'unknown' when the values it allows lie on both sides.

    The figure's qualifier is read as the scorecard reads it (`indicators._verdict`): 'about' never decides,
    a bound decides only from the right side. A range is a minimum that the sources place somewhere inside it
    ('at least 30-50 organisations'), an average a reference point: both are marks to reach.
    """
    value, qualifier, high, comparator = figure["value"], figure["qualifier"], figure["value_high"], benchmark["comparator"]
    if comparator == "range":
        top = interval_verdict(value, qualifier, high, "at_least", benchmark["value_high"])
        if top == "meets":
            return "over"
        floor = interval_verdict(value, qualifier, high, "at_least", benchmark["value"])
        return {"fails": "under", "meets": "within" if top == "fails" else "unknown"}.get(floor, "unknown")
    side = interval_verdict(value, qualifier, high, "at_least" if comparator == "average" else comparator, benchmark["value"])
    if comparator == "less_than":  # a ceiling: meeting it means lying under it
        return {"meets": "under", "fails": "over"}.get(side, "unknown")
    return {"meets": "over", "fails": "under"}.get(side, "unknown")


def compare(figure: pd.Series, benchmark: pd.Series, direction: str) -> Verdict:
    """The verdict on one figure (an observations row) against one benchmark (a benchmarks row).

    A floor (at least, more than, a range, an average) is met from above, a ceiling (less than) from below.
    For an indicator with no better direction (`direction` 'neutral') the verdict only says where the figure
    lies: 'above' instead of 'meets'.
    """
    scopes = (figure["scope"], benchmark["applies_to"])
    reason = _undecidable(figure, benchmark)
    if reason:
        return Verdict(CANT_TELL, reason, *scopes)
    position = _position(figure, benchmark)
    if position in ("within", "unknown"):
        return Verdict(CANT_TELL, "within_range" if position == "within" else "imprecise", *scopes)
    if benchmark["comparator"] == "less_than":
        return Verdict(MEETS if position == "under" else ABOVE, "", *scopes)
    if position == "under":
        return Verdict(BELOW, "", *scopes)
    return Verdict(ABOVE if direction == "neutral" else MEETS, "", *scopes)
