"""Time the build: clean, no-op and after one data file changes. Prints numbers against the targets.

    python scripts/benchmark_build.py            # the real book, in a temporary copy of the repository

Targets on the 2-core machine: clean build <= 60 s, no-op rebuild <= 2 s, one-file change <= 15 s.
Timings are of the `clusterbench build` command as a user runs it, Python start-up included.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"clean build": 60.0, "no-op rebuild": 2.0, "one data file changed": 15.0}


def _copy_repo(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split()
    for rel in files:
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def _build(root: Path) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "clusterbench.cli", "build", "--root", str(root), "--quiet"],
                          capture_output=True, text=True, cwd=root)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"build failed:\n{proc.stderr}")
    return seconds, proc.stdout.strip().splitlines()[-1]


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="cb-bench-") as tmp:
        root = Path(tmp)
        _copy_repo(root)
        results = {}
        results["clean build"], line = _build(root)
        print(f"clean build            {results['clean build']:6.1f} s   {line}")
        results["no-op rebuild"], line = _build(root)
        print(f"no-op rebuild          {results['no-op rebuild']:6.2f} s   {line}")
        target = root / "data" / "policy_timeline.csv"
        target.write_text(target.read_text(encoding="utf-8").replace("Eleven pilot clusters remain", "Eleven pilot clusters remained"), encoding="utf-8")
        results["one data file changed"], line = _build(root)
        print(f"one data file changed  {results['one data file changed']:6.1f} s   {line}  (edited data/policy_timeline.csv)")
    print()
    failed = False
    for name, limit in TARGETS.items():
        ok = results[name] <= limit
        failed |= not ok
        print(f"{name:22} {results[name]:6.2f} s  target <= {limit:g} s  {'ok' if ok else 'MISSED'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
