"""Run one group of a Kedro 1.x project inside the deployed image.

Shared by the Lambda handler (``lambda_handler.handler``) and the Batch entry
point. One call of :func:`run_group` runs one group of the plan (one
pipeline-level namespace, or the nodes of a ``nodes`` group) as one run of
the process's ``KedroServiceSession`` and returns a small JSON-able summary.
Kedro's bootstrap and the session are made at the first call and kept for
the next ones (a warm Lambda container runs many invocations); the config
loader, context, catalog and the group's hooks are made per call.

What the image gives it and what it relies on:

* The project's wheel is installed, so the project is configured with
  ``configure_project(<package>)`` (``bootstrap_project`` would need the
  project's ``pyproject.toml`` and ``src/`` tree, which the image does not have).
* The conf folder (or archive) is copied into the image; ``conf_source`` points
  at it and ``env`` picks the conf environment.
* The execution's ``run_id`` is passed to ``KedroServiceSession.run(run_id=...)``
  (the supported Kedro range is ``common.SUPPORTED_KEDRO``), which uses it as the catalog's save version: every group of one
  execution saves its versioned datasets into the same ``<filepath>/<run_id>/``
  folder. Versioned datasets that the group reads and that the pipeline itself
  produces are loaded at that same version (``load_versions``), so a group
  never reads another execution's data, even when that one is newer.
* A retry of the group with the same ``run_id`` first removes this run's own
  version of the group's versioned outputs, which only an earlier attempt of
  the same group can have written; Kedro would otherwise refuse to save them.

The code directory may be read-only and POSIX semaphores may be missing (AWS
Lambda has no ``/dev/shm``): logging goes to stderr only (``logging.yml`` next
to this file, through ``KEDRO_LOGGING_CONFIG``), nothing is written outside the
datasets' own locations, and ``multiprocessing.Lock``/``RLock`` fall back to
thread locks while the group runs when semaphores cannot be created.

Standard library only (Kedro is imported from the image when a group runs).
Python >= 3.10.
"""

from __future__ import annotations

import copy
import difflib
import inspect
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import compat, records
from .common import (
    DEFAULT_PIPELINE,
    MIN_KEDRO_VERSION,
    SUPPORTED_KEDRO,
    SUPPORTED_KEDRO_TEXT,
    KedroVersionError,
    check_kedro_version,
    is_parameter,
    strip_transcoding,
)

__all__ = [
    "GROUP_TYPES",
    "MIN_KEDRO_VERSION",
    "KedroVersionError",
    "check_kedro_version",
    "pinned_load_versions",
    "process_locks_fallback",
    "run_group",
    "semaphores_available",
    "use_stderr_logging",
    "validate_run_id",
]

GROUP_TYPES = ("namespace", "nodes")
LOGGING_CONFIG = Path(__file__).resolve().with_name("logging.yml")
LOGGING_ENV = "KEDRO_LOGGING_CONFIG"

#: Kedro's version format (``kedro.io.core.generate_timestamp``): versions are
#: compared as strings to find "the latest", so run ids should sort by time.
RUN_ID_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}\.\d{2}\.\d{2}\.\d{3}Z$")

logger = logging.getLogger("kedro_aws_action.runtime")


# --------------------------------------------------------------------------- #
# Pure helpers
# --------------------------------------------------------------------------- #


def validate_run_id(run_id: Any) -> str:
    """The run id as Kedro will use it for a version folder name.

    Kedro refuses a version that is not one path component
    (``kedro.utils._is_unsafe_version``); refuse it here with a clearer message.
    A run id outside Kedro's timestamp format is allowed but warned about:
    Kedro finds "the latest" version of a dataset by sorting names.
    """
    if not isinstance(run_id, str) or not run_id.strip():
        raise ValueError(
            f"run_id must be a non-empty string (Kedro's version format, e.g. "
            f"'2026-01-31T08.15.00.123Z'), got {run_id!r}"
        )
    if run_id != run_id.strip() or "/" in run_id or "\\" in run_id or run_id in (".", ".."):
        raise ValueError(
            f"run_id {run_id!r} cannot name a version folder: it must be one path "
            f"component without '/' or '\\', spaces around it, '.' or '..'"
        )
    if not RUN_ID_PATTERN.match(run_id):
        logger.warning(
            "run_id %r is not in Kedro's version format (YYYY-MM-DDThh.mm.ss.sssZ); "
            "Kedro orders versions by name, so 'latest' loads elsewhere may not find "
            "this run's versions in time order",
            run_id,
        )
    return run_id


def _one_line(exc: BaseException) -> str:
    """``Type: message`` on one line, then the chain of causes.

    A cause whose message is already part of the text is shown by its type
    only (Kedro wraps a dataset's error twice with the same words).
    """
    text = ""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        message = " ".join(str(current).split())
        name = type(current).__name__
        if not text:
            text = f"{name}: {message}" if message else name
        elif message and message not in text:
            text += f" <- caused by {name}: {message}"
        else:
            text += f" <- {name}"
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    return text


# --------------------------------------------------------------------------- #
# Environment of the image: logging, process locks
# --------------------------------------------------------------------------- #


def use_stderr_logging() -> str:
    """Point Kedro's logging at ``logging.yml`` (stderr only) unless set.

    Must run before ``kedro.framework.project`` is imported: Kedro reads
    ``KEDRO_LOGGING_CONFIG`` once, when that module creates ``LOGGING``. Without
    it Kedro would use ``conf/logging.yml`` of the working directory when there
    is one (the project template's has a file handler writing ``info.log``),
    else its rich handler on stdout.
    """
    return os.environ.setdefault(LOGGING_ENV, str(LOGGING_CONFIG))


_SEMAPHORES: bool | None = None
_SEMAPHORES_LOCK = threading.Lock()


def semaphores_available() -> bool:
    """Whether this process can create a POSIX semaphore (cached).

    Probes the primitive that fails on AWS Lambda (``_multiprocessing.SemLock``,
    ``OSError: [Errno 38] Function not implemented``, as Lambda has no
    ``/dev/shm``) directly, unlinking its name at once, so the probe leaves
    nothing behind and starts no resource tracker.
    """
    global _SEMAPHORES  # noqa: PLW0603
    with _SEMAPHORES_LOCK:
        if _SEMAPHORES is None:
            try:
                import _multiprocessing

                probe = _multiprocessing.SemLock(
                    1, 1, 1, f"/mp-kedro-aws-probe-{os.getpid()}-{secrets.token_hex(4)}", True
                )
            except (ImportError, AttributeError, OSError, ValueError):
                _SEMAPHORES = False
            else:
                del probe
                _SEMAPHORES = True
        return _SEMAPHORES


class _ThreadLock:
    """A ``multiprocessing.Lock`` look-alike backed by a thread lock."""

    _factory = staticmethod(threading.Lock)

    def __init__(self) -> None:
        self._lock = self._factory()

    def acquire(self, block: bool = True, timeout: float | None = None) -> bool:
        if not block:
            return self._lock.acquire(False)
        return self._lock.acquire(True, -1 if timeout is None else timeout)

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} (multiprocessing lock fallback) {self._lock!r}>"


class _ThreadRLock(_ThreadLock):
    _factory = staticmethod(threading.RLock)


_PATCHED_NAMES = ("Lock", "RLock")
_FALLBACKS = {"Lock": _ThreadLock, "RLock": _ThreadRLock}
_WARNED_NO_SEMAPHORES = False


@contextmanager
def process_locks_fallback() -> Iterator[bool]:
    """While inside, ``multiprocessing.Lock``/``RLock`` give thread locks, if needed.

    Does nothing (yields ``False``) where semaphores work. Where they do not
    (AWS Lambda), only the two module-level factories ``multiprocessing.Lock``
    and ``multiprocessing.RLock`` are replaced, only for the duration of the
    block (Kedro's import and the group's run), and restored after: code that
    takes a lock "just in case" keeps working within the one process it has,
    while anything that really needs other processes (``ParallelRunner``,
    process pools, ``get_context(...).Lock()``) still fails as it would.
    Yields ``True`` when the fallback is active.
    """
    global _WARNED_NO_SEMAPHORES  # noqa: PLW0603
    if semaphores_available():
        yield False
        return

    import multiprocessing

    if not _WARNED_NO_SEMAPHORES:
        _WARNED_NO_SEMAPHORES = True
        logger.warning(
            "POSIX semaphores are unavailable here (no /dev/shm, as on AWS Lambda): "
            "multiprocessing.Lock and multiprocessing.RLock return thread locks while "
            "the group runs; process-based runners and pools cannot work here"
        )
    saved = {name: getattr(multiprocessing, name) for name in _PATCHED_NAMES}
    for name in _PATCHED_NAMES:
        setattr(multiprocessing, name, _FALLBACKS[name])
    try:
        yield True
    finally:
        for name, original in saved.items():
            setattr(multiprocessing, name, original)


# --------------------------------------------------------------------------- #
# Kedro-facing steps (Kedro is imported lazily)
# --------------------------------------------------------------------------- #


def _import_kedro() -> Any:
    try:
        import kedro
    except ImportError as exc:
        raise KedroVersionError(
            f"Kedro cannot be imported in the image ({_one_line(exc)}); install the "
            f"project's wheel with its dependencies (kedro{SUPPORTED_KEDRO})."
        ) from exc
    version = str(getattr(kedro, "__version__", "unknown"))
    check_kedro_version(version)
    from kedro.framework.session import KedroServiceSession

    if "run_id" not in inspect.signature(KedroServiceSession.run).parameters:
        raise KedroVersionError(
            f"The image has Kedro {version}, whose KedroServiceSession.run takes no "
            f"run_id; kedro-aws-action needs {SUPPORTED_KEDRO_TEXT}."
        )
    return kedro


def _configure_project(package_name: str) -> None:
    import importlib.util

    try:
        spec = importlib.util.find_spec(package_name)
    except (ImportError, ValueError):
        spec = None
    if spec is None:
        raise ModuleNotFoundError(
            f"The Kedro project's package '{package_name}' cannot be imported in the "
            f"image: install the project's wheel there (KEDRO_PACKAGE_NAME names the "
            f"package, as [tool.kedro] package_name in pyproject.toml)."
        )
    from kedro.framework.project import configure_project

    configure_project(package_name)


def _select_group(pipeline: Any, group: str, group_type: str, nodes: list[str] | None, pipeline_name: str) -> Any:
    """The group's part of ``pipeline``, selected as ``session.run`` will select it."""
    if group_type == "namespace":
        try:
            selected = pipeline.filter(node_namespaces=[group])
        except ValueError as exc:
            namespaces = sorted({n.namespace.split(".")[0] for n in pipeline.nodes if n.namespace})
            raise ValueError(
                f"Group '{group}' (namespace): pipeline '{pipeline_name}' has no node in "
                f"namespace '{group}' (its namespaces: {namespaces or 'none'}). The image "
                f"does not match the deployed plan: rebuild and redeploy."
            ) from exc
        if nodes:
            names = {n.name for n in selected.nodes}
            if names != set(nodes):
                logger.warning(
                    "group '%s': the event lists nodes %s but namespace '%s' of the "
                    "image's pipeline has %s; running the namespace as the image has it "
                    "(the image may be older or newer than the plan)",
                    group,
                    sorted(nodes),
                    group,
                    sorted(names),
                )
        return selected

    nodes = nodes or []
    known = {n.name for n in pipeline.nodes}
    missing = [name for name in nodes if name not in known]
    if missing:
        hints = []
        for name in missing:
            close = difflib.get_close_matches(name, sorted(known), n=3)
            if close:
                hints.append(f"'{name}' (did you mean {', '.join(repr(c) for c in close)}?)")
            else:
                hints.append(f"'{name}'")
        raise ValueError(
            f"Group '{group}' (nodes): pipeline '{pipeline_name}' has no node named "
            f"{', '.join(hints)}. The image does not match the deployed plan: rebuild "
            f"and redeploy."
        )
    return pipeline.filter(node_names=list(nodes))


def _config_loader(conf_source: str, env: str, runtime_params: dict[str, Any]) -> Any:
    """The invocation's config loader, built as ``KedroServiceSession`` builds it (the project's
    ``CONFIG_LOADER_CLASS``/``ARGS``, this conf source, env and runtime params)."""
    from kedro.framework.project import settings

    return settings.CONFIG_LOADER_CLASS(
        conf_source=conf_source,
        env=env,
        runtime_params=runtime_params,
        **dict(settings.CONFIG_LOADER_ARGS),
    )


def _inspection_catalog(loader: Any, project_path: Path, run_id: str) -> Any:
    """The run's catalog as Kedro builds it, without firing the project's hooks.

    ``loader`` is the one the run uses (``_config_loader``), so patterns, globals and
    ``${runtime_params:...}`` resolve exactly as in the run; datasets stay lazy until asked for.
    The catalog and credentials config it read are left set on the loader (a copy each: Kedro
    edits the catalog config in place), so the run's context takes them from there instead of
    reading and resolving the files a second time: the same loader, the same files, the same values.
    """
    from kedro.config import MissingConfigException
    from kedro.io import DataCatalog

    conf_catalog = loader["catalog"]
    try:
        credentials = loader["credentials"]
    except MissingConfigException:
        credentials = {}
    loader["catalog"] = copy.deepcopy(conf_catalog)
    loader["credentials"] = copy.deepcopy(credentials)
    conf_catalog = compat.absolute_catalog_paths(project_path, conf_catalog)
    return DataCatalog.from_config(catalog=conf_catalog, credentials=credentials, save_version=run_id)


def _is_versioned_config(config: Any) -> bool:
    """``versioned: true`` in a resolved dataset config (or its wrapped dataset)."""
    if not isinstance(config, Mapping):
        return False
    if config.get("versioned"):
        return True
    inner = config.get("dataset")
    return isinstance(inner, Mapping) and bool(inner.get("versioned"))


def _versioned_names(catalog: Any, names: Iterable[str]) -> list[str]:
    """The names among ``names`` whose catalog entry (or pattern) is versioned."""
    resolver = catalog.config_resolver
    found = []
    for name in sorted(set(names)):
        if is_parameter(name) or name not in catalog:
            continue
        try:
            config = resolver.resolve_pattern(name)
        except Exception:  # noqa: BLE001 - not resolvable: Kedro reports it in the run
            continue
        if _is_versioned_config(config):
            found.append(name)
    return found


def pinned_load_versions(catalog: Any, pipeline: Any, selected: Any, run_id: str) -> dict[str, str]:
    """``load_versions`` for the group: its versioned inputs that the pipeline produces.

    Kedro loads a versioned dataset at its newest version unless
    ``load_versions`` names one (``AbstractVersionedDataset.resolve_load_version``
    -> ``_fetch_latest_load_version``). A dataset that some node of the pipeline
    produces was saved by this execution at version ``run_id`` (by an upstream
    group, or earlier in this group), so the group loads exactly that version:
    a newer execution, or a redrive of an older one, cannot make it read
    another run's data. Inputs that no node produces (raw data) keep Kedro's
    "newest" rule. A name that only a user catch-all pattern (``{name}``)
    matches cannot be pinned (``DataCatalog.from_config`` rejects such
    ``load_versions`` keys): it is logged and loads the newest version.
    """
    produced = {strip_transcoding(name) for name in pipeline.all_outputs()}
    candidates = [n for n in selected.all_inputs() if strip_transcoding(n) in produced]
    resolver = catalog.config_resolver
    pinned: dict[str, str] = {}
    for name in _versioned_names(catalog, candidates):
        if name in resolver.config or resolver.match_dataset_pattern(name) is not None:
            pinned[name] = run_id
        else:
            logger.warning(
                "'%s' is versioned through a catch-all dataset pattern, which Kedro's "
                "load_versions cannot name: it loads its newest version, not "
                "necessarily this run's (%s); give it its own catalog entry",
                name,
                run_id,
            )
    return pinned


def _clear_own_versions(catalog: Any, names: list[str], run_id: str, group: str) -> list[str]:
    """Remove ``<filepath>/<run_id>/<basename>`` of each versioned output, if present.

    ``AbstractVersionedDataset._get_save_path`` raises ``DatasetError("Save path
    '...' for ... must not exist if versioning is enabled.")`` when the save
    version's path exists. The save version is this execution's run_id and
    every dataset has a single producing node, so an existing path can only be
    an earlier attempt of this same group (a Step Functions retry, a redrive):
    remove it so the retry writes afresh. Returns the removed paths.
    """
    from kedro.io import AbstractVersionedDataset

    removed = []
    for name in names:
        dataset = compat.unwrap_cached(catalog.get(name))
        if not isinstance(dataset, AbstractVersionedDataset) or dataset.resolve_save_version() is None:
            continue
        path = compat.versioned_path(dataset, run_id)
        if not compat.path_exists(dataset, path):
            continue
        fs = compat.dataset_filesystem(dataset)
        if fs is None or not hasattr(fs, "rm"):
            logger.warning(
                "group '%s': '%s' already has version %s (%s) from an earlier attempt, "
                "and its dataset type %s gives no filesystem to remove it with; Kedro "
                "will refuse to save it again",
                group,
                name,
                run_id,
                path,
                type(dataset).__name__,
            )
            continue
        fs.rm(path, recursive=True)
        if hasattr(fs, "invalidate_cache"):
            fs.invalidate_cache(path)
        logger.info(
            "group '%s': removed version %s of '%s' (%s) left by an earlier attempt of "
            "this group with the same run_id, so that the retry can save it again",
            group,
            run_id,
            name,
            path,
        )
        removed.append(path)
    return removed


def _make_node_tracker(clock: PhaseClock | None = None) -> Any:
    """A Kedro hooks object that remembers which node (and dataset) is in progress, and marks on
    ``clock`` when Kedro has built the context and the catalog, when the first node starts and the
    last one ends."""
    from kedro.framework.hooks import hook_impl

    mark = clock.mark if clock is not None else (lambda _name: None)

    class NodeTracker:
        def __init__(self) -> None:
            self.node: str | None = None
            self.step: str | None = None
            self.started = False

        def _start(self) -> None:
            if not self.started:
                self.started = True
                mark("first_node_start")

        @hook_impl
        def after_context_created(self) -> None:
            mark("context")

        @hook_impl
        def after_catalog_created(self) -> None:
            mark("catalog")

        @hook_impl
        def before_pipeline_run(self) -> None:
            mark("pipeline_hooks")

        @hook_impl
        def after_node_run(self) -> None:
            mark("last_node_end")

        @hook_impl
        def after_pipeline_run(self) -> None:
            mark("pipeline_end")

        @hook_impl
        def before_dataset_loaded(self, dataset_name: str, node: Any) -> None:
            self._start()
            self.node, self.step = node.name, f"loading '{dataset_name}'"

        @hook_impl
        def before_node_run(self, node: Any) -> None:
            self._start()
            self.node, self.step = node.name, "running"

        @hook_impl
        def on_node_error(self, node: Any) -> None:
            self.node, self.step = node.name, "running"

        @hook_impl
        def before_dataset_saved(self, dataset_name: str, node: Any) -> None:
            self.node, self.step = node.name, f"saving '{dataset_name}'"

        @hook_impl
        def after_dataset_saved(self) -> None:
            mark("last_node_end")

        def describe(self) -> str:
            if self.node is None:
                return "before running any node"
            return f"in node '{self.node}' while {self.step}"

    return NodeTracker()


# --------------------------------------------------------------------------- #
# Once per process (a warm Lambda container runs many invocations, one at a time)
# --------------------------------------------------------------------------- #

_BOOTSTRAPPED: str | None = None
_SESSIONS: dict[tuple[str, str, str], Any] = {}
_CONTAINER_LOCK = threading.RLock()


def _bootstrap(package_name: str) -> None:
    """Import and check Kedro, configure the project: once per process and package.

    ``configure_project`` sets Kedro's process-wide ``settings`` and ``pipelines`` from the
    installed package, which the image does not change between invocations; a second call would
    only drop the pipelines Kedro has loaded (``pipelines.configure`` empties them).
    """
    global _BOOTSTRAPPED  # noqa: PLW0603
    with _CONTAINER_LOCK:
        if _BOOTSTRAPPED == package_name:
            return
        _import_kedro()
        _configure_project(package_name)
        _SESSIONS.clear()
        _BOOTSTRAPPED = package_name


def _session(project: Path, env: str, conf_source: str) -> Any:
    """The process's ``KedroServiceSession`` for this project, env and conf source.

    Kedro's service session is made for many runs (``KedroServiceSession``: "responsible for
    managing the lifecycle of multiple Kedro runs"): every ``run`` builds its own config loader,
    context and catalog from that run's ``runtime_params``, ``run_id`` and ``load_versions``.
    What it keeps is what does not change between invocations: the hook manager with the
    project's ``settings.HOOKS`` (the same objects whatever the session) and the plugins' hooks.
    """
    from kedro.framework.session import KedroServiceSession

    key = (str(project), env, conf_source)
    with _CONTAINER_LOCK:
        session = _SESSIONS.get(key)
        if session is None:
            session = KedroServiceSession.create(project_path=project, env=env, conf_source=conf_source)
            _SESSIONS[key] = session
        return session


def reset_process_state() -> None:
    """Forget what this process keeps between invocations (for tests)."""
    global _BOOTSTRAPPED  # noqa: PLW0603
    with _CONTAINER_LOCK:
        _BOOTSTRAPPED = None
        _SESSIONS.clear()
    records.forget_clients()


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #


def run_group(  # noqa: PLR0913
    *,
    package_name: str,
    group: str,
    group_type: str,
    env: str,
    run_id: str,
    conf_source: str | os.PathLike[str],
    nodes: list[str] | None = None,
    runtime_params: Mapping[str, Any] | None = None,
    project_path: str | os.PathLike[str] | None = None,
    pipeline_name: str = DEFAULT_PIPELINE,
) -> dict[str, Any]:
    """Run one group of the project's pipeline.

    Returns ``{"group", "type", "nodes_run", "seconds", "run_id"}`` (``nodes_run``
    is the number of nodes run, ``seconds`` the wall time of this call).

    Args:
        package_name: the project's Python package (installed in the image).
        group: the group's name (a top-level namespace, or a node's name).
        group_type: ``"namespace"`` (run ``namespaces=[group]``) or ``"nodes"``
            (run ``node_names=nodes``).
        env: Kedro conf environment (e.g. ``aws``).
        run_id: the execution's id, used as Kedro's run id and save version.
        conf_source: the conf folder (or archive) shipped in the image.
        nodes: node names; required for a ``nodes`` group, for a ``namespace``
            group only compared with the image's pipeline (a warning when they differ).
        runtime_params: Kedro runtime params (``kedro run --params``).
        project_path: project root for relative paths (default: working directory).
        pipeline_name: registered pipeline the group belongs to.

    Errors propagate unchanged (type and message) after one log line naming
    the group and the node; invalid arguments raise ``ValueError``.
    """
    attempt = _Attempt()
    started = attempt.clock.started
    try:
        result = _run_group(
            attempt,
            package_name=package_name,
            group=group,
            group_type=group_type,
            env=env,
            run_id=run_id,
            conf_source=conf_source,
            nodes=nodes,
            runtime_params=runtime_params,
            project_path=project_path,
            pipeline_name=pipeline_name,
        )
    except BaseException as exc:
        logger.error(
            "group '%s' (%s, run_id %s) failed %s: %s",
            group,
            group_type,
            run_id,
            attempt.where(),
            _one_line(exc),
        )
        raise
    finally:
        attempt.clock.mark("returned")
        LAST_PHASES.clear()
        LAST_PHASES.update(attempt.clock.summary())
    result["seconds"] = round(time.monotonic() - started, 3)
    logger.info(
        "group '%s' (%s) done: %d node(s) in %.1f s (%.2f s before the first node, %.2f s after the last), run_id %s",
        group,
        group_type,
        result["nodes_run"],
        result["seconds"],
        LAST_PHASES.get("before_first_node", 0.0),
        LAST_PHASES.get("after_last_node", 0.0),
        run_id,
    )
    return result


class PhaseClock:
    """When each phase of one invocation ended, in seconds since the invocation started.

    Marks, in the order they happen: ``bootstrap`` (Kedro imported, the project configured, its
    pipelines loaded), ``inspection`` (the action's own look at the catalog: load versions,
    earlier attempts), ``session`` (the session and the group's hooks ready), then from Kedro's
    hooks ``context``, ``catalog``, ``pipeline_hooks`` (``before_pipeline_run`` done),
    ``first_node_start``, ``last_node_end`` (the last save of the last node), ``pipeline_end``,
    then ``record`` (the run record written) and ``returned``. ``spent`` adds up time spent in
    calls made all along (``records``: the S3 calls that record the group's writes).
    """

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.marks: dict[str, float] = {}
        self.spent: dict[str, float] = {}
        #: CPU time of the process (all threads) at the start and at each mark, from process start.
        self.cpu: dict[str, float] = {"invoked": round(time.process_time(), 4)}

    def mark(self, name: str) -> None:
        self.marks[name] = round(time.monotonic() - self.started, 4)
        self.cpu[name] = round(time.process_time(), 4)

    def add(self, name: str, seconds: float) -> None:
        self.spent[name] = round(self.spent.get(name, 0.0) + seconds, 4)

    def summary(self) -> dict[str, Any]:
        """The marks and the two overheads: before the first node starts, after the last one ends."""
        marks = dict(self.marks)
        out: dict[str, Any] = {"marks": marks, "spent": dict(self.spent), "cpu": dict(self.cpu)}
        if "first_node_start" in marks and "returned" in marks:
            out["before_first_node"] = marks["first_node_start"]
            out["after_last_node"] = round(marks["returned"] - marks.get("last_node_end", marks["first_node_start"]), 4)
        return out


#: The phases of the last invocation of this process (``PhaseClock.summary``), for the handler bench.
LAST_PHASES: dict[str, Any] = {}


class _Attempt:
    """What a failure log line needs: the node tracker, once there is one; and the phase clock."""

    def __init__(self) -> None:
        self.tracker: Any = None
        self.clock = PhaseClock()

    def where(self) -> str:
        if self.tracker is None:
            return "before running any node"
        return self.tracker.describe()


def _run_group(  # noqa: PLR0913
    attempt: _Attempt,
    *,
    package_name: str,
    group: str,
    group_type: str,
    env: str,
    run_id: str,
    conf_source: str | os.PathLike[str],
    nodes: list[str] | None,
    runtime_params: Mapping[str, Any] | None,
    project_path: str | os.PathLike[str] | None,
    pipeline_name: str,
) -> dict[str, Any]:
    if not isinstance(group, str) or not group.strip():
        raise ValueError(f"group must be a non-empty string, got {group!r}")
    if group_type not in GROUP_TYPES:
        raise ValueError(f"Group '{group}': type must be one of {list(GROUP_TYPES)}, got {group_type!r}")
    if nodes is not None and (not isinstance(nodes, list) or not all(isinstance(n, str) and n for n in nodes)):
        raise ValueError(f"Group '{group}': nodes must be a list of node names, got {nodes!r}")
    if group_type == "nodes" and not nodes:
        raise ValueError(f"Group '{group}' (nodes): nodes must list the node names to run")
    if not isinstance(env, str) or not env.strip():
        raise ValueError(f"Group '{group}': env must be a non-empty string, got {env!r}")
    if not isinstance(package_name, str) or not package_name.strip():
        raise ValueError(f"package_name must be a non-empty string, got {package_name!r}")
    if runtime_params is None:
        runtime_params = {}
    if not isinstance(runtime_params, Mapping):
        raise ValueError(f"Group '{group}': runtime_params must be an object, got {runtime_params!r}")
    runtime_params = dict(runtime_params)
    run_id = validate_run_id(run_id)
    conf_source = os.fspath(conf_source)
    if "://" not in conf_source and not Path(conf_source).exists():
        raise FileNotFoundError(
            f"Group '{group}': the conf source '{conf_source}' does not exist in the "
            f"image (KEDRO_CONF_SOURCE, default <task root>/conf)."
        )
    project = Path(project_path if project_path is not None else os.getcwd()).resolve()

    use_stderr_logging()
    with process_locks_fallback():
        _bootstrap(package_name)
        from kedro.framework.project import pipelines

        logger.info(
            "group '%s' (%s) of package '%s': env '%s', run_id %s, runtime params %s",
            group,
            group_type,
            package_name,
            env,
            run_id,
            sorted(runtime_params) or "none",
        )
        requested = None if pipeline_name == DEFAULT_PIPELINE else [pipeline_name]
        pipelines.set_requested(requested)
        try:
            pipeline = pipelines[pipeline_name]
        except KeyError as exc:
            raise ValueError(
                f"Group '{group}': the project registers no pipeline "
                f"'{pipeline_name}' (it has {sorted(pipelines.keys())})"
            ) from exc
        selected = _select_group(pipeline, group, group_type, nodes, pipeline_name)
        clock = attempt.clock
        clock.mark("bootstrap")

        loader = _config_loader(conf_source, env, runtime_params)
        catalog = _inspection_catalog(loader, project, run_id)
        load_versions = pinned_load_versions(catalog, pipeline, selected, run_id)
        if load_versions:
            logger.info(
                "group '%s': loading versioned dataset(s) %s at version %s, the one this run saved",
                group,
                sorted(load_versions),
                run_id,
            )
        _clear_own_versions(catalog, _versioned_names(catalog, selected.all_outputs()), run_id, group)
        clock.mark("inspection")

        recorder, objects = _recorder(clock)
        session = _session(project, env, conf_source)
        tracker = attempt.tracker = _make_node_tracker(clock)
        hooks = [tracker, *([recorder] if recorder is not None else [])]
        with compat.session_hooks(session, *hooks), compat.session_config_loader(session, loader):
            clock.mark("session")
            status = "failed"
            try:
                session.run(
                    run_id=run_id,
                    pipeline_names=requested,
                    namespaces=[group] if group_type == "namespace" else None,
                    node_names=list(nodes) if group_type == "nodes" else None,
                    load_versions=load_versions or None,
                    runtime_params=runtime_params,
                )
                status = "succeeded"
            finally:
                if recorder is not None:
                    _write_record(objects, recorder, run_id=run_id, group=group, status=status)
                clock.mark("record")
    return {
        "group": group,
        "type": group_type,
        "nodes_run": len(selected.nodes),
        "seconds": None,
        "run_id": run_id,
    }


class _TimedObjects:
    """``records.S3Objects`` whose calls add their time to the clock's ``records``."""

    def __init__(self, objects: Any, clock: PhaseClock) -> None:
        self._objects = objects
        self._clock = clock

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._objects, name)
        if not callable(method):
            return method

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.monotonic()
            try:
                return method(*args, **kwargs)
            finally:
                self._clock.add("records", time.monotonic() - started)

        return timed


def _recorder(clock: PhaseClock | None = None) -> tuple[Any, Any]:
    """The hooks that record what this group writes, when its stage has a records location."""
    if not os.environ.get(records.RECORDS_ENV):
        logger.warning(
            "%s is not set: this group's writes are not recorded, and verify will not count them "
            "(deploy the stage again with this action to set it)",
            records.RECORDS_ENV,
        )
        return None, None
    started = time.monotonic()
    objects: Any = records.S3Objects(records.s3_client())
    if clock is not None:
        clock.add("records", time.monotonic() - started)
        objects = _TimedObjects(objects, clock)
    return records.make_recording_hooks(objects), objects


def _write_record(objects: Any, recorder: Any, *, run_id: str, group: str, status: str) -> None:
    """Writes the group's run record. On success a record that cannot be written fails the group (verify
    could not count its outputs); after a failure it is only logged (the group's own error is the news)."""
    location = os.environ[records.RECORDS_ENV]
    for problem in recorder.problems:
        logger.warning("group '%s': a save could not be recorded: %s", group, problem)
    try:
        url = records.write_record(
            objects, location, run_id=run_id, group=group, datasets=recorder.datasets, status=status
        )
    except Exception as exc:
        message = (
            f"group '{group}': could not write its run record under {location}: {_one_line(exc)} "
            f"(the role needs s3:PutObject there)"
        )
        if status == "succeeded":
            raise RuntimeError(message) from exc
        logger.error(message)
        return
    written = sum(len(d["objects"]) for d in recorder.datasets.values())
    logger.info("group '%s': recorded %d object(s) of %d dataset(s) in %s", group, written, len(recorder.datasets), url)


# Environment the image carries (set by deploy: the Lambda function's or the job definition's).
ENV_PACKAGE = "KEDRO_PACKAGE_NAME"
ENV_CONF_SOURCE = "KEDRO_CONF_SOURCE"
ENV_TASK_ROOT = "LAMBDA_TASK_ROOT"


def image_settings(environ: Mapping[str, str], where: str, hint: str = "") -> dict[str, Any]:
    """Package name, conf source and project path from the environment of the image.

    ``where`` says whose environment it is ("function's", "job's"), for the error a missing package gets.
    Shared by the Lambda handler and the Batch entry point.
    """
    package_name = (environ.get(ENV_PACKAGE) or "").strip()
    if not package_name:
        raise ValueError(
            f"{ENV_PACKAGE} is not set in the {where} environment: it must name the Kedro "
            f"project's package installed in the image ([tool.kedro] package_name){hint}"
        )
    task_root = environ.get(ENV_TASK_ROOT) or os.getcwd()
    conf_source = (environ.get(ENV_CONF_SOURCE) or "").strip() or str(Path(task_root) / "conf")
    return {"package_name": package_name, "conf_source": conf_source, "project_path": task_root}
