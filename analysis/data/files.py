"""Files and their hashes: what the build, the execution cache and the register fingerprint."""

from __future__ import annotations

import hashlib
from pathlib import Path


def hash_files(paths: list[Path], base: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.relative_to(base)).encode())
        h.update(b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def files(folder: Path, patterns: tuple[str, ...]) -> list[Path]:
    out: list[Path] = []
    for pattern in patterns:
        out.extend(p for p in folder.glob(pattern) if p.is_file() and "__pycache__" not in p.parts)
    return out
