"""Rasa graph components: language identification and rule-based entity extraction.

Both are thin adapters over pure modules (bot.language, bot.extraction) so that
the logic is tested without Rasa. Neither is trainable.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import extraction, language

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
                    "confidence_entity": round(found.probability, 4), "role": found.how,
                }])
        return messages


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class RuleEntityExtractor(_Stateless, EntityExtractorMixin):
    """Countries, dates, identification numbers, e-mails, funds, relations, names."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def process(self, messages: List[Message]) -> List[Message]:
        today = dt.date.today()
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # a button payload carries its own entities
            self._append(message, extraction.extract(text, message.get(DETECTED), today))
        return messages
