"""Editions: the register in `data/editions.yml`, `clusterbench release`, and the archive in `_site/v/`.

An edition is a git tag (`edition-2026.1`) plus an entry in the register. Its site is
built from a clean worktree at the tag, with the code at the tag, into
`_site/v/<edition>/`, and is never rebuilt differently: `_site/` itself is a copy of
the latest edition, and the files that change with each release (`versions.json`,
`versions.js`) sit only at the site root, where every edition's pages look them up.

A release makes two commits: the tagged one, whose `_variables.yml` names the edition
(so the tree at the tag describes itself, under Quarto too), and one that sets the
working tree back to `edition: draft`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from analysis.data.register import (  # noqa: F401
    DRAFT,
    EDITION_RE,
    REGISTER,
    TAG_PREFIX,
    EditionError,
    Entry,
    edition_url,
    key,
    load_register,
    write_register,
)
from analysis.report.editions import changelog_markdown, editions_table  # noqa: F401  (the Editions page)
from analysis.text import speaking
from clusterbench.build import overwrite_refusal, versions_files, write_versions  # noqa: F401

#: Deposit metadata for the edition's PDFs (Zenodo's format), so an editor can mint a DOI.
ZENODO = ".zenodo.json"
#: Files a release writes; they must not hold uncommitted edits of their own.
RELEASE_FILES = (str(REGISTER), "CHANGELOG.md", "CHANGELOG.ru.md", "CITATION.cff", "_variables.yml", ZENODO)
#: Exact versions of every Python dependency; an edition is rebuilt with the lock committed at its tag.
LOCK = "requirements.lock"
#: Outputs that a rebuilt edition must reproduce byte for byte, or the published copy is kept.
IMMUTABLE = ("*.pdf", "data/**/*")


def data_hash(data_dir: Path) -> str:
    """Hash of every data file except the register itself."""
    from analysis.data.files import files, hash_files

    paths = [p for p in files(data_dir, ("**/*",)) if p.name != REGISTER.name]
    return hash_files(paths, data_dir)


# --- git ---------------------------------------------------------------------------------


def git(root: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise EditionError([f"git {' '.join(args)} failed: {(proc.stderr or proc.stdout).strip()}"])
    return proc.stdout.rstrip()  # not strip(): `status --porcelain` lines start with a space


def _dirty(root: Path) -> list[str]:
    return [line[3:] for line in git(root, "status", "--porcelain", "--untracked-files=all").splitlines() if line.strip()]


def resolve_ref(root: Path, ref: str) -> str:
    """An edition number, a tag or any git ref, as the ref git knows; EditionError if git knows none of them."""
    if not git(root, "rev-parse", "--git-dir", check=False):
        raise EditionError([f"{root} is not a git repository, so it has no editions or commits to compare"])
    candidates = [TAG_PREFIX + ref, ref] if EDITION_RE.match(ref) else [ref]
    for candidate in candidates:
        if git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", candidate + "^{commit}", check=False):
            return candidate
    raise EditionError([f"no edition, tag or commit named '{ref}'"])


@contextmanager
def worktree(root: Path, ref: str):
    """A clean, detached checkout of `ref` in a temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="cb-worktree-"))
    target = folder / "tree"
    try:
        git(root, "worktree", "add", "--detach", "--quiet", str(target), ref)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    try:
        yield target
    finally:
        git(root, "worktree", "remove", "--force", str(target), check=False)
        shutil.rmtree(folder, ignore_errors=True)
        git(root, "worktree", "prune", check=False)


# --- building editions ---------------------------------------------------------------------


def _requirements(tree: Path) -> list[str]:
    """The runtime dependencies a checkout declares (`project.dependencies` of its pyproject.toml)."""
    import tomllib

    return list(tomllib.loads((tree / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"])


def edition_python(tree: Path, *, pinned: bool = True, cache: Path, run=subprocess.run) -> tuple[str, str]:
    """The Python to build a checkout with, and how it was chosen.

    Pinned, and when the checkout has a lock: a virtual environment with the checkout's declared
    dependencies at exactly the lock's versions (`pip install -c <lock> <dependencies>`), made once per
    lock and Python version under `cache/venvs/` and reused. Otherwise this process's own Python.
    """
    lock = tree / LOCK
    if not pinned:
        return sys.executable, "with this environment (unpinned)"
    if not lock.exists():
        return sys.executable, f"with this environment: its tag has no {LOCK}"
    requirements = _requirements(tree)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    digest = hashlib.sha256("\0".join([version, lock.read_text(encoding="utf-8"), *requirements]).encode("utf-8")).hexdigest()
    venv = Path(cache) / "venvs" / digest[:16]
    python = venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    done = venv / ".complete"
    if not done.exists():
        shutil.rmtree(venv, ignore_errors=True)
        venv.parent.mkdir(parents=True, exist_ok=True)
        for cmd in ([sys.executable, "-m", "venv", str(venv)],
                    [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", str(lock),
                     *requirements]):
            proc = run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-10:])
                raise EditionError([f"could not make the pinned environment from {LOCK} ({' '.join(cmd[:4])} ...):\n{tail}"])
        done.write_text(f"Python {version}, {LOCK} sha256 {digest}\n", encoding="utf-8")
    return str(python), f"with the exact package versions of its {LOCK}"


def build_tree(tree: Path, out: Path, *, engine: str = "auto", python: str | None = None) -> None:
    """Build a checkout with its own code (not this process's), so an edition always builds as it did."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("CLUSTERBENCH_DATA", None)
    cmd = [python or sys.executable, "-m", "clusterbench.cli", "build", "--root", str(tree), "--out", str(out), "--force",
           "--quiet"]
    if engine != "auto":
        cmd += ["--engine", engine]
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = "\n".join((proc.stderr or proc.stdout).strip().splitlines()[-20:])
        raise EditionError([f"building {tree.name} failed:\n{tail}"])


def build_edition(root: Path, entry: Entry, out: Path, *, engine: str = "auto", pinned: bool = True) -> str:
    """Build one edition, both targets, from its tag into `out` (which must not exist); says which Python built it."""
    if git(root, "rev-parse", "--verify", "--quiet", entry.tag + "^{commit}", check=False) == "":
        raise EditionError([f"edition {entry.edition} is in {REGISTER} but git has no tag {entry.tag}; run `git fetch --tags`"])
    with worktree(root, entry.tag) as tree:
        python, how = edition_python(tree, pinned=pinned, cache=Path(root) / ".cache")
        build_tree(tree, out, engine=engine, python=python)
    return how


def _immutable_files(folder: Path) -> dict[str, str]:
    found = {}
    for pattern in IMMUTABLE:
        for p in folder.glob(pattern):
            if p.is_file():
                found[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


def versions_manifest(root: Path, site: Path, entries: list[Entry], site_url: str) -> dict:
    """What the version switcher and the old-edition banner read: editions, newest first, with their pages."""
    latest = entries[-1].edition if entries else None
    items = []
    for e in reversed(entries):
        folder = site / "v" / e.edition
        pdfs = sorted(p.name for p in folder.glob("*.pdf"))
        items.append({
            "edition": e.edition, "date": e.date, "summary": e.summary, "path": f"v/{e.edition}/",
            "url": edition_url(site_url, e.edition), "latest": e.edition == latest, "pdfs": pdfs,
            "pages": sorted(p.name for p in folder.glob("*.html")),
        })
    manifest = {"latest": latest, "editions": items}
    if (site / "draft" / "index.html").exists():
        manifest["draft"] = {"path": "draft/", "pages": sorted(p.name for p in (site / "draft").glob("*.html"))}
    return manifest


ROOT_KEEP = {"v", "draft", "_checks", "versions.json", "versions.js"}


def _refresh_root(site: Path, latest: Path) -> None:
    """Make the site root a copy of the latest edition, keeping the archive folders."""
    for child in site.iterdir():
        if child.name in ROOT_KEEP:
            continue
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    for child in latest.iterdir():
        dest = site / child.name
        shutil.copytree(child, dest) if child.is_dir() else shutil.copy2(child, dest)


def same_as_edition(root: Path, entry: Entry) -> bool:
    """True when the working tree holds exactly the edition's content (bar the edition variables)."""
    if _dirty(root):
        return False
    proc = subprocess.run(["git", "diff", "--quiet", entry.tag, "--", ".", ":(exclude)_variables.yml"], cwd=root)
    return proc.returncode == 0


@dataclass
class ArchiveResult:
    site: Path
    built: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    latest: str | None = None
    draft: bool = False
    notes: list[str] = field(default_factory=list)


def assemble(root: Path, site: Path | None = None, *, rebuild: bool = False, draft: bool = True,
             engine: str = "auto", to: tuple[str, ...] = ("html", "pdf"), force: bool = False,
             quiet: bool = True, pinned: bool = True) -> ArchiveResult:
    """Bring `_site/` in line with the register: missing editions built from their tags, the root a copy
    of the latest, the working tree as a draft in `draft/` when it differs from the latest.

    With `rebuild`, every edition is built again from its tag; a result whose PDFs or data downloads
    differ from the published copy is refused and the published copy kept. `engine` applies to every
    build; `to` and `force` to the draft only, since an edition is always built whole, once. `pinned`
    builds each edition with the package versions locked at its tag (see `edition_python`).
    """
    root = Path(root).resolve()
    site = Path(site or root / "_site").resolve()
    entries = load_register(root)
    result = ArchiveResult(site)
    if not entries:
        raise EditionError([f"no editions in {REGISTER}; `clusterbench release EDITION` makes the first one"])
    site.mkdir(parents=True, exist_ok=True)
    (site / "v").mkdir(exist_ok=True)
    _build_editions(root, site, entries, result, rebuild=rebuild, engine=engine, pinned=pinned)
    latest = entries[-1]
    result.latest = latest.edition
    _refresh_root(site, site / "v" / latest.edition)
    result.draft = _build_draft(root, site, latest, draft=draft, engine=engine, to=to, force=force, quiet=quiet)
    result.notes += _write_site_root(root, site, entries)
    return result


def _build_editions(root: Path, site: Path, entries: list[Entry], result: ArchiveResult, *, rebuild: bool,
                    engine: str, pinned: bool) -> None:
    """Build each edition missing from `site/v/` (each one, with `rebuild`) from its tag, recording it in `result`;
    every edition that fails or no longer rebuilds identically is reported at once, after the others are in place."""
    problems = []
    for entry in entries:
        published = site / "v" / entry.edition
        if published.exists() and not rebuild:
            result.kept.append(entry.edition)
            continue
        staging = site / "v" / f".{entry.edition}.tmp-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        try:
            how = build_edition(root, entry, staging, engine=engine, pinned=pinned)
        except EditionError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            problems += exc.problems
            continue
        if published.exists():
            before, after = _immutable_files(published), _immutable_files(staging)
            if before != after:
                changed = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
                problems.append(f"edition {entry.edition} no longer rebuilds identically ({', '.join(changed[:5])}"
                                f"{' …' if len(changed) > 5 else ''}); the published copy was kept")
                shutil.rmtree(staging)
                continue
            shutil.rmtree(published)
        staging.rename(published)
        result.built.append(entry.edition)
        result.notes.append(f"edition {entry.edition} built {how}")
    if problems:
        raise EditionError(problems)


def _build_draft(root: Path, site: Path, latest: Entry, *, draft: bool, engine: str, to: tuple[str, ...],
                 force: bool, quiet: bool) -> bool:
    """Build the working tree into `site/draft/` when it differs from the latest edition (else remove it);
    True when a draft was built."""
    from clusterbench.build import BuildError, build

    draft_dir = site / "draft"
    if draft and not same_as_edition(root, latest):
        try:
            build(root, out=draft_dir, engine=engine, to=to, force=force, quiet=quiet)
        except BuildError as exc:
            raise EditionError([f"the draft (working tree) did not build; the editions are in place:\n{exc}"]) from None
        return True
    if draft_dir.exists():
        shutil.rmtree(draft_dir)
    return False


def _write_site_root(root: Path, site: Path, entries: list[Entry]) -> list[str]:
    """The versions list and the files only the site root holds; the notes they leave for the user."""
    from analysis.project import load as load_project
    from clusterbench import web

    site_url = str(load_project(root).book.get("site-url", ""))
    manifest = versions_manifest(root, site, entries, site_url)
    write_versions(site, manifest)
    files, notes = web.root_files(site, manifest, **web.facts_for(root))
    web.write_root_files(site, files)
    return notes



# --- release -------------------------------------------------------------------------------


@dataclass
class ReleaseResult:
    entry: Entry
    changelog: str
    archive: ArchiveResult | None = None
    #: The same changelog entry in Russian (CHANGELOG.ru.md).
    changelog_ru: str = ""


def check_release(root: Path, edition: str, *, allow_dirty: bool = False) -> list[str]:
    """Every reason not to release, at once (an empty list means go)."""
    from analysis import data as data_mod
    from analysis import project as P

    problems = []
    if not EDITION_RE.match(edition):
        problems.append(f"edition '{edition}' is not of the form YEAR.N (for example 2026.1)")
    try:
        entries = load_register(root)
    except EditionError as exc:
        entries = []
        problems += exc.problems
    known = {e.edition for e in entries}
    if edition in known:
        problems.append(f"edition {edition} already exists ({REGISTER}); editions are never re-released")
    elif entries and EDITION_RE.match(edition) and key(edition) < key(entries[-1].edition):
        problems.append(f"edition {edition} is lower than the latest edition, {entries[-1].edition}")
    if EDITION_RE.match(edition) and git(root, "rev-parse", "--verify", "--quiet", f"refs/tags/{TAG_PREFIX}{edition}", check=False):
        problems.append(f"git already has a tag {TAG_PREFIX}{edition}")
    dirty = _dirty(root)
    own = [p for p in dirty if p in RELEASE_FILES]
    if own:
        problems.append(f"uncommitted changes to files the release writes: {', '.join(own)}")
    elif dirty and not allow_dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        problems.append(f"the git tree has uncommitted changes ({shown}); commit them, or pass --allow-dirty "
                        "to release the last commit without them")
    _, data_problems = data_mod.collect(root / "data")
    problems += [f"invalid data: {p}" for p in data_problems]
    try:
        site_url = P.load(root).book.get("site-url")
    except P.ProjectError as exc:
        problems.append(str(exc))
        site_url = "set"
    if not site_url:
        problems.append("_quarto.yml has no book.site-url: an edition needs a permanent address to be cited")
    problems += practice_id_problems(root, entries, edition)
    return problems


def _fields(meta: dict) -> tuple[str, str, str]:
    return str(meta.get("status", "active")), str(meta.get("title", "")), str(meta.get("withdrawn_in") or "")


def _practice_ids(data_dir: Path) -> dict[str, tuple[str, str, str]]:
    """Practice id -> (status, title, withdrawn_in) from the front matter of data/practices/*.md."""
    from clusterbench.editions.changelog import parse_practice

    out = {}
    for path in sorted((data_dir / "practices").glob("BP-*.md")):
        pid, meta, _ = parse_practice(path.read_text(encoding="utf-8"), path.name)
        out[pid] = _fields(meta)
    return out


def _practice_ids_at(root: Path, ref: str) -> dict[str, tuple[str, str, str]]:
    """The same, as the practices were at a git ref."""
    from clusterbench.editions.changelog import parse_practice

    out = {}
    for name in git(root, "ls-tree", "--name-only", f"{ref}:data/practices", check=False).split():
        if name.startswith("BP-") and name.endswith(".md"):
            pid, meta, _ = parse_practice(git(root, "show", f"{ref}:data/practices/{name}"), name)
            out[pid] = _fields(meta)
    return out


def practice_id_problems(root: Path, entries: list[Entry], edition: str = "") -> list[str]:
    """Practice ids stay: one published in any edition keeps its file, and a withdrawn one is never reused.

    A practice withdrawn since the latest edition must say so: `withdrawn_in: <the edition being released>`.
    """
    now = _practice_ids(Path(root) / "data")
    at = {entry.edition: _practice_ids_at(root, entry.tag) for entry in entries}
    before = at[entries[-1].edition] if entries else {}
    problems = []
    for pid, (status, _, withdrawn_in) in sorted(now.items()):
        if status == "withdrawn" and before.get(pid, ("active",))[0] != "withdrawn" and withdrawn_in != edition:
            problems.append(f"data/practices/{pid}-*.md:withdrawn_in: {pid} is withdrawn by this release; "
                            f"set `withdrawn_in: \"{edition}\"` ({withdrawn_in or 'missing'})")
    published: dict[str, tuple[str, str]] = {}  # id -> (status, edition), as of the last edition that had it
    for published_in, practices in at.items():
        for pid, (status, _, _) in practices.items():
            published[pid] = (status, published_in)
    for pid, (status, published_in) in sorted(published.items()):
        if pid not in now:
            problems.append(f"data/practices/{pid}-*.md: {pid} was published in edition {published_in}; keep its file "
                            "with `status: withdrawn` instead of deleting it, so its links keep working")
        elif status == "withdrawn" and now[pid][0] != "withdrawn":
            problems.append(f"data/practices/{pid}-*.md:status: {pid} was withdrawn in edition {published_in}; "
                            "an id is never reused, so give a new practice a new id")
    return problems


def _set_variables(root: Path, edition: str, date: str) -> None:
    path = Path(root) / "_variables.yml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^edition:.*$', f'edition: "{edition}"', text)
    text = re.sub(r'(?m)^date:.*$', f'date: "{date}"', text)
    path.write_text(text, encoding="utf-8")


def release(root: Path, edition: str, *, summary: str, date: str | None = None, allow_dirty: bool = False,
            site: Path | None = None, quiet: bool = True, doi: str = "", pinned: bool = True,
            summary_ru: str = "") -> ReleaseResult:
    """Cut an edition: register, changelog, citation and deposit metadata, tag, and its place in the archive.

    The changelog entry is written in English to CHANGELOG.md and in Russian to CHANGELOG.ru.md, from
    one comparison of the data. `summary_ru` is the one-line summary of the Russian edition; without
    it, the Russian entry and the Russian editions table say that none was given.

    `doi` is a DOI reserved for the edition before it is deposited (Zenodo can reserve one); a DOI
    minted later is added to the register by hand.

    Nothing is written when a check fails. If the build of the tagged tree fails, the tag and the
    release commit are taken back and the files restored.
    """
    from analysis.data.schemas import SHORT
    from clusterbench.editions import changelog

    root = Path(root).resolve()
    date = date or dt.date.today().isoformat()
    problems = check_release(root, edition, allow_dirty=allow_dirty)
    if not summary.strip():
        problems.append("give a one-line summary (--summary)")
    if len(" ".join(summary_ru.split())) > SHORT:
        problems.append(f"--summary-ru: the Russian summary is one line of at most {SHORT} characters")
    if doi and not re.match(r"^10\.\d{4,9}/\S+$", doi):
        problems.append(f"--doi {doi}: a DOI looks like 10.5281/zenodo.1234567 (without https://doi.org/)")
    if problems:
        raise EditionError(problems)

    entries = load_register(root)
    entry, changes = _new_entry(root, entries, edition, date, summary.strip(), doi, " ".join(summary_ru.split()))
    previous = entries[-1].edition if entries else None
    entry_md = {}
    for lang in changelog.CHANGELOGS:  # one comparison, said in each language
        with speaking(lang):
            entry_md[lang] = changelog.entry_markdown(entry, previous, changes)
    archive = _tag_and_archive(root, entries, entry, entry_md, site=site, quiet=quiet, pinned=pinned)
    _set_variables(root, DRAFT, date)
    git(root, "commit", "--quiet", "-m", f"Back to draft after edition {edition}", "--", "_variables.yml")
    return ReleaseResult(entry, entry_md["en"], archive, entry_md["ru"])


def _new_entry(root: Path, entries: list[Entry], edition: str, date: str, summary: str, doi: str, summary_ru: str = ""):
    """The register entry for HEAD, and the data changes since the previous edition (None for the first)."""
    from clusterbench.editions import changelog

    head = git(root, "rev-parse", "HEAD")
    with worktree(root, head) as tree:
        entry = Entry(edition, date, summary, data_hash(tree / "data"), head, doi, summary_ru)
        if not entries:
            return entry, None
        with worktree(root, entries[-1].tag) as old:
            return entry, changelog.diff(old / "data", tree / "data")


def _tag_and_archive(root: Path, entries: list[Entry], entry: Entry, entry_md: dict[str, str], *, site: Path | None,
                     quiet: bool, pinned: bool) -> ArchiveResult:
    """Write the release files (the changelog entry of each language, `entry_md`, into its own file), commit
    and tag them, and build the edition into the archive; on any failure the tag and the commit are taken
    back and the files restored."""
    from analysis.report import citation
    from clusterbench.editions import changelog

    edition, date = entry.edition, entry.date
    saved = {name: (root / name).read_bytes() if (root / name).exists() else None for name in RELEASE_FILES}
    tagged = False
    try:
        write_register(root, entries + [entry])
        for lang, text in entry_md.items():
            changelog.prepend(root / changelog.CHANGELOGS[lang], text, changelog.TITLE_RU if lang == "ru" else changelog.TITLE)
        _set_variables(root, edition, date)
        citation.write(root, entry)
        citation.write_zenodo(root, entry, entries)
        git(root, "add", "--", *RELEASE_FILES)
        git(root, "commit", "--quiet", "-m", f"Release edition {edition}: {entry.summary}", "--", *RELEASE_FILES)
        git(root, "tag", "-a", entry.tag, "-m", f"Edition {edition} ({date}): {entry.summary}")
        tagged = True
        return assemble(root, site, draft=False, quiet=quiet, pinned=pinned)
    except BaseException:
        if tagged:
            git(root, "tag", "-d", entry.tag, check=False)
        if git(root, "log", "-1", "--format=%s", check=False).startswith(f"Release edition {edition}:"):
            git(root, "reset", "--soft", "--quiet", "HEAD~1", check=False)
        _restore(root, saved)
        raise


def _restore(root: Path, saved: dict[str, bytes | None]) -> None:
    """Put the release files back as they were (absent ones removed) and unstage them."""
    for name, content in saved.items():
        if content is None:
            (root / name).unlink(missing_ok=True)
        else:
            (root / name).write_bytes(content)
    git(root, "reset", "--quiet", "--", *RELEASE_FILES, check=False)



# --- what the Editions chapter shows ---------------------------------------------------------


