import { test } from "node:test";
import assert from "node:assert/strict";
import { jumpTarget } from "../../static/js/jumps.js";
import { iterationAt } from "../../static/js/curve.js";
import { documents, skip } from "./documents.mjs";

test("backward jumps to the step of the next backward_start, then wraps to the first", { skip }, () => {
  const doc = documents.two_backward;
  const starts = doc.timeline.flatMap((e, i) => (e.type === "backward_start" ? [i + 1] : []));
  assert.ok(starts.length >= 2);
  assert.equal(jumpTarget(doc, 0, "backward"), starts[0]);
  assert.equal(jumpTarget(doc, starts[0], "backward"), starts[1]);
  assert.equal(jumpTarget(doc, doc.timeline.length, "backward"), starts[0]);
});

test("next and previous iteration land on each iteration's first event, in order", { skip }, () => {
  const doc = documents.training_loop;
  const firsts = doc.training_loop.iterations.map((i) => i.first_step + 1);
  const visited = [];
  for (let s = 0, next; (next = jumpTarget(doc, s, "next-iteration")) !== null; s = next) visited.push(next);
  assert.deepEqual(visited, firsts);
  assert.equal(jumpTarget(doc, firsts[2] + 1, "previous-iteration"), firsts[1]);
  assert.equal(jumpTarget(doc, firsts[0], "previous-iteration"), null);
  for (const record of doc.training_loop.iterations) assert.equal(iterationAt(doc.training_loop, record.last_step + 1).index, record.index);
});

test("next line moves to an event of another line; previous line to the first event of the line before", { skip }, () => {
  const doc = documents.neuron;
  const line = (s) => doc.timeline[s - 1].line;
  let s = 1;
  const next = jumpTarget(doc, s, "next-line");
  assert.notEqual(line(next), line(s));
  for (let k = s + 1; k < next; k++) assert.equal(line(k), line(s));
  const back = jumpTarget(doc, next, "previous-line");
  assert.equal(line(back), line(s));
  assert.ok(back === 1 || line(back - 1) !== line(back));
});
