import { test } from "node:test";
import assert from "node:assert/strict";
import { exact, short, preview, nested, shapeText, zipWith, opSymbol, toNumber } from "../../static/js/format.js";

test("exact writes the shortest float32 text", () => {
  for (const [v, want] of [[0.10000000149011612, "0.1"], [30, "30"], ["nan", "nan"], ["-inf", "-inf"], [true, "True"]]) {
    assert.equal(exact(v), want);
  }
  assert.equal(exact(0.1, "float64"), "0.1");
});

test("short keeps four significant digits", () => {
  for (const [v, want] of [[1 / 3, "0.3333"], [0.000123, "1.23e-4"], [1234567, "1.23e6"], [-2, "-2"], [100.25, "100.3"]]) {
    assert.equal(short(v), want);
  }
});

test("preview cuts long values and shows truncated ones by shape and mean", () => {
  assert.equal(preview([1, 2, 3]), "[1, 2, 3]");
  assert.equal(preview(Array.from({ length: 30 }, (_, i) => i), 12), "[0, 1, 2, …]");
  assert.equal(preview({ truncated: true, shape: [100, 100], stats: { mean: 0.5 } }), "⟨100×100, mean 0.5⟩");
  assert.equal(preview(null), "");
});

test("nested writes None, lists and matrices", () => {
  assert.equal(nested(null), "None");
  assert.equal(nested([[1, 2], [3, 0.5]]), "[[1, 2], [3, 0.5]]");
});

test("shapes, op symbols and numbers", () => {
  assert.equal(shapeText([2, 3]), "2×3");
  assert.equal(shapeText([]), "scalar");
  assert.equal(opSymbol("mul"), "×");
  assert.equal(opSymbol("sigmoid"), "sigmoid");
  assert.ok(Number.isNaN(toNumber("nan")));
  assert.deepEqual(zipWith([1, 2], [3, 4], (a, b) => a + b), [4, 6]);
  assert.equal(zipWith([1, 2], [3], (a, b) => a + b), null);
});
