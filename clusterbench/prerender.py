"""The pre-render step: what the book needs that depends on the data and the edition.

`python -m clusterbench.prerender` is `project.pre-render` in `_quarto.yml`, so real Quarto
runs it before every render, for the active profile (`QUARTO_PROFILE`), and then reads
the project again. It writes files that are not kept in git:

- one Markdown page per cluster, `chapters/profiles/<id>.md`, and their index page;
- `_generated/metadata.yml` (a `metadata-files` entry): the profile pages as the book's
  appendices (full report only) and the edition facts the Typst title page prints;
- `_generated/head.html` (an `include-in-header` file): the edition, for the page scripts;
- `assets/vega-bundle.js`: the chart library, from vl-convert (no CDN).

The wheel-only engine calls `pre_render` for the same files but keeps them in memory, so a
build never changes a file in the working tree.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from analysis.data import Dataset, load
from analysis.paths import PROFILE_DIR
from analysis.report.profiles import (
    PROFILES_INDEX,
    chapter_groups,
    index_markdown,
    profile_markdown,
)

METADATA = "_generated/metadata.yml"
HEAD = "_generated/head.html"
VEGA_BUNDLE = "assets/vega-bundle.js"
COLLECTION_PROFILE = "practices"


def pages(ds: Dataset, *, scorecard_link: bool) -> dict[str, str]:
    """The profile pages and their index, by project-relative path."""
    from analysis import indicators

    ranks = indicators.scores(ds).set_index("cluster")
    out = {PROFILES_INDEX: index_markdown(ds)}
    for cid in ds["clusters"]["id"]:
        out[f"{PROFILE_DIR.as_posix()}/{cid}.md"] = profile_markdown(ds, cid, ranks, scorecard_link=scorecard_link)
    return out


def _yaml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def metadata(ds: Dataset, root: Path, profiles: list[str]) -> str:
    """`_generated/metadata.yml`: the appendices (full report only) and the edition facts."""
    from analysis import project as P
    from analysis.report import citation

    facts = citation.facts(P.load(root, profiles))
    collection = COLLECTION_PROFILE in profiles
    lines = ["# Written by the pre-render step (python -m clusterbench.prerender) for the active profile; not kept in git.",
             "cb:",
             f"  edition: {_yaml_string(facts.edition)}",
             f"  edition-label: {_yaml_string('Draft' if not facts.released else f'Edition {facts.edition}')}",
             f"  long-date: {_yaml_string(facts.long_date)}",
             f"  how-to-cite: {_yaml_string(citation.how_to_cite(facts))}"]
    if facts.licence:
        lines.append(f"  licence: {_yaml_string(facts.licence)}")
    if not collection:
        lines += ["book:", "  appendices:", f"    - {PROFILES_INDEX}"]
        for part, pages in chapter_groups(ds):
            lines += [f"    - part: {_yaml_string(part)}", "      chapters:"] + [f"        - {path}" for path in pages]
    return "\n".join(lines) + "\n"


def head_html(root: Path, profiles: list[str]) -> str:
    """`_generated/head.html`: the edition, read by the page scripts (menu, banners)."""
    from html import escape

    from analysis import project as P
    from analysis.report import citation

    facts = citation.facts(P.load(root, profiles))
    tags = [f'<meta name="cb-edition" content="{escape(facts.edition)}" data-date="{escape(facts.date)}">']
    if not facts.released:
        tags.append('<meta name="robots" content="noindex">')
    return "\n".join(tags) + "\n"


def pre_render(ds: Dataset, root: Path, profiles: list[str]) -> dict[str, str]:
    """Every file the pre-render step makes for the active profiles, by project-relative path."""
    from analysis import project as P

    listed = {ref.path.resolve() for ref in P.load(root, profiles).chapters}
    files = {} if COLLECTION_PROFILE in profiles else pages(
        ds, scorecard_link=(root / "chapters" / "05-scorecard.qmd").resolve() in listed)
    files[METADATA] = metadata(ds, root, profiles)
    files[HEAD] = head_html(root, profiles)
    return files


def write(files: dict[str, str], root: Path) -> list[Path]:
    """Write the pre-render files that changed, and remove profile pages of clusters that are gone."""
    changed = []
    profile_dir = root / PROFILE_DIR
    if profile_dir.is_dir():
        for path in sorted(profile_dir.glob("*.md")):
            if path.relative_to(root).as_posix() not in files:
                path.unlink()
                changed.append(path)
    for rel, text in files.items():
        path = root / rel
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def vega_bundle(root: Path) -> Path | None:
    """The chart library for Quarto's pages, written only when it is missing or out of date."""
    from clusterbench.engine.html import vega_bundle as bundle

    path = root / VEGA_BUNDLE
    text = bundle()
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path
    return None


def main(argv: list[str]) -> int:
    """Quarto's pre-render: runs in the project folder, for the profiles in QUARTO_PROFILE."""
    from analysis import project as P
    from analysis.data import DataError
    from analysis.paths import find_root

    root = find_root(os.environ.get("QUARTO_PROJECT_DIR") or Path.cwd())
    profiles = P.active_profiles(P.read_config(root))
    try:
        ds = load(Path(argv[0]) if argv else Path(os.environ.get("CLUSTERBENCH_DATA") or root / "data"))
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    changed = write(pre_render(ds, root, profiles), root)
    bundle = vega_bundle(root)
    print(f"Pre-render ({', '.join(profiles) or 'no profile'}): {len(changed) + bool(bundle)} file(s) updated.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
