"""Batched pandoc runs (clusterbench.engine.pandoc.run_many) give what one command-line run per text gives."""

from __future__ import annotations

import threading

import pytest

from clusterbench.engine import pandoc
from clusterbench.engine.html import LUA_FILTER as SITE_FILTER
from clusterbench.engine.typst import FILTER as TYPST_FILTER

pytest.importorskip("pypandoc")

LONG_ROW = "| " + " | ".join(f"column {i} with a fairly long heading" for i in range(4)) + " |"
MARKDOWN = f"""# A chapter {{#sec-a}}

Lindqvist et al. (2013) counted 23 November clusters, as Mr. Smith said.

{LONG_ROW}
|---|---|---|---|
| a | b | c | d |

::: {{.callout-note}}
## A note
Body text with **bold** and a [link](other.qmd#sec-b).
:::

![A picture](figures/a.svg)
"""


def _json_ast(markdown: str, reader: str = "markdown") -> str:
    return pandoc.run(markdown, reader=reader, writer="json")


def test_batched_conversions_are_byte_identical_to_one_run_each(tmp_path):
    ast = _json_ast(MARKDOWN)
    conversions = [
        pandoc.Conversion(MARKDOWN, "markdown", "json"),
        pandoc.Conversion(MARKDOWN, "markdown-raw_html-raw_tex", "json"),
        pandoc.Conversion(ast, "json", "html5", ("--section-divs", "--wrap=none", f"--lua-filter={SITE_FILTER}")),
        pandoc.Conversion(_json_ast(MARKDOWN, "markdown-raw_html-raw_tex"), "json", "typst",
                          ("--wrap=none", f"--lua-filter={TYPST_FILTER}", f"--metadata=cb-base:{tmp_path.as_posix()}")),
        pandoc.Conversion("Cite *this*.", "markdown", "html5", ("--wrap=none",)),
    ]
    one_each = [pandoc.run(c.text, reader=c.reader, writer=c.writer, args=c.args) for c in conversions]
    assert pandoc.run_many(conversions) == one_each
    # what the batch must match: pandoc's abbreviations, pipe-table widths, the filter's output, the final newline
    assert '"al.\u00a0(2013)"' in one_each[0] and '"23"},{"t":"Space"},{"t":"Str","c":"November"' in one_each[0]
    assert '"ColWidth"' in one_each[0]
    assert 'class="callout callout-note"' in one_each[2] and one_each[2].endswith("\n")
    assert tmp_path.as_posix() in one_each[3]


def test_many_texts_are_shared_out_over_processes_in_order(monkeypatch):
    texts = [f"Paragraph number {i}." for i in range(9)]
    monkeypatch.setattr(pandoc, "BATCH_CHARS", 60)  # forces several processes
    out = pandoc.run_many([pandoc.Conversion(t, "markdown", "html5") for t in texts], workers=2)
    assert out == [f"<p>Paragraph number {i}.</p>\n" for i in range(9)]


def test_no_more_processes_run_at_once_than_there_are_workers(monkeypatch):
    monkeypatch.setattr(pandoc, "BATCH_CHARS", 20)  # 12 chunks
    running, most = 0, 0
    lock = threading.Lock()
    real = pandoc._run_batch

    def counted(jobs):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            return real(jobs)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(pandoc, "_run_batch", counted)
    out = pandoc.run_many([pandoc.Conversion(f"Text number {i}.", "markdown", "html5") for i in range(12)], workers=2)
    assert out == [f"<p>Text number {i}.</p>\n" for i in range(12)]
    assert most <= 2


def test_chunks_cover_every_text_once_and_keep_within_the_limit(monkeypatch):
    monkeypatch.setattr(pandoc, "BATCH_CHARS", 100)
    sizes = [90, 10, 40, 40, 30, 250, 5]
    chunks = pandoc._chunks(sizes, workers=2)
    assert sorted(i for chunk in chunks for i in chunk) == list(range(len(sizes)))
    assert all(sum(sizes[i] for i in chunk) <= 100 or len(chunk) == 1 for chunk in chunks)
    assert len(pandoc._chunks([1, 1, 1], workers=2)) == 2  # both cores work on a small book


def test_a_failing_conversion_is_named_by_its_position():
    good = pandoc.Conversion(_json_ast("Fine."), "json", "html5", (f"--lua-filter={SITE_FILTER}",))
    bad = pandoc.Conversion(_json_ast("::: {.callout-bogus}\nx\n:::\n"), "json", "html5", (f"--lua-filter={SITE_FILTER}",))
    with pytest.raises(pandoc.PandocError, match="unsupported callout type 'callout-bogus'") as caught:
        pandoc.run_many([good, good, bad, good])
    assert caught.value.index == 2


def test_an_option_the_batch_does_not_know_runs_on_its_own():
    conversion = pandoc.Conversion("# Title\n\nText.\n", "markdown", "html5", ("--shift-heading-level-by=1",))
    assert pandoc._batch_job(conversion) is None
    assert pandoc.run_many([conversion]) == [pandoc.run(conversion.text, reader="markdown", writer="html5",
                                                         args=conversion.args)]


def test_convert_many_reuses_conversions_kept_on_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(pandoc, "CACHE_DIR", tmp_path)
    conversions = [pandoc.Conversion(f"Text {i}.", "markdown", "html5") for i in range(3)]
    first = pandoc.convert_many(conversions, kind="test")

    def no_pandoc(*args, **kwargs):
        raise AssertionError("pandoc ran for a conversion kept on disk")

    monkeypatch.setattr(pandoc, "run_many", no_pandoc)
    assert pandoc.convert_many(conversions, kind="test") == first == [f"<p>Text {i}.</p>\n" for i in range(3)]


def test_typst_conversions_are_kept_and_a_changed_filter_converts_again(tmp_path, monkeypatch):
    from clusterbench.engine import typst

    monkeypatch.setattr(pandoc, "CACHE_DIR", tmp_path)
    ast = _json_ast("Some *text*.")
    first = typst.to_typst(ast)
    assert len(list((tmp_path / "typst").iterdir())) == 1

    def no_pandoc(*args, **kwargs):
        raise AssertionError("pandoc ran for a Typst conversion kept on disk")

    monkeypatch.setattr(pandoc, "run_many", no_pandoc)
    assert typst.to_typst(ast) == first == "Some #emph[text].\n"
    # the filter is part of the key: a new filter.lua must not be served an old conversion
    changed = tmp_path / "filter.lua"
    changed.write_text(TYPST_FILTER.read_text(encoding="utf-8") + "\n-- changed\n", encoding="utf-8")
    monkeypatch.setattr(typst, "FILTER", changed)
    with pytest.raises(AssertionError, match="pandoc ran"):
        typst.to_typst(ast)


def test_a_conversion_asked_for_twice_at_once_is_made_once(tmp_path, monkeypatch):
    """The report and the collection, written side by side, ask for their shared chapters at the same time."""
    monkeypatch.setattr(pandoc, "CACHE_DIR", tmp_path)
    made, started = [], threading.Event()
    run_many = pandoc.run_many

    def slow_run_many(conversions, *args, **kwargs):
        made.extend(c.text for c in conversions)
        started.set()
        threading.Event().wait(1.0)  # the other thread asks meanwhile
        return run_many(conversions, *args, **kwargs)

    monkeypatch.setattr(pandoc, "run_many", slow_run_many)
    shared = pandoc.Conversion("Shared *text*.", "markdown", "html5")
    results = {}
    first = threading.Thread(target=lambda: results.update(a=pandoc.convert_many([shared, shared], kind="test")))
    first.start()
    started.wait(10)
    results["b"] = pandoc.convert_many([pandoc.Conversion("Other.", "markdown", "html5"), shared], kind="test")
    first.join(10)
    assert made == ["Shared *text*.", "Other."]
    assert results["a"] == ["<p>Shared <em>text</em>.</p>\n"] * 2
    assert results["b"] == ["<p>Other.</p>\n", "<p>Shared <em>text</em>.</p>\n"]


def test_a_conversion_another_thread_failed_fails_here_too_with_its_own_position(tmp_path, monkeypatch):
    monkeypatch.setattr(pandoc, "CACHE_DIR", tmp_path)
    started = threading.Event()

    def failing(conversions, *args, **kwargs):
        started.set()
        threading.Event().wait(1.0)
        raise pandoc.PandocError("could not read it", 0)

    monkeypatch.setattr(pandoc, "run_many", failing)
    bad = pandoc.Conversion("Bad.", "markdown", "html5")
    errors = []

    def first():
        try:
            pandoc.convert_many([bad], kind="test")
        except pandoc.PandocError as e:
            errors.append(("first", e.index))

    thread = threading.Thread(target=first)
    thread.start()
    started.wait(10)
    monkeypatch.setattr(pandoc, "run_many", lambda conversions, *a, **k: [f"{c.text}\n" for c in conversions])
    with pytest.raises(pandoc.PandocError, match="could not read it") as caught:
        pandoc.convert_many([pandoc.Conversion("Fine.", "markdown", "html5"), bad], kind="test")
    thread.join(10)
    assert caught.value.index == 1 and errors == [("first", 0)]
    assert pandoc._making == {}
