"""What the scorecard chapter says: the signs model, the open rules, the ranking and its limits.

Numbers and our own words are plain `str`; text taken from the data (labels, cluster names,
locators, the rules' wording) is Markdown-escaped, for the chapter to show with `ctx.md(...)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis import indicators
from analysis.data import Dataset
from analysis.text import doc, listing, md_escape, num


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
    green_min: str
    amber_min: str
    green_signs_needed: str
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
    leaders: str
    ranks_first: str  # 'ranks first', or 'share first place' for a tie
    leads: str  # 'leads', or 'share the lead'
    leader_score: str
    leader_light: str
    lights_sentence: str
    green_sentence: str
    n_zero_score: int
    n_no_evidence: int
    no_evidence_have: str  # '1 has' or '5 have'
    n_zero_with_evidence: int
    ranking_table: pd.DataFrame
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
    leader_documents: int


def findings(ds: Dataset) -> Findings:
    matrix = indicators.scorecard_matrix(ds)
    scores = indicators.scores(ds)
    summary = indicators.sign_summary(ds)
    return Findings(
        **_model(ds),
        **_rules(ds),
        **_matrix(matrix),
        **_ranking(ds, scores, matrix),
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
        model_locator=md_escape(doc(ds.signs.locator.split(";")[0])),
        signs_table=pd.DataFrame({
            "Group": signs["group_label"].where(~signs["group"].duplicated(), ""),
            "Sign": signs["label"],
            "What it means": signs["definition"],
            "Where in document 002": signs["sign"].map(lambda s: locators[s].replace("002 ", "", 1)),
        }),
    )


def _rules(ds: Dataset) -> dict:
    """Points per status, the traffic lights' thresholds and the rule for ties."""
    sc = ds.scorecard
    statuses = list(ds.vocab.status)
    top = max(sc.points.values())
    light_min = {light.light: light.min_score for light in sc.lights}
    return dict(
        n_statuses=len(statuses),
        points_table=pd.DataFrame({
            "Status": statuses,
            "Meaning": [ds.vocab.status[s] for s in statuses],
            "Points": [sc.points[s] for s in statuses],
        }),
        unknown_points=num(sc.points["unknown"]),
        top_points=num(top),
        green_min=num(light_min["green"]),
        amber_min=num(light_min["amber"]),
        # a green light's threshold, as a number of signs met in full
        green_signs_needed=num(light_min["green"] / 100 * len(ds.sign_table)),
        lights_table=pd.DataFrame({
            "Light": [light.light.capitalize() for light in sc.lights],
            "Minimum score (%)": [light.min_score for light in sc.lights],
            "Meaning": [light.label for light in sc.lights],
        }),
        ties_rule=md_escape(sc.ranking["ties"]),
    )


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
    """Who leads, how the lights fall, and which clusters score zero and why."""
    leaders = scores[scores["rank"] == 1]
    leader_cells = matrix[matrix["cluster"].isin(leaders["cluster"]) & (matrix["status"] != "unknown")]
    lights = scores["light"].value_counts()
    n_green = int(lights.get("green", 0))
    zero = scores[scores["score"] == 0]
    best = scores["coverage"].max()
    return dict(
        n_clusters=len(scores),
        # names may hold 'and' themselves, so a tie is listed with a serial comma
        leaders=md_escape(listing(leaders["cluster_name"], serial=True)),
        ranks_first="ranks first" if len(leaders) == 1 else "share first place",
        leads="leads" if len(leaders) == 1 else "share the lead",
        leader_score=num(leaders["score"].iloc[0]),
        leader_light=md_escape(leaders["light"].iloc[0]),
        lights_sentence=lights_sentence({light.light: int(lights.get(light.light, 0)) for light in ds.scorecard.lights}),
        green_sentence="No cluster reaches green." if n_green == 0 else f"{n_green} clusters reach green.",
        n_zero_score=len(zero),
        n_no_evidence=int((scores["coverage"] == 0).sum()),
        no_evidence_have=_count_verb(int((scores["coverage"] == 0).sum()), "has", "have"),
        n_zero_with_evidence=int((zero["coverage"] > 0).sum()),
        ranking_table=pd.DataFrame({
            "Rank": scores["rank"],
            "Cluster": scores["cluster_name"],
            "Score (%)": scores["score"],
            "Evidence coverage (%)": scores["coverage"],
            "Light": scores["light"].str.capitalize(),
        }),
        mean_coverage=num(scores["coverage"].mean()),
        max_coverage=num(best),
        best_covered=md_escape(", ".join(scores.loc[scores["coverage"] == best, "cluster_name"])),
        # documents are the first part of a locator ('002 Figure 15')
        leader_documents=leader_cells["locator"].str[:3].nunique(),
    )


def _count_verb(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def lights_sentence(counts: dict[str, int]) -> str:
    """'3 are amber and 22 are red, and none is green': how many clusters have each light."""
    shown = [f"{n} {'is' if n == 1 else 'are'} {light}" for light, n in counts.items() if n]
    none = [light for light, n in counts.items() if not n]
    return listing(shown) + (", and none is " + " or ".join(none) if none else "")


def _signs(ds: Dataset, summary: pd.DataFrame, matrix: pd.DataFrame, n_clusters: int) -> dict:
    """Which signs the sources speak to, and which the pilots fail."""
    most_fails = summary.sort_values("fails", ascending=False).iloc[0]
    never_known = summary[summary["unknown"] == n_clusters]
    joint = matrix.loc[matrix["sign"] == "joint-projects", "locator"].dropna()
    private_fails = matrix[(matrix["sign"] == "private-initiative") & (matrix["status"] == "fails")]
    labels = dict(zip(ds.sign_table["sign"], ds.sign_table["label"]))
    return dict(
        most_failed_sign=md_escape(most_fails["label"]),
        most_failed_count=num(most_fails["fails"]),
        evidence_sentence=md_escape(_evidence_sentence(summary, n_clusters)),
        private_initiative=md_escape(labels["private-initiative"]),
        business_criterion=num(indicators.benchmark(ds, "business-share-criterion")["value"]),
        private_initiative_locator=md_escape(doc(private_fails["locator"].iloc[0])),
        never_known_sentence=md_escape(
            f"No pilot has a known status on {' and '.join(never_known['label'].str.lower())}." if len(never_known)
            else "Every sign has a known status for at least some pilots."),
        joint_projects_locator=md_escape(doc(joint.iloc[0])) if len(joint) else "",
        sign_summary_table=pd.DataFrame({
            "Sign": summary["label"],
            "Meets": summary["meets"],
            "Partly": summary["partly"],
            "Fails": summary["fails"],
            "Unknown": summary["unknown"],
        }),
    )


def _evidence_sentence(summary: pd.DataFrame, n_clusters: int) -> str:
    """The sign with the most evidence and the sign with the most failures (one sentence if the same)."""
    most_fails = summary.sort_values("fails", ascending=False).iloc[0]
    most_known = summary.assign(known=n_clusters - summary["unknown"]).sort_values("known", ascending=False).iloc[0]
    known = n_clusters - int(most_known["unknown"])
    if most_known["sign"] == most_fails["sign"]:
        return (f'"{most_fails["label"]}" has both the most evidence ({known} pilots with a known status) '
                f'and the most failures ({most_fails["fails"]}).')
    return (f'"{most_known["label"]}" has the most evidence ({known} pilots with a known status); '
            f'"{most_fails["label"]}" has the most failures ({most_fails["fails"]}).')
