"""The plan exporter's one module that talks to Kedro: bootstrap, session, pipelines,
catalog, the action's settings. It hands plain data (names, dicts, lists) to the pure
modules (analysis, refusals).

Everything is asked of Kedro itself: ``bootstrap_project`` for the metadata, a
``KedroServiceSession`` for the context (so globals, dataset factory patterns,
``${runtime_params:...}`` and credentials are resolved by Kedro's config loader), the
project's pipeline registry, ``Pipeline.group_nodes_by`` and the ``DataCatalog``. Nothing
of Kedro's configuration resolution is re-implemented. Kedro is imported lazily, so that
a missing Kedro becomes a refusal (kedro_error) rather than an ImportError.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import logging
import math
import re
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import compat
from .common import DEFAULT_PIPELINE, SUPPORTED_KEDRO, KedroVersionError, check_kedro_version
from .refusals import (
    LOCAL_PROTOCOL,
    PlanRefusal,
    describe_exception,
    import_failure_refusal,
    missing_env_refusal,
    pipeline_not_found_refusal,
    pipeline_package_not_found_refusal,
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

LOG_PREFIX = "[export-plan]"


def log(message: str) -> None:
    print(f"{LOG_PREFIX} {message}", file=sys.stderr, flush=True)


class WarningDigest(logging.Filter):
    """Python warnings raised while exporting (deprecations of Kedro and its libraries, mostly),
    collected instead of printed one by one, and summed up once by :meth:`summary`.

    Catches both paths a warning takes: ``warnings.showwarning`` (before Kedro's logging is set up)
    and the ``py.warnings`` logger that ``logging.captureWarnings`` (Kedro's RichHandler) routes to.
    """

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}

    def add(self, text: str) -> None:
        self.counts[text] = self.counts.get(text, 0) + 1

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        m = re.search(r":\s*(\w*(?:Warning|Error)):\s*(.*)", text)
        self.add(f"{m.group(1)}: {m.group(2).strip()}" if m else text.splitlines()[0] if text else "")
        return False

    def install(self) -> None:
        logging.getLogger("py.warnings").addFilter(self)

        def show(message: Any, category: type[Warning], *_args: Any, **_kwargs: Any) -> None:
            self.add(f"{category.__name__}: {str(message).strip().splitlines()[0] if str(message).strip() else ''}")

        warnings.showwarning = show

    def summary(self, limit: int = 160) -> str | None:
        if not self.counts:
            return None
        items = []
        for text, count in self.counts.items():
            short = text if len(text) <= limit else text[: limit - 1] + "…"
            items.append(f"{short}{f' (x{count})' if count > 1 else ''}")
        total = sum(self.counts.values())
        return f"{total} Python warning(s) while exporting, each shown once: " + "; ".join(items)


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


# --------------------------------------------------------------------------- #
# Kedro and the project
# --------------------------------------------------------------------------- #


def import_kedro() -> Any:
    try:
        import kedro
    except ImportError as exc:
        raise PlanRefusal(
            "kedro_error",
            f"Kedro cannot be imported by the interpreter {sys.executable} "
            f"({describe_exception(exc)}). Install the project's requirements "
            f"(including kedro{SUPPORTED_KEDRO}) into the Python environment this step runs "
            f"with, before running the action.",
        ) from exc
    try:
        check_kedro_version(
            str(getattr(kedro, "__version__", "unknown")),
            where=f"the interpreter {sys.executable}",
            fix=f'Install a supported Kedro there (pip install "kedro{SUPPORTED_KEDRO}") and require '
            f"kedro{SUPPORTED_KEDRO} in the project's dependencies.",
        )
    except KedroVersionError as exc:
        raise PlanRefusal("kedro_error", str(exc)) from exc
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
            if compat.is_project_metadata_error(exc):
                raise PlanRefusal(
                    "not_a_kedro_project",
                    f"'{shown}' is not a usable Kedro project: "
                    f"{describe_exception(exc)} Fix [tool.kedro] in "
                    f"'{pyproject}'.",
                ) from exc
            raise

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


def check_env(metadata: Any, env: str) -> None:
    """Refuse an env that has no folder in the project's conf source, naming the envs there.

    Kedro's ``OmegaConfigLoader`` reads ``<conf source>/<env>``, and says only
    ``MissingConfigException`` (once the catalog is loaded) when it is missing. Checked only for a
    conf source that is a folder and a config loader that is Kedro's own (or derived from it).
    """
    from kedro.config import OmegaConfigLoader
    from kedro.framework.project import settings

    loader_class = getattr(settings, "CONFIG_LOADER_CLASS", OmegaConfigLoader)
    if not (isinstance(loader_class, type) and issubclass(loader_class, OmegaConfigLoader)):
        return
    project_path = Path(metadata.project_path)
    conf_source = project_path / str(getattr(settings, "CONF_SOURCE", "conf"))
    if not conf_source.is_dir() or (conf_source / env).is_dir():
        return
    envs = sorted(p.name for p in conf_source.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))
    try:
        shown = conf_source.relative_to(project_path).as_posix()
    except ValueError:
        shown = str(conf_source)
    raise missing_env_refusal(env, envs, shown)


def base_env_name() -> str:
    """The project's base env (``CONFIG_LOADER_ARGS["base_env"]``, Kedro's default ``base``)."""
    from kedro.framework.project import settings

    args = getattr(settings, "CONFIG_LOADER_ARGS", None) or {}
    return str(args.get("base_env") or "base")


def conf_source_name() -> str:
    """The project's conf source, relative to the project (``CONF_SOURCE``, Kedro's default ``conf``)."""
    from kedro.framework.project import settings

    return str(getattr(settings, "CONF_SOURCE", "conf"))


def parse_runtime_params(text: str) -> tuple[dict[str, Any], list[str]]:
    """The ``runtime-params`` input in Kedro's ``key=value`` syntax, parsed by ``kedro run --params``
    itself (:func:`compat.kedro_run_params`), and the warnings about it.

    One item a line is the same as items separated by commas (the input may be a YAML block with
    a ``key=value`` a line); otherwise the text is what ``kedro run --params`` gets. The params
    then travel as JSON (the plan, the Step Functions input, Lambda events, Batch parameters), read
    by JavaScript on the way: a value JSON cannot carry as Kedro typed it is refused, naming it.
    """
    joined = ",".join(_LINE_BREAK.split(text.strip()))
    try:
        params = compat.kedro_run_params(joined)
    except ValueError as exc:
        raise PlanRefusal(
            "kedro_error",
            f"The action's runtime-params input is not what `kedro run --params` takes: {exc} Give "
            f"key=value items separated by commas or one a line, as `kedro run --params` takes them "
            f"(a value with a comma needs the JSON object form of the input, e.g. "
            f'{{"key": "a,b"}}).',
        ) from exc
    except Exception as exc:  # OmegaConf's YAML: an unclosed quote or bracket
        raise PlanRefusal(
            "kedro_error",
            f"The action's runtime-params input has a value that `kedro run --params` cannot read "
            f"({_failing_item(joined)}: {_first_line(exc)}): each value is read as YAML, as OmegaConf "
            f"reads it. Close the quote or bracket, or quote the whole value; a value with a comma "
            f"needs the JSON object form of the input.",
        ) from exc
    problems: list[str] = []
    warned: list[str] = []
    _check_json_values(params, "", problems, warned)
    if problems:
        raise PlanRefusal(
            "kedro_error",
            f"The action's runtime-params input has value(s) that Kedro types but JSON cannot carry "
            f"to the groups (the plan, the Step Functions input, Lambda events and Batch parameters are "
            f"JSON, read by JavaScript on the way): {'; '.join(problems)}. Quote such a value "
            f"(key='.inf') to pass it as a string.",
        )
    warnings_ = (
        [
            f"Runtime param(s) {', '.join(warned)} are whole-number floats in Kedro's typing; they reach "
            f"the groups as integers (JSON, read by JavaScript on the way, keeps no difference between "
            f"1.0 and 1)."
        ]
        if warned
        else []
    )
    return params, warnings_


_LINE_BREAK = re.compile(r"\r\n|\r|\n")

#: The largest integer a JavaScript number holds exactly (``Number.MAX_SAFE_INTEGER``).
MAX_EXACT_INTEGER = 2**53 - 1


def _check_json_values(value: Any, path: str, problems: list[str], whole_floats: list[str]) -> None:
    """What in ``value`` JSON read by JavaScript cannot carry (``problems``) or carries changed."""
    shown = f"'{path}'"
    if isinstance(value, Mapping):
        for key, item in value.items():
            _check_json_values(item, f"{path}.{key}" if path else str(key), problems, whole_floats)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_json_values(item, f"{path}[{i}]", problems, whole_floats)
    elif isinstance(value, bool) or value is None or isinstance(value, str):
        return
    elif isinstance(value, int):
        if abs(value) > MAX_EXACT_INTEGER:
            problems.append(f"{shown} is the integer {value}, beyond what a JavaScript number holds exactly")
    elif isinstance(value, float):
        if not math.isfinite(value):
            problems.append(f"{shown} is the float {value} (Kedro reads .inf, -.inf and .nan as floats)")
        elif value.is_integer():
            whole_floats.append(shown)
    else:
        problems.append(f"{shown} is a {type(value).__name__}")


def _failing_item(joined: str) -> str:
    """The first ``key=value`` item that ``kedro run --params`` cannot read on its own."""
    for item in (i.strip() for i in joined.split(",")):
        if not item:
            continue
        try:
            compat.kedro_run_params(item)
        except Exception:
            return f"`{item}`"
    return "the items together"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def open_session(metadata: Any, env: str, runtime_params: dict[str, Any]) -> Callable[[], Any]:
    """A function that loads the Kedro context of ``env`` with ``runtime_params``, as a run would."""
    from kedro.framework.session import KedroServiceSession

    with kedro_call("creating the Kedro session", env):
        session = KedroServiceSession.create(project_path=metadata.project_path, env=env)
    return lambda: session.load_context(runtime_params=runtime_params)


def load_context(load: Callable[[], Any], pipeline_name: str, env: str) -> Any:
    """The context (``load`` from :func:`open_session`), its parameter validation scoped as a run's."""
    with kedro_call(f"loading the context of env '{env}'", env):
        context = load()
        if pipeline_name != DEFAULT_PIPELINE:
            compat.scope_parameter_validation(context, [pipeline_name])
    return context


# --------------------------------------------------------------------------- #
# Pipelines
# --------------------------------------------------------------------------- #


def _report_warnings(caught: list[warnings.WarningMessage]) -> None:
    for w in caught:
        log(f"Kedro warning: {w.category.__name__}: {w.message}")


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
            pipelines.set_requested(requested)
            loaded = dict(pipelines.items())
        except KeyboardInterrupt:
            raise
        except BaseException as exc:
            error = exc
    _report_warnings(caught)
    return loaded, error, list(caught)


def load_pipeline(pipeline_name: str, env: str) -> Any:
    """The pipeline as `kedro run --pipeline NAME` gets it."""
    stage = "loading the project's pipelines"
    # Like `kedro run --pipeline NAME`: only that pipeline's modules are imported.
    requested = None if pipeline_name == DEFAULT_PIPELINE else [pipeline_name]
    loaded, error, caught = _load_pipelines(requested)
    failures = compat.pipeline_import_failures(caught)
    if error is None and failures:
        raise import_failure_refusal(list(failures.values()), pipeline_name, env)
    if error is None and loaded is not None and pipeline_name in loaded:
        return loaded[pipeline_name]

    # Not found, or the selective load failed (Kedro's find_pipelines raises for a
    # requested pipeline that does not exist): load everything to tell which.
    if requested is None:
        all_loaded, all_error, all_caught = loaded, error, caught
    else:
        all_loaded, all_error, all_caught = _load_pipelines(None)
    all_failures = compat.pipeline_import_failures(all_caught)
    if all_error is None and all_loaded is not None:
        if pipeline_name not in all_loaded:
            failing_module = [
                text for module, text in all_failures.items() if module.endswith(f".pipelines.{pipeline_name}")
            ]
            if failing_module:
                raise import_failure_refusal(failing_module, pipeline_name, env)
            raise pipeline_not_found_refusal(pipeline_name, sorted(all_loaded), env)
        if error is None and not all_failures:
            return all_loaded[pipeline_name]
    if compat.is_missing_pipeline_package(error, pipeline_name):
        # find_pipelines(raise_errors=True) found no such pipeline package; the
        # full list could not be loaded (another pipeline is broken).
        reason = (
            describe_exception(all_error)
            if all_error is not None
            else "; ".join(f.split("\n", 1)[0] for f in all_failures.values())
        )
        raise pipeline_package_not_found_refusal(pipeline_name, reason, env)
    if error is not None:
        raise kedro_error(error, stage, env) from error
    if all_error is not None:
        raise kedro_error(all_error, stage, env) from all_error
    raise import_failure_refusal(list(all_failures.values()), pipeline_name, env)


def pipeline_shape(pipeline: Any, pipeline_name: str, env: str) -> dict[str, Any]:
    """The pipeline as plain data, for the pure analysis.

    ``groups``: Kedro's ``group_nodes_by("namespace")`` (name, type, nodes, dependencies);
    ``node_io``: node name -> (inputs, outputs), in the pipeline's node order;
    ``functions``: node name -> its function; ``interrupted``: Kedro's interrupted-namespace
    warnings.
    """
    with kedro_call(f"grouping the nodes of pipeline '{pipeline_name}'", env):
        grouped = [
            {"name": g.name, "type": g.type, "nodes": list(g.nodes), "dependencies": list(g.dependencies)}
            for g in pipeline.group_nodes_by("namespace")
        ]
        nodes = list(pipeline.nodes)
        interrupted = compat.interrupted_namespace_warnings(pipeline)
    return {
        "groups": grouped,
        "node_io": {n.name: (list(n.inputs), list(n.outputs)) for n in nodes},
        "functions": {n.name: n.func for n in nodes},
        "interrupted": interrupted,
    }


def free_inputs(pipeline: Any, catalog: Any, env: str) -> tuple[list[str], list[str]]:
    """The pipeline's free inputs (no node produces them), and those the catalog lacks."""
    with kedro_call(f"checking the free inputs against the catalog of env '{env}'", env):
        names = sorted(pipeline.inputs())
        missing = [name for name in names if name not in catalog]
    return names, missing


# --------------------------------------------------------------------------- #
# Catalog and settings
# --------------------------------------------------------------------------- #


def load_catalog(context: Any, env: str) -> Any:
    """The catalog as a `kedro run` builds it (with the project's DATA_CATALOG_CLASS)."""
    from kedro.framework.project import settings

    with kedro_call(f"loading the catalog of env '{env}'", env):
        return compat.build_catalog(context, getattr(settings, "DATA_CATALOG_CLASS", None))


def _class_is_memory_like(type_name: str | None) -> bool:
    if type_name is None:
        return True
    if type_name in MEMORY_DATASET_TYPES:
        return True
    module_name, _, class_name = type_name.rpartition(".")
    try:
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
    described = compat.dataset_description(dataset)
    if described is None:
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
        materialized = compat.materialized_dataset(catalog, name)
        if materialized is not None:
            filepath, versioned = _materialized_location(materialized)
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


def describe_datasets(catalog: Any, names: list[str], env: str) -> dict[str, dict[str, Any]]:
    """:func:`describe_dataset` of each name, a failure naming the dataset."""
    described: dict[str, dict[str, Any]] = {}
    for name in names:
        with kedro_call(f"resolving dataset '{name}' in the catalog of env '{env}'", env):
            described[name] = describe_dataset(catalog, name)
    return described


def read_settings(context: Any, env: str, plan_warnings: list[str]) -> dict[str, Any]:
    """The action's settings (``kedro_aws*`` in conf/base and conf/<env>) through the project's config loader."""
    with kedro_call(f"reading '{SETTINGS_KEY}' config of env '{env}'", env):
        return _read_settings(context, env, plan_warnings)


def _read_settings(context: Any, env: str, plan_warnings: list[str]) -> dict[str, Any]:
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
# File systems and installed distributions (for the packages the catalog's protocols need)
# --------------------------------------------------------------------------- #


def filesystem_implementations() -> dict[str, str]:
    """fsspec's protocols and the class of each (``s3`` -> ``s3fs.S3FileSystem``): those fsspec knows
    of, and those registered at run time (by a plugin, or the project)."""
    try:
        from fsspec.registry import known_implementations, registry
    except ImportError:  # pragma: no cover - fsspec is a dependency of Kedro
        return {}
    found = {protocol: str(spec.get("class", "")) for protocol, spec in known_implementations.items()}
    for protocol, cls in registry.items():
        found[protocol] = f"{cls.__module__}.{cls.__qualname__}"
    return found


def installed_requirements() -> dict[str, list[str]]:
    """Each installed distribution's Requires-Dist (as ``importlib.metadata`` reads them), by
    normalised name; the first of a name on ``sys.path`` wins, as for imports."""
    from importlib import metadata

    from .filesystems import normalize

    found: dict[str, list[str]] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"] if dist.metadata else None
        if name:
            found.setdefault(normalize(name), list(dist.requires or []))
    return found
