"""Run a chapter's Python cells in a Jupyter kernel with Quarto's execution contract.

The kernel sees `QUARTO_PROJECT_DIR` and `QUARTO_EXECUTE_INFO` (a JSON file whose
`format.identifier.target-format` names the target), exactly as under Quarto, so a
chapter cannot tell the engines apart. Inline expressions (`` `{python} expr` ``)
run in document order between the cells.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from analysis.qmd import INLINE_CODE, Cell, Document, Markdown

INLINE_MARK = "\x1fcb-inline\x1f"
KERNEL_STARTUP_TIMEOUT = 180  # seconds; parallel kernels on a small CI machine start slowly
KERNEL_START_ATTEMPTS = 3
_DEPS_CODE = (
    "import json as _cb_json, analysis.chapter as _cb_chapter\n"
    "print(_cb_json.dumps(_cb_chapter.accessed_files()))"
)


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
    inline: list[str]  # values of inline expressions, in document order
    data_files: list[str]  # data files the chapter read (for incremental rebuilds)


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


def _inline_cell(expr: str) -> str:
    return f"print({INLINE_MARK!r} + str({expr.strip()}), end='')"


def _cell_error(doc: Document, nb, plan: list, exc: CellExecutionError) -> CellError:
    index = next((k for k, c in enumerate(nb.cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
    kind, block, expr = plan[index] if index is not None and index < len(plan) else ("cell", None, None)
    error = next((o for o in nb.cells[index].outputs if o.output_type == "error"), {}) if index is not None else {}
    trace = _strip_ansi("\n".join(error.get("traceback", [])))
    line = block.line if block is not None else 1
    label = block.label if isinstance(block, Cell) else (f"inline `{expr}`" if expr else None)
    return CellError(doc.path, line, label, error.get("ename", "Error"), error.get("evalue", str(exc)), trace)


def run(doc: Document, *, target: str, project_dir: Path, extra_env: dict[str, str] | None = None, timeout: int = 300) -> Executed:
    """Execute every cell and inline expression of a chapter for one target format."""
    cells, plan = [], []
    for block in doc.blocks:
        if isinstance(block, Markdown):
            for m in INLINE_CODE.finditer(block.text):
                cells.append(nbformat.v4.new_code_cell(_inline_cell(m.group(1))))
                plan.append(("inline", block, m.group(1)))
        elif block.options.get("eval", True) is not False:
            cells.append(nbformat.v4.new_code_cell(block.code))
            plan.append(("cell", block, None))
        else:
            plan.append(("skipped", block, None))
    if not cells:  # nothing to run: a plain Markdown page needs no kernel
        return Executed([Output(b) for kind, b, _ in plan if kind == "skipped"], [], [])
    cells.append(nbformat.v4.new_code_cell(_DEPS_CODE))
    nb = nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    with tempfile.TemporaryDirectory(prefix="cb-exec-") as tmp:
        env = {"QUARTO_PROJECT_DIR": str(project_dir), "QUARTO_EXECUTE_INFO": str(execute_info(target, Path(tmp)))}
        env.update(extra_env or {})
        kernel_env = {**os.environ, **env}
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            started = []
            client = NotebookClient(nb, kernel_name="python3", timeout=timeout, startup_timeout=KERNEL_STARTUP_TIMEOUT,
                                    allow_errors=False, on_notebook_start=lambda notebook: started.append(True),
                                    resources={"metadata": {"path": str(project_dir)}})
            try:
                # The kernel gets Quarto's variables through its own environment, so chapters can run in parallel;
                # its stderr (connection notices) is dropped: errors come back through the protocol.
                client.execute(env=kernel_env, stderr=subprocess.DEVNULL)
                break
            except CellExecutionError as exc:
                raise _cell_error(doc, nb, plan, exc) from None
            except Exception as exc:
                # A kernel that fails to start (a slow, loaded machine; a port taken by a parallel kernel) is
                # retried with a fresh one; a failure after it started is the chapter's and is not.
                if started or attempt == KERNEL_START_ATTEMPTS:
                    raise KernelError(doc.path, attempt, f"{type(exc).__name__}: {exc}") from exc
    outputs, inline = [], []
    executed = iter(nb.cells)
    for kind, block, _ in plan:
        if kind == "skipped":
            outputs.append(Output(block))
            continue
        cell = next(executed)
        if kind == "inline":
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            inline.append(text.split(INLINE_MARK, 1)[-1])
        else:
            outputs.append(Output(block, [dict(o) for o in cell.outputs]))
    deps_cell = next(executed)
    deps_text = "".join(o.get("text", "") for o in deps_cell.outputs if o.output_type == "stream").strip()
    data_files = json.loads(deps_text.splitlines()[-1]) if deps_text else []
    return Executed(outputs, inline, data_files)


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)
