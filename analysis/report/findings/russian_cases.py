"""What the chapter on Russian cases says: the five cases of document 001, and its success factors.

Numbers and our own words are plain `str`; text taken from the data (factor labels, figure
labels, notes, locators) is Markdown-escaped, for the chapter to show with `ctx.md(...)`.
Tables keep the data's text as it is: `ctx.table` escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import indicators
from analysis.data import Dataset, language
from analysis.report import citation
from analysis.report.findings.foreign import quality_word, scope_word
from analysis.text import lower, md_escape, num, qualified, say

#: The document that describes the cases, and the cases in the order the chapter tells them.
SOURCE = "anon-2020-success-factors"
CASES = ("perm-new-star", "samara-aerospace", "kama", "bashkortostan-petrochem", "kaluga-pharma")
#: The two lists the document draws up, as `list` ids in factor_lists.csv.
SUCCESS_FACTORS = "success-factors-12"
CHARACTERISTICS = "russian-cluster-characteristics-5"
#: The order of the factor comparison table: shared factors first.
OVERLAP_ORDER = {"shared": 0, "foreign only": 1, "Russian only": 2}
#: Where a factor is named, in Russian: across both sides (the comparison) and in the precondition tables (the lists).
OVERLAP_RU = {"shared": "общий", "foreign only": "только зарубежные", "Russian only": "только российские"}
NAMED_IN_RU = {"both": "в обеих", "foreign only": "только в зарубежной", "Russian only": "только в российской",
               "neither": "ни в одной"}


@dataclass(frozen=True)
class Case:
    """One case: what the chapter prints under its heading."""

    preconditions: str  # the factors named for it, '; '-separated (Markdown)
    scorecard: str  # 'rank 12 of 25, score 5%, evidence on 40% of the signs'
    table: pd.DataFrame  # the figures the document gives for it
    notes: str  # our note on each figure, as a Markdown list ('' when there are none)
    values: dict  # indicator id -> its first value as read ('RUB 21 billion'), Markdown


@dataclass(frozen=True)
class Findings:
    # the cases
    n_cases: int
    pilots_among_cases: str  # 'all of them are' or '3 of them are'
    case_locator: str
    precondition_locator: str
    perm_management_locator: str  # where the scorecard finds Perm's missing management body
    cases: dict  # cluster id -> Case
    # foreign against Russian factors
    n_countries: int
    n_russian_cases: int
    precondition_locators: str
    n_factors: int
    n_shared: int
    n_foreign_only: int
    n_russian_only: int
    overlap_table: pd.DataFrame
    top_foreign: str  # the factor most often named for foreign countries
    top_foreign_countries: str
    top_foreign_russian: str
    shared_top: str  # the shared factor named most often, and the next one
    shared_second: str
    foreign_only_factors: str
    russian_only_top: str  # the Russian-only factor named for most Russian cases, and the next one
    russian_only_top_cases: str
    russian_only_second: str
    # the document's two lists
    n_success_factors: int
    n_characteristics: int
    success_factor_locator: str
    characteristic_locator: str
    success_factor_table: pd.DataFrame
    characteristic_table: pd.DataFrame
    repeated_items: str  # the items that name the same factor twice: '1 and 12'
    n_new_success_factors: int
    new_success_factors: str
    n_characteristics_in_foreign: int
    characteristics_in_foreign: str
    characteristics_not_in_foreign: str


def findings(ds: Dataset) -> Findings:
    case_obs = ds.observation_rows(source=SOURCE, entity=CASES)
    russian = ds["preconditions"][ds["preconditions"]["side"] == "russian"]
    kinds = ds["clusters"].set_index("id").loc[list(CASES), "kind"]
    n_pilots = int((kinds == "pilot").sum())
    m = indicators.scorecard_matrix(ds)
    perm_org = m[(m["cluster"] == "perm-new-star") & (m["sign"] == "specialist-organisation")]
    scores = indicators.scores(ds).set_index("cluster")
    return Findings(
        n_cases=len(CASES),
        pilots_among_cases=(say("all of them are", "все они —") if n_pilots == len(CASES)
                            else say(f"{n_pilots} of them are", f"{n_pilots} из них —")),
        case_locator=citation.cite_row(ds, case_obs[case_obs["locator"].str.contains("section")].iloc[0], quoted=False),
        precondition_locator=citation.cite_row(ds, russian.iloc[0]),
        perm_management_locator=citation.cite_row(ds, perm_org.iloc[0], quoted=False),
        cases={cid: _case(ds, case_obs[case_obs["entity"] == cid], russian.loc[russian["subject"] == cid, "factor"],
                          scores, cid) for cid in CASES},
        **_comparison(ds),
        **_lists(ds),
    )


def _figure_value(ds: Dataset, row) -> str:
    """A figure as a reader says it, with its qualifier and unit: 'more than 1,500 companies'."""
    unit = ds.vocab.units.get(row["unit"], row["unit"])
    return qualified(row["value"], row["qualifier"], unit, high=row.get("value_high"))


def _figure_label(ds: Dataset, labels: pd.Series, row) -> str:
    """'Share of national production: trucks': the indicator's label and the breakdown, if any."""
    label = labels[row["indicator"]]
    if isinstance(row["breakdown"], str) and row["breakdown"]:
        label += ": " + language.term(ds, "breakdown", row["breakdown"])
    return label


def _scorecard_position(score: pd.Series, scores: pd.DataFrame) -> str:
    """'rank =4 of 13 ranked pilots, score 33.3%, evidence on 60% of the signs', or why a case has no score."""
    evidence = say(f"evidence on {num(score['coverage'])}% of the signs", f"данные по {num(score['coverage'])}% признаков")
    if not score["scored"]:
        return say(f"{lower(score['light_label'])} for a score ({evidence})", f"{lower(score['light_label'])} для оценки ({evidence})")
    n = int(scores["scored"].sum())
    return say(f"rank {score['rank_label']} of {n} ranked pilots, score {num(score['score'])}%, {evidence}",
               f"место {score['rank_label']} из {n} в рейтинге пилотных кластеров, оценка {num(score['score'])}%, {evidence}")


def _case(ds: Dataset, rows: pd.DataFrame, factors: pd.Series, scores: pd.DataFrame, cid: str) -> Case:
    """A case from its figures (`rows`), the factors its preconditions name and the scorecard's `scores`."""
    labels = ds["indicators"].set_index("id")["label"]
    factor_labels = ds["factors"].set_index("code")["label"]
    score = scores.loc[cid]
    figures = [_figure_label(ds, labels, r) for _, r in rows.iterrows()]
    values = [_figure_value(ds, r) for _, r in rows.iterrows()]
    years = ["" if pd.isna(y) else f" ({int(y)})" for y in rows["year"]]
    noted = [(label, note) for label, note in zip(figures, rows["note"]) if not pd.isna(note)]
    first_values: dict[str, str] = {}
    for indicator, value in zip(rows["indicator"], values):
        first_values.setdefault(indicator, md_escape(value))
    return Case(
        preconditions=md_escape("; ".join(lower(factor_labels[c]) for c in dict.fromkeys(factors))),
        scorecard=_scorecard_position(score, scores),
        table=pd.DataFrame({
            say("Figure", "Показатель"): figures,
            say("Value (year)", "Значение (год)"): [v + y for v, y in zip(values, years)],
            say("Scope", "Охват"): [scope_word(sc, indicators.SCOPE_LABELS.get(sc)) for sc in rows["scope"]],
            say("Quality flag", "Отметка качества"): [quality_word(ds, q) for q in rows["quality"]],
        }),
        notes=(say("Notes on the figures:", "Примечания к показателям:") + "\n\n" + "\n".join(f"- *{md_escape(label)}*: {md_escape(note)}"
                                                     for label, note in noted)) if noted else "",
        values=first_values,
    )


def _nth(labels, n: int) -> str:
    """The n-th label (from 0), Markdown-escaped; '' when there are fewer."""
    labels = list(labels)
    return md_escape(labels[n]) if n < len(labels) else ""


def _comparison(ds: Dataset) -> dict:
    """Foreign against Russian preconditions on the shared list of factors (document 001, Tables 1 and 2)."""
    fo = indicators.factor_overlap(ds)
    fm = indicators.factor_matrix(ds)
    kinds = fo["overlap"].value_counts()
    shared = fo[fo["overlap"] == "shared"].sort_values(["foreign", "russian"], ascending=False)["label"]
    russian_only = fo[fo["overlap"] == "Russian only"].sort_values("russian", ascending=False)
    top_foreign = fo.sort_values(["foreign", "russian"], ascending=False).iloc[0]
    return dict(
        n_countries=int(fm.loc[fm["side"] == "foreign", "subject"].nunique()),
        n_russian_cases=int(fm.loc[fm["side"] == "russian", "subject"].nunique()),
        precondition_locators=citation.source_line(ds, ds["preconditions"].sort_values("locator"), bare=True),
        n_factors=len(fo),
        n_shared=int(kinds.get("shared", 0)),
        n_foreign_only=int(kinds.get("foreign only", 0)),
        n_russian_only=int(kinds.get("Russian only", 0)),
        overlap_table=_overlap_table(fo, fm),
        top_foreign=md_escape(top_foreign["label"]),
        top_foreign_countries=num(top_foreign["foreign"]),
        top_foreign_russian=num(top_foreign["russian"]),
        shared_top=_nth(shared, 0),
        shared_second=_nth(shared, 1),
        foreign_only_factors=md_escape(", ".join(lower(x) for x in fo.loc[fo["overlap"] == "foreign only", "label"])),
        russian_only_top=_nth(russian_only["label"], 0),
        russian_only_top_cases=num(russian_only["russian"].iloc[0]) if len(russian_only) else "",
        russian_only_second=_nth(russian_only["label"], 1),
    )


def _overlap_table(fo: pd.DataFrame, fm: pd.DataFrame) -> pd.DataFrame:
    """Each factor with the countries and cases naming it: shared factors first, then by counts."""
    n_countries, n_cases = fm.loc[fm["side"] == "foreign", "subject"].nunique(), fm.loc[fm["side"] == "russian", "subject"].nunique()
    countries = say(f"Countries naming it (of {n_countries})", f"Страны, называющие фактор (из {n_countries})")
    cases = say(f"Russian cases naming it (of {n_cases})", f"Российские кластеры, называющие фактор (из {n_cases})")
    table = pd.DataFrame({say("Factor", "Фактор"): fo["label"], countries: fo["foreign"], cases: fo["russian"],
                          say("Across both sides", "Сопоставление сторон"):
                              [say(o, OVERLAP_RU.get(o, o)) for o in fo["overlap"]]})
    return (table.assign(_order=fo["overlap"].map(OVERLAP_ORDER))
            .sort_values(["_order", countries, cases], ascending=[True, False, False])
            .drop(columns="_order"))


def _named_in(code: str, foreign: set, russian: set) -> str:
    """Which precondition tables name a factor: 'both', 'foreign only', 'Russian only' or 'neither'."""
    if code in foreign:
        return "both" if code in russian else "foreign only"
    return "Russian only" if code in russian else "neither"


def _list_table(ds: Dataset, rows: pd.DataFrame, foreign: set, russian: set) -> pd.DataFrame:
    factor_labels = ds["factors"].set_index("code")["label"]
    rows = rows.sort_values("item")
    named = rows["factor"].map(lambda c: _named_in(c, foreign, russian))
    return pd.DataFrame({
        say("Item no.", "№ п/п"): rows["item"].astype(str),
        say("What it says (our summary)", "Содержание (наше изложение)"): rows["label"],
        say("Shared factor", "Общий фактор"): rows["factor"].map(factor_labels),
        say("In the precondition tables", "В таблицах предпосылок"): [say(n, NAMED_IN_RU.get(n, n)) for n in named],
    })


def _factor_text(ds: Dataset, codes) -> str:
    """Factors by their labels, each once, for the middle of a sentence: 'venture organisations, small businesses'."""
    factor_labels = ds["factors"].set_index("code")["label"]
    return md_escape(", ".join(dict.fromkeys(lower(factor_labels[c]) for c in codes)))


def _lists(ds: Dataset) -> dict:
    """The document's closing list of success factors, and its characteristics of Russian clusters."""
    fl = ds["factor_lists"]
    fm = indicators.factor_matrix(ds)
    foreign = set(fm.loc[fm["side"] == "foreign", "factor"])
    russian = set(fm.loc[fm["side"] == "russian", "factor"])
    sf, ch = fl[fl["list"] == SUCCESS_FACTORS], fl[fl["list"] == CHARACTERISTICS]
    repeats = sf["factor"].value_counts()
    repeated = repeats.index[0] if len(repeats) and repeats.iloc[0] > 1 else None
    sf_new = sf.loc[~sf["factor"].isin(foreign | russian), "factor"]
    ch_foreign = ch["factor"].isin(foreign)
    return dict(
        n_success_factors=len(sf),
        n_characteristics=len(ch),
        success_factor_locator=citation.cite_row(ds, sf.iloc[0]),
        characteristic_locator=citation.cite_row(ds, ch.iloc[0]),
        success_factor_table=_list_table(ds, sf, foreign, russian),
        characteristic_table=_list_table(ds, ch, foreign, russian),
        repeated_items=say(" and ", " и ").join(sf.loc[sf["factor"] == repeated, "item"].astype(str)) if repeated else "",
        n_new_success_factors=len(sf_new),
        new_success_factors=_factor_text(ds, sf_new),
        n_characteristics_in_foreign=int(ch_foreign.sum()),
        characteristics_in_foreign=_factor_text(ds, ch.loc[ch_foreign, "factor"]),
        characteristics_not_in_foreign=_factor_text(ds, ch.loc[~ch_foreign, "factor"]),
    )
