"""Write a synthetic registry for scale tests: the real `data/` folder plus N cloned pilot clusters.

    python scripts/synthetic_registry.py N DEST        # DEST/ becomes a data folder; `clusterbench validate --data DEST`

Every clone is a full pilot cluster on the real schema, so it gets what a real pilot gets (a scorecard
row, a place on the map, a profile page). Clone k copies the rows of real pilot number k mod 25 (its
clusters.csv row, its ten assessments, its location, fields, attributes and Russian preconditions) and
takes the eleven Kaluga pharma observations (`kaluga-pharma`), each value scaled by a factor between
0.5 and 1.5 that depends only on k. The ids are `synthetic-00001` and up, the names say
"Synthetic", and every clone's note says it is not a real cluster. The real rows are all kept: the
chapters and the data contract need them. So a registry of N clones has N + 51 clusters.

The output is the same for the same N and source folder (no randomness), so timings compare.
"""

from __future__ import annotations

import csv
import io
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OBSERVATION_TEMPLATE = "kaluga-pharma"
NOTE = "Synthetic clone of {template} for scale tests; not a real cluster."


def _read(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


def _append(path: Path, header: list[str], rows: list[dict]) -> None:
    """Append rows in the file's own column order; the file keeps ending with a newline."""
    text = path.read_text(encoding="utf-8")
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=header, lineterminator="\n").writerows(rows)
    path.write_text(text + ("" if text.endswith("\n") else "\n") + buf.getvalue(), encoding="utf-8")


def _factor(k: int) -> float:
    """A value scale in [0.5, 1.5], spread over the clones so charts do not collapse onto one point."""
    return 0.5 + (k * 37 % 101) / 100


def _scaled(value: str, unit: str, k: int) -> str:
    if not value or unit in ("rank",):
        return value
    number = float(value) * _factor(k)
    if unit == "percent":
        number = min(number, 100.0)
    return str(round(number)) if float(value).is_integer() else f"{number:.1f}"


def _clone_rows(rows: list[dict], key: str, template: str, new_id: str, **changes) -> list[dict]:
    """The template's rows with the id column set to the clone's id and any pilot component cleared."""
    out = []
    for row in rows:
        if row[key] == template:
            clone = {**row, key: new_id, **changes}
            if "component" in clone:
                clone["component"] = ""
            out.append(clone)
    return out


def _cluster_row(template: dict, new_id: str, k: int) -> dict:
    return {**template, "id": new_id, "name": f"Synthetic pilot cluster {k}", "short_name": f"Synthetic {k}",
            "merged_into": "", "note": NOTE.format(template=template["id"])}


def _location(rows: list[dict], template: str, new_id: str, k: int) -> list[dict]:
    """The template's place, moved by up to a degree and a half so the map shows clones apart."""
    out = []
    for row in _clone_rows(rows, "cluster", template, new_id, note=NOTE.format(template=template)):
        row["lat"] = f"{float(row['lat']) + ((k * 13) % 31 - 15) / 10:.2f}"
        row["lon"] = f"{float(row['lon']) + ((k * 7) % 31 - 15) / 10:.2f}"
        out.append(row)
    return out


def _observations(obs_dir: Path, n: int) -> int:
    """The Kaluga pharma observations, scaled, for every clone, each in its source's file."""
    count = 0
    for path in sorted(obs_dir.glob("*.csv")):
        header, rows = _read(path)
        template = [r for r in rows if r["entity"] == OBSERVATION_TEMPLATE]
        if not template:
            continue
        new = []
        for k in range(1, n + 1):
            for row in template:
                new.append({**row, "entity": clone_id(k), "value": _scaled(row["value"], row["unit"], k),
                            "value_high": _scaled(row["value_high"], row["unit"], k),
                            "note": NOTE.format(template=OBSERVATION_TEMPLATE)})
        _append(path, header, new)
        count += len(new)
    return count


def clone_id(k: int) -> str:
    return f"synthetic-{k:05d}"


def generate(n: int, dest: Path, source: Path | None = None) -> dict[str, int]:
    """Copy the data folder `source` (the project's data/) to `dest` and add `n` cloned pilot clusters.

    Returns the number of rows added per file. `dest` must not exist yet.
    """
    source = Path(source or ROOT / "data")
    dest = Path(dest)
    shutil.copytree(source, dest)
    header, clusters = _read(dest / "clusters.csv")
    pilots = [row for row in clusters if row["kind"] == "pilot"]
    tables = {name: _read(dest / name) for name in
              ("assessments.csv", "cluster_locations.csv", "cluster_fields.csv", "cluster_attributes.csv", "preconditions.csv")}
    keys = {"assessments.csv": "cluster", "cluster_fields.csv": "cluster", "cluster_attributes.csv": "entity"}
    added: dict[str, list[dict]] = {name: [] for name in ["clusters.csv", *tables]}
    for k in range(1, n + 1):
        template = pilots[(k - 1) % len(pilots)]
        tid, new_id = template["id"], clone_id(k)
        added["clusters.csv"].append(_cluster_row(template, new_id, k))
        for name, key in keys.items():
            added[name] += _clone_rows(tables[name][1], key, tid, new_id)
        added["cluster_locations.csv"] += _location(tables["cluster_locations.csv"][1], tid, new_id, k)
        added["preconditions.csv"] += [row for row in _clone_rows(tables["preconditions.csv"][1], "subject", tid, new_id)
                                       if row["side"] == "russian"]
    _append(dest / "clusters.csv", header, added["clusters.csv"])
    for name, (cols, _) in tables.items():
        _append(dest / name, cols, added[name])
    counts = {name: len(rows) for name, rows in added.items()}
    counts["observations/"] = _observations(dest / "observations", n)
    return counts


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    dest = Path(argv[1])
    if dest.exists():
        print(f"{dest} exists; give a folder that does not exist yet", file=sys.stderr)
        return 2
    counts = generate(int(argv[0]), dest)
    print(f"Wrote {dest}: {int(argv[0])} synthetic pilot clusters, {sum(counts.values()):,} rows added "
          f"({', '.join(f'{k} {v:,}' for k, v in counts.items())}).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
