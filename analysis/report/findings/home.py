"""What the home page says: the report's key findings, and the Best-Practice Collection's introduction.

The key findings repeat values the chapters' own findings modules compute, so the home page and the
chapter it links to can never disagree. The programme facts the introduction quotes come from
`findings.programme`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

import altair as alt

from analysis.data import Dataset
from analysis.report import practices
from analysis.report.findings import benchmarks, foreign, scorecard, specialisation
from analysis.text import REFERENCES, md_escape, say

#: Markdown with the data's words escaped; a chapter shows it with `ctx.md(...)`.
MarkdownText = str


@dataclass(frozen=True)
class Home:
    #: Active practices (withdrawn ones keep only a stub).
    practices: int
    themes: int
    #: Countries and groups of countries (such as the EU) the practices come from.
    countries: int
    #: The practice a sample citation names: the active one with the lowest identifier.
    example_id: str
    example_title: MarkdownText
    #: The index tables; their Practice (links) and Title (escaped) columns are Markdown.
    by_theme: pd.DataFrame
    by_country: pd.DataFrame


def findings(ds: Dataset) -> Home:
    active = sorted((p.meta for p in ds.practices if p.meta.status == "active"), key=lambda meta: meta.id)
    return Home(
        practices=len(active), themes=len({meta.theme for meta in active}),
        countries=len({meta.origin.country for meta in active}),
        example_id=active[0].id, example_title=md_escape(active[0].title),
        by_theme=practices.index_table(ds, by="theme"), by_country=practices.index_table(ds, by="country"),
    )


@dataclass(frozen=True)
class KeyFindings:
    """The values the home page's key findings quote, each as its chapter prints it."""

    # critical mass (benchmarks chapter)
    avg_participants: str
    share_of_world: str
    world_avg: str
    groups_below_minimum: int
    minimum_range: str  # '30 to 50'; in Russian '30–50'
    # business share and SMEs
    sme_share: str
    sme_share_without_ict: str
    business_failing: int
    business_rule: str
    # funding
    public_only: str
    world_members_and_services: str
    # specialisation
    gap_fields: int
    gap_many: int
    gap_share: str
    # the scorecard
    known_pct: str
    pilots: int
    scored: int
    insufficient: int
    min_coverage: str
    # foreign clusters
    foreign_figures: int
    foreign_clusters: int
    foreign_initiative_figures: int


def key_findings(ds: Dataset) -> KeyFindings:
    b = benchmarks.findings(ds)
    s = scorecard.findings(ds)
    sp = specialisation.findings(ds)
    fo = foreign.figure_counts(ds)
    return KeyFindings(
        avg_participants=b.mass.avg_participants, share_of_world=b.mass.share_of_world, world_avg=b.mass.world_avg,
        groups_below_minimum=b.mass.groups_below_minimum,
        minimum_range=say(f"{b.mass.minimum_low} to {b.mass.minimum_high}", f"{b.mass.minimum_low}–{b.mass.minimum_high}"),
        sme_share=b.business.sme_share, sme_share_without_ict=b.business.sme_share_without_ict,
        business_failing=b.business.failing, business_rule=b.business.rule,
        public_only=b.funding.russia_public_only, world_members_and_services=b.funding.world_members_and_services,
        gap_fields=sp.n_gap_fields, gap_many=sp.many, gap_share=sp.gap_share,
        known_pct=s.known_pct, pilots=s.n_clusters, scored=s.n_scored, insufficient=s.n_insufficient,
        min_coverage=s.min_coverage,
        foreign_figures=fo.n_figures, foreign_clusters=fo.n_clusters_with_figures,
        foreign_initiative_figures=fo.n_initiative_figures,
    )


#: Where the chapters are, seen from the home page (the project's root).
CHAPTERS_FOLDER = "chapters/"


def from_home(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """A catalogue chart whose source line links to the References from the home page.

    A chart's source line is written for a page in the chapters folder ('11-references.qmd#ref-...');
    the home page sits one folder up, so its copy of the chart gets those links with the folder in front.
    """
    shown = chart.copy(deep=True)
    meta = dict(shown.usermeta) if shown.usermeta is not alt.Undefined else {}
    if meta.get("source"):
        meta["source"] = meta["source"].replace(f"]({REFERENCES}#", f"]({CHAPTERS_FOLDER}{REFERENCES}#")
        shown.usermeta = meta
    return shown
