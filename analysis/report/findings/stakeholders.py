"""What the stakeholders chapter says: what each group wants from a cluster, the document's model of
micro- and macro-effects, and the 2019 interviews with cluster managers (all from document 001).

Numbers and our own words are plain `str`; text taken from the data (factor labels, cluster
names, locators) is Markdown-escaped, for the chapter to show with `ctx.md(...)`. Tables keep
the data's text as it is: `ctx.table` escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import indicators
from analysis.data import Dataset
from analysis.report import citation
from analysis.text import listing, lower, md_escape, num, qualified

#: The stakeholder groups of stakeholders.csv as readers know them, in the order of the tables.
GROUPS = {
    "business": "Business",
    "academia": "Universities and research",
    "investors": "Investors",
    "partners": "Partners",
    "regional-authorities": "Regional authorities",
    "federal-authorities": "Federal authorities",
}
PUBLIC = ("regional-authorities", "federal-authorities")
#: The survey entity of the 2019 interviews, and the clusters its follow-up interviews covered
#: (document 001, section 'Research Methodology').
SURVEY = "ru-managers-survey-2019"
SURVEY_CLUSTERS = ("perm-new-star", "samara-aerospace", "kaluga-pharma")

# Document 001, Figure 2, is a diagram of labelled boxes with no data; these are our own
# short readings of its boxes and of the text beside it.
MICRO_EFFECTS = (
    "Cost advantages", "More innovation activity", "Investment drawn in", "Higher employment",
    "Higher tax payments", "Stronger staff skills", "New businesses", "Higher output",
)
MACRO_EFFECTS = (
    "More competitive region with a better image", "Region more attractive to investors",
    "More budget money for the region's development", "Better human capital",
    "Social and economic well-being of the region", "More exports of competitive regional products",
    "Economic decline overcome", "Diversified, more resilient regional economy", "Steady growth of national product",
)
EFFECT_CHAINS = (
    ("New businesses; higher employment", "Diversified, more resilient regional economy; economic decline overcome"),
    ("Cost advantages", "Lower prices and higher demand, hence a more competitive region"),
    ("Stronger staff skills, through close ties between firms and universities",
     "More innovation and more exports of competitive regional products; better human capital"),
    ("Higher output", "Steady growth of national product"),
    ("Higher tax payments", "More budget money for the region's development projects"),
    ("Investment drawn in, with higher output", "Region more attractive to investors, with a better image"),
    ("All of the above", "Social and economic well-being of the region, the end goal of the model"),
)


@dataclass(frozen=True)
class Findings:
    # what each group wants
    n_interests: int
    n_groups: int
    largest_group_interests: str  # interests of the group with the most
    interests_locator: str
    private_interests_table: pd.DataFrame
    public_interests_table: pd.DataFrame
    n_linked: int  # interests that map onto a success factor
    n_unlinked: int
    public_unlinked: int  # unlinked interests held by the authorities
    public_total: int
    top_factor: str  # the factor most interests link to
    top_factor_interests: int
    top_factor_groups: int
    # micro- and macro-effects
    n_micro_effects: int
    n_macro_effects: int
    micro_effects: str
    macro_effects: str
    effects_table: pd.DataFrame
    # the 2019 interviews
    managers: int
    clusters_surveyed: int
    regions_surveyed: int
    businesses_surveyed: int
    managers_funds_critical: int
    managers_funds_critical_share: str
    managers_local_irrelevant: int
    managers_local_irrelevant_share: str
    clusters_intersectoral: int
    managers_per_cluster: str
    survey_locators: str
    survey_clusters: str
    survey_table: pd.DataFrame
    # the comparison with document 002
    public_funding_russia: str  # share of pilot specialist organisations naming public budgets (2013)
    public_funding_world: str  # share of public budgets in the budget of cluster organisations worldwide
    pilot_staff_average: str


def findings(ds: Dataset) -> Findings:
    return Findings(**_interests(ds), **_effects(), **_survey(ds), **_comparison(ds))


def _interests_table(st: pd.DataFrame, groups) -> pd.DataFrame:
    """The interests of some groups, the group named on its first row only."""
    rows = st[st["stakeholder"].isin(groups)]
    first = ~rows["stakeholder"].duplicated()
    return pd.DataFrame({
        "Stakeholder": rows["group_label"].where(first, ""),
        "Interest (our summary)": rows["interest"],
        "Linked success factor": rows["factor_label"].fillna("none"),
    })


def _interests(ds: Dataset) -> dict:
    """What each group wants from a cluster (document 001, Table 3), and which success factor it matches."""
    st = ds["stakeholders"].copy()
    st["group_label"] = st["stakeholder"].map(lambda g: GROUPS.get(g, g))
    st["factor_label"] = st["factor"].map(ds["factors"].set_index("code")["label"])
    per_group = st.groupby("stakeholder", sort=False).size()
    unlinked = st[st["factor"].isna()]
    top_factors = st["factor_label"].value_counts()
    top_factor = top_factors.index[0]
    return dict(
        n_interests=len(st),
        n_groups=int(st["stakeholder"].nunique()),
        largest_group_interests=num(per_group.max()),
        interests_locator=citation.cite_row(ds, st.iloc[0]),
        private_interests_table=_interests_table(st, [g for g in GROUPS if g not in PUBLIC]),
        public_interests_table=_interests_table(st, PUBLIC),
        n_linked=int(st["factor"].notna().sum()),
        n_unlinked=len(unlinked),
        public_unlinked=int(unlinked["stakeholder"].isin(PUBLIC).sum()),
        public_total=int(st["stakeholder"].isin(PUBLIC).sum()),
        top_factor=md_escape(top_factor),
        top_factor_interests=int(top_factors.iloc[0]),
        top_factor_groups=int(st.loc[st["factor_label"] == top_factor, "stakeholder"].nunique()),
    )


def _effects() -> dict:
    """Our reading of the model of micro- and macro-effects (document 001, Figure 2)."""
    return dict(
        n_micro_effects=len(MICRO_EFFECTS),
        n_macro_effects=len(MACRO_EFFECTS),
        micro_effects=", ".join(lower(x) for x in MICRO_EFFECTS),
        macro_effects="; ".join(lower(x) for x in MACRO_EFFECTS),
        effects_table=pd.DataFrame(list(EFFECT_CHAINS), columns=["Micro-effect (firms in the cluster)",
                                                                 "Macro-effect (the regional economy)"]),
    )


def _survey_number(value, qualifier, unit: str) -> str:
    """A survey count as the table shows it: '68'; a share keeps its qualifier and '%': 'more than 50%'."""
    return qualified(value, qualifier, "%" if unit == "percent" else "")


def _survey(ds: Dataset) -> dict:
    """The 2019 interviews with cluster managers, and the business survey before them."""
    obs = ds.observations
    sv = obs[obs["entity"] == SURVEY]
    counts = sv.drop_duplicates("indicator").set_index("indicator")["value"].astype(int).to_dict()
    managers, clusters = counts["managers_interviewed"], counts["clusters_surveyed"]
    short_names = ds["clusters"].set_index("id")["short_name"]
    labels = ds["indicators"].set_index("id")["label"]
    numbers = [_survey_number(v, q, u) for v, q, u in zip(sv["value"], sv["qualifier"], sv["unit"])]
    return dict(
        managers=managers,
        clusters_surveyed=clusters,
        regions_surveyed=counts["regions_surveyed"],
        businesses_surveyed=counts["businesses_surveyed"],
        managers_funds_critical=counts["managers_funds_critical"],
        managers_funds_critical_share=num(counts["managers_funds_critical"] / managers * 100),
        managers_local_irrelevant=counts["managers_local_irrelevant"],
        managers_local_irrelevant_share=num(counts["managers_local_irrelevant"] / managers * 100),
        clusters_intersectoral=counts["clusters_intersectoral"],
        managers_per_cluster=num(managers / clusters, 0),
        survey_locators=citation.source_line(ds, sv.sort_values("locator"), bare=True),
        survey_clusters=md_escape(listing(short_names[c] for c in SURVEY_CLUSTERS)),
        survey_table=pd.DataFrame({
            "What was counted": list(sv["indicator"].map(labels)),
            "Number (year)": [n + ("" if pd.isna(y) else f" ({int(y)})") for n, y in zip(numbers, sv["year"])],
            "Note": list(sv["note"].fillna("")),
        }),
    )


def _comparison(ds: Dataset) -> dict:
    """Public money in the pilots and worldwide, and the pilots' staff (document 002)."""
    fc = indicators.funding_comparison(ds)
    public = fc[fc["comparable"] == "public"].set_index("side")["value"]
    return dict(
        public_funding_russia=num(public["Russia"]),
        public_funding_world=num(public["World"]),
        pilot_staff_average=num(indicators.staffing(ds)["average"]),
    )
