// Render Markdown math fragments with KaTeX in strict mode, as a reader's renderer would.
//
//   node tests/js/katex_check.mjs < fragments.json
//
// stdin:  [{"tex": "...", "display": true|false, "where": "file.md:12"}, ...]
// stdout: {"katex": "<version>", "results": [{"where": "...", "ok": true}
//                                         | {"where": "...", "ok": false, "error": "..."}, ...]}
// Exit 0 whenever the input was read (the caller judges the results); 2 on bad input.
// Called by tests/test_documents.py; katex is pinned in package.json / package-lock.json.
import katex from "katex";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

function check(fragment) {
  try {
    katex.renderToString(fragment.tex, {
      throwOnError: true,
      strict: "error",
      displayMode: Boolean(fragment.display),
    });
    return { where: fragment.where, ok: true };
  } catch (error) {
    return { where: fragment.where, ok: false, error: String(error.message || error) };
  }
}

let fragments;
try {
  fragments = JSON.parse(await readStdin());
  if (!Array.isArray(fragments)) throw new Error("expected a JSON array of fragments");
} catch (error) {
  process.stderr.write(`katex_check: ${error.message}\n`);
  process.exit(2);
}
process.stdout.write(JSON.stringify({ katex: katex.version, results: fragments.map(check) }) + "\n");
