"""Running pandoc (the binary of the `pypandoc_binary` wheel), with an optional disk cache.

Every chapter goes through pandoc twice: its Markdown is read once into pandoc's AST
(`clusterbench.engine.crossref`), and that AST is written once per format by the HTML and
Typst writers. Conversions are pure functions of their input, so the build keeps them on
disk between runs, keyed by a hash of everything that goes in.
"""

from __future__ import annotations

import functools
import hashlib
import os
import subprocess
from pathlib import Path

#: Folder for conversions across builds (set by the build; None = no disk cache).
CACHE_DIR: Path | None = None


class PandocError(Exception):
    """Pandoc could not run or could not convert; the message is pandoc's explanation, on one line."""


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
    cmd = [binary(), "--from", reader, "--to", writer, *args]
    try:
        done = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True, check=False)
    except OSError as e:
        raise PandocError(f"could not run pandoc ({cmd[0]}): {e}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or f"exit status {done.returncode}"
        raise PandocError(" ".join(line.strip() for line in message.splitlines()[:4]))
    return done.stdout.decode("utf-8").replace("\r\n", "\n")


def cached(kind: str, key: str, make) -> str:
    """`make()`, remembered on disk under CACHE_DIR by a hash of `key` (which must cover every input)."""
    if CACHE_DIR is None:
        return make()
    path = CACHE_DIR / kind / f"{hashlib.sha256(key.encode('utf-8')).hexdigest()}.txt"
    if path.exists():
        return path.read_text(encoding="utf-8")
    text = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return text


def convert(text: str, *, reader: str, writer: str, args: tuple[str, ...] = (), kind: str = "", extra_key: str = "") -> str:
    """`run`, through the disk cache when `kind` names a cache folder; `extra_key` covers inputs
    outside `text` and `args` (the contents of a Lua filter, say)."""
    if not kind:
        return run(text, reader=reader, writer=writer, args=args)
    key = "\0".join([version(), reader, writer, " ".join(args), extra_key, text])
    return cached(kind, key, lambda: run(text, reader=reader, writer=writer, args=args))
