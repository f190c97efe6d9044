// The few pages protocol endpoints render themselves (authorization errors, the logout
// confirmation): one small self-contained document, no scripts, no external resources, every
// interpolated value escaped.
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

const STYLE = `body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#fafafa;color:#171717;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border:1px solid #e5e5e5;border-radius:.75rem;padding:1.5rem;max-width:28rem;width:calc(100% - 2rem)}
h1{font-size:1.25rem;margin:0 0 .75rem}p{line-height:1.5;margin:0 0 1rem;color:#404040}a{color:#4338ca}
.actions{display:flex;gap:1rem;align-items:center}
button{background:#4338ca;color:#fff;border:0;border-radius:.5rem;padding:.6rem 1.1rem;font-size:1rem;cursor:pointer}`;

/** An HTML document; `bodyHtml` must already be escaped. */
export function htmlDocument(title: string, bodyHtml: string, extraHead = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
${extraHead}<title>${escapeHtml(title)} · Latchkey</title>
<style>
${STYLE}
</style>
</head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${bodyHtml}
</main></body>
</html>
`;
}
