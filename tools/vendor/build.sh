#!/usr/bin/env bash
# Vendor the front end's third-party libraries into static/vendor/ (run from anywhere; needs npm).
# npm ci installs exactly package-lock.json; we copy single files and each library's LICENSE.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../static/vendor"
cd "$here"
npm ci --no-audit --no-fund
rm -rf "$out" && mkdir -p "$out/codemirror" "$out/graphviz" "$out/katex/fonts" "$out/swagger-ui" "$out/axe-core"

# CodeMirror 6 + Python highlighting: one minified ESM bundle of codemirror-entry.mjs.
node_modules/.bin/esbuild codemirror-entry.mjs --bundle --format=esm --minify \
  --legal-comments=none --outfile="$out/codemirror/codemirror.js"
cp node_modules/@codemirror/view/LICENSE "$out/codemirror/LICENSE"   # every @codemirror package: MIT, same text
cp node_modules/@lezer/highlight/LICENSE "$out/codemirror/LICENSE.lezer"

# Graphviz (dot) compiled to WebAssembly: one ESM file with the WASM embedded.
cp node_modules/@hpcc-js/wasm-graphviz/dist/index.js "$out/graphviz/graphviz.js"
cp node_modules/@hpcc-js/wasm-graphviz/LICENSE "$out/graphviz/LICENSE"

# KaTeX: ESM build, CSS, and the woff2 fonts only (every browser we target loads woff2 first).
node_modules/.bin/esbuild node_modules/katex/dist/katex.mjs --format=esm --minify \
  --legal-comments=none --outfile="$out/katex/katex.js"
cp node_modules/katex/dist/katex.min.css "$out/katex/katex.min.css"
cp node_modules/katex/dist/fonts/*.woff2 "$out/katex/fonts/"
cp node_modules/katex/LICENSE "$out/katex/LICENSE"

# Swagger UI for /docs (served from here: the API docs work offline, under the app's CSP).
cp node_modules/swagger-ui-dist/{swagger-ui-bundle.js,swagger-ui.css,LICENSE,NOTICE} "$out/swagger-ui/"

# axe-core: the accessibility audit tests/browser/test_accessibility.py injects into the page.
cp node_modules/axe-core/{axe.min.js,LICENSE} "$out/axe-core/"

# Versions, for the record.
node -e 'const l=require("./package-lock.json").packages;for(const k of Object.keys(l).filter(k=>k&&!k.includes("node_modules/esbuild")&&!k.includes("@esbuild"))){console.log(k.replace(/^node_modules\//,"")+" "+l[k].version)}' > "$out/VERSIONS.txt"
du -sh "$out"
