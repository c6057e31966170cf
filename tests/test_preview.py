"""`clusterbench preview`: what it watches, and that its builds write what a lone build writes."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
import urllib.request
from multiprocessing import resource_tracker

from clusterbench import preview
from clusterbench.build import Session, build
from test_build import KALUGA_SENTENCE, _children, _page, _set_kaluga_employees, _tree_hash, book  # noqa: F401  (book: a fixture)


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A bare project and a stand-in for the code, so the watcher's view is small and known."""
    root = tmp_path / "project"
    (root / "chapters").mkdir(parents=True)
    (root / "data" / "observations").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    (root / "chapters" / "01-a.qmd").write_text("# A {#sec-a}\n", encoding="utf-8")
    (root / "data" / "observations" / "a.csv").write_text("entity,value\nx,1\n", encoding="utf-8")
    code = tmp_path / "code.py"
    code.write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(preview.Watcher, "_code", lambda self: [code])
    return root, code


def _touch(path: Path, text: str) -> None:
    """Write `text` with a modification time of its own, whatever the file system's clock resolution."""
    stat = path.stat() if path.exists() else None
    path.write_text(text, encoding="utf-8")
    if stat is not None:
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_the_watcher_tells_an_edited_input_from_edited_code(project):
    root, code = project
    watcher = preview.Watcher(root, root / "data")
    assert not watcher.changes()

    csv = root / "data" / "observations" / "a.csv"
    _touch(csv, "entity,value\nx,2\n")
    assert watcher.changes() == preview.Changes(inputs=(csv,))
    assert not watcher.changes()  # each change is told once

    _touch(code, "X = 2\n")
    assert watcher.changes() == preview.Changes(code=(code,))


def test_a_file_added_or_deleted_is_a_change(project):
    root, _ = project
    watcher = preview.Watcher(root, root / "data")
    added = root / "chapters" / "02-b.qmd"
    added.write_text("# B {#sec-b}\n", encoding="utf-8")
    assert watcher.changes().inputs == (added,)
    gone = root / "data" / "observations" / "a.csv"
    gone.unlink()
    assert watcher.changes().inputs == (gone,)


def test_files_the_build_does_not_read_are_not_watched(project):
    root, _ = project
    watcher = preview.Watcher(root, root / "data")
    (root / "notes.txt").write_text("to do\n", encoding="utf-8")
    (root / "_site").mkdir()
    (root / "_site" / "index.html").write_text("<p>built</p>\n", encoding="utf-8")
    assert not watcher.changes()


@pytest.mark.slow
def test_a_build_in_a_session_writes_what_a_lone_build_writes(book, tmp_path):
    chapter = book / "03-data.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + KALUGA_SENTENCE, encoding="utf-8")
    resource_tracker.ensure_running()  # started with the first spawned process, it lives as long as this one
    before = _children()
    session = Session()
    try:
        build(book, quiet=True, session=session)
        kept = _children() - before
        assert kept, "the session keeps its workers and kernels between builds"
        _set_kaluga_employees(book / "data", "12400", "12500")
        rebuilt = build(book, quiet=True, session=session)
        assert (rebuilt.executed, rebuilt.reused) == (1, 2)
        assert kept <= _children(), "the second build used the same processes"
    finally:
        session.close()
    deadline = time.monotonic() + 10
    while _children() - before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _children() - before == set(), "closing the session stops its processes"

    clean = tmp_path / "clean"
    shutil.copytree(book, clean, ignore=shutil.ignore_patterns("_site", ".cache"))
    build(clean, quiet=True)
    assert "Kaluga pharma employs 12500 people." in _page(book, "03-data.html")
    assert _tree_hash(book / "_site") == _tree_hash(clean / "_site")
    assert any(name.endswith(".pdf") for name in _tree_hash(book / "_site"))


def _wait_for(lines: list[str], start: str, after: int = 0, timeout: float = 300) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [line for line in lines[after:] if line.startswith(start)]
        if found:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"no line starting {start!r} in {timeout} s: {lines}")


@pytest.mark.slow
def test_preview_builds_again_on_each_save_and_keeps_the_last_site_when_a_build_fails(book, monkeypatch):
    monkeypatch.setattr(preview, "POLL", 0.05)
    chapter = book / "03-data.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + KALUGA_SENTENCE, encoding="utf-8")
    lines: list[str] = []
    ended: list[str] = []
    thread = threading.Thread(target=lambda: ended.append(
        preview.run(book, out=book / "_site", to=("html",), port=None, builds=2, say=lines.append)))
    thread.start()
    try:
        _wait_for(lines, "Watching")
        _set_kaluga_employees(book / "data", "12400", "12500")
        _wait_for(lines, "Built", after=lines.index(_wait_for(lines, "Changed")))
        assert "Kaluga pharma employs 12500 people." in _page(book, "03-data.html")

        shown = _page(book, "03-data.html")
        count = len(lines)
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\n```{python}\n1 / 0\n```\n", encoding="utf-8")
        failed = _wait_for(lines, "Build failed", after=count)
        assert "ZeroDivisionError" in failed and "03-data.qmd" in failed
        assert _page(book, "03-data.html") == shown
    finally:
        thread.join(timeout=300)
    assert ended == ["stopped"]
    assert [line.split(":")[0] for line in lines if line.startswith("Changed")] == ["Changed", "Changed"]


@pytest.mark.slow
def test_preview_serves_the_site_it_builds(book):
    lines: list[str] = []
    thread = threading.Thread(target=lambda: preview.run(book, out=book / "_site", to=("html",), port=0, builds=1,
                                                         say=lines.append))
    thread.start()
    try:
        address = _wait_for(lines, "Preview at").split()[2]
        built = (book / "_site" / "03-data.html").read_bytes()
        with urllib.request.urlopen(address + "03-data.html", timeout=30) as response:
            served = response.read()
        assert served.replace(b'<script src="/__preview__/reload.js"></script></body>', b"</body>") == built
        assert served.count(b"/__preview__/reload.js") == 1 and b"/__preview__/reload.js" not in built
        with urllib.request.urlopen(address + "__preview__/build", timeout=30) as response:
            assert response.read() == b"1"
        with urllib.request.urlopen(address + "__preview__/reload.js", timeout=30) as response:
            assert b"location.reload()" in response.read()
        with urllib.request.urlopen(address + "versions.json", timeout=30) as response:
            assert response.read() == (book / "_site" / "versions.json").read_bytes()
    finally:  # one more build, and the preview ends
        _touch(book / "03-data.qmd", (book / "03-data.qmd").read_text(encoding="utf-8") + "\nOne more line.\n")
        thread.join(timeout=300)


def test_a_port_in_use_stops_the_preview_before_it_builds(project, capsys):
    import socket

    from clusterbench import cli

    root, _ = project
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert cli.main(["preview", "--root", str(root), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"cannot serve on 127.0.0.1:{port}" in err and "--port N" in err
    assert not (root / "_site").exists()


@pytest.mark.slow
def test_a_preview_told_to_stop_stops_its_kernels_and_typst_processes(book):
    """SIGTERM, or SIGINT even when the shell that started the preview in the background ignores it."""
    import signal
    import subprocess
    import sys

    import psutil

    proc = subprocess.Popen([sys.executable, "-m", "clusterbench.cli", "preview", "--no-serve", "--root", str(book)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        for line in proc.stdout:
            if line.startswith("Watching"):
                break
        family = psutil.Process(proc.pid).children(recursive=True)
        assert len(family) >= 3, "chapter workers, their kernels and a Typst process"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 130
    finally:
        proc.kill()
        proc.stdout.close()
    gone, alive = psutil.wait_procs(family, timeout=10)
    assert alive == []
