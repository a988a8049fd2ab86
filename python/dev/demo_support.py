"""Helpers of scripts/demo.sh (not shipped in images): put the raw data in the emulator's S3, list it,
create the IAM roles deploy needs in the emulator, and push a tiny stand-in base image to the local
registry (the real AWS Lambda base image cannot be pulled without internet)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import sys
import tarfile
import urllib.request
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


def create_roles() -> None:
    """The two roles of deploy (what bootstrap/template.yml makes on AWS); prints `lambda=<arn>` and `sfn=<arn>`."""
    iam = boto3.client("iam")
    for key, service in (("lambda", "lambda.amazonaws.com"), ("sfn", "states.amazonaws.com")):
        trust = {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}],
        }
        role = iam.create_role(RoleName=f"kedro-aws-demo-{key}", AssumeRolePolicyDocument=json.dumps(trust))
        print(f"{key}={role['Role']['Arn']}")


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def push_base(registry: str, repo: str, tag: str, user: str, password: str) -> None:
    """A manifest list (linux/amd64, linux/arm64), each one layer with /var/task, a python stub and
    /lambda-entrypoint.sh: enough for the oci builder to put the project on top. Prints its reference."""
    auth = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def call(method: str, url: str, body: bytes | None = None, ctype: str | None = None) -> urllib.request.addinfourl:
        req = urllib.request.Request(
            url if url.startswith("http") else f"http://{registry}{url}", data=body, method=method
        )
        req.add_header("Authorization", auth)
        if ctype:
            req.add_header("Content-Type", ctype)
        return urllib.request.urlopen(req)

    def blob(data: bytes) -> str:
        digest = _digest(data)
        location = call("POST", f"/v2/{repo}/blobs/uploads/").headers["Location"]
        if not location.startswith("http"):
            location = f"http://{registry}{location}"
        call("PUT", f"{location}{'&' if '?' in location else '?'}digest={digest}", data, "application/octet-stream")
        return digest

    manifest_type = "application/vnd.docker.distribution.manifest.v2+json"
    entries = []
    for arch in ("amd64", "arm64"):
        raw = io.BytesIO()
        with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
            files = {
                "var/lang/bin/python3": (0o755, b'#!/bin/sh\necho "python stub of the demo base image"\n'),
                "lambda-entrypoint.sh": (0o755, b'#!/bin/sh\nexec /var/lang/bin/python3 "$@"\n'),
                f"etc/demo-base-{arch}": (0o644, f"{arch}\n".encode()),
            }
            for d in ("var", "var/task", "var/runtime", "var/lang", "var/lang/bin", "etc"):
                info = tarfile.TarInfo(d)
                info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, 1_700_000_000
                tar.addfile(info)
            for name, (mode, content) in files.items():
                info = tarfile.TarInfo(name)
                info.mode, info.size, info.mtime = mode, len(content), 1_700_000_000
                tar.addfile(info, io.BytesIO(content))
        layer_tar = raw.getvalue()
        layer_gz = gzip.compress(layer_tar, mtime=0)
        layer = blob(layer_gz)
        config = json.dumps(
            {
                "architecture": arch,
                "os": "linux",
                "created": "2023-11-14T22:13:20Z",
                "config": {
                    "Env": [
                        "PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin",
                        "LANG=en_US.UTF-8",
                        "LAMBDA_TASK_ROOT=/var/task",
                        "LAMBDA_RUNTIME_DIR=/var/runtime",
                    ],
                    "Entrypoint": ["/lambda-entrypoint.sh"],
                    "WorkingDir": "/var/task",
                },
                "rootfs": {"type": "layers", "diff_ids": [_digest(layer_tar)]},
                "history": [{"created": "2023-11-14T22:13:20Z", "created_by": "kedro-aws-action demo: tiny base"}],
            }
        ).encode()
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": manifest_type,
                "config": {
                    "mediaType": "application/vnd.docker.container.image.v1+json",
                    "digest": blob(config),
                    "size": len(config),
                },
                "layers": [
                    {
                        "mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                        "digest": layer,
                        "size": len(layer_gz),
                    }
                ],
            }
        ).encode()
        call("PUT", f"/v2/{repo}/manifests/{_digest(manifest)}", manifest, manifest_type)
        entries.append(
            {
                "mediaType": manifest_type,
                "digest": _digest(manifest),
                "size": len(manifest),
                "platform": {"architecture": arch, "os": "linux"},
            }
        )
    list_type = "application/vnd.docker.distribution.manifest.list.v2+json"
    index = json.dumps({"schemaVersion": 2, "mediaType": list_type, "manifests": entries}).encode()
    call("PUT", f"/v2/{repo}/manifests/{tag}", index, list_type)
    print(f"{registry}/{repo}:{tag}")


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "upload":
        upload(Path(rest[0]))
    elif command == "list":
        list_outputs()
    elif command == "roles":
        create_roles()
    elif command == "push-base":
        push_base(*rest)
    else:
        sys.exit(f"unknown command {command}")
