"""Write every figure as PNG, SVG, CSV and spec to a folder, with timings, for a visual check.

    python scripts/gallery.py [OUT_DIR]      (default: _gallery/)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from analysis.charts import export, figures
from analysis.data import load
from analysis.paths import ROOT


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "_gallery"
    ds = load()
    for fid in figures.FIGURES:
        start = time.perf_counter()
        paths = export.write(figures.build(ds, fid), out, fid)
        print(f"{fid:24} {time.perf_counter() - start:5.2f} s  {paths['png']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
