"""Run a chapter's Python cells in a Jupyter kernel with Quarto's execution contract.

The kernel sees `QUARTO_PROJECT_DIR` and `QUARTO_EXECUTE_INFO` (a JSON file whose
`format.identifier.target-format` names the target), exactly as under Quarto, so a
chapter cannot tell the engines apart. Inline expressions (`` `{python} expr` ``) are
evaluated as Quarto does: when their Markdown block is reached, as the kernel's
`user_expressions`, and their values are shown by Quarto's rules (`inline_text`).
Each value is kept under its block and its own expression text, never by position.

A page with nothing to run (no cells, no inline expressions) starts no kernel. With `warm=True` a
process keeps one kernel across chapters (`WarmKernel`): pandas, Altair and the analysis package are
then imported once per build worker instead of once per page, and each chapter still starts from an
empty namespace, its own environment and the project folder as working directory.
"""

from __future__ import annotations

import json
import multiprocessing.util
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbclient.util import run_sync

from clusterbench.engine.parse import INLINE_CODE, Cell, Document, Markdown

KERNEL_STARTUP_TIMEOUT = 180  # seconds; parallel kernels on a small CI machine start slowly
KERNEL_START_ATTEMPTS = 3
_DEPS_CODE = (
    "import json as _cb_json, analysis.report.chapter as _cb_chapter\n"
    "print(_cb_json.dumps(_cb_chapter.accessed_files()))\n"
    "_cb_chapter._contexts.clear()  # a warm kernel's next chapter reports only what it reads itself"
)
#: Run silently in a warm kernel before each chapter: no name, environment or folder of the last one survives.
#: `%reset` ends in full garbage collections; freezing what survives it (modules, the cached data) keeps the
#: next chapter's collections from walking all of pandas and Altair again (about 0.1 s a chapter).
_RESET_CODE = """\
get_ipython().run_line_magic("reset", "-f")
import gc as _cb_gc, os as _cb_os
_cb_gc.freeze()
_cb_os.environ.update({env!r})
_cb_os.chdir({cwd!r})
get_ipython().execution_count = 1
del _cb_gc, _cb_os
"""
#: A warm kernel imports what chapters import, so that no chapter pays for it: the findings modules
#: bring analysis.indicators and analysis.charts with them.
_WARM_UP_CODE = (
    "import importlib, pkgutil\n"
    "import analysis.report.chapter, analysis.report.findings\n"
    "for _module in pkgutil.iter_modules(analysis.report.findings.__path__):\n"
    "    importlib.import_module('analysis.report.findings.' + _module.name)\n"
)
KERNELSPEC = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


class CellError(Exception):
    """A cell raised; the message names chapter, cell and error in a few lines."""

    def __init__(self, path: Path, line: int, label: str | None, ename: str, evalue: str, trace: str):
        self.path, self.line, self.label = path, line, label
        self.ename, self.evalue, self.trace = ename, evalue, trace
        where = f"{Path(path).name}:{line}" + (f" (cell '{label}')" if label else "")
        super().__init__(f"{where}: {ename}: {evalue}")

    def __reduce__(self):  # travels back from worker processes intact
        return (CellError, (self.path, self.line, self.label, self.ename, self.evalue, self.trace))

    def report(self) -> str:
        tail = "\n".join(self.trace.strip().splitlines()[-4:])
        return f"{self}\n{tail}" if tail else str(self)


class KernelError(Exception):
    """The kernel for a chapter could not be started or died; names the chapter."""

    def __init__(self, path: Path, attempts: int, reason: str):
        self.path, self.attempts, self.reason = path, attempts, reason
        super().__init__(f"{Path(path).name}: the Python kernel failed after {attempts} attempt(s): {reason}")

    def __reduce__(self):
        return (KernelError, (self.path, self.attempts, self.reason))


@dataclass
class Output:
    """What one cell (or inline expression) produced."""

    cell: Cell | None
    items: list[dict] = field(default_factory=list)  # nbformat outputs


@dataclass
class Executed:
    outputs: list[Output]  # one per cell, in order
    inline: dict[int, dict[str, str]]  # Markdown block's first line -> expression text -> Markdown shown
    data_files: list[str]  # data files the chapter read (for incremental rebuilds)

    def inline_value(self, line: int, expr: str) -> str:
        return self.inline[line][expr.strip()]


def execute_info(target: str, folder: Path) -> Path:
    """Write the QUARTO_EXECUTE_INFO file for a target format."""
    base = "html" if target.startswith("html") else target
    info = {
        "format": {
            "identifier": {"target-format": target, "base-format": base, "display-name": target.upper()},
            "pandoc": {"to": target},
        }
    }
    path = folder / f"execute-info-{target}.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    return path


def inline_text(data: dict) -> str:
    """An inline value as Quarto shows it: Markdown as it is, a quoted `repr` of a string
    without its quotes and with Markdown escaped, any other `text/plain` repr as it is
    (so `np.int64(25)` shows as such: chapters format their numbers as `str`)."""
    if "text/markdown" in data:
        return str(data["text/markdown"])
    if "text/html" in data:
        return f"`{data['text/html']}`{{=html}}"
    text = str(data.get("text/plain", ""))
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        text = text[1:-1].replace("\\", "\\\\")
        return re.sub(r"([\\`*_{}\[\]()>#+,\-.!])", r"\\\1", text)  # Quarto's set: + to . is a range
    return text


def _inline_values(client: NotebookClient, doc: Document, block: Markdown, exprs: list[str]) -> dict[str, str]:
    msg_id = client.kc.execute("", silent=False, store_history=False,
                               user_expressions={str(k): e for k, e in enumerate(exprs)})
    reply = client.wait_for_reply(msg_id)
    content = reply.get("content", {}) if reply else {}
    results = content.get("user_expressions") or {}
    values = {}
    for k, expr in enumerate(exprs):
        result = results.get(str(k), {"status": "error", "ename": "Error", "evalue": content.get("evalue", "no reply")})
        if result.get("status") != "ok":
            line = block.line + block.text[: block.text.find(expr)].count("\n")
            raise CellError(doc.path, line, f"inline `{expr.strip()}`", result.get("ename", "Error"),
                            result.get("evalue", ""), _strip_ansi("\n".join(result.get("traceback", []))))
        values[expr.strip()] = inline_text(result.get("data", {}))
    return values


def _cell_error(doc: Document, block: Cell, cell, exc: CellExecutionError) -> CellError:
    error = next((o for o in cell.outputs if o.output_type == "error"), {})
    trace = _strip_ansi("\n".join(error.get("traceback", [])))
    return CellError(doc.path, block.line, block.label, error.get("ename", "Error"), error.get("evalue", str(exc)), trace)


def _plan(doc: Document) -> tuple[list[tuple[str, object, list[str]]], list]:
    """The chapter's steps in order, ("cell" | "inline" | "skipped", block, expressions), and its code cells."""
    steps: list[tuple[str, object, list[str]]] = []
    cells = []
    for block in doc.blocks:
        if isinstance(block, Markdown):
            exprs = [m.group(1) for m in INLINE_CODE.finditer(block.text)]
            if exprs:
                steps.append(("inline", block, exprs))
        elif block.options.get("eval", True) is not False:
            cells.append(nbformat.v4.new_code_cell(block.code))
            steps.append(("cell", block, []))
        else:
            steps.append(("skipped", block, []))
    return steps, cells


def needs_kernel(doc: Document) -> bool:
    """Whether the chapter has anything to run; a plain Markdown page (a cluster profile) has not."""
    return _has_work(_plan(doc)[0])


def _has_work(steps: list) -> bool:
    return any(kind != "skipped" for kind, _, _ in steps)


def run(doc: Document, *, target: str, project_dir: Path, extra_env: dict[str, str] | None = None, timeout: int = 300,
        warm: bool = False) -> Executed:
    """Execute every cell and inline expression of a chapter for one target format.

    `warm` runs it in this process's warm kernel (started on first use) instead of a kernel of its own.
    """
    steps, cells = _plan(doc)
    if not _has_work(steps):  # nothing to run: a plain Markdown page needs no kernel
        return Executed([Output(b) for _, b, _ in steps], {}, [])
    cells.append(nbformat.v4.new_code_cell(_DEPS_CODE))
    nb = nbformat.v4.new_notebook(cells=cells, metadata=KERNELSPEC)
    with tempfile.TemporaryDirectory(prefix="cb-exec-") as tmp:
        env = {"QUARTO_PROJECT_DIR": str(project_dir), "QUARTO_EXECUTE_INFO": str(execute_info(target, Path(tmp)))}
        env.update(extra_env or {})
        if warm:
            return WarmKernel.get(doc, project_dir, env, timeout).run(doc, nb, steps, env)
        return _run_cold(doc, nb, steps, project_dir, env, timeout)


def _new_client(nb, project_dir: Path, timeout: int) -> NotebookClient:
    return NotebookClient(nb, kernel_name="python3", timeout=timeout, startup_timeout=KERNEL_STARTUP_TIMEOUT,
                          allow_errors=False, resources={"metadata": {"path": str(project_dir)}})


def _run_cold(doc: Document, nb, steps: list, project_dir: Path, env: dict[str, str], timeout: int) -> Executed:
    """The chapter in a kernel of its own, started for it and shut down after it."""
    kernel_env = {**os.environ, **env}
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        client = _new_client(nb, project_dir, timeout)
        started = False
        try:
            client.reset_execution_trackers()
            # The kernel gets Quarto's variables through its own environment, so chapters can run in parallel;
            # its stderr (connection notices) is dropped: errors come back through the protocol.
            with client.setup_kernel(env=kernel_env, stderr=subprocess.DEVNULL):
                client.wait_for_reply(client.kc.kernel_info())
                started = True
                return _run_steps(client, doc, nb, steps)
        except CellError:
            raise
        except Exception as exc:
            # A kernel that fails to start (a slow, loaded machine; a port taken by a parallel kernel) is
            # retried with a fresh one; a failure after it started is the chapter's and is not.
            if started or attempt == KERNEL_START_ATTEMPTS:
                raise KernelError(doc.path, attempt, f"{type(exc).__name__}: {exc}") from exc
    raise AssertionError("unreachable: the last attempt either returns or raises")


class WarmKernel:
    """One kernel per process, kept across chapters of one project; shut down when the process exits."""

    _current: WarmKernel | None = None

    def __init__(self, doc: Document, project_dir: Path, env: dict[str, str], timeout: int):
        self.project_dir = project_dir
        kernel_env = {**os.environ, **env}
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            self.client = _new_client(nbformat.v4.new_notebook(metadata=KERNELSPEC), project_dir, timeout)
            try:
                self.client.km = self.client.create_kernel_manager()
                self.client.start_new_kernel(env=kernel_env, stderr=subprocess.DEVNULL)
                self.client.start_new_kernel_client()
                self.client.wait_for_reply(self.client.kc.kernel_info())
                return
            except Exception as exc:  # retried as a cold kernel's start is
                self.close()
                if attempt == KERNEL_START_ATTEMPTS:
                    raise KernelError(doc.path, attempt, f"{type(exc).__name__}: {exc}") from exc

    @classmethod
    def get(cls, doc: Document, project_dir: Path, env: dict[str, str], timeout: int) -> WarmKernel:
        """This process's kernel for the project, started on first use (or after the last one died)."""
        current = cls._current
        if current is not None and (current.project_dir != project_dir or not current.alive()):
            current.close()
            current = None
        if current is None:
            current = cls._current = WarmKernel(doc, project_dir, env, timeout)
            # Pool workers leave through multiprocessing, which skips atexit but runs its finalizers.
            multiprocessing.util.Finalize(current, current.close, exitpriority=10)
        return current

    @classmethod
    def warm_up(cls, project_dir: Path, env: dict[str, str], timeout: int = 300) -> None:
        """Start this process's kernel before any chapter needs it, with the chapters' libraries imported
        (the first chapter would import them anyway; a chapter still starts from an empty namespace)."""
        kernel = cls.get(Document(project_dir / "(warm-up)", {}), project_dir, env, timeout)
        kernel.client.wait_for_reply(kernel.client.kc.execute(_WARM_UP_CODE, silent=True, store_history=False))

    def alive(self) -> bool:
        return self.client.km is not None and bool(run_sync(self.client.km.is_alive)())

    def run(self, doc: Document, nb, steps: list, env: dict[str, str]) -> Executed:
        client = self.client
        client.nb = nb
        client.reset_execution_trackers()
        reply = client.wait_for_reply(client.kc.execute(_RESET_CODE.format(env=env, cwd=str(self.project_dir)),
                                                        silent=True, store_history=False))
        content = (reply or {}).get("content", {})
        if content.get("status") != "ok":
            self.close()
            raise KernelError(doc.path, 1, f"the kernel could not be reset: {content.get('evalue', 'no reply')}")
        try:
            return _run_steps(client, doc, nb, steps)
        except CellError:
            raise
        except Exception as exc:  # the kernel died mid-chapter: the next chapter gets a new one
            self.close()
            raise KernelError(doc.path, 1, f"{type(exc).__name__}: {exc}") from exc

    def close(self) -> None:
        if self.client.km is not None:
            self.client._cleanup_kernel()
            self.client.km = self.client.kc = None
        if WarmKernel._current is self:
            WarmKernel._current = None


def _run_steps(client: NotebookClient, doc: Document, nb, steps: list) -> Executed:
    outputs, inline = [], {}
    cells = iter(enumerate(nb.cells))
    for kind, block, exprs in steps:
        if kind == "skipped":
            outputs.append(Output(block))
        elif kind == "inline":
            inline[block.line] = _inline_values(client, doc, block, exprs)
        else:
            index, cell = next(cells)
            try:
                client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
            except CellExecutionError as exc:
                raise _cell_error(doc, block, cell, exc) from None
            outputs.append(Output(block, [dict(o) for o in cell.outputs]))
    index, deps_cell = next(cells)
    client.execute_cell(deps_cell, index)
    deps_text = "".join(o.get("text", "") for o in deps_cell.outputs if o.output_type == "stream").strip()
    data_files = json.loads(deps_text.splitlines()[-1]) if deps_text else []
    return Executed(outputs, inline, data_files)


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
