"""Tests of the AWS Batch entry point (python/kedro_aws_action/batch_entry.py).

Each group runs as a Batch job would run it: a fresh interpreter runs
``python -m kedro_aws_action.batch_entry <the container command>`` in the
image's working directory, with the job definition's environment. The "image"
is the one of test_runtime.py (the example's wheel installed into a read-only
site folder, its conf in a read-only working directory, compared before and
after every job); the datasets live in moto's S3.

    KEDRO_DISABLE_TELEMETRY=1 .venv/bin/python -m pytest python/tests/test_batch_entry.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

import pytest

# The emulated image, moto's S3 and the example's expectations are shared with the Lambda runtime tests.
from test_runtime import (  # noqa: F401  (image, s3, s3_endpoint are fixtures)
    BUCKET,
    GROUP_NODES,
    ORDER,
    PACKAGE,
    PYTHON_DIR,
    REGION,
    SETPRIV,
    Image,
    _snapshot,
    expected_keys,
    image,
    keys,
    new_run_id,
    s3,
    s3_endpoint,
)

from kedro_aws_action import batch_entry  # noqa: E402  (test_runtime put python/ on sys.path)


@dataclass
class Job:
    argv: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def record(self) -> dict[str, Any]:
        lines = self.stdout.strip().splitlines()
        assert len(lines) == 1, f"stdout must be one JSON line\n{self}"
        return json.loads(lines[0])

    def __str__(self) -> str:
        return (
            f"argv {self.argv}\nrc={self.returncode}\nstdout: {self.stdout[-2000:]}\n"
            f"stderr tail:\n{self.stderr[-6000:]}"
        )


def command(group: str, run_id: str, prefix: str | None = None, /, **change: Any) -> list[str]:
    """The container command the job definition gives a group (Ref:: parameters filled in)."""
    values: dict[str, Any] = {
        "group": group,
        "type": "namespace",
        "nodes": GROUP_NODES.get(group, []),
        "env": "aws",
        "run-id": run_id,
        "runtime-params-json": {"output_prefix": prefix} if prefix else {},
        "pipeline": "__default__",
    }
    values.update({k.replace("_", "-"): v for k, v in change.items()})
    argv: list[str] = []
    for option, value in values.items():
        if value is None:
            continue
        argv += [f"--{option}", value if isinstance(value, str) else json.dumps(value)]
    return argv


def run_job(
    image: Image,
    argv: list[str],
    *,
    attempt: int = 1,
    extra_env: dict[str, str] | None = None,
) -> Job:
    task_dir = image.tasks["task"]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(image.home),
        "LANG": "C.UTF-8",
        "PYTHONPATH": os.pathsep.join([str(image.site), str(PYTHON_DIR)]),
        "KEDRO_DISABLE_TELEMETRY": "1",
        "AWS_ENDPOINT_URL": image.endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        # What the job definition sets, and what Batch adds to every container.
        "KEDRO_PACKAGE_NAME": PACKAGE,
        "KEDRO_ENV": "aws",
        "AWS_BATCH_JOB_ID": "00000000-0000-0000-0000-000000000000",
        "AWS_BATCH_JOB_ATTEMPT": str(attempt),
        "AWS_BATCH_JQ_NAME": "kedro-queue",
    }
    env.update(extra_env or {})
    process = [sys.executable, "-m", "kedro_aws_action.batch_entry", *argv]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and SETPRIV:
        drop = "-dac_override,-dac_read_search,-fowner"
        process = [SETPRIV, "--bounding-set", drop, "--", *process]
    started = time.monotonic()
    proc = subprocess.run(process, cwd=task_dir, env=env, capture_output=True, text=True, timeout=300, check=False)
    job = Job(argv, proc.returncode, proc.stdout, proc.stderr, time.monotonic() - started)
    for name, path in image.read_only_dirs().items():
        assert _snapshot(path) == image.snapshots[name], f"the job wrote into {name}\n{job}"
    assert "Logging error" not in job.stderr, str(job)
    return job


def run_ok(image: Image, argv: list[str], **kwargs: Any) -> Job:
    job = run_job(image, argv, **kwargs)
    assert job.returncode == 0, str(job)
    return job


# --------------------------------------------------------------------------- #
# Groups run from the container command
# --------------------------------------------------------------------------- #


def test_three_jobs_in_dependency_order_write_one_run(image: Image, s3: Any) -> None:
    run_id = new_run_id()
    before = keys(s3, BUCKET)
    for group in ORDER:
        job = run_ok(image, command(group, run_id, "batch"))
        assert job.record == {
            "group": group,
            "type": "namespace",
            "nodes_run": len(GROUP_NODES[group]),
            "seconds": job.record["seconds"],
            "run_id": run_id,
        }, str(job)
        # Kedro logged to stderr with the runtime's config (CloudWatch keeps stderr).
        assert "kedro_aws_action/logging.yml' as logging configuration" in job.stderr
        assert f"Run ID: {run_id}" in job.stderr
        assert "the event lists nodes" not in job.stderr
    assert keys(s3, BUCKET) - before == expected_keys("batch", [run_id])


def test_a_retried_attempt_with_the_same_run_id_succeeds(image: Image, s3: Any) -> None:
    run_id = new_run_id()
    run_ok(image, command("data_processing", run_id, "batch-retry"))
    run_ok(image, command("data_science", run_id, "batch-retry"))
    retry = run_ok(image, command("data_science", run_id, "batch-retry"), attempt=2)
    assert "left by an earlier attempt" in retry.stderr
    key = f"batch-retry/06_models/regressor.pickle/{run_id}/regressor.pickle"
    assert keys(s3, BUCKET, "batch-retry/06_models/") == {key}


def test_a_nodes_group_runs_its_nodes_only(image: Image, s3: Any) -> None:
    run_id = new_run_id()
    run_ok(image, command("data_processing", run_id, "batch-nodes"))
    job = run_ok(
        image,
        command(
            "reporting.fleet_stats_node",
            run_id,
            "batch-nodes",
            type="nodes",
            nodes=["reporting.fleet_stats_node"],
        ),
    )
    assert job.record["nodes_run"] == 1
    assert "Running node: fleet_stats_node" in job.stderr
    assert "summarise_shuttle_types" not in job.stderr


def test_a_namespace_group_runs_without_its_node_list(image: Image, s3: Any) -> None:
    """A long group may be submitted with --nodes [] (the job payload stays small)."""
    run_id = new_run_id()
    job = run_ok(image, command("data_processing", run_id, "batch-nolist", nodes=[]))
    assert job.record["nodes_run"] == 3


def test_a_join_job_runs_nothing(image: Image, s3: Any) -> None:
    before = keys(s3, BUCKET)
    job = run_ok(image, ["--join", "spaceflights-dev-join-1"])
    assert job.record == {"join": "spaceflights-dev-join-1"}
    assert "Run ID" not in job.stderr
    assert keys(s3, BUCKET) == before


# --------------------------------------------------------------------------- #
# Failures: the exit status, one JSON line, and the group named in the log
# --------------------------------------------------------------------------- #


def test_a_failing_group_exits_1_naming_the_group_and_the_node(image: Image, s3: Any) -> None:
    run_id = new_run_id()
    job = run_job(image, command("reporting", run_id, "batch-nothing-here"))
    assert job.returncode == batch_entry.EXIT_GROUP_FAILED, str(job)
    assert job.record["errorType"] == "DatasetError"
    assert job.record["group"] == "reporting"
    assert "preprocessed_shuttles" in job.record["errorMessage"]
    failure = [line for line in job.stderr.splitlines() if "ERROR kedro_aws_action.runtime" in line]
    assert len(failure) == 1, str(job)
    assert f"group 'reporting' (namespace, run_id {run_id}) failed in node 'reporting." in failure[0]
    assert not keys(s3, BUCKET, "batch-nothing-here/")


def test_an_unknown_namespace_fails_naming_the_group(image: Image) -> None:
    job = run_job(image, command("no_such_namespace", new_run_id(), "batch-fail"))
    assert job.returncode == batch_entry.EXIT_GROUP_FAILED, str(job)
    assert "Group 'no_such_namespace' (namespace)" in job.record["errorMessage"]


def test_a_command_without_the_run_id_exits_2_naming_the_option(image: Image) -> None:
    job = run_job(image, command("reporting", "unused", **{"run_id": None}))
    assert job.returncode == batch_entry.EXIT_USAGE, str(job)
    assert job.record["errorType"] == "UsageError"
    assert "--run-id" in job.record["errorMessage"]
    assert "ERROR kedro_aws_action.batch_entry: cannot run a group" in job.stderr


def test_a_job_without_the_package_name_exits_2_naming_the_variable(image: Image) -> None:
    job = run_job(image, command("reporting", new_run_id()), extra_env={"KEDRO_PACKAGE_NAME": ""})
    assert job.returncode == batch_entry.EXIT_USAGE, str(job)
    assert "KEDRO_PACKAGE_NAME" in job.record["errorMessage"]
    assert job.record["group"] == "reporting"


def test_a_failing_group_writes_the_failure_file_sagemaker_reads(image: Image, s3: Any, tmp_path: Any) -> None:
    """On SageMaker the job's FailureReason is the text of /opt/ml/output/failure (KEDRO_AWS_FAILURE_FILE)."""
    failure = tmp_path / "output" / "failure"
    job = run_job(
        image,
        command("reporting", new_run_id(), "sm-nothing-here"),
        extra_env={batch_entry.FAILURE_FILE_ENV: str(failure)},
    )
    assert job.returncode == batch_entry.EXIT_GROUP_FAILED, str(job)
    text = failure.read_text(encoding="utf-8")
    assert text.startswith("DatasetError: group 'reporting' failed: "), text
    assert "preprocessed_shuttles" in text
    assert "\n" not in text and len(text) <= batch_entry.FAILURE_REASON_MAX


def test_a_command_that_cannot_run_writes_the_failure_file_too(image: Image, tmp_path: Any) -> None:
    failure = tmp_path / "failure"
    job = run_job(
        image,
        command("reporting", "unused", **{"run_id": None}),
        extra_env={batch_entry.FAILURE_FILE_ENV: str(failure)},
    )
    assert job.returncode == batch_entry.EXIT_USAGE, str(job)
    assert failure.read_text(encoding="utf-8").startswith("UsageError: the container command has no --run-id")


def test_a_group_that_runs_writes_no_failure_file(image: Image, s3: Any, tmp_path: Any) -> None:
    failure = tmp_path / "failure"
    run_ok(
        image,
        command("data_processing", new_run_id(), "sm-ok"),
        extra_env={batch_entry.FAILURE_FILE_ENV: str(failure)},
    )
    assert not failure.exists()


def test_write_failure_keeps_sagemakers_first_1024_characters_on_one_line(tmp_path: Any) -> None:
    path = tmp_path / "failure"
    env = {batch_entry.FAILURE_FILE_ENV: str(path)}
    assert batch_entry.write_failure("ValueError", "a\nb " + "x" * 5000, env) == str(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("ValueError: a b xxx") and len(text) == batch_entry.FAILURE_REASON_MAX
    assert batch_entry.write_failure("ValueError", "m", {}) is None
    # A location that cannot be written is only logged: the group's own error is what fails the job.
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    assert batch_entry.write_failure("E", "m", {batch_entry.FAILURE_FILE_ENV: str(blocked / "failure")}) is None


# --------------------------------------------------------------------------- #
# Units (in this process)
# --------------------------------------------------------------------------- #


def test_parse_command_reads_every_option() -> None:
    argv = command("data_science", "2026-01-01T00.00.00.000Z", "pr-9", pipeline="ds")
    assert batch_entry.parse_command(argv) == {
        "group": "data_science",
        "group_type": "namespace",
        "nodes": GROUP_NODES["data_science"],
        "env": "aws",
        "run_id": "2026-01-01T00.00.00.000Z",
        "runtime_params": {"output_prefix": "pr-9"},
        "pipeline_name": "ds",
    }


def test_parse_command_defaults() -> None:
    parsed = batch_entry.parse_command(["--group", "g", "--type", "namespace", "--env", "aws", "--run-id", "r"])
    assert parsed["nodes"] is None
    assert parsed["runtime_params"] == {}
    assert parsed["pipeline_name"] == "__default__"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"type": "pipeline"}, "invalid choice: 'pipeline'"),
        ({"type": "nodes", "nodes": []}, "of type 'nodes' is empty"),
        ({"nodes": "not json"}, "--nodes for group 'reporting' is not valid JSON"),
        ({"nodes": {"a": 1}}, "must be a JSON list of node names"),
        ({"nodes": [1]}, "must list node names"),
        ({"runtime_params_json": "[1]"}, "--runtime-params-json for group 'reporting' must be a JSON object"),
        ({"env": ""}, "has no --env"),
        ({"group": None, "run_id": None}, "has no --group, --run-id"),
    ],
)
def test_parse_command_refuses_malformed_commands(change: dict[str, Any], expected: str) -> None:
    with pytest.raises(batch_entry.UsageError, match=expected.replace("[", r"\[").replace("(", r"\(")):
        batch_entry.parse_command(command("reporting", "2026-01-01T00.00.00.000Z", **change))


def test_parse_command_refuses_unknown_options() -> None:
    with pytest.raises(batch_entry.UsageError, match="unrecognized arguments: --namespaces"):
        batch_entry.parse_command([*command("reporting", "r"), "--namespaces", "reporting"])


def test_settings_from_environment() -> None:
    with pytest.raises(batch_entry.UsageError, match="KEDRO_PACKAGE_NAME is not set"):
        batch_entry.settings_from_environment({})
    cwd = os.getcwd()
    assert batch_entry.settings_from_environment({"KEDRO_PACKAGE_NAME": "p"}) == {
        "package_name": "p",
        "conf_source": os.path.join(cwd, "conf"),
        "project_path": cwd,
    }
    # The same image as the Lambda functions (a Lambda base image sets LAMBDA_TASK_ROOT).
    assert (
        batch_entry.settings_from_environment({"KEDRO_PACKAGE_NAME": "p", "LAMBDA_TASK_ROOT": "/var/task"})[
            "conf_source"
        ]
        == "/var/task/conf"
    )
    assert (
        batch_entry.settings_from_environment({"KEDRO_PACKAGE_NAME": "p", "KEDRO_CONF_SOURCE": "/opt/conf.tar.gz"})[
            "conf_source"
        ]
        == "/opt/conf.tar.gz"
    )


def test_the_options_are_those_the_job_definition_uses() -> None:
    """src/aws/batch.ts builds the job definition's command with these options (and Ref:: values)."""
    options = {
        option
        for action in batch_entry._parser()._actions
        for option in action.option_strings
        if option not in ("-h", "--help")
    }
    assert options == {
        "--group",
        "--type",
        "--nodes",
        "--env",
        "--run-id",
        "--runtime-params-json",
        "--pipeline",
        "--join",
    }
