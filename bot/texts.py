"""User-facing texts outside the conversation (PDF, e-mail) come from the domain's responses.

`render(name, lang, **params)` picks the variation of `name` in domain.yml the
way Rasa does for the `language` slot (the conditioned variation of that
language, else the unconditioned one) and fills its placeholders.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

import yaml

DOMAIN = Path(__file__).resolve().parent.parent / "domain.yml"


@lru_cache(maxsize=1)
def responses() -> Dict[str, List[dict]]:
    with open(DOMAIN, encoding="utf-8") as handle:
        return yaml.safe_load(handle)["responses"]


def variation(name: str, lang: str) -> dict:
    variations = responses()[name]
    for var in variations:
        for cond in var.get("condition") or []:
            if cond.get("name") == "language" and cond.get("value") == lang:
                return var
    return next(v for v in variations if not v.get("condition"))


def render(name: str, lang: str, **params: Any) -> str:
    return variation(name, lang)["text"].format(**params)
