"""What the chapter on foreign reference clusters says: their key figures, ratios, counts and preconditions.

Numbers and our own words are plain `str`; text taken from the data (cluster and country names,
factor labels, locators) is Markdown-escaped, for the chapter to show with `ctx.md(...)`. Tables
hold the raw text, since `ctx.table` escapes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from analysis import indicators
from analysis.data import Dataset
from analysis.report import citation
from analysis.text import derived, listing, lower, md_escape, num, qualified

#: The source of most foreign profiles (document 001).
MAIN_SOURCE = "anon-2020-success-factors"
#: Countries (codes) in the order document 001's Table 1 gives them; any other follows by code.
COUNTRY_ORDER = ["US", "CA", "FI", "DE"]
#: The scale of `indicators.normalised_figures`' patent ratio (patents per 1,000 employees).
PATENTS_SCALE = 1000


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
        "n_clusters_with_figures": len(with_figures),
        "n_countries": int(kf["country"].nunique()),
        "n_figures": len(kf),
        "n_industry_figures": int((kf["scope"] == "regional_industry").sum()),
        "n_initiative_figures": int((kf["scope"] == "initiative").sum()),
        "n_ambiguous": len(ambiguous),
        "n_profiles_from_main_source": int(main["entity"].nunique()),
        "main_source_locator": citation.cite_row(ds, main.iloc[0], quoted=False),
        "named_only": listing(md_escape(n) for n in foreign.loc[~foreign["id"].isin(with_figures), "name"]),
        "founded": {cid: "" if pd.isna(y) else str(int(y)) for cid, y in zip(foreign["id"], foreign["founded"])},
        "profiles": {cid: _profile_table(rows) for cid, rows in kf.groupby("entity", sort=False)},
        "upper_austria_support": upper_austria["Value"].iloc[0],
        "ambiguous_list": _ambiguous_list(ds, ambiguous),
    }


def _profile_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One cluster's key figures, with the scope flag on every row."""
    return pd.DataFrame({
        "Figure": rows["indicator_label"],
        "Value (year)": rows["Value and year"],
        "Scope": rows["scope_label"],
        "Quality flag": rows["quality"],
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
        "normalised_table": _normalised_table(nf),
        "n_normalised": len(nf),
        "n_approximate": int(nf["approximate"].sum()),
        "lowest_per_organisation": _ratio(low),
        "lowest_per_organisation_name": md_escape(low["name"]),
        "highest_per_organisation": _ratio(high),
        "highest_per_organisation_name": md_escape(high["name"]),
        "per_organisation_factor": num(high["value"] / low["value"], 0),
        "comparable_sentence": (
            "None of the normalised values can be set against the participant counts of Russian pilots."
            if n_comparable == 0 else
            f"Of the normalised values, {n_comparable} can be set against the participant counts of Russian pilots."),
        "patents_label": label["patents_per_1000_employees"],
        "export_label": label["export_share_of_sales"],
        "patents_scale": num(PATENTS_SCALE),
        "russian_avg_participants": num(indicators.value(ds, "ru-pilots", "participants_avg")),
    }


def _normalised_table(nf: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "Cluster": nf["name"],
        "Measure": nf["measure_label"],
        "Value": [_ratio(r) for _, r in nf.iterrows()],
        "How it is computed": nf["formula"].map(readable_formula),
        "Scope": nf["scope_label"],
        "Quality": nf["quality"] + nf["approximate"].map({True: "; approximate inputs", False: ""}),
    })


def _ratio(row: pd.Series) -> str:
    """A normalised value in words: a ratio rounded to what its inputs support ('about 470' from
    approximate inputs), a reported share as the source gives it ('80%')."""
    unit = "%" if row["measure"] == "export_share_of_sales" else ""
    if row["formula"] == "as reported":
        return qualified(row["value"], "about" if row["approximate"] else None, unit)
    return derived(row["value"], approximate=bool(row["approximate"]), unit_label=unit)


def readable_formula(formula: str) -> str:
    """'employees 70000 / organisations 150' -> 'employees 70,000 ÷ organisations 150'."""
    text = re.sub(r"\d{4,}", lambda m: f"{int(m.group()):,}", formula.replace("_", " "))
    return text.replace(" / ", " ÷ ").replace(" x ", " × ")


def _country_counts(ds: Dataset) -> dict:
    ccc = ds["country_cluster_counts"].sort_values("clusters", ascending=False).reset_index(drop=True)
    most, fewest = ccc.iloc[0], ccc.iloc[-1]
    return {
        "country_counts_table": pd.DataFrame({
            "Country": ccc["country_name"],
            "Clusters": [qualified(v, q, "count") for q, v in zip(ccc["qualifier"], ccc["clusters"])],
            "Year": ccc["year"].map(lambda y: "not stated" if pd.isna(y) else str(int(y))),
            "Quality": ccc["quality"],
        }),
        "n_countries_2018": int((ccc["year"] == 2018).sum()),
        "fewest_clusters": num(fewest["clusters"]),
        "fewest_clusters_country": md_escape(fewest["country_name"]),
        "most_clusters": num(most["clusters"]),
        "most_clusters_country": md_escape(most["country_name"]),
    }


def preconditions_table(ds: Dataset) -> pd.DataFrame:
    """Which country names which factor ("yes"), and in how many countries, the most widely named first."""
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
    return {
        "preconditions_table": table,
        "preconditions_locator": citation.cite_row(ds, ds["preconditions"].query("side == 'foreign'").iloc[0]),
        "n_precondition_countries": n,
        "in_every_country": " and ".join(f'"{md_escape(x)}"' for x in everywhere) if everywhere else "no precondition",
        "missing_from_one_sentence":
            f"{', '.join(map(md_escape, near))} are each missing from a single country's list." if near else "",
        "n_single_country_factors": len(single),
        "single_country_factors": ", ".join(md_escape(lower(x)) for x in single),
        "longest_list_country": md_escape(items.idxmax()),
        "longest_list_items": num(items.max()),
    }
