"""The catalogue of figures: each id wires indicator functions to a chart function.

Chapters, the gallery and the tests all build figures through `build(ds, id)`, so a
figure looks the same wherever it appears. Each figure's source line is written from the
source, locator and cited works of the data rows it draws (`analysis.text.source_line`), so
its provenance is declared once, in the data; the chapter prints it under the chart.
"""

from __future__ import annotations

from typing import Callable

import altair as alt
import pandas as pd

from analysis import charts as C
from analysis import indicators as I
from analysis.data import Dataset
from analysis import text
from analysis.text import cite, say, source_line

#: The columns that say where a row comes from.
PROVENANCE = ["source", "locator", "cites", "cited_work"]


def _refs(rows: pd.DataFrame) -> list[tuple]:
    present = rows.reindex(columns=PROVENANCE)
    return [tuple(r) for r in present.itertuples(index=False)]


def _names(ds: Dataset) -> dict[str, str]:
    refs = ds["references"]
    return dict(zip(refs["id"], refs["short_name"]))


def _src(ds: Dataset, *frames: pd.DataFrame, ours: str = "") -> str:
    """The source line of the rows a figure draws, each work linked to its entry in the References."""
    return source_line(_names(ds), [ref for frame in frames for ref in _refs(frame)], ours=ours)


def _where(ds: Dataset, rows: pd.DataFrame) -> pd.DataFrame:
    """The rows with each locator named with its work ('Kutsenko (2015), footnote 12'), as tooltips and the
    chart's data show it: a locator alone does not say which document it is in."""
    names = _names(ds)
    located = rows["source"].notna() & rows["locator"].notna()
    return rows.assign(locator=[cite(names, s, loc, link=False) if ok else loc
                                for s, loc, ok in zip(rows["source"], rows["locator"], located)])


def _distributions(ds: Dataset, *ids: str) -> pd.DataFrame:
    d = ds["distributions"]
    return d[d["distribution"].isin(ids)]


def _benchmarks(ds: Dataset, *ids: str) -> pd.DataFrame:
    b = ds["benchmarks"]
    return b[b["id"].isin(ids)]


def _works(rows: pd.DataFrame) -> pd.DataFrame:
    """The works rows cite, each as a whole: for a figure whose rows cite too many places to list."""
    return rows[["source"]].dropna().drop_duplicates().assign(locator="")


def _observations(ds: Dataset, entities, indicators=None) -> pd.DataFrame:
    if indicators is None:
        return ds.observation_rows(entity=entities)
    return ds.observation_rows(entity=entities, indicator=indicators)


def _critical_mass(ds):
    return C.critical_mass(I.participants_by_industry(ds), I.critical_mass_references(ds),
                           source=_src(ds, _distributions(ds, "ru-participants-by-industry"),
                                       _benchmarks(ds, "critical-mass-minimum", "global-average-participants", "critical-mass-high")))


def _sme(ds):
    return C.sme_shares(I.sme_shares(ds), source=_src(ds, _observations(ds, ["ru-pilots"], ["sme_share", "sme_share_excl_ict"]),
                                                      _benchmarks(ds, "sme-majority")))


def _funding(ds):
    return C.funding_comparison(I.funding_comparison(ds), source=_src(ds, _distributions(ds, "ru-funding-sources", "world-funding-structure"),
                                                                      ours=say("the shared categories are ours", "общие категории введены нами")))


def _status(ds):
    d = I.specialist_org_status(ds)
    top = d.sort_values("value", ascending=False).iloc[0]
    shares = "; ".join(f"{r['label']} {C._fmt(r['value'])}%" for _, r in d.iterrows())
    return C.share_bars(
        d, chart_id="specialist-org-status",
        title=say("Most specialist organisations are regional development institutes",
                  "Большинство специализированных организаций — региональные институты развития"),
        subtitle=say("Status of the specialist organisations of Russian pilot clusters (% of organisations surveyed, end of 2013)",
                     "Статус специализированных организаций российских пилотных кластеров (% опрошенных организаций, конец 2013 года)"),
        description=say("Bars show what kind of body serves as the specialist organisation of Russian pilot clusters: "
                        + shares + f". The largest group is {top['label'].lower()}.",
                        "Столбцы показывают, какие организации выполняют функции специализированной организации российских "
                        f"пилотных кластеров: {shares}. Самая многочисленная группа — «{top['label']}»."),
        source=_src(ds, _distributions(ds, "ru-specialist-org-status")))


def _boards(ds):
    d = I.board_composition(ds)
    return C.share_bars(
        d, chart_id="board-composition", side="World", highlight="business", unit_title=say("% of board seats", "% мест в совете"),
        title=say("Worldwide, business holds most board seats of cluster organisations",
                  "В мире большинство мест в советах кластерных организаций принадлежит бизнесу"),
        subtitle=say("Composition of the supervisory boards of cluster organisations (2012 global survey)",
                     "Состав наблюдательных советов кластерных организаций (глобальный опрос 2012 года)"),
        description=say("Bars show the share of supervisory board seats of cluster organisations worldwide: ",
                        "Столбцы показывают доли мест в наблюдательных советах кластерных организаций в мире: ")
        + "; ".join(f"{r['label']} {C._fmt(r['value'])}%" for _, r in d.iterrows()) + ".",
        source=_src(ds, _distributions(ds, "world-board-composition")))


def _mechanisms(ds):
    d = I.governance_mechanisms(ds)
    known, unread = d[d["value"].notna()], int(d["value"].isna().sum())
    return C.share_bars(
        d, chart_id="governance-mechanisms", unit_title=say("Number of pilot clusters", "Число пилотных кластеров"),
        title=say("Participants choose the organisation on paper; the state often names its director",
                  "Формально организацию выбирают участники, но её руководителя нередко назначает государство"),
        subtitle=say("Mechanisms that give participants and the state a say in specialist organisations (clusters; several answers allowed). "
                     "Faded bars are doubtful readings",
                     "Механизмы участия участников кластера и государства в управлении специализированными организациями (число кластеров; "
                     "возможно несколько ответов). Бледные столбцы — значения, прочитанные с сомнением"),
        description=say("Bars count the pilot clusters using each mechanism: ", "Столбцы показывают число пилотных кластеров, применяющих каждый механизм: ")
        + "; ".join(f"{r['label']}: {C._fmt(r['value'])}" for _, r in known.iterrows())
        + say(f". {unread} values cannot be read from the source and are shown as not readable.",
              f". {unread} {text.plural(unread, 'значение не удаётся|значения не удаётся|значений не удаётся')} прочитать в источнике; "
              "они отмечены надписью «не читается»."),
        source=_src(ds, _distributions(ds, "ru-governance-mechanisms")))


def _gap(ds):
    many = I.MANY_CLUSTERS
    return C.specialisation_gap(I.specialisation_gap(ds, many), many=many,
                                source=_src(ds, _distributions(ds, "world-clusters-by-field"), ours=say("the pilots' fields are our mapping", "отнесение пилотных кластеров к отраслям выполнено нами")))


def _scorecard(ds):
    return C.scorecard_heatmap(_where(ds, I.scorecard_matrix(ds)), I.scores(ds),
                               source=_src(ds, pd.DataFrame([{"source": ds.signs.source, "locator": ds.signs.locator}]),
                                           _works(ds["assessments"]),
                                           ours=say("each cell's place in the sources is given in the cluster profiles; the scoring rules are ours",
                                               "место каждой ячейки в источниках указано в профилях кластеров; правила оценки разработаны нами")))


#: The indicators the normalised figures are computed from (`indicators.normalised_figures`).
NORMALISED_INPUTS = ("employees", "organisations", "companies", "participants", "residents", "export_share_of_sales", "patents_granted")


def _foreign(ds):
    figures = I.normalised_figures(ds)
    return C.foreign_figures(figures, source=_src(ds, _observations(ds, figures["entity"].unique(), NORMALISED_INPUTS),
                                                  ours=say("the ratios are ours", "соотношения рассчитаны нами")))


def _factors(ds):
    return C.factor_matrix(I.factor_matrix(ds), I.factor_overlap(ds),
                           source=_src(ds, ds["preconditions"], ours=say("the mapping onto shared factors is ours", "сведение к общим факторам выполнено нами")))


def _timeline(ds):
    events = I.policy_timeline(ds)
    return C.policy_timeline(_where(ds, events), source=_src(ds, events))


#: Where the country outlines come from (the boundary file carries no source of its own).
OUTLINES = "natural-earth"


def _map_source(ds):
    """The coordinates' source (whole work, no place in it) and the outlines'."""
    return _src(ds, _works(ds["cluster_locations"]), pd.DataFrame([{"source": OUTLINES, "locator": ""}]))


def _map(ds):
    return C.cluster_map(I.cluster_locations(ds), ds.boundaries, source=_map_source(ds))


def _directory_map(ds):
    return C.directory_map(I.cluster_locations(ds), ds.boundaries, source=_map_source(ds))


def _russia_map(ds):
    return C.russia_map(I.cluster_locations(ds), ds.boundaries, source=_map_source(ds))


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
    "directory-map": _directory_map,
}


def build(ds: Dataset, figure_id: str, lang: str = "en") -> alt.TopLevelMixin:
    """The chart for a figure id, with its words in `lang` (pass the data in that language too:
    `analysis.data.language.localized`)."""
    if figure_id not in FIGURES:
        raise KeyError(f"unknown figure '{figure_id}'; known: {', '.join(FIGURES)}")
    with text.speaking(lang, text.units() if lang == text.language() else None):
        return FIGURES[figure_id](ds)
