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
  process start to exit of a process run as the local executor runs it (its own script, from
  src/targets/local/lambda.ts, one invocation): what a one-node group costs there.
* ``warm``: further invocations in that process, each with its own run id and runtime params:
  ``before`` (invoke to the first node starting), ``after`` (the last node's last save to return).

The breakdown comes from ``runtime.LAST_PHASES`` (``runtime.PhaseClock``): the phases' durations,
median over the rounds. ``records`` is time spent in the S3 calls of the run records, also inside
other phases (the client is made in ``session``, a HEAD per save falls in the nodes' time).

    .venv/bin/python bench/handler.py                 # 7 rounds, 5 warm invocations each
    .venv/bin/python bench/handler.py --rounds 3 --warm 3 --node data_science.split_data_node
    git archive <commit> python src/targets/local/lambda.ts | tar -x -C /tmp/old
    .venv/bin/python bench/handler.py --variant before=/tmp/old --variant after=.

``--variant`` measures several copies of the action (``python/`` and the local executor's script) side by side in the same rounds
(before and after a change), so that the machine's load hits them alike. CPU seconds (the process's,
all threads) are given beside wall time: on a loaded machine they move much less.

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


def group_env(endpoint: str, site: Path, task: Path, tmp: Path, action_python: Path) -> dict[str, str]:
    """What src/targets/local/lambda.ts (invocationEnv) gives a group process."""
    return {
        **aws_env(endpoint),
        "PYTHONPATH": os.pathsep.join([str(site), str(action_python)]),
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


def bare_run(source: Path, endpoint: str, node: str, n: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process) of ``kedro run`` of one node."""
    env = aws_env(endpoint)
    before = os.times()
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
    after = os.times()
    if proc.returncode != 0:
        raise SystemExit(f"bare kedro run failed:\n{proc.stderr[-3000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return seconds, cpu


def invoke_script(root: Path) -> str:
    """The local executor's process-side script (``INVOKE_SCRIPT`` of src/targets/local/lambda.ts)."""
    text = (root / "src" / "targets" / "local" / "lambda.ts").read_text()
    start = text.index("INVOKE_SCRIPT = String.raw`") + len("INVOKE_SCRIPT = String.raw`")
    return text[start : text.index("`;", start)]


def local_executor_process(env: dict[str, str], task: Path, root: Path, event: dict[str, Any], work: Path) -> float:
    """Start to answer of a cold container as the local executor runs one (its own script, one event)."""
    requests_r, requests_w = os.pipe()
    outcomes_r, outcomes_w = os.pipe()
    settings = {"writable": [str(work)], "requests_fd": requests_r, "outcomes_fd": outcomes_w, "end": "END"}
    started = time.time()
    proc = subprocess.Popen(
        [sys.executable, "-c", invoke_script(root), json.dumps(settings)],
        cwd=task,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        pass_fds=(requests_r, outcomes_w),
    )
    os.close(requests_r)
    os.close(outcomes_w)
    with os.fdopen(requests_w, "w") as requests:
        requests.write(json.dumps({"event": event}) + "\n")
    with os.fdopen(outcomes_r) as outcomes:
        line = outcomes.readline()
    seconds = time.time() - started
    proc.kill()
    _, stderr = proc.communicate()
    outcome = json.loads(line) if line else None
    if not outcome or not outcome.get("ok"):
        raise SystemExit(f"local executor process failed: {outcome}\n{stderr.decode()[-3000:]}")
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


class Figures:
    """The measurements of one variant of the action's python/ folder, over the rounds."""

    def __init__(self) -> None:
        self.values: dict[str, list[float]] = {}
        self.cold_phases: list[dict[str, float]] = []
        self.warm_phases: list[dict[str, float]] = []

    def add(self, name: str, value: float) -> None:
        self.values.setdefault(name, []).append(value)

    def take(self, lines: list[dict[str, Any]]) -> None:
        first, *rest = [line for line in lines if line["step"] == "invocation"]
        phases = first["phases"]
        self.add("ready", lines[0]["at"])
        self.add("to_first", first["invoked"] + phases["before_first_node"])
        self.add("cold_before", phases["before_first_node"])
        self.add("cold_after", phases["after_last_node"])
        self.add("cold_records", phases["spent"].get("records", 0.0))
        self.add("cold_cpu_to_first", phases["cpu"]["first_node_start"])
        self.cold_phases.append(durations(phases["marks"]))
        for inv in rest:
            phases, cpu = inv["phases"], inv["phases"]["cpu"]
            self.add("warm_before", phases["before_first_node"])
            self.add("warm_after", phases["after_last_node"])
            self.add("warm_total", phases["before_first_node"] + phases["after_last_node"])
            self.add("warm_records", phases["spent"].get("records", 0.0))
            self.add(
                "warm_cpu",
                (cpu["first_node_start"] - cpu["invoked"])
                + (cpu["returned"] - cpu.get("last_node_end", cpu["returned"])),
            )
            self.warm_phases.append(durations(phases["marks"]))


ROWS = [
    ("ready", "cold: process start -> handler ready"),
    ("to_first", "cold: process start -> first node starts"),
    ("cold_before", "cold: invoke -> first node starts"),
    ("cold_after", "cold: last node ends -> return"),
    ("exit", "local executor: a cold container, start -> answer"),
    ("cold_cpu_to_first", "cold: CPU s, process start -> first node"),
    ("warm_before", "warm: invoke -> first node starts"),
    ("warm_after", "warm: last node ends -> return"),
    ("warm_total", "warm: overhead (before + after)"),
    ("warm_cpu", "warm: CPU s of the overhead"),
]


def main() -> None:  # noqa: PLR0915
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="cold processes (and bare runs); default 7")
    parser.add_argument("--warm", type=int, default=5, help="warm invocations per process; default 5")
    parser.add_argument(
        "--node",
        default="data_processing.preprocess_companies_node",
        help="the one node each invocation runs (a 'nodes' group)",
    )
    parser.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "kedro-aws-handler-bench"))
    parser.add_argument(
        "--variant",
        action="append",
        metavar="LABEL=DIR",
        help="a copy of the action to measure: DIR holds python/ and src/targets/local/lambda.ts "
        "(repeatable; side by side, same rounds); default: this checkout",
    )
    parser.add_argument("--json", help="also write the raw measurements here")
    args = parser.parse_args()
    variants = [tuple(v.split("=", 1)) for v in args.variant or []] or [("this", str(REPO))]
    variants = [(label, Path(path).resolve()) for label, path in variants]

    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    site, task, source = build_image(work)
    tmp = work / "tmp"
    tmp.mkdir(exist_ok=True)
    moto = Moto()
    figures = {label: Figures() for label, _ in variants}
    bare, bare_cpu = [], []
    n = 0
    try:
        for r in range(args.rounds):
            seconds, cpu = bare_run(source, moto.endpoint, args.node, r)
            bare.append(seconds)
            bare_cpu.append(cpu)
            # Rotate the variants' order from round to round: none always runs first.
            for label, root in variants[r % len(variants) :] + variants[: r % len(variants)]:
                env = group_env(moto.endpoint, site, task, tmp, root / "python")
                events = []
                for i in range(1 + args.warm):
                    n += 1
                    events.append(
                        {
                            "group": args.node,
                            "type": "nodes",
                            "nodes": [args.node],
                            "env": ENV,
                            "run_id": run_id(n),
                            "runtime_params": {"output_prefix": f"bench-{label}-{r}-{i}"},
                        }
                    )
                _, lines = group_process(env, task, events, work / "out.jsonl")
                figures[label].take(lines)
                # A process with one invocation, start to exit: the local executor starts one per group.
                figures[label].add("exit", local_executor_process(env, task, root, events[0], work))
            print(
                f"round {r + 1}/{args.rounds}: bare {bare[-1]:.2f} s; "
                + "; ".join(
                    f"{label}: cold to first node {f.values['to_first'][-1]:.2f} s, "
                    f"warm overhead {med(f.values['warm_total'][-args.warm :]):.3f} s"
                    for label, f in figures.items()
                ),
                file=sys.stderr,
            )
    finally:
        moto.stop()

    base, base_cpu = med(bare), med(bare_cpu)
    labels = [label for label, _ in variants]
    print(
        f"Handler bench: node {args.node}, {args.rounds} rounds, {args.warm} warm invocations each; medians, "
        f"and each as a ratio to the bare kedro run's median (wall to wall, CPU to CPU)"
    )
    print(f"  load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"  {'':<44}" + "".join(f"{label:>22}" for label in labels))
    print(f"  {'bare `kedro run` of the node (process)':<44}{base:>12.3f} s {1:>6.3f}x")
    print(f"  {'bare `kedro run`: CPU s of the process':<44}{base_cpu:>12.3f} s {1:>6.3f}x")
    for key, text in ROWS:
        ref = base_cpu if "cpu" in key else base
        cells = "".join(
            f"{med(figures[label].values[key]):>12.3f} s {med(figures[label].values[key]) / ref:>6.3f}x"
            for label in labels
        )
        print(f"  {text:<44}{cells}")
    print(
        f"  breakdown (median seconds per phase){'':<8}"
        + "".join(f"{label + ' cold':>12}{'warm':>10}" for label in labels)
    )
    for name, text in PHASES:
        cells = ""
        for label in labels:
            f = figures[label]
            cells += f"{med([p[name] for p in f.cold_phases if name in p]):>12.3f}"
            cells += f"{med([p[name] for p in f.warm_phases if name in p]):>10.3f}"
        print(f"    {text:<42}{cells}")
    cells = "".join(
        f"{med(figures[label].values['cold_records']):>12.3f}{med(figures[label].values['warm_records']):>10.3f}"
        for label in labels
    )
    print(f"    {'records S3 calls (within the phases above)':<42}{cells}")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "bare": bare,
                    "bare_cpu": bare_cpu,
                    "variants": {
                        label: {"values": f.values, "cold_phases": f.cold_phases, "warm_phases": f.warm_phases}
                        for label, f in figures.items()
                    },
                },
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
