"""Cluster profile pages: one Markdown page per cluster and their index, written from the data.

The pages hold no code: every value is written here, so they cost nothing to render. The
pre-render step (`clusterbench.prerender`) places them in the book.

Every word is written in the language spoken (`analysis.text.speaking`): our own words through `say`
or the `*_RU` tables below, the data's words from the localized dataset (`analysis.data.language`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from analysis import indicators, text
from analysis.charts.theme import STATUS_LABELS, STATUS_SYMBOLS
from analysis.data import Dataset, language
from analysis.paths import PROFILE_DIR
from analysis.report import citation, verdicts
from analysis.text import md_escape as esc
from analysis.text import num, plural, say

PROFILES_INDEX = "chapters/11-cluster-profiles.md"
CONFIDENCE = {"S": "stated in a source", "P": "confirmed in another public source", "M": "general knowledge, to be confirmed"}
SCOPE = {"initiative": "cluster initiative", "regional_industry": "whole industry or park", "programme": "programme",
         "survey": "survey", "country": "country", "company": "company"}
#: The initiator categories of Kutsenko (2015), Figure 3, as the data codes them and as readers read them.
INITIATORS = {"regional-authorities": "regional authorities", "corporations": "corporations",
              "universities-research": "universities and research institutions", "business-associations": "business associations"}
KIND_ORDER = {"pilot": 0, "pilot_component": 1, "russian_other": 2, "foreign": 3}
PRACTICES_CHAPTER = "../09-best-practices.qmd"
SCORECARD_CHAPTER = "../05-scorecard.qmd"
KIND_WORDS = {"pilot": "Pilot innovative territorial cluster", "pilot_component": "Part of a pilot cluster",
              "russian_other": "Other Russian cluster", "foreign": "Foreign cluster"}
#: The tables above in the Russian edition (the glossary's terms: data/glossary.csv).
CONFIDENCE_RU = {"S": "указано в источнике", "P": "подтверждено другим открытым источником",
                 "M": "общеизвестные сведения, требуют проверки"}
SCOPE_RU = {"initiative": "кластерная инициатива", "regional_industry": "отрасль региона или парк в целом",
            "programme": "программа", "survey": "обследование", "country": "страна", "company": "компания"}
INITIATORS_RU = {"regional-authorities": "региональные органы власти", "corporations": "корпорации",
                 "universities-research": "университеты и научные организации",
                 "business-associations": "объединения предпринимателей"}
KIND_WORDS_RU = {"pilot": "Пилотный инновационный территориальный кластер", "pilot_component": "Часть пилотного кластера",
                 "russian_other": "Другой российский кластер", "foreign": "Зарубежный кластер"}
#: Scorecard statuses and quality flags in Russian where the data's terms (`ds.terms`, data/ru/labels.csv) lack them.
STATUS_RU = {"meets": "выполняется", "partly": "частично", "fails": "не выполняется", "unknown": "нет данных"}
QUALITY_RU = {"reported": "по данным источника", "derived": "расчётное", "estimate": "оценка источника",
              "ambiguous": "неоднозначное"}
#: A scorecard light as a Russian sentence names it («цвет — жёлтый»); the localized scorecard may name it so already.
LIGHTS_RU = {"green": "зелёный", "amber": "жёлтый", "red": "красный"}
#: The part of a cluster a figure describes (observations' `breakdown`), in Russian.
#: A profile says plainly that the sources say little when it has fewer figures and other facts than this and no
#: scorecard score. Across the clusters with any figure or fact (33 of 51 in 2026), the median is 3: below it a
#: page is only its key-facts table and a line or two, and such pages share PDF pages (`COMPACT`).
LITTLE_EVIDENCE = 3
#: The class that marks a profile heading to be set without a page break in the PDF (the engine's Typst writer).
COMPACT = "cb-compact"
#: Quarto's class for a heading kept out of the table of contents (pandoc's Typst writer: `outlined: false`).
UNLISTED = "unlisted"
#: The figures an at-a-glance header shows first, by how much they say about a cluster's size and make-up.
KEY_INDICATORS = ("participants", "organisations", "companies", "residents", "employees", "business_share", "sales",
                  "output_value", "production_value", "export_share_of_sales")
#: How many figures the at-a-glance header shows.
KEY_NUMBERS = 3


def _words(en: dict, ru: dict) -> dict:
    """One of the tables above in the language spoken: `en`, or in Russian `en` with `ru`'s words."""
    return {**en, **ru} if text.language() == "ru" else en


def _term(ds: Dataset, group: str, code: str, english: str, russian: dict) -> str:
    """A coded term as readers read it: `english` in English; in Russian the data's term ('status.meets'), else `russian`'s."""
    if text.language() != "ru":
        return english
    return ds.terms.get(f"{group}.{code}") or russian.get(code, english)


def _quality(ds: Dataset, code: str) -> str:
    """A quality flag: the code itself in English ('reported'), the glossary's term in Russian."""
    return _term(ds, "quality", code, code, QUALITY_RU)


def _status(ds: Dataset, status: str) -> str:
    """A scorecard status with a capital, as a table shows it: 'Meets', «Выполняется»."""
    word = _term(ds, "status", status, STATUS_LABELS[status], STATUS_RU)
    return word[:1].upper() + word[1:]


def _cell(text) -> str:
    """A table cell from data: escaped, and without characters that would break a pipe table."""
    return esc(str(text).replace("\n", " ")) if text is not None and not (isinstance(text, float) and pd.isna(text)) else ""


def _unit(units: dict, code: str) -> str:
    """The unit `analysis.text.qualified` reads: the vocabulary's label in English ('RUB billion'); in Russian the code
    ('rub_bn'), by which the spoken unit forms are found (the localized vocabulary holds Russian labels, which it cannot read)."""
    return say(units.get(code, code), code)


def _value(row: pd.Series, units: dict) -> str:
    if pd.isna(row["value"]):
        return say("not readable", "прочитать нельзя")
    return text.qualified(row["value"], row["qualifier"], _unit(units, row["unit"]), high=row.get("value_high"))


@dataclass
class _Measures:
    """What every profile page looks up about the indicators and benchmarks, made once per dataset: a registry
    of thousands of clusters would otherwise index these tables again on every page."""

    indicators: pd.DataFrame  # the tables it was made from, to know when it is stale
    benchmarks: pd.DataFrame
    labels: pd.Series
    direction: pd.Series
    compared_with: dict = field(default_factory=dict)  # indicator -> `verdicts.benchmarks_for` it

    def benchmarks_for(self, indicator: str) -> pd.DataFrame:
        if indicator not in self.compared_with:
            self.compared_with[indicator] = verdicts.benchmarks_for(indicator, self.benchmarks)
        return self.compared_with[indicator]


_measures: _Measures | None = None


def _measures_of(ds: Dataset) -> _Measures:
    """The `_Measures` of `ds`'s indicators and benchmarks; the pages of one registry share their tables."""
    global _measures
    indicators, benchmarks = ds["indicators"], ds["benchmarks"]
    if _measures is None or _measures.indicators is not indicators or _measures.benchmarks is not benchmarks:
        by_id = indicators.set_index("id")
        _measures = _Measures(indicators, benchmarks, by_id["label"], by_id["direction"])
    return _measures


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def profile_markdown(ds: Dataset, cluster_id: str, ranks: pd.DataFrame | None = None, scorecard_link: bool = False,
                     printed: bool = True) -> str:
    """A cluster's profile page. `ranks` is the scorecard of every pilot (`indicators.scores`, by cluster);
    without it, it is computed from `ds`, which must then hold every pilot.

    With `printed=False` the page is whole on the website only; the PDF gets its heading, kept out of the contents,
    and a one-paragraph entry (`_in_brief`). A registry of thousands of clusters would otherwise print thousands of
    pages that no reader turns, and more than Typst can hold in memory.
    """
    c = ds["clusters"].set_index("id").loc[cluster_id]
    if ranks is None:
        ranks = indicators.scores(ds).set_index("cluster")
    score = ranks.loc[cluster_id] if c["kind"] == "pilot" and cluster_id in ranks.index else None
    obs = ds.observation_rows(entity=cluster_id)
    attrs = ds["cluster_attributes"]
    facts = len(obs) + int((attrs["entity"] == cluster_id).sum())
    little = facts < LITTLE_EVIDENCE and (score is None or not score["scored"])
    out = _intro(ds, cluster_id, c, little, len(obs), facts - len(obs), score, printed) + _glance(ds, c, obs, facts - len(obs), score, ranks)
    out += _key_facts(ds, c)
    if len(obs):
        out += _figures(ds, obs) + _benchmarks(ds, obs)
    if c["kind"] == "pilot":
        out += _scorecard(ds, cluster_id, score, ranks, scorecard_link)
    out += _other_facts(ds, cluster_id) + _related_practices(ds, cluster_id)
    if not printed:
        out = [*out[:2], '::: {.content-visible when-format="html"}', *out[2:], ":::", "",
               '::: {.content-hidden when-format="html"}', _in_brief(ds, c), ":::"]
    return "\n".join(out).rstrip() + "\n"


def _place(c: pd.Series) -> str:
    """Where a cluster is: 'Kaluga Oblast, Russia'."""
    return ", ".join(_cell(v) for v in (c["region"], text.country(c["country"])) if pd.notna(v) and v != "")


def _in_brief(ds: Dataset, c: pd.Series) -> str:
    """A profile's entry in a PDF that does not print the profile: the cluster's name, kind, place and industry,
    and where the rest is."""
    place = _place(c)
    kind = _words(KIND_WORDS, KIND_WORDS_RU)[c["kind"]]
    industry = _cell(ds.vocab.industry_group[c["industry_group"]])
    return say(f"**{esc(c['name'])}**. {kind}; {place}; {industry.lower()}. Its full profile, with every figure, "
               "its benchmarks and sources, is on the report's website.",
               f"**{esc(c['name'])}**. {kind}; {place}; {industry.lower()}. Полный профиль со всеми показателями, "
               "сравнением с ориентирами и источниками опубликован на сайте доклада.")


#: Profile pages sit one folder below the chapters, so their citations link up to the References.
UP = "../"


def _count(n: int, one: str, many: str) -> str:
    return f"{'no' if n == 0 else num(n)} {one if n == 1 else many}"


def _tally(figures: int, others: int) -> str:
    """How many figures and other facts: '11 figures and no other facts'; in Russian «11 показателей, других фактов нет»
    ('' in Russian when there are none of either: the sentence says so its own way)."""
    if text.language() != "ru":
        return f"{_count(figures, 'figure', 'figures')} and {_count(others, 'other fact', 'other facts')}"
    given = [f"{num(n)} {plural(n, forms)}" for n, forms in ((figures, "показатель|показателя|показателей"),
                                                            (others, "другой факт|других факта|других фактов")) if n]
    missing = [word for n, word in ((figures, "показателей"), (others, "других фактов")) if not n]
    return text.listing(given) + (f", {missing[0]} нет" if given and missing else "")


def _intro(ds: Dataset, cluster_id: str, c: pd.Series, little: bool, figures: int, others: int, score,
           printed: bool = True) -> list[str]:
    """The heading (set without a page break in the PDF when the page is short or not printed, and kept out of the
    PDF's contents when not printed), then, when the sources say little, a sentence that says so and what they do
    give, then the cluster's full name and kind."""
    classes = "".join(f" .{name}" for name, on in ((COMPACT, little or not printed), (UNLISTED, not printed)) if on)
    out = [f"# {esc(c['short_name'])} {{#sec-profile-{cluster_id} .unnumbered{classes}}}", ""]
    if little:
        signs = ""
        if score is not None:
            known, n = int(score["known"]), int(score["signs"])
            signs = say(f", and a known status on {num(known) if known else 'none'} of the {n} scorecard signs",
                        f"; статус известен по {num(known)} из {n} {plural(n, 'признака|признаков|признаков')} сводной оценки"
                        if known else f"; статус не известен ни по одному из {n} {plural(n, 'признака|признаков|признаков')} "
                        "сводной оценки")
        tally = _tally(figures, others)
        out += [say(f"The sources say little about this cluster: beyond its place and industry they give {tally}{signs}.",
                    "Сведений об этом кластере в источниках мало: помимо местоположения и отрасли, "
                    + (f"в них есть {tally}" if tally else "в них нет ни показателей, ни других фактов") + f"{signs}."), ""]
    kind = _words(KIND_WORDS, KIND_WORDS_RU)[c["kind"]]
    out += [f"**{esc(c['name'])}**. {kind}; {esc(ds.vocab.entity_type[c['entity_type']].rstrip('.').lower())}.", ""]
    return out


def _key_numbers(ds: Dataset, obs: pd.DataFrame) -> list[str]:
    """Up to `KEY_NUMBERS` figures, latest first, those of `KEY_INDICATORS` before the others, each with its
    unit, year and, when it describes more than the cluster initiative, its scope."""
    whole = obs[obs["breakdown"].isna() & obs["value"].notna()].copy()
    if not len(whole):
        return []
    whole["key"] = whole["indicator"].map(lambda i: KEY_INDICATORS.index(i) if i in KEY_INDICATORS else len(KEY_INDICATORS))
    latest = whole.sort_values(["key", "indicator", "year"], ascending=[True, True, False], na_position="last")
    labels = _measures_of(ds).labels
    shown = []
    for _, r in latest.drop_duplicates("indicator").head(KEY_NUMBERS).iterrows():
        about = [str(int(r["year"]))] if pd.notna(r["year"]) else []
        about += [_words(SCOPE, SCOPE_RU).get(r["scope"], r["scope"])] if r["scope"] != "initiative" else []
        shown.append(f"{_cell(labels.get(r['indicator'], r['indicator']))}: {_cell(_value(r, ds.vocab.units))}"
                     + (f" ({', '.join(about)})" if about else ""))
    return shown


def _glance(ds: Dataset, c: pd.Series, obs: pd.DataFrame, others: int, score, ranks: pd.DataFrame) -> list[str]:
    """The at-a-glance header: kind, place, industry, support group, key numbers and how much evidence there is."""
    place = _place(c)
    lines = [f"- **{say('Kind', 'Тип')}:** {_words(KIND_WORDS, KIND_WORDS_RU)[c['kind']]}",
             f"- **{say('Where', 'Местоположение')}:** {place}",
             f"- **{say('Industry', 'Отрасль')}:** {_cell(ds.vocab.industry_group[c['industry_group']])}"]
    if pd.notna(c["support_group"]):
        lines.append(f"- **{say('Support group', 'Группа поддержки')}:** {_group(c['support_group'])}")
    numbers = _key_numbers(ds, obs)
    if numbers:
        lines.append(f"- **{say('Key numbers', 'Основные показатели')}:** " + "; ".join(numbers))
    tally = _tally(len(obs), others) or "показателей и других фактов нет"
    lines.append(f"- **{say('Evidence', 'Данные')}:** {tally}; " + _coverage(ds, c, score, ranks))
    return [say("## At a glance", "## Кратко"), ""] + lines + [""]


def _group(group) -> str:
    """A support group as a value: 'Group 1'; in Russian the number alone, after «Группа поддержки»."""
    return say(f"Group {int(group)}", f"{int(group)}")


def _known(score, *, scorecard: bool) -> str:
    """'a known status on 4 of 10 (scorecard) signs'; in Russian «известен статус 4 из 10 признаков (сводной оценки)»."""
    k, n = int(score["known"]), int(score["signs"])
    return say(f"a known status on {k} of {n} {'scorecard signs' if scorecard else 'signs'}",
               f"известен статус {k} из {n} {plural(n, 'признака|признаков|признаков')}" + (" сводной оценки" if scorecard else ""))


def _light(light) -> str:
    """A scorecard light as a Russian sentence names it: 'amber' (or the localized «жёлтый») -> «жёлтый»."""
    return LIGHTS_RU.get(light, light)


def _coverage(ds: Dataset, c: pd.Series, score, ranks: pd.DataFrame) -> str:
    """The scorecard's evidence coverage of a pilot and its verdict in a few words; other clusters are not scored."""
    if c["kind"] != "pilot":
        return say("not on the scorecard, which covers the pilot clusters only.",
                   "в сводную оценку не входит: она охватывает только пилотные кластеры.")
    if score is None:
        return say("not yet assessed on the scorecard's signs.", "по признакам сводной оценки ещё не оценивался.")
    known = _known(score, scorecard=True) + say(f" ({num(score['coverage'])}% coverage)",
                                                f" (полнота данных {num(score['coverage'])}%)")
    label = esc(ds.scorecard.minimum_coverage.label).lower()
    if not score["scored"]:
        return say(f"{known}: {label}, so no score, light or rank.",
                   f"{known}: {label}, поэтому нет ни оценки, ни цвета, ни места.")
    scored = int(ranks["scored"].sum())
    return say(f"{known}; {score['light']} light, score {num(score['score'])}%, rank {score['rank_label']} of {scored}.",
               f"{known}; цвет {_light(score['light'])}, оценка {num(score['score'])}%, место {score['rank_label']} из {scored}.")


def _key_facts(ds: Dataset, c: pd.Series) -> list[str]:
    """The key facts table, the sources of the cluster's record and its note."""
    confidence = _words(CONFIDENCE, CONFIDENCE_RU)
    yes = say("yes", "да")
    facts = [
        [say("Country", "Страна"), _cell(text.country(c["country"])), ""],
        [say("Region", "Регион"), _cell(c["region"]), confidence.get(c["location_confidence"], "")],
        [say("City", "Город"), _cell(c["city"]), confidence.get(c["location_confidence"], "")],
        [say("Industry", "Отрасль"), _cell(ds.vocab.industry_group[c["industry_group"]]),
         confidence.get(c["industry_group_confidence"], "")],
    ]
    if pd.notna(c["support_group"]):
        facts.append([say("Support group", "Группа поддержки"), _group(c["support_group"]),
                      confidence.get(c["support_group_confidence"], "")])
    if pd.notna(c["founded"]):
        facts.append([say("Founded", "Год создания"), str(int(c["founded"])), ""])
    if c["closed_city"]:
        facts.append([say("Closed city (ZATO)", "ЗАТО"), yes, ""])
    if c["single_industry_city"]:
        facts.append([say("Single-specialism city", "Моногород"), yes, ""])
    if pd.notna(c["merged_into"]):
        merged = ds["clusters"].set_index("id").loc[c["merged_into"], "short_name"]
        facts.append([say("Merged into", "Вошёл в состав"), f"[{esc(merged)}]({c['merged_into']}.md)", ""])
    out = [say("## Key facts", "## Основные сведения"), "",
           _table([say("Fact", "Сведения"), say("Value", "Значение"), say("Confidence", "Достоверность")], facts), ""]
    out += [f"{say('Sources', 'Источники')}: {citation.cite_row(ds, c, base=UP)}.", ""]
    if pd.notna(c["note"]):
        out += [_cell(c["note"]), ""]
    return out


def _figures(ds: Dataset, obs: pd.DataFrame) -> list[str]:
    labels = _measures_of(ds).labels
    scope = _words(SCOPE, SCOPE_RU)
    rows = []
    for _, r in obs.sort_values(["indicator", "year"]).iterrows():
        label = labels.get(r["indicator"], r["indicator"]) + (f" ({language.term(ds, 'breakdown', r['breakdown'])})" if pd.notna(r["breakdown"]) else "")
        rows.append([_cell(label), _cell(_value(r, ds.vocab.units)), str(int(r["year"])) if pd.notna(r["year"]) else "",
                     scope.get(r["scope"], r["scope"]), _quality(ds, r["quality"]), citation.cite_row(ds, r, base=UP)])
    header = [say("Indicator", "Показатель"), say("Value", "Значение"), say("Year", "Год"), say("Describes", "Охват"),
              say("Quality", "Качество"), say("Source", "Источник")]
    return [say("## Figures", "## Показатели"), "", _table(header, rows), ""]


def _comparisons(ds: Dataset, obs: pd.DataFrame) -> list[tuple[pd.Series, pd.Series, verdicts.Verdict]]:
    """(figure, benchmark, verdict) for each of the cluster's figures and each benchmark it could be taken for."""
    measures = _measures_of(ds)
    out = []
    for _, r in obs.sort_values(["indicator", "year"]).iterrows():
        for _, b in measures.benchmarks_for(r["indicator"]).iterrows():
            out.append((r, b, verdicts.compare(r, b, measures.direction.get(b["indicator"], "neutral"))))
    return out


def _verdict_cell(v: verdicts.Verdict) -> str:
    word = f"{verdicts.VERDICT_SYMBOLS[v.verdict]} {verdicts.label(v.verdict)}"
    return f"{word}: {verdicts.reason(v.reason)}" if v.reason else word


def _scope_cell(v: verdicts.Verdict) -> str:
    scope = _words(SCOPE, SCOPE_RU)
    if v.figure_scope == v.benchmark_scope:
        return f"{say('both', 'оба')}: {scope.get(v.figure_scope, v.figure_scope)}"
    return (f"{say('figure', 'показатель')}: {scope.get(v.figure_scope, v.figure_scope)}; "
            f"{say('benchmark', 'ориентир')}: {scope.get(v.benchmark_scope, v.benchmark_scope)}")


#: Reasons a figure cannot be set against a benchmark at all: the benchmarks it is not set against are listed in one row.
UNLIKE = ("different_scope", "different_measure", "different_unit")


def _benchmark_rows(ds: Dataset, compared: list) -> list[list[str]]:
    """A row per decided (or undecided but like-for-like) comparison, with the benchmark's value and source; one row
    per figure for all the benchmarks it is unlike, which quotes no benchmark value, as none is compared."""
    labels = _measures_of(ds).labels
    rows, unlike = [], {}
    for r, b, v in compared:
        year = f" ({int(r['year'])})" if pd.notna(r["year"]) else ""
        figure = f"{_cell(labels.get(r['indicator'], r['indicator']))}: {_cell(_value(r, ds.vocab.units))}{year}"
        if v.reason in UNLIKE:
            unlike.setdefault((figure, v), []).append(_cell(b["label"]))
            continue
        ref = text.qualified(b["value"], b["comparator"], _unit(ds.vocab.units, b["unit"]), high=b["value_high"])
        ref += say(" (average)", " (среднее)") if b["comparator"] == "average" else ""
        rows.append([f"{_cell(b['label'])} ({citation.cite_row(ds, b, base=UP)})", _cell(ref), figure, _scope_cell(v), _verdict_cell(v)])
    for (figure, v), names in unlike.items():
        many = say(_count(len(names), "benchmark", "benchmarks").capitalize(),
                   f"{num(len(names))} {plural(len(names), 'ориентир|ориентира|ориентиров')}")
        rows.append([f"{many}: " + "; ".join(names), say("not compared", "не сопоставляется"), figure,
                     _scope_cell(v), _verdict_cell(v)])
    return rows


#: How a count of verdicts reads in a sentence, for one and for more than one...
_VERDICT_PHRASES = {
    verdicts.MEETS: ("meets the benchmark", "meet the benchmark"),
    verdicts.BELOW: ("falls short", "fall short"),
    verdicts.ABOVE: ("lies above the benchmark", "lie above the benchmark"),
    verdicts.CANT_TELL: ("can't be told", "can't be told"),
}
#: ...in Russian, after «в N случаях» ('in N cases')...
_VERDICT_PHRASES_RU = {
    verdicts.MEETS: "показатель соответствует ориентиру",
    verdicts.BELOW: "показатель ниже ориентира",
    verdicts.ABOVE: "показатель выше ориентира",
    verdicts.CANT_TELL: "вывод сделать нельзя",
}
#: ...and when the table has a single comparison.
_ONE_VERDICT = {
    verdicts.MEETS: "The cluster's figure meets the benchmark.",
    verdicts.BELOW: "The cluster's figure falls short of the benchmark.",
    verdicts.ABOVE: "The cluster's figure lies above the benchmark.",
    verdicts.CANT_TELL: "The cluster's figure can't be set against the benchmark.",
}
_ONE_VERDICT_RU = {
    verdicts.MEETS: "Показатель кластера соответствует ориентиру.",
    verdicts.BELOW: "Показатель кластера ниже ориентира.",
    verdicts.ABOVE: "Показатель кластера выше ориентира.",
    verdicts.CANT_TELL: "Сопоставить показатель кластера с ориентиром нельзя.",
}


def _verdict_summary(counts: pd.Series) -> str:
    """'Of the 3 comparisons in the table, 1 meets the benchmark, 1 falls short and 1 can't be told.'"""
    total = int(counts.sum())
    if total == 1:
        return say(_ONE_VERDICT[counts.index[0]], _ONE_VERDICT_RU[counts.index[0]])
    if text.language() == "ru":
        if len(counts) == 1:
            return f"Во всех {num(total)} сопоставлениях в таблице {_VERDICT_PHRASES_RU[counts.index[0]]}."
        parts = [f"в {num(counts[k])} {plural(int(counts[k]), 'случае|случаях|случаях')} {_VERDICT_PHRASES_RU[k]}"
                 for k in _VERDICT_PHRASES_RU if k in counts]
        return f"Из {num(total)} сопоставлений в таблице: {text.listing(parts)}."
    if len(counts) == 1:
        return f"All {num(total)} comparisons in the table {_VERDICT_PHRASES[counts.index[0]][1]}."
    parts = [f"{num(counts[k])} {_VERDICT_PHRASES[k][int(counts[k] > 1)]}" for k in _VERDICT_PHRASES if k in counts]
    return f"Of the {num(total)} comparisons in the table, {', '.join(parts[:-1])} and {parts[-1]}."


def _benchmarks(ds: Dataset, obs: pd.DataFrame) -> list[str]:
    """Each of the cluster's figures against the benchmarks for its measure, with a verdict and the scope checked;
    a count that only looks like a benchmark's measure is listed too, as "can't tell", so no one sets them side by side."""
    compared = _comparisons(ds, obs)
    if not compared:
        return []
    counts = pd.Series([v.verdict for _, _, v in compared]).value_counts()
    rule = say("A benchmark is set only against a figure of the same scope, measure and unit; any other pairing reads \"can't tell\".",
               "Ориентир сопоставляется только с показателем того же охвата, того же содержания и в тех же единицах; "
               f"при любом другом сочетании вывод — «{verdicts.label(verdicts.CANT_TELL).lower()}».")
    header = [say("Benchmark", "Ориентир"), say("Reference", "Значение ориентира"), say("This cluster", "Этот кластер"),
              say("Scope checked", "Проверка охвата"), say("Verdict", "Вывод")]
    out = [say("## Against the benchmarks", "## Сравнение с международными ориентирами"), "",
           f"{_verdict_summary(counts)} {rule}", "", _table(header, _benchmark_rows(ds, compared)), ""]
    caveats = {b["label"]: b["caveat"] for _, b, v in compared if pd.notna(b["caveat"]) and v.reason not in UNLIKE}
    out += [say(f"Caveat on {_cell(label)}: {_cell(caveat)}", f"Оговорка к ориентиру «{_cell(label)}»: {_cell(caveat)}")
            for label, caveat in caveats.items()]
    return out + ([""] if caveats else [])


def _scorecard(ds: Dataset, cluster_id: str, score, ranks: pd.DataFrame, scorecard_link: bool) -> list[str]:
    """The pilot's row of the scorecard: its score line, each sign with a known status as symbol and word, and the
    signs without evidence in one line (with what the sources say on any of them)."""
    m = ds["assessments"].merge(ds.sign_table, on="sign")
    m = m[m["cluster"] == cluster_id].sort_values("order")
    out = [say("## Scorecard", "## Сводная оценка"), ""]
    if score is not None:
        rules = say(f" See [the scorecard]({SCORECARD_CHAPTER}) for the rules.",
                    f" Правила — в главе [«Сводная оценка»]({SCORECARD_CHAPTER}).") if scorecard_link else ""
        out += [_score_line(ds, score, ranks) + rules, ""]
    known, unknown = m[m["status"] != "unknown"], m[m["status"] == "unknown"]
    if len(known):
        rows = [[_cell(r["label"]), f"{STATUS_SYMBOLS[r['status']]} {_status(ds, r['status'])}", _cell(r["evidence"]),
                 citation.cite_row(ds, r, base=UP) if pd.notna(r["source"]) else ""] for _, r in known.iterrows()]
        header = [say("Sign", "Признак"), say("Status", "Статус"), say("Evidence", "Обоснование"), say("Where", "Источник")]
        out += [_table(header, rows), ""]
    if len(unknown):
        n = len(unknown)
        every = " (every sign)" if not len(known) else ""
        none = say(f"No evidence on {_count(n, 'sign', 'signs')}{every}",
                   f"Нет данных ни по одному из {num(n)} {plural(n, 'признака|признаков|признаков')}" if not len(known)
                   else f"Нет данных по {num(n)} {plural(n, 'признаку|признакам|признакам')}")
        out += [f"{STATUS_SYMBOLS['unknown']} {none}: " + "; ".join(_cell(label) for label in unknown["label"]) + ".", ""]
        for _, r in unknown[unknown["evidence"].notna()].iterrows():
            where = f" ({citation.cite_row(ds, r, base=UP)})" if pd.notna(r["source"]) else ""
            on = say(f"On {_cell(text.lower(r['label']))}", f"По признаку «{_cell(r['label'])}»")
            out += [f"{on}: {_cell(str(r['evidence']).rstrip('.'))}{where}.", ""]
    return out


def _score_line(ds: Dataset, s: pd.Series, ranks: pd.DataFrame) -> str:
    """A pilot's score, light and rank by the scorecard's rules; below the minimum coverage, why it has none."""
    evidence = f"{_known(s, scorecard=False)} ({num(s['coverage'])}%)"
    least = ds.scorecard.minimum_coverage
    if not s["scored"]:
        return say(f"{esc(least.label)}: {evidence}, below the {num(least.percent)}% the scorecard needs to score a cluster, "
                   "so no score, light or rank.",
                   f"{esc(least.label)}: {evidence} — меньше {num(least.percent)}%, необходимых для сводной оценки кластера, "
                   "поэтому нет ни оценки, ни цвета, ни места.")
    # a shared rank says so, with how many share it
    shared, scored = int((ranks["rank"] == s["rank"]).sum()), int(ranks["scored"].sum())
    known = ds.scorecard.score.over == "known"
    if text.language() == "ru":
        rank = f"место {s['rank_label']} из {scored} пилотных кластеров, включённых в рейтинг" + (
            f"; его делят {shared} {plural(shared, 'кластер|кластера|кластеров')}" if shared > 1 else "")
        over = "по признакам с известным статусом" if known else "по всем признакам"
        return f"Оценка {over} — {num(s['score'])}%, {evidence}; цвет — {_light(s['light'])}; {rank}."
    rank = f"rank {s['rank_label']} of {scored} ranked pilots" + (f", shared by {shared}" if shared > 1 else "")
    over = "the known signs" if known else "all signs"
    return f"Score {num(s['score'])}% over {over}, with {evidence}; {s['light']} light; {rank}."


def _attribute_value(value: str) -> str:
    """An attribute's value in words: 'yes' for a flag, the category of an initiator, the text of a legal form."""
    if value == "true":
        return say("yes", "да")
    return _words(INITIATORS, INITIATORS_RU).get(value, value)


def _other_facts(ds: Dataset, cluster_id: str) -> list[str]:
    attrs = ds["cluster_attributes"]
    attrs = attrs[attrs["entity"] == cluster_id]
    if not len(attrs):
        return []
    rows = [[_cell(ds.vocab.attributes[r["attribute"]].split(" (")[0].rstrip(".")), _cell(_attribute_value(r["value"])),
             _quality(ds, r["quality"]), citation.cite_row(ds, r, base=UP)]
            for _, r in attrs.iterrows()]
    header = [say("Fact", "Сведения"), say("Value", "Значение"), say("Quality", "Качество"), say("Where", "Источник")]
    return [say("## Other facts", "## Другие сведения"), "", _table(header, rows), ""]


def _related_practices(ds: Dataset, cluster_id: str) -> list[str]:
    related = [p for p in ds.practices if p.meta.status == "active" and (p.meta.origin.cluster == cluster_id or cluster_id in p.meta.relevant_to)]
    if not related:
        return []
    out = [say("## Related best practices", "## Связанные лучшие практики"), ""]
    for p in sorted(related, key=lambda p: p.meta.id):
        role = (say("from this cluster", "практика этого кластера") if p.meta.origin.cluster == cluster_id
                else say("relevant here", "применима к этому кластеру"))
        out.append(f"- [{p.meta.id}]({PRACTICES_CHAPTER}#{p.meta.id.lower()}) {esc(p.meta.title)} ({role})")
    return out + [""]


def _in_book_order(ds: Dataset) -> pd.DataFrame:
    """The clusters by kind (`KIND_ORDER`), then by short name: in English as the characters sort, in Russian
    as a Russian reader looks them up (regardless of case, «ё» with «е»: «Самара» before «СПб»)."""
    clusters = ds["clusters"].copy()
    clusters["order"] = clusters["kind"].map(KIND_ORDER)
    clusters["by_name"] = clusters["short_name"]
    if text.language() == "ru":
        clusters["by_name"] = clusters["short_name"].str.casefold().str.replace("ё", "е")
    return clusters.sort_values(["order", "by_name"])


def index_markdown(ds: Dataset, printed: bool = True) -> str:
    """The profiles' index page; with `printed=False` (see `profile_markdown`) the PDF's copy says the profiles are in brief."""
    clusters = _in_book_order(ds)
    kinds = _words({"pilot": "Pilot clusters", "pilot_component": "Parts of pilot clusters",
                    "russian_other": "Other Russian clusters", "foreign": "Foreign clusters"},
                   {"pilot": "Пилотные кластеры", "pilot_component": "Части пилотных кластеров",
                    "russian_other": "Другие российские кластеры", "foreign": "Зарубежные кластеры"})
    out = [say("# Cluster profiles {#sec-profiles}", "# Профили кластеров {#sec-profiles}"), "",
           say("One page per cluster: its key facts with their confidence, every figure recorded for it with source and quality, "
               "its position against the benchmarks, its scorecard row (pilot clusters) and the best practices that concern it.",
               "На каждый кластер — отдельная страница: основные сведения и их достоверность, все показатели кластера "
               "с источником и отметкой качества, сравнение с международными ориентирами, строка сводной оценки "
               "(для пилотных кластеров) и лучшие практики, которые к нему относятся."), ""]
    if not printed:
        out += ['::: {.content-hidden when-format="html"}',
                say(f"Those pages are on the report's website. With {num(len(clusters))} clusters, this PDF gives each cluster "
                    "a short entry instead: its name, kind, place and industry.",
                    f"Эти страницы опубликованы на сайте доклада. Кластеров {num(len(clusters))}, поэтому в этом PDF "
                    "у каждого только краткая запись: название, тип, местоположение и отрасль."), ":::", ""]
    for kind, group in clusters.groupby("kind", sort=False):
        rows = [[f"[{esc(r['short_name'])}](profiles/{r['id']}.md)", _cell(r["region"]), _cell(ds.vocab.industry_group[r["industry_group"]])]
                for _, r in group.iterrows()]
        header = [say("Cluster", "Кластер"), say("Region", "Регион"), say("Industry", "Отрасль")]
        out += [f"## {kinds[kind]}", "", _table(header, rows), ""]
    return "\n".join(out).rstrip() + "\n"


#: The appendix parts the profile pages are grouped in, in the order of `KIND_ORDER`.
PROFILE_PARTS = {"pilot": "Profiles: pilot clusters", "pilot_component": "Profiles: pilot clusters",
                 "russian_other": "Profiles: other Russian clusters", "foreign": "Profiles: foreign clusters"}
PROFILE_PARTS_RU = {"pilot": "Профили: пилотные кластеры", "pilot_component": "Профили: пилотные кластеры",
                    "russian_other": "Профили: другие российские кластеры", "foreign": "Профили: зарубежные кластеры"}


def chapter_groups(ds: Dataset) -> list[tuple[str, list[str]]]:
    """The profile pages as book parts (pilots, other Russian, foreign), each in name order."""
    parts = _words(PROFILE_PARTS, PROFILE_PARTS_RU)
    groups: dict[str, list[str]] = {}
    for _, row in _in_book_order(ds).iterrows():
        groups.setdefault(parts[row["kind"]], []).append(f"{PROFILE_DIR.as_posix()}/{row['id']}.md")
    return list(groups.items())


def chapter_list(ds: Dataset) -> list[str]:
    """Every profile appendix in book order: the overview page, then each part's pages."""
    return [PROFILES_INDEX] + [page for _, pages in chapter_groups(ds) for page in pages]
