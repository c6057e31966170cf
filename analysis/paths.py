"""Every path the project uses, anchored to this file rather than the working directory."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
CHAPTERS = ROOT / "chapters"
SITE = ROOT / "_site"
SEEDS = ROOT.parent / "shared" / "seeds"


def data_dir(override: str | Path | None = None) -> Path:
    """The data folder to use: an explicit override, else the project's `data/`."""
    return Path(override).resolve() if override else DATA
