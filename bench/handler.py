"""Handler overhead: cold start and warm invocations of a group process, against a bare ``kedro run``.

The example project (examples/spaceflights) is laid out as the image has it: its wheel installed into
``site/`` (``pip install --no-deps --target``), ``conf/base`` and ``conf/aws`` in ``task/conf`` (the
task root: no ``conf/local``, no credentials), the action's ``python/`` beside it. Group processes
start as the local executor starts them (src/targets/local/lambda.ts: the same environment variables,
the task root as working directory) and call ``kedro_aws_action.lambda_handler.handler`` as Lambda's
runtime does, several times in one process (a warm container). Datasets and run records live in a
moto S3 server on a free loopback port.

Each round measures, in this order, so that load on the machine hits all of them alike:

* ``bare``: ``python -m kedro run --env aws --nodes <node>`` in the project's source folder, the same
  node against the same S3: the time Kedro itself takes to run one node, process start to exit. Every
  other figure is also given as a ratio to its median.
* ``cold``: a new group process; ``ready`` is process start to the handler module imported;
  ``to first node`` is process start to the first node starting in the first invocation (imports,
  Kedro bootstrap, session, catalog: everything a cold container pays before work); ``exit`` is
  process start to exit, with one invocation (what the local executor pays for a one-node group).
* ``warm``: further invocations in that process, each with its own run id and runtime params:
  ``before`` (invoke to the first node starting), ``after`` (the last node's last save to return).

The breakdown comes from ``runtime.LAST_PHASES`` (``runtime.PhaseClock``): the phases' durations,
median over the rounds. ``records`` is time spent in the S3 calls of the run records, also inside
other phases (the client is made in ``session``, a HEAD per save falls in the nodes' time).

    .venv/bin/python bench/handler.py                 # 7 rounds, 5 warm invocations each
    .venv/bin/python bench/handler.py --rounds 3 --warm 3 --node data_science.split_data_node

Needs the repository's .venv (Kedro, kedro-datasets, moto[server], build); the wheel is built once
with ``python -m build`` and kept in ``--work`` (default: a folder under the system's temp folder).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "spaceflights"
PYTHON_DIR = REPO / "python"
PACKAGE = "spaceflights"
BUCKET = "kedro-aws-example"
RECORDS_BUCKET = "kedro-aws-bench-records"
REGION = "us-east-1"
ENV = "aws"

#: The group process: imports the handler, then invokes it once per event; one JSON line per step.
DRIVER = r"""
import json, sys, time
spawned = float(sys.argv[2])
out = open(sys.argv[3], "w", encoding="utf-8")
def emit(**kw):
    out.write(json.dumps(kw) + "\n"); out.flush()
from kedro_aws_action.lambda_handler import handler
emit(step="ready", at=time.time() - spawned)
from kedro_aws_action import runtime
for event in json.loads(sys.argv[1]):
    invoked = time.time()
    result = handler(event, None)
    emit(step="invocation", invoked=invoked - spawned, seconds=time.time() - invoked,
         phases=dict(runtime.LAST_PHASES), result=result)
"""

#: Phases of runtime.PhaseClock, in order, with the label the table gives them.
PHASES = [
    ("bootstrap", "imports, Kedro bootstrap, pipelines"),
    ("inspection", "action's catalog inspection"),
    ("session", "session, hooks, records client"),
    ("context", "config loader, context"),
    ("catalog", "catalog (Kedro's)"),
    ("pipeline_hooks", "before_pipeline_run hooks"),
    ("first_node_start", "runner start (dataset classes)"),
    ("last_node_end", "nodes (work, not overhead)"),
    ("pipeline_end", "after_pipeline_run hooks"),
    ("record", "run record written"),
    ("returned", "return"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted((EXAMPLE / "src").rglob("*.py")) + [EXAMPLE / "pyproject.toml"]:
        digest.update(str(path.relative_to(EXAMPLE)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build_image(work: Path) -> tuple[Path, Path, Path]:
    """(site, task root, project source copy); the wheel is rebuilt only when the example changed."""
    source = work / "project"
    site = work / "site"
    marker = work / "image.sha"
    digest = source_digest()
    if not (marker.exists() and marker.read_text() == digest and site.exists()):
        shutil.rmtree(source, ignore_errors=True)
        shutil.rmtree(site, ignore_errors=True)
        ignore = shutil.ignore_patterns("build", "dist", "*.egg-info", "__pycache__", "data")
        shutil.copytree(EXAMPLE, source, ignore=ignore)
        dist = work / "dist"
        shutil.rmtree(dist, ignore_errors=True)
        subprocess.run(
            [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(source)],
            check=True,
            capture_output=True,
        )
        wheel = next(dist.glob("*.whl"))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--no-deps",
                "--no-compile",
                "--target",
                str(site),
                str(wheel),
            ],
            check=True,
        )
        marker.write_text(digest)
    task = work / "task"
    shutil.rmtree(task, ignore_errors=True)
    for env in ("base", ENV):
        shutil.copytree(EXAMPLE / "conf" / env, task / "conf" / env, ignore=shutil.ignore_patterns("credentials*"))
    return site, task, source


class Moto:
    def __init__(self) -> None:
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        server = Path(sys.executable).parent / "moto_server"
        self.proc = subprocess.Popen(
            [str(server), "-H", "127.0.0.1", "-p", str(self.port)], stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):
                    break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("moto_server did not start") from None
                time.sleep(0.1)
        import boto3

        s3 = boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        for bucket in (BUCKET, RECORDS_BUCKET):
            s3.create_bucket(Bucket=bucket)
        for raw in sorted((EXAMPLE / "data" / "01_raw").glob("*.csv")):
            s3.upload_file(str(raw), BUCKET, f"01_raw/{raw.name}")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def aws_env(endpoint: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "KEDRO_DISABLE_TELEMETRY": "1",
        "TZ": "UTC",
    }


def group_env(endpoint: str, site: Path, task: Path, tmp: Path) -> dict[str, str]:
    """What src/targets/local/lambda.ts (invocationEnv) gives a group process."""
    return {
        **aws_env(endpoint),
        "PYTHONPATH": os.pathsep.join([str(site), str(PYTHON_DIR)]),
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        "KEDRO_PACKAGE_NAME": PACKAGE,
        "KEDRO_CONF_SOURCE": str(task / "conf"),
        "KEDRO_ENV": ENV,
        "LAMBDA_TASK_ROOT": str(task),
        "AWS_LAMBDA_FUNCTION_NAME": "bench-group",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "TMPDIR": str(tmp),
        "KEDRO_AWS_RUN_RECORDS": f"s3://{RECORDS_BUCKET}/bench/{PACKAGE}/dev/",
    }


def run_id(n: int) -> str:
    stamp = time.strftime("%Y-%m-%dT%H.%M.%S", time.gmtime())
    return f"{stamp}.{n % 1000:03d}Z"


def bare_run(source: Path, endpoint: str, node: str, n: int) -> float:
    env = aws_env(endpoint)
    started = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "kedro", "run", "--env", ENV, "--nodes", node, "--params", f"output_prefix=bare-{n}"],
        cwd=source,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.time() - started
    if proc.returncode != 0:
        raise SystemExit(f"bare kedro run failed:\n{proc.stderr[-3000:]}")
    return seconds


def group_process(env: dict[str, str], task: Path, events: list[dict[str, Any]], out: Path) -> tuple[float, list[dict]]:
    spawned = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(events), repr(spawned), str(out)],
        cwd=task,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    exited = time.time() - spawned
    if proc.returncode != 0:
        raise SystemExit(f"group process failed:\n{proc.stderr[-3000:]}")
    return exited, [json.loads(line) for line in out.read_text().splitlines()]


def durations(marks: dict[str, float]) -> dict[str, float]:
    found, previous = {}, 0.0
    for name, _ in PHASES:
        if name in marks:
            found[name] = marks[name] - previous
            previous = marks[name]
    return found


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="cold processes (and bare runs); default 7")
    parser.add_argument("--warm", type=int, default=5, help="warm invocations per process; default 5")
    parser.add_argument(
        "--node",
        default="data_processing.preprocess_companies_node",
        help="the one node each invocation runs (a 'nodes' group)",
    )
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "kedro-aws-handler-bench"))
    parser.add_argument("--json", help="also write the raw measurements here")
    args = parser.parse_args()

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    site, task, source = build_image(work)
    moto = Moto()
    n = 0
    bare, ready, to_first, exits, cold_before, cold_after = [], [], [], [], [], []
    warm_before, warm_after, warm_total = [], [], []
    cold_phases: list[dict[str, float]] = []
    warm_phases: list[dict[str, float]] = []
    cold_records, warm_records = [], []
    try:
        group = args.node
        for r in range(args.rounds):
            bare.append(bare_run(source, moto.endpoint, args.node, r))
            events = []
            for i in range(1 + args.warm):
                n += 1
                events.append(
                    {
                        "group": group,
                        "type": "nodes",
                        "nodes": [args.node],
                        "env": ENV,
                        "run_id": run_id(n),
                        "runtime_params": {"output_prefix": f"bench-{r}-{i}"},
                    }
                )
            tmp = work / "tmp"
            tmp.mkdir(exist_ok=True)
            exited, lines = group_process(group_env(moto.endpoint, site, task, tmp), task, events, work / "out.jsonl")
            first, *rest = [line for line in lines if line["step"] == "invocation"]
            ready.append(lines[0]["at"])
            to_first.append(first["invoked"] + first["phases"]["before_first_node"])
            cold_before.append(first["phases"]["before_first_node"])
            cold_after.append(first["phases"]["after_last_node"])
            cold_phases.append(durations(first["phases"]["marks"]))
            cold_records.append(first["phases"]["spent"].get("records", 0.0))
            for inv in rest:
                warm_before.append(inv["phases"]["before_first_node"])
                warm_after.append(inv["phases"]["after_last_node"])
                warm_total.append(inv["phases"]["before_first_node"] + inv["phases"]["after_last_node"])
                warm_phases.append(durations(inv["phases"]["marks"]))
                warm_records.append(inv["phases"]["spent"].get("records", 0.0))
            # exit: a process with one invocation, as the local executor starts one per group
            exits.append(
                group_process(group_env(moto.endpoint, site, task, tmp), task, events[:1], work / "out1.jsonl")[0]
            )
            print(
                f"round {r + 1}/{args.rounds}: bare {bare[-1]:.2f} s, cold to first node {to_first[-1]:.2f} s, "
                f"warm overhead {med(warm_total[-args.warm :]):.3f} s",
                file=sys.stderr,
            )
    finally:
        moto.stop()

    base = med(bare)

    def row(label: str, values: list[float]) -> str:
        m = med(values)
        return f"  {label:<44} {m:8.3f} s  {m / base:6.3f}x   (min {min(values):.3f}, max {max(values):.3f})"

    print(
        f"Handler bench: node {args.node}, {args.rounds} rounds, {args.warm} warm invocations each "
        f"(medians; ratio to the bare kedro run)"
    )
    print(f"  load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(row("bare `kedro run` of the node (process)", bare))
    print(row("cold: process start -> handler ready", ready))
    print(row("cold: process start -> first node starts", to_first))
    print(row("cold: invoke -> first node starts", cold_before))
    print(row("cold: last node ends -> return", cold_after))
    print(row("cold: one-invocation process, start -> exit", exits))
    print(row("warm: invoke -> first node starts", warm_before))
    print(row("warm: last node ends -> return", warm_after))
    print(row("warm: overhead (before + after)", warm_total))
    print("  breakdown (median seconds per phase)          cold      warm")
    for name, label in PHASES:
        c = [p[name] for p in cold_phases if name in p]
        w = [p[name] for p in warm_phases if name in p]
        if c or w:
            print(f"    {label:<42} {med(c):7.3f}   {med(w):7.3f}")
    print(f"    {'records S3 calls (within the phases above)':<42} {med(cold_records):7.3f}   {med(warm_records):7.3f}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "bare": bare,
                    "ready": ready,
                    "to_first": to_first,
                    "exits": exits,
                    "cold_before": cold_before,
                    "cold_after": cold_after,
                    "warm_before": warm_before,
                    "warm_after": warm_after,
                    "cold_phases": cold_phases,
                    "warm_phases": warm_phases,
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
