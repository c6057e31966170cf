"""The project's scripts (scripts/*.py), loaded as modules for their tests."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

FOLDER = Path(__file__).resolve().parent.parent / "scripts"


def load(name: str):
    """scripts/<name>.py as the module `name` (registered, so the script's own imports of it resolve)."""
    spec = importlib.util.spec_from_file_location(name, FOLDER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
