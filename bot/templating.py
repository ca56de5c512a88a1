"""The Jinja2 environment of the page server's HTML: autoescaping always on.

Templates: the chat page in bot/templates/, the hotline console's pages in
bot/hotline/templates/ (named ``console/<page>.html``).

    render(name, **context) -> bytes     (UTF-8)

Filters: ``short`` (lists and dicts as JSON, None as ""), ``pair`` (x -> (x, x), for options);
test: ``web_link`` (an http(s) URL, the only kind shown as a link).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"
CONSOLE_TEMPLATES = Path(__file__).resolve().parent / "hotline" / "templates"


def short(value: Any) -> str:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


@lru_cache(maxsize=1)
def environment():
    import jinja2

    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(str(TEMPLATES)),
        jinja2.PrefixLoader({"console": jinja2.FileSystemLoader(str(CONSOLE_TEMPLATES))}),
    ])
    env = jinja2.Environment(loader=loader, autoescape=True,
                             trim_blocks=True, undefined=jinja2.StrictUndefined)
    env.filters["short"] = short
    env.filters["pair"] = lambda x: (x, x)
    env.tests["web_link"] = lambda x: bool(re.match(r"https?://", str(x or "")))
    return env


def render(name: str, **context: Any) -> bytes:
    return environment().get_template(name).render(**context).encode("utf-8")
