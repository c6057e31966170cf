"""Cluster profile pages: one Markdown page per cluster and their index, written from the data.

The pages hold no code: every value is written here, so they cost nothing to render. The
pre-render step (`clusterbench.prerender`) places them in the book.
"""

from __future__ import annotations

import pandas as pd

from analysis import text
from analysis.data import Dataset
from analysis.report import citation
from analysis.paths import PROFILE_DIR
from analysis.text import md_escape as esc
from analysis.text import num

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


def _cell(text) -> str:
    """A table cell from data: escaped, and without characters that would break a pipe table."""
    return esc(str(text).replace("\n", " ")) if text is not None and not (isinstance(text, float) and pd.isna(text)) else ""


def _value(row: pd.Series, units: dict) -> str:
    if pd.isna(row["value"]):
        return "not readable"
    return text.qualified(row["value"], row["qualifier"], units.get(row["unit"], row["unit"]), high=row.get("value_high"))


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def profile_markdown(ds: Dataset, cluster_id: str, ranks: pd.DataFrame | None = None, scorecard_link: bool = False) -> str:
    c = ds["clusters"].set_index("id").loc[cluster_id]
    out = _intro(ds, cluster_id, c) + _key_facts(ds, c)
    obs = ds.observations[ds.observations["entity"] == cluster_id]
    if len(obs):
        out += _figures(ds, obs) + _benchmarks(ds, obs)
    if c["kind"] == "pilot":
        out += _scorecard(ds, cluster_id, ranks, scorecard_link)
    out += _other_facts(ds, cluster_id) + _related_practices(ds, cluster_id)
    return "\n".join(out).rstrip() + "\n"


#: Profile pages sit one folder below the chapters, so their citations link up to the References.
UP = "../"


def _intro(ds: Dataset, cluster_id: str, c: pd.Series) -> list[str]:
    kind = {"pilot": "Pilot innovative territorial cluster", "pilot_component": "Part of a pilot cluster",
            "russian_other": "Other Russian cluster", "foreign": "Foreign cluster"}[c["kind"]]
    out = [f"# {esc(c['short_name'])} {{#sec-profile-{cluster_id} .unnumbered}}", ""]
    out += [f"**{esc(c['name'])}**. {kind}; {esc(ds.vocab.entity_type[c['entity_type']].rstrip('.').lower())}.", ""]
    return out


def _key_facts(ds: Dataset, c: pd.Series) -> list[str]:
    """The key facts table, the sources of the cluster's record and its note."""
    facts = [
        ["Country", _cell(text.country(c["country"])), ""],
        ["Region", _cell(c["region"]), CONFIDENCE.get(c["location_confidence"], "")],
        ["City", _cell(c["city"]), CONFIDENCE.get(c["location_confidence"], "")],
        ["Industry", _cell(ds.vocab.industry_group[c["industry_group"]]), CONFIDENCE.get(c["industry_group_confidence"], "")],
    ]
    if pd.notna(c["support_group"]):
        facts.append(["Support group", f"Group {int(c['support_group'])}", CONFIDENCE.get(c["support_group_confidence"], "")])
    if pd.notna(c["founded"]):
        facts.append(["Founded", str(int(c["founded"])), ""])
    if c["closed_city"]:
        facts.append(["Closed city (ZATO)", "yes", ""])
    if c["single_industry_city"]:
        facts.append(["Single-specialism city", "yes", ""])
    if pd.notna(c["merged_into"]):
        merged = ds["clusters"].set_index("id").loc[c["merged_into"], "short_name"]
        facts.append(["Merged into", f"[{esc(merged)}]({c['merged_into']}.md)", ""])
    out = ["## Key facts", "", _table(["Fact", "Value", "Confidence"], facts), ""]
    out += [f"Sources: {citation.cite_row(ds, c, base=UP)}.", ""]
    if pd.notna(c["note"]):
        out += [_cell(c["note"]), ""]
    return out


def _figures(ds: Dataset, obs: pd.DataFrame) -> list[str]:
    labels = ds["indicators"].set_index("id")["label"]
    rows = []
    for _, r in obs.sort_values(["indicator", "year"]).iterrows():
        label = labels.get(r["indicator"], r["indicator"]) + (f" ({r['breakdown'].replace('-', ' ')})" if pd.notna(r["breakdown"]) else "")
        rows.append([_cell(label), _cell(_value(r, ds.vocab.units)), str(int(r["year"])) if pd.notna(r["year"]) else "",
                     SCOPE.get(r["scope"], r["scope"]), r["quality"], citation.cite_row(ds, r, base=UP)])
    return ["## Figures", "", _table(["Indicator", "Value", "Year", "Describes", "Quality", "Source"], rows), ""]


def _benchmarks(ds: Dataset, obs: pd.DataFrame) -> list[str]:
    """Each of the cluster's figures next to the benchmarks recorded for its indicator."""
    labels = ds["indicators"].set_index("id")["label"]
    bench = ds["benchmarks"]
    compared = []
    for _, r in obs.iterrows():
        for _, b in bench[bench["indicator"] == r["indicator"]].iterrows():
            ref = text.qualified(b["value"], b["comparator"], ds.vocab.units.get(b["unit"], b["unit"]), high=b["value_high"])
            compared.append(f"- {_cell(labels.get(r['indicator'], r['indicator']))}: {_cell(_value(r, ds.vocab.units))}. "
                            f"Reference: {_cell(b['label'])}, {ref} ({citation.cite_row(ds, b, base=UP)}).")
    if not compared:
        return []
    return ["## Against the benchmarks", ""] + sorted(set(compared)) + [""]


def _scorecard(ds: Dataset, cluster_id: str, ranks: pd.DataFrame | None, scorecard_link: bool) -> list[str]:
    m = ds["assessments"].merge(ds.sign_table, on="sign")
    m = m[m["cluster"] == cluster_id].sort_values("order")
    rows = [[_cell(r["label"]), r["status"], _cell(r["evidence"]) if pd.notna(r["evidence"]) else "no evidence in the sources",
             citation.cite_row(ds, r, base=UP) if pd.notna(r["source"]) else ""] for _, r in m.iterrows()]
    out = ["## Scorecard", ""]
    if ranks is not None and cluster_id in ranks.index:
        s = ranks.loc[cluster_id]
        rules = f" See [the scorecard]({SCORECARD_CHAPTER}) for the rules." if scorecard_link else ""
        out += [_score_line(ds, s, ranks) + rules, ""]
    return out + [_table(["Sign", "Status", "Evidence", "Where"], rows), ""]


def _score_line(ds: Dataset, s: pd.Series, ranks: pd.DataFrame) -> str:
    """A pilot's score, light and rank by the scorecard's rules; below the minimum coverage, why it has none."""
    evidence = f"a known status on {int(s['known'])} of {int(s['signs'])} signs ({num(s['coverage'])}%)"
    least = ds.scorecard.minimum_coverage
    if not s["scored"]:
        return (f"{esc(least.label)}: {evidence}, below the {num(least.percent)}% the scorecard needs to score a cluster, "
                "so no score, light or rank.")
    # a shared rank says so, with how many share it
    shared = int((ranks["rank"] == s["rank"]).sum())
    rank = f"rank {s['rank_label']} of {int(ranks['scored'].sum())} ranked pilots" + (f", shared by {shared}" if shared > 1 else "")
    over = "the known signs" if ds.scorecard.score.over == "known" else "all signs"
    return f"Score {num(s['score'])}% over {over}, with {evidence}; {s['light']} light; {rank}."


def _attribute_value(value: str) -> str:
    """An attribute's value in words: 'yes' for a flag, the category of an initiator, the text of a legal form."""
    if value == "true":
        return "yes"
    return INITIATORS.get(value, value)


def _other_facts(ds: Dataset, cluster_id: str) -> list[str]:
    attrs = ds["cluster_attributes"]
    attrs = attrs[attrs["entity"] == cluster_id]
    if not len(attrs):
        return []
    rows = [[_cell(ds.vocab.attributes[r["attribute"]].split(" (")[0].rstrip(".")), _cell(_attribute_value(r["value"])),
             r["quality"], citation.cite_row(ds, r, base=UP)]
            for _, r in attrs.iterrows()]
    return ["## Other facts", "", _table(["Fact", "Value", "Quality", "Where"], rows), ""]


def _related_practices(ds: Dataset, cluster_id: str) -> list[str]:
    related = [p for p in ds.practices if p.meta.status == "active" and (p.meta.origin.cluster == cluster_id or cluster_id in p.meta.relevant_to)]
    if not related:
        return []
    out = ["## Related best practices", ""]
    for p in sorted(related, key=lambda p: p.meta.id):
        role = "from this cluster" if p.meta.origin.cluster == cluster_id else "relevant here"
        out.append(f"- [{p.meta.id}]({PRACTICES_CHAPTER}#{p.meta.id.lower()}) {esc(p.meta.title)} ({role})")
    return out + [""]


def index_markdown(ds: Dataset) -> str:
    clusters = ds["clusters"].copy()
    clusters["order"] = clusters["kind"].map(KIND_ORDER)
    kinds = {"pilot": "Pilot clusters", "pilot_component": "Parts of pilot clusters", "russian_other": "Other Russian clusters",
             "foreign": "Foreign clusters"}
    out = ["# Cluster profiles {#sec-profiles}", "",
           ("One page per cluster: its key facts with their confidence, every figure recorded for it with source and quality, "
            "its position against the benchmarks, its scorecard row (pilot clusters) and the best practices that concern it."), ""]
    for kind, group in clusters.sort_values(["order", "short_name"]).groupby("kind", sort=False):
        rows = [[f"[{esc(r['short_name'])}](profiles/{r['id']}.md)", _cell(r["region"]), _cell(ds.vocab.industry_group[r["industry_group"]])]
                for _, r in group.iterrows()]
        out += [f"## {kinds[kind]}", "", _table(["Cluster", "Region", "Industry"], rows), ""]
    return "\n".join(out).rstrip() + "\n"


#: The appendix parts the profile pages are grouped in, in the order of `KIND_ORDER`.
PROFILE_PARTS = {"pilot": "Profiles: pilot clusters", "pilot_component": "Profiles: pilot clusters",
                 "russian_other": "Profiles: other Russian clusters", "foreign": "Profiles: foreign clusters"}


def chapter_groups(ds: Dataset) -> list[tuple[str, list[str]]]:
    """The profile pages as book parts (pilots, other Russian, foreign), each in name order."""
    clusters = ds["clusters"].copy()
    clusters["order"] = clusters["kind"].map(KIND_ORDER)
    groups: dict[str, list[str]] = {}
    for _, row in clusters.sort_values(["order", "short_name"]).iterrows():
        groups.setdefault(PROFILE_PARTS[row["kind"]], []).append(f"{PROFILE_DIR.as_posix()}/{row['id']}.md")
    return list(groups.items())


def chapter_list(ds: Dataset) -> list[str]:
    """Every profile appendix in book order: the overview page, then each part's pages."""
    return [PROFILES_INDEX] + [page for _, pages in chapter_groups(ds) for page in pages]
