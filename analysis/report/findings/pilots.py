"""What the pilot-clusters chapter says: the pilots, their industries, where they are, mergers and towns.

One function per section of the chapter, each returning a frozen dataclass; `findings` gathers them.
Counts and years are `int`, amounts formatted `str`. Fields typed `MarkdownText` hold words from the
data (cluster names, industry labels, citations), already escaped, for the chapter to show with
`ctx.md(...)`. DataFrames are the chapter's tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import indicators as i
from analysis.data import Dataset
from analysis.report import citation
from analysis.text import listing, lower, md_escape, num, say

#: Markdown with the data's words escaped; a chapter shows it with `ctx.md(...)`.
MarkdownText = str

#: Our grouping of the regions that lie in Siberia and the Russian Far East, by their English and Russian
#: names (a Russian edition's data names the regions in Russian).
EAST = ("Krasnoyarsk Krai", "Novosibirsk Oblast", "Tomsk Oblast", "Altai Krai", "Kemerovo Oblast", "Khabarovsk Krai",
        "Красноярский край", "Новосибирская область", "Томская область", "Алтайский край", "Кемеровская область",
        "Хабаровский край")
CAPITAL = ("Moscow", "Moscow Oblast", "Москва", "Московская область")
#: How a region that spans two federal subjects joins them ('St Petersburg and Leningrad Oblast').
_SUBJECTS_JOINED = r" and | и "
#: Where the source places pilots in single-industry towns and closed cities.
TOWNS_SOURCE, TOWNS_LOCATOR = "kutsenko-2015", "footnote 7; section 'The Anna Karenina Principle'"
#: Where the source says its participant counts use the separate St Petersburg programmes.
ST_PETERSBURG_LOCATOR = "footnote 9"


# --- shared look-ups ---------------------------------------------------------------------


def _pilots(ds: Dataset) -> pd.DataFrame:
    """The pilot clusters, with their support group and industry label added."""
    clusters = ds["clusters"]
    pilots = clusters[clusters["kind"] == "pilot"].copy()
    pilots["group"] = pilots["support_group"].astype("Int64")
    pilots["industry"] = pilots["industry_group"].map(ds.vocab.industry_group)
    return pilots


def _source_cite(ds: Dataset, source: str, locator: str) -> MarkdownText:
    """'[Kutsenko (2015)](…), footnote 10', linked to the References."""
    return citation.cite(ds, source, locator)


def _names(frame: pd.DataFrame) -> MarkdownText:
    """'A, B and C': the clusters' short names, in the frame's order. In Russian each name is in quotes,
    since many have commas of their own: «Дубна, ядерная физика», «Пермь, „Новый Звёздный“» и «Саров»."""
    return md_escape(listing([say(name, _quoted(name)) for name in frame["short_name"]]))


def _quoted(name: str) -> str:
    """A name in Russian quotes, quotes inside it turned into the inner kind: «Пермь, „Новый Звёздный“»."""
    return "«" + str(name).replace("«", "„").replace("»", "“") + "»"


def _flagged(values, confidences) -> list[str]:
    """Each value with '(M)' appended when it rests on general knowledge only."""
    return [f"{v} (M)" if c == "M" else str(v) for v, c in zip(values, confidences)]


def _observation(ds: Dataset, entity: str, indicator: str) -> pd.DataFrame:
    return ds.observation_rows(entity=entity, indicator=indicator)


# --- the pilots --------------------------------------------------------------------------


@dataclass(frozen=True)
class PilotList:
    count: int
    #: The pilots by industry group, each uncertain value marked (M).
    table: pd.DataFrame
    group1: int
    group2: int
    #: How many pilots' support group is stated in a source document, confirmed elsewhere, or general knowledge.
    group_stated: int
    group_confirmed: int
    group_from_knowledge: int
    #: The pilots whose names come from our reference list only.
    uncertain_names: MarkdownText


def pilot_list(ds: Dataset) -> PilotList:
    pilots = _pilots(ds)
    rows = pilots.sort_values(["industry", "short_name"])
    table = pd.DataFrame({
        say("Cluster", "Кластер"): _flagged(rows["short_name"], rows["confidence"]),
        say("Region", "Регион"): rows["region"],
        say("Main city", "Основной город"): _flagged(rows["city"], rows["location_confidence"]),
        say("Industry group", "Отраслевая группа"): _flagged(rows["industry"], rows["industry_group_confidence"]),
        say("Support group", "Группа поддержки"): _flagged(rows["group"], rows["support_group_confidence"]),
    })
    group_confidence = pilots["support_group_confidence"]
    return PilotList(
        count=len(pilots), table=table,
        group1=int((pilots["group"] == 1).sum()), group2=int((pilots["group"] == 2).sum()),
        group_stated=int((group_confidence == "S").sum()), group_confirmed=int((group_confidence == "P").sum()),
        group_from_knowledge=int((group_confidence == "M").sum()),
        uncertain_names=_names(pilots[pilots["confidence"] == "M"]),
    )


# --- spread by industry --------------------------------------------------------------------


@dataclass(frozen=True)
class Industries:
    count: int
    #: Pilots per industry group and support group, with the source's average participants.
    table: pd.DataFrame
    #: Where the average participants come from.
    source: MarkdownText
    top: MarkdownText
    top_pilots: str
    #: The industries with the fewest pilots, for the middle of a sentence.
    fewest: MarkdownText
    fewest_pilots: str
    largest: MarkdownText
    largest_avg: str
    smallest: MarkdownText
    smallest_avg: str
    #: The pilots whose industry group is our reading (flag M).
    uncertain_count: int
    uncertain_names: MarkdownText


def _by_industry(ds: Dataset, pilots: pd.DataFrame) -> pd.DataFrame:
    """One row per industry group: pilots, of them in each support group, and average participants."""
    averages = i.participants_by_industry(ds).set_index("industry_group")["participants_avg"]
    by = pilots.groupby("industry_group").agg(
        pilots=("id", "count"),
        g1=("group", lambda s: int((s == 1).sum())),
        g2=("group", lambda s: int((s == 2).sum())),
    ).reset_index()
    by["label"] = by["industry_group"].map(ds.vocab.industry_group)
    by["avg"] = by["industry_group"].map(averages)
    return by.sort_values(["pilots", "avg"], ascending=[False, False]).reset_index(drop=True)


def industries(ds: Dataset) -> Industries:
    pilots = _pilots(ds)
    by = _by_industry(ds, pilots)
    source = i.participants_by_industry(ds).iloc[0]
    top = by.iloc[0]
    fewest = by[by["pilots"] == by["pilots"].min()]
    largest, smallest = by.sort_values("avg", ascending=False).iloc[0], by.sort_values("avg").iloc[0]
    uncertain = pilots[pilots["industry_group_confidence"] == "M"].sort_values("short_name")
    return Industries(
        count=len(by),
        table=pd.DataFrame({say("Industry group", "Отраслевая группа"): by["label"],
                            say("Pilot clusters", "Пилотные кластеры"): by["pilots"],
                            say("Support group 1", "Группа поддержки 1"): by["g1"],
                            say("Support group 2", "Группа поддержки 2"): by["g2"],
                            say("Average participants", "Участников в среднем"): by["avg"]}),
        source=_source_cite(ds, source["source"], source["locator"]),
        top=md_escape(top["label"]), top_pilots=num(top["pilots"]),
        # in Russian each label in quotes: «ИКТ и электроника» и «Новые материалы»
        fewest=md_escape(listing([say(lower(label), f"«{label}»") for label in fewest["label"]], serial=True)),
        fewest_pilots=num(fewest["pilots"].iloc[0]),
        largest=md_escape(largest["label"]), largest_avg=num(largest["avg"]),
        smallest=md_escape(smallest["label"]), smallest_avg=num(smallest["avg"]),
        uncertain_count=len(uncertain), uncertain_names=_names(uncertain),
    )


# --- where the clusters are ----------------------------------------------------------------


@dataclass(frozen=True)
class Geography:
    #: Federal subjects with a pilot; a pilot in 'St Petersburg and Leningrad Oblast' counts for both.
    regions: int
    regions_with_several: int
    capital_count: int
    capital_names: MarkdownText
    east_count: int
    east_names: MarkdownText
    other_russian: int
    foreign: int
    foreign_countries: int
    #: Foreign clusters that are cluster initiatives with official members.
    foreign_initiatives: int


def geography(ds: Dataset) -> Geography:
    pilots = _pilots(ds)
    clusters = ds["clusters"]
    capital = pilots[pilots["region"].isin(CAPITAL)]
    east = pilots[pilots["region"].isin(EAST)].sort_values("short_name")
    per_subject = pilots["region"].str.split(_SUBJECTS_JOINED, regex=True).explode().value_counts()
    foreign = clusters[clusters["kind"] == "foreign"]
    return Geography(
        regions=len(per_subject), regions_with_several=int((per_subject > 1).sum()),
        capital_count=len(capital), capital_names=_names(capital),
        east_count=len(east), east_names=_names(east),
        other_russian=int((clusters["kind"] == "russian_other").sum()),
        foreign=len(foreign), foreign_countries=foreign["country"].nunique(),
        foreign_initiatives=int((foreign["entity_type"] == "initiative").sum()),
    )


# --- mergers and what followed -------------------------------------------------------------


@dataclass(frozen=True)
class Mergers:
    tomsk_year: int
    tomsk_it_members: str
    tomsk_merged_participants: str
    tomsk_source: MarkdownText
    #: Where the source says its counts use the separate St Petersburg programmes.
    st_petersburg_source: MarkdownText
    #: How many programmes the SME count of the benchmarks chapter rests on.
    sme_sample: str
    priority_year: int
    priority_name: MarkdownText
    priority_source: MarkdownText
    #: Where the count of pilots left by about the latest year comes from.
    remaining_source: MarkdownText


def mergers(ds: Dataset) -> Mergers:
    before = _observation(ds, "tomsk-it", "participants").iloc[0]
    after = _observation(ds, "tomsk-pharma-it", "participants").iloc[0]
    counts = _observation(ds, "ru-itc-programme", "clusters_in_programme")
    remaining = counts[counts["year"] == i.programme_facts(ds)["remaining_year"]].iloc[0]
    priority = i.policy_timeline(ds).set_index("id").loc["priority-project"]
    return Mergers(
        tomsk_year=int(after["year"]), tomsk_it_members=num(before["value"]),
        tomsk_merged_participants=num(after["value"]), tomsk_source=_source_cite(ds, after["source"], after["locator"]),
        st_petersburg_source=_source_cite(ds, "kutsenko-2015", ST_PETERSBURG_LOCATOR),
        sme_sample=num(i.value(ds, "ru-pilots", "clusters_in_sample")),
        priority_year=int(priority["year"]),
        priority_name=md_escape(priority["title"].removeprefix("Priority project ").removeprefix("Приоритетный проект ")),
        priority_source=_source_cite(ds, priority["source"], priority["locator"]),
        remaining_source=_source_cite(ds, remaining["source"], remaining["locator"]),
    )


# --- closed and single-industry towns ------------------------------------------------------


@dataclass(frozen=True)
class Towns:
    #: Pilots in single-industry towns or closed cities.
    count: int
    closed_count: int
    table: pd.DataFrame
    source: MarkdownText
    #: The closed cities the source names as closed (the others are general knowledge).
    closed_stated_names: MarkdownText
    #: The cluster the source singles out for caring about its town.
    dimitrovgrad: MarkdownText


def towns(ds: Dataset) -> Towns:
    pilots = _pilots(ds)
    rows = pilots[pilots["single_industry_city"] | pilots["closed_city"]].sort_values("short_name")
    closed = rows[rows["closed_city"]]
    from_knowledge = set(closed.loc[closed["note"].fillna("").str.contains("general knowledge"), "id"])
    yes, no = say("yes", "да"), say("no", "нет")
    table = pd.DataFrame({
        say("Cluster (town)", "Кластер (город)"): [n if c in n else f"{n} ({c})"
                                                   for n, c in zip(rows["short_name"], rows["city"])],
        say("Industry group", "Отраслевая группа"): rows["industry"],
        say("Single-industry town", "Моногород"): rows["single_industry_city"].map({True: yes, False: no}),
        say("Closed city (ZATO)", "ЗАТО"): [(f"{yes} (M)" if cid in from_knowledge else yes) if c else no
                                           for cid, c in zip(rows["id"], rows["closed_city"])],
    })
    return Towns(
        count=len(rows), closed_count=len(closed), table=table,
        source=_source_cite(ds, TOWNS_SOURCE, TOWNS_LOCATOR),
        closed_stated_names=_names(closed[~closed["id"].isin(from_knowledge)]),
        dimitrovgrad=md_escape(pilots.set_index("id").loc["dimitrovgrad-nuclear", "short_name"]),
    )


# --- the chapter ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pilots:
    pilots: PilotList
    industries: Industries
    geography: Geography
    mergers: Mergers
    towns: Towns


def findings(ds: Dataset) -> Pilots:
    return Pilots(pilots=pilot_list(ds), industries=industries(ds), geography=geography(ds),
                  mergers=mergers(ds), towns=towns(ds))
