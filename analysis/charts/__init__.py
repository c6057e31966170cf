"""Altair chart functions: DataFrames in, charts out.

Every chart gets a title, a description (used as alt text), tooltips and a source
note drawn inside the image, so a PNG lifted out of the report still says where its
numbers come from. Interaction parameters and views carry fixed names so specs are
identical from run to run. Colours come from `analysis.charts.theme` only.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.charts import theme as T

T.register()

WIDTH = T.SIZES["width"]


def finish(chart: alt.TopLevelMixin, *, chart_id: str, title: str, subtitle: str | list[str] | None,
           description: str, source: str, data: pd.DataFrame) -> alt.VConcatChart:
    """Wrap a chart with its title, alt text and a source note at the bottom.

    `data` is the tidy table the chart shows; its columns are recorded so the table can be
    exported as CSV from the chart alone (`analysis.charts.export.chart_data`).
    """
    inner = chart.properties(title=alt.Title(title, subtitle=subtitle or ""))
    return alt.vconcat(inner).properties(
        description=description,
        title=alt.Title(wrap(source), orient="bottom", anchor="start", fontSize=T.SIZES["note"],
                        fontWeight=400, color=T.MUTED, offset=12),
        usermeta={"id": chart_id, "title": title, "source": source, "description": description,
                  "data_columns": [str(c) for c in data.columns]},
    )


def wrap(text: str, width: int = 120) -> list[str]:
    """Break a long note into lines at word boundaries, so a source note never widens a chart."""
    import textwrap

    return textwrap.wrap(text, width=width, break_long_words=False) or [""]


def _order(d: pd.DataFrame, label: str, by: str) -> list[str]:
    """Labels sorted by a value, largest first; explicit lists sort reliably across layers."""
    return list(d.sort_values([by, label], ascending=[False, True])[label])


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"


# --- critical mass ---------------------------------------------------------------------


def critical_mass(by_industry: pd.DataFrame, references: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """Average participants per industry as bars, with the 30-50 band and the 80 and 100 lines."""
    hover = alt.selection_point(name="hover_industry", on="pointerover", fields=["industry"], empty=False)
    band_row = references[references["value_high"].notna()].iloc[0]
    lines = references[references["value_high"].isna()].copy()
    lines["text"] = [f"{short}: {_fmt(v)}" for short, v in zip(("Global average", "Higher estimate"), lines["value"])]
    lines["side"] = ["left", "right"][: len(lines)]
    top = by_industry.loc[by_industry["participants_avg"].idxmax()]
    bottom = by_industry.loc[by_industry["participants_avg"].idxmin()]
    y = alt.Y("industry:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360))
    band = alt.Chart(pd.DataFrame([{"low": band_row["value"], "high": band_row["value_high"],
                                    "label": f"Minimum critical mass: {_fmt(band_row['value'])}-{_fmt(band_row['value_high'])}"}])).mark_rect(
        color=T.OKABE_ITO["green"], opacity=0.14
    ).encode(x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N", title="Reference")])
    band_text = band.mark_text(align="left", dx=2, dy=-8, fontSize=T.SIZES["note"], color=T.MUTED).encode(
        x="low:Q", y=alt.value(0), text="label:N")
    bars = alt.Chart(by_industry).mark_bar(color=T.SIDE_COLOURS["Russia"], height={"band": 0.7}).encode(
        x=alt.X("participants_avg:Q", title="Average official participants per cluster", scale=alt.Scale(domain=[0, 110])),
        y=y,
        opacity=alt.condition(hover, alt.value(1), alt.value(0.8)),
        tooltip=[
            alt.Tooltip("industry:N", title="Industry"),
            alt.Tooltip("participants_avg:Q", title="Average participants"),
            alt.Tooltip("share_of_global_avg:Q", title="% of the global average"),
            alt.Tooltip("position:N", title="Against the references"),
        ],
    ).add_params(hover)
    values = bars.mark_text(align="left", dx=4, color=T.INK).encode(text=alt.Text("participants_avg:Q", format=".0f"), opacity=alt.value(1))
    rules = alt.Chart(lines).mark_rule(color=T.REFERENCE, strokeDash=[4, 3]).encode(
        x="value:Q", tooltip=[alt.Tooltip("label:N", title="Reference"), alt.Tooltip("value:Q"), alt.Tooltip("cited_work:N", title="Cited work")])
    rule_text = alt.layer(*[
        rules.transform_filter(alt.datum.side == side).mark_text(
            align="right" if side == "left" else "left", dx=-4 if side == "left" else 4, dy=-8,
            fontSize=T.SIZES["note"], color=T.REFERENCE).encode(y=alt.value(0), text="text:N")
        for side in ("left", "right")
    ])
    chart = alt.layer(band, bars, values, rules, rule_text, band_text).properties(width=WIDTH, height=230, name="critical_mass")
    return finish(
        chart, chart_id="critical-mass",
        title="Russian pilot clusters are below the critical mass of world practice",
        subtitle="Average official participants per pilot cluster by industry, against international references",
        description=(
            f"Horizontal bars show the average number of official participants per Russian pilot cluster in {len(by_industry)} industries, "
            f"from {_fmt(top['participants_avg'])} in {top['industry']} down to {_fmt(bottom['participants_avg'])} in {bottom['industry']}. "
            f"A shaded band marks the {_fmt(band_row['value'])} to {_fmt(band_row['value_high'])} minimum critical mass, and dashed lines mark "
            + " and ".join(f"{r['label'].split(' (')[0].lower()} ({_fmt(r['value'])})" for _, r in lines.iterrows()) + "."
        ),
        source=source, data=by_industry,
    )


def sme_shares(sme: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """SME share of participants in Russian pilots against the European majority line."""
    observed = sme[sme["kind"] == "observed"]
    ref = sme[sme["kind"] == "benchmark"].assign(text=lambda d: d["measure"])
    bars = alt.Chart(observed).mark_bar(color=T.SIDE_COLOURS["Russia"], height={"band": 0.6}).encode(
        x=alt.X("value:Q", title="SMEs as % of all participants", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("measure:N", title=None, sort=None),
        tooltip=[alt.Tooltip("measure:N", title="Measure"), alt.Tooltip("value:Q", title="% SMEs")],
    )
    labels = bars.mark_text(align="left", dx=4, color=T.INK).encode(text=alt.Text("value:Q", format=".0f"))
    rule = alt.Chart(ref).mark_rule(color=T.SIDE_COLOURS["World"], strokeDash=[4, 3], size=2).encode(
        x="value:Q", tooltip=[alt.Tooltip("measure:N", title="Reference"), alt.Tooltip("value:Q", title="%")])
    rule_text = rule.mark_text(align="left", dx=4, dy=-8, color=T.SIDE_COLOURS["World"], fontSize=T.SIZES["note"]).encode(
        y=alt.value(0), text="text:N")
    chart = alt.layer(bars, labels, rule, rule_text).properties(width=WIDTH, height=110, name="sme_shares")
    return finish(
        chart, chart_id="sme-shares",
        title="SMEs are a minority of pilot cluster participants",
        subtitle="Share of small and medium enterprises among official participants, 2012 programmes",
        description=(
            "Bars show the SME share of participants: "
            + "; ".join(f"{r['measure']}: {_fmt(r['value'])}%" for _, r in observed.iterrows())
            + f". A dashed line at {_fmt(ref.iloc[0]['value'])}% marks the European model, in which SMEs are the majority of participants."
        ),
        source=source, data=sme,
    )


# --- governance and funding ------------------------------------------------------------


def share_bars(df: pd.DataFrame, *, chart_id: str, title: str, subtitle: str, description: str, source: str,
               side: str = "Russia", unit_title: str = "% of specialist organisations", highlight: str | None = None) -> alt.VConcatChart:
    """Horizontal bars of one distribution's categories, largest first; ambiguous values are faded."""
    d = df.copy()
    d["shown"] = d["value"].fillna(0)
    d["value_text"] = d.apply(lambda r: "not readable" if pd.isna(r["value"]) else _fmt(r["value"]) + (" ?" if r.get("quality") == "ambiguous" else ""), axis=1)
    d["emphasis"] = d["category"].eq(highlight) if highlight else True
    d["sort_key"] = d["value"].fillna(-1)  # unreadable values go last
    hover = alt.selection_point(name=f"hover_{chart_id.replace('-', '_')}", on="pointerover", fields=["label"], empty=False)
    colour = T.SIDE_COLOURS[side]
    base = alt.Chart(d).encode(y=alt.Y("label:N", sort=_order(d, "label", "sort_key"), title=None, axis=alt.Axis(labelLimit=520)))
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("shown:Q", title=unit_title),
        color=alt.condition("datum.emphasis", alt.value(colour), alt.value(T.NEUTRAL)),
        opacity=alt.when(hover).then(alt.value(1)).when(alt.datum.quality == "ambiguous").then(alt.value(0.45)).otherwise(alt.value(0.85)),
        stroke=alt.condition(hover, alt.value(T.INK), alt.value(None)),
        tooltip=[alt.Tooltip("label:N", title="Category"), alt.Tooltip("value_text:N", title="Value"),
                 alt.Tooltip("quality:N", title="Quality")],
    ).add_params(hover)
    text = base.mark_text(align="left", dx=4, color=T.INK).encode(x="shown:Q", text="value_text:N")
    chart = alt.layer(bars, text).properties(width=WIDTH - 180, height=max(90, 26 * len(d)), name=chart_id.replace("-", "_"))
    return finish(chart, chart_id=chart_id, title=title, subtitle=subtitle, description=description, source=source, data=d)


def funding_comparison(comparison: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """Russia and the world on shared funding categories, in two panels with axes of their own.

    The two sides measure different things (`measure`): a share of responding organisations against a
    share of the budget. They are never drawn on one axis, so no bar can be read against the other.
    """
    d = comparison.copy()
    hover = alt.selection_point(name="hover_funding", on="pointerover", fields=["comparable_label"], empty=False)
    order = list(dict.fromkeys(d["comparable_label"]))
    panels = []
    for i, side in enumerate(("Russia", "World")):
        part = d[d["side"] == side]
        measure = part["measure"].iloc[0]
        base = alt.Chart(part).encode(y=alt.Y("comparable_label:N", sort=order, title=None, scale=alt.Scale(domain=order),
                                              axis=alt.Axis(labelLimit=300) if i == 0 else None))
        bars = base.mark_bar(height={"band": 0.6}, color=T.SIDE_COLOURS[side]).encode(
            x=alt.X("value:Q", title=f"{measure[0].upper()}{measure[1:]} (%)", scale=alt.Scale(domain=[0, 100])),
            opacity=alt.condition(hover, alt.value(1), alt.value(0.85)),
            tooltip=[alt.Tooltip("side:N", title="Side"), alt.Tooltip("comparable_label:N", title="Category"),
                     alt.Tooltip("value:Q", title="%"), alt.Tooltip("categories:N", title="Source categories"),
                     alt.Tooltip("measure:N", title="What the % measures")],
        )
        if i == 0:
            bars = bars.add_params(hover)
        text = base.mark_text(align="left", dx=3, fontSize=T.SIZES["note"], color=T.INK).encode(
            x="value:Q", text=alt.Text("value:Q", format=".1f"))
        panels.append(alt.layer(bars, text).properties(
            width=(WIDTH - 260) // 2, height=220, name=f"funding_{side.lower()}",
            title=alt.Title(side, anchor="start", fontSize=T.SIZES["note"] + 1)))
    chart = alt.hconcat(*panels, spacing=24)
    return finish(
        chart, chart_id="funding-comparison",
        title="Public money dominates the funding of Russian cluster organisations",
        subtitle=["The two panels measure different things and are not drawn on one axis.",
                  "Russia: share of responding specialist organisations naming each source (2013 survey). "
                  "World: share of the budget of cluster organisations (2012 global survey)."],
        description=(
            "Two panels of bars on shared funding categories, one for Russia and one for the world, each on its own axis because they measure "
            "different things. Russia, share of responding specialist organisations naming each source: "
            + "; ".join(f"{r['comparable_label']} {_fmt(r['value'])}%" for _, r in d[d["side"] == "Russia"].iterrows())
            + ". World, share of the budget of cluster organisations: "
            + "; ".join(f"{r['comparable_label']} {_fmt(r['value'])}%" for _, r in d[d["side"] == "World"].iterrows())
            + ". A share of organisations says nothing about how much of the money comes from a source."
        ),
        source=source, data=comparison,
    )


# --- specialisation --------------------------------------------------------------------

GAP_COLOURS = {
    "Russian pilots present": T.SIDE_COLOURS["Russia"],
    "Many clusters worldwide, no Russian pilot": T.OKABE_ITO["blue"],
    "Few clusters worldwide, no Russian pilot": T.NEUTRAL,
}


def specialisation_gap(gap: pd.DataFrame, *, source: str, many: int) -> alt.VConcatChart:
    """Global clusters by field, coloured by whether Russian pilots work in the field."""
    d = gap.copy()
    d["value_text"] = d.apply(lambda r: _fmt(r["world_clusters"]) + (" ?" if r["quality"] == "ambiguous" else ""), axis=1)
    d["pilots_text"] = d["pilot_names"].replace("", "none")
    d["source_reserve"] = d["named_by_source"].map({True: "yes", False: "no"})
    lead = d.loc[d["world_clusters"].idxmax()]
    hover = alt.selection_point(name="hover_field", on="pointerover", fields=["label"], empty=False)
    base = alt.Chart(d).encode(y=alt.Y("label:N", sort=_order(d, "label", "world_clusters"), title=None))
    bars = base.mark_bar(height={"band": 0.75}).encode(
        x=alt.X("world_clusters:Q", title="Cluster initiatives worldwide (2012 global survey)"),
        color=alt.Color("status:N", scale=alt.Scale(domain=list(GAP_COLOURS), range=list(GAP_COLOURS.values())),
                        legend=alt.Legend(title=None, columns=1, direction="vertical")),
        opacity=alt.when(hover).then(alt.value(1)).when(alt.datum.quality == "ambiguous").then(alt.value(0.5)).otherwise(alt.value(0.9)),
        stroke=alt.condition(hover, alt.value(T.INK), alt.value(None)),
        tooltip=[alt.Tooltip("label:N", title="Field"), alt.Tooltip("value_text:N", title="Clusters worldwide"),
                 alt.Tooltip("russian_pilots:Q", title="Russian pilots"), alt.Tooltip("pilots_text:N", title="Pilots"),
                 alt.Tooltip("source_reserve:N", title="Named as a reserve by the source")],
    ).add_params(hover)
    text = base.mark_text(align="left", dx=3, fontSize=T.SIZES["note"], color=T.INK).encode(x="world_clusters:Q", text="value_text:N")
    rule = alt.Chart(pd.DataFrame([{"x": many, "t": f"{many} clusters"}])).mark_rule(color=T.REFERENCE, strokeDash=[3, 3]).encode(x="x:Q")
    chart = alt.layer(bars, text, rule).properties(width=WIDTH - 160, height=29 * 16, name="specialisation_gap")
    return finish(
        chart, chart_id="specialisation-gap",
        title="Where the world builds clusters and Russia's pilots do not",
        subtitle=f"Clusters by field worldwide; blue fields have at least {many} clusters worldwide and no Russian pilot. '?' marks a value read with doubt.",
        description=(
            f"Horizontal bars list {len(d)} fields by the number of cluster initiatives worldwide, led by {lead['label']} with {_fmt(lead['world_clusters'])}. "
            "Fields where Russian pilots work are red; fields with many clusters worldwide but no Russian pilot are blue: "
            + ", ".join(d.loc[d["gap"], "label"].str.lower()) + "."
        ),
        source=source, data=gap,
    )


# --- scorecard -------------------------------------------------------------------------


def _score_bars(s: pd.DataFrame, order: list[str]) -> alt.LayerChart:
    """The score bar and rank beside each row of the scorecard grid, highlighted with the grid's cluster pick."""
    s["light_label"] = s["light"].str.capitalize()
    light_scale = alt.Scale(domain=[k.capitalize() for k in T.LIGHT_COLOURS], range=list(T.LIGHT_COLOURS.values()))
    bar = alt.Chart(s).mark_bar(height={"band": 0.7}).encode(
        x=alt.X("score:Q", title="Score (%)", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("cluster_name:N", sort=order, title=None, axis=None),
        color=alt.Color("light_label:N", scale=light_scale, legend=alt.Legend(title="Light")),
        opacity=alt.condition("(pick_cluster === 'All clusters' || datum.cluster_name === pick_cluster)", alt.value(1), alt.value(0.25)),
        tooltip=[alt.Tooltip("cluster_name:N", title="Cluster"), alt.Tooltip("rank:Q", title="Rank"),
                 alt.Tooltip("score:Q", title="Score (%)"), alt.Tooltip("coverage:Q", title="Signs with evidence (%)"),
                 alt.Tooltip("meets:Q"), alt.Tooltip("partly:Q"), alt.Tooltip("fails:Q"), alt.Tooltip("unknown:Q")],
    )
    rank = alt.Chart(s).mark_text(align="left", dx=4, fontSize=T.SIZES["note"], color=T.INK).encode(
        x="score:Q", y=alt.Y("cluster_name:N", sort=order, axis=None),
        text=alt.Text("label:N"),
    ).transform_calculate(label="'#' + datum.rank + '  ' + format(datum.score, '.0f') + '%'")
    return alt.layer(bar, rank).properties(width=150, height=25 * 19, name="scorecard_scores")


def scorecard_heatmap(matrix: pd.DataFrame, scores: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """Cluster x sign matrix of statuses, ordered by rank, with the score bar beside it."""
    order = list(scores["cluster_name"])
    d = matrix.copy()
    d["status_label"] = d["status"].map(T.STATUS_LABELS)
    d["symbol"] = d["status"].map(T.STATUS_SYMBOLS)
    d["evidence"] = d["evidence"].fillna("No evidence in the sources")
    d["where"] = d["locator"].fillna("")
    sign_order = list(d.sort_values("order")["label"].drop_duplicates())
    pick = alt.param(name="pick_cluster", value="All clusters",
                     bind=alt.binding_select(options=["All clusters"] + sorted(order), name="Highlight a cluster: "))
    hover = alt.selection_point(name="hover_cell", on="pointerover", fields=["cluster_name"], empty=False)
    focus = "(pick_cluster === 'All clusters' || datum.cluster_name === pick_cluster)"
    y = alt.Y("cluster_name:N", sort=order, title=None, axis=alt.Axis(labelLimit=420))
    status_scale = alt.Scale(domain=list(T.STATUS_LABELS.values()), range=[T.STATUS_COLOURS[k] for k in T.STATUS_LABELS])
    cells = alt.Chart(d).mark_rect(stroke="white", strokeWidth=1.5).encode(
        x=alt.X("label:N", sort=sign_order, title=None, axis=alt.Axis(orient="top", labelAngle=-45, labelLimit=260)),
        y=y,
        color=alt.Color("status_label:N", scale=status_scale, legend=alt.Legend(title="Status")),
        opacity=alt.condition(focus, alt.value(1), alt.value(0.25)),
        tooltip=[alt.Tooltip("cluster_name:N", title="Cluster"), alt.Tooltip("label:N", title="Sign"),
                 alt.Tooltip("status_label:N", title="Status"), alt.Tooltip("evidence:N", title="Evidence"),
                 alt.Tooltip("where:N", title="Where")],
    ).add_params(pick, hover)
    symbols = alt.Chart(d).mark_text(fontSize=12, color=T.INK).encode(
        x=alt.X("label:N", sort=sign_order), y=y, text="symbol:N",
        opacity=alt.condition(focus, alt.value(1), alt.value(0.3)))
    outline = alt.Chart(d).mark_rect(fill=None, stroke=T.INK, strokeWidth=1.5).encode(
        x=alt.X("label:N", sort=sign_order), y=y, opacity=alt.condition(hover, alt.value(1), alt.value(0)))
    grid = alt.layer(cells, symbols, outline).properties(width=10 * 34, height=25 * 19, name="scorecard_grid")

    s = scores.copy()
    side = _score_bars(s, order)
    chart = alt.hconcat(grid, side, spacing=8).resolve_scale(color="independent")
    return finish(
        chart, chart_id="scorecard",
        title="No pilot cluster shows most signs of sustainable development",
        subtitle="Status of each pilot on the ten signs of Kutsenko's model; grey cells have no evidence and score nothing",
        description=(
            f"A grid of {d['cluster'].nunique()} pilot clusters by {d['sign'].nunique()} signs of sustainable cluster development. "
            "Each cell is coloured and marked by status: meets, partly, fails or unknown. "
            f"{(d['status'] == 'unknown').mean() * 100:.0f}% of cells are unknown because the sources do not assess them. "
            f"A bar beside each row shows the cluster's score and rank; the highest score is {_fmt(s['score'].max())}% ({', '.join(s.loc[s['rank'] == 1, 'cluster_name'])})."
        ),
        source=source, data=matrix,
    )


# --- foreign profiles ------------------------------------------------------------------


def foreign_figures(figures: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """Normalised key figures of foreign clusters, one panel per measure."""
    d = figures.copy()
    d["value_text"] = d.apply(lambda r: ("~" if r["approximate"] else "") + _fmt(r["value"]) + (" ?" if r["quality"] == "ambiguous" else ""), axis=1)
    measures = list(dict.fromkeys(d["measure_label"]))
    first = d[d["measure_label"] == measures[0]].sort_values("value", ascending=False)
    hover = alt.selection_point(name="hover_foreign", on="pointerover", fields=["name"], empty=False)
    panels = []
    for i, measure in enumerate(measures):
        part = d[d["measure_label"] == measure]
        base = alt.Chart(part).encode(y=alt.Y("name:N", sort=_order(part, "name", "value"), title=None, axis=alt.Axis(labelLimit=300)))
        bars = base.mark_bar(height={"band": 0.7}).encode(
            x=alt.X("value:Q", title=measure),
            color=alt.Color("scope_label:N", scale=alt.Scale(domain=list(T.SCOPE_COLOURS), range=list(T.SCOPE_COLOURS.values())),
                            legend=alt.Legend(title="What the figures describe")),
            opacity=alt.condition(hover, alt.value(1), alt.value(0.85)),
            tooltip=[alt.Tooltip("name:N", title="Cluster"), alt.Tooltip("measure_label:N", title="Measure"),
                     alt.Tooltip("value_text:N", title="Value"), alt.Tooltip("formula:N", title="How it is computed"),
                     alt.Tooltip("scope_label:N", title="Scope"), alt.Tooltip("quality:N", title="Quality")],
        )
        if i == 0:
            bars = bars.add_params(hover)
        text = base.mark_text(align="left", dx=3, fontSize=T.SIZES["note"], color=T.INK).encode(x="value:Q", text="value_text:N")
        panels.append(alt.layer(bars, text).properties(width=WIDTH - 220, height=28 * len(part), name=f"foreign_{i}"))
    chart = alt.vconcat(*panels, spacing=18)
    return finish(
        chart, chart_id="foreign-figures",
        title="Foreign reference clusters: size and intensity",
        subtitle="Figures for whole industries or parks are not comparable with the participant counts of Russian initiatives. '~' marks approximate inputs",
        description=(
            f"Bars compare foreign reference clusters on {len(measures)} measures: " + "; ".join(measures).lower() + ". "
            + f"{measures[0]} ranges from {first.iloc[0]['value_text']} in {first.iloc[0]['name']} "
            + f"to {first.iloc[-1]['value_text']} in {first.iloc[-1]['name']}. "
            + "Colour says whether a figure describes a cluster initiative or a whole regional industry."
        ),
        source=source, data=figures,
    )


# --- success factors -------------------------------------------------------------------


def factor_matrix(matrix: pd.DataFrame, overlap: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """Which preconditions each country or Russian cluster names, factors ordered shared first."""
    d = matrix.copy()
    ov = overlap.copy()
    ov["rank"] = ov["overlap"].map({"shared": 0, "foreign only": 1, "Russian only": 2})
    factor_order = list(ov.sort_values(["rank", "foreign", "russian"], ascending=[True, False, False])["label"])
    d = d.merge(ov[["factor", "overlap"]], on="factor")
    subjects = list(d[d["side"] == "foreign"]["subject_label"].drop_duplicates()) + list(d[d["side"] == "russian"]["subject_label"].drop_duplicates())
    hover = alt.selection_point(name="hover_factor", on="pointerover", fields=["factor_label"], empty=False)
    cells = alt.Chart(d).mark_square(size=230).encode(
        x=alt.X("subject_label:N", sort=subjects, title=None, axis=alt.Axis(orient="top", labelAngle=-40, labelLimit=240)),
        y=alt.Y("factor_label:N", sort=factor_order, title=None, axis=alt.Axis(labelLimit=300)),
        color=alt.Color("side_label:N", scale=alt.Scale(domain=list(T.SIDE_COLOURS), range=list(T.SIDE_COLOURS.values())),
                        legend=alt.Legend(title="Named by")),
        opacity=alt.condition(hover, alt.value(1), alt.value(0.8)),
        tooltip=[alt.Tooltip("factor_label:N", title="Factor"), alt.Tooltip("subject_label:N", title="Named by"),
                 alt.Tooltip("overlap:N", title="Across the two sides"), alt.Tooltip("items:Q", title="Bullets in the source table")],
    ).add_params(hover)
    chart = cells.properties(width=26 * len(subjects), height=20 * len(factor_order), name="factor_matrix")
    return finish(
        chart, chart_id="success-factors",
        title="Foreign and Russian preconditions of cluster success",
        subtitle="Preconditions named for foreign countries and Russian clusters on one shared list of factors; factors named by both sides first",
        description=(
            f"A matrix of success factors (rows) against {len(subjects)} countries and Russian clusters (columns): {', '.join(subjects)}. "
            "A square marks each factor named as a precondition. Named on both sides: "
            + ", ".join(ov.loc[ov["overlap"] == "shared", "label"].str.lower()) + ". Only for foreign countries: "
            + ", ".join(ov.loc[ov["overlap"] == "foreign only", "label"].str.lower()) + ". Only for Russian clusters: "
            + ", ".join(ov.loc[ov["overlap"] == "Russian only", "label"].str.lower()) + "."
        ),
        source=source, data=matrix,
    )


# --- policy timeline -------------------------------------------------------------------


#: How precisely the source dates an event, as readers are told in the tooltip.
PRECISION_TEXT = {"day": "exact day", "month": "month only", "year": "year only",
                  "circa": "approximate: the year the source was written"}


def policy_timeline(events: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """Laws, orders and milestones on a time axis, one row per event.

    An event dated to the day is a dot; one the source dates only to a month or a year is a bar across that
    whole period, dashed when the year is only the source's own approximate date, so no event looks more
    precisely dated than it is.
    """
    d = events.copy()
    period = {"day": pd.DateOffset(days=0), "month": pd.DateOffset(months=1), "year": pd.DateOffset(years=1),
              "circa": pd.DateOffset(years=1)}
    d["end"] = [date + period[p] for date, p in zip(d["date"], d["date_precision"])]
    d["date"] = d["date"].dt.strftime("%Y-%m-%d")
    d["end"] = d["end"].dt.strftime("%Y-%m-%d")
    d["number_text"] = d["number"].fillna("")
    d["precision_text"] = d["date_precision"].map(PRECISION_TEXT)
    order = list(d["label"])
    hover = alt.selection_point(name="hover_event", on="pointerover", fields=["id"], empty=False)
    colour = alt.Color("kind_label:N", scale=alt.Scale(domain=list(T.EVENT_COLOURS), range=list(T.EVENT_COLOURS.values())),
                       legend=alt.Legend(title=None, columns=4, direction="horizontal"))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=460, labelFontSize=T.SIZES["note"]))
    first_year, last_year = int(events["year"].min()), int(events["year"].max())
    x_scale = alt.Scale(domain=[f"{first_year}-01-01", f"{last_year + 1}-01-01"])
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"), scale=x_scale)
    d["start"] = f"{first_year}-01-01"
    tooltip = [alt.Tooltip("when:N", title="Date"), alt.Tooltip("precision_text:N", title="Dated to"),
               alt.Tooltip("title:N", title="Event"), alt.Tooltip("number_text:N", title="Number"),
               alt.Tooltip("kind_label:N", title="Kind"), alt.Tooltip("description:N", title="What it did"),
               alt.Tooltip("locator:N", title="Where")]
    stems = alt.Chart(d).mark_rule(color=T.GRID).encode(x=alt.X("start:T", scale=x_scale), x2="date:T", y=y)
    spans = alt.Chart(d).transform_filter(alt.datum.date_precision != "day").mark_bar(height=10, strokeWidth=1.5).encode(
        x=x, x2="end:T", y=y, color=colour, stroke=alt.Color("kind_label:N", legend=None,
                                                           scale=alt.Scale(domain=list(T.EVENT_COLOURS), range=list(T.EVENT_COLOURS.values()))),
        fillOpacity=alt.condition(alt.datum.date_precision == "circa", alt.value(0.15), alt.value(0.45)),
        strokeDash=alt.condition(alt.datum.date_precision == "circa", alt.value([3, 2]), alt.value([1, 0])),
        tooltip=tooltip,
    )
    dots = alt.Chart(d).transform_filter(alt.datum.date_precision == "day").mark_point(filled=True, size=90).encode(
        x=x, y=y, color=colour,
        size=alt.condition(hover, alt.value(180), alt.value(90)),
        tooltip=tooltip,
    ).add_params(hover)
    chart = alt.layer(stems, spans, dots).properties(width=WIDTH - 160, height=24 * len(d), name="policy_timeline")
    rough = events[events["date_precision"] != "day"]
    return finish(
        chart, chart_id="policy-timeline",
        title=f"Russian cluster policy, {events['year'].min()}-{events['year'].max()}",
        subtitle=["Laws, government orders, programmes and milestones named in the sources.",
                  "Dots are exact dates; bars span the month or year when the source gives no day; a dashed bar is only the year the source was written."],
        description=(
            f"A timeline of {len(d)} events in Russian cluster policy: "
            + "; ".join(f"{r['when']}: {r['title']}" for _, r in events.iterrows()) + ". "
            + f"{len(rough)} of them are dated by the source only to a month or a year, and are drawn as bars across that period."
        ),
        source=source, data=events,
    )


# --- maps ------------------------------------------------------------------------------


def _map(locations: pd.DataFrame, boundaries: dict, *, chart_id: str, projection: dict, width: int, height: int,
         title: str, subtitle: str, description: str, source: str) -> alt.VConcatChart:
    # Pilots last, so a dot for part of a pilot, placed at the same city, never hides the pilot's dot.
    d = pd.concat([locations[locations["kind"] != "pilot"], locations[locations["kind"] == "pilot"]])
    d["support_text"] = d["support_group"].map(lambda g: "" if pd.isna(g) else f"Group {int(g)}")
    kinds = [k for k in T.KIND_COLOURS if k in set(d["kind_label"])]
    legend_pick = alt.selection_point(name=f"{chart_id.replace('-', '_')}_kind", fields=["kind_label"], bind="legend")
    hover = alt.selection_point(name=f"{chart_id.replace('-', '_')}_hover", on="pointerover", fields=["id"], empty=False)
    countries = alt.Chart(alt.Data(values=boundaries["features"])).mark_geoshape(stroke=T.BORDER, strokeWidth=0.5).encode(
        fill=alt.condition("datum.properties.iso_a3 === 'RUS'", alt.value(T.LAND_FOCUS), alt.value(T.LAND)),
    ).project(**projection)
    points = alt.Chart(d).mark_circle(stroke="white", strokeWidth=0.8).encode(
        longitude="lon:Q", latitude="lat:Q",
        color=alt.Color("kind_label:N", scale=alt.Scale(domain=kinds, range=[T.KIND_COLOURS[k] for k in kinds]),
                        legend=alt.Legend(title=None)),
        size=alt.condition(hover, alt.value(220), alt.value(80)),
        opacity=alt.condition(legend_pick, alt.value(0.95), alt.value(0.12)),
        tooltip=[alt.Tooltip("name:N", title="Cluster"), alt.Tooltip("kind_label:N", title="Kind"),
                 alt.Tooltip("place:N", title="Place"), alt.Tooltip("region:N", title="Region"),
                 alt.Tooltip("industry:N", title="Industry"), alt.Tooltip("support_text:N", title="Support group")],
    ).project(**projection).add_params(legend_pick, hover)
    chart = alt.layer(countries, points).properties(width=width, height=height, name=chart_id.replace("-", "_"))
    return finish(chart, chart_id=chart_id, title=title, subtitle=subtitle, description=description, source=source, data=d)


def cluster_map(locations: pd.DataFrame, boundaries: dict, *, source: str) -> alt.VConcatChart:
    """World map of pilot, other Russian and foreign clusters."""
    return _map(
        locations, boundaries, chart_id="cluster-map",
        projection={"type": "equalEarth"}, width=WIDTH + 80, height=340,
        title="Where the clusters are",
        subtitle="Russian pilot clusters, other Russian clusters and the foreign clusters the sources describe; click the legend to filter",
        description=(
            "A world map with a dot for each cluster: "
            + "; ".join(f"{n} {k.lower()}s" for k, n in locations["kind_label"].value_counts().items())
            + ". Foreign clusters are in " + ", ".join(sorted(locations.loc[locations["kind"] == "foreign", "country"].unique())) + " (ISO country codes)."
        ),
        source=source,
    )


def russia_map(locations: pd.DataFrame, boundaries: dict, *, source: str) -> alt.VConcatChart:
    """Map of Russia with the pilot clusters and other Russian clusters."""
    ru = locations[locations["country"] == "RU"]
    return _map(
        ru, boundaries, chart_id="russia-map",
        projection={"type": "conicEqualArea", "rotate": [-104, 0], "center": [0, 63], "parallels": [50, 70],
                    "scale": 400, "translate": [(WIDTH + 80) / 2, 200]},
        width=WIDTH + 80, height=380,
        title="Russian pilot clusters across the country",
        subtitle="Most pilots sit in European Russia; a few are in Siberia and the Far East. Hover for details",
        description=(
            f"A map of Russia with a dot for each of the {int((ru['kind'] == 'pilot').sum())} pilot clusters, the "
            f"{int((ru['kind'] == 'pilot_component').sum())} parts of pilots that the sources name on their own, and the "
            f"{int((ru['kind'] == 'russian_other').sum())} other Russian clusters in the sources, placed at: "
            + ", ".join(sorted(ru["place"].unique())) + "."
        ),
        source=source,
    )
