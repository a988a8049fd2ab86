"""Warm invocations: one group process (a warm Lambda container) runs invocation after invocation.

The runtime keeps, per process, what does not change between invocations (Kedro imported and the
project configured, the ``KedroServiceSession`` with its hook manager, the records' S3 client) and
builds the rest per invocation. These tests run several invocations in ONE process, with different
run ids, runtime params (one overrides a parameter the nodes read) and groups, one of them failing,
and check that each invocation saw its own params, wrote under its own prefix and version, and that
each run record lists its own invocation's writes only. The emulated image and moto's S3 are those
of test_runtime.py.

    KEDRO_DISABLE_TELEMETRY=1 .venv/bin/python -m pytest python/tests/test_warm.py
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from test_records import STAGE_RECORDS, record_of

# The emulated image, moto's S3 and the example's expectations are shared with the Lambda runtime tests
# (the tests take the fixtures as parameters of the same name: hence the noqa F811).
from test_runtime import (  # noqa: F401  (image, s3, s3_endpoint are fixtures)
    BUCKET,
    GROUP_NODES,
    Image,
    event_for,
    expected_keys,
    image,
    invoke,
    keys,
    new_run_id,
    s3,
    s3_endpoint,
)

from kedro_aws_action import records  # noqa: E402  (test_runtime put python/ on sys.path)

#: Several handler calls in one process; one JSON line per call (its response or its error, the
#: phases, and what the process keeps).
WARM_DRIVER = """\
import json
import sys

from kedro_aws_action import records, runtime
from kedro_aws_action.lambda_handler import handler

for event in json.loads(sys.argv[1]):
    try:
        outcome = {"response": handler(event, None)}
    except Exception as exc:
        outcome = {"errorType": type(exc).__name__, "errorMessage": str(exc)}
    [session] = runtime._SESSIONS.values()
    outcome["plugins"] = sorted(type(p).__name__ for p in session._hook_manager.get_plugins())
    outcome["session"] = id(session)
    outcome["phases"] = runtime.LAST_PHASES
    outcome["clients"] = len(records._CLIENTS)
    print(json.dumps(outcome), flush=True)
"""


def parquet_rows(client: Any, key: str) -> int:
    import pandas as pd

    return len(pd.read_parquet(io.BytesIO(client.get_object(Bucket=BUCKET, Key=key)["Body"].read())))


@pytest.fixture(scope="module")
def warm_run(image: Image, s3: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:  # noqa: F811 (test_runtime's fixtures)
    driver = tmp_path_factory.mktemp("warm") / "warm_driver.py"
    driver.write_text(WARM_DRIVER)
    run_a, run_b, run_c = new_run_id(), new_run_id(), new_run_id()
    params_a = {"output_prefix": "warm-a", "model_options": {"test_size": 0.5}}
    params_b = {"output_prefix": "warm-b"}
    events = [
        event_for("data_processing", run_a, runtime_params=params_a),
        event_for("data_processing", run_b, runtime_params=params_b),
        event_for("data_science", run_a, runtime_params=params_a),
        # Fails: nothing was written under this prefix. The process goes on.
        event_for("reporting", run_c, runtime_params={"output_prefix": "warm-missing"}),
        event_for("data_science", run_b, runtime_params=params_b),
        event_for("reporting", run_a, runtime_params=params_a),
    ]
    before = keys(s3, BUCKET)
    result = invoke(image, events, extra_env={records.RECORDS_ENV: STAGE_RECORDS}, driver=Path(driver))
    assert result.returncode == 0, str(result)
    outcomes = [json.loads(line) for line in result.stdout.strip().splitlines()]
    assert len(outcomes) == len(events), str(result)
    return {
        "runs": (run_a, run_b, run_c),
        "events": events,
        "outcomes": outcomes,
        "new_keys": keys(s3, BUCKET) - before,
        "result": result,
    }


def test_each_warm_invocation_answers_for_its_own_event(warm_run: dict[str, Any]) -> None:
    for event, outcome in zip(warm_run["events"], warm_run["outcomes"], strict=True):
        if event["runtime_params"]["output_prefix"] == "warm-missing":
            assert outcome["errorType"] == "DatasetError", outcome
            assert "preprocessed_shuttles" in outcome["errorMessage"]
            continue
        response = outcome["response"]
        assert (response["group"], response["run_id"]) == (event["group"], event["run_id"]), outcome
        assert response["nodes_run"] == len(GROUP_NODES[event["group"]])


def test_the_process_keeps_one_session_and_one_client_and_no_hooks_of_earlier_invocations(
    warm_run: dict[str, Any],
) -> None:
    outcomes = warm_run["outcomes"]
    # One session for the whole process, the same before and after the failure.
    assert len({o["session"] for o in outcomes}) == 1
    # The invocation's own hooks are gone once it returns, whether it failed or not: the session
    # holds the same plugins after every invocation.
    assert all(o["plugins"] == outcomes[0]["plugins"] for o in outcomes)
    assert "NodeTracker" not in outcomes[0]["plugins"] and "RecordingHooks" not in outcomes[0]["plugins"]
    assert all(o["clients"] == 1 for o in outcomes)
    # Kedro was bootstrapped once: a warm invocation starts its first node well before a cold one
    # (loose, to hold on a loaded machine: the cold one imports Kedro, pandas and the project).
    cold, *warm = [o["phases"]["before_first_node"] for o in outcomes if "response" in o]
    assert min(warm) < cold / 2, [o["phases"] for o in outcomes]


def test_each_warm_invocation_writes_under_its_own_params_and_version(warm_run: dict[str, Any], s3: Any) -> None:  # noqa: F811 (test_runtime's fixtures)
    run_a, run_b, _ = warm_run["runs"]
    new_keys = warm_run["new_keys"]
    assert {k for k in new_keys if k.startswith("warm-a/")} == expected_keys("warm-a", [run_a])
    # warm-b ran data_processing and data_science only.
    assert {k for k in new_keys if k.startswith("warm-b/")} == {
        k for k in expected_keys("warm-b", [run_b]) if "08_reporting/shuttle" not in k and "fleet" not in k
    }
    assert not {k for k in new_keys if k.startswith("warm-missing/")}
    # The parameter override of run a reached its nodes, and did not stay for run b (the default 0.25).
    table_a = parquet_rows(s3, "warm-a/03_primary/model_input_table.parquet")
    table_b = parquet_rows(s3, "warm-b/03_primary/model_input_table.parquet")
    assert parquet_rows(s3, "warm-a/05_model_input/X_test.parquet") == pytest.approx(table_a * 0.5, abs=1)
    assert parquet_rows(s3, "warm-b/05_model_input/X_test.parquet") == pytest.approx(table_b * 0.25, abs=1)


def test_each_warm_invocation_records_its_own_writes_only(warm_run: dict[str, Any], s3: Any) -> None:  # noqa: F811 (test_runtime's fixtures)
    run_a, run_b, run_c = warm_run["runs"]
    for run_id, prefix, groups in (
        (run_a, "warm-a", ("data_processing", "data_science", "reporting")),
        (run_b, "warm-b", ("data_processing", "data_science")),
    ):
        for group in groups:
            [record] = record_of(s3, run_id, group)
            assert (record["run_id"], record["group"], record["status"]) == (run_id, group, "succeeded")
            written = [o["key"] for d in record["datasets"].values() for o in d["objects"]]
            assert written and all(key.startswith(f"{prefix}/") for key in written), record
        [science] = record_of(s3, run_id, "data_science")
        [regressor] = science["datasets"]["regressor"]["objects"]
        assert regressor["key"] == f"{prefix}/06_models/regressor.pickle/{run_id}/regressor.pickle"
    [failed] = record_of(s3, run_c, "reporting")
    assert failed["status"] == "failed" and failed["datasets"] == {}
