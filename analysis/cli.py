"""The `clusterbench` command."""

from __future__ import annotations

import argparse
import sys

from analysis import data as data_mod
from analysis import datapackage


def _validate(args: argparse.Namespace) -> int:
    ds, problems = data_mod.collect(args.data)
    if problems or ds is None:
        print(data_mod.DataError(problems).report().replace("nothing was built", "fix them and run again"))
        return 1
    n_obs = len(ds.observations)
    n_rows = sum(len(t) for t in ds.tables.values()) + n_obs
    print(f"Data OK: {len(ds.tables) + 1} tables, {n_rows:,} rows ({n_obs} observations), {len(ds.practices)} practices.")
    return 0


def _datapackage(args: argparse.Namespace) -> int:
    if args.check:
        current = (data_mod.data_dir(args.data) / "datapackage.json")
        fresh = datapackage.render(args.data)
        if not current.exists() or current.read_text(encoding="utf-8") != fresh:
            print("data/datapackage.json is out of date; run `clusterbench datapackage`.")
            return 1
        print("data/datapackage.json is up to date.")
        return 0
    path = datapackage.write(args.data)
    print(f"Wrote {path}")
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
