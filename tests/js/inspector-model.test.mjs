import { test } from "node:test";
import assert from "node:assert/strict";
import { inspectorModel } from "../../static/js/inspector-model.js";
import { gradcheckModel } from "../../static/js/gradcheck-model.js";
import { indexDocument } from "../../static/js/scene.js";
import { stateAt } from "../../static/js/timeline.js";
import { documents, skip, variable } from "./documents.mjs";

const field = (model, name) => model.fields.find((f) => f.name === name).text;

test("the inspector shows the selected tensor's value and grad at the step", { skip }, () => {
  const doc = documents.two_backward;
  const index = indexDocument(doc);
  const w = variable(doc, "w");
  const reset = doc.timeline.findIndex((e) => e.type === "grad") + 1;
  assert.equal(field(inspectorModel(doc, index, stateAt(doc, reset - 1), w), "grad"), "5");
  assert.equal(field(inspectorModel(doc, index, stateAt(doc, reset), w), "grad"), "0");
  assert.equal(field(inspectorModel(doc, index, stateAt(doc, 0), w), "data"), "(not created yet)");
  assert.equal(field(inspectorModel(doc, index, stateAt(doc, 0), w), "shape"), "scalar");
});

test("a numeric check's result shows only from the step whose .grad it checked", { skip }, () => {
  const doc = documents.neuron;
  const W = doc.nodes.find((n) => n.id === variable(doc, "W"));
  const result = { root: "z", root_shape: [], numeric: 30, autograd: 30, close: true, max_abs_diff: 0, max_rel_diff: 0, eps: 1e-6, reruns: 2, line: 10, notes: [] };
  const check = { status: "done", result };
  assert.equal(gradcheckModel(doc, W, check, 0).status, "later");
  assert.match(gradcheckModel(doc, W, check, 0).laterText, /^The check compares with W\.grad at step \d+/);
  assert.equal(gradcheckModel(doc, W, check, doc.timeline.length).status, "done");
  const x = doc.nodes.find((n) => n.id === variable(doc, "x"));
  assert.equal(gradcheckModel(doc, x, null), null);   // x does not require grad: no check offered
});
