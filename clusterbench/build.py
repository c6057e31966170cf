"""`clusterbench build`: validate the data, render the book to a site and PDFs, swap it into place.

Engines: real Quarto when `quarto` is on PATH (or `--engine quarto`), otherwise the
wheel-only engine (`clusterbench.engine.book`). The wheel engine executes each chapter once, for
the site and the PDFs together (its outputs carry both formats), in its own kernel, in
parallel, and caches the results under
`.cache/`: a chapter runs again only when its source, the analysis code, or one of
the data files it read has changed. The build writes into a temporary folder next
to the output and renames it into place only when everything succeeded, so a
failed build leaves the previous site byte-for-byte intact.
"""

from __future__ import annotations

import concurrent.futures as cf
import gc
import hashlib
import json
import multiprocessing
import os
import pickle
import shutil
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from analysis.data.files import files, hash_files  # noqa: F401  (the build's fingerprints; tests use them from here)
from analysis.data.register import EDITION_RE
from analysis.project import COLLECTION_STEM, REPORT_STEM  # noqa: F401

CACHE_VERSION = "3"
COLLECTION_PROFILE = "practices"
#: The one target chapters are executed for; their outputs serve every format.
EXECUTION_TARGET = "html"
#: Run chapters in each worker's warm kernel (a fresh namespace per chapter) rather than one kernel each;
#: the outputs are the same (tests/test_build.py), only the time differs.
WARM_KERNELS = True


class BuildError(Exception):
    """A build problem the user can fix; the message is short and says what to do."""


@dataclass
class BuildResult:
    out: Path
    engine: str
    seconds: float
    up_to_date: bool = False
    pages: int = 0
    pdfs: list[Path] = field(default_factory=list)
    executed: int = 0
    reused: int = 0
    downloads: int = 0
    #: Seconds per step (checking the data, executing, writing...), kept in .cache/last-build.json for the benchmark.
    timings: dict[str, float] = field(default_factory=dict)


@contextmanager
def _timed(timings: dict[str, float], step: str):
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[step] = round(time.perf_counter() - start, 3)


# --- fingerprints ------------------------------------------------------------------------


def code_files() -> list[Path]:
    """The code and templates that shape every output: both packages, analysis and generator."""
    import analysis

    packages = [Path(analysis.__file__).resolve().parent, Path(__file__).resolve().parent]
    return [f for pkg in packages for f in files(pkg, ("**/*.py", "**/*.html", "**/*.lua", "**/*.css", "**/*.typ"))]


def code_hash() -> str:
    return hash_files(code_files(), Path(__file__).resolve().parent.parent)


#: Project files that chapters may read through analysis functions (edition facts, the register,
#: the changelog); a change to any of them re-runs every chapter.
CONTEXT_FILES = ("_quarto.yml", "_variables.yml", "CHANGELOG.md", "CHANGELOG.ru.md", "data/editions.yml")


def context_hash(root: Path) -> str:
    return hash_files([root / name for name in CONTEXT_FILES if (root / name).exists()], root)


def data_file_hash(data_dir: Path, rel: str) -> str:
    """Hash of one data file, or of every file under a folder entry like 'observations/'."""
    target = data_dir / rel
    paths = files(target, ("**/*",)) if rel.endswith("/") else ([target] if target.exists() else [])
    return hash_files(paths, data_dir) if paths else "missing"


def _project_files(root: Path) -> list[Path]:
    return files(root, ("_quarto*.yml", "_variables.yml", "CHANGELOG*.md", "*.qmd", "chapters/*.qmd", "ru/*.qmd", "ru/chapters/*.qmd",
                        "assets/*", "assets/typst/*"))


def fingerprint(root: Path, data_dir: Path, options: dict) -> str:
    """Everything a build depends on; equal fingerprints mean the output would not change."""
    h = hashlib.sha256()
    h.update(json.dumps(options, sort_keys=True).encode())
    h.update(hash_files(_project_files(root), root).encode())
    h.update(hash_files(files(data_dir, ("**/*",)), data_dir).encode())
    h.update(code_hash().encode())
    return h.hexdigest()


# --- execution with a cache ----------------------------------------------------------------


def _execute_job(args: tuple) -> tuple:
    """Run one chapter for one target in a worker process, in the worker's warm kernel (`WARM_KERNELS`).

    pandas, Altair and the analysis package are then imported once per worker, not once per chapter;
    each chapter still starts from an empty namespace (`execute.WarmKernel`).
    """
    from clusterbench.engine import execute

    doc, target, project_dir, env, warm = args
    start = time.perf_counter()
    result = execute.run(doc, target=target, project_dir=project_dir, extra_env=env, warm=warm)
    return result, time.perf_counter() - start


def _warm_up(project_dir: Path, env: dict) -> None:
    from clusterbench.engine import execute

    execute.WarmKernel.warm_up(project_dir, env)


class _Workers:
    """The worker processes that run the chapters, each with its warm kernel.

    They are started as soon as the data has passed its checks, before the books are planned
    (about 1 s on one core); meanwhile each worker starts its kernel and imports pandas and Altair there.
    """

    def __init__(self, count: int, project_dir: Path, env: dict, *, kept: bool = False):
        self.count, self.used = count, False
        self.key = self.key_for(count, project_dir, env)
        self.kept = kept  # a Session's: they outlive each build, and only the session closes them
        self._pool: cf.ProcessPoolExecutor | None = None
        if WARM_KERNELS:
            for _ in range(count):  # a pool starts a process for each task it cannot give to an idle one
                self.pool.submit(_warm_up, project_dir, env)

    @staticmethod
    def key_for(count: int, project_dir: Path, env: dict) -> tuple:
        """What workers are made for: workers with another key cannot run these chapters."""
        return count, project_dir, tuple(sorted(env.items()))

    @property
    def pool(self) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            # "spawn", not fork: the parent may hold threads (ZeroMQ, pandas) that a forked child would deadlock on.
            self._pool = cf.ProcessPoolExecutor(max_workers=self.count, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def run(self, job: tuple) -> cf.Future:
        self.used = True
        return self.pool.submit(_execute_job, job)

    def close(self) -> None:
        if self._pool is None or self.kept:
            return
        if not self.used:
            # Every chapter came from the cache: stop the warming kernels rather than wait seconds for them.
            # (Python 3.14 has ProcessPoolExecutor.terminate_workers for this.)
            for process in list((self._pool._processes or {}).values()):
                process.terminate()
        self._pool.shutdown(wait=self.used, cancel_futures=True)
        self._pool = None


class Session:
    """What a series of builds of one project keeps between them (`clusterbench preview`): the chapter workers
    with their warm kernels, and a Typst process per kind of PDF (`typst.Compilers`).

    A lone build starts both and lets them go: at a one-value rebuild of the real book, starting the kernels
    and compiling in fresh Typst processes are most of its time. A session's builds start them once.
    """

    def __init__(self):
        from analysis.data import keep_readings

        self._workers: _Workers | None = None
        self._compilers = None
        keep_readings()  # the data is checked at each build: read again only the files that changed

    def workers(self, count: int, project_dir: Path, env: dict) -> _Workers:
        if self._workers is not None and self._workers.key != _Workers.key_for(count, project_dir, env):
            self._close_workers()
        if self._workers is None:
            self._workers = _Workers(count, project_dir, env, kept=True)
        return self._workers

    def compilers(self):
        from clusterbench.engine.typst import Compilers

        if self._compilers is None:
            self._compilers = Compilers()
        return self._compilers

    def _close_workers(self) -> None:
        if self._workers is not None:
            self._workers.kept = False
            self._workers.close()
            self._workers = None

    def close(self) -> None:
        self._close_workers()
        if self._compilers is not None:
            self._compilers.close()
            self._compilers = None


def _relative(path: Path, root: Path) -> str:
    """`path` relative to the project `root` ('ru/chapters/03-benchmarks.qmd'), or in full when it lies outside."""
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(resolved)


class ExecutionCache:
    """Executed chapters on disk, keyed by chapter and target, valid while their inputs are unchanged."""

    def __init__(self, folder: Path, data_dir: Path, code: str, root: Path, ds):
        self.folder = folder
        self.data_dir = data_dir
        self.code = code
        self.root = root
        self.ds = ds  # the build's checked data, for the observations a chapter selected (`Dataset.observation_rows`)
        self._hashes: dict[str, str] = {}  # many chapters read the same files; the data does not change during a build
        folder.mkdir(parents=True, exist_ok=True)

    def _hash(self, rel: str) -> str:
        from analysis.data import ROWS

        if rel not in self._hashes:
            self._hashes[rel] = self.ds.rows_digest(rel) if rel.startswith(ROWS) else data_file_hash(self.data_dir, rel)
        return self._hashes[rel]

    def _path(self, doc, target: str) -> Path:
        source = doc.path
        # Keyed by the path inside the project, so a copy of the project (with its .cache) reuses the entries;
        # an entry is only used while its source, code, context and data hashes still match.
        name = _relative(source, self.root)
        key = hashlib.sha256(f"{name}|{target}|{doc.text_hash}".encode()).hexdigest()[:24]
        return self.folder / f"{key}.pickle"

    def get(self, doc, target: str):
        path = self._path(doc, target)
        if not path.exists():
            return None
        try:
            entry = pickle.loads(path.read_bytes())
        except Exception:  # a corrupt or old-format cache entry is simply ignored
            return None
        if entry.get("version") != CACHE_VERSION or entry["source"] != doc.text_hash or entry["code"] != self.code:
            return None
        if any(self._hash(rel) != h for rel, h in entry["data"].items()):
            return None
        return entry["result"]

    def put(self, doc, target: str, result) -> None:
        entry = {
            "version": CACHE_VERSION,
            "source": doc.text_hash,
            "code": self.code,
            "data": {rel: self._hash(rel) for rel in result.data_files},
            "result": result,
        }
        self._path(doc, target).write_bytes(pickle.dumps(entry))


def job_key(doc, target: str) -> tuple:
    return (doc.path, target, doc.text_hash)


# --- the build -------------------------------------------------------------------------------


def _progress():
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=False)


def book_info(project, *, downloads=(), pdf: str = "", declared: dict | None = None):
    """The edition facts printed on every page and PDF, from _quarto.yml and _variables.yml.

    `pdf` names the PDF being written, so its How to cite points at that file's permanent address.
    """
    from analysis import text
    from analysis.report import citation
    from clusterbench.engine.document import BookInfo, Download

    book = project.book
    f = citation.facts(project)
    publisher = project.config.get("cb") or {}
    lang = str(project.config.get("lang", "en"))
    with text.speaking(lang):  # How to cite, in the edition's language
        how_to_cite = str(project.variables.get("how-to-cite", citation.how_to_cite(f, pdf=pdf))).strip()
    return BookInfo(
        title=f.title, subtitle=f.subtitle, authors=f.authors, edition=f.edition, date=f.date,
        lang=lang, url=f.url, site_url=f.site_url, how_to_cite=how_to_cite, licence=f.licence,
        **{key: str(publisher.get(key, "")).strip() for key in ("publisher", "contact", "rights", "colophon")},
        downloads=[Download(label, href) for label, href in downloads],
        repo_url=str(book.get("repo-url", "")),
        **(declared or {}),
    )


def _write_downloads(data_dir: Path, site: Path, figure_tables: dict) -> int:
    """Open data under data/ (each CSV, one combined observations.csv, datapackage.json) and figure CSVs."""
    import pandas as pd

    out = site / "data"
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for src in sorted(data_dir.glob("*.csv")) + [data_dir / "datapackage.json"]:
        if src.exists():
            shutil.copy2(src, out / src.name)
            count += 1
    obs_dir = out / "observations"
    obs_dir.mkdir(exist_ok=True)
    parts = []
    for src in sorted((data_dir / "observations").glob("*.csv")):
        shutil.copy2(src, obs_dir / src.name)
        parts.append(pd.read_csv(src, dtype=str, keep_default_na=False))
        count += 1
    if parts:
        pd.concat(parts, ignore_index=True).to_csv(out / "observations.csv", index=False, lineterminator="\n")
        count += 1
    for src in sorted((data_dir / "ru").glob("*.csv")):  # the Russian edition's texts, part of the data package
        (out / "ru").mkdir(exist_ok=True)
        shutil.copy2(src, out / "ru" / src.name)
        count += 1
    return count + _write_figure_tables(site, figure_tables)


def _write_figure_tables(site: Path, figure_tables: dict) -> int:
    """The data behind each chart, beside the pages that show it (figures/<label>.csv)."""
    from analysis.report.chapter import FIGURE_DATA_DIR

    fig_dir = site / FIGURE_DATA_DIR
    for label, table in sorted(figure_tables.items()):
        fig_dir.mkdir(exist_ok=True)
        table.to_csv(fig_dir / f"{label}.csv", index=False, lineterminator="\n")
    return len(figure_tables)


def _swap(tmp: Path, out: Path) -> None:
    """Put the new build in place; the old one is removed only after the rename succeeded."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    try:
        tmp.rename(out)
    except OSError:
        if old.exists():
            old.rename(out)
        raise
    if old.exists():
        shutil.rmtree(old)


def _execute_all(jobs: list[tuple], cache: ExecutionCache, progress, workers: _Workers,
                 timings: dict | None = None) -> tuple[dict, int, int]:
    """Run or reuse every (chapter, target) job; returns results keyed by (source, target).

    A page with nothing to run (a cluster profile) is settled here, with no kernel, worker or cache
    entry: thousands of them cost a few milliseconds each.
    """
    from clusterbench.engine import execute

    results, todo, seen = {}, [], set()
    plain = 0
    for doc, target, project_dir, env in jobs:
        key = job_key(doc, target)
        if key in seen:
            continue
        seen.add(key)
        if not execute.needs_kernel(doc):
            results[key] = execute.run(doc, target=target, project_dir=project_dir, extra_env=env)
            plain += 1
            continue
        hit = cache.get(doc, target)
        if hit is not None:
            results[key] = hit
        else:
            todo.append((key, doc, target, project_dir, env))
    reused = len(results) - plain
    if todo:
        _run_in_pool(todo, results, cache, progress, workers, timings)
    return results, len(todo), reused


def _run_in_pool(todo: list[tuple], results: dict, cache: ExecutionCache, progress, workers: _Workers, timings: dict | None) -> None:
    """Execute the chapters in `todo` in worker processes, each with its warm kernel; results go into `results`."""
    task = progress.add_task("Executing chapters", total=len(todo))
    futures = {workers.run((doc, target, project_dir, env, WARM_KERNELS)): (key, doc, project_dir)
               for key, doc, target, project_dir, env in todo}
    try:
        for future in cf.as_completed(futures):
            key, doc, project_dir = futures[future]
            result, seconds = future.result()
            results[key] = result
            cache.put(doc, key[1], result)
            progress.update(task, advance=1, description=f"Executed {key[0].name} ({key[1]}, {seconds:.1f} s)")
            if timings is not None:
                # by path, since an edition in another language has chapters of the same name (ru/)
                timings[f"run {_relative(key[0], project_dir)}"] = round(seconds, 3)
    except BaseException:
        for f in futures:
            f.cancel()
        raise


@contextmanager
def _fewer_collections():
    """Collect garbage less often while building. The build makes millions of short-lived, acyclic objects
    (every chapter's pandoc AST is parsed twice); at the default threshold the collector ran thousands of
    times and walked all of pandas and Altair at each full pass, 0.7 s of a real rebuild."""
    threshold = gc.get_threshold()
    gc.freeze()  # what is loaded by now lives as long as the build
    gc.set_threshold(50_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@_fewer_collections()
def build(root: Path, *, out: Path | None = None, engine: str = "auto", to: tuple[str, ...] = ("html", "pdf"),
          data: Path | None = None, workers: int | None = None, force: bool = False, quiet: bool = False,
          session: Session | None = None) -> BuildResult:
    """Build the site and PDFs. Raises BuildError (with a readable message) on any problem.

    With a `session`, the build uses the kernels and Typst processes it keeps, and leaves them to it."""
    start = time.perf_counter()
    root = Path(root).resolve()
    data_dir = Path(data).resolve() if data else root / "data"
    out = Path(out).resolve() if out else root / "_site"
    to, engine = _checked_options(to, engine)

    cache_dir = root / ".cache"
    state_file = cache_dir / "last-build.json"
    options = {"engine": engine, "to": list(to), "out": str(out), "data": str(data_dir)}
    fp = fingerprint(root, data_dir, options)
    if not force and out.exists() and state_file.exists():
        state = json.loads(state_file.read_text(encoding="utf-8"))
        if state.get("fingerprint") == fp:
            return BuildResult(out, engine, time.perf_counter() - start, up_to_date=True)

    ds, checked = _checked_data(data_dir, cache_dir)
    pool = None
    if engine == "wheel":
        from analysis.report.chapter import DATA_ENV

        count, env = workers or min(4, os.cpu_count() or 1), {DATA_ENV: str(data_dir)}
        pool = session.workers(count, root, env) if session else _Workers(count, root, env)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    try:
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        card = _card(root, ds, cache_dir) if "html" in to else None
        if engine == "quarto":
            result = _build_quarto(root, tmp, to, data_dir, card)
        else:
            result = _build_wheel(root, tmp, to, data_dir, cache_dir, pool, quiet, card, ds,
                                  session.compilers() if session and "pdf" in to else None)
        if "html" in to and engine == "quarto":  # the wheel engine writes them while its PDFs compile
            _write_site_data(root, ds, tmp)
        refusal = overwrite_refusal(out)  # published editions are only ever updated by editions.assemble
        if refusal:
            raise BuildError(refusal)
        _swap(tmp, out)
        result.pdfs = [out / p.name for p in result.pdfs]
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if pool is not None:
            pool.close()
    result.timings = {"check data": round(checked, 3), **result.timings}
    cache_dir.mkdir(exist_ok=True)
    state_file.write_text(json.dumps({"fingerprint": fp, "timings": result.timings}), encoding="utf-8")
    result.out = out
    result.seconds = time.perf_counter() - start
    return result


def _checked_options(to: tuple[str, ...], engine: str) -> tuple[tuple[str, ...], str]:
    """The formats, sorted, and the engine that `auto` stands for; a BuildError for anything unknown."""
    to = tuple(sorted(set(to)))
    unknown = set(to) - {"html", "pdf"}
    if unknown:
        raise BuildError(f"--to accepts html and pdf, not {', '.join(sorted(unknown))}")
    if engine == "auto":
        engine = "quarto" if shutil.which("quarto") else "wheel"
    if engine not in ("quarto", "wheel"):
        raise BuildError(f"--engine must be auto, quarto or wheel, not {engine}")
    return to, engine


def _write_site_data(root: Path, ds, site: Path) -> None:
    """assets/clusters-data.js and clusters-figures.js, read by the directory and compare pages, for each language's edition."""
    from analysis import text
    from analysis.data import language
    from analysis.report import directory
    from clusterbench.prerender import folder

    for lang in languages(root):
        localized = language.localized(ds, lang)
        with text.speaking(lang, localized.units):
            directory.write_site_data(localized, site / folder(lang))


def _checked_data(data_dir: Path, cache_dir: Path) -> tuple:
    """The validated dataset and the seconds it took; bad data is a BuildError listing every problem.

    It is validated once for the whole build: the plan and every chapter's kernel read this copy.
    """
    from analysis.data import DataError
    from analysis.report.chapter import load_cached

    start = time.perf_counter()
    try:
        ds = load_cached(data_dir, cache_dir / "datasets")
    except DataError as exc:
        raise BuildError(exc.report()) from None
    return ds, time.perf_counter() - start


def _where(exc, root: Path) -> str:
    """A chapter problem as 'chapters/x.qmd:12: message', relative to the project."""
    return f"{_relative(exc.path, root)}:{exc.line}: {exc.message}"


def _load_books(root: Path, data_dir: Path, to: tuple[str, ...], lang: str = "en"):
    """The book and, when PDFs are wanted, the collection, each with its pre-render files made in memory,
    in `lang`: English from the default profiles, another language from its own (`prerender.LANGUAGE_PROFILES`)."""
    from analysis import project as P
    from analysis.report.chapter import load_cached
    from clusterbench import prerender as profiles
    from clusterbench.engine import book as E

    ds = load_cached(data_dir, root / ".cache" / "datasets")
    if lang == "en":
        default, collection_profile = P.active_profiles(P.read_config(root)), COLLECTION_PROFILE
    else:
        (book_profile, collection_profile), default = profiles.LANGUAGE_PROFILES[lang], None
        default = [book_profile]
    generated = profiles.pre_render(ds, root, default, cache_dir=root / ".cache" / "profiles")
    project = P.load(root, default, generated)
    book = E.Book(project, E.parse_book(project))
    collection = None
    if (root / f"_quarto-{collection_profile}.yml").exists() and "pdf" in to:
        cgenerated = profiles.pre_render(ds, root, [collection_profile])
        cproject = P.load(root, collection_profile, cgenerated)
        collection = E.Book(cproject, E.parse_book(cproject))
    return book, collection, generated


def languages(root: Path) -> list[str]:
    """The languages the project has editions in: English, and each language whose book profile exists."""
    from clusterbench.prerender import LANGUAGE_PROFILES

    return ["en"] + [lang for lang, (book, _) in LANGUAGE_PROFILES.items() if (root / f"_quarto-{book}.yml").exists()]


def _declared(project, generated: dict[str, str]) -> dict:
    """What `format.html` declares for every page (css, include-in-header, include-after-body), read as Quarto does."""
    html = project.formats.get("html", {})

    def listed(key: str) -> list[str]:
        value = html.get(key) or []
        return [value] if isinstance(value, str) else [str(v) for v in value]

    def text(rel: str) -> str:
        if rel in generated:
            return generated[rel]
        path = project.root / rel
        if not path.exists():
            raise BuildError(f"_quarto.yml: format.html names {rel}, which does not exist")
        return path.read_text(encoding="utf-8")

    return {"css": listed("css"), "header_html": "\n".join(text(r) for r in listed("include-in-header")),
            "after_body_html": "\n".join(text(r) for r in listed("include-after-body")),
            "toc_depth": _toc_depth(project, "html"),
            "collapse_level": int((project.config.get("book", {}).get("sidebar") or {}).get("collapse-level", 2))}


def _copy_resources(project, site: Path) -> None:
    """`project.resources` copied into the site, as Quarto does."""
    for entry in project.config.get("project", {}).get("resources") or []:
        for src in sorted(project.root.glob(entry.rstrip("/") + ("/**/*" if entry.endswith("/") else ""))):
            if src.is_file():
                dest = site / src.relative_to(project.root)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest)


def _card(root: Path, ds, cache_dir: Path) -> dict | None:
    """The image shown when a page is shared (`book.image` in `_quarto.yml`): the headline chart, drawn now."""
    from analysis import project as P
    from clusterbench import web

    rel = str(P.read_config(root).get("book", {}).get("image") or "")
    if not rel:
        return None
    png, alt = web.card_image(ds, cache_dir / "card")
    return {"path": rel, "png": png, "alt": alt, "size": web.png_size(png)}


@dataclass
class _WheelPlan:
    """What a wheel build writes: the books, the site's edition facts, its download links, the PDFs' names."""

    book: object
    collection: object | None
    info: object
    downloads: list
    report_pdf: str
    collection_pdf: str

    def books(self) -> list:
        return [self.book] + ([self.collection] if self.collection is not None else [])


@dataclass
class _Assembler:
    """Executed chapters assembled per format; the HTML pass also writes each chapter's files into the site."""

    results: dict
    site: Path
    work: Path
    figure_tables: dict = field(default_factory=dict)

    def chapters(self, b, target: str) -> list:
        from clusterbench.engine import book as E

        assemblies = []
        for i, pc in enumerate(b.chapters):
            assembly = E.assemble(b, i, self.results[job_key(pc.doc, EXECUTION_TARGET)], target,
                                  figure_dir=self.work / "figures" / pc.slug)
            if target == "html":
                self.figure_tables.update(assembly.figures)
                for rel, content in assembly.files.items():
                    (self.site / rel).parent.mkdir(parents=True, exist_ok=True)
                    (self.site / rel).write_bytes(content)
            assemblies.append(assembly)
        return E.cross_reference(b, assemblies, target)


def _build_wheel(root: Path, site: Path, to: tuple[str, ...], data_dir: Path, cache_dir: Path, workers: _Workers, quiet: bool,
                 card: dict | None, ds, compilers=None) -> BuildResult:
    from analysis.report.chapter import DATA_ENV

    timings: dict[str, float] = {}
    with _timed(timings, "plan the books"):
        plans = [_plan_wheel(root, data_dir, to, card, lang) for lang in languages(root)]
    env = {DATA_ENV: str(data_dir)}
    # Chapter outputs carry a raw block for each format (the chapter contract), so one execution
    # serves the site and both PDFs; Quarto's own contract still names a target, and html is it.
    jobs = [(pc.doc, EXECUTION_TARGET, root, env) for p in plans for b in p.books() for pc in b.chapters]
    cache = ExecutionCache(cache_dir / "executions", data_dir, code_hash() + context_hash(root), root, ds)
    result = BuildResult(site, "wheel", 0.0, timings=timings)
    progress = _progress()
    progress.disable = quiet
    with progress:
        with _timed(timings, "execute chapters"):
            results, result.executed, result.reused = _execute_or_explain(jobs, cache, progress, workers, root, timings)
        workers.close()  # the kernels and what they hold are not needed while the outputs are written
        del jobs
        _write_editions(plans, results, root, site, to, data_dir, cache_dir, card, progress, result, ds, compilers)
    return result


def _plan_wheel(root: Path, data_dir: Path, to: tuple[str, ...], card: dict | None, lang: str = "en") -> _WheelPlan:
    """Load the books in `lang` (a project or chapter problem becomes a BuildError) and settle what the build writes."""
    from analysis import text
    from analysis.project import ProjectError
    from clusterbench.engine.parse import QmdError

    try:
        book, collection, generated = _load_books(root, data_dir, to, lang)
    except ProjectError as exc:
        raise BuildError(str(exc)) from None
    except QmdError as exc:
        raise BuildError(_where(exc, root)) from None
    project = book.project
    edition = book_info(project).edition
    report_pdf = f"{REPORT_STEM}-{edition}.pdf"
    collection_pdf = f"{COLLECTION_STEM}-{edition}.pdf"
    downloads = []
    with text.speaking(lang):
        if "pdf" in to:
            downloads.append((text.say("Full report (PDF)", "Полный отчёт (PDF)"), report_pdf))
            if collection is not None:
                downloads.append((text.say("Best-Practice Collection (PDF)", "Сборник лучших практик (PDF)"), collection_pdf))
        # the page that explains the open data files, where the book has one; else the data package itself
        downloads += [(text.say("Open data", "Открытые данные"), "open-data.html") if (root / "open-data.qmd").exists()
                      else (text.say("Open data (CSV, datapackage.json)", "Открытые данные (CSV, datapackage.json)"),
                            "data/datapackage.json")]
    from clusterbench.prerender import folder

    declared = _declared(project, generated)
    declared.update(languages=[(code, folder(code)) for code in languages(root)], home_root="../" if lang != "en" else "")
    if card:
        declared.update(image=card["path"], image_alt=card["alt"], image_size=card["size"])
    info = book_info(project, downloads=downloads, declared=declared)
    return _WheelPlan(book, collection, info, downloads, report_pdf, collection_pdf)


def _execute_or_explain(jobs: list[tuple], cache: ExecutionCache, progress, workers: _Workers, root: Path,
                        timings: dict | None = None) -> tuple[dict, int, int]:
    """`_execute_all`, with a failing chapter, a dead kernel or a source problem turned into a BuildError."""
    from clusterbench.engine.execute import CellError, KernelError
    from clusterbench.engine.parse import QmdError

    try:
        return _execute_all(jobs, cache, progress, workers, timings)
    except CellError as exc:
        raise BuildError("A chapter failed to run:\n" + exc.report()) from None
    except KernelError as exc:
        raise BuildError(str(exc)) from None
    except QmdError as exc:
        raise BuildError(_where(exc, root)) from None


@dataclass
class _Edition:
    """One language's site and PDFs, assembled, while pandoc and Typst write them in the pool."""

    plan: _WheelPlan
    assembler: _Assembler
    lang: str
    folder: Path  # where in the site the edition goes: the site itself, or ru/
    first: bool  # the first edition also writes the open data, shared by all
    task: object
    started: float = field(default_factory=time.perf_counter)
    jobs: dict = field(default_factory=dict)  # future -> "report", "collection" or "html"


def _write_editions(plans: list, results: dict, root: Path, site: Path, to: tuple[str, ...], data_dir: Path,
                    cache_dir: Path, card: dict | None, progress, result: BuildResult, ds, compilers=None) -> None:
    """Every edition's site and PDFs, recorded in `result`; the work folders go whatever happens.

    Each edition is assembled in this thread, then pandoc and Typst write it in the pool while the next
    edition is assembled: on two cores, the English report compiles while the Russian pages are put together.
    """
    from clusterbench.engine import pandoc

    pandoc.CACHE_DIR = cache_dir / "pandoc"
    editions: list[_Edition] = []
    pool = cf.ThreadPoolExecutor(max_workers=3)
    try:
        for i, plan in enumerate(plans):
            editions.append(_start_edition(plan, results, root, site, to, card, progress, pool, compilers, first=i == 0))
            # An edition assembled lets go of its chapters' outputs (but those a later edition shares):
            # at 5,000 clusters each edition holds thousands of parsed profile pages, and the next can reuse that memory.
            later = {pc.doc.path for p in plans[i + 1:] for b in p.books() for pc in b.chapters}
            done = {pc.doc.path for b in plan.books() for pc in b.chapters} - later
            for key in [key for key in results if key[0] in done]:  # keys are job_key()s: (path, target, text hash)
                del results[key]
            plans[i] = plan = None
        if "html" in to:
            # This thread would only wait for Typst now: at 5,000 clusters the data files take it 5 s.
            with _timed(result.timings, "write the directory's data"):
                _write_site_data(root, ds, site)
        for edition in editions:
            _finish_edition(edition, root, to, data_dir, progress, result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for edition in editions:
            shutil.rmtree(edition.assembler.work, ignore_errors=True)


@contextmanager
def _edition_errors(root: Path, lang: str, first: bool):
    """A chapter, pandoc or Typst problem in an edition, as a BuildError that names the edition."""
    from clusterbench.engine import pandoc
    from clusterbench.engine.parse import QmdError
    from clusterbench.engine.typst import PdfError

    try:
        yield
    except QmdError as exc:
        raise BuildError(_where(exc, root)) from None
    except (pandoc.PandocError, PdfError) as exc:
        what = "The site" if first else f"The {lang} site"
        raise BuildError(f"{what} or a PDF could not be written: {exc}") from None


def _start_edition(plan: _WheelPlan, results: dict, root: Path, site: Path, to: tuple[str, ...], card: dict | None,
                   progress, pool: cf.ThreadPoolExecutor, compilers=None, *, first: bool) -> _Edition:
    """Assemble an edition and submit its site and PDFs to `pool`. The first edition goes at the root of the
    site; one in another language goes under its folder (ru/), beside it."""
    from clusterbench import prerender

    lang = plan.book.project.config.get("lang")
    folder = site if first else site / prerender.folder(lang)
    work = site.with_name(site.name + ("-work" if first else f"-work-{lang}"))
    total = ("html" in to) + ("pdf" in to) + (1 if plan.collection else 0) + first
    task = progress.add_task("Writing outputs" if first else f"Writing the {lang} edition", total=total)
    edition = _Edition(plan, _Assembler(results, folder, work), lang, folder, first, task)
    with _edition_errors(root, lang, first):
        _copy_resources(plan.book.project, folder)
        _write_card(folder, card)
        edition.jobs = _submit_formats(plan, edition.assembler, to, pool, compilers)
    return edition


def _finish_edition(edition: _Edition, root: Path, to: tuple[str, ...], data_dir: Path, progress, result: BuildResult) -> None:
    """Wait for an edition's site and PDFs, then write what follows from them (figure tables, downloads)."""
    plan, folder, timings = edition.plan, edition.folder, result.timings
    with _edition_errors(root, edition.lang, edition.first):
        for future in cf.as_completed(edition.jobs):
            done, kind = future.result(), edition.jobs[future]
            if kind == "html":
                result.pages += len(done)
            progress.update(edition.task, advance=1, description=_WROTE[kind])
    step = "write site and PDFs" + ("" if edition.first else f" ({edition.lang})")
    timings[step] = round(time.perf_counter() - edition.started, 3)
    if "pdf" in to:
        result.pdfs += [folder / plan.report_pdf] + ([folder / plan.collection_pdf] if plan.collection is not None else [])
    if edition.first:
        with _timed(timings, "write data downloads"):
            result.downloads += _write_downloads(data_dir, folder, edition.assembler.figure_tables)
        _write_empty_versions(folder)
        progress.update(edition.task, advance=1, description="Wrote the data downloads")
    else:
        result.downloads += _write_figure_tables(folder, edition.assembler.figure_tables)


_WROTE = {"html": "Wrote the HTML site", "report": "Wrote the full report PDF",
          "collection": "Wrote the Best-Practice Collection PDF"}
#: One Typst compile of each kind at a time, across editions: at 5,000 clusters a report's compile holds about
#: 2 GB, and the two editions' reports side by side would hold twice that.
_COMPILING = {"report": threading.Lock(), "collection": threading.Lock()}


def _submit_formats(plan: _WheelPlan, assembler: _Assembler, to: tuple[str, ...], pool: cf.ThreadPoolExecutor,
                    compilers=None) -> dict:
    """Assemble the edition's chapters for each format and submit the HTML site and the PDFs to `pool`.

    The site and the PDFs share nothing once assembled, and pandoc and Typst do their work outside the
    interpreter lock. The report goes first: its Typst compile is the longest job, and it runs while
    the site is assembled."""
    from clusterbench.engine import html as site_mod

    project, collection, site, work = plan.book.project, plan.collection, assembler.site, assembler.work
    jobs = {}
    if "pdf" in to:
        from clusterbench.engine import typst as pdf_mod

        typst_header = _typst_header(project)
        jobs[pool.submit(pdf_mod.render_pdf, book_info(project, downloads=plan.downloads, pdf=plan.report_pdf),
                         assembler.chapters(plan.book, "typst"), site / plan.report_pdf,
                         workdir=work / "report", kind="report", header=typst_header,
                         toc_depth=_toc_depth(project, "typst"), compiling=_COMPILING["report"],
                         compilers=compilers)] = "report"
        if collection is not None:
            cinfo = book_info(collection.project, downloads=plan.downloads, pdf=plan.collection_pdf)
            jobs[pool.submit(pdf_mod.render_pdf, cinfo, assembler.chapters(collection, "typst"), site / plan.collection_pdf,
                             workdir=work / "collection", kind="collection", header=typst_header,
                             toc_depth=_toc_depth(collection.project, "typst"),
                             compiling=_COMPILING["collection"], compilers=compilers)] = "collection"
    if "html" in to:
        jobs[pool.submit(site_mod.write_site, plan.info, assembler.chapters(plan.book, "html"), site)] = "html"
    return jobs


def _write_card(site: Path, card: dict | None) -> None:
    if card:
        (site / card["path"]).parent.mkdir(parents=True, exist_ok=True)
        (site / card["path"]).write_bytes(card["png"])


def _toc_depth(project, fmt: str) -> int:
    """format.<fmt>.toc-depth, or the depth each writer lists without it (Quarto's html default, 3; the PDF's, 2)."""
    return int(project.formats.get(fmt, {}).get("toc-depth", 3 if fmt == "html" else 2))


def _typst_header(project) -> str:
    """`format.typst.include-in-header`, which both engines put into the PDFs' preamble."""
    value = project.formats.get("typst", {}).get("include-in-header") or []
    names = [value] if isinstance(value, str) else value
    return "\n".join((project.root / name).read_text(encoding="utf-8") for name in names)


#: What a Quarto render may leave in the project folder; removed after each render, whatever its outcome.
QUARTO_LEFTOVERS = ("index.typ", "index.quarto_ipynb", "best-practices.typ", "ru/index.typ", "ru/index.quarto_ipynb",
                    "ru/best-practices.typ")


def _build_quarto(root: Path, site: Path, to: tuple[str, ...], data_dir: Path, card: dict | None = None) -> BuildResult:
    """Render with the Quarto CLI, for each language: the book in one call (both formats, so neither output
    empties the other), then the collection profile into its own folder; then copy both into the site
    (the Russian edition under ru/)."""
    from analysis.report.chapter import DATA_ENV
    from clusterbench.prerender import LANGUAGE_PROFILES, folder

    _write_card(root, card)  # Quarto copies it with project.resources and names it in each page's card
    env = {**os.environ, DATA_ENV: str(data_dir)}
    env.pop("QUARTO_PROFILE", None)
    result = BuildResult(site, "quarto", 0.0)
    for lang in languages(root):
        profiles = (None, COLLECTION_PROFILE) if lang == "en" else LANGUAGE_PROFILES[lang]
        result.pdfs += _render_with_quarto(root, site, folder(lang), to, env, *profiles)
    pages = sorted(site.rglob("*.html"))
    result.pages = len(pages)
    result.downloads = _write_downloads(data_dir, site, {}) + _write_chart_data(pages)
    _write_empty_versions(site)
    return result


def _render_with_quarto(root: Path, site: Path, lang_folder: str, to: tuple[str, ...], env: dict, book: str | None,
                        collection: str) -> list[Path]:
    """One language's book (`book`: its profile, None for the default) and collection, rendered by Quarto into
    its folder of the site (`lang_folder`: '' or 'ru/')."""
    from analysis import project as P

    here = site / lang_folder
    project = P.load(root, book)
    formats = (["html"] if "html" in to else []) + (["typst"] if "pdf" in to else [])
    profile = ["--profile", book] if book else []
    _run_quarto(["quarto", "render", *profile] + [arg for fmt in formats for arg in ("--to", fmt)], root, env)
    shutil.copytree(project.output_dir, here, dirs_exist_ok=True)
    nested = here / lang_folder
    if lang_folder and nested.is_dir():  # Quarto keeps the sources' folder (ru/) inside the output
        shutil.copytree(nested, here, dirs_exist_ok=True)
        shutil.rmtree(nested)
    edition = str(project.variables.get("edition", "draft"))
    pdfs = []
    if "pdf" in to:
        for pdf in sorted(here.glob("*.pdf")):
            target = here / f"{REPORT_STEM}-{edition}.pdf"
            if pdf != target:
                pdf.rename(target)
            pdfs.append(target)
        if (root / f"_quarto-{collection}.yml").exists():
            cproject = P.load(root, collection)
            _run_quarto(["quarto", "render", "--profile", collection, "--to", "typst"], root, env)
            found = sorted(cproject.output_dir.glob("*.pdf"))
            if not found:
                raise BuildError(f"quarto produced no PDF in {cproject.output_dir} for the '{collection}' profile")
            target = here / f"{COLLECTION_STEM}-{edition}.pdf"
            shutil.copy2(found[0], target)
            pdfs.append(target)
    return pdfs


def _write_chart_data(pages: list[Path]) -> int:
    """Each chart's data as CSV beside its page (`figures/<chart>.csv`), where the chart links to it."""
    from analysis.report.chapter import FIGURE_DATA_DIR
    from clusterbench.engine.book import chart_tables

    count = 0
    for page in pages:
        for chart_id, table in sorted(chart_tables(page.read_text(encoding="utf-8")).items()):
            folder = page.parent / FIGURE_DATA_DIR
            folder.mkdir(exist_ok=True)
            table.to_csv(folder / f"{chart_id}.csv", index=False, lineterminator="\n")
            count += 1
    return count


def _write_empty_versions(site: Path) -> None:
    """A single build knows no editions; `clusterbench.editions` writes the real list at the archive's root."""
    write_versions(site, {"latest": None, "editions": []})


def _run_quarto(cmd: list[str], root: Path, env: dict) -> None:
    # Quarto's freeze is not trusted for data changes: every render re-executes (no freeze in _quarto.yml).
    try:
        proc = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    finally:
        for name in QUARTO_LEFTOVERS:
            (root / name).unlink(missing_ok=True)
    if proc.returncode != 0:
        output = "\n".join(filter(None, [proc.stdout.strip(), proc.stderr.strip()]))
        lines = output.splitlines()
        # Quarto's own diagnosis: every ERROR or error line with what follows it, else the end of its output.
        first = next((k for k, line in enumerate(lines) if line.lstrip().upper().startswith("ERROR") or "error:" in line), None)
        shown = lines[first:first + 40] if first is not None else lines[-40:]
        raise BuildError(f"{' '.join(cmd)} failed (exit status {proc.returncode}):\n" + "\n".join(shown))


# --- the editions archive's files at a site root (written by every build, refused over by every build) ---


def versions_files(manifest: dict) -> dict[str, str]:
    text = json.dumps(manifest, indent=1, ensure_ascii=False)
    # file:// pages cannot fetch JSON; a script tag can load the same data.
    return {"versions.json": text + "\n", "versions.js": f"window.CB_VERSIONS = {text};\n"}


def write_versions(site: Path, manifest: dict) -> None:
    for name, text in versions_files(manifest).items():
        (site / name).write_text(text, encoding="utf-8")


def overwrite_refusal(folder: Path) -> str:
    """Why a build must not replace `folder` (it holds published editions), or '' when it may."""
    folder = Path(folder)
    archive = folder / "v"
    editions = archive.is_dir() and any(p.is_dir() and EDITION_RE.match(p.name) for p in archive.iterdir())
    listed = False
    versions = folder / "versions.json"
    if versions.exists():  # a single build writes one with no editions; only a listed edition is an archive
        try:
            listed = bool(json.loads(versions.read_text(encoding="utf-8")).get("editions"))
        except (ValueError, AttributeError):
            listed = True
    if not editions and not listed:
        return ""
    return (f"{folder} holds the editions archive (v/ and versions.json), which a build there would delete. "
            "Run `clusterbench build` without --out and --data to update the archive (the working tree goes "
            "to draft/), or give --out another folder.")
