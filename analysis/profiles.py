"""The pre-render step: what the book needs that depends on the data and the edition.

`python -m analysis.profiles` is `project.pre-render` in `_quarto.yml`, so real Quarto
runs it before every render, for the active profile (`QUARTO_PROFILE`), and then reads
the project again. It writes files that are not kept in git:

- one Markdown page per cluster, `chapters/profiles/<id>.md`, and their index page;
- `_generated/metadata.yml` (a `metadata-files` entry): the profile pages as the book's
  appendices (full report only) and the edition facts the Typst title page prints;
- `_generated/head.html` (an `include-in-header` file): the edition, for the page scripts;
- `assets/vega-bundle.js`: the chart library, from vl-convert (no CDN).

The wheel-only engine calls `pre_render` for the same files but keeps them in memory, so a
build never changes a file in the working tree. The pages hold no code: every value is
written from the data here, so they cost nothing to render.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pandas as pd

from analysis.data import Dataset, load
from analysis.paths import PROFILE_DIR
from analysis.report import text
from analysis.report.text import md_escape as esc
from analysis.report.text import num

PROFILES_INDEX = "chapters/11-cluster-profiles.md"
METADATA = "_generated/metadata.yml"
HEAD = "_generated/head.html"
VEGA_BUNDLE = "assets/vega-bundle.js"
COLLECTION_PROFILE = "practices"
CONFIDENCE = {"S": "stated in a source", "P": "confirmed in another public source", "M": "general knowledge, to be confirmed"}
SCOPE = {"initiative": "cluster initiative", "regional_industry": "whole industry or park", "programme": "programme",
         "survey": "survey", "country": "country", "company": "company"}
KIND_ORDER = {"pilot": 0, "pilot_component": 1, "russian_other": 2, "foreign": 3}
PRACTICES_CHAPTER = "../09-best-practices.qmd"
SCORECARD_CHAPTER = "../05-scorecard.qmd"


def _cell(text) -> str:
    """A table cell from data: escaped, and without characters that would break a pipe table."""
    return esc(str(text).replace("\n", " ")) if text is not None and not (isinstance(text, float) and pd.isna(text)) else ""


def _value(row: pd.Series, units: dict) -> str:
    if pd.isna(row["value"]):
        return "not readable"
    unit = row["unit"]
    return text.qualified(row["value"], row["qualifier"], unit if unit in ("percent", "year") else units.get(unit, unit),
                          high=row.get("value_high"))


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def profile_markdown(ds: Dataset, cluster_id: str, ranks: pd.DataFrame | None = None, scorecard_link: bool = False) -> str:
    clusters = ds["clusters"].set_index("id")
    c = clusters.loc[cluster_id]
    sources = dict(zip(ds["sources"]["id"], ds["sources"]["short_name"]))
    units = ds.vocab.units
    kind = {"pilot": "Pilot innovative territorial cluster", "pilot_component": "Part of a pilot cluster",
            "russian_other": "Other Russian cluster", "foreign": "Foreign cluster"}[c["kind"]]
    out = [f"# {esc(c['short_name'])} {{#sec-profile-{cluster_id} .unnumbered}}", ""]
    out += [f"**{esc(c['name'])}**. {kind}; {esc(ds.vocab.entity_type[c['entity_type']].rstrip('.').lower())}.", ""]

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
        facts.append(["Merged into", f"[{esc(clusters.loc[c['merged_into'], 'short_name'])}]({c['merged_into']}.md)", ""])
    out += ["## Key facts", "", _table(["Fact", "Value", "Confidence"], facts), ""]
    out += [f"Sources: {_cell('; '.join(sources.get(s, s) for s in c['sources'].split(';')))}; {_cell(c['locator'])}.", ""]
    if pd.notna(c["note"]):
        out += [_cell(c["note"]), ""]

    obs = ds.observations[ds.observations["entity"] == cluster_id]
    if len(obs):
        labels = ds["indicators"].set_index("id")["label"]
        rows = []
        for _, r in obs.sort_values(["indicator", "year"]).iterrows():
            label = labels.get(r["indicator"], r["indicator"]) + (f" ({r['breakdown'].replace('-', ' ')})" if pd.notna(r["breakdown"]) else "")
            rows.append([_cell(label), _cell(_value(r, units)), str(int(r["year"])) if pd.notna(r["year"]) else "",
                         SCOPE.get(r["scope"], r["scope"]), r["quality"], _cell(r["locator"])])
        out += ["## Figures", "", _table(["Indicator", "Value", "Year", "Describes", "Quality", "Where (document, locator)"], rows), ""]
        bench = ds["benchmarks"]
        compared = []
        for _, r in obs.iterrows():
            for _, b in bench[bench["indicator"] == r["indicator"]].iterrows():
                ref = num(b["value"]) + (f"-{num(b['value_high'])}" if pd.notna(b["value_high"]) else "")
                compared.append(f"- {_cell(labels.get(r['indicator'], r['indicator']))}: {_cell(_value(r, units))}. "
                                f"Reference: {_cell(b['label'])}, {ref} ({_cell(sources[b['source']])}, {_cell(b['locator'])}).")
        if compared:
            out += ["## Against the benchmarks", ""] + sorted(set(compared)) + [""]

    if c["kind"] == "pilot":
        m = ds["assessments"].merge(ds.sign_table, on="sign")
        m = m[m["cluster"] == cluster_id].sort_values("order")
        rows = [[_cell(r["label"]), r["status"], _cell(r["evidence"]) if pd.notna(r["evidence"]) else "no evidence in the sources",
                 _cell(r["locator"]) if pd.notna(r["source"]) else ""] for _, r in m.iterrows()]
        out += ["## Scorecard", ""]
        if ranks is not None and cluster_id in ranks.index:
            s = ranks.loc[cluster_id]
            rules = f" See [the scorecard]({SCORECARD_CHAPTER}) for the rules." if scorecard_link else ""
            out += [f"Score {num(s['score'])}% (rank {int(s['rank'])} of {len(ranks)}; {s['light']} light), with evidence on "
                    f"{int(s['known'])} of {int(s['signs'])} signs.{rules}", ""]
        out += [_table(["Sign", "Status", "Evidence", "Where"], rows), ""]

    attrs = ds["cluster_attributes"]
    attrs = attrs[attrs["entity"] == cluster_id]
    if len(attrs):
        rows = [[_cell(ds.vocab.attributes[r["attribute"]].rstrip(".").removesuffix(" (true)")), _cell("yes" if r["value"] == "true" else r["value"]),
                 r["quality"], _cell(r["locator"])]
                for _, r in attrs.iterrows()]
        out += ["## Other facts", "", _table(["Fact", "Value", "Quality", "Where"], rows), ""]

    related = [p for p in ds.practices if p.meta.status == "active" and (p.meta.origin.cluster == cluster_id or cluster_id in p.meta.relevant_to)]
    if related:
        out += ["## Related best practices", ""]
        for p in sorted(related, key=lambda p: p.meta.id):
            role = "from this cluster" if p.meta.origin.cluster == cluster_id else "relevant here"
            out.append(f"- [{p.meta.id}]({PRACTICES_CHAPTER}#{p.meta.id.lower()}) {esc(p.meta.title)} ({role})")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def index_markdown(ds: Dataset) -> str:
    clusters = ds["clusters"].copy()
    clusters["order"] = clusters["kind"].map(KIND_ORDER)
    kinds = {"pilot": "Pilot clusters", "pilot_component": "Parts of pilot clusters", "russian_other": "Other Russian clusters",
             "foreign": "Foreign clusters"}
    out = ["# Cluster profiles {#sec-profiles}", "",
           "One page per cluster: its key facts with their confidence, every figure recorded for it with source and quality, "
           "its position against the benchmarks, its scorecard row (pilot clusters) and the best practices that concern it.", ""]
    for kind, group in clusters.sort_values(["order", "short_name"]).groupby("kind", sort=False):
        rows = [[f"[{esc(r['short_name'])}](profiles/{r['id']}.md)", _cell(r["region"]), _cell(ds.vocab.industry_group[r["industry_group"]])]
                for _, r in group.iterrows()]
        out += [f"## {kinds[kind]}", "", _table(["Cluster", "Region", "Industry"], rows), ""]
    return "\n".join(out).rstrip() + "\n"


def chapter_list(ds: Dataset) -> list[str]:
    clusters = ds["clusters"].copy()
    clusters["order"] = clusters["kind"].map(KIND_ORDER)
    ids = list(clusters.sort_values(["order", "short_name"])["id"])
    return ["chapters/11-cluster-profiles.md"] + [f"{PROFILE_DIR.as_posix()}/{cid}.md" for cid in ids]


def pages(ds: Dataset, *, scorecard_link: bool) -> dict[str, str]:
    """The profile pages and their index, by project-relative path."""
    from analysis import indicators

    ranks = indicators.scores(ds).set_index("cluster")
    out = {PROFILES_INDEX: index_markdown(ds)}
    for cid in ds["clusters"]["id"]:
        out[f"{PROFILE_DIR.as_posix()}/{cid}.md"] = profile_markdown(ds, cid, ranks, scorecard_link=scorecard_link)
    return out


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def metadata(ds: Dataset, root: Path, profiles: list[str]) -> str:
    """`_generated/metadata.yml`: the appendices (full report only) and the edition facts."""
    from analysis import citation
    from analysis import project as P

    facts = citation.facts(P.load(root, profiles))
    collection = COLLECTION_PROFILE in profiles
    lines = ["# Written by the pre-render step (python -m analysis.profiles) for the active profile; not kept in git.",
             "cb:",
             f"  edition: {_yaml_string(facts.edition)}",
             f"  edition-label: {_yaml_string('Draft' if not facts.released else f'Edition {facts.edition}')}",
             f"  long-date: {_yaml_string(facts.long_date)}",
             f"  how-to-cite: {_yaml_string(citation.how_to_cite(facts))}"]
    if facts.licence:
        lines.append(f"  licence: {_yaml_string(facts.licence)}")
    if not collection:
        lines += ["book:", "  appendices:", '    - part: "Cluster profiles"', "      chapters:"]
        lines += [f"        - {path}" for path in chapter_list(ds)]
    return "\n".join(lines) + "\n"


def head_html(root: Path, profiles: list[str]) -> str:
    """`_generated/head.html`: the edition, read by the page scripts (menu, banners)."""
    from html import escape

    from analysis import citation
    from analysis import project as P

    facts = citation.facts(P.load(root, profiles))
    tags = [f'<meta name="cb-edition" content="{escape(facts.edition)}" data-date="{escape(facts.date)}">']
    if not facts.released:
        tags.append('<meta name="robots" content="noindex">')
    return "\n".join(tags) + "\n"


def pre_render(ds: Dataset, root: Path, profiles: list[str]) -> dict[str, str]:
    """Every file the pre-render step makes for the active profiles, by project-relative path."""
    from analysis import project as P

    listed = {ref.path.resolve() for ref in P.load(root, profiles).chapters}
    files = {} if COLLECTION_PROFILE in profiles else pages(
        ds, scorecard_link=(root / "chapters" / "05-scorecard.qmd").resolve() in listed)
    files[METADATA] = metadata(ds, root, profiles)
    files[HEAD] = head_html(root, profiles)
    return files


def write(files: dict[str, str], root: Path) -> list[Path]:
    """Write the pre-render files that changed, and remove profile pages of clusters that are gone."""
    changed = []
    profile_dir = root / PROFILE_DIR
    if profile_dir.is_dir():
        for path in sorted(profile_dir.glob("*.md")):
            if path.relative_to(root).as_posix() not in files:
                path.unlink()
                changed.append(path)
    for rel, text in files.items():
        path = root / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def vega_bundle(root: Path) -> Path | None:
    """The chart library for Quarto's pages, written only when it is missing or out of date."""
    from analysis.site import vega_bundle as bundle

    path = root / VEGA_BUNDLE
    text = bundle()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    return None


def main(argv: list[str]) -> int:
    """Quarto's pre-render: runs in the project folder, for the profiles in QUARTO_PROFILE."""
    from analysis import project as P
    from analysis.data import DataError
    from analysis.paths import find_root

    root = find_root(os.environ.get("QUARTO_PROJECT_DIR") or Path.cwd())
    profiles = P.active_profiles(P.read_config(root))
    try:
        ds = load(Path(argv[0]) if argv else Path(os.environ.get("CLUSTERBENCH_DATA") or root / "data"))
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    changed = write(pre_render(ds, root, profiles), root)
    bundle = vega_bundle(root)
    print(f"Pre-render ({', '.join(profiles) or 'no profile'}): {len(changed) + bool(bundle)} file(s) updated.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
