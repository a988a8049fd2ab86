"""Every use of Kedro that goes past its public API, one function each.

Each function says which public API is missing and the Kedro releases it was read against
(the source of 1.5.0, 1.6.0 and 1.7.0; the tests run on the lowest and the newest of the
supported range). When Kedro changes one of these, this module is the one place to adapt.

Standard library only at import: Kedro is imported inside the functions that need it, so
the exporter can report a missing Kedro and the runtime can check its version first.
"""

from __future__ import annotations

import importlib
import os
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- #
# Project, context and catalog (plan exporter)
# --------------------------------------------------------------------------- #


def build_catalog(context: Any, catalog_class: type | None) -> Any:
    """The catalog as ``KedroServiceSession.run`` builds it, of the project's ``DATA_CATALOG_CLASS``.

    No public API: ``KedroContext.catalog`` always builds a plain ``DataCatalog``; the session
    itself calls the protected ``KedroContext._get_catalog(catalog_class=...)`` (1.5-1.7).
    """
    get_catalog = getattr(context, "_get_catalog", None)
    if catalog_class is not None and callable(get_catalog):
        return get_catalog(catalog_class=catalog_class)
    return context.catalog


def scope_parameter_validation(context: Any, pipeline_names: list[str]) -> None:
    """Validate parameters against ``pipeline_names`` only, as ``kedro run --pipeline NAME`` does.

    No public API: the session sets the context's ``_pipelines_to_validate`` before it builds
    the catalog (1.5-1.7); without it, parameters are validated against every pipeline.
    """
    if hasattr(context, "_pipelines_to_validate"):
        context._pipelines_to_validate = list(pipeline_names)


def materialized_dataset(catalog: Any, name: str) -> Any | None:
    """The dataset object the catalog already holds for ``name`` (put there by code, e.g. a hook),
    or None when it is still only configuration (lazy).

    No public API: ``DataCatalog.get`` materializes a lazy dataset (instantiating its class) and
    ``__contains__`` does not tell the two apart; they are the protected ``_datasets`` and
    ``_lazy_datasets`` (1.5-1.7).
    """
    return getattr(catalog, "_datasets", {}).get(name)


def dataset_description(dataset: Any) -> dict[str, Any] | None:
    """What a dataset object says of itself (filepath, protocol, version, ...), or None.

    No public API: the attributes a dataset was made with are only exposed through
    ``AbstractDataset._describe()`` (behind ``repr``; 1.5-1.7).
    """
    try:
        described = dataset._describe()
    except Exception:
        return None
    return described if isinstance(described, dict) else None


def is_project_metadata_error(exc: BaseException) -> bool:
    """Whether ``bootstrap_project`` raised ``exc`` for the project's metadata (pyproject.toml's
    ``[tool.kedro]``, its ``source_dir``), rather than the project's own code (its settings).

    No public API: Kedro raises plain ``RuntimeError`` / ``NotADirectoryError`` for these, with
    no class or attribute of their own. They are told apart by where they were raised,
    ``kedro/framework/startup.py`` (``_get_project_metadata``, ``_validate_source_path``; 1.5-1.7),
    not by their wording.
    """
    if not isinstance(exc, (RuntimeError, NotADirectoryError)) or exc.__traceback__ is None:
        return False
    tb = exc.__traceback__
    while tb.tb_next is not None:
        tb = tb.tb_next
    origin = _source_file(importlib.import_module("kedro.framework.startup"))
    return _source_file_name(tb.tb_frame.f_code.co_filename) == origin


# --------------------------------------------------------------------------- #
# Runtime params (plan exporter)
# --------------------------------------------------------------------------- #


def kedro_run_params(text: str) -> dict[str, Any]:
    """``text`` as ``kedro run --params TEXT`` parses it: ``key=value`` items split at every comma,
    a dotted key nested (``model.lr=0.1`` is ``{"model": {"lr": 0.1}}``), each value typed by
    OmegaConf's YAML (``true``, ``null``, numbers, quotes, ``.inf``), a later item over an earlier one.

    No public API for the parser: it is the callback of the ``--params`` option of Kedro's ``run``
    command (``kedro.framework.cli.utils._split_params``, the same in 1.5-1.7). It is reached here
    through that option itself (click's public ``Parameter.process_value``), so whatever a later
    Kedro puts behind ``kedro run --params`` is what parses the text. Raises :class:`ValueError`
    with Kedro's own message for a malformed item; OmegaConf's YAML errors (an unclosed quote or
    bracket) propagate as they are.
    """
    import click
    from kedro.framework.cli.project import run

    option = next((p for p in run.params if p.name == "params"), None)
    if option is None:  # pragma: no cover - a Kedro whose `run` has no --params
        raise ValueError("this Kedro's `kedro run` has no --params option")
    try:
        parsed = option.process_value(click.Context(run, info_name="run"), text)
    except click.ClickException as exc:
        raise ValueError(exc.format_message()) from exc
    return dict(parsed or {})


# --------------------------------------------------------------------------- #
# Pipelines (plan exporter)
# --------------------------------------------------------------------------- #


def pipeline_import_failures(caught: Iterable[warnings.WarningMessage]) -> dict[str, str]:
    """The pipeline modules that failed to import, from the warnings ``find_pipelines`` emitted:
    module name -> the warning's text (with the module's traceback).

    No public API: ``find_pipelines()`` (without ``raise_errors``) only warns, with a plain
    ``UserWarning``. A warning counts when it comes from ``kedro.framework.project`` and
    matches Kedro's own template for it, ``kedro.framework.project.IMPORT_ERROR_MESSAGE``
    (module name, then the traceback; same template in 1.5-1.7). The warning about a
    requested pipeline that does not exist has no traceback and does not match.
    """
    project = importlib.import_module("kedro.framework.project")
    pattern = _template_pattern(getattr(project, "IMPORT_ERROR_MESSAGE", ""), ("module", "tb_exc"))
    if pattern is None:  # pragma: no cover - a Kedro without the template
        return {}
    origin = _source_file(project)
    failures: dict[str, str] = {}
    for w in caught:
        if not issubclass(w.category, UserWarning) or _source_file_name(w.filename) != origin:
            continue
        text = str(w.message)
        match = pattern.fullmatch(text)
        if match and match.group("tb_exc").strip():
            failures[match.group("module")] = text
    return dict(sorted(failures.items(), key=lambda item: item[1]))


def is_missing_pipeline_package(error: BaseException | None, pipeline_name: str) -> bool:
    """Whether ``error`` is find_pipelines' (``raise_errors=True``) ImportError for a requested
    pipeline that has no package ``<package>.pipelines.<pipeline_name>``.

    No public API: Kedro raises a bare ``ImportError`` without ``name`` or ``path``; only its
    message, made with Kedro's wording (1.5-1.7), names the module. A failed import of an
    existing module is chained to its cause, so it is not mistaken for this one.
    """
    return isinstance(error, ImportError) and error.__cause__ is None and f".pipelines.{pipeline_name}'" in str(error)


def interrupted_namespace_warnings(pipeline: Any) -> list[str]:
    """Kedro's own "Namespace ... is interrupted" warnings for this pipeline.

    No public API: the namespace check (``Pipeline._validate_namespaces``) only warns, with a
    plain ``UserWarning``, when a ``Pipeline`` is made. The warnings are told apart from others
    by their origin, ``kedro/pipeline/pipeline.py``, which emits no other warning while a
    pipeline is made (1.5-1.7), not by their wording.
    """
    from kedro.pipeline import Pipeline

    # By module name: the package kedro.pipeline exports a function named `pipeline` too.
    origin = _source_file(importlib.import_module("kedro.pipeline.pipeline"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Pipeline(pipeline.nodes)
    return sorted(
        {
            str(w.message)
            for w in caught
            if issubclass(w.category, UserWarning) and _source_file_name(w.filename) == origin
        }
    )


def _template_pattern(template: str, fields: tuple[str, ...]) -> re.Pattern[str] | None:
    """A regular expression matching ``template.format(**fields)`` for any values of ``fields``."""
    parts = re.split(r"\{(\w+)\}", template)
    if len(parts) < 3 or set(parts[1::2]) != set(fields):
        return None
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>.*?)" if i < len(parts) - 2 else f"(?P<{part}>.*)"
        for i, part in enumerate(parts)
    )
    return re.compile(regex, re.DOTALL)


def _source_file(module: Any) -> str:
    return _source_file_name(getattr(module, "__file__", "") or "")


def _source_file_name(filename: str) -> str:
    return os.path.normcase(os.path.realpath(filename)) if filename else ""


# --------------------------------------------------------------------------- #
# Runtime: the catalog of one group's run, versioned outputs, the session's hooks
# --------------------------------------------------------------------------- #


def absolute_catalog_paths(project_path: Path, conf_catalog: dict[str, Any]) -> dict[str, Any]:
    """Relative local filepaths of the catalog config made absolute under ``project_path``,
    as ``KedroContext`` does before it builds the catalog.

    No public API: the function is ``kedro.framework.context.context._convert_paths_to_absolute_posix``
    (1.5-1.7). If a later Kedro moves it, the config is used as it is (paths stay relative to
    the working directory, which the runtime sets to the project path).
    """
    try:
        from kedro.framework.context.context import _convert_paths_to_absolute_posix
    except ImportError:  # pragma: no cover - moved in a future Kedro
        return conf_catalog
    return _convert_paths_to_absolute_posix(project_path=project_path, conf_dictionary=conf_catalog)


def unwrap_cached(dataset: Any) -> Any:
    """The versioned dataset inside a ``CachedDataset``, or the dataset.

    No public API: ``CachedDataset`` keeps the dataset it wraps in ``_dataset`` (1.5-1.7).
    """
    inner = getattr(dataset, "_dataset", None)
    return inner if inner is not None and hasattr(inner, "_get_versioned_path") else dataset


def versioned_path(dataset: Any, version: str) -> str:
    """Where a versioned dataset keeps ``version``: ``<filepath>/<version>/<basename>``.

    No public API: ``AbstractVersionedDataset._get_versioned_path`` (1.5-1.7); the public
    ``exists()`` only looks at the version it would load.
    """
    return str(dataset._get_versioned_path(version))


def path_exists(dataset: Any, path: str) -> bool:
    """Whether ``path`` exists where ``dataset`` stores its data (its filesystem).

    No public API: the dataset's ``_exists_function`` (``AbstractVersionedDataset``, 1.5-1.7).
    """
    return bool(dataset._exists_function(path))


def dataset_filesystem(dataset: Any) -> Any | None:
    """The fsspec filesystem a dataset writes through, or None when it has none.

    No public API: kedro-datasets' datasets keep it in ``_fs`` (kedro-datasets 9.x).
    """
    return getattr(dataset, "_fs", None)


@contextmanager
def session_hooks(session: Any, *hooks: Any) -> Iterator[bool]:
    """Hook objects registered with a session's hook manager while inside, unregistered after:
    a session kept for many invocations sees each invocation's own hooks only.

    No public API: as :func:`register_session_hooks`; ``unregister`` is pluggy's.
    Yields False when the session has no hook manager (the hooks then see nothing).
    """
    hook_manager = getattr(session, "_hook_manager", None)
    registered = register_session_hooks(session, *hooks)
    try:
        yield registered
    finally:
        if registered:
            for hook in hooks:
                if hook_manager.is_registered(hook):
                    hook_manager.unregister(hook)


@contextmanager
def session_config_loader(session: Any, loader: Any) -> Iterator[None]:
    """While inside, ``session.run(runtime_params=...)`` uses ``loader`` (when it was built with those
    same runtime params) instead of building a new one from the conf files.

    No public API: ``KedroServiceSession.run`` gets its config loader from the protected
    ``_get_config_loader(runtime_params)`` (1.5-1.7), overridden here on the instance only.
    """
    original = session._get_config_loader

    def get_config_loader(runtime_params: dict[str, Any] | None = None) -> Any:
        if dict(runtime_params or {}) == dict(getattr(loader, "runtime_params", None) or {}):
            return loader
        return original(runtime_params)

    session._get_config_loader = get_config_loader
    try:
        yield
    finally:
        del session._get_config_loader


def register_session_hooks(session: Any, *hooks: Any) -> bool:
    """Register hook objects with a session's hook manager, for this session only.

    No public API: hooks come from the project's ``settings.HOOKS`` and plugins' entry points;
    the session's plugin manager is its ``_hook_manager`` (``KedroServiceSession``, 1.5-1.7).
    Returns False when the session has none (the hooks then see nothing).
    """
    hook_manager = getattr(session, "_hook_manager", None)
    if hook_manager is None:
        return False
    for hook in hooks:
        hook_manager.register(hook)
    return True
