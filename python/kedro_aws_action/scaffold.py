"""A suggested ``conf/<env>/catalog.yml`` and ``globals.yml`` for a distributed run.

When the env is missing, or its catalog leaves a dataset that a run of one group at a time needs
in memory or on a local path, the exporter writes what the env's catalog should hold: every
pipeline input, every dataset that crosses groups and every dataset a node saves to a file, on
``s3://${globals:s3_bucket}/...`` (what the pipeline writes under
``${runtime_params:output_prefix, main}/``), with a dataset type that fits.

The type is the base catalog's own entry's type (its other keys kept: an env's entry replaces the
base entry whole), else the type Kedro resolves in the env when that one persists (a factory
pattern), else ``pickle.PickleDataset``, which stores any Python object (a pandas Series such as
``y_train`` included, which ``pandas.ParquetDataset`` refuses).

Pure apart from :func:`read_base_entries` (reads conf/base) and :func:`write_scaffold`.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .common import is_parameter

#: The type that stores any Python object (kedro-datasets' pickle.PickleDataset).
ANY_OBJECT_TYPE = "pickle.PickleDataset"
BUCKET_PLACEHOLDER = "CHANGE-ME-to-your-data-bucket"
INPUTS_ROOT = "s3://${globals:s3_bucket}"
OUTPUTS_ROOT = "s3://${globals:s3_bucket}/${runtime_params:output_prefix, main}"
LOCAL_PROTOCOL = "file"
#: Keys of a base entry that say where the data lives: the scaffold gives its own.
LOCATION_KEYS = ("type", "filepath", "path", "credentials", "fs_args")


def is_remote(dataset: Mapping[str, Any]) -> bool:
    return bool(dataset.get("persisted")) and dataset.get("protocol") not in (None, LOCAL_PROTOCOL)


def needs_entry(dataset: Mapping[str, Any], free_inputs: set[str]) -> bool:
    """Whether a run of one group at a time needs ``dataset`` in the env's catalog on S3."""
    name = dataset["name"]
    if is_parameter(name) or is_remote(dataset):
        return False
    if name in free_inputs:
        return True  # nothing fills a free input but the catalog
    if dataset.get("crossing"):
        return True  # the consuming group runs in another process
    # A file the pipeline saves on a local path: lost (or unwritable) in Lambda/Batch.
    return dataset.get("producer") is not None and bool(dataset.get("persisted"))


def _short_type(type_name: str) -> str:
    """``kedro_datasets.pandas.parquet_dataset.ParquetDataset`` -> ``pandas.ParquetDataset``."""
    m = re.match(r"^kedro_datasets\.([a-z_0-9]+)\.[a-z_0-9]+\.([A-Za-z0-9_]+)$", type_name)
    return f"{m.group(1)}.{m.group(2)}" if m else type_name


def suggested_type(dataset: Mapping[str, Any], base_entry: Mapping[str, Any] | None) -> str:
    """The base entry's type, else the persistent type Kedro resolves, else ``pickle.PickleDataset``."""
    if base_entry and isinstance(base_entry.get("type"), str) and "Memory" not in base_entry["type"]:
        return str(base_entry["type"])
    if dataset.get("persisted") and dataset.get("type"):
        return _short_type(str(dataset["type"]))
    return ANY_OBJECT_TYPE


def _tail(name: str, type_name: str, filepath: str | None) -> str:
    """The part of the S3 key after the root: the base file's path below ``data/``, else ``<name>.pkl``."""
    if filepath and "://" not in filepath:
        path = posixpath.normpath(filepath.replace("\\", "/"))
        if path.startswith("/"):
            path = posixpath.basename(path)
        parts = [p for p in path.split("/") if p not in ("", ".", "..")]
        if parts and parts[0] == "data" and len(parts) > 1:
            parts = parts[1:]
        if parts:
            return "/".join(parts)
    suffix = ".pkl" if type_name == ANY_OBJECT_TYPE else ""
    return f"{name}{suffix}"


def scaffold_entries(
    datasets: Iterable[Mapping[str, Any]],
    free_inputs: Iterable[str],
    base_entries: Mapping[str, Mapping[str, Any]],
) -> dict[str, dict[str, Any]]:
    """The catalog entries the env needs, by dataset name, in the plan's dataset order."""
    free = set(free_inputs)
    entries: dict[str, dict[str, Any]] = {}
    for d in datasets:
        if not needs_entry(d, free):
            continue
        name = d["name"]
        base = base_entries.get(name)
        type_name = suggested_type(d, base)
        base_path = None
        if base and type_name == base.get("type"):
            base_path = base.get("filepath") or base.get("path")
        if base_path is None and d.get("persisted") and d.get("protocol") in (None, LOCAL_PROTOCOL):
            base_path = d.get("filepath")
        root = INPUTS_ROOT if d.get("producer") is None else OUTPUTS_ROOT
        entry: dict[str, Any] = {"type": type_name, "filepath": f"{root}/{_tail(name, type_name, base_path)}"}
        if base and type_name == base.get("type"):
            entry.update({k: v for k, v in base.items() if k not in LOCATION_KEYS})
        entries[name] = entry
    return entries


def catalog_text(entries: Mapping[str, Mapping[str, Any]], env: str) -> str:
    import yaml  # Kedro's dependency: imported when Kedro is there (a missing Kedro is refused first)

    header = (
        f"# Suggested by kedro-aws-action: conf/{env}/catalog.yml for runs of one group at a time.\n"
        f"# An env's entry replaces the base entry of the same name whole, so each entry is complete.\n"
        f"# Pipeline inputs are read from s3://<s3_bucket>/... (upload them there); what the pipeline\n"
        f"# writes goes under s3://<s3_bucket>/<output_prefix>/..., output_prefix a runtime param\n"
        f"# (default main). If conf/{env}/catalog.yml exists, add these entries to it.\n"
    )
    body = "\n".join(
        yaml.safe_dump({name: dict(entry)}, sort_keys=False, default_flow_style=False, width=1000)
        for name, entry in entries.items()
    )
    return header + "\n" + body


def globals_text(bucket: str | None, env: str) -> str:
    shown = bucket or BUCKET_PLACEHOLDER
    note = "" if bucket else " (replace it with the bucket your data lives in)"
    return (
        f"# Suggested by kedro-aws-action: conf/{env}/globals.yml, the bucket of conf/{env}/catalog.yml{note}.\n"
        f"s3_bucket: {shown}\n"
    )


def read_base_entries(conf_folder: Path) -> dict[str, dict[str, Any]]:
    """The explicit entries (not factory patterns) of the catalog files in ``conf_folder``, raw."""
    import yaml

    entries: dict[str, dict[str, Any]] = {}
    if not conf_folder.is_dir():
        return entries
    files = sorted(
        {*conf_folder.glob("catalog*.yml"), *conf_folder.glob("catalog*.yaml"), *conf_folder.glob("**/catalog*.yml")}
    )
    for file in files:
        try:
            loaded = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError):
            continue
        if not isinstance(loaded, Mapping):
            continue
        for name, entry in loaded.items():
            if isinstance(name, str) and "{" not in name and not name.startswith("_") and isinstance(entry, Mapping):
                entries[name] = dict(entry)
    return entries


def write_scaffold(folder: Path, env: str, catalog: str, globals_: str) -> list[Path]:
    target = folder / "conf" / env
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for file_name, text in (("catalog.yml", catalog), ("globals.yml", globals_)):
        path = target / file_name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
