import { test } from "node:test";
import assert from "node:assert/strict";
import { narrate } from "../../static/js/narration.js";
import { calloutFor } from "../../static/js/callout.js";
import { functionFormulas } from "../../static/js/tex.js";
import { indexDocument } from "../../static/js/scene.js";
import { stateAt } from "../../static/js/timeline.js";
import { gradUpdate } from "../../static/js/names.js";
import { errorText } from "../../static/js/format.js";
import { documents, skip } from "./documents.mjs";

const sentences = (doc) => {
  const index = indexDocument(doc);
  return doc.timeline.map((_, i) => narrate(doc, index, stateAt(doc, i + 1)));
};

test("backward is narrated with the output's own name, consistently", { skip }, () => {
  const said = sentences(documents.square);
  assert.ok(said.includes("line 4: y.backward() starts: dy/dy = 1"));
  assert.ok(said.includes("MulBackward0 receives dy/dy = 1 and sends 3 to x, 3 to x"));
  assert.ok(said.includes("x.grad = 6 (was None)"));
  assert.ok(!said.join("\n").includes("dL/"));
});

test("each .grad reset has its sentence", { skip }, () => {
  assert.ok(sentences(documents.two_backward).includes("line 14: w.grad is zeroed in place: now 0"));
  assert.ok(sentences(documents.grad_none).includes("line 5: w.grad is set to None: the next backward() starts it afresh"));
});

test("loop-made tensors are narrated by name and iteration", { skip }, () => {
  assert.ok(sentences(documents.sin_loop).some((s) => s.startsWith("line 5: x₂ = sin(x₁) = ")));
});

test("a .grad update writes a negative term as a subtraction and None only as the old value", () => {
  const fmt = String;
  assert.equal(gradUpdate("b", null, -0.2228, -0.2228, fmt), "b.grad = -0.2228 (was None)");
  assert.equal(gradUpdate("b", 1, -0.5, 0.5, fmt), "b.grad = 1 − 0.5 = 0.5");
  assert.equal(gradUpdate("b", 1, 2, 3, fmt), "b.grad = 1 + 2 = 3");
});

test("the error names its line once", () => {
  assert.equal(errorText({ type: "RuntimeError", message: "boom", line: 3 }), "RuntimeError (line 3): boom");
  assert.equal(errorText({ type: "LimitError", message: "too long at line 3", line: 3 }), "LimitError: too long at line 3");
  assert.equal(errorText({ type: "SyntaxError", message: "bad", line: null }), "SyntaxError: bad");
});

test("at the end of a failed run the narration is the error", { skip }, () => {
  const doc = documents.error;
  const said = narrate(doc, indexDocument(doc), stateAt(doc, doc.timeline.length));
  assert.equal(said, "RuntimeError (line 3): grad can be implicitly created only for scalar outputs");
});

test("the callout of AccumulateGrad shows the grad update; the root's grad_fn has no tautological chain rule", { skip }, () => {
  const doc = documents.neuron;
  const index = indexDocument(doc);
  const accumulate = doc.timeline.findIndex((e) => e.type === "function" && e.name === "AccumulateGrad");
  const callout = calloutFor(index, stateAt(doc, accumulate + 1));
  assert.match(callout.lines.at(-1), /^[Wb]\.grad = \d+ \(was None\)$/);
  const add = doc.timeline.findIndex((e) => e.type === "function" && e.name === "AddBackward0");
  const formulas = functionFormulas(doc, index, stateAt(doc, add + 1), doc.timeline[add].function);
  assert.ok(formulas.length > 0);
  for (const f of formulas) assert.ok(!f.includes("\\partial \\texttt{z}}{\\partial \\texttt{z}}"), f);
});
