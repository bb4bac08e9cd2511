// Export what is on screen: the drawn graph as a standalone SVG or PNG (made here, from the page's own
// SVG, so it shows this step's colours and values and needs no Graphviz on the server), the DOT source
// of either view (made by the server with the graphviz package) and the run document as JSON.

const SVG_NS = "http://www.w3.org/2000/svg";
// The CSS that draws the graph, copied onto each element so the file looks the same outside the page.
const STYLED = ["fill", "stroke", "stroke-width", "stroke-dasharray", "opacity", "display",
  "font-family", "font-size", "font-weight", "font-style", "text-anchor"];
const MARGIN = 16;
const PNG_SCALE = 2;                 // crisp on a projector and when zoomed
const PNG_MAX_PIXELS = 64e6;         // Chromium's canvas area limit is about 268M; stay well below
const PNG_MAX_SIDE = 16384;          // and a side longer than 32,767 px makes no canvas at all

/** Copy the computed drawing styles of `source` and its descendants onto the matching clone nodes. */
function inlineStyles(source, clone) {
  const sources = [source, ...source.querySelectorAll("*")];
  const clones = [clone, ...clone.querySelectorAll("*")];
  sources.forEach((s, i) => {
    const computed = getComputedStyle(s);
    const style = STYLED.map((p) => `${p}:${computed.getPropertyValue(p)}`).join(";");
    clones[i].setAttribute("style", style);
  });
}

/** The colour the graph is drawn on: the first ancestor with an opaque background (theme-aware). */
function backgroundOf(element) {
  for (let e = element; e; e = e.parentElement) {
    const colour = getComputedStyle(e).backgroundColor;
    if (colour && colour !== "transparent" && !/rgba\(.*,\s*0\)$/.test(colour)) return colour;
  }
  return "white";
}

/**
 * The graph as a standalone SVG document: the drawing, the callout of the current step and the
 * theme's background, with every style inlined. Node groups keep their data-node-id.
 */
export function graphSvg(svg, overlay) {
  const lod = svg.dataset.lod;
  delete svg.dataset.lod;            // a zoomed-out page hides text; the file shows all of it
  try {
    const width = Number(svg.getAttribute("width")) || 0, height = Number(svg.getAttribute("height")) || 0;
    const out = document.createElementNS(SVG_NS, "svg");
    out.setAttribute("xmlns", SVG_NS);
    out.setAttribute("width", String(width + 2 * MARGIN));
    out.setAttribute("height", String(height + 2 * MARGIN));
    out.setAttribute("viewBox", `${-MARGIN} ${-MARGIN} ${width + 2 * MARGIN} ${height + 2 * MARGIN}`);
    const background = document.createElementNS(SVG_NS, "rect");
    Object.entries({ x: -MARGIN, y: -MARGIN, width: width + 2 * MARGIN, height: height + 2 * MARGIN })
      .forEach(([k, v]) => background.setAttribute(k, String(v)));
    background.setAttribute("fill", backgroundOf(svg));
    out.appendChild(background);
    for (const layer of [svg, overlay]) {
      const clone = layer.cloneNode(true);
      inlineStyles(layer, clone);
      const group = document.createElementNS(SVG_NS, "g");
      group.setAttribute("class", layer === svg ? "graph" : "callouts");
      group.append(...clone.childNodes);
      out.appendChild(group);
    }
    return { text: '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(out), width: width + 2 * MARGIN, height: height + 2 * MARGIN };
  } finally {
    if (lod) svg.dataset.lod = lod;
  }
}

/** Rasterise an SVG document (from graphSvg) to a PNG blob. */
export async function svgToPng({ text, width, height }) {
  const scale = Math.min(PNG_SCALE, Math.sqrt(PNG_MAX_PIXELS / (width * height)), PNG_MAX_SIDE / width, PNG_MAX_SIDE / height);
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = Math.ceil(width * scale);
    canvas.height = Math.ceil(height * scale);
    const context = canvas.getContext("2d");
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    return await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the PNG could not be made"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** POST the program to a server export route; the answer as a blob (its error message on failure). */
export async function fetchExport(url, body) {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!response.ok) {
    const detail = await response.json().then((b) => b && b.detail).catch(() => null);
    throw new Error(`Export failed (${response.status})` + (typeof detail === "string" ? `: ${detail}` : ""));
  }
  return response.blob();
}

/** Save a blob as a file (an <a download> click: no server round trip, works offline). */
export function download(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
