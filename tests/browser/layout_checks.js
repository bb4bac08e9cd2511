// In-page checks of the drawing (tests/browser/test_view.py): rendered text sizes, overlaps between
// node boxes, edge labels, gradient dots and the callout, text running out of its box, and whether
// the current event is inside the graph pane. Screen pixels (getBoundingClientRect).
() => {
  const pane = document.querySelector("#graph").getBoundingClientRect();
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).display !== "none";
  const box = (r) => ({ x: r.left, y: r.top, w: r.width, h: r.height });
  const items = [];
  for (const g of document.querySelectorAll("#graph-svg .node")) {
    const shape = g.querySelector(".shape:not(.stack)");
    items.push({ kind: "node", id: g.dataset.nodeId, ...box(shape.getBoundingClientRect()), el: g });
  }
  for (const bg of document.querySelectorAll("#graph-svg .edge-label-bg")) {
    if (!visible(bg) || !(+bg.getAttribute("width") > 0)) continue;
    items.push({ kind: "edge-label", id: bg.parentNode.dataset.source + ">" + bg.parentNode.dataset.target, ...box(bg.getBoundingClientRect()) });
  }
  for (const dot of document.querySelectorAll(".flow-dot")) items.push({ kind: "dot", id: "dot", ...box(dot.getBoundingClientRect()) });
  const callout = document.querySelector("#graph-overlay .callout rect");
  if (callout) items.push({ kind: "callout", id: "callout", ...box(callout.getBoundingClientRect()) });
  const overlaps = [];
  const slack = 1;   // touching is not overlapping
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      if (a.kind === "dot" && b.kind === "dot") continue;
      if (a.x + slack < b.x + b.w && b.x + slack < a.x + a.w && a.y + slack < b.y + b.h && b.y + slack < a.y + a.h) overlaps.push(`${a.kind} ${a.id} × ${b.kind} ${b.id}`);
    }
  }
  // text running out of its node's box (a group label too long for it)
  const overflowing = [];
  for (const it of items.filter((i) => i.kind === "node")) {
    for (const t of it.el.querySelectorAll("text")) {
      if (!t.textContent || !visible(t)) continue;
      const r = t.getBoundingClientRect();
      if (r.left < it.x - 1 || r.right > it.x + it.w + 1) overflowing.push(`${it.id}: ${t.textContent}`);
    }
  }
  const k = window.gradtrace.graph.view.k;
  const sizes = [...document.querySelectorAll("#graph-svg .node text, #graph-svg .edge-label")]
    .filter((t) => t.textContent && visible(t)).map((t) => parseFloat(getComputedStyle(t).fontSize) * k);
  const inPane = (r) => r.left >= pane.left - 1 && r.right <= pane.right + 1 && r.top >= pane.top - 1 && r.bottom <= pane.bottom + 1;
  const current = [...document.querySelectorAll("#graph-svg .node.current .shape:not(.stack), #graph-svg .edge.active path")].map((e) => e.getBoundingClientRect());
  const outside = [...current.filter((r) => !inPane(r)), ...(callout && !inPane(callout.getBoundingClientRect()) ? ["callout"] : [])];
  return { overlaps, overflowing, minPx: sizes.length ? Math.min(...sizes) : null, texts: sizes.length, scale: k,
    currentOutside: outside.length, currentCount: current.length, nodes: items.filter((i) => i.kind === "node").length };
}
