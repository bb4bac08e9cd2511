import { test } from "node:test";
import assert from "node:assert/strict";
import { indexDocument, viewGraph, collapse, COLLAPSE_AT } from "../../static/js/scene.js";
import { documents, skip } from "./documents.mjs";

test("a view draws exactly the server's graph model, with sizes", { skip }, () => {
  const doc = documents.neuron;
  const index = indexDocument(doc);
  for (const view of ["forward", "backward"]) {
    const graph = viewGraph(doc, index, view);
    assert.deepEqual(graph.nodes.map((n) => n.id), doc.graph[view].nodes.map((n) => n.id));
    assert.deepEqual(graph.edges.map((e) => [e.source, e.target]), doc.graph[view].edges.map((e) => [e.source, e.target]));
    for (const n of graph.nodes) assert.ok(n.w > 0 && n.h > 0);
  }
});

test("each made tensor has one op node in the forward view", { skip }, () => {
  const doc = documents.neuron;
  const index = indexDocument(doc);
  const z = doc.variables.z;
  assert.equal(index.tensorOfOp.get(index.opIdOf.get(z)), z);
  assert.equal(index.opIdOf.get(doc.variables.W), undefined);   // a leaf: no op
});

test("small graphs are not collapsed; big ones group per source line", () => {
  const small = { nodes: [{ id: "a", line: 1 }], edges: [] };
  assert.equal(collapse(small).collapsed, false);
  const nodes = Array.from({ length: COLLAPSE_AT + 10 }, (_, i) => ({ id: "n" + i, line: 1 + (i % 3), kind: "tensor", op: "mul" }));
  const edges = nodes.slice(1).map((n, i) => ({ source: nodes[i].id, target: n.id, kind: "forward" }));
  const big = collapse({ nodes, edges });
  assert.equal(big.collapsed, true);
  assert.ok(big.nodes.length < 500);
  assert.equal(big.unitOf.size, nodes.length);
});
