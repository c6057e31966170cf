"""The chapter contract both engines honour: cells display Markdown only, never HTML or JavaScript.

Quarto adds require.js and jQuery from a CDN to any page whose cells display `text/html` or
`application/javascript`, so a chart is Markdown carrying a raw block for each format.
"""

from __future__ import annotations

from pathlib import Path

from clusterbench.engine import execute
from clusterbench.engine.parse import parse

CHAPTER = '''# Contract {#sec-contract}

```{python}
#| include: false
import altair as alt
import pandas as pd
from analysis.report.chapter import setup
from analysis.charts import finish
ctx = setup()
frame = pd.DataFrame({"Cluster": ["Kaluga", "Sarov"], "Participants": [60, 25]})
```

There are `{python} str(len(frame))` clusters.

```{python}
#| label: tbl-frame
#| tbl-cap: "A table."
ctx.table(frame)
```

```{python}
#| label: fig-bars
#| fig-cap: "A chart."
finish(alt.Chart(frame).mark_bar().encode(x="Participants:Q", y="Cluster:N"), chart_id="contract-bars",
       title="Participants", subtitle=None, description="Kaluga has 60 participants, Sarov 25.",
       source="Source: a test.", data=frame)
```

```{python}
ctx.md("Plain **Markdown**.")
```
'''


def _outputs(tmp_path: Path, target: str) -> list[dict]:
    path = tmp_path / "01-contract.qmd"
    path.write_text(CHAPTER, encoding="utf-8")
    executed = execute.run(parse(path), target=target, project_dir=tmp_path)
    return [item for output in executed.outputs for item in output.items]


def test_chapter_cells_display_markdown_only(tmp_path):
    for target in ("html", "typst"):
        items = [i for i in _outputs(tmp_path, target) if i["output_type"] in ("display_data", "execute_result")]
        assert len(items) == 3
        for item in items:
            assert "text/html" not in item["data"] and "application/javascript" not in item["data"]
            assert "text/markdown" in item["data"]


def test_a_chart_carries_both_formats_so_one_execution_serves_both(tmp_path):
    html_run = [i["data"]["text/markdown"] for i in _outputs(tmp_path, "html") if "data" in i]
    chart = next(md for md in html_run if "cb-chart" in md)
    assert "```{=html}" in chart and '<div class="cb-chart" data-spec="spec-contract-bars">' in chart
    assert 'href="figures/contract-bars.csv"' in chart
    assert "```{=typst}" in chart and '#image(bytes("<svg' in chart and 'alt: "Kaluga has 60 participants, Sarov 25."' in chart
    typst_run = [i["data"]["text/markdown"] for i in _outputs(tmp_path, "typst") if "data" in i]
    assert typst_run == html_run  # the chapter cannot tell the formats apart, so neither can its output


def test_a_table_escapes_text_from_data_whatever_the_text_dtype():
    """pandas 3 gives text columns the `str` dtype rather than `object`; both are data to escape."""
    import pandas as pd

    from analysis.report.chapter import ChapterContext

    ctx = ChapterContext(project_dir=Path("."), target="html")
    for dtype in (object, "string"):
        frame = pd.DataFrame({"Cluster": ["<script>alert(1)</script>"], "Link": ["[x](y.html)"]}).astype(dtype)
        shown = ctx.table(frame, markdown=("Link",)).data
        assert r"\<script\>alert(1)\</script\>" in shown and "[x](y.html)" in shown
