// The few pages protocol endpoints render themselves (authorization errors, the logout
// confirmation): one small self-contained document in the portal's look (components/ui
// AuthShell: the Latchkey wordmark, a centred title, a white card; system fonts, the brand
// indigo), no scripts, no external resources, every interpolated value escaped. The lean router
// has no compiled CSS, so the style is inline, allowed by its hash in HTML_PAGE_CSP. It fits a
// 360 px phone: long values (redirect URIs) wrap anywhere.
import { createHash } from "node:crypto";
import type { PlainResponse } from "./endpoint";
import { NO_STORE } from "./oauth-response";

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

// Colours are the portal's (Tailwind neutral + the brand indigo of app/globals.css).
const STYLE = `*{box-sizing:border-box}
html{color-scheme:light}
body{margin:0;min-height:100dvh;background:#fafafa;color:#171717;font-family:ui-sans-serif,system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;-webkit-font-smoothing:antialiased;overflow-wrap:anywhere;word-break:break-word}
.wrap{display:flex;flex-direction:column;align-items:center;padding:2.5rem 1rem}
.col{width:100%;max-width:28rem}
header{display:flex;justify-content:center;margin-bottom:2rem}
.mark{display:inline-flex;align-items:center;gap:.5rem;font-size:1.125rem;font-weight:600;letter-spacing:-.025em;color:#171717;text-decoration:none;border-radius:.375rem}
.mark svg{width:1.75rem;height:1.75rem;flex-shrink:0}
h1{margin:0 0 1.5rem;text-align:center;font-size:1.5rem;line-height:2rem;font-weight:600;letter-spacing:-.025em}
.card{background:#fff;border:1px solid #e5e5e5;border-radius:.75rem;padding:1.25rem;box-shadow:0 1px 2px rgb(0 0 0/.05)}
p{margin:0 0 1rem;font-size:.875rem;line-height:1.5;color:#404040}
a{color:oklch(45% .18 272);font-weight:500;text-underline-offset:2px}
:focus-visible{outline:2px solid oklch(51% .2 272);outline-offset:2px}
.actions{display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
button{background:oklch(51% .2 272);color:#fff;border:0;border-radius:.5rem;padding:.625rem 1.125rem;font:inherit;font-size:.875rem;font-weight:500;cursor:pointer}
button:hover{background:oklch(45% .18 272)}
details{margin-top:1rem;border-top:1px solid #e5e5e5;padding-top:.75rem;font-size:.8125rem;color:#525252}
summary{cursor:pointer;font-weight:500;color:#404040}
pre{margin:.5rem 0 0;padding:.75rem;background:#f5f5f5;border-radius:.5rem;white-space:pre-wrap;overflow-wrap:anywhere;font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.75rem;line-height:1.5;color:#262626}
@media (min-width:640px){.wrap{padding:4rem 1rem}.card{padding:1.5rem}}`;

/**
 * The Content-Security-Policy of these pages: nothing may load or run; only this inline style,
 * by its hash (CSP3 §2.3.1 hash-source); never framed (RFC 6749 §10.13).
 */
export const HTML_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash("sha256").update(STYLE).digest("base64")}'; base-uri 'none'; frame-ancestors 'none'`;

const WORDMARK = `<a class="mark" href="/"><svg aria-hidden="true" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#4f46e5"/><circle cx="12" cy="16" r="5" fill="none" stroke="#fff" stroke-width="2.5"/><path d="M17 16h9M22.5 16v3.5M26 16v2.5" stroke="#fff" stroke-width="2.5" stroke-linecap="round"/></svg><span>Latchkey</span></a>`;

export interface HtmlPageOptions {
  /** Extra <head> markup (already escaped). */
  extraHead?: string;
  /** The exact technical reason, for the app's developer: under a "Details for developers" disclosure. */
  developerDetails?: string;
}

/** An HTML document; `bodyHtml` must already be escaped. */
export function htmlDocument(title: string, bodyHtml: string, o: HtmlPageOptions = {}): string {
  const details = o.developerDetails
    ? `\n<details><summary>Details for developers</summary><pre>${escapeHtml(o.developerDetails)}</pre></details>`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
${o.extraHead ?? ""}<title>${escapeHtml(title)} · Latchkey</title>
<style>${STYLE}</style>
</head>
<body><div class="wrap"><div class="col">
<header>${WORDMARK}</header>
<main id="main">
<h1>${escapeHtml(title)}</h1>
<div class="card">
${bodyHtml}${details}
</div>
</main>
</div></div></body>
</html>
`;
}

/**
 * The one HTML response of the protocol endpoints: never cached, never framed (RFC 6749
 * §10.13; said here too, not only by the security headers), nothing loads or runs but the style.
 */
export function htmlPage(status: number, title: string, bodyHtml: string, opts: HtmlPageOptions = {}): PlainResponse {
  return {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      ...NO_STORE,
      "X-Frame-Options": "DENY",
      "Content-Security-Policy": HTML_PAGE_CSP,
    },
    body: htmlDocument(title, bodyHtml, opts),
  };
}

/** An error page: plain words for the user; `detail` (the exact technical reason) under "Details for developers". */
export function errorPage(status: number, title: string, description: string, detail?: string): PlainResponse {
  return htmlPage(status, title, `<p>${escapeHtml(description)}</p>\n<p><a href="/">Return to Latchkey</a></p>`, {
    developerDetails: detail ? `HTTP ${status}: ${detail}` : undefined,
  });
}
