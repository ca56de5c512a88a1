"""The layout of bot/: every module in a layer, imports only go down or sideways, no circle.

The layers, lowest first (a module may import its own layer and the ones below):

    0 text        the one fold, cue patterns, a user message; the loader of bot/data/; the
                  domain's responses rendered outside Rasa
    1 facts       rules, countries, dates, validators, language, extraction, checks at the edge
    2 wording     names of countries with their prepositions, dates, lists, ordinals (chat, PDFs, e-mails)
    3 request     the request (bot/request/) and the answers outside it (bot/answers/)
    4 dossier     the one builder, store, documents, jobs, uploads, privacy (bot/dossier/)
    5 apps        the hotline console (bot/hotline/), Rasa (bot/rasa/), the page server
    6 cli         python -m bot (bot/cli/)

Imports are read with `ast` (those inside functions too); nothing is imported.
A new module must be given its layer here.
"""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Set

ROOT = Path(__file__).resolve().parents[1]
BOT = ROOT / "bot"

LAYERS = ("text", "facts", "wording", "request", "dossier", "apps", "cli")

#: unit (a module or a package of bot/) -> its layer
LAYER: Dict[str, str] = {
    "bot.text": "text",
    "bot.reference": "text",        # reads bot/data/*.yml: the lexicon and the languages of bot.text
    "bot.messages": "text",         # Say / Answer: what to say, by response name
    "bot.texts": "text",            # domain.yml's responses rendered for PDFs, e-mails, refusals
    "bot.rules": "facts",
    "bot.countries": "facts",
    "bot.dates": "facts",
    "bot.validators": "facts",
    "bot.language": "facts",
    "bot.extraction": "facts",
    "bot.auth": "facts",            # signed tokens: a validator of who is logged in
    "bot.limits": "facts",          # the longest message, from bot/data/limits.yml
    "bot.edge": "facts",            # request bodies checked at the HTTP edge
    "bot.payloads": "facts",        # button payloads checked against the domain
    "bot.logmask": "facts",         # personal data masked in logs
    "bot.wording": "wording",       # above the facts: country names come from bot.countries
    "bot.request": "request",
    "bot.answers": "request",
    "bot.dossier": "dossier",
    "bot.hotline": "apps",
    "bot.rasa": "apps",
    "bot.web": "apps",
    "bot.templating": "apps",
    "bot.cli": "cli",
    "bot.__main__": "cli",
}


def unit(module: str) -> str:
    """The unit of a dotted module name: its package under bot/, or the module itself."""
    parts = module.split(".")
    return ".".join(parts[:2])


def modules() -> Dict[str, Path]:
    out = {}
    for path in sorted(BOT.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        name = ".".join(rel.parts)
        out[name[: -len(".__init__")] if name.endswith(".__init__") else name] = path
    return out


def imports(path: Path) -> Set[str]:
    """The bot modules `path` imports (anywhere in it), as dotted names."""
    found: Set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "bot")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "bot":
                found.update(f"bot.{a.name}" for a in node.names)
            elif node.module.startswith("bot."):
                found.add(node.module)
    return found


def graph() -> Dict[str, Set[str]]:
    """unit -> the other units it imports."""
    edges: Dict[str, Set[str]] = {}
    for name, path in modules().items():
        if name == "bot":
            continue
        src = unit(name)
        edges.setdefault(src, set())
        for target in imports(path):
            dst = unit(target)
            if dst != src:
                edges[src].add(dst)
    return edges


def test_every_unit_has_a_layer():
    missing = sorted(u for u in graph() if u not in LAYER)
    assert not missing, f"give these a layer in tests/test_layout.py: {missing}"
    assert set(LAYER.values()) <= set(LAYERS)


def test_no_unit_imports_one_above_it():
    wrong = []
    for src, targets in graph().items():
        for dst in targets:
            if dst in LAYER and LAYERS.index(LAYER[dst]) > LAYERS.index(LAYER[src]):
                wrong.append(f"{src} ({LAYER[src]}) imports {dst} ({LAYER[dst]})")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_circle_between_units():
    edges = graph()
    state: Dict[str, int] = {}
    stack = []
    circles = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                circles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert not circles, "\n".join(circles)


def test_the_checker_sees_a_circle_and_an_upward_import(tmp_path, monkeypatch):
    """The walk itself: a fake bot/ with text importing the cli, and a circle a <-> b."""
    fake = tmp_path / "bot"
    (fake / "cli").mkdir(parents=True)
    (fake / "text.py").write_text("def f():\n    from bot.cli import main\n")
    (fake / "cli" / "__init__.py").write_text("from bot import text\n")
    (fake / "wording.py").write_text("import bot.texts\n")
    (fake / "texts.py").write_text("from bot import wording\n")
    globals_ = globals()
    monkeypatch.setitem(globals_, "ROOT", tmp_path)
    monkeypatch.setitem(globals_, "BOT", fake)
    edges = graph()
    assert edges["bot.text"] == {"bot.cli"} and edges["bot.wording"] == {"bot.texts"}
    try:
        test_no_unit_imports_one_above_it()
    except AssertionError as exc:
        assert "bot.text (text) imports bot.cli (cli)" in str(exc)
    else:
        raise AssertionError("the upward import was not seen")
    try:
        test_no_circle_between_units()
    except AssertionError as exc:
        assert "bot.texts -> bot.wording -> bot.texts" in str(exc) or "bot.wording -> bot.texts -> bot.wording" in str(exc)
    else:
        raise AssertionError("the circle was not seen")
