"""Benchmark analyses: pure pandas functions over a validated `Dataset`.

Each function returns a tidy DataFrame (or a small dict of figures) and reads
nothing from disk. Derived values carry the inputs they came from, so the site can
show how each number was made.
"""

from __future__ import annotations

import pandas as pd

from analysis import text
from analysis.data import Dataset

#: Global fields with at least this many clusters count as fields "where the world has many clusters".
MANY_CLUSTERS = 10
#: Pilots with fewer participants than this are the small clusters the source names.
FEW_PARTICIPANTS = 20

SCOPE_LABELS = {
    "initiative": "Cluster initiative",
    "regional_industry": "Whole regional industry or park",
}
KIND_LABELS = {"pilot": "Pilot cluster", "pilot_component": "Part of a pilot cluster", "russian_other": "Other Russian cluster",
               "foreign": "Foreign cluster"}
EVENT_LABELS = {
    "law": "Law", "government_order": "Government order", "resolution": "Resolution", "decree": "Decree",
    "programme": "Programme", "study": "Study", "milestone": "Milestone",
}


# --- shared helpers --------------------------------------------------------------------


def _obs(ds: Dataset, entity: str | None = None, indicator: str | None = None) -> pd.DataFrame:
    where = {"entity": entity, "indicator": indicator}
    return ds.observation_rows(**{col: value for col, value in where.items() if value is not None})


def value(ds: Dataset, entity: str, indicator: str, year: int | None = None) -> float:
    """The single value of an observation; raises if there is none or more than one."""
    rows = _obs(ds, entity, indicator)
    if year is not None:
        rows = rows[rows["year"] == year]
    values = rows["value"].dropna().unique()
    if len(values) != 1:
        raise LookupError(f"expected one value for {entity}/{indicator}, found {list(values)}")
    return float(values[0])


def benchmark(ds: Dataset, benchmark_id: str) -> pd.Series:
    rows = ds["benchmarks"]
    return rows[rows["id"] == benchmark_id].iloc[0]


def distribution(ds: Dataset, distribution_id: str) -> pd.DataFrame:
    """One distribution with its rows in display order."""
    d = ds["distributions"]
    return d[d["distribution"] == distribution_id].sort_values("order").reset_index(drop=True)


def source_note(ds: Dataset, *refs: tuple[str, str]) -> str:
    """'Source: Kutsenko (2015): 002 Figure 7, 002 Figure 8; ...' for (source id, locator) pairs.

    Locators are grouped under their source, in first-seen order, without repeats.
    """
    names = dict(zip(ds["sources"]["id"], ds["sources"]["short_name"]))
    grouped: dict[str, list[str]] = {}
    for src, loc in refs:
        locs = grouped.setdefault(src, [])
        if loc not in locs:
            locs.append(loc)
    parts = [f"{names.get(src, src)}: {', '.join(locs)}" for src, locs in grouped.items()]
    return ("Sources: " if len(parts) > 1 else "Source: ") + "; ".join(parts) + "."


def _pilots(ds: Dataset) -> pd.DataFrame:
    clusters = ds["clusters"]
    return clusters[clusters["kind"] == "pilot"]


def _verdict(value: float, qualifier: str, value_high: float, comparator: str, threshold: float) -> str:
    """'meets' when every value the qualifier allows passes `comparator threshold`, 'fails' when none does, else 'unknown'.

    "about" gives no margin, so it never decides; "almost" bounds from above only; a range (`value_high`)
    is read as its closed interval. A qualifier not listed here decides nothing.
    """
    if pd.isna(value) or qualifier not in ("exact", "more_than", "at_least", "less_than", "at_most", "almost"):
        return "unknown"
    low, low_open, high, high_open = value, qualifier == "more_than", value, qualifier in ("less_than", "almost")
    if qualifier in ("more_than", "at_least"):
        high, high_open = float("inf"), True
    elif qualifier in ("less_than", "at_most", "almost"):
        low, low_open = float("-inf"), True
    elif pd.notna(value_high):
        high = value_high
    t = threshold
    if comparator == "more_than":
        meets, fails = low > t or (low == t and low_open), high <= t
    elif comparator == "at_least":
        meets, fails = low >= t, high < t or (high == t and high_open)
    elif comparator == "less_than":
        meets, fails = high < t or (high == t and high_open), low >= t
    else:
        raise ValueError(f"a '{comparator}' benchmark is a reference, not a pass-or-fail criterion")
    return "meets" if meets else ("fails" if fails else "unknown")


# --- programme facts ------------------------------------------------------------------


def _row(ds: Dataset, entity: str, indicator: str, year: int | None = None, source: str | None = None) -> pd.Series:
    rows = _obs(ds, entity, indicator)
    if year is not None:
        rows = rows[rows["year"] == year]
    if source is not None:
        rows = rows[rows["source"] == source]
    if rows.empty:
        raise LookupError(f"no observation {entity}/{indicator}")
    return rows.sort_values(["year", "source"], na_position="first").iloc[-1]


def _later_count(ds: Dataset, selection_year: int, selection_count: int, remaining_year: int) -> int | None:
    """The programme's size between the selection and the latest count.

    A count dated between the two wins, the latest first. Only without one may an undated count stand in
    (the source says "in subsequent years" without a year): it must be the only undated value and differ from
    the selection count, since the list began at the selection. A missing year alone never makes a count later.
    """
    counts = _obs(ds, "ru-itc-programme", "clusters_in_programme").dropna(subset=["value"])
    dated = counts[(counts["year"] > selection_year) & (counts["year"] < remaining_year)]
    if len(dated):
        return int(dated.sort_values(["year", "source"]).iloc[-1]["value"])
    undated = counts.loc[counts["year"].isna(), "value"].unique()
    if len(undated) > 1:
        raise LookupError(f"undated counts of clusters in the programme disagree: {sorted(undated)}; give each its year")
    if len(undated) and int(undated[0]) != selection_count:
        return int(undated[0])
    return None


def programme_facts(ds: Dataset) -> dict:
    """The programme's key numbers, for prose: selection, support groups, subsidies, later counts."""
    p = "ru-itc-programme"
    selected = _row(ds, p, "clusters_selected", source="kutsenko-2015")
    g1 = _row(ds, "ru-pilots-group1", "clusters_in_group", source="kutsenko-2015")
    g2 = _row(ds, "ru-pilots-group2", "clusters_in_group", source="kutsenko-2015")
    remaining = _row(ds, p, "clusters_in_programme", year=2021)
    later = _later_count(ds, int(selected["year"]), int(selected["value"]), int(remaining["year"]))
    return {
        "selected": int(selected["value"]),
        "selection_year": int(selected["year"]),
        "applications": int(_row(ds, p, "applications", source="kutsenko-2015")["value"]),
        "group1": int(g1["value"]), "group1_year": int(g1["year"]),
        "group2": int(g2["value"]), "group2_year": int(g2["year"]),
        "group1_subsidy_bn": value(ds, "ru-pilots-group1", "federal_subsidy"),
        "later_count": later,
        "remaining": int(remaining["value"]), "remaining_year": int(remaining["year"]),
        "support_years": int(value(ds, p, "support_years")),
        "dev_centre_subsidy_mn": value(ds, "ru-cluster-dev-centres", "subsidy_total"),
        "dev_centre_regions": int(value(ds, "ru-cluster-dev-centres", "regions_funded")),
        "spending_areas": int(value(ds, p, "spending_areas")),
        "spending_areas_chosen": int(value(ds, p, "spending_areas_chosen")),
    }


# --- 1. critical mass ------------------------------------------------------------------


def participants_by_industry(ds: Dataset) -> pd.DataFrame:
    """Average participants per pilot cluster by industry (002 Figure 1) against the size references.

    `position` places each average against the 30-50 minimum range, the global average of 80
    and the higher estimate of 100.
    """
    d = distribution(ds, "ru-participants-by-industry")
    low = benchmark(ds, "critical-mass-minimum")
    avg = benchmark(ds, "global-average-participants")["value"]

    def position(v: float) -> str:
        if v < low["value"]:
            return "below the minimum range"
        if v <= low["value_high"]:
            return "within the minimum range"
        if v < avg:
            return "above the minimum, below the global average"
        return "at or above the global average"

    out = pd.DataFrame({
        "industry_group": d["category"],
        "industry": d["label"],
        "participants_avg": d["value"],
        "share_of_global_avg": (d["value"] / avg * 100).round(1),
        "position": d["value"].map(position),
        "source": d["source"],
        "locator": d["locator"],
    })
    return out


def critical_mass_references(ds: Dataset) -> pd.DataFrame:
    """The size references drawn on the critical-mass chart."""
    rows = []
    for bid in ("critical-mass-minimum", "global-average-participants", "critical-mass-high"):
        b = benchmark(ds, bid)
        rows.append({
            "benchmark": bid, "label": b["label"], "value": b["value"],
            "value_high": b["value_high"] if pd.notna(b["value_high"]) else None,
            "cited_work": b["cited_work"], "source": b["source"], "locator": b["locator"],
        })
    return pd.DataFrame(rows)


def russia_vs_global_average(ds: Dataset) -> dict:
    """Russia's average participants as a share of the global average (the source calls it 'almost half')."""
    ru = value(ds, "ru-pilots", "participants_avg")
    world = value(ds, "greenbook-2012", "participants_avg")
    return {"russia": ru, "world": world, "share_pct": round(ru / world * 100, 1), "gap": world - ru}


PARTICIPANT_COLUMNS = ["entity", "name", "industry_group", "value", "qualifier", "year", "source", "locator", "quality"]


def _pilot_participant_rows(ds: Dataset) -> pd.DataFrame:
    pilots = _pilots(ds)
    obs = _obs(ds, indicator="participants")
    rows = obs[obs["entity"].isin(pilots["id"])].merge(pilots[["id", "name", "industry_group"]], left_on="entity", right_on="id")
    return rows[PARTICIPANT_COLUMNS + ["value_high"]].sort_values(["value", "entity"]).reset_index(drop=True)


def pilot_participants(ds: Dataset) -> pd.DataFrame:
    """Every participant count recorded for a pilot cluster, with its qualifier ('less_than' 20, ...)."""
    return _pilot_participant_rows(ds)[PARTICIPANT_COLUMNS]


def clusters_below_20(ds: Dataset) -> pd.DataFrame:
    """Pilot clusters recorded with fewer than 20 participants: an exact count below 20, or a bound that guarantees it."""
    rows = _pilot_participant_rows(ds)
    below = rows.apply(lambda r: _verdict(r["value"], r["qualifier"], r["value_high"], "less_than", FEW_PARTICIPANTS), axis=1)
    return rows.loc[below == "meets", PARTICIPANT_COLUMNS].sort_values("name").reset_index(drop=True)


# --- 2. business leadership ------------------------------------------------------------


def business_share_check(ds: Dataset) -> pd.DataFrame:
    """Each pilot against the European criterion of more than 50% companies: meets, fails, or unknown.

    A bound decides only from the right side of the threshold ("less than 50" fails, "less than 60" is unknown).
    """
    criterion = benchmark(ds, "business-share-criterion")
    pilots = _pilots(ds)[["id", "name", "industry_group"]]
    obs = _obs(ds, indicator="business_share")
    merged = pilots.merge(obs[["entity", "value", "value_high", "qualifier", "locator"]], left_on="id", right_on="entity", how="left")
    merged["criterion"] = merged.apply(
        lambda r: _verdict(r["value"], r["qualifier"], r["value_high"], criterion["comparator"], criterion["value"]), axis=1)
    return merged[["id", "name", "industry_group", "value", "qualifier", "criterion", "locator"]].sort_values(["criterion", "name"]).reset_index(drop=True)


def sme_shares(ds: Dataset) -> pd.DataFrame:
    """SME share of participants in Russian pilots, with and without ICT clusters, against the European majority."""
    rows = [
        {"measure": "Russian pilots, all", "side": "Russia", "value": value(ds, "ru-pilots", "sme_share"), "kind": "observed"},
        {"measure": "Russian pilots, ICT clusters excluded", "side": "Russia", "value": value(ds, "ru-pilots", "sme_share_excl_ict"), "kind": "observed"},
    ]
    ref = benchmark(ds, "sme-majority")
    rows.append({"measure": "European model: SMEs are the majority", "side": "World", "value": ref["value"], "kind": "benchmark"})
    return pd.DataFrame(rows)


def board_composition(ds: Dataset) -> pd.DataFrame:
    """Supervisory board seats of cluster organisations worldwide (002 Figure 6), largest first."""
    d = distribution(ds, "world-board-composition")
    return d[["category", "label", "value", "source", "locator", "quality"]].sort_values("value", ascending=False).reset_index(drop=True)


# --- 3. governance and funding ---------------------------------------------------------


def specialist_org_status(ds: Dataset) -> pd.DataFrame:
    d = distribution(ds, "ru-specialist-org-status")
    return d[["category", "label", "value", "source", "locator", "quality"]]


def governance_mechanisms(ds: Dataset) -> pd.DataFrame:
    """Mechanisms giving participants and the state a say (002 Figure 5); unreadable values stay empty."""
    d = distribution(ds, "ru-governance-mechanisms")
    return d[["category", "label", "value", "quality", "note", "source", "locator"]]


def funding_mapping(ds: Dataset) -> pd.DataFrame:
    """How the Russian and world funding categories map onto shared categories (shown to readers)."""
    maps = ds["category_maps"]
    maps = maps[maps["map"] == "funding"]
    dist = ds["distributions"]
    labels = dist[["distribution", "category", "label", "value"]]
    out = maps.merge(labels, left_on=["source_distribution", "category"], right_on=["distribution", "category"])
    out["side"] = out["source_distribution"].map({"ru-funding-sources": "Russia", "world-funding-structure": "World"})
    return out[["side", "category", "label", "value", "comparable", "note"]].reset_index(drop=True)


COMPARABLE_LABELS = {
    "public": "Public budgets (national, regional, local)",
    "public-and-members": "Public budgets and member fees together",
    "members": "Member contributions",
    "services": "Paid services",
    "international": "International organisations",
    "other": "Other",
}


COMPARABLE_LABELS_RU = {
    "public": "Бюджетные средства (федеральные, региональные, местные)",
    "public-and-members": "Бюджетные средства и взносы участников вместе",
    "members": "Взносы участников",
    "services": "Платные услуги",
    "international": "Международные организации",
    "other": "Прочее",
}


def comparable_labels() -> dict[str, str]:
    """The shared funding categories, named in the language spoken."""
    return COMPARABLE_LABELS_RU if text.language() == "ru" else COMPARABLE_LABELS


def funding_comparison(ds: Dataset) -> pd.DataFrame:
    """Funding of specialist cluster organisations, Russia against the world, on shared categories.

    The two sides measure different things: the Russian figure (002 Figure 7) is the share of
    specialist organisations naming each source; the world figure (002 Figure 8) is the share of
    the budget. Both total 100%, and `measure` says which is which.
    """
    m = funding_mapping(ds)
    grouped = m.groupby(["side", "comparable"], as_index=False).agg(
        value=("value", "sum"), categories=("label", lambda s: "; ".join(s))
    )
    grouped["comparable_label"] = grouped["comparable"].map(comparable_labels())
    grouped["measure"] = grouped["side"].map({
        "Russia": "share of specialist organisations by source",
        "World": "share of the budget of cluster organisations",
    })
    order = list(COMPARABLE_LABELS)
    grouped["order"] = grouped["comparable"].map(order.index)
    grouped["value"] = grouped["value"].round(1)
    return grouped.sort_values(["order", "side"]).reset_index(drop=True)


def staffing(ds: Dataset) -> dict:
    """Staff of Russian specialist organisations: average and range."""
    e = "ru-pilots-specialist-orgs"
    return {
        "average": value(ds, e, "specialist_org_staff_avg"),
        "minimum": value(ds, e, "specialist_org_staff_min"),
        "maximum": value(ds, e, "specialist_org_staff_max"),
    }


# --- 4. specialisation gap -------------------------------------------------------------


def specialisation_gap(ds: Dataset, many: int = MANY_CLUSTERS) -> pd.DataFrame:
    """Global clusters by field (002 Figure 2) against the Russian pilots mapped onto each field.

    `gap` marks fields with at least `many` clusters worldwide and no Russian pilot;
    `named_by_source` marks the fields the source itself names as Russian reserves.
    """
    world = distribution(ds, "world-clusters-by-field")
    fields = ds["cluster_fields"]
    names = dict(zip(ds["clusters"]["id"], ds["clusters"]["name"]))
    ru = fields.groupby("field")["cluster"].agg(list)
    out = pd.DataFrame({
        "field": world["category"],
        "label": world["label"],
        "world_clusters": world["value"],
        "quality": world["quality"],
    })
    out["russian_pilots"] = out["field"].map(lambda f: len(ru.get(f, [])))
    out["pilot_names"] = out["field"].map(lambda f: "; ".join(sorted(names[c] for c in ru.get(f, []))))
    out["gap"] = (out["world_clusters"] >= many) & (out["russian_pilots"] == 0)
    out["named_by_source"] = out["field"].isin(ds.specialisation.reserve_fields)
    out["status"] = out.apply(
        lambda r: "Many clusters worldwide, no Russian pilot" if r["gap"]
        else ("Russian pilots present" if r["russian_pilots"] else "Few clusters worldwide, no Russian pilot"),
        axis=1,
    )
    return out.sort_values(["world_clusters", "label"], ascending=[False, True]).reset_index(drop=True)


def gap_fields(ds: Dataset, many: int = MANY_CLUSTERS) -> list[str]:
    gap = specialisation_gap(ds, many)
    return list(gap.loc[gap["gap"], "field"])


# --- 5. sustainability scorecard -------------------------------------------------------


def scorecard_matrix(ds: Dataset) -> pd.DataFrame:
    """Every pilot cluster against every sign, with the points the scorecard rules give."""
    signs = ds.sign_table
    ass = ds["assessments"].merge(signs, on="sign")
    pilots = _pilots(ds).set_index("id")
    ass["cluster_name"] = ass["cluster"].map(pilots["short_name"])
    ass["cluster_full_name"] = ass["cluster"].map(pilots["name"])
    ass["points"] = ass["status"].map(ds.scorecard.points).astype(float)
    cols = ["cluster", "cluster_name", "cluster_full_name", "group", "group_label", "sign", "label", "order", "status", "points",
            "evidence", "source", "locator", "basis"]
    return ass[cols].sort_values(["cluster", "order"]).reset_index(drop=True)


#: The light of a cluster below the minimum evidence coverage: not scored, shown grey.
INSUFFICIENT = "insufficient"
#: scorecard.yml's tie rules as pandas rank methods.
TIE_METHODS = {"skip": "min", "dense": "dense"}


def _light(ds: Dataset, score: float) -> str:
    if pd.isna(score):
        return INSUFFICIENT
    for light in ds.scorecard.lights:
        if score >= light.min_score:
            return light.light
    return ds.scorecard.lights[-1].light


def _score(ds: Dataset, points: pd.Series, known: pd.Series, signs: pd.Series) -> pd.Series:
    """Points as a percentage of the most the counted signs could earn (scorecard.yml `score.over`)."""
    counted = known if ds.scorecard.score.over == "known" else signs
    top = max(ds.scorecard.points.values())
    return (points / (top * counted.where(counted > 0)) * 100).round(1)


def _status_counts(m: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Points, signs and signs of each status per group of `by` (whole-column sums: fast at any registry size)."""
    flags = pd.DataFrame({status: (m["status"] == status).astype(int) for status in ("meets", "partly", "fails", "unknown")})
    flags["known"] = 1 - flags["unknown"]
    flags[by + ["points"]] = m[by + ["points"]]
    flags["signs"] = 1
    out = flags.groupby(by, sort=True).sum().reset_index()
    return out[by + ["points", "signs", "known", "meets", "partly", "fails", "unknown"]]


def rank_labels(rank: pd.Series) -> pd.Series:
    """'=8' for a rank several clusters share, '8' for a rank one cluster holds, '' for no rank."""
    shared = rank.notna() & rank.duplicated(keep=False)
    plain = rank.map(lambda r: "" if pd.isna(r) else str(int(r)))
    return plain.where(~shared, "=" + plain)


def scores(ds: Dataset) -> pd.DataFrame:
    """Score, evidence coverage, traffic light and rank of every pilot cluster, by the rules in scorecard.yml.

    coverage = share of signs with a known status. A cluster below the minimum coverage is not scored:
    its score and rank are empty and its light is INSUFFICIENT. The others are ranked by score as
    shown (one decimal), equal scores sharing a rank (`rank_label` '=8', `tied`).
    """
    m = scorecard_matrix(ds)
    out = _status_counts(m, ["cluster", "cluster_name"])
    out["coverage"] = (out["known"] / out["signs"] * 100).round(1)
    # compared in whole counts, so 3 of 10 signs meets a 30% minimum exactly
    scored = out["known"] * 100 >= ds.scorecard.minimum_coverage.percent * out["signs"]
    out["scored"] = scored
    out["score_over"] = ds.scorecard.score.over
    out["score"] = _score(ds, out["points"], out["known"], out["signs"]).where(scored)
    for group_id, part in m.groupby("group"):
        g = _status_counts(part, ["cluster"]).set_index("cluster")
        out[f"score_{group_id}"] = out["cluster"].map(_score(ds, g["points"], g["known"], g["signs"])).where(scored)
    out["light"] = out["score"].map(lambda s: _light(ds, s))
    lights = {"green": text.say("Green", "Зелёный"), "amber": text.say("Amber", "Жёлтый"), "red": text.say("Red", "Красный")}
    out["light_label"] = out["light"].map(lambda light: lights.get(light, str(light).capitalize())).where(
        scored, ds.scorecard.minimum_coverage.label)
    out["rank"] = out["score"].rank(method=TIE_METHODS[ds.scorecard.ranking.ties], ascending=False).astype("Int64")
    out["tied"] = out["rank"].notna() & out["rank"].duplicated(keep=False)
    out["rank_label"] = rank_labels(out["rank"])
    # ranked clusters first, then the unscored by how much evidence they have
    out = out.sort_values(["rank", "coverage", "cluster_name"], ascending=[True, False, True], na_position="last")
    return out.reset_index(drop=True)


def sign_summary(ds: Dataset) -> pd.DataFrame:
    """How many pilots meet, partly meet, fail or are unknown on each sign."""
    m = scorecard_matrix(ds)
    counts = m.pivot_table(index=["order", "group_label", "sign", "label"], columns="status", values="cluster", aggfunc="count", fill_value=0)
    for status in ds.vocab.status:
        if status not in counts.columns:
            counts[status] = 0
    return counts[list(ds.vocab.status)].reset_index().sort_values("order").reset_index(drop=True)


# --- 6. foreign profiles ---------------------------------------------------------------


def _whole_figures(obs: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """Each (entity, indicator)'s rows that give a value for the whole entity (a breakdown is only part of
    it), in data order. Split once: filtering the observations again for every cluster and indicator
    took 13 s at 5,000 clusters."""
    whole = obs[obs["value"].notna() & obs["breakdown"].isna()]
    out: dict[tuple[str, str], list[dict]] = {}
    for row in whole.to_dict("records"):
        out.setdefault((row["entity"], row["indicator"]), []).append(row)
    return out


def _latest(figures: dict, entity: str, indicator: str) -> dict | None:
    """The most recent figure; an undated one counts as the oldest, and of equals the last in the data."""
    rows = sorted(figures.get((entity, indicator), []),
                  key=lambda r: (pd.notna(r["year"]), r["year"] if pd.notna(r["year"]) else 0, r["source"]))
    return rows[-1] if rows else None


def _pair(figures: dict, entity: str, numerator: str, denominators: tuple[str, ...]) -> tuple[dict, dict] | None:
    """Numerator and denominator rows of a ratio that describe the same year, the latest such year first.

    Denominator indicators are tried in order of preference. Undated rows pair only within one source:
    undated figures of different sources may be years apart.
    """
    nums = figures.get((entity, numerator), [])
    for ind in denominators:
        pairs = [(n, d) for n in nums for d in figures.get((entity, ind), []) if _same_time(n, d)]
        if pairs:
            return max(pairs, key=lambda p: (-1 if pd.isna(p[0]["year"]) else p[0]["year"],
                                             p[0]["source"] == p[1]["source"], p[0]["source"], p[1]["source"]))
    return None


def _same_time(a: dict, b: dict) -> bool:
    if pd.notna(a["year"]) and pd.notna(b["year"]):
        return a["year"] == b["year"]
    return pd.isna(a["year"]) and pd.isna(b["year"]) and a["source"] == b["source"]


def _dated(row: dict) -> str:
    return f" ({row['year']})" if pd.notna(row["year"]) else ""


def _scope(*rows: dict) -> str:
    """Scope of a derived figure: 'initiative' only when every input counts the initiative itself.

    Anything else is 'regional_industry', so a figure is never set beside Russian participant counts on the
    strength of only some of its inputs.
    """
    return "initiative" if all(r["scope"] == "initiative" for r in rows) else "regional_industry"


def _quality(*rows: dict) -> str:
    """Quality of a value derived from several inputs: ambiguous if any input is, else derived."""
    return "ambiguous" if any(r["quality"] == "ambiguous" for r in rows) else "derived"


def foreign_key_figures(ds: Dataset) -> pd.DataFrame:
    """All figures recorded for foreign clusters, with their scope flag."""
    clusters = ds["clusters"]
    foreign = clusters[clusters["kind"] == "foreign"][["id", "name", "country"]]
    obs = ds.observation_rows(entity=foreign["id"]).merge(foreign, left_on="entity", right_on="id")
    labels = ds["indicators"].set_index("id")["label"]
    units = ds.vocab.units
    out = obs.assign(
        indicator_label=obs["indicator"].map(labels),
        unit_label=obs["unit"].map(units),
        scope_label=obs["scope"].map(SCOPE_LABELS),
    )
    cols = ["entity", "name", "country", "indicator", "indicator_label", "value", "unit", "unit_label", "qualifier",
            "year", "scope", "scope_label", "quality", "source", "locator", "note"]
    return out[cols].sort_values(["name", "indicator"]).reset_index(drop=True)


def normalised_figures(ds: Dataset) -> pd.DataFrame:
    """Key figures made comparable: employees per organisation, export share of sales, patents per 1,000 employees.

    Computed only where the sources give both inputs. Each row keeps its inputs, its formula, the
    scope of the inputs (so an industry is never silently compared with an initiative) and a
    quality flag (derived, or ambiguous when an input is).
    """
    inputs = ("employees", "organisations", "companies", "participants", "residents", "export_share_of_sales", "patents_granted")
    figures = _whole_figures(ds.observation_rows(indicator=inputs))
    clusters = ds["clusters"]
    names = clusters.set_index("id")["short_name"]
    rows = []
    for cid in clusters.loc[clusters["kind"] != "pilot", "id"].tolist() + _pilots(ds)["id"].tolist():
        pair = _pair(figures, cid, "employees", ("organisations", "companies", "participants", "residents"))
        if pair is not None:
            emp, orgs = pair
            rows.append({
                "entity": cid, "name": names[cid], "measure": "employees_per_organisation",
                "measure_label": "Employees per organisation",
                "value": round(emp["value"] / orgs["value"], 1),
                "formula": f"{emp['indicator']} {emp['value']:g}{_dated(emp)} / {orgs['indicator']} {orgs['value']:g}{_dated(orgs)}",
                "scope": _scope(emp, orgs), "quality": _quality(emp, orgs),
                "approximate": bool({emp["qualifier"], orgs["qualifier"]} - {"exact"}),
            })
        sales = _latest(figures, cid, "export_share_of_sales")
        if sales is not None:
            rows.append({
                "entity": cid, "name": names[cid], "measure": "export_share_of_sales",
                "measure_label": "Export share of sales (%)", "value": sales["value"],
                "formula": "as reported", "scope": sales["scope"], "quality": sales["quality"],
                "approximate": sales["qualifier"] != "exact",
            })
        pair = _pair(figures, cid, "patents_granted", ("employees",))
        if pair is not None:
            patents, emp = pair
            rows.append({
                "entity": cid, "name": names[cid], "measure": "patents_per_1000_employees",
                "measure_label": "Patents granted per 1,000 employees (cumulative)",
                "value": round(patents["value"] / emp["value"] * 1000, 1),
                "formula": f"patents_granted {patents['value']:g}{_dated(patents)} / employees {emp['value']:g}{_dated(emp)} x 1,000",
                "scope": _scope(patents, emp),
                "quality": _quality(patents, emp),
                "approximate": bool({patents["qualifier"], emp["qualifier"]} - {"exact"}),
            })
    out = pd.DataFrame(rows)
    out["scope_label"] = out["scope"].map(SCOPE_LABELS)
    out["comparable_with_russian_participants"] = out["scope"] == "initiative"
    return out.sort_values(["measure", "value"], ascending=[True, False]).reset_index(drop=True)


# --- 7. success factors ----------------------------------------------------------------


def factor_matrix(ds: Dataset) -> pd.DataFrame:
    """Which factor each country (foreign) or cluster (Russian) names as a precondition."""
    pre = ds["preconditions"]
    factors = ds["factors"].set_index("code")["label"]
    names = ds["clusters"].set_index("id")["short_name"]
    cells = pre.groupby(["side", "subject", "factor"], as_index=False).agg(items=("item", "count"))
    cells["subject_label"] = cells.apply(
        lambda r: text.country(r["subject"]) if r["side"] == "foreign" else names.get(r["subject"], r["subject"]), axis=1
    )
    cells["factor_label"] = cells["factor"].map(factors)
    cells["side_label"] = cells["side"].map({"foreign": "World", "russian": "Russia"})
    return cells.sort_values(["side", "subject", "factor"]).reset_index(drop=True)


def factor_overlap(ds: Dataset) -> pd.DataFrame:
    """For each factor, how many foreign countries and Russian clusters name it, and whether it is shared."""
    m = factor_matrix(ds)
    counts = m.pivot_table(index="factor", columns="side", values="subject", aggfunc="nunique", fill_value=0)
    for side in ("foreign", "russian"):
        if side not in counts.columns:
            counts[side] = 0
    counts = counts.reset_index()
    counts["label"] = counts["factor"].map(ds["factors"].set_index("code")["label"])

    def kind(r) -> str:
        if r["foreign"] and r["russian"]:
            return "shared"
        return "foreign only" if r["foreign"] else "Russian only"

    counts["overlap"] = counts.apply(kind, axis=1)
    return counts[["factor", "label", "foreign", "russian", "overlap"]].sort_values(
        ["overlap", "foreign", "russian"], ascending=[True, False, False]).reset_index(drop=True)


# --- 8. policy timeline ----------------------------------------------------------------


def policy_timeline(ds: Dataset) -> pd.DataFrame:
    """Laws, orders, programmes and milestones in date order, with a label for the chart."""
    t = ds["policy_timeline"].copy()
    t["date"] = pd.to_datetime(t["date"])
    t["year"] = t["date"].dt.year
    t["kind_label"] = t["kind"].map(EVENT_LABELS)
    t["when"] = t.apply(
        lambda r: r["date"].strftime("%-d %B %Y") if r["date_precision"] == "day"
        else (r["date"].strftime("%B %Y") if r["date_precision"] == "month"
              else (f"c. {r['year']}" if r["date_precision"] == "circa" else str(r["year"]))),
        axis=1,
    )
    t["label"] = t.apply(lambda r: f"{r['title']}" + (f" (No. {r['number']})" if pd.notna(r["number"]) else ""), axis=1)
    cols = ["id", "date", "date_precision", "when", "year", "kind", "kind_label", "title", "number", "label", "description",
            "source", "locator"]
    return t[cols].sort_values(["date", "id"]).reset_index(drop=True)


# --- map -------------------------------------------------------------------------------


def cluster_locations(ds: Dataset) -> pd.DataFrame:
    """Every cluster with its coordinates and the labels the map shows."""
    c = ds["clusters"][["id", "name", "kind", "country", "region", "city", "industry_group", "support_group"]]
    loc = ds["cluster_locations"][["cluster", "place", "lat", "lon", "confidence"]]
    out = c.merge(loc, left_on="id", right_on="cluster").drop(columns="cluster")
    out["kind_label"] = out["kind"].map(KIND_LABELS)
    out["industry"] = out["industry_group"].map(ds.vocab.industry_group)
    out["support_group"] = out["support_group"].astype("Int64")
    return out.sort_values(["kind", "name"]).reset_index(drop=True)
