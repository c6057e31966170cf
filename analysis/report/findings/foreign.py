"""What the chapter on foreign reference clusters says: their key figures, ratios, counts and preconditions.

Numbers and our own words are plain `str`; text taken from the data (cluster and country names,
factor labels, locators) is Markdown-escaped, for the chapter to show with `ctx.md(...)`. Tables
hold the raw text, since `ctx.table` escapes it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pandas as pd

from analysis import indicators
from analysis.data import Dataset
from analysis.report import citation
from analysis.text import country, derived, listing, lower, md_escape, num, qualified, say

#: The source of most foreign profiles (document 001).
MAIN_SOURCE = "anon-2020-success-factors"
#: Countries (codes) in the order document 001's Table 1 gives them; any other follows by code.
COUNTRY_ORDER = ["US", "CA", "FI", "DE"]
#: The scale of `indicators.normalised_figures`' patent ratio (patents per 1,000 employees).
PATENTS_SCALE = 1000
#: A figure's scope, and a normalised measure, in Russian (English labels come from `indicators`).
SCOPES_RU = {"initiative": "Кластерная инициатива", "regional_industry": "Отрасль региона в целом или парк"}
MEASURES_RU = {"employees_per_organisation": "Занятые на одну организацию",
               "export_share_of_sales": "Доля экспорта в продажах, %",
               "patents_per_1000_employees": "Выданные патенты на {scale} занятых (накопленным итогом)"}
#: The words of a formula ('employees 70000 / organisations 150') in Russian.
FORMULA_WORDS_RU = {"patents_granted": "выданные патенты", "employees": "занятые", "organisations": "организации",
                    "companies": "компании", "participants": "участники", "residents": "резиденты",
                    "as reported": "по данным источника"}


def _measure(measure: str, label: str) -> str:
    return say(label, MEASURES_RU.get(measure, label).format(scale=num(PATENTS_SCALE)))


def scope_word(scope: str, label: str) -> str:
    """A figure's scope as readers see it: `indicators`' English label, or its Russian."""
    return say(label, SCOPES_RU.get(scope, label))


def quality_word(ds: Dataset, quality: str) -> str:
    """A quality flag as readers see it: the id in English ('derived'); in Russian the data's term ('расчётное')."""
    return say(quality, getattr(ds, "terms", {}).get(f"quality.{quality}") or quality)


@dataclass(frozen=True)
class Findings:
    # the figures and profiles
    n_clusters_with_figures: int
    n_countries: int
    n_figures: int
    n_industry_figures: int
    n_initiative_figures: int
    n_ambiguous: int
    n_profiles_from_main_source: int
    main_source_locator: str  # Markdown
    named_only: str  # Markdown: clusters the sources name without figures
    founded: dict[str, str]  # cluster id -> year, "" when not stated
    profiles: dict[str, pd.DataFrame]  # cluster id -> its key figures
    upper_austria_support: str
    ambiguous_list: str  # Markdown list
    # normalised comparisons
    normalised_table: pd.DataFrame
    n_normalised: int
    n_approximate: int
    lowest_per_organisation: str
    lowest_per_organisation_name: str  # Markdown
    highest_per_organisation: str
    highest_per_organisation_name: str  # Markdown
    per_organisation_factor: str
    comparable_sentence: str
    patents_label: str
    export_label: str
    patents_scale: str
    russian_avg_participants: str
    # clusters per country
    country_counts_table: pd.DataFrame
    n_countries_2018: int
    fewest_clusters: str
    fewest_clusters_country: str  # Markdown
    most_clusters: str
    most_clusters_country: str  # Markdown
    # preconditions by country
    preconditions_table: pd.DataFrame
    preconditions_locator: str  # Markdown
    n_precondition_countries: int
    in_every_country: str  # Markdown
    missing_from_one_sentence: str  # Markdown
    n_single_country_factors: int
    single_country_factors: str  # Markdown
    longest_list_country: str  # Markdown
    longest_list_items: str


def findings(ds: Dataset) -> Findings:
    return Findings(**_profiles(ds), **_normalised(ds), **_country_counts(ds), **_preconditions(ds))


@dataclass(frozen=True)
class FigureCounts:
    """How many figures the sources give on foreign clusters, on how many clusters, and how many of them count a
    cluster initiative (the rest describe a whole regional industry or park)."""

    n_figures: int
    n_clusters_with_figures: int
    n_initiative_figures: int


def figure_counts(ds: Dataset) -> FigureCounts:
    """The counts of `findings`, from the figures' scopes only: a page that quotes just these does not depend on
    the values, and is not run again when one is edited."""
    clusters = ds["clusters"]
    rows = ds.observation_rows(columns=["entity", "scope"], entity=clusters.loc[clusters["kind"] == "foreign", "id"])
    return FigureCounts(n_figures=len(rows), n_clusters_with_figures=rows["entity"].nunique(),
                        n_initiative_figures=int((rows["scope"] == "initiative").sum()))


def key_figures(ds: Dataset) -> pd.DataFrame:
    """The foreign clusters' figures, each with its value as a reader says it, and with its year."""
    kf = indicators.foreign_key_figures(ds)
    kf["Value"] = [qualified(v, q, u) for v, q, u in zip(kf["value"], kf["qualifier"], kf["unit_label"])]
    year = kf["year"].map(lambda y: "" if pd.isna(y) else f" ({int(y)})")
    kf["Value and year"] = kf["Value"] + year
    return kf


def _profiles(ds: Dataset) -> dict:
    kf = key_figures(ds)
    foreign = ds["clusters"][ds["clusters"]["kind"] == "foreign"]
    with_figures = kf["entity"].unique().tolist()
    ambiguous = kf[kf["quality"] == "ambiguous"]
    main = kf[kf["source"] == MAIN_SOURCE]
    upper_austria = kf[(kf["entity"] == "upper-austria-automotive") & (kf["indicator"] == "years_support_needed")]
    return {
        **asdict(figure_counts(ds)),  # the counts the home page quotes, made one way
        "n_countries": int(kf["country"].nunique()),
        "n_industry_figures": int((kf["scope"] == "regional_industry").sum()),
        "n_ambiguous": len(ambiguous),
        "n_profiles_from_main_source": int(main["entity"].nunique()),
        "main_source_locator": citation.cite_row(ds, main.iloc[0], quoted=False),
        "named_only": listing(md_escape(n) for n in foreign.loc[~foreign["id"].isin(with_figures), "name"]),
        "founded": {cid: "" if pd.isna(y) else str(int(y)) for cid, y in zip(foreign["id"], foreign["founded"])},
        "profiles": {cid: _profile_table(ds, rows) for cid, rows in kf.groupby("entity", sort=False)},
        "upper_austria_support": upper_austria["Value"].iloc[0],
        "ambiguous_list": _ambiguous_list(ds, ambiguous),
    }


def _profile_table(ds: Dataset, rows: pd.DataFrame) -> pd.DataFrame:
    """One cluster's key figures, with the scope flag on every row."""
    return pd.DataFrame({
        say("Figure", "Показатель"): rows["indicator_label"],
        say("Value (year)", "Значение (год)"): rows["Value and year"],
        say("Scope", "Охват"): [scope_word(sc, label) for sc, label in zip(rows["scope"], rows["scope_label"])],
        say("Quality flag", "Отметка качества"): [quality_word(ds, q) for q in rows["quality"]],
    }).reset_index(drop=True)


def _ambiguous_list(ds: Dataset, ambiguous: pd.DataFrame) -> str:
    """'- **Aero Montreal, share of GDP: about 1.85%.** Our reason.' for each ambiguous figure."""
    short = ds["clusters"].set_index("id")["short_name"]
    return "\n".join(
        f"- **{md_escape(short[r['entity']])}, {md_escape(lower(r['indicator_label']))}: {md_escape(r['Value'])}.** "
        f"{md_escape(r['note'])}"
        for _, r in ambiguous.iterrows()
    )


def _normalised(ds: Dataset) -> dict:
    nf = indicators.normalised_figures(ds)
    per_org = nf[nf["measure"] == "employees_per_organisation"].sort_values("value")
    low, high = per_org.iloc[0], per_org.iloc[-1]
    n_comparable = int(nf["comparable_with_russian_participants"].sum())
    label = nf.drop_duplicates("measure").set_index("measure")["measure_label"]
    return {
        "normalised_table": _normalised_table(ds, nf),
        "n_normalised": len(nf),
        "n_approximate": int(nf["approximate"].sum()),
        "lowest_per_organisation": _ratio(low),
        "lowest_per_organisation_name": md_escape(low["name"]),
        "highest_per_organisation": _ratio(high),
        "highest_per_organisation_name": md_escape(high["name"]),
        "per_organisation_factor": num(high["value"] / low["value"], 0),
        "comparable_sentence": (
            say("None of the normalised values can be set against the participant counts of Russian pilots.",
                "Ни один из нормированных показателей нельзя сопоставить с числом участников российских пилотных "
                "кластеров.")
            if n_comparable == 0 else
            say(f"Of the normalised values, {n_comparable} can be set against the participant counts of Russian pilots.",
                f"Из нормированных показателей с числом участников российских пилотных кластеров можно сопоставить "
                f"{n_comparable}.")),
        "patents_label": _measure("patents_per_1000_employees", label["patents_per_1000_employees"]),
        "export_label": _measure("export_share_of_sales", label["export_share_of_sales"]),
        "patents_scale": num(PATENTS_SCALE),
        "russian_avg_participants": num(indicators.value(ds, "ru-pilots", "participants_avg")),
    }


def _normalised_table(ds: Dataset, nf: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        say("Cluster", "Кластер"): nf["name"],
        say("Measure", "Показатель"): [_measure(m, label) for m, label in zip(nf["measure"], nf["measure_label"])],
        say("Value", "Значение"): [_ratio(r) for _, r in nf.iterrows()],
        say("How it is computed", "Расчёт"): nf["formula"].map(readable_formula),
        say("Scope", "Охват"): [scope_word(sc, label) for sc, label in zip(nf["scope"], nf["scope_label"])],
        say("Quality", "Качество"): [quality_word(ds, q) for q in nf["quality"]]
                                    + nf["approximate"].map({True: say("; approximate inputs", "; исходные данные приблизительные"),
                                                             False: ""}),
    })


def _ratio(row: pd.Series) -> str:
    """A normalised value in words: a ratio rounded to what its inputs support ('about 470' from
    approximate inputs), a reported share as the source gives it ('80%')."""
    unit = "%" if row["measure"] == "export_share_of_sales" else ""
    if row["formula"] == "as reported":
        return qualified(row["value"], "about" if row["approximate"] else None, unit)
    return derived(row["value"], approximate=bool(row["approximate"]), unit_label=unit)


def readable_formula(formula: str) -> str:
    """'employees 70000 / organisations 150' -> 'employees 70,000 ÷ organisations 150'; in Russian
    'занятые 70 000 ÷ организации 150'."""
    words = re.sub(r"[a-z_]+(?: reported)?", lambda m: say(m.group(), FORMULA_WORDS_RU.get(m.group(), m.group())), formula)
    text = re.sub(r"\d{1,3}(?:,\d{3})+|\d{4,}", lambda m: num(int(m.group().replace(",", ""))), words.replace("_", " "))
    return text.replace(" / ", " ÷ ").replace(" x ", " × ")


def _country_counts(ds: Dataset) -> dict:
    ccc = ds["country_cluster_counts"].sort_values("clusters", ascending=False).reset_index(drop=True)
    most, fewest = ccc.iloc[0], ccc.iloc[-1]
    return {
        "country_counts_table": pd.DataFrame({
            say("Country", "Страна"): [say(name, country(code)) for code, name in zip(ccc["country"], ccc["country_name"])],
            say("Clusters", "Кластеры"): [qualified(v, q, "count") for q, v in zip(ccc["qualifier"], ccc["clusters"])],
            say("Year", "Год"): ccc["year"].map(lambda y: say("not stated", "не указан") if pd.isna(y) else str(int(y))),
            say("Quality", "Качество"): [quality_word(ds, q) for q in ccc["quality"]],
        }),
        "n_countries_2018": int((ccc["year"] == 2018).sum()),
        "fewest_clusters": num(fewest["clusters"]),
        "fewest_clusters_country": md_escape(say(fewest["country_name"], country(fewest["country"]))),
        "most_clusters": num(most["clusters"]),
        "most_clusters_country": md_escape(say(most["country_name"], country(most["country"]))),
    }


def preconditions_table(ds: Dataset) -> pd.DataFrame:
    """Which country names which factor ("yes"), and in how many countries, the most widely named first.
    The columns keep their English names here (the findings name them in the language spoken)."""
    fmf = indicators.factor_matrix(ds).query("side == 'foreign'")
    label = dict(zip(fmf["subject"], fmf["subject_label"]))
    countries = [label[c] for c in COUNTRY_ORDER + sorted(set(label) - set(COUNTRY_ORDER)) if c in label]
    pivot = fmf.pivot_table(index="factor_label", columns="subject_label", values="items", aggfunc="sum", fill_value=0)
    pivot = pivot.reindex(columns=countries, fill_value=0)
    table = pd.DataFrame({"Precondition": pivot.index})
    for c in countries:
        table[c] = ["yes" if v else "" for v in pivot[c]]
    table["Countries"] = (pivot > 0).sum(axis=1).values
    return table.sort_values(["Countries", "Precondition"], ascending=[False, True]).reset_index(drop=True)


def _preconditions(ds: Dataset) -> dict:
    table = preconditions_table(ds)
    n = len(table.columns) - 2  # the factor and count columns aside, one column per country

    def named_in(k: int) -> list[str]:
        return table.loc[table["Countries"] == k, "Precondition"].tolist()

    everywhere, near, single = named_in(n), named_in(n - 1), named_in(1)
    items = indicators.factor_matrix(ds).query("side == 'foreign'").groupby("subject_label")["items"].sum()
    shown = table.rename(columns={"Precondition": say("Precondition", "Предпосылка"), "Countries": say("Countries", "Число стран")})
    shown[shown.columns[1:-1]] = shown[shown.columns[1:-1]].replace("yes", say("yes", "да"))
    return {
        "preconditions_table": shown,
        "preconditions_locator": citation.cite_row(ds, ds["preconditions"].query("side == 'foreign'").iloc[0]),
        "n_precondition_countries": n,
        "in_every_country": (say(" and ".join(f'"{md_escape(x)}"' for x in everywhere),
                                 listing(f"«{md_escape(x)}»" for x in everywhere))
                             if everywhere else say("no precondition", "ни одна предпосылка")),
        "missing_from_one_sentence": (
            say(f"{', '.join(map(md_escape, near))} are each missing from a single country's list.",
                f"Предпосылка «{md_escape(near[0])}» отсутствует в списке лишь одной страны." if len(near) == 1 else
                f"Каждая из предпосылок {listing(f'«{md_escape(x)}»' for x in near)} отсутствует в списке лишь одной страны.")
            if near else ""),
        "n_single_country_factors": len(single),
        "single_country_factors": ", ".join(md_escape(lower(x)) for x in single),
        "longest_list_country": md_escape(items.idxmax()),
        "longest_list_items": num(items.max()),
    }
