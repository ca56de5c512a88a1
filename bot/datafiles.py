"""Reading the YAML data files kept under bot/data/ (facts and settings live there, not in code)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


@lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    """Parse bot/data/<name> once; callers must not mutate the result."""
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)
