"""app/format.py and static/js/format.js write values, shapes and op symbols the same way."""

import json
import math
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from app import format as pyformat

ROOT = Path(__file__).resolve().parents[2]
VALUES = [
    0,
    1,
    -3,
    30,
    0.1,
    1 / 3,
    -2.0593526,
    12.0004,
    999999,
    1e6,
    123456789.0,
    0.000123,
    -1e-7,
    2.5e-3,
    True,
    False,
    "nan",
    "inf",
    "-inf",
    0.5,
    100.25,
    1e-3,
    -0.0,
]
PREVIEWS = [
    None,
    4.8172,
    [1, 2, 3],
    [[0.5, -1.0], [2.0, 3.0]],
    list(range(20)),
    [0.1] * 9,
    "nan",
    {"truncated": True, "shape": [100, 100], "stats": {"min": 0, "max": 1, "mean": 0.5}},
    {"truncated": True, "shape": [], "stats": {"min": 0, "max": 1, "mean": 0.25}},
]
SHAPES = [[], [2], [2, 3], [1, 10, 1]]
OPS = ["add", "mul", "matmul", "pow", "sigmoid", "rsub", "sum"]


def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        message = "node not found: apt-get install -y nodejs"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def js():
    script = f"""
      import * as f from {json.dumps((ROOT / "static/js/format.js").as_uri())};
      const [values, previews, shapes, ops] = JSON.parse(process.argv[1]);
      console.log(JSON.stringify({{
        short: values.map((v) => f.short(v)),
        preview: previews.map((v) => f.preview(v, 22)),
        shape: shapes.map((s) => f.shapeText(s)),
        op: ops.map((o) => f.opSymbol(o)),
      }}));
    """
    done = subprocess.run(
        [node(), "--input-type=module", "-e", script, json.dumps([VALUES, PREVIEWS, SHAPES, OPS])],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("i", range(len(VALUES)))
def test_numbers_are_written_alike(js, i):
    assert pyformat.short(VALUES[i]) == js["short"][i]


@pytest.mark.parametrize("i", range(len(PREVIEWS)))
def test_value_previews_are_written_alike(js, i):
    assert pyformat.preview(PREVIEWS[i], 22) == js["preview"][i]


def test_shapes_and_op_symbols_are_written_alike(js):
    assert [pyformat.shape_text(s) for s in SHAPES] == js["shape"]
    assert [pyformat.op_symbol(o) for o in OPS] == js["op"]


def test_python_side_is_not_vacuous():
    assert pyformat.short(1 / 3) == "0.3333" and pyformat.short(0.000123) == "1.23e-4"
    assert not math.isnan(float(pyformat.short(2.5e-3)))
