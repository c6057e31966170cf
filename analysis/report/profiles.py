"""Cluster profile pages: one Markdown page per cluster and their index, written from the data.

The pages hold no code: every value is written here, so they cost nothing to render. The
pre-render step (`clusterbench.prerender`) places them in the book.
"""

from __future__ import annotations

import pandas as pd

from analysis import indicators, text
from analysis.charts.theme import STATUS_LABELS, STATUS_SYMBOLS
from analysis.data import Dataset
from analysis.report import citation, verdicts
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
KIND_WORDS = {"pilot": "Pilot innovative territorial cluster", "pilot_component": "Part of a pilot cluster",
              "russian_other": "Other Russian cluster", "foreign": "Foreign cluster"}
#: A profile says plainly that the sources say little when it has fewer figures and other facts than this and no
#: scorecard score. Across the clusters with any figure or fact (33 of 51 in 2026), the median is 3: below it a
#: page is only its key-facts table and a line or two, and such pages share PDF pages (`COMPACT`).
LITTLE_EVIDENCE = 3
#: The class that marks a profile heading to be set without a page break in the PDF (the engine's Typst writer).
COMPACT = "cb-compact"
#: The figures an at-a-glance header shows first, by how much they say about a cluster's size and make-up.
KEY_INDICATORS = ("participants", "organisations", "companies", "residents", "employees", "business_share", "sales",
                  "output_value", "production_value", "export_share_of_sales")
#: How many figures the at-a-glance header shows.
KEY_NUMBERS = 3


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
    """A cluster's profile page. `ranks` is the scorecard of every pilot (`indicators.scores`, by cluster);
    without it, it is computed from `ds`, which must then hold every pilot."""
    c = ds["clusters"].set_index("id").loc[cluster_id]
    if ranks is None:
        ranks = indicators.scores(ds).set_index("cluster")
    score = ranks.loc[cluster_id] if c["kind"] == "pilot" and cluster_id in ranks.index else None
    obs = ds.observations[ds.observations["entity"] == cluster_id]
    attrs = ds["cluster_attributes"]
    facts = len(obs) + int((attrs["entity"] == cluster_id).sum())
    little = facts < LITTLE_EVIDENCE and (score is None or not score["scored"])
    out = _intro(ds, cluster_id, c, little, len(obs), facts - len(obs), score) + _glance(ds, c, obs, facts - len(obs), score, ranks)
    out += _key_facts(ds, c)
    if len(obs):
        out += _figures(ds, obs) + _benchmarks(ds, obs)
    if c["kind"] == "pilot":
        out += _scorecard(ds, cluster_id, score, ranks, scorecard_link)
    out += _other_facts(ds, cluster_id) + _related_practices(ds, cluster_id)
    return "\n".join(out).rstrip() + "\n"


#: Profile pages sit one folder below the chapters, so their citations link up to the References.
UP = "../"


def _count(n: int, one: str, many: str) -> str:
    return f"{'no' if n == 0 else num(n)} {one if n == 1 else many}"


def _intro(ds: Dataset, cluster_id: str, c: pd.Series, little: bool, figures: int, others: int, score) -> list[str]:
    """The heading (set without a page break in the PDF when the page is short), then, when the sources say
    little, a sentence that says so and what they do give, then the cluster's full name and kind."""
    compact = f" .{COMPACT}" if little else ""
    out = [f"# {esc(c['short_name'])} {{#sec-profile-{cluster_id} .unnumbered{compact}}}", ""]
    if little:
        signs = ""
        if score is not None:
            known = int(score["known"])
            signs = f", and a known status on {num(known) if known else 'none'} of the {int(score['signs'])} scorecard signs"
        out += [f"The sources say little about this cluster: beyond its place and industry they give "
                f"{_count(figures, 'figure', 'figures')} and {_count(others, 'other fact', 'other facts')}{signs}.", ""]
    out += [f"**{esc(c['name'])}**. {KIND_WORDS[c['kind']]}; {esc(ds.vocab.entity_type[c['entity_type']].rstrip('.').lower())}.", ""]
    return out


def _key_numbers(ds: Dataset, obs: pd.DataFrame) -> list[str]:
    """Up to `KEY_NUMBERS` figures, latest first, those of `KEY_INDICATORS` before the others, each with its
    unit, year and, when it describes more than the cluster initiative, its scope."""
    whole = obs[obs["breakdown"].isna() & obs["value"].notna()].copy()
    if not len(whole):
        return []
    whole["key"] = whole["indicator"].map(lambda i: KEY_INDICATORS.index(i) if i in KEY_INDICATORS else len(KEY_INDICATORS))
    latest = whole.sort_values(["key", "indicator", "year"], ascending=[True, True, False], na_position="last")
    labels = ds["indicators"].set_index("id")["label"]
    shown = []
    for _, r in latest.drop_duplicates("indicator").head(KEY_NUMBERS).iterrows():
        about = [str(int(r["year"]))] if pd.notna(r["year"]) else []
        about += [SCOPE.get(r["scope"], r["scope"])] if r["scope"] != "initiative" else []
        shown.append(f"{_cell(labels.get(r['indicator'], r['indicator']))}: {_cell(_value(r, ds.vocab.units))}"
                     + (f" ({', '.join(about)})" if about else ""))
    return shown


def _glance(ds: Dataset, c: pd.Series, obs: pd.DataFrame, others: int, score, ranks: pd.DataFrame) -> list[str]:
    """The at-a-glance header: kind, place, industry, support group, key numbers and how much evidence there is."""
    place = ", ".join(_cell(v) for v in (c["region"], text.country(c["country"])) if pd.notna(v) and v != "")
    lines = [f"- **Kind:** {KIND_WORDS[c['kind']]}", f"- **Where:** {place}",
             f"- **Industry:** {_cell(ds.vocab.industry_group[c['industry_group']])}"]
    if pd.notna(c["support_group"]):
        lines.append(f"- **Support group:** Group {int(c['support_group'])}")
    numbers = _key_numbers(ds, obs)
    if numbers:
        lines.append("- **Key numbers:** " + "; ".join(numbers))
    lines.append(f"- **Evidence:** {_count(len(obs), 'figure', 'figures')} and {_count(others, 'other fact', 'other facts')}; "
                 + _coverage(ds, c, score, ranks))
    return ["## At a glance", ""] + lines + [""]


def _coverage(ds: Dataset, c: pd.Series, score, ranks: pd.DataFrame) -> str:
    """The scorecard's evidence coverage of a pilot and its verdict in a few words; other clusters are not scored."""
    if c["kind"] != "pilot":
        return "not on the scorecard, which covers the pilot clusters only."
    if score is None:
        return "not yet assessed on the scorecard's signs."
    known = f"a known status on {int(score['known'])} of {int(score['signs'])} scorecard signs ({num(score['coverage'])}% coverage)"
    if not score["scored"]:
        return f"{known}: {esc(ds.scorecard.minimum_coverage.label).lower()}, so no score, light or rank."
    return f"{known}; {score['light']} light, score {num(score['score'])}%, rank {score['rank_label']} of {int(ranks['scored'].sum())}."


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


def _comparisons(ds: Dataset, obs: pd.DataFrame) -> list[tuple[pd.Series, pd.Series, verdicts.Verdict]]:
    """(figure, benchmark, verdict) for each of the cluster's figures and each benchmark it could be taken for."""
    direction = ds["indicators"].set_index("id")["direction"]
    out = []
    for _, r in obs.sort_values(["indicator", "year"]).iterrows():
        for _, b in verdicts.benchmarks_for(r["indicator"], ds["benchmarks"]).iterrows():
            out.append((r, b, verdicts.compare(r, b, direction.get(b["indicator"], "neutral"))))
    return out


def _verdict_cell(v: verdicts.Verdict) -> str:
    word = f"{verdicts.VERDICT_SYMBOLS[v.verdict]} {verdicts.VERDICT_LABELS[v.verdict]}"
    return f"{word}: {verdicts.REASONS[v.reason]}" if v.reason else word


def _scope_cell(v: verdicts.Verdict) -> str:
    if v.figure_scope == v.benchmark_scope:
        return f"both: {SCOPE.get(v.figure_scope, v.figure_scope)}"
    return f"figure: {SCOPE.get(v.figure_scope, v.figure_scope)}; benchmark: {SCOPE.get(v.benchmark_scope, v.benchmark_scope)}"


#: Reasons a figure cannot be set against a benchmark at all: the benchmarks it is not set against are listed in one row.
UNLIKE = ("different_scope", "different_measure", "different_unit")


def _benchmark_rows(ds: Dataset, compared: list) -> list[list[str]]:
    """A row per decided (or undecided but like-for-like) comparison, with the benchmark's value and source; one row
    per figure for all the benchmarks it is unlike, which quotes no benchmark value, as none is compared."""
    labels = ds["indicators"].set_index("id")["label"]
    rows, unlike = [], {}
    for r, b, v in compared:
        year = f" ({int(r['year'])})" if pd.notna(r["year"]) else ""
        figure = f"{_cell(labels.get(r['indicator'], r['indicator']))}: {_cell(_value(r, ds.vocab.units))}{year}"
        if v.reason in UNLIKE:
            unlike.setdefault((figure, v), []).append(_cell(b["label"]))
            continue
        ref = text.qualified(b["value"], b["comparator"], ds.vocab.units.get(b["unit"], b["unit"]), high=b["value_high"])
        ref += " (average)" if b["comparator"] == "average" else ""
        rows.append([f"{_cell(b['label'])} ({citation.cite_row(ds, b, base=UP)})", _cell(ref), figure, _scope_cell(v), _verdict_cell(v)])
    for (figure, v), names in unlike.items():
        rows.append([f"{_count(len(names), 'benchmark', 'benchmarks').capitalize()}: " + "; ".join(names), "not compared", figure,
                     _scope_cell(v), _verdict_cell(v)])
    return rows


#: How a count of verdicts reads in a sentence, for one and for more than one...
_VERDICT_PHRASES = {
    verdicts.MEETS: ("meets the benchmark", "meet the benchmark"),
    verdicts.BELOW: ("falls short", "fall short"),
    verdicts.ABOVE: ("lies above the benchmark", "lie above the benchmark"),
    verdicts.CANT_TELL: ("can't be told", "can't be told"),
}
#: ...and when the table has a single comparison.
_ONE_VERDICT = {
    verdicts.MEETS: "The cluster's figure meets the benchmark.",
    verdicts.BELOW: "The cluster's figure falls short of the benchmark.",
    verdicts.ABOVE: "The cluster's figure lies above the benchmark.",
    verdicts.CANT_TELL: "The cluster's figure can't be set against the benchmark.",
}


def _verdict_summary(counts: pd.Series) -> str:
    """'Of the 3 comparisons in the table, 1 meets the benchmark, 1 falls short and 1 can't be told.'"""
    total = int(counts.sum())
    if total == 1:
        return _ONE_VERDICT[counts.index[0]]
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
    out = ["## Against the benchmarks", "",
           f"{_verdict_summary(counts)} A benchmark is set only against a figure of the same scope, measure and unit; "
           "any other pairing reads \"can't tell\".", "",
           _table(["Benchmark", "Reference", "This cluster", "Scope checked", "Verdict"], _benchmark_rows(ds, compared)), ""]
    caveats = {b["label"]: b["caveat"] for _, b, v in compared if pd.notna(b["caveat"]) and v.reason not in UNLIKE}
    out += [f"Caveat on {_cell(label)}: {_cell(caveat)}" for label, caveat in caveats.items()]
    return out + ([""] if caveats else [])


def _scorecard(ds: Dataset, cluster_id: str, score, ranks: pd.DataFrame, scorecard_link: bool) -> list[str]:
    """The pilot's row of the scorecard: its score line, each sign with a known status as symbol and word, and the
    signs without evidence in one line (with what the sources say on any of them)."""
    m = ds["assessments"].merge(ds.sign_table, on="sign")
    m = m[m["cluster"] == cluster_id].sort_values("order")
    out = ["## Scorecard", ""]
    if score is not None:
        rules = f" See [the scorecard]({SCORECARD_CHAPTER}) for the rules." if scorecard_link else ""
        out += [_score_line(ds, score, ranks) + rules, ""]
    known, unknown = m[m["status"] != "unknown"], m[m["status"] == "unknown"]
    if len(known):
        rows = [[_cell(r["label"]), f"{STATUS_SYMBOLS[r['status']]} {STATUS_LABELS[r['status']]}", _cell(r["evidence"]),
                 citation.cite_row(ds, r, base=UP) if pd.notna(r["source"]) else ""] for _, r in known.iterrows()]
        out += [_table(["Sign", "Status", "Evidence", "Where"], rows), ""]
    if len(unknown):
        every = " (every sign)" if not len(known) else ""
        out += [f"{STATUS_SYMBOLS['unknown']} No evidence on {_count(len(unknown), 'sign', 'signs')}{every}: "
                + "; ".join(_cell(label) for label in unknown["label"]) + ".", ""]
        for _, r in unknown[unknown["evidence"].notna()].iterrows():
            where = f" ({citation.cite_row(ds, r, base=UP)})" if pd.notna(r["source"]) else ""
            out += [f"On {_cell(text.lower(r['label']))}: {_cell(str(r['evidence']).rstrip('.'))}{where}.", ""]
    return out


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
