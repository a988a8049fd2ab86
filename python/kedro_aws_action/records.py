"""Run records: what a group wrote to S3, the proof ``verify`` and ``teardown`` trust.

Right after each dataset is saved (a Kedro hook), the group notes every S3 object the save wrote:
bucket, key, ETag, version id (versioned buckets), size and S3's Last-Modified of the write. A file
dataset is the one object at its save path (for a versioned dataset, this run's version). A folder
dataset (partitioned, or a path that turns out to be a folder) is listed before and after the save,
and the objects that are new or changed are the ones written. When the group ends, whether it
succeeded or not, it writes one record under the stage's records location, with a conditional write
so a record is never overwritten (one per attempt of the group)::

    <KEDRO_AWS_RUN_RECORDS>runs/<run id>/<group>/<attempt>.json

``KEDRO_AWS_RUN_RECORDS`` is ``s3://<bucket>/<prefix>/<project>/<stage>/``, set by ``deploy`` on the
Lambda function or the job definition, and by the local executor. The TypeScript side reads these
records (src/verify/records.ts): keep the two schemas equal.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import uuid
from collections.abc import Mapping
from typing import Any

from . import compat

logger = logging.getLogger(__name__)

RECORDS_ENV = "KEDRO_AWS_RUN_RECORDS"
RECORD_KIND = "kedro-aws-run-record"
RECORD_VERSION = 1
FOLDER_TYPES = ("PartitionedDataset", "IncrementalDataset")


def parse_location(url: str) -> tuple[str, str, str, str]:
    """``s3://bucket/<prefix>/<project>/<stage>/`` as (bucket, stage prefix with a trailing /, project, stage)."""
    if not url.startswith("s3://"):
        raise ValueError(f"{RECORDS_ENV} must be an s3:// location, got {url!r}")
    bucket, _, key = url[len("s3://") :].partition("/")
    parts = [p for p in key.split("/") if p]
    if not bucket or len(parts) < 2:
        raise ValueError(f"{RECORDS_ENV} must be s3://<bucket>/[<prefix>/]<project>/<stage>/, got {url!r}")
    return bucket, "/".join(parts) + "/", parts[-2], parts[-1]


def split_s3(path: str) -> tuple[str, str] | None:
    """(bucket, key) of an ``s3://`` or ``s3a://`` path, None for any other."""
    for scheme in ("s3://", "s3a://"):
        if path.startswith(scheme):
            bucket, _, key = path[len(scheme) :].partition("/")
            return (bucket, key.rstrip("/")) if bucket else None
    return None


#: What a client is made from (with the service's own AWS_ENDPOINT_URL_<ID>): a change of any of
#: these gets a new one.
_CLIENT_ENV = (
    "AWS_ENDPOINT_URL",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
)
_CLIENTS: dict[tuple[str | None, ...], Any] = {}
_CLIENTS_LOCK = threading.Lock()


def client(service: str, endpoint_id: str) -> Any:
    """A botocore client of ``service`` with the process's credentials and region.

    Its endpoint is ``AWS_ENDPOINT_URL_<endpoint_id>`` (``S3``, ``SFN``: the service's own variable, as
    botocore names it), else ``AWS_ENDPOINT_URL``, else AWS's. Made once per process, service and
    environment (botocore clients are thread-safe): a warm Lambda container reuses it instead of loading
    the service model again on every invocation, and refreshed credentials get a new one.
    """
    own = f"AWS_ENDPOINT_URL_{endpoint_id}"
    key = (service, os.environ.get(own), *(os.environ.get(name) for name in _CLIENT_ENV))
    with _CLIENTS_LOCK:
        made = _CLIENTS.get(key)
        if made is None:
            import botocore.session
            from botocore.config import Config

            endpoint = os.environ.get(own) or os.environ.get("AWS_ENDPOINT_URL")
            region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1"
            # An emulator on loopback cannot answer virtual-hosted bucket names.
            config = Config(s3={"addressing_style": "path"}) if endpoint and service == "s3" else None
            made = _CLIENTS[key] = botocore.session.get_session().create_client(
                service, region_name=region, endpoint_url=endpoint or None, config=config
            )
        return made


def s3_client() -> Any:
    """The process's S3 client (:func:`client`; AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL, honoured)."""
    return client("s3", "S3")


def forget_clients() -> None:
    """Drop the clients :func:`client` keeps (for tests)."""
    with _CLIENTS_LOCK:
        _CLIENTS.clear()


def _object(bucket: str, key: str, head: Mapping[str, Any]) -> dict[str, Any]:
    modified = head.get("LastModified")
    return {
        "bucket": bucket,
        "key": key,
        "etag": str(head.get("ETag", "")),
        "version_id": head.get("VersionId") or None,
        "size": int(head.get("ContentLength", head.get("Size", 0)) or 0),
        "last_modified": modified.isoformat() if modified is not None else None,
    }


class S3Objects:
    """The few S3 calls a record needs."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def head(self, bucket: str, key: str) -> dict[str, Any] | None:
        from botocore.exceptions import ClientError

        try:
            return _object(bucket, key, self.client.head_object(Bucket=bucket, Key=key))
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def listing(self, bucket: str, prefix: str) -> dict[str, dict[str, Any]]:
        """Every object under ``prefix``, by key (ListObjectsV2 gives no version id: a HEAD each does)."""
        found: dict[str, dict[str, Any]] = {}
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                found[item["Key"]] = _object(bucket, item["Key"], item)
        return found

    def put_if_absent(self, bucket: str, key: str, body: bytes) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.put_object(Bucket=bucket, Key=key, Body=body, ContentType="application/json", IfNoneMatch="*")
            return True
        except ClientError as exc:
            if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") in (409, 412):
                return False
            raise


def _same_write(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.get("etag") == b.get("etag") and a.get("last_modified") == b.get("last_modified")


def save_target(dataset: Any) -> tuple[str, str, bool] | None:
    """(bucket, key, folder) a dataset saves to on S3, None when it saves elsewhere."""
    from kedro.io import AbstractVersionedDataset

    inner = compat.unwrap_cached(dataset)
    described = compat.dataset_description(inner) or {}
    protocol = str(described.get("protocol") or "")
    raw = described.get("filepath") or described.get("path")
    if raw is None:
        return None
    path = str(raw)
    if isinstance(inner, AbstractVersionedDataset) and inner.resolve_save_version() is not None:
        path = compat.versioned_path(inner, inner.resolve_save_version())
    if "://" not in path and protocol in ("s3", "s3a"):
        path = f"{protocol}://{path}"
    target = split_s3(path)
    if target is None:
        return None
    folder = any(t in type(inner).__name__ for t in FOLDER_TYPES) or str(raw).endswith("/")
    return target[0], target[1], folder


def make_recording_hooks(objects: S3Objects) -> Any:
    """Kedro hooks that note the S3 objects each save writes (see the module docstring)."""
    from kedro.framework.hooks import hook_impl

    class RecordingHooks:
        def __init__(self) -> None:
            self.catalog: Any = None
            self.datasets: dict[str, dict[str, list[dict[str, Any]]]] = {}
            self._before: dict[str, dict[str, dict[str, Any]]] = {}
            self.problems: list[str] = []

        @hook_impl
        def after_catalog_created(self, catalog: Any) -> None:
            self.catalog = catalog

        def _target(self, name: str) -> tuple[str, str, bool] | None:
            if self.catalog is None:
                return None
            try:
                return save_target(self.catalog.get(name))
            except Exception as exc:  # noqa: BLE001  (a record must never fail the group)
                self.problems.append(f"{name}: {exc}")
                return None

        @hook_impl
        def before_dataset_saved(self, dataset_name: str) -> None:
            target = self._target(dataset_name)
            if target and target[2]:
                bucket, key, _ = target
                self._before[dataset_name] = objects.listing(bucket, f"{key}/")

        @hook_impl
        def after_dataset_saved(self, dataset_name: str) -> None:
            target = self._target(dataset_name)
            if target is None:
                return
            bucket, key, folder = target
            written: list[dict[str, Any]] = []
            if not folder:
                head = objects.head(bucket, key)
                if head is not None:
                    written = [head]
                else:
                    # Not an object: a dataset that saves a folder at its path (a partitioned parquet, ...).
                    folder = True
            if folder:
                before = self._before.pop(dataset_name, {})
                after = objects.listing(bucket, f"{key}/")
                changed = [k for k, o in after.items() if k not in before or not _same_write(before[k], o)]
                # The listing has no version id: a HEAD of each changed object gives it.
                written = [objects.head(bucket, k) or after[k] for k in sorted(changed)]
            entry = self.datasets.setdefault(dataset_name, {"objects": []})
            entry["objects"].extend(written)

    return RecordingHooks()


def write_record(
    objects: S3Objects,
    location: str,
    *,
    run_id: str,
    group: str,
    datasets: Mapping[str, Any],
    status: str,
) -> str:
    """Writes this attempt's record (never over another); returns its s3:// URL."""
    bucket, prefix, project, stage = parse_location(location)
    attempt = uuid.uuid4().hex
    key = f"{prefix}runs/{run_id}/{group}/{attempt}.json"
    record = {
        "kind": RECORD_KIND,
        "version": RECORD_VERSION,
        "project": project,
        "stage": stage,
        "run_id": run_id,
        "group": group,
        "attempt": attempt,
        "status": status,
        "origin": {},
        "datasets": dict(datasets),
    }
    body = (json.dumps(record, indent=2, sort_keys=True) + "\n").encode()
    if not objects.put_if_absent(bucket, key, body):
        raise RuntimeError(f"the run record s3://{bucket}/{key} exists already; records are never overwritten")
    return f"s3://{bucket}/{key}"
