"""Rasa graph components: language identification and rule-based entity extraction.

Both are thin adapters over pure modules (bot.language, bot.extraction) so that
the logic is tested without Rasa. Neither is trainable.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import extraction, language
from bot.text import fold

DETECTED = "detected_language"


class _Stateless(GraphComponent):
    def __init__(self, config: Dict[Text, Any]) -> None:
        self.config = config

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> GraphComponent:
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def _append(self, message: Message, entities: List[Dict[Text, Any]]) -> None:
        for ent in entities:
            ent["extractor"] = self.__class__.__name__
        message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageDetector(_Stateless, EntityExtractorMixin):
    """Adds a `language` entity when a message shows its language clearly enough.

    Short or ambiguous messages get none, so the `language` slot keeps its value.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            found = language.detect(text)
            message.set(DETECTED, found.lang)
            if found.lang:
                self._append(message, [{
                    "entity": "language", "value": found.lang, "start": 0, "end": len(text),
                    "confidence_entity": round(found.probability, 4), "detection": found.how,
                }])
        return messages


# Also a featurizer: Rasa runs `process_training_data` only for that kind of
# component, and the masking must happen on the training data too.
@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
                           DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class RuleEntityExtractor(_Stateless, EntityExtractorMixin):
    """Countries, dates, identification numbers, e-mails, funds, relations, names.

    With `mask` set, the tokens inside such values are replaced by the entity's
    name (``__country__``, ``__date__`` ...) before featurization, in training
    and at run time alike, so that the intent classifier learns "and __country__ ?"
    rather than one sentence per country. With `fold` the other tokens are
    lower-cased without accents ("numero" and "numéro", "fur" and "für" are one
    feature; people often leave accents out).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"mask": ["country", "date", "date_range", "duration", "matricule", "number", "email",
                         "person_name"], "fold": False}

    def _extract(self, message: Message, today: dt.date) -> List[Dict[Text, Any]]:
        text = message.get(TEXT) or ""
        if text.startswith("/"):
            return []  # a button payload carries its own entities
        return extraction.extract(text, message.get(DETECTED) or language.detect(text).lang, today)

    def _mask(self, message: Message, entities: List[Dict[Text, Any]]) -> None:
        """One placeholder per value: "Cap Vert" and "Maroc" both read as one ``__country__``
        (the value's other tokens are emptied, which the count vectors skip)."""
        masked = [e for e in entities if e["entity"] in self.config["mask"]]
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        done = set()
        for token in tokens:
            for n, ent in enumerate(masked):
                if token.start < ent["end"] and ent["start"] < token.end:
                    token.text = token.lemma = "" if n in done else f"__{ent['entity']}__"
                    done.add(n)
                    break
            else:
                if self.config["fold"]:
                    token.text = token.lemma = fold(token.text).replace("ß", "ss")

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        today = dt.date.today()
        for message in training_data.training_examples:
            if message.get(TEXT):
                self._mask(message, self._extract(message, today))
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        today = dt.date.today()
        for message in messages:
            entities = self._extract(message, today)
            self._mask(message, entities)
            self._append(message, entities)
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class LinearIntentClassifier(GraphComponent, IntentClassifier):
    """Multinomial logistic regression over the sparse features, with a tunable C.

    Rasa's LogisticRegressionClassifier fixes C=1, which on a few thousand short
    messages spreads the probability thin. With `tfidf: true` the counts are
    weighted by sublinear tf-idf and normalised first (better on unseen
    phrasings: see docs/benchmarks.md). The weights are stored as plain
    numpy arrays (no pickle).
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"C": 10.0, "max_iter": 2000, "ranking_length": 10, "tfidf": False}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
                 classes: Optional[List[str]] = None, coef=None, intercept=None, idf=None) -> None:
        import numpy as np

        self.config = {**self.get_default_config(), **config}
        self._storage, self._resource = model_storage, resource
        self.classes, self.coef, self.intercept = classes or [], coef, intercept
        self.idf = idf
        # (features × intents), contiguous: a transposed view would be copied on every message
        self.weights = None if coef is None else np.ascontiguousarray(coef.T)

    @classmethod
    def create(cls, config, model_storage, resource, execution_context) -> "LinearIntentClassifier":
        return cls(config, model_storage, resource)

    @staticmethod
    def _features(message: Message):
        import numpy as np
        from scipy.sparse import csr_matrix

        seq, sentence = message.get_sparse_features(TEXT)
        feats = sentence.features if sentence is not None else seq.features.sum(axis=0)
        return csr_matrix(np.asarray(feats.todense() if hasattr(feats, "todense") else feats).reshape(1, -1))

    def _weigh(self, X):
        """With `tfidf`: counts → (1 + log tf) × idf, each row scaled to unit length (sklearn's
        TfidfTransformer with sublinear_tf and smooth idf, over the concatenated count vectors)."""
        import numpy as np
        from scipy.sparse import diags

        if self.idf is None:
            return X
        X = X.astype(np.float64).tocsr(copy=True)
        X.data = 1.0 + np.log(X.data)
        X = X @ diags(self.idf)
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1))).ravel()
        norms[norms == 0] = 1.0
        return diags(1.0 / norms) @ X

    def train(self, training_data: TrainingData) -> Resource:
        import numpy as np
        from scipy.sparse import vstack
        from sklearn.linear_model import LogisticRegression

        examples = [m for m in training_data.intent_examples if m.get(TEXT) and m.get("intent")]
        X = vstack([self._features(m) for m in examples]).tocsr()
        y = [m.get("intent") for m in examples]
        if self.config["tfidf"]:
            df = np.bincount(X.indices, minlength=X.shape[1])
            self.idf = np.log((1.0 + X.shape[0]) / (1.0 + df)) + 1.0
            X = self._weigh(X)
        clf = LogisticRegression(C=self.config["C"], max_iter=self.config["max_iter"], class_weight="balanced")
        clf.fit(X, y)
        self.classes, self.coef, self.intercept = list(clf.classes_), clf.coef_, clf.intercept_
        self.weights = np.ascontiguousarray(self.coef.T)
        with self._storage.write_to(self._resource) as directory:
            np.savez(directory / "weights.npz", coef=self.coef, intercept=self.intercept,
                     classes=np.array(self.classes), idf=self.idf if self.idf is not None else np.zeros(0))
        return self._resource

    @classmethod
    def load(cls, config, model_storage, resource, execution_context, **kwargs) -> "LinearIntentClassifier":
        import numpy as np

        try:
            with model_storage.read_from(resource) as directory:
                data = np.load(directory / "weights.npz", allow_pickle=False)
                idf = data["idf"] if "idf" in data.files and data["idf"].size else None
                return cls(config, model_storage, resource, [str(c) for c in data["classes"]],
                           data["coef"], data["intercept"], idf)
        except ValueError:
            return cls(config, model_storage, resource)

    def process(self, messages: List[Message]) -> List[Message]:
        import numpy as np

        for message in messages:
            if self.coef is None or message.get_sparse_features(TEXT) == (None, None):
                continue
            features = self._features(message)
            if features.nnz == 0 and "out_of_scope" in self.classes:
                # nothing known in it ("🙃🙃", another script): out of scope, not the most common intent
                ranking = [{"name": "out_of_scope", "confidence": 1.0}]
            else:
                scores = np.asarray(self._weigh(features) @ self.weights + self.intercept).ravel()
                probs = np.exp(scores - scores.max())
                probs /= probs.sum()
                order = np.argsort(-probs)[: self.config["ranking_length"]]
                ranking = [{"name": self.classes[i], "confidence": float(probs[i])} for i in order]
            message.set("intent", ranking[0], add_to_output=True)
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages
