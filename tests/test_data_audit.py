"""What the data audit of the five sources settled: labels, locators, components, verdicts and new facts.

Each test checks a rule the data must keep, not a copy of a value: the validator refuses blank required
fields, dates carry their precision, facts about one part of a merged pilot name that part, verdicts
stay within what the evidence supports, and a status change reaches the data changelog.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import read_rows as _rows
from conftest import write_rows as _write

from analysis import data, indicators
from analysis.charts import export, figures
from analysis.data import load, schemas
from clusterbench.editions import changelog

ROOT = Path(__file__).resolve().parents[1]




def _explain(problems) -> str:
    return "\n".join(map(str, problems))


@pytest.fixture(scope="module")
def ds():
    return load()


# --- required fields -------------------------------------------------------------------


def test_a_blank_benchmark_indicator_is_refused(data_copy):
    path = data_copy / "benchmarks.csv"
    header, rows = _rows(path)
    line = next(n for n, r in enumerate(rows, 2) if r["id"] == "relative-size-support")
    rows[line - 2]["indicator"] = "   "  # only spaces is as blank as nothing
    _write(path, header, rows)
    problems = data.validate(data_copy)
    assert any(p.file == "benchmarks.csv" and p.row == str(line) and p.field == "indicator" and "required value is missing" in p.message
               for p in problems), _explain(problems)


def test_a_blank_required_number_is_reported_without_a_traceback(data_copy):
    path = data_copy / "distributions.csv"
    header, rows = _rows(path)
    rows[0]["order"] = ""
    _write(path, header, rows)
    result = subprocess.run([sys.executable, "-m", "clusterbench.cli", "validate", "--data", str(data_copy)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr, result.stderr
    assert "distributions.csv:2:order: required value is missing" in result.stdout.splitlines()


def test_every_required_column_of_every_table_refuses_a_blank(data_copy):
    """Blank every required cell of the first row of each table at once; each blank is reported where it is.

    A row left wholly empty is skipped as a blank line, so a cell stays filled: an optional one where the
    table has one, else the last required one.
    """
    tables = {rel: model for rel, (model, _, _) in schemas.TABLES.items()}
    tables["observations/kutsenko-2015.csv"] = schemas.OBSERVATIONS[0]
    blanked = []
    for rel, model in tables.items():
        path = data_copy / rel
        header, rows = _rows(path)
        columns = model.to_schema().columns
        required = [name for name, col in columns.items() if not col.nullable and name in header]
        optional = [name for name in header if columns[name].nullable]
        if optional:
            rows[0][optional[0]] = rows[0][optional[0]] or "kept"
        else:
            required = required[:-1]
        for name in required:
            rows[0][name] = ""
            blanked.append((rel, name))
        _write(path, header, rows)
    problems = data.validate(data_copy)
    reported = {(p.file, p.field) for p in problems if p.row == "2"}
    missing = [b for b in blanked if b not in reported]
    assert not missing, f"blank required cells not reported: {missing}\n{_explain(problems)}"


# --- locators, qualifiers and quality --------------------------------------------------


def test_almost_is_recorded_as_just_under_not_about(ds):
    obs = ds.observations
    almost = obs[obs["note"].fillna("").str.contains(r"source says[^.]*\balmost\b")]
    assert len(almost) >= 5
    assert (almost["qualifier"] == "less_than").all(), almost[["entity", "indicator", "qualifier"]]


def test_the_anna_karenina_passages_are_not_located_in_the_conclusion(ds):
    """The small-cluster list, the dual rule and the titanium cluster sit in the section before the conclusion."""
    located = pd.concat([
        ds.observations[["locator"]], ds["assessments"][["locator"]], ds["cluster_attributes"][["locator"]],
        ds["clusters"][["locator"]], ds["policy_timeline"][["locator"]],
    ]).dropna()
    assert not located["locator"].str.contains("conclusion").any()
    small = ds.observations.query("indicator == 'participants' and qualifier == 'less_than' and value == 20")
    assert len(small) == 5 and small["locator"].str.contains("The Anna Karenina Principle").all()


def test_a_report_without_a_year_has_none_in_the_data(ds):
    ipp = ds.observations[ds.observations["source"] == "ipp-russia"]
    assert ipp["year"].isna().all()


def test_figure_5_values_whose_nesting_is_lost_are_ambiguous(ds):
    fig5 = ds["distributions"].query("distribution == 'ru-governance-mechanisms'").set_index("category")
    for category in ("general-meeting-decides", "state-appoints-director"):
        assert fig5.loc[category, "quality"] == "ambiguous"
        assert "Of which" in fig5.loc[category, "note"]


def test_first_assessment_is_not_a_support_period(ds):
    b = ds["benchmarks"].set_index("id")
    assert b.loc["first-assessment-delay", "indicator"] != b.loc["specialist-org-support-initial", "indicator"]
    assert b["indicator"].notna().all()


# --- dates -----------------------------------------------------------------------------


def test_every_date_carries_a_precision_that_fits_it(ds):
    t = ds["policy_timeline"]
    assert t["date_precision"].isin(["day", "month", "year", "circa"]).all()
    coarse = t[t["date_precision"].isin(["year", "circa"])]
    assert coarse["date"].str.endswith("-01-01").all(), coarse[["id", "date"]]
    monthly = t[t["date_precision"] == "month"]
    assert monthly["date"].str.endswith("-01").all()


def test_a_date_the_source_gives_vaguely_is_not_made_precise(ds):
    t = ds["policy_timeline"].set_index("id")
    assert t.loc["pilot-survey-2013", "date_precision"] == "year"  # "the end of 2013" names no month
    assert t.loc["priority-clusters-11", "date_precision"] == "circa"  # "nowadays" is the time of writing
    events = indicators.policy_timeline(ds).set_index("id")
    assert events.loc["priority-clusters-11", "when"] == "c. 2021"


def test_the_timeline_draws_imprecise_dates_as_periods(ds):
    spec = export.spec(figures.build(ds, "policy-timeline"))
    layers = spec["vconcat"][0]["layer"]
    filters = [t["filter"] for layer in layers for t in layer.get("transform", []) if "filter" in t]
    assert any("date_precision" in str(f) and "!==" in str(f) for f in filters)  # bars for month, year, circa
    span = next(layer for layer in layers if layer.get("mark", {}).get("type") == "bar")
    assert span["encoding"]["x2"]["field"] == "end"
    assert any(tip["field"] == "precision_text" for tip in span["encoding"]["tooltip"])


# --- merged pilots and their parts -----------------------------------------------------


def test_the_tomsk_it_cluster_is_part_of_its_pilot_and_the_pilots_stay_25(ds):
    clusters = ds["clusters"].set_index("id")
    assert clusters.loc["tomsk-it", "kind"] == "pilot_component"
    assert clusters.loc["tomsk-it", "merged_into"] == "tomsk-pharma-it"
    assert (clusters["kind"] == "pilot").sum() == 25


def test_every_component_named_by_a_fact_belongs_to_that_facts_pilot(ds):
    merged = ds["clusters"].set_index("id")["merged_into"]
    kinds = ds["clusters"].set_index("id")["kind"]
    for frame, owner in ((ds.observations, "entity"), (ds["assessments"], "cluster"), (ds["cluster_attributes"], "entity")):
        named = frame[frame["component"].notna()]
        assert (named["component"].map(kinds) == "pilot_component").all()
        assert (named["component"].map(merged) == named[owner]).all()


def test_st_petersburg_figures_name_the_radiation_cluster_they_describe(ds):
    obs = ds.observations
    spb = obs[(obs["entity"] == "spb-pharma-radiation") & obs["indicator"].isin(["participants", "business_share"])]
    assert len(spb) == 2 and (spb["component"] == "spb-radiation").all()
    ass = ds["assessments"].query("cluster == 'spb-pharma-radiation' and status == 'fails'")
    assert (ass["component"] == "spb-radiation").all()


def test_a_component_of_another_pilot_is_refused(data_copy):
    path = data_copy / "assessments.csv"
    header, rows = _rows(path)
    line = next(n for n, r in enumerate(rows, 2) if r["cluster"] == "kama" and r["sign"] == "openness")
    rows[line - 2]["component"] = "tomsk-it"
    _write(path, header, rows)
    problems = data.validate(data_copy)
    assert any(p.file == "assessments.csv" and p.row == str(line) and p.field == "component" and "tomsk-pharma-it" in p.message
               for p in problems), _explain(problems)


# --- measures that must not be mixed ---------------------------------------------------


def test_funding_sides_carry_different_measures_and_are_drawn_on_separate_axes(ds):
    meta = ds.distribution_meta
    assert meta["ru-funding-sources"].measure != meta["world-funding-structure"].measure
    spec = export.spec(figures.build(ds, "funding-comparison"))
    panels = spec["vconcat"][0]["hconcat"]
    assert len(panels) == 2
    titles = {layer["encoding"]["x"]["title"] for p in panels for layer in p["layer"] if "title" in layer["encoding"].get("x", {})}
    assert len(titles) == 2


@pytest.mark.parametrize("distribution", ["ru-funding-sources", "ru-specialist-org-status"])
def test_a_derived_sample_size_fits_the_shares(ds, distribution):
    meta = ds.distribution_meta[distribution]
    assert meta.sample_size and meta.sample_size_quality == "derived" and meta.sample_size_note
    shares = indicators.distribution(ds, distribution)["value"]
    counts = shares * meta.sample_size / 100
    assert (counts - counts.round()).abs().max() < 0.1
    assert round(counts.sum()) == meta.sample_size


def test_the_state_share_floor_warns_that_the_same_survey_shows_less(ds):
    floor = ds["benchmarks"].set_index("id").loc["state-funding-share-floor"]
    world = indicators.distribution(ds, "world-funding-structure").set_index("category")["value"]
    public = world[["state-budget", "regional-local-budget", "international-budget"]].sum()
    assert public < floor["value"]
    assert f"{public:g}%" in floor["caveat"]
    assert indicators.value(ds, "greenbook-2012", "public_budget_share") == public


def test_chemical_association_counts_are_never_compared_with_initiatives(ds):
    obs = ds.observations
    counts = obs[obs["entity"].isin(["chemsite", "chemcologne"]) & (obs["indicator"] == "organisations")]
    assert len(counts) == 2 and (counts["scope"] == "regional_industry").all()


# --- cluster list ----------------------------------------------------------------------


def _sources_dir() -> Path:
    return Path(os.environ.get("CLUSTERBENCH_SOURCES") or ROOT.parent / "shared" / "seeds")


@pytest.mark.skipif(not _sources_dir().is_dir(), reason="the source documents are not beside this checkout; set CLUSTERBENCH_SOURCES")
def test_a_city_stated_in_a_source_is_named_in_one(ds):
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(_sources_dir().glob("*.txt")))
    pilots = ds["clusters"].query("kind == 'pilot' and location_confidence == 'S'")
    for _, c in pilots.iterrows():
        for city in str(c["city"]).split(" / "):
            assert city.replace("St ", "") in text, f"{c['id']}: {city} is marked stated but no source names it"


def test_fields_read_from_a_name_only_where_the_name_states_one(ds):
    fields = ds["cluster_fields"].set_index("cluster")["basis"]
    for cid in ("sarov", "dimitrovgrad-nuclear", "zheleznogorsk"):
        assert (fields.loc[[cid]] != "name").all(), cid


def test_phystech_is_university_initiated_as_the_text_says(ds):
    attrs = ds["cluster_attributes"].set_index(["entity", "attribute"])
    assert attrs.loc[("phystech-xxi", "initiator"), "value"] == "universities-research"


# --- verdicts --------------------------------------------------------------------------


def test_a_subsidy_not_requested_is_not_read_as_a_missing_organisation(ds):
    ass = ds["assessments"].set_index(["cluster", "sign"])
    for cid in ("dubna", "pushchino", "phystech-xxi"):
        assert ass.loc[(cid, "specialist-organisation"), "status"] != "fails", cid


def test_an_inferred_verdict_never_meets_a_sign_that_asks_for_independence(ds):
    ass = ds["assessments"]
    inferred = ass[(ass["sign"] == "specialist-organisation") & (ass["basis"] == "inferred")]
    assert len(inferred) and (inferred["status"] != "meets").all()
    assert ass.set_index(["cluster", "sign"]).loc[("zelenograd", "startup-belt"), "status"] == "partly"


def test_internal_competition_follows_the_sector_the_source_exempts(ds):
    ass = ds["assessments"].query("sign == 'internal-competition'").merge(
        ds["clusters"][["id", "industry_group"]], left_on="cluster", right_on="id")
    exempt = ass["industry_group"].isin(["ict_electronics", "pharma_biotech_medical"])
    assert not exempt[ass["status"] == "fails"].any()
    assert exempt[ass["status"] == "partly"].all()
    assert (ass.loc[ass["status"] != "unknown", "basis"] == "inferred").all()


def test_a_status_change_appears_in_the_data_changelog(data_copy):
    path = data_copy / "assessments.csv"
    header, rows = _rows(path)
    row = next(r for r in rows if r["cluster"] == "dubna" and r["sign"] == "specialist-organisation")
    was = row["status"]
    row["status"] = "meets"
    _write(path, header, rows)
    changes = changelog.diff(ROOT / "data", data_copy)
    lines = changes.lines["Other data"]
    assert any("Dubna" in line and "specialist-organisation" in line and f"status changed from {was} to meets" in line for line in lines), lines
    assert any(line.startswith("Dubna") and "score" in line for line in changes.lines["Scorecard and ranking"])


# --- facts recorded --------------------------------------------------------------------


def test_the_subsidy_rules_and_spending_uptake_are_recorded(ds):
    rules = ds.programme.funding_rules
    assert rules is not None and rules.locator == "footnote 11" and len(rules.items) == 2
    uptake = {a.id: a.uptake for a in ds.programme.spending_areas.items}
    assert uptake["investment-project-advice"] == "unclaimed"
    assert ds.programme.spending_areas.uptake.source == "anon-2021-investment"


def test_counts_read_from_lists_of_names_match_the_names(ds):
    """A count we made from a list the source gives must equal the number of names quoted in its note."""
    obs = ds.observations
    counted = obs[(obs["quality"] == "derived") & obs["note"].fillna("").str.match(r"Counted by us[^.]*:")]
    assert len(counted) >= 8
    for _, r in counted.iterrows():
        names = re.split(r"\.(?:\s|$)|, which", r["note"].split(":", 1)[1])[0]
        listed = [n for n in re.split(r",\s*(?:and\s+)?|\s+and\s+", names) if n.strip()]
        assert len(listed) == r["value"], (r["entity"], r["indicator"], listed)
