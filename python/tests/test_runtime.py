"""Tests of the group runtime (python/kedro_aws_action/runtime.py, lambda_handler.py).

Each group runs as Lambda would run it: a fresh interpreter calls
``lambda_handler.handler(event, None)``. The "image" is emulated: the example
project's wheel is installed with ``pip install --no-deps --target <tmp>/site``,
its conf copied to ``<tmp>/task/conf`` (the working directory and
LAMBDA_TASK_ROOT), both made read-only (as root, the groups run without the
capabilities that let root write through read-only modes) and compared before
and after every run. Datasets live in moto's S3 (a server on a free
loopback port, reached through AWS_ENDPOINT_URL).

    KEDRO_DISABLE_TELEMETRY=1 .venv/bin/python -m pytest python/tests/test_runtime.py
"""

from __future__ import annotations

import io
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PYTHON_DIR = REPO / "python"
EXAMPLE = REPO / "examples" / "spaceflights"
VENV_BIN = Path(sys.executable).parent
MOTO_SERVER = VENV_BIN / "moto_server"

sys.path.insert(0, str(PYTHON_DIR))
from kedro_aws_action import lambda_handler, runtime  # noqa: E402

os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")

BUCKET = "kedro-aws-example"
PINNED_BUCKET = "kedro-aws-pinned"
REGION = "us-east-1"
PACKAGE = "spaceflights"
SETPRIV = shutil.which("setpriv")

#: Everything the example pipeline writes, relative to s3://<bucket>/<prefix>/
#: ({run_id} for the version folder of a versioned dataset).
EXPECTED_OUTPUTS = {
    "02_intermediate/preprocessed_companies.parquet",
    "02_intermediate/preprocessed_shuttles.parquet",
    "03_primary/model_input_table.parquet",
    "05_model_input/X_train.parquet",
    "05_model_input/X_test.parquet",
    "05_model_input/y_train.parquet",
    "05_model_input/y_test.parquet",
    "06_models/regressor.pickle/{run_id}/regressor.pickle",
    "08_reporting/metrics.json",
    "08_reporting/shuttle_type_summary.csv/{run_id}/shuttle_type_summary.csv",
    "08_reporting/fleet_stats.json",
}
ORDER = ("data_processing", "data_science", "reporting")
GROUP_NODES = {
    "data_processing": [
        "data_processing.preprocess_companies_node",
        "data_processing.preprocess_shuttles_node",
        "data_processing.create_model_input_table_node",
    ],
    "data_science": [
        "data_science.split_data_node",
        "data_science.train_model_node",
        "data_science.evaluate_model_node",
    ],
    "reporting": ["reporting.summarise_shuttle_types_node", "reporting.fleet_stats_node"],
}

#: What the project template ships as conf/logging.yml: a file handler. Planted
#: in the read-only task conf to show the runtime's logging config wins.
FILE_LOGGING_YML = """\
version: 1
disable_existing_loggers: False
handlers:
  info_file_handler:
    class: logging.FileHandler
    filename: info.log
    delay: False
root:
  handlers: [info_file_handler]
"""

DRIVER = '''\
"""Emulates the Lambda runtime: one event, one handler call, the response on stdout."""
import json
import os
import sys

simulate = os.environ.get("SIMULATE_NO_SEMAPHORES") == "1"
if simulate:
    # AWS Lambda has no /dev/shm: creating a POSIX semaphore fails like this.
    import errno
    import _multiprocessing

    _real = _multiprocessing.SemLock

    class _NoSemLock:
        SEM_VALUE_MAX = _real.SEM_VALUE_MAX

        def __init__(self, *args, **kwargs):
            raise OSError(errno.ENOSYS, "Function not implemented")

    _multiprocessing.SemLock = _NoSemLock
    import multiprocessing

    try:
        multiprocessing.Lock()
    except OSError:
        pass
    else:
        sys.exit("the SemLock failure simulation does not work")

from kedro_aws_action.lambda_handler import handler

event = json.loads(sys.argv[1])
try:
    response = handler(event, None)
except Exception as exc:
    print(json.dumps({"errorType": type(exc).__name__, "errorMessage": str(exc)}))
    sys.exit(1)
if simulate:
    import multiprocessing

    try:
        multiprocessing.Lock()
    except OSError:
        pass
    else:
        sys.exit("multiprocessing.Lock was left patched after the run")
print(json.dumps(response))
'''


# --------------------------------------------------------------------------- #
# Fixtures: moto S3, the emulated image
# --------------------------------------------------------------------------- #


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    if not MOTO_SERVER.exists():
        pytest.skip(f"{MOTO_SERVER} not found (install moto[server])")
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(
        [str(MOTO_SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1):
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"moto_server did not start: {log.read().decode()[-2000:]}")
                time.sleep(0.1)
        yield endpoint
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def s3(s3_endpoint: str) -> Any:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name=REGION,
    )
    for bucket in (BUCKET, PINNED_BUCKET):
        client.create_bucket(Bucket=bucket)
        for raw in sorted((EXAMPLE / "data" / "01_raw").glob("*.csv")):
            client.upload_file(str(raw), bucket, f"01_raw/{raw.name}")
    return client


def _build_wheel(source: Path, out_dir: Path) -> Path:
    attempts = (
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out_dir), str(source)],
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out_dir),
            str(source),
        ],
    )
    errors = []
    for command in attempts:
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        wheels = sorted(out_dir.glob("*.whl"))
        if proc.returncode == 0 and wheels:
            return wheels[0]
        errors.append(f"$ {' '.join(command)}\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
    pytest.fail("cannot build the example's wheel:\n" + "\n".join(errors))


def _snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        found[str(path.relative_to(root))] = (info.st_mode, info.st_size, info.st_mtime_ns)
    return found


def _set_writable(root: Path, writable: bool) -> None:
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode
        if writable:
            mode |= stat.S_IWUSR
        else:
            mode &= ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
        path.chmod(mode)


@dataclass
class Image:
    root: Path
    site: Path
    tasks: dict[str, Path]
    home: Path
    driver: Path
    endpoint: str
    snapshots: dict[str, dict[str, tuple[int, int, int]]]

    def read_only_dirs(self) -> dict[str, Path]:
        return {"site": self.site, "home": self.home, **self.tasks}


@pytest.fixture(scope="module")
def image(s3: Any, s3_endpoint: str) -> Iterator[Image]:
    root = Path(tempfile.mkdtemp(prefix="kedro-aws-runtime-"))
    try:
        source = root / "src"
        ignore = shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__")
        shutil.copytree(EXAMPLE, source, ignore=ignore)
        wheel = _build_wheel(source, root / "dist")
        site = root / "site"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--target",
                str(site),
                str(wheel),
            ],
            check=True,
        )

        task = root / "task"
        shutil.copytree(EXAMPLE / "conf", task / "conf")
        (task / "conf" / "logging.yml").write_text(FILE_LOGGING_YML)

        # Same project, one more versioned dataset that crosses groups
        # (data_processing -> reporting), in a bucket of its own.
        pinned = root / "task-pinned"
        shutil.copytree(task / "conf", pinned / "conf")
        catalog = pinned / "conf" / "aws" / "catalog.yml"
        text = catalog.read_text()
        line = "02_intermediate/preprocessed_shuttles.parquet\n"
        assert text.count(line) == 1
        catalog.write_text(text.replace(line, line + "  versioned: true\n"))
        globals_yml = pinned / "conf" / "aws" / "globals.yml"
        globals_yml.write_text(globals_yml.read_text().replace(BUCKET, PINNED_BUCKET))

        home = root / "home"
        home.mkdir()
        driver = root / "driver" / "lambda_driver.py"
        driver.parent.mkdir()
        driver.write_text(DRIVER)

        tasks = {"task": task, "task-pinned": pinned}
        for path in (site, home, *tasks.values()):
            _set_writable(path, False)
        built = Image(root, site, tasks, home, driver, s3_endpoint, {})
        built.snapshots = {name: _snapshot(path) for name, path in built.read_only_dirs().items()}
        yield built
    finally:
        _set_writable(root, True)
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------- #
# Invoking the handler as Lambda would
# --------------------------------------------------------------------------- #


@dataclass
class Invocation:
    event: dict[str, Any]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def response(self) -> dict[str, Any]:
        lines = self.stdout.strip().splitlines()
        assert lines, f"no response on stdout\n{self}"
        return json.loads(lines[-1])

    def __str__(self) -> str:
        return (
            f"event {self.event}\nrc={self.returncode}\nstdout: {self.stdout[-2000:]}\n"
            f"stderr tail:\n{self.stderr[-6000:]}"
        )


def invoke(
    image: Image,
    event: dict[str, Any],
    *,
    task: str = "task",
    simulate_no_semaphores: bool = False,
    extra_env: dict[str, str] | None = None,
    driver: Path | None = None,
) -> Invocation:
    task_dir = image.tasks[task]
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
        "KEDRO_PACKAGE_NAME": PACKAGE,
        "LAMBDA_TASK_ROOT": str(task_dir),
    }
    if simulate_no_semaphores:
        env["SIMULATE_NO_SEMAPHORES"] = "1"
    env.update(extra_env or {})
    command = [sys.executable, str(driver or image.driver), json.dumps(event)]
    if hasattr(os, "geteuid") and os.geteuid() == 0 and SETPRIV:
        # root writes through read-only modes; without these capabilities the
        # mode bits hold for root too (it owns the files, which have no w bit).
        drop = "-dac_override,-dac_read_search,-fowner"
        command = [SETPRIV, "--bounding-set", drop, "--", *command]
    started = time.monotonic()
    proc = subprocess.run(
        command,
        cwd=task_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    seconds = time.monotonic() - started
    result = Invocation(event, proc.returncode, proc.stdout, proc.stderr, seconds)
    for name, path in image.read_only_dirs().items():
        assert _snapshot(path) == image.snapshots[name], f"the run wrote into {name}\n{result}"
    assert "Logging error" not in result.stderr, str(result)
    return result


def event_for(group: str, run_id: str, prefix: str | None = None, **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "group": group,
        "type": "namespace",
        "nodes": GROUP_NODES.get(group, []),
        "env": "aws",
        "run_id": run_id,
        "runtime_params": {"output_prefix": prefix} if prefix else {},
    }
    event.update(extra)
    return event


def run_ok(image: Image, event: dict[str, Any], **kwargs: Any) -> Invocation:
    result = invoke(image, event, **kwargs)
    assert result.returncode == 0, str(result)
    assert result.response == {
        "group": event["group"],
        "type": event["type"],
        "nodes_run": len(event["nodes"]),
        "seconds": result.response["seconds"],
        "run_id": event["run_id"],
    }, str(result)
    assert isinstance(result.response["seconds"], float) and result.response["seconds"] > 0
    assert "the event lists nodes" not in result.stderr, str(result)
    # stdout carries the response only: Kedro's logging goes to stderr.
    assert len(result.stdout.strip().splitlines()) == 1, str(result)
    return result


def run_failing(image: Image, event: dict[str, Any], **kwargs: Any) -> Invocation:
    result = invoke(image, event, **kwargs)
    assert result.returncode == 1, str(result)
    return result


_last_run_id: list[str] = []


def new_run_id() -> str:
    """A run id in Kedro's version format, distinct from the previous one."""
    from kedro.io.core import generate_timestamp

    while True:
        run_id = generate_timestamp()
        if not _last_run_id or run_id > _last_run_id[-1]:
            _last_run_id.append(run_id)
            return run_id
        time.sleep(0.002)


def keys(s3: Any, bucket: str, prefix: str = "") -> set[str]:
    found: set[str] = set()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        found.update(obj["Key"] for obj in page.get("Contents", []))
    return found


def expected_keys(prefix: str, run_ids: list[str]) -> set[str]:
    found = set()
    for pattern in EXPECTED_OUTPUTS:
        for run_id in run_ids:
            found.add(f"{prefix}/{pattern.format(run_id=run_id)}")
    return found


def read_json(s3: Any, bucket: str, key: str) -> Any:
    return json.loads(s3.get_object(Bucket=bucket, Key=key)["Body"].read())


def read_parquet_rows(s3: Any, bucket: str, key: str) -> int:
    import pandas as pd

    return len(pd.read_parquet(io.BytesIO(s3.get_object(Bucket=bucket, Key=key)["Body"].read())))


# --------------------------------------------------------------------------- #
# Whole runs, group by group
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def pr9_run(image: Image, s3: Any) -> dict[str, Any]:
    """Run 1: the three groups in dependency order, one run_id, output_prefix=pr-9."""
    before = keys(s3, BUCKET)
    run_id = new_run_id()
    results = {g: run_ok(image, event_for(g, run_id, "pr-9")) for g in ORDER}
    return {"run_id": run_id, "results": results, "new_keys": keys(s3, BUCKET) - before}


def test_groups_in_dependency_order_write_one_version_folder(pr9_run: dict[str, Any]) -> None:
    run_id = pr9_run["run_id"]
    # Every output landed, under pr-9/ only (output_prefix moved them all), and
    # the versioned ones in the one folder named after the run_id.
    assert pr9_run["new_keys"] == expected_keys("pr-9", [run_id])
    versioned = {k for k in pr9_run["new_keys"] if f"/{run_id}/" in k}
    assert versioned == {
        f"pr-9/06_models/regressor.pickle/{run_id}/regressor.pickle",
        f"pr-9/08_reporting/shuttle_type_summary.csv/{run_id}/shuttle_type_summary.csv",
    }
    for group, result in pr9_run["results"].items():
        assert result.response["group"] == group
        # Kedro logged with the runtime's stderr-only config, not conf/logging.yml
        assert "kedro_aws_action/logging.yml' as logging configuration" in result.stderr
        assert f"Run ID: {run_id}" in result.stderr
        assert "POSIX semaphores are unavailable" not in result.stderr


def test_second_run_gets_a_second_version_folder_and_reads_its_own_versions(
    image: Image, s3: Any, pr9_run: dict[str, Any]
) -> None:
    first = pr9_run["run_id"]
    second = new_run_id()
    results = {g: run_ok(image, event_for(g, second, "pr-9")) for g in ORDER}
    assert keys(s3, BUCKET, "pr-9/") == expected_keys("pr-9", [first, second])
    for dataset in ("06_models/regressor.pickle", "08_reporting/shuttle_type_summary.csv"):
        folders = {k.split("/")[3] for k in keys(s3, BUCKET, f"pr-9/{dataset}/")}
        assert folders == {first, second}
    # evaluate_model_node reads the regressor this run trained, not "the latest"
    assert f"loading versioned dataset(s) ['regressor'] at version {second}" in results["data_science"].stderr


def test_downstream_group_loads_the_version_of_its_own_run(image: Image, s3: Any) -> None:
    """A versioned dataset crossing groups is read at this run's version, not the newest.

    Two executions overlap (or one is redriven later): the one with the LATER
    run_id runs data_processing first, then the raw data changes, then the one
    with the EARLIER run_id runs data_processing and reporting. Kedro alone
    loads the newest version (the later run's); the runtime pins load_versions
    to the run's own run_id.
    """
    late, early = "2030-01-02T00.00.00.000Z", "2030-01-01T00.00.00.000Z"
    prefix = "pinned"
    run_ok(image, event_for("data_processing", late, prefix), task="task-pinned")

    raw = (EXAMPLE / "data" / "01_raw" / "shuttles.csv").read_text().splitlines(keepends=True)
    fewer = raw[: 1 + (len(raw) - 1) // 2]
    s3.put_object(Bucket=PINNED_BUCKET, Key="01_raw/shuttles.csv", Body="".join(fewer).encode())
    try:
        run_ok(image, event_for("data_processing", early, prefix), task="task-pinned")
        base = f"{prefix}/02_intermediate/preprocessed_shuttles.parquet"
        rows = {
            run_id: read_parquet_rows(s3, PINNED_BUCKET, f"{base}/{run_id}/preprocessed_shuttles.parquet")
            for run_id in (late, early)
        }
        assert rows[early] < rows[late]
        assert max(k.split("/")[3] for k in keys(s3, PINNED_BUCKET, f"{base}/")) == late

        reporting = run_ok(image, event_for("reporting", early, prefix), task="task-pinned")
        assert f"loading versioned dataset(s) ['preprocessed_shuttles'] at version {early}" in reporting.stderr
        stats = read_json(s3, PINNED_BUCKET, f"{prefix}/08_reporting/fleet_stats.json")
        assert stats["shuttles"] == rows[early]

        run_ok(image, event_for("reporting", late, prefix), task="task-pinned")
        stats = read_json(s3, PINNED_BUCKET, f"{prefix}/08_reporting/fleet_stats.json")
        assert stats["shuttles"] == rows[late]
    finally:
        original = EXAMPLE / "data" / "01_raw" / "shuttles.csv"
        s3.upload_file(str(original), PINNED_BUCKET, "01_raw/shuttles.csv")


def test_retry_with_the_same_run_id_succeeds(image: Image, s3: Any) -> None:
    run_id = new_run_id()
    prefix = "retry"
    run_ok(image, event_for("data_processing", run_id, prefix))
    for group, path in (
        ("data_science", "06_models/regressor.pickle"),
        ("reporting", "08_reporting/shuttle_type_summary.csv"),
    ):
        key = f"{prefix}/{path}/{run_id}/{path.split('/')[1]}"
        run_ok(image, event_for(group, run_id, prefix))
        first = s3.head_object(Bucket=BUCKET, Key=key)
        retry = run_ok(image, event_for(group, run_id, prefix))
        assert "removed version" in retry.stderr and "left by an earlier attempt" in retry.stderr
        assert keys(s3, BUCKET, f"{prefix}/{path}/") == {key}
        again = s3.head_object(Bucket=BUCKET, Key=key)
        assert again["LastModified"] >= first["LastModified"]
    assert keys(s3, BUCKET, f"{prefix}/") == expected_keys(prefix, [run_id])


def test_runs_where_semaphores_are_unavailable(image: Image, s3: Any) -> None:
    """Lambda has no /dev/shm: creating a multiprocessing lock raises OSError 38.

    Also: no runtime params, so the default output_prefix (main) applies.
    """
    run_id = new_run_id()
    before = keys(s3, BUCKET)
    result = run_ok(
        image,
        event_for("data_processing", run_id, None),
        simulate_no_semaphores=True,
    )
    assert "POSIX semaphores are unavailable" in result.stderr
    assert keys(s3, BUCKET) - before <= {
        "main/02_intermediate/preprocessed_companies.parquet",
        "main/02_intermediate/preprocessed_shuttles.parquet",
        "main/03_primary/model_input_table.parquet",
    }
    assert {
        "main/02_intermediate/preprocessed_companies.parquet",
        "main/03_primary/model_input_table.parquet",
    } <= keys(s3, BUCKET, "main/")


def test_a_nodes_group_runs_its_nodes(image: Image, s3: Any, pr9_run: dict[str, Any]) -> None:
    run_id = new_run_id()
    event = event_for(
        "reporting.fleet_stats_node",
        run_id,
        "pr-9",
        type="nodes",
        nodes=["reporting.fleet_stats_node"],
    )
    result = run_ok(image, event)
    assert result.response["nodes_run"] == 1
    assert "Running node: fleet_stats_node" in result.stderr
    assert "summarise_shuttle_types" not in result.stderr


# --------------------------------------------------------------------------- #
# Failures
# --------------------------------------------------------------------------- #


def test_unknown_node_fails_naming_the_group(image: Image) -> None:
    event = event_for("my_group", new_run_id(), "fail", type="nodes", nodes=["fleet_stats_node"])
    result = run_failing(image, event)
    assert result.response["errorType"] == "ValueError"
    message = result.response["errorMessage"]
    assert "Group 'my_group'" in message and "'fleet_stats_node'" in message
    assert "did you mean 'reporting.fleet_stats_node'" in message
    assert "ERROR kedro_aws_action.runtime: group 'my_group' (nodes" in result.stderr
    assert "failed before running any node" in result.stderr


def test_unknown_namespace_fails_naming_the_group(image: Image) -> None:
    result = run_failing(image, event_for("no_such_namespace", new_run_id(), "fail"))
    assert result.response["errorType"] == "ValueError"
    assert "Group 'no_such_namespace' (namespace)" in result.response["errorMessage"]


def test_missing_input_fails_naming_the_group_and_the_node(image: Image, s3: Any) -> None:
    run_id = new_run_id()
    result = run_failing(image, event_for("reporting", run_id, "nothing-here"))
    # The exception itself reaches Step Functions unchanged...
    assert result.response["errorType"] == "DatasetError"
    assert "preprocessed_shuttles" in result.response["errorMessage"]
    # ...after one log line naming the group and the node.
    failure = [line for line in result.stderr.splitlines() if "ERROR kedro_aws_action.runtime" in line]
    assert len(failure) == 1, str(result)
    assert f"group 'reporting' (namespace, run_id {run_id}) failed in node 'reporting." in failure[0]
    assert "while loading 'preprocessed_shuttles': DatasetError:" in failure[0]
    assert not keys(s3, BUCKET, "nothing-here/")


def test_bad_event_fails_naming_the_missing_key(image: Image) -> None:
    event = event_for("reporting", "unused")
    del event["run_id"]
    result = run_failing(image, event)
    assert result.response["errorType"] == "ValueError"
    assert "The event has no 'run_id' key" in result.response["errorMessage"]


def test_missing_package_name_fails_naming_the_variable(image: Image) -> None:
    event = event_for("reporting", new_run_id())
    result = run_failing(image, event, extra_env={"KEDRO_PACKAGE_NAME": ""})
    assert result.response["errorType"] == "ValueError"
    assert "KEDRO_PACKAGE_NAME" in result.response["errorMessage"]


# --------------------------------------------------------------------------- #
# Units (in this process, no S3)
# --------------------------------------------------------------------------- #


# The supported range is common.SUPPORTED_KEDRO (>=1.5,<2): Kedro 1.4 has KedroServiceSession.run(run_id=...)
# but not pipelines.set_requested, which the runtime and the exporter call.
@pytest.mark.parametrize("version", ["1.5.0", "1.5.0rc1", "1.7.0", "1.10.2"])
def test_kedro_version_check_accepts(version: str) -> None:
    runtime.check_kedro_version(version)


@pytest.mark.parametrize("version", ["1.4.0", "1.4.0rc1", "1.3.2", "1.0.0", "0.19.14", "2.0.0", "2.0.0rc1"])
def test_kedro_version_check_names_the_installed_version(version: str) -> None:
    with pytest.raises(runtime.KedroVersionError) as caught:
        runtime.check_kedro_version(version)
    message = str(caught.value)
    assert f"Kedro {version}" in message and "Kedro >= 1.5, < 2" in message
    assert "run_id" in message
    assert "kedro>=1.5,<2" in message  # the fix: the requirement to put in the project's dependencies


def test_kedro_version_check_refuses_an_unreadable_version() -> None:
    with pytest.raises(runtime.KedroVersionError, match="Cannot read the version"):
        runtime.check_kedro_version("unknown")


def test_installed_kedro_passes_the_check() -> None:
    runtime._import_kedro()


@pytest.mark.parametrize(
    ("missing", "expected"),
    [("group", "'group'"), ("type", "'type'"), ("env", "'env'"), ("run_id", "'run_id'")],
)
def test_parse_event_names_the_missing_key(missing: str, expected: str) -> None:
    event = event_for("reporting", "2026-01-01T00.00.00.000Z")
    del event[missing]
    with pytest.raises(ValueError, match=f"The event has no {expected} key"):
        lambda_handler.parse_event(event)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"type": "pipeline"}, "must be one of"),
        ({"type": "nodes", "nodes": []}, "no 'nodes' key for group 'reporting'"),
        ({"nodes": "a_node"}, "must be a list of node names"),
        ({"runtime_params": ["a=b"]}, "'runtime_params' for group 'reporting' must be an object"),
        ({"env": ""}, "'env' for group 'reporting' must be a non-empty string"),
    ],
)
def test_parse_event_refuses_malformed_values(change: dict[str, Any], expected: str) -> None:
    event = {**event_for("reporting", "2026-01-01T00.00.00.000Z"), **change}
    with pytest.raises(ValueError, match=expected):
        lambda_handler.parse_event(event)


def test_parse_event_refuses_a_non_object() -> None:
    with pytest.raises(ValueError, match="must be a JSON object"):
        lambda_handler.parse_event('{"group": "x"}')


def test_parse_event_defaults() -> None:
    parsed = lambda_handler.parse_event(
        {"group": "g", "type": "namespace", "env": "aws", "run_id": "2026-01-01T00.00.00.000Z"}
    )
    assert parsed == {
        "group": "g",
        "group_type": "namespace",
        "nodes": None,
        "env": "aws",
        "run_id": "2026-01-01T00.00.00.000Z",
        "runtime_params": {},
        "pipeline_name": "__default__",
    }


def test_settings_from_environment() -> None:
    with pytest.raises(ValueError, match="KEDRO_PACKAGE_NAME is not set"):
        lambda_handler.settings_from_environment({})
    assert lambda_handler.settings_from_environment({"KEDRO_PACKAGE_NAME": "p", "LAMBDA_TASK_ROOT": "/var/task"}) == {
        "package_name": "p",
        "conf_source": "/var/task/conf",
        "project_path": "/var/task",
    }
    assert (
        lambda_handler.settings_from_environment(
            {
                "KEDRO_PACKAGE_NAME": "p",
                "LAMBDA_TASK_ROOT": "/var/task",
                "KEDRO_CONF_SOURCE": "/opt/conf.tar.gz",
            }
        )["conf_source"]
        == "/opt/conf.tar.gz"
    )


@pytest.mark.parametrize("run_id", ["", " ", "a/b", "..", None, 5, " 2026-01-01T00.00.00.000Z"])
def test_run_id_must_name_one_version_folder(run_id: Any) -> None:
    with pytest.raises(ValueError, match="run_id"):
        runtime.validate_run_id(run_id)


def test_run_id_outside_kedros_format_is_accepted_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert runtime.validate_run_id("2026-01-01T00.00.00.000Z") == "2026-01-01T00.00.00.000Z"
    assert not caplog.records
    assert runtime.validate_run_id("exec-42") == "exec-42"
    assert "not in Kedro's version format" in caplog.text


class _NoSemLock:
    SEM_VALUE_MAX = 2**31 - 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise OSError(38, "Function not implemented")


def test_lock_fallback_only_where_semaphores_fail_and_only_inside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import _multiprocessing
    import multiprocessing

    original = multiprocessing.Lock
    monkeypatch.setattr(runtime, "_SEMAPHORES", None)
    with runtime.process_locks_fallback() as active:
        assert active is False
        assert multiprocessing.Lock is original  # semaphores work here: untouched

    monkeypatch.setattr(_multiprocessing, "SemLock", _NoSemLock)
    monkeypatch.setattr(runtime, "_SEMAPHORES", None)
    with pytest.raises(OSError):
        multiprocessing.Lock()
    assert runtime.semaphores_available() is False
    with runtime.process_locks_fallback() as active:
        assert active is True
        lock = multiprocessing.Lock()
        with lock:
            assert lock.acquire(False) is False
        assert lock.acquire(timeout=0.01) is True
        lock.release()
        rlock = multiprocessing.RLock()
        with rlock, rlock:
            pass
        with pytest.raises(OSError):  # only the two module-level factories
            multiprocessing.Semaphore()
    assert multiprocessing.Lock is original
    with pytest.raises(OSError):
        multiprocessing.Lock()


def test_lock_fallback_restores_on_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    original = multiprocessing.RLock
    monkeypatch.setattr(runtime, "_SEMAPHORES", False)
    with pytest.raises(RuntimeError, match="boom"), runtime.process_locks_fallback():
        raise RuntimeError("boom")
    assert multiprocessing.RLock is original


def test_kedro_refuses_to_save_an_existing_version(tmp_path: Path) -> None:
    """The Kedro behaviour the retry handling exists for (kedro/io/core.py,
    AbstractVersionedDataset._get_save_path): a second save at the same save
    version raises DatasetError, "... must not exist if versioning is enabled."
    """
    from kedro.io import Version
    from kedro.io.core import DatasetError
    from kedro_datasets.pickle import PickleDataset

    run_id = "2026-01-01T00.00.00.000Z"
    dataset = PickleDataset(filepath=str(tmp_path / "model.pickle"), version=Version(None, run_id))
    dataset.save({"a": 1})
    assert (tmp_path / "model.pickle" / run_id / "model.pickle").exists()
    again = PickleDataset(filepath=str(tmp_path / "model.pickle"), version=Version(None, run_id))
    with pytest.raises(DatasetError, match="must not exist if versioning is enabled"):
        again.save({"a": 2})


def test_one_line_shows_causes_without_repeating_them() -> None:
    try:
        try:
            raise FileNotFoundError("bucket/key.parquet")
        except FileNotFoundError as inner:
            raise ValueError("Failed while loading bucket/key.parquet\nmore") from inner
    except ValueError as exc:
        assert runtime._one_line(exc) == (
            "ValueError: Failed while loading bucket/key.parquet more <- FileNotFoundError"
        )


def test_logging_config_writes_to_stderr_only() -> None:
    text = runtime.LOGGING_CONFIG.read_text()
    assert "ext://sys.stderr" in text
    assert "filename" not in text and "FileHandler" not in text


def test_pinned_load_versions_selects_versioned_inputs_the_pipeline_produces(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from kedro.io import DataCatalog
    from kedro.io.core import DatasetNotFoundError
    from kedro.pipeline import Pipeline, node

    def versioned(path: str) -> dict[str, Any]:
        return {"type": "pickle.PickleDataset", "filepath": path, "versioned": True}

    config = {
        "raw": versioned("raw.pkl"),  # read, never produced: Kedro's newest rule
        "mid": versioned("mid.pkl"),  # crosses from 'up' to 'down': pinned
        "plain": {"type": "pickle.PickleDataset", "filepath": "plain.pkl"},
        "tab@a": versioned("tab.pkl"),  # transcoded: produced as tab@a, read as tab@b
        "tab@b": versioned("tab.pkl"),
        "{name}_model": versioned("{name}.pkl"),  # a pattern: pinned
        "{anything}": versioned("{anything}.pkl"),  # catch-all: cannot be pinned
    }
    catalog = DataCatalog.from_config(config, save_version="2026-01-01T00.00.00.000Z")
    made = ["mid", "plain", "tab@a", "x_model", "loose"]
    used = ["raw", "mid", "plain", "tab@b", "x_model", "loose", "params:p"]
    pipeline = Pipeline(
        [
            node(lambda raw: (raw,) * 5, "raw", made, name="make", namespace="up"),
            node(lambda *args: 1, used, "out", name="use", namespace="down"),
        ]
    )
    selected = pipeline.filter(node_namespaces=["down"])
    run_id = "2026-01-01T00.00.00.000Z"
    pinned = runtime.pinned_load_versions(catalog, pipeline, selected, run_id)
    assert pinned == {"mid": run_id, "tab@b": run_id, "x_model": run_id}
    assert "'loose' is versioned through a catch-all dataset pattern" in caplog.text
    # Kedro accepts these keys, and would refuse the catch-all one.
    DataCatalog.from_config(config, load_versions=pinned)
    with pytest.raises(DatasetNotFoundError):
        DataCatalog.from_config(config, load_versions={**pinned, "loose": run_id})
    # The producing group reads raw data only: nothing to pin.
    assert runtime.pinned_load_versions(catalog, pipeline, pipeline.filter(node_namespaces=["up"]), run_id) == {}
