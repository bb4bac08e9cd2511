// Run documents for the unit tests, made by the real server (tests/js/test_node_units.py writes them
// and passes the file in GRADTRACE_DOCUMENTS): {name: document}.
import { readFileSync } from "node:fs";

const path = process.env.GRADTRACE_DOCUMENTS;
export const documents = path ? JSON.parse(readFileSync(path, "utf8")) : null;
export const skip = documents ? false : "GRADTRACE_DOCUMENTS not set: run through python -m pytest tests/js";

/** The step just after the first event matching `test`. */
export const stepAfter = (doc, test) => doc.timeline.findIndex(test) + 1;

/** Id of the tensor bound to `name` at the end of the run. */
export const variable = (doc, name) => doc.variables[name];
