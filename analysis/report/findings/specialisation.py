"""What the specialisation chapter says: where the world builds clusters and Russia's pilots do not.

Numbers and our own words are plain `str`; text taken from the data (field labels, cluster
names, citations) is Markdown-escaped, for the chapter to show with `ctx.md(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import indicators
from analysis.data import Dataset
from analysis.report import citation
from analysis.text import listing, lower, md_escape, num, pct, plural, say

#: Other readings of three pilots (ours): the field each could count in instead.
ALTERNATIVES = {
    "sverdlovsk-titanium": "metallurgy",
    "kemerovo-coal": "green-technologies",
    "mordovia-lighting": "green-technologies",
}


@dataclass(frozen=True)
class Findings:
    many: int  # a field with at least this many clusters worldwide has "many"
    # the global distribution and the pilots
    n_fields: int
    world_total: str
    survey_cite: str
    largest_field: str
    largest_field_clusters: str
    coverage_low: str
    coverage_high: str
    coverage_cite: str
    n_links: int
    n_links_to_few: int
    most_piloted_field: str
    most_piloted_pilots: str
    most_piloted_clusters: str
    ict: str
    ict_pilots: str
    # the gap fields and the source's own reserves
    n_gap_fields: int
    gap_share: str
    gap_table: pd.DataFrame
    n_reserves: int
    n_reserves_found: int
    reserve_cite: str
    extra_fields: str
    extra_field_clusters: str
    missed_sentence: str
    lowest_same: int
    highest_same: int
    small_fields_joining: str
    first_to_drop: str
    # the mapping of pilots onto fields
    n_pilots: int
    n_multi_field: int
    mapping_table: pd.DataFrame
    n_nuclear: int
    nuclear_fields: str
    n_alternatives: int
    alternative_fields: str
    n_gap_fields_alternative: int
    # the doubtful maritime value
    maritime: str
    maritime_clusters: str
    surveyed: str
    world_total_without_maritime: str
    ambiguous_sentence: str
    n_maritime_pilots: int
    maritime_pilots: str


def findings(ds: Dataset) -> Findings:
    many = indicators.MANY_CLUSTERS
    gap = indicators.specialisation_gap(ds, many)
    links = ds["cluster_fields"].merge(gap[["field", "label", "world_clusters"]], on="field")
    return Findings(
        many=many,
        **_distribution(ds, gap, links, many),
        **_reserves(ds, gap),
        **_robustness(gap),
        **_mapping(ds, gap, links),
        **_maritime(ds, gap, links),
    )


def _labels(gap: pd.DataFrame, fields) -> str:
    """Fields by their labels, for the middle of a sentence: 'food industry and tourism'."""
    label = dict(zip(gap["field"], gap["label"]))
    return md_escape(listing(_mid(label[f]) for f in fields))


def _mid(label: str) -> str:
    """A label for the middle of a sentence: 'food industry'; in Russian in quotes, as it stands: «Пищевая
    промышленность» (a quoted label keeps its case whatever the sentence around it needs)."""
    return say(lower(label), _quoted(label))


def _quoted(text: str) -> str:
    """Text in Russian quotes, quotes inside it turned into the inner kind: «Пермь, „Новый Звёздный“»."""
    return "«" + str(text).replace("«", "„").replace("»", "“") + "»"


def _distribution(ds: Dataset, gap: pd.DataFrame, links: pd.DataFrame, many: int) -> dict:
    survey = indicators.distribution(ds, "world-clusters-by-field").iloc[0]
    coverage = ds.observation_rows(entity="world-clusters", indicator="survey_coverage_share").iloc[0]
    largest = gap.iloc[0]
    most_piloted = gap.sort_values(["russian_pilots", "world_clusters"], ascending=False).iloc[0]
    ict = gap.set_index("field").loc["ict"]
    return dict(
        n_fields=len(gap),
        world_total=num(gap["world_clusters"].sum()),
        survey_cite=citation.cite_row(ds, survey),
        largest_field=md_escape(largest["label"]),
        largest_field_clusters=num(largest["world_clusters"]),
        coverage_low=num(coverage["value"]),
        coverage_high=pct(coverage["value_high"]),
        coverage_cite=citation.cite_row(ds, coverage, quoted=False),
        n_links=len(links),
        n_links_to_few=int((links["world_clusters"] < many).sum()),
        most_piloted_field=md_escape(most_piloted["label"]),
        most_piloted_pilots=num(most_piloted["russian_pilots"]),
        most_piloted_clusters=num(most_piloted["world_clusters"]),
        ict=md_escape(ict["label"]),
        ict_pilots=num(ict["russian_pilots"]),
    )


def _reserves(ds: Dataset, gap: pd.DataFrame) -> dict:
    """The gap fields against the fields the source itself names as Russian reserves."""
    spec = ds.specialisation
    gap_rows = gap[gap["gap"]]
    gap_ids = list(gap_rows["field"])
    found = [f for f in spec.reserve_fields if f in gap_ids]
    missed = [f for f in spec.reserve_fields if f not in gap_ids]
    extra = [f for f in gap_ids if f not in spec.reserve_fields]
    world = dict(zip(gap["field"], gap["world_clusters"]))
    return dict(
        n_gap_fields=len(gap_ids),
        gap_share=pct(gap_rows["world_clusters"].sum() / gap["world_clusters"].sum() * 100),
        gap_table=pd.DataFrame({
            say("Field", "Отрасль"): gap_rows["label"],
            say("Clusters worldwide (2012 survey)", "Кластеров в мире (обследование 2012 г.)"): gap_rows["world_clusters"],
            say("Named by the source as a Russian reserve", "Названа источником как резерв России"):
                gap_rows["named_by_source"].map({True: say("yes", "да"), False: say("no", "нет")}),
        }),
        n_reserves=len(spec.reserve_fields),
        n_reserves_found=len(found),
        reserve_cite=citation.cite(ds, spec.source, spec.locator),
        extra_fields=_labels(gap, extra),
        extra_field_clusters=listing(num(world[f]) for f in extra),
        missed_sentence=say(f" Our rule misses {_labels(gap, missed)}.",
                            f" Наше правило не выявляет {plural(len(missed), 'отрасль|отрасли|отрасли')} {_labels(gap, missed)}.")
        if missed else "",
    )


def _robustness(gap: pd.DataFrame) -> dict:
    """The range of thresholds that give the same list, and what joins or leaves outside it."""
    gap_rows = gap[gap["gap"]]
    small = gap[(gap["russian_pilots"] == 0) & ~gap["gap"]].sort_values("world_clusters", ascending=False)
    return dict(
        lowest_same=int(small["world_clusters"].max()) + 1,
        highest_same=int(gap_rows["world_clusters"].min()),
        small_fields_joining=md_escape(listing(_mid(label) for label in small["label"].head(2))),
        first_to_drop=md_escape(_mid(gap_rows.sort_values("world_clusters").iloc[0]["label"])),
    )


def _mapping(ds: Dataset, gap: pd.DataFrame, links: pd.DataFrame) -> dict:
    """Our mapping of the pilots onto the fields, and the readings that would change the gap list."""
    clusters = ds["clusters"]
    nuclear = clusters[(clusters["kind"] == "pilot") & (clusters["industry_group"] == "nuclear_radiation")]
    nuclear_fields = sorted(links.loc[links["cluster"].isin(nuclear["id"]), "label"].unique(), key=str.lower)
    world = dict(zip(gap["field"], gap["world_clusters"]))
    alternative = sorted(set(ALTERNATIVES.values()), key=lambda f: -world[f])
    per_pilot = ds["cluster_fields"].groupby("cluster").size()
    return dict(
        n_pilots=len(per_pilot),
        n_multi_field=int((per_pilot > 1).sum()),
        mapping_table=_mapping_table(ds, links),
        n_nuclear=len(nuclear),
        nuclear_fields=md_escape(listing((_mid(label) for label in nuclear_fields), serial=True)),
        n_alternatives=len(ALTERNATIVES),
        alternative_fields=_labels(gap, alternative),
        n_gap_fields_alternative=len([f for f in gap.loc[gap["gap"], "field"] if f not in alternative]),
    )


def _mapping_table(ds: Dataset, links: pd.DataFrame) -> pd.DataFrame:
    clusters = ds["clusters"].set_index("id")
    cluster, industry = say("Cluster", "Кластер"), say("Industry group", "Отраслевая группа")
    return (
        links.assign(name=links["cluster"].map(clusters["short_name"]),
                     industry=links["cluster"].map(clusters["industry_group"]).map(ds.vocab.industry_group))
        .groupby(["name", "industry"], as_index=False)
        .agg(fields=("label", "; ".join))
        .rename(columns={"name": cluster, "industry": industry,
                         "fields": say("Fields of the global list (our mapping)", "Отрасли глобального перечня (наше сопоставление)")})
        .sort_values([industry, cluster])
    )


def _maritime(ds: Dataset, gap: pd.DataFrame, links: pd.DataFrame) -> dict:
    """The world count for maritime technologies, read from a stray number in the source."""
    dist = indicators.distribution(ds, "world-clusters-by-field")
    maritime = dist.set_index("category").loc["maritime-technologies"]
    pilots = links.loc[links["field"] == "maritime-technologies", "cluster"]
    short = ds["clusters"].set_index("id")["short_name"]
    n_ambiguous = int((dist["quality"] == "ambiguous").sum())
    return dict(
        maritime=md_escape(_mid(maritime["label"])),
        maritime_clusters=num(maritime["value"]),
        surveyed=num(indicators.value(ds, "greenbook-2012", "clusters_surveyed")),
        world_total_without_maritime=num(gap["world_clusters"].sum() - maritime["value"]),
        ambiguous_sentence=(say(f"It is the only ambiguous value among the {len(gap)} fields.",
                                f"Это единственное неоднозначное значение среди {len(gap)} отраслей.") if n_ambiguous == 1
                            else say(f"{n_ambiguous} of the {len(gap)} values are flagged ambiguous.",
                                     f"Неоднозначными отмечены {n_ambiguous} из {len(gap)} значений.")),
        n_maritime_pilots=len(pilots),
        maritime_pilots=md_escape(listing(say(short[c], _quoted(short[c])) for c in pilots)),
    )
