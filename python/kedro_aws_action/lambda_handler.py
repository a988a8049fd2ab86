"""AWS Lambda entry point: run one group of the Kedro project per invocation.

Image command: ``kedro_aws_action.lambda_handler.handler``.

Event (from the Step Functions task state)::

    {
      "group": "data_science",            # group name: namespace, or node name
      "type": "namespace",                # "namespace" | "nodes"
      "nodes": ["data_science.split_data_node", ...],  # required for "nodes"
      "env": "aws",                       # Kedro conf environment
      "run_id": "2026-01-31T08.15.00.123Z",  # the execution's id = save version
      "runtime_params": {"output_prefix": "pr-9"},  # optional, default {}
      "pipeline": "__default__",          # optional, default "__default__"
      "release": ["model_report"]         # optional (schedule exact): gated groups to release
    }

or, for the gate of a group (schedule exact: a callback task of the state machine)::

    {"gate": {"group": "model_report", "after": ["data_science", "reporting"],
              "run_id": "...", "token": "<task token>"}}

A gate stores its task token under the stage's run records and returns at once, without importing
Kedro (see ``gates.py``); a group with ``release`` opens those gates once it has run.

Environment (set at deploy time):

* ``KEDRO_PACKAGE_NAME`` (required): the project's package, installed in the image.
* ``KEDRO_CONF_SOURCE`` (optional): conf folder or archive; default
  ``$LAMBDA_TASK_ROOT/conf`` (the working directory's ``conf`` outside Lambda).
* ``KEDRO_LOGGING_CONFIG`` (optional): default is ``logging.yml`` next to this
  file (stderr only).

Returns ``{"group", "type", "nodes_run", "seconds", "run_id"}`` (and ``released``, the gates it
opened, when it had some to release); a gate returns ``{"gate", "after", "run_id", "opened"}``. Errors
propagate with their own type and message (Step Functions records them as the
task's error and cause), after one log line naming the group and the node.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from . import gates
from .runtime import (
    DEFAULT_PIPELINE,
    GROUP_TYPES,
    image_settings,
    run_group,
)

REQUIRED_KEYS = ("group", "type", "env", "run_id")
OPTIONAL_KEYS = ("nodes", "runtime_params", "pipeline", "release")
EVENT_SHAPE = (
    '{"group": "<name>", "type": "namespace"|"nodes", "nodes": ["<node>", ...], '
    '"env": "<conf env>", "run_id": "<YYYY-MM-DDThh.mm.ss.sssZ>", '
    '"runtime_params": {...}}'
)

logger = logging.getLogger("kedro_aws_action.lambda_handler")


def parse_event(event: Any) -> dict[str, Any]:
    """The ``run_group`` arguments carried by ``event``; ``ValueError`` naming what is wrong."""
    if not isinstance(event, Mapping):
        raise ValueError(f"The event must be a JSON object {EVENT_SHAPE}, got {type(event).__name__}")
    missing = [key for key in REQUIRED_KEYS if key not in event or event[key] is None]
    if missing:
        raise ValueError(
            f"The event has no {', '.join(repr(k) for k in missing)} key"
            f"{'s' if len(missing) > 1 else ''} (expected {EVENT_SHAPE}); got keys "
            f"{sorted(str(k) for k in event)}"
        )
    group = event["group"]
    if not isinstance(group, str) or not group.strip():
        raise ValueError(f"The event's 'group' must be a non-empty string, got {group!r}")
    group_type = event["type"]
    if group_type not in GROUP_TYPES:
        raise ValueError(
            f"The event's 'type' for group '{group}' must be one of {list(GROUP_TYPES)}, got {group_type!r}"
        )
    nodes = event.get("nodes")
    if group_type == "nodes" and not nodes:
        raise ValueError(
            f"The event has no 'nodes' key for group '{group}' of type 'nodes' (it must list the node names to run)"
        )
    if nodes is not None and (not isinstance(nodes, list) or not all(isinstance(n, str) and n for n in nodes)):
        raise ValueError(f"The event's 'nodes' for group '{group}' must be a list of node names, got {nodes!r}")
    for key in ("env", "run_id"):
        if not isinstance(event[key], str) or not event[key].strip():
            raise ValueError(f"The event's '{key}' for group '{group}' must be a non-empty string, got {event[key]!r}")
    runtime_params = event.get("runtime_params")
    if runtime_params is None:
        runtime_params = {}
    if not isinstance(runtime_params, Mapping):
        raise ValueError(f"The event's 'runtime_params' for group '{group}' must be an object, got {runtime_params!r}")
    pipeline = event.get("pipeline") or DEFAULT_PIPELINE
    if not isinstance(pipeline, str):
        raise ValueError(f"The event's 'pipeline' for group '{group}' must be a string, got {pipeline!r}")
    release = event.get("release") or []
    if not isinstance(release, list) or not all(isinstance(r, str) and r for r in release):
        raise ValueError(f"The event's 'release' for group '{group}' must be a list of group names, got {release!r}")
    return {
        "group": group,
        "group_type": group_type,
        "nodes": list(nodes) if nodes else None,
        "env": event["env"],
        "run_id": event["run_id"],
        "runtime_params": dict(runtime_params),
        "pipeline_name": pipeline,
        "release": list(release),
    }


def settings_from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Package name, conf source and project path from the function's environment."""
    return image_settings(os.environ if environ is None else environ, "function's")


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda handler: run the group named by ``event`` (or open a gate); see the module docstring."""
    if isinstance(event, Mapping) and "gate" in event:
        return gates.open_gate(event)
    try:
        arguments = parse_event(event)
        release = arguments.pop("release")
        arguments.update(settings_from_environment())
    except ValueError as exc:
        group = event.get("group") if isinstance(event, Mapping) else None
        logger.error("invalid invocation for group %r: %s", group, exc)
        raise
    if release:
        gates.prepare_release()
    result = run_group(**arguments)
    if release:
        result["released"] = gates.release(arguments["group"], arguments["run_id"], release)
    return result
