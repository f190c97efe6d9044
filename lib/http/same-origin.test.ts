import { describe, expect, it } from "vitest";
import { isSameOriginPost } from "./same-origin";

const ISSUER = "https://id.example.com";
const h = (headers: Record<string, string>) => new Headers(headers);

describe("isSameOriginPost", () => {
  it("accepts the issuer's own origin", () => {
    expect(isSameOriginPost(h({ origin: "https://id.example.com" }), ISSUER)).toBe(true);
    expect(isSameOriginPost(h({ origin: "http://127.0.0.1:3205" }), "http://127.0.0.1:3205/")).toBe(true);
  });

  it("refuses another origin, another scheme or port, and the opaque origin null", () => {
    for (const origin of ["https://evil.example", "http://id.example.com", "https://id.example.com:8443", "null", "https://id.example.com.evil.example"]) {
      expect(isSameOriginPost(h({ origin, "sec-fetch-site": "same-origin" }), ISSUER)).toBe(false);
    }
  });

  it("without Origin, trusts only Sec-Fetch-Site: same-origin", () => {
    expect(isSameOriginPost(h({ "sec-fetch-site": "same-origin" }), ISSUER)).toBe(true);
    expect(isSameOriginPost(h({ "sec-fetch-site": "cross-site" }), ISSUER)).toBe(false);
    expect(isSameOriginPost(h({ "sec-fetch-site": "same-site" }), ISSUER)).toBe(false);
    expect(isSameOriginPost(h({}), ISSUER)).toBe(false);
  });
});
