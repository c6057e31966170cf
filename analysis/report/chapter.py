"""What a chapter's hidden setup cell calls: `ctx = setup()`.

It works the same under real Quarto and under the wheel-only engine: both set
`QUARTO_PROJECT_DIR` and `QUARTO_EXECUTE_INFO` (a JSON file naming the target
format). For HTML targets charts render as interactive Vega-Lite through the
site's own bundle (no CDN); for any other target they render as static SVG, so
the PDF shows the chart as an image.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import Markdown

from analysis import indicators as indicators_mod
from analysis.charts import export, figures
from analysis.data import Dataset, load
from analysis.paths import find_root
from analysis.report import listing
from analysis import text
from analysis.data import language
from analysis.text import md_escape, num  # noqa: F401  (chapters import them from here)

RENDERER = "clusterbench"
#: Folder, beside each page, that holds the data of its charts as CSV (written by the build).
FIGURE_DATA_DIR = "figures"
DATA_ENV = "CLUSTERBENCH_DATA"  # lets the build (and tests) point chapters at another data folder


def target_format() -> str:
    """The format being rendered ('html', 'typst', ...), read the way Quarto exposes it."""
    info = os.environ.get("QUARTO_EXECUTE_INFO")
    if info and Path(info).exists():
        data = json.loads(Path(info).read_text(encoding="utf-8"))
        return data["format"]["identifier"]["target-format"]
    return "html"


def chart_markdown(spec: dict) -> str:
    """A chart as Markdown with a raw block per format; pandoc keeps the one for the target.

    HTML gets a container, the spec as JSON (drawn by the site's script and Vega bundle,
    both declared in `_quarto.yml`) and a link to the chart's data; Typst gets the chart
    as an inline SVG image. Carrying both lets one execution serve the site and the PDF,
    and emitting Markdown only keeps Quarto from adding CDN scripts to the page. Under
    both comes the chart's source line, once, as Markdown whose links lead to the References.
    A chart only the site shows (usermeta `in_print: false`) has no Typst block.
    """
    spec = _finite(spec)
    chart_id = spec.get("usermeta", {}).get("id") or "chart"
    # Text as UTF-8, not \u escapes: a Russian spec is a third of the size.
    payload = json.dumps(spec, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).replace("</", "<\\/")
    csv = ""
    if spec.get("usermeta", {}).get("data_columns"):
        csv = (f'<p class="cb-chart-data"><a class="cb-download" href="{FIGURE_DATA_DIR}/{chart_id}.csv" download>'
               f"{text.say('Download the data (CSV)', 'Скачать данные (CSV)')}</a></p>")
    html = (f'<div class="cb-chart" data-spec="spec-{chart_id}"></div>'
            f'<script type="application/json" id="spec-{chart_id}">{payload}</script>{csv}')
    typst = ""
    if spec.get("usermeta", {}).get("in_print", True):
        svg = export.print_svg(spec, _contexts[-1].project_dir / ".cache" / "print-svg" if _contexts else None)
        alt = str(spec.get("description") or spec.get("title") or "")
        image = f"#image(bytes({_typst_string(svg)}), format: \"svg\", width: 100%, alt: {_typst_string(alt)})"
        typst = f"\n```{{=typst}}\n{image}\n```\n"
    source = spec.get("usermeta", {}).get("source") or ""
    return f"```{{=html}}\n{html}\n```\n{typst}" + (f"\n{source}\n" if source else "")


def _typst_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n") + '"'


def _finite(node):
    """The spec with NaN and infinities as null, so it is strict JSON."""
    if isinstance(node, float) and not math.isfinite(node):
        return None
    if isinstance(node, dict):
        return {k: _finite(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_finite(v) for v in node]
    return node


def _render(spec: dict, **_) -> dict:
    return {"text/markdown": chart_markdown(spec)}


def load_cached(data_dir: Path, cache_dir: Path) -> Dataset:
    """The validated dataset, validated once per version of the data.

    Every chapter of a build needs the same data; the first to load it validates it and
    stores it under a hash of the files, the others read that copy (a few milliseconds
    instead of a full validation). A data edit changes the hash, so nothing stale is used.
    """
    import dataclasses
    import hashlib
    import pickle
    import tempfile

    from analysis.data.files import files, hash_files

    # keyed by the data and by the Dataset's fields, so a copy pickled before a field was added is not reused
    shape = hashlib.sha256(" ".join(f.name for f in dataclasses.fields(Dataset)).encode()).hexdigest()[:8]
    cached = cache_dir / f"{hash_files(files(data_dir, ('**/*',)), data_dir)}-{shape}.pickle"
    if cached.exists():
        try:
            ds = pickle.loads(cached.read_bytes())
            ds.reset_access()
            return ds
        except Exception:  # an unreadable cache entry is rebuilt below
            pass
    ds = load(data_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=cache_dir, delete=False) as tmp:  # atomic: parallel chapters may race
        tmp.write(pickle.dumps(ds))
    Path(tmp.name).replace(cached)
    ds.reset_access()
    return ds


def register_renderer() -> None:
    alt.renderers.register(RENDERER, _render)
    alt.renderers.enable(RENDERER)
    _register_plain_text()


#: Spaces that Python's repr writes as escapes ('1\xa0000') but a reader must see as spaces: Russian numbers
#: group digits with a no-break space, and dates put one before «г.».
_SPACES = "\u00a0\u202f\u2009"
_STAND_IN = "\u2423"  # a printable character that stands in for each space while Python quotes the text


def plain_text(value: str) -> str:
    """A string's `text/plain` form, which Quarto (and the wheel engine) turn into an inline value: Python's
    repr, but with no-break spaces left as they are instead of escaped."""
    if _STAND_IN in value or not any(c in value for c in _SPACES):
        return repr(value)
    marked = value
    for i, space in enumerate(_SPACES):
        marked = marked.replace(space, _STAND_IN * (i + 1) + "\u2424")
    quoted = repr(marked)
    for i, space in reversed(list(enumerate(_SPACES))):
        quoted = quoted.replace(_STAND_IN * (i + 1) + "\u2424", space)
    return quoted


def _register_plain_text() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # outside a kernel there is nothing to register
        return
    shell = get_ipython()
    if shell is not None:
        shell.display_formatter.formatters["text/plain"].for_type(str, lambda obj, p, cycle: p.text(plain_text(obj)))


@dataclass
class ChapterContext:
    """Data and helpers a chapter needs; chapters never open files themselves."""

    project_dir: Path
    target: str
    lang: str = "en"

    @cached_property
    def ds(self) -> Dataset:
        """The validated data, with the words readers see in the chapter's language."""
        ds = load_cached(Path(os.environ.get(DATA_ENV) or self.project_dir / "data"), self.project_dir / ".cache" / "datasets")
        if self.lang == "en":
            return ds
        ds = language.localized(ds, self.lang)
        text.speak(self.lang, ds.units)
        return ds

    @property
    def i(self):
        """The indicator functions (`ctx.i.scores(ctx.ds)`)."""
        return indicators_mod

    def figure(self, figure_id: str) -> alt.TopLevelMixin:
        """A chart from the figure catalogue, in the chapter's language; display it as the cell's last expression."""
        return figures.build(self.ds, figure_id, lang=self.lang)

    def figure_csv(self, figure_id: str) -> pd.DataFrame:
        return export.chart_data(self.figure(figure_id))

    def table(self, frame: pd.DataFrame, *, digits: int = 1, markdown: tuple[str, ...] = ()) -> Markdown:
        """A DataFrame as a Markdown pipe table (renders in HTML and PDF alike).

        Text cells are escaped, so names from the data show literally; list in `markdown`
        the columns that hold Markdown on purpose (links, emphasis). A table longer than
        `cb.table-rows` shows its first rows, after a sentence that says so (`listing`).
        """
        shown, note = listing.first_rows(frame, self.table_rows)
        shown = shown.copy()
        for col in shown.columns:
            # text columns are object or, under pandas 3, str: both are escaped
            if col not in markdown and (pd.api.types.is_object_dtype(shown[col]) or pd.api.types.is_string_dtype(shown[col])):
                shown[col] = shown[col].map(lambda v: md_escape(v) if isinstance(v, str) else v)
        numeric = set(shown.select_dtypes("number").columns)
        for col in numeric:
            if "year" in str(col).lower():  # 2012, not 2,012
                shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else str(int(v)))
            else:
                shown[col] = shown[col].map(lambda v: "" if pd.isna(v) else num(v, digits))
        align = ["right" if c in numeric else "left" for c in shown.columns]
        # numbers are already formatted; stop tabulate from re-parsing "2,000" back into 2000
        table = shown.to_markdown(index=False, disable_numparse=True, colalign=align)
        # before the table, so that a `tbl-` cell's caption still follows the table
        return Markdown(f"{note}\n\n{table}" if note else table)

    @cached_property
    def table_rows(self) -> int | None:
        """`cb.table-rows`: the most rows a table shows (see `analysis.report.listing`)."""
        return listing.limit(self.project_dir)

    def md(self, text: str) -> Markdown:
        return Markdown(text)


#: Contexts created in this kernel, so the engine can ask what data a chapter read.
_contexts: list[ChapterContext] = []


def setup(lang: str = "en") -> ChapterContext:
    """Call once, in a chapter's hidden first cell: `ctx = setup()`; a Russian chapter calls `setup(lang="ru")`.

    Everything the chapter then writes (numbers, dates, lists, our words, the data's labels) is in `lang`.
    """
    register_renderer()
    text.speak(lang)
    project = Path(os.environ.get("QUARTO_PROJECT_DIR") or find_root())
    ctx = ChapterContext(project_dir=project, target=target_format(), lang=lang)
    _contexts.append(ctx)
    return ctx


def accessed_files() -> list[str]:
    """Data files read by the chapters' contexts in this kernel (used by the build for incremental rebuilds)."""
    files: set[str] = set()
    for ctx in _contexts:
        if "ds" in ctx.__dict__:  # only if the data was loaded
            files.update(ctx.ds.accessed_files())
    return sorted(files)
