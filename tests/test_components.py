"""The Rasa components in bot/rasa/components.py, on Rasa messages (no model needed)."""
from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa.components import RuleEntityExtractor

TOKENIZER = WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())
EXTRACTOR = RuleEntityExtractor({**RuleEntityExtractor.get_default_config(),
                                 "mask": ["country", "matricule", "number", "email", "person_name"]})


def _masked(text: str):
    message = Message({TEXT: text})
    TOKENIZER.process([message])
    EXTRACTOR.process([message])
    return [t.text for t in message.get(TOKENS_NAMES[TEXT]) if t.text]


@pytest.mark.parametrize("text,expected", [
    ("CAP VERT", ["__country__"]),
    ("Maroc", ["__country__"]),
    ("Bosnie herzegovine", ["__country__"]),
    ("destination Bosnia and Herzegovina please", ["destination", "__country__", "please"]),
    ("wir fahren nach Kap Verde und Tunesien", ["wir", "fahren", "nach", "__country__", "und", "__country__"]),
])
def test_each_value_reads_as_one_placeholder(text, expected):
    assert _masked(text) == expected


def test_masking_keeps_the_entities_and_their_offsets():
    message = Message({TEXT: "nous partons au Cap Vert"})
    TOKENIZER.process([message])
    EXTRACTOR.process([message])
    [country] = [e for e in message.get("entities") if e["entity"] == "country"]
    assert (country["value"], message.get(TEXT)[country["start"]:country["end"]]) == ("CV", "Cap Vert")


def test_tfidf_weighting_matches_sklearn():
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.feature_extraction.text import TfidfTransformer

    from bot.rasa.components import LinearIntentClassifier

    counts = csr_matrix(np.array([[3, 0, 1, 0], [0, 2, 0, 0], [1, 1, 1, 5]], dtype=float))
    reference = TfidfTransformer(sublinear_tf=True).fit(counts)
    clf = LinearIntentClassifier({"tfidf": True}, None, None)
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    clf.idf = np.log((1.0 + counts.shape[0]) / (1.0 + df)) + 1.0
    assert np.allclose(clf.idf, reference.idf_)
    assert np.allclose(clf._weigh(counts).toarray(), reference.transform(counts).toarray())


def test_a_message_with_no_known_feature_is_out_of_scope():
    import numpy as np
    from rasa.shared.nlu.constants import TEXT
    from rasa.shared.nlu.training_data.features import Features
    from rasa.shared.nlu.training_data.message import Message
    from scipy.sparse import csr_matrix

    from bot.rasa.components import LinearIntentClassifier

    coef = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
    clf = LinearIntentClassifier({"tfidf": False}, None, None, ["inform", "out_of_scope"], coef, np.array([2.0, 0.0]))
    known, unknown = Message({TEXT: "Dupont"}), Message({TEXT: "🙃🙃"})
    for message, row in ((known, [[2.0, 0.0, 0.0]]), (unknown, [[0.0, 0.0, 0.0]])):
        message.add_features(Features(csr_matrix(np.array(row)), "sentence", TEXT, "test"))
        message.add_features(Features(csr_matrix(np.array(row)), "sequence", TEXT, "test"))
    clf.process([known, unknown])
    assert known.get("intent")["name"] == "inform"
    assert unknown.get("intent") == {"name": "out_of_scope", "confidence": 1.0}
