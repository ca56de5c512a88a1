"""Rasa's server with the custom actions running inside it (one process).

    python -m bot.rasa.server --actions actions [any `rasa run` argument ...]

Without ``--actions`` this is exactly ``rasa run ...``. With it, every custom
action (the request form's validation, ``action_respond``, ...) is executed by
rasa-sdk's own ``ActionExecutor`` in this process instead of being posted to
the action server over HTTP: same request (the tracker and the domain, as
Rasa builds them), same answer (events and responses), same rejection rules
(an ``ActionExecutionRejection`` is reported as the action server's HTTP 400
would be). What goes away is, per action call, a new HTTP connection, the
JSON encoding and decoding of the whole tracker and domain in both processes,
and a second process to start, watch and size.

``make run`` uses this (see scripts/run.sh); the production profile keeps a
separate action server so that actions can be scaled and restarted apart from
the Rasa instances (docs/production.md). Rasa's own entry points are used
throughout: its argument parser, ``AvailableEndpoints.read_endpoints`` and
``rasa.core.run.serve_application``; only the action endpoint object differs.

Two more things differ from ``rasa run``, both measured by ``make bench-load``:

* Rasa validates every action answer with ``jsonschema.validate``, which first
  re-checks the constant schema against its meta-schema: ~2 ms per action with
  the jsonschema pinned here (3.2.0), ~15 ms with 4.17. ``validate_once`` keeps
  one validator for that schema; an answer it finds invalid is handed to
  Rasa's own check, which raises its usual error.
* Every log record is masked (bot/logmask.py: identification numbers,
  e-mails, names, message texts), as in production.
* Every channel refuses a message over the length limit before any parsing
  (bot/rasa/limits.py), as in production.
* With ``--actions``, the background worker for PDFs and e-mails
  (bot/dossier/jobs.py) starts with the server and completes any dossier a previous
  run left without them.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.utils.endpoints import ClientResponseError, EndpointConfig

INPROCESS_SCHEME = "inprocess:"


class InProcessActions(EndpointConfig):
    """An action endpoint that runs rasa-sdk's executor in this process.

    ``RemoteAction.run`` calls ``request(json=..., method="post", ...)`` and
    reads the returned dict; errors are raised as Rasa's ``ClientResponseError``
    with the body the action server would have sent.
    """

    def __init__(self, package: Text) -> None:
        from rasa_sdk.executor import ActionExecutor

        super().__init__(url=INPROCESS_SCHEME + package)
        self.package = package
        self.executor = ActionExecutor()
        self.executor.register_package(package)

    def action_names(self) -> List[Text]:
        return sorted(self.executor.actions)

    async def request(self, method: Text = "post", subpath: Optional[Text] = None,
                      content_type: Optional[Text] = "application/json", compress: bool = False,
                      **kwargs: Any) -> Optional[Any]:
        from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

        action_call = kwargs.get("json")
        if not isinstance(action_call, dict):
            raise ClientResponseError(400, "Bad Request", json.dumps({"error": "Invalid body request"}))
        try:
            return await self.executor.run(action_call)
        except ActionExecutionRejection as exc:
            body = {"error": exc.message, "action_name": exc.action_name}
            raise ClientResponseError(400, "Bad Request", json.dumps(body)) from exc
        except ActionNotFoundException as exc:
            body = {"error": exc.message, "action_name": exc.action_name}
            raise ClientResponseError(404, "Not Found", json.dumps(body)) from exc

    def copy(self) -> "InProcessActions":
        return self


def validate_once() -> None:
    """Make ``RemoteAction._validate_action_result`` build its schema validator once."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    original = RemoteAction._validate_action_result
    if getattr(original, "validates_once", False):
        return
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    def _validate_action_result(self: RemoteAction, result: Dict[Text, Any]) -> bool:
        if validator.is_valid(result):
            return True
        return original(self, result)  # raises Rasa's ValidationError with its message

    _validate_action_result.validates_once = True  # type: ignore[attr-defined]
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]


async def _start_background(_app: Any, _loop: Any) -> None:
    from bot.dossier import builder as dossier
    from bot.dossier import jobs

    jobs.run_later(dossier.produce_pending)  # starts the worker now, so the first dossier does not wait for it


def split_arguments(argv: Sequence[str]) -> tuple[Optional[str], List[str]]:
    """(``--actions`` package or None, the remaining `rasa run` arguments)."""
    rest: List[str] = []
    package: Optional[str] = None
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--actions" and i + 1 < len(args):
            package = args[i + 1]
            i += 2
            continue
        if arg.startswith("--actions="):
            package = arg.split("=", 1)[1]
        else:
            rest.append(arg)
        i += 1
    return package or None, rest


def endpoints_with_actions(endpoints_file: Optional[Text], package: Optional[Text]):
    """Rasa's endpoints read from the file, the action endpoint in-process when asked."""
    from rasa.core.utils import AvailableEndpoints

    endpoints = AvailableEndpoints.read_endpoints(endpoints_file)
    if package:
        endpoints.action = InProcessActions(package)
    return endpoints


def _serve(args, package: Optional[Text]) -> None:
    import rasa.core.run
    import rasa.model
    import rasa.shared.utils.common
    from rasa.cli.utils import get_validated_path
    from rasa.shared.constants import DEFAULT_CREDENTIALS_PATH, DEFAULT_ENDPOINTS_PATH, DEFAULT_MODELS_PATH

    endpoints_file = get_validated_path(args.endpoints, "endpoints", DEFAULT_ENDPOINTS_PATH, True)
    credentials = get_validated_path(args.credentials, "credentials", DEFAULT_CREDENTIALS_PATH, True)
    model = rasa.model.get_local_model(get_validated_path(args.model, "model", DEFAULT_MODELS_PATH))
    kwargs: Dict[str, Any] = {k: v for k, v in vars(args).items()
                              if k not in ("model", "endpoints", "credentials", "connector", "func")}
    kwargs = rasa.shared.utils.common.minimal_kwargs(kwargs, rasa.core.run.serve_application)
    validate_once()
    from bot.rasa import limits

    limits.install()
    if package:
        kwargs["server_listeners"] = [(_start_background, "after_server_start")]
    rasa.core.run.serve_application(
        model,
        channel=args.connector or (None if credentials else "rest"),
        credentials=credentials,
        endpoints=endpoints_with_actions(endpoints_file, package),
        **kwargs,
    )


def main(argv: Optional[Sequence[str]] = None) -> int:
    package, rest = split_arguments(sys.argv[1:] if argv is None else argv)
    from rasa.__main__ import create_argument_parser
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog
    import rasa.utils.io
    import rasa.utils.tensorflow.environment as tf_env

    args = create_argument_parser().parse_args(["run", *rest])
    log_level = getattr(args, "loglevel", None)
    configure_logging_and_warnings(log_level, getattr(args, "logging_config_file", None),
                                   warn_only_once=True, filter_repeated_logs=True)
    from bot import logmask

    logmask.install()
    tf_env.setup_tf_environment()
    sys.path.insert(1, os.getcwd())
    rasa.utils.io.configure_colored_logging(log_level)
    configure_structlog(log_level)
    _serve(args, package)
    return 0


if __name__ == "__main__":
    sys.exit(main())
