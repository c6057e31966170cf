"""The catalogue of figures: each id wires indicator functions to a chart function.

Chapters, the gallery and the tests all build figures through `build(ds, id)`, so a
figure looks the same wherever it appears.
"""

from __future__ import annotations

from typing import Callable

import altair as alt

from analysis import charts as C
from analysis import indicators as I
from analysis.data import Dataset


def _src(ds: Dataset, *refs: tuple[str, str]) -> str:
    return I.source_note(ds, *refs)


K = "kutsenko-2015"


def _critical_mass(ds):
    return C.critical_mass(I.participants_by_industry(ds), I.critical_mass_references(ds),
                           source=_src(ds, (K, "002 Figure 1 (Russia)"), (K, "002 section 'Critical mass of core companies' (references, citing CLOE 2004, Pamminger 2014, Lindqvist et al. 2013)")))


def _sme(ds):
    return C.sme_shares(I.sme_shares(ds), source=_src(ds, (K, "002 section 'Dominance of private initiatives' and Figure 9")))


def _funding(ds):
    return C.funding_comparison(I.funding_comparison(ds), source=_src(ds, (K, "002 Figure 7 (Russia)"), (K, "002 Figure 8 (world, citing Lindqvist et al. 2013)"), ("cb-reference-list", "category mapping: data/category_maps.csv")))


def _status(ds):
    d = I.specialist_org_status(ds)
    top = d.sort_values("value", ascending=False).iloc[0]
    return C.share_bars(
        d, chart_id="specialist-org-status",
        title="Most specialist organisations are regional development institutes",
        subtitle="Status of the specialist organisations of Russian pilot clusters (% of organisations surveyed, end of 2013)",
        description="Bars show what kind of body serves as the specialist organisation of Russian pilot clusters: "
        + "; ".join(f"{r['label']} {C._fmt(r['value'])}%" for _, r in d.iterrows()) + f". The largest group is {top['label'].lower()}.",
        source=_src(ds, (K, "002 Figure 4")))


def _boards(ds):
    d = I.board_composition(ds)
    return C.share_bars(
        d, chart_id="board-composition", side="World", highlight="business", unit_title="% of board seats",
        title="Worldwide, business holds most board seats of cluster organisations",
        subtitle="Composition of the supervisory boards of cluster organisations (2012 global survey)",
        description="Bars show the share of supervisory board seats of cluster organisations worldwide: "
        + "; ".join(f"{r['label']} {C._fmt(r['value'])}%" for _, r in d.iterrows()) + ".",
        source=_src(ds, (K, "002 Figure 6, citing Lindqvist et al. 2013")))


def _mechanisms(ds):
    d = I.governance_mechanisms(ds)
    known = d[d["value"].notna()]
    return C.share_bars(
        d, chart_id="governance-mechanisms", unit_title="Number of pilot clusters",
        title="Participants choose the organisation on paper; the state often names its director",
        subtitle="Mechanisms that give participants and the state a say in specialist organisations (clusters; several answers allowed). Faded bars are doubtful readings",
        description="Bars count the pilot clusters using each mechanism: "
        + "; ".join(f"{r['label']}: {C._fmt(r['value'])}" for _, r in known.iterrows())
        + f". {int(d['value'].isna().sum())} values cannot be read from the source and are shown as not readable.",
        source=_src(ds, (K, "002 Figure 5")))


def _gap(ds):
    many = I.MANY_CLUSTERS
    return C.specialisation_gap(I.specialisation_gap(ds, many), many=many,
                                source=_src(ds, (K, "002 Figure 2, citing Lindqvist et al. 2013, p. 14"), ("cb-reference-list", "pilot fields: data/cluster_fields.csv")))


def _scorecard(ds):
    return C.scorecard_heatmap(I.scorecard_matrix(ds), I.scores(ds),
                               source=_src(ds, (K, "002 Figure 15 and sections on each sign"), ("anon-2020-success-factors", "001 Perm and Kama cases"), ("cb-reference-list", "rules: data/scorecard.yml")))


def _foreign(ds):
    return C.foreign_figures(I.normalised_figures(ds), source=_src(ds, ("anon-2020-success-factors", "001 section 'Case Analysis of Cluster Initiatives Development in Advanced Economies'")))


def _factors(ds):
    return C.factor_matrix(I.factor_matrix(ds), I.factor_overlap(ds), source=_src(ds, ("anon-2020-success-factors", "001 Table 1 and Table 2")))


def _timeline(ds):
    events = I.policy_timeline(ds)
    refs = [(r["source"], r["locator"]) for _, r in events.iterrows()]
    return C.policy_timeline(events, source=_src(ds, *refs))


def _map(ds):
    return C.cluster_map(I.cluster_locations(ds), ds.boundaries, source=_src(ds, ("cb-geo", "approximate city coordinates"), ("natural-earth", "country outlines")))


def _russia_map(ds):
    return C.russia_map(I.cluster_locations(ds), ds.boundaries, source=_src(ds, ("cb-geo", "approximate city coordinates"), ("natural-earth", "country outlines")))


FIGURES: dict[str, Callable[[Dataset], alt.TopLevelMixin]] = {
    "critical-mass": _critical_mass,
    "sme-shares": _sme,
    "board-composition": _boards,
    "specialist-org-status": _status,
    "governance-mechanisms": _mechanisms,
    "funding-comparison": _funding,
    "specialisation-gap": _gap,
    "scorecard": _scorecard,
    "foreign-figures": _foreign,
    "success-factors": _factors,
    "policy-timeline": _timeline,
    "cluster-map": _map,
    "russia-map": _russia_map,
}


def build(ds: Dataset, figure_id: str) -> alt.TopLevelMixin:
    """The chart for a figure id."""
    try:
        return FIGURES[figure_id](ds)
    except KeyError:
        raise KeyError(f"unknown figure '{figure_id}'; known: {', '.join(FIGURES)}") from None
