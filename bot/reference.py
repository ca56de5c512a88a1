"""Reference data: the YAML files under ``bot/data/``, loaded once.

Every loader is cached (``functools.lru_cache``) and returns a deep read-only
view (``MappingProxyType`` for mappings, tuples for lists), so that no caller
can change the shared copy. ``thaw()`` turns such a view back into plain
dicts/lists, e.g. for ``json.dumps``.

Pure: no network, no side effect but reading files under ``DATA_DIR``.
This module must not import rasa.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The data files this package owns (name without ``.yml``).
FILES = ("regimes", "forms", "funds", "contacts", "country_aliases")


def freeze(obj: Any) -> Any:
    """Deep read-only copy: dict -> MappingProxyType, list -> tuple."""
    if isinstance(obj, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in obj.items()})
    if isinstance(obj, (list, tuple)):
        return tuple(freeze(v) for v in obj)
    return obj


def thaw(obj: Any) -> Any:
    """Inverse of ``freeze``: plain dicts and lists (JSON-ready)."""
    if isinstance(obj, Mapping):
        return {k: thaw(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [thaw(v) for v in obj]
    return obj


@lru_cache(maxsize=None)
def load(name: str) -> Mapping[str, Any]:
    """Load ``bot/data/<name>.yml`` once; read-only result."""
    path = DATA_DIR / f"{name}.yml"
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    if not isinstance(data, Mapping):
        raise ValueError(f"{path} must hold a mapping at top level")
    return freeze(data)


def regimes() -> Mapping[str, Any]:
    return load("regimes")


def forms() -> Mapping[str, Any]:
    return load("forms")


def funds() -> Mapping[str, Any]:
    return load("funds")


def contacts() -> Mapping[str, Any]:
    return load("contacts")


def country_aliases() -> Mapping[str, Any]:
    return load("country_aliases")


def sources() -> Mapping[str, Any]:
    """The source documents (seed files, notes) cited by the data, by key."""
    return regimes()["sources"]


def source_file(key: str) -> str:
    """File name of a source key (``guide`` -> the seed file name)."""
    entry = sources()[key]
    return entry["file"] or key


def label(key: str, lang: str, default: str | None = None) -> str:
    """A label from ``regimes.yml`` ``labels`` in ``lang`` (falls back to en)."""
    entry = regimes()["labels"].get(key)
    if entry is None:
        return default if default is not None else key
    return entry.get(lang) or entry.get("en") or (default if default is not None else key)
