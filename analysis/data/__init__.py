"""Load and validate everything in `data/`.

`load()` returns a `Dataset` or raises `DataError` listing *all* problems at once,
each as `file:row:field: message (value)`. Rows are line numbers in the file, so a
maintainer can jump straight to them; YAML problems give the key path instead.

Order of work: read each file (encoding, shape), coerce types cell by cell, run the
pandera / pydantic schemas, then run the cross-file checks, and last the data contract
(`contract.yml`): the rows and values the chapters and indicators rely on.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import io
import json
import re
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from analysis.paths import data_dir
from analysis.project import load_yaml


class _OnFirstUse(types.ModuleType):
    """A module imported when it is first used, then put in this module's globals in its own right.

    The build imports this package for its file hashes and the editions register, and a rebuild with
    nothing to do stops there: it must not pay half a second for pandas, pandera and pydantic.
    """

    def __init__(self, name: str, alias: str):
        super().__init__(name)
        self._alias = alias

    def __getattr__(self, attr: str) -> Any:
        module = importlib.import_module(self.__name__)
        globals()[self._alias] = module
        return getattr(module, attr)


np = _OnFirstUse("numpy", "np")
pd = _OnFirstUse("pandas", "pd")
pa = _OnFirstUse("pandera.pandas", "pa")
pydantic = _OnFirstUse("pydantic", "pydantic")
schemas = _OnFirstUse("analysis.data.schemas", "schemas")

#: Units that count things: their values can never be negative.
COUNT_UNITS = {
    "organisations", "companies", "people", "clusters", "applications", "projects", "patents",
    "regions", "countries", "parks", "seats", "count", "years", "rank", "km",
}
#: Units of distributions whose totals are checked against `sums_to`.
PRACTICE_FILE = re.compile(r"^(BP-\d{3})-[a-z0-9]+(-[a-z0-9]+)*\.md$")
PRACTICE_SECTIONS = ("## What was done", "## Why it matters for the Russian pilot clusters")
MAX_BODY_CHARS = 20_000  # a practice is a page of text; the longest is about a twentieth of this
MAX_FILE_BYTES = 50_000_000


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: str
    field: str
    message: str
    value: Any = None

    def __str__(self) -> str:
        text = f"{self.file}:{self.row}:{self.field}: {self.message}"
        if self.value is not None and self.value == self.value:  # NaN is not worth printing
            shown = " ".join(str(self.value).split())  # one problem, one line
            if len(shown) > 60:
                shown = shown[:57] + "..."
            text += f" ({shown})"
        return text


class DataError(Exception):
    """Raised by `load()` with every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__(f"{len(self.problems)} problem(s) in the data")

    def report(self, outcome: str = "nothing was built") -> str:
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} problem(s) found; {outcome}.")
        return "\n".join(lines)


def _problem_order(p: Problem) -> tuple:
    row = int(p.row) if p.row.isdigit() else 0
    return (p.file, row, p.row, p.field, p.message)


@dataclass
class Practice:
    path: Path
    meta: schemas.PracticeFrontMatter
    body: str


#: Which data files each Dataset field comes from, for dependency tracking.
FIELD_FILES = {
    "observations": "observations/",
    "vocab": "vocabularies.yml",
    "signs": "signs.yml",
    "programme": "programme.yml",
    "distribution_meta": "distributions.yml",
    "scorecard": "scorecard.yml",
    "specialisation": "specialisation.yml",
    "practices": "practices/",
    "boundaries": "geo/world-110m.geojson",
}


#: How a read of some observations is named among a chapter's data files: this prefix, then the selection
#: as JSON. The build compares the rows selected, not the whole folder (`Dataset.observation_rows`).
ROWS = "observations/?"


def _plain_value(value):
    """A numpy value (from a column) as the Python value JSON writes: 2019, not "2019"."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot select observations by {value!r}")


class _TrackedTables(dict):
    """A dict of tables that remembers which ones were read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def values(self):
        self.read.update(self.keys())
        return super().values()

    def items(self):
        self.read.update(self.keys())
        return super().items()


@dataclass
class Dataset:
    root: Path
    tables: dict[str, pd.DataFrame]
    observations: pd.DataFrame
    vocab: schemas.Vocabularies
    signs: schemas.SignModel
    programme: schemas.Programme
    distribution_meta: dict[str, schemas.DistributionMeta]
    scorecard: schemas.Scorecard
    specialisation: schemas.Specialisation
    practices: list[Practice] = field(default_factory=list)
    boundaries: dict = field(default_factory=dict)
    language: str = "en"  # the language of the words readers see (`analysis.data.language.localized`)
    terms: dict = field(default_factory=dict)  # in another language: 'status.meets' -> the word for the term
    units: dict = field(default_factory=dict)  # in another language: a unit -> its forms, for `analysis.text.speak`

    def __post_init__(self) -> None:
        object.__setattr__(self, "tables", _TrackedTables(self.tables))
        object.__setattr__(self, "_read_fields", set())
        object.__setattr__(self, "_row_reads", set())

    def __getattribute__(self, name: str):
        if name in FIELD_FILES:
            object.__getattribute__(self, "_read_fields").add(name)
        return object.__getattribute__(self, name)

    def reset_access(self) -> None:
        object.__getattribute__(self, "_read_fields").clear()
        object.__getattribute__(self, "tables").read.clear()
        object.__setattr__(self, "_row_reads", set())  # set here too: a Dataset pickled by older code has none

    def accessed_files(self) -> list[str]:
        """Data files (relative to the data folder) whose content has been read so far, and the selections
        of observations read through `observation_rows` (each `ROWS` + JSON) unless all of them were read.

        The build uses this to re-run only the chapters that depend on a changed file or on changed rows.
        """
        files = {FIELD_FILES[f] for f in object.__getattribute__(self, "_read_fields")}
        files |= object.__getattribute__(self, "tables").read
        if FIELD_FILES["observations"] not in files:
            files |= object.__getattribute__(self, "_row_reads")
        return sorted(files)

    def observation_rows(self, columns: Iterable[str] | None = None, **where) -> pd.DataFrame:
        """The observations whose columns hold the values in `where` (one value, or a list of them), with only
        `columns` if given: `ds.observation_rows(entity="kaluga-pharma", indicator="employees")`.

        A chapter that reads observations this way depends on these rows only: the build runs it again when
        they change, and not on every edit of an observation, as it does after `ds.observations`.
        """
        selection = {"columns": list(columns) if columns is not None else None,
                     "where": {col: [value] if isinstance(value, str) or not isinstance(value, Iterable) else list(value)
                               for col, value in sorted(where.items())}}
        key = ROWS + json.dumps(selection, sort_keys=True, ensure_ascii=False, default=_plain_value)
        object.__getattribute__(self, "_row_reads").add(key)
        # The rows come from the key itself, so the build's check of the key selects exactly these.
        return self._selected(json.loads(key.removeprefix(ROWS)))

    def rows_digest(self, key: str) -> str:
        """A hash of the rows and columns a `ROWS` key names, to tell whether what a chapter read has changed."""
        rows = self._selected(json.loads(key.removeprefix(ROWS)))
        digest = hashlib.sha256(json.dumps([list(map(str, rows.columns)), len(rows)]).encode())
        digest.update(pd.util.hash_pandas_object(rows, index=False).to_numpy().tobytes())
        return digest.hexdigest()

    def _selected(self, selection: dict) -> pd.DataFrame:
        obs = object.__getattribute__(self, "observations")  # not a read of every observation
        keep = np.ones(len(obs), dtype=bool)
        for col, values in selection["where"].items():
            keep &= obs[col].isin(values).to_numpy()
        rows = obs[keep]
        return rows[selection["columns"]] if selection["columns"] is not None else rows

    def __getitem__(self, name: str) -> pd.DataFrame:
        """A table by its name without extension, e.g. `ds["clusters"]`."""
        if name == "observations":
            return self.observations
        return self.tables[f"{name}.csv"]

    @property
    def sign_table(self) -> pd.DataFrame:
        rows = [
            {"group": g.id, "group_label": g.label, "sign": s.id, "label": s.label,
             "definition": s.definition, "order": i}
            for i, (g, s) in enumerate(((g, s) for g in self.signs.groups for s in g.signs), 1)
        ]
        return pd.DataFrame(rows)


# --- reading ---------------------------------------------------------------------------


#: What an empty file of each kind is missing, for the message.
EMPTY = {
    ".csv": "it needs at least a header row",
    ".yml": "restore its settings (see data/README.md)",
    ".md": "a practice needs its front matter and body",
    ".geojson": "regenerate it with scripts/make_world_boundaries.py",
}


def _read_text(path: Path, rel: str, problems: list[Problem]) -> str | None:
    if not path.exists():
        problems.append(Problem(rel, "-", "-", "file is missing"))
        return None
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(rel, "-", "-", f"file is too large ({len(raw):,} bytes; at most {MAX_FILE_BYTES:,})"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(_encoding_problem(raw, exc, rel))
        return None
    if not text.strip():
        problems.append(Problem(rel, "1", "-", f"file is empty; {EMPTY.get(path.suffix, 'it needs its content')}"))
        return None
    return text


def _encoding_problem(raw: bytes, exc: UnicodeDecodeError, rel: str) -> Problem:
    """Where the first byte that is not UTF-8 sits (line, and column of a CSV), and a guess at the encoding."""
    line = raw[: exc.start].count(b"\n") + 1
    start = raw.rfind(b"\n", 0, exc.start) + 1
    end = raw.find(b"\n", exc.start)
    text_line = raw[start: end if end >= 0 else len(raw)].decode("cp1251", errors="replace").strip()
    field_name, cell = _csv_cell_with_bad_byte(raw) if rel.endswith(".csv") else ("-", None)
    message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
    # Russian text saved by Excel or Notepad on Windows is the usual case: say so, and show it readably.
    if re.search("[\u0400-\u04ff]{3,}", text_line):
        return Problem(rel, str(line), field_name, message + "it looks like Windows-1251 (Cyrillic) text; save it as UTF-8",
                       cell or text_line)
    return Problem(rel, str(line), field_name, message + "save the file as UTF-8")


def _csv_cell_with_bad_byte(raw: bytes) -> tuple[str, str | None]:
    """The column of the first cell holding a byte that is not UTF-8, and that cell read as Windows-1251."""
    loose = list(csv.reader(io.StringIO(raw.decode("utf-8", errors="replace"), newline="")))
    guessed = list(csv.reader(io.StringIO(raw.decode("cp1251", errors="replace"), newline="")))
    if not loose:
        return "-", None
    header = [h.strip() for h in loose[0]]
    for r, record in enumerate(loose[1:], 1):
        for c, cell in enumerate(record):
            if "\ufffd" in cell and c < len(header):
                same = r < len(guessed) and c < len(guessed[r])
                return header[c], guessed[r][c].strip() if same else None
    return "-", None


def _read_csv(path: Path, rel: str, problems: list[Problem]) -> tuple[pd.DataFrame, list[int]] | None:
    """Read a CSV as strings; return the frame and the line number of each row."""
    text = _read_text(path, rel, problems)
    if text is None:
        return None
    csv.field_size_limit(MAX_FILE_BYTES)  # a huge cell must reach the length check, not stop the reader
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        problems.append(Problem(rel, "1", "-", f"cannot read the header: {exc}"))
        return None
    header = [h.strip() for h in header]
    records, lines = [], []
    start = reader.line_num + 1
    try:
        for rec in reader:
            cells = [c.strip() for c in rec]
            if any(cells):
                if len(cells) != len(header):
                    problems.append(Problem(rel, str(start), "-", f"row has {len(rec)} fields but the header has {len(header)}; check for unquoted commas"))
                else:
                    records.append(cells)
                    lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(rel, str(start), "-", f"cannot read the row: {exc}"))
        return None
    if not records:  # nothing usable: said here, or row by row above
        if not any(p.file == rel for p in problems):
            problems.append(Problem(rel, "2", "-", "file has a header but no rows; add at least one row"))
        return None
    dupes = {h for h in header if header.count(h) > 1}
    for h in sorted(dupes):
        problems.append(Problem(rel, "1", h, "column appears more than once"))
    if dupes:
        return None
    frame = pd.DataFrame(records, columns=header, dtype=object)
    return frame.replace({"": None}), lines


def _columns(model: type[pa.DataFrameModel]) -> dict[str, pa.Column]:
    return model.to_schema().columns


def _coerce(frame: pd.DataFrame, model: type[pa.DataFrameModel], rel: str, lines: list[int], problems: list[Problem]) -> pd.DataFrame:
    """Convert each column to its schema type cell by cell, reporting cells that do not fit."""
    columns = _columns(model)
    out = pd.DataFrame(index=frame.index)
    for name, col in columns.items():
        if name not in frame.columns:
            if not col.nullable or name in ("id",):
                problems.append(Problem(rel, "1", name, "required column is missing"))
            continue
        raw = frame[name]
        kind = str(col.dtype)
        if kind in ("float64", "Int64"):
            num = pd.to_numeric(raw, errors="coerce")
            bad = raw.notna() & num.isna()
            if kind == "Int64":
                frac = num.notna() & (num % 1 != 0)
                bad |= frac
                num = num.where(~bad)
            for i in raw[bad].index:
                what = "a whole number" if kind == "Int64" else "a number"
                hint = " (use a point for decimals and no thousands separators)" if "," in str(raw[i]) else ""
                problems.append(Problem(rel, str(lines[i]), name, f"not {what}{hint}", raw[i]))
            out[name] = num.astype("Int64") if kind == "Int64" else num.astype("float64")
        elif kind == "bool":
            low = raw.str.lower()
            bad = ~low.isin(["true", "false"])
            for i in raw[bad].index:
                problems.append(Problem(rel, str(lines[i]), name, "must be true or false", raw[i]))
            out[name] = low.eq("true")
        else:
            out[name] = raw.astype(object)
    for extra in frame.columns.difference(list(columns)):
        problems.append(Problem(rel, "1", extra, "unknown column; add it to the schema in analysis/schemas.py or remove it"))
    return out


def _hints() -> dict[str, str]:
    """What to do about a value that does not match a pattern of the schemas, by pattern."""
    return {
        schemas.SLUG: "use lower-case letters, digits and hyphens",
        schemas.SNAKE: "use lower-case letters, digits and underscores",
        schemas.TERM: "use lower-case letters, digits, hyphens and underscores",
        schemas.SOURCE_LIST: "source ids separated by ';'",
        schemas.LOCATOR: "name places in the reader's terms, e.g. 'Figure 7', 'footnote 12', 'p. 5' or \"section 'Critical mass'\", several joined by '; '",
    }


def _check_message(check: str, value: Any) -> str:
    if check == "not_nullable":
        return "required value is missing"
    if check.startswith("str_matches"):
        pattern = check[len("str_matches('"):-2].replace("\\\\", "\\")
        return "not in the expected form: " + _hints().get(pattern, f"must match {pattern}")
    if check.startswith("str_length"):
        limit = re.findall(r"\d+", check)[-1]
        return f"text is too long ({len(str(value)):,} characters; at most {limit})"
    if check in ("field_uniqueness", "unique") or check.startswith("multiple_fields_uniqueness"):
        return "duplicate value; ids must be unique"
    if check.startswith("isin"):
        return "not an allowed value: " + check[len("isin("):-1]
    if check.startswith("greater_than_or_equal_to"):
        bound = check[len("greater_than_or_equal_to("):-1]
        return "must not be negative" if bound in ("0", "0.0") else f"must be at least {bound}"
    if check.startswith("less_than_or_equal_to"):
        return f"must be at most {check[len('less_than_or_equal_to('):-1]}"
    return f"fails check {check}"


def _run_schema(frame: pd.DataFrame, model: type[pa.DataFrameModel], rel: str, lines: list[int], problems: list[Problem]) -> pd.DataFrame:
    present = [c for c in _columns(model) if c in frame.columns]
    try:
        return model.validate(frame[present], lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        for case in cases.itertuples(index=False):
            if case.index is None or pd.isna(case.index):
                if case.check == "column_in_dataframe":
                    continue  # reported by _coerce in plain words
                if str(case.check).startswith("multiple_fields_uniqueness"):
                    continue
                problems.append(Problem(rel, "-", str(case.column), _check_message(str(case.check), case.failure_case)))
                continue
            i = int(case.index)
            value = None if pd.api.types.is_scalar(case.failure_case) and pd.isna(case.failure_case) else case.failure_case  # a blank cell
            problems.append(Problem(rel, str(lines[i]), str(case.column), _check_message(str(case.check), value), value))
        unique = getattr(model.Config, "unique", None)
        if unique:
            keys = _key(frame, unique)
            for i in frame.index[keys.duplicated(keep="first")]:
                problems.append(Problem(rel, str(lines[i]), "+".join(unique), "duplicate combination; each must appear once", keys[i]))
        return frame


#: The last reading of each table file while `keep_readings()` is on: {(path, rel): (digest of its bytes, model,
#: frame, lines, problems, {its name if unreadable})}. A process that checks the data again and again (`clusterbench preview`)
#: then reads and checks again only the files that changed; the cross-file checks still run every time.
_READINGS: dict[tuple[Path, str], tuple] | None = None


def keep_readings() -> None:
    """Keep each table file's reading, to reuse while the file's bytes stay the same."""
    global _READINGS
    if _READINGS is None:
        _READINGS = {}


def _read_table(root: Path, rel: str, model: type[pa.DataFrameModel], problems: list[Problem],
                broken: set[str]) -> tuple[pd.DataFrame, list[int]]:
    path = root / rel
    if _READINGS is None:
        return _read_table_now(root, rel, model, problems, broken)
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return _read_table_now(root, rel, model, problems, broken)
    kept = _READINGS.get((path, rel))
    if kept is None or kept[:2] != (digest, model):
        found: list[Problem] = []
        unreadable: set[str] = set()
        frame, lines = _read_table_now(root, rel, model, found, unreadable)
        kept = _READINGS[path, rel] = (digest, model, frame, lines, found, unreadable)
    frame, lines, found, unreadable = kept[2:]
    problems.extend(found)
    broken.update(unreadable)
    return frame.copy(), list(lines)


def _read_table_now(root: Path, rel: str, model: type[pa.DataFrameModel], problems: list[Problem],
                    broken: set[str]) -> tuple[pd.DataFrame, list[int]]:
    read = _read_csv(root / rel, rel, problems)
    if read is None:
        broken.add(rel)
        return pd.DataFrame(columns=list(_columns(model))), []
    raw, lines = read
    typed = _coerce(raw, model, rel, lines, problems)
    checked = _run_schema(typed, model, rel, lines, problems).copy()
    for name in _columns(model):
        if name not in checked.columns:  # already reported; keeps the cross-file checks running
            checked[name] = None
    checked["_file"] = rel
    checked["_line"] = lines
    return checked, lines


def _yaml_line_index(text: str) -> dict[str, int]:
    """Line numbers of top-level keys, for problems in front matter."""
    return {m.group(1): text[: m.start()].count("\n") + 1 for m in re.finditer(r"^([A-Za-z_]+):", text, re.M)}


def _pydantic_problems(exc: pydantic.ValidationError, rel: str, lines: dict[str, int] | None = None, offset: int = 0) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = err["loc"]
        path = ""
        for part in loc:
            path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        row = "-"
        if lines is not None and loc and str(loc[0]) in lines:
            row = str(lines[str(loc[0])] + offset)
        elif lines is None:
            row = path.rsplit(".", 1)[0] if "." in path else "-"
        field_name = str(loc[-1]) if loc else "-"
        value = err.get("input") if err["type"] != "missing" else None
        if isinstance(value, (dict, list)):
            value = None
        out.append(Problem(rel, row, field_name, err["msg"], value))
    return out


def read_table_text(path: Path, rel: str, problems: list[Problem]) -> pd.DataFrame | None:
    """A CSV as text ('' for an empty cell), read with the first checks of `collect` (size, encoding, shape, header).

    None when it cannot be read, with the reasons added to `problems`. The schemas are not applied, so a
    file of an older edition reads as it was written.
    """
    read = _read_csv(path, rel, problems)
    return None if read is None else read[0].fillna("")


def read_yaml_doc(path: Path, rel: str, problems: list[Problem]) -> Any:
    """A YAML file parsed, or None when it cannot be read or parsed (the reason is added to `problems`)."""
    text = _read_text(path, rel, problems)
    if text is None:
        return None
    try:
        return load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(rel, str(mark.line + 1) if mark else "-", "-", f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None


def _read_yaml(root: Path, rel: str, model: type[pydantic.BaseModel], problems: list[Problem]) -> pydantic.BaseModel | None:
    before = len(problems)
    doc = read_yaml_doc(root / rel, rel, problems)
    if len(problems) > before:
        return None
    try:
        return model.model_validate(doc)
    except pydantic.ValidationError as exc:
        problems.extend(_pydantic_problems(exc, rel))
        return None


def _read_distribution_meta(root: Path, problems: list[Problem], broken: set[str]) -> dict[str, schemas.DistributionMeta]:
    rel = "distributions.yml"
    text = _read_text(root / rel, rel, problems)
    if text is None:
        broken.add(rel)
        return {}
    try:
        doc = load_yaml(text) or {}
    except yaml.YAMLError as exc:
        problems.append(Problem(rel, "-", "-", f"not valid YAML: {exc}"))
        return {}
    out = {}
    lines = _yaml_line_index(text)
    for key, value in doc.items():
        if not re.match(schemas.SLUG, str(key)):
            problems.append(Problem(rel, str(lines.get(str(key), "-")), "id", "not in the expected form: " + _hints()[schemas.SLUG], key))
        try:
            out[str(key)] = schemas.DistributionMeta.model_validate(value)
        except pydantic.ValidationError as exc:
            for p in _pydantic_problems(exc, rel):
                problems.append(Problem(rel, str(lines.get(str(key), "-")), f"{key}.{p.field}", p.message, p.value))
    return out


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(YAML head, body, 1) of a Markdown file with front matter between '---' lines, or None."""
    m = re.match(r"^---\s*\n(.*?)\n---\s*\n?(.*)$", text, re.S)
    if not m:
        return None
    return m.group(1), m.group(2), 1


def _read_practices(root: Path, problems: list[Problem]) -> list[Practice]:
    folder = root / "practices"
    out: list[Practice] = []
    if not folder.is_dir():
        problems.append(Problem("practices/", "-", "-", "folder is missing"))
        return out
    for path in sorted(folder.glob("*.md")):
        rel = f"practices/{path.name}"
        m = PRACTICE_FILE.match(path.name)
        if not m:
            problems.append(Problem(rel, "-", "-", "file name must look like BP-NNN-slug.md"))
            continue
        text = _read_text(path, rel, problems)
        if text is None:
            continue
        parts = split_front_matter(text)
        if parts is None:
            problems.append(Problem(rel, "1", "-", "missing YAML front matter between '---' lines"))
            continue
        head, body, _ = parts
        if len(body) > MAX_BODY_CHARS:
            problems.append(Problem(rel, str(head.count("\n") + 4), "body",
                                    f"text is too long ({len(body):,} characters; at most {MAX_BODY_CHARS:,})", body))
        try:
            doc = load_yaml(head) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problems.append(Problem(rel, str(mark.line + 2) if mark else "-", "-", f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}"))
            continue
        try:
            meta = schemas.PracticeFrontMatter.model_validate(doc)
        except pydantic.ValidationError as exc:
            problems.extend(_pydantic_problems(exc, rel, _yaml_line_index(head), offset=1))
            continue
        if meta.id != m.group(1):
            problems.append(Problem(rel, str(_yaml_line_index(head).get("id", 1) + 1), "id", f"id does not match the file name ({m.group(1)})", meta.id))
        if meta.status == "active":
            for section in PRACTICE_SECTIONS:
                if section not in body:
                    problems.append(Problem(rel, "-", "body", f"missing section '{section}'"))
        out.append(Practice(path, meta, body.strip()))
    return out


BOUNDARIES = "geo/world-110m.geojson"


def _read_boundaries(root: Path, problems: list[Problem]) -> dict:
    """Country outlines for the maps (GeoJSON, regenerated by scripts/make_world_boundaries.py)."""
    text = _read_text(root / BOUNDARIES, BOUNDARIES, problems)
    if text is None:
        return {}
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.append(Problem(BOUNDARIES, str(exc.lineno), "-", f"not valid JSON: {exc.msg}"))
        return {}
    if doc.get("type") != "FeatureCollection" or not doc.get("features"):
        problems.append(Problem(BOUNDARIES, "1", "type", "expected a GeoJSON FeatureCollection with features"))
        return {}
    return doc


# --- cross-file checks -----------------------------------------------------------------


def _where(frame: pd.DataFrame, mask: pd.Series) -> Iterable[tuple[str, str, pd.Series]]:
    for _, row in frame[mask].iterrows():
        yield row["_file"], str(row["_line"]), row


def _key(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """One string per row joining the given columns, with empty cells as ''."""
    # Column by column, not row by row: a registry of thousands of clusters has a hundred thousand rows.
    key = pd.Series("", index=frame.index, dtype=object)
    for i, column in enumerate(columns):
        values = frame[column].astype(object)
        text = values.where(values.notna(), "").astype(str)
        key = text if i == 0 else key + "|" + text
    return key


def _check_in(frame: pd.DataFrame, column: str, allowed: set[str], message: str, problems: list[Problem], *, split: str | None = None) -> None:
    if column not in frame.columns or frame.empty:
        return
    values = frame[column].dropna().astype(str)
    if split:
        values = values.str.split(split).explode()
    for i, item in values[~values.isin(allowed)].items():
        problems.append(Problem(frame.at[i, "_file"], str(frame.at[i, "_line"]), column, message, item))


_SOURCE_MESSAGE = "unknown source id; add it to sources.csv"
_QUALITY_MESSAGE = "not a quality flag (reported, derived, estimate, ambiguous)"
_FACTOR_MESSAGE = "unknown factor code; add it to factors.csv"


@dataclass(frozen=True)
class _Known:
    """The ids and codes other files may refer to, gathered once for all the cross-file checks."""

    sources: set[str]
    cluster_ids: set[str]
    pilot_ids: set[str]
    group_ids: set[str]
    entity_ids: set[str]
    indicator_unit: dict[str, str]
    sign_ids: set[str]
    factor_ids: set[str]
    units: set[str]
    quality: set[str]


def _known(ds: Dataset) -> _Known:
    t = ds.tables
    clusters = t["clusters.csv"]
    cluster_ids = set(clusters["id"].dropna())
    group_ids = set(t["groups.csv"]["id"].dropna())
    indicators = t["indicators.csv"]
    return _Known(
        sources=set(t["sources.csv"]["id"].dropna()),
        cluster_ids=cluster_ids,
        pilot_ids=set(clusters.loc[clusters["kind"] == "pilot", "id"].dropna()),
        group_ids=group_ids,
        entity_ids=cluster_ids | group_ids,
        indicator_unit=dict(zip(indicators["id"], indicators["unit"])),
        sign_ids={s.id for g in ds.signs.groups for s in g.signs},
        factor_ids=set(t["factors.csv"]["code"].dropna()),
        units=set(ds.vocab.units),
        quality=set(ds.vocab.quality),
    )


def _cross_checks(ds: Dataset, problems: list[Problem]) -> None:
    """Every reference from one file into another, in a fixed order so the problems come out the same each run."""
    known = _known(ds)
    _check_unique_entity_ids(known, problems)
    _check_sources(ds, known, problems)
    _check_clusters(ds, known, problems)
    _check_indicators_and_benchmarks(ds, known, problems)
    _check_observation_codes(ds, known, problems)
    # A value that is not a number is empty by now; its own problem says what to fix.
    unreadable = _reported_cells(problems)
    _check_observation_values(ds, known, unreadable, problems)
    _check_quality_notes(ds, problems)
    _check_distributions(ds, known, unreadable, problems)
    _check_assessments(ds, known, problems)
    _check_cluster_attributes(ds, known, problems)
    _check_pilot_components(ds, known, problems)
    _check_success_factors(ds, known, problems)
    _check_programme_sources(ds, known, problems)
    _check_locations_and_fields(ds, known, problems)
    _check_scorecard(ds, problems)
    _check_practices(ds, known, problems)


def _check_unique_entity_ids(known: _Known, problems: list[Problem]) -> None:
    for cid in sorted(known.cluster_ids & known.group_ids):
        problems.append(Problem("groups.csv", "-", "id", "id is also a cluster id; entity ids must be unique across both files", cid))


def _check_sources(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    t = ds.tables
    _check_in(t["clusters.csv"], "sources", known.sources, _SOURCE_MESSAGE, problems, split=";")
    for name in ("benchmarks.csv", "country_cluster_counts.csv", "distributions.csv", "policy_timeline.csv",
                 "assessments.csv", "cluster_attributes.csv", "preconditions.csv", "factor_lists.csv", "stakeholders.csv"):
        _check_in(t[name], "source", known.sources, _SOURCE_MESSAGE, problems)
    _check_in(ds.observations, "source", known.sources, _SOURCE_MESSAGE, problems)


def _check_clusters(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    clusters = ds.tables["clusters.csv"]
    v = ds.vocab
    _check_in(clusters, "kind", set(v.cluster_kind), "not a cluster kind in vocabularies.yml", problems)
    _check_in(clusters, "entity_type", set(v.entity_type), "not an entity type in vocabularies.yml", problems)
    _check_in(clusters, "industry_group", set(v.industry_group), "not an industry group in vocabularies.yml", problems)
    for col in ("location_confidence", "industry_group_confidence", "support_group_confidence", "confidence"):
        _check_in(clusters, col, set(v.confidence), "not a confidence code (S, P or M)", problems)
    _check_in(clusters, "merged_into", known.cluster_ids, "unknown cluster id", problems)
    pilot = clusters["kind"] == "pilot"
    for f, line, _ in _where(clusters, pilot & clusters["support_group"].isna()):
        problems.append(Problem(f, line, "support_group", "a pilot cluster needs its support group (1 or 2)"))
    for f, line, row in _where(clusters, ~pilot & clusters["support_group"].notna()):
        problems.append(Problem(f, line, "support_group", "only pilot clusters have a support group", row["support_group"]))


def _check_indicators_and_benchmarks(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    """Units, directions, quality flags and scopes of the indicator, benchmark and count tables."""
    t = ds.tables
    v = ds.vocab
    indicators = t["indicators.csv"]
    _check_in(indicators, "unit", known.units, "not a unit in vocabularies.yml", problems)
    _check_in(indicators, "direction", set(v.direction), "not a direction in vocabularies.yml", problems)
    for name in ("benchmarks.csv", "distributions.csv"):
        _check_in(t[name], "unit", known.units, "not a unit in vocabularies.yml", problems)
    for name in ("benchmarks.csv", "country_cluster_counts.csv", "distributions.csv", "policy_timeline.csv", "cluster_attributes.csv"):
        _check_in(t[name], "quality", known.quality, _QUALITY_MESSAGE, problems)
    _check_in(t["country_cluster_counts.csv"], "qualifier", set(v.qualifier), "not a qualifier in vocabularies.yml", problems)
    _check_in(t["benchmarks.csv"], "indicator", set(known.indicator_unit), "unknown indicator id; add it to indicators.csv", problems)
    _check_in(t["benchmarks.csv"], "applies_to", set(v.scope), "not a scope in vocabularies.yml", problems)
    bench = t["benchmarks.csv"]
    for f, line, _ in _where(bench, (bench["comparator"] == "range") & bench["value_high"].isna()):
        problems.append(Problem(f, line, "value_high", "a range needs its upper end"))


def _check_observation_codes(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    obs = ds.observations
    v = ds.vocab
    _check_in(obs, "entity", known.entity_ids, "unknown entity; use a cluster id (clusters.csv) or a group id (groups.csv)", problems)
    _check_in(obs, "indicator", set(known.indicator_unit), "unknown indicator id; add it to indicators.csv", problems)
    _check_in(obs, "unit", known.units, "not a unit in vocabularies.yml", problems)
    _check_in(obs, "qualifier", set(v.qualifier), "not a qualifier in vocabularies.yml", problems)
    _check_in(obs, "scope", set(v.scope), "not a scope in vocabularies.yml", problems)
    _check_in(obs, "quality", known.quality, _QUALITY_MESSAGE, problems)


def _check_observation_values(ds: Dataset, known: _Known, unreadable: set[tuple[str, str, str]], problems: list[Problem]) -> None:
    """Units match their indicator, empty values are marked ambiguous, and each figure appears once per source."""
    obs = ds.observations
    expected = obs["indicator"].map(known.indicator_unit)
    for f, line, row in _where(obs, expected.notna() & obs["unit"].isin(known.units) & (obs["unit"] != expected)):
        problems.append(Problem(f, line, "unit", f"unit differs from the indicator's unit ({expected[row.name]})", row["unit"]))
    for f, line, _ in _where(obs, obs["value"].isna() & (obs["quality"] != "ambiguous")):
        if (f, line, "value") not in unreadable:
            problems.append(Problem(f, line, "value", "value is empty; mark the row quality 'ambiguous' and say why in the note"))
    _check_values(obs, problems)
    keys = _key(obs, ["entity", "indicator", "breakdown", "year", "source"])
    for f, line, row in _where(obs, keys.duplicated(keep="first")):
        problems.append(Problem(f, line, "entity+indicator+year", "duplicate observation for this source; each figure once", f"{row['entity']} {row['indicator']} {row['year']}"))


def _check_quality_notes(ds: Dataset, problems: list[Problem]) -> None:
    """Provenance notes, wherever a quality flag is set."""
    for name in ("benchmarks.csv", "country_cluster_counts.csv", "distributions.csv", "cluster_attributes.csv"):
        _check_values(ds.tables[name], problems, value_col="clusters" if name == "country_cluster_counts.csv" else "value")


def _check_distributions(ds: Dataset, known: _Known, unreadable: set[tuple[str, str, str]], problems: list[Problem]) -> None:
    """distributions.csv against distributions.yml: known ids, one unit each, totals, and no category twice."""
    dist = ds.tables["distributions.csv"]
    meta = ds.distribution_meta
    _check_in(dist, "distribution", set(meta), "unknown distribution; describe it in distributions.yml", problems)
    _check_in(dist, "population", known.entity_ids, "unknown population; use a cluster or group id", problems)
    for key, m in meta.items():
        if m.source not in known.sources:
            problems.append(Problem("distributions.yml", "-", f"{key}.source", _SOURCE_MESSAGE, m.source))
        if m.population not in known.entity_ids:
            problems.append(Problem("distributions.yml", "-", f"{key}.population", "unknown population", m.population))
        if m.unit not in known.units:
            problems.append(Problem("distributions.yml", "-", f"{key}.unit", "not a unit in vocabularies.yml", m.unit))
        rows = dist[dist["distribution"] == key]
        if rows.empty:
            problems.append(Problem("distributions.yml", "-", key, "distribution has no rows in distributions.csv"))
            continue
        for f, line, row in _where(rows, rows["unit"] != m.unit):
            problems.append(Problem(f, line, "unit", f"unit differs from distributions.yml ({m.unit})", row["unit"]))
        if m.sums_to is not None:
            _check_distribution_total(key, m, rows, unreadable, problems)
    dkeys = _key(dist, ["distribution", "category"])
    for f, line, row in _where(dist, dkeys.duplicated(keep="first")):
        problems.append(Problem(f, line, "category", "category appears twice in this distribution", row["category"]))


def _check_distribution_total(key: str, m: schemas.DistributionMeta, rows: pd.DataFrame,
                              unreadable: set[tuple[str, str, str]], problems: list[Problem]) -> None:
    # A cell that is not a number is empty by now and reported already; the total waits for it.
    empty = [r for _, r in rows[rows["value"].isna()].iterrows() if (r["_file"], str(r["_line"]), "value") not in unreadable]
    if empty:
        first = rows.iloc[0]
        problems.append(Problem(first["_file"], str(first["_line"]), "value", f"distribution '{key}' must total {m.sums_to:g} but has empty values"))
    elif rows["value"].notna().all():
        total = float(rows["value"].sum())
        tolerance = max(0.5, 0.01 * m.sums_to) if m.unit == "percent" else 0.0
        if abs(total - m.sums_to) > tolerance + 1e-9:
            first = rows.iloc[0]
            problems.append(Problem(first["_file"], str(first["_line"]), "value", f"values of '{key}' total {total:g}, expected {m.sums_to:g}"))


def _check_assessments(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    """Sign ids are unique, and each pilot has one assessment per sign, with evidence behind every verdict."""
    seen: set[str] = set()
    for g in ds.signs.groups:
        for s in g.signs:
            if s.id in seen:
                problems.append(Problem("signs.yml", g.id, "id", "duplicate sign id", s.id))
            seen.add(s.id)
    if ds.signs.source not in known.sources:
        problems.append(Problem("signs.yml", "-", "source", _SOURCE_MESSAGE, ds.signs.source))
    ass = ds.tables["assessments.csv"]
    v = ds.vocab
    _check_in(ass, "cluster", known.pilot_ids, "not a pilot cluster id", problems)
    _check_in(ass, "sign", known.sign_ids, "unknown sign id; see signs.yml", problems)
    _check_in(ass, "status", set(v.status), "not a status (meets, partly, fails, unknown)", problems)
    _check_in(ass, "basis", set(v.basis), "not a basis (stated, inferred)", problems)
    verdict = ass["status"].isin(["meets", "partly", "fails"])
    for col in ("evidence", "source", "locator", "basis"):
        for f, line, row in _where(ass, verdict & ass[col].isna()):
            problems.append(Problem(f, line, col, f"a '{row['status']}' status needs its {col}"))
    have = set(zip(ass["cluster"], ass["sign"]))
    for cid in sorted(known.pilot_ids):
        for sid in sorted(known.sign_ids):
            if (cid, sid) not in have:
                problems.append(Problem("assessments.csv", "-", "cluster+sign", "missing row; add it with status 'unknown' if nothing is known", f"{cid} {sid}"))


def _check_cluster_attributes(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    attrs = ds.tables["cluster_attributes.csv"]
    _check_in(attrs, "entity", known.cluster_ids, "unknown cluster id", problems)
    _check_in(attrs, "attribute", set(ds.vocab.attributes), "not an attribute in vocabularies.yml", problems)


def _check_pilot_components(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    """A fact about one part of a merged pilot names that part, and the part names its pilot."""
    clusters = ds.tables["clusters.csv"]
    merged = dict(zip(clusters["id"], clusters["merged_into"]))
    components = set(clusters.loc[clusters["kind"] == "pilot_component", "id"].dropna())
    for f, line, row in _where(clusters, clusters["kind"] == "pilot_component"):
        if row["merged_into"] not in known.pilot_ids:
            problems.append(Problem(f, line, "merged_into", "a pilot component needs the id of its pilot cluster", row["merged_into"]))
    owners = ((ds.observations, "entity"), (ds.tables["assessments.csv"], "cluster"), (ds.tables["cluster_attributes.csv"], "entity"))
    for frame, owner in owners:
        for f, line, row in _where(frame, frame["component"].notna()) if "component" in frame.columns else []:
            if row["component"] not in components:
                problems.append(Problem(f, line, "component", "not a pilot component; use a cluster id whose kind is pilot_component", row["component"]))
            elif merged[row["component"]] != row[owner]:
                problems.append(Problem(f, line, "component", f"this component is part of {merged[row['component']]}, not of {row[owner]}", row["component"]))


def _check_success_factors(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    t = ds.tables
    pre = t["preconditions.csv"]
    _check_in(pre, "factor", known.factor_ids, _FACTOR_MESSAGE, problems)
    _check_in(t["factor_lists.csv"], "factor", known.factor_ids, _FACTOR_MESSAGE, problems)
    _check_in(t["stakeholders.csv"], "factor", known.factor_ids, _FACTOR_MESSAGE, problems)
    for f, line, row in _where(pre, (pre["side"] == "russian") & ~pre["subject"].isin(known.cluster_ids)):
        problems.append(Problem(f, line, "subject", "unknown cluster id", row["subject"]))
    country = pre["subject"].astype(str).str.match(r"^[A-Z]{2}$")
    for f, line, row in _where(pre, (pre["side"] == "foreign") & ~country):
        problems.append(Problem(f, line, "subject", "use an ISO 3166 alpha-2 country code", row["subject"]))


def _check_programme_sources(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    """The source of each list in programme.yml and specialisation.yml."""
    for block in ("spending_areas", "development_centre_regions", "policy_approaches"):
        src = getattr(ds.programme, block).source
        if src not in known.sources:
            problems.append(Problem("programme.yml", block, "source", _SOURCE_MESSAGE, src))
    for where, block in (("funding_rules", ds.programme.funding_rules), ("spending_areas.uptake", ds.programme.spending_areas.uptake),
                         ("country_cluster_types", ds.specialisation.country_cluster_types)):
        if block is not None and block.source not in known.sources:
            problems.append(Problem("specialisation.yml" if where == "country_cluster_types" else "programme.yml", where, "source", _SOURCE_MESSAGE, block.source))


def _check_locations_and_fields(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    """The map, specialisation and comparison helpers: locations, fields and category maps."""
    t = ds.tables
    locs = t["cluster_locations.csv"]
    _check_in(locs, "cluster", known.cluster_ids, "unknown cluster id", problems)
    _check_in(locs, "source", known.sources, _SOURCE_MESSAGE, problems)
    _check_in(locs, "confidence", set(ds.vocab.confidence), "not a confidence code (S, P or M)", problems)
    located = set(locs["cluster"].dropna())
    for cid in sorted(known.cluster_ids - located):
        problems.append(Problem("cluster_locations.csv", "-", "cluster", "cluster has no location; add a row", cid))
    dist = t["distributions.csv"]
    fields = set(dist.loc[dist["distribution"] == "world-clusters-by-field", "category"].dropna())
    _check_in(t["cluster_fields.csv"], "cluster", known.pilot_ids, "not a pilot cluster id", problems)
    _check_in(t["cluster_fields.csv"], "field", fields, "not a field of world-clusters-by-field", problems)
    for name in ds.specialisation.reserve_fields:
        if name not in fields:
            problems.append(Problem("specialisation.yml", "-", "reserve_fields", "not a field of world-clusters-by-field", name))
    maps = t["category_maps.csv"]
    meta = ds.distribution_meta
    _check_in(maps, "source_distribution", set(meta), "unknown distribution; see distributions.yml", problems)
    dist_cats = set(zip(dist["distribution"], dist["category"]))
    for f, line, row in _where(maps, pd.Series(True, index=maps.index)) if not maps.empty else []:
        if row["source_distribution"] in meta and (row["source_distribution"], row["category"]) not in dist_cats:
            problems.append(Problem(f, line, "category", f"not a category of {row['source_distribution']}", row["category"]))


def _check_scorecard(ds: Dataset, problems: list[Problem]) -> None:
    statuses = set(ds.vocab.status)
    if set(ds.scorecard.points) != statuses:
        problems.append(Problem("scorecard.yml", "points", "-", f"give points for exactly these statuses: {', '.join(sorted(statuses))}"))
    if ds.scorecard.points.get("unknown", 0) > 0:
        problems.append(Problem("scorecard.yml", "points", "unknown", "an unknown status must never earn points", ds.scorecard.points["unknown"]))


def _check_practices(ds: Dataset, known: _Known, problems: list[Problem]) -> None:
    """Each practice's id is unique and everything its front matter names exists."""
    obs = ds.observations
    benchmark_ids = set(ds.tables["benchmarks.csv"]["id"].dropna())
    obs_keys = set(zip(obs["entity"], obs["indicator"]))
    obs_year_keys = set(zip(obs["entity"], obs["indicator"], obs["year"]))
    ids: dict[str, str] = {}
    for p in ds.practices:
        rel = f"practices/{p.path.name}"
        m = p.meta
        if m.id in ids:
            problems.append(Problem(rel, "-", "id", f"practice id already used by {ids[m.id]}", m.id))
        ids[m.id] = rel
        if m.theme not in known.sign_ids:
            problems.append(Problem(rel, "-", "theme", "unknown sign id; see signs.yml", m.theme))
        if m.origin.cluster and m.origin.cluster not in known.cluster_ids:
            problems.append(Problem(rel, "-", "origin.cluster", "unknown cluster id", m.origin.cluster))
        if m.origin.group and m.origin.group not in known.group_ids:
            problems.append(Problem(rel, "-", "origin.group", "unknown group id", m.origin.group))
        for s in m.sources:
            if s.source not in known.sources:
                problems.append(Problem(rel, "-", "sources", _SOURCE_MESSAGE, s.source))
        for ev in m.evidence:
            if ev.benchmark:
                if ev.benchmark not in benchmark_ids:
                    problems.append(Problem(rel, "-", "evidence", "unknown benchmark id; see benchmarks.csv", ev.benchmark))
            elif ev.distribution:
                if ev.distribution not in ds.distribution_meta:
                    problems.append(Problem(rel, "-", "evidence", "unknown distribution id; see distributions.yml", ev.distribution))
            elif not ((ev.entity, ev.indicator, ev.year) in obs_year_keys if ev.year else (ev.entity, ev.indicator) in obs_keys):
                problems.append(Problem(rel, "-", "evidence", "no observation with this entity and indicator", f"{ev.entity} {ev.indicator}"))
        for cid in m.relevant_to:
            if cid not in known.pilot_ids:
                problems.append(Problem(rel, "-", "relevant_to", "not a pilot cluster id", cid))


def _reported_cells(problems: list[Problem]) -> set[tuple[str, str, str]]:
    """(file, row, field) of every cell that already has a problem, so a follow-on check can stay quiet about it."""
    return {(p.file, p.row, p.field) for p in problems}


def _check_values(frame: pd.DataFrame, problems: list[Problem], value_col: str = "value") -> None:
    """Quality notes, and values that cannot be negative or above 100%."""
    if frame.empty:
        return
    no_note = frame["note"].isna() if "note" in frame.columns else pd.Series(True, index=frame.index)
    for f, line, row in _where(frame, frame["quality"].isin(["derived", "ambiguous"]) & no_note):
        problems.append(Problem(f, line, "note", f"a '{row['quality']}' value needs a note saying why"))
    if value_col not in frame.columns or "unit" not in frame.columns and value_col != "clusters":
        return
    units = frame["unit"] if "unit" in frame.columns else pd.Series("clusters", index=frame.index)
    values = pd.to_numeric(frame[value_col], errors="coerce")
    for f, line, row in _where(frame, units.isin(COUNT_UNITS) & (values < 0)):
        problems.append(Problem(f, line, value_col, "a count cannot be negative", row[value_col]))
    for f, line, row in _where(frame, (units == "percent") & ((values < 0) | (values > 100))):
        problems.append(Problem(f, line, value_col, "a percentage must be between 0 and 100", row[value_col]))
    if "value_high" in frame.columns:
        high = pd.to_numeric(frame["value_high"], errors="coerce")
        for f, line, row in _where(frame, high.notna() & (high < values)):
            problems.append(Problem(f, line, "value_high", "upper end of the range is below the value", row["value_high"]))


# --- the data contract ---------------------------------------------------------------

CONTRACT = "contract.yml"
#: The contract's rules: rows that must exist, figures read as one value, closed sets of values.
RULES = ("require", "one_value", "allow")


@dataclass(frozen=True)
class Requirement:
    """A row the report needs: it matches every (column, value) pair; a value of None means an empty cell."""

    file: str
    match: tuple[tuple[str, str | None], ...]
    line: int
    one_value: bool = False


@dataclass
class Contract:
    requirements: list[Requirement] = field(default_factory=list)
    #: (file, column) -> (the only values allowed, line of the list in contract.yml)
    allowed: dict[tuple[str, str], tuple[tuple[str, ...], int]] = field(default_factory=dict)


def _contract_columns() -> dict[str, list[str]]:
    """What the contract can name: each CSV table, the observations, and the YAML lists the code reads by id."""
    columns = {rel: list(_columns(model)) for rel, (model, _, _) in schemas.TABLES.items()}
    columns[schemas.OBSERVATIONS_DIR] = list(_columns(schemas.OBSERVATIONS[0]))
    columns["signs.yml"] = ["group", "sign"]
    columns["scorecard.yml"] = ["light"]
    columns["vocabularies.yml"] = list(schemas.Vocabularies.model_fields)
    return columns


def _cell_text(value: Any) -> str | None:
    """A cell or a contract value as the text both are compared by; None for an empty cell."""
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if pd.api.types.is_bool(value):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_contract(root: Path, problems: list[Problem]) -> Contract | None:
    """`contract.yml` of a data folder, with each rule's line; problems in the file itself are added to `problems`."""
    text = _read_text(root / CONTRACT, CONTRACT, problems)
    if text is None:
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.append(Problem(CONTRACT, str(mark.line + 1) if mark else "-", "-", f"not valid YAML: {getattr(exc, 'problem', exc)}"))
        return None
    if not isinstance(node, yaml.MappingNode):
        problems.append(Problem(CONTRACT, "1", "-", "expected file names, each with its rules (see data/README.md)"))
        return None
    reader = _ContractReader(problems)
    for file_node, rules in node.value:
        reader.read_file(file_node, rules)
    return reader.contract


class _ContractReader:
    """Turns the YAML nodes of contract.yml into a `Contract`, with a problem for each rule it cannot use."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.known = _contract_columns()
        self.constructor = yaml.SafeLoader("")
        self.contract = Contract()
        self.seen: dict[tuple, int] = {}

    def bad(self, n: yaml.Node, where: str, message: str, value: Any = None) -> None:
        self.problems.append(Problem(CONTRACT, str(n.start_mark.line + 1), where, message, value))

    def read_file(self, file_node: yaml.Node, rules: yaml.Node) -> None:
        name = str(file_node.value)
        if name not in self.known:
            self.bad(file_node, name, "not a file the contract can check; use one of " + ", ".join(self.known))
            return
        if not isinstance(rules, yaml.MappingNode):
            self.bad(rules, name, "expected rules: " + ", ".join(RULES))
            return
        for rule_node, body in rules.value:
            rule = str(rule_node.value)
            if rule not in RULES or (rule == "one_value" and name != schemas.OBSERVATIONS_DIR):
                self.bad(rule_node, f"{name}.{rule}", "not a rule here; use require or allow (and one_value for observations)")
            elif rule == "allow":
                self.read_allow(name, body)
            else:
                self.read_rows(name, rule, body)

    def read_allow(self, name: str, body: yaml.Node) -> None:
        if not isinstance(body, yaml.MappingNode):
            self.bad(body, f"{name}.allow", "expected each column with the list of its allowed values")
            return
        for column_node, values in body.value:
            column = str(column_node.value)
            items = self.constructor.construct_object(values, deep=True)
            if column not in self.known[name]:
                self.bad(column_node, f"{name}.allow", "not a column of this file", column)
            elif not isinstance(items, list) or not items or any(isinstance(i, (dict, list)) or i is None for i in items):
                self.bad(values, f"{name}.allow.{column}", "expected a list of values")
            else:
                self.contract.allowed[(name, column)] = (tuple(_cell_text(i) for i in items), column_node.start_mark.line + 1)

    def read_rows(self, name: str, rule: str, body: yaml.Node) -> None:
        """The rows of a `require` or `one_value` rule, each declared once."""
        if not isinstance(body, yaml.SequenceNode):
            self.bad(body, f"{name}.{rule}", "expected a list of rows, each as {column: value, ...}")
            return
        for item in body.value:
            entry = self.constructor.construct_object(item, deep=True)
            line = item.start_mark.line + 1
            if not isinstance(entry, dict) or not entry or any(isinstance(v, (dict, list)) for v in entry.values()):
                self.bad(item, f"{name}.{rule}", "expected a row as {column: value, ...}")
                continue
            unknown = [str(c) for c in entry if str(c) not in self.known[name]]
            if unknown:
                self.bad(item, f"{name}.{rule}", "not a column of this file", ", ".join(unknown))
                continue
            match = tuple((str(c), _cell_text(v)) for c, v in entry.items())
            key = (name, frozenset(match))
            if key in self.seen:
                self.bad(item, f"{name}.{rule}", f"declared twice (also line {self.seen[key]}); declare each row once")
                continue
            self.seen[key] = line
            self.contract.requirements.append(Requirement(name, match, line, one_value=rule == "one_value"))


def _node_lines(node: yaml.Node, path: tuple = ()) -> dict[tuple, int]:
    """Line of every mapping key and list item of a YAML document, by its path."""
    lines: dict[tuple, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[path + (key.value,)] = key.start_mark.line + 1
            lines.update(_node_lines(value, path + (key.value,)))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines[path + (i,)] = item.start_mark.line + 1
            lines.update(_node_lines(item, path + (i,)))
    return lines


def _yaml_rows(root: Path, rel: str, rows: list[tuple[tuple, dict]]) -> pd.DataFrame:
    """Rows of a YAML file as a table the contract can check, each with the line of its path in the file."""
    lines = _node_lines(yaml.compose((root / rel).read_text(encoding="utf-8-sig"), Loader=yaml.SafeLoader))
    frame = pd.DataFrame([values for _, values in rows], columns=_contract_columns()[rel], dtype=object)
    frame["_file"] = rel
    frame["_line"] = [lines.get(path, "-") for path, _ in rows]
    return frame


def _contract_tables(ds: Dataset) -> dict[str, pd.DataFrame]:
    tables = {rel: ds.tables[rel] for rel in schemas.TABLES}
    tables[schemas.OBSERVATIONS_DIR] = ds.observations
    tables["signs.yml"] = _yaml_rows(ds.root, "signs.yml", [
        (("groups", g, "signs", s), {"group": group.id, "sign": sign.id})
        for g, group in enumerate(ds.signs.groups) for s, sign in enumerate(group.signs)])
    tables["scorecard.yml"] = _yaml_rows(ds.root, "scorecard.yml", [
        (("lights", i), {"light": light.light}) for i, light in enumerate(ds.scorecard.lights)])
    tables["vocabularies.yml"] = _yaml_rows(ds.root, "vocabularies.yml", [
        ((section, term), {section: term}) for section in schemas.Vocabularies.model_fields for term in getattr(ds.vocab, section)])
    return tables


def _shown(match: tuple[tuple[str, str | None], ...]) -> str:
    return " ".join(f"no {column}" if value is None else value for column, value in match)


def _check_contract(ds: Dataset, contract: Contract, problems: list[Problem]) -> None:
    """Every row the report needs is there with its value, and every closed column holds only values the code handles."""
    tables = _contract_tables(ds)
    reported = _reported_cells(problems)
    cell_texts: dict[tuple[str, str], pd.Series] = {}

    def text_of(name: str, column: str) -> pd.Series:
        # Each column read as text once, however many rules name it; as categories, so matching a
        # rule compares small integer codes rather than a hundred thousand strings.
        if (name, column) not in cell_texts:
            cells = tables[name][column]
            texts = [x if type(x) is str else _cell_text(x) for x in cells.tolist()]  # most cells are text already
            cell_texts[(name, column)] = pd.Series(texts, index=cells.index, dtype=object).astype("category")
        return cell_texts[(name, column)]

    for (name, column), (allowed, line) in contract.allowed.items():
        frame, values = tables[name], text_of(name, column)
        for f, row_line, row in _where(frame, values.notna() & ~values.isin(allowed)):
            where = (f, row_line, column)
            if where not in reported:
                problems.append(Problem(*where, f"the report handles only {', '.join(allowed)} "
                                        f"(declared in {CONTRACT}:{line}); change the code before adding a value", values[row.name]))

    obs = schemas.OBSERVATIONS_DIR
    for req in contract.requirements:
        frame = tables[req.file]
        texts = {column: text_of(req.file, column) for column, _ in req.match}
        hits = frame[_matches(texts, req.match, frame.index)]
        declared = f"(declared in {CONTRACT}:{req.line})"
        if hits.empty:
            source = dict(req.match).get("source") if req.file == obs else None
            home = f"{obs}/{source}.csv" if source else (f"{obs}/" if req.file == obs else req.file)
            columns = [c for c, _ in req.match if not (source and c == "source")]
            problems.append(Problem(home, "-", "+".join(columns), f"no such row, and the report needs it {declared}",
                                    _shown(tuple((c, v) for c, v in req.match if c in columns))))
            continue
        if "value" in frame.columns and hits["value"].isna().all():
            first = hits.iloc[0]
            if (first["_file"], str(first["_line"]), "value") not in reported:
                problems.append(Problem(first["_file"], str(first["_line"]), "value", f"value is empty, but the report prints it {declared}"))
        if req.one_value:
            # The report reads the figure whatever its source, so every source must give the same value.
            same = tuple((c, v) for c, v in req.match if c != "source")
            rows = frame[_matches(texts, same, frame.index)].dropna(subset=["value"])
            first = rows.iloc[0] if len(rows) else None
            for _, row in rows.iloc[1:].iterrows():
                if row["value"] != first["value"]:
                    problems.append(Problem(row["_file"], str(row["_line"]), "value",
                                            f"the report reads one value for {_shown(same)}, but {first['_file']}:{first['_line']} "
                                            f"gives {first['value']:g} {declared}", _cell_text(row["value"])))


def _matches(texts: dict[str, pd.Series], match: tuple[tuple[str, str | None], ...], index: pd.Index) -> pd.Series:
    mask = pd.Series(True, index=index)
    for column, value in match:
        mask &= texts[column].isna() if value is None else texts[column].eq(value)
    return mask


# --- public API ------------------------------------------------------------------------


def collect(data: str | Path | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Read and check everything; return the dataset (if readable) and every problem."""
    root = data_dir(data)
    problems: list[Problem] = []
    if not root.is_dir():
        return None, [Problem(str(root), "-", "-", "data folder not found")]

    vocab = _read_yaml(root, "vocabularies.yml", schemas.Vocabularies, problems)
    signs = _read_yaml(root, "signs.yml", schemas.SignModel, problems)
    programme = _read_yaml(root, "programme.yml", schemas.Programme, problems)
    scorecard = _read_yaml(root, "scorecard.yml", schemas.Scorecard, problems)
    specialisation = _read_yaml(root, "specialisation.yml", schemas.Specialisation, problems)
    broken: set[str] = set()  # files that could not be read, or hold no rows
    meta = _read_distribution_meta(root, problems, broken)

    tables = {rel: _read_table(root, rel, model, problems, broken)[0] for rel, (model, _, _) in schemas.TABLES.items()}

    obs_model = schemas.OBSERVATIONS[0]
    parts = []
    obs_dir = root / schemas.OBSERVATIONS_DIR
    files = sorted(obs_dir.glob("*.csv")) if obs_dir.is_dir() else []
    if not files:
        problems.append(Problem(f"{schemas.OBSERVATIONS_DIR}/", "-", "-", "no observation files found"))
    for path in files:
        rel = f"{schemas.OBSERVATIONS_DIR}/{path.name}"
        part, _ = _read_table(root, rel, obs_model, problems, broken)
        expected = path.stem
        for f, line, row in _where(part, part["source"].notna() & (part["source"] != expected)) if not part.empty else []:
            problems.append(Problem(f, line, "source", f"each file holds one source's figures; this file is for '{expected}'", row["source"]))
        parts.append(part)
    observations = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=list(_columns(obs_model)) + ["_file", "_line"])
    if "value_high" not in observations.columns:
        observations["value_high"] = float("nan")

    for path in sorted((root / schemas.TRANSLATIONS_DIR).glob("*.csv")):  # read by analysis.data.language
        _read_table(root, f"{schemas.TRANSLATIONS_DIR}/{path.name}", schemas.TRANSLATIONS[0], problems, broken)
    practices = _read_practices(root, problems)
    boundaries = _read_boundaries(root, problems)
    contract = read_contract(root, problems)

    # With a file unreadable, every reference into it would look wrong too: the file's own problem
    # says what to fix, and the cross-file checks run once it is readable.
    if None in (vocab, signs, programme, scorecard, specialisation) or broken:
        return None, problems
    ds = Dataset(root, tables, observations, vocab, signs, programme, meta, scorecard, specialisation, practices, boundaries)
    _cross_checks(ds, problems)
    if contract is not None:
        _check_contract(ds, contract, problems)
    return ds, problems


def validate(data: str | Path | None = None) -> list[Problem]:
    """Every problem in the data, sorted by file and row; empty when the data is valid."""
    _, problems = collect(data)
    return sorted(set(problems), key=_problem_order)


def load(data: str | Path | None = None) -> Dataset:
    """The validated dataset. Raises `DataError` with all problems if anything is wrong."""
    ds, problems = collect(data)
    if problems or ds is None:
        raise DataError(problems)
    ds.reset_access()  # validation reads everything; track only what callers read from here on
    return ds
