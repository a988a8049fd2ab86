"""Helpers of scripts/demo.sh (not shipped in images): upload raw data, run a plan's groups in order.

Each group runs in its own `kedro run` process, so data crosses groups only through the catalog's S3
paths, as it does between Lambda invocations or Batch containers.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import boto3

BUCKET = "kedro-aws-example"


def upload(project: Path) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    for file in sorted((project / "data" / "01_raw").iterdir()):
        s3.upload_file(str(file), BUCKET, f"01_raw/{file.name}")
        print(f"  s3://{BUCKET}/01_raw/{file.name}")


def run(project: Path, plan_file: Path) -> None:
    plan = json.loads(plan_file.read_text())
    done: set[str] = set()
    pending = list(plan["groups"])
    while pending:
        ready = [g for g in pending if set(g["dependencies"]) <= done]
        if not ready:
            sys.exit(f"no group can run: {[g['name'] for g in pending]} wait on each other")
        for group in ready:
            selector = (
                ["--namespaces", group["name"]]
                if group["type"] == "namespace"
                else ["--nodes", ",".join(group["nodes"])]
            )
            started = time.monotonic()
            # Every dataset of the aws env is on S3, so nothing is shared through the project folder.
            result = subprocess.run(
                [sys.executable, "-m", "kedro", "run", "--env", plan["env"], *selector],
                cwd=project,
                capture_output=True,
                text=True,
                check=False,
            )
            seconds = time.monotonic() - started
            if result.returncode != 0:
                sys.stderr.write(result.stderr[-3000:])
                sys.exit(f"group {group['name']} failed after {seconds:.1f}s")
            print(f"  {group['name']}: {len(group['nodes'])} node(s), {seconds:.1f}s")
            done.add(group["name"])
            pending.remove(group)
    s3 = boto3.client("s3")
    print("== outputs in the emulator's S3")
    for obj in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        if not obj["Key"].startswith("01_raw/"):
            print(f"  s3://{BUCKET}/{obj['Key']}  {obj['Size']} bytes")


if __name__ == "__main__":
    command, project_arg, *rest = sys.argv[1:]
    if command == "upload":
        upload(Path(project_arg))
    elif command == "run":
        run(Path(project_arg), Path(rest[0]))
    else:
        sys.exit(f"unknown command {command}")
