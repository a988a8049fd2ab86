"""AWS Batch (and SageMaker) entry point: run one group of the Kedro project per job.

Container command (the job definition's, with Batch's ``Ref::`` parameters
filled in at submit time)::

    python3 -m kedro_aws_action.batch_entry \\
        --group data_science --type namespace \\
        --nodes '["data_science.split_data_node", ...]' \\
        --env aws --run-id 2026-01-31T08.15.00.123Z \\
        --runtime-params-json '{"output_prefix": "pr-9"}' --pipeline __default__

``--nodes`` is a JSON list of node names (required for a ``nodes`` group; for a
``namespace`` group it is only compared with the image's pipeline, and may be
``[]``). ``--runtime-params-json`` is a JSON object (default ``{}``),
``--pipeline`` defaults to ``__default__``. With ``schedule: exact`` a job of
the state machine may name gated groups in ``KEDRO_AWS_RELEASE`` (a JSON
list): once the group has run, it opens their gates (``gates.py``), as the
Lambda handler does for its ``release``. ``--join`` runs nothing: the
no-work job that stands for many dependencies where a job would depend on more
than AWS Batch's 20.

Environment (from the job definition), the same as the Lambda handler's:

* ``KEDRO_PACKAGE_NAME`` (required): the project's package, installed in the image.
* ``KEDRO_CONF_SOURCE`` (optional): conf folder or archive; default ``conf``
  under ``LAMBDA_TASK_ROOT`` when the image sets it (a Lambda base image), else
  under the working directory.

The group runs through :func:`runtime.run_group`, the code the Lambda handler
uses: the run's ``run_id`` is the one save version of every group, a retried
attempt (Batch's retry strategy) first removes its own earlier version. Logs go
to stderr (CloudWatch, ``/aws/batch/job``); stdout gets one JSON line, the
result (``{"group", "type", "nodes_run", "seconds", "run_id"}``) or the error
(``{"errorType", "errorMessage", "group"}``). Exit status: 0 when the group
ran, 1 when it failed, 2 for a command or environment that cannot run a group.

SageMaker groups run the same entry as a training job (the job's ContainerEntrypoint
holds the command, its ContainerArguments the run's ``--run-id`` and
``--runtime-params-json``). ``KEDRO_AWS_FAILURE_FILE`` (set by the definition to
SageMaker's ``/opt/ml/output/failure``) names a file the error line
``<ErrorType>: <message>`` is written to when the group fails: SageMaker returns
that file's text as the job's FailureReason.

Standard library only (Kedro is imported from the image when the group runs).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from . import gates
from .runtime import (
    DEFAULT_PIPELINE,
    GROUP_TYPES,
    image_settings,
    run_group,
    use_stderr_logging,
)

#: Exit status of a group that failed (its exception), and of a job that could
#: not start a group (bad command or environment: argparse's own status).
EXIT_GROUP_FAILED = 1
EXIT_USAGE = 2

#: Where to write why the group failed (SageMaker reads /opt/ml/output/failure).
FAILURE_FILE_ENV = "KEDRO_AWS_FAILURE_FILE"
#: SageMaker keeps the first 1,024 characters of the failure file (FailureReason).
FAILURE_REASON_MAX = 1024

logger = logging.getLogger("kedro_aws_action.batch_entry")


class UsageError(ValueError):
    """The container command or environment cannot run a group."""


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so the error is reported like any other."""

    def error(self, message: str) -> Any:  # type: ignore[override]
        raise UsageError(f"{message} (usage: {self.format_usage().strip()})")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python3 -m kedro_aws_action.batch_entry",
        description="Run one group of a Kedro project (an AWS Batch job of kedro-aws-action).",
        allow_abbrev=False,
    )
    parser.add_argument("--group", help="group name: a top-level namespace, or a node name")
    parser.add_argument("--type", dest="group_type", choices=GROUP_TYPES, help="group type")
    parser.add_argument("--nodes", default="[]", help="JSON list of the group's node names")
    parser.add_argument("--env", help="Kedro conf environment")
    parser.add_argument("--run-id", dest="run_id", help="the run's id: Kedro's save version")
    parser.add_argument("--runtime-params-json", dest="runtime_params", default="{}", help="JSON object")
    parser.add_argument("--pipeline", default=DEFAULT_PIPELINE, help="registered pipeline")
    parser.add_argument("--join", metavar="NAME", help="a join job: run nothing (it only waits for its dependencies)")
    return parser


def _json_argument(raw: str, option: str, expected: type, what: str, group: str) -> Any:
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{option} for group '{group}' is not valid JSON ({exc.msg} at position {exc.pos}): "
            f"give {what}, got {raw[:200]!r}"
        ) from exc
    if not isinstance(value, expected):
        raise UsageError(f"{option} for group '{group}' must be {what}, got {raw[:200]!r}")
    return value


def parse_command(argv: Sequence[str]) -> dict[str, Any]:
    """The ``run_group`` arguments carried by the container command.

    Returns ``{"join": name}`` for a join job. Raises :class:`UsageError` naming
    the option that is missing or malformed.
    """
    args = _parser().parse_args(list(argv))
    if args.join is not None:
        return {"join": args.join}
    missing = [
        option
        for option, value in (
            ("--group", args.group),
            ("--type", args.group_type),
            ("--env", args.env),
            ("--run-id", args.run_id),
        )
        if value is None or not str(value).strip()
    ]
    if missing:
        raise UsageError(
            f"the container command has no {', '.join(missing)} (each job runs one group: "
            f"--group <name> --type namespace|nodes --env <conf env> --run-id <id>)"
        )
    group = args.group
    nodes = _json_argument(args.nodes or "[]", "--nodes", list, "a JSON list of node names", group)
    if not all(isinstance(n, str) and n for n in nodes):
        raise UsageError(f"--nodes for group '{group}' must list node names, got {nodes!r}")
    if args.group_type == "nodes" and not nodes:
        raise UsageError(f"--nodes for group '{group}' of type 'nodes' is empty: it must list the node names to run")
    runtime_params = _json_argument(args.runtime_params or "{}", "--runtime-params-json", dict, "a JSON object", group)
    return {
        "group": group,
        "group_type": args.group_type,
        "nodes": list(nodes) or None,
        "env": args.env,
        "run_id": args.run_id,
        "runtime_params": runtime_params,
        "pipeline_name": args.pipeline or DEFAULT_PIPELINE,
    }


def settings_from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Package name, conf source and project path from the job's environment."""
    try:
        return image_settings(
            os.environ if environ is None else environ,
            "job's",
            "; the job definition that kedro-aws-action registers sets it",
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _emit(record: Mapping[str, Any]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def write_failure(error_type: str, message: str, environ: Mapping[str, str] | None = None) -> str | None:
    """Writes ``<ErrorType>: <message>`` to the failure file the environment names, if any; returns its path.

    SageMaker shows the file's first 1,024 characters as the job's FailureReason; the message's start
    (the group, the node, the dataset) is what is kept. Never raises: the group's error is the news.
    """
    path = (os.environ if environ is None else environ).get(FAILURE_FILE_ENV, "").strip()
    if not path:
        return None
    text = f"{error_type}: {' '.join(message.split())}"[:FAILURE_REASON_MAX]
    try:
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as exc:
        logger.warning("could not write the failure reason to %s (%s): %s", FAILURE_FILE_ENV, path, exc)
        return None
    return path


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the group the command names; returns the process exit status."""
    use_stderr_logging()
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    argv = sys.argv[1:] if argv is None else argv
    group: str | None = None
    try:
        arguments = parse_command(argv)
        if "join" in arguments:
            logger.info("join job %s: its dependencies finished; nothing to run", arguments["join"])
            _emit({"join": arguments["join"]})
            return 0
        group = arguments["group"]
        arguments.update(settings_from_environment(environ))
    except UsageError as exc:
        logger.error("cannot run a group%s: %s", f" ('{group}')" if group else "", exc)
        _emit({"errorType": "UsageError", "errorMessage": str(exc), "group": group})
        write_failure("UsageError", f"cannot run group '{group}': {exc}" if group else str(exc), environ)
        return EXIT_USAGE
    if (environ if environ is not None else os.environ).get(gates.RELEASE_ENV, "").strip():
        gates.prepare_release()
    try:
        result = run_group(**arguments)
        released = gates.release_from_environment(arguments["group"], arguments["run_id"], environ)
    except Exception as exc:  # run_group logged the group and the node already
        if isinstance(exc, (gates.GateError, ValueError)):
            logger.error("%s", exc)
        _emit({"errorType": type(exc).__name__, "errorMessage": str(exc), "group": group})
        write_failure(type(exc).__name__, f"group '{group}' failed: {exc}", environ)
        return EXIT_GROUP_FAILED
    if released is not None:
        result["released"] = released
    _emit(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
