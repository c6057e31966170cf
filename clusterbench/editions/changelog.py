"""The data changelog: what changed between two versions of `data/`, in words a reader follows.

`diff(old, new)` compares two data folders (an edition, a git ref or the working tree,
checked out by the caller): values added, changed and removed, keyed by entity and
indicator; clusters and practices added or withdrawn; and the scorecard and ranking
as computed by the current code. Files go through the first checks of `analysis.data`
(encoding, shape, YAML syntax), so a file that cannot be read is reported like
`clusterbench validate` reports it; today's schemas are not applied, so an old edition
whose data would not pass them can still be compared.

Every change is said in each edition's language at once (`Changes.add` takes a function that
builds the sentence with `say`, and calls it once per language), so one comparison gives both
changelogs; `changes_markdown` and `entry_markdown` write the one of the language spoken. Russian
sentences name clusters, indicators, sources and practices by the labels of the Russian edition
(`analysis.data.language.localized`); a version whose data does not load today names them by id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from analysis.data import DataError, Problem, read_table_text, read_yaml_doc
from analysis.project import load_yaml
from analysis.report.editions import CHANGELOGS, NO_SUMMARY_RU  # noqa: F401  (the file names, for the release)
from analysis.text import language, lower, md_escape, num, place, plural, say, speaking

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
#: Numeric columns that hold a year, which the Russian changelog writes without a thousands separator (2009).
YEARS = {"founded", "year"}
SECTIONS = ("Values", "Clusters", "Practices", "Scorecard and ranking", "Other data")
#: The sections' headings in Russian.
SECTIONS_RU = {"Values": "Значения", "Clusters": "Кластеры", "Practices": "Практики",
               "Scorecard and ranking": "Сводная оценка и рейтинг", "Other data": "Прочие данные"}
#: The observation fields a change names, in Russian (other columns are named by their id).
FIELDS_RU = {"qualifier": "точность значения", "quality": "отметка качества", "scope": "охват",
             "locator": "место в источнике", "note": "примечание", "text": "текст"}

#: A sentence of the changelog: a function that says it in the language spoken (see `Changes.add`).
Sentence = Callable[[], str]


def _both(line: str | Sentence) -> tuple[str, str]:
    """A sentence said in English and in Russian; plain text is the same in both."""
    if isinstance(line, str):
        return line, line
    with speaking("en"):
        en = line()
    with speaking("ru"):
        ru = line()
    return en, ru


@dataclass
class Changes:
    """Lines per section, in a stable order: `lines` and `notes` in English, `lines_ru` and `notes_ru` the same
    lines in Russian; `said()` and `said_notes()` give those of the language spoken."""

    lines: dict[str, list[str]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    notes: list[str] = field(default_factory=list)
    lines_ru: dict[str, list[str]] = field(default_factory=lambda: {s: [] for s in SECTIONS})
    notes_ru: list[str] = field(default_factory=list)

    def add(self, section: str, line: str | Sentence) -> None:
        """Add a line; a function builds the sentence with `say` and is called right away, once per language
        (so a lambda written in a loop sees the loop's current values)."""
        en, ru = _both(line)
        self.lines[section].append(en)
        self.lines_ru[section].append(ru)

    def note(self, line: str | Sentence) -> None:
        en, ru = _both(line)
        self.notes.append(en)
        self.notes_ru.append(ru)

    def said(self) -> dict[str, list[str]]:
        return self.lines_ru if language() == "ru" else self.lines

    def said_notes(self) -> list[str]:
        return self.notes_ru if language() == "ru" else self.notes

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
    """Readable names for entities, indicators, sources, units and practices, from both versions (newer wins):
    the English ones from the files as they are, the Russian ones from each version's data as the Russian
    edition shows it (`ru`: the localized datasets, old then new, of the versions that load; ids otherwise)."""

    def __init__(self, old: _Version, new: _Version, ru: list | None = None):
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
        self.ru = {"entity": {}, "indicator": {}, "source": {}, "unit": {}, "unit_forms": {}, "terms": {},
                   "practice": [{}, {}]}
        for side, ds in enumerate(ru or []):
            if ds is not None:
                self._add_russian(ds, side)

    def _add_russian(self, ds, side: int) -> None:
        """The Russian labels of one localized dataset (`side` 0 the old version, 1 the new one)."""
        from analysis.data.language import read, unit_forms

        tables = dict(dict.items(ds.tables))  # plain items: the labels, not a use of the data to track
        ru = self.ru
        clusters = tables.get("clusters.csv")
        if clusters is not None:
            short = clusters["short_name"].where(clusters["short_name"].notna() & (clusters["short_name"] != ""), clusters["name"])
            ru["entity"].update(zip(clusters["id"], short))
        groups = tables.get("groups.csv")
        if groups is not None:
            ru["entity"].update(zip(groups["id"], groups["label"]))
        indicators = tables.get("indicators.csv")
        if indicators is not None:
            ru["indicator"].update((i, lower(label)) for i, label in zip(indicators["id"], indicators["label"]) if isinstance(label, str))
        for name in ("sources.csv", "references.csv"):  # the references' short names are the ones translated
            frame = tables.get(name)
            if frame is not None and "short_name" in frame:
                ru["source"].update((i, n) for i, n in zip(frame["id"], frame["short_name"]) if isinstance(n, str) and n)
        translations = read(ds.root)
        ru["unit"].update(ds.vocab.units)
        ru["unit_forms"].update(unit_forms(translations))
        ru["terms"].update(ds.terms)
        # only the practices that have their Russian file: the others are named by id, not by their English title
        ru["practice"][side].update({p.meta.id: p.meta.title for p in ds.practices if p.meta.id in translations.practices})

    def name(self, kind: str, key: str) -> str:
        """An entity, indicator or source in the language spoken; an id where it has no name."""
        table = self.ru[kind] if language() == "ru" else getattr(self, kind)
        return table.get(key, key)

    def term(self, kind: str, code: str) -> str:
        """A code of a vocabulary ('quality', 'reported') in the language spoken; 'none' when empty."""
        if not code:
            return say("none", "не указано")
        return self.ru["terms"].get(f"{kind}.{code}", code) if language() == "ru" else code

    def practice(self, pid: str, title: str, side: int = 1) -> str:
        """'BP-007: its title' (title as given, escaped); in Russian with its Russian title, else the id alone."""
        if language() != "ru":
            return f"{pid}: {md_escape(title)}"
        ru = self.ru["practice"][side].get(pid) or self.ru["practice"][1 - side].get(pid)
        return f"{pid}: {md_escape(ru)}" if ru else pid

    def value(self, row: pd.Series) -> str:
        unit = row.get("unit", "")
        dash = say("-", "–")  # a range: 3-6 in English, 3–6 in Russian
        if unit == "year":  # a date, not a quantity: 2003, or 1980-1989
            return dash.join(str(row[c]).split(".")[0] for c in ("value", "value_high") if row.get(c))
        shown = _num(row["value"]) + (f"{dash}{_num(row['value_high'])}" if row.get("value_high") else "")
        if unit == "percent":
            return f"{shown}%"
        if language() == "ru":
            return f"{shown} {self._unit_ru(unit, row.get('value_high') or row['value'])}".strip()
        return f"{shown} {self.unit.get(unit, unit)}".strip()

    def _unit_ru(self, unit: str, last: str) -> str:
        """The unit's word after the number `last` (text): «12 400 человек», «3 организации», «1,5 организации»."""
        forms = self.ru["unit_forms"].get(unit)
        if not forms:
            return self.ru["unit"].get(unit, unit)
        try:
            n = float(last)
        except (TypeError, ValueError):
            return forms.split("|")[-1]
        return plural(n, forms) if n.is_integer() else forms.split("|")[min(1, len(forms.split("|")) - 1)]

    def cite(self, row: pd.Series, src: str = "") -> str:
        src = src or row.get("source", "")
        loc = row.get("locator", "")
        return f"{self.name('source', src)}, {place(loc)}" if loc else self.name("source", src)


def _observation_changes(old: pd.DataFrame | None, new: pd.DataFrame | None, names: _Names, out: Changes) -> None:
    if old is None or new is None:
        return
    k = KEYS["observations"]
    a, b = old.set_index(k), new.set_index(k)
    a, b = a[~a.index.duplicated()], b[~b.index.duplicated()]

    def what(idx) -> str:
        entity, indicator, breakdown, year, _ = idx
        shown = names.term("breakdown", breakdown).replace("-", " ") if language() == "ru" and breakdown else breakdown
        label = names.name("indicator", indicator) + (f" ({shown})" if breakdown else "") + (say(f" {year}", f", {year} г.") if year else "")
        return f"{names.name('entity', entity)}: {label}"

    def source(row, src) -> str:
        return say("source", "источник") + f": {names.cite(row, src)}"

    for idx in b.index.difference(a.index):
        row = b.loc[idx]
        out.add("Values", lambda: f"{what(idx)}: {say('added,', 'добавлено значение')} {names.value(row)} ({source(row, idx[4])})")
    for idx in a.index.difference(b.index):
        row = a.loc[idx]
        out.add("Values", lambda: say(f"{what(idx)}: removed (was {names.value(row)}; {source(row, idx[4])})",
                                      f"{what(idx)}: значение удалено (было {names.value(row)}; {source(row, idx[4])})"))
    for idx in a.index.intersection(b.index):
        ra, rb = a.loc[idx], b.loc[idx]
        if names.value(ra) != names.value(rb):
            out.add("Values", lambda: say(f"{what(idx)} changed from {names.value(ra)} to {names.value(rb)}",
                                          f"{what(idx)}: значение изменено с {names.value(ra)} на {names.value(rb)}")
                    + f" ({source(rb, idx[4])})")
        for col in ("qualifier", "quality", "scope"):
            if ra.get(col, "") != rb.get(col, ""):
                out.add("Values", lambda: say(
                    f"{what(idx)}: {col} changed from {ra.get(col) or 'none'} to {rb.get(col) or 'none'}",
                    f"{what(idx)}: {FIELDS_RU[col]}: {names.term(col, ra.get(col, ''))} \u2192 {names.term(col, rb.get(col, ''))}"))
        for col in ("locator", "note"):
            if ra.get(col, "") != rb.get(col, ""):
                out.add("Values", lambda: say(f"{what(idx)}: {col} revised", f"{what(idx)}: уточнено поле «{FIELDS_RU[col]}»"))


def _table_changes(name: str, old: pd.DataFrame | None, new: pd.DataFrame | None, names: _Names, out: Changes) -> None:
    if old is None and new is None:
        return
    label = name.removesuffix(".csv")
    if old is None or new is None:
        out.add("Other data", lambda: f"`{name}`: " + (say("file added", "файл добавлен") if old is None else say("file removed", "файл удалён")))
        return
    k = KEYS.get(name)
    if not k or not set(k) <= set(old.columns) & set(new.columns):
        before, after = set(map(tuple, old.astype(str).values)), set(map(tuple, new.astype(str).values))
        if len(after - before) or len(before - after):
            added, removed = len(after - before), len(before - after)
            out.add("Other data", lambda: f"`{name}`: " + say(f"{added} rows added, {removed} removed",
                                                              f"добавлено строк: {num(added)}, удалено: {num(removed)}"))
        return
    a, b = old.set_index(k), new.set_index(k)
    a, b = a[~a.index.duplicated()], b[~b.index.duplicated()]
    section = "Clusters" if name == "clusters.csv" else "Other data"

    def who(idx) -> str:
        parts = idx if isinstance(idx, tuple) else (idx,)
        return ", ".join(names.name("entity", p) for p in parts if p)

    for idx in b.index.difference(a.index):
        if section == "Clusters":
            out.add(section, lambda: say("Added: ", "Добавлен кластер: ") + md_escape(who(idx)))
        else:
            out.add(section, lambda: f"`{name}`: " + say("added ", "добавлена запись: ") + md_escape(who(idx)))
    for idx in a.index.difference(b.index):
        if section == "Clusters":
            out.add(section, lambda: say("Removed: ", "Удалён кластер: ") + md_escape(who(idx)))
        else:
            out.add(section, lambda: f"`{name}`: " + say("removed ", "удалена запись: ") + md_escape(who(idx)))
    for idx in a.index.intersection(b.index):
        ra, rb = a.loc[idx], b.loc[idx]
        columns = [c for c in a.columns if c in b.columns and ra[c] != rb[c]]
        if columns:
            out.add(section, lambda: _row_changes(section, label, md_escape(who(idx)), columns, ra, rb, names))


def _row_changes(section: str, label: str, who: str, columns: list[str], ra: pd.Series, rb: pd.Series, names: _Names) -> str:
    """One row's changed columns, said in one line: values from and to, prose columns as revised. In Russian a
    code with a term of its own ('status' 'meets') reads as the term, and a year without a thousands separator."""
    none = say("none", "не указано")
    changed, revised = [], []
    for col in columns:
        if col in PROSE:
            revised.append(col)
            continue
        if language() == "ru" and col in YEARS:
            was, now = (str(v).split(".")[0] for v in (ra[col], rb[col]))
        elif col in NUMERIC:
            was, now = _num(ra[col]), _num(rb[col])
        elif language() == "ru":
            was, now = (md_escape(names.ru["terms"].get(f"{col}.{v}", v)) for v in (ra[col], rb[col]))
        else:
            was, now = md_escape(ra[col]), md_escape(rb[col])
        changed.append(say(f"{col} changed from {was or none} to {now or none}", f"{col}: {was or none} \u2192 {now or none}"))
    if revised:
        changed.append(say(f"{', '.join(revised)} revised",
                           ("уточнено поле " if len(revised) == 1 else "уточнены поля: ") + ", ".join(revised)))
    where = who if section == "Clusters" else f"`{label}` {who}"
    return f"{where}: {'; '.join(changed)}"


def parse_practice(text: str, name: str) -> tuple[str, dict, str]:
    """(id, front matter, body) of a practice file, read leniently: an old edition may not pass today's checks."""
    from analysis.data import split_front_matter

    parts = split_front_matter(text)
    meta = (load_yaml(parts[0]) or {}) if parts else {}
    return str(meta.get("id", name[:6])), meta, (parts[1] if parts else text).strip()


def _practice_changes(old: _Version, new: _Version, names: _Names, out: Changes) -> None:
    a, b = old.practices, new.practices
    for pid in sorted(set(b) - set(a)):
        meta, _ = b[pid]
        if meta.get("status", "active") == "active":
            out.add("Practices", lambda: say("Added ", "Добавлена практика ") + names.practice(pid, meta.get("title", "")))
    for pid in sorted(set(a) & set(b)):
        (ma, body_a), (mb, body_b) = a[pid], b[pid]
        was, now = ma.get("status", "active"), mb.get("status", "active")
        if was == "active" and now == "withdrawn":
            out.add("Practices", lambda: say("Withdrawn ", "Исключена практика ") + names.practice(pid, ma.get("title", ""), side=0)
                    + (say(f" (withdrawn in edition {mb['withdrawn_in']})", f" (исключена в выпуске {mb['withdrawn_in']})")
                       if mb.get("withdrawn_in") else ""))
            continue
        if now != "active":
            continue
        if ma.get("title") != mb.get("title"):
            out.add("Practices", lambda: _title_change(names, pid, ma.get("title", ""), mb.get("title", "")))
        others = sorted(k for k in set(ma) | set(mb) if k not in ("title", "status") and ma.get(k) != mb.get(k))
        if body_a != body_b or others:
            what = (["text"] if body_a != body_b else []) + others
            out.add("Practices", lambda: say(f"{pid} {md_escape(mb.get('title', ''))}: {', '.join(what)} revised",
                                             f"{names.practice(pid, '')}: " + ("уточнён текст" if what == ["text"] else
                                                                                 f"уточнены: {', '.join(FIELDS_RU.get(w, w) for w in what)}")))
    for pid in sorted(set(a) - set(b)):
        out.add("Practices", lambda: say("Removed ", "Удалена практика ") + names.practice(pid, a[pid][0].get("title", ""), side=0)
                + say(" (its file was deleted)", " (её файл удалён)"))


def _title_change(names: _Names, pid: str, was: str, now: str) -> str:
    """A practice's new title; in Russian its Russian titles, when both versions have them."""
    if language() != "ru":
        return f"{pid}: title changed from \u201c{md_escape(was)}\u201d to \u201c{md_escape(now)}\u201d"
    ru_was, ru_now = names.ru["practice"][0].get(pid), names.ru["practice"][1].get(pid)
    if ru_was and ru_now and ru_was != ru_now:
        return f"{pid}: название изменено с «{md_escape(ru_was)}» на «{md_escape(ru_now)}»"
    return f"{pid}: изменено название"


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
                out.add("Other data", lambda: f"`{name}` {k}: " + say(f"changed from {md_escape(a[k])} to {md_escape(b[k])}",
                                                                     f"{md_escape(a[k])} \u2192 {md_escape(b[k])}"))
            else:
                out.add("Other data", lambda: f"`{name}` {k}: " + (say("added", "добавлено") if k not in a else
                                                                   say("removed", "удалено") if k not in b else say("revised", "изменено")))
        if len(changed) > 10:
            more = len(changed) - 10
            out.add("Other data", lambda: f"`{name}`: " + say(f"{more} more changes",
                                                              f"ещё {num(more)} {plural(more, 'изменение|изменения|изменений')}"))


def _load(data: Path):
    """A version's Dataset, or None when it does not pass today's validation."""
    from analysis import data as data_mod

    try:
        return data_mod.load(data)
    except data_mod.DataError:
        return None


def _russian(ds):
    """The Russian edition's view of a loaded version; None if it cannot be made (its labels then read as ids)."""
    from analysis.data.language import localized

    if ds is None:
        return None
    try:
        return localized(ds, "ru")
    except Exception:  # an old edition's translation files, read leniently: the English changelog never depends on them
        return None


def _score_changes(datasets: list, ru: list, out: Changes) -> None:
    """Score, light and rank of every pilot, compared; in Russian with the Russian edition's names and lights."""
    from analysis import data as data_mod
    from analysis import indicators

    try:
        if None in datasets:
            raise data_mod.DataError([])
        with speaking("en"):
            frames = {"en": [indicators.scores(ds).set_index("cluster") for ds in datasets]}
        with speaking("ru"):
            frames["ru"] = [indicators.scores(r if r is not None else ds).set_index("cluster") for ds, r in zip(datasets, ru)]
    except data_mod.DataError:
        out.note(lambda: say("The scorecard was not compared: one of the two versions does not pass today's validation.",
                             "Сводная оценка не сравнивалась: одна из двух версий данных не проходит текущую проверку."))
        return

    def rows(cid, side: int = 1) -> pd.Series:
        return frames["ru" if language() == "ru" else "en"][side].loc[cid]

    def line(cid) -> str:
        ra, rb = rows(cid, 0), rows(cid, 1)
        parts = []
        if _score_text(ra) != _score_text(rb):
            parts.append(say("score", "оценка") + f" {_score_text(ra)} \u2192 {_score_text(rb)}")
        if ra["light_label"] != rb["light_label"]:
            parts.append(say("light", "цвет") + f" {ra['light_label'].lower()} \u2192 {rb['light_label'].lower()}")
        if ra["rank_label"] != rb["rank_label"]:
            none = say("none", "нет")
            parts.append(say("rank", "место") + f" {ra['rank_label'] or none} \u2192 {rb['rank_label'] or none}")
        return f"{md_escape(rb['cluster_name'])}: {', '.join(parts)}" if parts else ""

    a, b = frames["en"]
    for cid in b.index.intersection(a.index):
        if line(cid):
            out.add("Scorecard and ranking", lambda: line(cid))
    for cid in b.index.difference(a.index):
        out.add("Scorecard and ranking", lambda: md_escape(rows(cid)["cluster_name"])
                + say(": now on the scorecard (", ": включён в сводную оценку (") + _score_text(rows(cid))
                + (say(", rank ", ", место ") + f"{rows(cid)['rank_label']})" if rows(cid)["rank_label"] else ")"))
    for cid in a.index.difference(b.index):
        out.add("Scorecard and ranking", lambda: md_escape(rows(cid, 0)["cluster_name"])
                + say(": no longer on the scorecard", ": исключён из сводной оценки"))


def _score_text(row) -> str:
    """A score as the changelog says it; a cluster with too little evidence has none (and no rank)."""
    if row["scored"] and pd.notna(row["score"]):
        return _num(str(row["score"]))
    return say("none (insufficient evidence)", "нет (недостаточно данных)")


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
    datasets = [_load(old), _load(new)]
    ru = [_russian(ds) for ds in datasets]
    names = _Names(a, b, ru)
    out = Changes()
    with speaking("en"):  # what counts as a change is decided once, the English way; each line is then said in both
        _observation_changes(a.observations, b.observations, names, out)
        for name in sorted(set(a.tables) | set(b.tables)):
            _table_changes(name, a.tables.get(name), b.tables.get(name), names, out)
        _practice_changes(a, b, names, out)
        _yaml_changes(a, b, out)
        _score_changes(datasets, ru, out)
    return out


def changes_markdown(changes: Changes, heading_level: int = 3) -> str:
    """The changes as Markdown sections, in the language spoken; 'No data changes.' when there are none."""
    notes = changes.said_notes()
    if changes.empty:
        return say("No data changes.", "Изменений в данных нет.") + ("\n\n" + "\n".join(notes) if notes else "")
    hashes = "#" * heading_level
    parts = []
    for section, lines in changes.said().items():
        if lines:
            heading = say(section, SECTIONS_RU[section])
            parts.append(f"{hashes} {heading}\n\n" + "\n".join(f"- {line}." if not line.endswith(".") else f"- {line}" for line in lines))
    parts += notes
    return "\n\n".join(parts)


def entry_markdown(entry, previous: str | None, changes: Changes | None) -> str:
    """One edition's changelog entry, in the language spoken (the Russian one with the Russian summary)."""
    if language() == "ru":
        summary = md_escape(entry.summary_ru) if getattr(entry, "summary_ru", "") else NO_SUMMARY_RU
        head = f"## Выпуск {entry.edition} ({entry.date})\n\n{summary}"
    else:
        head = f"## Edition {entry.edition} ({entry.date})\n\n{md_escape(entry.summary)}"
    if changes is None:
        return head + say("\n\nThe first edition.", "\n\nПервый выпуск.")
    return head + say(f"\n\nChanges in the data since edition {previous}:\n\n",
                      f"\n\nИзменения в данных по сравнению с выпуском {previous}:\n\n") + changes_markdown(changes)


TITLE = "# Data changelog\n\nWhat changed in the data from one edition to the next, newest first. Written by `clusterbench release`.\n"
TITLE_RU = ("# Журнал изменений данных\n\nЧто изменилось в данных от выпуска к выпуску, начиная с последнего. "
            "Файл составляет команда `clusterbench release`.\n")


def prepend(path: Path, entry: str, title: str = TITLE) -> None:
    """Put a new entry at the top of a changelog (CHANGELOG.md, or CHANGELOG.ru.md with `title` TITLE_RU), under its title."""
    text = path.read_text(encoding="utf-8") if path.exists() else title
    head, sep, rest = text.partition("\n## ")
    path.write_text(head.rstrip() + "\n\n" + entry.strip() + "\n" + (("\n## " + rest) if sep else ""), encoding="utf-8")
