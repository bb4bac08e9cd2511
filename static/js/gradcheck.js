// The numeric gradient check: the inspector's "Check numerically" button asks POST /api/gradcheck
// (beside /api/run) for a leaf's float64 finite-difference gradient. Its state lives in the Store as
// `gradchecks`: {doc, byTensor: {t1: {status: "loading"|"done"|"error", result?, error?}}}, kept for
// the document it was asked about (a new run leaves old checks behind).

/** POST the program that made `doc` and a tensor id; the result or an Error with the server's detail. */
export async function requestGradcheck(url, code, tensor) {
  const response = await fetch(url, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code, tensor }),
  });
  const body = await response.json().catch(() => null);
  if (!response.ok || !body || body.numeric === undefined) {
    const detail = body && typeof body.detail === "string" ? body.detail : `the check failed (HTTP ${response.status})`;
    throw new Error(detail);
  }
  return body;
}

/** The checks of `doc` (an empty object for any other document). */
export function checksFor(gradchecks, doc) {
  return gradchecks && gradchecks.doc === doc ? gradchecks.byTensor : {};
}

/** Answer clicks on [data-action=gradcheck] inside `root` (the inspector) by checking that tensor. */
export function bindGradcheck(root, store, url) {
  const update = (doc, tensor, check) => {
    const byTensor = { ...checksFor(store.get().gradchecks, doc), [tensor]: check };
    store.set({ gradchecks: { doc, byTensor } });
  };
  root.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-action=gradcheck]");
    const { doc } = store.get();
    if (!button || !doc) return;
    const tensor = button.dataset.tensor;
    update(doc, tensor, { status: "loading" });
    try {
      const result = await requestGradcheck(url, doc.code, tensor);
      update(doc, tensor, { status: "done", result });
    } catch (error) {
      update(doc, tensor, { status: "error", error: String(error.message || error) });
    }
  });
}
