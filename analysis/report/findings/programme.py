"""What the programme chapter says: the 2012 selection, the support groups, the subsidies and what followed.

The home page and the pilot-clusters chapter quote the same facts, so they read them here too.
Years and counts are `int` (a year shows as 2012, never 2,012); amounts are formatted `str`;
the DataFrames are the chapter's tables, escaped when `ctx.table` shows them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from analysis import indicators as i
from analysis.data import Dataset
from analysis.text import num, say


@dataclass(frozen=True)
class Programme:
    selection_year: int
    applications: int
    selected: int
    support_years: int
    group1: int
    group1_year: int
    group1_subsidy_bn: str
    group2: int
    group2_year: int
    spending_areas: int
    spending_areas_chosen: int
    #: How many pilots the list later grew to (None when the sources do not say).
    later_count: int | None
    remaining: int
    remaining_year: int
    dev_centre_subsidy_mn: str
    dev_centre_regions: int
    dev_centre_oblasts: int
    dev_centre_republics: int
    #: Table 1 of Kutsenko (2015): the European and the East Asian approach, element by element.
    approaches: pd.DataFrame
    #: The areas first-group pilots could spend their federal subsidy on.
    spending_table: pd.DataFrame


def findings(ds: Dataset) -> Programme:
    facts = i.programme_facts(ds)
    design = ds.programme
    region_types = Counter(r.type for r in design.development_centre_regions.items)
    return Programme(
        selection_year=facts["selection_year"], applications=facts["applications"], selected=facts["selected"],
        support_years=facts["support_years"],
        group1=facts["group1"], group1_year=facts["group1_year"], group1_subsidy_bn=num(facts["group1_subsidy_bn"]),
        group2=facts["group2"], group2_year=facts["group2_year"],
        spending_areas=facts["spending_areas"], spending_areas_chosen=facts["spending_areas_chosen"],
        later_count=facts["later_count"], remaining=facts["remaining"], remaining_year=facts["remaining_year"],
        dev_centre_subsidy_mn=num(facts["dev_centre_subsidy_mn"]), dev_centre_regions=facts["dev_centre_regions"],
        dev_centre_oblasts=region_types["oblast"], dev_centre_republics=region_types["republic"],
        approaches=pd.DataFrame(
            [{say("Element of policy", "Элемент политики"): a.element, say("EU countries", "Страны ЕС"): a.eu,
              say("East Asia and other regions", "Восточная Азия и другие регионы"): a.east_asia}
             for a in design.policy_approaches.items]),
        spending_table=pd.DataFrame([{say("Spending area", "Направление расходов"): a.label} for a in design.spending_areas.items]),
    )
