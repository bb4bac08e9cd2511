import { test } from "node:test";
import assert from "node:assert/strict";
import { indexDocument, viewGraph, collapse, COLLAPSE_AT, groupsSomething, groupSummary } from "../../static/js/scene.js";
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

test("grouping levels: loop iterations become one box each with readable, bounded labels", { skip }, () => {
  const doc = documents.training_loop;
  const index = indexDocument(doc);
  const graph = viewGraph(doc, index, "forward");
  assert.equal(groupsSomething(graph, "iteration"), true);
  const scene = collapse(graph, new Set(), "iteration");
  const iterations = doc.training_loop.iterations.length;
  const groups = scene.nodes.filter((n) => n.kind === "group");
  assert.equal(groups.length, iterations);
  for (const g of groups) {
    const group = scene.groups.get(g.ref);
    assert.match(group.head, /^iteration \d+ · \d+ ⊕$/);
    assert.ok(group.summary.length * 8.6 <= g.w - 20, group.summary);   // fits its box
    for (const attr of ["data-node-id", "data-name", "data-iteration", "data-members"]) assert.ok(g.attrs[attr] !== null && g.attrs[attr] !== undefined, attr);
  }
  const opened = collapse(graph, new Set([groups[0].ref]), "iteration");
  assert.equal(opened.nodes.filter((n) => n.kind === "group").length, iterations - 1);
  // line groups are titled with their source
  const lines = collapse(graph, new Set(), "line");
  assert.ok([...lines.groups.values()].some((g) => /^L\d+ \S/.test(g.title)));
});

test("a group's op summary never runs past its width", () => {
  const ops = [["tensor", 1000], ["mul", 500], ["add", 500], ["sin", 3]];
  for (const max of [12, 20, 30, 60]) assert.ok(groupSummary(ops, max).length <= Math.max(max, 18), groupSummary(ops, max));
  assert.equal(groupSummary(ops, 60), "1000× tensor, 500× mul, 500× add, 3× sin");
  assert.equal(groupSummary(ops, 30), "1000× tensor, 500× mul +2 more");
});

test("grouping by scope: a module call is one group; opened, its submodules are", { skip }, () => {
  const doc = documents.nn_mlp;
  const graph = viewGraph(doc, indexDocument(doc), "forward");
  assert.equal(groupsSomething(graph, "scope"), true);
  const closed = collapse(graph, new Set(), "scope");
  assert.deepEqual([...closed.groups.values()].map((g) => g.title), ["model"]);
  const opened = collapse(graph, new Set(["S:model"]), "scope");
  assert.deepEqual([...opened.groups.values()].map((g) => g.title), ["model.0", "model.1", "model.2"]);
  const group = opened.nodes.find((n) => n.kind === "group");
  assert.equal(group.attrs["data-scope"], "model/model.0");
});
