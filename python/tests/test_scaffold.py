"""Tests of python/kedro_aws_action/scaffold.py and of the exporter's suggested conf/<env>/."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "test" / "fixtures" / "projects"
sys.path.insert(0, str(REPO / "python"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_export_plan import assert_refusal, needs, run_exporter  # noqa: E402

from kedro_aws_action import scaffold  # noqa: E402

OUT = "s3://${globals:s3_bucket}/${runtime_params:output_prefix, main}"
IN = "s3://${globals:s3_bucket}"


def dataset(
    name, *, type_=None, filepath=None, protocol=None, persisted=False, producer="a", consumers=(), crossing=False
):
    return {
        "name": name,
        "type": type_,
        "filepath": filepath,
        "protocol": protocol,
        "versioned": False,
        "persisted": persisted,
        "producer": producer,
        "consumers": list(consumers),
        "crossing": crossing,
    }


def test_entries_keep_the_base_type_and_its_keys_else_a_type_for_any_object():
    parquet = "kedro_datasets.pandas.parquet_dataset.ParquetDataset"
    datasets = [
        # a pipeline input on a local path in base: read from the bucket, not under the prefix
        dataset(
            "companies",
            type_="kedro_datasets.pandas.csv_dataset.CSVDataset",
            filepath="data/01_raw/companies.csv",
            protocol="file",
            persisted=True,
            producer=None,
            consumers=["b"],
        ),  # fmt: skip
        # a pandas Series crossing groups with no entry: pickle, which stores any object
        dataset("y_train", crossing=True, consumers=["b"]),
        # crossing, with a base entry: its type and other keys, a path under the prefix
        dataset(
            "table",
            type_=parquet,
            filepath="data/03_primary/table.parquet",
            protocol="file",
            persisted=True,
            crossing=True,
            consumers=["b"],
        ),  # fmt: skip
        # already on S3: nothing to suggest
        dataset("done", type_=parquet, filepath="s3://b/done.parquet", protocol="s3", persisted=True),
        # a pipeline output kept in memory: verify lists it as not checked, the scaffold leaves it
        dataset("metrics"),
        # an output saved on a local path by a factory pattern (no explicit base entry)
        dataset(
            "report",
            type_="kedro_datasets.json.json_dataset.JSONDataset",
            filepath="data/08/report.json",
            protocol="file",
            persisted=True,
        ),  # fmt: skip
    ]
    base = {
        "companies": {"type": "pandas.CSVDataset", "filepath": "data/01_raw/companies.csv", "load_args": {"sep": ","}},
        "table": {"type": "pandas.ParquetDataset", "filepath": "data/03_primary/table.parquet", "versioned": True},
    }
    entries = scaffold.scaffold_entries(datasets, ["companies"], base)
    assert entries == {
        "companies": {"type": "pandas.CSVDataset", "filepath": f"{IN}/01_raw/companies.csv", "load_args": {"sep": ","}},
        "y_train": {"type": "pickle.PickleDataset", "filepath": f"{OUT}/y_train.pkl"},
        "table": {"type": "pandas.ParquetDataset", "filepath": f"{OUT}/03_primary/table.parquet", "versioned": True},
        "report": {"type": "json.JSONDataset", "filepath": f"{OUT}/08/report.json"},
    }
    # The text is the YAML of the same entries.
    assert yaml.safe_load(scaffold.catalog_text(entries, "aws")) == entries
    assert yaml.safe_load(scaffold.globals_text("my-data", "aws")) == {"s3_bucket": "my-data"}
    # No bucket known: a placeholder that is not a valid bucket name (S3 refuses upper case), said so.
    text = scaffold.globals_text(None, "aws")
    assert "replace it" in text and yaml.safe_load(text)["s3_bucket"] != yaml.safe_load(text)["s3_bucket"].lower()


def test_memory_crossing_hint_names_a_type_per_dataset(tmp_path):
    project = FIXTURES / "memory-crossing"
    needs(project)
    error = assert_refusal(run_exporter(project, tmp_path, env="aws"), "memory_crossing")
    # handoff_table has no entry in base: the type that stores any Python object, not .parquet.
    assert "'handoff_table': pickle.PickleDataset (stores any Python object)" in error["message"]
    assert ".parquet" not in error["message"]


def test_missing_env_writes_a_suggested_conf_that_the_exporter_then_accepts(tmp_path):
    project = FIXTURES / "memory-crossing"
    needs(project)
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("data", "__pycache__"))
    shutil.rmtree(copy / "conf" / "aws")
    folder = tmp_path / "scaffold"
    result = run_exporter(copy, tmp_path, env="aws", scaffold=folder, bucket="kedro-aws-fixtures")
    error = assert_refusal(result, "kedro_error")
    assert "no conf/aws folder" in error["message"] and "suggested conf/aws/catalog.yml" in error["message"]
    catalog = yaml.safe_load((folder / "conf" / "aws" / "catalog.yml").read_text())
    assert catalog["handoff_table"] == {"type": "pickle.PickleDataset", "filepath": f"{OUT}/handoff_table.pkl"}
    assert catalog["orders"]["type"] == "pandas.ParquetDataset"
    assert catalog["order_report"] == {"type": "json.JSONDataset", "filepath": f"{OUT}/08_reporting/order_report.json"}
    # Copied in unchanged, the env is accepted, every dataset on S3, nothing more suggested.
    shutil.copytree(folder / "conf" / "aws", copy / "conf" / "aws")
    (tmp_path / "again").mkdir()
    result = run_exporter(copy, tmp_path / "again", env="aws", scaffold=tmp_path / "scaffold2")
    assert result.returncode == 0, result
    assert all(d["protocol"] == "s3" for d in result.json["datasets"]), result.json["datasets"]
    assert not (tmp_path / "scaffold2").exists()
    # Kedro's deprecation warnings: one summary line, not one log record each.
    assert result.stderr.count("register_new_resolver") <= 1


def test_an_env_that_lacks_an_entry_gets_only_the_missing_ones(tmp_path):
    project = FIXTURES / "memory-crossing"
    needs(project)
    folder = tmp_path / "scaffold"
    error = assert_refusal(run_exporter(project, tmp_path, env="aws", scaffold=folder), "memory_crossing")
    assert "handoff_table" in error["message"]
    catalog = yaml.safe_load((folder / "conf" / "aws" / "catalog.yml").read_text())
    # orders and order_report are on S3 in conf/aws already: only handoff_table is suggested.
    assert catalog == {"handoff_table": {"type": "pickle.PickleDataset", "filepath": f"{OUT}/handoff_table.pkl"}}
    assert "CHANGE-ME" in (folder / "conf" / "aws" / "globals.yml").read_text()
