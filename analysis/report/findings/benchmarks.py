"""What the benchmarks chapter says: the pilots against world practice, theme by theme.

One function per section of the chapter, each returning a frozen dataclass of values
ready for prose; `findings` gathers them. Numbers are formatted `str` (or `int` counts); fields typed
`MarkdownText` hold words from the data (names, citations, caveats), already escaped,
for the chapter to show with `ctx.md(...)`; DataFrames are the chapter's tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import indicators as i
from analysis.data import Dataset
from analysis.report import citation
from analysis.text import listing, lower, md_escape, num, pct, say

#: Markdown with the data's words escaped; a chapter shows it with `ctx.md(...)`.
MarkdownText = str

#: The threshold of the indicator `clusters_above_100_participants`.
LARGE_CLUSTER = 100


# --- shared look-ups ---------------------------------------------------------------------


def _observation(ds: Dataset, entity: str, indicator: str) -> pd.Series:
    return ds.observation_rows(entity=entity, indicator=indicator).iloc[0]


def _cite(ds: Dataset, row: pd.Series, *, with_cited_work: bool = True) -> MarkdownText:
    """A row's source, locator and (unless left out) the work it cites, as Markdown linked to the References."""
    return citation.cite_row(ds, row, quoted=with_cited_work)


def _source_name(ds: Dataset, source_id: str) -> MarkdownText:
    return citation.work(ds, source_id)


def _with_attribute(ds: Dataset, name: str) -> pd.DataFrame:
    """The rows of cluster_attributes.csv that give a cluster the attribute `name`."""
    attributes = ds["cluster_attributes"]
    return attributes[(attributes["attribute"] == name) & (attributes["value"].astype(str) == "true")]


def _short_names(ds: Dataset, ids) -> pd.Series:
    short = ds["clusters"].set_index("id")["short_name"]
    return pd.Series(list(ids), dtype=object).map(short)


def _cluster_list(ds: Dataset, ids) -> MarkdownText:
    """'A, B and C': the clusters' short names, in the order given. In Russian each name is in quotes, since
    many have commas of their own: «Дубна, ядерная физика», «Камский (Татарстан)» и «Саров»."""
    return md_escape(listing([say(name, _quoted(name)) for name in _short_names(ds, ids)]))


def _quoted(text: str) -> str:
    """Text in Russian quotes, quotes inside it turned into the inner kind: «Пермь, „Новый Звёздный“»."""
    return "«" + str(text).replace("«", "„").replace("»", "“") + "»"


def _regions(ds: Dataset, ids) -> MarkdownText:
    """The regions of the clusters, once each, in alphabetical order."""
    regions = ds["clusters"].set_index("id").loc[list(ids), "region"]
    return md_escape(listing(sorted(regions.unique())))


def _industries(labels) -> str:
    """Industry labels mid-sentence; the serial comma keeps 'nuclear and radiation technologies, and ...' apart.
    In Russian each label is in quotes instead: «Ядерные и радиационные технологии» и «Новые материалы»."""
    return listing([say(lower(label), _quoted(label)) for label in labels], serial=True)


# --- critical mass -----------------------------------------------------------------------


@dataclass(frozen=True)
class CriticalMass:
    pilots: int
    avg_participants: str
    avg_cite: MarkdownText
    world_avg: str
    share_of_world: str
    gap_to_world: str
    minimum_low: str
    minimum_high: str
    minimum_cite: MarkdownText
    high_estimate: str
    high_estimate_cite: MarkdownText
    survey_initiatives: str
    survey_avg: str
    survey_cite: MarkdownText
    reach_world_phrase: MarkdownText  # 'No industry group reaches' or 'Only ... reach'
    groups_below_minimum: int
    industries_below_minimum: MarkdownText
    closest_industry: MarkdownText
    closest_industry_avg: str
    large_clusters: str
    large_threshold: str
    large_clusters_cite: MarkdownText
    small_clusters: int
    small_threshold: str
    small_table: pd.DataFrame
    small_and_company_poor: MarkdownText  # pilots on both the small list and the business-share failures
    tomsk_it_before: str
    tomsk_merger_year: int
    tomsk_merged: str
    tomsk_cite: MarkdownText


def _reach_world_phrase(by_industry: pd.DataFrame, world_avg: float) -> MarkdownText:
    reaching = by_industry[by_industry["participants_avg"] >= world_avg]
    if reaching.empty:
        return say("No industry group reaches", "Ни одна отраслевая группа не достигает")
    groups = md_escape(_industries(reaching["industry"]))
    return say(f"Only {groups} reach",
               f"Только группа {groups} достигает" if len(reaching) == 1 else f"Только группы {groups} достигают")


def _small_table(ds: Dataset, small: pd.DataFrame) -> pd.DataFrame:
    failing = set(i.business_share_check(ds).query("criterion == 'fails'")["id"])
    yes, not_known = say("yes", "да"), say("not known", "нет данных")
    cluster = say("Cluster", "Кластер")
    return pd.DataFrame({
        cluster: _short_names(ds, small["entity"]).values,
        say("Industry group", "Отраслевая группа"): small["industry_group"].map(ds.vocab.industry_group).values,
        say("Official participants (2013)", "Официальных участников (2013 г.)"):
            (say("fewer than ", "менее ") + small["value"].map(num)).values,
        say("Also fails the business-share rule", "Также не соответствует правилу о доле бизнеса"):
            small["entity"].map(lambda e: yes if e in failing else not_known).values,
    }).sort_values(cluster)


def _size_spread(ds: Dataset) -> dict:
    """Fields on the spread of sizes: the largest pilots, the smallest, and a merger."""
    large = _observation(ds, "ru-pilots", "clusters_above_100_participants")
    small = i.clusters_below_20(ds)
    checked = i.business_share_check(ds)
    failing = checked[checked["criterion"] == "fails"]
    tomsk_it = _observation(ds, "tomsk-it", "participants")
    merged = _observation(ds, "tomsk-pharma-it", "participants")
    return dict(
        large_clusters=num(large["value"]), large_threshold=num(LARGE_CLUSTER), large_clusters_cite=_cite(ds, large),
        small_clusters=len(small), small_threshold=num(i.FEW_PARTICIPANTS), small_table=_small_table(ds, small),
        small_and_company_poor=_cluster_list(ds, failing.loc[failing["id"].isin(set(small["entity"])), "id"]),
        tomsk_it_before=num(tomsk_it["value"]), tomsk_merger_year=int(merged["year"]),
        tomsk_merged=num(merged["value"]), tomsk_cite=_cite(ds, merged),
    )


def critical_mass(ds: Dataset) -> CriticalMass:
    """Section 'Critical mass': the pilots' average size against the references, and the spread."""
    russia = i.russia_vs_global_average(ds)
    refs = i.critical_mass_references(ds).set_index("benchmark")
    low, high, survey = refs.loc["critical-mass-minimum"], refs.loc["critical-mass-high"], refs.loc["global-average-participants"]
    quoted = ds["benchmarks"].set_index("id")  # the rows with the works they cite
    by_industry = i.participants_by_industry(ds)
    below = by_industry[by_industry["position"] == "below the minimum range"]
    closest = by_industry.sort_values("participants_avg", ascending=False).iloc[0]
    return CriticalMass(
        pilots=i.programme_facts(ds)["selected"],
        avg_participants=num(russia["russia"]),
        avg_cite=_cite(ds, _observation(ds, "ru-pilots", "participants_avg")),
        world_avg=num(russia["world"]),
        share_of_world=pct(russia["share_pct"]),
        gap_to_world=num(russia["gap"]),
        minimum_low=num(low["value"]),
        minimum_high=num(low["value_high"]),
        minimum_cite=_cite(ds, quoted.loc["critical-mass-minimum"]),
        high_estimate=num(high["value"]),
        high_estimate_cite=citation.quoted_works(ds, quoted.loc["critical-mass-high"]),
        survey_initiatives=num(i.value(ds, "greenbook-2012", "clusters_surveyed")),
        survey_avg=num(survey["value"]),
        survey_cite=citation.quoted_works(ds, quoted.loc["global-average-participants"]),
        reach_world_phrase=_reach_world_phrase(by_industry, survey["value"]),
        groups_below_minimum=len(below),
        industries_below_minimum=md_escape(_industries(below["industry"])),
        closest_industry=md_escape(closest["industry"]),
        closest_industry_avg=num(closest["participants_avg"]),
        **_size_spread(ds),
    )


# --- business share and SMEs -------------------------------------------------------------


@dataclass(frozen=True)
class BusinessShare:
    rule: str
    rule_cite: MarkdownText
    failing: int
    failing_cite: MarkdownText
    unknown: int
    failing_table: pd.DataFrame
    sme_share: str
    sme_share_without_ict: str
    sme_year: int
    sme_sample: str
    sme_programmes_left_out: int


def _failing_table(ds: Dataset, failing: pd.DataFrame) -> pd.DataFrame:
    small = set(i.clusters_below_20(ds)["entity"])
    yes, not_known = say("yes", "да"), say("not known", "нет данных")
    cluster, industry = say("Cluster", "Кластер"), say("Industry group", "Отраслевая группа")
    return pd.DataFrame({
        cluster: _short_names(ds, failing["id"]).values,
        industry: failing["industry_group"].map(ds.vocab.industry_group).values,
        say("Companies among participants", "Доля компаний среди участников"):
            (say("less than ", "менее ") + failing["value"].map(num) + "%").values,
        say("Also fewer than 20 participants", "Также менее 20 участников"):
            failing["id"].map(lambda e: yes if e in small else not_known).values,
    }).sort_values([industry, cluster])


def business_share(ds: Dataset) -> BusinessShare:
    """Section 'Business share and SMEs': the European business-share rule, and the SME shares."""
    rule = i.benchmark(ds, "business-share-criterion")
    checked = i.business_share_check(ds)
    failing = checked[checked["criterion"] == "fails"]
    sme = i.sme_shares(ds).set_index("measure")["value"]
    sme_row = _observation(ds, "ru-pilots", "sme_share")
    return BusinessShare(
        rule=pct(rule["value"]),
        rule_cite=_cite(ds, rule),
        failing=len(failing),
        # the rule's own citation already names the work this count is measured against
        failing_cite=_cite(ds, _observation(ds, "ru-pilots", "clusters_business_share_below_50"), with_cited_work=False),
        unknown=int((checked["criterion"] == "unknown").sum()),
        failing_table=_failing_table(ds, failing),
        sme_share=pct(sme["Russian pilots, all"]),
        sme_share_without_ict=pct(sme["Russian pilots, ICT clusters excluded"]),
        sme_year=int(sme_row["year"]),
        sme_sample=num(i.value(ds, "ru-pilots", "clusters_in_sample")),
        sme_programmes_left_out=len(_with_attribute(ds, "excluded_from_sme_calculation")),
    )


# --- governance --------------------------------------------------------------------------


@dataclass(frozen=True)
class Governance:
    survey_year: int
    respondents: str
    pilots: int
    status_top: str
    status_second: str
    general_meeting: str
    director_appointed: str
    staff_selection_phrase: str  # 'in no cluster' or 'in only N clusters'
    mechanisms: int
    mechanisms_ambiguous: int
    mechanisms_unreadable: int
    dual_rule: int
    dual_rule_regions: MarkdownText
    dual_rule_cite: MarkdownText
    board_business: str
    board_government: str
    board_research: str
    french_seats_smes: str
    french_seats_large: str
    french_seats_higher_education: str
    french_seats_other: str
    french_cite: MarkdownText


def _mechanisms(ds: Dataset) -> dict:
    """Fields on who chooses the specialist organisation, its director and its staff (002 Figure 5)."""
    mech = i.governance_mechanisms(ds).set_index("category")
    staff = mech.loc["staff-approved-with-participants", "value"]
    return dict(
        general_meeting=num(mech.loc["general-meeting-decides", "value"]),
        director_appointed=num(mech.loc["state-appoints-director", "value"]),
        # in Russian a whole clause, since the verb takes a negation when no cluster does it
        staff_selection_phrase=say("in no cluster", "ни в одном кластере участники не привлекаются к подбору его персонала")
        if staff == 0 else say(f"in only {num(staff)} clusters",
                               f"лишь в {num(staff)} {'кластере' if staff == 1 else 'кластерах'} участники "
                               "привлекаются к подбору его персонала"),
        mechanisms=len(mech),
        mechanisms_ambiguous=int((mech["quality"] == "ambiguous").sum()),
        mechanisms_unreadable=int(mech["value"].isna().sum()),
    )


def _boards(ds: Dataset) -> dict:
    """Fields on board seats: the world survey's shares and the French seat rule."""
    world = i.board_composition(ds).set_index("category")["value"]
    french = i.distribution(ds, "fr-board-seats").set_index("category")
    return dict(
        board_business=pct(world["business"]),
        board_government=pct(world["government"]),
        board_research=pct(world["research-education"]),
        french_seats_smes=num(french.loc["smes", "value"]),
        french_seats_large=num(french.loc["large-enterprises", "value"]),
        french_seats_higher_education=num(french.loc["higher-education", "value"]),
        french_seats_other=num(french.loc["other", "value"]),
        french_cite=_cite(ds, french.iloc[0]),
    )


def governance(ds: Dataset) -> Governance:
    """Section 'Governance': who the specialist organisations are and who controls them."""
    programme = i.programme_facts(ds)
    status = i.specialist_org_status(ds).sort_values("value", ascending=False)
    dual = _with_attribute(ds, "dual_rule")
    return Governance(
        survey_year=programme["group1_year"],
        respondents=num(i.value(ds, "ru-pilots", "survey_respondents")),
        pilots=programme["selected"],
        status_top=pct(status["value"].iloc[0]),
        status_second=pct(status["value"].iloc[1]),
        dual_rule=len(dual),
        dual_rule_regions=_regions(ds, dual["entity"]),
        dual_rule_cite=_cite(ds, dual.iloc[0]),
        **_mechanisms(ds),
        **_boards(ds),
    )


# --- funding -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Funding:
    survey_year: int
    side_total: str
    russia_public_only: str
    russia_public_and_members: str
    russia_members_only: str
    world_public: str
    world_international: str
    world_members: str
    world_services: str
    world_other: str
    world_members_and_services: str
    mapping_table: pd.DataFrame
    state_floor: str
    state_floor_cited_work: MarkdownText
    state_floor_quoted_by: MarkdownText
    state_floor_caveat: MarkdownText
    member_fee_clusters: MarkdownText
    support_initial_low: str
    support_initial_high: str
    support_initial_cite: MarkdownText
    first_assessment: str
    first_assessment_cite: MarkdownText
    maturity_low: str
    maturity_high: str
    maturity_cite: MarkdownText
    support_years_planned: int
    not_requested: int
    not_requested_regions: MarkdownText
    not_requested_clusters: MarkdownText
    not_requested_cite: MarkdownText


def _mapping_table(ds: Dataset) -> pd.DataFrame:
    mapping = i.funding_mapping(ds)
    return pd.DataFrame({
        say("Side and measure", "Сторона и показатель"): mapping["side"].map({
            "Russia": say("Russia (share of organisations naming the source)",
                          "Россия (доля организаций, назвавших источник)"),
            "World": say("World (share of the budget)", "Мир (доля в бюджете)"),
        }),
        say("Category in the source", "Категория в источнике"): mapping["label"],
        say("Share (%)", "Доля (%)"): mapping["value"],
        say("Shared category", "Общая категория"): mapping["comparable"].map(i.comparable_labels()),
    })


def _shares(ds: Dataset) -> dict:
    """Fields on the shares of each funding source, on the shared categories."""
    shares = i.funding_comparison(ds).set_index(["side", "comparable"])["value"]
    russia, world = shares.loc["Russia"], shares.loc["World"]
    return dict(
        side_total=pct(russia.sum()),
        russia_public_only=pct(russia["public"]),
        russia_public_and_members=pct(russia["public-and-members"]),
        russia_members_only=pct(russia["members"]),
        world_public=pct(world["public"]),
        world_international=pct(world["international"]),
        world_members=pct(world["members"]),
        world_services=pct(world["services"]),
        world_other=pct(world["other"]),
        world_members_and_services=pct(world["members"] + world["services"]),
        mapping_table=_mapping_table(ds),
    )


def _time_needed(ds: Dataset) -> dict:
    """Fields on how long cluster organisations need public support."""
    initial = i.benchmark(ds, "specialist-org-support-initial")
    first = i.benchmark(ds, "first-assessment-delay")
    maturity = i.benchmark(ds, "organisational-maturity")
    return dict(
        support_initial_low=num(initial["value"]),
        support_initial_high=num(initial["value_high"]),
        support_initial_cite=citation.quoted_works(ds, initial),
        first_assessment=num(first["value"]),
        first_assessment_cite=citation.quoted_works(ds, first),
        maturity_low=num(maturity["value"]),
        maturity_high=num(maturity["value_high"]),
        maturity_cite=_cite(ds, maturity),
        support_years_planned=i.programme_facts(ds)["support_years"],
    )


def funding(ds: Dataset) -> Funding:
    """Section 'Funding structure': where the money comes from, and how long support lasts."""
    floor = i.benchmark(ds, "state-funding-share-floor")
    not_requested = _with_attribute(ds, "specialist_org_not_requested")
    return Funding(
        survey_year=i.programme_facts(ds)["group1_year"],
        state_floor=pct(floor["value"]),
        state_floor_cited_work=citation.quoted_works(ds, floor),
        state_floor_quoted_by=_source_name(ds, floor["source"]),
        state_floor_caveat=md_escape(floor["caveat"]),
        member_fee_clusters=_cluster_list(ds, _with_attribute(ds, "member_contributions")["entity"]),
        not_requested=len(not_requested),
        not_requested_regions=_regions(ds, not_requested["entity"]),
        not_requested_clusters=_cluster_list(ds, not_requested["entity"]),
        not_requested_cite=_cite(ds, not_requested.iloc[0]),
        **_shares(ds),
        **_time_needed(ds),
    )


# --- staffing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Staffing:
    average: str
    minimum: str
    maximum: str
    average_cite: MarkdownText
    maximum_cite: MarkdownText
    upper_austria_clusters: str
    upper_austria_years: str
    upper_austria_cite: MarkdownText
    certified_share: str  # rounded to a whole percent: the text says 'just under'
    eu_organisations: str
    eu_countries: str
    certified_cite: MarkdownText


def staffing(ds: Dataset) -> Staffing:
    """Section 'Staffing': team sizes in Russia, and what teams abroad have."""
    staff = i.staffing(ds)
    years = _observation(ds, "upper-austria-cdc", "years_operating")
    certified = _observation(ds, "eu-cluster-orgs", "certified_share")
    return Staffing(
        average=num(staff["average"]),
        minimum=num(staff["minimum"]),
        maximum=num(staff["maximum"]),
        average_cite=_cite(ds, _observation(ds, "ru-pilots-specialist-orgs", "specialist_org_staff_avg")),
        maximum_cite=_cite(ds, _observation(ds, "ru-pilots-specialist-orgs", "specialist_org_staff_max")),
        upper_austria_clusters=num(i.value(ds, "upper-austria-cdc", "clusters_managed")),
        upper_austria_years=num(years["value"]),
        upper_austria_cite=_cite(ds, years),
        certified_share=pct(round(certified["value"])),
        eu_organisations=num(i.value(ds, "eu-cluster-orgs", "organisations_surveyed")),
        eu_countries=num(i.value(ds, "eu-cluster-orgs", "countries_covered")),
        certified_cite=_cite(ds, certified),
    )


# --- the chapter -------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmarks:
    mass: CriticalMass
    business: BusinessShare
    governance: Governance
    funding: Funding
    staffing: Staffing


def findings(ds: Dataset) -> Benchmarks:
    return Benchmarks(mass=critical_mass(ds), business=business_share(ds), governance=governance(ds),
                      funding=funding(ds), staffing=staffing(ds))
