"""Gates of ``schedule: exact``: a group starts the moment its last dependency has finished.

Where the group graph is not series-parallel, the state machine puts a gated group behind a callback
task (``lambda:invoke.waitForTaskToken``). The task invokes a function of the stage in gate mode
(:func:`open_gate`): it stores the task token, then looks at which of the groups it waits for are done,
and sends the token back at once when they all are. Each group a gate waits for, once it has run,
marks itself done and releases every gate whose groups are now all done (:func:`release`). Both sides
write first and read second, and S3 is strongly consistent (a read or a list after a write sees it),
so whichever of them writes last sees everything the others wrote: no wake-up is ever lost. Two of
them may both see "all done" and both send the token: Step Functions takes the first, and answers the
second with ``TaskTimedOut`` (or ``InvalidToken``), which is ignored here.

Where (under the stage's run records, ``KEDRO_AWS_RUN_RECORDS``; teardown removes them with the rest)::

    <records>gates/<run id>/done/<group>   a group of this run has run (written after its run record)
    <records>gates/<run id>/wait/<group>   the task token of the group's gate, and the groups it waits for

(``<group>`` percent-encoded, so that any Kedro name is one key segment.)

Step Functions is called at ``AWS_ENDPOINT_URL_SFN`` when it is set (the local executor serves the
callbacks of its own executions there), else at ``AWS_ENDPOINT_URL``, else at AWS.

Standard library and botocore only: no Kedro import (a gate returns in well under a second).
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from . import records

logger = logging.getLogger("kedro_aws_action.gates")

#: The Batch job of a group that releases gates gets their names here (a JSON list); a Lambda
#: group gets them in its event (``release``).
RELEASE_ENV = "KEDRO_AWS_RELEASE"
#: Errors of SendTaskSuccess that mean "already released" (or the execution is over): ignored.
SETTLED_ERRORS = ("TaskTimedOut", "InvalidToken", "TaskDoesNotExist")
GATE_SHAPE = '{"gate": {"group": "<name>", "after": ["<group>", ...], "run_id": "<run id>", "token": "<task token>"}}'


class GateError(RuntimeError):
    """A gate cannot be opened or released (no records location, S3 or Step Functions refused)."""


def _quote(group: str) -> str:
    return urllib.parse.quote(group, safe="")


def _unquote(segment: str) -> str:
    return urllib.parse.unquote(segment)


class Store:
    """The gate objects of one run, under the stage's run records."""

    def __init__(self, s3: Any, location: str, run_id: str) -> None:
        bucket, prefix, _project, _stage = records.parse_location(location)
        if not run_id or "/" in run_id:
            raise GateError(f"the run id {run_id!r} cannot name a folder of the gates")
        self.s3 = s3
        self.bucket = bucket
        self.prefix = f"{prefix}gates/{run_id}/"

    def mark_done(self, group: str) -> None:
        body = json.dumps({"group": group, "at": time.time()}).encode()
        self.s3.put_object(Bucket=self.bucket, Key=f"{self.prefix}done/{_quote(group)}", Body=body)

    def done(self) -> set[str]:
        found: set[str] = set()
        paginator = self.s3.get_paginator("list_objects_v2")
        start = f"{self.prefix}done/"
        for page in paginator.paginate(Bucket=self.bucket, Prefix=start):
            for item in page.get("Contents", []):
                found.add(_unquote(item["Key"][len(start) :]))
        return found

    def put_waiting(self, group: str, after: Sequence[str], token: str) -> None:
        body = json.dumps({"group": group, "after": list(after), "token": token}).encode()
        self.s3.put_object(Bucket=self.bucket, Key=f"{self.prefix}wait/{_quote(group)}", Body=body)

    def waiting(self, group: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            body = self.s3.get_object(Bucket=self.bucket, Key=f"{self.prefix}wait/{_quote(group)}")["Body"].read()
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        return json.loads(body)


def sfn_client() -> Any:
    """The process's Step Functions client (:func:`records.client`; AWS_ENDPOINT_URL_SFN, then
    AWS_ENDPOINT_URL, honoured): made once per process and environment, so a warm container reuses it."""
    return records.client("stepfunctions", "SFN")


def prepare_release() -> threading.Thread:
    """Make the clients a release needs (S3, Step Functions) in a background thread, while the group runs.

    Loading the two service models and making the clients is most of what a release costs in a cold
    process (bench/execute.ts measured about 1 s between a group's work ending and its dependent's gate
    opening); made while the group runs, the release after it is only its calls. The clients are kept
    per process (:func:`sfn_client`, :func:`records.s3_client`), so :func:`release` takes the same
    ones; an error here is left for the release to meet and report.
    """

    def make() -> None:
        try:
            records.s3_client()
            sfn_client()
        except Exception:  # noqa: BLE001 - reported by the release that needs the client
            logger.debug("could not prepare the release's clients", exc_info=True)

    thread = threading.Thread(target=make, name="kedro-aws-release-clients", daemon=True)
    thread.start()
    return thread


def send_success(sfn: Any, token: str, output: Mapping[str, Any]) -> bool:
    """SendTaskSuccess; False when the gate had been opened already (or its execution is over)."""
    from botocore.exceptions import ClientError

    try:
        sfn.send_task_success(taskToken=token, output=json.dumps(dict(output)))
        return True
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in SETTLED_ERRORS:
            return False
        raise


def _location() -> str:
    location = os.environ.get(records.RECORDS_ENV)
    if not location:
        raise GateError(
            f"{records.RECORDS_ENV} is not set: gates (schedule exact) keep their task tokens under the stage's "
            "run records; deploy the stage again with this action to set it"
        )
    return location


def _names(value: Any, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{what} must be a list of group names, got {value!r}")
    return list(value)


def parse_gate(event: Mapping[str, Any]) -> dict[str, Any]:
    """The gate's arguments from the ``gate`` object of an event; ``ValueError`` naming what is wrong."""
    gate = event.get("gate")
    if not isinstance(gate, Mapping):
        raise ValueError(f"A gate event must be {GATE_SHAPE}, got {event!r}")
    missing = [k for k in ("group", "after", "run_id", "token") if not gate.get(k)]
    if missing:
        raise ValueError(f"The gate event has no {', '.join(repr(k) for k in missing)} (expected {GATE_SHAPE})")
    group = gate["group"]
    if not isinstance(group, str):
        raise ValueError(f"The gate's 'group' must be a string, got {group!r}")
    return {
        "group": group,
        "after": _names(gate["after"], f"The gate of group '{group}': 'after'"),
        "run_id": str(gate["run_id"]),
        "token": str(gate["token"]),
    }


def open_gate(event: Mapping[str, Any], *, s3: Any = None, sfn: Any = None) -> dict[str, Any]:
    """Gate mode of the Lambda handler: store the token, then release at once if all are done already.

    Returns ``{"gate", "after", "run_id", "opened"}``: ``opened`` is True when every group it waits
    for had finished already (this call sent the token back).
    """
    gate = parse_gate(event)
    group, after = gate["group"], gate["after"]
    store = Store(s3 if s3 is not None else records.s3_client(), _location(), gate["run_id"])
    # Write first, read second: see the module docstring.
    store.put_waiting(group, after, gate["token"])
    done = store.done()
    pending = [a for a in after if a not in done]
    opened = False
    if not pending:
        opened = send_success(sfn if sfn is not None else sfn_client(), gate["token"], {"opened_by": group})
        logger.info("gate of group '%s': %s had finished already, opened", group, ", ".join(after))
    else:
        logger.info("gate of group '%s': waiting for %s", group, ", ".join(pending))
    return {"gate": group, "after": after, "run_id": gate["run_id"], "opened": not pending and opened}


def release(group: str, run_id: str, dependents: Iterable[str], *, s3: Any = None, sfn: Any = None) -> list[str]:
    """After ``group`` has run: mark it done, then open the gate of every dependent whose groups are all done.

    Returns the gated groups this call opened. Raises :class:`GateError` when the marker or a gate
    cannot be written or sent (a role without states:SendTaskSuccess, ...): the group then fails, rather
    than leaving its dependents waiting until their gates time out.
    """
    dependents = list(dict.fromkeys(dependents))
    try:
        store = Store(s3 if s3 is not None else records.s3_client(), _location(), run_id)
        store.mark_done(group)
        if not dependents:
            return []
        done = store.done()
        client = None
        opened: list[str] = []
        for dependent in dependents:
            waiting = store.waiting(dependent)
            if waiting is None:
                # Its gate has not stored its token yet: it will find this group done when it does.
                continue
            pending = [a for a in waiting.get("after", []) if a not in done]
            if pending:
                continue
            client = client or (sfn if sfn is not None else sfn_client())
            if send_success(client, waiting["token"], {"opened_by": group}):
                opened.append(dependent)
    except GateError:
        raise
    except Exception as exc:
        raise GateError(
            f"group '{group}' ran, but could not release the groups waiting for it ({', '.join(dependents) or 'none'}): "
            f"{type(exc).__name__}: {exc} (the role needs s3:PutObject, s3:GetObject and s3:ListBucket on the run "
            "records, and states:SendTaskSuccess, which the bootstrap grants with AllowExactSchedule: true; or "
            "deploy the stage with schedule: dag, which has no gates)"
        ) from exc
    if opened:
        logger.info("group '%s': opened the gate of %s", group, ", ".join(opened))
    return opened


def release_from_environment(group: str, run_id: str, environ: Mapping[str, str] | None = None) -> list[str] | None:
    """The Batch entry's release: the gated groups named in ``KEDRO_AWS_RELEASE``; None when there are none."""
    raw = (os.environ if environ is None else environ).get(RELEASE_ENV, "").strip()
    if not raw:
        return None
    try:
        dependents = _names(json.loads(raw), f"{RELEASE_ENV}")
    except json.JSONDecodeError as exc:
        raise ValueError(f"{RELEASE_ENV} must be a JSON list of group names, got {raw[:200]!r}") from exc
    return release(group, run_id, dependents)
