// The timeline's long jumps: to the start of a backward pass, to the next or previous training-loop
// iteration, to the next or previous source line. Pure functions of (document, step).

/** The step a jump lands on, or null when there is nowhere to go. */
export function jumpTarget(doc, step, kind) {
  const events = doc.timeline;
  const after = (test) => { for (let s = step + 1; s <= events.length; s++) if (test(events[s - 1], s)) return s; return null; };
  const before = (test) => { for (let s = step - 1; s >= 1; s--) if (test(events[s - 1], s)) return s; return step > 0 ? 0 : null; };
  if (kind === "backward") {
    const next = after((e) => e.type === "backward_start");
    return next ?? (events.findIndex((e) => e.type === "backward_start") + 1 || null);
  }
  if (kind === "next-line" || kind === "previous-line") {
    const line = step ? events[step - 1].line : null;
    if (kind === "next-line") return after((e) => e.line !== line && e.line !== null && e.line !== undefined);
    // to the first event of the previous line (a debugger's "step back")
    const start = before((e) => e.line !== line && e.line !== null && e.line !== undefined);
    if (!start) return start;
    const previous = events[start - 1].line;
    let s = start;
    while (s > 1 && events[s - 2].line === previous) s--;
    return s;
  }
  const loop = doc.training_loop;
  if (!loop || !loop.iterations.length) return null;
  // an iteration's first step shows its first event; its last_step + 1 its last
  const starts = loop.iterations.map((i) => i.first_step + 1);
  if (kind === "next-iteration") return starts.find((s) => s > step) ?? null;
  if (kind === "previous-iteration") {
    const current = starts.filter((s) => s <= step).pop() ?? Infinity;
    return starts.filter((s) => s < current).pop() ?? null;
  }
  return null;
}
