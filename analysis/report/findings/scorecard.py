"""What the scorecard chapter says: the signs model, the open rules, the ranking and its limits.

Numbers and our own words are plain `str`; text taken from the data (labels, cluster names,
locators, the rules' wording) is Markdown-escaped, for the chapter to show with `ctx.md(...)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analysis import indicators
from analysis.data import Dataset
from analysis.report import citation
from analysis.text import listing, md_escape, num, place, plural, say


@dataclass(frozen=True)
class Findings:
    # the model
    n_signs: int
    n_groups: int
    group_environment: str
    group_communications: str
    group_innovation: str
    model_locator: str
    signs_table: pd.DataFrame
    # the rules
    n_statuses: int
    points_table: pd.DataFrame
    unknown_points: str
    top_points: str
    score_over: str  # 'the signs with a known status' or 'all 10 signs'
    unknown_effect: str  # what an unknown sign does to a score
    score_rationale: str
    min_coverage: str
    min_signs: str
    insufficient_label: str
    min_coverage_rationale: str
    weight_sentence: str  # how far one sign moves a score just below and at the minimum, against the amber band
    green_min: str
    amber_min: str
    red_label: str
    lights_table: pd.DataFrame
    ties_rule: str
    # the matrix
    n_clusters: int
    n_cells: str
    known_cells: int
    known_pct: str
    unknown_cells: int
    unknown_pct: str
    known_from_kutsenko: int
    known_from_success_factors: int
    n_inferred: int
    # the ranking
    n_scored: int
    n_insufficient: int
    no_evidence_sentence: str
    median_known: str
    leaders: str
    ranks_first: str  # 'ranks first', or 'share first place' for a tie
    leads: str  # 'leads', or 'share the lead'
    leader_score: str
    leader_light: str
    leader_known: str
    lights_sentence: str
    green_sentence: str
    ties_sentence: str
    zero_sentence: str
    ranking_table: pd.DataFrame
    ranking_note: str  # '' or, for a registry too large for one table, what the table leaves out
    # score against coverage
    corr_all_signs: str  # score over every sign against coverage, every pilot
    follows_all: str  # 'largely follows', 'partly follows' or 'hardly follows'
    corr_scored: str  # score by the rules against coverage, scored pilots
    follows_scored: str
    thin_sentence: str  # what the unscored pilots with some evidence would score on it
    # the signs
    most_failed_sign: str
    most_failed_count: str
    evidence_sentence: str
    private_initiative: str
    business_criterion: str
    private_initiative_locator: str
    never_known_sentence: str
    joint_projects_locator: str
    sign_summary_table: pd.DataFrame
    # what the scores can tell
    mean_coverage: str
    max_coverage: str
    best_covered: str
    leader_documents: str  # '1 document' or '2 documents'


def findings(ds: Dataset) -> Findings:
    matrix = indicators.scorecard_matrix(ds)
    scores = indicators.scores(ds)
    summary = indicators.sign_summary(ds)
    return Findings(
        **_model(ds),
        **_rules(ds),
        **_matrix(matrix),
        **_ranking(ds, scores, matrix),
        **_against_coverage(ds, scores),
        **_signs(ds, summary, matrix, len(scores)),
    )


def _model(ds: Dataset) -> dict:
    """Kutsenko's signs of sustainable development, in their groups."""
    signs = ds.sign_table.sort_values("order")
    groups = dict(zip(signs["group"], signs["group_label"]))
    locators = {s.id: s.locator for g in ds.signs.groups for s in g.signs}
    return dict(
        n_signs=len(signs),
        n_groups=len(groups),
        group_environment=md_escape(groups["environment-participants"]),
        group_communications=md_escape(groups["communications-self-organisation"]),
        group_innovation=md_escape(groups["open-innovation-strategy"]),
        model_locator=citation.cite(ds, ds.signs.source, ds.signs.locator.split("; ")[0]),
        signs_table=pd.DataFrame({
            say("Group", "Группа"): signs["group_label"].where(~signs["group"].duplicated(), ""),
            say("Sign", "Признак"): signs["label"],
            say("What it means", "Содержание"): signs["definition"],
            say("Where in ", "Где в работе ") + citation.names(ds)[ds.signs.source]:
                signs["sign"].map(locators).map(lambda loc: "; ".join(place(p) for p in str(loc).split("; "))),
        }),
    )


#: The ranking table lists at most this many clusters (the 2012 pilots are 25).
TABLE_ROWS = 40
#: The tie rules of the scorecard file, in words.
TIES = {
    "skip": ('clusters with equal scores share a rank, marked with "=", and the next rank skips (1, =2, =2, 4)',
             "кластеры с равной оценкой делят место, оно помечается знаком «=», а следующее место пропускается "
             "(1, =2, =2, 4)"),
    "dense": ('clusters with equal scores share a rank, marked with "=", and the next rank follows on (1, =2, =2, 3)',
              "кластеры с равной оценкой делят место, оно помечается знаком «=», а следующее место идёт по порядку "
              "(1, =2, =2, 3)"),
}
#: The words for a status and a light where a table or sentence names them.
STATUSES = {"meets": "выполняется", "partly": "частично", "fails": "не выполняется", "unknown": "нет данных"}
LIGHTS = {"green": "зелёный", "amber": "жёлтый", "red": "красный", "grey": "серый"}
#: A light in 'no green ones' («зелёных нет»).
LIGHTS_NONE = {"green": "зелёных", "amber": "жёлтых", "red": "красных"}


def status_word(ds: Dataset, status: str) -> str:
    """A status as readers see it: the id in English ('meets'); in Russian the data's term for it ('выполняется')."""
    return say(status, getattr(ds, "terms", {}).get(f"status.{status}") or STATUSES.get(status, status))


def light_word(light: str) -> str:
    """A light as a sentence names it: 'green', in Russian 'зелёный'."""
    return say(light, LIGHTS.get(light, light))


def min_signs(percent: float, n_signs: int) -> int:
    """The fewest known signs that reach a minimum coverage of `percent`."""
    return math.ceil(round(percent * n_signs / 100, 9))


def _rules(ds: Dataset) -> dict:
    """Every rule of the scorecard as its data file states it: points, score, minimum coverage, lights, ties."""
    sc = ds.scorecard
    statuses = list(ds.vocab.status)
    top = max(sc.points.values())
    light_min = {light.light: light.min_score for light in sc.lights}
    n_signs = len(ds.sign_table)
    least = min_signs(sc.minimum_coverage.percent, n_signs)
    return dict(
        n_statuses=len(statuses),
        points_table=pd.DataFrame({
            say("Status", "Статус"): [status_word(ds, s) for s in statuses],
            say("Meaning", "Значение"): [ds.vocab.status[s] for s in statuses],
            say("Points", "Баллы"): [sc.points[s] for s in statuses],
        }),
        unknown_points=num(sc.points["unknown"]),
        top_points=num(top),
        score_over=(say("the signs with a known status", "признаки с известным статусом") if sc.score.over == "known"
                    else say(f"all {n_signs} signs", f"все {n_signs} {plural(n_signs, 'признак|признака|признаков')}")),
        unknown_effect=(say("An unknown sign is left out of the score, so it neither lifts nor lowers it.",
                            "Признак со статусом «нет данных» в оценку не входит: он её не повышает и не понижает.")
                        if sc.score.over == "known" else
                        say("An unknown sign counts in the score as a failure would.",
                            "Признак со статусом «нет данных» учитывается в оценке так же, как отсутствующий.")),
        score_rationale=md_escape(" ".join(sc.score.rationale.split())),
        min_coverage=num(sc.minimum_coverage.percent),
        min_signs=num(least),
        insufficient_label=md_escape(sc.minimum_coverage.label),
        min_coverage_rationale=md_escape(" ".join(sc.minimum_coverage.rationale.split())),
        weight_sentence=weight_sentence(least, light_min["green"] - light_min["amber"], sc.score.over == "known", n_signs),
        green_min=num(light_min["green"]),
        amber_min=num(light_min["amber"]),
        red_label=md_escape(sc.lights[-1].label),
        lights_table=pd.DataFrame({
            say("Light", "Цвет"): [light_word(light.light).capitalize() for light in sc.lights] + [say("Grey", "Серый")],
            say("When", "Условие"): light_ranges([light.min_score for light in sc.lights])
                    + [say(f"evidence on less than {num(sc.minimum_coverage.percent)}% of the signs: not scored, not ranked",
                           f"данные менее чем по {num(sc.minimum_coverage.percent)}% признаков: оценка не рассчитывается, "
                           "место не присваивается")],
            say("Meaning", "Значение"): [light.label for light in sc.lights] + [sc.minimum_coverage.label],
        }),
        ties_rule=say(*TIES[sc.ranking.ties]),
    )


def light_ranges(mins: list[float]) -> list[str]:
    """Each light's scores in words, from thresholds listed highest first and ending at 0."""
    if len(mins) == 1:
        return [say("any score", "любая оценка")]
    out = [say(f"score of {num(mins[0])}% or more", f"оценка {num(mins[0])}% и выше")]
    out += [say(f"score of {num(lo)}% to under {num(hi)}%", f"оценка не ниже {num(lo)}%, но ниже {num(hi)}%")
            for hi, lo in zip(mins[:-2], mins[1:-1])]
    return out + [say(f"score under {num(mins[-2])}%", f"оценка ниже {num(mins[-2])}%")]


def _matrix(matrix: pd.DataFrame) -> dict:
    """How much of the cluster-by-sign matrix the sources fill, and from where."""
    known = matrix[matrix["status"] != "unknown"]
    by_source = known["source"].value_counts()
    return dict(
        n_cells=num(len(matrix)),
        known_cells=len(known),
        known_pct=num(len(known) / len(matrix) * 100),
        unknown_cells=len(matrix) - len(known),
        unknown_pct=num((len(matrix) - len(known)) / len(matrix) * 100),
        known_from_kutsenko=int(by_source.get("kutsenko-2015", 0)),
        known_from_success_factors=int(by_source.get("anon-2020-success-factors", 0)),
        n_inferred=int((matrix["basis"] == "inferred").sum()),
    )


def _ranking(ds: Dataset, scores: pd.DataFrame, matrix: pd.DataFrame) -> dict:
    """Who leads, how the lights fall, which ranks are shared and who has too little evidence to be scored."""
    scored = scores[scores["scored"]]
    leaders = scored[scored["rank"] == 1]
    leader_cells = matrix[matrix["cluster"].isin(leaders["cluster"]) & (matrix["status"] != "unknown")]
    lights = scored["light"].value_counts()
    n_green = int(lights.get("green", 0))
    n_out = len(scores) - len(scored)
    best = scores["coverage"].max()
    return dict(
        n_clusters=len(scores),
        n_scored=len(scored),
        n_insufficient=n_out,
        no_evidence_sentence=_no_evidence_sentence(scores),
        median_known=num(scores["known"].median()),
        # names may hold 'and' themselves, so a tie is listed with a serial comma
        leaders=md_escape(listing(leaders["cluster_name"], serial=True)),
        ranks_first=(say("ranks first", "занимает первое место") if len(leaders) == 1
                     else say("share first place", "делят первое место")),
        leads=say("leads", "лидирует") if len(leaders) == 1 else say("share the lead", "делят лидерство"),
        leader_score=num(leaders["score"].iloc[0]) if len(leaders) else say("n/a", "н/д"),
        leader_light=md_escape(light_word(leaders["light"].iloc[0])) if len(leaders) else say("n/a", "н/д"),
        leader_known=listing(dict.fromkeys(num(k) for k in leaders["known"])),
        lights_sentence=lights_sentence({light.light: int(lights.get(light.light, 0)) for light in ds.scorecard.lights}),
        green_sentence=(say("No cluster reaches green.", "Зелёный цвет не получил ни один кластер.") if n_green == 0
                        else say("One cluster reaches green.", "Зелёный цвет получил один кластер.") if n_green == 1
                        else say(f"Green is reached by {num(n_green)} clusters.",
                                 f"Зелёный цвет получили {num(n_green)} "
                                 f"{plural(n_green, 'кластер|кластера|кластеров')}.")),
        ties_sentence=ties_sentence(scored["rank_label"]),
        zero_sentence=_zero_sentence(scored),
        ranking_table=_ranking_table(scores.head(TABLE_ROWS)),
        ranking_note=(say(f"The table shows the first {TABLE_ROWS} of the {len(scores):,} clusters; each cluster's profile "
                          "gives its own row.",
                          f"В таблице — первые {TABLE_ROWS} из {num(len(scores))} кластеров; строка каждого кластера "
                          "приведена в его профиле.") if len(scores) > TABLE_ROWS else ""),
        mean_coverage=num(scores["coverage"].mean()),
        max_coverage=num(best),
        best_covered=md_escape(", ".join(scores.loc[scores["coverage"] == best, "cluster_name"])),
        leader_documents=_count_noun(leader_cells["source"].nunique(), "document", "документа|документов|документов"),
    )


def _ranking_table(scores: pd.DataFrame) -> pd.DataFrame:
    """Rank, score and coverage side by side; an unscored cluster has no rank and no score."""
    over_known = (scores["score_over"] == "known").all()
    return pd.DataFrame({
        say("Rank", "Место"): scores["rank_label"].replace("", "–"),
        say("Cluster", "Кластер"): scores["cluster_name"],
        say(f"Score over {'known' if over_known else 'all'} signs (%)",
            f"Оценка по {'известным' if over_known else 'всем'} признакам, %"): scores["score"],  # empty where not scored
        say("Signs with evidence", "Признаки с данными"):
            [say(f"{k} of {n}", f"{k} из {n}") for k, n in zip(scores["known"], scores["signs"])],
        say("Evidence coverage (%)", "Полнота данных, %"): scores["coverage"],
        say("Light", "Цвет"): scores["light"].map(lambda light: light_word(light).capitalize() if isinstance(light, str) else light)
                              .where(scores["scored"], scores["light_label"]),
    })


def _against_coverage(ds: Dataset, scores: pd.DataFrame) -> dict:
    """How far a score follows the amount of evidence: over every sign, by the rules, and below the minimum."""
    top = max(ds.scorecard.points.values())
    over_all = scores["points"] / (top * scores["signs"]) * 100
    scored = scores[scores["scored"]]
    thin = scores[~scores["scored"] & (scores["known"] > 0)]
    thin_scores = thin["points"] / (top * thin["known"]) * 100
    return dict(
        corr_all_signs=_corr(over_all, scores["coverage"]),
        follows_all=follows(over_all, scores["coverage"]),
        corr_scored=_corr(scored["score"], scored["coverage"]),
        follows_scored=follows(scored["score"], scored["coverage"]),
        thin_sentence=(say(f"Scored on what is known of them, the {len(thin)} pilots below the minimum that have some evidence "
                           f"would range from {num(thin_scores.min())}% to {num(thin_scores.max())}%, each on "
                           f"{' or '.join(num(k) for k in sorted(set(thin['known'])))} known signs.",
                           f"Если оценить по известным признакам {len(thin)} "
                           f"{plural(len(thin), 'пилотный кластер|пилотных кластера|пилотных кластеров')} ниже порога, "
                           f"по которым есть хоть какие-то данные, оценки составили бы от {num(thin_scores.min())}% до "
                           f"{num(thin_scores.max())}%, причём каждая — по "
                           f"{' или '.join(num(k) for k in sorted(set(thin['known'])))} известным признакам.")
                       if len(thin) else ""),
    )


def _r(a: pd.Series, b: pd.Series) -> float:
    return a.astype(float).corr(b.astype(float)) if len(a) > 2 else float("nan")


def _corr(a: pd.Series, b: pd.Series) -> str:
    """Pearson's r to two decimals, with a true minus sign; 'n/a' where it is undefined."""
    r = _r(a, b)
    return say("n/a", "н/д") if pd.isna(r) else f"{r:.2f}".replace("-", "\u2212").replace(".", say(".", ","))


def follows(a: pd.Series, b: pd.Series) -> str:
    """How closely `a` follows `b`, in words, from Pearson's r: below 0.3 hardly, below 0.6 partly, else largely."""
    r = abs(_r(a, b))
    if pd.isna(r):
        return say("cannot be compared with", "не позволяет проверить, повторяет ли она")
    return (say("hardly follows", "почти не повторяет") if r < 0.3 else say("partly follows", "отчасти повторяет") if r < 0.6
            else say("largely follows", "в значительной мере повторяет"))


def weight_sentence(least: int, amber_band: float, over_known: bool = True, n_signs: int = 10) -> str:
    """How far one sign's status moves a score (100 / k points over k signs), just below and at the minimum coverage."""
    band = say(f"The amber band is {num(amber_band)} points wide.", f"Ширина жёлтой зоны — {num(amber_band)} п. п.")
    if not over_known:
        return say(f"Over all {n_signs} signs, one sign's status moves the score by up to {num(100 / n_signs)} points. {band}",
                   f"При оценке по всем {n_signs} признакам статус одного признака меняет оценку не более чем на "
                   f"{num(100 / n_signs)} п. п. {band}")
    if least == 1:
        return say(f"With 1 known sign, that sign's status is the whole score. {band}",
                   f"При 1 известном признаке оценка целиком определяется его статусом. {band}")
    below = f"{least - 1} known {'sign' if least == 2 else 'signs'}"
    below_ru = f"{least - 1} {plural(least - 1, 'известном признаке|известных признаках|известных признаках')}"
    return say(f"With {below}, one sign's status moves the score by up to {num(100 / (least - 1))} points; with {least}, "
               f"by up to {num(100 / least)}. {band}",
               f"При {below_ru} статус одного признака меняет оценку не более чем на {num(100 / (least - 1))} п. п.; "
               f"при {least} — не более чем на {num(100 / least)} п. п. {band}")


def _no_evidence_sentence(scores: pd.DataFrame) -> str:
    none = scores.loc[scores["known"] == 0, "cluster_name"]
    if none.empty:
        return say("Every pilot has evidence on at least one sign.",
                   "По каждому пилотному кластеру есть данные хотя бы по одному признаку.")
    names = md_escape(listing(none, serial=True))
    return say(f"{names} {'has' if len(none) == 1 else 'have'} no evidence on any sign.",
               f"Ни по одному признаку нет данных о {'кластере' if len(none) == 1 else 'кластерах'}: {names}.")


def _count_noun(n: int, noun: str, ru: str = "") -> str:
    """'1 document', '2 documents'; in Russian the forms `ru` after 1, 2-4 and 5 (in the case the sentence needs)."""
    return say(f"{n} {noun if n == 1 else noun + 's'}", f"{n} {plural(n, ru)}")


def lights_sentence(counts: dict[str, int]) -> str:
    """'3 are amber and 22 are red, and none is green': how many clusters have each light."""
    shown = [say(f"{n} {'is' if n == 1 else 'are'} {light}", f"{LIGHTS.get(light, light)} — {n}")
             for light, n in counts.items() if n]
    none = [say(light, LIGHTS_NONE.get(light, light)) for light, n in counts.items() if not n]
    if not shown:
        return say("none is " + " or ".join(none), f"{listing(none)} нет")
    return listing(shown) + (say(", and none is " + " or ".join(none), f", {listing(none)} нет") if none else "")


def ties_sentence(rank_labels: pd.Series, most: int = 6) -> str:
    """'8 of the 13 ranked clusters share their rank with another (=2, =4 and =8).'; past `most` shared ranks, a count."""
    shared = rank_labels[rank_labels.str.startswith("=")]
    if shared.empty:
        return say("No two ranked clusters have the same score.", "Среди получивших место кластеров нет двух с равной оценкой.")
    ranks = list(dict.fromkeys(shared))
    named = ranks if len(ranks) <= most else ranks[:most] + [say(f"{len(ranks) - most:,} more", f"ещё {num(len(ranks) - most)}")]
    return say(f"{len(shared):,} of the {len(rank_labels):,} ranked clusters share their rank with another ({listing(named)}).",
               f"{num(len(shared))} из {num(len(rank_labels))} получивших место кластеров делят его с другими "
               f"({listing(named)}).")


def _zero_sentence(scored: pd.DataFrame) -> str:
    """Which scored clusters score zero, and why (Markdown-escaped names)."""
    zero = scored.loc[scored["score"] == 0, "cluster_name"]
    if zero.empty:
        return say("No scored cluster scores zero.", "Нулевой оценки нет ни у одного оценённого кластера.")
    names = md_escape(listing(zero, serial=True))
    if len(zero) == 1:
        return say(f"{names} scores zero: all the evidence recorded for it is a failure.",
                   f"Нулевая оценка — у кластера {names}: по всем признакам с данными у него статус «не выполняется».")
    return say(f"{names} score zero: all the evidence recorded for them is a failure.",
               f"Нулевая оценка — у кластеров {names}: по всем признакам с данными у них статус «не выполняется».")


def _signs(ds: Dataset, summary: pd.DataFrame, matrix: pd.DataFrame, n_clusters: int) -> dict:
    """Which signs the sources speak to, and which the pilots fail."""
    most_fails = summary.sort_values("fails", ascending=False).iloc[0]
    never_known = summary[summary["unknown"] == n_clusters]
    joint = matrix[(matrix["sign"] == "joint-projects") & matrix["locator"].notna()]
    private_fails = matrix[(matrix["sign"] == "private-initiative") & (matrix["status"] == "fails")]
    labels = dict(zip(ds.sign_table["sign"], ds.sign_table["label"]))
    return dict(
        most_failed_sign=md_escape(most_fails["label"]),
        most_failed_count=num(most_fails["fails"]),
        evidence_sentence=md_escape(_evidence_sentence(summary, n_clusters)),
        private_initiative=md_escape(labels["private-initiative"]),
        business_criterion=num(indicators.benchmark(ds, "business-share-criterion")["value"]),
        private_initiative_locator=citation.cite_row(ds, private_fails.iloc[0], quoted=False),
        never_known_sentence=md_escape(
            say(f"No pilot has a known status on {' and '.join(never_known['label'].str.lower())}.",
                f"Ни у одного пилотного кластера нет известного статуса по "
                f"{plural(len(never_known), 'признаку|признакам|признакам')} "
                f"{' и '.join('«' + label + '»' for label in never_known['label'])}.") if len(never_known)
            else say("Every sign has a known status for at least some pilots.",
                     "По каждому признаку известен статус хотя бы части пилотных кластеров.")),
        joint_projects_locator=citation.cite_row(ds, joint.iloc[0], quoted=False) if len(joint) else "",
        sign_summary_table=pd.DataFrame({
            say("Sign", "Признак"): summary["label"],
            say("Meets", status_word(ds, "meets").capitalize()): summary["meets"],
            say("Partly", status_word(ds, "partly").capitalize()): summary["partly"],
            say("Fails", status_word(ds, "fails").capitalize()): summary["fails"],
            say("Unknown", status_word(ds, "unknown").capitalize()): summary["unknown"],
        }),
    )


def _evidence_sentence(summary: pd.DataFrame, n_clusters: int) -> str:
    """The sign with the most evidence and the sign with the most failures (one sentence if the same)."""
    most_fails = summary.sort_values("fails", ascending=False).iloc[0]
    most_known = summary.assign(known=n_clusters - summary["unknown"]).sort_values("known", ascending=False).iloc[0]
    known = n_clusters - int(most_known["unknown"])
    pilots = plural(known, "пилотный кластер|пилотных кластера|пилотных кластеров")
    if most_known["sign"] == most_fails["sign"]:
        return say(f'"{most_fails["label"]}" has both the most evidence ({known} pilots with a known status) '
                   f'and the most failures ({most_fails["fails"]}).',
                   f'По признаку «{most_fails["label"]}» больше всего и данных ({known} {pilots} с известным статусом), '
                   f'и статусов «не выполняется» ({most_fails["fails"]}).')
    return say(f'"{most_known["label"]}" has the most evidence ({known} pilots with a known status); '
               f'"{most_fails["label"]}" has the most failures ({most_fails["fails"]}).',
               f'Больше всего данных по признаку «{most_known["label"]}» ({known} {pilots} с известным статусом), '
               f'больше всего статусов «не выполняется» — по признаку «{most_fails["label"]}» ({most_fails["fails"]}).')
