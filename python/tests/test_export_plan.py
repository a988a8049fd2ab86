"""Tests of python/kedro_aws_action/export_plan.py.

The exporter runs in a subprocess, as the action runs it: by its script path,
with this interpreter (which must have Kedro 1.x and kedro-datasets), from the
project root.

    KEDRO_DISABLE_TELEMETRY=1 .venv/bin/python -m pytest python/tests
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
EXPORTER = REPO / "python" / "kedro_aws_action" / "export_plan.py"
EXAMPLE = REPO / "examples" / "spaceflights"
FIXTURES = REPO / "test" / "fixtures" / "projects"
VALIDATOR = Path(__file__).resolve().parent / "validate_plan.js"

sys.path.insert(0, str(REPO / "python"))
from kedro_aws_action import analysis, common, export_plan, filesystems  # noqa: E402

PLAN_KEYS = {
    "schema_version",
    "project",
    "pipeline",
    "env",
    "runtime_params",
    "runtime_params_text",
    "groups",
    "datasets",
    "settings",
    "filesystems",
    "warnings",
}
PROJECT_KEYS = {"name", "package_name", "kedro_version", "python_version"}
GROUP_KEYS = {"name", "type", "nodes", "dependencies", "inputs", "outputs"}
DATASET_KEYS = {
    "name",
    "type",
    "filepath",
    "protocol",
    "versioned",
    "persisted",
    "producer",
    "consumers",
    "crossing",
}
ERROR_KEYS = {"kind", "message", "env", "datasets", "groups", "locations"}


class Result:
    def __init__(self, proc: subprocess.CompletedProcess, output: Path) -> None:
        self.returncode = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.output = output
        self.json = json.loads(output.read_text()) if output.exists() else None

    def __repr__(self) -> str:  # shown by pytest on failure
        return f"<rc={self.returncode} json={self.json}\nstderr tail:\n{self.stderr[-3000:]}>"


def run_exporter(
    project: Path | str,
    out_dir: Path,
    *,
    env: str = "aws",
    pipeline: str = "__default__",
    runtime_params: dict | None = None,
    python_flags: tuple[str, ...] = (),
    extra_args: list[str] | None = None,
    extra_params: str | None = None,
    scaffold: Path | None = None,
    bucket: str | None = None,
) -> Result:
    output = out_dir / f"plan-{env}-{pipeline}.json"
    if output.exists():
        output.unlink()
    args = [
        sys.executable,
        *python_flags,
        str(EXPORTER),
        "--project-path",
        str(project),
        "--env",
        env,
        "--pipeline",
        pipeline,
        *(
            [f"--params={extra_params}"]
            if extra_params is not None
            else ["--runtime-params", json.dumps(runtime_params or {})]
        ),
        "--output",
        str(output),
        *(["--scaffold", str(scaffold)] if scaffold is not None else []),
        *(["--bucket", bucket] if bucket is not None else []),
    ]
    if extra_args is not None:
        args = [sys.executable, str(EXPORTER), *extra_args]
    environ = {**os.environ, "KEDRO_DISABLE_TELEMETRY": "1"}
    cwd = project if Path(project).is_dir() else out_dir
    proc = subprocess.run(args, cwd=cwd, env=environ, capture_output=True, text=True, timeout=300)
    return Result(proc, output)


def assert_plan_shape(plan: dict) -> None:
    assert set(plan) == PLAN_KEYS
    assert plan["schema_version"] == 1
    assert set(plan["project"]) == PROJECT_KEYS
    assert plan["groups"], "a plan has at least one group"
    for group in plan["groups"]:
        assert set(group) == GROUP_KEYS
        assert group["type"] in ("namespace", "nodes")
        assert group["nodes"]
    for dataset in plan["datasets"]:
        assert set(dataset) == DATASET_KEYS
        assert not common.is_parameter(dataset["name"])
    assert [d["name"] for d in plan["datasets"]] == sorted(d["name"] for d in plan["datasets"])
    assert isinstance(plan["settings"], dict)
    assert all(isinstance(w, str) for w in plan["warnings"])


def assert_refusal(result: Result, kind: str) -> dict:
    assert result.returncode == export_plan.EXIT_REFUSED, result
    assert result.stdout == ""
    assert result.json is not None, result
    assert set(result.json) == {"schema_version", "error"}
    assert result.json["schema_version"] == 1
    error = result.json["error"]
    assert set(error) <= ERROR_KEYS
    assert error["kind"] == kind, result
    assert error["message"]
    return error


def datasets_by_name(plan: dict) -> dict[str, dict]:
    return {d["name"]: d for d in plan["datasets"]}


def needs(path: Path) -> None:
    if not (path / "pyproject.toml").is_file():
        pytest.skip(f"{path} is not there (yet)")


# --------------------------------------------------------------------------- #
# Scratch projects
# --------------------------------------------------------------------------- #


def write_project(
    root: Path,
    package: str,
    registry_body: str,
    catalogs: dict[str, str],
    parameters: str = "",
) -> Path:
    """A minimal Kedro project: pyproject.toml, src/<package>, conf/<env>/catalog.yml."""
    (root / "src" / package).mkdir(parents=True)
    (root / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""\
            [tool.kedro]
            package_name = "{package}"
            project_name = "{package}"
            kedro_init_version = "1.7.0"
            source_dir = "src"
            """
        )
    )
    (root / "src" / package / "__init__.py").write_text("")
    (root / "src" / package / "settings.py").write_text("")
    (root / "src" / package / "nodes.py").write_text("def ident(x, *rest):\n    return x\n")
    (root / "src" / package / "pipeline_registry.py").write_text(
        "from kedro.pipeline import Node, Pipeline\n"
        "from .nodes import ident\n\n\n"
        "def register_pipelines():\n" + textwrap.indent(textwrap.dedent(registry_body), "    ")
    )
    for env, text in {"base": "", **catalogs}.items():
        (root / "conf" / env).mkdir(parents=True, exist_ok=True)
        (root / "conf" / env / "catalog.yml").write_text(textwrap.dedent(text))
    if parameters:
        (root / "conf" / "base" / "parameters.yml").write_text(textwrap.dedent(parameters))
    return root


CYCLE_REGISTRY = """\
pipe = Pipeline([
    Node(ident, "raw", "a_first", name="a1", namespace="a"),
    Node(ident, "a_first", "b_mid", name="b1", namespace="b"),
    Node(ident, "b_mid", "a_last", name="a2", namespace="a"),
])
return {"__default__": pipe}
"""

CYCLE_CATALOG = """\
raw:
  type: pickle.PickleDataset
  filepath: s3://bucket/raw.pkl
"{name}":
  type: pickle.PickleDataset
  filepath: s3://bucket/{name}.pkl
"""


# --------------------------------------------------------------------------- #
# The example project
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="module")
def example_aws(tmp_path_factory):
    needs(EXAMPLE)
    out = tmp_path_factory.mktemp("example-aws")
    return run_exporter(EXAMPLE, out, env="aws", runtime_params={"output_prefix": "pr-7"})


@pytest.fixture(scope="module")
def example_base(tmp_path_factory):
    needs(EXAMPLE)
    out = tmp_path_factory.mktemp("example-base")
    return run_exporter(EXAMPLE, out, env="base")


def test_example_aws_groups(example_aws):
    assert example_aws.returncode == 0, example_aws
    assert example_aws.stdout == ""
    plan = example_aws.json
    assert_plan_shape(plan)
    groups = {g["name"]: g for g in plan["groups"]}
    assert set(groups) == {"data_processing", "data_science", "reporting"}
    assert all(g["type"] == "namespace" for g in groups.values())
    assert groups["data_processing"]["dependencies"] == []
    assert groups["data_science"]["dependencies"] == ["data_processing"]
    assert groups["reporting"]["dependencies"] == ["data_processing"]
    # Kedro's order: the group with no dependency first
    assert plan["groups"][0]["name"] == "data_processing"
    for name, group in groups.items():
        assert all(n.startswith(f"{name}.") for n in group["nodes"])
    assert "model_input_table" in groups["data_science"]["inputs"]
    assert "model_input_table" in groups["data_processing"]["outputs"]
    assert plan["project"]["package_name"] == "spaceflights"
    assert plan["project"]["kedro_version"].startswith("1.")
    assert plan["project"]["python_version"] == f"{sys.version_info[0]}.{sys.version_info[1]}"
    assert plan["pipeline"] == "__default__"
    assert plan["env"] == "aws"
    assert plan["runtime_params"] == {"output_prefix": "pr-7"}
    assert plan["runtime_params_text"] is None  # given as a JSON object


def test_example_aws_datasets_on_s3_with_runtime_param(example_aws):
    plan = example_aws.json
    datasets = datasets_by_name(plan)
    assert datasets, plan
    for d in datasets.values():
        assert d["persisted"] is True, d
        assert d["protocol"] == "s3", d
        assert d["filepath"].startswith("s3://"), d
        assert d["type"].startswith("kedro_datasets."), d
        assert "${" not in d["filepath"], d
    # written datasets carry the runtime param, raw inputs do not
    for d in datasets.values():
        if d["producer"] is not None:
            assert "/pr-7/" in d["filepath"], d
    assert datasets["model_input_table"]["crossing"] is True
    assert datasets["model_input_table"]["producer"] == "data_processing"
    assert datasets["model_input_table"]["consumers"] == ["data_science"]
    assert datasets["companies"]["producer"] is None
    assert datasets["companies"]["crossing"] is False


def test_example_versioned_flags(example_aws):
    datasets = datasets_by_name(example_aws.json)
    versioned = {n for n, d in datasets.items() if d["versioned"]}
    assert versioned == {"regressor", "shuttle_type_summary"}


def test_example_filesystems_name_the_package_of_s3(example_aws):
    # s3:// needs s3fs (fsspec's extra "s3"); fsspec[s3] brings it in too.
    (s3,) = example_aws.json["filesystems"]
    assert s3["protocol"] == "s3"
    assert s3["datasets"] == sorted(datasets_by_name(example_aws.json))
    (package,) = s3["packages"]
    assert package["name"] == "s3fs"
    assert "fsspec[s3]" in package["provided_by"]
    (where,) = s3["locations"]
    assert where["file"] == "conf/aws/catalog.yml" and "'s3fs'" in where["message"]


def test_example_settings_read_through_kedro(example_aws):
    settings = example_aws.json["settings"]
    assert isinstance(settings, dict) and settings, settings
    import yaml

    raw = yaml.safe_load((EXAMPLE / "conf" / "aws" / "kedro_aws.yml").read_text())
    assert settings == raw  # no conf/base/kedro_aws.yml: the aws file as is


def test_example_runtime_param_default(tmp_path):
    needs(EXAMPLE)
    result = run_exporter(EXAMPLE, tmp_path, env="aws")
    assert result.returncode == 0, result
    assert result.json["runtime_params"] == {}
    written = [d for d in result.json["datasets"] if d["producer"] is not None]
    assert written and all("/main/" in d["filepath"] for d in written)


def test_example_params_in_kedro_syntax_parsed_by_kedro(tmp_path):
    """--params: the runtime-params input in `kedro run --params` syntax, as Kedro parses it, used for the catalog."""
    needs(EXAMPLE)
    from kedro.framework.cli.project import run

    text = "output_prefix=pr-8, model_options.test_size=0.5\nstrict=true,label=null"
    result = run_exporter(EXAMPLE, tmp_path, env="aws", extra_params=text)
    assert result.returncode == 0, result
    plan = result.json
    assert_plan_shape(plan)
    kedro = run.make_context("run", ["--params=output_prefix=pr-8, model_options.test_size=0.5,strict=true,label=null"])
    assert plan["runtime_params"] == kedro.params["params"]
    assert plan["runtime_params"] == {
        "output_prefix": "pr-8",
        "model_options": {"test_size": 0.5},
        "strict": True,
        "label": None,
    }
    assert plan["runtime_params_text"] == text
    written = [d for d in plan["datasets"] if d["producer"] is not None]
    assert written and all("/pr-8/" in d["filepath"] for d in written)


def test_params_kedro_cannot_read_are_refused_naming_the_input(tmp_path):
    result = run_exporter(EXAMPLE, tmp_path, env="aws", extra_params="a=1,oops")
    error = assert_refusal(result, "kedro_error")
    assert error["message"].startswith("The action's runtime-params input is not what `kedro run --params` takes")
    assert "Item `oops` must contain a key and a value" in error["message"]


def test_missing_env_names_the_env_input_and_the_envs_there(tmp_path):
    needs(EXAMPLE)
    result = run_exporter(EXAMPLE, tmp_path, env="asw")
    error = assert_refusal(result, "kedro_error")
    assert error["message"] == (
        "The action's env input is 'asw', but the project has no conf/asw folder, so Kedro would fail with "
        "MissingConfigException. The envs under conf/ are 'aws', 'base', 'local'. Did you mean 'aws'? Set env to "
        "the one that holds the catalog for runs on AWS, or create conf/asw/ with it (catalog entries with remote "
        "filepaths, e.g. s3://...)."
    )
    assert error["env"] == "asw"


def test_example_base_is_refused_for_its_local_paths(example_base):
    # In env base every dataset is a local file under data/: no group could read or keep them on AWS.
    error = assert_refusal(example_base, "local_path")
    assert error["env"] == "base"
    assert "model_input_table" in error["datasets"]  # crosses data_processing -> data_science
    assert "companies" in error["datasets"]  # a pipeline input: the image ships no data
    assert "metrics" in error["datasets"]  # an output, not under /tmp
    message = error["message"]
    assert "'model_input_table' at data/03_primary/model_input_table.parquet" in message
    assert "a disk of its own" in message and "ships no data" in message and "read-only" in message
    assert "s3://" in message and "/tmp" in message and "conf/base/catalog.yml" in message
    # Each one is marked on its catalog entry, with its own fix.
    where = {loc["message"].split("'")[1]: loc for loc in error["locations"]}
    assert set(where) == set(error["datasets"])
    lines = (EXAMPLE / "conf" / "base" / "catalog.yml").read_text().splitlines()
    for name, loc in where.items():
        assert loc["file"] == "conf/base/catalog.yml"
        assert lines[loc["line"] - 1].startswith(f"{name}:")
    assert "/tmp" in where["metrics"]["message"]
    assert "/tmp" not in where["model_input_table"]["message"]  # /tmp is not shared between groups


def test_example_single_pipeline(tmp_path):
    needs(EXAMPLE)
    result = run_exporter(EXAMPLE, tmp_path, env="aws", pipeline="data_science")
    assert result.returncode == 0, result
    plan = result.json
    assert [g["name"] for g in plan["groups"]] == ["data_science"]
    assert plan["groups"][0]["dependencies"] == []  # data_processing is not in this pipeline
    assert datasets_by_name(plan)["model_input_table"]["producer"] is None


def test_example_plan_is_deterministic(tmp_path, example_aws):
    again = run_exporter(EXAMPLE, tmp_path, env="aws", runtime_params={"output_prefix": "pr-7"})
    assert again.output.read_text() == example_aws.output.read_text()


# --------------------------------------------------------------------------- #
# Fixture projects
# --------------------------------------------------------------------------- #


def test_memory_crossing_refused_in_aws(tmp_path):
    project = FIXTURES / "memory-crossing"
    needs(project)
    result = run_exporter(project, tmp_path, env="aws")
    error = assert_refusal(result, "memory_crossing")
    assert error["env"] == "aws"
    assert error["datasets"] == ["handoff_table"]
    assert error["groups"] == ["a", "b"]
    assert "handoff_table" in error["message"]
    assert "'aws'" in error["message"]
    assert "conf/aws/catalog.yml" in error["message"]
    assert "group 'a'" in error["message"] and "'b'" in error["message"]


def test_memory_crossing_fixture_as_is_is_also_refused_in_base(tmp_path):
    # The fixture gives handoff_table no entry in base either, so in env base it
    # is a MemoryDataset too: refused there as well (rule (a) is per env).
    project = FIXTURES / "memory-crossing"
    needs(project)
    error = assert_refusal(run_exporter(project, tmp_path, env="base"), "memory_crossing")
    assert error["env"] == "base"
    assert "conf/base/catalog.yml" in error["message"]


def test_memory_crossing_with_a_local_entry_in_base_is_refused_for_its_path(tmp_path):
    project = FIXTURES / "memory-crossing"
    needs(project)
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("data", "__pycache__"))
    with (copy / "conf" / "base" / "catalog.yml").open("a") as f:
        f.write(
            "\nhandoff_table:\n  type: pandas.ParquetDataset\n  filepath: data/02_intermediate/handoff_table.parquet\n"
        )
    # Persisted now, but on the local disk of group a, which group b does not share.
    error = assert_refusal(run_exporter(copy, tmp_path, env="base"), "local_path")
    assert "handoff_table" in error["datasets"]
    assert (
        "'handoff_table' at data/02_intermediate/handoff_table.parquet (written by group 'a', read by 'b')"
        in (error["message"])
    )
    where = {loc["message"].split("'")[1]: loc for loc in error["locations"]}
    assert where["handoff_table"]["file"] == "conf/base/catalog.yml"


def test_no_namespaces_one_group_per_node(tmp_path):
    project = FIXTURES / "no-namespaces"
    needs(project)
    result = run_exporter(project, tmp_path, env="aws")
    assert result.returncode == 0, result
    plan = result.json
    assert_plan_shape(plan)
    assert len(plan["groups"]) > 1
    for group in plan["groups"]:
        assert group["type"] == "nodes"
        assert group["nodes"] == [group["name"]]
    names = {g["name"] for g in plan["groups"]}
    for group in plan["groups"]:
        assert set(group["dependencies"]) <= names


@pytest.mark.parametrize(
    ("fixture", "dependencies"),
    [
        ("diamond", {"a": [], "b": ["a"], "c": ["a"], "d": ["b", "c"]}),
        ("n-shaped", {"a": [], "b": [], "c": ["a", "b"], "d": ["b"]}),
    ],
)
def test_fixture_group_dependencies(tmp_path, fixture, dependencies):
    project = FIXTURES / fixture
    needs(project)
    result = run_exporter(project, tmp_path, env="aws")
    assert result.returncode == 0, result
    assert_plan_shape(result.json)
    assert {g["name"]: g["dependencies"] for g in result.json["groups"]} == dependencies
    assert result.json["warnings"] == []


# --------------------------------------------------------------------------- #
# Refusals
# --------------------------------------------------------------------------- #


def test_not_a_kedro_project_without_pyproject(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    error = assert_refusal(run_exporter(empty, tmp_path), "not_a_kedro_project")
    assert str(empty) in error["message"]
    assert "pyproject.toml" in error["message"]


def test_not_a_kedro_project_without_tool_kedro(tmp_path):
    project = tmp_path / "plain"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "plain"\n')
    error = assert_refusal(run_exporter(project, tmp_path), "not_a_kedro_project")
    assert "[tool.kedro]" in error["message"]


def test_not_a_kedro_project_missing_path(tmp_path):
    missing = tmp_path / "does-not-exist"
    error = assert_refusal(run_exporter(missing, tmp_path), "not_a_kedro_project")
    assert str(missing) in error["message"]


def test_pipeline_not_found_lists_registered_names(tmp_path):
    needs(EXAMPLE)
    error = assert_refusal(run_exporter(EXAMPLE, tmp_path, pipeline="data_sciense"), "pipeline_not_found")
    for name in ("__default__", "data_processing", "data_science", "reporting"):
        assert f"'{name}'" in error["message"]
    assert "Did you mean 'data_science'" in error["message"]


def test_broken_catalog_yaml_is_a_kedro_error(tmp_path):
    project = FIXTURES / "diamond"
    needs(project)
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("data", "__pycache__"))
    with (copy / "conf" / "aws" / "catalog.yml").open("a") as f:
        f.write("\nbroken:\n  type: pandas.CSVDataset\n  filepath: [unclosed\n")
    result = run_exporter(copy, tmp_path, env="aws")
    error = assert_refusal(result, "kedro_error")
    assert error["message"].startswith("ParserError: ")
    assert "conf/aws/catalog.yml" in error["message"]
    assert error["env"] == "aws"
    assert "Traceback (most recent call last)" in result.stderr


def test_import_error_in_pipeline_code_is_a_kedro_error(tmp_path):
    needs(EXAMPLE)
    copy = tmp_path / "project"
    shutil.copytree(EXAMPLE, copy, ignore=shutil.ignore_patterns("data", "__pycache__"))
    # The default template's find_pipelines() only *warns* about a broken module.
    registry = copy / "src" / "spaceflights" / "pipeline_registry.py"
    registry.write_text(registry.read_text().replace("find_pipelines(raise_errors=True)", "find_pipelines()"))
    nodes = copy / "src" / "spaceflights" / "pipelines" / "data_science" / "nodes.py"
    nodes.write_text(nodes.read_text() + "\nimport module_that_does_not_exist_xyz\n")
    error = assert_refusal(run_exporter(copy, tmp_path, env="aws"), "kedro_error")
    assert "spaceflights.pipelines.data_science" in error["message"]
    assert "module_that_does_not_exist_xyz" in error["message"]
    # The other pipelines are still exportable, as with `kedro run --pipeline`.
    ok = run_exporter(copy, tmp_path, env="aws", pipeline="data_processing")
    assert ok.returncode == 0, ok


def test_unknown_dataset_type_is_a_kedro_error(tmp_path):
    project = write_project(
        tmp_path / "p",
        "unknown_type_proj",
        'return {"__default__": Pipeline([Node(ident, "raw", "out", name="n")])}\n',
        {"aws": "raw:\n  type: pandas.NoSuchDataset\n  filepath: s3://b/raw.csv\n"},
    )
    error = assert_refusal(run_exporter(project, tmp_path, env="aws"), "kedro_error")
    assert "NoSuchDataset" in error["message"]


def test_cycle_between_groups(tmp_path):
    # Kedro accepts this pipeline (node graph is acyclic) and only warns that
    # namespace 'a' is interrupted; the group graph a -> b -> a is a cycle.
    project = write_project(tmp_path / "p", "cycle_proj", CYCLE_REGISTRY, {"aws": CYCLE_CATALOG})
    result = run_exporter(project, tmp_path, env="aws")
    error = assert_refusal(result, "cycle")
    assert error["groups"] == ["a", "b"]
    assert "a -> b -> a" in error["message"]
    assert "'a_first'" in error["message"] and "'b_mid'" in error["message"]
    assert "interrupted" in result.stderr  # Kedro's own warning, relayed


def test_missing_input(tmp_path):
    project = write_project(
        tmp_path / "p",
        "missing_proj",
        """\
        pipe = Pipeline([
            Node(ident, ["raw", "params:factor"], "mid", name="n1", namespace="a"),
            Node(ident, ["mid", "lookup"], "out", name="n2", namespace="a"),
        ])
        return {"__default__": pipe}
        """,
        {"aws": "raw:\n  type: pickle.PickleDataset\n  filepath: s3://b/raw.pkl\n"},
        parameters="factor: 2\n",
    )
    error = assert_refusal(run_exporter(project, tmp_path, env="aws"), "missing_input")
    assert error["datasets"] == ["lookup"]
    assert error["env"] == "aws"
    assert "conf/aws/catalog.yml" in error["message"]


def test_missing_parameter_is_a_missing_input(tmp_path):
    project = write_project(
        tmp_path / "p",
        "missing_param_proj",
        'pipe = Pipeline([Node(ident, ["raw", "params:nope"], "out", name="n")])\nreturn {"__default__": pipe}\n',
        {"aws": "raw:\n  type: pickle.PickleDataset\n  filepath: s3://b/raw.pkl\n"},
    )
    error = assert_refusal(run_exporter(project, tmp_path, env="aws"), "missing_input")
    assert error["datasets"] == ["params:nope"]
    assert "parameters.yml" in error["message"]


def test_memory_crossing_lists_all_datasets_with_entries_and_without(tmp_path):
    project = write_project(
        tmp_path / "p",
        "memory_proj",
        """\
        pipe = Pipeline([
            Node(ident, "raw", "h1", name="m1", namespace="a"),
            Node(ident, "h1", "h2", name="m2", namespace="b"),
            Node(ident, "h2", "out", name="m3", namespace="c"),
        ])
        return {"__default__": pipe}
        """,
        {
            "aws": """\
            raw:
              type: pickle.PickleDataset
              filepath: s3://b/raw.pkl
            h1:
              type: MemoryDataset
            """
        },
    )
    error = assert_refusal(run_exporter(project, tmp_path, env="aws"), "memory_crossing")
    assert error["datasets"] == ["h1", "h2"]
    assert error["groups"] == ["a", "b", "c"]
    assert "MemoryDataset" in error["message"] and "no catalog entry" in error["message"]
    # Each refused dataset points at a place to fix: its catalog entry when it has one (h1, an explicit
    # MemoryDataset), else the function of the node that produces it (h2).
    where = {loc["message"].split("'")[1]: loc for loc in error["locations"]}
    assert where["h1"]["file"] == "conf/aws/catalog.yml"
    assert where["h1"]["line"] == 4
    assert where["h2"]["file"].startswith("src/memory_proj/")
    assert where["h2"]["line"] >= 1


def test_dataset_factory_pattern_and_transcoding(tmp_path):
    project = write_project(
        tmp_path / "p",
        "pattern_proj",
        """\
        pipe = Pipeline([
            Node(ident, "raw", "table@pandas", name="n1", namespace="a"),
            Node(ident, "table@pickle", "out", name="n2", namespace="b"),
        ])
        return {"__default__": pipe}
        """,
        {
            "aws": """\
            raw:
              type: pickle.PickleDataset
              filepath: s3://b/raw.pkl
            "{name}@pandas":
              type: pandas.ParquetDataset
              filepath: s3://b/${runtime_params:prefix, main}/{name}.parquet
            "{name}@pickle":
              type: pickle.PickleDataset
              filepath: s3://b/${runtime_params:prefix, main}/{name}.parquet
              versioned: true
            """
        },
    )
    result = run_exporter(project, tmp_path, env="aws", runtime_params={"prefix": "x"})
    assert result.returncode == 0, result
    datasets = datasets_by_name(result.json)
    assert datasets["table@pandas"]["filepath"] == "s3://b/x/table.parquet"
    assert datasets["table@pandas"]["type"] == "kedro_datasets.pandas.parquet_dataset.ParquetDataset"
    assert datasets["table@pickle"]["versioned"] is True
    for name in ("table@pandas", "table@pickle"):
        assert datasets[name]["producer"] == "a"
        assert datasets[name]["consumers"] == ["b"]
        assert datasets[name]["crossing"] is True
    assert datasets["out"]["type"] is None and datasets["out"]["persisted"] is False


LOCAL_PATHS_REGISTRY = """\
pipe = Pipeline([
    Node(ident, "raw", "scratch", name="n1", namespace="a"),
    Node(ident, "scratch", "handoff", name="n2", namespace="a"),
    Node(ident, "handoff", "report", name="n3", namespace="b"),
])
return {"__default__": pipe}
"""


def local_paths_project(root: Path, raw: str, scratch: str, handoff: str, report: str) -> Path:
    entries = {"raw": raw, "scratch": scratch, "handoff": handoff, "report": report}
    catalog = "".join(f"{name}:\n  type: pickle.PickleDataset\n  filepath: {path}\n" for name, path in entries.items())
    return write_project(root, "paths_proj", LOCAL_PATHS_REGISTRY, {"aws": catalog})


def test_scratch_data_under_tmp_within_a_group_is_accepted(tmp_path):
    # The project itself lives under /tmp here: its relative paths are still refused (test below).
    project = local_paths_project(
        tmp_path / "p", "s3://b/raw.pkl", "/tmp/kedro-scratch/scratch.pkl", "s3://b/handoff.pkl", "s3://b/report.pkl"
    )
    result = run_exporter(project, tmp_path, env="aws")
    assert result.returncode == 0, result
    assert datasets_by_name(result.json)["scratch"]["protocol"] == "file"


@pytest.mark.parametrize(
    ("paths", "refused", "role"),
    [
        (("data/raw.pkl", "/tmp/s.pkl", "s3://b/h.pkl", "s3://b/r.pkl"), "raw", "a pipeline input"),
        (("s3://b/raw.pkl", "data/scratch.pkl", "s3://b/h.pkl", "s3://b/r.pkl"), "scratch", "written by group 'a')"),
        (("s3://b/raw.pkl", "/tmp/s.pkl", "/tmp/handoff.pkl", "s3://b/r.pkl"), "handoff", "read by 'b'"),
        (("s3://b/raw.pkl", "/tmp/s.pkl", "s3://b/h.pkl", "file:///work/out/r.pkl"), "report", "written by group 'b')"),
    ],
)
def test_a_dataset_on_a_local_path_is_refused_with_its_catalog_line(tmp_path, paths, refused, role):
    project = local_paths_project(tmp_path / "p", *paths)
    error = assert_refusal(run_exporter(project, tmp_path, env="aws"), "local_path")
    assert error["datasets"] == [refused]
    assert role in error["message"]
    (where,) = error["locations"]
    assert where["file"] == "conf/aws/catalog.yml"
    lines = (project / "conf" / "aws" / "catalog.yml").read_text().splitlines()
    assert lines[where["line"] - 1] == f"{refused}:"
    assert "s3://" in where["message"]


# --------------------------------------------------------------------------- #
# CLI
# --------------------------------------------------------------------------- #


def test_bad_arguments_exit_2_and_write_nothing(tmp_path):
    result = run_exporter(tmp_path, tmp_path, extra_args=["--env", "aws"])
    assert result.returncode == export_plan.EXIT_BAD_ARGUMENTS
    output = tmp_path / "out.json"
    result = run_exporter(
        tmp_path,
        tmp_path,
        extra_args=[
            "--project-path",
            str(tmp_path),
            "--env",
            "aws",
            "--pipeline",
            "x",
            "--runtime-params",
            "[1, 2]",
            "--output",
            str(output),
        ],
    )
    assert result.returncode == export_plan.EXIT_BAD_ARGUMENTS
    assert "JSON object" in result.stderr
    assert not output.exists()


@pytest.mark.parametrize("version", ["1.4.0", "2.0.0"])
def test_kedro_outside_the_supported_range_is_refused(monkeypatch, version):
    import kedro

    from kedro_aws_action import kedro_io

    monkeypatch.setattr(kedro, "__version__", version)
    with pytest.raises(export_plan.PlanRefusal) as caught:
        kedro_io.import_kedro()
    refusal = caught.value
    assert refusal.kind == "kedro_error"
    assert f"has Kedro {version}" in refusal.message and sys.executable in refusal.message
    assert "Kedro >= 1.5, < 2" in refusal.message
    assert 'pip install "kedro>=1.5,<2"' in refusal.message


def test_installed_kedro_is_in_the_supported_range():
    from kedro_aws_action import kedro_io

    assert kedro_io.import_kedro().__version__.startswith("1.")


def test_missing_kedro_is_a_clear_kedro_error(tmp_path):
    # `python -S` has no site-packages, hence no Kedro.
    result = run_exporter(tmp_path, tmp_path, python_flags=("-S",))
    error = assert_refusal(result, "kedro_error")
    assert "Kedro cannot be imported" in error["message"]


# --------------------------------------------------------------------------- #
# Schema (zod), when node and the repo's node_modules are there
# --------------------------------------------------------------------------- #


def _node() -> str | None:
    node = shutil.which("node")
    if node is None or not (REPO / "node_modules" / "zod").is_dir():
        return None
    if not (REPO / "node_modules" / "typescript").is_dir():
        return None
    return node


def test_plan_validates_against_zod_schema(example_aws):
    node = _node()
    if node is None:
        pytest.skip("node or node_modules missing")
    for result in (example_aws,):
        proc = subprocess.run(
            [node, str(VALIDATOR), str(REPO), "plan", str(result.output)],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr


def test_plan_errors_validate_against_zod_schema(tmp_path, example_base):
    node = _node()
    if node is None:
        pytest.skip("node or node_modules missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    outputs = [run_exporter(empty, tmp_path).output, example_base.output]
    project = FIXTURES / "memory-crossing"
    if (project / "pyproject.toml").is_file():
        outputs.append(run_exporter(project, tmp_path, env="aws").output)
    for output in outputs:
        proc = subprocess.run(
            [node, str(VALIDATOR), str(REPO), "error", str(output)],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr


# --------------------------------------------------------------------------- #
# Pure helpers
# --------------------------------------------------------------------------- #


def test_find_group_cycles():
    assert analysis.find_group_cycles({"a": [], "b": ["a"], "c": ["a", "b"]}) == []
    assert analysis.find_group_cycles({"a": ["b"], "b": ["a"], "c": ["a"]}) == [["a", "b"]]
    assert analysis.find_group_cycles({"a": ["c"], "b": ["a"], "c": ["b"], "x": ["y"], "y": ["x"], "z": []}) == [
        ["a", "b", "c"],
        ["x", "y"],
    ]
    assert analysis.find_group_cycles({"a": ["a"]}) == [["a"]]


def test_cycle_path_follows_data_flow():
    # b depends on a, c on b, a on c: data flows a -> b -> c -> a
    deps = {"a": ["c"], "b": ["a"], "c": ["b"]}
    assert analysis.cycle_path(["a", "b", "c"], deps) == ["a", "b", "c", "a"]


def test_group_io_ignores_parameters_and_internal_datasets():
    node_io = {
        "n1": (["raw", "params:x", "parameters"], ["mid@spark"]),
        "n2": (["mid@pandas", "other"], ["out"]),
    }
    assert analysis.group_io(["n1", "n2"], node_io) == (["other", "raw"], ["mid@spark", "out"])


def test_is_scratch_path_only_under_tmp_and_outside_the_project():
    assert analysis.is_scratch_path("/tmp/x/y.csv", "/work/project")
    assert analysis.is_scratch_path("file:///tmp/y.csv", "/work/project")
    assert not analysis.is_scratch_path("/tmp/project/data/y.csv", "/tmp/project")  # a relative path made absolute
    assert not analysis.is_scratch_path("/tmpfoo/y.csv", "/work/project")
    assert not analysis.is_scratch_path("/tmp/../var/task/y.csv", "/work/project")
    assert not analysis.is_scratch_path("/work/project/data/y.csv", "/work/project")


FSSPEC_REQUIREMENTS = [
    "adlfs; extra == 'abfs'",
    "aiohttp!=4.0.0a0,!=4.0.0a1; extra == 'http'",
    "s3fs>=2026.6.0; extra == 's3'",
    "s3fs>=2026.6.0; extra == 'full'",
]
IMPLEMENTATIONS = {
    "s3": "s3fs.S3FileSystem",
    "s3a": "s3fs.S3FileSystem",
    "http": "fsspec.implementations.http.HTTPFileSystem",
    "https": "fsspec.implementations.http.HTTPFileSystem",
    "abfs": "adlfs.AzureBlobFileSystem",
    "az": "adlfs.AzureBlobFileSystem",
    "box": "boxfs.BoxFileSystem",
    "file": "fsspec.implementations.local.LocalFileSystem",
    "zip": "fsspec.implementations.zip.ZipFileSystem",
}


@pytest.mark.parametrize(
    ("protocol", "packages"),
    [
        ("s3", ["s3fs"]),
        ("s3a", ["s3fs"]),  # no extra of its own: the one of s3, which has the same class
        ("https", ["aiohttp"]),
        ("az", ["adlfs"]),
        ("box", ["boxfs"]),  # no extra: the package of its class
        ("file", []),
        ("zip", []),  # in fsspec itself
        ("unknown", []),
    ],
)
def test_protocol_packages_follow_fsspec_extras(protocol, packages):
    assert filesystems.protocol_packages(protocol, IMPLEMENTATIONS, FSSPEC_REQUIREMENTS) == packages


def test_providers_follow_extras_through_other_extras():
    installed = {
        "fsspec": FSSPEC_REQUIREMENTS,
        "kedro-datasets": [
            "s3fs>=2021.4; extra == 's3fs-base'",
            "kedro-datasets[s3fs-base]; extra == 'databricks'",
            "pandas>=2; extra == 'pandas-csvdataset'",
        ],
        "Cloud_Helpers": ["s3fs"],  # always requires it
        "s3fs": ["aiobotocore"],
    }
    assert filesystems.providers("s3fs", installed) == [
        "cloud-helpers",
        "fsspec[full]",
        "fsspec[s3]",
        "kedro-datasets[databricks]",
        "kedro-datasets[s3fs-base]",
    ]
    assert filesystems.parse_requirement('Kedro_Datasets[A,b] >=9 ; extra == "X"') == (
        "kedro-datasets",
        ["a", "b"],
        "x",
    )


def test_filesystem_requirements_only_for_persisted_datasets_that_need_a_package():
    datasets = [
        {"name": "a", "protocol": "s3", "persisted": True},
        {"name": "b", "protocol": "file", "persisted": True},
        {"name": "c", "protocol": "s3a", "persisted": True},
        {"name": "d", "protocol": None, "persisted": False},
    ]
    found = filesystems.filesystem_requirements(datasets, IMPLEMENTATIONS, {"fsspec": FSSPEC_REQUIREMENTS})
    assert [(f["protocol"], f["datasets"], [p["name"] for p in f["packages"]]) for f in found] == [
        ("s3", ["a"], ["s3fs"]),
        ("s3a", ["c"], ["s3fs"]),
    ]
