"""Altair chart functions: DataFrames in, charts out.

Every chart gets a title, a description (used as alt text), tooltips and a source line.
The source line is Markdown with links to the References, so it is not drawn inside the
image: the chapter prints it once, under the chart. Interaction parameters and views carry
fixed names so specs are identical from run to run. Colours come from `analysis.charts.theme` only.
"""

from __future__ import annotations

import textwrap

import altair as alt
import pandas as pd

from analysis import indicators as I
from analysis import text
from analysis.charts import geo
from analysis.charts import theme as T

T.register()

WIDTH = T.SIZES["width"]


def finish(chart: alt.TopLevelMixin, *, chart_id: str, title: str, subtitle: str | list[str] | None,
           description: str, source: str, data: pd.DataFrame, profile_field: str | None = None,
           in_print: bool = True, hint: str | None = None, filter_param: str | None = None) -> alt.VConcatChart:
    """Wrap a chart with its title and alt text, and record its source line for the page to print under it.

    `data` is the tidy table the chart shows; its columns are recorded so the table can be
    exported as CSV from the chart alone (`analysis.charts.export.chart_data`). With
    `profile_field`, the site's script opens the profile of the cluster whose id a clicked
    mark holds in that field. A chart that only the site shows (`in_print=False`) gets no print image.
    A `hint` on how to use the chart on screen ("click a dot…") ends the subtitle there, and
    the PDF leaves it out. `filter_param` names the parameter a page script sets to narrow the
    chart's marks (the directory's map follows its list that way).
    """
    # titles wrap, so they never make a chart wider than its plots (print wraps them tighter still)
    lines = T.wrap(subtitle or "", T.TITLE_CHARS["subtitle"])
    if hint:
        lines = ([lines] if isinstance(lines, str) else lines) + [hint]
    inner = chart.properties(title=alt.Title(T.wrap(title, T.TITLE_CHARS["text"]), subtitle=lines))
    usermeta = {"id": chart_id, "title": title, "source": source, "description": description,
                "data_columns": [str(c) for c in data.columns]}
    if profile_field:
        usermeta["profile_field"] = profile_field
    if not in_print:
        usermeta["in_print"] = False
    if hint:
        usermeta["hint"] = hint
    if filter_param:
        usermeta["filter_param"] = filter_param
    done = alt.vconcat(inner).properties(description=description, usermeta=usermeta)
    return done.properties(config=T.locale()) if T.locale() else done


def _order(d: pd.DataFrame, label: str, by: str) -> list[str]:
    """Labels sorted by a value, largest first; explicit lists sort reliably across layers."""
    return list(d.sort_values([by, label], ascending=[False, True])[label])


def _fmt(v: float) -> str:
    """A value for a chart's labels and alt text: whole, or to one decimal (in Russian 1\u00a0234,5)."""
    shown = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
    return shown.replace(",", "\u00a0").replace(".", ",") if text.language() == "ru" else shown


def _lower(label: str) -> str:
    """A label for the middle of a sentence; in Russian, abbreviations (МСП, НИОКР) keep their capitals."""
    return text.lower(label) if text.language() == "ru" else label.lower()


def _shown(d: pd.DataFrame, codes: pd.Series, column: str, english: dict[str, str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Labels a colour scale is keyed by, in the language spoken: the rows with their labels in `column` said so,
    and each English label (`english` maps a code to it) to the label shown. A label the data already gives in
    the language is kept; one still in English is said by the theme (`theme.said`). English changes nothing."""
    if text.language() == "en":
        return d, {en: en for en in english.values()}
    given = dict(zip(codes, d[column]))
    names = {en: T.said(en) if given.get(code, en) == en else given[code] for code, en in english.items()}
    return d.assign(**{column: [names.get(english.get(c), label) for c, label in zip(codes, d[column])]}), names


def _said(d: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """Labels our analyses write (not the data's), in the language spoken (`theme.said`); English changes nothing."""
    return d if text.language() == "en" else d.assign(**{c: d[c].map(lambda v: T.said(v) if isinstance(v, str) else v) for c in columns})


def _quality(d: pd.DataFrame) -> pd.DataFrame:
    """The quality flags as the language spoken names them (English shows the codes)."""
    return d if text.language() == "en" else d.assign(quality=d["quality"].map(lambda q: T.said(q) if isinstance(q, str) else q))


# --- critical mass ---------------------------------------------------------------------


def critical_mass(by_industry: pd.DataFrame, references: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """Average participants per industry as bars, with the 30-50 band and the 80 and 100 lines."""
    hover, by_industry = alt.selection_point(name="hover_industry", on="pointerover", fields=["industry"], empty=False), _said(by_industry, "position")
    band_row = references[references["value_high"].notna()].iloc[0]
    lines = references[references["value_high"].isna()].copy()
    shorts = (text.say("Global average", "Среднее в мире"), text.say("Higher estimate", "Верхняя оценка"))
    lines["text"] = [f"{short}: {_fmt(v)}" for short, v in zip(shorts, lines["value"])]
    lines["side"] = ["left", "right"][: len(lines)]
    top = by_industry.loc[by_industry["participants_avg"].idxmax()]
    bottom = by_industry.loc[by_industry["participants_avg"].idxmin()]
    y = alt.Y("industry:N", sort="-x", title=None, axis=alt.Axis(labelLimit=360))
    low, high = _fmt(band_row["value"]), _fmt(band_row["value_high"])
    band = alt.Chart(pd.DataFrame([{"low": band_row["value"], "high": band_row["value_high"],
                                    "label": text.say(f"Minimum critical mass: {low}-{high}", f"Минимальная критическая масса: {low}–{high}")}])).mark_rect(
        color=T.OKABE_ITO["green"], opacity=0.14
    ).encode(x="low:Q", x2="high:Q", tooltip=[alt.Tooltip("label:N", title=text.say("Reference", "Ориентир"))])
    # a row above the reference lines' labels, so that the band's label never runs into them
    band_text = band.mark_text(align="left", dx=2, dy=-24, fontSize=T.SIZES["note"], color=T.MUTED).encode(
        x="low:Q", y=alt.value(0), text="label:N")
    bars = alt.Chart(by_industry).mark_bar(color=T.SIDE_COLOURS["Russia"], height={"band": 0.7}).encode(
        x=alt.X("participants_avg:Q", title=text.say("Average official participants per cluster", "Среднее число официальных участников кластера"),
                scale=alt.Scale(domain=[0, 110])),
        y=y,
        opacity=alt.condition(hover, alt.value(1), alt.value(0.8)),
        tooltip=[
            alt.Tooltip("industry:N", title=text.say("Industry", "Отрасль")),
            alt.Tooltip("participants_avg:Q", title=text.say("Average participants", "Среднее число участников")),
            alt.Tooltip("share_of_global_avg:Q", title=text.say("% of the global average", "% от среднего в мире")),
            alt.Tooltip("position:N", title=text.say("Against the references", "Относительно ориентиров")),
        ],
    ).add_params(hover)
    values = bars.mark_text(align="left", dx=4, color=T.INK).encode(text=alt.Text("participants_avg:Q", format=".0f"), opacity=alt.value(1))
    rules = alt.Chart(lines).mark_rule(color=T.REFERENCE, strokeDash=[4, 3]).encode(
        x="value:Q", tooltip=[alt.Tooltip("label:N", title=text.say("Reference", "Ориентир")),
                             alt.Tooltip("value:Q", **({} if text.language() == "en" else {"title": "Значение"})),
                             alt.Tooltip("cited_work:N", title=text.say("Cited work", "Цитируемая работа"))])
    rule_text = alt.layer(*[
        rules.transform_filter(alt.datum.side == side).mark_text(
            align="right" if side == "left" else "left", dx=-4 if side == "left" else 4, dy=-8,
            fontSize=T.SIZES["note"], color=T.REFERENCE).encode(y=alt.value(0), text="text:N")
        for side in ("left", "right")
    ])
    chart = alt.layer(band, bars, values, rules, rule_text, band_text).properties(width=WIDTH, height=230, name="critical_mass")
    marked = text.listing([f"{_lower(r['label'].split(' (')[0])} ({_fmt(r['value'])})" for _, r in lines.iterrows()])
    n, most, least = len(by_industry), _fmt(top["participants_avg"]), _fmt(bottom["participants_avg"])
    return finish(
        chart, chart_id="critical-mass",
        title=text.say("Russian pilot clusters are below the critical mass of world practice",
                       "Российские пилотные кластеры не достигают критической массы, принятой в мировой практике"),
        subtitle=text.say("Average official participants per pilot cluster by industry, against international references",
                          "Среднее число официальных участников пилотного кластера по отраслям в сравнении с международными ориентирами"),
        description=text.say(
            f"Horizontal bars show the average number of official participants per Russian pilot cluster in {n} industries, "
            f"from {most} in {top['industry']} down to {least} in {bottom['industry']}. "
            f"A shaded band marks the {low} to {high} minimum critical mass, and dashed lines mark {marked}.",
            f"Горизонтальные столбцы показывают среднее число официальных участников российского пилотного кластера "
            f"в {n} {text.plural(n, 'отрасли|отраслях|отраслях')}: от {most} ({top['industry']}) до {least} ({bottom['industry']}). "
            f"Затенённая полоса отмечает минимальную критическую массу — от {low} до {high}, пунктирные линии — {marked}."),
        source=source, data=by_industry,
    )


def sme_shares(sme: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """SME share of participants in Russian pilots against the European majority line."""
    sme = _said(sme, "measure")
    observed = sme[sme["kind"] == "observed"]
    ref = sme[sme["kind"] == "benchmark"].assign(text=lambda d: d["measure"])
    bars = alt.Chart(observed).mark_bar(color=T.SIDE_COLOURS["Russia"], height={"band": 0.6}).encode(
        x=alt.X("value:Q", title=text.say("SMEs as % of all participants", "Доля МСП среди всех участников, %"), scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("measure:N", title=None, sort=None),
        tooltip=[alt.Tooltip("measure:N", title=text.say("Measure", "Показатель")),
                 alt.Tooltip("value:Q", title=text.say("% SMEs", "Доля МСП, %"))],
    )
    labels = bars.mark_text(align="left", dx=4, color=T.INK).encode(text=alt.Text("value:Q", format=".0f"))
    rule = alt.Chart(ref).mark_rule(color=T.SIDE_COLOURS["World"], strokeDash=[4, 3], size=2).encode(
        x="value:Q", tooltip=[alt.Tooltip("measure:N", title=text.say("Reference", "Ориентир")), alt.Tooltip("value:Q", title="%")])
    rule_text = rule.mark_text(align="left", dx=4, dy=-8, color=T.SIDE_COLOURS["World"], fontSize=T.SIZES["note"]).encode(
        y=alt.value(0), text="text:N")
    chart = alt.layer(bars, labels, rule, rule_text).properties(width=WIDTH, height=110, name="sme_shares")
    return finish(
        chart, chart_id="sme-shares",
        title=text.say("SMEs are a minority of pilot cluster participants", "МСП составляют меньшинство участников пилотных кластеров"),
        subtitle=text.say("Share of small and medium enterprises among official participants, 2012 programmes",
                          "Доля малых и средних предприятий среди официальных участников, программы 2012 года"),
        description=(
            text.say("Bars show the SME share of participants: ", "Столбцы показывают долю МСП среди участников: ")
            + "; ".join(f"{r['measure']}: {_fmt(r['value'])}%" for _, r in observed.iterrows())
            + text.say(f". A dashed line at {_fmt(ref.iloc[0]['value'])}% marks the European model, in which SMEs are the majority of participants.",
                       f". Пунктирная линия на уровне {_fmt(ref.iloc[0]['value'])}% обозначает европейскую модель, в которой МСП "
                       "составляют большинство участников.")
        ),
        source=source, data=sme,
    )


# --- governance and funding ------------------------------------------------------------


def share_bars(df: pd.DataFrame, *, chart_id: str, title: str, subtitle: str, description: str, source: str,
               side: str = "Russia", unit_title: str | None = None, highlight: str | None = None) -> alt.VConcatChart:
    """Horizontal bars of one distribution's categories, largest first; ambiguous values are faded."""
    d = df.copy()
    unit_title = unit_title or text.say("% of specialist organisations", "% специализированных организаций")
    unread = text.say("not readable", "не читается")
    d["shown"] = d["value"].fillna(0)
    d["value_text"] = d.apply(lambda r: unread if pd.isna(r["value"]) else _fmt(r["value"]) + (" ?" if r.get("quality") == "ambiguous" else ""), axis=1)
    d = _quality(d)
    d["emphasis"] = d["category"].eq(highlight) if highlight else True
    d["sort_key"] = d["value"].fillna(-1)  # unreadable values go last
    hover = alt.selection_point(name=f"hover_{chart_id.replace('-', '_')}", on="pointerover", fields=["label"], empty=False)
    colour = T.SIDE_COLOURS[side]
    base = alt.Chart(d).encode(y=alt.Y("label:N", sort=_order(d, "label", "sort_key"), title=None, axis=alt.Axis(labelLimit=520)))
    bars = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("shown:Q", title=unit_title),
        color=alt.condition("datum.emphasis", alt.value(colour), alt.value(T.NEUTRAL)),
        opacity=alt.when(hover).then(alt.value(1)).when(alt.datum.quality == T.said("ambiguous")).then(alt.value(0.45)).otherwise(alt.value(0.85)),
        stroke=alt.condition(hover, alt.value(T.INK), alt.value(None)),
        tooltip=[alt.Tooltip("label:N", title=text.say("Category", "Категория")), alt.Tooltip("value_text:N", title=text.say("Value", "Значение")),
                 alt.Tooltip("quality:N", title=text.say("Quality", "Отметка качества"))],
    ).add_params(hover)
    values = base.mark_text(align="left", dx=4, color=T.INK).encode(x="shown:Q", text="value_text:N")
    # a band as tall as the longest label's lines (the theme wraps labels; two lines fit the usual 26 px)
    lines = max((len(textwrap.wrap(str(label), T.LABEL_CHARS)) for label in d["label"]), default=1)
    step = 26 if lines <= 2 else 13 * lines + 4
    chart = alt.layer(bars, values).properties(width=WIDTH - 180, height=max(90, step * len(d)), name=chart_id.replace("-", "_"))
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
        if text.language() != "en":  # the side and what it measures, as the tooltip and axis say them
            part = part.assign(side=T.said(side), measure=part["measure"].map(T.said))
        measure = part["measure"].iloc[0]
        base = alt.Chart(part).encode(y=alt.Y("comparable_label:N", sort=order, title=None, scale=alt.Scale(domain=order),
                                              axis=alt.Axis(labelLimit=300) if i == 0 else None))
        bars = base.mark_bar(height={"band": 0.6}, color=T.SIDE_COLOURS[side]).encode(
            x=alt.X("value:Q", title=f"{measure[0].upper()}{measure[1:]}" + text.say(" (%)", ", %"), scale=alt.Scale(domain=[0, 100])),
            opacity=alt.condition(hover, alt.value(1), alt.value(0.85)),
            tooltip=[alt.Tooltip("side:N", title=text.say("Side", "Сторона")), alt.Tooltip("comparable_label:N", title=text.say("Category", "Категория")),
                     alt.Tooltip("value:Q", title="%"), alt.Tooltip("categories:N", title=text.say("Source categories", "Категории источника")),
                     alt.Tooltip("measure:N", title=text.say("What the % measures", "Что измеряет %"))],
        )
        if i == 0:
            bars = bars.add_params(hover)
        values = base.mark_text(align="left", dx=3, fontSize=T.SIZES["note"], color=T.INK).encode(
            x="value:Q", text=alt.Text("value:Q", format=".1f"))
        panels.append(alt.layer(bars, values).properties(
            width=(WIDTH - 260) // 2, height=220, name=f"funding_{side.lower()}",
            title=alt.Title(T.said(side), anchor="start", fontSize=T.SIZES["note"] + 1)))
    chart = alt.hconcat(*panels, spacing=24)
    shares = {side: "; ".join(f"{r['comparable_label']} {_fmt(r['value'])}%" for _, r in d[d["side"] == side].iterrows())
              for side in ("Russia", "World")}
    return finish(
        chart, chart_id="funding-comparison",
        title=text.say("Public money dominates the funding of Russian cluster organisations",
                       "В финансировании российских кластерных организаций преобладают государственные средства"),
        subtitle=text.say(["The two panels measure different things and are not drawn on one axis.",
                           "Russia: share of responding specialist organisations naming each source (2013 survey). "
                           "World: share of the budget of cluster organisations (2012 global survey)."],
                          ["Две панели измеряют разные величины, поэтому они не сведены на одну ось.",
                           "Россия: доля ответивших специализированных организаций, назвавших источник (опрос 2013 года). "
                           "Мир: доля в бюджете кластерных организаций (глобальный опрос 2012 года)."]),
        description=text.say(
            "Two panels of bars on shared funding categories, one for Russia and one for the world, each on its own axis because they measure "
            f"different things. Russia, share of responding specialist organisations naming each source: {shares['Russia']}. "
            f"World, share of the budget of cluster organisations: {shares['World']}. "
            "A share of organisations says nothing about how much of the money comes from a source.",
            "Две панели столбцов по общим категориям источников финансирования — для России и для мира; у каждой своя ось, "
            "так как они измеряют разные величины. Россия, доля ответивших специализированных организаций, назвавших источник: "
            f"{shares['Russia']}. Мир, доля в бюджете кластерных организаций: {shares['World']}. "
            "Доля организаций ничего не говорит о том, какая часть средств поступает из данного источника."),
        source=source, data=comparison,
    )


# --- specialisation --------------------------------------------------------------------

GAP_COLOURS = {
    "Russian pilots present": T.SIDE_COLOURS["Russia"],
    "Many clusters worldwide, no Russian pilot": T.OKABE_ITO["blue"],
    "Few clusters worldwide, no Russian pilot": T.NEUTRAL,
}
#: The field's status as `indicators.specialisation_gap` says it, by what decides it.
GAP_STATUS = dict(zip(("present", "many", "few"), GAP_COLOURS))


#: The most pilots a field's tooltip (and the chart's CSV) names; the rest are counted ("and 53 more").
NAMES_SHOWN = 10


def _some_names(listing: str) -> str:
    """A "; "-separated list of names, cut to NAMES_SHOWN: on a registry of thousands of clusters every bar would
    otherwise carry hundreds of names into the page."""
    names = listing.split("; ") if listing else []
    if len(names) <= NAMES_SHOWN:
        return listing
    rest = len(names) - NAMES_SHOWN
    return "; ".join(names[:NAMES_SHOWN]) + text.say(f"; and {text.num(rest)} more", f"; и ещё {text.num(rest)}")


def specialisation_gap(gap: pd.DataFrame, *, source: str, many: int) -> alt.VConcatChart:
    """Global clusters by field, coloured by whether Russian pilots work in the field."""
    d = gap.copy()
    d["pilot_names"] = d["pilot_names"].map(_some_names)
    d["value_text"] = d.apply(lambda r: _fmt(r["world_clusters"]) + (" ?" if r["quality"] == "ambiguous" else ""), axis=1)
    d["pilots_text"] = d["pilot_names"].replace("", text.say("none", "нет"))
    d["source_reserve"] = d["named_by_source"].map({True: text.say("yes", "да"), False: text.say("no", "нет")})
    decided = ["many" if g else "present" if n else "few" for g, n in zip(d["gap"], d["russian_pilots"])]
    d, statuses = _shown(d, pd.Series(decided, index=d.index), "status", GAP_STATUS)
    lead = d.loc[d["world_clusters"].idxmax()]
    hover = alt.selection_point(name="hover_field", on="pointerover", fields=["label"], empty=False)
    base = alt.Chart(d).encode(y=alt.Y("label:N", sort=_order(d, "label", "world_clusters"), title=None))
    bars = base.mark_bar(height={"band": 0.75}).encode(
        x=alt.X("world_clusters:Q", title=text.say("Cluster initiatives worldwide (2012 global survey)",
                                                   "Кластерные инициативы в мире (глобальный опрос 2012 года)")),
        color=alt.Color("status:N", scale=alt.Scale(domain=[statuses[k] for k in GAP_COLOURS], range=list(GAP_COLOURS.values())),
                        legend=alt.Legend(title=None, columns=1, direction="vertical")),
        opacity=alt.when(hover).then(alt.value(1)).when(alt.datum.quality == "ambiguous").then(alt.value(0.5)).otherwise(alt.value(0.9)),
        stroke=alt.condition(hover, alt.value(T.INK), alt.value(None)),
        tooltip=[alt.Tooltip("label:N", title=text.say("Field", "Отрасль")),
                 alt.Tooltip("value_text:N", title=text.say("Clusters worldwide", "Кластеров в мире")),
                 alt.Tooltip("russian_pilots:Q", title=text.say("Russian pilots", "Российских пилотных кластеров")),
                 alt.Tooltip("pilots_text:N", title=text.say("Pilots", "Пилотные кластеры")),
                 alt.Tooltip("source_reserve:N", title=text.say("Named as a reserve by the source", "Назван источником как резерв"))],
    ).add_params(hover)
    values = base.mark_text(align="left", dx=3, fontSize=T.SIZES["note"], color=T.INK).encode(x="world_clusters:Q", text="value_text:N")
    rule = alt.Chart(pd.DataFrame([{"x": many, "t": text.say(f"{many} clusters", f"{many} {text.plural(many, 'кластер|кластера|кластеров')}")}])).mark_rule(color=T.REFERENCE, strokeDash=[3, 3]).encode(x="x:Q")
    chart = alt.layer(bars, values, rule).properties(width=WIDTH - 160, height=29 * 16, name="specialisation_gap")
    return finish(
        chart, chart_id="specialisation-gap",
        title=text.say("Where the world builds clusters and Russia's pilots do not",
                       "Где мир создаёт кластеры, а российских пилотных кластеров нет"),
        subtitle=text.say(f"Clusters by field worldwide; blue fields have at least {many} clusters worldwide and no Russian pilot. "
                          "'?' marks a value read with doubt.",
                          f"Кластеры в мире по отраслям; синим выделены отрасли, где в мире не менее {many} кластеров, а российских "
                          "пилотных кластеров нет. Знак «?» отмечает значение, прочитанное с сомнением."),
        description=text.say(
            f"Horizontal bars list {len(d)} fields by the number of cluster initiatives worldwide, led by {lead['label']} with {_fmt(lead['world_clusters'])}. "
            "Fields where Russian pilots work are red; fields with many clusters worldwide but no Russian pilot are blue: "
            + ", ".join(_lower(label) for label in d.loc[d["gap"], "label"]) + ".",
            f"Горизонтальные столбцы показывают {len(d)} {text.plural(len(d), 'отрасль|отрасли|отраслей')} по числу кластерных инициатив "
            f"в мире; больше всего их в отрасли «{lead['label']}» ({_fmt(lead['world_clusters'])}). Отрасли, в которых работают российские "
            "пилотные кластеры, выделены красным; отрасли, где в мире много кластеров, но нет российских пилотных кластеров, — синим: "
            + ", ".join(_lower(label) for label in d.loc[d["gap"], "label"]) + "."),
        source=source, data=gap,
    )


# --- scorecard -------------------------------------------------------------------------


#: Up to this many clusters the scorecard shows one row per cluster; beyond it, counts (the 2012 pilots are 25).
SCORECARD_ROWS = 40
#: Height of one cluster's row in the scorecard grid (px).
SCORECARD_STEP = 19
#: Scorecard rows in ranking order, from a `row` column: the order then lives in the data, not in every layer's spec.
_ROW_SORT = alt.EncodingSortField("row", op="min")


#: The lights as `indicators.scores` labels them.
LIGHT_LABELS = {k: k.capitalize() for k in T.LIGHT_COLOURS}
#: What a scorecard's cluster picker shows when no cluster is picked.
ALL_CLUSTERS = ("All clusters", "Все кластеры")


def _lights(scores: pd.DataFrame) -> pd.DataFrame:
    """The scores with their lights named in the language spoken."""
    return _shown(scores, scores["light"], "light_label", LIGHT_LABELS)[0] if "light" in scores else scores


def _light_scale(s: pd.DataFrame) -> alt.Scale:
    """Lights in their colours, and the label of a cluster too thinly evidenced to score in grey."""
    shown = dict(zip(s.loc[s["scored"], "light"], s.loc[s["scored"], "light_label"])) if "light" in s else {}
    names = [shown.get(k, T.said(label)) for k, label in LIGHT_LABELS.items()] + sorted(set(s.loc[~s["scored"], "light_label"]))
    return alt.Scale(domain=names, range=list(T.LIGHT_COLOURS.values()) + [T.NEUTRAL] * (len(names) - len(T.LIGHT_COLOURS)))


def _score_bars(s: pd.DataFrame, order: list[str]) -> alt.HConcatChart:
    """Beside each row of the grid: the score over the known signs with its light and rank, then the evidence coverage.

    A cluster below the minimum coverage has no bar and no rank, only a grey mark; the grid's cluster pick highlights.
    """
    over = text.say("known signs", "известным признакам") if (s["score_over"] == "known").all() else text.say("all signs", "всем признакам")
    of, lights = text.say("of", "из"), _light_scale(s)
    s = s.assign(score_text=[f"{_fmt(v)}%" if ok else text.say("not scored", "не оценён") for v, ok in zip(s["score"], s["scored"])],
                 signs_text=[f"{k} {of} {n}" for k, n in zip(s["known"], s["signs"])],
                 text_at=s["score"].fillna(0), rank_text=s["rank_label"].replace("", "–"),
                 row=s["cluster_name"].map({name: i for i, name in enumerate(order)}))
    s = s[["row", "cluster_name", "rank_label", "score", "coverage", "scored", "light_label", "score_text", "signs_text",
           "text_at", "rank_text", "meets", "partly", "fails", "unknown"]]
    y = alt.Y("cluster_name:N", sort=_ROW_SORT, title=None, axis=None)
    focus = alt.condition(f"(pick_cluster === '{text.say(*ALL_CLUSTERS)}' || datum.cluster_name === pick_cluster)", alt.value(1), alt.value(0.25))
    statuses = {k: {} if text.language() == "en" else {"title": label} for k, label in T.status_labels().items()}
    tooltip = [alt.Tooltip("cluster_name:N", title=text.say("Cluster", "Кластер")), alt.Tooltip("rank_label:N", title=text.say("Rank", "Место")),
               alt.Tooltip("score:Q", title=text.say(f"Score over {over} (%)", f"Оценка по {over}, %")),
               alt.Tooltip("signs_text:N", title=text.say("Signs with evidence", "Признаки с данными")),
               alt.Tooltip("light_label:N", title=text.say("Light", "Светофор")), alt.Tooltip("meets:Q", **statuses["meets"]),
               alt.Tooltip("partly:Q", **statuses["partly"]), alt.Tooltip("fails:Q", **statuses["fails"]),
               alt.Tooltip("unknown:Q", **statuses["unknown"])]
    colour = alt.Color("light_label:N", scale=lights, legend=alt.Legend(title=text.say("Light", "Светофор")))
    base = alt.Chart(s).encode(y=y, opacity=focus, tooltip=tooltip)
    bar = base.transform_filter("datum.scored").mark_bar(height={"band": 0.7}).encode(
        x=alt.X("score:Q", title=text.say(["Score over", f"{over} (%)"], ["Оценка по", f"{over}, %"]), scale=alt.Scale(domain=[0, 100])),
        color=colour)
    grey = base.transform_filter("!datum.scored").mark_square(size=90).encode(x=alt.datum(0), color=colour)
    label = base.mark_text(align="left", dx=6, fontSize=T.SIZES["note"], color=T.INK).encode(x="text_at:Q", text="score_text:N")
    height = SCORECARD_STEP * len(order)
    rank = base.mark_text(align="right", fontSize=T.SIZES["label"], color=T.INK).encode(x=alt.value(30), text="rank_text:N").properties(
        width=34, height=height, name="scorecard_ranks",
        title=alt.Title(text.say("Rank", "Место"), orient="bottom", fontSize=T.SIZES["axis_title"], fontWeight=500, anchor="end"))
    score = alt.layer(bar, grey, label).properties(width=150, height=height, name="scorecard_scores")
    covered = base.mark_bar(height={"band": 0.7}).encode(
        x=alt.X("coverage:Q", title=text.say(["Signs with", "evidence (%)"], ["Признаки", "с данными, %"]), scale=alt.Scale(domain=[0, 100])),
        color=alt.condition("datum.scored", alt.value(T.MUTED), alt.value(T.NEUTRAL)))
    count = base.mark_text(align="left", dx=4, fontSize=T.SIZES["note"], color=T.INK).encode(x="coverage:Q", text="signs_text:N")
    coverage = alt.layer(covered, count).properties(width=110, height=height, name="scorecard_coverage")
    return alt.hconcat(rank, score, coverage, spacing=8)


def _scorecard_grid(matrix: pd.DataFrame, order: list[str]) -> alt.LayerChart:
    """Cluster x sign matrix of statuses, rows in `order`, with a cluster picker and the evidence in each tooltip."""
    d = matrix.copy()
    labels, everyone = T.status_labels(), text.say(*ALL_CLUSTERS)
    d["status_label"] = d["status"].map(labels)
    d["symbol"] = d["status"].map(T.STATUS_SYMBOLS)
    d["evidence"] = d["evidence"].fillna(text.say("No evidence in the sources", "В источниках нет данных"))
    d["where"] = d["locator"].fillna("")
    d["row"] = d["cluster_name"].map({name: i for i, name in enumerate(order)})
    by_sign = alt.EncodingSortField("order", op="min")
    pick = alt.param(name="pick_cluster", value=everyone,
                     bind=alt.binding_select(options=[everyone] + sorted(order), name=text.say("Highlight a cluster: ", "Выделить кластер: ")))
    hover = alt.selection_point(name="hover_cell", on="pointerover", fields=["cluster_name"], empty=False)
    focus = f"(pick_cluster === '{everyone}' || datum.cluster_name === pick_cluster)"
    # one line per row: the rows are too close for wrapped names (the theme wraps long labels)
    y = alt.Y("cluster_name:N", sort=_ROW_SORT, title=None, axis=alt.Axis(labelLimit=420, labelExpr="datum.label", labelOffset=0))
    status_scale = alt.Scale(domain=list(labels.values()), range=[T.STATUS_COLOURS[k] for k in labels])
    cells = alt.Chart(d).mark_rect(stroke="white", strokeWidth=1.5).encode(
        x=alt.X("label:N", sort=by_sign, title=None, axis=alt.Axis(orient="top", labelAngle=-90, labelLimit=260)),
        y=y,
        color=alt.Color("status_label:N", scale=status_scale, legend=alt.Legend(title=text.say("Status", "Статус"), columns=2)),
        opacity=alt.condition(focus, alt.value(1), alt.value(0.25)),
        tooltip=[alt.Tooltip("cluster_name:N", title=text.say("Cluster", "Кластер")), alt.Tooltip("label:N", title=text.say("Sign", "Признак")),
                 alt.Tooltip("status_label:N", title=text.say("Status", "Статус")),
                 alt.Tooltip("evidence:N", title=text.say("Evidence", "Подтверждающие данные")),
                 alt.Tooltip("where:N", title=text.say("Where", "Где в источнике"))],
    ).add_params(pick, hover)
    symbols = alt.Chart(d).mark_text(fontSize=12, color=T.INK).encode(
        x=alt.X("label:N", sort=by_sign), y=y, text="symbol:N",
        opacity=alt.condition(focus, alt.value(1), alt.value(0.3)))
    outline = alt.Chart(d).mark_rect(fill=None, stroke=T.INK, strokeWidth=1.5).encode(
        x=alt.X("label:N", sort=by_sign), y=y, opacity=alt.condition(hover, alt.value(1), alt.value(0)))
    return alt.layer(cells, symbols, outline).properties(width=alt.Step(34), height=SCORECARD_STEP * len(order),
                                                         name="scorecard_grid")


def _scorecard_counts(matrix: pd.DataFrame, scores: pd.DataFrame) -> tuple[alt.HConcatChart, pd.DataFrame]:
    """For a registry too large for one row per cluster: clusters by status on each sign, and clusters by light.

    Its size depends on the signs and lights only, never on the number of clusters.
    """
    by_sign = matrix.groupby(["order", "label", "status"]).size().rename("clusters").reset_index()
    labels, pilots = T.status_labels(), text.say("Pilot clusters", "Пилотные кластеры")
    by_sign = by_sign.assign(panel="sign", category=by_sign["status"].map(labels),
                             stack=by_sign["status"].map({k: i for i, k in enumerate(labels)}))
    by_light = scores.groupby("light_label").size().rename("clusters").reset_index()
    by_light = by_light.assign(panel="light", label=pilots, category=by_light["light_label"], order=0, stack=0)
    counts = pd.concat([by_sign, by_light])[["panel", "order", "label", "category", "stack", "clusters"]].reset_index(drop=True)
    sign_order = list(by_sign.sort_values("order")["label"].drop_duplicates())
    status_scale = alt.Scale(domain=list(labels.values()), range=[T.STATUS_COLOURS[k] for k in labels])
    sign, status = text.say("Sign", "Признак"), text.say("Status", "Статус")
    many = {} if text.language() == "en" else {"title": "Кластеров"}
    tooltip = [alt.Tooltip("label:N", title=sign), alt.Tooltip("category:N", title=status), alt.Tooltip("clusters:Q", format=",", **many)]
    signs = alt.Chart(counts).transform_filter("datum.panel === 'sign'").mark_bar().encode(
        x=alt.X("clusters:Q", stack="normalize", title=text.say("Share of pilot clusters", "Доля пилотных кластеров"), axis=alt.Axis(format="%")),
        y=alt.Y("label:N", sort=sign_order, title=None, axis=alt.Axis(labelLimit=300)),
        color=alt.Color("category:N", scale=status_scale, legend=alt.Legend(title=status)),
        order=alt.Order("stack:Q"), tooltip=tooltip,
    ).properties(width=340, height=SCORECARD_STEP * len(sign_order), name="scorecard_signs")
    light_scale = _light_scale(scores)
    lights = alt.Chart(counts).transform_filter("datum.panel === 'light'").mark_bar().encode(
        x=alt.X("clusters:Q", title=pilots), y=alt.Y("category:N", sort=light_scale.domain, title=None),
        color=alt.Color("category:N", scale=light_scale, legend=alt.Legend(title=text.say("Light", "Светофор"))),
        tooltip=[alt.Tooltip("category:N", title=text.say("Light", "Светофор")), alt.Tooltip("clusters:Q", format=",", **many)],
    ).properties(width=200, height=SCORECARD_STEP * len(light_scale.domain), name="scorecard_lights")
    return alt.hconcat(signs, lights, spacing=24).resolve_scale(color="independent"), counts


def scorecard_heatmap(matrix: pd.DataFrame, scores: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """Cluster x sign matrix of statuses beside the score over the known signs and the evidence coverage.

    Clusters too thinly evidenced to score are grey and unranked. Beyond SCORECARD_ROWS clusters the chart
    shows counts instead of one row per cluster, so it stays readable and small at any registry size.
    """
    scores = _lights(scores)
    n, n_signs = scores["cluster"].nunique(), matrix["sign"].nunique()
    n_scored = int(scores["scored"].sum())
    unknown = (matrix["status"] == "unknown").mean() * 100
    top = scores[scores["rank_label"].isin(["1", "=1"])]
    leader = (text.say(f"the highest score is {_fmt(top['score'].iloc[0])}% ({', '.join(top['cluster_name'])})",
                       f"наивысшая оценка — {_fmt(top['score'].iloc[0])}% ({', '.join(top['cluster_name'])})")
              if len(top) else text.say("no cluster is scored", "ни один кластер не оценён"))
    plural = text.plural
    if n <= SCORECARD_ROWS:
        order = list(scores["cluster_name"])
        chart = alt.hconcat(_scorecard_grid(matrix, order), _score_bars(scores, order), spacing=8).resolve_scale(color="independent")
        data, shape = matrix, text.say(
            f"A grid of {n} pilot clusters by {n_signs} signs of sustainable cluster development",
            f"Сетка из {n} {plural(n, 'пилотного кластера|пилотных кластеров|пилотных кластеров')} и {n_signs} "
            f"{plural(n_signs, 'признака|признаков|признаков')} устойчивого развития кластеров")
        beside = text.say("Beside each row, a bar shows the cluster's score, its light and rank, and another its evidence coverage",
                          "Рядом с каждой строкой один столбец показывает оценку кластера, сигнал светофора и место, другой — полноту данных")
        over = (text.say("the known signs", "известным признакам") if (scores["score_over"] == "known").all()
                else text.say("all signs", "всем признакам"))
        shown = text.say(f"Status of each pilot on the {n_signs} signs of Kutsenko's model, score over {over} and evidence coverage",
                         f"Статус каждого пилотного кластера по {n_signs} {plural(n_signs, 'признаку|признакам|признакам')} модели Куценко, "
                         f"оценка по {over} и полнота данных")
    else:
        chart, data = _scorecard_counts(matrix, scores)
        shape = text.say(f"For each of {n_signs} signs of sustainable cluster development, the share of {n:,} pilot clusters by status",
                         f"Для каждого из {n_signs} {plural(n_signs, 'признака|признаков|признаков')} устойчивого развития кластеров — "
                         f"распределение {text.num(n)} {plural(n, 'пилотного кластера|пилотных кластеров|пилотных кластеров')} по статусам")
        beside = text.say("A second panel counts the clusters by light", "Вторая панель показывает число кластеров по сигналам светофора")
        shown = text.say(f"Share of the pilots by status on each of the {n_signs} signs of Kutsenko's model, and pilots by light",
                         f"Доля пилотных кластеров по статусам для каждого из {n_signs} {plural(n_signs, 'признака|признаков|признаков')} "
                         "модели Куценко и число пилотных кластеров по сигналам светофора")
    return finish(chart, chart_id="scorecard", source=source, data=data, **_scorecard_words(
        n, n_scored, shown=shown, shape=shape, beside=beside, unknown=f"{unknown:.0f}%", leader=leader))


def _scorecard_words(n: int, n_scored: int, *, shown: str, shape: str, beside: str, unknown: str, leader: str) -> dict[str, str]:
    """The scorecard's title, subtitle and alt text."""
    if text.language() == "en":
        return dict(
            title=f"{n_scored:,} of {n:,} pilot clusters have enough evidence to be scored",
            subtitle=f"{shown}; grey: too little evidence to score, so no light and no rank",
            description=(
                f"{shape}: meets, partly, fails or unknown. {unknown} of cells are unknown because the sources do not assess them. "
                f"{beside}; {n - n_scored:,} clusters have too little evidence to be scored and are grey, without a rank; {leader}."
            ))
    statuses = [text.lower(label) for label in T.status_labels().values()]
    thin = n - n_scored
    return dict(
        title=f"Данных достаточно для оценки {text.num(n_scored)} из {text.num(n)} "
              + text.plural(n, "пилотного кластера|пилотных кластеров|пилотных кластеров"),
        subtitle=f"{shown}; серым — данных для оценки недостаточно, поэтому нет ни сигнала светофора, ни места",
        description=(
            f"{shape}: {', '.join(statuses[:-1])} или {statuses[-1]}. {unknown} ячеек не заполнены: источники эти признаки не оценивают. "
            f"{beside}; у {text.num(thin)} {text.plural(thin, 'кластера|кластеров|кластеров')} данных для оценки недостаточно, "
            f"они показаны серым и без места; {leader}."
        ))


# --- foreign profiles ------------------------------------------------------------------


def _foreign_tooltip() -> list[alt.Tooltip]:
    say = text.say
    return [alt.Tooltip("name:N", title=say("Cluster", "Кластер")), alt.Tooltip("measure_label:N", title=say("Measure", "Показатель")),
            alt.Tooltip("value_text:N", title=say("Value", "Значение")), alt.Tooltip("formula:N", title=say("How it is computed", "Как рассчитано")),
            alt.Tooltip("scope_label:N", title=say("Scope", "Охват")), alt.Tooltip("quality:N", title=say("Quality", "Отметка качества"))]


def foreign_figures(figures: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """Normalised key figures of foreign clusters: one panel per measure that several clusters have.

    A measure with a single value makes a one-bar panel that compares nothing; such values are
    left to the table beside the chart. Colour shows the scope only when the figures differ in it.
    """
    d = figures.copy()
    d["value_text"] = d.apply(lambda r: text.derived(r["value"], approximate=bool(r["approximate"]))
                              + (" ?" if r["quality"] == "ambiguous" else ""), axis=1)
    d, names = _shown(_said(_quality(d), "measure_label"), d["scope"], "scope_label", I.SCOPE_LABELS)
    counts = d["measure_label"].value_counts()
    measures = [m for m in dict.fromkeys(d["measure_label"]) if counts[m] > 1]
    left_out = [m for m in dict.fromkeys(d["measure_label"]) if counts[m] == 1]
    d = d[d["measure_label"].isin(measures)]
    first = d[d["measure_label"] == measures[0]].sort_values("value", ascending=False)
    scopes = [s for s in T.SCOPE_COLOURS if names.get(s, s) in set(d["scope_label"])]
    if len(scopes) > 1:
        colour = alt.Color("scope_label:N", scale=alt.Scale(domain=[names.get(s, s) for s in scopes], range=[T.SCOPE_COLOURS[s] for s in scopes]),
                           legend=alt.Legend(title=text.say("What the figures describe", "Что описывают показатели")))
    else:
        colour = alt.value(T.SCOPE_COLOURS[scopes[0]])
    hover = alt.selection_point(name="hover_foreign", on="pointerover", fields=["name"], empty=False)
    panels = []
    for i, measure in enumerate(measures):
        part = d[d["measure_label"] == measure]
        base = alt.Chart(part).encode(y=alt.Y("name:N", sort=_order(part, "name", "value"), title=None, axis=alt.Axis(labelLimit=300)))
        bars = base.mark_bar(height={"band": 0.7}).encode(
            x=alt.X("value:Q", title=measure), color=colour,
            opacity=alt.condition(hover, alt.value(1), alt.value(0.85)),
            tooltip=_foreign_tooltip(),
        )
        if i == 0:
            bars = bars.add_params(hover)
        labels = base.mark_text(align="left", dx=3, fontSize=T.SIZES["note"], color=T.INK).encode(x="value:Q", text="value_text:N")
        panels.append(alt.layer(bars, labels).properties(width=WIDTH - 180, height=28 * len(part), name=f"foreign_{i}"))
    scope_note = (text.say(f"Every figure describes a {scopes[0].lower()}, not comparable with the participants of Russian initiatives",
                           f"Все показатели относятся к категории «{_lower(names.get(scopes[0], scopes[0]))}» и не сопоставимы "
                           "с числом участников российских инициатив")
                  if len(scopes) == 1 else text.say("Figures for whole industries or parks are not comparable with the participants of Russian initiatives",
                                                    "Показатели по отраслям регионов или паркам в целом не сопоставимы с числом участников "
                                                    "российских инициатив"))
    named = text.listing([text.lower(m) for m in left_out])
    single = (f". {named[:1].upper()}{named[1:]}: " + (text.say("one cluster each", "по каждому есть данные лишь одного кластера") if len(left_out) > 1
                                                       else text.say("one cluster", "есть данные лишь одного кластера"))
              + text.say(", in the table below", ", они приведены в таблице ниже") if left_out else "")
    listed, top, bottom = text.listing([_lower(m) for m in measures]), first.iloc[0], first.iloc[-1]
    return finish(
        alt.vconcat(*panels, spacing=18), chart_id="foreign-figures",
        title=text.say("Foreign reference clusters: ", "Зарубежные кластеры для сравнения: ") + listed,
        subtitle=textwrap.wrap(scope_note + single, 110),
        description=text.say(
            f"Bars compare foreign reference clusters on {listed}. "
            + f"{measures[0]} ranges from {top['value_text']} in {top['name']} "
            + f"to {bottom['value_text']} in {bottom['name']}. " + scope_note + ".",
            f"Столбцы сравнивают зарубежные кластеры по показателям: {listed}. {measures[0]}: наибольшее значение — {top['value_text']} "
            f"({top['name']}), наименьшее — {bottom['value_text']} ({bottom['name']}). {scope_note}."),
        source=source, data=figures,
    )


# --- success factors -------------------------------------------------------------------


#: The success-factor matrix gives each Russian cluster a column up to this many; beyond, the Russian clusters
#: share one column that counts how many of them name each factor (a column per cluster would be metres wide).
FACTOR_COLUMNS = 40


def _russian_column(matrix: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The matrix with its Russian clusters as one column (`items`: how many name the factor) when they are more
    than FACTOR_COLUMNS, and how many Russian clusters it names (0 when each keeps its column)."""
    russian = matrix[matrix["side"] == "russian"]
    n = russian["subject"].nunique()
    if n <= FACTOR_COLUMNS:
        return matrix, 0
    joined = russian.groupby(["side", "factor", "factor_label", "side_label"], as_index=False).agg(items=("subject", "nunique"))
    joined = joined.assign(subject="russian", subject_label=text.say(f"Russian clusters ({text.num(n)})",
                                                                     f"Российские кластеры ({text.num(n)})"))
    return pd.concat([matrix[matrix["side"] != "russian"], joined[matrix.columns]], ignore_index=True), n


def factor_matrix(matrix: pd.DataFrame, overlap: pd.DataFrame, *, source: str) -> alt.VConcatChart:
    """Which preconditions each country or Russian cluster names, factors ordered shared first."""
    matrix, joined = _russian_column(matrix)
    d = matrix.copy()
    ov = overlap.copy()
    ov["rank"] = ov["overlap"].map({"shared": 0, "foreign only": 1, "Russian only": 2})
    factor_order = list(ov.sort_values(["rank", "foreign", "russian"], ascending=[True, False, False])["label"])
    d = d.merge(ov[["factor", "overlap"]], on="factor")
    d, sides = _shown(d if text.language() == "en" else d.assign(overlap=d["overlap"].map(T.said)),
                      d["side"], "side_label", {"foreign": "World", "russian": "Russia"})
    subjects = list(d[d["side"] == "foreign"]["subject_label"].drop_duplicates()) + list(d[d["side"] == "russian"]["subject_label"].drop_duplicates())
    hover = alt.selection_point(name="hover_factor", on="pointerover", fields=["factor_label"], empty=False)
    cells = alt.Chart(d).mark_square(size=230).encode(
        x=alt.X("subject_label:N", sort=subjects, title=None, axis=alt.Axis(orient="top", labelAngle=-40, labelLimit=240)),
        y=alt.Y("factor_label:N", sort=factor_order, title=None, axis=alt.Axis(labelLimit=300)),
        color=alt.Color("side_label:N", scale=alt.Scale(domain=[sides[k] for k in T.SIDE_COLOURS], range=list(T.SIDE_COLOURS.values())),
                        legend=alt.Legend(title=text.say("Named by", "Кем назван"))),
        opacity=alt.condition(hover, alt.value(1), alt.value(0.8)),
        tooltip=[alt.Tooltip("factor_label:N", title=text.say("Factor", "Фактор")),
                 alt.Tooltip("subject_label:N", title=text.say("Named by", "Кем назван")),
                 alt.Tooltip("overlap:N", title=text.say("Across the two sides", "Совпадение сторон")),
                 alt.Tooltip("items:Q", title=text.say("Bullets in the source table", "Пунктов в таблице источника") if not joined
                             else text.say("Bullets in the source table (a country) or clusters naming it (Russia)",
                                           "Пунктов в таблице источника (страна) или кластеров, назвавших фактор (Россия)"))],
    ).add_params(hover)
    chart = cells.properties(width=26 * len(subjects), height=20 * len(factor_order), name="factor_matrix")
    sep = text.say(", ", "; ")  # Russian labels hold commas of their own
    named = {kind: sep.join(_lower(label) for label in ov.loc[ov["overlap"] == kind, "label"])
             for kind in ("shared", "foreign only", "Russian only")}
    return finish(
        chart, chart_id="success-factors",
        title=text.say("Foreign and Russian preconditions of cluster success", "Предпосылки успеха кластеров за рубежом и в России"),
        subtitle=text.say("Preconditions named for foreign countries and Russian clusters on one shared list of factors; factors named by both sides first",
                          "Предпосылки, названные для зарубежных стран и российских кластеров, сведены в общий перечень факторов; "
                          "сначала — факторы, названные обеими сторонами"),
        description=text.say(
            f"A matrix of success factors (rows) against {len(subjects)} countries and Russian clusters (columns): {', '.join(subjects)}. "
            f"A square marks each factor named as a precondition. Named on both sides: {named['shared']}. "
            f"Only for foreign countries: {named['foreign only']}. Only for Russian clusters: {named['Russian only']}.",
            f"Матрица: по строкам — факторы успеха, по столбцам — зарубежные страны и российские кластеры ({len(subjects)}): "
            f"{sep.join(subjects)}. Квадрат отмечает каждый фактор, названный предпосылкой успеха. Названы обеими сторонами: "
            f"{named['shared']}. Только для зарубежных стран: {named['foreign only']}. Только для российских кластеров: {named['Russian only']}."),
        source=source, data=matrix,
    )


# --- policy timeline -------------------------------------------------------------------


#: How precisely the source dates an event, as readers are told in the tooltip.
PRECISION_TEXT = {"day": "exact day", "month": "month only", "year": "year only",
                  "circa": "approximate: the year the source was written"}
PRECISION_TEXT_RU = {"day": "точная дата", "month": "только месяц", "year": "только год",
                     "circa": "приблизительно: год написания источника"}


def _timeline_words(d: pd.DataFrame) -> pd.DataFrame:
    """The events with their dates and row labels as the language spoken writes them ('17 ноября 2008 г.',
    '(№ 1662-р)'), and their kinds named in it."""
    d = d.assign(precision_text=d["date_precision"].map(text.say(PRECISION_TEXT, PRECISION_TEXT_RU)))
    if text.language() == "en":
        return d
    from babel.dates import format_date

    def when(day: str, precision: str, year: int) -> str:
        if precision == "day":
            return text.date(day)
        if precision == "month":
            return format_date(pd.Timestamp(day).date(), "LLLL y г.", locale="ru")
        return f"ок. {year} г." if precision == "circa" else f"{year} г."

    return d.assign(when=[when(*row) for row in zip(d["date"], d["date_precision"], d["year"])],
                    label=[title + (f" (№ {number})" if number else "") for title, number in zip(d["title"], d["number_text"])])


def _timeline_tooltip() -> list[alt.Tooltip]:
    say = text.say
    return [alt.Tooltip("when:N", title=say("Date", "Дата")), alt.Tooltip("precision_text:N", title=say("Dated to", "Точность даты")),
            alt.Tooltip("title:N", title=say("Event", "Событие")), alt.Tooltip("number_text:N", title=say("Number", "Номер")),
            alt.Tooltip("kind_label:N", title=say("Kind", "Вид")), alt.Tooltip("description:N", title=say("What it did", "Содержание")),
            alt.Tooltip("locator:N", title=say("Where", "Где в источнике"))]


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
    d, kinds = _shown(_timeline_words(d), d["kind"], "kind_label", I.EVENT_LABELS)
    order = list(d["label"])
    hover = alt.selection_point(name="hover_event", on="pointerover", fields=["id"], empty=False)
    colour = alt.Color("kind_label:N", scale=alt.Scale(domain=[kinds[k] for k in T.EVENT_COLOURS], range=list(T.EVENT_COLOURS.values())),
                       legend=alt.Legend(title=None, columns=4, direction="horizontal"))
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=460, labelFontSize=T.SIZES["note"]))
    first_year, last_year = int(events["year"].min()), int(events["year"].max())
    x_scale = alt.Scale(domain=[f"{first_year}-01-01", f"{last_year + 1}-01-01"])
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%Y", tickCount="year"), scale=x_scale)
    d["start"] = f"{first_year}-01-01"
    tooltip = _timeline_tooltip()
    stems = alt.Chart(d).mark_rule(color=T.GRID).encode(x=alt.X("start:T", scale=x_scale), x2="date:T", y=y)
    spans = alt.Chart(d).transform_filter(alt.datum.date_precision != "day").mark_bar(height=10, strokeWidth=1.5).encode(
        x=x, x2="end:T", y=y, color=colour, stroke=alt.Color("kind_label:N", legend=None,
                                                           scale=alt.Scale(domain=[kinds[k] for k in T.EVENT_COLOURS],
                                                                           range=list(T.EVENT_COLOURS.values()))),
        fillOpacity=alt.condition(alt.datum.date_precision == "circa", alt.value(0.15), alt.value(0.45)),
        strokeDash=alt.condition(alt.datum.date_precision == "circa", alt.value([3, 2]), alt.value([1, 0])),
        tooltip=tooltip,
    )
    dots = alt.Chart(d).transform_filter(alt.datum.date_precision == "day").mark_point(filled=True, size=90).encode(
        x=x, y=y, color=colour,
        size=alt.condition(hover, alt.value(180), alt.value(90)),
        tooltip=tooltip,
    ).add_params(hover)
    # rows tall enough for titles on two and three lines side by side, as the theme wraps long labels
    chart = alt.layer(stems, spans, dots).properties(width=WIDTH - 160, height=34 * len(d), name="policy_timeline")
    rough = events[events["date_precision"] != "day"]
    return finish(
        chart, chart_id="policy-timeline",
        title=text.say(f"Russian cluster policy, {first_year}-{last_year}", f"Кластерная политика России, {first_year}–{last_year}"),
        subtitle=text.say(["Laws, government orders, programmes and milestones named in the sources.",
                           "Dots are exact dates; bars span the month or year when the source gives no day; a dashed bar is only the year the source was written."],
                          ["Законы, распоряжения Правительства, программы и события, названные в источниках.",
                           "Точки — точные даты; столбцы охватывают месяц или год, если источник не называет день; "
                           "пунктирный столбец — лишь год написания источника."]),
        description=text.say(
            f"A timeline of {len(d)} events in Russian cluster policy: ",
            f"Хронология {len(d)} {text.plural(len(d), 'события|событий|событий')} кластерной политики России: ")
            + "; ".join(f"{when}: {title}" for when, title in zip(d["when"], d["title"])) + ". "
            + text.say(f"{len(rough)} of them are dated by the source only to a month or a year, and are drawn as bars across that period.",
                       f"{len(rough)} из них источник датирует лишь месяцем или годом; они показаны столбцами на весь этот период."),
        source=source, data=events,
    )


# --- maps ------------------------------------------------------------------------------

#: A map draws one dot per cluster up to this many clusters. Beyond, thousands of dots would hide
#: one another and inline megabytes into the page (Vega-Lite embeds every row), so clusters of one
#: kind are counted per square of `MAP_CELL` degrees and each square gets one dot, sized by its count.
MAP_DOTS = 300
MAP_CELL = 2.0


def in_squares(locations: pd.DataFrame) -> bool:
    """Whether a map of these locations (`indicators.cluster_locations`) counts its clusters per square."""
    return len(locations) > MAP_DOTS


def map_squares(locations: pd.DataFrame) -> pd.DataFrame:
    """Clusters counted per kind and square of `MAP_CELL` degrees, each square at its clusters' mean position."""
    d = locations.assign(square_lat=(locations["lat"] // MAP_CELL) * MAP_CELL,
                         square_lon=(locations["lon"] // MAP_CELL) * MAP_CELL)
    squares = d.groupby(["kind", "kind_label", "square_lat", "square_lon"], sort=True).agg(
        clusters=("id", "size"), lat=("lat", "mean"), lon=("lon", "mean"),
        places=("place", lambda s: _some(sorted(set(s)))))
    return squares.reset_index().round({"lat": 2, "lon": 2})


def _some(names: list[str], shown: int = 3) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (text.say(f" and {more} more", f" и ещё {text.num(more)}") if more > 0 else "")


def _kinds(locations: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The clusters with their kinds named in the language spoken, and each English kind to the name shown."""
    return _shown(locations, locations["kind"], "kind_label", I.KIND_LABELS)


#: The name of the country outlines in a map's spec.
BOUNDARIES = "country-outlines"
#: The directory map's parameter: the ids of the clusters the directory lists, or null for all.
DIRECTORY_SHOWN = "directory_shown"


def _map(locations: pd.DataFrame, boundaries: dict, *, chart_id: str, projection: dict, width: int, height: int,
         title: str, subtitle: str, description: str, source: str, shown_param: str | None = None,
         in_print: bool = True, hint: str | None = None) -> alt.VConcatChart:
    name = chart_id.replace("-", "_")
    locations, kind_names = _kinds(locations)
    grouped = in_squares(locations)
    if grouped:
        d = map_squares(locations)
    else:
        # Pilots last, so a dot for part of a pilot, placed at the same city, never hides the pilot's dot.
        d = pd.concat([locations[locations["kind"] != "pilot"], locations[locations["kind"] == "pilot"]])
        group = text.say("Group", "Группа")
        d["support_text"] = d["support_group"].map(lambda g: "" if pd.isna(g) else f"{group} {int(g)}")
        d["dot_text"] = d["name"] + ", " + d["place"] + ": " + d["kind_label"].map(_lower)
    kinds = [k for k in T.KIND_COLOURS if kind_names[k] in set(d["kind_label"])]
    legend_pick = alt.selection_point(name=f"{name}_kind", fields=["kind_label"], bind="legend")
    hover = alt.selection_point(name=f"{name}_hover", on="pointerover", fields=["id"], empty=False)
    russia = "datum.properties.iso_a3 === 'RUS'"
    # The outlines are decoration (aria=False: no unnamed graphics for screen readers). Russia is drawn
    # in its own fill colour: its polygons are cut at 180 degrees, and a stroke
    # would draw that cut as a straight edge through Chukotka.
    # the outlines join the spec as a named dataset at the end: inline, Altair would copy all
    # their coordinates at every layer and parameter it combines
    countries = alt.Chart(alt.Data(name=BOUNDARIES)).mark_geoshape(strokeWidth=0.5, aria=False).encode(
        fill=alt.condition(russia, alt.value(T.LAND_FOCUS), alt.value(T.LAND)),
        stroke=alt.condition(russia, alt.value(T.LAND_FOCUS), alt.value(T.BORDER)),
    ).project(**projection)
    points = alt.Chart(d).mark_circle(stroke="white", strokeWidth=0.8, **({} if grouped else {"cursor": "pointer"})).encode(
        longitude="lon:Q", latitude="lat:Q",
        color=alt.Color("kind_label:N", scale=alt.Scale(domain=[kind_names[k] for k in kinds], range=[T.KIND_COLOURS[k] for k in kinds]),
                        legend=alt.Legend(title=None)),
        size=(alt.Size("clusters:Q", scale=alt.Scale(range=[40, 900]), legend=alt.Legend(title=text.say("Clusters", "Кластеры"))) if grouped
              else alt.condition(hover, alt.value(220), alt.value(80))),
        opacity=alt.condition(legend_pick, alt.value(0.95 if not grouped else 0.7), alt.value(0.12)),
        tooltip=_map_tooltip(grouped),
        # what a screen reader says for a dot (by default, every field with its name)
        **({} if grouped else {"description": "dot_text:N"}),
    ).project(**projection).add_params(legend_pick, *([] if grouped else [hover]))
    follows = shown_param if shown_param and not grouped else None
    if follows:
        # a page script narrows the dots to a list of cluster ids by setting this parameter; null shows all
        points = points.add_params(alt.param(name=follows, value=None)).transform_filter(
            f"{follows} === null || indexof({follows}, datum.id) >= 0")
    chart = alt.layer(countries, points).properties(width=width, height=height, name=name)
    if grouped and hint:
        hint = _SQUARES_HINT()  # a square's dot stands for many clusters, so a click opens no profile
    done = finish(chart, chart_id=chart_id, title=title, subtitle=subtitle, description=description, source=source, data=d,
                  profile_field=None if grouped else "id", in_print=in_print, hint=hint, filter_param=follows)
    # Set, not `.properties()`: that validates all 10,000 coordinates against the schema, a fifth of a second a map.
    done.datasets = {BOUNDARIES: boundaries["features"]}
    return done


def _outline_points(boundaries: dict, iso_a3: str) -> list[list[float]]:
    """The (lon, lat) points of a country's outer rings, for a projection to fit."""
    feature = next(f for f in boundaries["features"] if f["properties"].get("iso_a3") == iso_a3)
    rings = [poly[0] for poly in feature["geometry"]["coordinates"]] if feature["geometry"]["type"] == "MultiPolygon" \
        else [feature["geometry"]["coordinates"][0]]
    return [pt for ring in rings for pt in ring]


def _map_tooltip(grouped: bool) -> list:
    say = text.say
    if grouped:
        return [alt.Tooltip("kind_label:N", title=say("Kind", "Вид")), alt.Tooltip("clusters:Q", title=say("Clusters", "Кластеры")),
                alt.Tooltip("places:N", title=say("Places", "Места"))]
    return [alt.Tooltip("name:N", title=say("Cluster", "Кластер")), alt.Tooltip("kind_label:N", title=say("Kind", "Вид")),
            alt.Tooltip("place:N", title=say("Place", "Место")), alt.Tooltip("region:N", title=say("Region", "Регион")),
            alt.Tooltip("industry:N", title=say("Industry", "Отрасль")), alt.Tooltip("support_text:N", title=say("Support group", "Группа поддержки"))]


def _dots(locations: pd.DataFrame) -> str:
    """How the map's dots read, for its alt text."""
    if in_squares(locations):
        squares, n, cell = len(map_squares(locations)), len(locations), text.num(MAP_CELL)
        return text.say(f"a dot for each square of {MAP_CELL:g} by {MAP_CELL:g} degrees holding clusters of one kind, "
                        f"sized by how many ({squares} dots for {n:,} clusters)",
                        f"точка для каждого квадрата {cell} × {cell} {text.plural(MAP_CELL, 'градус|градуса|градусов')} с кластерами "
                        f"одного вида, размер точки — по их числу ({text.num(squares)} {text.plural(squares, 'точка|точки|точек')} "
                        f"для {text.num(n)} {text.plural(n, 'кластера|кластеров|кластеров')})")
    return text.say("a dot for each cluster", "точка для каждого кластера")


def _HINT() -> str:
    """How to use a map on screen (the PDF leaves it out)."""
    return text.say("Hover for details; click a dot for the cluster's profile.",
                    "Наведите указатель на точку, чтобы увидеть подробности; нажмите на неё, чтобы открыть профиль кластера.")


def _SQUARES_HINT() -> str:
    """How to use, on screen, a map whose dots count the clusters in a square."""
    return text.say("Hover over a dot for how many clusters of one kind its square holds; click the legend to show one kind.",
                    "Наведите указатель на точку, чтобы узнать, сколько кластеров одного вида в её квадрате; "
                    "нажмите на элемент легенды, чтобы оставить кластеры одного вида.")


def _counted(locations: pd.DataFrame) -> str:
    """How many clusters of each kind a map shows, for its alt text."""
    counts = list(locations["kind_label"].value_counts().items())
    return text.say("; ".join(f"{n:,} {k.lower()}s" for k, n in counts), "; ".join(f"{_lower(k)} — {text.num(n)}" for k, n in counts))


def cluster_map(locations: pd.DataFrame, boundaries: dict, *, source: str) -> alt.VConcatChart:
    """World map of pilot, other Russian and foreign clusters."""
    locations = _kinds(locations)[0]
    countries = ", ".join(sorted(locations.loc[locations["kind"] == "foreign", "country"].unique()))
    return _map(
        locations, boundaries, chart_id="cluster-map",
        projection={"type": "equalEarth"}, width=WIDTH + 80, height=340,
        title=text.say("Where the clusters are", "Где расположены кластеры"),
        subtitle=text.say("Russian pilot clusters, other Russian clusters and the foreign clusters the sources describe",
                          "Российские пилотные кластеры, другие российские кластеры и зарубежные кластеры, описанные в источниках"),
        hint=text.say("Click the legend to show one kind; click a dot for the cluster's profile.",
                      "Нажмите на элемент легенды, чтобы оставить кластеры одного вида; нажмите на точку, чтобы открыть профиль кластера."),
        description=text.say(
            f"A world map with {_dots(locations)}: {_counted(locations)}. Foreign clusters are in {countries} (ISO country codes).",
            f"Карта мира — {_dots(locations)}: {_counted(locations)}. Зарубежные кластеры находятся в странах с кодами ISO {countries}."),
        source=source,
    )


def directory_map(locations: pd.DataFrame, boundaries: dict, *, source: str) -> alt.VConcatChart:
    """The world map of the cluster directory, whose dots follow the directory's filters; beyond `MAP_DOTS`
    clusters its dots count the clusters per square, and it shows them all whatever the filters."""
    if in_squares(locations):
        title = text.say("The clusters on the map", "Кластеры на карте")
        subtitle = text.say("Counted per square; the filters below narrow the list, not the map",
                            "По числу кластеров в квадрате; фильтры ниже сужают список, а не карту")
        description = text.say(f"A world map with {_dots(locations)}.", f"Карта мира — {_dots(locations)}.")
    else:
        title = text.say("The clusters in the list, on the map", "Кластеры из списка на карте")
        subtitle = text.say("The dots follow the filters below", "Точки меняются вместе с фильтрами ниже")
        description = text.say(f"A world map with {_dots(locations)}, narrowed to the clusters that the directory's filters leave in the list.",
                               f"Карта мира — {_dots(locations)}; показаны только кластеры, которые фильтры каталога оставили в списке.")
    return _map(
        # the directory is a tool of the site; the report's own maps are in the pilot clusters chapter
        locations, boundaries, chart_id="directory-map", shown_param=DIRECTORY_SHOWN, in_print=False,
        projection={"type": "equalEarth"}, width=WIDTH + 80, height=340,
        title=title, subtitle=subtitle, hint=_HINT(), description=description, source=source,
    )


def russia_map(locations: pd.DataFrame, boundaries: dict, *, source: str) -> alt.VConcatChart:
    """Map of Russia with the pilot clusters and other Russian clusters."""
    ru = locations[locations["country"] == "RU"]
    places = sorted(ru["place"].unique())
    pilots, parts, others = (int((ru["kind"] == kind).sum()) for kind in ("pilot", "pilot_component", "russian_other"))
    return _map(
        ru, boundaries, chart_id="russia-map",
        # conic, centred near 100 degrees east and fitted to the whole country, Kaliningrad to Chukotka;
        # clipExtent rather than a clipped mark: the shapes are cut by the projection, so the SVG holds
        # no clip-path (whose generated id would differ between renders)
        projection=geo.fit_conic_equal_area(_outline_points(boundaries, "RUS"),
                                            rotate=-100, parallels=(52, 68), width=WIDTH + 80, height=380),
        width=WIDTH + 80, height=380,
        title=text.say("Russian pilot clusters across the country", "Российские пилотные кластеры на карте страны"),
        subtitle=text.say("Most pilots sit in European Russia; a few are in Siberia and the Far East.",
                          "Большинство пилотных кластеров находится в европейской части России, несколько — в Сибири и на Дальнем Востоке."),
        hint=_HINT(),
        description=text.say(
            "A map of Russia with " + ("a dot for each of the" if not in_squares(ru) else f"{_dots(ru)}, for the")
            + f" {pilots:,} pilot clusters, the "
            f"{parts} parts of pilots that the sources name on their own, and the "
            f"{others} other Russian clusters in the sources, placed at"
            + (": " + ", ".join(places) if len(places) <= 40 else f" {len(places):,} places") + ".",
            f"Карта России — {_dots(ru)}: {text.num(pilots)} {text.plural(pilots, 'пилотный кластер|пилотных кластера|пилотных кластеров')}, "
            f"{parts} {text.plural(parts, 'часть пилотного кластера|части пилотных кластеров|частей пилотных кластеров')}, которые источники "
            f"называют отдельно, и {others} {text.plural(others, 'другой российский кластер|других российских кластера|других российских кластеров')} "
            "из источников. " + ("Места: " + ", ".join(places) if len(places) <= 40
                                 else f"Мест: {text.num(len(places))}") + "."),
        source=source,
    )
