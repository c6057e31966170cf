"""Shared fixtures: data copies, the real book built once per session, a local web server, Chromium."""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import http.server
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from analysis.paths import DATA, ROOT

#: Debian's Chromium; Playwright drives it instead of downloading a browser of its own.
CHROMIUM = Path("/usr/bin/chromium")
#: Flags that keep Chromium quiet on a machine with a closed network (no update, sync or QUIC probes).
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: Reviewer artifacts inside a built site; never linked from a page and never published.
CHECKS_DIR = "_checks"


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    """A data CSV as (header, rows of dicts), for tests that edit a copy of the data."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, header: list[str], rows: list[dict]) -> None:
    """Write rows back as the data files are written: UTF-8, LF line ends."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data folder."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def copy_project(dest: Path) -> Path:
    """Copy the project as git sees it (tracked and new files, nothing ignored) into `dest`."""
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The real book built once for the whole session: (project root, BuildResult). Treat it as read-only.

    The chapters' execution cache of the repository (left by `clusterbench build`, as in CI) comes along:
    its entries are checked against the sources, code and data, so only what is still valid is reused.
    """
    from clusterbench.build import build

    root = copy_project(tmp_path_factory.mktemp("book"))
    executions = ROOT / ".cache" / "executions"
    if executions.is_dir():
        shutil.copytree(executions, root / ".cache" / "executions")
    return root, build(root, quiet=True)


@pytest.fixture(scope="session")
def site(built_book) -> Path:
    return built_book[0] / "_site"


# --- two released editions, shared by the editions and publishing tests --------------------------

A, B = "2026.1", "2026.2"
SITE_URL = "https://example.org/cluster-benchmark"
CHANGED = ("kaluga-pharma", "employees")  # entity, indicator of the value the test changes
NEW_PRACTICE = "BP-053"
WITHDRAWN = "BP-012"


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def _copy_repo(dest: Path) -> None:
    """The project as a fresh git repository with a site URL, as a maintainer's clone would be."""
    copy_project(dest)
    _git(dest, "init", "--quiet", "--initial-branch", "main")
    _git(dest, "config", "user.name", "Test Editor")
    _git(dest, "config", "user.email", "editor@example.org")
    quarto = dest / "_quarto.yml"
    quarto.write_text(quarto.read_text(encoding="utf-8").replace("book:\n", f"book:\n  site-url: {SITE_URL}\n", 1), encoding="utf-8")
    _git(dest, "add", "-A")
    _git(dest, "commit", "--quiet", "-m", "Project copy for the editions test")


def _hashes(folder: Path, pattern: str) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.glob(pattern)) if p.is_file()}


def _set_changed_value(data: Path, value) -> str:
    """Set the observation CHANGED to `value` (a function of the old text, or text); return the old text."""
    import pandas as pd

    for path in sorted((data / "observations").glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        hit = frame.index[(frame["entity"] == CHANGED[0]) & (frame["indicator"] == CHANGED[1]) & (frame["value"] != "")]
        if len(hit):
            old = frame.loc[hit[0], "value"]
            frame.loc[hit[0], "value"] = value(old) if callable(value) else value
            frame.to_csv(path, index=False, lineterminator="\n")
            return old
    raise AssertionError(f"no observation {CHANGED} in the data")


def _change_data(root: Path) -> tuple[str, str]:
    """Change one value, add a practice, withdraw another; return the old and new value as text."""
    def bump(text: str) -> str:
        return str(int(float(text)) + 7)

    old = _set_changed_value(root / "data", bump)
    new = bump(old)

    practices = root / "data" / "practices"
    template = next(practices.glob("BP-052-*.md")).read_text(encoding="utf-8")
    added = re.sub(r"(?m)^id: BP-052$", f"id: {NEW_PRACTICE}", template)
    added = re.sub(r'(?m)^title: .*$', 'title: "Publish an open benchmark of every pilot cluster"', added)
    (practices / f"{NEW_PRACTICE}-open-benchmark.md").write_text(added, encoding="utf-8")

    gone = next(practices.glob(f"{WITHDRAWN}-*.md"))
    text = gone.read_text(encoding="utf-8")
    text = text.replace("\n---\n", f'\nstatus: withdrawn\nwithdrawn_in: "{B}"\n---\n', 1)
    gone.write_text(text, encoding="utf-8")
    _git(root, "add", "-A")
    _git(root, "commit", "--quiet", "-m", "Edit the data for edition B")
    return old, new


@pytest.fixture(scope="session")
def released(tmp_path_factory):
    """Editions A and B released from a fresh git copy of the project, each building the whole book from its tag.

    `site_a` is a copy of the archive as it stood right after A's release (for publishing A alone).
    The editions are built with this environment (`pinned=False`): a pinned build would first install
    the lock's packages into a virtual environment, which the tests of `editions.edition_python` cover.
    """
    from clusterbench import editions

    work = tmp_path_factory.mktemp("editions")
    root = work / "project"
    root.mkdir()
    _copy_repo(root)
    site = root / "_site"
    first = editions.release(root, A, summary="First edition", date="2026-11-23", pinned=False)
    at_a = {"pdf": _hashes(site / "v" / A, "*.pdf"), "data": _hashes(site / "v" / A, "data/**/*"),
            "html": (site / "v" / A / "index.html").read_text(encoding="utf-8")}
    site_a = work / "site-after-a"
    shutil.copytree(site, site_a, symlinks=True)
    old, new = _change_data(root)
    second = editions.release(root, B, summary="Corrected Kaluga figures", date="2026-12-01", pinned=False)
    return {"root": root, "site": site, "site_a": site_a, "first": first, "second": second, "at_a": at_a,
            "old": old, "new": new}


# --- serving a built site ---------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """Serve `folder` on 127.0.0.1 at a free port; yields the base URL (ending in '/')."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="session")
def site_url(site):
    with serve(site) as url:
        yield url


# --- the browser --------------------------------------------------------------------------------


def missing_tool(reason: str) -> None:
    """Skip a reader check whose tool is not installed, or fail where `.ci/run` promises every tool."""
    if os.environ.get("CLUSTERBENCH_REQUIRE_TOOLS") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium under Playwright (never a downloaded browser)."""
    if not CHROMIUM.exists():
        missing_tool(f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason='Playwright is missing: pip install -e ".[test]"')
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class NetworkGuard:
    """Aborts every request that leaves the site under test, and remembers it."""

    def __init__(self, base_url: str):
        from urllib.parse import urlsplit

        self.scheme = urlsplit(base_url).scheme
        self.host = urlsplit(base_url).hostname
        self.blocked: list[str] = []

    def allows(self, url: str) -> bool:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        if parts.scheme in ("data", "blob"):  # in-page content, no request leaves the machine
            return True
        if self.scheme == "file":
            return parts.scheme == "file"
        return parts.scheme in ("http", "https") and parts.hostname in ("127.0.0.1", "localhost")

    def __call__(self, route) -> None:
        url = route.request.url
        if self.allows(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


@pytest.fixture
def open_page(chromium):
    """`open_page(base_url)` -> (page, guard): a fresh browser context whose requests stay on `base_url`'s host."""
    contexts = []

    def make(base_url: str):
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        guard = NetworkGuard(base_url)
        context.route("**/*", guard)
        contexts.append(context)
        return context.new_page(), guard

    yield make
    for context in contexts:
        context.close()


def save_check_artifact(site_dir: Path, name: str, content: bytes) -> Path:
    """Write a reviewer artifact under <site>/_checks/ and, in CI, under the repository's _site/_checks/."""
    paths = [site_dir / CHECKS_DIR / name]
    repo_site = ROOT / "_site"
    if repo_site.is_dir() and repo_site.resolve() != site_dir.resolve():
        paths.append(repo_site / CHECKS_DIR / name)
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return paths[0]
