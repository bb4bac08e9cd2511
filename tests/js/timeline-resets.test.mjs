import { test } from "node:test";
import assert from "node:assert/strict";
import { stateAt } from "../../static/js/timeline.js";
import { documents, skip, stepAfter, variable } from "./documents.mjs";

const gradAt = (doc, step, name) => stateAt(doc, step).grad.get(variable(doc, name));

test("w.grad.zero_() shows 0 from its step on, and the next backward adds to 0", { skip }, () => {
  const doc = documents.two_backward;
  const reset = stepAfter(doc, (e) => e.type === "grad");
  assert.equal(gradAt(doc, reset - 1, "w"), 5);
  assert.equal(gradAt(doc, reset, "w"), 0);
  assert.equal(stateAt(doc, reset).contributions.has(variable(doc, "w")), false);
});

test("w.grad = None shows None, then the next backward starts afresh", { skip }, () => {
  const doc = documents.grad_none;
  const reset = stepAfter(doc, (e) => e.type === "grad");
  assert.equal(gradAt(doc, reset - 1, "w"), 3);
  assert.equal(gradAt(doc, reset, "w"), undefined);
  assert.equal(gradAt(doc, doc.timeline.length, "w"), 4);
});

test("opt.zero_grad() in a loop resets the gradient each iteration", { skip }, () => {
  const doc = documents.optimizer;
  const resets = doc.timeline.filter((e) => e.type === "grad");
  assert.deepEqual(resets.map((e) => [e.op, e.grad, e.iteration]), [["None", null, [1]]]);
  assert.equal(gradAt(doc, resets[0].step + 1, "w"), undefined);
});

test("a drawn .grad tensor shows its leaf's gradient at each step", { skip }, () => {
  const doc = documents.training_loop;
  const wGrad = doc.nodes.find((n) => n.label === "w.grad");
  assert.equal(wGrad.grad_of, variable(doc, "w"));
  for (const e of doc.timeline) {
    if ((e.type === "grad" || e.type === "accumulate") && e.tensor === wGrad.grad_of) {
      assert.equal(stateAt(doc, e.step + 1).data.get(wGrad.id), e.type === "grad" ? e.grad : e.after);
    }
  }
});

test(".data writes change the value the page shows", { skip }, () => {
  const doc = documents.data_write;
  const writes = doc.timeline.filter((e) => e.type === "modify" && e.op === "data");
  assert.deepEqual(writes.map((e) => e.data), [[5, 6], [10, 12]]);
  assert.deepEqual(stateAt(doc, writes[1].step + 1).data.get(variable(doc, "w")), [10, 12]);
});
