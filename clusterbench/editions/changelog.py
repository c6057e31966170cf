"""The data changelog: what changed between two versions of `data/`, in words a reader follows.

`diff(old, new)` compares two data folders (an edition, a git ref or the working tree,
checked out by the caller): values added, changed and removed, keyed by entity and
indicator; clusters and practices added or withdrawn; and the scorecard and ranking
as computed by the current code. Files go through the first checks of `analysis.data`
(encoding, shape, YAML syntax), so a file that cannot be read is reported like
`clusterbench validate` reports it; today's schemas are not applied, so an old edition
whose data would not pass them can still be compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from analysis.data import DataError, Problem, read_table_text, read_yaml_doc
from analysis.text import md_escape, num

#: Columns that identify a row, per table; tables not listed are compared row by row.
KEYS = {
    "observations": ["entity", "indicator", "breakdown", "year", "source"],
    "benchmarks.csv": ["id"],
    "clusters.csv": ["id"],
    "groups.csv": ["id"],
    "indicators.csv": ["id"],
    "sources.csv": ["id"],
    "references.csv": ["id"],
    "policy_timeline.csv": ["id"],
    "factors.csv": ["code"],
    "country_cluster_counts.csv": ["country", "source"],
    "distributions.csv": ["distribution", "category", "population"],
    "assessments.csv": ["cluster", "sign"],
    "cluster_attributes.csv": ["entity", "attribute"],
    "cluster_locations.csv": ["cluster"],
    "cluster_fields.csv": ["cluster", "field"],
    "category_maps.csv": ["map", "category"],
    "factor_lists.csv": ["list", "item"],
}
#: Columns whose text is summarised as "revised" rather than quoted in full.
PROSE = {"note", "description", "definition", "evidence", "basis", "rationale", "title", "cited_work", "locator"}
NUMERIC = {"value", "value_high", "clusters", "lat", "lon", "founded", "year"}
SECTIONS = ("Values", "Clusters", "Practices", "Scorecard and ranking", "Other data")


@dataclass
class Changes:
    """Lines per section, in a stable order."""

    lines: dict[str, list[str]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    notes: list[str] = field(default_factory=list)

    def add(self, section: str, line: str) -> None:
        self.lines[section].append(line)

    @property
    def empty(self) -> bool:
        return not any(self.lines.values())

    def counts(self) -> dict[str, int]:
        return {s: len(v) for s, v in self.lines.items() if v}


class VersionError(DataError):
    """A version's data cannot be read; `sides` says which ('old', 'new' or both)."""

    def __init__(self, sides: list[str], problems: list[Problem]):
        super().__init__(problems)
        self.sides = sides


@dataclass
class _Version:
    """One version of `data/` as text: CSV tables by file name, the observations as one table, YAML documents, practices."""

    tables: dict[str, pd.DataFrame]
    observations: pd.DataFrame | None
    yaml: dict[str, object]
    practices: dict[str, tuple[dict, str]]


def _read_version(data: Path, problems: list[Problem]) -> _Version:
    tables = {}
    for path in sorted(data.glob("*.csv")):
        frame = read_table_text(path, path.name, problems)
        if frame is not None:
            tables[path.name] = frame
    parts = [read_table_text(p, f"observations/{p.name}", problems) for p in sorted((data / "observations").glob("*.csv"))]
    parts = [p for p in parts if p is not None]
    docs = {p.name: read_yaml_doc(p, p.name, problems) for p in sorted(data.glob("*.yml")) if p.name != "editions.yml"}
    practices = {}
    for path in sorted((data / "practices").glob("BP-*.md")):
        rel = f"practices/{path.name}"
        try:
            pid, meta, body = parse_practice(path.read_text(encoding="utf-8-sig"), path.name)
        except UnicodeDecodeError:
            problems.append(Problem(rel, "-", "-", "not valid UTF-8; save the file as UTF-8"))
            continue
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problems.append(Problem(rel, str(mark.line + 2) if mark else "-", "-", f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}"))
            continue
        practices[pid] = (meta if isinstance(meta, dict) else {}, body)
    return _Version(tables, pd.concat(parts, ignore_index=True).fillna("") if parts else None, docs, practices)


def _num(text: str) -> str:
    try:
        return num(float(text), 2)
    except (TypeError, ValueError):
        return text


class _Names:
    """Readable names for entities, indicators, sources and units, from both versions (newer wins)."""

    def __init__(self, old: _Version, new: _Version):
        self.entity, self.indicator, self.source, self.unit = {}, {}, {}, {}
        for version in (old, new):
            clusters = version.tables.get("clusters.csv")
            if clusters is not None:
                short = clusters["short_name"] if "short_name" in clusters else clusters["name"]
                self.entity.update(zip(clusters["id"], short.where(short != "", clusters["name"])))
            groups = version.tables.get("groups.csv")
            if groups is not None:
                self.entity.update(zip(groups["id"], groups["label"]))
            indicators = version.tables.get("indicators.csv")
            if indicators is not None:
                self.indicator.update(zip(indicators["id"], indicators["label"].str.lower()))
            sources = version.tables.get("sources.csv")
            if sources is not None:
                self.source.update(zip(sources["id"], sources["short_name"]))
            vocab = version.yaml.get("vocabularies.yml")
            units = vocab.get("units", {}) if isinstance(vocab, dict) else {}
            self.unit.update({k: (v.get("label", k) if isinstance(v, dict) else str(v)) for k, v in (units or {}).items()})

    def value(self, row: pd.Series) -> str:
        unit = row.get("unit", "")
        if unit == "year":  # a date, not a quantity: 2003, or 1980-1989
            return "-".join(str(row[c]).split(".")[0] for c in ("value", "value_high") if row.get(c))
        shown = _num(row["value"]) + (f"-{_num(row['value_high'])}" if row.get("value_high") else "")
        if unit == "percent":
            return f"{shown}%"
        return f"{shown} {self.unit.get(unit, unit)}".strip()

    def cite(self, row: pd.Series, src: str = "") -> str:
        src = src or row.get("source", "")
        loc = row.get("locator", "")
        return f"{self.source.get(src, src)}, {loc}" if loc else self.source.get(src, src)


def _observation_changes(old: pd.DataFrame | None, new: pd.DataFrame | None, names: _Names, out: Changes) -> None:
    if old is None or new is None:
        return
    k = KEYS["observations"]
    a, b = old.set_index(k), new.set_index(k)
    a, b = a[~a.index.duplicated()], b[~b.index.duplicated()]

    def what(idx) -> str:
        entity, indicator, breakdown, year, _ = idx
        label = names.indicator.get(indicator, indicator) + (f" ({breakdown})" if breakdown else "") + (f" {year}" if year else "")
        return f"{names.entity.get(entity, entity)}: {label}"

    for idx in b.index.difference(a.index):
        row = b.loc[idx]
        out.add("Values", f"{what(idx)}: added, {names.value(row)} (source: {names.cite(row, idx[4])})")
    for idx in a.index.difference(b.index):
        row = a.loc[idx]
        out.add("Values", f"{what(idx)}: removed (was {names.value(row)}; source: {names.cite(row, idx[4])})")
    for idx in a.index.intersection(b.index):
        ra, rb = a.loc[idx], b.loc[idx]
        if names.value(ra) != names.value(rb):
            out.add("Values", f"{what(idx)} changed from {names.value(ra)} to {names.value(rb)} (source: {names.cite(rb, idx[4])})")
        for col in ("qualifier", "quality", "scope"):
            if ra.get(col, "") != rb.get(col, ""):
                out.add("Values", f"{what(idx)}: {col} changed from {ra.get(col) or 'none'} to {rb.get(col) or 'none'}")
        for col in ("locator", "note"):
            if ra.get(col, "") != rb.get(col, ""):
                out.add("Values", f"{what(idx)}: {col} revised")


def _table_changes(name: str, old: pd.DataFrame | None, new: pd.DataFrame | None, names: _Names, out: Changes) -> None:
    if old is None and new is None:
        return
    label = name.removesuffix(".csv")
    if old is None or new is None:
        out.add("Other data", f"`{name}`: file {'added' if old is None else 'removed'}")
        return
    k = KEYS.get(name)
    if not k or not set(k) <= set(old.columns) & set(new.columns):
        before, after = set(map(tuple, old.astype(str).values)), set(map(tuple, new.astype(str).values))
        if len(after - before) or len(before - after):
            out.add("Other data", f"`{name}`: {len(after - before)} rows added, {len(before - after)} removed")
        return
    a, b = old.set_index(k), new.set_index(k)
    a, b = a[~a.index.duplicated()], b[~b.index.duplicated()]
    section = "Clusters" if name == "clusters.csv" else "Other data"

    def who(idx) -> str:
        parts = idx if isinstance(idx, tuple) else (idx,)
        return ", ".join(names.entity.get(p, p) for p in parts if p)

    for idx in b.index.difference(a.index):
        text = f"added: {md_escape(who(idx))}" if section == "Clusters" else f"`{name}`: added {md_escape(who(idx))}"
        out.add(section, text[0].upper() + text[1:] if section == "Clusters" else text)
    for idx in a.index.difference(b.index):
        text = f"Removed: {md_escape(who(idx))}" if section == "Clusters" else f"`{name}`: removed {md_escape(who(idx))}"
        out.add(section, text)
    for idx in a.index.intersection(b.index):
        ra, rb = a.loc[idx], b.loc[idx]
        changed, revised = [], []
        for col in [c for c in a.columns if c in b.columns]:
            if ra[col] == rb[col]:
                continue
            if col in PROSE:
                revised.append(col)
            elif col in NUMERIC:
                changed.append(f"{col} changed from {_num(ra[col]) or 'none'} to {_num(rb[col]) or 'none'}")
            else:
                changed.append(f"{col} changed from {md_escape(ra[col]) or 'none'} to {md_escape(rb[col]) or 'none'}")
        if revised:
            changed.append(f"{', '.join(revised)} revised")
        if changed:
            where = md_escape(who(idx)) if section == "Clusters" else f"`{label}` {md_escape(who(idx))}"
            out.add(section, f"{where}: {'; '.join(changed)}")


def parse_practice(text: str, name: str) -> tuple[str, dict, str]:
    """(id, front matter, body) of a practice file, read leniently: an old edition may not pass today's checks."""
    from analysis.data import split_front_matter

    parts = split_front_matter(text)
    meta = (yaml.safe_load(parts[0]) or {}) if parts else {}
    return str(meta.get("id", name[:6])), meta, (parts[1] if parts else text).strip()


def _practice_changes(old: _Version, new: _Version, out: Changes) -> None:
    a, b = old.practices, new.practices
    for pid in sorted(set(b) - set(a)):
        meta, _ = b[pid]
        if meta.get("status", "active") == "active":
            out.add("Practices", f"Added {pid}: {md_escape(meta.get('title', ''))}")
    for pid in sorted(set(a) & set(b)):
        (ma, body_a), (mb, body_b) = a[pid], b[pid]
        was, now = ma.get("status", "active"), mb.get("status", "active")
        if was == "active" and now == "withdrawn":
            out.add("Practices", f"Withdrawn {pid}: {md_escape(ma.get('title', ''))}"
                    + (f" (withdrawn in edition {mb['withdrawn_in']})" if mb.get("withdrawn_in") else ""))
            continue
        if now != "active":
            continue
        if ma.get("title") != mb.get("title"):
            out.add("Practices", f"{pid}: title changed from \u201c{md_escape(ma.get('title', ''))}\u201d to \u201c{md_escape(mb.get('title', ''))}\u201d")
        others = sorted(k for k in set(ma) | set(mb) if k not in ("title", "status") and ma.get(k) != mb.get(k))
        if body_a != body_b or others:
            what = (["text"] if body_a != body_b else []) + others
            out.add("Practices", f"{pid} {md_escape(mb.get('title', ''))}: {', '.join(what)} revised")
    for pid in sorted(set(a) - set(b)):
        out.add("Practices", f"Removed {pid}: {md_escape(a[pid][0].get('title', ''))} (its file was deleted)")


def _flatten(node, prefix: str = "") -> dict[str, str]:
    if isinstance(node, dict):
        out = {}
        for k, v in node.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(node, list):
        out = {}
        for i, v in enumerate(node):
            out.update(_flatten(v, f"{prefix}[{i + 1}]"))
        return out
    return {prefix: "" if node is None else str(node)}


def _yaml_changes(old: _Version, new: _Version, out: Changes) -> None:
    for name in sorted(set(old.yaml) | set(new.yaml)):
        a = _flatten(old.yaml[name]) if name in old.yaml else {}
        b = _flatten(new.yaml[name]) if name in new.yaml else {}
        changed = [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
        for k in changed[:10]:
            if k in a and k in b and len(a[k]) < 60 and len(b[k]) < 60:
                out.add("Other data", f"`{name}` {k}: changed from {md_escape(a[k])} to {md_escape(b[k])}")
            else:
                out.add("Other data", f"`{name}` {k}: {'added' if k not in a else 'removed' if k not in b else 'revised'}")
        if len(changed) > 10:
            out.add("Other data", f"`{name}`: {len(changed) - 10} more changes")


def _score_changes(old: Path, new: Path, out: Changes) -> None:
    from analysis import data as data_mod
    from analysis import indicators

    try:
        a, b = indicators.scores(data_mod.load(old)), indicators.scores(data_mod.load(new))
    except data_mod.DataError:
        out.notes.append("The scorecard was not compared: one of the two versions does not pass today's validation.")
        return
    a, b = a.set_index("cluster"), b.set_index("cluster")
    for cid in b.index.intersection(a.index):
        ra, rb = a.loc[cid], b.loc[cid]
        parts = []
        if _score_text(ra) != _score_text(rb):
            parts.append(f"score {_score_text(ra)} \u2192 {_score_text(rb)}")
        if ra["light_label"] != rb["light_label"]:
            parts.append(f"light {ra['light_label'].lower()} \u2192 {rb['light_label'].lower()}")
        if ra["rank_label"] != rb["rank_label"]:
            parts.append(f"rank {ra['rank_label'] or 'none'} \u2192 {rb['rank_label'] or 'none'}")
        if parts:
            out.add("Scorecard and ranking", f"{md_escape(rb['cluster_name'])}: {', '.join(parts)}")
    for cid in b.index.difference(a.index):
        row = b.loc[cid]
        out.add("Scorecard and ranking", f"{md_escape(row['cluster_name'])}: now on the scorecard ({_score_text(row)}"
                + (f", rank {row['rank_label']})" if row["rank_label"] else ")"))
    for cid in a.index.difference(b.index):
        out.add("Scorecard and ranking", f"{md_escape(a.loc[cid, 'cluster_name'])}: no longer on the scorecard")


def _score_text(row) -> str:
    """A score as the changelog says it; a cluster with too little evidence has none (and no rank)."""
    return _num(str(row["score"])) if row["scored"] and pd.notna(row["score"]) else "none (insufficient evidence)"


def diff(old: Path, new: Path) -> Changes:
    """Every change from data folder `old` to data folder `new`.

    VersionError, with every problem, when a file of either version cannot be read.
    """
    old, new = Path(old), Path(new)
    versions, problems, sides = [], [], []
    for side, folder in (("old", old), ("new", new)):
        found: list[Problem] = []
        versions.append(_read_version(folder, found))
        if found:
            sides.append(side)
            problems += found
    if problems:
        raise VersionError(sides, problems)
    a, b = versions
    names = _Names(a, b)
    out = Changes()
    _observation_changes(a.observations, b.observations, names, out)
    for name in sorted(set(a.tables) | set(b.tables)):
        _table_changes(name, a.tables.get(name), b.tables.get(name), names, out)
    _practice_changes(a, b, out)
    _yaml_changes(a, b, out)
    _score_changes(old, new, out)
    return out


def changes_markdown(changes: Changes, heading_level: int = 3) -> str:
    """The changes as Markdown sections; 'No data changes.' when there are none."""
    if changes.empty:
        return "No data changes." + ("\n\n" + "\n".join(changes.notes) if changes.notes else "")
    hashes = "#" * heading_level
    parts = []
    for section in SECTIONS:
        lines = changes.lines[section]
        if lines:
            parts.append(f"{hashes} {section}\n\n" + "\n".join(f"- {line}." if not line.endswith(".") else f"- {line}" for line in lines))
    parts += changes.notes
    return "\n\n".join(parts)


def entry_markdown(entry, previous: str | None, changes: Changes | None) -> str:
    """One edition's changelog entry."""
    head = f"## Edition {entry.edition} ({entry.date})\n\n{md_escape(entry.summary)}"
    if changes is None:
        return head + "\n\nThe first edition."
    return head + f"\n\nChanges in the data since edition {previous}:\n\n" + changes_markdown(changes)


TITLE = "# Data changelog\n\nWhat changed in the data from one edition to the next, newest first. Written by `clusterbench release`.\n"


def prepend(path: Path, entry: str) -> None:
    """Put a new entry at the top of CHANGELOG.md, under its title."""
    text = path.read_text(encoding="utf-8") if path.exists() else TITLE
    head, sep, rest = text.partition("\n## ")
    path.write_text(head.rstrip() + "\n\n" + entry.strip() + "\n" + (("\n## " + rest) if sep else ""), encoding="utf-8")
