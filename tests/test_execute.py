"""Running a chapter's cells in a Jupyter kernel."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import execute
from analysis.qmd import parse

CHAPTER = """# Sums {#sec-sums}

```{python}
total = 2 + 3
```

The total is `{python} total`.
"""


def _doc(tmp_path: Path):
    path = tmp_path / "01-sums.qmd"
    path.write_text(CHAPTER, encoding="utf-8")
    return parse(path)


class _FlakyStart(execute.NotebookClient):
    """Fails to start a kernel the first `failures` times, as a loaded machine can."""

    failures = 1
    starts = 0

    def execute(self, **kwargs):
        type(self).starts += 1
        if type(self).starts <= type(self).failures:
            raise RuntimeError("Kernel didn't respond in 180 seconds")
        return super().execute(**kwargs)


def test_a_kernel_that_fails_to_start_is_retried(tmp_path, monkeypatch):
    _FlakyStart.starts, _FlakyStart.failures = 0, 1
    monkeypatch.setattr(execute, "NotebookClient", _FlakyStart)
    result = execute.run(_doc(tmp_path), target="html", project_dir=tmp_path)
    assert result.inline == ["5"]
    assert _FlakyStart.starts == 2


def test_a_kernel_that_never_starts_names_the_chapter(tmp_path, monkeypatch):
    _FlakyStart.starts, _FlakyStart.failures = 0, 99
    monkeypatch.setattr(execute, "NotebookClient", _FlakyStart)
    with pytest.raises(execute.KernelError) as info:
        execute.run(_doc(tmp_path), target="html", project_dir=tmp_path)
    assert "01-sums.qmd" in str(info.value) and "3 attempt" in str(info.value)
    assert "didn't respond" in str(info.value)
    assert _FlakyStart.starts == execute.KERNEL_START_ATTEMPTS


def test_a_failing_cell_is_not_retried(tmp_path, monkeypatch):
    path = tmp_path / "02-bad.qmd"
    path.write_text("# Bad {#sec-bad}\n\n```{python}\n#| label: boom\n1 / 0\n```\n", encoding="utf-8")
    _FlakyStart.starts, _FlakyStart.failures = 0, 0
    monkeypatch.setattr(execute, "NotebookClient", _FlakyStart)
    with pytest.raises(execute.CellError) as info:
        execute.run(parse(path), target="html", project_dir=tmp_path)
    assert info.value.ename == "ZeroDivisionError" and info.value.label == "boom"
    assert _FlakyStart.starts == 1
