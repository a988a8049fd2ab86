"""What the plan exporter refuses and warns about, as messages a user can act on.

Pure: built from the plan's plain data (groups, datasets, node inputs and outputs), no
Kedro import and no I/O. A :class:`PlanRefusal` becomes a ``PlanError`` (``PlanErrorSchema``
in src/plan/schema.ts) in the exporter's output file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Any

from . import PLAN_SCHEMA_VERSION
from .analysis import cycle_path
from .common import is_parameter
from .scaffold import ANY_OBJECT_TYPE

ERROR_KINDS = (
    "not_a_kedro_project",
    "pipeline_not_found",
    "kedro_error",
    "memory_crossing",
    "missing_input",
    "cycle",
    "local_path",
)

LOCAL_PROTOCOL = "file"


class PlanRefusal(Exception):
    """The exporter refuses the project; becomes a PlanError in FILE (exit 3)."""

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        env: str | None = None,
        datasets: Iterable[str] | None = None,
        groups: Iterable[str] | None = None,
        locations: list[dict[str, Any]] | None = None,
    ) -> None:
        if kind not in ERROR_KINDS:  # pragma: no cover - programming error
            raise ValueError(f"unknown error kind {kind!r}")
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.env = env
        self.datasets = list(datasets) if datasets is not None else None
        self.groups = list(groups) if groups is not None else None
        # Where in the project to point the user: {file (relative to the project), line, message}.
        self.locations = locations or []

    def to_json(self) -> dict[str, Any]:
        error: dict[str, Any] = {"kind": self.kind, "message": self.message}
        if self.env is not None:
            error["env"] = self.env
        if self.datasets is not None:
            error["datasets"] = self.datasets
        if self.groups is not None:
            error["groups"] = self.groups
        if self.locations:
            error["locations"] = self.locations
        return {"schema_version": PLAN_SCHEMA_VERSION, "error": error}


def describe_exception(exc: BaseException) -> str:
    """``Class: message``, followed by the chain of causes (one line each)."""
    text = _one_exception(exc)
    seen = {id(exc)}
    cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if not text.endswith((".", "!", "?", ":")):
            text += "."
        text += f" Caused by {_one_exception(cause)}"
        cause = cause.__cause__ or (None if cause.__suppress_context__ else cause.__context__)
    return text


def _one_exception(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def quote_list(names: Iterable[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def catalog_file_hint(env: str) -> str:
    if env == "base":
        return "conf/base/catalog.yml"
    return f"conf/{env}/catalog.yml"


# --------------------------------------------------------------------------- #
# Refusals
# --------------------------------------------------------------------------- #


def import_failure_refusal(failures: list[str], pipeline_name: str, env: str) -> PlanRefusal:
    """A pipeline module failed to import (``failures``: Kedro's warnings, with their traceback)."""
    summaries = []
    for text in failures:
        head = text.split("\n", 1)[0].strip()
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        last = lines[-1] if len(lines) > 1 else ""
        summaries.append(f"{head}{' (' + last + ')' if last else ''}")
    return PlanRefusal(
        "kedro_error",
        f"ImportError: {' '.join(summaries)} Kedro's find_pipelines only warns "
        f"about such a module and leaves its nodes out, so pipeline "
        f"'{pipeline_name}' would be missing or deployed incomplete; fix the import "
        f"error in the project's pipeline code (the traceback is in the step's log).",
        env=env,
    )


def pipeline_not_found_refusal(pipeline_name: str, all_names: list[str], env: str) -> PlanRefusal:
    close = difflib.get_close_matches(pipeline_name, all_names, n=3)
    hint = f" Did you mean {quote_list(close)}?" if close else ""
    return PlanRefusal(
        "pipeline_not_found",
        f"The project registers no pipeline named '{pipeline_name}'; the "
        f"registered pipelines are {quote_list(all_names) or 'none'}.{hint} "
        f"Set the action's pipeline input to one of them, or register it in "
        f"the project's pipeline_registry.py.",
        env=env,
    )


def pipeline_package_not_found_refusal(pipeline_name: str, reason: str, env: str) -> PlanRefusal:
    """No pipeline package of that name, and the list of pipelines could not be loaded (``reason``)."""
    refusal = pipeline_not_found_refusal(pipeline_name, [], env)
    refusal.message = (
        f"The project registers no pipeline named '{pipeline_name}' (Kedro's "
        f"find_pipelines has no such package); the list of registered pipelines "
        f"could not be loaded either: {reason}. Set the action's pipeline input "
        f"to a registered pipeline and fix the project's pipeline code."
    )
    return refusal


def missing_env_refusal(env: str, envs: list[str], conf_source: str) -> PlanRefusal:
    """The action's env input names no folder of the project's conf source (``envs``: the folders there)."""
    close = difflib.get_close_matches(env, envs, n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return PlanRefusal(
        "kedro_error",
        f"The action's env input is '{env}', but the project has no {conf_source}/{env} folder, so Kedro "
        f"would fail with MissingConfigException. The envs under {conf_source}/ are "
        f"{quote_list(envs) or 'none'}.{hint} Set env to the one that holds the catalog for runs on AWS, "
        f"or create {conf_source}/{env}/ with it (catalog entries with remote filepaths, e.g. s3://...).",
        env=env,
    )


def empty_pipeline_refusal(pipeline_name: str, env: str) -> PlanRefusal:
    return PlanRefusal(
        "pipeline_not_found",
        f"Pipeline '{pipeline_name}' is registered but has no nodes, so there "
        f"is nothing to deploy. Set the action's pipeline input to a pipeline "
        f"with nodes, or check the project's pipeline_registry.py.",
        env=env,
    )


def cycle_refusal(
    cycles: list[list[str]],
    dependencies: Mapping[str, list[str]],
    datasets: list[dict[str, Any]],
    pipeline_name: str,
    env: str,
) -> PlanRefusal:
    descriptions = []
    for component in cycles:
        path = cycle_path(component, dependencies)
        hops = []
        for src, dst in zip(path, path[1:], strict=False):
            via = sorted(d["name"] for d in datasets if d["producer"] == src and dst in d["consumers"])
            hops.append(f"'{src}' feeds '{dst}' via {quote_list(via) or 'a node dependency'}")
        descriptions.append(f"{' -> '.join(path)} ({'; '.join(hops)})")
    all_groups = sorted({g for c in cycles for g in c})
    return PlanRefusal(
        "cycle",
        f"Pipeline '{pipeline_name}' cannot be run one group at a time: its groups "
        f"depend on each other in a cycle: {' and '.join(descriptions)}. Kedro only "
        f"warns about this (an 'interrupted' namespace), but no order of per-group "
        f"runs satisfies it. Change the namespaces in the project's pipeline code "
        f"so that each namespace's nodes form one contiguous stage, e.g. move the "
        f"nodes between the two halves of a namespace into it, or split it into "
        f"two namespaces.",
        env=env,
        groups=all_groups,
    )


def missing_input_refusal(
    missing: list[str],
    node_io: Mapping[str, tuple[list[str], list[str]]],
    group_of_node: Mapping[str, str],
    pipeline_name: str,
    env: str,
) -> PlanRefusal:
    details = []
    for name in missing:
        readers = sorted({group_of_node[n] for n, (ins, _) in node_io.items() if name in ins})
        details.append(f"'{name}' (read by {quote_list(readers)})")
    params = [m for m in missing if is_parameter(m)]
    data = [m for m in missing if not is_parameter(m)]
    fixes = []
    if data:
        fixes.append(
            f"add {quote_list(data)} to {catalog_file_hint(env)} (or conf/base/"
            f"catalog.yml) with its dataset type and the path where the data lives, "
            f"a remote one such as s3://... for runs on AWS"
        )
    if params:
        fixes.append(
            f"define {quote_list(p.removeprefix('params:') for p in params)} in "
            f"conf/{env}/parameters.yml (or conf/base/parameters.yml) or pass "
            f"them as runtime params"
        )
    return PlanRefusal(
        "missing_input",
        f"Pipeline '{pipeline_name}' reads {len(missing)} input(s) that no node "
        f"produces and that have no catalog entry in env '{env}', so Kedro would "
        f'fail with "Pipeline input(s) not found in the DataCatalog": '
        f"{', '.join(details)}. To fix it, {'; and '.join(fixes)}.",
        env=env,
        datasets=missing,
        groups=sorted({group_of_node[n] for n, (ins, _) in node_io.items() if set(ins) & set(missing)}),
    )


def memory_crossing_refusal(
    crossing: list[dict[str, Any]],
    pipeline_name: str,
    env: str,
    suggested: Mapping[str, Mapping[str, Any]] | None = None,
) -> PlanRefusal:
    """``suggested``: the scaffold's entries (name -> type, filepath), for the hint's type per dataset."""
    details = []
    for d in crossing:
        others = [c for c in d["consumers"] if c != d["producer"]]
        why = "no catalog entry" if d["type"] is None else f"type {d['type']}"
        details.append(f"'{d['name']}' (produced by group '{d['producer']}', consumed by {quote_list(others)}; {why})")
    groups = sorted({d["producer"] for d in crossing} | {c for d in crossing for c in d["consumers"]})
    suggested = suggested or {}
    types = []
    for d in crossing:
        entry = suggested.get(d["name"])
        if entry is None:
            continue
        why = " (stores any Python object)" if entry["type"] == ANY_OBJECT_TYPE else ""
        types.append(f"'{d['name']}': {entry['type']}{why} at {entry['filepath']}")
    fit = (
        f" with a dataset type that can store it and a remote filepath ({'; '.join(types)})"
        if types
        else " with a dataset type that can store it (the type of its entry in conf/base, or "
        f"{ANY_OBJECT_TYPE}, which stores any Python object) and a remote filepath (s3://...)"
    )
    return PlanRefusal(
        "memory_crossing",
        f"Pipeline '{pipeline_name}' cannot be split into separate AWS runs in env "
        f"'{env}': {len(crossing)} dataset(s) pass from one group to another but "
        f"would only be kept in memory, which is lost between Lambda invocations "
        f"or Batch containers: {', '.join(details)}. Add each of them to "
        f"{catalog_file_hint(env)}{fit}, or add a dataset factory pattern there that matches them.",
        env=env,
        datasets=[d["name"] for d in crossing],
        groups=groups,
    )


def memory_crossing_location_message(dataset: Mapping[str, Any], env: str) -> str:
    """What the annotation on a memory-crossing dataset's catalog entry (or producing node) says."""
    return (
        f"'{dataset['name']}' crosses from group '{dataset['producer']}' to another group but is kept in memory "
        f"in env '{env}': give it a remote filepath in {catalog_file_hint(env)}"
    )


_LOCAL_PATH_WHY = {
    "crossing": "each Lambda invocation or Batch container has a disk of its own, so the group that reads it "
    "would not find it",
    "input": "the image ships no data, so the group that reads it would not find it",
    "output": "a Lambda function's task folder is read-only (only /tmp is writable) and what a run writes "
    "locally is lost when it ends",
}


def _local_path_detail(d: Mapping[str, Any]) -> str:
    if d["role"] == "crossing":
        others = quote_list(c for c in d["consumers"] if c != d["producer"])
        return f"'{d['name']}' at {d['shown_path']} (written by group '{d['producer']}', read by {others})"
    if d["role"] == "input":
        return f"'{d['name']}' at {d['shown_path']} (a pipeline input, read by {quote_list(d['consumers'])})"
    return f"'{d['name']}' at {d['shown_path']} (written by group '{d['producer']}')"


def local_path_refusal(found: list[dict[str, Any]], pipeline_name: str, env: str) -> PlanRefusal:
    """Datasets on a local path (``analysis.local_path_datasets``) that cannot work on AWS."""
    parts = []
    for role in ("crossing", "input", "output"):
        of_role = [d for d in found if d["role"] == role]
        if of_role:
            parts.append(f"{', '.join(_local_path_detail(d) for d in of_role)}: {_LOCAL_PATH_WHY[role]}")
    scratch = (
        " A dataset that only holds scratch data within one group may use a path under /tmp instead."
        if any(d["role"] == "output" for d in found)
        else ""
    )
    return PlanRefusal(
        "local_path",
        f"Pipeline '{pipeline_name}' cannot run on AWS in env '{env}': {len(found)} dataset(s) are on a local "
        f"path. {'; '.join(parts)}. Give each of them an s3:// filepath (e.g. s3://<bucket>/<prefix>/<name>) "
        f"in {catalog_file_hint(env)}{_overrides_base(env)}.{scratch}",
        env=env,
        datasets=[d["name"] for d in found],
        groups=sorted({g for d in found for g in ([d["producer"]] if d["producer"] else []) + list(d["consumers"])}),
    )


def _overrides_base(env: str) -> str:
    return "" if env == "base" else f" (an entry there overrides conf/base in env '{env}')"


def local_path_location_message(dataset: Mapping[str, Any], env: str) -> str:
    """What the annotation on the catalog entry of a dataset on a local path says."""
    fix = f"give it an s3:// filepath in {catalog_file_hint(env)}"
    if dataset["role"] == "output":
        fix += ", or a path under /tmp if it is scratch data of its group"
    return (
        f"'{dataset['name']}' is on the local path {dataset['shown_path']} in env '{env}': "
        f"{_LOCAL_PATH_WHY[dataset['role']]}; {fix}"
    )


def filesystem_location_message(protocol: str, packages: list[str], datasets: list[str], env: str) -> str:
    """What the annotation on a catalog entry says when the wheel lacks its file system's package."""
    others = f" (and {len(datasets) - 1} other dataset(s))" if len(datasets) > 1 else ""
    return (
        f"'{datasets[0]}'{others} is on {protocol}:// in env '{env}', which needs {quote_list(packages)} in the "
        f"image: add it to the project's dependencies"
    )


def first_of(problems: list[PlanRefusal]) -> PlanRefusal:
    """The refusal to raise: the first one, naming the others it will be followed by."""
    first = problems[0]
    if len(problems) > 1:
        also = "; ".join(f"{p.kind} ({quote_list(p.datasets or p.groups or [])})" for p in problems[1:])
        first.message += f" Once that is fixed, the exporter will also refuse: {also}."
    return first


# --------------------------------------------------------------------------- #
# Warnings (the plan is exported, with these in its "warnings")
# --------------------------------------------------------------------------- #


def plan_warnings(datasets: list[dict[str, Any]], free_inputs: list[str], env: str) -> list[str]:
    found: list[str] = []
    free = set(free_inputs)
    hint = catalog_file_hint(env)

    memory_inputs = [d["name"] for d in datasets if d["name"] in free and d["type"] is not None and not d["persisted"]]
    if memory_inputs:
        found.append(
            f"Pipeline input(s) {quote_list(memory_inputs)} are MemoryDatasets in env "
            f"'{env}': nothing fills them in a separate run, so loading them will "
            f"fail. Give them a persistent type and a remote path in {hint}."
        )
    return found
