"""How the assistant names things in its sentences, in French, German and English.

`who(label, lang)`: how a person known by a label only is named ("votre fils",
"Ihr Sohn"), with its genitive, from `bot/data/relations.yml`.
"""
from __future__ import annotations

from typing import Dict, Optional

from bot.reference import load


def who(label: Optional[str], lang: str) -> Dict[str, str]:
    """`who`/`who_gen` of a person known by a label only ("votre fils")."""
    labels = load("relations")["labels"]
    entry = labels.get(label or "other") or labels["other"]
    words = entry.get(lang) or entry["en"]
    return {"who": words["who"], "who_gen": words.get("gen", words["who"])}
