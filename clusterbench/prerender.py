"""The pre-render step: what the book needs that depends on the data and the edition.

`python -m clusterbench.prerender` is `project.pre-render` in `_quarto.yml`, so real Quarto
runs it before every render, for the active profile (`QUARTO_PROFILE`), and then reads
the project again. It writes files that are not kept in git:

- one Markdown page per cluster, `chapters/profiles/<id>.md`, and their index page;
- `_generated/metadata.yml` (a `metadata-files` entry): the profile pages as the book's
  appendices (full report only) and the edition facts the Typst title page prints;
- `_generated/head.html` (an `include-in-header` file): the edition, for the page scripts;
- `assets/vega-bundle.js`: the chart library, from vl-convert (no CDN).

The wheel-only engine calls `pre_render` for the same files but keeps them in memory, so a
build never changes a file in the working tree.

Profile pages at scale: a registry of thousands of clusters must not cost a table scan per page
(`_cluster_views` hands each page only its own rows, grouped once), nor a page regenerated when
nothing it shows has changed (`_ProfileCache`, keyed by the page's own rows, everything else in the
data and the analysis code).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path

from analysis.data import Dataset, load
from analysis.project import LANGUAGE_PROFILES  # noqa: F401  (the build reads it from here)
from analysis.paths import PROFILE_DIR
from analysis.report.profiles import (
    PROFILES_INDEX,
    chapter_groups,
    index_markdown,
    profile_markdown,
)

METADATA = "_generated/metadata.yml"
HEAD = "_generated/head.html"
VEGA_BUNDLE = "assets/vega-bundle.js"
COLLECTION_PROFILE = "practices"


def is_collection(profiles: list[str]) -> bool:
    """The Best-Practice Collection, in any language, is the active book."""
    return COLLECTION_PROFILE in profiles or any(p == c for _, c in LANGUAGE_PROFILES.values() for p in profiles)


def folder(lang: str) -> str:
    """Where an edition's sources sit in the project and its pages in the site: '' for English, 'ru/' for Russian."""
    return "" if lang == "en" else f"{lang}/"


#: The tables a profile page reads only its own cluster's rows of, by the column naming the cluster.
OWN_ROWS = {"observations": "entity", "assessments.csv": "cluster", "cluster_attributes.csv": "entity"}


def pages(ds: Dataset, *, scorecard_link: bool, cache_dir: Path | None = None, pdf_profiles: int | None = None) -> dict[str, str]:
    """The profile pages and their index, by project-relative path, in the data's language
    (`ds.language`: the Russian pages sit under ru/).

    With `cache_dir`, a page whose inputs are unchanged since the last call is taken from there. A registry
    of more than `pdf_profiles` clusters (`cb.pdf-profiles` in _quarto.yml) gets its full profiles on the
    website only, and a short entry each in the PDF (`profile_markdown`'s `printed`).
    """
    from analysis import indicators, text

    prefix = folder(ds.language)
    printed = pdf_profiles is None or len(ds["clusters"]) <= pdf_profiles
    with text.speaking(ds.language, ds.units):
        ranks = indicators.scores(ds).set_index("cluster")
        cache = _ProfileCache(ds, ranks, (scorecard_link, printed), cache_dir / ds.language if cache_dir else None)
        valid = cache.valid()
        todo = [cid for cid in ds["clusters"]["id"] if cid not in valid]
        texts = cache.update(_make_pages(ds, ranks, todo, scorecard_link, printed))
        out = {prefix + PROFILES_INDEX: index_markdown(ds, printed)}
    for cid in ds["clusters"]["id"]:
        out[f"{prefix}{PROFILE_DIR.as_posix()}/{cid}.md"] = texts[cid]
    return out


#: Pages to make from which they are made in a process per core. At 5,051 clusters one process took
#: 41 s per language, on one core, while the other had nothing to do; below a few hundred
#: pages, starting the processes would cost more than it saves.
PARALLEL_FROM = 400


def _make_pages(ds: Dataset, ranks, todo: list[str], scorecard_link: bool, printed: bool) -> dict[str, str]:
    """The profile pages of the clusters in `todo`, by id: in this process, or split among one process per core."""
    import concurrent.futures as cf
    import multiprocessing

    workers = min(os.cpu_count() or 1, len(todo) // PARALLEL_FROM)
    if workers < 2:
        return _pages_of((ds, ranks, todo, scorecard_link, printed))
    shares = [todo[i::workers] for i in range(workers)]
    # "spawn", not fork: the build may hold threads that a forked child would deadlock on.
    with cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        made = pool.map(_pages_of, [(ds, ranks, share, scorecard_link, printed) for share in shares])
        return {cid: page for part in made for cid, page in part.items()}


def _pages_of(job: tuple) -> dict[str, str]:
    from analysis import text

    ds, ranks, ids, scorecard_link, printed = job
    with text.speaking(ds.language, ds.units):
        return {cid: profile_markdown(view, cid, ranks, scorecard_link=scorecard_link, printed=printed)
                for cid, view in _cluster_views(ds, set(ids))}


def _cluster_views(ds: Dataset, only: set[str]):
    """(cluster id, the dataset with only that cluster's rows of `OWN_ROWS` and of clusters.csv) for each
    cluster in `only`.

    A page then filters a handful of rows instead of the whole registry; the rows it needs from
    clusters.csv are its own and those of the pilot it merged into.
    """
    frames, rows_of = _own_rows(ds)
    for cid, cluster_rows in rows_of.items():
        if cid not in only:
            continue
        own = {name: frames[name].iloc[rows] for name, rows in cluster_rows.items()}
        yield cid, dataclasses.replace(ds, tables={**ds.tables, **{n: f for n, f in own.items() if n != "observations"}},
                                       observations=own["observations"])


def _own_rows(ds: Dataset) -> tuple[dict, dict[str, dict[str, list[int]]]]:
    """clusters.csv and the tables of `OWN_ROWS`, and per cluster the positions of its rows in each.

    A cluster's clusters.csv rows are its own and that of the pilot it merged into (its page names it).
    """
    clusters = ds.tables["clusters.csv"]
    frames = {"clusters.csv": clusters, **{name: ds.observations if name == "observations" else ds.tables[name] for name in OWN_ROWS}}
    groups = {name: frames[name].groupby(key, sort=False).indices for name, key in OWN_ROWS.items()}
    position = {cid: i for i, cid in enumerate(clusters["id"])}
    rows_of = {}
    for i, (cid, merged) in enumerate(zip(clusters["id"], clusters["merged_into"])):
        rows_of[cid] = {"clusters.csv": [i] + ([position[merged]] if merged in position else []),
                        **{name: list(groups[name].get(cid, [])) for name in OWN_ROWS}}
    return frames, rows_of


class _ProfileCache:
    """Profile pages kept between builds, each under a key of everything it is made from.

    The key joins the page's own rows (`OWN_ROWS` and its clusters.csv rows), every other data file,
    the scorecard ranks and the analysis code, so editing one cluster's figure re-makes one page.
    """

    def __init__(self, ds: Dataset, ranks, options: tuple, folder: Path | None):
        self.path = folder / "profiles.pickle" if folder else None
        self.keys = _page_keys(ds, ranks, options) if folder else {}
        stored = {}
        if self.path is not None and self.path.exists():
            try:
                stored = pickle.loads(self.path.read_bytes())
            except Exception:  # an unreadable cache is rebuilt
                stored = {}
        self.stored = {cid: text for cid, (key, text) in stored.items() if self.keys.get(cid) == key}

    def valid(self) -> set[str]:
        return set(self.stored)

    def update(self, fresh: dict[str, str]) -> dict[str, str]:
        """Every page: the fresh ones and the still valid ones, all written back."""
        texts = {**self.stored, **fresh}
        if self.path is not None and fresh:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(f".{os.getpid()}.tmp")  # atomic: a parallel build may read it
            tmp.write_bytes(pickle.dumps({cid: (self.keys[cid], text) for cid, text in texts.items()}))
            tmp.replace(self.path)
        return texts


def _page_keys(ds: Dataset, ranks, options: tuple) -> dict[str, str]:
    """A key per cluster that changes whenever anything its page shows may change."""
    import analysis
    import pandas as pd

    from analysis.data.files import files, hash_files

    own = {"clusters.csv", *OWN_ROWS} - {"observations"}
    others = [p for p in files(ds.root, ("**/*",))
              if (rel := p.relative_to(ds.root).as_posix()) not in own and not rel.startswith("observations/")]
    code = Path(analysis.__file__).resolve().parent
    common = hashlib.sha256("|".join([
        hash_files(others, ds.root), hash_files(files(code, ("**/*.py",)), code), repr(options),
        str(pd.util.hash_pandas_object(ranks, index=True).sum()),
    ]).encode()).hexdigest()
    frames, rows_of = _own_rows(ds)
    hashes = {name: _row_hashes(frame) for name, frame in frames.items()}
    keys = {}
    for cid, cluster_rows in rows_of.items():
        h = hashlib.sha256(common.encode())
        for name, rows in cluster_rows.items():
            h.update(name.encode() + hashes[name][rows].tobytes())
        keys[cid] = h.hexdigest()
    return keys


def _row_hashes(frame):
    """One 64-bit hash per row of a table's content (not its line numbers), in order."""
    import pandas as pd

    return pd.util.hash_pandas_object(frame.drop(columns=["_file", "_line"], errors="ignore"), index=False).to_numpy()


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def metadata(ds: Dataset, root: Path, profiles: list[str]) -> str:
    """`_generated/metadata.yml`: the appendices (full report only) and the edition facts."""
    from analysis import project as P
    from analysis.report import citation

    from analysis import text

    project = P.load(root, profiles)
    lang = str(project.config.get("lang") or "en")
    facts = citation.facts(project)
    collection = is_collection(profiles)
    prefix = folder(lang)
    with text.speaking(lang):
        label = text.say("Draft", "Черновик") if not facts.released else text.say(f"Edition {facts.edition}", f"Выпуск {facts.edition}")
    lines = ["# Written by the pre-render step (python -m clusterbench.prerender) for the active profile; not kept in git.",
             "cb:",
             f"  edition: {_yaml_string(facts.edition)}",
             f"  edition-label: {_yaml_string(label)}",
             f"  long-date: {_yaml_string(facts.long_date)}",
             f"  how-to-cite: {_yaml_string(citation.how_to_cite(facts))}"]
    if facts.licence:
        lines.append(f"  licence: {_yaml_string(facts.licence)}")
    if not collection:
        lines += ["book:", "  appendices:", f"    - {prefix}{PROFILES_INDEX}"]
        with text.speaking(lang):
            groups = chapter_groups(ds)
        for part, pages in groups:
            lines += [f"    - part: {_yaml_string(part)}", "      chapters:"] + [f"        - {prefix}{path}" for path in pages]
    return "\n".join(lines) + "\n"


def head_html(root: Path, profiles: list[str]) -> str:
    """`_generated/head.html`: the edition, read by the page scripts (menu, banners)."""
    from html import escape

    from analysis import project as P
    from analysis.report import citation

    facts = citation.facts(P.load(root, profiles))
    tags = [f'<meta name="cb-edition" content="{escape(facts.edition)}" data-date="{escape(facts.date)}">']
    if not facts.released:
        tags.append('<meta name="robots" content="noindex">')
    return "\n".join(tags) + "\n"


def pre_render(ds: Dataset, root: Path, profiles: list[str], cache_dir: Path | None = None) -> dict[str, str]:
    """Every file the pre-render step makes for the active profiles, by project-relative path.

    `cache_dir` keeps the profile pages between runs (see `pages`).
    """
    from analysis import project as P
    from analysis.data import language

    project = P.load(root, profiles)
    lang = str(project.config.get("lang") or "en")
    ds = language.localized(ds, lang)
    listed = {ref.path.resolve() for ref in project.chapters}
    files = {} if is_collection(profiles) else pages(
        ds, scorecard_link=(root / folder(lang) / "chapters" / "05-scorecard.qmd").resolve() in listed, cache_dir=cache_dir,
        pdf_profiles=project.pdf_profiles)
    files[METADATA] = metadata(ds, root, profiles)
    files[HEAD] = head_html(root, profiles)
    return files


def write(files: dict[str, str], root: Path) -> list[Path]:
    """Write the pre-render files that changed, and remove profile pages of clusters that are gone."""
    changed = []
    for lang in ("en", *LANGUAGE_PROFILES):
        profile_dir = root / folder(lang) / PROFILE_DIR
        if not profile_dir.is_dir() or not any(rel.startswith(f"{folder(lang)}{PROFILE_DIR.as_posix()}/") for rel in files):
            continue
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
    from clusterbench.engine.html import vega_bundle as bundle

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
    changed = write(pre_render(ds, root, profiles, cache_dir=root / ".cache" / "profiles"), root)
    bundle = vega_bundle(root)
    print(f"Pre-render ({', '.join(profiles) or 'no profile'}): {len(changed) + bool(bundle)} file(s) updated.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
