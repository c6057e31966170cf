"""`clusterbench publish`: put the editions archive where readers find it, and keep it there.

The built site (`_site/`) goes to a git branch (`gh-pages` by default; in this repository, or pushed to
a remote: a name, a URL or the path of a bare repository) or to a folder (`--to DIR`). Like `mike`,
each edition lives in its own folder, `v/<edition>/`, and the root is a copy of the latest edition
with `versions.json` beside it.

What is published:

- every edition the site lists in `versions.json`, from `_site/v/<edition>/`;
- at the root, a copy of the latest edition (taken from its `v/` folder, so the root cannot drift from
  it), `versions.json` and `versions.js` without the draft, `sitemap.xml`, `feed.xml`, `robots.txt`,
  and `.nojekyll` (so GitHub Pages serves the files as they are);
- a `CNAME` file already on the target (a custom domain) is kept.

The draft (`_site/draft/`, the unreleased working tree) and reviewer artifacts (`_checks/`) are never
published: readers cite editions, and a draft at a public address would be cited too.

A published `v/<edition>/` is never changed or deleted. Publishing refuses, and writes nothing, when
an edition's bytes would differ from the published copy, or when the target holds an edition the site
does not list. Publishing is atomic: one commit, made with git plumbing from a private index and set
with a compare-and-swap ref update (or a plain fast-forward push, which a concurrent publish makes
fail); for a folder, the new tree is assembled beside it and swapped in by rename.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from clusterbench import editions, web

DEFAULT_BRANCH = "gh-pages"
#: Kept at the target's root when present: the custom domain of GitHub Pages.
KEEP_AT_ROOT = ("CNAME",)
#: What the root of a published site holds besides the latest edition's own files.
NOJEKYLL = ".nojekyll"
SHOWN = 5  # differing files named in a refusal


class PublishError(Exception):
    """Why nothing was published; `problems` lists every reason at once."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(f"- {p}" for p in problems))


@dataclass
class PublishResult:
    target: str
    latest: str
    added: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    commit: str = ""
    unchanged: bool = False
    notes: list[str] = field(default_factory=list)


# --- what to publish ------------------------------------------------------------------------


@dataclass
class Content:
    """The published tree: site-relative path -> bytes."""

    files: dict[str, bytes]
    editions: list[str]  # newest first
    latest: str
    notes: list[str]


def _read_tree(folder: Path, prefix: str = "") -> dict[str, bytes]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[prefix + path.relative_to(folder).as_posix()] = path.read_bytes()
    return out


def content(root: Path, site: Path) -> Content:
    """Everything that goes to the target, read from the built site; PublishError if it is not an archive."""
    site = Path(site)
    versions = site / "versions.json"
    try:
        manifest = json.loads(versions.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PublishError([f"{site} has no versions.json: build the site first (`clusterbench build`)"]) from None
    except ValueError as exc:
        raise PublishError([f"{versions} is not valid JSON ({exc}); rebuild the site with `clusterbench build`"]) from None
    listed = [e["edition"] for e in manifest.get("editions", [])]
    if not listed:
        raise PublishError([f"{site} holds no released edition, and only editions are published: "
                            "`clusterbench release EDITION` makes the first one"])
    problems = [f"{site}/v/{e}/ is missing although versions.json lists edition {e}; run `clusterbench build` "
                "to rebuild the archive" for e in listed if not (site / "v" / e / "index.html").is_file()]
    if problems:
        raise PublishError(problems)
    latest = manifest["latest"]
    manifest = {k: v for k, v in manifest.items() if k != "draft"}
    files: dict[str, bytes] = {}
    for e in listed:
        files.update(_read_tree(site / "v" / e, f"v/{e}/"))
    files.update(_read_tree(site / "v" / latest))
    files.update({name: text.encode("utf-8") for name, text in editions.versions_files(manifest).items()})
    root_files, notes = web.root_files(site, manifest, **web.facts_for(root))
    files.update({name: text.encode("utf-8") for name, text in root_files.items()})
    files[NOJEKYLL] = b""
    return Content(files, listed, latest, notes)


def _published_editions(paths) -> set[str]:
    return {e for e in map(web.edition_of, paths) if e}


def check_against(new: Content, old: dict[str, str], digest) -> list[str]:
    """Why `new` must not replace a target holding `old` (path -> digest, `digest(bytes)` alike), or []."""
    problems = []
    published = _published_editions(old)
    for e in sorted(published - set(new.editions), key=editions.key):
        problems.append(f"edition {e} is published but this site does not have it; run `git fetch --tags` and "
                        "`clusterbench build` so the site holds every edition, then publish again")
    for e in sorted(published & set(new.editions), key=editions.key):
        prefix = f"v/{e}/"
        before = {p: d for p, d in old.items() if p.startswith(prefix)}
        after = {p: digest(b) for p, b in new.files.items() if p.startswith(prefix)}
        changed = sorted(p[len(prefix):] for p in set(before) | set(after) if before.get(p) != after.get(p))
        if changed:
            shown = ", ".join(changed[:SHOWN]) + (f" and {len(changed) - SHOWN} more" if len(changed) > SHOWN else "")
            problems.append(f"edition {e} is already published and its files would change ({shown}); a published "
                            "edition is never changed, so publish a site whose copy of it is the published one")
    return problems


# --- to a git branch --------------------------------------------------------------------------


def _git(repo: Path, *args: str, env: dict | None = None, stdin: str | None = None, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, input=stdin,
                          env={**os.environ, **(env or {})})
    if check and proc.returncode != 0:
        raise PublishError([f"git {' '.join(args[:3])} failed: {(proc.stderr or proc.stdout).strip()}"])
    return proc.stdout.strip()


def _blob_id(data: bytes, algo: str) -> str:
    """The id git gives a blob with these bytes, computed here so nothing is written before the checks."""
    return hashlib.new(algo, b"blob %d\0" % len(data) + data).hexdigest()


def _tree_entries(repo: Path, commit: str) -> dict[str, tuple[str, str]]:
    """path -> (mode, blob id) of every file in a commit."""
    out = {}
    for line in _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit).split("\0"):
        if line:
            meta, path = line.split("\t", 1)
            mode, _, sha = meta.split()
            out[path] = (mode, sha)
    return out


def _identity(repo: Path) -> dict:
    """Commit as the repository's user; a machine without one (CI) commits as the tool."""
    if _git(repo, "config", "user.email", check=False) and _git(repo, "config", "user.name", check=False):
        return {}
    return {"GIT_AUTHOR_NAME": "clusterbench publish", "GIT_AUTHOR_EMAIL": "clusterbench@localhost",
            "GIT_COMMITTER_NAME": "clusterbench publish", "GIT_COMMITTER_EMAIL": "clusterbench@localhost"}


def to_branch(root: Path, new: Content, *, branch: str = DEFAULT_BRANCH, remote: str | None = None,
              message: str | None = None) -> PublishResult:
    """Publish as one commit on `branch`: in the project's repository, or pushed to `remote`."""
    repo = Path(root)
    ref = _branch_ref(repo, branch, remote)
    algo = "sha256" if _git(repo, "rev-parse", "--show-object-format", check=False) == "sha256" else "sha1"
    where = f"branch {branch}" + (f" of {remote}" if remote else "")
    base = _branch_base(repo, ref, remote)
    old = _tree_entries(repo, base) if base else {}
    problems = check_against(new, {p: sha for p, (_, sha) in old.items()}, lambda b: _blob_id(b, algo))
    if problems:
        raise PublishError(problems)
    kept_files = {p: old[p] for p in KEEP_AT_ROOT if p in old and p not in new.files}
    result = PublishResult(where, new.latest, notes=list(new.notes))
    published = _published_editions(old)
    result.added = [e for e in new.editions if e not in published]
    result.kept = [e for e in new.editions if e in published]
    tree = _write_tree(repo, new, kept_files)
    if base and tree == _git(repo, "rev-parse", base + "^{tree}"):
        result.unchanged, result.commit = True, base
        return result
    added = ", ".join(result.added) or "no new edition"
    message = message or f"Publish edition {new.latest} (added: {added}; the root is edition {new.latest})"
    commit = _git(repo, "commit-tree", tree, *(["-p", base] if base else []), "-m", message, env=_identity(repo))
    _set_branch(repo, ref, commit, base, remote, where)
    result.commit = commit
    return result


def _branch_ref(repo: Path, branch: str, remote: str | None) -> str:
    """`refs/heads/<branch>`, once the repository, the branch name and the remote are known to be usable."""
    if not _git(repo, "rev-parse", "--git-dir", check=False):
        raise PublishError([f"{repo} is not a git repository; publish to a folder with --to DIR"])
    ref = f"refs/heads/{branch}"
    if subprocess.run(["git", "check-ref-format", ref], cwd=repo, capture_output=True).returncode != 0:
        raise PublishError([f"'{branch}' is not a valid branch name"])
    if remote and remote.startswith("-"):
        raise PublishError([f"--remote {remote}: give a remote name, a URL or a path"])
    return ref


def _branch_base(repo: Path, ref: str, remote: str | None) -> str:
    """The commit the branch points at now (fetched from `remote` when given), or '' when there is none."""
    if not remote:
        return _git(repo, "rev-parse", "--verify", "--quiet", ref + "^{commit}", check=False)
    if not _git(repo, "ls-remote", "--heads", remote, ref):
        return ""
    _git(repo, "fetch", "--quiet", "--no-tags", remote, ref)
    return _git(repo, "rev-parse", "--verify", "FETCH_HEAD^{commit}")


def _write_tree(repo: Path, new: Content, kept_files: dict[str, tuple[str, str]]) -> str:
    """The git tree of the new content plus the kept root files, written to the object store."""
    with tempfile.TemporaryDirectory(prefix="cb-publish-") as tmp:
        # Blobs go in through files, in one process; a private index then makes the tree.
        staged = Path(tmp) / "files"
        staged.mkdir()
        paths = sorted(new.files)
        names = []
        for i, path in enumerate(paths):
            name = staged / str(i)
            name.write_bytes(new.files[path])
            names.append(str(name))
        blobs = _git(repo, "hash-object", "-w", "--no-filters", "--stdin-paths", stdin="\n".join(names) + "\n").split()
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        lines = [f"100644 blob {sha}\t{path}" for path, sha in zip(paths, blobs)]
        lines += [f"{mode} blob {sha}\t{path}" for path, (mode, sha) in kept_files.items()]
        _git(repo, "update-index", "--add", "--index-info", env=index, stdin="\n".join(lines) + "\n")
        return _git(repo, "write-tree", env=index)


def _set_branch(repo: Path, ref: str, commit: str, base: str, remote: str | None, where: str) -> None:
    """Move the branch from `base` to `commit`, refusing if it moved meanwhile."""
    if remote:
        # A plain push is a fast-forward from `base`: if someone published meanwhile, it is refused.
        proc = subprocess.run(["git", "push", "--quiet", remote, f"{commit}:{ref}"], cwd=repo,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise PublishError([f"pushing to {where} failed, so nothing was published: {proc.stderr.strip()} "
                                "(if someone published meanwhile, run the command again)"])
    else:
        zero = "0" * len(commit)
        _git(repo, "update-ref", "-m", "clusterbench publish", ref, commit, base or zero)



# --- to a folder -----------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def to_folder(new: Content, folder: Path, *, site: Path) -> PublishResult:
    """Publish into `folder`: the new tree is written beside it and swapped in by rename."""
    from clusterbench.build import _swap

    folder = Path(folder).resolve()
    site = Path(site).resolve()
    if folder == site or site in folder.parents or folder in site.parents:
        raise PublishError([f"--to {folder}: publish outside the built site ({site}), not into it or around it"])
    old: dict[str, bytes] = {}
    if folder.exists():
        if not folder.is_dir():
            raise PublishError([f"--to {folder} is a file, not a folder"])
        if any(folder.iterdir()) and not (folder / "versions.json").is_file():
            raise PublishError([f"--to {folder} holds files but no published site (no versions.json); "
                                "give a new or empty folder, or one that a publish made"])
        old = _read_tree(folder)
    problems = check_against(new, {p: _sha256(b) for p, b in old.items()}, _sha256)
    if problems:
        raise PublishError(problems)
    files = dict(new.files)
    files.update({p: old[p] for p in KEEP_AT_ROOT if p in old and p not in files})
    result = PublishResult(str(folder), new.latest, notes=list(new.notes))
    published = _published_editions(old)
    result.added = [e for e in new.editions if e not in published]
    result.kept = [e for e in new.editions if e in published]
    if files == old:
        result.unchanged = True
        return result
    tmp = folder.with_name(f".{folder.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        for path, data in files.items():
            dest = tmp / path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
        _swap(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return result


def publish(root: Path, *, site: Path | None = None, branch: str = DEFAULT_BRANCH, remote: str | None = None,
            to: Path | None = None, message: str | None = None) -> PublishResult:
    """Publish the built archive of `root` (default `_site/`) to a branch or, with `to`, a folder."""
    root = Path(root).resolve()
    site = Path(site).resolve() if site else root / "_site"
    new = content(root, site)
    if to is not None:
        return to_folder(new, Path(to), site=site)
    return to_branch(root, new, branch=branch, remote=remote, message=message)
