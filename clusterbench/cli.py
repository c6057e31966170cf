"""The `clusterbench` command. Heavy imports happen inside the commands, so a no-op build stays fast."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

BOTH = ("html", "pdf")


def _root(args: argparse.Namespace, *, required: bool = True) -> Path | None:
    """The project: --root, else the nearest folder with _quarto.yml from the working directory up.

    ProjectNotFound (reported by `main`) when there is none, unless `required` is False.
    """
    from analysis.paths import ProjectNotFound, project_root

    try:
        return project_root(args.root)
    except ProjectNotFound:
        if required or args.root:
            raise
        return None


def _data(args: argparse.Namespace, root: Path | None) -> Path:
    return Path(args.data).resolve() if args.data else root / "data"


def _validate(args: argparse.Namespace) -> int:
    from analysis import data as data_mod
    from analysis.paths import page_clashes

    root = _root(args, required=not args.data)  # --data alone needs no project; inside one, its pages are checked
    data = _data(args, root)
    ds, problems = data_mod.collect(data)
    if root is not None:
        problems += [data_mod.Problem(*clash) for clash in page_clashes(root, data)]
    if problems or ds is None:
        print(data_mod.DataError(problems).report("fix them and run again"))
        return 1
    n_obs = len(ds.observations)
    n_rows = sum(len(t) for t in ds.tables.values()) + n_obs
    print(f"Data OK: {len(ds.tables) + 1} tables, {n_rows:,} rows ({n_obs} observations), {len(ds.practices)} practices.")
    return 0


def _datapackage(args: argparse.Namespace) -> int:
    from analysis.data import DataError, datapackage

    data = _data(args, None if args.data else _root(args))
    try:
        fresh = datapackage.render(data)
    except DataError as exc:
        print(exc.report("nothing was checked" if args.check else "data/datapackage.json was not written"), file=sys.stderr)
        return 1
    if args.check:
        current = data / "datapackage.json"
        if not current.exists() or current.read_text(encoding="utf-8") != fresh:
            print("data/datapackage.json is out of date; run `clusterbench datapackage`.")
            return 1
        print("data/datapackage.json is up to date.")
        return 0
    path = datapackage.write(data, fresh)
    print(f"Wrote {path}")
    return 0


def _targets(text: str) -> tuple[str, ...] | None:
    """The formats `--to` names, sorted; None when it names none or one that is not html or pdf."""
    to = tuple(sorted({t.strip() for t in text.split(",") if t.strip()}))
    return to if to and not set(to) - set(BOTH) else None


def _build(args: argparse.Namespace) -> int:
    # Only light modules before the up-to-date check: a no-op build must not pay for pandas.
    from analysis.data.register import EditionError, load_register
    from analysis.paths import page_clashes

    root = _root(args)
    to = _targets(args.to)
    failed = "Build failed; the previous site was left as it was."
    if to is None:
        print(f"{failed}\n--to takes html, pdf or html,pdf, not '{args.to}'.", file=sys.stderr)
        return 1
    try:
        has_editions = bool(load_register(root))
    except EditionError as exc:
        print(f"{failed}\n{exc}", file=sys.stderr)
        return 1
    if args.all_editions and not has_editions:
        print("There are no editions yet: `clusterbench release EDITION` makes the first one.", file=sys.stderr)
        return 1
    clashes = page_clashes(root, _data(args, root))
    if clashes:
        from analysis.data import DataError, Problem

        print(f"{failed}\n{DataError([Problem(*c) for c in clashes]).report()}", file=sys.stderr)
        return 1
    # With editions, the default output is the archive: the site root is the latest edition and the
    # working tree is a draft in draft/. --out builds just this tree, into a folder that holds no archive.
    if has_editions and args.out is None:
        return _build_archive(args, root, to)
    return _build_tree(args, root, to)


def _build_archive(args: argparse.Namespace, root: Path, to: tuple[str, ...]) -> int:
    """`clusterbench build` in a project with editions: the editions archive in _site/, with the draft."""
    from clusterbench import editions

    if args.data is not None:
        print(f"Build failed; the previous site was left as it was.\n{root / '_site'} is the editions archive, "
              "built from the project's own data/; build another data folder with --out DIR.", file=sys.stderr)
        return 1
    try:
        result = editions.assemble(root, rebuild=args.all_editions, engine=args.engine, to=to, force=args.force,
                                   quiet=args.quiet, pinned=not args.unpinned)
    except editions.EditionError as exc:
        print(f"Build failed; the published editions were left as they were.\n{exc}", file=sys.stderr)
        return 1
    draft = "the working tree's changes are in draft/" + ("" if to == BOTH else f" ({to[0]} only)") + "."
    print(f"Site {result.site}: latest edition {result.latest} at the root; "
          f"built {', '.join(result.built) or 'no edition'}, kept {', '.join(result.kept) or 'none'}; "
          + (draft if result.draft else "the working tree matches the latest edition."))
    for note in result.notes:
        print(f"Note: {note}.")
    return 0


def _build_tree(args: argparse.Namespace, root: Path, to: tuple[str, ...]) -> int:
    """`clusterbench build` of the working tree alone: into --out, or into _site/ when there are no editions."""
    from clusterbench.build import BuildError, build, overwrite_refusal

    if args.all_editions:
        print("--all-editions rebuilds the archive in _site/; it does not go with --out.", file=sys.stderr)
        return 1
    refusal = overwrite_refusal(Path(args.out).resolve()) if args.out else ""
    if refusal:
        print(f"Build failed; the previous site was left as it was.\n{refusal}", file=sys.stderr)
        return 1
    try:
        result = build(root, out=args.out, engine=args.engine, to=to, data=args.data, force=args.force, quiet=args.quiet)
    except BuildError as exc:
        print(f"Build failed; the previous site was left as it was.\n{exc}", file=sys.stderr)
        return 1
    if result.up_to_date:
        print(f"Up to date: nothing changed since the last build ({result.out}, {result.seconds:.2f} s).")
        return 0
    pdfs = ", ".join(p.name for p in result.pdfs) or "none"
    print(
        f"Built {result.out} with the {result.engine} engine in {result.seconds:.1f} s: "
        f"{result.pages} pages, PDFs: {pdfs}, {result.downloads} data downloads; "
        f"chapters executed {result.executed}, reused from cache {result.reused}."
    )
    return 0


def _stop(signum, frame):
    raise KeyboardInterrupt


def _preview(args: argparse.Namespace) -> int:
    from analysis.data.register import EditionError, load_register
    from clusterbench import preview
    from clusterbench.build import overwrite_refusal

    root = _root(args)
    to = _targets(args.to)
    if to is None:
        print(f"--to takes html, pdf or html,pdf, not '{args.to}'.", file=sys.stderr)
        return 1
    try:
        has_editions = bool(load_register(root))
    except EditionError as exc:
        print(exc, file=sys.stderr)
        return 1
    if args.out is None and has_editions:
        print(f"{root / '_site'} is the editions archive, which only `clusterbench build` updates: "
              "preview into another folder with --out DIR.", file=sys.stderr)
        return 1
    out = Path(args.out).resolve() if args.out else root / "_site"
    refusal = overwrite_refusal(out)
    if refusal:
        print(refusal, file=sys.stderr)
        return 1
    # Ctrl-C, or a SIGTERM, stops the preview and its kernels and Typst processes, even when the shell
    # that started it in the background had it ignore SIGINT.
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, _stop)
    try:
        ended = preview.run(root, out=out, data=Path(args.data).resolve() if args.data else None, to=to,
                            port=None if args.no_serve else args.port)
    except preview.PreviewError as exc:
        print(exc, file=sys.stderr)
        return 1
    if ended == "restart":
        preview.restart()
    return 0


def _release(args: argparse.Namespace) -> int:
    from clusterbench import editions

    try:
        result = editions.release(_root(args), args.edition, summary=args.summary, date=args.date,
                                  allow_dirty=args.allow_dirty, quiet=args.quiet, doi=args.doi or "",
                                  pinned=not args.unpinned, summary_ru=args.summary_ru or "")
    except editions.EditionError as exc:
        print(f"Release refused; nothing was written.\n{exc}", file=sys.stderr)
        return 1
    e = result.entry
    print(f"Released edition {e.edition} ({e.date}), tagged {e.tag}: _site/v/{e.edition}/ and the site root.\n"
          f"CHANGELOG.md, CHANGELOG.ru.md, CITATION.cff, {editions.ZENODO} and {editions.REGISTER} are committed; push the tag with "
          f"`git push origin {e.tag}`, then `clusterbench publish`.")
    for note in result.archive.notes if result.archive else []:
        print(f"Note: {note}.")
    return 0


def _publish(args: argparse.Namespace) -> int:
    import os

    from clusterbench.editions import publish

    if args.to and (args.remote or args.branch):
        print("--to publishes to a folder; it does not go with --remote or --branch.", file=sys.stderr)
        return 1
    remote = args.remote
    if remote and os.path.exists(remote):  # a path to a repository, taken from where the command runs
        remote = str(Path(remote).resolve())
    try:
        result = publish.publish(_root(args), site=args.site, branch=args.branch or publish.DEFAULT_BRANCH, remote=remote,
                                 to=Path(args.to) if args.to else None, message=args.message)
    except publish.PublishError as exc:
        print(f"Publish refused; nothing was published.\n{exc}", file=sys.stderr)
        return 1
    if result.unchanged:
        print(f"Nothing to publish: {result.target} already holds this site (latest edition {result.latest}).")
    else:
        commit = f" (commit {result.commit[:12]})" if result.commit else ""
        print(f"Published to {result.target}{commit}: added {', '.join(result.added) or 'no edition'}, "
              f"kept {', '.join(result.kept) or 'none'}; the root is edition {result.latest}.")
    for note in result.notes:
        print(f"Note: {note}.")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from clusterbench import editions
    from clusterbench.editions import changelog

    root = _root(args)
    try:
        with _data_at(root, args.old) as old, _data_at(root, args.new) as new:
            changes = changelog.diff(old, new)
    except editions.EditionError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        return 1
    except changelog.VersionError as exc:
        refs = " and ".join(args.old if side == "old" else args.new for side in exc.sides)
        print(f"Cannot compare: the data of {refs} cannot be read.\n{exc.report('nothing was compared')}", file=sys.stderr)
        return 1
    from analysis.text import say, speaking

    with speaking(args.lang):
        heading = say(f"# Changes from {args.old} to {args.new}", f"# Изменения в данных: от {args.old} к {args.new}")
        print(f"{heading}\n\n{changelog.changes_markdown(changes, heading_level=2)}")
    return 0


def _data_at(root: Path, ref: str):
    """The data folder of an edition, a git ref, or the working tree ('working')."""
    from contextlib import contextmanager, nullcontext

    from clusterbench import editions

    if ref in ("working", "."):
        return nullcontext(root / "data")

    @contextmanager
    def checkout():
        with editions.worktree(root, editions.resolve_ref(root, ref)) as tree:
            yield tree / "data"

    return checkout()


def _add_release(sub, project: argparse.ArgumentParser) -> None:
    """The `release` command's options."""
    p = sub.add_parser("release", parents=[project], help="cut a new edition: register, changelog, citation, git tag, archive")
    p.add_argument("edition", help="edition number, YEAR.N (for example 2026.1)")
    p.add_argument("--summary", required=True, help="one line saying what the edition brings")
    p.add_argument("--summary-ru", metavar="SUMMARY", help="the same line in Russian, for the Russian edition and CHANGELOG.ru.md "
                   "(optional: without it, they say that no Russian summary was given)")
    p.add_argument("--date", help="release date, YYYY-MM-DD (default: today)")
    p.add_argument("--allow-dirty", action="store_true", help="release the last commit even if the tree has other uncommitted changes")
    p.add_argument("--doi", metavar="DOI", help="a DOI reserved for this edition (10.xxxx/...), shown in How to cite")
    p.add_argument("--unpinned", action="store_true",
                   help="build the edition with this environment, not with the package versions locked at its tag")
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.set_defaults(func=_release)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clusterbench", description="Cluster Benchmark: data checks and builds.")
    sub = parser.add_subparsers(dest="command", required=True)
    # Every command works on one project, found as Quarto and git find theirs.
    project = argparse.ArgumentParser(add_help=False)
    project.add_argument("--root", metavar="DIR",
                         help="project folder, with _quarto.yml (default: the nearest one from the working directory up)")

    p = sub.add_parser("validate", parents=[project], help="check every data file and report all problems at once")
    p.add_argument("--data", metavar="DIR", help="data folder (default: the project's data/)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("datapackage", parents=[project], help="write data/datapackage.json from the schemas")
    p.add_argument("--data", metavar="DIR", help="data folder (default: the project's data/)")
    p.add_argument("--check", action="store_true", help="only check that the committed file is up to date")
    p.set_defaults(func=_datapackage)

    p = sub.add_parser("build", parents=[project], help="build the website, the PDFs and the data downloads")
    p.add_argument("--engine", choices=["auto", "quarto", "wheel"], default="auto",
                   help="auto: Quarto if `quarto` is on PATH, else the wheel-only engine")
    p.add_argument("--to", default="html,pdf",
                   help="comma-separated targets: html, pdf (default: both; with editions, for the draft only)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: _site/; with editions, the archive there)")
    p.add_argument("--data", metavar="DIR", help="data folder (default: the project's data/)")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.add_argument("--all-editions", action="store_true",
                   help="rebuild every edition from its git tag; a result that differs from the published copy is refused")
    p.add_argument("--unpinned", action="store_true",
                   help="build editions with this environment, not with the package versions locked at their tags")
    p.set_defaults(func=_build)

    p = sub.add_parser("preview", parents=[project],
                       help="build, serve the site on this machine, and build again each time a file is saved")
    p.add_argument("--port", type=int, default=4848, help="the port of the preview at http://127.0.0.1:PORT/ (default: 4848)")
    p.add_argument("--no-serve", action="store_true", help="build on every save, but serve nothing")
    p.add_argument("--to", default="html,pdf", help="comma-separated targets: html, pdf (default: both)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: _site/; required in a project with editions)")
    p.add_argument("--data", metavar="DIR", help="data folder (default: the project's data/)")
    p.set_defaults(func=_preview)

    _add_release(sub, project)

    p = sub.add_parser("publish", parents=[project],
                       help="publish the built editions to a git branch (default gh-pages) or a folder")
    p.add_argument("--branch", help="branch to publish to (default: gh-pages)")
    p.add_argument("--remote", metavar="REMOTE",
                   help="push the branch to this remote: a remote name, a URL or the path of a bare repository "
                        "(default: the branch in this repository)")
    p.add_argument("--to", metavar="DIR", help="publish into this folder instead of a git branch")
    p.add_argument("--site", metavar="DIR", help="the built site to publish (default: the project's _site/)")
    p.add_argument("--message", help="commit message (default: names the editions added)")
    p.set_defaults(func=_publish)

    p = sub.add_parser("diff", parents=[project], help="the data changelog between two editions, git refs or the working tree")
    p.add_argument("old", help="edition (2026.1), git ref, or 'working'")
    p.add_argument("new", nargs="?", default="working", help="edition, git ref, or 'working' (default)")
    p.add_argument("--lang", choices=["en", "ru"], default="en", help="the language of the changelog (default: en)")
    p.set_defaults(func=_diff)
    return parser


def main(argv: list[str] | None = None) -> int:
    from analysis.paths import ProjectNotFound

    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ProjectNotFound as exc:
        print(f"clusterbench {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
