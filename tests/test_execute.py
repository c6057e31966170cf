"""Running a chapter's cells in a Jupyter kernel."""

from __future__ import annotations

from pathlib import Path

import pytest

from clusterbench.engine import execute
from clusterbench.engine.parse import parse

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

    def start_new_kernel(self, **kwargs):
        type(self).starts += 1
        if type(self).starts <= type(self).failures:
            raise RuntimeError("Kernel didn't respond in 180 seconds")
        return super().start_new_kernel(**kwargs)


def test_a_kernel_that_fails_to_start_is_retried(tmp_path, monkeypatch):
    _FlakyStart.starts, _FlakyStart.failures = 0, 1
    monkeypatch.setattr(execute, "NotebookClient", _FlakyStart)
    result = execute.run(_doc(tmp_path), target="html", project_dir=tmp_path)
    assert list(result.inline.values()) == [{"total": "5"}]
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


def test_inline_values_are_matched_to_their_expressions_not_their_position(tmp_path):
    """An inline expression in the title must not shift the values of the body (it printed 2026 for 10)."""
    from analysis import project
    from clusterbench.engine import book as engine

    (tmp_path / "_quarto.yml").write_text('project:\n  type: book\nbook:\n  title: T\n  author: A\n'
                                          '  chapters:\n    - index.qmd\n', encoding="utf-8")
    (tmp_path / "index.qmd").write_text(
        "# Report of `{python} 2000 + 26` {.unnumbered}\n\n```{python}\nalpha, beta = 10, 20\n```\n\n"
        "Alpha is `{python} alpha` and beta is `{python} beta`.\n", encoding="utf-8")
    proj = project.load(tmp_path)
    book = engine.Book(proj, engine.parse_book(proj))
    executed = execute.run(book.chapters[0].doc, target="html", project_dir=tmp_path)
    assembly = engine.assemble(book, 0, executed, "html", figure_dir=tmp_path / "fig")
    assert "Alpha is 10 and beta is 20." in assembly.markdown
    assert assembly.title == "Report of 2026"


@pytest.mark.parametrize("value, shown", [
    ("{'text/plain': \"'1.5 <b>'\"}", r"1\.5 <b\>"),
    ("{'text/plain': 'np.int64(25)'}", "np.int64(25)"),
    ("{'text/markdown': '**x**', 'text/plain': 'x'}", "**x**"),
])
def test_inline_values_are_shown_by_quartos_rules(value, shown):
    assert execute.inline_text(eval(value)) == shown


def test_the_kernel_is_told_the_target_format_as_quarto_tells_it(tmp_path):
    path = tmp_path / "01-target.qmd"
    path.write_text("# Target {#sec-target}\n\n```{python}\nfrom analysis.report.chapter import target_format\n```\n\n"
                    "Format `{python} target_format()`.\n", encoding="utf-8")
    executed = execute.run(parse(path), target="typst", project_dir=tmp_path)
    assert list(executed.inline.values()) == [{"target_format()": "typst"}]


# --- warm kernels: one kernel per worker, a fresh namespace per chapter -------------------------

FIRST = """# First {#sec-first}

```{python}
import os
from IPython.display import Markdown
secret = 41
os.chdir("elsewhere")
os.environ["CB_LEFT_BEHIND"] = "yes"
Markdown(f"**{secret + 1}** from {os.environ['CB_CHAPTER']}")
```

Kernel `{python} str(os.getpid())`.
"""

SECOND = """# Second {#sec-second}

```{python}
import os
from IPython.display import Markdown
defined = "secret" in dir()
Markdown(f"secret defined: {defined}; folder {os.path.basename(os.getcwd())}; chapter {os.environ['CB_CHAPTER']}")
```

Kernel `{python} str(os.getpid())`.
"""


@pytest.fixture
def chapters(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    docs = []
    for name, text in (("01-first.qmd", FIRST), ("02-second.qmd", SECOND)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        docs.append(parse(tmp_path / name))
    yield docs
    if execute.WarmKernel._current is not None:
        execute.WarmKernel._current.close()


def _run(doc, root, chapter, warm):
    return execute.run(doc, target="html", project_dir=root, extra_env={"CB_CHAPTER": chapter}, warm=warm)


def _shown(result) -> list:
    return [item["data"]["text/markdown"] for output in result.outputs for item in output.items]


def test_a_warm_kernel_gives_each_chapter_a_fresh_namespace(chapters, tmp_path):
    first = _run(chapters[0], tmp_path, "one", warm=True)
    second = _run(chapters[1], tmp_path, "two", warm=True)
    pid = list(first.inline.values())[0]["str(os.getpid())"]
    assert list(second.inline.values())[0]["str(os.getpid())"] == pid  # the same kernel ran both
    # ... yet the second chapter sees neither the first one's names nor its working folder, only its own environment
    assert _shown(second) == [f"secret defined: False; folder {tmp_path.name}; chapter two"]


def test_a_name_from_the_last_chapter_is_an_error_in_the_next(chapters, tmp_path):
    leaky = tmp_path / "03-leaky.qmd"
    leaky.write_text("# Leaky {#sec-leaky}\n\n```{python}\n#| label: uses-secret\nsecret + 1\n```\n", encoding="utf-8")
    _run(chapters[0], tmp_path, "one", warm=True)
    with pytest.raises(execute.CellError) as info:
        _run(parse(leaky), tmp_path, "three", warm=True)
    assert info.value.ename == "NameError" and "secret" in info.value.evalue


def test_warm_and_cold_kernels_give_the_same_outputs(chapters, tmp_path):
    cold = [_run(doc, tmp_path, "same", warm=False) for doc in chapters]
    warm = [_run(doc, tmp_path, "same", warm=True) for doc in chapters]
    for c, w in zip(cold, warm):
        assert c.outputs == w.outputs and c.data_files == w.data_files
        assert {k: {e: v for e, v in vals.items() if "getpid" not in e} for k, vals in c.inline.items()} == \
               {k: {e: v for e, v in vals.items() if "getpid" not in e} for k, vals in w.inline.items()}
    assert _shown(warm[0]) == ["**42** from same"]


def test_a_page_with_nothing_to_run_starts_no_kernel(tmp_path, monkeypatch):
    page = tmp_path / "profile.md"
    page.write_text("# A cluster {#sec-a-cluster}\n\nPlain text, no code.\n", encoding="utf-8")
    monkeypatch.setattr(execute, "NotebookClient", None)  # any kernel start would fail
    doc = parse(page)
    assert not execute.needs_kernel(doc)
    result = execute.run(doc, target="html", project_dir=tmp_path, warm=True)
    assert result.data_files == [] and all(not o.items for o in result.outputs)


def test_an_inline_string_keeps_its_no_break_spaces():
    """Russian numbers group digits with a no-break space ('12 400'); Python's repr would escape it ('12\\xa0400'),
    and Quarto shows an inline string's repr as it is. A chapter's setup makes strings keep their spaces."""
    from analysis.report.chapter import plain_text

    assert "xa0" in execute.inline_text({"text/plain": repr("12\u00a0400")})  # the problem: the reader sees '12\xa0400'
    for value, shown in (("12\u00a0400 человек", "12\u00a0400 человек"), ("23 ноября 2026\u202fг", "23 ноября 2026\u202fг"),
                         ("it's 1\u00a0000", "it's 1\u00a0000")):
        out = execute.inline_text({"text/plain": plain_text(value)})
        assert out == shown
    assert plain_text("plain text") == repr("plain text")  # other text is quoted exactly as Python quotes it
