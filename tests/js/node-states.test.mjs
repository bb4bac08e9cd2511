import { test } from "node:test";
import assert from "node:assert/strict";
import { nodeStates, edgeStates } from "../../static/js/node-states.js";
import { indexDocument, viewGraph, collapse } from "../../static/js/scene.js";
import { stateAt } from "../../static/js/timeline.js";
import { documents, skip, variable } from "./documents.mjs";

const scene = (doc, view) => collapse(viewGraph(doc, indexDocument(doc), view));

test("the node of the current event is 'current' and future tensors are 'future'", { skip }, () => {
  const doc = documents.neuron;
  const index = indexDocument(doc);
  const s = scene(doc, "forward");
  const z = variable(doc, "z");
  const made = doc.timeline.findIndex((e) => e.type === "create" && e.tensor === z) + 1;
  const states = nodeStates(s, doc, index, stateAt(doc, made));
  assert.match(states.get(z).cls, /\bcurrent\b/);
  assert.match(nodeStates(s, doc, index, stateAt(doc, made - 1)).get(z).cls, /\bfuture\b/);
});

test("a tensor's rows show its value and its grad once it has one", { skip }, () => {
  const doc = documents.neuron;
  const index = indexDocument(doc);
  const s = scene(doc, "forward");
  const W = variable(doc, "W");
  const end = nodeStates(s, doc, index, stateAt(doc, doc.timeline.length)).get(W);
  assert.deepEqual([end.lines[0], end.lines[2], end.lines[3]], ["W", "40", "grad 30"]);
  assert.match(end.cls, /\bhas-grad\b/);
});

test("a reset gradient leaves the node without 'has-grad'", { skip }, () => {
  const doc = documents.grad_none;
  const index = indexDocument(doc);
  const s = scene(doc, "forward");
  const reset = doc.timeline.findIndex((e) => e.type === "grad") + 1;
  const w = nodeStates(s, doc, index, stateAt(doc, reset)).get(variable(doc, "w"));
  assert.doesNotMatch(w.cls, /\bhas-grad\b/);
  assert.equal(w.lines[3], "");
});

test("the edge carrying the current gradient is active", { skip }, () => {
  const doc = documents.neuron;
  const index = indexDocument(doc);
  const s = scene(doc, "backward");
  const fn = doc.timeline.findIndex((e) => e.type === "function" && e.name === "MulBackward0") + 1;
  const { states, flows } = edgeStates(s, doc, index, stateAt(doc, fn), "backward");
  assert.ok(flows.length > 0);
  for (const f of flows) assert.match(states[f.edge].cls, /\bactive\b/);
});
