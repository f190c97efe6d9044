// The form_post page (OAuth 2.0 Form Post Response Mode §2): what it posts, where it may post,
// and that nothing in it can be injected.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formActionSource, formPostPage } from "./form-post-page";
import { HTML_PAGE_CSP } from "./html-page";

describe("formActionSource (CSP form-action)", () => {
  it.each([
    ["https://app.example.com/cb?x=1", "https://app.example.com"],
    ["http://127.0.0.1:8080/callback", "http://127.0.0.1:8080"],
    ["com.example.app:/oauth/cb", "com.example.app:"],
    ["not a url", "'none'"],
  ])("%s -> %s", (uri, source) => {
    expect(formActionSource(uri)).toBe(source);
  });
});

describe("formPostPage", () => {
  const response = {
    redirectUri: "https://app.example.com/cb?tenant=a&b=1",
    mode: "form_post" as const,
    params: [
      ["code", "abc"],
      ["state", `"><script>alert(1)</script>`],
      ["iss", "https://id.example.com"],
    ] as [string, string][],
  };

  it("is a 200, never cached or framed, whose CSP allows only its style, its script by hash, and posting to the client", () => {
    const res = formPostPage(response);
    const hash = createHash("sha256").update("document.forms[0].submit()").digest("base64");
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ "Cache-Control": "no-store", Pragma: "no-cache", "X-Frame-Options": "DENY" });
    expect(res.headers["Content-Security-Policy"]).toBe(`${HTML_PAGE_CSP}; script-src 'sha256-${hash}'; form-action https://app.example.com`);
  });

  it("posts every parameter as a hidden field to the exact redirect URI, escaped; one script only; a Continue button", () => {
    const html = formPostPage(response).body;
    expect(html).toContain('<form method="post" action="https://app.example.com/cb?tenant=a&amp;b=1">');
    expect(html).toContain('<input type="hidden" name="code" value="abc">');
    expect(html).toContain('<input type="hidden" name="state" value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;">');
    expect(html).toContain('<input type="hidden" name="iss" value="https://id.example.com">');
    expect(html).toContain('<button type="submit">Continue</button>');
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).toContain("<script>document.forms[0].submit()</script>");
  });
});
