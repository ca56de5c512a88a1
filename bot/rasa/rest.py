"""Rasa's REST channel (same URL, /webhooks/rest/webhook) with the body checked first.

credentials.yml ``bot.rasa.rest.RestInput:`` (``make run``); the production
channel (bot/rasa/prod.py) is this one plus its "service unavailable"
guard. Rasa's own channel reads ``sender`` with a default of ``"default"``
(every request without one lands in the same conversation) and answers a
JSON array, string or empty body with a 500; here such a request gets HTTP
400 with ``{"error", "message"}`` (bot/edge.py says what is checked), the
channel name cannot be chosen by the client, and streaming
(``?stream=true``) is off.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput as _RestInput
from sanic import response
from sanic.request import Request

from bot.edge import BadRequest, check_body


class RestInput(_RestInput):
    """Rasa's REST channel, checked at the edge."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def _checked(self, req: Request) -> Dict[str, Any]:
        if "cns_checked" not in req.ctx.__dict__:
            try:
                body = req.json
            except Exception:
                raise BadRequest("invalid_json", "The body is not valid JSON.")
            req.ctx.cns_checked = check_body(body)
        return req.ctx.cns_checked

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        return self._checked(req)["sender"]

    def _extract_message(self, req: Request) -> Optional[Text]:
        return self._checked(req)["message"]

    def _extract_input_channel(self, req: Request) -> Text:
        return self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        return self._checked(request)["metadata"]

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]):
        bp = super().blueprint(on_new_message)

        @bp.middleware("request")
        async def no_stream(request: Request):
            if request.args.get("stream"):
                return response.json({"error": "stream_disabled", "message": "Streaming is disabled."}, status=400)

        @bp.exception(BadRequest)
        async def bad_request(request: Request, exc: BadRequest):
            return response.json({"error": exc.error, "message": exc.text}, status=400)

        return bp
