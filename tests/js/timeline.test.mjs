import { test } from "node:test";
import assert from "node:assert/strict";
import { stateAt } from "../../static/js/timeline.js";
import { documents, skip, stepAfter, variable } from "./documents.mjs";

test("step 0 is before the program: nothing exists", { skip }, () => {
  const st = stateAt(documents.neuron, 0);
  assert.equal(st.created.size, 0);
  assert.equal(st.event, null);
});

test("a leaf's grad is None until backward reaches it, then its value", { skip }, () => {
  const doc = documents.neuron;
  const W = variable(doc, "W");
  const start = stepAfter(doc, (e) => e.type === "backward_start");
  assert.equal(stateAt(doc, start).grad.has(W), false);
  assert.equal(stateAt(doc, doc.timeline.length).grad.get(W), 30);
});

test("printed output grows with the steps", { skip }, () => {
  const doc = documents.neuron;
  assert.equal(stateAt(doc, 0).output, "");
  assert.equal(stateAt(doc, doc.timeline.length).output, doc.output);
});
