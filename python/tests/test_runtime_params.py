"""The runtime-params input in Kedro's syntax: the action's reading against Kedro's own, on the same text.

Kedro's reading is the ``kedro run`` command itself (its ``--params`` option, as the CLI parses the
command line); the action's is ``kedro_io.parse_runtime_params``, what the plan exporter puts in the plan.
For every text of the table they agree: the same params with the same types, or both refuse. The one
deliberate difference: what Kedro types but JSON cannot carry to the groups (``.inf``, ``.nan``, integers
past 2**53) is refused by the action, naming the key. Runs with the newest and the lowest supported Kedro
(scripts/test.sh runs python/tests with both).

    KEDRO_DISABLE_TELEMETRY=1 .venv/bin/python -m pytest python/tests/test_runtime_params.py
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "python"))
from kedro_aws_action import kedro_io  # noqa: E402
from kedro_aws_action.refusals import PlanRefusal  # noqa: E402


def kedro_reading(text: str) -> dict[str, Any]:
    """What ``kedro run --params TEXT`` runs with (the CLI's own parsing of its command line)."""
    from kedro.framework.cli.project import run

    return run.make_context("run", [f"--params={text}"]).params["params"]


def typed(value: Any) -> Any:
    """``value`` with every scalar's type beside it (``1``, ``1.0`` and ``True`` are equal in Python)."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return ("float", "nan")
    return (type(value).__name__, value)


# (text, what Kedro gives: a dict, or None when Kedro refuses the text)
TABLE: list[tuple[str, dict[str, Any] | None]] = [
    # types
    ("strict=true", {"strict": True}),
    ("strict=False", {"strict": False}),
    ("flag=yes", {"flag": True}),
    ("n=3", {"n": 3}),
    ("n=-2", {"n": -2}),
    ("v=02", {"v": 2}),
    ("x=0.1", {"x": 0.1}),
    ("x=1e3", {"x": 1000.0}),
    ("x=1.0", {"x": 1.0}),
    ("h=0x10", {"h": 16}),
    ("big=1_000", {"big": 1000}),
    ("t=12:30", {"t": 750}),
    ("d=2020-01-01", {"d": "2020-01-01"}),
    ("prefix=pr-7", {"prefix": "pr-7"}),
    ("eq=x=y", {"eq": "x=y"}),
    ("list=[1]", {"list": [1]}),
    ("map={b: 1}", {"map": {"b": 1}}),
    ("interp=${oc.env:HOME}", {"interp": "${oc.env:HOME}"}),
    # dotted keys nest; a later item wins
    ("model.lr=0.1", {"model": {"lr": 0.1}}),
    ("model_options.test_size=0.5", {"model_options": {"test_size": 0.5}}),
    ("a.b=1,a.c=2", {"a": {"b": 1, "c": 2}}),
    ("a.b.c=x", {"a": {"b": {"c": "x"}}}),
    ("a=1,a.b=2", {"a": {"b": 2}}),
    ("a.b=1,a=2", {"a": 2}),
    ("a=1,a=2", {"a": 2}),
    # quotes
    ('q="x"', {"q": "x"}),
    ("q='  spaced  '", {"q": "  spaced  "}),
    ("q=  spaced  ", {"q": "spaced"}),
    ("q='1'", {"q": "1"}),
    ('q="true"', {"q": "true"}),
    ("q='null'", {"q": "null"}),
    ("q='.inf'", {"q": ".inf"}),
    ('q="it\'s"', {"q": "it's"}),
    # commas: every comma splits (a value with one needs the JSON form of the input)
    ("q='a,b'", None),
    ("list=[1,2]", None),
    ("a=x,y", None),
    ("a=1,,b=2", {"a": 1, "b": 2}),
    (" a = b , c=d ", {"a": "b", "c": "d"}),
    # null and empty values
    ("label=null", {"label": None}),
    ("label=Null", {"label": None}),
    ("label=~", {"label": None}),
    ("empty=", {"empty": None}),
    ("empty= ", {"empty": None}),
    ("empty=''", {"empty": ""}),
    ('empty=""', {"empty": ""}),
    ("", {}),
    ("  ", {}),
    # special floats: Kedro's are YAML's (.inf, .nan); other spellings are strings
    ("x=Infinity", {"x": "Infinity"}),
    ("x=inf", {"x": "inf"}),
    ("x=nan", {"x": "nan"}),
    ("x=NaN", {"x": "NaN"}),
    ("x=.inf", {"x": math.inf}),
    ("x=-.inf", {"x": -math.inf}),
    ("x=.nan", {"x": math.nan}),
    # not key=value, or not YAML
    ("oops", None),
    ("a=1,oops", None),
    ("=1", None),
    ("a=[1", None),
    ("a='x", None),
    # integers past what JSON read by JavaScript holds exactly
    ("id=12345678901234567890", {"id": 12345678901234567890}),
]


def _not_json(value: Any) -> bool:
    """What JSON read by JavaScript cannot carry as Kedro typed it."""
    if isinstance(value, dict):
        return any(_not_json(v) for v in value.values())
    if isinstance(value, list):
        return any(_not_json(v) for v in value)
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53 - 1


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[repr(t) for t, _ in TABLE])
def test_the_action_reads_runtime_params_as_kedro_run_params_does(text, expected):
    try:
        kedro = kedro_reading(text)
    except Exception:
        kedro = None
    # The table says what Kedro does (a reader's check); Kedro's own answer is what the action must match.
    assert typed(kedro) == typed(expected)

    if kedro is None:
        with pytest.raises(PlanRefusal) as refused:
            kedro_io.parse_runtime_params(text)
        assert refused.value.message.startswith("The action's runtime-params input ")
        return
    if _not_json(kedro):
        with pytest.raises(PlanRefusal) as refused:
            kedro_io.parse_runtime_params(text)
        key = next(iter(kedro))
        assert f"'{key}' is " in refused.value.message
        assert "Quote such a value" in refused.value.message
        return
    params, _ = kedro_io.parse_runtime_params(text)
    assert typed(params) == typed(kedro)
    # What the plan holds is that, as JSON.
    assert typed(json.loads(json.dumps(params, allow_nan=False))) == typed(kedro)


def test_one_item_a_line_reads_as_items_separated_by_commas():
    text = "output_prefix=pr-7\nmodel.lr=0.1\r\nstrict=true\n"
    params, _ = kedro_io.parse_runtime_params(text)
    assert typed(params) == typed(kedro_reading("output_prefix=pr-7,model.lr=0.1,strict=true"))
    # Kedro itself would fold the lines into one value (YAML): the input's lines are items, as the README says.
    assert kedro_reading("a=1\nb=2") == {"a": "1 b=2"}


def test_whole_number_floats_are_kept_and_said_to_arrive_as_integers():
    params, warnings = kedro_io.parse_runtime_params("x=1.0,y=0.5,m.z=0.0")
    assert typed(params) == typed({"x": 1.0, "y": 0.5, "m": {"z": 0.0}})
    assert warnings == [
        "Runtime param(s) 'x', 'm.z' are whole-number floats in Kedro's typing; they reach the groups as "
        "integers (JSON, read by JavaScript on the way, keeps no difference between 1.0 and 1)."
    ]


def test_a_value_kedro_cannot_read_is_named():
    with pytest.raises(PlanRefusal) as refused:
        kedro_io.parse_runtime_params("a=1,b=[1, c=2")
    assert "(`b=[1`: " in refused.value.message
