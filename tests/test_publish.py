"""`clusterbench publish` and the web's conventions at the archive root.

The first half publishes small hand-made archives to a local bare repository, a branch of the
project's own repository and a folder: fast, and exact about what may and may not change. The second
half publishes the two editions that the shared `released` fixture releases from a real copy of the
project (see conftest.py), and reads the result back as a reader and a feed reader would.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from analysis.paths import ROOT
from clusterbench import editions, web
from clusterbench.cli import main as cli
from clusterbench.editions import publish

A, B = "2026.1", "2026.2"
SITE_URL = "https://example.org/cluster-benchmark"
FACTS = {"site_url": SITE_URL, "title": "Cluster Benchmark", "authors": ["Cluster Benchmark editors"], "lang": "en"}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()


def _edition_files(edition: str) -> dict[str, bytes]:
    return {
        "index.html": f'<meta name="cb-edition" content="{edition}"><h1>Home</h1>'.encode(),
        "12-editions.html": f'<section id="edition-{edition.replace(".", "-")}">Changes</section>'.encode(),
        f"best-practices-{edition}.pdf": f"%PDF {edition}".encode(),
        "data/clusters.csv": b"id\nx\n",
        "404.html": b"<p>Not found</p>",
    }


def make_site(site: Path, releases: list[tuple[str, str]], *, draft: bool = False) -> Path:
    """An archive as `clusterbench build` leaves it: v/<edition>/, the root a copy of the latest, versions.json."""
    entries = [editions.Entry(e, date, f"Summary of {e}", "0" * 64, "abc1234") for e, date in releases]
    for entry in entries:
        for rel, data in _edition_files(entry.edition).items():
            for folder in (site / "v" / entry.edition, site):
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                (folder / rel).write_bytes(data)
    (site / "_checks").mkdir(exist_ok=True)
    (site / "_checks" / "shot.png").write_bytes(b"reviewer artifact")
    if draft:
        (site / "draft").mkdir(exist_ok=True)
        (site / "draft" / "index.html").write_text("<p>draft</p>", encoding="utf-8")
    editions.write_versions(site, editions.versions_manifest(site, site, entries, SITE_URL))
    return site


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A git repository standing for the project (its _quarto.yml facts are given), and a bare 'pages' repository."""
    root = tmp_path / "project"
    root.mkdir()
    _git(root, "init", "--quiet", "--initial-branch", "main")
    _git(root, "config", "user.name", "Test Editor")
    _git(root, "config", "user.email", "editor@example.org")
    (root / "_quarto.yml").write_text("project:\n  type: book\n", encoding="utf-8")
    _git(root, "add", "_quarto.yml")
    _git(root, "commit", "--quiet", "-m", "project")
    bare = tmp_path / "pages.git"
    _git(tmp_path, "init", "--quiet", "--bare", str(bare))
    monkeypatch.setattr(web, "facts_for", lambda root: dict(FACTS))
    return root, bare


def _tree(repo: Path, rev: str) -> dict[str, str]:
    """path -> blob id of every file on a branch."""
    out = {}
    for line in _git(repo, "ls-tree", "-r", "--full-tree", rev).splitlines():
        meta, path = line.split("\t", 1)
        out[path] = meta.split()[2]
    return out


def test_each_edition_keeps_its_folder_and_the_root_follows_the_latest(project, tmp_path):
    root, bare = project
    site_a = make_site(tmp_path / "site-a", [(A, "2026-11-23")])
    first = publish.publish(root, site=site_a, remote=str(bare))
    assert (first.added, first.kept, first.latest) == ([A], [], A)
    tree_a = _git(bare, "rev-parse", "gh-pages:v/" + A)

    site_b = make_site(tmp_path / "site-b", [(A, "2026-11-23"), (B, "2026-12-01")], draft=True)
    second = publish.publish(root, site=site_b, remote=str(bare))
    assert (second.added, second.kept, second.latest) == ([B], [A], B)
    assert _git(bare, "rev-parse", "gh-pages~1") == first.commit  # one commit per publish, on top of the last
    assert _git(bare, "rev-parse", "gh-pages:v/" + A) == tree_a  # A's bytes are exactly as first published

    files = _tree(bare, "gh-pages")
    for rel in _edition_files(B):
        assert files[rel] == files[f"v/{B}/{rel}"], rel  # the root is a copy of the latest edition
    assert f"best-practices-{A}.pdf" not in files and f"v/{A}/best-practices-{A}.pdf" in files
    assert not [p for p in files if p.startswith(("draft/", "_checks/"))]
    assert {".nojekyll", "versions.json", "versions.js", "sitemap.xml", "feed.xml", "robots.txt"} <= set(files)
    versions = json.loads(_git(bare, "show", "gh-pages:versions.json"))
    assert [e["edition"] for e in versions["editions"]] == [B, A] and "draft" not in versions


def test_a_changed_published_edition_is_refused_and_nothing_is_written(project, tmp_path, capsys):
    root, bare = project
    publish.publish(root, site=make_site(tmp_path / "site-a", [(A, "2026-11-23")]), remote=str(bare))
    before = _git(bare, "rev-parse", "gh-pages")
    site = make_site(tmp_path / "site-b", [(A, "2026-11-23"), (B, "2026-12-01")])
    (site / "v" / A / f"best-practices-{A}.pdf").write_bytes(b"%PDF rebuilt differently")
    (site / "v" / A / "extra.html").write_text("new page", encoding="utf-8")

    assert cli(["publish", "--root", str(root), "--site", str(site), "--remote", str(bare)]) == 1
    err = capsys.readouterr().err
    assert "Publish refused; nothing was published." in err
    assert f"edition {A} is already published and its files would change (best-practices-{A}.pdf, extra.html)" in err
    assert _git(bare, "rev-parse", "gh-pages") == before
    assert _git(bare, "for-each-ref") == _git(bare, "for-each-ref", "refs/heads/gh-pages")  # no other ref appeared


def test_a_site_missing_a_published_edition_is_refused(project, tmp_path):
    root, bare = project
    publish.publish(root, site=make_site(tmp_path / "both", [(A, "2026-11-23"), (B, "2026-12-01")]), remote=str(bare))
    with pytest.raises(publish.PublishError) as info:
        publish.publish(root, site=make_site(tmp_path / "only-a", [(A, "2026-11-23")]), remote=str(bare))
    assert f"edition {B} is published but this site does not have it" in str(info.value)


def test_publishing_the_same_site_again_changes_nothing(project, tmp_path, capsys):
    root, bare = project
    site = make_site(tmp_path / "site", [(A, "2026-11-23")])
    assert cli(["publish", "--root", str(root), "--site", str(site), "--remote", str(bare)]) == 0
    out = capsys.readouterr().out
    assert f"Published to branch gh-pages of {bare}" in out and f"added {A}, kept none; the root is edition {A}" in out
    head = _git(bare, "rev-parse", "gh-pages")
    assert cli(["publish", "--root", str(root), "--site", str(site), "--remote", str(bare)]) == 0
    assert "Nothing to publish" in capsys.readouterr().out
    assert _git(bare, "rev-parse", "gh-pages") == head


def test_the_branch_in_this_repository_and_a_custom_domain_file(project, tmp_path):
    root, _ = project
    publish.publish(root, site=make_site(tmp_path / "site-a", [(A, "2026-11-23")]))
    # A custom domain set on the branch by hand survives the next publish.
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "--quiet", "--branch", "gh-pages", str(root), str(clone))
    (clone / "CNAME").write_text("benchmark.example.org\n", encoding="utf-8")
    _git(clone, "add", "CNAME")
    _git(clone, "-c", "user.name=x", "-c", "user.email=x@example.org", "commit", "--quiet", "-m", "domain")
    _git(clone, "push", "--quiet", "origin", "gh-pages")

    result = publish.publish(root, site=make_site(tmp_path / "site-b", [(A, "2026-11-23"), (B, "2026-12-01")]))
    assert result.added == [B]
    files = _tree(root, "gh-pages")
    assert _git(root, "show", "gh-pages:CNAME") == "benchmark.example.org"
    assert f"v/{A}/index.html" in files and f"v/{B}/index.html" in files
    assert _git(root, "rev-parse", "--abbrev-ref", "HEAD") == "main" and _git(root, "status", "--porcelain") == ""


def test_publishing_to_a_folder(project, tmp_path, capsys):
    root, _ = project
    target = tmp_path / "www"
    publish.publish(root, site=make_site(tmp_path / "site-a", [(A, "2026-11-23")]), to=target)
    pdf_a = (target / "v" / A / f"best-practices-{A}.pdf").read_bytes()
    site_b = make_site(tmp_path / "site-b", [(A, "2026-11-23"), (B, "2026-12-01")], draft=True)
    result = publish.publish(root, site=site_b, to=target)
    assert (result.added, result.kept) == ([B], [A])
    assert (target / "v" / A / f"best-practices-{A}.pdf").read_bytes() == pdf_a
    assert (target / "index.html").read_bytes() == (site_b / "v" / B / "index.html").read_bytes()
    assert not (target / "draft").exists() and not (target / "_checks").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".www")) == []  # no temporary folder left

    (site_b / "v" / A / "index.html").write_text("changed", encoding="utf-8")
    snapshot = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert cli(["publish", "--root", str(root), "--site", str(site_b), "--to", str(target)]) == 1
    assert f"edition {A} is already published and its files would change (index.html)" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == snapshot


def test_a_folder_that_is_not_a_published_site_is_refused(project, tmp_path):
    root, _ = project
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(publish.PublishError, match="holds files but no published site"):
        publish.publish(root, site=make_site(tmp_path / "site", [(A, "2026-11-23")]), to=home)
    assert [p.name for p in home.iterdir()] == ["notes.txt"]


def test_a_site_without_editions_is_not_published(project, tmp_path, capsys):
    root, bare = project
    site = tmp_path / "site"
    site.mkdir()
    editions.write_versions(site, {"latest": None, "editions": []})
    assert cli(["publish", "--root", str(root), "--site", str(site), "--remote", str(bare)]) == 1
    assert "holds no released edition" in capsys.readouterr().err
    assert _git(bare, "for-each-ref") == ""


# --- the web's conventions --------------------------------------------------------------------


def test_sitemap_feed_and_robots_describe_the_editions(tmp_path):
    feedparser = pytest.importorskip("feedparser", reason='feedparser is missing: pip install -e ".[test]"')
    site = make_site(tmp_path / "site", [(A, "2026-11-23"), (B, "2026-12-01")], draft=True)
    manifest = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    files, notes = web.root_files(site, manifest, **FACTS)
    assert notes == []

    urls = ET.fromstring(files["sitemap.xml"]).findall("{http://www.sitemaps.org/schemas/sitemap/0.9}url")
    locs = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in urls]
    assert locs == [f"{SITE_URL}/12-editions.html", f"{SITE_URL}/index.html"]  # the pages; not 404.html

    feed = feedparser.parse(files["feed.xml"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Cluster Benchmark: editions"
    assert [e.title for e in feed.entries] == [f"Edition {B}", f"Edition {A}"]
    newest = feed.entries[0]
    assert newest.summary == f"Summary of {B}" and newest.published.startswith("2026-12-01")
    assert [(link.rel, link.href) for link in newest.links] == [("alternate", f"{SITE_URL}/v/{B}/")]
    assert newest.id == f"{SITE_URL}/v/{B}/"
    content = newest.content[0].value
    assert f'<a href="{SITE_URL}/v/{B}/12-editions.html#edition-2026-2">What changed in edition {B}</a>' in content
    assert f'<a href="{SITE_URL}/v/{B}/best-practices-{B}.pdf">' in content

    assert files["robots.txt"].splitlines()[1:] == ["User-agent: *", "Disallow: /cluster-benchmark/draft/",
                                                    f"Sitemap: {SITE_URL}/sitemap.xml"]
    again, _ = web.root_files(site, manifest, **FACTS)
    assert again == files  # no clock in them


def test_without_a_site_url_there_is_no_sitemap_or_feed_and_it_says_so(tmp_path):
    site = make_site(tmp_path / "site", [(A, "2026-11-23")])
    manifest = json.loads((site / "versions.json").read_text(encoding="utf-8"))
    files, notes = web.root_files(site, manifest, **{**FACTS, "site_url": ""})
    assert sorted(files) == ["robots.txt"] and "Disallow: /draft/" in files["robots.txt"]
    assert notes and "book.site-url" in notes[0]


# --- a real release, published ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(released, tmp_path_factory):
    """Edition A's site published to a bare repository's gh-pages, then B's; a fresh clone of the branch."""
    root = released["root"]
    work = tmp_path_factory.mktemp("published")
    bare = work / "pages.git"
    _git(work, "init", "--quiet", "--bare", str(bare))
    first = publish.publish(root, site=released["site_a"], remote=str(bare))
    second = publish.publish(root, site=released["site"], remote=str(bare))
    clone = work / "clone"
    _git(work, "clone", "--quiet", "--branch", "gh-pages", str(bare), str(clone))
    return {"root": root, "bare": bare, "first": first, "second": second, "clone": clone, "work": work}


@pytest.mark.slow
def test_real_editions_publish_one_after_the_other(published):
    bare, first, second = published["bare"], published["first"], published["second"]
    assert (first.added, second.added, second.kept) == ([A], [B], [A])
    assert _git(bare, "rev-parse", f"gh-pages~1:v/{A}") == _git(bare, "rev-parse", f"gh-pages:v/{A}")
    files = _tree(bare, "gh-pages")
    # The root holds every file of B, byte for byte, bar the list of editions, which only the root has.
    latest = {p[len(f"v/{B}/"):]: sha for p, sha in files.items() if p.startswith(f"v/{B}/")}
    latest = {p: sha for p, sha in latest.items() if p not in ("versions.json", "versions.js")}
    assert {p: files[p] for p in latest} == latest
    assert not [p for p in files if p.startswith(("draft/", "_checks/"))]


@pytest.mark.slow
def test_publishing_a_changed_real_edition_is_refused(published, released, tmp_path):
    import shutil

    site = tmp_path / "site"
    shutil.copytree(released["site"], site)
    page = site / "v" / A / "05-scorecard.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</main>", "<p>edited</p></main>", 1), encoding="utf-8")
    before = _git(published["bare"], "rev-parse", "gh-pages")
    with pytest.raises(publish.PublishError) as info:
        publish.publish(published["root"], site=site, remote=str(published["bare"]))
    assert f"edition {A} is already published and its files would change (05-scorecard.html)" in str(info.value)
    assert _git(published["bare"], "rev-parse", "gh-pages") == before


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


@pytest.mark.slow
def test_a_fresh_clone_of_the_branch_serves_both_editions(published):
    from conftest import serve

    clone = published["clone"]
    with serve(clone) as base:
        status, body = _get(base + "versions.json")
        assert status == 200
        versions = json.loads(body)
        assert versions["latest"] == B and [e["edition"] for e in versions["editions"]] == [B, A]
        for edition in (A, B):
            status, page = _get(base + f"v/{edition}/05-scorecard.html")
            assert status == 200 and f'<meta name="cb-edition" content="{edition}"'.encode() in page
            assert _get(base + f"v/{edition}/best-practices-{edition}.pdf")[0] == 200
        status, home = _get(base + "index.html")
        assert status == 200 and f'<meta name="cb-edition" content="{B}"'.encode() in home
        assert _get(base + "draft/index.html")[0] == 404


@pytest.mark.slow
def test_the_published_sitemap_has_one_url_per_page_of_the_latest_edition(published):
    clone = published["clone"]
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = [u.findtext(ns + "loc") for u in ET.parse(clone / "sitemap.xml").getroot().findall(ns + "url")]
    # both editions' pages: the English at the root, the Russian under ru/
    pages = sorted(p.relative_to(clone).as_posix() for p in [*clone.glob("*.html"), *clone.glob("ru/*.html")]
                   if p.name != "404.html")
    assert urls == [f"{SITE_URL}/{name}" for name in pages]
    assert len(urls) == len(set(urls)) > 80  # chapters and cluster profiles, in English and in Russian
    assert f"{SITE_URL}/ru/index.html" in urls


@pytest.mark.slow
def test_the_published_feed_lists_both_editions_with_their_changelogs(published):
    feedparser = pytest.importorskip("feedparser", reason='feedparser is missing: pip install -e ".[test]"')
    feed = feedparser.parse((published["clone"] / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert [(e.title, e.summary) for e in feed.entries] == [(f"Edition {B}", "Corrected Kaluga figures"),
                                                          (f"Edition {A}", "First edition")]
    for entry, edition in zip(feed.entries, (B, A)):
        assert entry.link == f"{SITE_URL}/v/{edition}/"
        changes = re.search(rf'href="{re.escape(SITE_URL)}/v/{re.escape(edition)}/([^"#]+)#([^"]+)">What changed',
                            entry.content[0].value)
        assert changes, entry.content[0].value
        page, anchor = changes.groups()
        assert f'id="{anchor}"' in (published["clone"] / "v" / edition / page).read_text(encoding="utf-8")


@pytest.mark.slow
def test_every_published_page_has_card_metadata(published):
    from html.parser import HTMLParser

    class Meta(HTMLParser):
        def __init__(self):
            super().__init__()
            self.meta: dict[str, str] = {}

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "meta" and (a.get("property") or a.get("name")):
                self.meta[a.get("property") or a.get("name")] = a.get("content", "")

    clone = published["clone"]
    pages = sorted(clone.glob("*.html")) + sorted((clone / "v" / A).glob("*.html"))
    for page in [p for p in pages if p.name != "404.html"]:
        parser = Meta()
        parser.feed(page.read_text(encoding="utf-8"))
        meta = parser.meta
        for key in ("og:title", "og:description", "og:image", "og:url", "twitter:card", "twitter:title",
                    "twitter:description", "twitter:image", "twitter:image:alt"):
            assert meta.get(key), (page, key)
        assert meta["twitter:card"] == "summary_large_image"
        # An edition's card is its own chart, at the edition's permanent address.
        edition = A if page.parent.name == A else B
        assert meta["og:image"] == f"{SITE_URL}/v/{edition}/{web.CARD_IMAGE}"
        width, height = web.png_size((clone / "v" / edition / web.CARD_IMAGE).read_bytes())
        assert (meta["og:image:width"], meta["og:image:height"]) == (str(width), str(height))
        assert width >= 600 and height >= 300
        assert meta["og:url"] == f"{SITE_URL}/{page.name}"  # every copy points at the latest edition's page


@pytest.mark.slow
def test_the_published_404_page_has_search_and_works_at_any_depth(published):
    page = (published["clone"] / "404.html").read_text(encoding="utf-8")
    assert 'id="search-input"' in page and '<meta name="robots" content="noindex">' in page
    # Served for any missing address, so it links by the site's path, not relative to where it is shown.
    assert 'data-root="/cluster-benchmark/"' in page and 'href="/cluster-benchmark/assets/site.css"' in page


# --- the workflow files -------------------------------------------------------------------------------

WORKFLOWS = ROOT / ".github" / "workflows"


def _check_workflows(*files: Path) -> subprocess.CompletedProcess:
    pytest.importorskip("check_jsonschema", reason='check-jsonschema is missing: pip install -e ".[test]"')
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           *map(str, files)], capture_output=True, text=True)


def test_the_workflows_follow_the_github_actions_schema(tmp_path):
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["ci.yml", "publish.yml"]
    proc = _check_workflows(*files)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    broken = tmp_path / "broken.yml"  # the check does read the files: a misspelt key is rejected
    broken.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    step:\n      - run: pytest\n",
                      encoding="utf-8")
    proc = _check_workflows(broken)
    assert proc.returncode != 0 and "'step' was unexpected" in proc.stdout


def test_ci_runs_the_readmes_test_command_and_publishing_follows_edition_tags():
    import yaml

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^(python -m pytest)\b", readme, re.M).group(1)
    ci = yaml.safe_load((WORKFLOWS / "ci.yml").read_text(encoding="utf-8"))
    runs = "\n".join(step.get("run", "") for step in ci["jobs"]["test"]["steps"])
    assert command in runs.splitlines() and "chromium" in runs and "poppler-utils" in runs
    assert '-c requirements.lock -e ".[test]"' in runs
    pub = yaml.safe_load((WORKFLOWS / "publish.yml").read_text(encoding="utf-8"))
    assert pub[True]["push"]["tags"] == ["edition-*"]  # YAML 1.1 reads the key `on` as True
    runs = [step.get("run", "") for step in pub["jobs"]["publish"]["steps"]]
    assert runs[-2:] == ["clusterbench build --quiet", "clusterbench publish --remote origin"]


@pytest.mark.browser
def test_the_served_clone_has_a_working_edition_menu(published, open_page):
    from conftest import serve

    with serve(published["clone"]) as base:
        page, guard = open_page(base)
        page.goto(base + f"v/{A}/05-scorecard.html")
        page.locator("#version-switcher a.cb-edition").first.wait_for(state="attached", timeout=10_000)
        listed = page.locator("#version-switcher a.cb-edition").evaluate_all("as => as.map(a => a.dataset.edition)")
        assert listed == [B, A]
        assert page.locator("#edition-banner").is_visible()
        page.locator(f'#version-switcher a[data-edition="{B}"]').evaluate("a => a.click()")
        page.wait_for_url(base + "05-scorecard.html")
        current = page.locator("#version-switcher a[aria-current]").evaluate_all("as => as.map(a => a.dataset.edition)")
        assert current == [B] and guard.blocked == []
