"""Helpers of scripts/demo.sh (not shipped in images): put the raw data in the emulator's S3, list it."""
from __future__ import annotations

import sys
from pathlib import Path

import boto3

BUCKET = "kedro-aws-example"


def upload(project: Path) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    for file in sorted((project / "data" / "01_raw").iterdir()):
        s3.upload_file(str(file), BUCKET, f"01_raw/{file.name}")
        print(f"  s3://{BUCKET}/01_raw/{file.name}")


def list_outputs() -> None:
    s3 = boto3.client("s3")
    for obj in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        print(f"  s3://{BUCKET}/{obj['Key']}  {obj['Size']} bytes")


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "upload":
        upload(Path(rest[0]))
    elif command == "list":
        list_outputs()
    else:
        sys.exit(f"unknown command {command}")
