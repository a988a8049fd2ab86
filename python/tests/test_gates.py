"""Gates of schedule exact (kedro_aws_action/gates.py), against moto's S3 and moto's Step Functions.

Each test starts a real execution in moto (executing mode) of a one-state machine: the gate of group
"c", a ``lambda:invoke.waitForTaskToken`` Task waiting for "a" and "b". moto's Lambda does not run the
image, so the gate's function call is made here, with the event the execution history shows (its task
token included); what the gate and the groups store goes to moto's S3, and their SendTaskSuccess to
moto's Step Functions, whose execution then ends (or does not).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
import uuid
from typing import Any

import pytest

# moto's server is shared with the runtime tests (a module fixture there).
from test_runtime import PYTHON_DIR, REGION, s3_endpoint  # noqa: F401  (s3_endpoint is a fixture)

from kedro_aws_action import gates, lambda_handler, records  # noqa: E402  (test_runtime put python/ on sys.path)

BUCKET = "kedro-aws-gates"
RECORDS = f"s3://{BUCKET}/.kedro-aws/spaceflights/gates-test/"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
        ],
    }
)


def _client(service: str, endpoint: str) -> Any:
    import boto3

    return boto3.client(
        service,
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=REGION,
    )


@pytest.fixture(scope="module")
def machine(s3_endpoint: str) -> str:
    """The state machine: the gate of "c" (waiting for "a" and "b"), nothing else."""
    request = urllib.request.Request(
        f"{s3_endpoint}/moto-api/config",
        data=json.dumps({"stepfunctions": {"execute_state_machine": True}, "lambda": {"use_docker": False}}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    urllib.request.urlopen(request, timeout=10).close()
    _client("s3", s3_endpoint).create_bucket(Bucket=BUCKET)
    role = _client("iam", s3_endpoint).create_role(RoleName="gates-test", AssumeRolePolicyDocument=TRUST)["Role"]["Arn"]
    function = _client("lambda", s3_endpoint).create_function(
        FunctionName="spaceflights-gates-test-c",
        Runtime="python3.12",
        Role=role,
        Handler="kedro_aws_action.lambda_handler.handler",
        Code={"ZipFile": b"PK\x05\x06" + b"\x00" * 18},
    )["FunctionArn"]
    definition = {
        "StartAt": "Gate c",
        "States": {
            "Gate c": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke.waitForTaskToken",
                "Parameters": {
                    "FunctionName": function,
                    "Payload": {
                        "gate": {"group": "c", "after": ["a", "b"], "run_id.$": "$.run_id", "token.$": "$$.Task.Token"}
                    },
                },
                "ResultPath": None,
                "TimeoutSeconds": 120,
                "End": True,
            }
        },
    }
    return _client("stepfunctions", s3_endpoint).create_state_machine(
        name="spaceflights-gates-test", definition=json.dumps(definition), roleArn=role
    )["stateMachineArn"]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, s3_endpoint: str) -> None:
    """The group's environment, as deploy sets it: the records location, moto for S3 and Step Functions."""
    for key, value in {
        records.RECORDS_ENV: RECORDS,
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
    }.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL_SFN", raising=False)


def _start(endpoint: str, machine: str, run_id: str) -> tuple[str, dict[str, Any]]:
    """Starts an execution; returns its ARN and the gate's event as Step Functions sends it."""
    sfn = _client("stepfunctions", endpoint)
    name = f"run-{uuid.uuid4().hex}"
    arn = sfn.start_execution(stateMachineArn=machine, name=name, input=json.dumps({"run_id": run_id}))["executionArn"]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for event in sfn.get_execution_history(executionArn=arn)["events"]:
            if event["type"] == "TaskScheduled":
                return arn, json.loads(event["taskScheduledEventDetails"]["parameters"])["Payload"]
        time.sleep(0.1)
    pytest.fail("the gate's Task was never scheduled")


def _status(endpoint: str, arn: str, wait: float = 10) -> str:
    sfn = _client("stepfunctions", endpoint)
    deadline = time.monotonic() + wait
    status = "RUNNING"
    while time.monotonic() < deadline:
        status = sfn.describe_execution(executionArn=arn)["status"]
        if status != "RUNNING":
            break
        time.sleep(0.1)
    return status


_RUN_IDS = iter(range(1000))


def _run_id() -> str:
    """A fresh run id per test (each test's gate objects apart)."""
    return f"2026-01-31T08.15.00.{next(_RUN_IDS):03d}Z"


def test_the_gate_waits_until_the_last_of_its_groups_releases_it(env: None, s3_endpoint: str, machine: str) -> None:
    run_id = _run_id()
    arn, event = _start(s3_endpoint, machine, run_id)
    assert event["gate"]["run_id"] == run_id and event["gate"]["token"]
    assert lambda_handler.handler(event, None) == {"gate": "c", "after": ["a", "b"], "run_id": run_id, "opened": False}
    assert gates.release("a", run_id, ["c"]) == []
    assert _status(s3_endpoint, arn, wait=1) == "RUNNING"  # b has not run: c must not start
    assert gates.release("b", run_id, ["c"]) == ["c"]
    assert _status(s3_endpoint, arn) == "SUCCEEDED"
    # What it kept, under the stage's run records (teardown removes them with the rest).
    s3 = _client("s3", s3_endpoint)
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix=".kedro-aws/")["Contents"])
    base = f".kedro-aws/spaceflights/gates-test/gates/{run_id}/"
    assert keys == [f"{base}done/a", f"{base}done/b", f"{base}wait/c"]


def test_groups_that_finished_before_the_gate_stored_its_token_are_not_missed(
    env: None, s3_endpoint: str, machine: str
) -> None:
    run_id = _run_id()
    arn, event = _start(s3_endpoint, machine, run_id)
    # Both groups end before the gate's function has run: they find no token, and release nothing...
    assert gates.release("a", run_id, ["c"]) == []
    assert gates.release("b", run_id, ["c"]) == []
    assert _status(s3_endpoint, arn, wait=1) == "RUNNING"
    # ...and the gate, writing its token first and reading second, finds them done and opens itself.
    assert gates.open_gate(event)["opened"] is True
    assert _status(s3_endpoint, arn) == "SUCCEEDED"


def test_a_second_release_of_an_open_gate_is_ignored(env: None, s3_endpoint: str, machine: str) -> None:
    run_id = _run_id()
    arn, event = _start(s3_endpoint, machine, run_id)
    gates.release("a", run_id, ["c"])
    gates.open_gate(event)
    assert gates.release("b", run_id, ["c"]) == ["c"]
    assert _status(s3_endpoint, arn) == "SUCCEEDED"
    # b's attempt retried, or a redrive: the token is closed, Step Functions says so, nothing fails.
    assert gates.release("b", run_id, ["c"]) == []
    assert gates.open_gate(event)["opened"] is False


def test_a_group_that_cannot_release_fails_naming_what_its_role_needs(
    env: None, s3_endpoint: str, machine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run_id = _run_id()
    _arn, event = _start(s3_endpoint, machine, run_id)
    gates.release("a", run_id, ["c"])
    gates.open_gate(event)
    # Step Functions cannot be reached (a closed port stands for a refused call).
    monkeypatch.setenv("AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:9")
    with pytest.raises(gates.GateError, match=r"group 'b' ran, but could not release .*c.*states:SendTaskSuccess"):
        gates.release("b", run_id, ["c"])


def test_without_a_records_location_a_gate_says_which_variable_is_missing(
    env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(records.RECORDS_ENV)
    event = {"gate": {"group": "c", "after": ["a", "b"], "run_id": "r", "token": "t"}}
    with pytest.raises(gates.GateError, match="KEDRO_AWS_RUN_RECORDS is not set"):
        gates.open_gate(event)
    with pytest.raises(ValueError, match="'after'"):
        gates.open_gate({"gate": {"group": "c", "after": "a", "run_id": "r", "token": "t"}})
    with pytest.raises(ValueError, match="no 'token'"):
        gates.open_gate({"gate": {"group": "c", "after": ["a"], "run_id": "r"}})


def test_a_gate_event_imports_no_kedro(s3_endpoint: str) -> None:
    """Gate mode answers before Kedro is imported (a gate is a short call, even on a cold container)."""
    script = (
        "import sys\n"
        "from kedro_aws_action import lambda_handler\n"
        "try:\n"
        "    lambda_handler.handler({'gate': {'group': 'c', 'after': ['a'], 'run_id': 'r', 'token': 't'}}, None)\n"
        "except Exception as exc:\n"
        "    print(type(exc).__name__)\n"
        "print(sorted(m for m in sys.modules if m == 'kedro' or m.startswith('kedro.')))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(PYTHON_DIR), "PATH": "/usr/bin:/bin"},
    )
    assert proc.stdout.splitlines() == ["GateError", "[]"]


def test_the_batch_entry_reads_its_release_list_from_the_environment(env: None) -> None:
    assert gates.release_from_environment("a", "r", {}) is None
    with pytest.raises(ValueError, match="KEDRO_AWS_RELEASE must be a JSON list"):
        gates.release_from_environment("a", "r", {gates.RELEASE_ENV: "c,d"})
    with pytest.raises(ValueError, match="list of group names"):
        gates.release_from_environment("a", "r", {gates.RELEASE_ENV: '{"c": 1}'})


def test_the_clients_of_a_release_are_made_while_the_group_runs_and_kept(
    env: None, s3_endpoint: str, machine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """prepare_release makes the very clients release then calls; a changed environment gets new ones."""
    run_id = _run_id()
    arn, event = _start(s3_endpoint, machine, run_id)
    gates.open_gate(event)
    gates.prepare_release().join(timeout=30)
    s3, sfn = records.s3_client(), gates.sfn_client()
    calls: list[str] = []
    original = sfn.send_task_success

    def counted(**kwargs: Any) -> Any:
        calls.append("send_task_success")
        return original(**kwargs)

    monkeypatch.setattr(sfn, "send_task_success", counted)
    assert gates.release("a", run_id, ["c"]) == []
    assert gates.release("b", run_id, ["c"]) == ["c"]
    assert calls == ["send_task_success"]
    assert records.s3_client() is s3
    assert _status(s3_endpoint, arn) == "SUCCEEDED"
    monkeypatch.setenv("AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:9")
    assert gates.sfn_client() is not sfn
