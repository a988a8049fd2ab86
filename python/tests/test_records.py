"""Run records (kedro_aws_action/records.py): what a group wrote, recorded right after each save.

The groups run as in test_runtime.py (the example's wheel in an emulated image, data in moto's S3), with
KEDRO_AWS_RUN_RECORDS set as deploy sets it; the records are read back from moto.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

# The emulated image, moto's S3 and the example's expectations are shared with the Lambda runtime tests.
from test_runtime import (  # noqa: F401  (image, s3, s3_endpoint are fixtures)
    BUCKET,
    Image,
    event_for,
    image,
    invoke,
    keys,
    new_run_id,
    run_ok,
    s3,
    s3_endpoint,
)

from kedro_aws_action import records  # noqa: E402  (test_runtime put python/ on sys.path)

STAGE_RECORDS = f"s3://{BUCKET}/.kedro-aws/spaceflights/rec/"


def record_of(s3: Any, run_id: str, group: str) -> list[dict[str, Any]]:
    prefix = f".kedro-aws/spaceflights/rec/runs/{run_id}/{group}/"
    return [json.loads(s3.get_object(Bucket=BUCKET, Key=k)["Body"].read()) for k in sorted(keys(s3, BUCKET, prefix))]


def test_a_group_records_every_object_it_saved_with_its_etag(image: Image, s3: Any) -> None:
    run_id = new_run_id()
    run_ok(image, event_for("data_processing", run_id, "rec"), extra_env={records.RECORDS_ENV: STAGE_RECORDS})
    [record] = record_of(s3, run_id, "data_processing")
    assert record["kind"] == "kedro-aws-run-record" and record["version"] == 1
    assert (record["project"], record["stage"], record["run_id"], record["group"]) == (
        "spaceflights",
        "rec",
        run_id,
        "data_processing",
    )
    assert record["status"] == "succeeded"
    assert sorted(record["datasets"]) == ["model_input_table", "preprocessed_companies", "preprocessed_shuttles"]
    for dataset in record["datasets"].values():
        [written] = dataset["objects"]
        head = s3.head_object(Bucket=written["bucket"], Key=written["key"])
        assert written["etag"] == head["ETag"]
        assert written["size"] == head["ContentLength"] > 0
        assert written["key"].startswith("rec/")


def test_a_versioned_output_is_recorded_at_this_runs_version(image: Image, s3: Any) -> None:
    run_id = new_run_id()
    env = {records.RECORDS_ENV: STAGE_RECORDS}
    run_ok(image, event_for("data_processing", run_id, "rec"), extra_env=env)
    run_ok(image, event_for("data_science", run_id, "rec"), extra_env=env)
    [record] = record_of(s3, run_id, "data_science")
    [regressor] = record["datasets"]["regressor"]["objects"]
    assert regressor["key"] == f"rec/06_models/regressor.pickle/{run_id}/regressor.pickle"


def test_each_attempt_writes_a_record_of_its_own(image: Image, s3: Any) -> None:
    run_id = new_run_id()
    env = {records.RECORDS_ENV: STAGE_RECORDS}
    event = event_for("data_processing", run_id, "rec")
    run_ok(image, event, extra_env=env)
    run_ok(image, event, extra_env=env)  # a retry of the group with the same run id
    attempts = record_of(s3, run_id, "data_processing")
    assert len(attempts) == 2
    assert attempts[0]["attempt"] != attempts[1]["attempt"]


def test_a_failing_group_still_records_what_it_wrote_and_fails_with_its_own_error(image: Image, s3: Any) -> None:
    run_id = new_run_id()
    # reporting reads data_processing's output of this run, which does not exist under this prefix.
    result = invoke(
        image, event_for("reporting", run_id, "rec-missing"), extra_env={records.RECORDS_ENV: STAGE_RECORDS}
    )
    assert result.returncode == 1
    assert "run record" not in result.response.get("errorMessage", "")
    [record] = record_of(s3, run_id, "reporting")
    assert record["status"] == "failed"
    assert record["datasets"] == {}


def test_a_record_that_cannot_be_written_fails_a_group_that_succeeded(image: Image) -> None:
    run_id = new_run_id()
    result = invoke(
        image,
        event_for("data_processing", run_id, "rec"),
        extra_env={records.RECORDS_ENV: "s3://no-such-records-bucket/.kedro-aws/spaceflights/rec/"},
    )
    assert result.returncode == 1, str(result)
    assert "could not write its run record under s3://no-such-records-bucket" in result.stderr


def test_records_are_never_overwritten(s3: Any, s3_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    objects = records.S3Objects(records.s3_client())
    key = ".kedro-aws/spaceflights/rec/runs/x/g/a.json"
    assert objects.put_if_absent(BUCKET, key, b"{}") is True
    assert objects.put_if_absent(BUCKET, key, b'{"again": true}') is False
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == b"{}"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("s3://b/.kedro-aws/p/s/", ("b", ".kedro-aws/p/s/", "p", "s")),
        ("s3://b/team/runs/p/s", ("b", "team/runs/p/s/", "p", "s")),
        ("s3://b/p/s/", ("b", "p/s/", "p", "s")),
    ],
)
def test_the_location_names_the_project_and_the_stage(url: str, expected: tuple[str, ...]) -> None:
    assert records.parse_location(url) == expected


@pytest.mark.parametrize("url", ["file:///tmp/x/p/s/", "s3://b/", "s3://b/only-one/", "s3:///p/s/"])
def test_a_bad_location_names_the_variable(url: str) -> None:
    with pytest.raises(ValueError, match=records.RECORDS_ENV):
        records.parse_location(url)
