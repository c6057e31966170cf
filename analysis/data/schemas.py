"""Schemas of the data files.

CSV tables are pandera `DataFrameModel`s; YAML files and practice front matter are
pydantic models. Field descriptions here are the single source of the data
dictionary and of `data/datapackage.json`.

Checks that need other files (ids that must exist elsewhere, controlled
vocabularies) live in `analysis.data`, which runs them after these.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Optional

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SLUG = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SNAKE = r"^[a-z0-9]+(_[a-z0-9]+)*$"
TERM = r"^[a-z0-9]+([-_][a-z0-9]+)*$"
SOURCE_LIST = r"^[a-z0-9-]+(;[a-z0-9-]+)*$"
#: Where in a work: one or more parts separated by "; ", each in a reader's terms ("Figure 5", "footnote 12",
#: "section 'Critical mass of core companies'", "p. 7"). A part may start with "<source id>: " to name the
#: work it is in, which rows citing several sources need. Our file numbers of the documents never appear.
_PART = (r"(?:[a-z0-9]+(?:-[a-z0-9]+)*: )?(?:(?:Figures?|Tables?|footnotes?|note to Figure|sections?|introduction|summary|"
         r"conclusion|abstract|list)\b|pp?\. )[^;]*")
LOCATOR = rf"^{_PART}(?:; {_PART})*$"

#: What a reference is (references.csv: type), as the reference list says it.
REFERENCE_TYPES = {"article": "Journal article", "paper": "Conference or journal paper", "book": "Book", "report": "Report",
                   "working-paper": "Working paper", "preprint": "Preprint", "web-page": "Web page", "dataset": "Dataset",
                   "unknown": "Type not known"}
#: Where the details of a reference come from (references.csv: basis).
REFERENCE_BASIS = {
    "source": "one of the source documents the data is read from",
    "data": "map data or a compilation of the editors",
    "record": "a work the sources cite, matched by us to its published record",
    "as-cited": "a work the sources cite, known only from the citation",
}

SHORT = 300  # names, labels, titles
LONG = 2000  # notes, definitions, evidence
COMPONENT = ("Pilot component (a cluster id with kind pilot_component) that the fact is about, when the source "
             "describes one part of a merged pilot rather than the pilot as a whole.")


def _text(description: str, *, nullable: bool = False, max_len: int = SHORT, **kw) -> object:
    return pa.Field(
        nullable=nullable,
        str_length={"max_value": max_len},
        description=description,
        **kw,
    )


class _Strict:
    strict = "filter"  # unknown columns are reported by analysis.data, not dropped silently
    coerce = True


class References(pa.DataFrameModel):
    id: Series[str] = _text("Reference id: the source id for the source documents and data, else author and year (slug).", unique=True, str_matches=SLUG)
    short_name: Series[str] = _text("How the work is named in a citation, e.g. 'Lindqvist et al. (2013)'.")
    type: Series[str] = _text("What the work is.", isin=list(REFERENCE_TYPES))
    authors: Series[str] = _text("Authors as 'Surname I.', separated by ', ', an organisation, or 'Unknown'.")
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100, description="Year of publication; empty when the work gives none.")
    circa: Series[bool] = pa.Field(description="True when the year is our estimate, not printed in the work.")
    title: Series[str] = _text("Title as printed; empty when the available text prints none or the citing work gives none.", nullable=True, max_len=LONG)
    description: Series[str] = _text("What the work is about, in our words; required when the title is empty.", nullable=True, max_len=LONG)
    container: Series[str] = _text("Journal, series or website the work appeared in.", nullable=True)
    volume: Series[str] = _text("Volume of the journal or series.", nullable=True, max_len=20)
    issue: Series[str] = _text("Issue or number in the series.", nullable=True, max_len=40)
    pages: Series[str] = _text("Page range in the journal, e.g. '32–55'.", nullable=True, max_len=20)
    publisher: Series[str] = _text("Publisher and place.", nullable=True)
    doi: Series[str] = _text("DOI, without the resolver prefix.", nullable=True, str_matches=r"^10\.\d{4,9}/\S+$")
    url: Series[str] = _text("Address of the work (the DOI's address when there is a DOI).", nullable=True, str_matches=r"^https?://")
    licence: Series[str] = _text("Licence of the work, where known.", nullable=True)
    basis: Series[str] = _text("Where the entry's details come from: " + "; ".join(f"{k}, {v}" for k, v in REFERENCE_BASIS.items()) + ".",
                               isin=list(REFERENCE_BASIS))
    cited_in: Series[str] = _text("For a work the sources cite: the ids of the source documents that cite it, separated by ';'.", nullable=True, str_matches=SOURCE_LIST)
    note: Series[str] = _text("Remarks for readers: what is not known, or how the entry was identified.", nullable=True, max_len=LONG)

    class Config(_Strict):
        pass


class Sources(pa.DataFrameModel):
    id: Series[str] = _text("Source id, cited by every other file.", unique=True, str_matches=SLUG)
    short_name: Series[str] = _text("Short name used in source notes under charts.")
    authors: Series[str] = _text("Authors, or 'Unknown' for unidentified documents.")
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100, description="Year of publication (approximate for unidentified documents).")
    title: Series[str] = _text("Title, or a description for unidentified documents.", max_len=LONG)
    venue: Series[str] = _text("Journal, series or publisher.", nullable=True)
    doi: Series[str] = _text("DOI, without the resolver prefix.", nullable=True)
    url: Series[str] = _text("Permanent URL.", nullable=True, str_matches=r"^https?://")
    licence: Series[str] = _text("Licence of the document.", nullable=True)
    identified: Series[bool] = pa.Field(description="False when title and authors are unknown; cite by description.")
    seed_file: Series[str] = _text("File name of the source's text in the folder of source documents.", nullable=True)
    note: Series[str] = _text("Remarks on the source.", nullable=True, max_len=LONG)

    class Config(_Strict):
        pass


class Clusters(pa.DataFrameModel):
    id: Series[str] = _text("Cluster id (slug), used in URLs and never reused.", unique=True, str_matches=SLUG)
    name: Series[str] = _text("Cluster name in English.")
    short_name: Series[str] = _text("Short name for charts and lists.", max_len=40)
    kind: Series[str] = _text("pilot, pilot_component, russian_other or foreign (vocabularies.yml: cluster_kind).")
    entity_type: Series[str] = _text("What the cluster is: initiative, regional_industry, park, association or special_economic_zone.")
    country: Series[str] = _text("ISO 3166-1 alpha-2 country code.", str_matches=r"^[A-Z]{2}$")
    region: Series[str] = _text("Region (federal subject, state or province).", nullable=True)
    city: Series[str] = _text("Main city or cities.", nullable=True)
    location_confidence: Series[str] = _text("Confidence of region and city: S, P or M.", nullable=True)
    industry_group: Series[str] = _text("Industry group (vocabularies.yml: industry_group).")
    industry_group_confidence: Series[str] = _text("Confidence of the industry group: S, P or M.")
    support_group: Series[pd.Int64Dtype] = pa.Field(nullable=True, isin=[1, 2], description="Programme support group of a pilot cluster: 1 (subsidies from 2013) or 2 (from 2014).")
    support_group_confidence: Series[str] = _text("Confidence of the support group: S, P or M.", nullable=True)
    founded: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1800, le=2100, description="Year the cluster, park or industry was founded.")
    closed_city: Series[bool] = pa.Field(description="The cluster sits in a closed administrative territorial formation (ZATO).")
    single_industry_city: Series[bool] = pa.Field(description="The cluster sits in a single-specialism city.")
    merged_into: Series[str] = _text("Id of the cluster this one merged into; a pilot component names its pilot.", nullable=True, str_matches=SLUG)
    confidence: Series[str] = _text("Confidence that the cluster and its name are right: S, P or M.")
    sources: Series[str] = _text("Source ids, separated by ';'.", str_matches=SOURCE_LIST)
    locator: Series[str] = _text("Where in the sources the facts are.", max_len=LONG)
    note: Series[str] = _text("Remarks.", nullable=True, max_len=LONG)
    name_ru: Series[str] = _text("Cluster name in Russian, as the Russian edition shows it.", nullable=True)
    short_name_ru: Series[str] = _text("Short name in Russian, for charts and lists.", nullable=True, max_len=40)
    region_ru: Series[str] = _text("Region in Russian.", nullable=True)
    city_ru: Series[str] = _text("Main city or cities in Russian.", nullable=True)
    name_ru_confidence: Series[str] = _text("Confidence of the Russian name: S, P or M.", nullable=True, isin=["S", "P", "M"])
    name_ru_note: Series[str] = _text("Where the Russian name comes from, when it needs saying.", nullable=True, max_len=LONG)

    class Config(_Strict):
        pass


class Groups(pa.DataFrameModel):
    id: Series[str] = _text("Group id (slug).", unique=True, str_matches=SLUG)
    label: Series[str] = _text("Name of the group.")
    kind: Series[str] = _text("programme, population, survey, country or company.", isin=["programme", "population", "survey", "country", "company"])
    description: Series[str] = _text("What the group covers.", max_len=LONG)
    note: Series[str] = _text("Remarks.", nullable=True, max_len=LONG)

    class Config(_Strict):
        pass


class Indicators(pa.DataFrameModel):
    id: Series[str] = _text("Indicator id (snake_case).", unique=True, str_matches=SNAKE)
    label: Series[str] = _text("Label shown to readers.")
    unit: Series[str] = _text("Unit id (vocabularies.yml: units).")
    group: Series[str] = _text("Topic the indicator belongs to.", str_matches=SNAKE)
    direction: Series[str] = _text("higher_better, lower_better or neutral.")
    definition: Series[str] = _text("What is counted.", max_len=LONG)
    note: Series[str] = _text("Remarks, e.g. what it must not be compared with.", nullable=True, max_len=LONG)

    class Config(_Strict):
        pass


class _Provenance(pa.DataFrameModel):
    source: Series[str] = _text("Source id.", str_matches=SLUG)
    locator: Series[str] = _text("Document number and figure, table, footnote or section.", str_matches=LOCATOR, max_len=LONG)
    quality: Series[str] = _text("reported, derived, estimate or ambiguous.")
    note: Series[str] = _text("Remarks; required when quality is derived or ambiguous.", nullable=True, max_len=LONG)


class Observations(_Provenance):
    entity: Series[str] = _text("Cluster id or group id.", str_matches=SLUG)
    indicator: Series[str] = _text("Indicator id.", str_matches=SNAKE)
    breakdown: Series[str] = _text("Product, field or sub-group the value refers to, when an entity has several values of one indicator for the same year.", nullable=True, str_matches=TERM)
    value: Series[float] = pa.Field(nullable=True, description="The figure; empty when the source gives none that can be read.")
    value_high: Series[float] = pa.Field(nullable=True, description="Upper end when the source gives a range.")
    unit: Series[str] = _text("Unit id (vocabularies.yml: units).")
    qualifier: Series[str] = _text("exact, about, more_than, less_than, at_least or at_most.")
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100, description="Reference year of the value.")
    scope: Series[str] = _text("What is measured: initiative, regional_industry, programme, survey, country or company.")
    cited_work: Series[str] = _text("The citation as the source prints it (authors, year, pages).", nullable=True)
    cites: Series[str] = _text("Ids in references.csv of the works the source cites for the value, separated by ';', in the order of cited_work.", nullable=True, str_matches=SOURCE_LIST)
    component: Series[str] = _text(COMPONENT, nullable=True, str_matches=SLUG)

    class Config(_Strict):
        pass


class Benchmarks(_Provenance):
    id: Series[str] = _text("Benchmark id (slug).", unique=True, str_matches=SLUG)
    indicator: Series[str] = _text("Indicator the benchmark applies to.", str_matches=SNAKE)
    label: Series[str] = _text("Label shown to readers.")
    comparator: Series[str] = _text("How to read the value: range, at_least, more_than, average.", isin=["range", "at_least", "more_than", "less_than", "average"])
    value: Series[float] = pa.Field(description="Reference value (lower end of a range).")
    value_high: Series[float] = pa.Field(nullable=True, description="Upper end of a range.")
    unit: Series[str] = _text("Unit id.")
    applies_to: Series[str] = _text("Scope the benchmark applies to.")
    cited_work: Series[str] = _text("The citation as the source prints it (authors, year, pages).", nullable=True)
    cites: Series[str] = _text("Ids in references.csv of the works the source cites for the value, separated by ';', in the order of cited_work.", nullable=True, str_matches=SOURCE_LIST)
    caveat: Series[str] = _text("A warning readers must see wherever the benchmark is shown, e.g. a figure in the same source that does not fit it.", nullable=True, max_len=LONG)

    class Config(_Strict):
        pass


class CountryClusterCounts(_Provenance):
    country: Series[str] = _text("ISO 3166-1 alpha-2 code.", str_matches=r"^[A-Z]{2}$")
    country_name: Series[str] = _text("Country name.")
    clusters: Series[float] = pa.Field(ge=0, description="Number of clusters.")
    qualifier: Series[str] = _text("exact, about, more_than...")
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100, description="Reference year.")
    cited_work: Series[str] = _text("The citation as the source prints it (authors, year, pages).", nullable=True)
    cites: Series[str] = _text("Ids in references.csv of the works the source cites for the value, separated by ';', in the order of cited_work.", nullable=True, str_matches=SOURCE_LIST)

    class Config(_Strict):
        pass


class Distributions(_Provenance):
    distribution: Series[str] = _text("Distribution id (distributions.yml).", str_matches=SLUG)
    population: Series[str] = _text("Group or cluster the distribution describes.", str_matches=SLUG)
    category: Series[str] = _text("Category id within the distribution.", str_matches=TERM)
    label: Series[str] = _text("Category label shown to readers.")
    value: Series[float] = pa.Field(nullable=True, ge=0, description="Share or count; empty when it cannot be read.")
    unit: Series[str] = _text("Unit id.")
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1900, le=2100, description="Reference year.")
    cited_work: Series[str] = _text("The citation as the source prints it (authors, year, pages).", nullable=True)
    cites: Series[str] = _text("Ids in references.csv of the works the source cites for the value, separated by ';', in the order of cited_work.", nullable=True, str_matches=SOURCE_LIST)
    order: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Display order within the distribution.")

    class Config(_Strict):
        pass


class PolicyTimeline(_Provenance):
    id: Series[str] = _text("Event id (slug).", unique=True, str_matches=SLUG)
    date: Series[str] = _text("ISO date (YYYY-MM-DD); the first day of the month or year when less precise.", str_matches=r"^\d{4}-\d{2}-\d{2}$")
    date_precision: Series[str] = _text(
        "day, month or year as the source gives it; circa when the source says only 'now' and the year is its own approximate date of writing.",
        isin=["day", "month", "year", "circa"])
    kind: Series[str] = _text("law, government_order, resolution, decree, programme, study or milestone.", isin=["law", "government_order", "resolution", "decree", "programme", "study", "milestone"])
    title: Series[str] = _text("Title of the act or event.")
    number: Series[str] = _text("Official number of the act.", nullable=True)
    description: Series[str] = _text("What it did, in our words.", max_len=LONG)

    class Config(_Strict):
        pass


class Assessments(pa.DataFrameModel):
    cluster: Series[str] = _text("Pilot cluster id.", str_matches=SLUG)
    sign: Series[str] = _text("Sign id (signs.yml).", str_matches=SLUG)
    status: Series[str] = _text("meets, partly, fails or unknown.")
    evidence: Series[str] = _text("What the source shows, in our words.", nullable=True, max_len=LONG)
    source: Series[str] = _text("Source id of the evidence.", nullable=True, str_matches=SLUG)
    locator: Series[str] = _text("Where the evidence is.", nullable=True, str_matches=LOCATOR, max_len=LONG)
    basis: Series[str] = _text("stated (the cluster is named) or inferred (from a statement about a named group).", nullable=True)
    component: Series[str] = _text(COMPONENT, nullable=True, str_matches=SLUG)
    note: Series[str] = _text("Remarks.", nullable=True, max_len=LONG)

    class Config(_Strict):
        unique = ["cluster", "sign"]


class ClusterAttributes(pa.DataFrameModel):
    entity: Series[str] = _text("Cluster id.", str_matches=SLUG)
    attribute: Series[str] = _text("Attribute id (vocabularies.yml: attributes).", str_matches=SNAKE)
    value: Series[str] = _text("Attribute value.")
    source: Series[str] = _text("Source id.", str_matches=SLUG)
    locator: Series[str] = _text("Where in the source.", str_matches=LOCATOR, max_len=LONG)
    quality: Series[str] = _text("reported, derived, estimate or ambiguous.")
    component: Series[str] = _text(COMPONENT, nullable=True, str_matches=SLUG)
    note: Series[str] = _text("Remarks.", nullable=True, max_len=LONG)

    class Config(_Strict):
        unique = ["entity", "attribute"]


class Factors(pa.DataFrameModel):
    code: Series[str] = _text("Factor code (slug), shared by foreign and Russian preconditions.", unique=True, str_matches=SLUG)
    label: Series[str] = _text("Label shown to readers.")
    description: Series[str] = _text("What the factor means.", max_len=LONG)

    class Config(_Strict):
        pass


class Preconditions(pa.DataFrameModel):
    side: Series[str] = _text("foreign (subject is a country code) or russian (subject is a cluster id).", isin=["foreign", "russian"])
    subject: Series[str] = _text("Country code or cluster id.")
    factor: Series[str] = _text("Factor code.", str_matches=SLUG)
    item: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Position of the bullet in the source table.")
    source: Series[str] = _text("Source id.", str_matches=SLUG)
    locator: Series[str] = _text("Where in the source.", str_matches=LOCATOR)
    note: Series[str] = _text("Our paraphrase of the bullet, or remarks.", nullable=True, max_len=LONG)

    class Config(_Strict):
        unique = ["side", "subject", "item"]


class FactorLists(pa.DataFrameModel):
    list: Series[str] = _text("List id.", str_matches=SLUG)
    item: Series[pd.Int64Dtype] = pa.Field(ge=1, description="Number of the item in the source's list.")
    factor: Series[str] = _text("Factor code.", str_matches=SLUG)
    label: Series[str] = _text("Our paraphrase of the item.", max_len=LONG)
    source: Series[str] = _text("Source id.", str_matches=SLUG)
    locator: Series[str] = _text("Where in the source.", str_matches=LOCATOR)

    class Config(_Strict):
        unique = ["list", "item"]


class Stakeholders(pa.DataFrameModel):
    stakeholder: Series[str] = _text("Stakeholder id.", str_matches=SLUG)
    interest: Series[str] = _text("Our paraphrase of one interest.", max_len=LONG)
    factor: Series[str] = _text("Related factor code.", nullable=True, str_matches=SLUG)
    source: Series[str] = _text("Source id.", str_matches=SLUG)
    locator: Series[str] = _text("Where in the source.", str_matches=LOCATOR)

    class Config(_Strict):
        pass


class ClusterLocations(pa.DataFrameModel):
    cluster: Series[str] = _text("Cluster id.", unique=True, str_matches=SLUG)
    place: Series[str] = _text("Place the point stands for.")
    lat: Series[float] = pa.Field(ge=-90, le=90, description="Latitude in decimal degrees (WGS 84).")
    lon: Series[float] = pa.Field(ge=-180, le=180, description="Longitude in decimal degrees (WGS 84).")
    source: Series[str] = _text("Source id.", str_matches=SLUG)
    confidence: Series[str] = _text("Confidence: S, P or M.")
    note: Series[str] = _text("Remarks.", nullable=True, max_len=LONG)

    class Config(_Strict):
        pass


class ClusterFields(pa.DataFrameModel):
    cluster: Series[str] = _text("Pilot cluster id.", str_matches=SLUG)
    field: Series[str] = _text("Field of the global distribution (a category of world-clusters-by-field).", str_matches=TERM)
    basis: Series[str] = _text(
        "What the mapping rests on: name (the cluster's name states the field), description (a source describes the "
        "cluster's activity) or general_knowledge (neither; confidence M).",
        isin=["name", "description", "general_knowledge"])
    note: Series[str] = _text("Remarks.", nullable=True, max_len=LONG)

    class Config(_Strict):
        unique = ["cluster", "field"]


class CategoryMaps(pa.DataFrameModel):
    map: Series[str] = _text("Mapping id.", str_matches=SLUG)
    source_distribution: Series[str] = _text("Distribution whose categories are mapped.", str_matches=SLUG)
    category: Series[str] = _text("Category of that distribution.", str_matches=TERM)
    comparable: Series[str] = _text("Shared category both sides are mapped onto.", str_matches=TERM)
    note: Series[str] = _text("Why the category maps there.", nullable=True, max_len=LONG)

    class Config(_Strict):
        unique = ["map", "source_distribution", "category"]


# --- YAML files ------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Vocabularies(_Model):
    """Controlled terms: each section maps a term to its meaning."""

    quality: dict[str, str]
    confidence: dict[str, str]
    qualifier: dict[str, str]
    scope: dict[str, str]
    cluster_kind: dict[str, str]
    entity_type: dict[str, str]
    industry_group: dict[str, str]
    status: dict[str, str]
    basis: dict[str, str]
    direction: dict[str, str]
    units: dict[str, str]
    attributes: dict[str, str]


class Sign(_Model):
    id: str = Field(pattern=SLUG)
    label: str = Field(max_length=SHORT)
    definition: str = Field(max_length=LONG)
    locator: str = Field(pattern=LOCATOR)


class SignGroup(_Model):
    id: str = Field(pattern=SLUG)
    label: str = Field(max_length=SHORT)
    signs: list[Sign] = Field(min_length=1)


class SignModel(_Model):
    source: str = Field(pattern=SLUG)
    locator: str
    groups: list[SignGroup] = Field(min_length=1)


#: What the values of a distribution measure. Distributions with different measures are never one quantity.
MEASURES = {
    "share_of_respondents": "share of the organisations that answered, by answer (not a share of money)",
    "share_of_organisations": "share of organisations, by category",
    "share_of_budget": "share of the budget, by source of money",
    "share_of_seats": "share of board seats, by kind of member",
    "count_of_clusters": "number of clusters, by category",
    "count_of_opinions": "number of interviewees naming each category",
    "average_per_cluster": "average per cluster, by category",
    "seats": "number of seats, by member group",
}


class DistributionMeta(_Model):
    title: str = Field(max_length=SHORT)
    unit: str
    measure: Literal[tuple(MEASURES)]  # type: ignore[valid-type]
    population: str = Field(pattern=SLUG)
    sums_to: Optional[float] = None
    sample_size: Optional[int] = Field(default=None, ge=1)
    sample_size_quality: Optional[Literal["reported", "derived", "estimate", "ambiguous"]] = None
    sample_size_note: Optional[str] = Field(default=None, max_length=LONG)
    source: str = Field(pattern=SLUG)
    locator: str = Field(pattern=LOCATOR)
    description: str = Field(max_length=LONG)

    @model_validator(mode="after")
    def _sample_size_has_provenance(self) -> "DistributionMeta":
        if self.sample_size is not None and self.sample_size_quality is None:
            raise ValueError("give sample_size_quality with sample_size")
        if self.sample_size_quality in ("derived", "ambiguous") and not self.sample_size_note:
            raise ValueError(f"a '{self.sample_size_quality}' sample_size needs a sample_size_note saying how it was found")
        return self


class SpendingArea(_Model):
    id: str = Field(pattern=SLUG)
    label: str = Field(max_length=SHORT)
    uptake: Optional[Literal["main_use", "unclaimed"]] = None


class CentreRegion(_Model):
    region: str = Field(max_length=SHORT)
    type: Literal["federal city", "oblast", "republic", "krai", "autonomous okrug"]


class PolicyApproach(_Model):
    element: str = Field(max_length=SHORT)
    eu: str = Field(max_length=LONG)
    east_asia: str = Field(max_length=LONG)


class _ListBlock(_Model):
    source: str = Field(pattern=SLUG)
    locator: str = Field(pattern=LOCATOR)
    note: str = Field(max_length=LONG)


class Uptake(_Model):
    """Which spending areas a later source finds used most, or not at all."""

    source: str = Field(pattern=SLUG)
    locator: str = Field(pattern=LOCATOR)
    note: str = Field(max_length=LONG)


class SpendingAreas(_ListBlock):
    uptake: Optional[Uptake] = None
    items: list[SpendingArea] = Field(min_length=1)


class FundingRule(_Model):
    id: str = Field(pattern=SLUG)
    rule: str = Field(max_length=LONG)


class FundingRules(_ListBlock):
    items: list[FundingRule] = Field(min_length=1)


class CentreRegions(_ListBlock):
    items: list[CentreRegion] = Field(min_length=1)


class PolicyApproaches(_ListBlock):
    items: list[PolicyApproach] = Field(min_length=1)


class Programme(_Model):
    spending_areas: SpendingAreas
    funding_rules: Optional[FundingRules] = None
    development_centre_regions: CentreRegions
    policy_approaches: PolicyApproaches


class EvidenceRef(_Model):
    """A figure shown as evidence: an observation, a benchmark or a whole distribution."""

    entity: Optional[str] = Field(default=None, pattern=SLUG)
    indicator: Optional[str] = Field(default=None, pattern=SNAKE)
    year: Optional[int] = None
    benchmark: Optional[str] = Field(default=None, pattern=SLUG)
    distribution: Optional[str] = Field(default=None, pattern=SLUG)

    @model_validator(mode="after")
    def _one_kind(self) -> "EvidenceRef":
        kinds = [bool(self.entity or self.indicator), bool(self.benchmark), bool(self.distribution)]
        if sum(kinds) != 1:
            raise ValueError("give either entity and indicator, or benchmark, or distribution")
        if kinds[0] and not (self.entity and self.indicator):
            raise ValueError("an observation needs both entity and indicator")
        return self


class SourceRef(_Model):
    source: str = Field(pattern=SLUG)
    locator: str = Field(pattern=LOCATOR)


class Origin(_Model):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    cluster: Optional[str] = Field(default=None, pattern=SLUG)
    group: Optional[str] = Field(default=None, pattern=SLUG)
    label: str = Field(max_length=SHORT)


class PracticeFrontMatter(_Model):
    id: str = Field(pattern=r"^BP-\d{3}$")
    title: str = Field(min_length=5, max_length=SHORT)
    origin: Origin
    theme: str = Field(pattern=SLUG)
    level: Literal["cluster", "programme"]
    evidence: list[EvidenceRef] = Field(default_factory=list)
    sources: list[SourceRef] = Field(min_length=1)
    relevant_to: list[str] = Field(default_factory=list)
    status: Literal["active", "withdrawn"] = "active"
    withdrawn_in: Optional[str] = None

    @field_validator("relevant_to")
    @classmethod
    def _slugs(cls, value: list[str]) -> list[str]:
        import re

        bad = [v for v in value if not re.match(SLUG, v)]
        if bad:
            raise ValueError(f"not cluster ids: {', '.join(bad)}")
        return value


class Light(_Model):
    light: Literal["green", "amber", "red"]
    min_score: float = Field(ge=0, le=100)
    label: str = Field(max_length=SHORT)


class ScoreRule(_Model):
    over: Literal["known", "all"]  # divide by the signs with a known status, or by every sign
    rationale: str = Field(max_length=LONG)


class MinimumCoverage(_Model):
    # above 0, so a cluster without any evidence is never scored
    percent: float = Field(gt=0, le=100)
    label: str = Field(max_length=SHORT)
    rationale: str = Field(max_length=LONG)


class Ranking(_Model):
    ties: Literal["skip", "dense"]  # equal scores share a rank; the next rank skips (1, =2, =2, 4) or not (1, =2, =2, 3)


class Scorecard(_Model):
    source: str = Field(pattern=SLUG)
    locator: str = Field(pattern=LOCATOR)
    rationale: str = Field(max_length=LONG)
    points: dict[str, float]
    score: ScoreRule
    minimum_coverage: MinimumCoverage
    lights: list[Light] = Field(min_length=1)
    ranking: Ranking

    @field_validator("points")
    @classmethod
    def _scale(cls, value: dict[str, float]) -> dict[str, float]:
        if any(v < 0 for v in value.values()) or max(value.values(), default=0) <= 0:
            raise ValueError("give every status 0 points or more, and at least one status more than 0")
        return value

    @field_validator("lights")
    @classmethod
    def _descending(cls, value: list[Light]) -> list[Light]:
        mins = [light.min_score for light in value]
        if mins != sorted(mins, reverse=True) or mins[-1] != 0:
            raise ValueError("list lights from the highest min_score down to a last one at 0")
        return value


class CountryClusterTypes(_Model):
    """The kinds of cluster a source calls most frequent or most significant in one country."""

    country: str = Field(pattern=r"^[A-Z]{2}$")
    types: list[str] = Field(min_length=1)
    cited_work: Optional[str] = Field(default=None, max_length=SHORT)
    cites: Optional[str] = Field(default=None, pattern=SOURCE_LIST)


class CountryTypesBlock(_ListBlock):
    items: list[CountryClusterTypes] = Field(min_length=1)


class Specialisation(_Model):
    source: str = Field(pattern=SLUG)
    locator: str = Field(pattern=LOCATOR)
    note: str = Field(max_length=LONG)
    reserve_fields: list[str] = Field(min_length=1)
    country_cluster_types: Optional[CountryTypesBlock] = None


class Edition(_Model):
    edition: str = Field(pattern=r"^\d{4}\.\d+$")
    date: dt.date
    summary: str = Field(max_length=SHORT)
    # The summary in Russian, for the Russian edition (`release --summary-ru`); optional.
    summary_ru: str | None = Field(default=None, max_length=SHORT)
    data_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    commit: str = Field(pattern=r"^[0-9a-f]{7,40}$")
    # Added once the edition's PDFs are deposited and a DOI minted, e.g. 10.5281/zenodo.1234567.
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")


class Editions(_Model):
    editions: list[Edition] = Field(default_factory=list)


class Glossary(pa.DataFrameModel):
    english: Series[str] = _text("The English term.", unique=True)
    russian: Series[str] = _text("The one Russian term the Russian edition uses for it.")
    match: Series[str] = _text("A regular expression matching the Russian term's inflected forms.")
    avoid: Series[str] = _text("A regular expression of Russian renderings never to use.", nullable=True)
    note: Series[str] = _text("What the term means here.", nullable=True, max_len=LONG)

    class Config(_Strict):
        pass


class Translations(pa.DataFrameModel):
    file: Series[str] = _text("The data file the English text is in ('observations' for any file under observations/).")
    field: Series[str] = _text("Its column, or for a YAML file the dotted path of its key; '.term' ends a vocabulary term's word.")
    en: Series[str] = _text("The English text, exactly as in that file: the key the Russian edition looks it up by.", max_len=LONG)
    ru: Series[str] = _text("The Russian text; a unit gives its forms after 1, 2-4 and 5 separated by '|'.", max_len=LONG)

    class Config(_Strict):
        pass


# --- registry --------------------------------------------------------------------------

#: CSV tables: file name (relative to data/) -> (schema, title, description).
TABLES: dict[str, tuple[type[pa.DataFrameModel], str, str]] = {
    "references.csv": (References, "References", "Every work the report cites: the source documents, the data, and the works the sources cite for the values quoted."),
    "sources.csv": (Sources, "Sources", "The source documents, with full citations."),
    "clusters.csv": (Clusters, "Clusters", "Russian pilot clusters, other Russian clusters and foreign clusters, with the confidence of each fact."),
    "groups.csv": (Groups, "Groups", "Aggregate entities that observations describe: programmes, populations, surveys."),
    "indicators.csv": (Indicators, "Indicators", "What each indicator measures, its unit and direction."),
    "benchmarks.csv": (Benchmarks, "Benchmarks", "International reference values with their sources."),
    "country_cluster_counts.csv": (CountryClusterCounts, "Clusters by country", "Number of clusters per country."),
    "distributions.csv": (Distributions, "Distributions", "Shares and counts by category, Russia and the world."),
    "policy_timeline.csv": (PolicyTimeline, "Policy timeline", "Laws, orders, programmes and milestones of Russian cluster policy."),
    "assessments.csv": (Assessments, "Assessments", "Each pilot cluster against each sign of sustainable development."),
    "cluster_attributes.csv": (ClusterAttributes, "Cluster attributes", "Categorical facts about clusters."),
    "factors.csv": (Factors, "Success factors", "Shared factor codes for foreign and Russian preconditions."),
    "preconditions.csv": (Preconditions, "Preconditions", "Preconditions of cluster success by country and by Russian cluster."),
    "factor_lists.csv": (FactorLists, "Factor lists", "Numbered lists of success factors and characteristics."),
    "stakeholders.csv": (Stakeholders, "Stakeholder interests", "Interests of stakeholder groups in cluster development."),
    "cluster_locations.csv": (ClusterLocations, "Cluster locations", "Approximate coordinates of each cluster, for the map."),
    "cluster_fields.csv": (ClusterFields, "Pilot clusters by global field", "Our mapping of each pilot cluster onto the fields of the global cluster distribution."),
    "category_maps.csv": (CategoryMaps, "Category mappings", "How the categories of Russian and world distributions map onto shared categories for comparison."),
    "glossary.csv": (Glossary, "Glossary", "The Russian term for each term of the field, used throughout the Russian edition."),
}

#: The Russian edition's texts: files of one table, each keyed by the English text it translates.
TRANSLATIONS_DIR = "ru"
TRANSLATIONS = (Translations, "Russian texts", "Russian labels, notes and evidence for the Russian edition, by the English text they translate.")

#: Observations are one table stored as one file per source document.
OBSERVATIONS_DIR = "observations"
OBSERVATIONS = (Observations, "Observations", "Every figure about a cluster or group, in long format.")

#: YAML files: file name -> pydantic model.
YAML_FILES: dict[str, type[BaseModel]] = {
    "vocabularies.yml": Vocabularies,
    "signs.yml": SignModel,
    "programme.yml": Programme,
    "scorecard.yml": Scorecard,
    "specialisation.yml": Specialisation,
}
