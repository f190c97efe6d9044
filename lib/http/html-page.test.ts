// The protocol endpoints' own pages: the portal's look, an inline style allowed by its hash,
// the exact reason under "Details for developers", everything escaped.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { errorPage, HTML_PAGE_CSP, htmlDocument } from "./html-page";

describe("htmlDocument", () => {
  it("the <style> is exactly what HTML_PAGE_CSP's hash allows (a changed style without a new hash would be blocked)", () => {
    const html = htmlDocument("T", "<p>x</p>");
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const hash = createHash("sha256").update(style).digest("base64");
    expect(HTML_PAGE_CSP).toBe(`default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; frame-ancestors 'none'`);
    expect(html).not.toMatch(/<script|style="/i);
  });

  it("the portal's frame: the Latchkey wordmark linking home, the title as <h1>, a card; long text wraps", () => {
    const html = htmlDocument("Unknown application", "<p>x</p>");
    expect(html).toContain('<a class="mark" href="/">');
    expect(html).toContain("<span>Latchkey</span>");
    expect(html).toContain("<h1>Unknown application</h1>");
    expect(html).toContain('<div class="card">');
    expect(html).toContain("overflow-wrap:anywhere");
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it("developer details: a <details> disclosure, escaped; none when there are none", () => {
    const html = htmlDocument("T", "<p>x</p>", { developerDetails: 'redirect_uri "https://a.test/<b>" does not match' });
    expect(html).toContain('<details><summary>Details for developers</summary><pre>redirect_uri &quot;https://a.test/&lt;b&gt;&quot; does not match</pre></details>');
    expect(htmlDocument("T", "<p>x</p>")).not.toContain("<details>");
  });

  it("errorPage: plain words for the user, the exact reason with the status for the developer", () => {
    const r = errorPage(400, "Unknown application", "Go back to the app.", 'client_id "x" is not registered');
    expect(r.body).toContain("<p>Go back to the app.</p>");
    expect(r.body).toContain("<pre>HTTP 400: client_id &quot;x&quot; is not registered</pre>");
    expect(r.headers["Content-Security-Policy"]).toBe(HTML_PAGE_CSP);
  });
});
