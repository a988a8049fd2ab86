#!/usr/bin/env python3
"""Export the deployment plan of a Kedro 1.x project as JSON.

Run by kedro-aws-action with the user's own interpreter, from the project root:

    python export_plan.py --project-path P --env ENV --pipeline NAME \
        --runtime-params '{"key": "value"}' --output plan.json

Everything is asked of Kedro itself: ``bootstrap_project`` for the metadata, a
``KedroServiceSession`` for the context (so globals, dataset factory patterns,
``${runtime_params:...}`` and credentials are resolved by Kedro's config
loader), the project's pipeline registry, ``Pipeline.group_nodes_by`` and the
``DataCatalog``. Nothing of Kedro's configuration resolution is re-implemented.

FILE receives either a plan (``PlanSchema`` in src/plan/schema.ts) or a refusal
(``PlanErrorSchema``). Exit codes:

    0  plan written
    1  internal error of this exporter (a kedro_error PlanError is still
       written when possible)
    2  bad command-line arguments (nothing written)
    3  refusal written (PlanError: not_a_kedro_project, pipeline_not_found,
       kedro_error, memory_crossing, missing_input, cycle)

Progress goes to stderr; stdout stays empty (Python-level writes to stdout,
e.g. Kedro's rich logging, are routed to stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import traceback
import warnings
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

PLAN_SCHEMA_VERSION = 1

EXIT_OK = 0
EXIT_INTERNAL_ERROR = 1
EXIT_BAD_ARGUMENTS = 2
EXIT_REFUSED = 3

ERROR_KINDS = (
    "not_a_kedro_project",
    "pipeline_not_found",
    "kedro_error",
    "memory_crossing",
    "missing_input",
    "cycle",
)

#: Config key (and file name patterns) of the action's own settings, read
#: through the project's config loader so conf/base and conf/<env> merge as
#: Kedro merges any other config.
SETTINGS_KEY = "kedro_aws"
SETTINGS_PATTERNS = ["kedro_aws*", "kedro_aws*/**"]

#: Dataset classes whose data only lives in the memory of one process.
MEMORY_DATASET_TYPES = (
    "kedro.io.memory_dataset.MemoryDataset",
    "kedro.io.shared_memory_dataset.SharedMemoryDataset",
)

LOCAL_PROTOCOL = "file"
TRANSCODING_SEPARATOR = "@"

#: Start of the warning Kedro's find_pipelines emits (instead of raising) when a
#: pipeline module fails to import.
FIND_PIPELINES_IMPORT_ERROR = "An error occurred while importing the"
#: Part of the warning Kedro's Pipeline emits for an interrupted namespace.
INTERRUPTED_NAMESPACE = "is interrupted by nodes"

LOG_PREFIX = "[export-plan]"


# --------------------------------------------------------------------------- #
# Errors
# --------------------------------------------------------------------------- #


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


def kedro_error(exc: BaseException, stage: str, env: str | None = None) -> PlanRefusal:
    """A kedro_error refusal for ``exc``; its traceback goes to stderr only."""
    log(f"Kedro raised while {stage}:")
    traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    return PlanRefusal(
        "kedro_error",
        f"{describe_exception(exc)} (raised while {stage}; the traceback is in the step's log)",
        env=env,
    )


@contextmanager
def kedro_call(stage: str, env: str | None = None) -> Iterator[None]:
    """Turn any exception raised by Kedro or the project's code into kedro_error."""
    try:
        yield
    except PlanRefusal:
        raise
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # SystemExit from project code included
        raise kedro_error(exc, stage, env) from exc


def log(message: str) -> None:
    print(f"{LOG_PREFIX} {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- #
# Pure helpers (no Kedro needed; unit-tested directly)
# --------------------------------------------------------------------------- #


def strip_transcoding(name: str) -> str:
    """``df@spark`` -> ``df`` (Kedro's transcoding separator)."""
    return name.split(TRANSCODING_SEPARATOR, 1)[0]


def is_parameter(name: str) -> bool:
    return name == "parameters" or name.startswith("params:")


def find_group_cycles(dependencies: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected components of the group graph that contain a cycle.

    ``dependencies`` maps a group to the groups it depends on. Returns each
    cyclic component as a sorted list, components sorted by their first name.
    """
    graph: dict[str, list[str]] = {g: sorted(set(d)) for g, d in dependencies.items()}
    for deps in list(graph.values()):
        for dep in deps:
            graph.setdefault(dep, [])

    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0

    for root in sorted(graph):
        if root in index:
            continue
        # Iterative Tarjan: (node, iterator over its successors)
        work: list[tuple[str, Iterator[str]]] = []
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work.append((root, iter(graph[root])))
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(graph[succ])))
                    advanced = True
                    break
                if succ in on_stack:
                    low[node] = min(low[node], index[succ])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    components.append(sorted(component))
    return sorted(components)


def cycle_path(component: list[str], dependencies: Mapping[str, Iterable[str]]) -> list[str]:
    """One concrete cycle inside ``component``, in data-flow order.

    Returned as ``[g0, g1, ..., g0]`` where each group feeds the next one.
    """
    members = set(component)
    # feeds[x] = groups that depend on x (x's data flows into them)
    feeds: dict[str, list[str]] = {g: [] for g in component}
    for group, deps in dependencies.items():
        if group not in members:
            continue
        for dep in deps:
            if dep in members:
                feeds[dep].append(group)
    start = component[0]
    # BFS shortest path from start back to start
    from collections import deque

    queue: deque[list[str]] = deque([[start]])
    seen = {start}
    while queue:
        path = queue.popleft()
        for nxt in sorted(feeds[path[-1]]):
            if nxt == start:
                return [*path, start]
            if nxt not in seen:
                seen.add(nxt)
                queue.append([*path, nxt])
    return [*component, component[0]]  # pragma: no cover - component is cyclic


def group_io(
    group_nodes: Iterable[str], node_io: Mapping[str, tuple[list[str], list[str]]]
) -> tuple[list[str], list[str]]:
    """Inputs (read, not produced in the group) and outputs of a group.

    Parameters are left out (they are not datasets); transcoded names are
    compared on their base name, as Kedro does.
    """
    inputs: set[str] = set()
    outputs: set[str] = set()
    for node_name in group_nodes:
        node_inputs, node_outputs = node_io[node_name]
        inputs.update(node_inputs)
        outputs.update(node_outputs)
    produced = {strip_transcoding(o) for o in outputs}
    group_inputs = sorted(
        i for i in inputs if not is_parameter(i) and strip_transcoding(i) not in produced
    )
    return group_inputs, sorted(outputs)


def quote_list(names: Iterable[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def node_location(node: Any, project_path: Path, message: str) -> dict[str, Any] | None:
    """The file and line of a node's function, relative to the project (None outside it)."""
    import inspect

    try:
        func = inspect.unwrap(node.func)
        file = Path(inspect.getsourcefile(func) or "").resolve()
        line = inspect.getsourcelines(func)[1]
        relative = file.relative_to(project_path)
    except (TypeError, OSError, ValueError):
        return None
    return {"file": relative.as_posix(), "line": line, "message": message}


def catalog_location(project_path: Path, env: str, dataset: str, message: str) -> dict[str, Any] | None:
    """The line of a dataset's entry in conf/<env>/catalog*.yml, when it has one there."""
    import re

    folder = project_path / "conf" / env
    pattern = re.compile(rf"^{re.escape(dataset)}\s*:")
    for file in sorted(folder.glob("catalog*.yml")) + sorted(folder.glob("**/catalog*.yml")):
        for number, text in enumerate(file.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if pattern.match(text):
                return {"file": file.relative_to(project_path).as_posix(), "line": number, "message": message}
    return None


def catalog_file_hint(env: str) -> str:
    if env == "base":
        return "conf/base/catalog.yml"
    return f"conf/{env}/catalog.yml"


# --------------------------------------------------------------------------- #
# Kedro-facing steps
# --------------------------------------------------------------------------- #


def import_kedro() -> Any:
    try:
        import kedro
    except ImportError as exc:
        raise PlanRefusal(
            "kedro_error",
            f"Kedro cannot be imported by the interpreter {sys.executable} "
            f"({describe_exception(exc)}). Install the project's requirements "
            f"(including kedro>=1.0) into the Python environment this step runs "
            f"with, before running the action.",
        ) from exc
    version = str(getattr(kedro, "__version__", "0"))
    try:
        major = int(version.split(".")[0])
    except ValueError:
        major = 0
    if major < 1:
        raise PlanRefusal(
            "kedro_error",
            f"The interpreter {sys.executable} has Kedro {version}; this action "
            f"needs Kedro 1.x. Upgrade kedro in the project's requirements.",
        )
    return kedro


def _read_toml(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Kedro depends on tomli below 3.11
        import tomli as tomllib
    with path.open("rb") as f:
        return tomllib.load(f)


def bootstrap(project_path: Path) -> Any:
    """``bootstrap_project`` with the "not a Kedro project" cases named."""
    shown = str(project_path)
    if not project_path.exists():
        raise PlanRefusal(
            "not_a_kedro_project",
            f"The project path '{shown}' does not exist. Set the action's "
            f"project-path input to the folder that holds the Kedro project's "
            f"pyproject.toml.",
        )
    if not project_path.is_dir():
        raise PlanRefusal(
            "not_a_kedro_project",
            f"The project path '{shown}' is not a directory. Set the action's "
            f"project-path input to the folder that holds the Kedro project's "
            f"pyproject.toml.",
        )
    pyproject = project_path / "pyproject.toml"
    if not pyproject.is_file():
        raise PlanRefusal(
            "not_a_kedro_project",
            f"'{shown}' is not a Kedro project: it has no pyproject.toml. Set the "
            f"action's project-path input to the Kedro project's root (the folder "
            f"with pyproject.toml containing a [tool.kedro] section).",
        )
    try:
        toml = _read_toml(pyproject)
    except Exception as exc:
        raise PlanRefusal(
            "not_a_kedro_project",
            f"'{pyproject}' cannot be parsed ({describe_exception(exc)}), so "
            f"'{shown}' cannot be read as a Kedro project. Fix the TOML syntax.",
        ) from exc
    tool = toml.get("tool")
    if not isinstance(tool, dict) or not isinstance(tool.get("kedro"), dict):
        raise PlanRefusal(
            "not_a_kedro_project",
            f"'{shown}' is not a Kedro project: its pyproject.toml has no "
            f"[tool.kedro] section. Add one (package_name, project_name, "
            f"kedro_init_version) or point the action's project-path input at "
            f"the Kedro project's root.",
        )

    from kedro.framework.startup import bootstrap_project

    with kedro_call("bootstrapping the project"):
        try:
            metadata = bootstrap_project(project_path)
        except (RuntimeError, NotADirectoryError) as exc:
            # Kedro's own checks of pyproject.toml / source_dir
            if isinstance(exc, NotADirectoryError) or "pyproject.toml" in str(exc):
                raise PlanRefusal(
                    "not_a_kedro_project",
                    f"'{shown}' is not a usable Kedro project: "
                    f"{describe_exception(exc)} Fix [tool.kedro] in "
                    f"'{pyproject}'.",
                ) from exc
            raise

    import importlib.util

    package_name = metadata.package_name
    try:
        spec = importlib.util.find_spec(package_name)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise PlanRefusal(
            "not_a_kedro_project",
            f"'{shown}' is not a usable Kedro project: its package '{package_name}' "
            f"(package_name in [tool.kedro] of pyproject.toml) cannot be found in "
            f"'{metadata.source_dir}'. Create src/{package_name}/ or fix "
            f"package_name / source_dir in pyproject.toml.",
        )
    return metadata


def open_session(metadata: Any, env: str, runtime_params: dict[str, Any]) -> Any:
    """A Kedro context for ``env`` with ``runtime_params``, as a run would get."""
    from kedro.framework import session as kedro_session

    service_session = getattr(kedro_session, "KedroServiceSession", None)
    with kedro_call("creating the Kedro session", env):
        if service_session is not None:
            session = service_session.create(project_path=metadata.project_path, env=env)
            return session, lambda: session.load_context(runtime_params=runtime_params)
        # Kedro 1.x releases without KedroServiceSession
        session = kedro_session.KedroSession.create(
            project_path=metadata.project_path,
            env=env,
            runtime_params=runtime_params,
            save_on_close=False,
        )
        return session, session.load_context


def _report_warnings(caught: list[warnings.WarningMessage]) -> None:
    for w in caught:
        log(f"Kedro warning: {w.category.__name__}: {w.message}")


def _import_failures(caught: list[warnings.WarningMessage]) -> list[str]:
    """find_pipelines' warnings about a pipeline module that failed to import.

    Those carry the module's traceback; the warning about a requested pipeline
    that simply does not exist has none.
    """
    return sorted(
        {
            str(w.message)
            for w in caught
            if FIND_PIPELINES_IMPORT_ERROR in str(w.message)
            and "Traceback (most recent call last)" in str(w.message)
        }
    )


def _import_failure_refusal(failures: list[str], pipeline_name: str, env: str) -> PlanRefusal:
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


def _load_pipelines(
    requested: list[str] | None,
) -> tuple[dict[str, Any] | None, BaseException | None, list[warnings.WarningMessage]]:
    """Load the registry (only ``requested`` pipelines if Kedro supports it)."""
    from kedro.framework.project import pipelines

    loaded: dict[str, Any] | None = None
    error: BaseException | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if hasattr(pipelines, "set_requested"):
                pipelines.set_requested(requested)
            loaded = dict(pipelines.items())
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            error = exc
    _report_warnings(caught)
    return loaded, error, list(caught)


def _not_found(pipeline_name: str, all_names: list[str], env: str) -> PlanRefusal:
    import difflib

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


def load_pipeline(pipeline_name: str, env: str) -> Any:
    """The pipeline as `kedro run --pipeline NAME` gets it."""
    stage = "loading the project's pipelines"
    # Like `kedro run --pipeline NAME`: only that pipeline's modules are imported.
    requested = None if pipeline_name == "__default__" else [pipeline_name]
    loaded, error, caught = _load_pipelines(requested)
    failures = _import_failures(caught)
    if error is None and failures:
        raise _import_failure_refusal(failures, pipeline_name, env)
    if error is None and loaded is not None and pipeline_name in loaded:
        return loaded[pipeline_name]

    # Not found, or the selective load failed (Kedro's find_pipelines raises for a
    # requested pipeline that does not exist): load everything to tell which.
    if requested is None:
        all_loaded, all_error, all_caught = loaded, error, caught
    else:
        all_loaded, all_error, all_caught = _load_pipelines(None)
    all_failures = _import_failures(all_caught)
    if all_error is None and all_loaded is not None:
        if pipeline_name not in all_loaded:
            failing_module = [f for f in all_failures if f".pipelines.{pipeline_name}'" in f]
            if failing_module:
                raise _import_failure_refusal(failing_module, pipeline_name, env)
            raise _not_found(pipeline_name, sorted(all_loaded), env)
        if error is None and not all_failures:
            return all_loaded[pipeline_name]
    if (
        isinstance(error, ImportError)
        and error.__cause__ is None
        and f".pipelines.{pipeline_name}'" in str(error)
    ):
        # find_pipelines(raise_errors=True) found no such pipeline package; the
        # full list could not be loaded (another pipeline is broken).
        refusal = _not_found(pipeline_name, [], env)
        reason = (
            describe_exception(all_error)
            if all_error is not None
            else "; ".join(f.split("\n", 1)[0] for f in all_failures)
        )
        refusal.message = (
            f"The project registers no pipeline named '{pipeline_name}' (Kedro's "
            f"find_pipelines has no such package); the list of registered pipelines "
            f"could not be loaded either: {reason}. Set the action's pipeline input "
            f"to a registered pipeline and fix the project's pipeline code."
        )
        raise refusal
    if error is not None:
        raise kedro_error(error, stage, env) from error
    if all_error is not None:
        raise kedro_error(all_error, stage, env) from all_error
    raise _import_failure_refusal(all_failures, pipeline_name, env)


def interrupted_namespace_warnings(pipeline: Any) -> list[str]:
    """Kedro's own "Namespace ... is interrupted" warnings for this pipeline."""
    from kedro.pipeline import Pipeline

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Pipeline(pipeline.nodes)
    return sorted({str(w.message) for w in caught if INTERRUPTED_NAMESPACE in str(w.message)})


def load_catalog(context: Any) -> Any:
    """The catalog as a `kedro run` builds it (with the project's DATA_CATALOG_CLASS)."""
    from kedro.framework.project import settings

    catalog_class = getattr(settings, "DATA_CATALOG_CLASS", None)
    get_catalog = getattr(context, "_get_catalog", None)
    if catalog_class is not None and callable(get_catalog):
        return get_catalog(catalog_class=catalog_class)
    return context.catalog


def _class_is_memory_like(type_name: str | None) -> bool:
    if type_name is None:
        return True
    if type_name in MEMORY_DATASET_TYPES:
        return True
    module_name, _, class_name = type_name.rpartition(".")
    try:
        import importlib

        cls = getattr(importlib.import_module(module_name), class_name)
        from kedro.io import MemoryDataset

        memory_classes: tuple[type, ...] = (MemoryDataset,)
        try:
            from kedro.io import SharedMemoryDataset

            memory_classes = (*memory_classes, SharedMemoryDataset)
        except ImportError:  # pragma: no cover
            pass
        return isinstance(cls, type) and issubclass(cls, memory_classes)
    except Exception:
        return False


def _config_location(config: Mapping[str, Any]) -> tuple[str | None, bool]:
    path = config.get("filepath")
    if not isinstance(path, str) or not path:
        path = config.get("path")
    if not isinstance(path, str) or not path:
        path = None
    return path, bool(config.get("versioned", False))


def _materialized_location(dataset: Any) -> tuple[str | None, bool]:
    """Best effort for a dataset object put in the catalog by code (e.g. a hook)."""
    try:
        described = dataset._describe()
    except Exception:
        return None, False
    if not isinstance(described, dict):
        return None, False
    path = described.get("filepath") or described.get("path")
    if path is None:
        return None, described.get("version") is not None
    path = str(path)
    protocol = described.get("protocol")
    if protocol and protocol != LOCAL_PROTOCOL and "://" not in path:
        path = f"{protocol}://{path}"
    return path, described.get("version") is not None


def describe_dataset(catalog: Any, name: str) -> dict[str, Any]:
    """Type, filepath, protocol, versioned, persisted of ``name`` as Kedro resolves it."""
    from kedro.io.core import get_protocol_and_path

    type_name = catalog.get_type(name)
    filepath: str | None = None
    versioned = False
    if type_name is not None:
        materialized = getattr(catalog, "_datasets", {})
        if name in materialized:
            filepath, versioned = _materialized_location(materialized[name])
        else:
            config = catalog.config_resolver.resolve_pattern(name)
            if isinstance(config, Mapping):
                filepath, versioned = _config_location(config)
    protocol = get_protocol_and_path(filepath)[0] if filepath else None
    return {
        "type": type_name,
        "filepath": filepath,
        "protocol": protocol,
        "versioned": versioned,
        "persisted": not _class_is_memory_like(type_name),
    }


def read_settings(context: Any, env: str, plan_warnings: list[str]) -> dict[str, Any]:
    from kedro.config import MissingConfigException

    config_loader = context.config_loader
    patterns = getattr(config_loader, "config_patterns", None)
    if not isinstance(patterns, dict):
        plan_warnings.append(
            f"The project's config loader ({type(config_loader).__name__}) has no "
            f"config_patterns, so '{SETTINGS_KEY}' settings could not be read "
            f"through it; using none."
        )
        return {}
    patterns.setdefault(SETTINGS_KEY, list(SETTINGS_PATTERNS))
    try:
        settings = config_loader[SETTINGS_KEY]
    except MissingConfigException:
        return {}
    if settings is None:
        return {}
    if not isinstance(settings, Mapping):
        raise PlanRefusal(
            "kedro_error",
            f"The '{SETTINGS_KEY}' config of env '{env}' is a "
            f"{type(settings).__name__}, not a mapping; make conf/base/"
            f"{SETTINGS_KEY}.yml and conf/{env}/{SETTINGS_KEY}.yml YAML mappings.",
            env=env,
        )
    # Plain JSON values only (OmegaConf already returns containers)
    return json.loads(json.dumps(dict(settings), default=str))


# --------------------------------------------------------------------------- #
# The plan
# --------------------------------------------------------------------------- #


def build_plan(
    project_path: Path, env: str, pipeline_name: str, runtime_params: dict[str, Any]
) -> dict[str, Any]:
    kedro = import_kedro()
    log(f"Kedro {kedro.__version__} on Python {sys.version.split()[0]} ({sys.executable})")

    log(f"bootstrapping {project_path}")
    metadata = bootstrap(project_path)

    log(f"creating a session in env '{env}'")
    _session, load_context = open_session(metadata, env, runtime_params)

    log(f"loading pipeline '{pipeline_name}'")
    pipeline = load_pipeline(pipeline_name, env)

    with kedro_call(f"loading the context of env '{env}'", env):
        context = load_context()
        if pipeline_name != "__default__" and hasattr(context, "_pipelines_to_validate"):
            # Scope parameter validation like `kedro run --pipeline NAME`.
            context._pipelines_to_validate = [pipeline_name]

    log(f"loading the catalog of env '{env}'")
    with kedro_call(f"loading the catalog of env '{env}'", env):
        catalog = load_catalog(context)

    with kedro_call(f"reading '{SETTINGS_KEY}' config of env '{env}'", env):
        plan_warnings: list[str] = []
        settings = read_settings(context, env, plan_warnings)

    with kedro_call(f"grouping the nodes of pipeline '{pipeline_name}'", env):
        if not hasattr(pipeline, "group_nodes_by"):
            raise RuntimeError(
                f"Kedro {kedro.__version__} has no Pipeline.group_nodes_by; upgrade "
                f"kedro in the project's requirements"
            )
        grouped = list(pipeline.group_nodes_by("namespace"))
        nodes = list(pipeline.nodes)
        interrupted = interrupted_namespace_warnings(pipeline)

    if not grouped:
        raise PlanRefusal(
            "pipeline_not_found",
            f"Pipeline '{pipeline_name}' is registered but has no nodes, so there "
            f"is nothing to deploy. Set the action's pipeline input to a pipeline "
            f"with nodes, or check the project's pipeline_registry.py.",
            env=env,
        )

    node_io = {n.name: (list(n.inputs), list(n.outputs)) for n in nodes}
    group_of_node = {node: g.name for g in grouped for node in g.nodes}

    groups: list[dict[str, Any]] = []
    for g in grouped:
        inputs, outputs = group_io(g.nodes, node_io)
        groups.append(
            {
                "name": g.name,
                "type": g.type,
                "nodes": list(g.nodes),
                "dependencies": sorted(set(g.dependencies)),
                "inputs": inputs,
                "outputs": outputs,
            }
        )

    # Producer / consumers per base name (transcoded variants share data).
    producer_of: dict[str, str] = {}
    consumers_of: dict[str, set[str]] = {}
    for node_name, (node_inputs, node_outputs) in node_io.items():
        group = group_of_node[node_name]
        for out in node_outputs:
            producer_of[strip_transcoding(out)] = group
        for inp in node_inputs:
            consumers_of.setdefault(strip_transcoding(inp), set()).add(group)

    dataset_names = sorted(
        {d for io in node_io.values() for d in (*io[0], *io[1]) if not is_parameter(d)}
    )
    datasets: list[dict[str, Any]] = []
    for name in dataset_names:
        with kedro_call(f"resolving dataset '{name}' in the catalog of env '{env}'", env):
            described = describe_dataset(catalog, name)
        base = strip_transcoding(name)
        producer = producer_of.get(base)
        consumers = sorted(consumers_of.get(base, set()))
        crossing = producer is not None and any(c != producer for c in consumers)
        datasets.append(
            {
                "name": name,
                **described,
                "producer": producer,
                "consumers": consumers,
                "crossing": crossing,
            }
        )

    # ---- refusals ------------------------------------------------------- #
    problems: list[PlanRefusal] = []

    dependencies = {g["name"]: g["dependencies"] for g in groups}
    cycles = find_group_cycles(dependencies)
    if cycles:
        problems.append(_cycle_refusal(cycles, dependencies, datasets, pipeline_name, env))

    with kedro_call(f"checking the free inputs against the catalog of env '{env}'", env):
        free_inputs = sorted(pipeline.inputs())
        missing = [name for name in free_inputs if name not in catalog]
    if missing:
        problems.append(_missing_input_refusal(missing, node_io, group_of_node, pipeline_name, env))

    memory_crossing = [d for d in datasets if d["crossing"] and not d["persisted"]]
    if memory_crossing:
        refusal = _memory_crossing_refusal(memory_crossing, pipeline_name, env)
        for d in memory_crossing:
            message = (
                f"'{d['name']}' crosses from group '{d['producer']}' to another group but is kept in memory "
                f"in env '{env}': give it a remote filepath in {catalog_file_hint(env)}"
            )
            where = catalog_location(project_path, env, d["name"], message) or next(
                (
                    loc
                    for n in nodes
                    if d["name"] in n.outputs
                    for loc in [node_location(n, project_path, message)]
                    if loc
                ),
                None,
            )
            if where:
                refusal.locations.append(where)
        problems.append(refusal)

    if problems:
        first = problems[0]
        if len(problems) > 1:
            also = "; ".join(
                f"{p.kind} ({quote_list(p.datasets or p.groups or [])})" for p in problems[1:]
            )
            first.message += f" Once that is fixed, the exporter will also refuse: {also}."
        raise first

    # ---- warnings ------------------------------------------------------- #
    plan_warnings.extend(_plan_warnings(datasets, free_inputs, catalog, env))
    plan_warnings.extend(f"Kedro: {w}" for w in interrupted)

    return {
        "schema_version": PLAN_SCHEMA_VERSION,
        "project": {
            "name": metadata.project_name,
            "package_name": metadata.package_name,
            "kedro_version": kedro.__version__,
            "python_version": f"{sys.version_info.major}.{sys.version_info.minor}",
        },
        "pipeline": pipeline_name,
        "env": env,
        "runtime_params": runtime_params,
        "groups": groups,
        "datasets": datasets,
        "settings": settings,
        "warnings": plan_warnings,
    }


def _cycle_refusal(
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
            via = sorted(
                d["name"] for d in datasets if d["producer"] == src and dst in d["consumers"]
            )
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


def _missing_input_refusal(
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
        groups=sorted(
            {group_of_node[n] for n, (ins, _) in node_io.items() if set(ins) & set(missing)}
        ),
    )


def _memory_crossing_refusal(
    crossing: list[dict[str, Any]], pipeline_name: str, env: str
) -> PlanRefusal:
    details = []
    for d in crossing:
        others = [c for c in d["consumers"] if c != d["producer"]]
        why = "no catalog entry" if d["type"] is None else f"type {d['type']}"
        details.append(
            f"'{d['name']}' (produced by group '{d['producer']}', consumed by "
            f"{quote_list(others)}; {why})"
        )
    groups = sorted(
        {d["producer"] for d in crossing} | {c for d in crossing for c in d["consumers"]}
    )
    return PlanRefusal(
        "memory_crossing",
        f"Pipeline '{pipeline_name}' cannot be split into separate AWS runs in env "
        f"'{env}': {len(crossing)} dataset(s) pass from one group to another but "
        f"would only be kept in memory, which is lost between Lambda invocations "
        f"or Batch containers: {', '.join(details)}. Add each of them to "
        f"{catalog_file_hint(env)} with a persistent dataset type and a remote "
        f"filepath (e.g. s3://<bucket>/<prefix>/<name>.parquet), or add a dataset "
        f"factory pattern there that matches them.",
        env=env,
        datasets=[d["name"] for d in crossing],
        groups=groups,
    )


def _plan_warnings(
    datasets: list[dict[str, Any]], free_inputs: list[str], catalog: Any, env: str
) -> list[str]:
    found: list[str] = []
    free = set(free_inputs)
    hint = catalog_file_hint(env)

    local_crossing = [
        d["name"]
        for d in datasets
        if d["crossing"] and d["persisted"] and d["protocol"] == LOCAL_PROTOCOL
    ]
    if local_crossing:
        found.append(
            f"Dataset(s) {quote_list(local_crossing)} pass from one group to another "
            f"but are saved on a local path in env '{env}': each Lambda invocation or "
            f"Batch container has its own disk, so the consuming group will not find "
            f"them. Give them a remote filepath (e.g. s3://...) in {hint}."
        )

    local_inputs = [
        d["name"]
        for d in datasets
        if d["name"] in free and d["persisted"] and d["protocol"] == LOCAL_PROTOCOL
    ]
    if local_inputs:
        found.append(
            f"Pipeline input(s) {quote_list(local_inputs)} are read from a local path "
            f"in env '{env}'; they exist in the Lambda/Batch runtime only if the "
            f"image ships them. Point them at remote storage in {hint}."
        )

    memory_inputs = [
        d["name"]
        for d in datasets
        if d["name"] in free and d["type"] is not None and not d["persisted"]
    ]
    if memory_inputs:
        found.append(
            f"Pipeline input(s) {quote_list(memory_inputs)} are MemoryDatasets in env "
            f"'{env}': nothing fills them in a separate run, so loading them will "
            f"fail. Give them a persistent type and a remote path in {hint}."
        )

    local_outputs = [
        d["name"]
        for d in datasets
        if d["producer"] is not None
        and not d["consumers"]
        and d["persisted"]
        and d["protocol"] == LOCAL_PROTOCOL
    ]
    if local_outputs:
        found.append(
            f"Pipeline output(s) {quote_list(local_outputs)} are saved on a local "
            f"path in env '{env}' and will be lost when the Lambda/Batch run ends. "
            f"Give them a remote filepath in {hint} to keep them."
        )
    return found


# --------------------------------------------------------------------------- #
# CLI
# --------------------------------------------------------------------------- #


class _ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # exit 2, nothing written
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_ARGUMENTS)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = _ArgumentParser(
        prog="export_plan.py",
        description="Export the deployment plan of a Kedro 1.x project as JSON.",
    )
    parser.add_argument("--project-path", required=True, help="Kedro project root")
    parser.add_argument("--env", required=True, help="Kedro configuration environment")
    parser.add_argument("--pipeline", required=True, help="registered pipeline name")
    parser.add_argument(
        "--runtime-params",
        default="{}",
        help="JSON object of runtime params (as `kedro run --params`), default {}",
    )
    parser.add_argument("--output", required=True, help="file to write the plan to")
    args = parser.parse_args(argv)
    for flag in ("project_path", "env", "pipeline", "output"):
        if not getattr(args, flag).strip():
            parser.error(f"--{flag.replace('_', '-')} must not be empty")
    try:
        params = json.loads(args.runtime_params) if args.runtime_params.strip() else {}
    except json.JSONDecodeError as exc:
        parser.error(f"--runtime-params is not valid JSON: {exc}")
    if not isinstance(params, dict):
        parser.error('--runtime-params must be a JSON object, e.g. \'{"output_prefix": "pr-7"}\'')
    args.runtime_params = params
    return args


def write_json(path: Path, payload: dict[str, Any]) -> None:
    text = json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    output = Path(args.output).expanduser().resolve()
    project_path = Path(args.project_path).expanduser().resolve()
    # The plan export is not a user's run: keep Kedro's telemetry plugin quiet.
    os.environ.setdefault("KEDRO_DISABLE_TELEMETRY", "1")

    exit_code = EXIT_OK
    try:
        payload = build_plan(project_path, args.env, args.pipeline, args.runtime_params)
        log(
            f"plan: {len(payload['groups'])} group(s), {len(payload['datasets'])} "
            f"dataset(s), {len(payload['warnings'])} warning(s)"
        )
    except PlanRefusal as refusal:
        payload = refusal.to_json()
        exit_code = EXIT_REFUSED
        log(f"refused ({refusal.kind}): {refusal.message}")
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # a bug of this exporter
        traceback.print_exc(file=sys.stderr)
        payload = PlanRefusal(
            "kedro_error",
            f"Internal error of the plan exporter: {describe_exception(exc)} "
            f"(the traceback is in the step's log).",
            env=args.env,
        ).to_json()
        exit_code = EXIT_INTERNAL_ERROR

    try:
        write_json(output, payload)
    except OSError as exc:
        log(f"cannot write {output}: {describe_exception(exc)}")
        return EXIT_INTERNAL_ERROR
    log(f"wrote {output}")
    return exit_code


def _route_stdout_to_stderr() -> None:
    """Keep stdout empty: anything (Kedro logging, print in project code) goes to stderr."""
    try:
        sys.stdout.flush()
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        pass
    sys.stdout = sys.stderr


if __name__ == "__main__":
    _route_stdout_to_stderr()
    sys.exit(main())
