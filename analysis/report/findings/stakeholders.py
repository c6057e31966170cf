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
from analysis.text import language, listing, lower, md_escape, num, qualified, say

#: The stakeholder groups of stakeholders.csv as readers know them, in the order of the tables.
GROUPS = {
    "business": "Business",
    "academia": "Universities and research",
    "investors": "Investors",
    "partners": "Partners",
    "regional-authorities": "Regional authorities",
    "federal-authorities": "Federal authorities",
}
GROUPS_RU = {
    "business": "Бизнес",
    "academia": "Вузы и научные организации",
    "investors": "Инвесторы",
    "partners": "Партнёры",
    "regional-authorities": "Региональные органы власти",
    "federal-authorities": "Федеральные органы власти",
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
MICRO_EFFECTS_RU = (
    "Снижение издержек", "Рост инновационной активности", "Привлечение инвестиций", "Рост занятости",
    "Рост налоговых платежей", "Повышение квалификации персонала", "Появление новых предприятий", "Рост выпуска",
)
MACRO_EFFECTS = (
    "More competitive region with a better image", "Region more attractive to investors",
    "More budget money for the region's development", "Better human capital",
    "Social and economic well-being of the region", "More exports of competitive regional products",
    "Economic decline overcome", "Diversified, more resilient regional economy", "Steady growth of national product",
)
MACRO_EFFECTS_RU = (
    "Рост конкурентоспособности и улучшение имиджа региона", "Рост инвестиционной привлекательности региона",
    "Рост бюджетных средств на развитие региона", "Развитие человеческого капитала",
    "Социально-экономическое благополучие региона", "Рост экспорта конкурентоспособной продукции региона",
    "Преодоление экономического спада", "Диверсифицированная и более устойчивая экономика региона",
    "Устойчивый рост национального продукта",
)
EFFECT_CHAINS_RU = (
    ("Появление новых предприятий; рост занятости",
     "Диверсифицированная и более устойчивая экономика региона; преодоление экономического спада"),
    ("Снижение издержек", "Снижение цен и рост спроса, а значит, рост конкурентоспособности региона"),
    ("Повышение квалификации персонала благодаря тесным связям компаний с вузами",
     "Рост инноваций и экспорта конкурентоспособной продукции региона; развитие человеческого капитала"),
    ("Рост выпуска", "Устойчивый рост национального продукта"),
    ("Рост налоговых платежей", "Рост бюджетных средств на проекты развития региона"),
    ("Привлечение инвестиций при росте выпуска", "Рост инвестиционной привлекательности и улучшение имиджа региона"),
    ("Все перечисленные эффекты", "Социально-экономическое благополучие региона — конечная цель модели"),
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
        say("Stakeholder", "Заинтересованная сторона"): rows["group_label"].where(first, ""),
        say("Interest (our summary)", "Интерес (наше изложение)"): rows["interest"],
        say("Linked success factor", "Связанный фактор успеха"): rows["factor_label"].fillna(say("none", "нет")),
    })


def _interests(ds: Dataset) -> dict:
    """What each group wants from a cluster (document 001, Table 3), and which success factor it matches."""
    st = ds["stakeholders"].copy()
    st["group_label"] = st["stakeholder"].map(lambda g: say(GROUPS.get(g, g), GROUPS_RU.get(g, g)))
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
    ru = language() == "ru"
    micro, macro = (MICRO_EFFECTS_RU, MACRO_EFFECTS_RU) if ru else (MICRO_EFFECTS, MACRO_EFFECTS)
    return dict(
        n_micro_effects=len(MICRO_EFFECTS),
        n_macro_effects=len(MACRO_EFFECTS),
        micro_effects=", ".join(lower(x) for x in micro),
        macro_effects="; ".join(lower(x) for x in macro),
        effects_table=pd.DataFrame(list(EFFECT_CHAINS_RU if ru else EFFECT_CHAINS),
                                   columns=[say("Micro-effect (firms in the cluster)", "Микроэффект (компании кластера)"),
                                            say("Macro-effect (the regional economy)", "Макроэффект (экономика региона)")]),
    )


def _survey_number(value, qualifier, unit: str) -> str:
    """A survey count as the table shows it: '68'; a share keeps its qualifier and '%': 'more than 50%'."""
    return qualified(value, qualifier, "%" if unit == "percent" else "")


def _survey(ds: Dataset) -> dict:
    """The 2019 interviews with cluster managers, and the business survey before them."""
    sv = ds.observation_rows(entity=SURVEY)
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
        # Russian short names hold commas ('Пермь, «Новый Звёздный»'), so in Russian they are listed with '; '
        survey_clusters=md_escape(say(listing(short_names[c] for c in SURVEY_CLUSTERS),
                                      listing((short_names[c] for c in SURVEY_CLUSTERS), serial=True))),
        survey_table=pd.DataFrame({
            say("What was counted", "Что подсчитано"): list(sv["indicator"].map(labels)),
            say("Number (year)", "Число (год)"): [n + ("" if pd.isna(y) else f" ({int(y)})") for n, y in zip(numbers, sv["year"])],
            say("Note", "Примечание"): list(sv["note"].fillna("")),
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
