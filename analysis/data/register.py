"""The register of released editions, `data/editions.yml`: read and written here, below every layer
that needs it (citations, the editions page, the release)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from analysis.project import load_yaml

EDITION_RE = re.compile(r"^\d{4}\.\d+$")
TAG_PREFIX = "edition-"
REGISTER = Path("data") / "editions.yml"
DRAFT = "draft"
class EditionError(Exception):
    """A release or archive problem; `problems` lists every reason at once."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(f"- {p}" for p in problems))


@dataclass
class Entry:
    edition: str
    date: str
    summary: str
    data_hash: str
    commit: str
    doi: str = ""
    #: The one-line summary in Russian, for the Russian edition ('' when the release gave none).
    summary_ru: str = ""

    @property
    def tag(self) -> str:
        return TAG_PREFIX + self.edition


def key(edition: str) -> tuple[int, int]:
    """Sort key: 2026.10 comes after 2026.9."""
    year, number = edition.split(".")
    return int(year), int(number)


# --- the register -------------------------------------------------------------------------


def load_register(root: Path) -> list[Entry]:
    """Released editions, oldest first; an invalid register raises EditionError naming entry and field."""
    path = Path(root) / REGISTER
    if not path.exists():
        return []
    # Only now: the schemas import pandera and pandas, which a project without editions never needs here.
    from pydantic import ValidationError

    from analysis.data.schemas import Editions

    raw = load_yaml(path.read_text(encoding="utf-8")) or {}
    try:
        model = Editions.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = err["loc"]
            row = f"{loc[1] + 1}" if len(loc) > 1 and isinstance(loc[1], int) else "-"
            problems.append(f"{REGISTER}:{row}:{'.'.join(str(x) for x in loc[2:]) or loc[0]}: {err['msg']}")
        raise EditionError(problems) from None
    entries = [Entry(e.edition, e.date.isoformat(), e.summary, e.data_hash, e.commit, e.doi or "", e.summary_ru or "")
               for e in model.editions]
    return sorted(entries, key=lambda e: key(e.edition))


def write_register(root: Path, entries: list[Entry]) -> None:
    body = {"editions": [{"edition": e.edition, "date": e.date, "summary": e.summary,
                          **({"summary_ru": e.summary_ru} if e.summary_ru else {}), "data_hash": e.data_hash,
                          "commit": e.commit, **({"doi": e.doi} if e.doi else {})}
                         for e in sorted(entries, key=lambda e: key(e.edition))]}
    header = ("# Released editions, written by `clusterbench release`; do not edit by hand, except to add\n"
              "# `doi: 10.xxxx/...` to an edition once its DOI is minted (How to cite then shows it).\n"
              "# data_hash: SHA-256 of data/ (this file excluded); commit: the source the edition was cut from.\n")
    (Path(root) / REGISTER).write_text(header + yaml.safe_dump(body, sort_keys=False, allow_unicode=True), encoding="utf-8")


def edition_url(site_url: str, edition: str) -> str:
    """The permanent address of an edition, or '' for a draft or a site without a URL."""
    if not site_url or edition == DRAFT:
        return ""
    return f"{site_url.rstrip('/')}/v/{edition}/"
