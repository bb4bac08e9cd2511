import { test } from "node:test";
import assert from "node:assert/strict";
import { serialize, deserialize, percentEncode, Store, compress, decompress, programBytes, shareQuery } from "../../static/js/state.js";

test("the URL table reads back what it writes and ignores bad values", () => {
  assert.deepEqual(deserialize("?" + serialize({ view: "backward", step: 12, present: true })), { view: "backward", step: 12, present: true });
  assert.deepEqual(deserialize("?view=sideways&step=-1&present=yes"), {});
});

test("a program travels as code= with spaces as +", async () => {
  assert.equal(percentEncode("x = 1"), "x+%3D+1");
  assert.equal(await shareQuery({ code: "a b", view: "forward" }), "code=a+b&view=forward");
});

test("z= round-trips and refuses more than the byte limit", async () => {
  const code = "import torch\n" + "x = torch.ones(3)\n".repeat(200);
  assert.equal(await decompress(await compress(code), programBytes(20000)), code);
  await assert.rejects(decompress(await compress(code), 100), /unpacks to more than 100 bytes/);
  await assert.rejects(decompress("abc", undefined), /byte limit/);
});

test("the Store clamps the step to the document and reports changed keys", () => {
  const store = new Store({ code: "x" });
  const seen = [];
  store.subscribe((state, changed) => seen.push([...changed]));
  store.set({ doc: { timeline: [{}, {}] }, step: 9 });
  assert.equal(store.get().step, 2);
  store.set({ code: "x" });
  assert.deepEqual(seen, [["doc", "step"]]);
});
