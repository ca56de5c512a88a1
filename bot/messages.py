"""What the pure dialogue modules return: response names with parameters, never sentences."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List


@dataclass
class Say:
    """One bot message: a response of the domain and the values it interpolates."""

    response: str
    params: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Answer:
    """An advisor's reply: what to say and the slots to set (context, offers)."""

    say: List[Say] = field(default_factory=list)
    slots: Dict[str, Any] = field(default_factory=dict)
