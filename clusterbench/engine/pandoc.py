"""Running pandoc (the binary of the `pypandoc_binary` wheel), with an optional disk cache.

Every chapter goes through pandoc twice: its Markdown is read once into pandoc's AST
(`clusterbench.engine.crossref`), and that AST is written once per format by the HTML and
Typst writers. Conversions are pure functions of their input, so the build keeps them on
disk between runs, keyed by a hash of everything that goes in.

A pandoc process spends about 0.1 s starting (it reserves a 64 MB heap) before it converts
anything, so the build converts a book's chapters in batches (`convert_many`): one process per
core runs many conversions through `batch.lua`, each exactly as the command line would.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

#: Folder for conversions across builds (set by the build; None = no disk cache).
CACHE_DIR: Path | None = None
BATCH_SCRIPT = Path(__file__).with_name("batch.lua")
#: Text one batch process takes at most: bounds its memory however many pages a book has.
BATCH_CHARS = 4_000_000
#: The command line's default line length (`--columns`), which sets the Markdown reader's pipe-table widths.
COLUMNS = 72


class PandocError(Exception):
    """Pandoc could not run or could not convert; the message is pandoc's explanation, on one line.

    From `convert_many`, `index` is the position of the conversion that failed."""

    def __init__(self, message: str, index: int | None = None):
        super().__init__(message)
        self.index = index


class Conversion(NamedTuple):
    """One conversion for `convert_many`: what `run(text, reader=, writer=, args=)` would do."""

    text: str
    reader: str
    writer: str
    args: tuple[str, ...] = ()


@functools.lru_cache(maxsize=1)
def binary() -> str:
    try:
        import pypandoc
    except ImportError:
        raise PandocError("pandoc is needed: pip install pypandoc_binary") from None
    try:
        return pypandoc.get_pandoc_path()
    except OSError:
        raise PandocError("pandoc was not found: pip install pypandoc_binary") from None


@functools.lru_cache(maxsize=1)
def version() -> str:
    import pypandoc

    return pypandoc.get_pandoc_version()


def run(text: str, *, reader: str, writer: str, args: tuple[str, ...] = ()) -> str:
    """`text` converted from `reader` to `writer`; raises PandocError on failure."""
    return _pandoc(["--from", reader, "--to", writer, *args], text).replace("\r\n", "\n")


def _pandoc(args: list[str], stdin: str) -> str:
    """pandoc's standard output for `args` and `stdin`; PandocError with its explanation when it fails."""
    cmd = [binary(), *args]
    try:
        done = subprocess.run(cmd, input=stdin.encode("utf-8"), capture_output=True, check=False)
    except OSError as e:
        raise PandocError(f"could not run pandoc ({cmd[0]}): {e}") from None
    if done.returncode != 0:
        raise PandocError(_one_line(done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"))
    return done.stdout.decode("utf-8")


def _one_line(message: str) -> str:
    return " ".join(line.strip() for line in message.splitlines()[:4])


@functools.lru_cache(maxsize=1)
def _abbreviations() -> tuple[str, ...]:
    """Pandoc's default abbreviations, which its command line gives the Markdown reader."""
    return tuple(line for line in _pandoc(["--print-default-data-file", "abbreviations"], "").splitlines() if line.strip())


def _batch_job(c: Conversion) -> dict | None:
    """`c` as a job for batch.lua; None when it takes a command-line option the script does not know."""
    job: dict = {"text": c.text, "from": c.reader, "to": c.writer, "filters": [], "meta": {}, "options": {}}
    for arg in c.args:
        name, _, value = arg.partition("=")
        if arg == "--wrap=none":
            job["options"]["wrap_text"] = "none"
        elif arg == "--section-divs":
            job["options"]["section_divs"] = True
        elif name == "--lua-filter" and value:
            job["filters"].append(value)
        elif name == "--metadata" and ":" in value:
            key, _, meta = value.partition(":")
            job["meta"][key] = meta
        else:
            return None
    return job


def _chunks(sizes: list[int], workers: int) -> list[list[int]]:
    """Indices into `sizes`, shared out so each chunk has a like amount of text and at most BATCH_CHARS
    (unless one text is longer); at least one chunk per worker while there are texts for it."""
    count = max(min(workers, len(sizes)), -(-sum(sizes) // BATCH_CHARS))
    chunks: list[list[int]] = [[] for _ in range(count)]
    totals = [0] * count
    for i in sorted(range(len(sizes)), key=lambda i: -sizes[i]):  # longest first onto the lightest chunk
        k = totals.index(min(totals))
        chunks[k].append(i)
        totals[k] += sizes[i]
    return [sorted(c) for c in chunks if c]


def _run_batch(jobs: list[dict]) -> list[dict]:
    request = json.dumps({"abbreviations": list(_abbreviations()), "columns": COLUMNS, "jobs": jobs}, ensure_ascii=False)
    return json.loads(_pandoc(["lua", str(BATCH_SCRIPT)], request))


def run_many(conversions: list[Conversion], workers: int | None = None) -> list[str]:
    """Each conversion's output, as `run` would give it, from one pandoc process per chunk of them,
    the chunks side by side. Raises PandocError (with `index`) for the first conversion that fails."""
    outputs: list[str | None] = [None] * len(conversions)
    jobs = {i: _batch_job(c) for i, c in enumerate(conversions)}
    batched = [i for i, job in jobs.items() if job is not None]
    for i, job in jobs.items():
        if job is None:
            c = conversions[i]
            try:
                outputs[i] = run(c.text, reader=c.reader, writer=c.writer, args=c.args)
            except PandocError as e:
                raise PandocError(str(e), i) from None
    workers = workers or os.cpu_count() or 2
    chunks = _chunks([len(conversions[i].text) for i in batched], workers)
    errors: list[tuple[int, str]] = []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(chunks)))) as pool:  # at most one process per core
        for chunk, results in zip(chunks, pool.map(lambda chunk: _run_batch([jobs[batched[k]] for k in chunk]), chunks)):
            for k, result in zip(chunk, results):
                i = batched[k]
                if "error" in result:
                    errors.append((i, _one_line(result["error"])))
                else:
                    text = result["ok"].replace("\r\n", "\n")
                    outputs[i] = text if text.endswith("\n") else text + "\n"  # as the command line ends its output
    if errors:
        i, message = min(errors)
        raise PandocError(message, i)
    return [o or "" for o in outputs]


def _cache_path(kind: str, key: str) -> Path | None:
    if CACHE_DIR is None:
        return None
    return CACHE_DIR / kind / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}.txt"


def _remember(path: Path | None, text: str) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.{id(text)}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def recall(kind: str, key: str) -> str | None:
    """What `remember` kept under `key`, or None (nothing kept, or no CACHE_DIR)."""
    path = _cache_path(kind, key)
    return path.read_text(encoding="utf-8") if path is not None and path.exists() else None


def remember(kind: str, key: str, text: str) -> None:
    """Keep `text` on disk under CACHE_DIR by a hash of `key` (which must cover every input); no-op without it."""
    _remember(_cache_path(kind, key), text)


def cached(kind: str, key: str, make) -> str:
    """`make()`, remembered on disk under CACHE_DIR by a hash of `key` (which must cover every input)."""
    text = recall(kind, key)
    if text is None:
        text = make()
        remember(kind, key, text)
    return text


def _key(c: Conversion, extra_key: str) -> str:
    return "\0".join([version(), c.reader, c.writer, " ".join(c.args), extra_key, c.text])


def convert(text: str, *, reader: str, writer: str, args: tuple[str, ...] = (), kind: str = "", extra_key: str = "") -> str:
    """`run`, through the disk cache when `kind` names a cache folder; `extra_key` covers inputs
    outside `text` and `args` (the contents of a Lua filter, say)."""
    if not kind:
        return run(text, reader=reader, writer=writer, args=args)
    return cached(kind, _key(Conversion(text, reader, writer, args), extra_key),
                  lambda: run(text, reader=reader, writer=writer, args=args))


#: Cached conversions being made right now, by cache path: the report and the collection, written side by
#: side, share chapters, and a conversion another thread is making is waited for, not made twice.
_making: dict[Path, Future] = {}
_making_lock = threading.Lock()


def convert_many(conversions: list[Conversion], *, kind: str = "", extra_key: str = "") -> list[str]:
    """`convert` for each conversion, those not on disk in batches (`run_many`); each at most once at a time."""
    paths = [_cache_path(kind, _key(c, extra_key)) if kind else None for c in conversions]
    outputs = [p.read_text(encoding="utf-8") if p is not None and p.exists() else None for p in paths]
    todo, waits = [], {}
    with _making_lock:
        for i, out in enumerate(outputs):
            if out is not None:
                continue
            if paths[i] is not None and paths[i] in _making:
                waits[i] = _making[paths[i]]
                continue
            todo.append(i)
            if paths[i] is not None:
                _making[paths[i]] = Future()
    try:
        made = run_many([conversions[i] for i in todo]) if todo else []
    except BaseException as e:
        _settle({paths[i]: e for i in todo})
        if isinstance(e, PandocError):
            raise PandocError(str(e), None if e.index is None else todo[e.index]) from None
        raise
    for i, text in zip(todo, made):
        outputs[i] = text
        _remember(paths[i], text)
    _settle({paths[i]: outputs[i] for i in todo})
    for i, future in waits.items():
        try:
            outputs[i] = future.result()
        except PandocError as e:
            raise PandocError(str(e), i) from None
    return [o or "" for o in outputs]


def _settle(results: dict) -> None:
    """Hand each conversion this thread made (or its error) to the threads waiting for it."""
    with _making_lock:
        for path, result in results.items():
            future = _making.pop(path, None) if path is not None else None
            if future is None:
                continue
            if isinstance(result, BaseException):
                future.set_exception(result)
            else:
                future.set_result(result)
