"""Which language a message is written in, restricted to the supported ones.

Pure functions over `bot/data/language.yml` and py3langid's shipped model (no
download at run time). A message too short or too ambiguous gives ``None``:
the conversation keeps its current language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from collections import Counter
from functools import lru_cache
from typing import Optional

from bot.reference import load
from bot.text import fold

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
# e-mail addresses and links: a run of non-blanks holding "@", starting where the run starts
# (without the look-behind a long run with no "@" was scanned again from each character)
NOT_WORDS = re.compile(r"(?<!\S)[^\s@]*@\S*|https?://\S+|www\.\S+")


@dataclass(frozen=True)
class Detection:
    lang: Optional[str]
    how: str            # 'request', 'model', 'cue' or 'none'
    probability: float = 0.0


@lru_cache(maxsize=1)
def settings() -> dict:
    return load("language")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    ident.set_languages(settings()["supported"])
    return ident


@lru_cache(maxsize=1)
def _requests():
    return {lang: [re.compile(p) for p in pats] for lang, pats in settings()["requests"].items()}


@lru_cache(maxsize=1)
def _cues():
    return {lang: {fold(w) for w in words} for lang, words in settings()["cue_words"].items()}


def requested(text: str) -> Optional[str]:
    """The language the person explicitly asks for ("in English please"), if any."""
    folded = fold(text)
    if any(re.search(p, folded) for p in settings().get("complaints", ())):
        return None  # "pourquoi vous me parlez anglais ?": no request for English
    if any(re.search(p, folded) for p in settings().get("document_language", ())):
        return None  # "is it ok that it's in French?": the language of a document
    # "can we continue in English please? My French is not so good": the language asked for is
    # the one named first
    ends = {lang: min(m.end() for m in found)
            for lang, patterns in _requests().items()
            if (found := [m for m in (p.search(folded) for p in patterns) if m])}
    return min(ends, key=ends.get) if ends else None


@lru_cache(maxsize=1)
def max_chars() -> int:
    """How much of a message is read (bot/data/limits.yml ``language.max_chars``)."""
    return int(load("limits")["language"]["max_chars"])


def head(text: str) -> str:
    """The part of a message that is read: its first ``max_chars()`` characters, cut after a
    whole word. Reading more says nothing more about the language and would make the cost grow
    with the length (the request patterns' ``.*`` with the square of it)."""
    text = text or ""
    limit = max_chars()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit]


def detect(text: str) -> Detection:
    """Detect the language of one message (its first ``max_chars()`` characters); ``lang`` is
    None when unsure."""
    text = head(text)
    ask = requested(text)
    if ask:
        return Detection(ask, "request", 1.0)
    cfg = settings()
    text = NOT_WORDS.sub(" ", text)
    words = WORD.findall(text)
    if not words:
        return Detection(None, "none")
    cues = _cues()
    hits = Counter(lang for word in (fold(w) for w in words) for lang in cues if word in cues[lang])
    if len(words) >= cfg["min_words"]:
        lang, prob = _identifier().classify(text.lower())
        ranked = hits.most_common(2)
        if ranked and ranked[0][0] != lang and ranked[0][1] >= cfg["overrule_cues"] and not hits[lang]:
            return Detection(ranked[0][0], "cue", 1.0)
        if len(words) <= cfg["short_words"] and len(hits) == 1 and ranked[0][0] != lang:
            # "and skiing in Zermatt, Switzerland?": a short message whose only function words are
            # English is English; the place names misled the model
            return Detection(ranked[0][0], "cue", 1.0)
        if float(prob) >= cfg["min_probability"]:
            return Detection(lang, "model", float(prob))
        # the model hesitates: the language with the most cue words, else the model's best guess
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            return Detection(ranked[0][0], "cue", 1.0)
        if float(prob) >= cfg["fallback_probability"]:
            return Detection(lang, "model", float(prob))
        return Detection(None, "none")
    if len(words) == 1 and words[0][:1].isupper() and fold(words[0]) not in {
            fold(w) for w in cfg.get("one_word_cues", ())}:
        return Detection(None, "none")  # "Can", "Will": a name, not an English answer
    if len(hits) == 1:
        return Detection(next(iter(hits)), "cue", 1.0)
    return Detection(None, "none")


def decide(current: Optional[str], text: str) -> str:
    """The language to answer in after `text`, given the conversation's current one."""
    found = detect(text).lang
    return found or current or settings()["default"]
