"""The Best-Practice Collection as Markdown, built from `data/practices/`.

Every practice gets a stable anchor `#bp-nnn` (the same in the HTML and the PDF), its
origin, the evidence figures (read from the data, never typed), the body written by
the editors, its sources and the pilot clusters it matters for.
"""

from __future__ import annotations

import re

import pandas as pd

from analysis import text
from analysis.data import Dataset, Practice
from analysis.report import citation
from analysis.text import md_escape as esc
from analysis.text import say

#: A practice's level, as readers see it.
LEVELS = {"cluster": ("cluster", "кластер"), "programme": ("programme", "программа")}


def anchor(practice_id: str) -> str:
    return practice_id.lower()


def _evidence_lines(ds: Dataset, p: Practice) -> list[str]:
    labels = ds["indicators"].set_index("id")["label"]
    units = ds.vocab.units
    names = {**dict(zip(ds["clusters"]["id"], ds["clusters"]["short_name"])), **dict(zip(ds["groups"]["id"], ds["groups"]["label"]))}
    lines = []
    for ev in p.meta.evidence:
        if ev.benchmark:
            b = ds["benchmarks"].set_index("id").loc[ev.benchmark]
            value = text.qualified(b["value"], b["comparator"], units.get(b["unit"], b["unit"]), high=b["value_high"])
            lines.append(esc(f"{b['label']}: {value}") + f" ({citation.cite_row(ds, b)})")
        elif ev.distribution:
            meta = ds.distribution_meta[ev.distribution]
            rows = ds["distributions"].query("distribution == @ev.distribution").sort_values("order")
            unit = units.get(meta.unit, meta.unit)
            parts = "; ".join(f"{r['label']} {text.qualified(r['value'], None, unit)}" for _, r in rows.iterrows() if pd.notna(r["value"]))
            quoted = rows.iloc[0] if len(rows) else {}
            lines.append(esc(f"{meta.title}: {parts}")
                         + f" ({citation.cite(ds, meta.source, meta.locator, quoted.get('cites'), quoted.get('cited_work'))})")
        else:
            rows = ds.observation_rows(entity=ev.entity, indicator=ev.indicator)
            if ev.year:
                rows = rows[rows["year"] == ev.year]
            for _, r in rows.iterrows():
                shown = text.qualified(r["value"], r["qualifier"], units.get(r["unit"], r["unit"]), high=r["value_high"])
                when = f", {int(r['year'])}" if pd.notna(r["year"]) else ""
                flag = say(" (value read with doubt)", " (значение прочитано с сомнением)") if r["quality"] == "ambiguous" else ""
                lines.append(esc(f"{names.get(r['entity'], r['entity'])}, {text.lower(labels.get(r['indicator'], r['indicator']))}{when}: "
                                 f"{shown}{flag}") + f" ({citation.cite_row(ds, r)})")
    return lines


def cite_markdown(facts, p: Practice) -> str:
    """'Cite this practice': in HTML the reference and a BibTeX entry, folded away; in print the reference."""
    from analysis.report.citation import practice_citation

    text, bibtex = practice_citation(facts, p.meta.id, p.meta.title)
    summary, cite_as = say("Cite this practice", "Как цитировать эту практику"), say("Cite as:", "Ссылка для цитирования:")
    return (f'::: {{.content-visible when-format="html"}}\n<details class="cite-practice">\n<summary>{summary}</summary>\n\n'
            f"{text}\n\n```\n{bibtex}\n```\n\n</details>\n:::\n\n"
            f'::: {{.content-hidden when-format="html"}}\n**{cite_as}** {text}\n:::')


def practice_markdown(ds: Dataset, p: Practice, heading_level: int = 3, cite=None) -> str:
    m = p.meta
    hashes = "#" * heading_level
    pilots = dict(zip(ds["clusters"]["id"], ds["clusters"]["short_name"]))
    sign = ds.sign_table.set_index("sign").loc[m.theme, "label"]
    origin = m.origin.label + (f" ({text.country(m.origin.country)})" if m.origin.country else "")
    out = [f"{hashes} {m.id} {esc(m.title)} {{#{anchor(m.id)} .unnumbered}}", ""]
    level = say(*LEVELS[m.level]) if m.level in LEVELS else m.level
    out.append(f"**{say('Origin', 'Происхождение')}:** {esc(origin)} · **{say('Theme', 'Признак')}:** {esc(sign)} · "
               f"**{say('Level', 'Уровень')}:** {level}")
    out.append("")
    # the practice file's own headings ('What was done', in Russian 'Что было сделано') become bold run-in heads
    body = re.sub(r"(?m)^## (.+?)[ \t]*$", r"**\1.**", p.body)
    out.append(body)
    evidence = _evidence_lines(ds, p)
    if evidence:
        out += ["", say("**Evidence.**", "**Подтверждающие данные.**"), ""] + [f"- {line}" for line in evidence]
    if m.relevant_to:
        out += ["", say("**Most relevant for:** ", "**Наиболее актуально для:** ")
                + esc(say(", ", "; ").join(pilots.get(c, c) for c in m.relevant_to)) + "."]
    line = citation.source_line(ds, [{"source": s.source, "locator": s.locator} for s in m.sources])
    out += ["", "**{}:** {}".format(*line.split(": ", 1))]
    if cite is not None:
        out += ["", cite_markdown(cite, p)]
    return "\n".join(out)


def withdrawn_markdown(ds: Dataset, heading_level: int = 2, cite=None) -> str:
    """Short entries for withdrawn practices, so their ids and anchors keep resolving."""
    gone = sorted((p for p in ds.practices if p.meta.status == "withdrawn"), key=lambda p: p.meta.id)
    if not gone:
        return ""
    hashes = "#" * heading_level
    parts = [f"{hashes} " + say("Withdrawn practices", "Исключённые практики") + " {#withdrawn-practices}\n\n"
             + say("These identifiers are retired and will not be used again. Each practice can still be read in the "
                   "editions that included it.",
                   "Эти идентификаторы выведены из употребления и повторно не используются. Каждую практику "
                   "по-прежнему можно прочитать в выпусках, которые её включали.")]
    for p in gone:
        if p.meta.withdrawn_in:
            when = say(f"in edition {p.meta.withdrawn_in}", f"в выпуске {p.meta.withdrawn_in}")
        else:
            when = say("from the next edition", "начиная со следующего выпуска")
        earlier = ""
        if cite is not None and cite.site_url:
            earlier = say(" The editions before it keep the full text; see the [list of editions]",
                          " Полный текст сохраняется в предыдущих выпусках; см. [список выпусков]") + \
                f"({cite.site_url.rstrip('/')}/{say('', 'ru/')}12-editions.html)."
        parts.append(f"{hashes}# {p.meta.id} {esc(p.meta.title)} {say('(withdrawn)', '(исключена)')} "
                     f"{{#{anchor(p.meta.id)} .unnumbered}}\n\n"
                     + say(f"{p.meta.id} was withdrawn {when}.", f"Практика {p.meta.id} исключена {when}.") + earlier)
    return "\n\n".join(parts)


def collection_markdown(ds: Dataset, heading_level: int = 2, cite=None) -> str:
    """All active practices grouped by sign, in the model's order, then stubs for withdrawn ones.

    `cite` (edition facts from `analysis.report.citation.facts`) adds a "cite this practice" block to each.
    """
    signs = ds.sign_table
    active = [p for p in ds.practices if p.meta.status == "active"]
    parts = []
    hashes = "#" * heading_level
    for _, s in signs.iterrows():
        group = sorted((p for p in active if p.meta.theme == s["sign"]), key=lambda p: p.meta.id)
        if not group:
            continue
        parts.append(f"{hashes} {esc(s['label'])} {{#theme-{s['sign']}}}\n\n{esc(s['definition'])}")
        parts.extend(practice_markdown(ds, p, heading_level + 1, cite) for p in group)
    stubs = withdrawn_markdown(ds, heading_level, cite)
    return "\n\n".join(parts + ([stubs] if stubs else []))


def index_table(ds: Dataset, by: str = "theme") -> pd.DataFrame:
    """Practices indexed by theme or by country of origin, with links to their anchors."""
    rows = []
    signs = ds.sign_table.set_index("sign")["label"]
    practice, title = say("Practice", "Практика"), say("Title", "Название")
    theme, origin = say("Theme", "Признак"), say("Origin", "Происхождение")
    for p in sorted(ds.practices, key=lambda p: p.meta.id):
        if p.meta.status != "active":
            continue
        rows.append({
            practice: f"[{p.meta.id}](#{anchor(p.meta.id)})",
            title: esc(p.meta.title),
            theme: signs[p.meta.theme],
            origin: text.country(p.meta.origin.country),
        })
    frame = pd.DataFrame(rows)
    key = theme if by == "theme" else origin
    # Themes in the order the collection presents them (the signs' order), not alphabetically.
    order = {label: k for k, label in enumerate(signs)} if key == theme else None
    frame = frame.sort_values([key, practice], key=(lambda col: col.map(order) if col.name == theme else col) if order else None)
    return frame.reset_index(drop=True)[[key, practice, title] + ([origin] if key == theme else [theme])]
