#!/usr/bin/env python3
"""Export the deployment plan of a Kedro 1.x project as JSON.

Run by kedro-aws-action with the user's own interpreter, from the project root:

    python export_plan.py --project-path P --env ENV --pipeline NAME \
        [--params 'key=value,model.lr=0.1' | --runtime-params '{"key": "value"}'] --output plan.json

``--params`` is the ``runtime-params`` input in Kedro's syntax, parsed by ``kedro run --params``
itself (one item a line counts as items separated by commas); ``--runtime-params`` is its JSON
object form. The plan carries the parsed params (``runtime_params``) and the text they came from
(``runtime_params_text``, null for the JSON form): every group of a run gets exactly those.

Everything is asked of Kedro itself: ``bootstrap_project`` for the metadata, a
``KedroServiceSession`` for the context (so globals, dataset factory patterns,
``${runtime_params:...}`` and credentials are resolved by Kedro's config
loader), the project's pipeline registry, ``Pipeline.group_nodes_by`` and the
``DataCatalog``. Nothing of Kedro's configuration resolution is re-implemented.

This module is the command line and puts the plan together; ``kedro_io`` is the
one that talks to Kedro, ``analysis`` (the group graph) and ``refusals`` (what is
refused or warned about) are pure, ``locations`` finds the file and line a
refusal points at.

FILE receives either a plan (``PlanSchema`` in src/plan/schema.ts) or a refusal
(``PlanErrorSchema``). Exit codes:

    0  plan written
    1  internal error of this exporter (a kedro_error PlanError is still
       written when possible)
    2  bad command-line arguments (nothing written)
    3  refusal written (PlanError: not_a_kedro_project, pipeline_not_found,
       kedro_error, memory_crossing, missing_input, cycle, local_path)

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
from contextlib import suppress
from pathlib import Path
from typing import Any

if not __package__:
    # Run by its path (`python .../kedro_aws_action/export_plan.py`, as the action runs it): Python put
    # this folder first on sys.path, where the package's modules would shadow top-level names for the
    # project's code. Put the folder that holds the package there instead, and import it as a package.
    _PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))
    if sys.path and os.path.realpath(sys.path[0] or os.curdir) == _PACKAGE_DIR:
        sys.path[0] = os.path.dirname(_PACKAGE_DIR)
    else:  # pragma: no cover - python -P (no script folder on sys.path), or an embedding interpreter
        sys.path.insert(0, os.path.dirname(_PACKAGE_DIR))

from kedro_aws_action import PLAN_SCHEMA_VERSION, analysis, filesystems, kedro_io, refusals, scaffold
from kedro_aws_action.kedro_io import log
from kedro_aws_action.locations import catalog_location, function_location
from kedro_aws_action.refusals import PlanRefusal, describe_exception

EXIT_OK = 0
EXIT_INTERNAL_ERROR = 1
EXIT_BAD_ARGUMENTS = 2
EXIT_REFUSED = 3


# --------------------------------------------------------------------------- #
# The plan
# --------------------------------------------------------------------------- #


def build_plan(
    project_path: Path,
    env: str,
    pipeline_name: str,
    runtime_params: dict[str, Any],
    params_text: str | None = None,
    scaffold_dir: Path | None = None,
    bucket: str | None = None,
) -> dict[str, Any]:
    """The plan of ``pipeline_name`` in conf env ``env``; raises :class:`PlanRefusal`.

    ``params_text``: runtime params in Kedro's ``key=value`` syntax, which replace ``runtime_params``.
    ``scaffold_dir``: where to write a suggested ``conf/<env>/catalog.yml`` and ``globals.yml``
    (``bucket`` in it) when the env is missing or lacks entries a run of one group at a time needs;
    a missing env is then read as the base env for the suggestion, and still refused.
    """
    kedro = kedro_io.import_kedro()
    log(f"Kedro {kedro.__version__} on Python {sys.version.split()[0]} ({sys.executable})")

    plan_warnings: list[str] = []
    if params_text is not None:
        runtime_params, params_warnings = kedro_io.parse_runtime_params(params_text)
        plan_warnings.extend(params_warnings)
        log(f"runtime params, as `kedro run --params` parses them: {json.dumps(runtime_params)}")

    log(f"bootstrapping {project_path}")
    metadata = kedro_io.bootstrap(project_path)
    missing_env: PlanRefusal | None = None
    try:
        kedro_io.check_env(metadata, env)
    except PlanRefusal as refusal:
        if scaffold_dir is None:
            raise
        missing_env = refusal
    try:
        return _build_plan(
            project_path, env, pipeline_name, runtime_params, params_text, plan_warnings, metadata,
            kedro.__version__, scaffold_dir, bucket, missing_env,
        )  # fmt: skip
    except PlanRefusal as refusal:
        if missing_env is None or refusal is missing_env:
            raise
        raise refusals.first_of([missing_env, refusal]) from refusal


def _build_plan(
    project_path: Path,
    env: str,
    pipeline_name: str,
    runtime_params: dict[str, Any],
    params_text: str | None,
    plan_warnings: list[str],
    metadata: Any,
    kedro_version: str,
    scaffold_dir: Path | None,
    bucket: str | None,
    missing_env: PlanRefusal | None,
) -> dict[str, Any]:
    # A missing env: read the base env, for the suggested conf/<env>/ (then refuse the env).
    read_env = kedro_io.base_env_name() if missing_env is not None else env
    if missing_env is not None:
        log(f"env '{env}' is missing: reading env '{read_env}' for a suggested conf/{env}/")

    log(f"creating a session in env '{read_env}'")
    load_context = kedro_io.open_session(metadata, read_env, runtime_params)

    log(f"loading pipeline '{pipeline_name}'")
    pipeline = kedro_io.load_pipeline(pipeline_name, env)
    context = kedro_io.load_context(load_context, pipeline_name, env)

    log(f"loading the catalog of env '{read_env}'")
    catalog = kedro_io.load_catalog(context, env)

    settings = kedro_io.read_settings(context, env, plan_warnings)

    shape = kedro_io.pipeline_shape(pipeline, pipeline_name, env)
    if not shape["groups"]:
        raise refusals.empty_pipeline_refusal(pipeline_name, env)

    node_io = shape["node_io"]
    group_of_node = {node: g["name"] for g in shape["groups"] for node in g["nodes"]}
    groups = analysis.plan_groups(shape["groups"], node_io)
    described = kedro_io.describe_datasets(catalog, analysis.dataset_names(node_io), env)
    datasets = analysis.plan_datasets(node_io, group_of_node, described)
    free_inputs, missing = kedro_io.free_inputs(pipeline, catalog, env)

    # The entries the env lacks (also the refusal's hint of a type per dataset), written when asked for.
    suggested = _scaffold(project_path, env, datasets, free_inputs, scaffold_dir, bucket, missing_env is not None)
    if missing_env is not None:
        if suggested:
            missing_env.message += (
                f" A suggested conf/{env}/catalog.yml and globals.yml, with every dataset a run of one group at a "
                f"time needs on S3, are printed in the step's log and written under the action's output 'scaffold'."
            )
        raise missing_env

    # ---- refusals ------------------------------------------------------- #
    problems: list[PlanRefusal] = []

    dependencies = {g["name"]: g["dependencies"] for g in groups}
    cycles = analysis.find_group_cycles(dependencies)
    if cycles:
        problems.append(refusals.cycle_refusal(cycles, dependencies, datasets, pipeline_name, env))

    if missing:
        problems.append(refusals.missing_input_refusal(missing, node_io, group_of_node, pipeline_name, env))

    memory_crossing = analysis.memory_crossing(datasets)
    if memory_crossing:
        refusal = refusals.memory_crossing_refusal(memory_crossing, pipeline_name, env, suggested)
        for d in memory_crossing:
            where = _memory_crossing_location(d, project_path, env, shape)
            if where:
                refusal.locations.append(where)
        problems.append(refusal)

    on_local_paths = analysis.local_path_datasets(datasets, project_path.as_posix(), refusals.LOCAL_PROTOCOL)
    if on_local_paths:
        refusal = refusals.local_path_refusal(on_local_paths, pipeline_name, env)
        for d in on_local_paths:
            where = catalog_location(project_path, env, d["name"], refusals.local_path_location_message(d, env))
            if where:
                refusal.locations.append(where)
        problems.append(refusal)

    if problems:
        raise refusals.first_of(problems)

    # ---- file systems: the packages the image needs for the catalog's protocols ---------- #
    needed = filesystems.filesystem_requirements(
        datasets, kedro_io.filesystem_implementations(), kedro_io.installed_requirements()
    )
    for entry in needed:
        message = refusals.filesystem_location_message(
            entry["protocol"], [p["name"] for p in entry["packages"]], entry["datasets"], env
        )
        found = (catalog_location(project_path, env, name, message) for name in entry["datasets"])
        entry["locations"] = [where for where in found if where][:1]

    # ---- warnings ------------------------------------------------------- #
    plan_warnings.extend(refusals.plan_warnings(datasets, free_inputs, env))
    plan_warnings.extend(f"Kedro: {w}" for w in shape["interrupted"])

    return {
        "schema_version": PLAN_SCHEMA_VERSION,
        "project": {
            "name": metadata.project_name,
            "package_name": metadata.package_name,
            "kedro_version": kedro_version,
            "python_version": f"{sys.version_info.major}.{sys.version_info.minor}",
        },
        "pipeline": pipeline_name,
        "env": env,
        "runtime_params": runtime_params,
        "runtime_params_text": params_text,
        "groups": groups,
        "datasets": datasets,
        "settings": settings,
        "filesystems": needed,
        "warnings": plan_warnings,
    }


def _scaffold(
    project_path: Path,
    env: str,
    datasets: list[dict[str, Any]],
    free_inputs: list[str],
    folder: Path | None,
    bucket: str | None,
    whole: bool,
) -> dict[str, dict[str, Any]]:
    """The catalog entries env lacks; written to ``folder`` as a suggested conf/<env>/ when it lacks
    some (``whole``: the env is missing)."""
    base = scaffold.read_base_entries(project_path / kedro_io.conf_source_name() / kedro_io.base_env_name())
    entries = scaffold.scaffold_entries(datasets, free_inputs, base)
    if folder is None or (not entries and not whole):
        return entries
    catalog = scaffold.catalog_text(entries, env)
    globals_ = scaffold.globals_text(bucket, env)
    written = scaffold.write_scaffold(folder, env, catalog, globals_)
    what = "is missing" if whole else f"lacks {len(entries)} entr{'y' if len(entries) == 1 else 'ies'} a run needs"
    log(f"conf/{env}/ {what}; suggested files: {', '.join(str(p) for p in written)}")
    return entries


def _memory_crossing_location(
    dataset: dict[str, Any], project_path: Path, env: str, shape: dict[str, Any]
) -> dict[str, Any] | None:
    """Where to fix a memory-crossing dataset: its catalog entry, else the function of a node that writes it."""
    message = refusals.memory_crossing_location_message(dataset, env)
    found = catalog_location(project_path, env, dataset["name"], message)
    if found:
        return found
    for node in analysis.producing_nodes(dataset["name"], shape["node_io"]):
        found = function_location(shape["functions"][node], project_path, message)
        if found:
            return found
    return None


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
    given = parser.add_mutually_exclusive_group()
    given.add_argument(
        "--params",
        default=None,
        help="runtime params as `kedro run --params` takes them (key=value items), parsed by Kedro",
    )
    given.add_argument(
        "--runtime-params",
        default="{}",
        help="runtime params as a JSON object, default {}",
    )
    parser.add_argument("--output", required=True, help="file to write the plan to")
    parser.add_argument(
        "--scaffold",
        default=None,
        help="folder to write a suggested conf/<env>/catalog.yml and globals.yml to, when the env needs them",
    )
    parser.add_argument("--bucket", default=None, help="the bucket the suggested globals.yml names")
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
    # Deprecation warnings of Kedro and its libraries, one log line each, would flood the log: collect them.
    digest = kedro_io.WarningDigest()
    digest.install()
    try:
        scaffold_dir = Path(args.scaffold).expanduser().resolve() if args.scaffold else None
        payload = build_plan(
            project_path, args.env, args.pipeline, args.runtime_params, args.params, scaffold_dir, args.bucket
        )
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
            f"Internal error of the plan exporter: {describe_exception(exc)} (the traceback is in the step's log).",
            env=args.env,
        ).to_json()
        exit_code = EXIT_INTERNAL_ERROR

    summary = digest.summary()
    if summary:
        log(summary)
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
