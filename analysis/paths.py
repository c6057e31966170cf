"""Where the project is: like Quarto and git, the first folder with `_quarto.yml`, from the working directory up."""

import csv
import io
import os
from pathlib import Path

MARKER = "_quarto.yml"
#: Where the build writes one profile page per cluster, `<id>.md`, published as `<id>.html`.
PROFILE_DIR = Path("chapters") / "profiles"

#: The source checkout this package was imported from, which the tests mean by "this repository".
#: Commands and chapters work on the project they run in (`find_root`), never on the installed code's folder.
ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"


class ProjectNotFound(Exception):
    """No project folder where one was looked for; the message says where and what to do."""


def find_root(start: str | Path | None = None) -> Path:
    """The nearest folder holding `_quarto.yml`: `start` (default: the working directory) or one above it."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise ProjectNotFound(f"not inside a Cluster Benchmark project: neither {here} nor any folder above it has "
                          f"{MARKER}; run the command in the project, or pass --root DIR")


def project_root(override: str | Path | None = None) -> Path:
    """The folder named by --root (which must hold `_quarto.yml`), else the one `find_root` finds."""
    if override is None:
        return find_root()
    root = Path(override).resolve()
    if not (root / MARKER).is_file():
        raise ProjectNotFound(f"--root {override}: {root} has no {MARKER}, so it is not a Cluster Benchmark project")
    return root


def data_dir(override: str | Path | None = None, root: str | Path | None = None) -> Path:
    """The data folder to use: an explicit override, else `data/` of `root` (default: the project found from here)."""
    if override:
        return Path(override).resolve()
    return Path(root or find_root()) / "data"


def page_clashes(root: Path, data: Path) -> list[tuple[str, str, str, str, str]]:
    """Clusters whose profile page would be written over a chapter's page, as (file, row, field, message, value).

    A chapter is published as `<file stem>.html` (the first one as `index.html`), a cluster's profile as `<id>.html`.
    Unreadable files give no problem here: the data checks and the build report them.
    """
    from analysis.project import ProjectError, load

    try:
        chapters = load(Path(root)).chapters
    except ProjectError:
        return []
    pages: dict[str, str] = {}
    for i, ref in enumerate(chapters):
        if ref.path.parent != Path(root) / PROFILE_DIR:
            pages.setdefault("index" if i == 0 else ref.path.stem, Path(os.path.relpath(ref.path, root)).as_posix())
    try:
        text = (Path(data) / "clusters.csv").read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    if "id" not in header:
        return []
    col = header.index("id")
    problems = []
    start = reader.line_num + 1
    for row in reader:
        cid = row[col].strip() if len(row) > col else ""
        if cid in pages:
            problems.append(("clusters.csv", str(start), "id", f"the cluster's profile page would be {cid}.html, the page "
                             f"of {pages[cid]}; give the cluster another id", cid))
        start = reader.line_num + 1
    return problems
