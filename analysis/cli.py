"""The `clusterbench` command. Heavy imports happen inside the commands, so a no-op build stays fast."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def _validate(args: argparse.Namespace) -> int:
    from analysis import data as data_mod

    ds, problems = data_mod.collect(args.data)
    if problems or ds is None:
        print(data_mod.DataError(problems).report("fix them and run again"))
        return 1
    n_obs = len(ds.observations)
    n_rows = sum(len(t) for t in ds.tables.values()) + n_obs
    print(f"Data OK: {len(ds.tables) + 1} tables, {n_rows:,} rows ({n_obs} observations), {len(ds.practices)} practices.")
    return 0


def _datapackage(args: argparse.Namespace) -> int:
    from analysis import datapackage
    from analysis.paths import data_dir

    if args.check:
        current = data_dir(args.data) / "datapackage.json"
        fresh = datapackage.render(args.data)
        if not current.exists() or current.read_text(encoding="utf-8") != fresh:
            print("data/datapackage.json is out of date; run `clusterbench datapackage`.")
            return 1
        print("data/datapackage.json is up to date.")
        return 0
    path = datapackage.write(args.data)
    print(f"Wrote {path}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from analysis.build import BuildError, build

    to = tuple(t.strip() for t in args.to.split(",") if t.strip())
    try:
        result = build(Path(args.root), out=args.out, engine=args.engine, to=to, data=args.data, force=args.force, quiet=args.quiet)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clusterbench", description="Cluster Benchmark: data checks and builds.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check every data file and report all problems at once")
    p.add_argument("--data", metavar="DIR", help="data folder (default: the project's data/)")
    p.set_defaults(func=_validate)

    p = sub.add_parser("datapackage", help="write data/datapackage.json from the schemas")
    p.add_argument("--data", metavar="DIR", help="data folder (default: the project's data/)")
    p.add_argument("--check", action="store_true", help="only check that the committed file is up to date")
    p.set_defaults(func=_datapackage)

    from analysis.paths import ROOT

    p = sub.add_parser("build", help="build the website, the PDFs and the data downloads")
    p.add_argument("--engine", choices=["auto", "quarto", "wheel"], default="auto",
                   help="auto: Quarto if `quarto` is on PATH, else the wheel-only engine")
    p.add_argument("--to", default="html,pdf", help="comma-separated targets: html, pdf (default: both)")
    p.add_argument("--out", metavar="DIR", help="output folder (default: _site/)")
    p.add_argument("--data", metavar="DIR", help="data folder (default: the project's data/)")
    p.add_argument("--root", metavar="DIR", default=str(ROOT), help="project folder with _quarto.yml (default: this repository)")
    p.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    p.add_argument("--quiet", action="store_true", help="no progress display")
    p.set_defaults(func=_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
